"""Messages for bad input: argument mistakes are not the file's, a file separated by ';' or tabs is
said so once, short rows and blank header cells get the advice that fits, JSON values are named as
JSON calls them, and hierarchy problems name the column (and every root its line)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from dvctt_rules import DataError, DvcttRulesError, HierarchyError, PlanError, Problem
from dvctt_rules.datasets import load_dataset
from dvctt_rules.hierarchy import Hierarchy, read_hierarchy_csv
from dvctt_rules.observations import load_observations
from dvctt_rules.rules import Plan, dump_plan_json, load_plan_json, load_targets_csv

ROOT = Path(__file__).parents[1]
BINH_DUONG = read_hierarchy_csv(ROOT / "dvctt_rules" / "datasets" / "binh-duong-2023" / "units.csv")
LEVELS = ("province", "district", "commune")
GOOD = "id,name,level,parent\nP,Tỉnh P,province,\nD1,Huyện D,district,P\nC1,Xã C,commune,D1\n"
SEPARATOR = "seems to use ';' or tabs between cells"
_SHIPPED = load_dataset("binh-duong-2023").plan
assert _SHIPPED is not None
BD_PLAN: Plan = _SHIPPED


def write(tmp_path: Path, text: str, name: str = "h.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def hierarchy_problems(path: Path, levels: tuple[str, ...] = LEVELS) -> tuple[HierarchyError, list[str]]:
    with pytest.raises(HierarchyError) as info:
        read_hierarchy_csv(path, levels)
    for problem in info.value.problems:
        assert problem.source == str(path)
    return info.value, [str(p) for p in info.value.problems]


def target_problems(text: str) -> list[tuple[str, int | None, str | None, str | None]]:
    with pytest.raises(DataError) as info:
        load_targets_csv(text)
    return [(p.message, p.line, p.column, p.hint) for p in info.value.problems]


# -- levels given as one text, or none -----------------------------------------------------


def test_levels_as_one_text_is_a_type_error_with_the_sequence_meant(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    with pytest.raises(TypeError) as info:
        read_hierarchy_csv(path, "province,district,commune")
    assert not isinstance(info.value, DataError)  # an argument mistake, not a bad file
    message = str(info.value)
    assert "levels must be a sequence of level names" in message
    assert "got the text 'province,district,commune'" in message
    assert "('province', 'district', 'commune')" in message
    assert "'province,district,commune'.split(',')" in message
    assert read_hierarchy_csv(path, ["province", "district", "commune"]).levels == LEVELS


def test_levels_as_bytes_is_a_type_error(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="levels must be a collection of level names, got bytes"):
        read_hierarchy_csv(write(tmp_path, GOOD), b"province")  # type: ignore[arg-type]


@pytest.mark.parametrize("levels", [(), []])
def test_no_levels_is_an_argument_error_not_a_bad_file(tmp_path: Path, levels: tuple[str, ...]) -> None:
    with pytest.raises(ValueError, match="levels must name at least one level") as info:
        read_hierarchy_csv(write(tmp_path, GOOD), levels)
    assert not isinstance(info.value, HierarchyError)
    assert "do not form a valid hierarchy" not in str(info.value)
    assert "leave levels out for the default" in str(info.value)


def test_levels_from_a_generator_are_all_kept(tmp_path: Path) -> None:
    # Read once: the tree was checked with them, and the hierarchy was made with none left.
    hierarchy = read_hierarchy_csv(write(tmp_path, GOOD), (level for level in LEVELS))
    assert hierarchy.levels == LEVELS


# -- ';' or tabs between cells -----------------------------------------------------------


@pytest.mark.parametrize("separator", [";", "\t"])
def test_hierarchy_separated_otherwise_gets_one_problem(tmp_path: Path, separator: str) -> None:
    text = GOOD.replace(",", separator)
    path = write(tmp_path, "\n" + text)  # a blank line above the header: it is on line 2
    with pytest.raises(DataError) as info:
        read_hierarchy_csv(path, LEVELS)
    (problem,) = info.value.problems
    assert (problem.source, problem.line) == (str(path), 2)
    assert problem.hint is not None
    assert SEPARATOR in problem.hint
    assert "comma-separated" in problem.hint
    assert problem.value == "id;name;level;parent".replace(";", separator)
    assert "required column 'id' is missing" not in str(info.value)


def test_hierarchy_with_a_semicolon_in_an_extra_column_name_is_read(tmp_path: Path) -> None:
    # A header with every required column is not misread as separated by ';'.
    text = "id,name,level,parent,note;x\nP,Tỉnh P,province,,\nD1,Huyện D,district,P,\nC1,Xã C,commune,D1,a\n"
    hierarchy = read_hierarchy_csv(write(tmp_path, text), LEVELS)
    assert hierarchy["C1"].attribute("note;x") == "a"


@pytest.mark.parametrize("separator", [";", "\t"])
def test_targets_separated_otherwise_get_one_problem(separator: str) -> None:
    text = "unit,indicator,target\nC1,online_dossier_rate,50\n".replace(",", separator)
    ((message, line, _, hint),) = target_problems(text)
    assert line == 1
    assert hint is not None
    assert SEPARATOR in hint
    assert "unexpected column" not in message


# -- targets, short rows and blank header cells ------------------------------------------


def test_a_short_target_row_is_told_to_add_cells_not_to_quote_a_decimal_comma() -> None:
    ((message, line, _, hint),) = target_problems(
        "unit,indicator,target,effective_from\nC1,online_dossier_rate,50\n"
    )
    assert (message, line) == ("expected 4 fields, found 3", 2)
    assert hint is not None
    assert "add the missing cells" in hint
    assert "effective_from empty" in hint
    assert "decimal comma" not in hint
    ((_, _, _, hint),) = target_problems("unit,indicator,target\nC1,online_dossier_rate\n")
    assert hint is not None
    assert "add the missing cells" in hint
    assert "effective_from" not in hint


def test_a_long_target_row_still_hints_at_the_decimal_comma() -> None:
    ((message, _, _, hint),) = target_problems("unit,indicator,target\nC1,online_dossier_rate,87,5\n")
    assert message == "expected 3 fields, found 4"
    assert hint is not None
    assert "decimal comma" in hint


def test_blank_header_cells_of_targets_are_named_by_position() -> None:
    found = target_problems("unit,indicator,target,,\nC1,online_dossier_rate,50,,\n")
    assert [(message, line) for message, line, _, _ in found] == [
        ("header cell 4 is blank", 1),
        ("header cell 5 is blank", 1),
    ]
    for _, _, _, hint in found:
        assert hint == "name every column or delete the empty one"


# -- JSON values named as JSON calls them ------------------------------------------------


def _cell_problem(value: str) -> Problem:
    """The one problem of a JSON file whose one row has ``value`` as its received_online cell."""
    text = f'[{{"unit": "{BINH_DUONG.root.id}", "period": "2024-01",\n "received_online": {value}}}]'
    with pytest.raises(DataError) as info:
        load_observations(io.StringIO(text), BINH_DUONG, format="json", name="data.json")
    (problem,) = info.value.problems
    return problem


@pytest.mark.parametrize(("value", "kind"), [('{"value": 10}', "an object"), ("[1, 2]", "a list")])
def test_a_json_cell_is_named_by_its_json_type(value: str, kind: str) -> None:
    problem = _cell_problem(value)
    assert (problem.line, problem.column) == (1, "received_online")
    assert problem.message == f"expected a number or text, got {kind}"
    assert "_Object" not in problem.message


def test_a_json_object_value_is_shown_as_json() -> None:
    problem = _cell_problem('{"value": 10.50}')
    assert problem.value == '{"value": 10.50}'  # not Python's {'value': Decimal('10.50')}


@pytest.mark.parametrize("value", ["true", "false"])
def test_a_json_boolean_is_shown_as_the_file_wrote_it(value: str) -> None:
    problem = _cell_problem(value)
    assert (problem.message, problem.value) == (f"expected a number, got {value}", value)  # not 'True'


# -- hierarchy problems name the column, every root its line ----------------------------


@pytest.mark.parametrize(
    ("rows", "line", "column", "fragment"),
    [
        ("P,Tỉnh P,province,\nC1,Xã C,commune,D9\n", 3, "parent", "'D9', which is not a unit"),
        ("P,Tỉnh P,province,\nW,Phường W,ward,P\n", 3, "level", "are not declared"),
        ("P,Tỉnh P,province,\nD,Huyện D,district,P\nE,Huyện E,district,D\n", 4, "level", "is not below"),
    ],
)
def test_a_tree_problem_names_the_column_to_correct(
    tmp_path: Path, rows: str, line: int, column: str, fragment: str
) -> None:
    # A parent not found, a level not declared, a level not below its parent's: column None before.
    error, _ = hierarchy_problems(write(tmp_path, "id,name,level,parent\n" + rows))
    (problem,) = error.problems
    assert (problem.line, problem.column) == (line, column)
    assert fragment in problem.message


def test_a_cycle_names_the_parent_column(tmp_path: Path) -> None:
    path = write(tmp_path, "id,name,level,parent\nP,Tỉnh P,province,\nA,Xã A,ward,B\nB,Xã B,ward,A\n")
    error, _ = hierarchy_problems(path)
    cycle = next(p for p in error.problems if "cycle" in p.message)
    assert (cycle.line, cycle.column) == (3, "parent")
    undeclared = next(p for p in error.problems if "not declared" in p.message)
    assert undeclared.column == "level"


def test_every_root_is_given_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "id,name,level,parent\nP,Tỉnh P,province,\nP2,Tỉnh P2,province,\n")
    error, _ = hierarchy_problems(path)
    (problem,) = error.problems
    assert (problem.line, problem.column) == (2, "parent")
    assert "P (line 2)" in problem.message
    assert "P2 (line 3)" in problem.message


def test_many_roots_name_ten_with_their_lines_and_count_the_rest(tmp_path: Path) -> None:
    rows = "".join(f"p{i:02d},Tỉnh {i},province,\n" for i in range(25))
    error, _ = hierarchy_problems(write(tmp_path, "id,name,level,parent\n" + rows))
    (problem,) = error.problems
    named = ", ".join(f"p{i:02d} (line {i + 2})" for i in range(10))
    assert problem.message == f"there are 25 roots: {named} and 15 more"
    assert len(error.ids) == 25


def test_records_without_a_file_name_no_column() -> None:
    # Not read from a file: no line, and no column of a file to correct.
    records = [
        {"id": "P", "name": "P", "level": "province", "parent": ""},
        {"id": "C", "name": "C", "level": "commune", "parent": "X"},
    ]
    with pytest.raises(HierarchyError) as info:
        Hierarchy.from_records(records, LEVELS)
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (None, None)


def test_every_error_of_a_bad_file_is_a_library_error(tmp_path: Path) -> None:
    with pytest.raises(DvcttRulesError):
        read_hierarchy_csv(write(tmp_path, GOOD.replace(",", ";")), LEVELS)
    with pytest.raises(DvcttRulesError):
        load_targets_csv("unit,indicator,target,\nC1,online_dossier_rate,50,\n")


# -- after review ----------------------------------------------------------------------------


def test_a_semicolon_in_a_column_name_of_a_comma_file_is_only_a_name(tmp_path: Path) -> None:
    # A comma-separated file that lacks 'parent' and has a column 'note;x' was said to use ';'.
    path = tmp_path / "h.csv"
    path.write_text("id,name,level,note;x\nP,Tỉnh P,province,a\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_hierarchy_csv(path, ("province",))
    messages = [p.message for p in info.value.problems]
    assert "the required column 'parent' is missing" in messages
    assert not any("';'" in (p.hint or "") for p in info.value.problems)


def test_a_json_list_cell_is_shown_as_json() -> None:
    problem = _cell_problem('[1.5, true, {"a": 2.0}]')
    assert problem.value == '[1.5, true, {"a": 2.0}]'  # not [Decimal('1.5'), True, {'a': Decimal('2.0')}]


def test_a_plans_own_measures_are_refused_at_their_path_every_one() -> None:
    plan_text = json.loads(dump_plan_json(BD_PLAN))
    plan_text["measures"] = [{"name": "A b", "label_vi": "x", "label_en": "y"}]
    with pytest.raises(PlanError) as info:
        load_plan_json(json.dumps(plan_text))
    assert "\n" not in str(info.value)  # it was a DataError's text, over several lines
    assert info.value.problems[0] == (
        "'A b' cannot name a measure (use lower case ASCII letters, digits and underscores, starting "
        "with a letter, and not 'unit', 'period' or 'note')",
        "$.measures[0]",
    )
    twice = [{"name": n, "label_vi": "x", "label_en": "y"} for n in ("received_online", "payments_total")]
    plan_text["measures"] = twice
    with pytest.raises(PlanError) as info:
        load_plan_json(json.dumps(plan_text))
    assert [m.split(";")[0] for m, _ in info.value.problems] == [
        "measure 'received_online' is declared twice",
        "measure 'payments_total' is declared twice",
    ]


def test_a_workbook_given_as_a_plans_bytes_is_named() -> None:
    with pytest.raises(PlanError, match=r"^the file is a zip archive .*; give the JSON file itself$"):
        load_plan_json(b"PK\x03\x04" + bytes(40))
