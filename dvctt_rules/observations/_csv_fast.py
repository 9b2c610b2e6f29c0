"""The fast road for a CSV file of observations in which nothing is wrong. Internal module.

:func:`load_clean_csv` reads a clean file straight into columns of plain values, with the checks of
the reference reader (every cell, unit and period read, part-of relations, overlapping periods), and
gives up (``None``) at the first thing that is not clean: the reference reader then finds and
reports every problem. The cells are read and grouped by C loops (``map``, ``zip``,
``itertools.groupby``); Python steps once per run of rows or batch of rows, not per row or cell.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from .._errors import DataError
from .._io import CsvStream, csv_reader, plain_lines, split_lines, text_lines
from ..hierarchy import Hierarchy
from ._measures import RESERVED_COLUMNS, MeasureCatalog
from ._model import LoadReport, Observations, _note, _Series, conflicts
from ._periods import Period
from ._values import CellError, parse_count, parse_rate

__all__ = ["load_clean_csv"]

_Columns = tuple[tuple[Any, ...], ...]
_Cells = Callable[[list[str]], Sequence[str]]
_BATCH = 4096  # rows read together when they do not come in runs

# An unknown part reads as -1 (never larger), an unknown whole as more than any count can be.
_UNKNOWN_PART: Callable[[Any, Any], int] = {None: -1}.get
_UNKNOWN_WHOLE: Callable[[Any, Any], int] = {None: 10**40}.get


def load_clean_csv(
    lines: Iterable[str], display: str, hierarchy: Hierarchy, catalog: MeasureCatalog
) -> Observations | None:
    """The observations of CSV ``lines`` in which nothing is wrong; ``None`` as soon as anything is.

    A clean file gives exactly what the reference reader gives: the same units (ids first, then the
    name tiers of :meth:`~dvctt_rules.hierarchy.Hierarchy.lookup`), periods, values and notes, and
    the same checks (part-of relations, overlapping periods), only faster. Files usually list a
    unit's rows together, in runs, and are read run by run; a file that does not (listed period by
    period, say) is read batch by batch. Its first rows decide.
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
    gathered = _Gathered(header, hierarchy, catalog)
    width, at_unit = len(header), header.index("unit")
    unit_cell = operator.itemgetter(slice(at_unit, at_unit + 1))  # [] on a row too short to have one
    unit_text, to_unit = operator.itemgetter(at_unit), gathered.unit_id
    try:
        rows_read = _split_rows(lines, stream.reader)
        first = list(itertools.islice(rows_read, _BATCH))
        source = itertools.chain(first, rows_read)
        if not _in_runs(first, unit_cell):
            for batch in iter(lambda: list(itertools.islice(source, _BATCH)), []):
                evened = batch if set(map(len, batch)) == {width} else _even_rows(batch, width)
                if evened is None:
                    return None
                try:
                    units = list(map(to_unit, map(unit_text, evened)))
                except CellError:
                    return None
                if not gathered.add_rows(evened, units):
                    return None
        else:  # run by run; runs of one row wait and are read together
            singles: list[list[str]] = []
            single_units: list[str] = []
            for key, group in itertools.groupby(source, unit_cell):
                run = list(group)
                rows = run if set(map(len, run)) == {width} else _even_rows(run, width)
                if rows is None:
                    return None
                try:
                    unit = to_unit(key[0] if key else "")
                except CellError:
                    return None
                if len(rows) > 1 and unit:
                    if not gathered.add_run(rows, unit):
                        return None
                    continue
                singles += rows
                single_units += [unit] * len(rows)
                if len(singles) >= _BATCH:
                    if not gathered.add_rows(singles, single_units):
                        return None
                    singles, single_units = [], []
            if singles and not gathered.add_rows(singles, single_units):
                return None
    except csv.Error:
        return None
    return gathered.observations(display)


_CHUNK = 1 << 16  # characters of text split at a time (a thousand rows: they stay in the caches)


def _split_rows(lines: Iterable[str], reader: Iterator[list[str]]) -> Iterator[list[str]]:
    """The rows that ``reader`` (the csv module's, after the header) would give, faster: plain text
    (:func:`~dvctt_rules._io.plain_lines`) is split at newlines and commas, a piece at a time; from
    the first piece that is not plain, the csv module reads on (and raises as it would). Python steps
    once per piece, not per row."""
    if not isinstance(lines, io.TextIOBase):  # not a file: lines as they come
        return reader
    return itertools.chain.from_iterable(_pieces(lines))


def _pieces(text_file: io.TextIOBase) -> Iterator[Iterable[list[str]]]:
    while text := text_file.read(_CHUNK):
        if text[-1] != "\n":
            text += text_file.readline()  # whole lines only: where the next piece starts is a line's start
        lines = plain_lines(text)
        if lines is None:
            yield csv_reader(itertools.chain(text_lines(text), text_file))
            return
        yield split_lines(lines)


class _Gathered:
    """Each unit's periods, values (counts, then rates) and notes, side by side, as the rows are
    read (they are put in period order at the end). The first run of a unit is kept as columns, the
    values of its later runs and of rows read in batches as rows, joined to the columns at the end.
    Only the values are kept, never the rows of text."""

    def __init__(self, header: tuple[str, ...], hierarchy: Hierarchy, catalog: MeasureCatalog) -> None:
        self.header, self.hierarchy, self.catalog = header, hierarchy, catalog
        self.count_names = tuple(n for n in catalog.names if n in header and catalog.get(n).kind == "count")
        self.rate_names = tuple(n for n in catalog.names if n in header and catalog.get(n).kind != "count")
        self.count_cells = _cells_getter([header.index(n) for n in self.count_names])
        self.rate_cells = _cells_getter([header.index(n) for n in self.rate_names])
        self.period_cell = operator.itemgetter(header.index("period"))
        self.note_cell = operator.itemgetter(header.index("note")) if "note" in header else None
        self.to_count = _ParsedCells(parse_count).__getitem__
        self.to_rate = _ParsedCells(parse_rate).__getitem__
        #: A unit cell's text → the unit's id ("" for a blank cell); CellError when no single unit.
        # (A function of the hierarchy, not a method of this reader: a cache holding the reader
        # would be a reference cycle, which only the garbage collector frees.)
        self.unit_id = _ParsedCells(functools.partial(_unit_of, hierarchy), len(hierarchy) + 1).__getitem__
        self.periods: dict[str, Period] = {}
        self.canonical: dict[Period, Period] = {}
        self.units: dict[str, tuple[list[Period], _Columns, list[tuple[Any, ...]], list[str | None]]] = {}

    def _periods_of(self, rows: list[list[str]]) -> list[Period] | None:
        periods = self.periods
        texts = list(map(self.period_cell, rows))
        try:
            return list(map(periods.__getitem__, texts))
        except KeyError:  # a period not seen yet
            for text in texts:
                if text not in periods:
                    try:
                        parsed = Period.parse(text.strip())
                    except ValueError:
                        return None
                    periods[text] = self.canonical.setdefault(parsed, parsed)
            return list(map(periods.__getitem__, texts))

    def _values_of(self, rows: list[list[str]]) -> Iterator[tuple[Any, ...]]:
        values = _rows(self.to_count, self.count_cells, rows)
        if self.rate_names:
            return map(operator.add, values, _rows(self.to_rate, self.rate_cells, rows))
        return values

    def add_run(self, rows: list[list[str]], unit: str) -> bool:
        """Read a run of rows of ``unit`` (of the header's width); ``False`` when one cannot be read."""
        found = self._periods_of(rows)
        if found is None:
            return False
        gathered = self.units.get(unit)
        try:
            if gathered is None:  # the unit's first run: its columns
                columns = _columns(self.to_count, self.count_cells, rows)
                if self.rate_names:
                    columns += _columns(self.to_rate, self.rate_cells, rows)
                gathered = self.units[unit] = ([], columns, [], [])
            else:
                gathered[2].extend(self._values_of(rows))
        except CellError:
            return False
        gathered[0].extend(found)
        if self.note_cell is not None:
            gathered[3].extend(map(_note, map(self.note_cell, rows)))
        return True

    def add_rows(self, rows: list[list[str]], units: list[str]) -> bool:
        """Read ``rows`` (of the header's width) of ``units`` (their ids, "" where the cell is blank:
        a line of empty cells is left out, a row with data refused); ``False`` when one cannot be read."""
        if "" in units:
            if any(not unit and any(map(str.strip, row)) for row, unit in zip(rows, units, strict=True)):
                return False
            rows = [row for row, unit in zip(rows, units, strict=True) if unit]
            units = [unit for unit in units if unit]
        found = self._periods_of(rows)
        if found is None:
            return False
        try:
            values = list(self._values_of(rows))
        except CellError:
            return False
        for unit, period, row in zip(units, found, values, strict=True):
            gathered = self.units.get(unit)
            if gathered is None:
                gathered = self.units[unit] = ([], (), [], [])
            gathered[0].append(period)
            gathered[2].append(row)
        if self.note_cell is not None:
            for unit, note in zip(units, map(_note, map(self.note_cell, rows)), strict=True):
                self.units[unit][3].append(note)
        return True

    def observations(self, display: str) -> Observations | None:
        """What was read, checked as the reference reader checks it; ``None`` when a check fails."""
        hierarchy, catalog, count_names = self.hierarchy, self.catalog, self.count_names
        size = sum(len(gathered[0]) for gathered in self.units.values())
        if not size:
            return None
        names = count_names + self.rate_names
        relations = [
            (count_names.index(r.part), [count_names.index(w) for w in r.whole])
            for r in catalog.relations
            if all(name in count_names for name in r.names)
        ]
        one_kind = len({p._length for p in self.canonical}) == 1
        data: dict[str, _Series] = {}
        for unit in sorted(self.units, key=hierarchy.sort_key):
            unit_periods, columns, later, notes = self.units.pop(unit)
            if later:  # rows read after the first run: the first run's rows, then these
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
            tuple(column for column in self.header if column in catalog),
        )
        return Observations._trusted(
            catalog, hierarchy, report, names, data, size, tuple(sorted(self.canonical.values()))
        )


def _unit_of(hierarchy: Hierarchy, text: str) -> str:
    stripped = text.strip()
    if not stripped:
        return ""
    found = hierarchy.find(stripped)  # what lookup finds, without the suggestions it would make
    if len(found) != 1:
        raise CellError("no single unit has this name or id", "")
    return found[0].id


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


def _in_runs(rows: list[list[str]], unit_cell: Callable[[list[str]], list[str]]) -> bool:
    """Whether ``rows`` come mostly in runs of one unit (two rows or more on average)."""
    runs = sum(1 for _ in itertools.groupby(map(unit_cell, rows)))
    return 2 * runs <= len(rows)


def _columns(read: Callable[[str], Any], cells: _Cells, rows: list[list[str]]) -> _Columns:
    """The ``cells`` of each row read by ``read``, as columns; C loops, no Python step per row."""
    return tuple(zip(*map(map, itertools.repeat(read), map(cells, rows)), strict=True))


def _rows(read: Callable[[str], Any], cells: _Cells, rows: list[list[str]]) -> Iterator[tuple[Any, ...]]:
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


def _cells_getter(positions: list[int]) -> _Cells:
    """The cells at ``positions`` of a row (a slice when they are side by side, as usual)."""
    if len(positions) > 1 and positions == list(range(positions[0], positions[0] + len(positions))):
        return operator.itemgetter(slice(positions[0], positions[0] + len(positions)))
    if len(positions) > 1:
        return operator.itemgetter(*positions)
    if positions:
        (position,) = positions
        return lambda cells: (cells[position],)
    return lambda cells: ()


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
