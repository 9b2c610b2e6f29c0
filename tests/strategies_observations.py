"""Hypothesis strategies for observations: periods, valid data consistent with a hierarchy, unit spellings.

``TRICKY`` is a small hierarchy whose names are the hard cases of real lists: a commune name shared by two
districts, old and new tone-mark placement on two different units, a bare name that is both a district
and a ward, a comma and quotes in a name, a double space, and two wards with exactly the same name.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from dvctt_rules._text import fold
from dvctt_rules.hierarchy import Hierarchy, Unit
from dvctt_rules.observations import DEFAULT_CATALOG, MeasureCatalog, Observation, Observations, Period

__all__ = [
    "TRICKY",
    "count_values",
    "notes",
    "observation_sets",
    "period_sets",
    "periods",
    "rate_values",
    "spellings",
]

_RARE = st.integers(0, 3).map(lambda n: n == 0)  # true one time in four
_COUNT = st.none() | st.integers(0, 10_000) | st.integers(0, 10**15)
_PLACES = st.integers(0, 4)
_HOW = st.sampled_from(["none", "none", "quarter", "months"])
_MONTHS = st.lists(st.integers(1, 3), min_size=1, max_size=3, unique=True)


def _tricky() -> Hierarchy:
    rows = [
        ("74", "Tỉnh Bình Dương", "province", None),
        ("so-vhttdl", "Sở Văn hóa, Thể thao và Du lịch", "department", "74"),
        ("ban-dac-biet", 'Ban "Đặc biệt" tỉnh', "department", "74"),
        ("724", "UBND Thành phố Dĩ An", "district", "74"),
        ("722", "UBND Huyện Phú Giáo", "district", "74"),
        ("718", "UBND Thành phố Thủ Dầu Một", "district", "74"),
        ("25960", "Phường An Bình", "commune", "724"),
        ("25942", "Phường Dĩ An", "commune", "724"),
        ("25870", "Xã An Bình", "commune", "722"),
        ("25871", "Xã  Tân   Hiệp", "commune", "722"),
        ("25759", "Phường Định Hòa", "commune", "718"),
        ("25760", "Phường Định Hoà", "commune", "724"),
        ("25774", "Phường Chánh Mỹ", "commune", "718"),
        ("25852", "Phường Tân Định", "commune", "718"),
        ("25853", "Phường Tân Định", "commune", "724"),
    ]
    units = [Unit(uid, name, level) for uid, name, level, _ in rows]
    return Hierarchy(units, {uid: parent for uid, _, _, parent in rows})


TRICKY = _tricky()


def spellings(hierarchy: Hierarchy, unit: Unit) -> list[str]:
    """The ways of writing ``unit`` that the hierarchy's lookup resolves to it (the id always does)."""
    candidates = [
        unit.id,
        unit.name,
        unit.name.upper(),
        unit.name.lower(),
        fold(unit.name),
        f"  {unit.name} ",
    ]
    found = []
    for text in dict.fromkeys(candidates):
        try:
            if hierarchy.lookup(text.strip()).id == unit.id:
                found.append(text)
        except LookupError:
            pass
    return found


def periods(min_year: int = 1, max_year: int = 9999) -> st.SearchStrategy[Period]:
    """Any year, quarter or month."""
    years = st.integers(min_year, max_year)
    return st.one_of(
        years.map(Period),
        st.builds(lambda y, q: Period(y, quarter=q), years, st.integers(1, 4)),
        st.builds(lambda y, m: Period(y, month=m), years, st.integers(1, 12)),
    )


@st.composite
def period_sets(draw: st.DrawFn, years: Sequence[int] = (2024,)) -> list[Period]:
    """Non-overlapping periods of one unit: per year the year, or per quarter the quarter or some months."""
    chosen: list[Period] = []
    for year in draw(st.lists(st.sampled_from(list(years)), min_size=1, unique=True)):
        if draw(_RARE):
            chosen.append(Period(year))
            continue
        for quarter in range(1, 5):
            how = draw(_HOW)
            if how == "quarter":
                chosen.append(Period(year, quarter=quarter))
            elif how == "months":
                chosen += [Period(year, month=3 * (quarter - 1) + m) for m in draw(_MONTHS)]
    return chosen or [Period(years[0])]


def _fix_relations(values: dict[str, int | None], catalog: MeasureCatalog) -> dict[str, int | None]:
    """Lower parts to their whole until every relation holds (parts only go down, so this ends)."""
    changed = True
    while changed:
        changed = False
        for relation in catalog.relations:
            broken = relation.violation(values)
            if broken:
                values[relation.part] = broken[1]
                changed = True
    return values


def count_values(catalog: MeasureCatalog = DEFAULT_CATALOG) -> st.SearchStrategy[dict[str, int | None]]:
    """Some counts of ``catalog`` (``None`` = unknown) that satisfy its relations."""
    names = st.lists(st.sampled_from(catalog.counts()), unique=True, max_size=8)

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, int | None]:
        return _fix_relations({name: draw(_COUNT) for name in draw(names)}, catalog)

    return build()


def rate_values(catalog: MeasureCatalog = DEFAULT_CATALOG) -> st.SearchStrategy[dict[str, Fraction | None]]:
    """Some rates of ``catalog`` as exact proportions with up to four decimals in percent."""
    names = st.lists(st.sampled_from(catalog.rates()), unique=True, max_size=3)
    percents = _PLACES.flatmap(lambda k: st.integers(0, 100 * 10**k).map(lambda n: Fraction(n, 10**k)))

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Fraction | None]:
        return {name: None if draw(_RARE) else draw(percents) / 100 for name in draw(names)}

    return build()


def notes() -> st.SearchStrategy[str | None]:
    """Free-text notes: Vietnamese, commas, quotes and line breaks."""
    return _NOTES


_NOTES: st.SearchStrategy[str | None] = st.none() | st.text(
    st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(["\n", ",", '"', "ơ", "Đ"]),
    max_size=20,
)
_DEFAULT_COUNTS = count_values()
_DEFAULT_RATES = rate_values()


@st.composite
def observation_sets(
    draw: st.DrawFn,
    hierarchy: Hierarchy = TRICKY,
    catalog: MeasureCatalog = DEFAULT_CATALOG,
    min_size: int = 1,
    years: Sequence[int] = (2024,),
) -> Observations:
    """Valid observations of some units of ``hierarchy``: non-overlapping periods, relations respected."""
    units = draw(st.lists(st.sampled_from(hierarchy.units()), unique=True, min_size=min_size, max_size=3))
    counts = _DEFAULT_COUNTS if catalog is DEFAULT_CATALOG else count_values(catalog)
    rates = _DEFAULT_RATES if catalog is DEFAULT_CATALOG else rate_values(catalog)
    periods = period_sets(years)
    items = []
    for unit in units:
        for period in draw(periods):
            items.append(
                Observation(unit.id, period, counts=draw(counts), rates=draw(rates), note=draw(_NOTES))
            )
    return Observations(draw(st.permutations(items)), catalog=catalog, hierarchy=hierarchy)


def cells() -> st.SearchStrategy[Any]:
    """Anything a record's cell might hold: text, numbers, None, booleans, nested values."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**20), 10**20),
        st.floats(allow_nan=True, allow_infinity=True),
        st.fractions(),
        st.decimals(allow_nan=True, allow_infinity=True),
        st.text(max_size=12),
        st.sampled_from(["-", "", "1.200", "99,4", "2024-Q5", "1e999", "NaN", "100 %", "Chánh Mỹ", "2024"]),
    )
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=2), max_leaves=3)
