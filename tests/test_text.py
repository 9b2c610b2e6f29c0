"""Display helpers: numbers told apart from what they are judged against."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from dvctt_rules._text import distinct_places, format_decimal

percents = st.fractions(min_value=0, max_value=100, max_denominator=10**6)


@given(percents, percents, st.integers(0, 3))
def test_distinct_places_is_the_fewest_that_tell_two_numbers_apart(
    a: Fraction, b: Fraction, places: int
) -> None:
    wide = distinct_places(a, b, places)
    assert wide >= places

    def shown(p: int) -> tuple[str, str]:
        return format_decimal(a, p, trim=False), format_decimal(b, p, trim=False)

    if a == b:
        assert wide == places
        return
    first, second = shown(wide)
    assert first != second  # denominators up to 10⁶ differ by more than 10⁻¹² when they differ
    if wide > places:
        first, second = shown(wide - 1)
        assert first == second


def test_a_value_a_hair_under_its_target_gets_the_decimals_that_show_it() -> None:
    assert distinct_places(Fraction(10999, 200), 55, 1) == 3  # 54,995
    assert distinct_places(Fraction(54, 1), 55, 1) == 1
    assert distinct_places(Fraction(1, 10**20), 0, 1, most=12) == 12  # bounded
