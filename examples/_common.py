"""Shared set-up for the example scripts: the shipped dataset, or your own files."""

from __future__ import annotations

import argparse

from dvctt_rules import DvcttRulesError
from dvctt_rules.datasets import load_dataset
from dvctt_rules.hierarchy import Hierarchy
from dvctt_rules.observations import Observations, Period, load_observations
from dvctt_rules.rules import Plan


def inputs(
    description: str,
) -> tuple[argparse.Namespace, Hierarchy, Plan, Observations, tuple[str, ...] | None]:
    """Parse ``--data FILE`` (default: the plan's own figures) and return what a script needs.

    Without data, the plan's baseline has no on-time figures, so rankings score the two Phụ lục II
    rules only (returned as the rules to rank on); with data, the plan's scored rules (``None``).
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--data", help="observations CSV or JSON (default: the plan's own current figures)")
    parser.add_argument("--period", help="2024, 2024-Q1 or 2024-03 (default: the whole span of the data)")
    parser.add_argument("--out", help="write here instead of printing")
    args = parser.parse_args()
    dataset = load_dataset("binh-duong-2023")
    assert dataset.plan is not None
    try:  # a file that cannot be read, or a malformed period: one message, exit 2
        observations = load_observations(args.data, dataset.hierarchy) if args.data else dataset.baseline
        period = Period.parse(args.period) if args.period else None
    except DvcttRulesError as exc:
        parser.exit(2, f"{parser.prog}: error: {exc}\n")
    observed = observations.periods()
    if period is not None and observed and not any(map(period.overlaps, observed)):
        parser.error(f"the data have no observation in {period}; they cover {observed[0]} to {observed[-1]}")
    rules = None if args.data else ("PL-II.1", "PL-II.2")
    return args, dataset.hierarchy, dataset.plan, observations, rules


def write(text: str, out: str | None) -> None:
    """Print ``text`` or write it to ``out`` (UTF-8)."""
    if out:
        with open(out, "w", encoding="utf-8") as handle:
            handle.write(text)
        print(f"wrote {out}")
    else:
        print(text)
