"""Reading per-unit targets from CSV (``unit,indicator,target[,effective_from]``, target in percent)."""

from __future__ import annotations

import csv
import datetime
import io
import os
import re
from collections.abc import Callable, Iterator, Mapping
from fractions import Fraction
from pathlib import Path
from typing import NoReturn

from .._errors import DataError, DvcttRulesError, Problem, UnknownNameError, refuse_type
from .._gc import paused_gc
from .._io import csv_reader, malformed, read_text, separator_problem
from .._text import nfc, parse_decimal
from ._indicators import INDICATORS, Indicator, lookup_indicator
from ._targets import Target, TargetTable

__all__ = ["load_targets_csv"]

_REQUIRED = ("unit", "indicator", "target")
_OPTIONAL = ("effective_from",)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_COLUMNS_HINT = "expected the columns unit,indicator,target and optionally effective_from"
_SHORT_ROW_HINT = "add the missing cells, so that each value is under its column"


def _read(path_or_text: str | os.PathLike[str], source: str | None) -> tuple[str, str]:
    if isinstance(path_or_text, str) and "\n" in path_or_text:
        return path_or_text.removeprefix("\ufeff"), source or "<targets>"
    refuse_type(
        path_or_text,
        (str, os.PathLike),
        "path_or_text",
        "a file's path or CSV text",
        "pass a str or a pathlib.Path",
    )
    # A file that cannot be read, or is not UTF-8, is a DataError naming it (and the encoding it
    # seems to be in), as for the other inputs.
    return read_text(Path(path_or_text), source)


def _clean(cell: str) -> str:
    """The cell in NFC without surrounding spaces (ASCII text is NFC already)."""
    return (cell if cell.isascii() else nfc(cell)).strip()


def _hint(error: UnknownNameError) -> str:
    if error.suggestions:
        return "did you mean " + " or ".join(repr(s) for s in error.suggestions) + "?"
    return "known: " + ", ".join(error.known)


def _percent(text: str, indicator: Indicator | None) -> tuple[Fraction | None, str | None, str | None]:
    """The target as a proportion, or ``(None, message, hint)``."""
    try:
        number = parse_decimal(text.strip().removesuffix("%"))
    except ValueError:
        return None, "target is not a number", 'write a percentage such as 90 or 87,5 (quote "87,5" in CSV)'
    if number is None:
        return None, "missing target", "write the target in percent, such as 90"
    if indicator is not None and indicator.kind == "zero_count" and number != 0:
        return None, f"the target of {indicator.id!r} (a count that must be zero) can only be 0", None
    if not 0 <= number <= 100:
        return None, "target out of range", "write a percentage between 0 and 100"
    return number / 100, None, None


def load_targets_csv(
    path_or_text: str | os.PathLike[str],
    *,
    resolve: Callable[[str], str] | None = None,
    indicators: Mapping[str, Indicator] = INDICATORS,
    source: str | None = None,
) -> TargetTable:
    """Read unit targets from a CSV file (a path) or CSV text (a ``str`` containing a newline).

    Columns: ``unit`` (an id or name, mapped to an id by ``resolve``, which may raise a
    :class:`DvcttRulesError` or ``KeyError`` for an unknown one), ``indicator`` (an id of
    ``indicators``), ``target`` in percent ("90", "87,5", "87.5") and optionally ``effective_from``
    (an ISO date). Every row is checked; all problems are raised together as one
    :class:`DataError`. A file with a header and no rows is an empty table.

    >>> table = load_targets_csv("unit,indicator,target\\nso-tu-phap,online_dossier_rate,\\"87,5\\"\\n")
    >>> table.targets[0].value
    Fraction(7, 8)
    >>> load_targets_csv("unit,indicator,target\\nso-tu-phap,online_dosier_rate,90\\n")
    Traceback (most recent call last):
    ...
    dvctt_rules._errors.DataError: 1 problem in <targets>
      - <targets>, line 2, column 'indicator': unknown indicator (value 'online_dosier_rate'); \
did you mean 'online_dossier_rate'?
    """
    with paused_gc():
        return _load(path_or_text, resolve, indicators, source)


def _load(
    path_or_text: str | os.PathLike[str],
    resolve: Callable[[str], str] | None,
    indicators: Mapping[str, Indicator],
    source: str | None,
) -> TargetTable:
    text, where = _read(path_or_text, source)
    reader = csv_reader(io.StringIO(text, newline=""))  # line ends as the csv module reads a file
    problems: list[Problem] = []
    names: list[str] = []  # the header's, once read

    def problem(
        message: str, line: int, column: str | None = None, value: str | None = None, hint: str | None = None
    ) -> None:
        problems.append(Problem(message, source=where, line=line, column=column, value=value, hint=hint))

    def fail() -> NoReturn:
        raise DataError(problems, f"{len(problems):,} problem{'s' if len(problems) != 1 else ''} in {where}")

    def read_rows() -> Iterator[list[str]]:
        last = 0  # where the last row read ends: a row that fails starts after it
        try:
            for row in reader:
                last = reader.line_num
                yield row
        except csv.Error as exc:  # a quote never closed, a cell over the csv module's size limit, …
            problems.append(malformed(exc, where, reader.line_num, text, names, last + 1))
            fail()

    rows = read_rows()
    header = next(rows, None)
    while header is not None and not any(cell.strip() for cell in header):  # blank lines above it
        header = next(rows, None)
    at = reader.line_num  # the header's line
    if header is None:
        empty = Problem("the file is empty", source=where, hint=_COLUMNS_HINT)
        raise DataError([empty], f"1 problem in {where}")
    names = [nfc(name).strip().lower() for name in header]
    separated = separator_problem(names, _REQUIRED, where, at)
    if separated is not None:  # one problem, not a missing column for each name in one cell
        raise DataError([separated], f"1 problem in {where}")
    missing = [name for name in _REQUIRED if name not in names]
    for position, name in enumerate(names, start=1):
        if not name:
            problem(f"header cell {position} is blank", at, hint="name every column or delete the empty one")
        elif name not in (*_REQUIRED, *_OPTIONAL):
            problem("unexpected column", at, value=name, hint=_COLUMNS_HINT)
    for name in missing:
        problem(f"missing column {name!r}", at, hint=_COLUMNS_HINT)
    named = [name for name in names if name]  # a blank one is said above
    if len(set(named)) != len(named):
        problem("a column is repeated", at, value=",".join(header), hint=_COLUMNS_HINT)
    if problems:
        fail()

    targets: list[Target] = []
    first_line: dict[tuple[str, str, datetime.date | None], int] = {}
    # A file repeats a few indicators and target values: each is looked up or parsed once.
    known_indicators: dict[str, Indicator | UnknownNameError] = {}
    percents: dict[tuple[str, str | None], tuple[Fraction | None, str | None, str | None]] = {}
    at_unit, at_indicator, at_target = (names.index(name) for name in _REQUIRED)
    at_date = names.index("effective_from") if "effective_from" in names else None
    width = len(names)
    # Plain rows (every cell clean, unit resolved, no date) take the fast road; anything else goes
    # through the checks below, which say what is wrong. Parsed cells are remembered by their text.
    plain_indicators: dict[str, Indicator] = {}
    plain_values: dict[tuple[str, str], Fraction] = {}
    trusted = Target._trusted
    for row in rows:
        if at_date is None and len(row) == width:
            unit_text, indicator_text, target_text = row[at_unit], row[at_indicator], row[at_target]
            known = plain_indicators.get(indicator_text)
            proportion = plain_values.get((target_text, indicator_text))
            if known is not None and proportion is not None and unit_text.isascii():
                cleaned = unit_text.strip()
                try:
                    resolved = resolve(cleaned) if resolve is not None else cleaned
                except (DvcttRulesError, KeyError):
                    resolved = ""  # said below
                if cleaned and isinstance(resolved, str) and resolved.strip():
                    plain_key: tuple[str, str, datetime.date | None] = (resolved, known.id, None)
                    if plain_key not in first_line:
                        first_line[plain_key] = reader.line_num
                        targets.append(trusted(known.id, proportion, unit=resolved))
                        continue
        line = reader.line_num
        if not any(row) or not any(cell.strip() for cell in row):
            continue
        if len(row) != len(names):
            if len(row) > len(names):
                width_hint = 'quote a target written with a decimal comma: "87,5"'
            elif at_date is None:
                width_hint = _SHORT_ROW_HINT
            else:
                width_hint = f"{_SHORT_ROW_HINT} (leave effective_from empty if the target has no date)"
            problem(
                f"expected {len(names)} fields, found {len(row)}", line, value=",".join(row), hint=width_hint
            )
            continue
        cells = {
            "unit": _clean(row[at_unit]),
            "indicator": _clean(row[at_indicator]),
            "target": _clean(row[at_target]),
        }
        if at_date is not None:
            cells["effective_from"] = _clean(row[at_date])
        ok = True

        unit_text = cells["unit"]
        unit_id: str | None = unit_text
        if not unit_text:
            problem("missing unit", line, "unit", hint="give a unit id or its name")
            ok = False
        elif resolve is not None:
            try:
                unit_id = resolve(unit_text)
            except DvcttRulesError as exc:
                problem(str(exc), line, "unit", unit_text)
                ok = False
            except KeyError:  # resolve=mapping.__getitem__
                problem("unknown unit", line, "unit", unit_text, "give a unit id or name the resolver knows")
                ok = False
            else:
                if not isinstance(unit_id, str) or not unit_id.strip():  # the row would be dropped
                    raise TypeError(
                        f"resolve must return a unit id (a non-blank str); it returned {unit_id!r} "
                        f"for {unit_text!r}"
                    )

        indicator: Indicator | None = None
        found = known_indicators.get(cells["indicator"])
        if found is None:
            try:
                found = lookup_indicator(cells["indicator"], indicators)
            except UnknownNameError as exc:
                found = exc
            known_indicators[cells["indicator"]] = found
        if isinstance(found, UnknownNameError):
            problem("unknown indicator", line, "indicator", cells["indicator"], _hint(found))
            ok = False
        else:
            indicator = found

        key_percent = (cells["target"], None if indicator is None else indicator.id)
        parsed = percents.get(key_percent)
        if parsed is None:
            parsed = percents[key_percent] = _percent(cells["target"], indicator)
        value, message, hint = parsed
        if message is not None:
            problem(message, line, "target", cells["target"], hint)
            ok = False

        effective: datetime.date | None = None
        date_text = cells.get("effective_from", "")
        if date_text:
            try:
                if not _ISO_DATE.fullmatch(date_text):
                    raise ValueError(date_text)
                effective = datetime.date.fromisoformat(date_text)
            except ValueError:
                problem(
                    "not a date", line, "effective_from", date_text, "write an ISO date such as 2024-01-01"
                )
                ok = False

        if not ok or unit_id is None or indicator is None or value is None:
            continue
        key = (unit_id, indicator.id, effective)
        if key in first_line:
            problem(
                f"duplicate target (same unit, indicator and date as line {first_line[key]})",
                line,
                "unit",
                unit_text,
                "keep one row per unit, indicator and effective_from",
            )
            continue
        first_line[key] = line
        if isinstance(unit_id, str) and unit_id.strip():
            # Every field is checked above: the indicator is known, the value a proportion.
            targets.append(Target._trusted(indicator.id, value, unit=unit_id, effective_from=effective))
            plain_indicators[row[at_indicator]] = indicator
            plain_values[(row[at_target], row[at_indicator])] = value
        else:
            targets.append(Target(indicator.id, value, unit=unit_id, effective_from=effective))

    if problems:
        fail()
    return TargetTable._trusted(tuple(targets))  # each key (unit, indicator, date) once, checked above
