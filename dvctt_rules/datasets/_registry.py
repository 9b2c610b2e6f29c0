"""Shipped datasets: package data folders, each with ``dataset.json`` and ``units.csv``."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from fractions import Fraction
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from .._errors import DataError, DatasetNotFoundError, Problem, refuse_non_text
from .._io import read_csv
from .._text import close_matches, parse_decimal
from ..hierarchy import Hierarchy, Unit, validate_tree
from ..hierarchy._unit import id_of
from ..observations import Observation, Observations, Period
from ..rules import Plan, Target, TargetTable, load_plan_json

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = ["Dataset", "UnitFigures", "list_datasets", "load_dataset"]

_FIGURES = (
    "current_online_dossier_rate",
    "current_online_payment_rate",
    "target_online_dossier_rate",
    "target_online_payment_rate",
)


def _read_only(value: Any) -> Any:
    """``value`` (parsed JSON) with every mapping a read-only copy and every list a tuple."""
    if isinstance(value, Mapping):
        return MappingProxyType({key: _read_only(item) for key, item in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(_read_only(item) for item in value)
    return value


def _plain(value: Any) -> Any:
    """A fresh plain copy of :func:`_read_only`'s ``value``: dicts and lists, as ``json`` gives."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return value


def _read_only_metadata(value: Mapping[str, Any]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(f"metadata must be a mapping, got {type(value).__name__}")
    frozen: Mapping[str, Any] = _read_only(value)
    return frozen


@attrs.frozen
class UnitFigures:
    """A unit's own figures as the plan prints them (Phụ lục II), exact; ``None`` = unknown.

    Rates are proportions (``Fraction(497, 500)`` for the plan's "99,4"); ``raw`` keeps each cell as
    written ("99,4", "-" or ""), so that the source can always be quoted exactly.
    """

    unit: str
    appendix: str | None
    stt: int | None
    current_online_dossier_rate: Fraction | None
    current_online_payment_rate: Fraction | None
    data_note: str | None
    target_online_dossier_rate: Fraction | None
    target_online_payment_rate: Fraction | None
    raw: tuple[tuple[str, str], ...] = ()


@attrs.frozen(eq=False)
class Dataset:
    """A shipped dataset: its hierarchy and the plan's own figures per unit.

    Everything is built from the files in the dataset's folder; nothing is typed twice.
    ``metadata`` (the parsed ``dataset.json``) is a fresh copy at each reading, plain dicts and
    lists: a loaded dataset is shared by every caller of :func:`load_dataset` and cannot be changed
    by one of them.
    """

    name: str
    title: str
    description: str
    source: str
    levels: tuple[str, ...]
    hierarchy: Hierarchy
    figures: tuple[UnitFigures, ...]
    _metadata: Mapping[str, Any] = attrs.field(factory=dict, converter=_read_only_metadata, alias="metadata")
    plan: Plan | None = None

    @property
    def metadata(self) -> dict[str, Any]:
        """The parsed ``dataset.json``, a copy of one's own (JSON-serialisable, free to change)."""
        copy: dict[str, Any] = _plain(self._metadata)
        return copy

    def figures_for(self, unit_id: Unit | str) -> UnitFigures | None:
        """The plan's figures for one unit (its id, or the :class:`~dvctt_rules.Unit`), or ``None``
        when the plan gives none (the root)."""
        wanted = id_of(unit_id, "unit_id")
        return next((f for f in self.figures if f.unit == wanted), None)

    @property
    def unit_targets(self) -> TargetTable:
        """The per-unit targets of the figures (Phụ lục II), cited to the plan's appendix."""
        spec = self._metadata.get("unit_targets")
        if not spec:
            return TargetTable()
        citation = None
        if self.plan is not None and self.plan.citation is not None:
            citation = attrs.evolve(self.plan.citation, article=spec.get("article"))
        targets = [
            Target(indicator, value, unit=figures.unit, citation=citation)
            for figures in self.figures
            for column, indicator in spec["columns"].items()
            if (value := getattr(figures, column)) is not None
        ]
        return TargetTable(targets)

    @property
    def baseline(self) -> Observations:
        """The plan's own "current" rates as rate observations (no counts), each with its data note.

        Evaluating the plan on them tells which units already met their targets when it was written.
        """
        spec = self._metadata.get("baseline")
        if not spec:
            return Observations([], hierarchy=self.hierarchy)
        period = Period.parse(spec["period"])
        items = []
        for figures in self.figures:
            rates = {
                indicator: value
                for column, indicator in spec["columns"].items()
                if (value := getattr(figures, column)) is not None
            }
            if rates:
                items.append(Observation(figures.unit, period, rates=rates, note=figures.data_note))
        return Observations(items, hierarchy=self.hierarchy)


def _root() -> Traversable:
    """The folder of the shipped datasets. On disk it is the package's folder, the very ``Path``
    ``importlib.resources.files`` gives for it; that module (whose imports take a few milliseconds
    of every command's start) is loaded only for a package that is not on disk, in a zip file."""
    folder = Path(__file__).parent
    if folder.is_dir():
        return folder
    from importlib import resources

    return resources.files(__package__)


def list_datasets() -> tuple[str, ...]:
    """The names of the shipped datasets, sorted.

    >>> "binh-duong-2023" in list_datasets()
    True
    """
    return tuple(
        sorted(
            entry.name
            for entry in _root().iterdir()
            if entry.is_dir() and entry.joinpath("dataset.json").is_file()
        )
    )


def load_dataset(name: str) -> Dataset:
    """Load a shipped dataset by name (cached: the same object comes back for the same name).

    >>> ds = load_dataset("binh-duong-2023")
    >>> len(ds.hierarchy), ds.hierarchy.root.name
    (119, 'Tỉnh Bình Dương')
    """
    known = list_datasets()
    if name not in known:
        names = ", ".join(map(repr, known))
        files = "; read your own files with read_hierarchy_csv, load_observations and load_plan"
        hint = (
            f"pass the dataset's name ({names}){files}"
            if isinstance(name, os.PathLike)
            else f"pass one of {names}"
        )
        refuse_non_text(name, "name", "a shipped dataset's name", hint)
        raise DatasetNotFoundError(name, known, close_matches(name, known))
    return _load(name)


@cache
def _plan_file(name: str) -> Plan | None:
    """The plan file of a dataset as it ships, without the per-unit targets of its figures (the
    structure another province reuses: rules, level and default targets); ``None`` without one.
    Internal: :attr:`Dataset.plan` is the plan with every target."""
    folder = _root().joinpath(name)
    meta: dict[str, Any] = json.loads(folder.joinpath("dataset.json").read_text(encoding="utf-8"))
    if not meta.get("plan"):
        return None
    plan_file = meta["plan"]
    return load_plan_json(
        folder.joinpath(plan_file).read_text(encoding="utf-8"), source=f"{name}/{plan_file}"
    )


@cache
def _load(name: str) -> Dataset:
    folder = _root().joinpath(name)
    meta: dict[str, Any] = json.loads(folder.joinpath("dataset.json").read_text(encoding="utf-8"))
    display = f"{name}/units.csv"
    table = read_csv(
        folder.joinpath("units.csv").read_bytes(), display, required=("id", "name", "level", "parent")
    )
    levels = tuple(meta["levels"])
    units: list[Unit] = []
    parents: dict[str, str | None] = {}
    figures: list[UnitFigures] = []
    problems: list[Problem] = []
    for row in table.rows:
        cells = row.cells
        unit = Unit(cells["id"], cells["name"], cells["level"], code=cells.get("code") or None)
        units.append(unit)
        parents[unit.id] = cells["parent"] or None
        if not cells.get("appendix"):
            continue
        values: dict[str, Fraction | None] = {}
        for column in _FIGURES:
            try:
                percent = parse_decimal(cells[column])
            except ValueError:
                problems.append(
                    Problem(
                        "not a percentage",
                        source=display,
                        line=row.line,
                        column=column,
                        value=cells[column],
                        hint="write it as in the plan, e.g. 99,4",
                    )
                )
                continue
            values[column] = None if percent is None else percent / 100
        figures.append(
            UnitFigures(
                unit=unit.id,
                appendix=cells["appendix"],
                stt=int(cells["stt"]) if cells.get("stt") else None,
                data_note=cells.get("data_note") or None,
                raw=tuple((column, cells[column]) for column in _FIGURES),
                **values,
            )
        )
    if problems:
        raise DataError(problems)
    validate_tree(units, parents, levels, source=display, lines={r.cells["id"]: r.line for r in table.rows})
    plan = _plan_file(name)
    dataset = Dataset(
        name=name,
        title=meta["title"],
        description=meta.get("description", ""),
        source=meta.get("source", ""),
        levels=levels,
        hierarchy=Hierarchy(units, parents, levels),
        figures=tuple(figures),
        metadata=meta,
        plan=plan,
    )
    if plan is None:
        return dataset
    # The plan ships without per-unit targets: they are the figures' target columns, written once.
    return attrs.evolve(dataset, plan=plan.with_targets(plan.targets.merged(dataset.unit_targets)))
