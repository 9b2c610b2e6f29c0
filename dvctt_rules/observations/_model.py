"""Observations: what a unit reported for a period, collections of them, and totals over a period."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import attrs

from .._errors import DataError, Problem
from ..hierarchy import Hierarchy, Unit
from ._measures import DEFAULT_CATALOG, MeasureCatalog
from ._periods import Period

__all__ = ["LoadReport", "Observation", "Observations", "Totals", "conflicts"]

Value = int | Fraction


def _pairs(values: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> list[tuple[str, Any]]:
    items = list(values.items() if isinstance(values, Mapping) else values)
    names = [name for name, _ in items]
    if len(set(names)) != len(names):
        raise DataError([Problem(f"a measure is given twice in {names!r}", hint="give each measure once")])
    return [(name, value) for name, value in items if value is not None]


def _counts(
    values: Mapping[str, int | None] | Iterable[tuple[str, int | None]],
) -> tuple[tuple[str, int], ...]:
    pairs = _pairs(values)
    for name, value in pairs:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"count {name!r} must be an int, got {type(value).__name__} {value!r}")
        if value < 0:
            raise DataError(
                [Problem(f"count {name!r} is negative", value=str(value), hint="counts are >= 0")]
            )
    return tuple(sorted(pairs))


def _rates(
    values: Mapping[str, Fraction | int | None] | Iterable[tuple[str, Fraction | int | None]],
) -> tuple[tuple[str, Fraction], ...]:
    pairs = _pairs(values)
    for name, value in pairs:
        if isinstance(value, bool) or not isinstance(value, Fraction | int):
            raise TypeError(
                f"rate {name!r} must be a Fraction proportion (0..1), got {type(value).__name__} {value!r}"
            )
        if not 0 <= value <= 1:
            raise DataError(
                [
                    Problem(
                        f"rate {name!r} is outside 0..1",
                        value=str(value),
                        hint="rates are proportions: Fraction(994, 1000) for 99,4 %",
                    )
                ]
            )
    return tuple(sorted((name, Fraction(value)) for name, value in pairs))


def _note(value: str | None) -> str | None:
    if value is None:
        return None
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    return text or None


@attrs.frozen
class Observation:
    """What one unit reported for one period: known counts and rates, and an optional note.

    Only known values are kept: an unknown value (``None``, a blank cell) and a measure that was not
    reported are the same thing, and ``get`` returns ``None`` for both, never 0. Values are sorted by
    name. Counts are ``int`` ≥ 0; rates are ``Fraction`` proportions 0..1.

    >>> obs = Observation("25774", Period.parse("2024-03"),
    ...                   counts={"received_online": 120, "received_direct": None},
    ...                   rates={"online_dossier_rate": Fraction(994, 1000)})
    >>> obs.counts, obs.get("received_direct"), obs.has_counts
    ((('received_online', 120),), None, True)
    """

    unit: str
    period: Period = attrs.field(validator=attrs.validators.instance_of(Period))
    counts: tuple[tuple[str, int], ...] = attrs.field(default=(), converter=_counts)
    rates: tuple[tuple[str, Fraction], ...] = attrs.field(default=(), converter=_rates)
    note: str | None = attrs.field(default=None, converter=_note)

    def __attrs_post_init__(self) -> None:
        both = set(dict(self.counts)) & set(dict(self.rates))
        if both:
            raise DataError([Problem(f"{sorted(both)!r} given both as counts and as rates")])

    def count(self, name: str) -> int | None:
        """The count ``name``, or ``None`` when unknown."""
        return dict(self.counts).get(name)

    def rate(self, name: str) -> Fraction | None:
        """The rate ``name`` (a proportion), or ``None`` when unknown."""
        return dict(self.rates).get(name)

    def get(self, name: str) -> Value | None:
        """The count or rate ``name``, or ``None`` when unknown."""
        return self.values.get(name)

    @property
    def values(self) -> Mapping[str, Value]:
        """Every known value by name (a read-only view)."""
        return MappingProxyType(dict(sorted((*self.counts, *self.rates))))

    @property
    def measures(self) -> tuple[str, ...]:
        """The names of the known values, sorted."""
        return tuple(sorted(name for name, _ in (*self.counts, *self.rates)))

    @property
    def has_counts(self) -> bool:
        """Whether any count is known (an observation may hold only rates)."""
        return bool(self.counts)


def _read_only(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


@attrs.frozen
class Totals:
    """A unit's values over a period, accumulated from the observed sub-periods inside it.

    ``counts`` and ``rates`` map each measure reported in a contributing row to its value, ``None``
    when unknown. ``observed`` lists the periods that contributed, ``overlapping`` those that overlap
    the period without lying inside it (they cannot be split, so they are left out). A unit without
    data has empty ``observed`` and empty mappings.
    """

    unit: str
    period: Period | None
    counts: Mapping[str, int | None] = attrs.field(converter=_read_only, hash=False)
    rates: Mapping[str, Fraction | None] = attrs.field(converter=_read_only, hash=False)
    observed: tuple[Period, ...] = ()
    overlapping: tuple[Period, ...] = ()

    def get(self, name: str) -> Value | None:
        """The count or rate ``name``, ``None`` when unknown or not reported."""
        return self.counts.get(name, self.rates.get(name))

    @property
    def has_data(self) -> bool:
        """Whether any observed period contributed."""
        return bool(self.observed)

    @property
    def has_counts(self) -> bool:
        """Whether any count is known."""
        return any(value is not None for value in self.counts.values())


@attrs.frozen
class LoadReport:
    """What a loader read: nothing is dropped silently.

    ``rows_read`` counts the data rows (or records) of the source, ``rows_used`` those that became
    observations (a loader either uses every row or raises), ``columns`` the measures the source
    declares, ``units_without_data`` the hierarchy's units with no row, in hierarchy order.
    """

    source: str
    rows_read: int
    rows_used: int
    units_without_data: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()


def conflicts(keys: Sequence[tuple[str, Period]]) -> list[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j``, of positions with the same unit and overlapping periods.

    Each position that conflicts with an earlier-sorted one appears once, paired with it; an equal
    period is a duplicate. Runs in ``O(n log n)``.

    >>> conflicts([("a", Period.parse("2024-Q1")), ("a", Period.parse("2024-04")),
    ...            ("a", Period.parse("2024-03"))])
    [(0, 2)]
    """
    found: list[tuple[int, int]] = []
    order = sorted(range(len(keys)), key=lambda i: (keys[i][0], keys[i][1], i))
    widest: int | None = None
    for position in order:
        unit, period = keys[position]
        if widest is not None and keys[widest][0] == unit and keys[widest][1].overlaps(period):
            found.append((min(widest, position), max(widest, position)))
            if keys[widest][1].contains(period):
                continue
        widest = position
    return sorted(found)


class Observations:
    """An immutable, validated collection of observations, at most one per (unit, period).

    Iteration follows the hierarchy's order (by unit id without a hierarchy), then the period.
    The constructor raises :class:`~dvctt_rules.DataError` listing every problem: a measure the
    catalog does not know or of the wrong kind, a part larger than its whole, a unit the hierarchy
    does not have, and one unit with overlapping periods (a month and its quarter would count twice).
    Two collections are equal when they hold the same observations and catalog; the hierarchy and
    the load report are not compared.
    """

    def __init__(
        self,
        observations: Iterable[Observation] = (),
        *,
        catalog: MeasureCatalog = DEFAULT_CATALOG,
        hierarchy: Hierarchy | None = None,
        report: LoadReport | None = None,
    ) -> None:
        items = list(observations)
        self._catalog = catalog
        self._hierarchy = hierarchy
        self._report = report
        _validate(items, catalog, hierarchy)
        if hierarchy is not None:
            items.sort(key=lambda o: (hierarchy.sort_key(o.unit), o.period))
        else:
            items.sort(key=lambda o: (o.unit, o.period))
        self._items: tuple[Observation, ...] = tuple(items)
        self._by_unit: dict[str, list[Observation]] = {}
        for item in self._items:
            self._by_unit.setdefault(item.unit, []).append(item)

    @property
    def catalog(self) -> MeasureCatalog:
        """The measures the data were checked against."""
        return self._catalog

    @property
    def hierarchy(self) -> Hierarchy | None:
        """The hierarchy the units belong to, if one was given."""
        return self._hierarchy

    @property
    def report(self) -> LoadReport | None:
        """What the loader read (``None`` for collections built in code)."""
        return self._report

    def __iter__(self) -> Iterator[Observation]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Observations):
            return NotImplemented
        return self._catalog == other._catalog and set(self._items) == set(other._items)

    __hash__ = None  # type: ignore[assignment]  # equal by value, holds dicts

    def __repr__(self) -> str:
        return (
            f"<Observations: {len(self)} rows, {len(self._by_unit)} units, {len(self.periods())} periods, "
            f"{len(self.measures())} measures>"
        )

    def units(self) -> tuple[str, ...]:
        """The ids of the units with data, in order."""
        return tuple(self._by_unit)

    def periods(self) -> tuple[Period, ...]:
        """The distinct periods observed, sorted."""
        return tuple(sorted({item.period for item in self._items}))

    def measures(self) -> tuple[str, ...]:
        """The measures with at least one known value, in catalog order."""
        present = {name for item in self._items for name in item.measures}
        return tuple(name for name in self._catalog.names if name in present)

    def for_unit(self, unit: Unit | str) -> tuple[Observation, ...]:
        """The unit's observations, by period."""
        return tuple(self._by_unit.get(self._unit_id(unit), ()))

    def get(self, unit: Unit | str, period: Period) -> Observation | None:
        """The observation of exactly this unit and period, if any."""
        return next((o for o in self.for_unit(unit) if o.period == period), None)

    def units_without_data(self) -> tuple[str, ...]:
        """The hierarchy's units with no observation (empty without a hierarchy)."""
        if self._hierarchy is None:
            return ()
        return tuple(unit.id for unit in self._hierarchy if unit.id not in self._by_unit)

    def _unit_id(self, unit: Unit | str) -> str:
        unit_id = unit.id if isinstance(unit, Unit) else unit
        if self._hierarchy is not None:
            self._hierarchy[unit_id]  # raises UnknownUnitError with suggestions
        return unit_id

    def totals(self, unit: Unit | str, period: Period | None = None) -> Totals:
        """The unit's values over ``period`` (``None``: all its data), from the sub-periods inside it.

        Each measure accumulates as its :attr:`~Measure.over_time` says: flows are summed, stocks take
        the latest observed sub-period, rates and other ``"single"`` measures are known only when
        exactly one sub-period is observed (a rate of several periods must be derived from counts).
        A sum with any unknown part (``None``, or a measure a contributing row lacks) is unknown.

        >>> obs = Observations([
        ...     Observation("u", Period.parse("2024-01"),
        ...                 counts={"received_online": 10, "payments_total": 4}),
        ...     Observation("u", Period.parse("2024-02"), counts={"received_online": 5}),
        ... ])
        >>> t = obs.totals("u", Period.parse("2024-Q1"))
        >>> dict(t.counts), [str(p) for p in t.observed]
        ({'received_online': 15, 'payments_total': None}, ['2024-01', '2024-02'])
        """
        rows = self.for_unit(unit)
        inside = [o for o in rows if period is None or period.contains(o.period)]
        across = tuple(
            o.period
            for o in rows
            if period is not None and not period.contains(o.period) and period.overlaps(o.period)
        )
        counts: dict[str, int | None] = {}
        rates: dict[str, Fraction | None] = {}
        for name in self._catalog.names:
            if not any(name in o.measures for o in inside):
                continue
            measure = self._catalog.get(name)
            values = [o.get(name) for o in inside]
            total: Value | None
            if measure.over_time == "sum":
                total = None if None in values else sum(v for v in values if v is not None)
            elif measure.over_time == "last":
                total = values[-1]
            else:
                total = values[0] if len(values) == 1 else None
            if measure.kind == "count":
                counts[name] = None if total is None else int(total)
            else:
                rates[name] = None if total is None else Fraction(total)
        return Totals(self._unit_id(unit), period, counts, rates, tuple(o.period for o in inside), across)

    def filter(self, units: Iterable[Unit | str] | None = None, period: Period | None = None) -> Observations:
        """A new collection with the rows of ``units`` whose period lies inside ``period``."""
        wanted = None if units is None else {u.id if isinstance(u, Unit) else u for u in units}
        kept = [
            o
            for o in self._items
            if (wanted is None or o.unit in wanted) and (period is None or period.contains(o.period))
        ]
        return Observations(kept, catalog=self._catalog, hierarchy=self._hierarchy)

    def merge(self, other: Iterable[Observation]) -> Observations:
        """A new collection with the rows of both, checked again (overlaps raise); this one is not changed."""
        return Observations([*self._items, *other], catalog=self._catalog, hierarchy=self._hierarchy)


def _validate(items: list[Observation], catalog: MeasureCatalog, hierarchy: Hierarchy | None) -> None:
    problems: list[Problem] = []
    for item in items:
        if not isinstance(item, Observation):
            raise TypeError(f"expected Observation, got {type(item).__name__}")
        where = f"unit {item.unit!r}, period {item.period}"
        if hierarchy is not None and item.unit not in hierarchy:
            problems.append(
                Problem(f"{where}: the hierarchy has no such unit", hint="use a unit id of the hierarchy")
            )
        for kind, pairs in (("count", item.counts), ("rate", item.rates)):
            for name, _ in pairs:
                if name not in catalog:
                    problems.append(
                        Problem(
                            f"{where}: unknown measure {name!r}",
                            column=name,
                            hint="declare it in the catalog (MeasureCatalog.extend)",
                        )
                    )
                elif catalog.get(name).kind != kind:
                    problems.append(
                        Problem(
                            f"{where}: {name!r} is a {catalog.get(name).kind}, given as a {kind}", column=name
                        )
                    )
        counts = dict(item.counts)
        for relation in catalog.relations:
            broken = relation.violation(counts)
            if broken:
                problems.append(
                    Problem(
                        f"{where}: {relation.part} ({broken[0]}) is larger than "
                        f"{' + '.join(relation.whole)} ({broken[1]})",
                        column=relation.part,
                    )
                )
    keys = [(item.unit, item.period) for item in items]
    for first, second in conflicts(keys):
        a, b = items[first], items[second]
        what = "duplicate" if a.period == b.period else f"overlaps {a.period}"
        problems.append(
            Problem(
                f"unit {b.unit!r}, period {b.period}: {what}",
                hint="give each unit one row per period, and a quarter or its months, not both",
            )
        )
    if problems:
        raise DataError(
            problems,
            summary=f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in the observations",
        )
