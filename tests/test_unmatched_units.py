"""A plan's targets and rules that name units the hierarchy does not have judge no unit: they are
warned about (they were passed over without a word), not refused (a plan may be used with another
hierarchy)."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import attrs
import pytest

from dvctt_rules.aggregate import rollup
from dvctt_rules.datasets import load_dataset
from dvctt_rules.observations import load_observations
from dvctt_rules.ranking import iter_rank_periods, rank, rank_periods
from dvctt_rules.rules import (
    Plan,
    PlanRule,
    Target,
    TargetTable,
    Threshold,
    UnmatchedUnitWarning,
    dump_plan_json,
    evaluate,
)

ROOT = Path(__file__).resolve().parents[1]
DATASET = load_dataset("binh-duong-2023")
assert DATASET.plan is not None
PLAN: Plan = DATASET.plan
OBSERVATIONS = load_observations(ROOT / "examples" / "observations-2024.csv", DATASET.hierarchy)
CALLS: list[Callable[..., object]] = [
    lambda plan: evaluate(plan, DATASET.hierarchy, OBSERVATIONS),
    lambda plan: rank(plan, DATASET.hierarchy, OBSERVATIONS, level="district"),
    # rank evaluated the rules named through evaluate, which warned a second time, from the library
    lambda plan: rank(plan, DATASET.hierarchy, OBSERVATIONS, level="district", rules=("I.1", "PL-II.1")),
    # once for all periods, not once a period from inside the library
    lambda plan: rank_periods(plan, DATASET.hierarchy, OBSERVATIONS, level="district"),
    lambda plan: list(iter_rank_periods(plan, DATASET.hierarchy, OBSERVATIONS, level="district")),
    lambda plan: rollup(plan, DATASET.hierarchy, OBSERVATIONS, level="district"),  # it said nothing
]


def _with_target(unit: str) -> Plan:
    extra = Target("online_dossier_rate", Fraction(3, 5), unit=unit)
    return attrs.evolve(PLAN, targets=TargetTable((*PLAN.targets.targets, extra)))


@pytest.mark.parametrize("call", CALLS)
def test_a_target_of_a_unit_not_in_the_hierarchy_is_warned_about(call: Callable[..., object]) -> None:
    with pytest.warns(UnmatchedUnitWarning) as caught:
        call(_with_target("khong-ton-tai"))
    (warning,) = caught
    assert str(warning.message) == (
        "the targets of plan 'plan-4623' name 1 unit the hierarchy does not have: khong-ton-tai; those "
        "targets judge no unit (check the ids, or use the hierarchy the plan was written for)"
    )
    assert warning.filename == __file__  # the caller's line, not the library's


@pytest.mark.parametrize("call", CALLS)
def test_a_rule_for_a_unit_not_in_the_hierarchy_is_warned_about(call: Callable[..., object]) -> None:
    rule = PlanRule("X.1", Threshold("online_dossier_rate"), units=("xa-a", "xa-b"))
    plan = attrs.evolve(PLAN, rules=(*PLAN.rules, rule))
    with pytest.warns(
        UnmatchedUnitWarning, match=r"^the rules of plan 'plan-4623' name 2 units [^:]*: xa-a, xa-b;"
    ):
        call(plan)


@pytest.mark.parametrize("call", CALLS)
def test_the_shipped_plan_on_its_hierarchy_says_nothing(call: Callable[..., object]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        call(PLAN)


def test_the_command_line_says_it_in_one_line_of_its_own(
    tmp_path: Path, cli: Callable[..., tuple[int, str, str]]
) -> None:
    path = tmp_path / "plan.json"
    path.write_text(dump_plan_json(_with_target("khong-ton-tai")), encoding="utf-8")
    code, out, err = cli(
        "rank",
        "--plan",
        str(path),
        "--level",
        "district",
        "--data",
        str(ROOT / "examples" / "observations-2024.csv"),
    )
    assert (code, bool(out)) == (0, True)
    assert err == (
        "dvctt-rules: warning: the targets of plan 'plan-4623' name 1 unit the hierarchy does not have: "
        "khong-ton-tai; those targets judge no unit (check the ids, or use the hierarchy the plan was "
        "written for)\n"
    )
