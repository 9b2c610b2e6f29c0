"""Charts: each unit's value against its target, or its score against the grade bands (SVG or PNG).

Needs matplotlib (``pip install 'dvctt-rules[chart]'``); it is imported only when a chart is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

from .._errors import DvcttRulesError, MissingExtraError

__all__ = ["CHART_SUFFIXES", "ChartBar", "draw_bars"]

#: The file types :func:`draw_bars` writes, by file name suffix (lower case).
CHART_SUFFIXES = (".svg", ".png")

_COLOURS = {"met": "#2e7d32", "not_met": "#c62828", "no_data": "#9e9e9e", "not_applicable": "#bdbdbd"}


class ChartBar:
    """One bar: a label, a value (``None`` = no data), an optional target mark and a status colour key."""

    __slots__ = ("label", "status", "target", "value")

    def __init__(
        self, label: str, value: Fraction | None, target: Fraction | None = None, status: str = "met"
    ) -> None:
        self.label = label
        self.value = value
        self.target = target
        self.status = status


def _pyplot() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise MissingExtraError("drawing a chart", "chart", "matplotlib") from exc
    return plt


def draw_bars(
    bars: Sequence[ChartBar],
    path: str | Path,
    *,
    title: str,
    axis_label: str,
    bands: Sequence[tuple[Fraction, str]] = (),
    scale: int = 100,
    legend: Sequence[tuple[str, str]] = (),
) -> Path:
    """Draw horizontal bars (one per unit, top to bottom as given) to ``path`` (``.svg`` or ``.png``).

    Values and targets are multiplied by ``scale`` for the axis (100: proportions as percent). A
    target is drawn as a black tick on its bar; ``bands`` (lower bound, label) shade the background,
    e.g. the grade bands of a score chart. Bars with no data are drawn empty and labelled.
    Returns the path written.
    """
    target = Path(path)
    if target.suffix.lower() not in CHART_SUFFIXES:
        kinds = " or ".join(CHART_SUFFIXES)
        raise DvcttRulesError(f"a chart is written as {kinds}, got {target.name!r}; choose one of those")
    plt = _pyplot()
    height = max(3.0, 0.28 * len(bars) + 1.5)
    figure, axes = plt.subplots(figsize=(9, height))
    try:
        positions = list(range(len(bars)))[::-1]
        top = max([scale] + [float(b.value * scale) for b in bars if b.value is not None])
        for low, label in bands:
            axes.axvline(float(low * scale), color="#607d8b", linewidth=0.8, linestyle="--")
            axes.text(
                float(low * scale), len(bars) - 0.3, f" {label}", fontsize=7, color="#455a64", va="bottom"
            )
        for y, bar in zip(positions, bars, strict=True):
            if bar.value is None:
                axes.barh(y, top, color="none", edgecolor="#bdbdbd", hatch="//", linewidth=0.5)
                axes.text(1, y, "–", va="center", fontsize=7)
            else:
                axes.barh(y, float(bar.value * scale), color=_COLOURS.get(bar.status, "#1565c0"))
            if bar.target is not None:
                x = float(bar.target * scale)
                axes.plot([x, x], [y - 0.4, y + 0.4], color="black", linewidth=1.5)
        axes.set_yticks(positions, [b.label for b in bars], fontsize=7)
        axes.set_xlim(0, top * 1.02)
        axes.set_xlabel(axis_label)
        axes.set_title(title, fontsize=10)
        if legend:
            from matplotlib.patches import Patch

            axes.legend(
                handles=[Patch(color=_COLOURS.get(key, key), label=text) for key, text in legend],
                fontsize=7,
                loc="lower right",
            )
        figure.tight_layout()
        try:
            figure.savefig(target, metadata={"Date": None} if target.suffix.lower() == ".svg" else None)
        except OSError as exc:
            raise DvcttRulesError(
                f"cannot write the chart {str(target)!r}: {exc.strerror or exc}; "
                "check that its folder exists and can be written"
            ) from None
    finally:
        plt.close(figure)
    return target
