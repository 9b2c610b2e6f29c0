"""Evaluators: the plugins that compute an indicator's value for one unit and period."""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from fractions import Fraction
from typing import Literal, Protocol, runtime_checkable

import attrs

from ._registry import Registry

__all__ = [
    "EVALUATORS",
    "Evaluator",
    "IndicatorSpec",
    "Measurement",
    "RateOnly",
    "RatioOfSums",
    "UnitData",
    "ZeroCount",
    "check_evaluator",
]

Basis = Literal["counts", "rate", "none"]


class IndicatorSpec(Protocol):
    """What an evaluator needs to know of an indicator (``dvctt_rules.rules.Indicator`` is one)."""

    @property
    def id(self) -> str: ...
    @property
    def numerator(self) -> tuple[str, ...]: ...
    @property
    def denominator(self) -> tuple[str, ...]: ...


class UnitData(Protocol):
    """The data of one unit over one period: summed counts and reported rates (``None`` = unknown).

    ``dvctt_rules.observations.Totals`` is one.
    """

    @property
    def counts(self) -> Mapping[str, int | None]: ...
    @property
    def rates(self) -> Mapping[str, Fraction | None]: ...


@attrs.frozen
class Measurement:
    """An evaluator's result: numerator and denominator when computed from counts, the exact value,
    the basis (``"counts"``, ``"rate"`` for a reported rate without counts, ``"none"`` for no data),
    and the measures that were needed but unknown."""

    numerator: int | None
    denominator: int | None
    value: Fraction | None
    basis: Basis
    missing: tuple[str, ...] = ()

    @classmethod
    def nothing(cls, missing: tuple[str, ...] = ()) -> Measurement:
        """No data: nothing could be computed."""
        return cls(None, None, None, "none", missing)


def checked_measurement(measurement: object) -> Measurement:
    """``measurement`` if it is a well-formed :class:`Measurement` (exact numbers, a known basis);
    ``TypeError`` saying what is wrong otherwise. For an evaluator's result. Internal."""
    if not isinstance(measurement, Measurement):
        raise TypeError(f"returned {type(measurement).__name__}, not a Measurement")
    check_numbers(measurement.numerator, measurement.denominator, measurement.value)
    if measurement.basis not in ("counts", "rate", "none"):
        raise TypeError(f"basis is {measurement.basis!r}, not 'counts', 'rate' or 'none'")
    return measurement


def check_numbers(numerator: object, denominator: object, value: object) -> None:
    """Counts are ``int`` and values ``Fraction`` (exact), or ``None``. Internal."""
    for name, number in (("numerator", numerator), ("denominator", denominator)):
        if number is not None and (type(number) is not int):
            raise TypeError(f"{name} is {number!r}, not a whole number (int) or None")
    if value is not None and (isinstance(value, bool) or not isinstance(value, Fraction | int)):
        raise TypeError(f"value is {value!r} ({type(value).__name__}), not an exact Fraction or None")


@runtime_checkable
class Evaluator(Protocol):
    """Computes an indicator's :class:`Measurement` from a unit's data for a period.

    An evaluator has a ``name`` (what plans refer to) and a ``measure`` method. It must be pure:
    the same inputs give the same measurement. Register third-party evaluators in the entry-point
    group ``dvctt_rules.evaluators``.
    """

    name: str

    def measure(self, indicator: IndicatorSpec, data: UnitData) -> Measurement:
        """The indicator's measurement on ``data``."""
        ...


def _sum(names: tuple[str, ...], counts: Mapping[str, int | None]) -> tuple[int | None, tuple[str, ...]]:
    total = 0
    for name in names:
        value = counts.get(name)
        if value is None:
            return None, tuple(name for name in names if counts.get(name) is None)
        total += value
    return total, ()


@attrs.frozen
class RatioOfSums:
    """``sum(numerator) / sum(denominator)`` from counts, exactly.

    When a needed count is unknown and the data holds a reported rate for the indicator (a rate
    column named like the indicator), that rate is used, with basis ``"rate"``. A zero denominator
    is no data.
    """

    name: str = "ratio_of_sums"

    def measure(self, indicator: IndicatorSpec, data: UnitData) -> Measurement:
        numerator, missing_num = _sum(indicator.numerator, data.counts)
        denominator, missing_den = _sum(indicator.denominator, data.counts)
        missing = tuple(dict.fromkeys(missing_num + missing_den))
        if numerator is not None and denominator is not None:
            if denominator == 0:
                return Measurement(numerator, denominator, None, "none")
            return Measurement(numerator, denominator, Fraction(numerator, denominator), "counts")
        rate = data.rates.get(indicator.id)
        if rate is not None:
            return Measurement(None, None, rate, "rate", missing)
        return Measurement.nothing(missing)


@attrs.frozen
class ZeroCount:
    """A count that must be zero: the value is ``sum(numerator)`` as a whole number."""

    name: str = "zero_count"

    def measure(self, indicator: IndicatorSpec, data: UnitData) -> Measurement:
        count, missing = _sum(indicator.numerator, data.counts)
        if count is None:
            return Measurement.nothing(missing)
        return Measurement(count, None, Fraction(count), "counts")


@attrs.frozen
class RateOnly:
    """A reported rate without counts (the plan's own "current" column): the rate column named
    like the indicator."""

    name: str = "rate"

    def measure(self, indicator: IndicatorSpec, data: UnitData) -> Measurement:
        rate = data.rates.get(indicator.id)
        if rate is None:
            return Measurement.nothing((indicator.id,))
        return Measurement(None, None, rate, "rate")


def check_evaluator(plugin: object) -> Evaluator:
    """Accept an evaluator, or a class or factory that makes one without arguments.

    Raises ``TypeError`` saying what is missing.
    """
    candidate = plugin
    if inspect.isclass(plugin) or (callable(plugin) and not hasattr(plugin, "measure")):
        try:
            candidate = plugin()
        except TypeError as exc:
            raise TypeError(f"it must be an evaluator or a class that takes no arguments ({exc})") from None
    if not isinstance(candidate, Evaluator):
        raise TypeError("an evaluator needs a `name` string and a `measure(indicator, data)` method")
    if not isinstance(candidate.name, str) or not candidate.name:
        raise TypeError("an evaluator's `name` must be a non-empty string")
    return candidate


#: The evaluator registry: built-ins first, then the ``dvctt_rules.evaluators`` entry points.
EVALUATORS: Registry[Evaluator] = Registry("evaluator", "dvctt_rules.evaluators", check_evaluator)
for _builtin in (RatioOfSums(), ZeroCount(), RateOnly()):
    EVALUATORS.register(_builtin, origin="built-in")
