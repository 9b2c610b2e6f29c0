"""Vietnamese text helpers: normalisation, matching keys, suggestions, exact number parsing and display.

Internal module; the functions are re-exported where they belong to the public API.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from fractions import Fraction

__all__ = [
    "canonical",
    "canonical_keys",
    "close_matches",
    "distinct_places",
    "fold",
    "fold_canonical",
    "fold_canonical_keys",
    "format_decimal",
    "format_percent",
    "nfc",
    "parse_decimal",
]

# Old-style ("hoà", "thuý") versus new-style ("hòa", "thúy") tone-mark placement on the
# diphthongs oa, oe, uy: canonicalise to the new style (tone on the second vowel).
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
_OLD_STYLE = re.compile(rf"([oO])([{_TONES}])([aAeE])|([uU])([{_TONES}])([yY])")


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC, the form every name is kept in."""
    return unicodedata.normalize("NFC", text)


def _move_tone(match: re.Match[str]) -> str:
    if match.group(1):
        first, tone, second = match.group(1), match.group(2), match.group(3)
    else:
        first, tone, second = match.group(4), match.group(5), match.group(6)
    return first + second + tone


def canonical(text: str) -> str:
    """A matching key: NFC, case-folded, single-spaced, tone marks in the new style, the look-alike
    ``Ð`` (U+00D0) of legacy text read as ``Đ``.

    >>> canonical("Phường  Định Hoà") == canonical("phường định hòa") == canonical("Phường \u00d0ịnh Hòa")
    True
    """
    return _canonical_spaced(" ".join(text.split()).casefold())


def canonical_keys(texts: Iterable[str]) -> list[str]:
    """:func:`canonical` of each text, normalised all together (for many names at once)."""
    spaced = list(map(" ".join, map(str.split, texts)))  # no line breaks left to be confused with
    return _canonical_spaced("\n".join(spaced).casefold()).split("\n") if spaced else []


def _canonical_spaced(text: str) -> str:
    # A line break is a starter that composes with nothing: no normalisation crosses it. Legacy
    # Vietnamese text (TCVN3 fonts, some keyboards) writes Đ as the look-alike Icelandic Ð (U+00D0),
    # casefolded to ð: read as đ.
    text = text.replace("\u00f0", "đ")
    return unicodedata.normalize("NFC", _OLD_STYLE.sub(_move_tone, unicodedata.normalize("NFD", text)))


class _WithoutCombining(dict[int, int | None]):
    """A ``str.translate`` table that drops combining characters, filled as characters are seen."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_WITHOUT_COMBINING = _WithoutCombining()


def fold(text: str) -> str:
    """A matching key without diacritics: ``"Phường Chánh Mỹ"`` → ``"phuong chanh my"``.

    >>> fold("Đất Cuốc")
    'dat cuoc'
    """
    return fold_canonical(canonical(text))


def fold_canonical(key: str) -> str:
    """:func:`fold` of a text whose :func:`canonical` key is ``key`` (saves computing it twice)."""
    return unicodedata.normalize("NFD", key).translate(_WITHOUT_COMBINING).replace("đ", "d")


def fold_canonical_keys(keys: list[str]) -> list[str]:
    """:func:`fold_canonical` of each of ``keys`` (keys of :func:`canonical`: no line breaks in them)."""
    return fold_canonical("\n".join(keys)).split("\n") if keys else []


def close_matches(word: str, candidates: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """The candidates closest to ``word``, compared without case or diacritics; best first.

    >>> close_matches("received_onlne", ["received_online", "received_direct", "payments_total"])
    ['received_online', 'received_direct']
    """
    by_key: dict[str, str] = {}
    for candidate in candidates:
        by_key.setdefault(fold(candidate), candidate)
    keys = difflib.get_close_matches(fold(word), list(by_key), n=n, cutoff=cutoff)
    return [by_key[key] for key in keys]


_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")


def parse_decimal(text: str) -> Fraction | None:
    """Parse a number written either way ("99,4" or "99.4") exactly; ``None`` for blank or "-".

    Raises ``ValueError`` for anything else (thousands separators are not accepted: they are
    ambiguous between the two styles).

    >>> parse_decimal("99,4")
    Fraction(497, 5)
    >>> parse_decimal("-") is None
    True
    """
    stripped = text.strip()
    if stripped in ("", "-"):
        return None
    if not _NUMBER.fullmatch(stripped):
        raise ValueError(f"not a number: {text!r}")
    try:
        return Fraction(Decimal(stripped.replace(",", ".")))
    except (InvalidOperation, ValueError) as exc:  # pragma: no cover - the pattern above rules these out
        raise ValueError(f"not a number: {text!r}") from exc


def format_decimal(value: Fraction | int, places: int = 1, *, lang: str = "vi", trim: bool = True) -> str:
    """Round half away from zero for display (exactly), with a decimal comma in Vietnamese.

    >>> format_decimal(Fraction(1747, 20), 2)
    '87,35'
    >>> format_decimal(Fraction(175, 2), 1, lang="en")
    '87.5'
    >>> format_decimal(90, 1)
    '90'
    >>> format_decimal(Fraction(-1, 200), 2, trim=False)
    '-0,01'
    """
    exact = value if isinstance(value, int | Fraction) else Fraction(value)
    return _format_ratio(exact.numerator, exact.denominator, places, lang, trim)


def _format_ratio(numerator: int, denominator: int, places: int, lang: str, trim: bool) -> str:
    """:func:`format_decimal` of ``numerator / denominator`` (``denominator > 0``), on integers."""
    # floor(|x| × 10^places + 1/2), exactly.
    rounded = (2 * abs(numerator) * 10**places + denominator) // (2 * denominator)
    digits = str(rounded).rjust(places + 1, "0")
    text = f"{digits[:-places]}.{digits[-places:]}" if places > 0 else digits
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    if numerator < 0 and text.strip("0.") != "":
        text = "-" + text
    return text.replace(".", ",") if lang == "vi" else text


def distinct_places(
    value: Fraction | int, other: Fraction | int, places: int, *, scale: int = 1, most: int = 12
) -> int:
    """The fewest decimal places, from ``places``, at which ``value`` and ``other`` (each times
    ``scale``: 100 for percentages) are shown apart when they differ (up to ``most``): a value just
    under its target must not be shown as equal to it.

    >>> distinct_places(Fraction(10999, 200), 55, 1), distinct_places(Fraction(1, 3), 55, 1)
    (3, 1)
    >>> distinct_places(Fraction(10999, 20000), Fraction(55, 100), 1, scale=100)
    3
    """
    n1, d1 = value.numerator, value.denominator
    n2, d2 = other.numerator, other.denominator
    # Apart by 10^-places or more, they round apart (most calls): |a - b| × 10^places >= 1, exactly.
    difference = abs(n1 * d2 - n2 * d1) * scale
    if not difference or difference * 10**places >= d1 * d2:
        return places
    while places < most and _format_ratio(n1 * scale, d1, places, "en", False) == _format_ratio(
        n2 * scale, d2, places, "en", False
    ):
        places += 1
    return places


def format_percent(proportion: Fraction | int, places: int = 1, *, lang: str = "vi") -> str:
    """A proportion (0..1) as a percentage for display: ``Fraction(7, 8)`` → ``"87,5 %"``.

    >>> format_percent(Fraction(7, 8))
    '87,5 %'
    >>> format_percent(Fraction(7, 8), lang="en")
    '87.5%'
    """
    exact = proportion if isinstance(proportion, int | Fraction) else Fraction(proportion)
    number = _format_ratio(exact.numerator * 100, exact.denominator, places, lang, True)
    return f"{number} %" if lang == "vi" else f"{number}%"
