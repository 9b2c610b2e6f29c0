"""``dvctt-rules validate``: check an observations file against a hierarchy and the measures."""

from __future__ import annotations

import argparse
from typing import Any

from ..observations import DEFAULT_CATALOG, FORMATS, Observations, load_observations
from ..rules import load_plan
from ._common import add_hierarchy_arguments, emit, file_arg, load_hierarchy

__all__ = ["register", "run", "summary"]


def register(subparsers: Any) -> None:
    """Add ``validate --data FILE [--dataset NAME | --hierarchy FILE] [--plan FILE] [--format csv|json]``."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "validate",
        help="check an observations file (CSV or JSON)",
        description=(
            "Check an observations file (unit, period and measures) against a hierarchy. Prints a one-line "
            "summary and exits 0, or lists every problem with its file, line and column and exits 2."
        ),
    )
    parser.add_argument("--data", required=True, metavar="FILE", help="the observations file (.csv or .json)")
    add_hierarchy_arguments(parser)
    parser.add_argument(
        "--plan",
        metavar="FILE",
        help="a plan JSON file whose own measures the data may hold (default: the built-in measures)",
    )
    parser.add_argument(
        "--format", choices=FORMATS, help="the file's format (default: from its extension, then its content)"
    )
    parser.set_defaults(run=run)


def summary(observations: Observations) -> str:
    """One line: rows read and used, units, periods, measures, and units without data.

    >>> from dvctt_rules.observations import Observation, Period
    >>> print(summary(Observations([Observation("u", Period(2024, month=1), counts={"received_online": 3})])))
    1 row read, 1 used; 1 unit, 1 period (2024-01), 1 measure
    """
    report = observations.report
    rows = len(observations) if report is None else report.rows_read
    used = len(observations) if report is None else report.rows_used
    periods = observations.periods()
    span = f" ({periods[0]})" if len(periods) == 1 else f" ({periods[0]} to {periods[-1]})" if periods else ""
    parts = [
        f"{_plural(rows, 'row')} read, {used} used",
        f"{_plural(len(observations.units()), 'unit')}, {_plural(len(periods), 'period')}{span}, "
        f"{_plural(len(observations.measures()), 'measure')}",
    ]
    line = "; ".join(parts)
    if report is not None:
        line = f"{report.source}: {line}; {_plural(len(report.units_without_data), 'unit')} without data"
    return line


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def run(args: argparse.Namespace) -> int:
    """Load and check the file; a :class:`~dvctt_rules.DataError` propagates to the CLI's handler."""
    file_arg(args, "data")  # a blank name is refused, not read as the current folder
    hierarchy = load_hierarchy(args)
    plan = file_arg(args, "plan")
    catalog = DEFAULT_CATALOG if plan is None else load_plan(plan).measure_catalog()
    observations = load_observations(args.data, hierarchy, catalog=catalog, format=args.format)
    emit(summary(observations) + "\n")
    return 0
