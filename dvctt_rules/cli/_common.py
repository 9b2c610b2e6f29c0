"""Arguments and loading shared by the commands."""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

import attrs

from .._errors import (
    DataError,
    DvcttRulesError,
    HierarchyError,
    PeriodError,
    Problem,
    UnknownNameError,
    listed,
)
from .._text import close_matches
from ..datasets import Dataset, load_dataset
from ..hierarchy import DEFAULT_LEVELS, Hierarchy, Unit, read_hierarchy_csv

if TYPE_CHECKING:
    from ..observations import Period
    from ..render import Column
    from ..rules import Plan, PlanRule

__all__ = [
    "DEFAULT_DATASET",
    "Inputs",
    "add_evaluation_arguments",
    "add_hierarchy_arguments",
    "add_output_arguments",
    "check_chart_path",
    "check_level",
    "check_rules_apply",
    "check_within",
    "choose",
    "emit",
    "emit_json_texts",
    "emit_records",
    "file_arg",
    "load_dataset_arg",
    "load_hierarchy",
    "load_inputs",
    "rule_levels",
    "write_json",
]

#: The dataset used when neither ``--dataset`` nor ``--hierarchy`` is given.
DEFAULT_DATASET = "binh-duong-2023"


def add_hierarchy_arguments(parser: argparse.ArgumentParser) -> None:
    """``--dataset NAME | --hierarchy FILE`` and ``--levels``."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--dataset",
        metavar="NAME",
        help=f"a shipped dataset (default: {DEFAULT_DATASET}; dvctt_rules.datasets.list_datasets() has all)",
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
    if file_arg(args, "hierarchy") is not None:
        return None
    return load_dataset(DEFAULT_DATASET if args.dataset is None else args.dataset)


def load_hierarchy(args: argparse.Namespace) -> Hierarchy:
    """The hierarchy chosen by ``--hierarchy``/``--levels`` or ``--dataset``."""
    if file_arg(args, "hierarchy") is not None:
        levels = _levels(args.levels) if args.levels is not None else DEFAULT_LEVELS
        try:
            return read_hierarchy_csv(args.hierarchy, levels)
        except HierarchyError as exc:
            # The file's own levels are declared on the command line with --levels: say so.
            was = ",".join(levels) + ("" if args.levels is not None else ", the default")
            problems = [
                attrs.evolve(p, hint=f"{p.hint}: here with --levels (it was {was})")
                if "are not declared" in p.message
                else p
                for p in exc.problems
            ]
            raise HierarchyError(problems, exc.ids) from None
    if getattr(args, "levels", None) is not None:
        raise DvcttRulesError(
            "--levels goes with --hierarchy FILE (a dataset has its own levels); leave it out, or give the "
            "hierarchy file it describes"
        )
    dataset = load_dataset_arg(args)
    assert dataset is not None
    return dataset.hierarchy


def file_arg(args: argparse.Namespace, name: str) -> str | None:
    """The file named by ``--<name>``: ``None`` when not given; a blank name is refused (it would
    read as the current folder, or be taken for no option at all)."""
    path: str | None = getattr(args, name, None)
    if path is not None and not path.strip():
        raise DvcttRulesError(f"--{name} is blank; give a file name, or leave --{name} out")
    return path


def _levels(text: str) -> tuple[str, ...]:
    """The level names of ``--levels``, refused when one is blank (``province,,commune``)."""
    levels = tuple(part.strip() for part in text.split(","))
    if "" in levels:
        raise DvcttRulesError(
            f"--levels has a blank level name (got {text!r}); give the level names separated by commas, "
            "highest first, such as province,department,commune"
        )
    return levels


def _levels_with_units(hierarchy: Hierarchy) -> tuple[str, ...]:
    present = {unit.level for unit in hierarchy}
    return tuple(level for level in hierarchy.levels if level in present)


def check_level(hierarchy: Hierarchy, level: str, option: str = "--level") -> None:
    """Refuse a level the hierarchy does not declare (did you mean) or at which it has no unit: a
    command would show an empty table."""
    hierarchy.level_rank(level)  # an unknown level: did-you-mean error
    if not any(unit.level == level for unit in hierarchy):
        raise DvcttRulesError(
            f"{option} {level}: no unit of the hierarchy is at the {level} level; "
            f"choose a level that has units: {', '.join(_levels_with_units(hierarchy))}"
        )


def check_within(hierarchy: Hierarchy, level: str, within: str) -> Unit:
    """The unit of ``--within``, refused unless units of ``level`` are under it (a unit at the level
    itself, below it or in another branch would give an empty ranking)."""
    scope = hierarchy.lookup(within)
    if hierarchy.level_rank(scope.level) >= hierarchy.level_rank(level):
        below = "" if scope.level == level else f", below the {level} level"
        raise DvcttRulesError(
            f"--within: {scope.name} is a {scope.level}{below}; give a unit above the {level} level"
        )
    if not any(unit.level == level for unit in hierarchy.descendants(scope)):
        above = dict.fromkeys(
            parent.name
            for unit in hierarchy.units(level)
            if (parent := hierarchy.parent(unit)) is not None and parent.id != hierarchy.root.id
        )
        examples = [hierarchy.root.name, *above]
        raise DvcttRulesError(
            f"--within: {scope.name} ({scope.level}) has no unit of the {level} level under it; "
            f"give a unit that has, such as {listed(examples)}"
        )
    return scope


def _judges(rule: PlanRule, unit: Unit, root: Unit) -> bool:
    """Whether ``rule`` gives ``unit`` a verdict (a province-wide rule judges the root only)."""
    return unit.id == root.id if rule.scope == "province" else rule.applies_to(unit.id, unit.level)


def rule_levels(rule: PlanRule, hierarchy: Hierarchy) -> tuple[str, ...]:
    """The levels of the hierarchy at which ``rule`` judges at least one unit, highest first."""
    root = hierarchy.root
    found = {unit.level for unit in hierarchy if _judges(rule, unit, root)}
    return tuple(level for level in hierarchy.levels if level in found)


def check_rules_apply(
    plan: Plan,
    hierarchy: Hierarchy,
    rule_ids: Sequence[str],
    units: Sequence[Unit],
    option: str,
    where: str,
    *,
    each: bool = True,
) -> None:
    """Refuse rules (given by ``option``) that judge none of ``units`` (described by ``where``, such
    as ``"no unit of the commune level"``): nothing would be shown for them. With ``each=False``
    only when none of the rules judges any (a plan's scored rules: those that do not apply to a
    unit do not count for it)."""
    root = hierarchy.root
    idle = [rule for rule in map(plan.rule, rule_ids) if not any(_judges(rule, u, root) for u in units)]
    if not idle or (not each and len(idle) < len(rule_ids)):
        return
    levels = []
    for rule in idle:
        found = rule_levels(rule, hierarchy)
        at = f"at the {', '.join(found)} level{'s' if len(found) > 1 else ''}" if found else "to no unit here"
        levels.append(f"{rule.id} applies {at}")
    ids = ", ".join(rule.id for rule in idle)
    raise DvcttRulesError(
        f"{option} {ids} {'applies' if len(idle) == 1 else 'apply'} to {where} ({'; '.join(levels)}); "
        f"choose a level {'it applies' if len(idle) == 1 else 'they apply'} at, or other rules"
    )


def check_chart_path(path: str | None) -> None:
    """Refuse a ``--chart`` file of a type that cannot be drawn, or without the package that draws
    it, before any work is done (the table was printed, then the chart refused)."""
    import importlib.util

    from .._errors import MissingExtraError
    from ..render import CHART_SUFFIXES

    if path is None:
        return
    suffix = PurePath(path).suffix.lower()
    if suffix not in CHART_SUFFIXES:
        raise DvcttRulesError(
            f"--chart: a chart is written as {' or '.join(CHART_SUFFIXES)}, got {PurePath(path).name!r}; "
            f"give a file name ending in {' or '.join(CHART_SUFFIXES)}"
        )
    if importlib.util.find_spec("matplotlib") is None:
        raise MissingExtraError("--chart", "chart", "matplotlib")


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
        "--as-of",
        metavar="DATE",
        help="use the targets in force on this ISO date (default: those in force at the end of the period "
        "judged)",
    )
    parser.set_defaults(evaluates=True)  # needs figures: a hierarchy file alone has none


class Inputs:
    """What an evaluation runs on, loaded from the arguments.

    ``check``, when given, is called with the hierarchy and the plan before the observations are
    read: a command refuses its own arguments (a level, a unit, rules) without waiting for the data.
    """

    def __init__(
        self, args: argparse.Namespace, check: Callable[[Hierarchy, Plan], None] | None = None
    ) -> None:
        from ..observations import Observations, load_observations
        from ..rules import TargetTable, load_plan, load_targets_csv

        dataset = load_dataset_arg(args)
        self.dataset = dataset
        self.hierarchy: Hierarchy = load_hierarchy(args)
        plan: Plan | None = None
        if file_arg(args, "plan") is not None:
            plan = load_plan(args.plan)
        elif dataset is not None:
            plan = dataset.plan
        else:
            from ..datasets._registry import _plan_file

            template = _plan_file(DEFAULT_DATASET)  # the plan's structure, without Bình Dương's units
            assert template is not None
            # Another province reuses the plan's structure: its level and default targets, not its units'.
            plan = template.with_targets(TargetTable(t for t in template.targets if t.unit is None))
            vi = getattr(args, "lang", "vi") == "vi"
            print(
                f"dvctt-rules: không có --plan: dùng các tiêu chí và chỉ tiêu chung của kế hoạch {plan.id} "
                f"({plan.name}); kế hoạch của tỉnh mình: --plan FILE"
                if vi
                else f"dvctt-rules: no --plan: using the rules and general targets of plan {plan.id} "
                f"({plan.name}); give your province's plan with --plan FILE",
                file=sys.stderr,
            )
        if plan is None:
            raise UnknownNameError("plan", "(none)", (), ())
        if file_arg(args, "targets") is not None:
            own = load_targets_csv(
                args.targets, resolve=lambda text: self.hierarchy.lookup(text).id, indicators=plan.catalogue()
            )
            kept = TargetTable(t for t in plan.targets if t.unit is None)
            if not own.targets:
                # Merged, an empty table would silently drop every per-unit target of the plan.
                raise DataError(
                    [
                        Problem(
                            "there are no data rows",
                            source=str(args.targets),
                            hint="add one row per unit and indicator under the header "
                            "unit,indicator,target; or leave --targets out to keep the plan's targets",
                        )
                    ]
                )
            plan = plan.with_targets(kept.merged(own))
        self.plan: Plan = plan
        # Before the data are read: an empty --period or --as-of is refused, not ignored.
        self.period = _parse_period(args.period) if args.period is not None else None
        as_of = getattr(args, "as_of", None)
        self.as_of = _parse_date(as_of) if as_of is not None else None
        if check is not None:
            check(self.hierarchy, plan)
        self.observations: Observations
        if file_arg(args, "data") is not None:
            self.observations = load_observations(args.data, self.hierarchy, catalog=plan.measure_catalog())
        elif dataset is not None:
            self.observations = dataset.baseline
        elif getattr(args, "evaluates", False):
            # Every unit would be judged without data, ranked last and reminded, exit 0.
            raise DvcttRulesError(
                "--hierarchy without --data: there are no figures to evaluate (a dataset has its "
                "baseline, a hierarchy file none); give the observations with --data FILE"
            )
        else:
            self.observations = Observations([], hierarchy=self.hierarchy)
        observed = self.observations.periods()
        if self.period is not None and observed and not any(map(self.period.contains, observed)):
            # A mistyped year, or a month of data given by quarter, would evaluate every unit as
            # without data, and rank them all last.
            cover = str(observed[0]) if len(observed) == 1 else f"{observed[0]} to {observed[-1]}"
            split = [str(p) for p in observed if self.period.overlaps(p)]
            if split:
                raise PeriodError(
                    f"the data have no observation inside {self.period}: {listed(split)} cannot be "
                    f"divided into {self.period}; choose a period that holds whole observed periods, "
                    f"such as {split[0]}, or leave --period out"
                )
            raise PeriodError(
                f"the data have no observation in {self.period} (they cover {cover}); "
                "choose a period they cover, or leave --period out"
            )


def whole_number(least: int) -> Callable[[str], int]:
    """The argument type of a whole number of ``least`` or more, in the digits 0-9 (``--top 10``;
    not ``+10``, ``1_0`` or ``١٠``, which ``int`` would read)."""

    def whole(text: str) -> int:
        digits = text.strip()
        if not (digits.isascii() and digits.isdigit()) or int(digits) < least:
            raise argparse.ArgumentTypeError(f"expects a whole number of {least} or more, got {text!r}")
        return int(digits)

    return whole


#: ``--top N``: 1 or more.
positive_int = whole_number(1)


def _parse_period(text: str) -> Period:
    from ..observations import Period

    try:
        return Period.parse(text)
    except PeriodError as exc:
        raise PeriodError(f"--period: {exc}") from None


def _parse_date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise PeriodError(f"--as-of expects an ISO date such as 2024-06-30, got {text!r}") from None


def load_inputs(args: argparse.Namespace, check: Callable[[Hierarchy, Plan], None] | None = None) -> Inputs:
    """Hierarchy, plan (with ``--targets`` applied), observations, period and as-of date; ``check``
    (see :class:`Inputs`) before the observations are read."""
    return Inputs(args, check)
