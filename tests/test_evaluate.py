"""Evaluation: exact verdicts, targets, boundaries, explanations, province scope, plugin failures."""

from __future__ import annotations

import datetime
from fractions import Fraction

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dvctt_rules import DataError, EvaluationError, PlanError, UnknownUnitError
from dvctt_rules.aggregate import rollup
from dvctt_rules.datasets import load_dataset
from dvctt_rules.hierarchy import Hierarchy, Unit
from dvctt_rules.observations import Observation, Observations, Period
from dvctt_rules.plugins import Measurement, RatioOfSums, Registry, check_evaluator
from dvctt_rules.ranking import rank
from dvctt_rules.rules import (
    KH_4623,
    Indicator,
    Outcome,
    Plan,
    PlanRule,
    Report,
    Target,
    TargetTable,
    Threshold,
    UnmatchedUnitWarning,
    evaluate,
    measure_units,
)

P = Period.parse("2024-03")


def tree() -> Hierarchy:
    return Hierarchy(
        [
            Unit("74", "Tỉnh Bình Dương", "province"),
            Unit("718", "UBND Thành phố Thủ Dầu Một", "district"),
            Unit("25774", "Phường Chánh Mỹ", "commune"),
            Unit("25756", "Phường Chánh Nghĩa", "commune"),
        ],
        {"718": "74", "25774": "718", "25756": "718"},
    )


def plan(targets: tuple[Target, ...] = ()) -> Plan:
    return Plan(
        "p",
        "Test plan",
        KH_4623,
        datetime.date(2023, 9, 7),
        ("province", "department", "district", "commune"),
        (
            PlanRule("II.2", Threshold("online_dossier_rate", Fraction(1, 2)), scope="province"),
            PlanRule(
                "PL-II.1", Threshold("online_dossier_rate", Fraction(1, 2)), levels=("district", "commune")
            ),
            PlanRule("IV.1", Threshold("on_time_rate"), levels=("commune",)),
        ),
        TargetTable(
            (
                Target("online_dossier_rate", Fraction(9, 10), unit="25774", citation=KH_4623),
                Target("on_time_rate", Fraction(55, 100), level="commune"),
                *targets,
            )
        ),
    )


def obs(online: int, direct: int, postal: int = 0, unit: str = "25774", **more: int) -> Observation:
    counts = {"received_online": online, "received_direct": direct, "received_postal": postal, **more}
    return Observation(unit, P, counts=counts)


def pick(report: Report, unit: str = "25774", rule: str = "PL-II.1") -> Outcome:
    (outcome,) = [o for o in report.for_unit(unit) if o.rule == rule]
    return outcome


def test_exact_value_gap_and_explanation() -> None:
    # 105 of 120 online is 87,5 %; 90 % of 120 is 108, so 3 more online dossiers are needed.
    report = evaluate(plan(), tree(), Observations([obs(105, 15)]))
    (outcome,) = [o for o in report.for_unit("25774") if o.rule == "PL-II.1"]
    assert (outcome.numerator, outcome.denominator, outcome.value) == (105, 120, Fraction(7, 8))
    assert outcome.target == Fraction(9, 10)
    assert outcome.status == "not_met"
    assert outcome.gap == Fraction(-1, 40)
    assert outcome.gap_count == 3
    assert outcome.target_scope == "unit"
    assert outcome.explain() == (
        "Phường Chánh Mỹ: tỷ lệ hồ sơ trực tuyến 87,5 % < chỉ tiêu 90 % (Kế hoạch 4623/KH-UBND); "
        "cần thêm 3 hồ sơ trực tuyến"
    )
    assert outcome.explain("en").startswith("Phường Chánh Mỹ: online dossier rate 87.5% < target 90%")


@pytest.mark.parametrize(
    ("online", "direct", "status"),
    [(9, 1, "met"), (90, 10, "met"), (89, 11, "not_met"), (899, 101, "not_met"), (900, 100, "met")],
)
def test_exactly_at_the_target_is_met_and_one_below_is_not(online: int, direct: int, status: str) -> None:
    report = evaluate(plan(), tree(), Observations([obs(online, direct)]))
    (outcome,) = [o for o in report.for_unit("25774") if o.rule == "PL-II.1"]
    assert outcome.status == status


def test_target_resolution_unit_then_level_then_default() -> None:
    report = evaluate(plan(), tree(), Observations([obs(60, 40, unit="25756"), obs(60, 40)]))
    by_unit = {o.unit: o for o in report.outcomes if o.rule == "PL-II.1"}
    assert by_unit["25774"].target == Fraction(9, 10)  # unit-specific (Phụ lục II)
    assert by_unit["25756"].target == Fraction(1, 2)  # the rule's default (Phụ lục I)
    assert by_unit["25756"].target_scope == "rule"
    assert by_unit["25756"].status == "met"
    on_time = {o.unit: o for o in report.outcomes if o.rule == "IV.1"}
    assert on_time["25756"].target == Fraction(55, 100)
    assert on_time["25756"].target_scope == "level"


def test_as_of_picks_the_target_in_force() -> None:
    revised = Target(
        "online_dossier_rate", Fraction(95, 100), unit="25774", effective_from=datetime.date(2025, 1, 1)
    )
    p = plan((revised,))
    data = Observations([obs(92, 8)])
    before = evaluate(p, tree(), data, as_of=datetime.date(2024, 12, 31))
    after = evaluate(p, tree(), data, as_of=datetime.date(2025, 1, 1))
    assert (pick(before).target, pick(before).status) == (Fraction(9, 10), "met")
    assert (pick(after).target, pick(after).status) == (Fraction(95, 100), "not_met")


def test_a_period_is_judged_by_the_targets_in_force_at_its_end() -> None:
    # Without as_of the latest target judged every period: March 2024 against a revision that
    # takes effect in 2025.
    revised = Target(
        "online_dossier_rate", Fraction(95, 100), unit="25774", effective_from=datetime.date(2025, 1, 1)
    )
    p = plan((revised,))
    march = Observations([obs(92, 8)])
    report = evaluate(p, tree(), march)
    assert report.as_of == datetime.date(2024, 3, 31)
    assert (pick(report).target, pick(report).status) == (Fraction(9, 10), "met")
    both = Observations([obs(92, 8), Observation("25774", Period.parse("2025-01"), counts=obs(92, 8).counts)])
    assert pick(evaluate(p, tree(), both, period="2024")).target == Fraction(9, 10)
    assert pick(evaluate(p, tree(), both, period="2025-01")).target == Fraction(95, 100)
    whole = evaluate(p, tree(), both)  # the span 2024-03..2025-01: as of its end
    assert (whole.as_of, pick(whole).target) == (datetime.date(2025, 1, 31), Fraction(95, 100))


def test_unknown_and_zero_denominator_are_no_data_not_zero() -> None:
    report = evaluate(
        plan(),
        tree(),
        Observations([Observation("25774", P, counts={"received_online": 5}), obs(0, 0, unit="25756")]),
    )
    by_unit = {o.unit: o for o in report.outcomes if o.rule == "PL-II.1"}
    assert by_unit["25774"].status == "no_data"
    assert by_unit["25774"].missing == ("received_direct", "received_postal")
    assert by_unit["25756"].status == "no_data"
    assert by_unit["25756"].denominator == 0
    assert by_unit["718"].status == "no_data"  # no row at all


def test_province_scope_sums_the_counts_then_divides() -> None:
    data = Observations([obs(9, 1), obs(1, 9, unit="25756"), obs(0, 10, unit="718")])
    report = evaluate(plan(), tree(), data)
    (province,) = report.for_rule("II.2")
    assert province.unit == "74"
    # (9 + 1 + 0) / (10 + 10 + 10), not the mean of 90 %, 10 % and 0 %.
    assert (province.numerator, province.denominator, province.value) == (10, 30, Fraction(1, 3))
    assert province.status == "not_met"
    assert province.covers == ("25756", "25774", "718")
    assert province.missing_units == ("74",)
    assert province.strategy == "sum"


def test_period_sums_sub_periods_and_whole_span_by_default() -> None:
    data = Observations(
        [
            Observation(
                "25774",
                Period.parse("2024-01"),
                counts={"received_online": 8, "received_direct": 2, "received_postal": 0},
            ),
            Observation(
                "25774",
                Period.parse("2024-02"),
                counts={"received_online": 10, "received_direct": 0, "received_postal": 0},
            ),
        ]
    )
    whole = evaluate(plan(), tree(), data)
    january = evaluate(plan(), tree(), data, period="2024-01")
    assert (pick(whole).numerator, pick(whole).denominator, whole.period) == (18, 20, "2024-01..2024-02")
    assert (pick(january).numerator, pick(january).status, january.period) == (8, "not_met", "2024-01")


class Exploding:
    name = "exploding"

    def measure(self, indicator: object, data: object) -> Measurement:
        raise ZeroDivisionError("boom")


def with_plugin(plugin: Exploding | Floating) -> tuple[Registry[object], Indicator]:
    """A registry of the built-in ratio and ``plugin``, and an indicator ``odd_rate`` it measures."""
    registry: Registry[object] = Registry(
        "evaluator", "none", check_evaluator, entry_points_source=lambda g: []
    )
    registry.register(RatioOfSums())
    registry.register(plugin)
    custom = Indicator(
        "odd_rate", "Tỷ lệ lạ", "Odd rate", ("received_online",), ("received_direct",), evaluator=plugin.name
    )
    return registry, custom


def test_a_failing_plugin_is_reported_with_its_context_and_others_stay_correct() -> None:
    registry, custom = with_plugin(Exploding())
    p = Plan(
        "p",
        "P",
        None,
        None,
        ("province", "district", "commune"),
        (
            PlanRule("odd", Threshold("odd_rate", Fraction(1, 2)), levels=("commune",)),
            PlanRule("ok", Threshold("online_dossier_rate", Fraction(1, 2)), levels=("commune",)),
        ),
        TargetTable(),
        indicators=(custom,),
    )
    data = Observations([obs(9, 1)])
    with pytest.raises(EvaluationError) as info:
        evaluate(p, tree(), data, evaluators=registry)  # type: ignore[arg-type]
    assert (info.value.plugin, info.value.indicator) == ("exploding", "odd_rate")
    assert info.value.unit in ("25774", "25756")
    assert "ZeroDivisionError: boom" in str(info.value)
    report = evaluate(p, tree(), data, evaluators=registry, on_error="collect")  # type: ignore[arg-type]
    assert len(report.errors) == 2
    odd = [o for o in report.outcomes if o.rule == "odd"]
    assert all(o.status == "no_data" and o.error for o in odd)
    ok = {o.unit: o.status for o in report.outcomes if o.rule == "ok"}
    assert ok == {"25774": "met", "25756": "no_data"}


def test_baseline_evaluation_of_the_shipped_plan() -> None:
    ds = load_dataset("binh-duong-2023")
    assert ds.plan is not None
    report = evaluate(ds.plan, ds.hierarchy, ds.baseline)
    chanh_my = {o.rule: o for o in report.for_unit("25774")}
    # The plan's own figures: 99,4 % online against 90 %, 0,5 % paid online against 50 %.
    assert (chanh_my["PL-II.1"].value, chanh_my["PL-II.1"].status) == (Fraction(994, 1000), "met")
    assert chanh_my["PL-II.1"].basis == "rate"
    assert (chanh_my["PL-II.2"].value, chanh_my["PL-II.2"].status) == (Fraction(5, 1000), "not_met")
    assert chanh_my["IV.1"].status == "no_data"
    # Sở Kế hoạch và Đầu tư has no current figures: no data, never 0.
    ke_hoach = {o.rule: o for o in report.for_unit("so-ke-hoach-va-dau-tu")}
    assert ke_hoach["PL-II.1"].status == "no_data"
    met = [o.unit for o in report.outcomes if o.rule == "PL-II.1" and o.status == "met"]
    expected = [
        f.unit
        for f in ds.figures
        if f.current_online_dossier_rate is not None
        and f.target_online_dossier_rate is not None
        and f.current_online_dossier_rate >= f.target_online_dossier_rate
    ]
    assert sorted(met) == sorted(expected)


@given(
    st.integers(0, 500),
    st.integers(0, 500),
    st.integers(0, 50),
    st.integers(1, 50),
    st.fractions(0, 1),
)
def test_more_online_dossiers_never_turns_met_into_not_met(
    online: int, direct: int, postal: int, extra: int, target: Fraction
) -> None:
    p = plan((Target("online_dossier_rate", target, unit="25756"),))
    before = evaluate(p, tree(), Observations([obs(online, direct, postal, unit="25756")]))
    after = evaluate(p, tree(), Observations([obs(online + extra, direct, postal, unit="25756")]))
    first, second = pick(before, "25756"), pick(after, "25756")
    if first.status == "met":
        assert second.status == "met"
    if first.gap_count is not None and second.gap_count is not None:
        assert second.gap_count <= first.gap_count


@given(st.integers(0, 1000), st.integers(1, 1000), st.fractions(0, 1))
def test_gap_count_is_the_fewest_extra_items(numerator: int, extra_den: int, target: Fraction) -> None:
    denominator = numerator + extra_den
    from dvctt_rules.rules import gap_count

    k = gap_count(numerator, denominator, target, "at_least")
    assert k is not None
    assert Fraction(numerator + k, denominator) >= target or numerator + k > denominator
    if k > 0:
        assert Fraction(numerator + k - 1, denominator) < target


def test_data_of_units_the_hierarchy_lacks_are_refused_not_left_out() -> None:
    # Observations made without a hierarchy are not checked against one: an evaluation, a ranking and
    # a roll-up judged the units they knew and said nothing of the data of a mistyped id.
    ds = load_dataset("binh-duong-2023")
    plan = ds.plan
    assert plan is not None
    month = Period.parse("2024-01")
    counts = {"received_online": 19, "received_direct": 1, "received_postal": 0}  # 95 %: Chánh Mỹ's 90 % met
    data = Observations(
        [Observation("25774x", month, counts=counts), Observation("25774", month, counts=counts)]
    )
    for run in (
        lambda: evaluate(plan, ds.hierarchy, data),
        lambda: rank(plan, ds.hierarchy, data, level="commune"),
        lambda: rollup(plan, ds.hierarchy, data, level="province"),
    ):
        with pytest.raises(DataError, match="units the hierarchy does not have: 25774x"):
            run()
    known = Observations([Observation("25774", month, counts=counts)])
    assert evaluate(plan, ds.hierarchy, known, rules=["PL-II.1"], units=["25774"]).outcomes[0].status == "met"
    with pytest.raises(TypeError, match=r"Observation\.unit must be a unit id"):  # a Unit was kept as a key
        Observation(ds.hierarchy["25774"], month, counts=counts)  # type: ignore[arg-type]


def test_a_period_or_date_of_another_type_is_refused_at_the_call() -> None:
    # It failed inside the first evaluator, blamed on the plugin; a datetime failed in the targets.
    ds = load_dataset("binh-duong-2023")
    plan = ds.plan
    assert plan is not None
    with pytest.raises(TypeError, match="period must be a Period"):
        evaluate(plan, ds.hierarchy, ds.baseline, period=2024)  # type: ignore[arg-type]
    with pytest.raises(
        TypeError,
        match=r"as_of must be a datetime.date, got the datetime 2024-01-01 00:00:00; pass its .date\(\)",
    ):
        rank(plan, ds.hierarchy, ds.baseline, level="district", as_of=datetime.datetime(2024, 1, 1))
    day = datetime.date(2024, 1, 1)
    assert rank(plan, ds.hierarchy, ds.baseline, level="district", as_of=day).rows


def test_measure_units_takes_units_or_ids_as_evaluate_does() -> None:
    # Ids failed with AttributeError ('str' object has no attribute 'id').
    ds = load_dataset("binh-duong-2023")
    plan = ds.plan
    assert plan is not None
    by_unit = measure_units(
        plan, ds.hierarchy, ds.baseline, "online_dossier_rate", units=(ds.hierarchy["718"],)
    )
    by_id = measure_units(plan, ds.hierarchy, ds.baseline, "online_dossier_rate", units=["25774", "718"])
    assert list(by_id) == ["25774", "718"]  # in the order given
    assert by_id["718"] == by_unit["718"]
    assert by_id["25774"].value == Fraction(994, 1000)  # Chánh Mỹ's 99,4 %, the plan's own figure
    with pytest.raises(UnknownUnitError):
        measure_units(plan, ds.hierarchy, ds.baseline, "online_dossier_rate", units=["25774x"])


class Floating:
    """A plugin that answers a float: exact arithmetic would be lost further on (it crashed there)."""

    name = "floating"

    def measure(self, indicator: object, data: object) -> Measurement:
        return Measurement(1, 2, 0.5, "counts")  # type: ignore[arg-type]


def test_a_measurement_that_is_not_exact_is_the_plugins_error() -> None:
    registry, custom = with_plugin(Floating())
    p = Plan(
        "p", "P", None, None, ("province", "district", "commune"),
        (PlanRule("odd", Threshold("odd_rate", Fraction(1, 2)), levels=("commune",)),),
        TargetTable(), indicators=(custom,),
    )  # fmt: skip
    data = Observations([obs(9, 1)])
    with pytest.raises(EvaluationError, match=r"evaluator 'floating' failed .*value is 0\.5 \(float\)"):
        evaluate(p, tree(), data, evaluators=registry)  # type: ignore[arg-type]
    report = evaluate(p, tree(), data, evaluators=registry, on_error="collect")  # type: ignore[arg-type]
    assert {o.status for o in report.outcomes} == {"no_data"}
    assert all("not an exact Fraction" in (o.error or "") for o in report.outcomes)


def test_a_plan_whose_rules_cannot_apply_to_the_hierarchy_is_refused() -> None:
    # A plan written for the levels commune/district, read with a hierarchy whose levels are named
    # tinh/xa: only the province-wide rules were judged, without a word.
    h = Hierarchy([Unit("t", "Tỉnh T", "tinh"), Unit("x", "Xã X", "xa")], {"x": "t"}, ("tinh", "xa"))
    data = Observations(
        [Observation("x", P, counts={"received_online": 1, "received_direct": 1, "received_postal": 0})]
    )
    with pytest.raises(
        PlanError,
        match=r"no rule of plan 'p' applies to this hierarchy: .*\['commune', 'district'\].*\['tinh', 'xa'\]",
    ):
        evaluate(plan(), h, data)
    # Measuring and rolling up use no rule of the plan: they still work on these levels.
    assert measure_units(plan(), h, data, "online_dossier_rate")["x"].value == Fraction(1, 2)
    with pytest.warns(UnmatchedUnitWarning, match="does not have: 25774;"):  # its unit target
        rows = rollup(plan(), h, data, level="tinh", indicators=["online_dossier_rate"])
    assert [(r.unit, r.value) for r in rows] == [("t", Fraction(1, 2))]
    fitted = attrs.evolve(plan(), levels=("tinh", "xa"), targets=TargetTable(), rules=tuple(
        attrs.evolve(rule, levels=("xa",)) if rule.scope == "unit" else rule for rule in plan().rules
    ))  # fmt: skip
    assert {o.unit for o in evaluate(fitted, h, data).outcomes} >= {"x"}
