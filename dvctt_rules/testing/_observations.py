"""Hypothesis strategies for observations: periods, counts that respect the catalog's relations, whole
data sets consistent with a hierarchy, and the plain records a loader takes."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ..hierarchy import Hierarchy
from ..observations import (
    DEFAULT_CATALOG,
    MeasureCatalog,
    Observation,
    Observations,
    Period,
    observations_to_records,
)
from ..observations._values import COUNT_DIGITS
from ..rules import INDICATORS
from ._common import check_rate, some_of
from ._hierarchies import spellings

__all__ = [
    "cells",
    "count_values",
    "notes",
    "observation_records",
    "observations",
    "period_sets",
    "periods",
    "rate_values",
    "zero_denominator_groups",
]

_RARE = st.integers(0, 3).map(lambda n: n == 0)  # true one time in four
_HOW = st.sampled_from(["none", "none", "quarter", "months"])
_MONTHS = st.lists(st.integers(1, 3), min_size=1, max_size=3, unique=True)

PeriodsArg = Period | Sequence[Period] | st.SearchStrategy[Sequence[Period]] | None


def periods(min_year: int = 1, max_year: int = 9999) -> st.SearchStrategy[Period]:
    """Any year, quarter or month of the years ``min_year`` to ``max_year`` (1 to 9999)."""
    if not 1 <= min_year <= max_year <= 9999:
        raise InvalidArgument(f"need 1 <= min_year <= max_year <= 9999, got {min_year}, {max_year}")
    years = st.integers(min_year, max_year)
    return st.one_of(
        years.map(Period),
        st.builds(lambda y, q: Period(y, quarter=q), years, st.integers(1, 4)),
        st.builds(lambda y, m: Period(y, month=m), years, st.integers(1, 12)),
    )


@st.composite
def period_sets(draw: st.DrawFn, years: Sequence[int] = (2024,)) -> list[Period]:
    """The periods one unit reports: for some of ``years`` (at least one) either the whole year, or per
    quarter nothing, the quarter, or some of its months. Never two overlapping periods; never empty."""
    if not years:
        raise InvalidArgument("years must not be empty")
    chosen: list[Period] = []
    for year in draw(st.lists(st.sampled_from(list(years)), min_size=1, unique=True)):
        if draw(_RARE):
            chosen.append(Period(year))
            continue
        for quarter in range(1, 5):
            how = draw(_HOW)
            if how == "quarter":
                chosen.append(Period(year, quarter=quarter))
            elif how == "months":
                chosen += [Period(year, month=3 * (quarter - 1) + m) for m in draw(_MONTHS)]
    return chosen or [Period(years[0])]


def zero_denominator_groups(
    catalog: MeasureCatalog = DEFAULT_CATALOG, measures: Sequence[str] | None = None
) -> tuple[tuple[str, ...], ...]:
    """The sets of counts that are a denominator: the whole of each part-of relation of ``catalog`` and
    the denominator of each built-in ratio indicator, limited to ``measures`` (default: all).

    >>> zero_denominator_groups()[0]
    ('payments_total',)
    """
    allowed = set(catalog.counts() if measures is None else measures) & set(catalog.counts())
    groups = [relation.whole for relation in catalog.relations]
    groups += [i.denominator for i in INDICATORS.values() if i.kind == "ratio"]
    return tuple(g for g in dict.fromkeys(groups) if set(g) <= allowed)


def _fix_relations(values: dict[str, int | None], catalog: MeasureCatalog) -> dict[str, int | None]:
    """Lower parts to their whole until every relation holds (parts only go down, so this ends)."""
    changed = True
    while changed:
        changed = False
        for relation in catalog.relations:
            broken = relation.violation(values)
            if broken:
                values[relation.part] = broken[1]
                changed = True
    return values


def _measure_names(catalog: MeasureCatalog, measures: Sequence[str] | None) -> tuple[str, ...]:
    if measures is None:
        return catalog.names
    unknown = [name for name in measures if name not in catalog]
    if unknown:
        raise InvalidArgument(f"measures not in the catalog: {unknown}")
    return tuple(dict.fromkeys(measures))


def count_values(
    catalog: MeasureCatalog = DEFAULT_CATALOG,
    *,
    measures: Sequence[str] | None = None,
    unknown_rate: float = 0.1,
    zero_denominator_rate: float = 0.05,
    max_count: int = 10**6,
) -> st.SearchStrategy[dict[str, int | None]]:
    """One row's counts: every count of ``measures`` (default: all counts of ``catalog``).

    Each value is ``None`` (unknown) about ``unknown_rate`` of the time, else a whole number from 0 to
    ``max_count`` (below 10¹⁸; small ones often, so ratios hit targets exactly). About
    ``zero_denominator_rate`` of the time each of :func:`zero_denominator_groups` is all zero.
    Guarantees: every part-of relation of ``catalog`` holds (a part is at most the sum of its whole
    where all are known).
    """
    check_rate("unknown_rate", unknown_rate)
    check_rate("zero_denominator_rate", zero_denominator_rate)
    if not 0 <= max_count < 10**COUNT_DIGITS:
        raise InvalidArgument(
            f"max_count must be from 0 to 10**{COUNT_DIGITS} - 1 (the loaders read a count of at most "
            f"{COUNT_DIGITS} digits), got {max_count}"
        )
    names = tuple(name for name in _measure_names(catalog, measures) if catalog.get(name).kind == "count")
    return _counts(catalog, names, unknown_rate, zero_denominator_rate, max_count)


@functools.cache
def _counts(
    catalog: MeasureCatalog, names: tuple[str, ...], unknown_rate: float, zero_rate: float, max_count: int
) -> st.SearchStrategy[dict[str, int | None]]:
    groups = zero_denominator_groups(catalog, names)
    # Small counts often, so that ratios are often round (1/2, 3/4, 1) and land exactly on targets.
    number = (
        st.integers(0, min(4, max_count)) | st.integers(0, min(20, max_count)) | st.integers(0, max_count)
    )
    unknown = some_of(names, unknown_rate)
    zero = some_of(groups, zero_rate)

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, int | None]:
        missing = draw(unknown)
        values: dict[str, int | None] = {name: None if name in missing else draw(number) for name in names}
        for group in draw(zero):  # zero what is known: an unknown value stays unknown (unknown_rate=1)
            values.update((name, 0) for name in group if values[name] is not None)
        return _fix_relations(values, catalog)

    return build()


def rate_values(
    catalog: MeasureCatalog = DEFAULT_CATALOG,
    *,
    measures: Sequence[str] | None = None,
    unknown_rate: float = 0.1,
) -> st.SearchStrategy[dict[str, Fraction | None]]:
    """One row's rates: every rate of ``measures`` (default: all rates of ``catalog``) as an exact
    proportion whose percentage has at most four decimals (so files hold it exactly), or ``None``
    about ``unknown_rate`` of the time."""
    check_rate("unknown_rate", unknown_rate)
    names = tuple(name for name in _measure_names(catalog, measures) if catalog.get(name).kind == "rate")
    return _rates(names, unknown_rate)


def _with_places(places: int) -> st.SearchStrategy[Fraction]:
    return st.integers(0, 100 * 10**places).map(lambda n: Fraction(n, 10**places))


# Percentages with 0 to 4 decimals (built once: a flatmap would make new strategies on every draw).
_PERCENTS = st.one_of([_with_places(places) for places in range(5)])


@functools.cache
def _rates(names: tuple[str, ...], unknown_rate: float) -> st.SearchStrategy[dict[str, Fraction | None]]:
    unknown = some_of(names, unknown_rate)

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Fraction | None]:
        missing = draw(unknown)
        return {name: None if name in missing else draw(_PERCENTS) / 100 for name in names}

    return build()


_NOTES: st.SearchStrategy[str | None] = st.none() | st.text(
    st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(["\n", ",", '"', "ơ", "Đ"]),
    max_size=20,
)


def notes() -> st.SearchStrategy[str | None]:
    """Free-text notes or ``None``: Vietnamese, commas, quotes and line breaks."""
    return _NOTES


_DEFAULT_PERIODS = period_sets()


def _period_strategy(value: PeriodsArg) -> st.SearchStrategy[Sequence[Period]]:
    if value is None:
        return _DEFAULT_PERIODS
    if isinstance(value, Period):
        return st.just((value,))
    if isinstance(value, st.SearchStrategy):
        return value
    candidates = list(dict.fromkeys(value))
    if not candidates or not all(isinstance(p, Period) for p in candidates):
        raise InvalidArgument(
            f"periods must be Periods, a non-empty sequence of them or a strategy, got {value!r}"
        )
    return st.lists(st.sampled_from(candidates), min_size=1, unique=True)


def _without_overlaps(chosen: Sequence[Period]) -> list[Period]:
    kept: list[Period] = []
    for period in chosen:
        if not any(period.overlaps(other) for other in kept):
            kept.append(period)
    return kept


@st.composite
def observations(
    draw: st.DrawFn,
    hierarchy: Hierarchy,
    *,
    periods: PeriodsArg = None,
    catalog: MeasureCatalog = DEFAULT_CATALOG,
    measures: Sequence[str] | None = None,
    unknown_rate: float = 0.1,
    zero_denominator_rate: float = 0.05,
    max_count: int = 10**6,
    min_units: int = 1,
    max_units: int | None = 5,
    notes: bool = True,
) -> Observations:
    """Valid observations of some units of ``hierarchy``.

    Parameters:
        hierarchy: the units to report for (any of its units, root included).
        periods: what each unit reports for: a :class:`~dvctt_rules.observations.Period`; a sequence
            of periods to choose from (``Period(2024).months()``: monthly data); a strategy of
            period lists (:func:`period_sets`); ``None``: ``period_sets()``, 2024 as the year, its
            quarters or its months, mixed. A unit reports for one or more of them.
        catalog, measures: the measures a row holds (default: every count and rate of ``catalog``).
        unknown_rate: how often a value is unknown (``None``); see :func:`count_values`.
        zero_denominator_rate: how often a denominator's counts are all zero in a row.
        max_count: the largest count.
        min_units, max_units: how many units report (``max_units=None``: up to every unit).
        notes: whether rows may have a free-text note (:func:`notes`).

    Guarantees: an :class:`~dvctt_rules.observations.Observations` with ``catalog`` and
    ``hierarchy``; no unit reports two overlapping periods; every part-of relation holds on every
    row (``payments_online ≤ payments_total``, ``results_synced ≤ resolved_*``, ``services_full ≤
    services_online``, …), so every ratio of a built-in indicator is at most 1; rates are exact
    with a finite decimal percentage, so the data survive ``observations_to_csv``/``_json`` and
    loading back.
    """
    if min_units < 0 or (max_units is not None and max_units < min_units):
        raise InvalidArgument(f"need 0 <= min_units <= max_units, got {min_units=}, {max_units=}")
    units = list(hierarchy)
    if min_units > len(units):
        raise InvalidArgument(f"min_units={min_units} but the hierarchy has {len(units)} units")
    per_unit = _period_strategy(periods)
    counts = count_values(
        catalog,
        measures=measures,
        unknown_rate=unknown_rate,
        zero_denominator_rate=zero_denominator_rate,
        max_count=max_count,
    )
    rates = rate_values(catalog, measures=measures, unknown_rate=unknown_rate)
    chosen = draw(
        st.lists(
            st.sampled_from(units),
            unique_by=lambda u: u.id,
            min_size=min_units,
            max_size=len(units) if max_units is None else min(max_units, len(units)),
        )
    )
    items = []
    for unit in chosen:
        for period in _without_overlaps(draw(per_unit)):
            note = draw(_NOTES) if notes else None
            items.append(Observation(unit.id, period, counts=draw(counts), rates=draw(rates), note=note))
    return Observations(items, catalog=catalog, hierarchy=hierarchy)


def _respell(draw: st.DrawFn, hierarchy: Hierarchy, record: dict[str, Any], rates: set[str]) -> None:
    unit = hierarchy.lookup(str(record["unit"]))  # the id, or a name that finds the unit
    record["unit"] = draw(st.sampled_from(spellings(hierarchy, unit)))
    for name, value in list(record.items()):
        if name in ("unit", "period"):
            continue
        written: list[Any] = [value]
        if isinstance(value, str) and name in rates:
            written = [value, value.replace(".", ","), value + " %", Decimal(value)]
        elif isinstance(value, int):
            written = [value, str(value), f" {value} "]
        elif value is None and name != "note":
            written = [None, "", "-", " - "]
        record[name] = draw(st.sampled_from(written))


def observation_records(
    hierarchy: Hierarchy,
    *,
    respell: bool = True,
    periods: PeriodsArg = None,
    catalog: MeasureCatalog = DEFAULT_CATALOG,
    measures: Sequence[str] | None = None,
    unknown_rate: float = 0.1,
    zero_denominator_rate: float = 0.05,
    max_count: int = 10**6,
    min_units: int = 1,
    max_units: int | None = 5,
    notes: bool = True,
) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Plain records as a CSV or JSON loader would take them: one ``dict`` per row with ``unit``,
    ``period``, the measures and ``note``.

    The data are drawn by :func:`observations` (the other parameters are its own). Counts are
    ``int``; rates percentages as text (``"99.4"``); unknown values ``None``. With ``respell`` each
    cell is written in one of the forms the loaders accept: the unit by id or by a name that finds
    it (any case, without diacritics, padded), counts as digit text, rates with a decimal comma,
    ``" %"`` or as a ``Decimal`` number (as the JSON reader gives), unknown as ``""`` or ``"-"``.

    Guarantees: ``observations_from_records(records, hierarchy, catalog=catalog)`` loads them without
    a problem, equal to the drawn observations.
    """
    drawn = observations(
        hierarchy,
        periods=periods,
        catalog=catalog,
        measures=measures,
        unknown_rate=unknown_rate,
        zero_denominator_rate=zero_denominator_rate,
        max_count=max_count,
        min_units=min_units,
        max_units=max_units,
        notes=notes,
    )

    @st.composite
    def build(draw: st.DrawFn) -> list[dict[str, Any]]:
        obs = draw(drawn)
        records: list[dict[str, Any]] = [dict(r) for r in observations_to_records(obs, hierarchy)]
        if respell:
            rates = set(obs.catalog.rates())
            for record in records:
                _respell(draw, hierarchy, record, rates)
        return records

    return build()


def cells() -> st.SearchStrategy[Any]:
    """Anything a record's cell might hold, for fuzzing loaders: text (numbers in any style, periods,
    names), ints, floats (NaN, infinities), fractions, decimals, ``None``, booleans and nested lists."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**20), 10**20),
        st.floats(allow_nan=True, allow_infinity=True),
        st.fractions(),
        st.decimals(allow_nan=True, allow_infinity=True),
        st.text(max_size=12),
        st.sampled_from(["-", "", "1.200", "99,4", "2024-Q5", "1e999", "NaN", "100 %", "Chánh Mỹ", "2024"]),
    )
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=2), max_leaves=3)
