"""Outcomes under a negation, and the citation of an outcome whose rule and indicator cite nothing:
another province's plan, two tiers, written by hand."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterator, Sequence
from fractions import Fraction
from pathlib import Path

import attrs
import pytest

from dvctt_rules import Hierarchy, PlanError
from dvctt_rules.datasets import load_dataset
from dvctt_rules.observations import Measure, PartOf, observations_from_records
from dvctt_rules.plugins import AGGREGATORS, Aggregate, IndicatorSpec, Measurement
from dvctt_rules.plugins._aggregators import checked_aggregate
from dvctt_rules.rules import (
    Citation,
    Indicator,
    Plan,
    PlanRule,
    TargetTable,
    Threshold,
    all_of,
    any_of,
    dump_plan_json,
    evaluate,
    load_plan_json,
    not_,
)
from dvctt_rules.testing import check_verdicts

OWN = Citation("Kế hoạch", "12/KH-UBND", "UBND thành phố Đà Nẵng", datetime.date(2025, 8, 1))
HIERARCHY = Hierarchy.from_records(
    [
        {"id": "DN", "name": "Thành phố Đà Nẵng", "level": "province", "parent": None},
        {"id": "HC", "name": "Phường Hải Châu", "level": "commune", "parent": "DN"},
    ],
    levels=("province", "commune"),
)
OBSERVATIONS = observations_from_records(
    [
        {
            "unit": "HC",
            "period": "2025-07",
            "resolved_late": 1,
            "pending_late": 0,
            "payments_total": 10,
            "payments_online": 1,
        }
    ],
    HIERARCHY,
)
PAYMENT = Threshold("online_payment_rate", Fraction(3, 10))
LATE = Threshold("late_dossiers")


def _write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def _plan(rule: object) -> Plan:
    rules = (PlanRule("R3", rule, levels=("commune",)),)  # type: ignore[arg-type]
    return Plan("dn", "Kế hoạch Đà Nẵng", OWN, None, ("province", "commune"), rules, TargetTable())


def test_a_negated_threshold_is_said_to_be_negated_not_to_be_met() -> None:
    # "cần giảm 1 hồ sơ chậm trễ": advice that would break the rule, which wants late dossiers.
    plan = _plan(any_of(PAYMENT, not_(LATE)))
    report = evaluate(plan, HIERARCHY, OBSERVATIONS)
    (verdict,) = report.verdicts
    assert verdict.status == "met"  # 1 late dossier: not (late = 0) holds
    payment, late = verdict.outcomes
    assert (payment.status, payment.negated, payment.gap_count) == ("not_met", False, 2)
    assert payment.explain("vi") == (
        "Phường Hải Châu: tỷ lệ thanh toán trực tuyến 10 % < chỉ tiêu 30 % (Nghị quyết 01/NQ-CP); "
        "cần thêm 2 giao dịch thanh toán trực tuyến"
    )
    assert (late.status, late.negated, late.gap_count) == ("not_met", True, 1)  # the threshold's own
    assert late.explain("vi") == (
        "Phường Hải Châu: số hồ sơ chậm trễ 1 > chỉ tiêu 0 (Kế hoạch 12/KH-UBND); "
        "điều kiện bị phủ định trong quy tắc R3"
    )
    assert (
        late.explain("en")
        == "Phường Hải Châu: late dossiers 1 > target 0 (Kế hoạch 12/KH-UBND); negated in rule R3"
    )
    check_verdicts(report, plan, HIERARCHY, OBSERVATIONS)


@pytest.mark.parametrize(
    ("rule", "negated"),
    [
        (not_(not_(LATE)), False),  # cancels out (not_ of not_ is the rule itself)
        (all_of(PAYMENT, not_(any_of(LATE, not_(PAYMENT)))), True),  # LATE under one not_; PAYMENT too
        (any_of(LATE, not_(PAYMENT)), False),
    ],
)
def test_negated_is_an_odd_number_of_nots(rule: object, negated: bool) -> None:
    plan = _plan(rule)
    report = evaluate(plan, HIERARCHY, OBSERVATIONS)
    late = next(o for o in report if o.indicator.id == "late_dossiers")
    assert late.negated is negated
    check_verdicts(report, plan, HIERARCHY, OBSERVATIONS)


def test_check_verdicts_holds_the_flag_to_the_rule() -> None:
    plan = _plan(any_of(PAYMENT, not_(LATE)))
    report = evaluate(plan, HIERARCHY, OBSERVATIONS)
    (verdict,) = report.verdicts
    wrong = attrs.evolve(verdict.outcomes[1], negated=False)
    forged = attrs.evolve(
        report,
        outcomes=(verdict.outcomes[0], wrong),
        verdicts=(attrs.evolve(verdict, outcomes=(verdict.outcomes[0], wrong)),),
    )
    with pytest.raises(AssertionError, match="negated"):
        check_verdicts(forged, plan, HIERARCHY, OBSERVATIONS)


def test_an_outcome_cites_the_plan_when_nothing_else_does() -> None:
    plan = _plan(LATE)
    (outcome,) = evaluate(plan, HIERARCHY, OBSERVATIONS)
    assert outcome.citation == OWN
    national = _plan(Threshold("on_time_rate"))  # Phụ lục I's basis: the indicator's own
    assert evaluate(national, HIERARCHY, OBSERVATIONS).outcomes[0].citation.number == "468/QĐ-TTg"  # type: ignore[union-attr]


def test_plan_4623_still_cites_itself() -> None:
    dataset = load_dataset("binh-duong-2023")
    assert dataset.plan is not None
    observations = observations_from_records(
        [{"unit": "25774", "period": "2024-03", "resolved_late": 2, "pending_late": 0}], dataset.hierarchy
    )
    report = evaluate(dataset.plan, dataset.hierarchy, observations, rules=("MT.5",))
    cited = {(o.citation.number, o.citation.issuer) for o in report if o.citation is not None}
    assert cited == {("4623/KH-UBND", "UBND tỉnh Bình Dương")}
    assert all(o.citation is not None for o in report)


class _Median:
    """A third-party aggregator with a method of its own: the median of the units' rates."""

    name = "median_of_rates"

    def aggregate(
        self, indicator: IndicatorSpec, measurements: Sequence[tuple[str, Measurement]]
    ) -> Aggregate:
        known = sorted((uid, m.value) for uid, m in measurements if m.value is not None)
        values = sorted(value for _, value in known)
        middle = len(values) // 2
        median = None
        if values:
            median = values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2
        units = tuple(sorted(uid for uid, _ in known))
        missing = tuple(sorted(uid for uid, m in measurements if m.value is None))
        return Aggregate(None, None, median, self.name, "other", units, missing)


@pytest.fixture
def median() -> Iterator[str]:
    AGGREGATORS.register(_Median())
    yield _Median.name
    AGGREGATORS.unregister(_Median.name)


def test_an_aggregator_of_its_own_method_is_named_in_explanations(median: str) -> None:
    # Only counts, mean_of_rates, min, max and none were accepted: a median had to call itself a mean,
    # and was explained as "trung bình cộng các tỷ lệ".
    hierarchy = Hierarchy.from_records(
        [
            {"id": "DN", "name": "Thành phố Đà Nẵng", "level": "province", "parent": None},
            *(
                {"id": f"P{n}", "name": f"Phường {n}", "level": "commune", "parent": "DN"}
                for n in range(1, 4)
            ),
        ],
        levels=("province", "commune"),
    )
    rates = {"P1": "20", "P2": "50", "P3": "90"}  # the median is 50 %, the mean 53,3 %
    observations = observations_from_records(
        [{"unit": u, "period": "2025-07", "online_payment_rate": r} for u, r in rates.items()], hierarchy
    )
    rule = PlanRule("P.1", PAYMENT, scope="province")
    plan = Plan("dn", "Kế hoạch Đà Nẵng", OWN, None, ("province", "commune"), (rule,), TargetTable())
    (outcome,) = evaluate(plan, hierarchy, observations, aggregator=median)
    assert (outcome.value, outcome.basis, outcome.strategy) == (Fraction(1, 2), "other", "median_of_rates")
    assert outcome.explain("vi") == (
        "Thành phố Đà Nẵng: tỷ lệ thanh toán trực tuyến 50 % ≥ chỉ tiêu 30 % (Nghị quyết 01/NQ-CP)"
        " — số liệu của 3/4 đơn vị — tổng hợp theo median_of_rates"  # the city itself reports nothing
    )
    assert outcome.explain("en").endswith(" — aggregated by median_of_rates")
    lowest = evaluate(plan, hierarchy, observations, aggregator="min").outcomes[0]
    assert lowest.value == Fraction(1, 5)
    assert lowest.explain("en") == (
        "Thành phố Đà Nẵng: online payment rate 20% < target 30% (Nghị quyết 01/NQ-CP) — data from 3 of 4 "
        "units — the lowest of the units' rates"  # it said nothing of taking the lowest
    )


def test_a_basis_outside_the_list_is_refused_with_the_list() -> None:
    with pytest.raises(
        TypeError, match=r"basis is 'median', not one of counts, mean_of_rates, min, max, other, none"
    ):
        checked_aggregate(Aggregate(None, None, None, "m", "median", (), ()))  # type: ignore[arg-type]


def test_a_plan_file_brings_its_own_measures_to_the_command_line(
    tmp_path: Path, cli: Callable[..., tuple[int, str, str]]
) -> None:
    # A new measure could be declared through the API only: the command line refused its column
    # ("unknown column 'results_digitized'; did you mean 'results_synced'?").
    digitised = Indicator(
        "digitised_results_rate",
        "Tỷ lệ kết quả giải quyết TTHC được số hóa",
        "Share of results digitised",
        ("results_digitized",),
        ("resolved_early", "resolved_on_time", "resolved_late"),
    )
    whole = ("resolved_early", "resolved_on_time", "resolved_late")
    plan = Plan(
        "dn",
        "Kế hoạch Đà Nẵng",
        OWN,
        None,
        ("province", "commune"),
        (PlanRule("S.1", Threshold("digitised_results_rate", Fraction(4, 5)), levels=("commune",)),),
        TargetTable(),
        indicators=(digitised,),
        measures=(Measure("results_digitized", "Kết quả được số hóa", "results digitised"),),
        relations=(PartOf("results_digitized", whole),),
    )
    assert load_plan_json(dump_plan_json(plan)) == plan
    files = {
        "plan.json": dump_plan_json(plan),
        "units.csv": "id,name,level,parent\nDN,Thành phố Đà Nẵng,province,\nHC,Phường Hải Châu,commune,DN\n",
        "data.csv": "unit,period,resolved_early,resolved_on_time,resolved_late,results_digitized\n"
        "HC,2025-07,30,50,20,70\n",
    }
    _write(tmp_path, files)
    given = ("--hierarchy", str(tmp_path / "units.csv"), "--levels", "province,commune")
    data = ("--data", str(tmp_path / "data.csv"))
    code, out, err = cli("evaluate", *given, "--plan", str(tmp_path / "plan.json"), *data, "--format", "csv")
    assert (code, err) == (0, "")
    assert "HC,Phường Hải Châu,commune,S.1,digitised_results_rate" in out
    assert ",70,100,70,80,not_met," in out  # 70 of 100 results digitised, against 80 %
    code, out, _ = cli("validate", *given, "--plan", str(tmp_path / "plan.json"), *data)
    assert code == 0
    code, _, err = cli("validate", *given, *data)  # without the plan: the built-in measures only
    assert code == 2
    assert "column 'results_digitized': unknown column" in err
    more = (tmp_path / "data.csv").read_text(encoding="utf-8").replace(",70\n", ",170\n")  # over its whole
    (tmp_path / "data.csv").write_text(more, encoding="utf-8")
    code, _, err = cli("validate", *given, "--plan", str(tmp_path / "plan.json"), *data)
    assert code == 2
    assert "results_digitized" in err


def test_a_plan_refuses_a_measure_declared_twice_or_a_relation_of_an_unknown_one() -> None:
    with pytest.raises(PlanError, match=r"measure 'received_online' is declared twice.* @ \$\.measures$"):
        attrs.evolve(_plan(LATE), measures=(Measure("received_online", "a", "a"),))
    with pytest.raises(PlanError, match=r"names an unknown measure 'x'.* @ \$\.relations$"):
        attrs.evolve(_plan(LATE), relations=(PartOf("x", ("received_online",)),))


def test_the_command_line_judges_rules_not_their_negated_parts(
    tmp_path: Path, cli: Callable[..., tuple[int, str, str]]
) -> None:
    # --strict exited 1 on a rule that is met (its threshold, under not_, is not met), and the table
    # showed that threshold's gap as the items to add.
    plan = _plan(any_of(PAYMENT, not_(LATE)))
    files = {
        "plan.json": dump_plan_json(plan),
        "units.csv": "id,name,level,parent\nDN,Thành phố Đà Nẵng,province,\nHC,Phường Hải Châu,commune,DN\n",
        "data.csv": "unit,period,resolved_late,pending_late,payments_total,payments_online\n"
        "HC,2025-07,1,0,10,1\n",
    }
    _write(tmp_path, files)
    given = (
        "--hierarchy", str(tmp_path / "units.csv"), "--levels", "province,commune",
        "--plan", str(tmp_path / "plan.json"), "--data", str(tmp_path / "data.csv"),
    )  # fmt: skip
    code, out, _ = cli("evaluate", *given, "--strict", "--format", "json")
    assert code == 0  # R3 is met
    records = {r["indicator"]: r for r in json.loads(out)}
    assert (records["late_dossiers"]["status"], records["late_dossiers"]["negated"]) == ("not_met", True)
    assert records["late_dossiers"]["gap_count"] is None
    assert (records["online_payment_rate"]["negated"], records["online_payment_rate"]["gap_count"]) == (
        False,
        2,
    )
    failing = _plan(all_of(PAYMENT, not_(LATE)))  # not met: payments miss their target
    (tmp_path / "plan.json").write_text(dump_plan_json(failing), encoding="utf-8")
    assert cli("evaluate", *given, "--strict")[0] == 1


def test_a_threshold_that_appears_both_ways_is_not_negated() -> None:
    plan = _plan(any_of(LATE, not_(LATE)))
    report = evaluate(plan, HIERARCHY, OBSERVATIONS)
    (outcome,) = report
    assert outcome.negated is False
    check_verdicts(report, plan, HIERARCHY, OBSERVATIONS)
