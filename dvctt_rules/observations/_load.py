"""Loading observations from CSV, JSON and Python records, with every problem located and reported."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import attrs

from .._errors import (
    AmbiguousUnitError,
    DataError,
    Problem,
    UnknownNameError,
    UnknownUnitError,
    described,
    listed,
)
from .._gc import paused_gc
from .._io import SEPARATOR_HINT, Source, read_text, stream_csv_text, text_lines
from .._text import close_matches
from ..hierarchy import Hierarchy, Unit
from ._csv_fast import _ParsedCells, load_clean_csv
from ._json import JSON_HINT, duplicate_keys, json_items, json_kind, json_text
from ._measures import DEFAULT_CATALOG, RESERVED_COLUMNS, MeasureCatalog, suggest
from ._model import LoadReport, Observation, Observations, check_catalog_and_hierarchy, conflicts
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
        # As the file wrote it: a JSON true is 'true', not Python's 'True'.
        shown = None if value is None else value if isinstance(value, str) else _shown(value)
        return Problem(message, source=self.source, line=self.line, column=column, value=shown, hint=hint)


_NO_CELLS: Mapping[str, object] = MappingProxyType({})


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
    check_catalog_and_hierarchy(catalog, hierarchy)
    with paused_gc():
        return _load_observations(source, hierarchy, catalog, format, name)


def _load_observations(
    source: Source, hierarchy: Hierarchy, catalog: MeasureCatalog, format: Format | None, name: str | None
) -> Observations:
    tried = False  # whether the fast road has read this very file (and given up on it)
    if isinstance(source, str | os.PathLike) and (format or _suffix_format(source, name)) == "csv":
        # A CSV file is read as a stream (never whole in memory) when nothing is wrong in it.
        try:
            with open(source, encoding="utf-8-sig", newline="") as handle:
                loaded = load_clean_csv(handle, name or str(Path(source)), hierarchy, catalog)
            tried = True
        except (OSError, UnicodeError):
            loaded = None  # read_text below says what is wrong, and where
        if loaded is not None:
            return loaded
    text, display = read_text(source, name)
    chosen = format or _format_of(source, name, text)
    if chosen == "csv":
        if not tried:
            loaded = load_clean_csv(io.StringIO(text, newline=""), display, hierarchy, catalog)
            if loaded is not None:
                return loaded
        # Something is wrong: the reference reader below finds every problem and locates each one,
        # reading the rows one at a time (a national file is never held as a table).
        names, table = stream_csv_text(text, display)
        header_line = _first_nonblank_line(text)
        header: dict[str, int | None] = dict.fromkeys(names, header_line)
        streamed = (_Row(display, row.line, row.cells) for row in table)
        return _build(streamed, header, hierarchy, catalog, display, header_line, "csv")
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
    if isinstance(records, str | os.PathLike | bytes | Mapping):
        how = (
            "pass [record] for one record"
            if isinstance(records, Mapping)
            else "to read a file, call load_observations(path, hierarchy)"
        )
        raise TypeError(
            f"records must be a collection of records (mappings), got {described(records)}; {how}"
        )
    check_catalog_and_hierarchy(catalog, hierarchy)
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
    for number, line in enumerate(text_lines(text), start=1):
        if line.strip(" \t,;\r\n"):
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
            hint = SEPARATOR_HINT
        elif suggestions:
            hint = "did you mean " + " or ".join(repr(s) for s in suggestions) + "?"
        else:
            examples = ", ".join(catalog.names[:3])
            hint = f"the {noun}s are unit, period, note and measure names such as {examples}"
        problems.append(Problem(f"unknown {noun}", source=display, line=line, column=column, hint=hint))
    return problems


def _build(
    rows: Iterable[_Row],
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
        if required not in columns and (kind == "csv" or rows):  # rows: a list unless CSV
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
    checked = bool(problems)  # the problems so far: "no data rows" only when there are none
    reader = _RowReader(hierarchy, catalog)
    observations: list[Observation] = []
    keys: list[tuple[str, Period]] = []
    # Where each keyed row is (its source, the same text object row after row in a file, and its
    # line), for the messages about periods given twice: two references a row, not the row.
    sources: list[str] = []
    lines: list[int | None] = []
    count = 0
    for count, row in enumerate(rows, start=1):  # noqa: B007 - the count is read after the loop
        observation, row_problems = reader.read(
            row,
            check_missing=kind != "csv" and all(r in columns for r in ("unit", "period")),
            keep=not problems,  # once there is a problem, nothing will be loaded
        )
        problems += row_problems
        if observation is not None and not problems:
            observations.append(observation)
        if reader.last_key is not None:
            keys.append(reader.last_key)
            sources.append(row.source)
            lines.append(row.line)
    if not count and not checked:
        problems.append(
            Problem(
                "there are no data rows",
                source=display,
                hint="add one row per unit and period under the header"
                if kind == "csv"
                else "give at least one record",
            )
        )
    for first, second in conflicts(keys):
        earlier = _Row(sources[first], lines[first], _NO_CELLS)
        later = _Row(sources[second], lines[second], _NO_CELLS)
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
            problems, summary=f"{count:,} problem{'s' if count != 1 else ''} in {display}; nothing was loaded"
        )
    used = {observation.unit for observation in observations}
    report = LoadReport(
        display,
        count,
        len(observations),
        tuple(unit.id for unit in hierarchy if unit.id not in used),
        tuple(column for column in columns if column in catalog),
    )
    return Observations(observations, catalog=catalog, hierarchy=hierarchy, report=report)


class _RowReader:
    """Reads rows one by one, caching unit and period lookups and the values of cell texts."""

    def __init__(self, hierarchy: Hierarchy, catalog: MeasureCatalog) -> None:
        self.hierarchy = hierarchy
        self.catalog = catalog
        self.last_key: tuple[str, Period] | None = None
        self._units: dict[str, Unit | tuple[str, str]] = {}
        self._periods: dict[str, Period | str] = {}
        counts, rates = _ParsedCells(parse_count), _ParsedCells(parse_rate)
        #: A measure's column → how its cells are read (cell text → value, each text parsed once)
        #: and whether it is a count.
        self._cells: dict[str, tuple[Callable[[object], Any], _ParsedCells, bool]] = {
            m.name: (parse_count, counts, True) if m.kind == "count" else (parse_rate, rates, False)
            for m in catalog
        }

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
                named = listed([f"{label} (id {uid})" for uid, label in exc.candidates], "; ")
                self._units[text] = (
                    f"the name matches {len(exc.candidates)} units: {named}",
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

    def read(
        self, row: _Row, *, check_missing: bool, keep: bool = True
    ) -> tuple[Observation | None, list[Problem]]:
        """The row's observation (``None`` when it has problems, or when not ``keep``) and its problems."""
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
        cells = self._cells
        for column, raw in row.cells.items():
            measure = cells.get(column)
            if measure is None:
                continue
            parse, known, is_count = measure
            try:
                # Texts are looked up (a file repeats the same cells); other values (from JSON or
                # records) are parsed each time: True and 1 are equal keys, but not the same count.
                value: Any = known[raw] if type(raw) is str else parse(raw)
            except CellError as exc:
                problems.append(row.problem(exc.message, column, raw, exc.hint))
                continue
            if is_count:
                counts[column] = value
            else:
                rates[column] = value
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
        if problems or unit is None or period is None or not keep:
            return None, problems
        return Observation(unit.id, period, counts, rates, note), problems


def _shown(value: object) -> str:
    """A cell that is not a text as its file wrote it (``true`` and ``[1.5]``, not Python's ``True``
    and ``[Decimal('1.5')]``)."""
    if isinstance(value, bool | list | dict):
        return json_text(value)
    return str(value)
