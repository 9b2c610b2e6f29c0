"""Observations: what a unit reported for a period, collections of them, and totals over a period."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import attrs

from .._errors import HIERARCHY_HINT, DataError, Problem, described, refuse_non_text, refuse_text, refuse_type
from ..hierarchy import Hierarchy, Unit
from ._measures import DEFAULT_CATALOG, MeasureCatalog
from ._periods import Period, period_argument

__all__ = ["LoadReport", "Observation", "Observations", "Totals", "conflicts"]

Value = int | Fraction


def _pairs(values: Mapping[str, Any] | Iterable[tuple[str, Any]] | None, field: str) -> list[tuple[str, Any]]:
    if values is None:  # none known, as an empty mapping
        return []
    try:
        if isinstance(values, str | bytes):
            raise TypeError
        items = list(values.items() if isinstance(values, Mapping) else values)
    except TypeError:  # a text, or not iterable: 5, a Fraction
        raise TypeError(
            f"Observation.{field} must be a mapping of measure name → value, got {described(values)}; "
            "write {'received_online': 120}"
        ) from None
    names = [name for name, _ in items]
    if len(set(names)) != len(names):
        raise DataError([Problem(f"a measure is given twice in {names!r}", hint="give each measure once")])
    return [(name, value) for name, value in items if value is not None]


def _counts(
    values: Mapping[str, int | None] | Iterable[tuple[str, int | None]] | None,
) -> tuple[tuple[str, int], ...]:
    pairs = _pairs(values, "counts")
    for name, value in pairs:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"count {name!r} must be an int, got {type(value).__name__} {value!r}")
        if value < 0:
            raise DataError(
                [Problem(f"count {name!r} is negative", value=str(value), hint="counts are >= 0")]
            )
    return tuple(sorted(pairs))


def _rates(
    values: Mapping[str, Fraction | int | None] | Iterable[tuple[str, Fraction | int | None]] | None,
) -> tuple[tuple[str, Fraction], ...]:
    pairs = _pairs(values, "rates")
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
    refuse_non_text(value, "Observation.note", "text or None", "write the note as text")  # 5 became '5'
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return text or None


def _unit_text(instance: object, attribute: object, value: str) -> None:
    refuse_non_text(value, "Observation.unit", "a unit id")  # a Unit would be kept as a key no lookup finds


def _period(value: Period | str) -> Period:
    return period_argument(value, "Observation.period")


@attrs.frozen
class Observation:
    """What one unit reported for one period: known counts and rates, and an optional note.

    Only known values are kept: an unknown value (``None``, a blank cell) and a measure that was not
    reported are the same thing, and ``get`` returns ``None`` for both, never 0. Values are sorted by
    name. Counts are ``int`` ≥ 0; rates are ``Fraction`` proportions 0..1. ``period`` is a
    :class:`Period` or its text (``"2024-03"``).

    >>> obs = Observation("25774", Period.parse("2024-03"),
    ...                   counts={"received_online": 120, "received_direct": None},
    ...                   rates={"online_dossier_rate": Fraction(994, 1000)})
    >>> obs.counts, obs.get("received_direct"), obs.has_counts
    ((('received_online', 120),), None, True)
    """

    unit: str = attrs.field(validator=_unit_text)  # an id, not a Unit
    period: Period = attrs.field(converter=_period)
    counts: tuple[tuple[str, int], ...] = attrs.field(default=(), converter=_counts)
    rates: tuple[tuple[str, Fraction], ...] = attrs.field(default=(), converter=_rates)
    note: str | None = attrs.field(default=None, converter=_note)

    def __attrs_post_init__(self) -> None:
        both = set(dict(self.counts)) & set(dict(self.rates))
        if both:
            raise DataError([Problem(f"{sorted(both)!r} given both as counts and as rates")])

    @classmethod
    def _trusted(
        cls,
        unit: str,
        period: Period,
        counts: tuple[tuple[str, int], ...],
        rates: tuple[tuple[str, Fraction], ...],
        note: str | None,
    ) -> Observation:
        """An observation from values already checked and normalised (known values only, sorted by
        name, a normalised note), without the converters: for collections that hold checked data.
        Internal."""
        observation = object.__new__(cls)
        setter = object.__setattr__
        setter(observation, "unit", unit)
        setter(observation, "period", period)
        setter(observation, "counts", counts)
        setter(observation, "rates", rates)
        setter(observation, "note", note)
        return observation

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

    @classmethod
    def _trusted(
        cls,
        unit: str,
        period: Period | None,
        counts: dict[str, int | None],
        rates: dict[str, Fraction | None],
        observed: tuple[Period, ...],
        overlapping: tuple[Period, ...],
    ) -> Totals:
        """Totals from fresh dicts that nobody else holds (they are wrapped, not copied). Internal."""
        totals = object.__new__(cls)
        setter = object.__setattr__
        setter(totals, "unit", unit)
        setter(totals, "period", period)
        setter(totals, "counts", MappingProxyType(counts))
        setter(totals, "rates", MappingProxyType(rates))
        setter(totals, "observed", observed)
        setter(totals, "overlapping", overlapping)
        return totals

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
    period is a duplicate. Runs in ``O(n log n)``; a unit whose periods are distinct and all of one
    kind (all months, say) cannot conflict and is not sorted.

    >>> conflicts([("a", Period.parse("2024-Q1")), ("a", Period.parse("2024-04")),
    ...            ("a", Period.parse("2024-03"))])
    [(0, 2)]
    """
    by_unit: dict[str, list[int]] = {}
    for position, (unit, _) in enumerate(keys):
        found = by_unit.get(unit)
        if found is None:
            by_unit[unit] = [position]
        else:
            found.append(position)
    result: list[tuple[int, int]] = []
    for positions in by_unit.values():
        if len(positions) < 2:
            continue
        periods = [keys[i][1] for i in positions]
        if len({p._length for p in periods}) == 1 and len(set(periods)) == len(periods):
            continue  # distinct periods of one kind never overlap
        # Sorted by period (then position), a conflict is with the widest period still open.
        order = sorted(positions, key=lambda i: (keys[i][1]._sort, i))
        widest: int | None = None
        for position in order:
            period = keys[position][1]
            if widest is not None and keys[widest][1].overlaps(period):
                result.append((min(widest, position), max(widest, position)))
                if keys[widest][1].contains(period):
                    continue
            widest = position
    return sorted(result)


# One unit's data, column by column: its periods in order, each measure's values in that order
# (``None`` where unknown; the columns are the collection's measures), and the notes (``None`` when
# the unit has none).
_Series = tuple[tuple[Period, ...], tuple[tuple[Any, ...], ...], tuple[str | None, ...] | None]


class Observations:
    """An immutable, validated collection of observations, at most one per (unit, period).

    Iteration follows the hierarchy's order (by unit id without a hierarchy), then the period.
    The constructor raises :class:`~dvctt_rules.DataError` listing every problem: a measure the
    catalog does not know or of the wrong kind, a part larger than its whole, a unit the hierarchy
    does not have, and one unit with overlapping periods (a month and its quarter would count twice).
    Two collections are equal when they hold the same observations and catalog; the hierarchy and
    the load report are not compared.

    The values are kept column by column for each unit (plain tuples, built once); the
    :class:`Observation` objects are made when they are asked for.
    """

    def __init__(
        self,
        observations: Iterable[Observation] = (),
        *,
        catalog: MeasureCatalog = DEFAULT_CATALOG,
        hierarchy: Hierarchy | None = None,
        report: LoadReport | None = None,
    ) -> None:
        check_catalog_and_hierarchy(catalog, hierarchy, optional=True)
        items = list(observations)
        _validate(items, catalog, hierarchy)
        if hierarchy is not None:
            items.sort(key=lambda o: (hierarchy.sort_key(o.unit), o.period._sort))
        else:
            items.sort(key=lambda o: (o.unit, o.period._sort))
        present = {name for item in items for name, _ in (*item.counts, *item.rates)}
        names = tuple(name for name in catalog.names if name in present)
        grouped: dict[str, list[Observation]] = {}
        for item in items:
            grouped.setdefault(item.unit, []).append(item)
        data: dict[str, _Series] = {}
        for unit, rows in grouped.items():
            values = [dict((*row.counts, *row.rates)) for row in rows]
            notes = tuple(row.note for row in rows)
            data[unit] = (
                tuple(row.period for row in rows),
                tuple(tuple(v.get(name) for v in values) for name in names),
                notes if any(note is not None for note in notes) else None,
            )
        self._setup(catalog, hierarchy, report, names, data, len(items))

    @classmethod
    def _trusted(
        cls,
        catalog: MeasureCatalog,
        hierarchy: Hierarchy | None,
        report: LoadReport | None,
        names: tuple[str, ...],
        data: dict[str, _Series],
        size: int,
        periods: tuple[Period, ...] | None = None,
    ) -> Observations:
        """A collection from checked data already in order (units in iteration order, periods
        sorted, no overlaps, every part within its whole): for loaders that checked every row.
        ``names`` are the measures of the columns; ``periods``, when given, the distinct periods
        observed, sorted. Internal."""
        observations = object.__new__(cls)
        observations._setup(catalog, hierarchy, report, names, data, size)
        observations._periods = periods
        return observations

    def _setup(
        self,
        catalog: MeasureCatalog,
        hierarchy: Hierarchy | None,
        report: LoadReport | None,
        names: tuple[str, ...],
        data: dict[str, _Series],
        size: int,
    ) -> None:
        self._catalog = catalog
        self._hierarchy = hierarchy
        self._report = report
        self._names = names
        self._data = data
        self._size = size
        specs = [catalog.get(name) for name in names]
        self._specs: tuple[tuple[str, bool, str], ...] = tuple(
            (m.name, m.kind == "count", m.over_time) for m in specs
        )
        self._flows = tuple(i for i, m in enumerate(specs) if m.over_time == "sum")
        # Column positions sorted by measure name, for the (name-sorted) values of an Observation.
        self._count_order = tuple(sorted((m.name, i) for i, m in enumerate(specs) if m.kind == "count"))
        self._rate_order = tuple(sorted((m.name, i) for i, m in enumerate(specs) if m.kind != "count"))
        self._periods: tuple[Period, ...] | None = None
        self._measures: tuple[str, ...] | None = None
        # Column of each summed count measure, and the columns of lists of them (see _plain_sums).
        self._flow_columns = {
            m.name: i for i, m in enumerate(specs) if m.kind == "count" and m.over_time == "sum"
        }
        self._plain: dict[tuple[str, ...], tuple[int, ...] | None] = {}
        # The rows of the last unit asked about inside the last period asked for (see _rows_in).
        self._last_inside: tuple[tuple[Period, ...], Period, tuple[int, ...] | None] | None = None

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

    def _observations(self, unit: str, series: _Series) -> Iterator[Observation]:
        periods, columns, notes = series
        make = Observation._trusted
        count_order, rate_order = self._count_order, self._rate_order
        for row, period in enumerate(periods):
            counts = tuple((name, columns[i][row]) for name, i in count_order if columns[i][row] is not None)
            rates = tuple((name, columns[i][row]) for name, i in rate_order if columns[i][row] is not None)
            yield make(unit, period, counts, rates, None if notes is None else notes[row])

    def __iter__(self) -> Iterator[Observation]:
        for unit, series in self._data.items():
            yield from self._observations(unit, series)

    def __len__(self) -> int:
        return self._size

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Observations):
            return NotImplemented
        return self._catalog == other._catalog and set(self) == set(other)

    __hash__ = None  # type: ignore[assignment]  # equal by value, holds dicts

    def __repr__(self) -> str:
        return (
            f"<Observations: {len(self)} rows, {len(self._data)} units, {len(self.periods())} periods, "
            f"{len(self.measures())} measures>"
        )

    def units(self) -> tuple[str, ...]:
        """The ids of the units with data, in order."""
        return tuple(self._data)

    def periods(self) -> tuple[Period, ...]:
        """The distinct periods observed, sorted."""
        if self._periods is None:
            distinct = {period for periods, _, _ in self._data.values() for period in periods}
            self._periods = tuple(sorted(distinct))
        return self._periods

    def measures(self) -> tuple[str, ...]:
        """The measures with at least one known value, in catalog order."""
        if self._measures is None:
            unseen = set(range(len(self._names)))
            for _, columns, _ in self._data.values():
                if not unseen:
                    break
                for index in list(unseen):
                    if columns[index].count(None) != len(columns[index]):
                        unseen.discard(index)
            present = {name for index, name in enumerate(self._names) if index not in unseen}
            self._measures = tuple(name for name in self._catalog.names if name in present)
        return self._measures

    def for_unit(self, unit: Unit | str) -> tuple[Observation, ...]:
        """The unit's observations, by period."""
        unit_id = self._unit_id(unit)
        series = self._data.get(unit_id)
        if series is None:
            refuse_non_text(unit_id, "unit", "a Unit or a unit id")
            return ()
        return tuple(self._observations(unit_id, series))

    def get(self, unit: Unit | str, period: Period | str) -> Observation | None:
        """The observation of exactly this unit and ``period`` (a :class:`Period` or ``"2024-03"``),
        if any."""
        period = period_argument(period)
        return next((o for o in self.for_unit(unit) if o.period == period), None)

    def units_without_data(self) -> tuple[str, ...]:
        """The hierarchy's units with no observation (empty without a hierarchy)."""
        if self._hierarchy is None:
            return ()
        return tuple(unit.id for unit in self._hierarchy if unit.id not in self._data)

    def _unit_id(self, unit: Unit | str) -> str:
        unit_id = unit.id if isinstance(unit, Unit) else unit
        if self._hierarchy is not None and unit_id not in self._hierarchy:
            refuse_non_text(unit_id, "unit", "a Unit or a unit id")
            self._hierarchy[unit_id]  # raises UnknownUnitError with suggestions
        return unit_id

    def totals(self, unit: Unit | str, period: Period | str | None = None) -> Totals:
        """The unit's values over ``period`` (a :class:`Period` or ``"2024-Q1"``; ``None``: all its
        data), from the sub-periods inside it.

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
        if period is not None and type(period) is not Period:
            period = period_argument(period)
        unit_id = self._unit_id(unit)
        counts: dict[str, int | None] = {}
        rates: dict[str, Fraction | None] = {}
        series = self._data.get(unit_id)
        if series is None:
            refuse_non_text(unit_id, "unit", "a Unit or a unit id")
            return Totals._trusted(unit_id, period, counts, rates, (), ())
        periods, columns, _ = series
        across: tuple[Period, ...] = ()
        rows = None if period is None else self._rows_in(periods, period)
        if period is not None and rows is not None:
            across = tuple(p for p in periods if not period.contains(p) and period.overlaps(p))
            periods = tuple(periods[i] for i in rows)
            columns = tuple(tuple(column[i] for i in rows) for column in columns)
        size = len(periods)
        if size:
            flows = [columns[i] for i in self._flows]
            sums: list[int | None]
            try:
                sums = list(map(sum, flows))  # no flow has an unknown value, usually
            except TypeError:
                sums = [None if None in values else sum(values) for values in flows]
            summed = iter(sums)
            for (name, is_count, over_time), values in zip(self._specs, columns, strict=True):
                total: Any
                if over_time == "sum":
                    total = next(summed)
                elif over_time == "last":
                    total = values[-1]
                else:
                    total = values[0] if size == 1 else None
                if total is None and values.count(None) == size:
                    continue  # no contributing row knows it
                if is_count:
                    counts[name] = total
                else:
                    rates[name] = total
        return Totals._trusted(unit_id, period, counts, rates, periods, across)

    def _plain_sums(
        self, unit_id: str, names: tuple[str, ...], period: Period | None, groups: int = 0
    ) -> list[int] | None:
        """The sums of the summed count measures ``names`` over the unit's rows, as :meth:`totals`
        gives them, when that is all there is to it: the unit has rows inside ``period`` and each of
        ``names`` is a summed count known on every one of them; ``None`` otherwise (then ask
        :meth:`totals`). With ``groups`` = k > 0, the sum of the first k names then the sum of the
        others (a ratio's numerator and denominator). Internal: a fast path for evaluators."""
        try:
            columns_of = self._plain[names]
        except KeyError:
            flows = self._flow_columns
            columns_of = self._plain[names] = (
                tuple(flows[name] for name in names) if all(name in flows for name in names) else None
            )
        series = self._data.get(unit_id)
        if columns_of is None or series is None:
            return None
        periods, columns, _ = series
        rows = None if period is None else self._rows_in(periods, period)
        try:
            if rows is None:
                sums = [sum(columns[i]) for i in columns_of]
            elif rows:
                sums = [sum(map(columns[i].__getitem__, rows)) for i in columns_of]
            else:  # no row inside the period
                return None
        except TypeError:  # an unknown value: totals() says what that makes of the sum
            return None
        return [sum(sums[:groups]), sum(sums[groups:])] if groups else sums

    def _rows_in(self, periods: tuple[Period, ...], period: Period) -> tuple[int, ...] | None:
        """Which of a unit's ``periods`` lie in ``period``: ``None`` when all do, else their
        positions. The last answer is kept: a unit's indicators are measured one after another."""
        last = self._last_inside
        if last is not None and last[0] is periods and last[1] is period:
            return last[2]
        inside = tuple(i for i, observed in enumerate(periods) if period.contains(observed))
        rows = None if len(inside) == len(periods) else inside
        self._last_inside = (periods, period, rows)
        return rows

    def filter(
        self, units: Iterable[Unit | str] | None = None, period: Period | str | None = None
    ) -> Observations:
        """A new collection with the rows of ``units`` whose period lies inside ``period`` (a
        :class:`Period` or ``"2024"``)."""
        refuse_text(units, "units", "units or unit ids")
        if period is not None and type(period) is not Period:
            period = period_argument(period)
        wanted = None if units is None else {u.id if isinstance(u, Unit) else u for u in units}
        data: dict[str, _Series] = {}
        size = 0
        for unit, (periods, columns, notes) in self._data.items():
            if wanted is not None and unit not in wanted:
                continue
            rows = None if period is None else self._rows_in(periods, period)
            if rows is not None:
                if not rows:
                    continue
                periods = tuple(periods[i] for i in rows)
                columns = tuple(tuple(column[i] for i in rows) for column in columns)
                notes = None if notes is None else tuple(notes[i] for i in rows)
            data[unit] = (periods, columns, notes)
            size += len(periods)
        return Observations._trusted(self._catalog, self._hierarchy, None, self._names, data, size)

    def merge(self, other: Iterable[Observation]) -> Observations:
        """A new collection with the rows of both, checked again (overlaps raise); this one is not changed."""
        return Observations([*self, *other], catalog=self._catalog, hierarchy=self._hierarchy)


def check_catalog_and_hierarchy(catalog: object, hierarchy: object, *, optional: bool = False) -> None:
    """Refuse a ``catalog`` that is not a :class:`MeasureCatalog`, a ``hierarchy`` that is not a
    :class:`Hierarchy` (or ``None``, when ``optional``) with ``TypeError``. Internal."""
    refuse_type(
        catalog, MeasureCatalog, "catalog", "a MeasureCatalog", "extend one: DEFAULT_CATALOG.extend(measures)"
    )
    refuse_type(
        hierarchy,
        (Hierarchy, type(None)) if optional else Hierarchy,
        "hierarchy",
        "a Hierarchy" + (" or None" if optional else ""),
        HIERARCHY_HINT,
    )


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
