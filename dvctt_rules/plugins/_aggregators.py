"""Aggregators: the plugins that combine several units' measurements of one indicator into one.

An area (a district with its communes, the whole province) is judged on an aggregate. The default
sums the counts and then divides (a ratio of sums, never a mean of ratios); data that holds only
rates gets an unweighted mean of rates, labelled as such.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Literal, Protocol, get_args, runtime_checkable

import attrs

from ._evaluators import IndicatorSpec, Measurement, check_numbers
from ._registry import Registry

__all__ = [
    "AGGREGATORS",
    "Aggregate",
    "Aggregator",
    "DefaultAggregator",
    "Extreme",
    "MeanOfRates",
    "SumThenDivide",
    "check_aggregator",
]

AggregateBasis = Literal["counts", "mean_of_rates", "min", "max", "other", "none"]
#: The bases an :class:`Aggregate` may rest on (``"other"``: the aggregator's own method, which its
#: ``strategy`` names, such as a median).
AGGREGATE_BASES: tuple[AggregateBasis, ...] = get_args(AggregateBasis)


@attrs.frozen
class Aggregate:
    """An aggregate of one indicator over several units.

    ``strategy`` names the aggregator that made it (``"sum"``, ``"mean_of_rates"``, …), ``units`` the
    units whose data went in, ``missing`` those that had no usable data (listed, never skipped in
    silence). ``numerator``/``denominator`` are set when the aggregate was summed from counts.
    ``basis`` is one of :data:`AGGREGATE_BASES`: a third-party aggregator with a method of its own (a
    median, say) says ``"other"``, and explanations name its ``strategy``.
    """

    numerator: int | None
    denominator: int | None
    value: Fraction | None
    strategy: str
    basis: AggregateBasis
    units: tuple[str, ...]
    missing: tuple[str, ...]


@runtime_checkable
class Aggregator(Protocol):
    """Combines ``(unit id, measurement)`` pairs of one indicator into an :class:`Aggregate`.

    Register third-party aggregators in the entry-point group ``dvctt_rules.aggregators``.
    """

    name: str

    def aggregate(
        self, indicator: IndicatorSpec, measurements: Sequence[tuple[str, Measurement]]
    ) -> Aggregate:
        """The aggregate of ``measurements``; must not depend on their order."""
        ...


def _sorted(ids: list[str]) -> tuple[str, ...]:
    return tuple(sorted(ids))


@attrs.frozen
class SumThenDivide:
    """Sum the numerators and the denominators of units measured from counts, then divide.

    For a count indicator (no denominator) the counts are summed. Units measured only from a rate,
    or not at all, are listed in ``missing``.
    """

    name: str = "sum"

    def aggregate(
        self, indicator: IndicatorSpec, measurements: Sequence[tuple[str, Measurement]]
    ) -> Aggregate:
        used: list[tuple[str, Measurement]] = []
        unused: list[str] = []
        for unit, m in measurements:
            # A unit with counts but a zero denominator has data (nothing happened): it is covered.
            if m.basis == "counts" or (m.numerator is not None and m.denominator == 0):
                used.append((unit, m))
            else:
                unused.append(unit)
        missing = _sorted(unused)
        if not used:
            return Aggregate(None, None, None, self.name, "none", (), missing)
        numerator = sum(m.numerator or 0 for _, m in used)
        if not indicator.denominator:
            return Aggregate(
                numerator,
                None,
                Fraction(numerator),
                self.name,
                "counts",
                _sorted([u for u, _ in used]),
                missing,
            )
        denominator = sum(m.denominator or 0 for _, m in used)
        value = Fraction(numerator, denominator) if denominator else None
        return Aggregate(
            numerator,
            denominator,
            value,
            self.name,
            "counts" if value is not None else "none",
            _sorted([u for u, _ in used]),
            missing,
        )


@attrs.frozen
class MeanOfRates:
    """The unweighted mean of the units' values (for data that holds only rates); labelled as such."""

    name: str = "mean_of_rates"

    def aggregate(
        self, indicator: IndicatorSpec, measurements: Sequence[tuple[str, Measurement]]
    ) -> Aggregate:
        used = [(u, m.value) for u, m in measurements if m.value is not None]
        missing = _sorted([u for u, m in measurements if m.value is None])
        if not used:
            return Aggregate(None, None, None, self.name, "none", (), missing)
        mean = sum((v for _, v in used), Fraction(0)) / len(used)
        return Aggregate(None, None, mean, self.name, "mean_of_rates", _sorted([u for u, _ in used]), missing)


@attrs.frozen
class Extreme:
    """The lowest (``min``) or highest (``max``) of the units' values."""

    name: Literal["min", "max"] = "min"

    def aggregate(
        self, indicator: IndicatorSpec, measurements: Sequence[tuple[str, Measurement]]
    ) -> Aggregate:
        used = [(u, m.value) for u, m in measurements if m.value is not None]
        missing = _sorted([u for u, m in measurements if m.value is None])
        if not used:
            return Aggregate(None, None, None, self.name, "none", (), missing)
        pick = min if self.name == "min" else max
        value = pick(v for _, v in used)
        return Aggregate(None, None, value, self.name, self.name, _sorted([u for u, _ in used]), missing)


@attrs.frozen
class DefaultAggregator:
    """Sum then divide where any unit has counts; otherwise the mean of reported rates.

    The result's ``strategy`` says which of the two was used.
    """

    name: str = "default"

    def aggregate(
        self, indicator: IndicatorSpec, measurements: Sequence[tuple[str, Measurement]]
    ) -> Aggregate:
        summed = SumThenDivide().aggregate(indicator, measurements)
        if summed.units or not any(m.basis == "rate" for _, m in measurements):
            return summed
        return MeanOfRates().aggregate(indicator, measurements)


def checked_aggregate(aggregate: object) -> Aggregate:
    """``aggregate`` if it is a well-formed :class:`Aggregate` (exact numbers, a known basis, unit
    ids); ``TypeError`` saying what is wrong otherwise. For an aggregator's result. Internal."""
    if not isinstance(aggregate, Aggregate):
        raise TypeError(f"returned {type(aggregate).__name__}, not an Aggregate")
    check_numbers(aggregate.numerator, aggregate.denominator, aggregate.value)
    if aggregate.basis not in AGGREGATE_BASES:
        raise TypeError(
            f"basis is {aggregate.basis!r}, not one of {', '.join(AGGREGATE_BASES)} "
            "('other' for a method of the aggregator's own, which its strategy names)"
        )
    return aggregate


def check_aggregator(plugin: object) -> Aggregator:
    """Accept an aggregator, or a class that makes one without arguments; ``TypeError`` otherwise."""
    candidate = plugin() if isinstance(plugin, type) else plugin
    if not isinstance(candidate, Aggregator):
        raise TypeError(
            "an aggregator needs a `name` string and an `aggregate(indicator, measurements)` method"
        )
    if not isinstance(candidate.name, str) or not candidate.name:
        raise TypeError("an aggregator's `name` must be a non-empty string")
    return candidate


#: The aggregator registry: built-ins first, then the ``dvctt_rules.aggregators`` entry points.
AGGREGATORS: Registry[Aggregator] = Registry("aggregator", "dvctt_rules.aggregators", check_aggregator)
for _builtin in (DefaultAggregator(), SumThenDivide(), MeanOfRates(), Extreme("min"), Extreme("max")):
    AGGREGATORS.register(_builtin, origin="built-in")
