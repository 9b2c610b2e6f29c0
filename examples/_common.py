"""Shared set-up for the example scripts: the shipped dataset, or your own files."""

from __future__ import annotations

import argparse

from dvctt_rules.datasets import load_dataset
from dvctt_rules.hierarchy import Hierarchy
from dvctt_rules.observations import Observations, load_observations
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
    if args.data:
        return args, dataset.hierarchy, dataset.plan, load_observations(args.data, dataset.hierarchy), None
    return args, dataset.hierarchy, dataset.plan, dataset.baseline, ("PL-II.1", "PL-II.2")


def write(text: str, out: str | None) -> None:
    """Print ``text`` or write it to ``out`` (UTF-8)."""
    if out:
        with open(out, "w", encoding="utf-8") as handle:
            handle.write(text)
        print(f"wrote {out}")
    else:
        print(text)
