"""``dvctt-rules evaluate``: every rule for every unit, exact and explained."""

from __future__ import annotations

import argparse
from fractions import Fraction
from typing import Any

from .._errors import DvcttRulesError
from ..hierarchy import Hierarchy
from ..render import STATUS_LABELS, ChartBar, Column, draw_bars, json_number, shown_apart
from ..rules import Accountability, Outcome, Plan, Report, accountability, evaluate
from ..rules._verdicts import short_name
from ._common import (
    add_evaluation_arguments,
    add_output_arguments,
    check_chart_path,
    check_level,
    check_rules_apply,
    emit_records,
    load_inputs,
)

COLUMNS = (
    Column("unit_name", "Đơn vị", "Unit"),
    Column("rule", "Mục", "Rule"),
    Column("indicator_name", "Tiêu chí", "Indicator"),
    Column("numerator", "Tử số", "Numerator"),
    Column("denominator", "Mẫu số", "Denominator"),
    Column("value", "Kết quả", "Value", 1),
    Column("target", "Chỉ tiêu giao", "Target", 1),
    Column("status_label", "Đánh giá", "Status"),
    Column("gap_count", "Cần thêm/giảm", "Gap (items)"),  # more for "at least", fewer for "at most"
)

CSV_COLUMNS = (
    Column("unit", "unit", "unit"),
    Column("unit_name", "unit_name", "unit_name"),
    Column("level", "level", "level"),
    Column("rule", "rule", "rule"),
    Column("indicator", "indicator", "indicator"),
    Column("period", "period", "period"),
    Column("numerator", "numerator", "numerator"),
    Column("denominator", "denominator", "denominator"),
    Column("value", "value", "value", 4),
    Column("target", "target", "target", 4),
    Column("status", "status", "status"),
    Column("gap", "gap", "gap", 4),
    Column("gap_count", "gap_count", "gap_count"),
    Column("basis", "basis", "basis"),
    Column("citation", "citation", "citation"),
    Column("explanation", "explanation", "explanation"),
)


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "evaluate",
        help="judge every rule for every unit",
        description=(
            "Judge the plan's rules for every unit, exactly, with explanations. Without --data the plan is "
            "evaluated on the dataset's own baseline rates (the plan's 'current' column)."
        ),
    )
    add_evaluation_arguments(parser)
    parser.add_argument("--level", help="only the outcomes of units of this level")
    parser.add_argument("--rule", action="append", metavar="ID", help="only this rule (repeatable)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when any rule shown is not met")
    parser.add_argument(
        "--chart",
        metavar="FILE",
        help="with one --rule: draw each unit's value against its target (.svg or .png)",
    )
    add_output_arguments(parser)
    parser.set_defaults(run=run)


def scaled(kind: str, number: Fraction | None) -> Fraction | int | None:
    """A value as records show it: a count as a count (whole: an ``int``), a ratio in percent."""
    if number is None:
        return None
    if kind == "zero_count":
        return int(number) if number.denominator == 1 else number
    return number * 100


def _scaled(outcome: Outcome, number: Fraction | None) -> Fraction | int | None:
    return scaled(outcome.indicator.kind, number)


def outcome_record(outcome: Outcome, lang: str = "vi", who: Accountability | None = None) -> dict[str, Any]:
    """An outcome as a flat record: percentages for ratios (exact ``Fraction``), counts for counts.

    ``who`` adds the rule's lead and coordinating units (names, unresolved names kept as written).
    """
    record = {
        "unit": outcome.unit,
        "unit_name": outcome.unit_name,
        "level": outcome.level,
        "rule": outcome.rule,
        "indicator": outcome.indicator.id,
        "indicator_name": short_name(outcome.indicator, lang),
        "period": outcome.period,
        "numerator": outcome.numerator,
        "denominator": outcome.denominator,
        "value": _scaled(outcome, outcome.value),
        "target": _scaled(outcome, outcome.target),
        "comparison": outcome.comparison,
        "status": outcome.status,
        "status_label": STATUS_LABELS[lang][outcome.status],
        "gap": _scaled(outcome, outcome.gap),
        "gap_count": None if outcome.negated else outcome.gap_count,  # no advice to meet a negated one
        "basis": outcome.basis,
        "scope": outcome.scope,
        "target_scope": outcome.target_scope,
        "citation": None if outcome.citation is None else str(outcome.citation),
        "explanation": outcome.explain(lang),
        "missing": list(outcome.missing),
        "missing_units": list(outcome.missing_units),
        "strategy": outcome.strategy,
        "error": outcome.error,
        "negated": outcome.negated,
    }
    if who is not None:
        record["lead"] = [u.name for u in who.lead] + list(who.unresolved_lead)
        record["coordinating"] = [u.name for u in who.coordinating] + list(who.unresolved_coordinating)
    return record


def json_record(outcome: Outcome, lang: str = "vi", who: Accountability | None = None) -> dict[str, Any]:
    """The JSON form: numbers with dot decimals (percentages rounded to 4 places) and the exact
    proportions as ``"n/d"`` strings in ``value_exact`` and ``target_exact``."""
    record = outcome_record(outcome, lang, who)
    for key in ("value", "target", "gap"):
        record[key] = json_number(record[key])
    record["value_exact"] = None if outcome.value is None else str(outcome.value)
    record["target_exact"] = None if outcome.target is None else str(outcome.target)
    record.pop("status_label")
    return record


def draw_outcomes(outcomes: list[Outcome], path: str, lang: str) -> None:
    """Draw each unit's value against its target, for one indicator."""
    indicators = {o.indicator.id for o in outcomes}
    if len(indicators) != 1:
        raise DvcttRulesError(
            f"a chart shows one indicator; these outcomes have {len(indicators)}: choose one rule with --rule"
        )
    first = outcomes[0]
    bars = [ChartBar(o.unit_name, o.value, o.target, o.status) for o in outcomes]
    legend = [(status, STATUS_LABELS[lang][status]) for status in ("met", "not_met", "no_data")]
    title = f"{short_name(first.indicator, lang)} ({first.period or '–'})"
    draw_bars(bars, path, title=title, axis_label="%", legend=legend)


def _readable(args: argparse.Namespace, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Tables (not CSV): a value shown apart from its target wherever the two differ."""
    if args.format == "csv":
        return records
    return shown_apart(records, args.lang, ("value", "target"), lambda r: (r["target"],), 1)


def select(report: Report, level: str | None, rules: list[str] | None) -> list[Outcome]:
    """The report's outcomes, optionally only of one level and some rules."""
    return [
        o for o in report.outcomes if (level is None or o.level == level) and (not rules or o.rule in rules)
    ]


def run(args: argparse.Namespace) -> int:
    check_chart_path(args.chart)

    def check(hierarchy: Hierarchy, plan: Plan) -> None:
        if args.level is not None:
            check_level(hierarchy, args.level)  # unknown, or without units: an empty table
        if args.rule:  # an unknown rule: did-you-mean error, from plan.rule in check_rules_apply
            units = hierarchy.units(args.level) if args.level is not None else tuple(hierarchy)
            where = "no unit of the hierarchy" if args.level is None else f"no unit of the {args.level} level"
            check_rules_apply(plan, hierarchy, list(dict.fromkeys(args.rule)), units, "--rule", where)

    inputs = load_inputs(args, check)
    # Only what is shown is judged: the rules asked for, for the units of the level asked for.
    report = evaluate(
        inputs.plan,
        inputs.hierarchy,
        inputs.observations,
        period=inputs.period,
        as_of=inputs.as_of,
        rules=args.rule or None,
        units=inputs.hierarchy.units(args.level) if args.level is not None else None,
    )
    outcomes = select(report, args.level, args.rule)
    # Province-wide rules name who answers for them (lead and coordinating units), when shown.
    shown = {o.rule for o in outcomes if o.scope == "province"}
    who = {
        rule.id: accountability(rule, inputs.hierarchy)
        for rule in inputs.plan.rules
        if rule.scope == "province" and rule.id in shown
    }
    emit_records(
        args.format,
        CSV_COLUMNS if args.format == "csv" else COLUMNS,
        args.lang,
        lambda: _readable(args, [outcome_record(o, args.lang, who.get(o.rule)) for o in outcomes]),
        lambda: (json_record(o, args.lang, who.get(o.rule)) for o in outcomes),
    )
    if args.chart:
        draw_outcomes(outcomes, args.chart, args.lang)
    if not args.strict:
        return 0
    shown_pairs = {(o.unit, o.rule) for o in outcomes}  # a rule is judged by its verdict, not its parts
    return 1 if any(v.status == "not_met" and (v.unit, v.rule) in shown_pairs for v in report.verdicts) else 0
