"""Number style, cell safety and table rendering for people (tabulate) and scripts (CSV, JSON)."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from fractions import Fraction
from typing import Any, TypeGuard

from .._errors import UnknownNameError, check_lang, refuse_non_text
from .._io import write_csv
from .._text import close_matches, distinct_places, format_decimal

__all__ = [
    "FORMAT_ALIASES",
    "STATUS_LABELS",
    "Column",
    "format_number",
    "json_chunks",
    "json_number",
    "neutralise",
    "output_formats",
    "percent_points",
    "render",
    "shown_apart",
]

#: A verdict's status as people read it, by language.
STATUS_LABELS: Mapping[str, Mapping[str, str]] = {
    "vi": {
        "met": "Đạt",
        "not_met": "Không đạt",
        "no_data": "Không có dữ liệu",
        "not_applicable": "Không áp dụng",
    },
    "en": {"met": "met", "not_met": "not met", "no_data": "no data", "not_applicable": "not applicable"},
}

#: Short names for common tabulate formats.
FORMAT_ALIASES: dict[str, str] = {"table": "simple", "markdown": "github", "md": "github"}
_MARKDOWN = frozenset({"github", "pipe"})  # tabulate's Markdown tables


@functools.cache
def output_formats() -> tuple[str, ...]:
    """Every output format: ``csv``, ``json``, the aliases and each tabulate format, sorted.

    Also :data:`OUTPUT_FORMATS`; tabulate is imported when tables or this list are first needed.
    """
    from tabulate import tabulate_formats

    return tuple(sorted({"csv", "json", *FORMAT_ALIASES, *tabulate_formats}))


def __getattr__(name: str) -> Any:
    if name == "OUTPUT_FORMATS":  # computed on first use (importing tabulate takes a while)
        return output_formats()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """Make a text cell safe for spreadsheets: a leading ``= + - @`` (or tab, CR) gets a ``'`` prefix.

    >>> neutralise("=HYPERLINK(\\"x\\")"), neutralise("Phường Chánh Mỹ")
    ('\\'=HYPERLINK("x")', 'Phường Chánh Mỹ')
    """
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def json_number(value: Fraction | int | None, places: int = 4, *, scale: int = 1) -> int | float | None:
    """An exact number rounded half away from zero to ``places`` decimals for JSON/CSV (dot decimals);
    ``scale`` multiplies it first, exactly (``scale=100`` for a proportion shown in percent).

    >>> json_number(Fraction(2, 3) * 100), json_number(Fraction(175, 2)), json_number(7)
    (66.6667, 87.5, 7)
    >>> json_number(Fraction(2, 3), scale=100), json_number(Fraction(11, 20), scale=100)
    (66.6667, 55)
    """
    if value is None:
        return None
    if isinstance(value, int):
        return value * scale
    # Integer arithmetic on numerator and denominator: the same result as rounding the Fraction.
    numerator, denominator = value.numerator * scale, value.denominator
    if numerator % denominator == 0:
        return numerator // denominator
    unit = 10**places
    scaled = (2 * abs(numerator) * unit + denominator) // (2 * denominator)  # floor(|x| × unit + 1/2)
    result: float = (-scaled if numerator < 0 else scaled) / unit
    return result


def format_number(value: Fraction | int, places: int = 1, *, lang: str = "vi", trim: bool = True) -> str:
    """``value`` rounded half away from zero to ``places`` decimals, exactly, for display: a decimal
    comma in Vietnamese, a point in English; ``trim`` drops trailing zeros.

    >>> format_number(Fraction(1747, 20), 2), format_number(Fraction(175, 2), lang="en")
    ('87,35', '87.5')
    """
    check_lang(lang)
    if isinstance(value, bool) or not isinstance(value, int | Fraction):
        raise TypeError(f"value must be an int or a Fraction, got {type(value).__name__}; pass Fraction(x)")
    if isinstance(places, bool) or not isinstance(places, int) or places < 0:
        raise ValueError(f"places must be a whole number of 0 or more, got {places!r}")
    return format_decimal(value, places, lang=lang, trim=trim)


def _exact(value: object) -> TypeGuard[Fraction | int]:
    return isinstance(value, int | Fraction) and not isinstance(value, bool)


def shown_apart(
    records: list[dict[str, Any]],
    lang: str,
    keys: tuple[str, ...],
    others: Callable[[dict[str, Any]], Iterable[Fraction | int | None]],
    places: int,
) -> list[dict[str, Any]]:
    """For tables people read: a record's numbers under ``keys`` written with more decimals than
    ``places``, all alike, where one differs from a number it is judged against (``others`` of the
    record: a value's target, a score's grade edges) but would be shown equal to it: 54,995 % of a
    55 % target is "54,995" beside "55,000", never "55,0" beside "55,0" and "Không đạt". The records
    are changed in place and returned; render them with :func:`render` after.

    >>> rows = [{"value": Fraction(10999, 200), "target": 55}, {"value": Fraction(80), "target": 55}]
    >>> shown_apart(rows, "vi", ("value", "target"), lambda r: (r["target"],), 1)
    [{'value': '54,995', 'target': '55,000'}, {'value': Fraction(80, 1), 'target': 55}]
    """
    check_lang(lang)
    for record in records:
        numbers = [record.get(key) for key in keys]
        judged = [n for n in others(record) if _exact(n)]
        wide = max(
            (
                distinct_places(number, other, places)
                for number in numbers
                if _exact(number)
                for other in judged
            ),
            default=places,
        )
        if wide > places:
            for key, number in zip(keys, numbers, strict=True):
                if _exact(number):
                    record[key] = format_decimal(number, wide, lang=lang, trim=False)
    return records


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
    refuse_non_text(fmt, "fmt", "an output format's name", "pass 'table', 'csv', 'json' or a tabulate format")
    if fmt in ("csv", "json") or fmt in FORMAT_ALIASES or fmt in output_formats():
        return FORMAT_ALIASES.get(fmt, fmt)
    known = output_formats()
    raise UnknownNameError("output format", fmt, known, close_matches(fmt, known))


def render(
    records: Sequence[Mapping[str, Any]],
    columns: Sequence[Column],
    fmt: str = "table",
    *,
    lang: str = "vi",
    json_records: Iterable[Mapping[str, Any]] | None = None,
) -> str:
    """Render records as a table (any tabulate format, headers and number style in ``lang``; ``tsv``
    unpadded, every cell kept), CSV (dot decimals, formula-safe text cells) or JSON (``json_records``
    when given, else the records).

    Numbers in tables use the Vietnamese decimal comma in Vietnamese (``84,76``); CSV and JSON
    always use a dot.
    """
    chosen = _check_format(fmt)
    check_lang(lang)
    if chosen == "json":
        data = (
            json_records
            if json_records is not None
            else ({c.key: _machine(r.get(c.key), c) for c in columns} for r in records)
        )
        return "".join(json_chunks(data))
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
    headers = [c.header(lang) for c in columns]
    if chosen == "tsv":  # data to paste into a spreadsheet: no cell padded or dropped, text made safe
        rows = [headers, *([_tsv_cell(r.get(c.key), c, lang) for c in columns] for r in records)]
        return "".join("\t".join(row) + "\n" for row in rows)
    body = [[_display(r.get(c.key), c, lang) for c in columns] for r in records]
    if chosen in _MARKDOWN:  # a "|" in a cell would end it: escaped as Markdown tables escape it
        body = [[cell.replace("|", "\\|") for cell in row] for row in body]
    from tabulate import tabulate

    return tabulate(body, headers=headers, tablefmt=chosen, disable_numparse=True) + "\n"


_ONE_LINE = str.maketrans("\t\n\r", "   ")


def _tsv_cell(value: Any, column: Column, lang: str) -> str:
    """A cell of tab-separated values: as a table shows it, a tab or line break (which would start a
    new cell or row) as a space, and a text made formula-safe as in CSV."""
    cell = _display(value, column, lang).translate(_ONE_LINE)
    return neutralise(cell) if isinstance(value, (str, list, tuple)) else cell


def _json_default(value: Any) -> Any:
    if isinstance(value, Fraction):
        return json_number(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


# -- indented JSON, fast ----------------------------------------------------------------------------
#
# ``json.dumps(..., indent=2)`` runs the pure-Python encoder; without ``indent`` the C encoder runs,
# with any separators. A container whose items are all scalars is written by the C encoder with the
# item separator ",\n" + indentation, which is exactly the indented layout once the brackets are
# opened and closed on their own lines (a raw newline never occurs inside an encoded value). Other
# containers are laid out here, their runs of scalar items again written by the C encoder.

_CONTAINERS = (dict, list, tuple)
_encoders: dict[int, Callable[[Any], str]] = {}
_encode_key: Callable[[str], str] = json.encoder.encode_basestring


class _NotPlain(Exception):
    """A key that is not a string: left to :func:`json.dumps`."""


def _encoder(level: int) -> Callable[[Any], str]:
    """Compact JSON of a container whose items are separated by a newline and ``level`` indents."""
    found = _encoders.get(level)
    if found is None:
        found = _encoders[level] = _encoder_with(",\n" + "  " * level)
    return found


def _encoder_with(separator: str) -> Callable[[Any], str]:
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - CPython always has the C encoder
        encoder = json.JSONEncoder(ensure_ascii=False, separators=(separator, ": "), default=_json_default)
        return encoder.encode
    # What JSONEncoder.encode does, without making the C encoder again on every call.
    c_encode = make(None, _json_default, _encode_key, None, ": ", separator, False, False, True)

    def encode(value: Any) -> str:
        return "".join(c_encode(value, 0))

    return encode


def _dump(value: Any, level: int) -> str:
    """``value`` (a dict, list or tuple) indented by two spaces per level, its brackets at ``level``."""
    inner = level + 1
    pad = "\n" + "  " * inner
    close = "\n" + "  " * level
    if isinstance(value, dict):
        if not value:
            return "{}"
        parts: list[str] = []
        run: dict[str, Any] = {}
        for key, item in value.items():
            if type(key) is not str:
                raise _NotPlain
            if isinstance(item, _CONTAINERS):
                if run:
                    parts.append(_encoder(inner)(run)[1:-1])
                    run = {}
                parts.append(_encode_key(key) + ": " + _dump(item, inner))
            else:
                run[key] = item
        if run:
            parts.append(_encoder(inner)(run)[1:-1])
        return "{" + pad + ("," + pad).join(parts) + close + "}"
    if not value:
        return "[]"
    items: list[str] = []
    scalars: list[Any] = []
    for item in value:
        if isinstance(item, _CONTAINERS):
            if scalars:
                items.append(_encoder(inner)(scalars)[1:-1])
                scalars = []
            items.append(_dump(item, inner))
        else:
            scalars.append(item)
    if scalars:
        items.append(_encoder(inner)(scalars)[1:-1])
    return "[" + pad + ("," + pad).join(items) + close + "]"


def json_chunks(records: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """The JSON list of ``records`` as :func:`render` writes it (UTF-8 text, two-space indents, a
    final newline), one record after another: to write a long list without holding all of it.

    >>> "".join(json_chunks([{"unit": "Xã X", "score": Fraction(1, 3)}, {"unit": "Xã Y"}]))
    '[\\n  {\\n    "unit": "Xã X",\\n    "score": 0.3333\\n  },\\n  {\\n    "unit": "Xã Y"\\n  }\\n]\\n'
    """
    separator = "[\n  "
    for record in records:
        if isinstance(record, dict):
            try:
                text = _dump(record, 1)
            except _NotPlain:
                text = _indent(json.dumps(record, ensure_ascii=False, indent=2, default=_json_default))
        else:
            text = _indent(json.dumps(record, ensure_ascii=False, indent=2, default=_json_default))
        yield separator + text
        separator = ",\n  "
    yield "[]\n" if separator == "[\n  " else "\n]\n"


def _indent(text: str) -> str:
    return text.replace("\n", "\n  ")
