"""Arguments and loading shared by the commands."""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .._errors import UnknownNameError
from .._text import close_matches
from ..datasets import Dataset, load_dataset
from ..hierarchy import DEFAULT_LEVELS, Hierarchy, read_hierarchy_csv

if TYPE_CHECKING:
    from ..render import Column

__all__ = [
    "DEFAULT_DATASET",
    "Inputs",
    "add_evaluation_arguments",
    "add_hierarchy_arguments",
    "add_output_arguments",
    "choose",
    "emit",
    "emit_json_texts",
    "emit_records",
    "load_dataset_arg",
    "load_hierarchy",
    "load_inputs",
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
    _stdout().write(text)


def _stdout() -> Any:
    out = sys.stdout
    if hasattr(out, "reconfigure") and (out.encoding or "").lower().replace("-", "") != "utf8":
        out.reconfigure(encoding="utf-8")
    return out


def emit_json_texts(texts: Iterable[str]) -> None:
    """Write a JSON list of records already written as text (each at the list's first level)."""
    out = _stdout()
    batch: list[str] = []
    first = True
    for text in texts:
        batch.append(text)
        if len(batch) == 256:  # a few hundred kilobytes per write: fewer calls, little held
            out.write(("[\n  " if first else ",\n  ") + ",\n  ".join(batch))
            batch.clear()
            first = False
    if batch:
        out.write(("[\n  " if first else ",\n  ") + ",\n  ".join(batch))
        first = False
    out.write("[]\n" if first else "\n]\n")


def emit_records(
    fmt: str,
    columns: Sequence[Column],
    lang: str,
    records: Callable[[], Sequence[Mapping[str, Any]]],
    json_records: Callable[[], Iterable[Mapping[str, Any]]],
) -> None:
    """Write records as :func:`~dvctt_rules.render.render` does in format ``fmt``; JSON is written
    record by record as it is made (a country's ranking is never held whole as text)."""
    from ..render import json_chunks, render

    if fmt == "json":
        out = _stdout()
        for chunk in json_chunks(json_records()):
            out.write(chunk)
    else:
        emit(render(records(), columns, fmt, lang=lang))


def add_output_arguments(parser: argparse.ArgumentParser, default: str = "table") -> None:
    """``--format`` (table, markdown, csv, json or any tabulate format) and ``--lang vi|en``."""
    parser.add_argument(
        "--format",
        default=default,
        metavar="FORMAT",
        help="table, markdown, csv, json or any tabulate format (plain, simple, github, grid, pipe, "
        f"orgtbl, rst, html, latex, …); default {default}",
    )
    parser.add_argument(
        "--lang", choices=("vi", "en"), default="vi", help="language of headers and text (default vi)"
    )


def add_evaluation_arguments(parser: argparse.ArgumentParser) -> None:
    """The inputs of an evaluation: hierarchy, plan, targets, data, period and as-of date."""
    add_hierarchy_arguments(parser)
    parser.add_argument(
        "--plan", metavar="FILE", help="a plan JSON file (default: the dataset's plan, e.g. plan-4623)"
    )
    parser.add_argument(
        "--targets",
        metavar="FILE",
        help="a targets CSV (unit,indicator,target[,effective_from]) replacing the plan's per-unit targets",
    )
    parser.add_argument(
        "--data", metavar="FILE", help="observations (.csv or .json); default: the dataset's baseline rates"
    )
    parser.add_argument(
        "--period", metavar="P", help="2024, 2024-Q1 or 2024-03 (default: the whole span of the data)"
    )
    parser.add_argument(
        "--as-of", metavar="DATE", help="use the targets in force on this ISO date (default: latest)"
    )


class Inputs:
    """What an evaluation runs on, loaded from the arguments."""

    def __init__(self, args: argparse.Namespace) -> None:
        from ..observations import Observations, Period, load_observations
        from ..rules import Plan, TargetTable, load_plan, load_targets_csv

        dataset = load_dataset_arg(args)
        self.dataset = dataset
        self.hierarchy: Hierarchy = load_hierarchy(args)
        plan: Plan | None = None
        if args.plan:
            plan = load_plan(args.plan)
        elif dataset is not None:
            plan = dataset.plan
        else:
            from ..datasets._registry import _plan_file

            template = _plan_file(DEFAULT_DATASET)  # the plan's structure, without Bình Dương's units
            assert template is not None
            # Another province reuses the plan's structure: its level and default targets, not its units'.
            plan = template.with_targets(TargetTable(t for t in template.targets if t.unit is None))
        if plan is None:
            raise UnknownNameError("plan", "(none)", (), ())
        if args.targets:
            own = load_targets_csv(
                args.targets, resolve=lambda text: self.hierarchy.lookup(text).id, indicators=plan.catalogue()
            )
            kept = TargetTable(t for t in plan.targets if t.unit is None)
            plan = plan.with_targets(kept.merged(own))
        self.plan: Plan = plan
        self.observations: Observations
        if args.data:
            self.observations = load_observations(args.data, self.hierarchy)
        elif dataset is not None:
            self.observations = dataset.baseline
        else:
            self.observations = Observations([], hierarchy=self.hierarchy)
        self.period = Period.parse(args.period) if args.period else None
        observed = self.observations.periods()
        if self.period is not None and observed and not any(map(self.period.overlaps, observed)):
            # A mistyped year would evaluate every unit as without data, and rank them all last.
            from .._errors import PeriodError

            cover = str(observed[0]) if len(observed) == 1 else f"{observed[0]} to {observed[-1]}"
            raise PeriodError(
                f"the data have no observation in {self.period} (they cover {cover}); "
                "choose a period they cover, or leave --period out"
            )
        self.as_of = _parse_date(args.as_of) if getattr(args, "as_of", None) else None


def positive_int(text: str) -> int:
    """An argument that is a whole number of 1 or more (``--top 10``)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expects a whole number of 1 or more, got {text!r}")
    return value


def _parse_date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        from .._errors import PeriodError

        raise PeriodError(f"--as-of expects an ISO date such as 2024-06-30, got {text!r}") from None


def load_inputs(args: argparse.Namespace) -> Inputs:
    """Hierarchy, plan (with ``--targets`` applied), observations, period and as-of date."""
    return Inputs(args)
