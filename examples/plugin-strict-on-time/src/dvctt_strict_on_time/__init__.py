"""An example evaluator plugin: overdue pending dossiers count as late."""

from __future__ import annotations

from fractions import Fraction

from dvctt_rules.plugins import IndicatorSpec, Measurement, UnitData

__all__ = ["StrictOnTime"]


class StrictOnTime:
    """``sum(numerator) / (sum(denominator) + pending_late)``, from counts only."""

    name = "strict_on_time"

    def measure(self, indicator: IndicatorSpec, data: UnitData) -> Measurement:
        names = (*indicator.numerator, *indicator.denominator, "pending_late")
        missing = tuple(n for n in dict.fromkeys(names) if data.counts.get(n) is None)
        if missing:
            return Measurement.nothing(missing)
        numerator = sum(data.counts[n] or 0 for n in indicator.numerator)
        denominator = sum(data.counts[n] or 0 for n in indicator.denominator) + (
            data.counts["pending_late"] or 0
        )
        if denominator == 0:
            return Measurement(numerator, denominator, None, "none")
        return Measurement(numerator, denominator, Fraction(numerator, denominator), "counts")
