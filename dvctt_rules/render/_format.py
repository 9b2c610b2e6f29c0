"""Number style, cell safety and table rendering for people (tabulate) and scripts (CSV, JSON)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from tabulate import tabulate, tabulate_formats

from .._errors import UnknownNameError
from .._io import write_csv
from .._text import close_matches, format_decimal

__all__ = [
    "FORMAT_ALIASES",
    "OUTPUT_FORMATS",
    "Column",
    "json_number",
    "neutralise",
    "percent_points",
    "render",
]

#: Short names for common tabulate formats.
FORMAT_ALIASES: dict[str, str] = {"table": "simple", "markdown": "github", "md": "github"}

#: Every output format: ``csv``, ``json``, the aliases and each tabulate format.
OUTPUT_FORMATS: tuple[str, ...] = tuple(sorted({"csv", "json", *FORMAT_ALIASES, *tabulate_formats}))

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """Make a text cell safe for spreadsheets: a leading ``= + - @`` (or tab, CR) gets a ``'`` prefix.

    >>> neutralise("=HYPERLINK(\\"x\\")"), neutralise("Phường Chánh Mỹ")
    ('\\'=HYPERLINK("x")', 'Phường Chánh Mỹ')
    """
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def json_number(value: Fraction | int | None, places: int = 4) -> int | float | None:
    """An exact number rounded half away from zero to ``places`` decimals for JSON/CSV (dot decimals).

    >>> json_number(Fraction(2, 3) * 100), json_number(Fraction(175, 2)), json_number(7)
    (66.6667, 87.5, 7)
    """
    if value is None:
        return None
    if isinstance(value, int):
        return value
    if value.denominator == 1:
        return int(value)
    sign = -1 if value < 0 else 1
    scaled = math.floor(abs(value) * 10**places + Fraction(1, 2))
    result: float = sign * scaled / 10**places
    return result


def percent_points(proportion: Fraction | None) -> Fraction | None:
    """A proportion as exact percentage points (``Fraction(7, 8)`` → ``Fraction(175, 2)``)."""
    return None if proportion is None else proportion * 100


class Column:
    """A column of a rendered table: its key in the records, headers in Vietnamese and English, and
    how many decimals its numbers show (``None``: as they come)."""

    __slots__ = ("decimals", "header_en", "header_vi", "key")

    def __init__(self, key: str, header_vi: str, header_en: str, decimals: int | None = None) -> None:
        self.key = key
        self.header_vi = header_vi
        self.header_en = header_en
        self.decimals = decimals

    def header(self, lang: str) -> str:
        """The header in ``lang`` (``vi`` or ``en``)."""
        return self.header_vi if lang == "vi" else self.header_en


def _display(value: Any, column: Column, lang: str) -> str:
    if value is None:
        return "–" if lang == "vi" else "-"
    if isinstance(value, bool):
        return ("có" if value else "không") if lang == "vi" else ("yes" if value else "no")
    if isinstance(value, (Fraction, float)):
        places = 2 if column.decimals is None else column.decimals
        return format_decimal(Fraction(value), places, lang=lang, trim=False)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def _machine(value: Any, column: Column) -> Any:
    if isinstance(value, Fraction):
        return json_number(value, 4 if column.decimals is None else max(column.decimals, 4))
    return value


def _check_format(fmt: str) -> str:
    if fmt in OUTPUT_FORMATS:
        return FORMAT_ALIASES.get(fmt, fmt)
    raise UnknownNameError("output format", fmt, OUTPUT_FORMATS, close_matches(fmt, OUTPUT_FORMATS))


def render(
    records: Sequence[Mapping[str, Any]],
    columns: Sequence[Column],
    fmt: str = "table",
    *,
    lang: str = "vi",
    json_records: Iterable[Mapping[str, Any]] | None = None,
) -> str:
    """Render records as a table (any tabulate format, headers and number style in ``lang``), CSV
    (dot decimals, formula-safe text cells) or JSON (``json_records`` when given, else the records).

    Numbers in tables use the Vietnamese decimal comma in Vietnamese (``84,76``); CSV and JSON
    always use a dot.
    """
    chosen = _check_format(fmt)
    if chosen == "json":
        data = (
            list(json_records)
            if json_records is not None
            else [{c.key: _machine(r.get(c.key), c) for c in columns} for r in records]
        )
        return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n"
    if chosen == "csv":
        rows = []
        for record in records:
            row = []
            for column in columns:
                value = _machine(record.get(column.key), column)
                if value is None:
                    row.append("")
                elif isinstance(value, bool):
                    row.append("true" if value else "false")
                elif isinstance(value, (list, tuple)):
                    row.append(neutralise(";".join(str(v) for v in value)))
                elif isinstance(value, str):
                    row.append(neutralise(value))
                else:
                    row.append(str(value))
            rows.append(row)
        return write_csv([c.key for c in columns], rows)
    body = [[_display(r.get(c.key), c, lang) for c in columns] for r in records]
    return (
        tabulate(body, headers=[c.header(lang) for c in columns], tablefmt=chosen, disable_numparse=True)
        + "\n"
    )


def _json_default(value: Any) -> Any:
    if isinstance(value, Fraction):
        return json_number(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
