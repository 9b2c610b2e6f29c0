"""Loading observations from CSV, JSON and Python records, with every problem located and reported."""

from __future__ import annotations

import csv
import io
import itertools
import operator
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

import attrs

from .._errors import AmbiguousUnitError, DataError, Problem, UnknownNameError, UnknownUnitError
from .._gc import paused_gc
from .._io import CsvStream, Source, read_csv, read_text
from .._text import close_matches
from ..hierarchy import Hierarchy, Unit
from ._json import JSON_HINT, duplicate_keys, json_items, json_kind
from ._measures import DEFAULT_CATALOG, RESERVED_COLUMNS, MeasureCatalog, suggest
from ._model import LoadReport, Observation, Observations, _note, _Series, conflicts
from ._periods import Period, period_hint
from ._values import CellError, parse_count, parse_rate

__all__ = ["FORMATS", "Format", "load_observations", "observations_from_records"]

Format = Literal["csv", "json"]
FORMATS: tuple[Format, ...] = ("csv", "json")


@attrs.frozen
class _Row:
    """One record to read: where it is (``source``, and ``line`` in a file) and its cells."""

    source: str
    line: int | None
    cells: Mapping[str, object]

    def where(self) -> str:
        return self.source if self.line is None else f"line {self.line}"

    def problem(
        self, message: str, column: str | None = None, value: object = None, hint: str | None = None
    ) -> Problem:
        shown = None if value is None else value if isinstance(value, str) else str(value)
        return Problem(message, source=self.source, line=self.line, column=column, value=shown, hint=hint)


def load_observations(
    source: Source,
    hierarchy: Hierarchy,
    *,
    catalog: MeasureCatalog = DEFAULT_CATALOG,
    format: Format | None = None,
    name: str | None = None,
) -> Observations:
    """Load a CSV or JSON file of observations, checked against ``hierarchy`` and ``catalog``.

    ``format`` defaults to the file's extension (``.csv``, ``.json``), then to the content (a file that
    starts with ``[`` or ``{`` is JSON). ``name`` is the name shown in messages. Raises one
    :class:`~dvctt_rules.DataError` listing every problem, each with its file, line and column.
    """
    if format is not None and format not in FORMATS:
        raise UnknownNameError("format", str(format), FORMATS, close_matches(str(format), FORMATS))
    with paused_gc():
        return _load_observations(source, hierarchy, catalog, format, name)


def _load_observations(
    source: Source, hierarchy: Hierarchy, catalog: MeasureCatalog, format: Format | None, name: str | None
) -> Observations:
    if isinstance(source, str | os.PathLike) and (format or _suffix_format(source, name)) == "csv":
        # A CSV file is read as a stream (never whole in memory) when nothing is wrong in it.
        try:
            with open(source, encoding="utf-8-sig", newline="") as handle:
                loaded = _load_csv(handle, name or str(Path(source)), hierarchy, catalog)
        except (OSError, UnicodeError):
            loaded = None  # read_text below says what is wrong, and where
        if loaded is not None:
            return loaded
    text, display = read_text(source, name)
    chosen = format or _format_of(source, name, text)
    if chosen == "csv":
        loaded = _load_csv(io.StringIO(text, newline=""), display, hierarchy, catalog)
        if loaded is not None:
            return loaded
        # Something is wrong: the reference reader below finds every problem and locates each one.
        table = read_csv(io.StringIO(text), display)
        header_line = _first_nonblank_line(text)
        header: dict[str, int | None] = dict.fromkeys(table.header, header_line)
        rows = [_Row(display, row.line, row.cells) for row in table.rows]
        return _build(rows, header, hierarchy, catalog, display, header_line, "csv")
    rows, problems = _json_rows(text, display)
    columns: dict[str, int | None] = {}
    for row in rows:
        for key in row.cells:
            columns.setdefault(key, row.line)
    return _build(rows, columns, hierarchy, catalog, display, 1, "json", problems)


def observations_from_records(
    records: Iterable[Mapping[str, Any]],
    hierarchy: Hierarchy,
    *,
    catalog: MeasureCatalog = DEFAULT_CATALOG,
    name: str | None = None,
) -> Observations:
    """Observations from plain records: mappings with ``unit``, ``period``, measures and ``note``.

    Values follow the file format: counts as ``int`` or digit text, rates as percentages (number or
    text), ``None`` for unknown. Problems name the record as ``records[i]`` (or ``name[i]``).

    >>> from dvctt_rules.hierarchy import Hierarchy, Unit
    >>> h = Hierarchy([Unit("74", "Tỉnh Bình Dương", "province"), Unit("so-cong-thuong", "Sở Công Thương",
    ...                "department")], {"so-cong-thuong": "74"})
    >>> record = {"unit": "SỞ CÔNG THƯƠNG", "period": "2024-03", "received_online": 1200,
    ...           "online_dossier_rate": "99,4"}
    >>> obs = observations_from_records([record], h)
    >>> obs.totals("so-cong-thuong").counts["received_online"], obs.report.units_without_data
    (1200, ('74',))
    """
    label = name or "records"
    rows: list[_Row] = []
    problems: list[Problem] = []
    for index, record in enumerate(records):
        where = f"{label}[{index}]"
        if not isinstance(record, Mapping):
            problems.append(
                Problem(
                    f"expected a mapping, got {type(record).__name__}",
                    source=where,
                    hint="give each record as a dict of column → value",
                )
            )
            continue
        rows.append(_Row(where, None, {str(key): value for key, value in record.items()}))
    columns: dict[str, int | None] = {}
    for row in rows:
        for key in row.cells:
            columns.setdefault(key, None)
    return _build(rows, columns, hierarchy, catalog, label, None, "records", problems)


class _ParsedCells(dict[str, Any]):
    """Cell text → ``parse(text)`` (:func:`parse_count`, :func:`parse_rate`, a unit's id), each value
    made once and shared, as a file repeats the same cells (at most ``limit`` of them kept); a cell
    that cannot be read raises :class:`CellError`."""

    def __init__(self, parse: Callable[[str], Any], limit: int = 65536) -> None:
        super().__init__()
        self._parse = parse
        self._limit = limit

    def __missing__(self, text: str) -> Any:
        value = self._parse(text)
        if len(self) < self._limit:
            self[text] = value
        return value


# An unknown part reads as -1 (never larger), an unknown whole as more than any count can be.
_UNKNOWN_PART: Callable[[Any, Any], int] = {None: -1}.get
_UNKNOWN_WHOLE: Callable[[Any, Any], int] = {None: 10**40}.get


def _parts_within(data: dict[str, _Series], part: int, wholes: list[int]) -> bool:
    """Whether, on every row of every unit where all are known, the count in column ``part`` is at
    most the sum of the counts in columns ``wholes`` (unit by unit, column by column, in C loops)."""
    first, others = wholes[0], wholes[1:]
    for _, columns, _ in data.values():
        values = columns[part]
        try:  # usually every value is known
            total: Iterator[int] = iter(columns[first])
            for whole in others:
                total = map(operator.add, total, columns[whole])
            if any(map(operator.gt, values, total)):
                return False
        except TypeError:  # an unknown value: compare on the rows where all are known
            total = map(_UNKNOWN_WHOLE, columns[first], columns[first])
            for whole in others:
                total = map(operator.add, total, map(_UNKNOWN_WHOLE, columns[whole], columns[whole]))
            if any(map(operator.gt, map(_UNKNOWN_PART, values, values), total)):
                return False
    return True


def _load_csv(
    lines: Iterable[str], display: str, hierarchy: Hierarchy, catalog: MeasureCatalog
) -> Observations | None:
    """The observations of CSV ``lines`` in which nothing is wrong, read run by run (a unit's rows in
    a row) into columns of plain values; ``None`` as soon as anything is (the reference reader then
    finds and reports every problem).

    A clean file gives exactly what the reference reader gives: the same units (ids first, then the
    name tiers of :meth:`~dvctt_rules.hierarchy.Hierarchy.lookup`), periods, values and notes, and
    the same checks (part-of relations, overlapping periods), only faster.
    """
    try:
        stream = CsvStream(lines, display)
    except DataError:
        return None
    header = stream.header
    known = {*RESERVED_COLUMNS, *catalog.names}
    if stream.problems or "unit" not in header or "period" not in header:
        return None
    if any(column not in known for column in header):
        return None
    width = len(header)
    at_unit, at_period = header.index("unit"), header.index("period")
    at_note = header.index("note") if "note" in header else None
    count_names = tuple(n for n in catalog.names if n in header and catalog.get(n).kind == "count")
    rate_names = tuple(n for n in catalog.names if n in header and catalog.get(n).kind != "count")
    count_cells = _cells_getter([header.index(n) for n in count_names])
    rate_cells = _cells_getter([header.index(n) for n in rate_names])
    to_count, to_rate = _ParsedCells(parse_count).__getitem__, _ParsedCells(parse_rate).__getitem__

    def unit_of(text: str) -> str:
        stripped = text.strip()
        if not stripped:
            return ""  # a blank cell
        try:
            return hierarchy.lookup(stripped).id
        except (UnknownUnitError, AmbiguousUnitError):
            raise CellError("no single unit has this name or id", "") from None

    to_unit = _ParsedCells(unit_of, len(hierarchy) + 1).__getitem__
    unit_cell = operator.itemgetter(slice(at_unit, at_unit + 1))  # [] on a row too short to have one
    unit_text, period_cell = operator.itemgetter(at_unit), operator.itemgetter(at_period)
    note_cell = None if at_note is None else operator.itemgetter(at_note)
    periods: dict[str, Period] = {}
    canonical: dict[Period, Period] = {}
    # Each unit's periods, values (counts, then rates) and notes, side by side (the rows are put in
    # period order at the end). Files usually list a unit's rows together, in runs: the first run of
    # a unit is kept as columns, the values of any later run as rows, joined to the columns at the
    # end. Rows not in runs (a file listed period by period, or one period per unit) are read
    # in batches, as rows. Only the values are kept, never the rows of text.
    buckets: dict[str, tuple[list[Period], _Columns, list[tuple[Any, ...]], list[str | None]]] = {}

    def periods_of(rows: list[list[str]]) -> list[Period] | None:
        texts = list(map(period_cell, rows))
        try:
            return list(map(periods.__getitem__, texts))
        except KeyError:  # a period not seen yet
            for text in texts:
                if text not in periods:
                    try:
                        parsed = Period.parse(text.strip())
                    except ValueError:
                        return None
                    periods[text] = canonical.setdefault(parsed, parsed)
            return list(map(periods.__getitem__, texts))

    def values_of(rows: list[list[str]]) -> Iterator[tuple[Any, ...]]:
        values = _rows(to_count, count_cells, rows)
        return map(operator.add, values, _rows(to_rate, rate_cells, rows)) if rate_names else values

    def read_rows(rows: list[list[str]], units: list[str]) -> bool:
        """Read ``rows`` (of the header's width) of ``units`` (their ids, "" where blank) as rows
        of values; ``False`` when one cannot be read."""
        if "" in units:  # lines of empty cells are left out; a row with data needs its unit
            if any(not unit and any(map(str.strip, row)) for row, unit in zip(rows, units, strict=True)):
                return False
            rows = [row for row, unit in zip(rows, units, strict=True) if unit]
            units = [unit for unit in units if unit]
        found = periods_of(rows)
        if found is None:
            return False
        try:
            values = list(values_of(rows))
        except CellError:
            return False
        for unit_id, period, row in zip(units, found, values, strict=True):
            bucket = buckets.get(unit_id)
            if bucket is None:
                bucket = buckets[unit_id] = ([], (), [], [])
            bucket[0].append(period)
            bucket[2].append(row)
        if note_cell is not None:
            for unit_id, note in zip(units, map(_note, map(note_cell, rows)), strict=True):
                buckets[unit_id][3].append(note)
        return True

    def read_run(rows: list[list[str]], unit_id: str) -> bool:
        """Read a run of rows of one unit; ``False`` when one cannot be read."""
        found = periods_of(rows)
        if found is None:
            return False
        bucket = buckets.get(unit_id)
        try:
            if bucket is None:  # the unit's first run: its columns
                columns = _columns(to_count, count_cells, rows)
                if rate_names:
                    columns += _columns(to_rate, rate_cells, rows)
                bucket = buckets[unit_id] = ([], columns, [], [])
            else:  # a later run: its rows of values, made into columns at the end
                bucket[2].extend(values_of(rows))
        except CellError:
            return False
        bucket[0].extend(found)
        if note_cell is not None:
            bucket[3].extend(map(_note, map(note_cell, rows)))
        return True

    try:
        first = list(itertools.islice(stream.reader, _BATCH))
        source = itertools.chain(first, stream.reader)
        if not _in_runs(first, unit_cell):  # read batch by batch
            for batch in iter(lambda: list(itertools.islice(source, _BATCH)), []):
                if set(map(len, batch)) != {width}:  # blank lines, short or long rows
                    evened = _even_rows(batch, width)
                    if evened is None:
                        return None
                    batch = evened
                try:
                    units = list(map(to_unit, map(unit_text, batch)))
                except CellError:
                    return None
                if not read_rows(batch, units):
                    return None
        else:  # read run by run; runs of one row wait and are read together
            singles: list[list[str]] = []
            single_units: list[str] = []
            for key, group in itertools.groupby(source, unit_cell):
                rows = list(group)
                if set(map(len, rows)) != {width}:
                    evened = _even_rows(rows, width)
                    if evened is None:
                        return None
                    rows = evened
                try:
                    unit_id = to_unit(key[0] if key else "")
                except CellError:
                    return None
                if len(rows) > 1 and unit_id:
                    if not read_run(rows, unit_id):
                        return None
                    continue
                singles += rows
                single_units += [unit_id] * len(rows)
                if len(singles) >= _BATCH:
                    if not read_rows(singles, single_units):
                        return None
                    singles, single_units = [], []
            if singles and not read_rows(singles, single_units):
                return None
    except csv.Error:
        return None
    size = sum(len(bucket[0]) for bucket in buckets.values())
    if not size:
        return None
    names = count_names + rate_names
    relations = [
        (count_names.index(r.part), [count_names.index(w) for w in r.whole])
        for r in catalog.relations
        if all(name in count_names for name in r.names)
    ]
    one_kind = len({p._length for p in canonical}) == 1
    data: dict[str, _Series] = {}
    for unit in sorted(buckets, key=hierarchy.sort_key):
        unit_periods, columns, later, notes = buckets.pop(unit)
        if later:  # the unit's rows came in several runs: the first run's rows, then the others'
            columns = tuple(zip(*itertools.chain(zip(*columns, strict=True), later), strict=True))
        if len(unit_periods) > 1:
            keys = [p._sort for p in unit_periods]
            if not all(map(operator.lt, keys, keys[1:])):
                if len(set(keys)) != len(keys):
                    return None  # the same period twice
                order = sorted(range(len(keys)), key=keys.__getitem__)
                unit_periods = [unit_periods[i] for i in order]
                columns = tuple(tuple(column[i] for i in order) for column in columns)
                notes = [notes[i] for i in order] if notes else notes
            if not one_kind and conflicts([(unit, p) for p in unit_periods]):
                return None  # a month and its quarter, say
        if not names:
            columns = ()
        data[unit] = (
            tuple(unit_periods),
            columns,
            tuple(notes) if any(note is not None for note in notes) else None,
        )
    for part, wholes in relations:
        if not _parts_within(data, part, wholes):
            return None
    report = LoadReport(
        display,
        size,
        size,
        tuple(unit.id for unit in hierarchy if unit.id not in data),
        tuple(column for column in header if column in catalog),
    )
    return Observations._trusted(
        catalog, hierarchy, report, names, data, size, tuple(sorted(canonical.values()))
    )


_Columns = tuple[tuple[Any, ...], ...]
_BATCH = 4096  # rows read together when they do not come in runs


def _in_runs(rows: list[list[str]], unit_cell: Callable[[list[str]], list[str]]) -> bool:
    """Whether ``rows`` come mostly in runs of one unit (two rows or more on average)."""
    runs = sum(1 for _ in itertools.groupby(map(unit_cell, rows)))
    return 2 * runs <= len(rows)


def _columns(
    read: Callable[[str], Any], cells: Callable[[list[str]], Sequence[str]], rows: list[list[str]]
) -> _Columns:
    """The ``cells`` of each row read by ``read``, as columns; C loops, no Python step per row."""
    return tuple(zip(*map(map, itertools.repeat(read), map(cells, rows)), strict=True))


def _rows(
    read: Callable[[str], Any], cells: Callable[[list[str]], Sequence[str]], rows: list[list[str]]
) -> Iterator[tuple[Any, ...]]:
    """The ``cells`` of each row read by ``read``, as a tuple per row; C loops."""
    return map(tuple, map(map, itertools.repeat(read), map(cells, rows)))


def _even_rows(rows: list[list[str]], width: int) -> list[list[str]] | None:
    """``rows`` without their blank lines, a short row padded with empty cells (they read as
    unknown); ``None`` when a row has more cells than the header."""
    even: list[list[str]] = []
    for cells in rows:
        if len(cells) != width:
            if not any(cell.strip() for cell in cells):
                continue  # a blank line
            if len(cells) > width:
                return None
            cells = cells + [""] * (width - len(cells))
        even.append(cells)
    return even


def _cells_getter(positions: list[int]) -> Callable[[list[str]], Sequence[str]]:
    """The cells at ``positions`` of a row (a slice when they are side by side, as usual)."""
    if len(positions) > 1 and positions == list(range(positions[0], positions[0] + len(positions))):
        return operator.itemgetter(slice(positions[0], positions[0] + len(positions)))
    if len(positions) > 1:
        return operator.itemgetter(*positions)
    if positions:
        (position,) = positions
        return lambda cells: (cells[position],)
    return lambda cells: ()


def _suffix_format(source: Source, name: str | None) -> Format | None:
    candidates = [
        source if isinstance(source, str | os.PathLike) else None,
        name,
        getattr(source, "name", None),
    ]
    for candidate in candidates:
        if isinstance(candidate, str | os.PathLike):
            suffix = Path(candidate).suffix.lower()
            if suffix in (".csv", ".json"):
                return "csv" if suffix == ".csv" else "json"
    return None


def _format_of(source: Source, name: str | None, text: str) -> Format:
    return _suffix_format(source, name) or ("json" if text.lstrip()[:1] in ("[", "{") else "csv")


def _first_nonblank_line(text: str) -> int:
    for number, line in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        if line.strip(" \t,;"):
            return number
    return 1


def _json_rows(text: str, display: str) -> tuple[list[_Row], list[Problem]]:
    """The objects of a JSON list, each with the line it starts on, and the items that are not objects."""
    rows: list[_Row] = []
    problems: list[Problem] = []
    for line, value in json_items(text, display):
        if not isinstance(value, dict):
            kind = json_kind(value)
            problems.append(
                Problem(f"expected an object, got {kind}", source=display, line=line, hint=JSON_HINT)
            )
            continue
        for key in duplicate_keys(value):
            problems.append(
                Problem(
                    "the key appears twice in this object",
                    source=display,
                    line=line,
                    column=key,
                    hint="keep one of them",
                )
            )
        rows.append(_Row(display, line, value))
    return rows, problems


def _column_problems(
    columns: Mapping[str, int | None], catalog: MeasureCatalog, display: str, kind: str
) -> list[Problem]:
    problems = []
    noun = "column" if kind == "csv" else "key"
    known = (*RESERVED_COLUMNS, *catalog.names)
    for column, line in columns.items():
        if column in known:
            continue
        suggestions = suggest(column, known)
        if kind == "csv" and (";" in column or "\t" in column):
            hint = "the file seems to use ';' or tabs between cells; save it comma-separated (CSV UTF-8)"
        elif suggestions:
            hint = "did you mean " + " or ".join(repr(s) for s in suggestions) + "?"
        else:
            examples = ", ".join(catalog.names[:3])
            hint = f"the {noun}s are unit, period, note and measure names such as {examples}"
        problems.append(Problem(f"unknown {noun}", source=display, line=line, column=column, hint=hint))
    return problems


def _build(
    rows: Sequence[_Row],
    columns: Mapping[str, int | None],
    hierarchy: Hierarchy,
    catalog: MeasureCatalog,
    display: str,
    header_line: int | None,
    kind: str,
    problems: list[Problem] | None = None,
) -> Observations:
    problems = list(problems or ())
    problems += _column_problems(columns, catalog, display, kind)
    what = {"csv": "column", "json": "key", "records": "key"}[kind]
    for required in ("unit", "period"):
        if required not in columns and (rows or kind == "csv"):
            problems.append(
                Problem(
                    f"the {what} {required!r} is missing",
                    source=display,
                    line=header_line,
                    hint="the first line must be a header: unit,period,<measures…>"
                    if kind == "csv"
                    else f"give every record a {required!r}",
                )
            )
    if not rows and not problems:
        problems.append(
            Problem(
                "there are no data rows",
                source=display,
                hint="add one row per unit and period under the header"
                if kind == "csv"
                else "give at least one record",
            )
        )
    reader = _RowReader(hierarchy, catalog)
    observations: list[Observation] = []
    keys: list[tuple[str, Period]] = []
    placed: list[_Row] = []
    for row in rows:
        observation, row_problems = reader.read(
            row, check_missing=kind != "csv" and all(r in columns for r in ("unit", "period"))
        )
        problems += row_problems
        if observation is not None:
            observations.append(observation)
        if reader.last_key is not None:
            keys.append(reader.last_key)
            placed.append(row)
    for first, second in conflicts(keys):
        earlier, later = placed[first], placed[second]
        unit_id, period = keys[second]
        other = keys[first][1]
        name = hierarchy.label(unit_id)
        if other == period:
            problems.append(
                later.problem(
                    f"{name} already has a row for {period} ({earlier.where()})",
                    "period",
                    str(period),
                    "merge the two rows or delete one",
                )
            )
        else:
            problems.append(
                later.problem(
                    f"the period {period} of {name} overlaps {other} ({earlier.where()}): "
                    "the counts would be added twice",
                    "period",
                    str(period),
                    "give either the longer period or the periods inside it, not both",
                )
            )
    if problems:
        problems.sort(key=lambda p: (p.source != display, p.line or 0))
        count = len(problems)
        raise DataError(
            problems, summary=f"{count} problem{'s' if count != 1 else ''} in {display}; nothing was loaded"
        )
    used = {observation.unit for observation in observations}
    report = LoadReport(
        display,
        len(rows),
        len(observations),
        tuple(unit.id for unit in hierarchy if unit.id not in used),
        tuple(column for column in columns if column in catalog),
    )
    return Observations(observations, catalog=catalog, hierarchy=hierarchy, report=report)


class _RowReader:
    """Reads rows one by one, caching unit and period lookups."""

    def __init__(self, hierarchy: Hierarchy, catalog: MeasureCatalog) -> None:
        self.hierarchy = hierarchy
        self.catalog = catalog
        self.last_key: tuple[str, Period] | None = None
        self._units: dict[str, Unit | tuple[str, str]] = {}
        self._periods: dict[str, Period | str] = {}

    def _unit(self, text: str) -> Unit | tuple[str, str]:
        if text not in self._units:
            try:
                self._units[text] = self.hierarchy.lookup(text)
            except UnknownUnitError as exc:
                hint = (
                    "did you mean " + " or ".join(repr(s) for s in exc.suggestions) + "?"
                    if exc.suggestions
                    else "write the unit id or its name as the hierarchy writes it"
                )
                self._units[text] = ("no unit of the hierarchy has this name or id", hint)
            except AmbiguousUnitError as exc:
                listed = "; ".join(f"{label} (id {uid})" for uid, label in exc.candidates)
                self._units[text] = (
                    f"the name matches {len(exc.candidates)} units: {listed}",
                    "write the unit id or the full name",
                )
        return self._units[text]

    def _period(self, text: str) -> Period | str:
        if text not in self._periods:
            try:
                self._periods[text] = Period.parse(text)
            except ValueError:
                self._periods[text] = period_hint(text)
        return self._periods[text]

    def read(self, row: _Row, *, check_missing: bool) -> tuple[Observation | None, list[Problem]]:
        """The row's observation (``None`` when it has problems) and its problems."""
        problems: list[Problem] = []
        self.last_key = None
        unit = period = None
        for column in ("unit", "period"):
            if column not in row.cells:
                if check_missing:
                    problems.append(row.problem(f"the key {column!r} is missing", hint=f"give the {column}"))
                continue
            raw = row.cells[column]
            if isinstance(raw, int | Decimal) and not isinstance(raw, bool):
                raw = str(raw)
            if not isinstance(raw, str) or not raw.strip():
                problems.append(
                    row.problem(
                        f"the {column} is blank"
                        if raw is None or isinstance(raw, str)
                        else f"the {column} must be text",
                        column,
                        raw if raw is not None and not isinstance(raw, str) else None,
                        f"every row needs a {column}",
                    )
                )
                continue
            text = raw.strip()
            if column == "unit":
                found = self._unit(text)
                if isinstance(found, Unit):
                    unit = found
                else:
                    problems.append(row.problem(found[0], column, text, found[1]))
            else:
                parsed = self._period(text)
                if isinstance(parsed, Period):
                    period = parsed
                else:
                    problems.append(row.problem("not a period", column, text, parsed))
        if unit is not None and period is not None:
            self.last_key = (unit.id, period)
        counts: dict[str, int | None] = {}
        rates: dict[str, Fraction | None] = {}
        for column, raw in row.cells.items():
            if column not in self.catalog:
                continue
            try:
                if self.catalog.get(column).kind == "count":
                    counts[column] = parse_count(raw)
                else:
                    rates[column] = parse_rate(raw)
            except CellError as exc:
                problems.append(row.problem(exc.message, column, raw, exc.hint))
        note = row.cells.get("note")
        if note is not None and not isinstance(note, str):
            problems.append(row.problem("the note must be text", "note", note, "write the note as text"))
            note = None
        for relation in self.catalog.relations:
            broken = relation.violation(counts)
            if broken:
                whole = " + ".join(relation.whole)
                if len(relation.whole) > 1:
                    whole += " (" + " + ".join(str(counts[w]) for w in relation.whole) + f" = {broken[1]})"
                else:
                    whole += f" ({broken[1]})"
                problems.append(
                    row.problem(
                        f"{relation.part} ({broken[0]}) is larger than {whole}",
                        relation.part,
                        broken[0],
                        "a part cannot be larger than its whole; check both cells",
                    )
                )
        if problems or unit is None or period is None:
            return None, problems
        return Observation(unit.id, period, counts, rates, note), problems
