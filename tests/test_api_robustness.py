"""Regressions from an API robustness sweep: wrong values at the public entry points are refused with
a clear message, instead of failing deep inside (or being accepted and giving a wrong answer)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import pytest

from dvctt_rules import UnknownNameError
from dvctt_rules.aggregate import rollup
from dvctt_rules.datasets import load_dataset
from dvctt_rules.ranking import rank
from dvctt_rules.rules import Target, TargetTable, compare, evaluate, gap_count

RATE = "online_dossier_rate"
DATETIME = datetime.datetime(2024, 1, 1, 8, 30)


# -- directions (compare, gap_count) ------------------------------------------------------------


@pytest.mark.parametrize("direction", ["atleast", "at least", "above", ""])
def test_compare_refuses_an_unknown_direction(direction: str) -> None:
    # Before: any unknown direction was silently treated as "equal".
    with pytest.raises(UnknownNameError, match=f"unknown direction '{direction}'") as info:
        compare(Fraction(1, 2), Fraction(1, 2), direction)
    assert info.value.known == ("at_least", "at_most", "equal")


def test_an_unknown_direction_gets_a_suggestion() -> None:
    with pytest.raises(UnknownNameError, match="did you mean 'at_most'"):
        compare(Fraction(1, 2), Fraction(1, 2), "at_mots")
    with pytest.raises(UnknownNameError, match="did you mean 'at_least'"):
        gap_count(105, 120, Fraction(9, 10), "at_leats")


@pytest.mark.parametrize("counts", [(105, 120), (3, None), (None, None), (4, 0)])
def test_gap_count_refuses_an_unknown_direction_with_or_without_counts(
    counts: tuple[int | None, int | None],
) -> None:
    with pytest.raises(UnknownNameError, match="unknown direction 'over'"):
        gap_count(*counts, Fraction(9, 10), "over")


def test_the_known_directions_still_give_the_same_answers() -> None:
    assert compare(Fraction(9, 10), Fraction(9, 10), "at_least")
    assert compare(Fraction(9, 10), Fraction(9, 10), "at_most")
    assert compare(Fraction(9, 10), Fraction(9, 10), "equal")
    assert not compare(Fraction(7, 8), Fraction(9, 10), "equal")
    assert gap_count(105, 120, Fraction(9, 10), "at_least") == 3
    assert gap_count(3, None, Fraction(0), "at_most") == 3
    assert gap_count(5, 10, Fraction(1, 2), "equal") == 0


# -- as_of: a date, not a datetime ---------------------------------------------------------------


TABLE = TargetTable(
    (
        Target(RATE, Fraction(1, 2)),
        Target(RATE, Fraction(9, 10), unit="u1", effective_from=datetime.date(2024, 1, 1)),
    )
)


@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        (
            DATETIME,
            r"as_of must be a datetime\.date, got the datetime 2024-01-01 08:30:00; pass its \.date\(\)",
        ),
        (
            "2024-01-01",
            r"as_of must be a datetime\.date, got the text '2024-01-01'; write datetime\.date\(2024, 1, 1\)",
        ),
    ],
)
def test_target_table_resolve_refuses_a_datetime_or_a_text(as_of: object, message: str) -> None:
    # Before: "can't compare datetime.datetime to datetime.date" from inside the lookup.
    with pytest.raises(TypeError, match=message):
        TABLE.resolve(RATE, "u1", "commune", as_of=as_of)  # type: ignore[arg-type]
    # Even when no comparison would be needed (no dated target for the indicator).
    with pytest.raises(TypeError, match=message):
        TABLE.resolve("on_time_rate", "u1", "commune", as_of=as_of)  # type: ignore[arg-type]


def test_target_table_resolve_with_a_date_is_unchanged() -> None:
    assert TABLE.resolve(RATE, "u1", "commune", as_of=datetime.date(2023, 12, 31)) == Target(
        RATE, Fraction(1, 2)
    )
    found = TABLE.resolve(RATE, "u1", "commune", as_of=datetime.date(2024, 1, 1))
    assert found is not None
    assert found.value == Fraction(9, 10)


DS = load_dataset("binh-duong-2023")
assert DS.plan is not None
PLAN = DS.plan
ENTRY_POINTS: list[tuple[str, Callable[[Any], object]]] = [
    ("evaluate", lambda as_of: evaluate(PLAN, DS.hierarchy, DS.baseline, as_of=as_of)),
    ("rank", lambda as_of: rank(PLAN, DS.hierarchy, DS.baseline, level="district", as_of=as_of)),
    ("rollup", lambda as_of: rollup(PLAN, DS.hierarchy, DS.baseline, level="district", as_of=as_of)),
]


@pytest.mark.parametrize(("name", "call"), ENTRY_POINTS, ids=[name for name, _ in ENTRY_POINTS])
def test_evaluate_rank_and_rollup_refuse_a_datetime_as_of(name: str, call: Callable[[Any], object]) -> None:
    # Refused at the entry (or, at the latest, at the first dated target), never compared.
    with pytest.raises(TypeError, match=r"as_of must be a datetime\.date") as info:
        call(DATETIME)
    assert "can't compare" not in str(info.value)
    assert info.value.__context__ is None  # raised as such, not while handling the comparison's error
    call(DATETIME.date())  # a date is fine
