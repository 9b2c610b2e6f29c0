"""Core semantics the rest of the suite left loose, each pinned by a hand-computed example.

Every test names the plausible mistake it guards against (found by hand-made mutations of the
evaluation, roll-up and ranking code).
"""

from __future__ import annotations

import datetime
from fractions import Fraction

from dvctt_rules.aggregate import rollup
from dvctt_rules.hierarchy import Hierarchy, Unit
from dvctt_rules.observations import Observation, Observations, Period
from dvctt_rules.ranking import rank
from dvctt_rules.rules import (
    KH_4623,
    Indicator,
    Plan,
    PlanRule,
    ScoringScheme,
    Target,
    Threshold,
    evaluate,
)

JAN = Period(2024, month=1)
ODR = "online_dossier_rate"
LEVELS = ("province", "district", "commune")


def tree() -> Hierarchy:
    """P ─ D ─ C1, C2, C3, C4."""
    units = [Unit("P", "Tỉnh P", "province"), Unit("D", "UBND Huyện D", "district")]
    parents = {"D": "P"}
    for commune in ("C1", "C2", "C3", "C4"):
        units.append(Unit(commune, f"Xã {commune}", "commune"))
        parents[commune] = "D"
    return Hierarchy(units, parents, LEVELS)


def make_plan(
    *rules: PlanRule,
    targets: tuple[Target, ...] = (),
    indicators: tuple[Indicator, ...] = (),
    top_quota: Fraction | None = None,
) -> Plan:
    return Plan(
        "core",
        "Core semantics plan",
        KH_4623,
        datetime.date(2023, 9, 7),
        LEVELS,
        rules,
        targets,
        indicators=indicators,
        scoring=ScoringScheme(top_quota=top_quota),
    )


def odr_rule(rule_id: str = "PL-II.1") -> PlanRule:
    """Online dossiers ≥ 50 % for communes, scored."""
    return PlanRule(rule_id, Threshold(ODR, Fraction(1, 2)), levels=("commune",), scored=True)


def counts(
    unit: str,
    online: int = 0,
    direct: int = 0,
    *,
    early: int = 0,
    on_time: int = 0,
    late: int = 0,
    pending_late: int = 0,
) -> Observation:
    return Observation(
        unit,
        JAN,
        counts={
            "received_online": online,
            "received_direct": direct,
            "received_postal": 0,
            "resolved_early": early,
            "resolved_on_time": on_time,
            "resolved_late": late,
            "pending_late": pending_late,
        },
    )


# -- late dossiers: a zero_count rule without a written target is judged against 0 -----------------


def late_plan() -> Plan:
    # MT.5 writes no target and the table has none: "no late dossier" means a target of 0.
    return make_plan(
        odr_rule(), PlanRule("MT.5", Threshold("late_dossiers"), levels=("district", "commune"), scored=True)
    )


def test_ranking_scores_a_late_dossiers_rule_against_zero_like_evaluate() -> None:
    """Guards against the ranking's fast road taking the rule's own ``target`` (``None``) instead
    of the implied 0 of a zero_count rule, which makes "no late dossiers" not apply at all."""
    h = tree()
    data = Observations([counts("C1", 6, 4, early=8, late=2)], hierarchy=h)
    report = evaluate(late_plan(), h, data, units=["C1"])
    (late,) = [o for o in report.for_unit("C1") if o.rule == "MT.5"]
    assert (late.value, late.target, late.status) == (Fraction(2), Fraction(0), "not_met")
    result = rank(late_plan(), h, data, level="commune")
    c1 = result.row("C1")
    assert c1 is not None
    # PL-II.1: 6/10 ≥ 50 %, 50 points; MT.5: 2 late dossiers, all or nothing, 0 of 50.
    assert [(p.rule, p.status, p.points) for p in c1.points] == [
        ("PL-II.1", "met", Fraction(50)),
        ("MT.5", "not_met", Fraction(0)),
    ]
    assert (c1.score, c1.scored, c1.grade) == (Fraction(50), 2, "completed")


def test_rollup_counts_communes_against_the_implied_zero_late_dossiers() -> None:
    """Guards against the roll-up's own statuses leaving a target-less zero_count rule out: of the
    district's communes one has no late dossier, two have some and C4 reports nothing (no data,
    still in the total), so 1 of 4 complied, not 0 of 0."""
    h = tree()
    data = Observations(
        [counts("C1", 6, 4, late=2), counts("C2", 6, 4, late=0), counts("C3", 6, 4, pending_late=1)],
        hierarchy=h,
    )
    (row,) = rollup(late_plan(), h, data, level="district", indicators=("late_dossiers",))
    assert (row.value, row.target, row.status) == (Fraction(3), Fraction(0), "not_met")
    assert (row.children_met, row.children_not_met, row.children_no_data) == (1, 2, 1)
    assert row.children_share == Fraction(1, 4)


# -- a zero denominator without a target is not applicable, not missing data ------------------------


def test_ranking_leaves_out_a_rule_with_no_target_even_when_its_denominator_is_zero() -> None:
    """Guards against the ranking's fast road calling a zero denominator "no data" before asking
    whether any target applies: a rule without a target does not count (evaluate says
    not_applicable), so the unit is neither docked 50 points nor reminded."""
    h = tree()
    plan = make_plan(
        odr_rule(),
        PlanRule("IV.1", Threshold("on_time_rate"), levels=("commune",), scored=True),
        targets=(Target("on_time_rate", Fraction(55, 100), unit="C1"),),  # C2 has none
    )
    data = Observations([counts("C1", 6, 4, early=6, late=4), counts("C2", 6, 4)], hierarchy=h)
    report = evaluate(plan, h, data, units=["C2"])
    assert {o.rule: o.status for o in report.for_unit("C2")} == {"PL-II.1": "met", "IV.1": "not_applicable"}
    result = rank(plan, h, data, level="commune")
    c2 = result.row("C2")
    assert c2 is not None
    assert [p.rule for p in c2.points] == ["PL-II.1"]
    assert (c2.score, c2.no_data, c2.reminded, c2.commended) == (Fraction(100), 0, False, True)
    # C1 is judged on its own 55 %: 6/10 met, 50 + 50.
    c1 = result.row("C1")
    assert c1 is not None
    assert c1.score == Fraction(100)


# -- partial credit is for at_least targets only -----------------------------------------------------


def test_a_missed_at_most_target_earns_no_partial_credit() -> None:
    """Guards against giving ``points × value / target`` to any missed threshold: for an at_most
    target (late share ≤ 10 %) value / target exceeds 1 when the unit misses, which would give
    full points for a miss. The docstring of PartialCredit: at_most and equal are all or nothing."""
    late_share = Indicator(
        "late_share",
        "Tỷ lệ hồ sơ quá hạn",
        "Share of dossiers resolved late",
        ("resolved_late",),
        ("resolved_early", "resolved_on_time", "resolved_late"),
        direction="at_most",
    )
    plan = make_plan(
        odr_rule(),
        PlanRule("LATE", Threshold("late_share", Fraction(1, 10)), levels=("commune",), scored=True),
        indicators=(late_share,),
    )
    h = tree()
    data = Observations(
        [counts("C1", 6, 4, early=8, late=2), counts("C2", 6, 4, early=19, late=1)], hierarchy=h
    )
    result = rank(plan, h, data, level="commune")
    c1, c2 = result.row("C1"), result.row("C2")
    assert c1 is not None
    assert c2 is not None
    # C1: 2/10 late > 10 %: missed, 0 of 50. C2: 1/20 ≤ 10 %: met, 50 of 50.
    assert [(p.status, p.points) for p in c1.points] == [("met", Fraction(50)), ("not_met", Fraction(0))]
    assert (c1.score, c2.score) == (Fraction(50), Fraction(100))
    assert [(r.unit, r.rank) for r in result][:2] == [("C2", 1), ("C1", 2)]


# -- the quota counts units exactly at the "tốt" edge ------------------------------------------------


def test_quota_counts_a_unit_exactly_at_the_good_edge_among_good_or_better() -> None:
    """Guards against ``>`` for ``>=`` when counting G, the units graded at least "tốt": a unit
    scoring exactly 70 is "tốt" (an edge reaches its band), so G = 3 and the cap ⌊2/3 × 3⌋ = 2
    lets both excellent units keep the top grade; with G = 2 the cap would be 1."""
    h = tree()
    plan = make_plan(odr_rule(), top_quota=Fraction(2, 3))
    # One scored rule, target 1/2: score = 100 × min(1, rate / (1/2)).
    data = Observations(
        [
            counts("C1", 1, 1),  # 50 %: 100
            counts("C2", 19, 21),  # 47,5 %: 95
            counts("C3", 7, 13),  # 35 %: 70 exactly
            counts("C4", 1, 4),  # 20 %: 40
        ],
        hierarchy=h,
    )
    result = rank(plan, h, data, level="commune")
    assert [(r.unit, r.score, r.grade, r.demoted) for r in result] == [
        ("C1", Fraction(100), "excellent", False),
        ("C2", Fraction(95), "excellent", False),
        ("C3", Fraction(70), "good", False),
        ("C4", Fraction(40), "not_completed", False),
    ]
    assert result.quota_cap == 2
    assert [r.unit for r in result.commended] == ["C1", "C2"]


# -- roll-ups ----------------------------------------------------------------------------------------


def test_rollup_compliance_needs_every_rule_on_the_indicator_met() -> None:
    """Guards against combining a unit's rules on one indicator like any_of: a commune at 60 %
    meets "≥ 50 %" but misses "≥ 80 %", so it did not meet its online-dossier target (all_of, as
    the report's own verdicts say)."""
    h = tree()
    plan = make_plan(
        odr_rule(),
        PlanRule("STRICT", Threshold(ODR, Fraction(4, 5)), levels=("commune",)),
    )
    data = Observations(
        [counts("C1", 6, 4), counts("C2", 9, 1), counts("C3", 3, 7), counts("C4", 6, 4)], hierarchy=h
    )
    report = evaluate(plan, h, data, units=["C1"])
    assert {o.rule: o.status for o in report.for_unit("C1")} == {"PL-II.1": "met", "STRICT": "not_met"}
    (row,) = rollup(plan, h, data, level="district", indicators=(ODR,))
    # C2 (90 %) meets both; C1 and C4 (60 %) miss STRICT; C3 (30 %) misses both.
    assert (row.children_met, row.children_not_met, row.children_no_data) == (1, 3, 0)
    # The area as a whole: (6 + 9 + 3 + 6) / 40 = 60 %.
    assert row.value == Fraction(3, 5)


def test_default_aggregate_sums_when_a_unit_has_counts_even_with_a_zero_denominator() -> None:
    """Guards against the default aggregator switching to the mean of reported rates whenever the
    summed value is unknown: a unit with counts and nothing received has data (it is covered), so
    the area is summed from counts (0/0: no value) and the rate-only unit is listed as missing,
    not averaged in."""
    h = tree()
    data = Observations(
        [counts("C1", 0, 0), Observation("C2", JAN, rates={ODR: Fraction(4, 5)})], hierarchy=h
    )
    (row,) = rollup(make_plan(odr_rule()), h, data, level="district", indicators=(ODR,))
    assert (row.strategy, row.basis, row.value) == ("sum", "none", None)
    assert (row.numerator, row.denominator) == (0, 0)
    assert row.covers == ("C1",)
    assert row.missing == ("C2", "C3", "C4", "D")


# -- targets, statuses and gaps in evaluate -----------------------------------------------------------


def test_the_latest_target_in_force_wins_whatever_the_table_order() -> None:
    """Guards against taking the last target listed (table order) instead of the one with the
    latest ``effective_from`` on or before ``as_of``: here the newer target is listed first."""
    h = tree()
    plan = make_plan(
        odr_rule(),
        targets=(
            Target(ODR, Fraction(95, 100), unit="C1", effective_from=datetime.date(2025, 1, 1)),
            Target(ODR, Fraction(9, 10), unit="C1", effective_from=datetime.date(2024, 1, 1)),
        ),
    )
    data = Observations([counts("C1", 92, 8)], hierarchy=h)

    def judged(as_of: datetime.date | None) -> tuple[Fraction | None, str]:
        (outcome,) = evaluate(plan, h, data, as_of=as_of, units=["C1"]).for_unit("C1")
        return outcome.target, outcome.status

    assert judged(datetime.date(2025, 6, 30)) == (Fraction(95, 100), "not_met")
    assert judged(None) == (Fraction(9, 10), "met")  # the data's period ends before 2025
    assert judged(datetime.date(2024, 6, 30)) == (Fraction(9, 10), "met")


def test_no_target_and_no_data_is_not_applicable_not_missing_data() -> None:
    """Guards against asking for data before asking whether a target applies: a rule without a
    target for the unit does not apply to it, reported or not, so it neither counts as "no data"
    in evaluate nor docks the unit's score or puts it on the reminder list."""
    h = tree()
    plan = make_plan(
        odr_rule(),
        PlanRule("IV.1", Threshold("on_time_rate"), levels=("commune",), scored=True),
        targets=(Target("on_time_rate", Fraction(55, 100), unit="C1"),),  # none for C2, C3
    )
    received_only = {"received_online": 6, "received_direct": 4, "received_postal": 0}
    data = Observations([Observation("C2", JAN, counts=received_only)], hierarchy=h)
    report = evaluate(plan, h, data, units=["C2", "C3"])
    assert {(o.unit, o.rule): o.status for o in report} == {
        ("C2", "PL-II.1"): "met",
        ("C2", "IV.1"): "not_applicable",
        ("C3", "PL-II.1"): "no_data",
        ("C3", "IV.1"): "not_applicable",
    }
    c2 = rank(plan, h, data, level="commune").row("C2")
    assert c2 is not None
    assert [p.rule for p in c2.points] == ["PL-II.1"]
    assert (c2.score, c2.no_data, c2.reminded) == (Fraction(100), 0, False)


def test_gap_count_rounds_the_bound_up_for_an_at_least_target() -> None:
    """Guards against rounding target × denominator down: 90 % of 121 is 108,9, so 105 online
    dossiers need 4 more (109/121 ≥ 90 % > 108/121), not 3."""
    assert Fraction(108, 121) < Fraction(9, 10) <= Fraction(109, 121)
    h = tree()
    plan = make_plan(odr_rule(), targets=(Target(ODR, Fraction(9, 10), unit="C1"),))
    data = Observations([counts("C1", 105, 16)], hierarchy=h)
    (outcome,) = evaluate(plan, h, data, units=["C1"]).for_unit("C1")
    assert (outcome.status, outcome.gap_count) == ("not_met", 4)
    assert outcome.explain().endswith("cần thêm 4 hồ sơ trực tuyến")
