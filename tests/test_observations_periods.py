"""Periods: syntax, shape, and the laws of containment and order."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dvctt_rules import PeriodError
from dvctt_rules.observations import Period
from dvctt_rules.testing import periods


def _months(period: Period) -> set[tuple[int, int | None]]:
    return {(m.year, m.month) for m in period.months()}


@pytest.mark.parametrize(
    ("text", "expected", "kind"),
    [
        ("2024", "2024", "year"),
        ("2024-Q1", "2024-Q1", "quarter"),
        (" 2024-q4 ", "2024-Q4", "quarter"),
        ("2024-03", "2024-03", "month"),
        ("2024-3", "2024-03", "month"),
        ("0001-12", "0001-12", "month"),
    ],
)
def test_parse_and_str(text: str, expected: str, kind: str) -> None:
    period = Period.parse(text)
    assert str(period) == expected
    assert period.kind == kind
    assert repr(period) == f"Period({expected!r})"


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("03/2024", "write it as 2024-03"),
        ("T3/2024", "write it as 2024-03"),
        ("Tháng 3/2024", "write it as 2024-03"),
        ("Quý I/2024", "write it as 2024-Q1"),
        ("Q2-2024", "write it as 2024-Q2"),
        ("2024-Q5", "a quarter is Q1 to Q4"),
        ("2024-13", "a month is 01 to 12"),
        ("2024-00", "a month is 01 to 12"),
        ("0000", "a year is 0001 to 9999"),
        ("24", "write a year (2024), a quarter (2024-Q1) or a month (2024-03)"),
        ("", "write a year"),
        ("2024-03-01", "write a year"),
    ],
)
def test_parse_errors_say_what_to_write(text: str, hint: str) -> None:
    with pytest.raises(PeriodError, match="is not a period") as info:
        Period.parse(text)
    assert hint in str(info.value)


def test_parse_refuses_non_text() -> None:
    with pytest.raises(PeriodError, match="written as text"):
        Period.parse(2024)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"year": 0},
        {"year": 10_000},
        {"year": 2024, "quarter": 0},
        {"year": 2024, "month": 13},
        {"year": 2024, "quarter": 1, "month": 1},
        {"year": True},
    ],
)
def test_constructor_validates(kwargs: dict[str, int]) -> None:
    with pytest.raises(PeriodError):
        Period(**kwargs)


def test_shape() -> None:
    q1 = Period.parse("2024-Q1")
    assert (q1.start, q1.end) == (datetime.date(2024, 1, 1), datetime.date(2024, 3, 31))
    assert q1.days() == 91
    assert Period.parse("2023-02").end == datetime.date(2023, 2, 28)
    assert [str(m) for m in q1.months()] == ["2024-01", "2024-02", "2024-03"]
    assert Period(2024, month=5).parent == Period(2024, quarter=2)
    assert Period(2024, quarter=2).parent == Period(2024)
    assert Period(2024).parent is None
    assert Period(9999).end == datetime.date(9999, 12, 31)


def test_order_puts_the_longer_period_first() -> None:
    texts = ["2024-04", "2024-Q2", "2024-03", "2024", "2024-Q1", "2023-12", "2024-01", "2024-02"]
    ordered = sorted(Period.parse(t) for t in texts)
    assert [str(p) for p in ordered] == [
        "2023-12", "2024", "2024-Q1", "2024-01", "2024-02", "2024-03", "2024-Q2", "2024-04",
    ]  # fmt: skip


@given(periods())
def test_str_parse_round_trip(period: Period) -> None:
    assert Period.parse(str(period)) == period
    assert hash(Period.parse(str(period))) == hash(period)


@given(periods(2020, 2026), periods(2020, 2026))
def test_containment_and_overlap_are_month_sets(a: Period, b: Period) -> None:
    assert a.contains(b) == (_months(b) <= _months(a))
    assert a.overlaps(b) == bool(_months(a) & _months(b))
    assert a.overlaps(b) == b.overlaps(a)
    # Calendar periods nest: two periods that overlap are one inside the other.
    assert a.overlaps(b) == (a.contains(b) or b.contains(a))


@given(periods(2020, 2026), periods(2020, 2026), periods(2020, 2026))
def test_containment_is_a_partial_order(a: Period, b: Period, c: Period) -> None:
    assert a.contains(a)
    if a.contains(b) and b.contains(a):
        assert a == b
    if a.contains(b) and b.contains(c):
        assert a.contains(c)


@given(periods(2020, 2026), periods(2020, 2026))
def test_order_is_consistent_with_containment_and_time(a: Period, b: Period) -> None:
    if a.contains(b) and a != b:
        assert a < b
    if a < b:
        assert a.start <= b.start
        assert not b < a
    assert (a < b) + (b < a) + (a == b) == 1


@given(st.integers(1, 9999))
def test_a_year_contains_its_quarters_and_months(year: int) -> None:
    whole = Period(year)
    quarters = [Period(year, quarter=q) for q in range(1, 5)]
    months = whole.months()
    assert len(months) == 12
    assert all(whole.contains(q) for q in quarters)
    assert all(whole.contains(m) for m in months)
    assert [m for q in quarters for m in q.months()] == list(months)
    assert sum(q.days() for q in quarters) == whole.days() == sum(m.days() for m in months)
    assert all(m.parent is not None and m.parent.parent == whole for m in months)
    assert not whole.contains(Period(year + 1)) if year < 9999 else True


@given(periods())
def test_a_period_is_inside_its_parents_and_dates_agree(period: Period) -> None:
    parent = period.parent
    while parent is not None:
        assert parent.contains(period)
        parent = parent.parent
    assert period.start <= period.end
    assert period.months()[0].start == period.start
    assert period.months()[-1].end == period.end
