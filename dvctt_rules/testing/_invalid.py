"""Hypothesis strategies for inputs the validators must reject: observation files and records, plan
documents. Each comes as ``(kind, content)``, so error paths can be tested kind by kind."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal, get_args

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from .._text import fold
from ..hierarchy import Hierarchy
from ..observations import DEFAULT_CATALOG, RESERVED_COLUMNS, MeasureCatalog, Period, observations_to_records
from ..rules import dump_plan_json
from ._hierarchies import TRICKY_HIERARCHY
from ._observations import observations, period_sets
from ._rules import plans

__all__ = [
    "INVALID_OBSERVATION_KINDS",
    "INVALID_PLAN_KINDS",
    "ambiguous_names",
    "invalid_observation_files",
    "invalid_observation_records",
    "invalid_plan_documents",
]

InvalidObservationKind = Literal[
    "unknown_unit",
    "ambiguous_unit",
    "unknown_column",
    "missing_unit_column",
    "missing_period_column",
    "malformed_count",
    "negative_count",
    "non_integer_count",
    "part_exceeds_whole",
    "duplicate_row",
    "overlapping_periods",
    "bad_period",
    "not_utf8",
    "empty_file",
]

#: The kinds of invalid observation input :func:`invalid_observation_files` can make
#: (:func:`invalid_observation_records` makes all but ``"not_utf8"``).
INVALID_OBSERVATION_KINDS: tuple[InvalidObservationKind, ...] = get_args(InvalidObservationKind)

InvalidPlanKind = Literal[
    "unknown_indicator",
    "bad_tag",
    "bad_target",
    "unknown_key",
    "duplicate_rule_id",
    "unknown_level",
    "bad_date",
    "malformed_json",
]

#: The kinds of invalid plan document :func:`invalid_plan_documents` can make.
INVALID_PLAN_KINDS: tuple[InvalidPlanKind, ...] = get_args(InvalidPlanKind)

Rows = list[dict[str, Any]]
Render = Literal["csv", "json", "records"]


# -- observations -------------------------------------------------------------------------------


def ambiguous_names(hierarchy: Hierarchy) -> tuple[str, ...]:
    """Names (as written, or without diacritics) that match more than one unit of ``hierarchy``, so that
    ``hierarchy.lookup`` refuses them as ambiguous. A plain function."""
    found: dict[str, None] = {}
    for unit in hierarchy:
        for text in (unit.name, fold(unit.name)):
            if len(hierarchy.find(text)) > 1:
                found.setdefault(text)
    return tuple(found)


def _unknown_name(hierarchy: Hierarchy, seed: str) -> str:
    text, number = seed, 1
    while hierarchy.find(text):
        number += 1
        text = f"{seed} {number}"
    return text


def _count_column(draw: st.DrawFn, catalog: MeasureCatalog, rows: Rows) -> str:
    column = draw(st.sampled_from(catalog.counts()))
    for row in rows:
        row.setdefault(column, None)
    return column


def _overlapping(draw: st.DrawFn, period: Period) -> Period:
    """A period that overlaps ``period`` without being equal to it."""
    if period.kind == "year":
        return draw(
            st.sampled_from([Period(period.year, quarter=q) for q in range(1, 5)] + list(period.months()))
        )
    if period.kind == "quarter":
        return draw(st.sampled_from([Period(period.year), *period.months()]))
    assert period.parent is not None
    return draw(st.sampled_from([period.parent, Period(period.year)]))


def _mutate(
    draw: st.DrawFn,
    kind: InvalidObservationKind,
    rows: Rows,
    hierarchy: Hierarchy,
    catalog: MeasureCatalog,
    render: Render,
) -> Rows:
    """Give ``rows`` (valid, at least one) the defect ``kind``; byte-level kinds are left to the caller."""
    row = draw(st.sampled_from(rows))
    if kind == "unknown_unit":
        seed = draw(
            st.sampled_from(["Phường Không Có Thật", "Xã Zzz", "no-such-unit", "Sở Ngoại Giao Mặt Trăng"])
        )
        row["unit"] = _unknown_name(hierarchy, seed)
    elif kind == "ambiguous_unit":
        row["unit"] = draw(st.sampled_from(ambiguous_names(hierarchy)))
    elif kind == "unknown_column":
        known = {*RESERVED_COLUMNS, *catalog.names}
        options = [c for c in ("received_onlne", "Unit", "tỷ lệ", "số hồ sơ", "payments") if c not in known]
        row[draw(st.sampled_from(options))] = "1"
    elif kind in ("missing_unit_column", "missing_period_column"):
        column = "unit" if kind == "missing_unit_column" else "period"
        for each in rows:
            del each[column]
    elif kind == "malformed_count":
        row[_count_column(draw, catalog, rows)] = draw(
            st.sampled_from(["12a", "1.200", "một trăm", "x", "1e3"])
        )
    elif kind == "negative_count":
        number = -draw(st.integers(1, 10**6))
        row[_count_column(draw, catalog, rows)] = number if render != "csv" else str(number)
    elif kind == "non_integer_count":
        whole = draw(st.integers(0, 1000))
        half = Fraction(2 * whole + 1, 2)
        row[_count_column(draw, catalog, rows)] = (
            str(float(half)) if render == "csv" else Decimal(str(float(half))) if render == "json" else half
        )
    elif kind == "part_exceeds_whole":
        if not catalog.relations:
            raise InvalidArgument("the catalog has no part-of relation to break")
        relation = draw(st.sampled_from(catalog.relations))
        wholes = [draw(st.integers(0, 1000)) for _ in relation.whole]
        for name, value in zip(relation.whole, wholes, strict=True):
            row[name] = value
        row[relation.part] = sum(wholes) + draw(st.integers(1, 1000))
        for each in rows:
            for name in relation.names:
                each.setdefault(name, None)
    elif kind == "duplicate_row":
        rows.append(dict(row))
    elif kind == "overlapping_periods":
        rows.append({**row, "period": str(_overlapping(draw, Period.parse(str(row["period"]))))})
    elif kind == "bad_period":
        row["period"] = draw(
            st.sampled_from(["2024-Q5", "13/2024", "2024-13", "Quý I/2024", "năm 2024", "2024/03", "24-03"])
        )
    return rows


def _cell_text(value: Any) -> str:
    return "" if value is None else str(value)


def _csv_text(rows: Rows) -> str:
    columns = list(dict.fromkeys(key for row in rows for key in row))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell_text(row.get(column)) for column in columns])
    return buffer.getvalue()


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"cannot write {value!r}")


def _json_text(rows: Rows) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=1, default=_json_default) + "\n"


@st.composite
def _valid_rows(draw: st.DrawFn, hierarchy: Hierarchy, catalog: MeasureCatalog) -> Rows:
    obs = draw(
        observations(hierarchy, periods=period_sets(), catalog=catalog, min_units=1, max_units=3, notes=False)
    )
    return [dict(record) for record in observations_to_records(obs, hierarchy)]


def _kinds(
    kind: InvalidObservationKind | None, hierarchy: Hierarchy, allowed: tuple[InvalidObservationKind, ...]
) -> st.SearchStrategy[InvalidObservationKind]:
    if kind is not None:
        if kind not in allowed:
            raise InvalidArgument(f"kind must be one of {allowed}, got {kind!r}")
        if kind == "ambiguous_unit" and not ambiguous_names(hierarchy):
            raise InvalidArgument("the hierarchy has no ambiguous name; use TRICKY_HIERARCHY")
        return st.just(kind)
    usable = [k for k in allowed if k != "ambiguous_unit" or ambiguous_names(hierarchy)]
    return st.sampled_from(usable)


def invalid_observation_files(
    hierarchy: Hierarchy = TRICKY_HIERARCHY,
    *,
    kind: InvalidObservationKind | None = None,
    format: Literal["csv", "json"] = "csv",
    catalog: MeasureCatalog = DEFAULT_CATALOG,
) -> st.SearchStrategy[tuple[InvalidObservationKind, bytes]]:
    """``(kind, content)``: the bytes of a CSV or JSON observation file (``format``) with one defect.

    ``kind`` is one of :data:`INVALID_OBSERVATION_KINDS` (``None``: any; ``"ambiguous_unit"`` only
    for a hierarchy with an ambiguous name, such as the default :data:`TRICKY_HIERARCHY`). The file
    is a valid one for ``hierarchy`` and ``catalog`` (one to three units) with the defect: a unit no
    name finds, an ambiguous name, an unknown column, no ``unit`` or ``period`` column, a count that
    is not digits, negative or fractional, a part larger than its whole, a duplicate (unit, period),
    overlapping periods of one unit, a period that does not parse, bytes that are not UTF-8 (UTF-16,
    or a stray byte), an empty or blank file.

    Guarantees: ``load_observations(content, hierarchy, catalog=catalog, format=format)`` raises
    :class:`~dvctt_rules.DataError` listing the defect (and nothing else for the kind's sake).
    """
    if format not in ("csv", "json"):
        raise InvalidArgument(f"format must be 'csv' or 'json', got {format!r}")
    kinds = _kinds(kind, hierarchy, INVALID_OBSERVATION_KINDS)
    render: Callable[[Rows], str] = _csv_text if format == "csv" else _json_text

    @st.composite
    def build(draw: st.DrawFn) -> tuple[InvalidObservationKind, bytes]:
        chosen = draw(kinds)
        if chosen == "empty_file":
            return chosen, draw(st.sampled_from([b"", b"\n", b"  \n\n", b"\xef\xbb\xbf", b"\r\n"]))
        rows = draw(_valid_rows(hierarchy, catalog))
        if chosen != "not_utf8":
            return chosen, render(_mutate(draw, chosen, rows, hierarchy, catalog, format)).encode("utf-8")
        text = render(rows)
        if draw(st.booleans()):
            return chosen, text.encode("utf-16")
        position = text.index("\n") + 1
        stray = draw(st.sampled_from([b"\xff", b"\xc0", b"\x80", b"\xe9"]))
        data = text.encode("utf-8")
        cut = len(text[:position].encode("utf-8"))
        return chosen, data[:cut] + stray + data[cut:]

    return build()


def invalid_observation_records(
    hierarchy: Hierarchy = TRICKY_HIERARCHY,
    *,
    kind: InvalidObservationKind | None = None,
    catalog: MeasureCatalog = DEFAULT_CATALOG,
) -> st.SearchStrategy[tuple[InvalidObservationKind, list[dict[str, Any]]]]:
    """``(kind, records)``: plain records (as :func:`observation_records` makes) with one defect, the kinds
    of :func:`invalid_observation_files` but ``"not_utf8"``; ``"empty_file"`` is an empty list.

    Guarantees: ``observations_from_records(records, hierarchy, catalog=catalog)`` raises
    :class:`~dvctt_rules.DataError`.
    """
    allowed = tuple(k for k in INVALID_OBSERVATION_KINDS if k != "not_utf8")
    kinds = _kinds(kind, hierarchy, allowed)

    @st.composite
    def build(draw: st.DrawFn) -> tuple[InvalidObservationKind, list[dict[str, Any]]]:
        chosen = draw(kinds)
        if chosen == "empty_file":
            return chosen, []
        rows = draw(_valid_rows(hierarchy, catalog))
        return chosen, _mutate(draw, chosen, rows, hierarchy, catalog, "records")

    return build()


# -- plans --------------------------------------------------------------------------------------


def _rule_nodes(node: dict[str, Any]) -> list[dict[str, Any]]:
    found = [node]
    for child in node.get("rules", []):
        found += _rule_nodes(child)
    if isinstance(node.get("rule"), dict):
        found += _rule_nodes(node["rule"])
    return found


def _break_plan(draw: st.DrawFn, kind: InvalidPlanKind, data: dict[str, Any], known: set[str]) -> None:
    plan_rules: list[dict[str, Any]] = data["rules"]
    nodes = [node for plan_rule in plan_rules for node in _rule_nodes(plan_rule["rule"])]
    leaves = [node for node in nodes if node["type"] == "threshold"]
    levels = set(data.get("levels", []))
    if kind == "unknown_indicator":
        options = ["online_dosier_rate", "ty_le_ho_so", "no_such_indicator", "Online_Dossier_Rate"]
        draw(st.sampled_from(leaves))["indicator"] = draw(
            st.sampled_from([o for o in options if o not in known])
        )
    elif kind == "bad_tag":
        node = draw(st.sampled_from(nodes))
        tag = draw(st.sampled_from(["treshold", "and", "AllOf", "", 3, None, "(missing)"]))
        if tag == "(missing)":
            del node["type"]
        else:
            node["type"] = tag
    elif kind == "bad_target":
        bad = draw(st.sampled_from(["150", "-5", "abc", True, "1/0", [], "101%"]))
        if data["targets"] and draw(st.booleans()):
            draw(st.sampled_from(data["targets"]))["value"] = bad
        else:
            draw(st.sampled_from(leaves))["target"] = bad
    elif kind == "unknown_key":
        places: list[tuple[dict[str, Any], str]] = [(data, "rule"), (data, "muc_tieu")]
        places += [(plan_rule, "target") for plan_rule in plan_rules]
        places += [(node, "value") for node in nodes]
        places += [(target, "target") for target in data["targets"]]
        where, key = draw(st.sampled_from(places))
        where[key] = draw(st.sampled_from(["90", None, "x"]))
    elif kind == "duplicate_rule_id":
        if len(plan_rules) < 2:
            plan_rules.append(dict(plan_rules[0]))
        plan_rules[-1]["id"] = plan_rules[0]["id"]
    elif kind == "unknown_level":
        level = draw(st.sampled_from([x for x in ("ward", "District", "xa", "huyen") if x not in levels]))
        unit_rules = [r for r in plan_rules if r.get("scope", "unit") == "unit"]
        how = draw(st.sampled_from(["lead", "levels", "target"]))
        if how == "levels" and unit_rules:
            draw(st.sampled_from(unit_rules))["levels"] = [level]
        elif how == "target" and data["targets"]:
            target = draw(st.sampled_from(data["targets"]))
            target.pop("unit", None)
            target["level"] = level
        else:
            draw(st.sampled_from(plan_rules))["lead"] = [f"level:{level}"]
    elif kind == "bad_date":
        bad = draw(st.sampled_from(["07/09/2023", "2023-13-01", "2023-9-7", 20230907, "hôm qua"]))
        if data["targets"] and draw(st.booleans()):
            draw(st.sampled_from(data["targets"]))["effective_from"] = bad
        else:
            data["issued"] = bad


def invalid_plan_documents(
    kind: InvalidPlanKind | None = None,
) -> st.SearchStrategy[tuple[InvalidPlanKind, str]]:
    """``(kind, text)``: the JSON text of a plan (:func:`plans`, one to three rules) with one defect.

    ``kind`` is one of :data:`INVALID_PLAN_KINDS` (``None``: any): a threshold on an indicator the
    plan does not know, a rule ``"type"`` tag that is unknown or missing, a target that is not a
    percentage from 0 to 100 (in the table or in a threshold), a key the format does not have (at
    the top, in a plan rule, a rule node or a target), two rules with one id, a level the plan does
    not declare (in a rule's ``levels`` or ``lead``, or a target), a date that is not ISO
    (``issued`` or ``effective_from``), or text that is not JSON (cut short).

    Guarantees: ``load_plan_json(text)`` raises :class:`~dvctt_rules.PlanError`, whose ``path``
    points into the document for every kind but ``"malformed_json"``.
    """
    if kind is not None and kind not in INVALID_PLAN_KINDS:
        raise InvalidArgument(f"kind must be one of {INVALID_PLAN_KINDS}, got {kind!r}")
    kinds = st.just(kind) if kind is not None else st.sampled_from(INVALID_PLAN_KINDS)

    @st.composite
    def build(draw: st.DrawFn) -> tuple[InvalidPlanKind, str]:
        chosen = draw(kinds)
        plan = draw(plans(min_rules=1, max_rules=3, max_depth=2, max_targets=3))
        text = dump_plan_json(plan).strip()
        if chosen == "malformed_json":
            return chosen, text[: draw(st.integers(1, len(text) - 1))]
        data = json.loads(text)
        data.setdefault("targets", [])
        _break_plan(draw, chosen, data, set(plan.catalogue()))
        return chosen, json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    return build()
