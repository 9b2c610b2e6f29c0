"""Rendering: tables for people (tabulate, Vietnamese or English, Vietnamese number style), CSV and
JSON for scripts, and charts. No core module imports this package."""

from typing import Any

from ._chart import CHART_SUFFIXES, ChartBar, draw_bars
from ._format import (
    FORMAT_ALIASES,
    STATUS_LABELS,
    Column,
    format_number,
    json_chunks,
    json_number,
    neutralise,
    output_formats,
    percent_points,
    render,
    shown_apart,
)

__all__ = [
    "CHART_SUFFIXES",
    "FORMAT_ALIASES",
    "OUTPUT_FORMATS",
    "STATUS_LABELS",
    "ChartBar",
    "Column",
    "draw_bars",
    "format_number",
    "json_chunks",
    "json_number",
    "neutralise",
    "output_formats",
    "percent_points",
    "render",
    "shown_apart",
]


def __getattr__(name: str) -> Any:
    # OUTPUT_FORMATS lists tabulate's formats: tabulate is imported when it is first asked for.
    if name == "OUTPUT_FORMATS":
        return output_formats()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
