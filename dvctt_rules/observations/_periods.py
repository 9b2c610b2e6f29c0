"""Reporting periods: a year ``2024``, a quarter ``2024-Q1`` or a month ``2024-03``, with containment."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta
from functools import total_ordering
from typing import Literal

import attrs

from .._errors import PeriodError, described

__all__ = ["Period", "PeriodKind", "period_argument", "period_hint"]

PeriodKind = Literal["year", "quarter", "month"]

_FORMS = "write a year (2024), a quarter (2024-Q1) or a month (2024-03)"
_YEAR = re.compile(r"([0-9]{4})")
_QUARTER = re.compile(r"([0-9]{4})-[Qq]([0-9]+)")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{1,2})")
_MONTH_FIRST = re.compile(r"(?:[Tt]h[áa]ng\s*|[Tt])?([0-9]{1,2})\s*[/.-]\s*([0-9]{4})")
_QUARTER_FIRST = re.compile(r"(?:[Qq]u[ýy]\s*|[Qq])([1-4]|I{1,3}|IV)\s*[/.-]\s*([0-9]{4})")
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


def _check_year(instance: Period, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 9999:
        raise PeriodError(f"a period's year must be an integer from 1 to 9999, got {value!r}")


def _check_part(limit: int) -> Callable[[Period, attrs.Attribute[int | None], int | None], None]:
    def check(instance: Period, attribute: attrs.Attribute[int | None], value: int | None) -> None:
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= limit:
            raise PeriodError(
                f"a period's {attribute.name} must be an integer from 1 to {limit}, got {value!r}"
            )
        if instance.quarter is not None and instance.month is not None:
            raise PeriodError("a period has a quarter or a month, not both")

    return check


def period_hint(text: str) -> str:
    """What to write instead of ``text``, which :meth:`Period.parse` refused.

    >>> period_hint("03/2024")
    'write it as 2024-03'
    >>> period_hint("Quý I/2024")
    'write it as 2024-Q1'
    """
    stripped = text.strip()
    if match := _MONTH_FIRST.fullmatch(stripped):
        month = int(match.group(1))
        if 1 <= month <= 12:
            return f"write it as {match.group(2)}-{month:02d}"
    if match := _QUARTER_FIRST.fullmatch(stripped):
        number = match.group(1)
        return f"write it as {match.group(2)}-Q{_ROMAN.get(number, number)}"
    if match := _QUARTER.fullmatch(stripped):
        return f"a quarter is Q1 to Q4; {_FORMS}"
    if match := _MONTH.fullmatch(stripped):
        return f"a month is 01 to 12; {_FORMS}"
    if _YEAR.fullmatch(stripped):
        return "a year is 0001 to 9999"
    return _FORMS


@total_ordering
@attrs.frozen(repr=False, order=False)
class Period:
    """A calendar year, quarter or month. Immutable, hashable and ordered.

    Periods sort by start, and a longer period before the shorter ones that start with it:
    ``2024 < 2024-Q1 < 2024-01 < 2024-02 < 2024-03 < 2024-Q2 < 2024-04``.

    >>> Period.parse("2024-Q1")
    Period('2024-Q1')
    >>> Period(2024).contains(Period(2024, month=3))
    True
    >>> [str(p) for p in Period.parse("2024-Q2").months()]
    ['2024-04', '2024-05', '2024-06']
    >>> Period(2024, month=3).parent
    Period('2024-Q1')
    """

    year: int = attrs.field(validator=_check_year)
    quarter: int | None = attrs.field(default=None, kw_only=True, validator=_check_part(4))
    month: int | None = attrs.field(default=None, kw_only=True, validator=_check_part(12))
    # The first month counted from January of year 0 and the length in months, computed once: every
    # comparison, containment and sort uses them.
    _first: int = attrs.field(init=False, eq=False, hash=False, repr=False)
    _length: int = attrs.field(init=False, eq=False, hash=False, repr=False)
    # One integer in the order of periods: by first month, then the longer period first.
    _sort: int = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.month is not None:
            first, length = self.year * 12 + self.month - 1, 1
        elif self.quarter is not None:
            first, length = self.year * 12 + 3 * (self.quarter - 1), 3
        else:
            first, length = self.year * 12, 12
        object.__setattr__(self, "_first", first)
        object.__setattr__(self, "_length", length)
        object.__setattr__(self, "_sort", first * 16 + 12 - length)

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read ``2024``, ``2024-Q1`` (or ``2024-q1``) or ``2024-03`` (or ``2024-3``).

        Raises :class:`~dvctt_rules.PeriodError` saying what was expected.
        """
        if not isinstance(text, str):
            raise PeriodError(f"a period is written as text, got {type(text).__name__} {text!r}; {_FORMS}")
        stripped = text.strip()
        try:
            if _YEAR.fullmatch(stripped):
                return cls(int(stripped))
            if match := _QUARTER.fullmatch(stripped):
                return cls(int(match.group(1)), quarter=int(match.group(2)))
            if match := _MONTH.fullmatch(stripped):
                return cls(int(match.group(1)), month=int(match.group(2)))
        except PeriodError:
            pass
        raise PeriodError(f"{text!r} is not a period; {period_hint(text)}")

    # -- shape ------------------------------------------------------------------------------

    @property
    def kind(self) -> PeriodKind:
        """``"year"``, ``"quarter"`` or ``"month"``."""
        if self.month is not None:
            return "month"
        return "year" if self.quarter is None else "quarter"

    @property
    def _last(self) -> int:
        return self._first + self._length - 1

    @property
    def start(self) -> date:
        """The first day."""
        return date(self.year, self._first % 12 + 1, 1)

    @property
    def end(self) -> date:
        """The last day (inclusive).

        >>> Period.parse("2024-02").end
        datetime.date(2024, 2, 29)
        """
        month = self._last % 12 + 1
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    def months(self) -> tuple[Period, ...]:
        """The months of the period, in order (a month gives itself)."""
        return tuple(Period(m // 12, month=m % 12 + 1) for m in range(self._first, self._last + 1))

    @property
    def parent(self) -> Period | None:
        """The quarter of a month, the year of a quarter, ``None`` for a year."""
        if self.month is not None:
            return Period(self.year, quarter=(self.month - 1) // 3 + 1)
        return None if self.quarter is None else Period(self.year)

    def contains(self, other: Period | str) -> bool:
        """Whether every month of ``other`` (a period, or its text: ``"2024-03"``) is in this
        period (a period contains itself).

        >>> Period.parse("2024-Q1").contains("2024-03")
        True
        """
        try:
            other_first, other_length = other._first, other._length  # type: ignore[union-attr]
        except AttributeError:  # text, or not a period at all: read (or refused) only then
            other = period_argument(other, "other")
            other_first, other_length = other._first, other._length
        first = self._first
        return first <= other_first and other_first + other_length <= first + self._length

    def overlaps(self, other: Period | str) -> bool:
        """Whether the two periods share at least one month; ``other`` may be a period's text."""
        try:
            other_first, other_length = other._first, other._length  # type: ignore[union-attr]
        except AttributeError:
            other = period_argument(other, "other")
            other_first, other_length = other._first, other._length
        return self._first < other_first + other_length and other_first < self._first + self._length

    def days(self) -> int:
        """The number of days."""
        return (self.end - self.start + timedelta(days=1)).days

    # -- protocol ---------------------------------------------------------------------------

    def _key(self) -> tuple[int, int]:
        return (self._first, -self._length)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._sort < other._sort

    def __str__(self) -> str:
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        if self.quarter is not None:
            return f"{self.year:04d}-Q{self.quarter}"
        return f"{self.year:04d}"

    def __repr__(self) -> str:
        return f"Period({str(self)!r})"


def period_argument(period: object, name: str = "period") -> Period:
    """A ``period`` argument (called ``name``) as a :class:`Period`: a text is parsed, any other type
    refused. Internal."""
    if isinstance(period, str):
        return Period.parse(period)
    if isinstance(period, Period):
        return period
    raise TypeError(
        f"{name} must be a Period or a text such as '2024-03', got {described(period)}; "
        "write a year (2024), a quarter (2024-Q1) or a month (2024-03)"
    )
