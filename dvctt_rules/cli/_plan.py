"""``dvctt-rules plan``: every rule with its target(s) and citation."""

from __future__ import annotations

import argparse
from fractions import Fraction
from typing import Any

from .._errors import DvcttRulesError
from .._text import format_decimal
from ..hierarchy import Hierarchy
from ..render import Column, json_number, render
from ..rules import Plan, PlanRule, dump_plan_json, thresholds
from ..rules._rules import written_target
from ..rules._verdicts import short_name
from ._common import add_hierarchy_arguments, add_output_arguments, emit, load_inputs


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "plan", help="list the plan's rules, targets and citations", description="List the plan's rules."
    )
    add_hierarchy_arguments(parser)
    parser.add_argument("--plan", metavar="FILE", help="a plan JSON file (default: the dataset's plan)")
    parser.add_argument("--targets", metavar="FILE", help="a targets CSV replacing the per-unit targets")
    parser.add_argument(
        "--dump",
        action="store_true",
        help="print the plan itself as a JSON plan file (to edit and reuse); --format json only",
    )
    add_output_arguments(parser)
    # format=None: a --format given with --dump is seen (and refused unless json), not ignored.
    parser.set_defaults(run=run, data=None, period=None, as_of=None, format=None)


COLUMNS = (
    Column("rule", "Mục", "Rule"),
    Column("indicator", "Chỉ tiêu", "Indicator"),
    Column("name", "Tên", "Name"),
    Column("applies_to", "Áp dụng", "Applies to"),
    Column("target", "Mức giao (%)", "Target (%)", 1),
    Column("unit_targets", "Giao riêng", "Unit targets"),
    Column("citation", "Căn cứ", "Legal basis"),
)


def _assigned(rule: PlanRule, units: set[str], hierarchy: Hierarchy) -> int | None:
    """How many of ``units`` (those with a target of their own) the rule judges in ``hierarchy``: the
    root for a province-scope rule, else the units it applies to; ``None`` for none."""
    if rule.scope == "province":
        judged = units & {hierarchy.root.id}
    else:
        judged = {u for u in units if u in hierarchy and rule.applies_to(u, hierarchy[u].level)}
    return len(judged) or None


def plan_records(plan: Plan, lang: str, hierarchy: Hierarchy) -> list[dict[str, Any]]:
    """One record per rule and indicator: scope, targets (default, by level, the number of units of
    ``hierarchy`` the rule judges against a target of their own), citation."""
    records: list[dict[str, Any]] = []
    for rule in plan.rules:
        for leaf in dict.fromkeys(thresholds(rule.rule)):
            indicator = plan.indicator(leaf.indicator)
            level_targets = {t.level: t.value for t in plan.targets.for_indicator(indicator.id) if t.level}
            units = {t.unit for t in plan.targets.for_indicator(indicator.id) if t.unit}
            applies = (
                "province" if rule.scope == "province" else (", ".join(rule.levels or rule.units) or "all")
            )
            if lang == "vi" and rule.scope == "province":
                applies = "toàn tỉnh"
            citation = rule.citation or indicator.citation or plan.citation
            default = written_target(leaf, indicator)  # a count that must be zero: 0
            target: Fraction | int | None = default
            if default is not None and indicator.kind == "ratio":
                target = default * 100  # a percentage
            elif default is not None and default.denominator == 1:
                target = int(default)  # a count, shown whole: 0, not 0,0
            records.append(
                {
                    "rule": rule.id,
                    "indicator": indicator.id,
                    "name": short_name(indicator, lang),
                    "scope": rule.scope,
                    "applies_to": applies,
                    "comparison": {"at_least": ">=", "at_most": "<=", "equal": "=="}[indicator.direction],
                    "target": target,
                    "level_targets": {k: json_number(v * 100) for k, v in level_targets.items()},
                    "unit_targets": _assigned(rule, units, hierarchy),
                    "scored": rule.scored,
                    "weight": json_number(rule.weight),
                    "lead": list(rule.lead),
                    "coordinating": list(rule.coordinating),
                    "citation": None if citation is None else str(citation),
                }
            )
            if level_targets and default is None:
                records[-1]["target"] = None
                shown = "; ".join(
                    f"{k} {format_decimal(v * 100, 4, lang=lang)}" for k, v in level_targets.items()
                )
                records[-1]["applies_to"] = f"{applies} ({shown})"
    return records


def run(args: argparse.Namespace) -> int:
    if args.dump and args.format not in (None, "json"):
        raise DvcttRulesError(
            f"--dump writes the plan as a JSON plan file, not as {args.format}; leave --format out "
            "(or give --format json), or leave --dump out for the list of rules"
        )
    inputs = load_inputs(args)
    if args.dump:
        emit(dump_plan_json(inputs.plan) + "\n")
        return 0
    records = plan_records(inputs.plan, args.lang, inputs.hierarchy)
    fmt = "table" if args.format is None else args.format
    emit(render(records, COLUMNS, fmt, lang=args.lang, json_records=_json(records)))
    return 0


def _json(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**r, "target": json_number(r["target"])} for r in records]
