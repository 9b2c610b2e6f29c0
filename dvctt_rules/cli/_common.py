"""Arguments and loading shared by the commands."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from .._errors import UnknownNameError
from .._text import close_matches
from ..datasets import Dataset, load_dataset
from ..hierarchy import DEFAULT_LEVELS, Hierarchy, read_hierarchy_csv

__all__ = [
    "DEFAULT_DATASET",
    "add_hierarchy_arguments",
    "choose",
    "emit",
    "load_dataset_arg",
    "load_hierarchy",
    "write_json",
]

#: The dataset used when neither ``--dataset`` nor ``--hierarchy`` is given.
DEFAULT_DATASET = "binh-duong-2023"


def add_hierarchy_arguments(parser: argparse.ArgumentParser) -> None:
    """``--dataset NAME | --hierarchy FILE`` and ``--levels``."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--dataset", metavar="NAME", help=f"a shipped dataset (default: {DEFAULT_DATASET}); see `datasets`"
    )
    group.add_argument(
        "--hierarchy", metavar="FILE", help="a hierarchy CSV with the header id,name,level,parent"
    )
    parser.add_argument(
        "--levels",
        metavar="L1,L2,…",
        help="with --hierarchy: the levels, highest first (default: " + ",".join(DEFAULT_LEVELS) + ")",
    )


def load_dataset_arg(args: argparse.Namespace) -> Dataset | None:
    """The dataset named by ``--dataset`` (or the default), or ``None`` when ``--hierarchy`` is given."""
    if getattr(args, "hierarchy", None):
        return None
    return load_dataset(args.dataset or DEFAULT_DATASET)


def load_hierarchy(args: argparse.Namespace) -> Hierarchy:
    """The hierarchy chosen by ``--hierarchy``/``--levels`` or ``--dataset``."""
    if args.hierarchy:
        levels = tuple(s.strip() for s in args.levels.split(",")) if args.levels else DEFAULT_LEVELS
        return read_hierarchy_csv(args.hierarchy, levels)
    dataset = load_dataset_arg(args)
    assert dataset is not None
    return dataset.hierarchy


def choose(kind: str, value: str, known: tuple[str, ...] | list[str]) -> str:
    """Check ``value`` against ``known`` with a did-you-mean error."""
    if value not in known:
        raise UnknownNameError(kind, value, known, close_matches(value, known))
    return value


def write_json(data: Any) -> str:
    """Indented UTF-8 JSON (Vietnamese letters kept as they are)."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def emit(text: str) -> None:
    """Write ``text`` to standard output as UTF-8 whatever the terminal's locale."""
    out = sys.stdout
    if hasattr(out, "reconfigure") and (out.encoding or "").lower().replace("-", "") != "utf8":
        out.reconfigure(encoding="utf-8")
    out.write(text)
