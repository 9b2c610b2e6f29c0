"""dvctt_rules.testing: every deliberately invalid input is rejected, with the problem its kind names."""

from __future__ import annotations

import re
from typing import Any, Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from dvctt_rules import DataError, PlanError
from dvctt_rules.hierarchy import Hierarchy, Unit
from dvctt_rules.observations import load_observations, observations_from_records
from dvctt_rules.rules import load_plan_json
from dvctt_rules.testing import (
    INVALID_OBSERVATION_KINDS,
    INVALID_PLAN_KINDS,
    TRICKY_HIERARCHY,
    ambiguous_names,
    invalid_observation_files,
    invalid_observation_records,
    invalid_plan_documents,
)

# What every problem of a file of each kind says (the message, or the column for counts).
OBSERVATION_PROBLEMS = {
    "unknown_unit": "no unit of the hierarchy has this name or id",
    "ambiguous_unit": "the name matches",
    "unknown_column": "unknown (column|key)",
    "missing_unit_column": "the (column|key) 'unit' is missing",
    "missing_period_column": "the (column|key) 'period' is missing",
    "malformed_count": "not a number|ambiguous|digits only|whole number",
    "negative_count": "cannot be negative",
    "non_integer_count": "must be a whole number",
    "part_exceeds_whole": "is larger than",
    "duplicate_row": "already has a row",
    "overlapping_periods": "overlaps",
    "bad_period": "not a period",
    "not_utf8": "not UTF-8",
    "empty_file": "empty|no data rows",
}
PLAN_PROBLEMS = {
    "unknown_indicator": "unknown indicator",
    "bad_tag": "rule type|'type' key",
    "bad_target": "percentage|number",
    "unknown_key": "unknown key",
    "duplicate_rule_id": "used twice",
    "unknown_level": "unknown level",
    "bad_date": "ISO date",
    "malformed_json": "not valid JSON",
}


def _expect(kind: str, error: DataError) -> None:
    assert error.problems, kind
    pattern = OBSERVATION_PROBLEMS[kind]
    for problem in error.problems:
        assert re.search(pattern, problem.message), f"{kind}: {problem}"


def test_the_tables_cover_every_kind() -> None:
    assert set(OBSERVATION_PROBLEMS) == set(INVALID_OBSERVATION_KINDS)
    assert set(PLAN_PROBLEMS) == set(INVALID_PLAN_KINDS)


@settings(max_examples=80)
@given(st.data(), st.sampled_from(["csv", "json"]))
def test_invalid_observation_files_are_rejected(data: st.DataObject, format: Literal["csv", "json"]) -> None:
    kind, content = data.draw(invalid_observation_files(format=format))
    with pytest.raises(DataError) as info:
        load_observations(content, TRICKY_HIERARCHY, format=format)
    _expect(kind, info.value)


@settings(max_examples=40)
@given(invalid_observation_records())
def test_invalid_observation_records_are_rejected(case: tuple[str, list[dict[str, Any]]]) -> None:
    kind, records = case
    with pytest.raises(DataError) as info:
        observations_from_records(records, TRICKY_HIERARCHY)
    _expect(kind, info.value)


@pytest.mark.parametrize("kind", INVALID_OBSERVATION_KINDS)
@settings(max_examples=3)
@given(data=st.data())
def test_each_observation_kind_on_request(kind: Any, data: st.DataObject) -> None:
    drawn, content = data.draw(invalid_observation_files(kind=kind))
    assert drawn == kind
    with pytest.raises(DataError) as info:
        load_observations(content, TRICKY_HIERARCHY, format="csv")
    _expect(kind, info.value)


def test_ambiguity_needs_an_ambiguous_hierarchy() -> None:
    plain = Hierarchy([Unit("p", "Tỉnh P", "province"), Unit("c", "Xã C", "commune")], {"c": "p"})
    assert ambiguous_names(plain) == ()
    assert "Phường Tân Định" in ambiguous_names(TRICKY_HIERARCHY)
    with pytest.raises(InvalidArgument, match="no ambiguous name"):
        invalid_observation_files(plain, kind="ambiguous_unit")
    with pytest.raises(InvalidArgument):
        invalid_observation_records(kind="not_utf8")


@settings(max_examples=60)
@given(invalid_plan_documents())
def test_invalid_plan_documents_are_rejected_with_a_path(case: tuple[str, str]) -> None:
    kind, text = case
    with pytest.raises(PlanError) as info:
        load_plan_json(text)
    assert re.search(PLAN_PROBLEMS[kind], str(info.value)), f"{kind}: {info.value}"
    if kind != "malformed_json":
        assert info.value.path is not None
        assert info.value.path.startswith("$")


@pytest.mark.parametrize("kind", INVALID_PLAN_KINDS)
@settings(max_examples=3)
@given(data=st.data())
def test_each_plan_kind_on_request(kind: Any, data: st.DataObject) -> None:
    drawn, text = data.draw(invalid_plan_documents(kind))
    assert drawn == kind
    with pytest.raises(PlanError, match=PLAN_PROBLEMS[kind]):
        load_plan_json(text)
