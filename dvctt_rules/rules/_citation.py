"""Legal citations: typed, frozen references to the documents a plan rests on."""

from __future__ import annotations

import datetime
from typing import Any

import attrs

from .._errors import PlanError, described
from ._checks import optional_text, required_text

__all__ = ["Citation", "format_date_vi"]


def date_mistake(name: str, value: object) -> str | None:
    """Why ``value`` is not a ``datetime.date`` for ``name`` (a message), ``None`` when it is one.

    A ``datetime`` is refused: it cannot be compared with the dates of targets and citations, and
    dropping its time silently would be a guess. Internal.

    >>> print(date_mistake("as_of", datetime.datetime(2024, 1, 1, 8, 30)))
    as_of must be a datetime.date, got the datetime 2024-01-01 08:30:00; pass its .date()
    >>> print(date_mistake("issued", "2024-01-01"))
    issued must be a datetime.date, got the text '2024-01-01'; write datetime.date(2024, 1, 1)
    """
    if isinstance(value, datetime.datetime):
        return f"{name} must be a datetime.date, got the datetime {value}; pass its .date()"
    if isinstance(value, datetime.date):
        return None
    if isinstance(value, str):
        try:
            day = datetime.date.fromisoformat(value.strip())
        except ValueError:
            hint = "write datetime.date(2024, 1, 1) for 1 January 2024"
        else:
            hint = f"write {day!r}"
        return f"{name} must be a datetime.date, got the text {value!r}; {hint}"
    return f"{name} must be a datetime.date, got {type(value).__name__} {value!r}"


def optional_date(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: ``None`` or a ``datetime.date`` (not a ``datetime``, not an ISO text). Internal."""
    if value is not None and type(value) is not datetime.date:
        mistake = date_mistake(attribute.name, value)
        if mistake is not None:
            raise PlanError(mistake, f"$.{attribute.name}")


def optional_citation(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: ``None`` or a :class:`Citation` (not the free text of one). Internal."""
    if value is not None and not isinstance(value, Citation):
        hint = (
            'make one with Citation(kind, number, issuer, date), e.g. Citation("Quyết định", "468/QĐ-TTg",'
            ' "Thủ tướng Chính phủ")'
        )
        raise PlanError(
            f"{attribute.name} must be a Citation, got {type(value).__name__} {value!r}; {hint}",
            f"$.{attribute.name}",
        )


def format_date_vi(day: datetime.date) -> str:
    """A date as Vietnamese administrative documents write it (Nghị định 30/2020/NĐ-CP).

    The day always has two digits; the month is zero-padded only for January and February.

    >>> format_date_vi(datetime.date(2023, 1, 6))
    '06/01/2023'
    >>> format_date_vi(datetime.date(2023, 9, 7))
    '07/9/2023'
    """
    if not isinstance(day, datetime.date):
        raise TypeError(f"day must be a datetime.date, got {described(day)}; write datetime.date(2023, 9, 7)")
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{day.day:02d}/{month}/{day.year}"


@attrs.frozen
class Citation:
    """A reference to a legal or administrative document, optionally to one of its parts.

    ``str(c)`` renders the way Vietnamese documents cite each other: kind, "số" and number,
    the date when known, then the issuer. ``article`` (a part of the document such as
    ``"Điều 5"``, ``"khoản 2 Điều 5"`` or ``"mục II.2 Phụ lục I"``) comes first, separated by a
    space and no comma, as in "theo quy định tại khoản 2 Điều 5 Nghị định số …". ``title``
    and ``url`` are kept for display and links but are not part of ``str(c)``.

    >>> c = Citation("Quyết định", "17/QĐ-UBQGCĐS", "Ủy ban Quốc gia về Chuyển đổi số",
    ...              datetime.date(2023, 4, 4))
    >>> print(c)
    Quyết định số 17/QĐ-UBQGCĐS ngày 04/4/2023 của Ủy ban Quốc gia về Chuyển đổi số
    >>> c.short
    'Quyết định 17/QĐ-UBQGCĐS'
    >>> print(attrs.evolve(c, article="Điều 1"))
    Điều 1 Quyết định số 17/QĐ-UBQGCĐS ngày 04/4/2023 của Ủy ban Quốc gia về Chuyển đổi số
    """

    kind: str = attrs.field(validator=required_text)
    number: str = attrs.field(validator=required_text)
    issuer: str = attrs.field(validator=required_text)
    date: datetime.date | None = attrs.field(default=None, validator=optional_date)
    article: str | None = attrs.field(default=None, validator=optional_text)
    title: str | None = attrs.field(default=None, validator=optional_text)
    url: str | None = attrs.field(default=None, validator=optional_text)

    @property
    def short(self) -> str:
        """Kind and number only: ``"Quyết định 17/QĐ-UBQGCĐS"``."""
        return f"{self.kind} {self.number}"

    def __str__(self) -> str:
        text = f"{self.kind} số {self.number}"
        if self.date is not None:
            text += f" ngày {format_date_vi(self.date)}"
        text += f" của {self.issuer}"
        return text if self.article is None else f"{self.article} {text}"
