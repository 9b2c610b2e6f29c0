"""Rendering: tables for people (tabulate, Vietnamese or English, Vietnamese number style), CSV and
JSON for scripts, and charts. No core module imports this package."""

from ._chart import ChartBar, draw_bars
from ._format import FORMAT_ALIASES, OUTPUT_FORMATS, Column, json_number, neutralise, percent_points, render

__all__ = [
    "FORMAT_ALIASES",
    "OUTPUT_FORMATS",
    "ChartBar",
    "Column",
    "draw_bars",
    "json_number",
    "neutralise",
    "percent_points",
    "render",
]
