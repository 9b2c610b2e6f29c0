"""``dvctt-rules units``: the unit tree."""

from __future__ import annotations

import argparse
from typing import Any

from ..hierarchy import Hierarchy, hierarchy_to_csv
from ._common import add_hierarchy_arguments, emit, load_hierarchy, write_json

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
    units = hierarchy.units(args.level)
    if args.format == "tree":
        emit(render_tree(hierarchy, args.level))
    elif args.format == "csv":
        text = hierarchy_to_csv(hierarchy)
        if args.level:
            keep = {u.id for u in units}
            lines = text.splitlines(keepends=True)
            text = lines[0] + "".join(
                line for line, u in zip(lines[1:], hierarchy, strict=True) if u.id in keep
            )
        emit(text)
    else:
        records = [
            {
                "id": u.id,
                "name": u.name,
                "level": u.level,
                "parent": None if (p := hierarchy.parent(u)) is None else p.id,
                "code": u.code,
            }
            for u in units
        ]
        if args.format == "json":
            emit(write_json(records))
        else:
            from tabulate import tabulate

            rows = [[r["id"], r["name"], r["level"], r["parent"] or "", r["code"] or ""] for r in records]
            emit(
                tabulate(rows, headers=["id", "name", "level", "parent", "code"], disable_numparse=True)
                + "\n"
            )
    return 0
