"""``dvctt-rules rollup``: each district (or the province) as a whole."""

from __future__ import annotations

import argparse
from typing import Any

from .._errors import DvcttRulesError
from ..aggregate import RollupRow, rollup
from ..hierarchy import Hierarchy
from ..render import STATUS_LABELS, Column, json_number, render, shown_apart
from ..rules import INDICATORS
from ..rules._verdicts import short_name
from ._common import (
    add_evaluation_arguments,
    add_output_arguments,
    check_level,
    emit,
    load_inputs,
)
from ._evaluate import scaled

COLUMNS = (
    Column("unit_name", "Đơn vị", "Area"),
    Column("indicator_name", "Tiêu chí", "Indicator"),
    Column("numerator", "Tử số", "Numerator"),
    Column("denominator", "Mẫu số", "Denominator"),
    Column("value", "Kết quả", "Value", 1),
    Column("target", "Chỉ tiêu", "Target", 1),
    Column("status_label", "Đánh giá", "Status"),
    Column("children", "Đơn vị đạt", "Units met"),
    Column("strategy_label", "Cách tính", "Method"),
)

CSV_COLUMNS = tuple(
    Column(key, key, key, 4 if key in ("value", "target") else None)
    for key in (
        "unit",
        "unit_name",
        "level",
        "indicator",
        "period",
        "numerator",
        "denominator",
        "value",
        "target",
        "status",
        "strategy",
        "basis",
        "children_met",
        "children_not_met",
        "children_no_data",
        "children_total",
    )
)

STRATEGY_LABELS = {
    "vi": {
        "sum": "tổng tử số / tổng mẫu số",
        "mean_of_rates": "trung bình cộng các tỷ lệ",
        "min": "thấp nhất",
        "max": "cao nhất",
    },
    "en": {
        "sum": "ratio of sums",
        "mean_of_rates": "unweighted mean of rates",
        "min": "minimum",
        "max": "maximum",
    },
}


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "rollup",
        help="aggregate each unit of a level with the units under it",
        description=(
            "Aggregate each unit of a level (a district with its communes, the province with everything) by "
            "summing the counts and then dividing; rate-only data is averaged, and labelled so."
        ),
    )
    parser.add_argument("--level", required=True, help="the level of the areas (district, province, …)")
    add_evaluation_arguments(parser)
    parser.add_argument("--indicator", action="append", metavar="ID", help="only this indicator (repeatable)")
    parser.add_argument(
        "--strategy", default="default", help="aggregator: default, sum, mean_of_rates, min, max"
    )
    parser.add_argument(
        "--communes-only",
        action="store_true",
        help="aggregate the communes' data only (the lowest level): not the area unit's own (the district "
        "UBND), nor, above districts, the departments' and districts' own",
    )
    add_output_arguments(parser)
    parser.set_defaults(run=run)


def _scale(row: RollupRow, number: Any) -> Any:
    return scaled(INDICATORS[row.indicator].kind if row.indicator in INDICATORS else "ratio", number)


def row_record(row: RollupRow, lang: str, name: str) -> dict[str, Any]:
    """A roll-up row as a flat record; percentages for ratios (exact)."""
    labels = STRATEGY_LABELS[lang]
    total = row.children_total
    children = f"{row.children_met}/{total}" if total else "–"
    return {
        "unit": row.unit,
        "unit_name": row.unit_name,
        "level": row.level,
        "indicator": row.indicator,
        "indicator_name": name,
        "period": row.period,
        "numerator": row.numerator,
        "denominator": row.denominator,
        "value": _scale(row, row.value),
        "target": _scale(row, row.target),
        "status": row.status,
        "status_label": STATUS_LABELS[lang][row.status],
        "strategy": row.strategy,
        "strategy_label": labels.get(row.strategy, row.strategy),
        "basis": row.basis,
        "children_met": row.children_met,
        "children_not_met": row.children_not_met,
        "children_no_data": row.children_no_data,
        "children_total": total,
        "children": children,
        "covers": len(row.covers),
        "missing": list(row.missing),
        "include_self": row.include_self,
    }


def _check(args: argparse.Namespace, hierarchy: Hierarchy) -> None:
    check_level(hierarchy, args.level)
    if args.communes_only and not any(map(hierarchy.children, hierarchy.units(args.level))):
        # Without their own data, areas with nothing under them are all without data.
        raise DvcttRulesError(
            f"--communes-only: no unit of the {args.level} level has units under it, so without its own "
            "data every area would be empty; leave --communes-only out, or choose a higher --level"
        )


def run(args: argparse.Namespace) -> int:
    inputs = load_inputs(args, lambda hierarchy, _: _check(args, hierarchy))
    rows = rollup(
        inputs.plan,
        inputs.hierarchy,
        inputs.observations,
        level=args.level,
        period=inputs.period,
        indicators=args.indicator,
        strategy=args.strategy,
        include_self=not args.communes_only,
        # Communes only: the lowest level's units, without those between (a province's departments
        # and districts report their own data too).
        member_levels=(inputs.hierarchy.levels[-1],) if args.communes_only else None,
        as_of=inputs.as_of,
    )
    names = {i: short_name(inputs.plan.indicator(i), args.lang) for i in {r.indicator for r in rows}}
    records = [row_record(r, args.lang, names[r.indicator]) for r in rows]
    json_records = []
    for record in records:
        item = {k: v for k, v in record.items() if k not in ("status_label", "strategy_label", "children")}
        item["value"] = json_number(record["value"])
        item["target"] = json_number(record["target"])
        json_records.append(item)
    columns = CSV_COLUMNS if args.format == "csv" else COLUMNS
    if args.format not in ("csv", "json"):  # a value shown apart from its target where they differ
        records = shown_apart(records, args.lang, ("value", "target"), lambda r: (r["target"],), 1)
    emit(render(records, columns, args.format, lang=args.lang, json_records=json_records))
    return 0
