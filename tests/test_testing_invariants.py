"""dvctt_rules.testing: the invariant checks pass on real results and catch tampered ones."""

from __future__ import annotations

import datetime
from fractions import Fraction

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dvctt_rules.aggregate import rollup
from dvctt_rules.hierarchy import Hierarchy, Unit
from dvctt_rules.observations import Observation, Observations, Period
from dvctt_rules.ranking import RankRow, rank
from dvctt_rules.rules import (
    KH_4623,
    Indicator,
    Outcome,
    Plan,
    PlanRule,
    Report,
    Status,
    Target,
    Threshold,
    all_of,
    evaluate,
    not_,
)
from dvctt_rules.testing import (
    TRICKY_HIERARCHY,
    check_ranking,
    check_rollup,
    check_verdicts,
    hierarchies,
    observations,
    plans,
)

MARCH = Period(2024, month=3)
D = datetime.date


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


def small_plan() -> Plan:
    return Plan(
        "p",
        "Kế hoạch thử",
        KH_4623,
        D(2023, 9, 7),
        ("province", "department", "district", "commune"),
        (
            PlanRule("P", Threshold("online_dossier_rate", Fraction(1, 2)), scope="province"),
            PlanRule(
                "C",
                all_of(Threshold("online_dossier_rate"), not_(Threshold("late_dossiers"))),
                levels=("commune",),
                scored=True,
            ),
        ),
        (
            Target("online_dossier_rate", Fraction(9, 10), level="commune"),
            Target("online_dossier_rate", Fraction(19, 20), level="commune", effective_from=D(2025, 1, 1)),
        ),
    )


def small_data() -> Observations:
    def row(unit: str, online: int, direct: int) -> Observation:
        counts = {"received_online": online, "received_direct": direct, "received_postal": 0}
        return Observation(unit, MARCH, counts={**counts, "resolved_late": 0, "pending_late": 1})

    # 9 of 10 is exactly the 90 % target: met. 0 of 0 is no data.
    return Observations([row("25774", 9, 1), row("25756", 0, 0)], hierarchy=tree())


def replace_outcome(report: Report, index: int, outcome: Outcome) -> Report:
    """The report with one outcome replaced, in ``outcomes`` and in its verdict."""
    old = report.outcomes[index]
    verdicts = tuple(
        attrs.evolve(v, outcomes=tuple(outcome if o is old else o for o in v.outcomes))
        for v in report.verdicts
    )
    outcomes = tuple(outcome if i == index else o for i, o in enumerate(report.outcomes))
    return attrs.evolve(report, outcomes=outcomes, verdicts=verdicts)


# -- verdicts -----------------------------------------------------------------------------------


def test_exactly_at_the_target_is_met_and_tampering_is_caught() -> None:
    h, plan, data = tree(), small_plan(), small_data()
    report = evaluate(plan, h, data, as_of=D(2024, 6, 30))
    check_verdicts(report, plan, h, data)
    (index,) = [
        i
        for i, o in enumerate(report.outcomes)
        if o.unit == "25774" and o.rule == "C" and o.indicator.id == "online_dossier_rate"
    ]
    exact = report.outcomes[index]
    assert (exact.value, exact.target, exact.status) == (Fraction(9, 10), Fraction(9, 10), "met")
    with pytest.raises(AssertionError, match=r"'25774'.*status is 'not_met' but"):
        check_verdicts(replace_outcome(report, index, attrs.evolve(exact, status="not_met")), plan, h, data)
    with pytest.raises(AssertionError, match="value is 7/8"):
        check_verdicts(
            replace_outcome(report, index, attrs.evolve(exact, value=Fraction(7, 8))), plan, h, data
        )
    with pytest.raises(AssertionError, match=r"target is 19/20 .* but the target in force is 9/10"):
        check_verdicts(
            replace_outcome(report, index, attrs.evolve(exact, target=Fraction(19, 20))), plan, h, data
        )
    with pytest.raises(AssertionError, match="gap_count"):
        check_verdicts(replace_outcome(report, index, attrs.evolve(exact, gap_count=2)), plan, h, data)


def test_dated_targets_zero_denominators_and_structure() -> None:
    h, plan, data = tree(), small_plan(), small_data()
    later = evaluate(plan, h, data, as_of=D(2025, 6, 30))
    check_verdicts(later, plan, h, data)
    assert {o.target for o in later.for_unit("25774") if o.indicator.id == "online_dossier_rate"} == {
        Fraction(19, 20)
    }
    empty = [o for o in later.for_unit("25756") if o.indicator.id == "online_dossier_rate"]
    assert [(o.numerator, o.denominator, o.status) for o in empty] == [(0, 0, "no_data")]
    with pytest.raises(AssertionError, match="pairs the plan applies"):
        check_verdicts(attrs.evolve(later, verdicts=later.verdicts[1:]), plan, h, data)
    wrong = (attrs.evolve(later.verdicts[-1], status="met"),)
    with pytest.raises(AssertionError, match="combine to"):
        check_verdicts(attrs.evolve(later, verdicts=later.verdicts[:-1] + wrong), plan, h, data)
    moved = Observations([attrs.evolve(data.for_unit("25774")[0], unit="25756")], hierarchy=h)
    with pytest.raises(AssertionError, match=r"but the (counts give|units with data are)"):
        check_verdicts(later, plan, h, moved)


@settings(max_examples=40)
@given(st.data())
def test_verdicts_of_generated_inputs_agree_with_the_counts(data: st.DataObject) -> None:
    h = data.draw(hierarchies(max_size=10))
    obs = data.draw(observations(h))
    plan = data.draw(plans(h))
    period = data.draw(st.sampled_from([None, Period(2024), Period(2024, quarter=2), Period(2024, month=5)]))
    as_of = data.draw(st.none() | st.dates(D(2000, 1, 1), D(2040, 12, 31)))
    aggregator = data.draw(st.sampled_from(["default", "sum", "mean_of_rates", "min", "max"]))
    report = evaluate(plan, h, obs, period=period, as_of=as_of, aggregator=aggregator)
    check_verdicts(report, plan, h, obs, aggregator=aggregator)
    judged = [i for i, o in enumerate(report.outcomes) if o.status in ("met", "not_met")]
    if judged:
        index = data.draw(st.sampled_from(judged))
        outcome = report.outcomes[index]
        flipped: Status = "not_met" if outcome.status == "met" else "met"
        with pytest.raises(AssertionError):
            check_verdicts(
                replace_outcome(report, index, attrs.evolve(outcome, status=flipped)),
                plan,
                h,
                obs,
                aggregator=aggregator,
            )


# -- roll-ups and rankings ----------------------------------------------------------------------


@settings(max_examples=30)
@given(st.data())
def test_rollups_of_generated_inputs_are_the_sum_of_their_parts(data: st.DataObject) -> None:
    h = data.draw(hierarchies(max_size=10))
    obs = data.draw(observations(h))
    plan = data.draw(plans(h, min_rules=1))
    level = data.draw(st.sampled_from(h.levels))
    strategy = data.draw(st.sampled_from(["default", "sum", "mean_of_rates", "min", "max"]))
    include_self = data.draw(st.booleans())
    rows = rollup(plan, h, obs, level=level, strategy=strategy, include_self=include_self)
    check_rollup(rows, plan, h, obs)
    summed = [i for i, row in enumerate(rows) if row.strategy == "sum" and row.numerator is not None]
    if summed:
        index = data.draw(st.sampled_from(summed))
        wrong = attrs.evolve(rows[index], numerator=(rows[index].numerator or 0) + 1)
        with pytest.raises(AssertionError, match="numerator"):
            check_rollup((*rows[:index], wrong, *rows[index + 1 :]), plan, h, obs)


def test_rollup_areas_are_checked() -> None:
    h, plan, data = tree(), small_plan(), small_data()
    rows = rollup(plan, h, data, level="district", strategy="sum")
    check_rollup(rows, plan, h, data)
    (row,) = [r for r in rows if r.indicator == "online_dossier_rate"]
    assert (row.numerator, row.denominator) == (9, 10)
    with pytest.raises(AssertionError, match="left out"):
        check_rollup([attrs.evolve(row, missing=())], plan, h, data)
    (province,) = [r for r in rollup(plan, h, data, level="province") if r.indicator == "online_dossier_rate"]
    assert (province.numerator, province.denominator, province.target, province.gap_count) == (
        9,
        10,
        Fraction(1, 2),
        0,
    )
    with pytest.raises(AssertionError, match="gap_count 7 is not the fewest"):  # it was not checked
        check_rollup([attrs.evolve(province, gap_count=7)], plan, h, data)
    communes = rollup(plan, h, data, level="province", member_levels=("commune",))
    check_rollup(communes, plan, h, data, member_levels=("commune",))
    with pytest.raises(AssertionError, match="extra"):
        check_rollup(communes, plan, h, data, member_levels=("district",))


@settings(max_examples=30)
@given(st.data())
def test_rankings_of_generated_inputs_are_competition_ranked_permutations(data: st.DataObject) -> None:
    h = data.draw(hierarchies(max_size=12))
    obs = data.draw(observations(h))
    plan = data.draw(plans(h, min_rules=1))
    level = data.draw(st.sampled_from(h.levels))
    ranking = rank(plan, h, obs, level=level)
    check_ranking(ranking, h.units(level))
    check_ranking(ranking.rows)
    if ranking.rows:
        with pytest.raises(AssertionError, match="permutation"):
            check_ranking(ranking, h.units(level)[1:])


def test_ranking_checks_catch_wrong_ranks_order_and_duplicates() -> None:
    h = TRICKY_HIERARCHY
    plan = Plan(
        "p",
        "P",
        None,
        None,
        h.levels,
        (PlanRule("R", Threshold("online_dossier_rate", Fraction(9, 10)), levels=("commune",), scored=True),),
        (),
    )
    counts = [(9, 1), (9, 1), (5, 5), (1, 9), (0, 0)]
    communes = h.units("commune")
    rows = [
        Observation(unit.id, MARCH, counts={"received_online": a, "received_direct": b, "received_postal": 0})
        for unit, (a, b) in zip(communes, counts, strict=False)
    ]
    ranking = rank(plan, h, Observations(rows, hierarchy=h), level="commune")
    check_ranking(ranking, communes)
    assert [row.rank for row in ranking.rows] == [1, 1, 3, 4, 5, 5, 5, 5, 5]  # no data: 0 points
    first, second, *rest = ranking.rows
    with pytest.raises(AssertionError, match="competition rank is 1"):
        check_ranking([first, attrs.evolve(second, rank=2), *rest])
    with pytest.raises(AssertionError, match="listed before"):
        check_ranking([second, first, *rest])
    with pytest.raises(AssertionError, match="more than once"):
        check_ranking([first, first, *rest])


def test_ranking_checks_catch_scores_points_reminders_changes_and_grades_that_disagree() -> None:
    """``check_ranking`` looked at ranks and order only: a score above 100 or not the sum of its
    points, a unit without data not reminded, a wrong rank change or a grade out of its band passed."""
    h = TRICKY_HIERARCHY
    rules = tuple(
        PlanRule(rule_id, Threshold(indicator, Fraction(1, 2)), levels=("commune",), scored=True)
        for rule_id, indicator in (("R", "online_dossier_rate"), ("S", "online_payment_rate"))
    )
    plan = Plan("p", "P", None, None, h.levels, rules, ())
    communes = h.units("commune")
    counts = {"received_online": 9, "received_direct": 1, "received_postal": 0}
    rows = [
        Observation(u.id, MARCH, counts={**counts, "payments_total": 10, "payments_online": 1})
        for u in communes[:2]
    ]
    rows.append(Observation(communes[2].id, MARCH, counts=counts))  # no payments: S without data
    ranking = rank(plan, h, Observations(rows, hierarchy=h), level="commune")
    check_ranking(ranking, communes)
    top, second, third, *_ = ranking.rows
    # 9/10 dossiers online (50 points), 1/10 payments against 5/10 (50 × 1/5): 60; the third 50 + 0
    assert (top.score, second.score, third.score, third.no_data, third.reminded) == (
        Fraction(60),
        Fraction(60),
        Fraction(50),
        1,
        True,
    )

    def caught(match: str, *tampered: RankRow) -> None:
        with pytest.raises(AssertionError, match=match):
            check_ranking([*tampered, *ranking.rows[len(tampered) :]])

    caught("from 0 to 100", attrs.evolve(top, score=Fraction(101)))
    caught("points sum to", attrs.evolve(top, score=top.score - 1))
    negative = (attrs.evolve(top.points[0], points=Fraction(-1)), *top.points[1:])
    caught(
        "earned -1 of",
        attrs.evolve(top, points=negative, score=sum((p.points for p in negative), Fraction(0))),
    )
    caught("without data but is not reminded", top, second, attrs.evolve(third, reminded=False))
    caught("rank change", attrs.evolve(top, previous_rank=3, rank_change=1))
    caught("rank change", attrs.evolve(top, previous_rank=None, rank_change=0))
    caught(
        "a grade is a band", top, attrs.evolve(second, grade="other"), attrs.evolve(third, grade=top.grade)
    )
    with pytest.raises(AssertionError, match="the same score"):
        check_ranking([top, attrs.evolve(second, grade="other")])
    check_ranking([top, attrs.evolve(second, grade="other", demoted=True)])  # the quota's doing


def test_a_province_outcome_names_units_not_measures() -> None:
    # A province-wide outcome's missing measures were not compared: any list passed.
    h, plan, data = tree(), small_plan(), small_data()
    report = evaluate(plan, h, data)
    (index,) = [i for i, o in enumerate(report.outcomes) if o.scope == "province"]
    tampered = attrs.evolve(report.outcomes[index], missing=("received_online",))
    with pytest.raises(AssertionError, match="missing is"):
        check_verdicts(replace_outcome(report, index, tampered), plan, h, data)


def test_the_gap_to_equal_a_target_is_checked() -> None:
    # For an indicator that must equal its target, any gap_count passed.
    equal = Indicator(
        "exact_online_share", "tỷ lệ đúng", "exact share", ("received_online",),
        ("received_online", "received_direct", "received_postal"), direction="equal",
    )  # fmt: skip
    plan = Plan(
        "p", "Kế hoạch thử", KH_4623, D(2023, 9, 7), ("province", "department", "district", "commune"),
        (PlanRule("E", Threshold("exact_online_share", Fraction(1, 2)), levels=("commune",)),),
        (), indicators=(equal,),
    )  # fmt: skip
    h, data = tree(), small_data()
    report = evaluate(plan, h, data)
    (index,) = [i for i, o in enumerate(report.outcomes) if o.unit == "25774"]
    outcome = report.outcomes[index]
    assert (outcome.numerator, outcome.denominator, outcome.gap_count) == (9, 10, 4)  # 5 of 10 is 1/2
    assert "cần giảm 4" in outcome.explain()  # 9 of 10: four fewer to equal 1/2
    below = attrs.evolve(outcome, numerator=1, value=Fraction(1, 10), status="not_met")
    assert "cần thêm 4" in below.explain()  # it said "cần giảm" whichever side the value was on
    check_verdicts(report, plan, h, data)
    with pytest.raises(AssertionError, match="distance to a numerator of 5 is 4"):
        check_verdicts(replace_outcome(report, index, attrs.evolve(outcome, gap_count=1004)), plan, h, data)
