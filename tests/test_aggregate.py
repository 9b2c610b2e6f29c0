"""Roll-ups: hand-computed areas, targets and compliance shares; independence of sibling order and of
grouping; the exact sum of the parts; two-tier hierarchies; the shipped dataset; errors."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from fractions import Fraction

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import dvctt_rules.aggregate as aggregate
from dvctt_rules import EvaluationError, UnknownNameError
from dvctt_rules.aggregate import Compliance, ReportMismatchError, RollupRow, plan_indicators, rollup
from dvctt_rules.aggregate._tree import Spans
from dvctt_rules.datasets import load_dataset
from dvctt_rules.hierarchy import DEFAULT_LEVELS, TWO_TIER_LEVELS, Hierarchy, Unit
from dvctt_rules.observations import Observation, Observations, Period
from dvctt_rules.plugins import AGGREGATORS, Aggregate, IndicatorSpec, Measurement
from dvctt_rules.rules import KH_4623, Plan, PlanRule, Target, Threshold, UnmatchedUnitWarning, evaluate
from dvctt_rules.testing import check_rollup, hierarchies
from dvctt_rules.testing._observations_for_ranking import (
    PERIODS,
    counted_observations,
    ranking_plans,
    reordered_hierarchy,
    reordered_observations,
)

JAN, FEB = Period(2024, month=1), Period(2024, month=2)
ODR = "online_dossier_rate"


def tree(levels: tuple[str, ...] = DEFAULT_LEVELS) -> Hierarchy:
    """P ─ S (department), D (district) ─ C1, C2, C3; E (district) ─ C4."""
    units = [
        Unit("P", "Tỉnh P", "province"),
        Unit("S", "Sở S", "department"),
        Unit("D", "UBND Huyện D", "district"),
        Unit("C1", "Xã C1", "commune"),
        Unit("C2", "Xã C2", "commune"),
        Unit("C3", "Xã C3", "commune"),
        Unit("E", "UBND Huyện E", "district"),
        Unit("C4", "Xã C4", "commune"),
    ]
    parents = {"S": "P", "D": "P", "C1": "D", "C2": "D", "C3": "D", "E": "P", "C4": "E"}
    return Hierarchy(units, parents, levels)


def plan(levels: tuple[str, ...] = DEFAULT_LEVELS) -> Plan:
    below = levels[1:]
    return Plan(
        "hand",
        "Hand-computed plan",
        KH_4623,
        datetime.date(2023, 9, 7),
        levels,
        (
            PlanRule("II.2", Threshold(ODR, Fraction(1, 2)), scope="province"),
            PlanRule("PL-II.1", Threshold(ODR, Fraction(1, 2)), levels=below, scored=True),
            PlanRule("IV.1", Threshold("on_time_rate"), levels=below, scored=True),
        ),
        (
            Target(ODR, Fraction(4, 5), unit="D"),
            *(Target("on_time_rate", Fraction(55, 100), level=level) for level in below),
        ),
    )


def dossiers(
    unit: str, period: Period, online: int, direct: int, postal: int = 0, **more: int
) -> Observation:
    counts = {"received_online": online, "received_direct": direct, "received_postal": postal, **more}
    return Observation(unit, period, counts=counts)


def observations(hierarchy: Hierarchy | None = None) -> Observations:
    return Observations(
        [
            dossiers("C1", JAN, 30, 10),  # C1: 30 + 20 online of 40 + 20
            dossiers("C1", FEB, 20, 0),
            dossiers("C2", JAN, 9, 1),  # C2: 9 of 10
            dossiers("D", JAN, 1, 9),  # D itself: 1 of 10; C3 reports nothing
            dossiers("S", JAN, 40, 60),  # S: 40 of 100
            dossiers("C4", JAN, 0, 0),  # C4: nothing received (zero denominator)
        ],
        hierarchy=hierarchy or tree(),
    )


def rows_by_key(rows: Sequence[RollupRow]) -> dict[tuple[str, str], RollupRow]:
    return {(row.unit, row.indicator): row for row in rows}


# -- hand-computed examples ------------------------------------------------------------------------


def test_a_district_is_itself_plus_its_communes_summed_then_divided() -> None:
    rows = rows_by_key(rollup(plan(), tree(), observations(), level="district", indicators=(ODR,)))
    d = rows["D", ODR]
    # 50 + 9 + 1 online of 60 + 10 + 10 received; C3 has no data and is listed.
    assert (d.numerator, d.denominator, d.value) == (60, 80, Fraction(3, 4))
    assert (d.strategy, d.basis, d.covers, d.missing) == ("sum", "counts", ("C1", "C2", "D"), ("C3",))
    # D's own Phụ lục II-style target 80 %: 75 % is not met; 4 more online dossiers of 80 reach 64/80.
    assert (d.target, d.target_scope, d.status, d.gap_count) == (Fraction(4, 5), "unit", "not_met", 4)
    assert d.gap == Fraction(-1, 20)
    # The communes on their own 50 % (the rule's target): C1 5/6 met, C2 9/10 met, C3 no data.
    assert (d.children_met, d.children_not_met, d.children_no_data, d.children_total) == (2, 0, 1, 3)
    assert d.compliance == (Compliance("commune", met=2, not_met=0, no_data=1),)
    assert d.children_share == Fraction(2, 3)
    assert (d.unit_name, d.level, d.period, d.include_self) == (
        "UBND Huyện D",
        "district",
        "2024-01..2024-02",
        True,
    )
    e = rows["E", ODR]
    # C4 reported zero dossiers: covered, but 0/0 has no value.
    assert (e.numerator, e.denominator, e.value, e.covers, e.status) == (0, 0, None, ("C4",), "no_data")
    assert (e.children_met, e.children_no_data, e.children_total) == (0, 1, 1)


def test_communes_only_leaves_the_district_unit_out() -> None:
    (d, _e) = rollup(plan(), tree(), observations(), level="district", indicators=(ODR,), include_self=False)
    # 50 + 9 of 60 + 10: 59/70 ≈ 84,3 % ≥ 80 %.
    assert (d.numerator, d.denominator, d.covers, d.missing) == (59, 70, ("C1", "C2"), ("C3",))
    assert (d.status, d.include_self) == ("met", False)
    assert d.children_total == 3


def test_the_province_is_judged_on_its_province_wide_target() -> None:
    (p,) = rollup(plan(), tree(), observations(), level="province", indicators=(ODR, "on_time_rate"))[:1]
    # 60 (D's area) + 40 (S) + 0 (E's area) of 80 + 100 + 0 = 5/9 ≥ 50 % (rule II.2).
    assert (p.numerator, p.denominator, p.value) == (100, 180, Fraction(5, 9))
    assert (p.target, p.target_scope, p.status) == (Fraction(1, 2), "rule", "met")
    assert p.missing == ("C3", "E", "P")
    # Below the province: S 40 % not met; D 10 % vs 80 % not met; C1, C2 met; C3, E no data; C4 no data.
    assert p.compliance == (
        Compliance("department", met=0, not_met=1, no_data=0),
        Compliance("district", met=0, not_met=1, no_data=1),
        Compliance("commune", met=2, not_met=0, no_data=2),
    )
    assert (p.children_met, p.children_total) == (2, 7)


def test_level_targets_apply_to_each_level_and_the_province_has_none_for_on_time() -> None:
    obs = Observations(
        [
            Observation("C1", JAN, counts={"resolved_early": 5, "resolved_on_time": 1, "resolved_late": 4}),
            Observation("D", JAN, counts={"resolved_early": 0, "resolved_on_time": 0, "resolved_late": 0}),
        ],
        hierarchy=tree(),
    )
    rows = rows_by_key(rollup(plan(), tree(), obs, level="district", indicators=("on_time_rate",)))
    d = rows["D", "on_time_rate"]
    assert (d.value, d.target, d.target_scope, d.status) == (
        Fraction(3, 5),
        Fraction(55, 100),
        "level",
        "met",
    )
    (p,) = rollup(plan(), tree(), obs, level="province", indicators=("on_time_rate",))
    # No province-scope rule and no province target for on_time_rate: only reported.
    assert (p.value, p.target, p.status) == (Fraction(3, 5), None, "not_applicable")


def test_other_strategies_say_which_made_the_value() -> None:
    obs, h = observations(), tree()
    values = {
        strategy: rows_by_key(rollup(plan(), h, obs, level="district", indicators=(ODR,), strategy=strategy))[
            "D", ODR
        ]
        for strategy in ("mean_of_rates", "min", "max")
    }
    # Units with a value: C1 5/6, C2 9/10, D 1/10.
    assert values["mean_of_rates"].value == (Fraction(5, 6) + Fraction(9, 10) + Fraction(1, 10)) / 3
    assert values["min"].value == Fraction(1, 10)
    assert values["max"].value == Fraction(9, 10)
    for strategy, row in values.items():
        assert (row.strategy, row.basis, row.numerator) == (strategy, strategy, None)
        assert row.missing == ("C3",)


def test_rate_only_data_gets_an_unweighted_mean_labelled_as_such() -> None:
    obs = Observations(
        [
            Observation("C1", JAN, rates={ODR: Fraction(1, 2)}),
            Observation("C2", JAN, rates={ODR: Fraction(1, 4)}),
        ],
        hierarchy=tree(),
    )
    d = rows_by_key(rollup(plan(), tree(), obs, level="district", indicators=(ODR,)))["D", ODR]
    assert (d.value, d.strategy, d.basis, d.covers) == (
        Fraction(3, 8),
        "mean_of_rates",
        "mean_of_rates",
        ("C1", "C2"),
    )
    assert d.missing == ("C3", "D")


def test_member_levels_keep_only_those_levels() -> None:
    (p,) = rollup(
        plan(), tree(), observations(), level="province", indicators=(ODR,), member_levels=("commune",)
    )
    # The province's communes: 50 + 9 + 0 of 60 + 10 + 0.
    assert (p.numerator, p.denominator, p.covers, p.missing) == (59, 70, ("C1", "C2", "C4"), ("C3",))
    assert p.compliance == (Compliance("commune", met=2, not_met=0, no_data=2),)


def test_default_indicators_are_those_of_the_plan_rules_in_order() -> None:
    rows = rollup(plan(), tree(), observations(), level="district")
    assert [row.indicator for row in rows] == [ODR, "on_time_rate", ODR, "on_time_rate"]
    assert [row.unit for row in rows] == ["D", "D", "E", "E"]
    assert plan_indicators(plan()) == (ODR, "on_time_rate")


def test_a_given_report_is_used_and_must_match() -> None:
    h, obs = tree(), observations()
    report = evaluate(plan(), h, obs)
    assert rollup(plan(), h, obs, level="district", report=report) == rollup(plan(), h, obs, level="district")
    with pytest.raises(ReportMismatchError, match="period"):
        rollup(plan(), h, obs, level="district", period="2024-01", report=report)
    other = attrs.evolve(plan(), id="other")
    with pytest.raises(ReportMismatchError, match="plan") as info:
        rollup(other, h, obs, level="district", report=report)
    assert (info.value.expected, info.value.got) == ("other", "hand")
    assert isinstance(info.value, ValueError)
    # Made with the targets of another date: the areas' targets and their units' would not agree.
    dated = evaluate(plan(), h, obs, as_of=datetime.date(2024, 3, 1))
    with pytest.raises(
        ReportMismatchError, match=r"targets' date \(as_of\) '2024-03-01', the inputs for '2024-02-29'"
    ):
        rollup(plan(), h, obs, level="district", report=dated)
    march = rollup(plan(), h, obs, level="district", report=dated, as_of=datetime.date(2024, 3, 1))
    assert march == rollup(plan(), h, obs, level="district", as_of=datetime.date(2024, 3, 1))


def test_a_period_restricts_the_counts() -> None:
    (d, _e) = rollup(plan(), tree(), observations(), level="district", indicators=(ODR,), period="2024-02")
    # February: only C1 reported, 20 of 20.
    assert (d.numerator, d.denominator, d.covers, d.period) == (20, 20, ("C1",), "2024-02")


def test_unknown_names_get_suggestions() -> None:
    h, obs = tree(), observations()
    with pytest.raises(UnknownNameError, match="did you mean 'district'"):
        rollup(plan(), h, obs, level="distrct")
    with pytest.raises(UnknownNameError, match="did you mean 'mean_of_rates'"):
        rollup(plan(), h, obs, level="district", strategy="mean_of_rate")
    with pytest.raises(UnknownNameError, match="did you mean 'online_dossier_rate'"):
        rollup(plan(), h, obs, level="district", indicators=("online_dossier_rat",))
    with pytest.raises(UnknownNameError, match="did you mean 'commune'"):
        rollup(plan(), h, obs, level="district", member_levels=("comune",))
    # One indicator id as a text (a str is a sequence of str) is refused, not read as 'o', 'n', …
    with pytest.raises(TypeError, match="got the string 'online_dossier_rate'"):
        rollup(plan(), h, obs, level="district", indicators="online_dossier_rate")


@attrs.frozen
class Median:
    """A third-party aggregator: the lower median of the values."""

    name: str = "test-median"

    def aggregate(
        self, indicator: IndicatorSpec, measurements: Sequence[tuple[str, Measurement]]
    ) -> Aggregate:
        used = sorted((m.value, u) for u, m in measurements if m.value is not None)
        missing = tuple(sorted(u for u, m in measurements if m.value is None))
        value = used[(len(used) - 1) // 2][0] if used else None
        return Aggregate(None, None, value, self.name, "none", tuple(sorted(u for _, u in used)), missing)


@pytest.fixture
def median() -> Iterator[None]:
    AGGREGATORS.register(Median(), origin="test")
    yield
    AGGREGATORS.unregister("test-median")


@pytest.mark.usefixtures("median")
def test_a_registered_aggregator_is_used_by_name() -> None:
    d = rows_by_key(
        rollup(plan(), tree(), observations(), level="district", indicators=(ODR,), strategy="test-median")
    )["D", ODR]
    # Values 1/10, 5/6, 9/10: the lower median is 5/6.
    assert (d.value, d.strategy) == (Fraction(5, 6), "test-median")


def test_two_tier_hierarchy_rolls_up_at_the_province() -> None:
    levels = TWO_TIER_LEVELS  # province, department, commune
    h = Hierarchy(
        [Unit("P", "Tỉnh P", "province"), Unit("S", "Sở S", "department"), Unit("C1", "Xã C1", "commune")],
        {"S": "P", "C1": "P"},
        levels,
    )
    obs = Observations([dossiers("C1", JAN, 3, 1), dossiers("S", JAN, 1, 3)], hierarchy=h)
    with pytest.warns(UnmatchedUnitWarning, match="name 1 unit the hierarchy does not have: D;"):
        (p,) = rollup(plan(levels), h, obs, level="province", indicators=(ODR,))  # the plan's district D
    assert (p.numerator, p.denominator, p.status, p.children_total) == (4, 8, "met", 2)
    with pytest.raises(UnknownNameError):
        rollup(plan(levels), h, obs, level="district")


def test_shipped_dataset_baseline() -> None:
    ds = load_dataset("binh-duong-2023")
    assert ds.plan is not None
    rows = rollup(ds.plan, ds.hierarchy, ds.baseline, level="district", indicators=(ODR,))
    assert len(rows) == 9
    for row in rows:
        figures = [ds.figures_for(u) for u in (row.unit, *(c.id for c in ds.hierarchy.children(row.unit)))]
        rates = [f.current_online_dossier_rate for f in figures if f is not None]
        known = [r for r in rates if r is not None]
        assert row.strategy == "mean_of_rates"
        assert row.value == sum(known, Fraction(0)) / len(known)
        assert len(row.covers) == len(known)
        assert row.children_total == len(ds.hierarchy.children(row.unit))


def test_spans_list_subtrees() -> None:
    spans = Spans.of(tree())
    assert [u.id for u in spans.subtree("D")] == ["D", "C1", "C2", "C3"]
    assert [u.id for u in spans.below("P")] == ["S", "D", "C1", "C2", "C3", "E", "C4"]
    assert spans.below("C4") == ()


def test_public_api() -> None:
    assert set(aggregate.__all__) == {
        "Compliance",
        "ReportMismatchError",
        "RollupRow",
        "check_report",
        "plan_indicators",
        "rollup",
    }
    for name in aggregate.__all__:
        assert getattr(aggregate, name).__doc__, name


def test_rows_are_frozen() -> None:
    (row, _) = rollup(plan(), tree(), observations(), level="district", indicators=(ODR,))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        row.value = Fraction(1)  # type: ignore[misc]


# -- properties --------------------------------------------------------------------------------------

INDICATOR_COUNTS = {
    ODR: (("received_online",), ("received_online", "received_direct", "received_postal")),
    "online_payment_rate": (("payments_online",), ("payments_total",)),
    "on_time_rate": (
        ("resolved_early", "resolved_on_time"),
        ("resolved_early", "resolved_on_time", "resolved_late"),
    ),
}


def own_sums(observations: Observations, unit: str, indicator: str) -> tuple[int, int] | None:
    """A unit's own numerator and denominator over the whole span, summed by hand from its rows;
    ``None`` when it has no rows or a needed count is unknown in any of them."""
    numerator_names, denominator_names = INDICATOR_COUNTS[indicator]
    rows = observations.for_unit(unit)
    if not rows or any(
        row.count(name) is None for row in rows for name in (*numerator_names, *denominator_names)
    ):
        return None
    numerator = sum(row.count(name) or 0 for row in rows for name in numerator_names)
    denominator = sum(row.count(name) or 0 for row in rows for name in denominator_names)
    return numerator, denominator


inputs = hierarchies(max_size=20).flatmap(
    lambda h: st.tuples(st.just(h), ranking_plans(h), counted_observations(h, periods=PERIODS))
)


@given(inputs, st.data())
def test_rollup_is_the_exact_sum_of_its_parts_at_every_level(
    case: tuple[Hierarchy, Plan, Observations], data: st.DataObject
) -> None:
    h, p, obs = case
    indicator = data.draw(st.sampled_from(sorted(INDICATOR_COUNTS)))
    report = evaluate(p, h, obs)
    for level in h.levels:
        rows = rollup(p, h, obs, level=level, indicators=(indicator,), strategy="sum", report=report)
        check_rollup(rows, p, h, obs)  # the house's independent recomputation agrees too
        for row in rows:
            area = (h[row.unit], *h.descendants(row.unit))
            parts = {u.id: own_sums(obs, u.id, indicator) for u in area}
            used = {uid: sums for uid, sums in parts.items() if sums is not None}
            assert row.covers == tuple(sorted(used))
            assert row.missing == tuple(sorted(set(parts) - set(used)))
            if used:
                assert row.numerator == sum(n for n, _ in used.values())
                assert row.denominator == sum(d for _, d in used.values())
                expected = Fraction(row.numerator, row.denominator) if row.denominator else None
                assert row.value == expected
            else:
                assert (row.numerator, row.value) == (None, None)


@given(inputs)
def test_grouping_does_not_matter(case: tuple[Hierarchy, Plan, Observations]) -> None:
    """The province directly equals each level's areas plus the units outside them, summed."""
    h, p, obs = case
    report = evaluate(p, h, obs)
    indicators = tuple(INDICATOR_COUNTS)
    whole = rows_by_key(
        rollup(p, h, obs, level=h.levels[0], indicators=indicators, strategy="sum", report=report)
    )
    for level in h.levels[1:]:
        rows = rollup(p, h, obs, level=level, indicators=indicators, strategy="sum", report=report)
        for indicator in indicators:
            at_level = [row for row in rows if row.indicator == indicator]
            inside = {uid for row in at_level for uid in (*row.covers, *row.missing)}
            outside = [own_sums(obs, u.id, indicator) for u in h if u.id not in inside]
            numerator = sum(row.numerator or 0 for row in at_level) + sum(s[0] for s in outside if s)
            denominator = sum(row.denominator or 0 for row in at_level) + sum(s[1] for s in outside if s)
            province = whole[h.root.id, indicator]
            assert (province.numerator or 0, province.denominator or 0) == (numerator, denominator)


@given(inputs.flatmap(lambda case: st.tuples(st.just(case), reordered_hierarchy(case[0]))), st.data())
def test_sibling_and_input_order_do_not_matter(
    pair: tuple[tuple[Hierarchy, Plan, Observations], Hierarchy], data: st.DataObject
) -> None:
    (h, p, obs), shuffled = pair
    level = data.draw(st.sampled_from(h.levels))
    strategy = data.draw(st.sampled_from(["default", "sum", "mean_of_rates", "min", "max"]))
    first = rollup(p, h, obs, level=level, strategy=strategy)
    again = rollup(p, shuffled, reordered_observations(obs, shuffled), level=level, strategy=strategy)
    assert rows_by_key(first) == rows_by_key(again)
    assert len(first) == len(again)


@attrs.frozen
class _Broken:
    """A third-party aggregator that fails (``how``: raise, or return a float or a bare number)."""

    name: str = "test-broken"
    how: str = "raise"

    def aggregate(
        self, indicator: IndicatorSpec, measurements: Sequence[tuple[str, Measurement]]
    ) -> Aggregate:
        if self.how == "raise":
            raise KeyError("boom")
        if self.how == "float":
            return Aggregate(None, None, 0.5, self.name, "none", (), ())  # type: ignore[arg-type]
        return Fraction(1, 2)  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("how", "why"),
    [
        ("raise", "KeyError: 'boom'"),
        ("float", r"value is 0\.5 \(float\)"),
        ("bare", "returned Fraction, not an Aggregate"),
    ],
)
def test_a_failing_aggregator_is_an_evaluation_error_naming_it(how: str, why: str) -> None:
    # It escaped as a bare KeyError or AttributeError (a traceback in the CLI, no plugin named).
    AGGREGATORS.register(_Broken(how=how), origin="test")
    try:
        with pytest.raises(
            EvaluationError, match=f"aggregator 'test-broken' failed for indicator {ODR}, .*{why}"
        ) as info:
            rollup(
                plan(), tree(), observations(), level="district", indicators=(ODR,), strategy="test-broken"
            )
    finally:
        AGGREGATORS.unregister("test-broken")
    assert (info.value.plugin, info.value.indicator) == ("test-broken", ODR)
