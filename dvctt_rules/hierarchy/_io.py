"""Hierarchies in and out: records and CSV with the header ``id,name,level,parent``."""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from itertools import repeat
from typing import TYPE_CHECKING, Any

from .._errors import HIERARCHY_HINT, DataError, HierarchyError, Problem, refuse_text, refuse_type
from .._gc import paused_gc
from .._io import (
    CsvStream,
    Source,
    plain_lines,
    read_text,
    separator_problem,
    split_lines,
    text_lines,
    write_csv,
)
from .._text import nfc
from ._unit import _RESERVED_ATTRIBUTES, DEFAULT_LEVELS, Unit

if TYPE_CHECKING:
    from ._hierarchy import Hierarchy

__all__ = ["hierarchy_to_csv", "read_hierarchy_csv", "units_from_records", "units_to_records"]

COLUMNS = ("id", "name", "level", "parent")
_NOT_EXTRA = _RESERVED_ATTRIBUTES  # the columns of fields; the others are extra attributes


def _cell(value: Any) -> str:
    if type(value) is str:
        return value.strip()
    return "" if value is None else str(value).strip()


def units_from_records(
    records: Iterable[Mapping[str, Any]], *, source: str | None = None, lines: Sequence[int] | None = None
) -> tuple[list[Unit], dict[str, str | None]]:
    """Units and their parents from records; blank optional values read as absent.

    Keys other than ``id``, ``name``, ``level``, ``parent`` and ``code`` become extra attributes.
    """
    units: list[Unit] = []
    parents: dict[str, str | None] = {}
    problems: list[Problem] = []
    for position, record in enumerate(records):
        line = lines[position] if lines is not None else None
        where = {"source": source, "line": line} if line is not None else {"source": source}
        uid, name, level = _cell(record.get("id")), _cell(record.get("name")), _cell(record.get("level"))
        if not (uid and name and level):
            for key, value in (("id", uid), ("name", name), ("level", level)):
                if not value:
                    problems.append(
                        Problem(
                            "the cell is blank" if key in record else "the field is missing",
                            column=key,
                            hint=f"every unit needs an {key}" if key == "id" else f"every unit needs a {key}",
                            **where,
                        )
                    )
            continue
        extra = (
            {
                nfc(str(key)): nfc(_cell(value))  # kept in NFC, as names are
                for key, value in record.items()
                if key not in _NOT_EXTRA and _cell(value)
            }
            if record.keys() - _NOT_EXTRA
            else None
        )
        # The id, name and level are non-blank (checked above): the unit is made without its checks.
        unit = Unit._trusted(
            uid,
            name if name.isascii() else nfc(name),
            level,
            _cell(record.get("code")) or None,
            tuple(sorted(extra.items())) if extra else (),
        )
        if unit.id in parents:
            problems.append(
                Problem(
                    f"duplicate unit id {unit.id!r}",
                    column="id",
                    value=unit.id,
                    hint="give every unit its own id",
                    **where,
                )
            )
            continue
        units.append(unit)
        parents[unit.id] = _cell(record.get("parent")) or None
    if problems:
        raise DataError(problems)
    return units, parents


def units_to_records(hierarchy: Hierarchy) -> list[dict[str, str | None]]:
    """Records in iteration order: ``id``, ``name``, ``level``, ``parent`` (``None`` for the root),
    ``code`` when any unit has one, then every extra attribute."""
    with_code = any(unit.code for unit in hierarchy)
    keys = sorted({key for unit in hierarchy for key, _ in unit.attributes})
    records: list[dict[str, str | None]] = []
    for unit in hierarchy:
        parent = hierarchy.parent(unit)
        record: dict[str, str | None] = {
            "id": unit.id,
            "name": unit.name,
            "level": unit.level,
            "parent": None if parent is None else parent.id,
        }
        if with_code:
            record["code"] = unit.code
        attributes = dict(unit.attributes)
        for key in keys:
            record[key] = attributes.get(key)
        records.append(record)
    return records


def read_hierarchy_csv(
    source: Source, levels: Iterable[str] = DEFAULT_LEVELS, *, name: str | None = None, **options: Any
) -> Hierarchy:
    """Read a hierarchy from CSV with the header ``id,name,level,parent`` (UTF-8, a BOM is accepted).

    An optional ``code`` column holds official codes (distinct; a blank cell is no code); other
    columns become extra attributes. Problems are reported with the file name and line.
    """
    from ._hierarchy import Hierarchy, validate_tree

    levels = _levels_argument(levels)
    with paused_gc():
        text, display = read_text(source, name)
        plain_text = plain_lines(text)
        remaining = iter(plain_text) if plain_text is not None else text_lines(text)
        stream = CsvStream(remaining, display, required=COLUMNS, text=text)  # the header, by the csv module
        separated = separator_problem(stream.header, COLUMNS, display, stream.header_line)
        if separated is not None:  # instead of a missing column for each name in the one cell
            raise DataError([separated])
        cells = split_lines(remaining) if plain_text is not None else stream.reader
        plain = None if stream.problems else _plain_units(stream.header, cells)
        if plain is not None:
            units, parents = plain
            try:
                validate_tree(units, parents, levels)
            except HierarchyError:
                pass  # read again below, to say on which lines
            else:
                return Hierarchy._validated(units, parents, levels, **options)
        # Something to report, or more than the plain columns: the records reader says what and where.
        stream = CsvStream(text_lines(text), display, required=COLUMNS, text=text)
        rows = list(stream.rows())
        if stream.problems:
            raise DataError(stream.problems)
        header = stream.header
        records = [dict(zip(header, cells, strict=True)) for _, cells in rows]
        units, parents = units_from_records(records, source=display, lines=[line for line, _ in rows])
        lines = {record["id"].strip(): line for record, (line, _) in zip(records, rows, strict=True)}
        validate_tree(units, parents, levels, source=display, lines=lines)
        return Hierarchy._validated(units, parents, levels, **options)


def _levels_argument(levels: Iterable[str]) -> Sequence[str]:
    """``levels`` as given to :func:`read_hierarchy_csv`, checked as an argument (before the file is
    read: a mistake in it is not the file's): one text and an empty sequence are refused. Any other
    iterable comes back as a tuple, read once (a generator would be empty when the hierarchy is made)."""
    if isinstance(levels, str):  # a str is a sequence of one-letter levels: never what was meant
        names = tuple(name.strip() for name in levels.split(","))
        how = f"pass {names!r}" + (f" or {levels!r}.split(',')" if len(names) > 1 else "")
        raise TypeError(f"levels must be a sequence of level names, got the text {levels!r}; {how}")
    refuse_text(levels, "levels", "level names")  # bytes
    if not isinstance(levels, Iterable):
        return levels  # refused by validate_tree, which says what levels are
    levels = tuple(levels)
    if not levels:
        raise ValueError(
            "levels must name at least one level, got an empty sequence; pass the level names, highest "
            f"first, such as ('province', 'commune'), or leave levels out for the default, {DEFAULT_LEVELS!r}"
        )
    return levels


def _plain_units(
    header: tuple[str, ...], cells: Iterable[list[str]]
) -> tuple[list[Unit], dict[str, str | None]] | None:
    """What :func:`units_from_records` makes of the rows after ``header`` when the file is plain:
    only the columns ``id``, ``name``, ``level``, ``parent`` and ``code``, every row as wide as the
    header, no id, name or level blank, no id repeated; ``None`` otherwise. Read column by column,
    by C loops: no Python step per row but making each unit."""
    if not set(header) <= _NOT_EXTRA:
        return None
    width = len(header)
    try:
        rows = [row for row in cells if row]  # blank lines are skipped, as rows() does
    except csv.Error:
        return None
    if not rows or set(map(len, rows)) != {width}:
        return None
    columns = list(zip(*rows, strict=True))
    strip = str.strip
    ids, names, levels, parent_ids = (list(map(strip, columns[header.index(column)])) for column in COLUMNS)
    if "" in ids or "" in names or "" in levels or len(set(ids)) != len(ids):
        return None
    # One check for the whole column: a newline neither composes nor reorders with its neighbours.
    if not unicodedata.is_normalized("NFC", "\n".join(names)):
        names = list(map(nfc, names))
    codes: Iterable[str | None] = repeat(None)
    if "code" in header:
        codes = [code or None for code in map(strip, columns[header.index("code")])]
    units = Unit._trusted_columns(ids, names, levels, codes)
    parents = dict(zip(ids, [parent or None for parent in parent_ids], strict=True))
    return units, parents


def hierarchy_to_csv(hierarchy: Hierarchy) -> str:
    """The hierarchy as CSV text, which :func:`read_hierarchy_csv` reads back (from a file, or
    ``io.StringIO(text)``)."""
    from ._hierarchy import Hierarchy

    refuse_type(hierarchy, Hierarchy, "hierarchy", "a Hierarchy", HIERARCHY_HINT)
    records = units_to_records(hierarchy)
    header = list(records[0])
    return write_csv(header, [[_cell(record[key]) for key in header] for record in records])
