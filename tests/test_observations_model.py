"""Observation values, validated collections, and accumulation over periods."""

from __future__ import annotations

import random
from fractions import Fraction

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dvctt_rules import DataError, UnknownUnitError
from dvctt_rules.observations import DEFAULT_CATALOG, Measure, Observation, Observations, Period
from dvctt_rules.testing import TRICKY_HIERARCHY as TRICKY
from dvctt_rules.testing import observations, period_sets

P = Period.parse
Q1, JAN, FEB, MAR, APR = P("2024-Q1"), P("2024-01"), P("2024-02"), P("2024-03"), P("2024-04")


# -- Observation --------------------------------------------------------------------------------


def test_observation_keeps_known_values_sorted() -> None:
    obs = Observation(
        "25774", JAN, counts={"received_online": 3, "payments_total": None, "received_direct": 0}
    )
    assert obs.counts == (("received_direct", 0), ("received_online", 3))
    assert obs == Observation("25774", JAN, counts=[("received_direct", 0), ("received_online", 3)])
    assert obs.get("payments_total") is None
    assert obs.get("received_direct") == 0  # zero is known, never confused with unknown
    assert obs.measures == ("received_direct", "received_online")
    assert dict(obs.values) == {"received_direct": 0, "received_online": 3}
    assert obs.has_counts


def test_rate_only_observation() -> None:
    obs = Observation("25774", JAN, rates={"online_dossier_rate": Fraction(497, 500)})
    assert not obs.has_counts
    assert obs.rate("online_dossier_rate") == Fraction(497, 500)
    assert obs.count("received_online") is None


def test_note_is_normalised() -> None:
    assert Observation("u", JAN, note="  a\r\nb\r ").note == "a\nb"
    assert Observation("u", JAN, note="   ").note is None


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"counts": {"received_online": 1.0}}, TypeError),
        ({"counts": {"received_online": True}}, TypeError),
        ({"counts": {"received_online": -1}}, DataError),
        ({"rates": {"online_dossier_rate": 0.5}}, TypeError),
        ({"rates": {"online_dossier_rate": Fraction(101, 100)}}, DataError),
        ({"counts": [("a", 1), ("a", 2)]}, DataError),
        ({"counts": {"x": 1}, "rates": {"x": Fraction(1, 2)}}, DataError),
    ],
)
def test_observation_rejects_bad_values(kwargs: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        Observation("u", JAN, **kwargs)  # type: ignore[arg-type]


# -- Observations -------------------------------------------------------------------------------


def test_order_is_hierarchy_then_period() -> None:
    items = [
        Observation("25774", FEB),
        Observation("74", JAN),
        Observation("25774", JAN),
        Observation("so-vhttdl", Q1),
    ]
    obs = Observations(items, hierarchy=TRICKY)
    assert [(o.unit, str(o.period)) for o in obs] == [
        ("74", "2024-01"),
        ("so-vhttdl", "2024-Q1"),
        ("25774", "2024-01"),
        ("25774", "2024-02"),
    ]
    assert obs.units() == ("74", "so-vhttdl", "25774")
    assert obs.periods() == (Q1, JAN, FEB)
    assert obs == Observations(reversed(items), hierarchy=TRICKY)
    assert obs.get("25774", FEB) == items[0]
    assert obs.get("25774", MAR) is None
    assert len(obs.units_without_data()) == len(TRICKY) - 3
    assert "3 units" in repr(obs)


@pytest.mark.parametrize(
    ("items", "match"),
    [
        ([Observation("u", JAN), Observation("u", JAN)], "duplicate"),
        ([Observation("u", Q1), Observation("u", MAR)], "overlaps 2024-Q1"),
        ([Observation("u", P("2024")), Observation("u", APR)], "overlaps 2024"),
        ([Observation("u", JAN, counts={"received_onlne": 1})], "unknown measure 'received_onlne'"),
        ([Observation("u", JAN, counts={"online_dossier_rate": 1})], "is a rate, given as a count"),
        ([Observation("u", JAN, counts={"payments_online": 2, "payments_total": 1})], "larger than"),
    ],
)
def test_collection_rejects(items: list[Observation], match: str) -> None:
    with pytest.raises(DataError, match=match):
        Observations(items)


def test_collection_rejects_units_outside_the_hierarchy() -> None:
    with pytest.raises(DataError, match="the hierarchy has no such unit"):
        Observations([Observation("nowhere", JAN)], hierarchy=TRICKY)


def test_other_units_may_share_periods() -> None:
    obs = Observations([Observation("a", Q1), Observation("b", JAN), Observation("b", FEB)])
    assert obs.units() == ("a", "b")


def test_filter_and_merge() -> None:
    obs = Observations([Observation("a", JAN), Observation("a", APR), Observation("b", FEB)])
    assert [o.period for o in obs.filter(period=Q1)] == [JAN, FEB]
    assert obs.filter(units=["b"]).units() == ("b",)
    merged = obs.merge([Observation("c", JAN)])
    assert merged.units() == ("a", "b", "c")
    assert len(obs) == 3
    with pytest.raises(DataError, match="overlaps"):
        obs.merge([Observation("a", Q1)])


# -- totals -------------------------------------------------------------------------------------


def _obs(*items: Observation) -> Observations:
    return Observations(items, hierarchy=TRICKY)


def test_totals_sum_flows() -> None:
    obs = _obs(
        Observation("25774", JAN, counts={"received_online": 10, "received_direct": 2}),
        Observation("25774", FEB, counts={"received_online": 5, "received_direct": 0}),
        Observation("25774", APR, counts={"received_online": 100}),
    )
    totals = obs.totals("25774", Q1)
    assert dict(totals.counts) == {"received_online": 15, "received_direct": 2}
    assert totals.observed == (JAN, FEB)
    assert totals.has_data
    assert totals.has_counts
    assert obs.totals("25774").counts["received_online"] == 115
    assert obs.totals("25774", P("2024")).get("received_online") == 115


def test_unknown_is_never_zero() -> None:
    obs = _obs(
        Observation("25774", JAN, counts={"received_online": 10, "payments_total": 3}),
        Observation("25774", FEB, counts={"received_online": None, "payments_total": 4}),
        Observation("25774", MAR, counts={"payments_total": 0}),
    )
    totals = obs.totals("25774", Q1)
    assert totals.counts["received_online"] is None  # unknown in February, missing in March
    assert totals.counts["payments_total"] == 7
    assert "received_direct" not in totals.counts
    assert totals.get("received_direct") is None


def test_stocks_take_the_latest_period() -> None:
    obs = _obs(
        Observation("25774", JAN, counts={"services_online": 90, "services_full": 50, "pending_late": 3}),
        Observation("25774", FEB, counts={"services_online": 92, "services_full": None}),
    )
    totals = obs.totals("25774", Q1)
    assert totals.counts["services_online"] == 92
    assert totals.counts["services_full"] is None  # the latest is unknown: no earlier value is used
    assert totals.counts["pending_late"] is None  # not reported for the latest month


def test_rates_and_single_counts_need_exactly_one_period() -> None:
    rate = {"online_dossier_rate": Fraction(9, 10)}
    obs = _obs(
        Observation("25774", JAN, counts={"services_online_with_dossiers": 40}, rates=rate),
        Observation("25774", FEB, counts={"services_online_with_dossiers": 41}, rates=rate),
        Observation("25759", MAR, rates=rate),
    )
    assert obs.totals("25774", Q1).rates == {"online_dossier_rate": None}
    assert obs.totals("25774", Q1).counts == {"services_online_with_dossiers": None}
    assert obs.totals("25774", JAN).rates == {"online_dossier_rate": Fraction(9, 10)}
    only_rate = obs.totals("25759", Q1)
    assert only_rate.rates["online_dossier_rate"] == Fraction(9, 10)
    assert not only_rate.has_counts


def test_totals_without_data_and_partial_periods() -> None:
    obs = _obs(Observation("25774", Q1, counts={"received_online": 9}))
    empty = obs.totals("25759", Q1)
    assert (empty.observed, dict(empty.counts), empty.has_data) == ((), {}, False)
    partial = obs.totals("25774", MAR)
    assert partial.observed == ()
    assert partial.overlapping == (Q1,)
    assert dict(partial.counts) == {}
    with pytest.raises(UnknownUnitError, match="did you mean"):
        obs.totals("2577", Q1)


def test_extended_measures_accumulate_as_declared() -> None:
    catalog = DEFAULT_CATALOG.extend([Measure("kiosks", "Số ki-ốt", "kiosks", over_time="last")])
    obs = Observations(
        [Observation("u", JAN, counts={"kiosks": 2}), Observation("u", FEB, counts={"kiosks": 3})],
        catalog=catalog,
    )
    assert obs.totals("u", Q1).counts == {"kiosks": 3}
    assert obs.measures() == ("kiosks",)


# -- laws ---------------------------------------------------------------------------------------


def _combine(values: list[int | None]) -> int | None:
    return None if None in values else sum(v for v in values if v is not None)


@given(observations(TRICKY, periods=period_sets((2024,)), max_units=3))
def test_a_year_accumulates_its_quarters(obs: Observations) -> None:
    year = Period(2024)
    for unit in obs.units():
        whole = obs.totals(unit, year)
        if whole.observed == (year,):
            continue  # a whole-year row: nothing inside the quarters
        parts = [obs.totals(unit, Period(2024, quarter=q)) for q in range(1, 5)]
        observed = [t for t in parts if t.observed]
        assert whole.observed == tuple(p for t in parts for p in t.observed)
        assert set(whole.counts) == {name for t in observed for name in t.counts}
        for name, value in whole.counts.items():
            over_time = obs.catalog.get(name).over_time
            if over_time == "sum":
                assert value == _combine([t.counts.get(name) for t in observed])
            elif over_time == "last":
                assert value == observed[-1].counts.get(name)
            elif len(whole.observed) > 1:
                assert value is None
        assert whole == attrs.evolve(obs.totals(unit), period=year)  # all the data is in 2024


@given(
    observations(TRICKY, periods=period_sets((2023, 2024)), max_units=3), st.randoms(use_true_random=False)
)
def test_order_of_construction_does_not_matter(obs: Observations, rng: random.Random) -> None:
    items = list(obs)
    rng.shuffle(items)
    again = Observations(items, hierarchy=TRICKY)
    assert again == obs
    assert list(again) == list(obs)


@given(observations(TRICKY, periods=period_sets((2024,)), max_units=3), st.data())
def test_unknown_propagates_and_more_never_gives_less(obs: Observations, data: st.DataObject) -> None:
    parts = {relation.part for relation in obs.catalog.relations}  # raising a part could break its relation
    candidates = [
        (o, name)
        for o in obs
        for name, _ in o.counts
        if obs.catalog.get(name).over_time == "sum" and name not in parts
    ]
    if not candidates:
        return
    row, name = data.draw(st.sampled_from(candidates))
    before = obs.totals(row.unit, Period(2024)).counts[name]
    counts = dict(row.counts)
    others = [o for o in obs if o != row]
    bumped = Observations([*others, attrs.evolve(row, counts={**counts, name: counts[name] + 7})])
    blanked = Observations([*others, attrs.evolve(row, counts={**counts, name: None})])
    assert blanked.totals(row.unit, Period(2024)).counts.get(name) is None
    after = bumped.totals(row.unit, Period(2024)).counts.get(name)
    if before is not None:
        assert after == before + 7
    else:
        assert after is None


def test_public_api() -> None:
    from dvctt_rules import observations

    assert set(observations.__all__) == {
        "DEFAULT_CATALOG",
        "FORMATS",
        "RESERVED_COLUMNS",
        "Format",
        "LoadReport",
        "Measure",
        "MeasureCatalog",
        "MeasureKind",
        "Observation",
        "Observations",
        "OverTime",
        "PartOf",
        "Period",
        "PeriodKind",
        "Totals",
        "load_observations",
        "observations_from_records",
        "observations_to_csv",
        "observations_to_json",
        "observations_to_records",
    }
    assert all(hasattr(observations, name) for name in observations.__all__)


def test_totals_and_filter_take_a_period_as_text_as_evaluate_does() -> None:
    # A text period failed with AttributeError ('str' object has no attribute '_first').
    obs = Observations(
        [
            Observation("u", Period.parse("2024-01"), counts={"received_online": 10}),
            Observation("u", Period.parse("2024-04"), counts={"received_online": 5}),
        ]
    )
    assert obs.totals("u", "2024-Q1") == obs.totals("u", Period.parse("2024-Q1"))
    assert dict(obs.totals("u", "2024").counts) == {"received_online": 15}
    assert obs.filter(period="2024-Q2") == obs.filter(period=Period.parse("2024-Q2"))
    assert len(obs.filter(period="2024-Q2")) == 1
    with pytest.raises(TypeError, match="period must be a Period or a text"):
        obs.totals("u", 2024)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="got the string 'u'"):  # split into letters, it kept nothing
        obs.filter(units="u")
