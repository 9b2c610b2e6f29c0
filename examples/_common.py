"""Shared set-up for the example scripts: the shipped dataset, or your own files."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from dvctt_rules import DvcttRulesError
from dvctt_rules.datasets import load_dataset
from dvctt_rules.hierarchy import Hierarchy, read_hierarchy_csv
from dvctt_rules.observations import Observations, Period, load_observations
from dvctt_rules.rules import Plan, TargetTable, load_plan, load_targets_csv

#: How the reports call each level's units (another level is called by its name).
LEVEL_TITLES = {
    "department": "Sở, ban, ngành",
    "district": "UBND cấp huyện",
    "commune": "UBND cấp xã",
}


def inputs(
    doc: str,
    *,
    out: str = "a file to write instead of printing",
    more: Callable[[argparse.ArgumentParser], None] | None = None,
) -> tuple[argparse.Namespace, Hierarchy, Plan, Observations, tuple[str, ...] | None]:
    """Parse ``--data FILE`` (default: the plan's own figures) and, for another province, its
    ``--hierarchy`` (with ``--levels``), ``--plan`` and ``--targets``; return what a script needs.

    ``doc`` is the script's docstring (its first paragraph describes it), ``out`` what ``--out``
    names, ``more`` adds the script's own arguments. Without data, the plan's baseline has no
    on-time figures, so rankings score the two Phụ lục II rules only (returned as the rules to rank
    on); with data, the plan's scored rules (``None``). With another hierarchy and no plan file,
    plan 4623's rules and general targets are used, not its units' own targets.
    """
    parser = argparse.ArgumentParser(description=" ".join(doc.split("\n\n")[0].split()))
    if more is not None:
        more(parser)
    parser.add_argument("--data", help="observations CSV or JSON (default: the plan's own current figures)")
    parser.add_argument("--period", help="2024, 2024-Q1 or 2024-03 (default: the whole span of the data)")
    parser.add_argument("--out", help=out)
    parser.add_argument("--hierarchy", help="your units, CSV id,name,level,parent (default: Bình Dương's)")
    parser.add_argument(
        "--levels", help="your levels, highest first (default: province,department,district,commune)"
    )
    parser.add_argument("--plan", help="your plan, JSON as `dvctt-rules plan --dump` writes it")
    parser.add_argument("--targets", help="your units' targets, CSV unit,indicator,target[,effective_from]")
    args = parser.parse_args()
    dataset = load_dataset("binh-duong-2023")
    assert dataset.plan is not None
    hierarchy, plan = dataset.hierarchy, dataset.plan
    if args.levels and not args.hierarchy:
        parser.error("--levels goes with --hierarchy: the levels of your units' file")
    if args.hierarchy:
        if not args.data:
            parser.error("--hierarchy needs --data: the plan's own figures are Bình Dương's units'")
        levels = (
            [level.strip() for level in args.levels.split(",")] if args.levels else dataset.hierarchy.levels
        )
        hierarchy = read_hierarchy_csv(args.hierarchy, levels)
    if args.plan:
        plan = load_plan(args.plan)
    elif args.hierarchy:  # Phụ lục II's targets name Bình Dương's units
        plan = plan.with_targets(TargetTable(t for t in plan.targets if t.unit is None))
    if args.targets:
        own = load_targets_csv(
            args.targets, resolve=lambda text: hierarchy.lookup(text).id, indicators=plan.catalogue()
        )
        plan = plan.with_targets(plan.targets.merged(own))
    observations = (
        load_observations(args.data, hierarchy, catalog=plan.measure_catalog())
        if args.data
        else dataset.baseline
    )
    period = Period.parse(args.period) if args.period else None
    observed = observations.periods()
    if period is not None and observed and not any(map(period.contains, observed)):  # all without data
        parser.error(
            f"the data have no observation inside {period}; they cover {observed[0]} to {observed[-1]} "
            "(choose a period that holds whole observed periods)"
        )
    rules = None if args.data else ("PL-II.1", "PL-II.2")
    return args, hierarchy, plan, observations, rules


def ranked_levels(hierarchy: Hierarchy) -> list[tuple[str, str]]:
    """The levels below the province that have units, with their titles, highest first."""
    return [
        (level, LEVEL_TITLES.get(level, level)) for level in hierarchy.levels[1:] if hierarchy.units(level)
    ]


def write(text: str, out: str | None) -> None:
    """Print ``text`` or write it to ``out`` (UTF-8)."""
    if out:
        with open(out, "w", encoding="utf-8") as handle:
            handle.write(text)
        print(f"wrote {out}")
    else:
        print(text)


def run(main: Callable[[], None]) -> None:
    """Run a script's ``main``: a mistake in the input (a file that cannot be read, a malformed
    period, a unit name that is unknown or ambiguous) is one message on stderr and exit 2, not a
    traceback."""
    try:
        main()
    except DvcttRulesError as exc:
        print(f"{Path(sys.argv[0]).name}: error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
