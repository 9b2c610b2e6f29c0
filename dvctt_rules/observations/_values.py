"""Reading and writing one cell: counts as whole numbers, rates as percentages, exactly. Internal module."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from .._text import format_decimal, parse_decimal

__all__ = ["CellError", "parse_count", "parse_rate", "percent_text"]

_DIGITS = re.compile(r"[0-9]+")
_GROUPED = re.compile(r"[0-9]{1,3}(?:[.,\s\u00a0\u202f][0-9]{3})+")
_UNKNOWN = ("", "-")
_COUNT_HINT = "write a whole number with digits only (1200), or leave the cell blank or '-' when unknown"
_RATE_HINT = "write a percentage from 0 to 100 (99,4 or 99.4), or leave the cell blank or '-' when unknown"
#: A count has at most this many digits (a quintillion dossiers is a mistake). Internal.
COUNT_DIGITS = 18
_MAX_EXPONENT = 1000  # a JSON number like 1e999999999 would take forever to make exact


class CellError(Exception):
    """A cell that cannot be read: ``message`` says why, ``hint`` what to write."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def _exact(value: object, hint: str) -> Fraction | None:
    """A non-text cell as an exact number, ``None`` for ``None``; floats are read as written (``repr``)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(f"expected a number, got {str(value).lower()}", hint)
    if isinstance(value, int | Fraction):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellError("expected a finite number", hint)
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        if not value.is_finite() or not isinstance(exponent, int):
            raise CellError("expected a finite number", hint)
        if abs(exponent) > _MAX_EXPONENT or value.adjusted() > _MAX_EXPONENT:
            raise CellError("the number is too large or too precise", hint)
        return Fraction(value)
    raise CellError(f"expected a number or text, got {_kind(value)}", hint)


def _kind(value: object) -> str:
    """What a cell that is neither a number nor a text is, in JSON's words for JSON's kinds."""
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


def parse_count(value: object) -> int | None:
    """A count: digits only in text; ``None`` for blank, ``"-"`` or ``None``.

    Thousands separators are refused ("1.200" is 1200 in Vietnamese, 1.2 in English).

    >>> parse_count(" 1200 "), parse_count("-")
    (1200, None)
    >>> parse_count("1.200")
    Traceback (most recent call last):
    ...
    dvctt_rules.observations._values.CellError: '1.200' is ambiguous: a thousands separator or a decimal...
    """
    if isinstance(value, str):
        text = value.strip()
        if text in _UNKNOWN:
            return None
        if _DIGITS.fullmatch(text):
            if len(text.lstrip("0")) > COUNT_DIGITS:
                raise CellError("the number is implausibly large for a count", _COUNT_HINT)
            return int(text)
        if _GROUPED.fullmatch(text):
            raise CellError(f"{text!r} is ambiguous: a thousands separator or a decimal point?", _COUNT_HINT)
        try:
            number = parse_decimal(text)
        except ValueError:
            raise CellError("not a number", _COUNT_HINT) from None
    else:
        number = _exact(value, _COUNT_HINT)
    if number is None:
        return None
    if number < 0:
        raise CellError("a count cannot be negative", _COUNT_HINT)
    if number.denominator != 1:
        raise CellError("a count must be a whole number", _COUNT_HINT)
    if isinstance(value, str):
        raise CellError("a count is written with digits only", _COUNT_HINT)
    if number >= 10**COUNT_DIGITS:  # as for text: a JSON 1e400 is no count either
        raise CellError("the number is implausibly large for a count", _COUNT_HINT)
    return int(number)


def parse_rate(value: object) -> Fraction | None:
    """A rate written as a percentage (``"99,4"``, ``"99.4"``, ``"99,4 %"``, or a number), as a proportion.

    >>> parse_rate("99,4")
    Fraction(497, 500)
    >>> parse_rate(100), parse_rate("") is None
    (Fraction(1, 1), True)
    """
    if isinstance(value, str):
        text = value.strip()
        if text in _UNKNOWN:
            return None
        text = text.removesuffix("%").rstrip()
        try:
            number = parse_decimal(text) if text not in _UNKNOWN else None
        except ValueError:
            number = None
        if number is None:
            raise CellError("not a percentage", _RATE_HINT)
    else:
        number = _exact(value, _RATE_HINT)
        if number is None:
            return None
    if not 0 <= number <= 100:
        raise CellError("a rate must be a percentage from 0 to 100", _RATE_HINT)
    return number / 100


def percent_text(proportion: Fraction) -> str | None:
    """The proportion as an exact percentage with a decimal point; ``None`` if it has no finite decimal
    form, or one longer than the loaders read (:data:`_MAX_EXPONENT` decimals).

    >>> percent_text(Fraction(497, 500)), percent_text(Fraction(1, 3)), percent_text(Fraction(1, 2**1100))
    ('99.4', None, None)
    """
    percent = Fraction(proportion) * 100
    denominator, places = percent.denominator, 0
    while denominator % 10 == 0:
        denominator //= 10
        places += 1
    for factor in (2, 5):
        while denominator % factor == 0:
            denominator //= factor
            places += 1
    if denominator != 1 or places > _MAX_EXPONENT:
        return None
    return format_decimal(percent, places, lang="en")
