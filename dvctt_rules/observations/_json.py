"""Reading the top-level JSON list of an observations file: items, their lines, exact numbers. Internal."""

from __future__ import annotations

import json
import re
from collections import Counter
from decimal import Decimal
from typing import Any

from .._errors import DataError, Problem

__all__ = ["JSON_HINT", "duplicate_keys", "json_items", "json_kind"]


class _Object(dict[str, Any]):
    """A JSON object that remembers keys given twice."""

    duplicates: tuple[str, ...] = ()

    def __str__(self) -> str:
        return json_text(self)


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    result = _Object(pairs)
    if len(result) != len(pairs):
        counts = Counter(key for key, _ in pairs)
        result.duplicates = tuple(key for key in result if counts[key] > 1)
    return result


def json_text(value: object) -> str:
    """``value`` (read by :func:`json_items`) written as JSON, for messages: ``{"value": 10.5}``
    rather than Python's ``{'value': Decimal('10.5')}``."""
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(f"{json.dumps(key, ensure_ascii=False)}: {json_text(v)}" for key, v in value.items())
            + "}"
        )
    if isinstance(value, list):
        return "[" + ", ".join(map(json_text, value)) + "]"
    if isinstance(value, Decimal):
        return str(value)
    return json.dumps(value, ensure_ascii=False, default=str)  # a Fraction of records: its text


JSON_HINT = 'write a list of objects: [{"unit": "Phường Chánh Mỹ", "period": "2024-03", ...}, ...]'


def json_items(text: str, display: str) -> list[tuple[int, object]]:
    """The items of the top-level JSON list with their first lines; raises for anything else."""
    decoder = json.JSONDecoder(parse_float=Decimal, parse_constant=str, object_pairs_hook=_object)
    lines = _LineCounter(text)
    position = _skip(text, 0)
    if position == len(text):
        raise DataError([Problem("the file is empty", source=display, hint=JSON_HINT)])
    items: list[tuple[int, object]] = []
    top: object = []
    try:
        if text[position] != "[":
            top, _ = decoder.raw_decode(text, position)
        else:
            position = _skip(text, position + 1)
            closed = text[position : position + 1] == "]"
            while not closed:
                start = position
                value, position = decoder.raw_decode(text, position)
                items.append((lines.at(start), value))
                position = _skip(text, position)
                after = text[position : position + 1]
                if after not in (",", "]"):
                    raise json.JSONDecodeError("Expecting ',' or ']' after an item", text, position)
                closed = after == "]"
                position = _skip(text, position + 1) if after == "," else position
            position = _skip(text, position + 1)
            if position != len(text):
                raise json.JSONDecodeError("Extra data after the list", text, position)
    except json.JSONDecodeError as exc:
        problem = Problem(
            f"malformed JSON: {exc.msg} (column {exc.colno})",
            source=display,
            line=exc.lineno,
            hint="check the brackets, commas and quotes here",
        )
        raise DataError([problem]) from None
    except RecursionError:
        raise DataError([Problem("the JSON nests too deeply", source=display, hint=JSON_HINT)]) from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise DataError([Problem(f"malformed JSON: {exc}", source=display, hint=JSON_HINT)]) from None
    if not isinstance(top, list):
        raise DataError(
            [
                Problem(
                    f"expected a list of objects, got {json_kind(top)}",
                    source=display,
                    line=lines.at(position),
                    hint=JSON_HINT,
                )
            ]
        )
    return items


_SPACE = re.compile(r"[ \t\n\r]*")


def _skip(text: str, position: int) -> int:
    """The position of the next character that is not JSON whitespace."""
    match = _SPACE.match(text, position)
    return position if match is None else match.end()


def json_kind(value: object) -> str:
    """What a JSON value is, for messages: "an object", "a list", "a number", …"""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "null"
    return "true or false" if isinstance(value, bool) else "a number"


class _LineCounter:
    """Line numbers of increasing offsets, in linear time overall."""

    def __init__(self, text: str) -> None:
        self._text, self._offset, self._line = text, 0, 1

    def at(self, offset: int) -> int:
        """The line of ``offset`` (1-based)."""
        if offset < self._offset:
            self._offset, self._line = 0, 1
        self._line += self._text.count("\n", self._offset, offset)
        self._offset = offset
        return self._line


def duplicate_keys(value: object) -> tuple[str, ...]:
    """The keys given twice in a JSON object read by :func:`json_items` (JSON itself keeps the last)."""
    return getattr(value, "duplicates", ())
