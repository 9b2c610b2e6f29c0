"""Writing observations as records, CSV and JSON that load back to an equal collection."""

from __future__ import annotations

import json

from .._errors import OBSERVATIONS_HINT, DataError, Problem, refuse_type
from .._io import write_csv
from ..hierarchy import Hierarchy
from ._model import Observation, Observations
from ._values import percent_text

__all__ = ["observations_to_csv", "observations_to_json", "observations_to_records"]

Cell = str | int | None


def _unit_text(unit_id: str, hierarchy: Hierarchy | None) -> str:
    """The unit's name when it finds exactly this unit again, else its id."""
    if hierarchy is None or unit_id not in hierarchy:
        return unit_id
    name = hierarchy[unit_id].name.strip()
    found = hierarchy.find(name)  # as lookup finds it, without the message of an ambiguous name
    return name if len(found) == 1 and found[0].id == unit_id else unit_id


def _columns(observations: Observations) -> list[str]:
    columns = ["unit", "period", *observations.measures()]
    if any(item.note for item in observations):
        columns.append("note")
    return columns


def _rows(observations: Observations, hierarchy: Hierarchy | None) -> tuple[list[str], list[dict[str, Cell]]]:
    refuse_type(
        observations,
        Observations,
        "observations",
        "Observations",
        OBSERVATIONS_HINT,
    )
    refuse_type(
        hierarchy,
        (Hierarchy, type(None)),
        "hierarchy",
        "a Hierarchy or None",
        "pass the hierarchy, or leave it out",
    )
    columns = _columns(observations)
    problems: list[Problem] = []
    rows: list[dict[str, Cell]] = []
    units: dict[str, str] = {}
    for item in observations:
        row: dict[str, Cell] = dict.fromkeys(columns)
        if item.unit not in units:
            units[item.unit] = _unit_text(item.unit, hierarchy)
        row["unit"] = units[item.unit]
        row["period"] = str(item.period)
        row.update(item.counts)
        for name, proportion in item.rates:
            row[name] = percent_text(proportion)
            if row[name] is None:
                problems.append(_inexact(item, name))
        if "note" in row:
            row["note"] = item.note
        rows.append(row)
    if problems:
        raise DataError(problems, summary="some rates have no exact decimal form")
    return columns, rows


def _inexact(item: Observation, name: str) -> Problem:
    return Problem(
        f"unit {item.unit!r}, period {item.period}: "
        f"the rate {item.rate(name)} has no exact decimal percentage (or one too long to load again)",
        column=name,
        hint="round it (for instance with Fraction.limit_denominator) or keep its counts instead",
    )


def observations_to_records(
    observations: Observations, hierarchy: Hierarchy | None = None
) -> list[dict[str, Cell]]:
    """Plain records, the inverse of :func:`observations_from_records`.

    Every record has the same keys: ``unit`` (the unit id, or with ``hierarchy`` its name when the
    name finds it again), ``period``, each measure present in the collection, and ``note`` when any
    row has one. Counts are ``int``, rates percentages as exact text (``"99.4"``), unknown ``None``.
    """
    return _rows(observations, hierarchy)[1]


def observations_to_csv(observations: Observations, hierarchy: Hierarchy | None = None) -> str:
    """The collection as wide CSV text (``unit,period,<measures…>[,note]``), loadable again exactly.

    Rates are written as percentages with a decimal point; unknown values as empty cells. Raises
    :class:`~dvctt_rules.DataError` for a rate with no finite decimal form (such as 1/3), or one
    longer than the loaders read. An empty collection is a header alone, which the loaders refuse
    as a file without data rows.
    """
    columns, rows = _rows(observations, hierarchy)
    return write_csv(columns, [["" if row[c] is None else str(row[c]) for c in columns] for row in rows])


def observations_to_json(observations: Observations, hierarchy: Hierarchy | None = None) -> str:
    """The collection as a JSON list of objects, one per line; rates are exact JSON numbers (``99.4``).

    Raises as :func:`observations_to_csv` does; an empty collection is ``[]``, which the loaders
    refuse as a file without data rows."""
    columns, rows = _rows(observations, hierarchy)
    rates = set(observations.catalog.rates())
    lines = []
    for row in rows:
        cells = []
        for column in columns:
            value = row[column]
            text = (
                str(value) if column in rates and value is not None else json.dumps(value, ensure_ascii=False)
            )
            cells.append(f"{json.dumps(column)}: {text}")
        lines.append("  {" + ", ".join(cells) + "}")
    return "[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n"
