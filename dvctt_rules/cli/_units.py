"""``dvctt-rules units``: the unit tree."""

from __future__ import annotations

import argparse
from typing import Any

from ..hierarchy import Hierarchy
from ._common import add_hierarchy_arguments, check_level, emit, load_hierarchy, write_json

FORMATS = ("tree", "table", "csv", "json")


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "units", help="list the units of a hierarchy", description="List the units of a hierarchy."
    )
    add_hierarchy_arguments(parser)
    parser.add_argument("--level", help="only the units of this level")
    parser.add_argument("--format", choices=FORMATS, default="tree", help="output format (default: tree)")
    parser.set_defaults(run=run)


def render_tree(hierarchy: Hierarchy, level: str | None = None) -> str:
    """An indented tree: two spaces a level of depth, each line ``name [id, level]``."""
    lines = []
    for unit in hierarchy.units(level):
        indent = "" if level else "  " * hierarchy.depth(unit)
        lines.append(f"{indent}{unit.name}  [{unit.id}, {unit.level}]")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    hierarchy = load_hierarchy(args)
    if args.level is not None:
        check_level(hierarchy, args.level)  # unknown, or without units: an empty list
    if args.format == "tree":
        emit(render_tree(hierarchy, args.level))
        return 0
    # Every unit's record (the same keys for all: id, name, level, parent, code when any unit has
    # one, then each extra attribute), filtered by level as records, never as lines of text: a
    # quoted cell may hold a line break.
    records = hierarchy.to_records()
    stored = list(records[0])  # the columns of hierarchy_to_csv, read back by --hierarchy
    keys = stored if "code" in stored else [*stored[:4], "code", *stored[4:]]  # tables and JSON: always
    if args.level is not None:
        records = [record for record in records if record["level"] == args.level]
    if args.format == "json":
        emit(write_json([{key: record.get(key) for key in keys} for record in records]))
        return 0
    if args.format == "csv":
        from ..render import Column, render

        emit(render(records, [Column(key, key, key) for key in stored], "csv"))  # formula-safe cells
        return 0
    from tabulate import tabulate

    rows = [["" if record.get(key) is None else record[key] for key in keys] for record in records]
    emit(tabulate(rows, headers=keys, disable_numparse=True) + "\n")
    return 0
