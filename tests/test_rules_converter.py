"""The plan wire form: primitives only, stable tags, exact round trips, and errors with paths."""

from __future__ import annotations

import copy
import datetime
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

from dvctt_rules import DataError, PlanError
from dvctt_rules.rules import (
    KH_4623,
    RULE_TAGS,
    AllOf,
    AnyOf,
    Citation,
    Indicator,
    Not,
    Plan,
    PlanRule,
    Rule,
    ScoringScheme,
    Target,
    TargetTable,
    Threshold,
    dump_plan_json,
    load_plan,
    load_plan_json,
    make_converter,
)
from dvctt_rules.testing import citations, indicators, plans, raw_rules, target_tables

CONV = make_converter()
RULE: Any = Rule  # a union, not a class: typed Any for Converter.structure
PRIMITIVES = (str, int, bool, type(None))


def assert_primitive(value: object, path: str = "$") -> None:
    """Only dicts with str keys, lists, str, int, bool and None (no tuples, floats or objects)."""
    if isinstance(value, dict):
        for key, item in value.items():
            assert isinstance(key, str), f"{path}: key {key!r}"
            assert_primitive(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            assert_primitive(item, f"{path}[{index}]")
    else:
        assert type(value) in PRIMITIVES, f"{path}: {type(value).__name__} {value!r}"


def through_json(data: object) -> Any:
    return json.loads(json.dumps(data))


PLAN = Plan(
    "kh-4623",
    "Kế hoạch 4623/KH-UBND",
    KH_4623,
    datetime.date(2023, 9, 7),
    ("province", "department", "district", "commune"),
    (
        PlanRule(
            "II.2",
            Threshold("online_dossier_rate"),
            levels=("department",),
            scored=True,
            weight=Fraction(1, 3),
        ),
        PlanRule("IV.1", Threshold("on_time_rate") & ~Threshold("late_dossiers"), scope="province"),
        PlanRule("III", Threshold("online_payment_rate", Fraction(1, 3)) | Threshold("result_sync_rate", 1)),
    ),
    TargetTable((Target("online_dossier_rate", Fraction(7, 8), unit="so-tu-phap"),)),
)


def plan_document() -> dict[str, Any]:
    data: dict[str, Any] = through_json(CONV.unstructure(PLAN, Plan))
    return data


class TestWireForm:
    def test_plan_wire_form(self) -> None:
        data = plan_document()
        assert data["issued"] == "2023-09-07"
        assert data["citation"]["date"] == "2023-09-07"
        assert data["rules"][0]["weight"] == "1/3"
        assert data["rules"][0]["rule"] == {"type": "threshold", "indicator": "online_dossier_rate"}
        assert data["rules"][1]["rule"] == {
            "type": "all_of",
            "rules": [
                {"type": "threshold", "indicator": "on_time_rate"},
                {"type": "not", "rule": {"type": "threshold", "indicator": "late_dossiers"}},
            ],
        }
        assert data["rules"][2]["rule"]["type"] == "any_of"
        assert [r["target"] for r in data["rules"][2]["rule"]["rules"]] == ["100/3", "100"]
        assert data["targets"] == [
            {"indicator": "online_dossier_rate", "value": "87.5", "unit": "so-tu-phap"}
        ]
        assert "scoring" not in data  # defaults are omitted

    def test_stable_tags(self) -> None:
        assert dict(RULE_TAGS) == {Threshold: "threshold", AllOf: "all_of", AnyOf: "any_of", Not: "not"}
        rule = AnyOf((AllOf((Threshold("on_time_rate"),)), Not(Threshold("on_time_rate"))))
        data = CONV.unstructure(rule, Rule)
        assert data["type"] == "any_of"
        assert [child["type"] for child in data["rules"]] == ["all_of", "not"]
        assert CONV.unstructure(Threshold("on_time_rate"))["type"] == "threshold"  # also without the union

    @pytest.mark.parametrize(
        ("value", "text"),
        [(Fraction(9, 10), "90"), (Fraction(7, 8), "87.5"), (Fraction(1, 3), "100/3"), (Fraction(0), "0"),
         (Fraction(1, 1000), "0.1"), (Fraction(1), "100")],
    )  # fmt: skip
    def test_percent_strings(self, value: Fraction, text: str) -> None:
        assert CONV.unstructure(Target("on_time_rate", value))["value"] == text
        assert CONV.structure({"indicator": "on_time_rate", "value": text}, Target).value == value

    @pytest.mark.parametrize("written", ["87.5", "87,5", " 87.5 ", "87.5%", 87.5, "175/2"])
    def test_percent_spellings_accepted(self, written: object) -> None:
        assert CONV.structure({"indicator": "on_time_rate", "value": written}, Target).value == Fraction(7, 8)

    def test_numbers_in_json_are_accepted(self) -> None:
        assert CONV.structure({"indicator": "on_time_rate", "value": 70}, Target).value == Fraction(7, 10)
        assert CONV.structure({"id": "a", "rule": {"type": "threshold", "indicator": "on_time_rate"},
                               "weight": 2}, PlanRule).weight == 2  # fmt: skip


class TestRoundTrip:
    def test_plan(self) -> None:
        data = plan_document()
        assert_primitive(data)
        assert CONV.structure(data, Plan) == PLAN
        assert load_plan_json(dump_plan_json(PLAN)) == PLAN

    @given(plans())
    def test_plans(self, plan: Plan) -> None:
        data = CONV.unstructure(plan, Plan)
        assert_primitive(data)
        assert CONV.structure(through_json(data), Plan) == plan
        assert load_plan_json(dump_plan_json(plan)) == plan

    @given(raw_rules())
    def test_rules(self, rule: Rule) -> None:
        data = CONV.unstructure(rule, Rule)
        assert_primitive(data)
        assert CONV.structure(through_json(data), RULE) == rule

    @given(citations())
    def test_citations(self, citation: Citation) -> None:
        data = CONV.unstructure(citation)
        assert_primitive(data)
        assert CONV.structure(through_json(data), Citation) == citation

    @given(indicators())
    def test_indicators(self, indicator: Indicator) -> None:
        data = CONV.unstructure(indicator)
        assert_primitive(data)
        assert CONV.structure(through_json(data), Indicator) == indicator

    @given(target_tables())
    def test_target_tables(self, table: TargetTable) -> None:
        data = CONV.unstructure(table)
        assert isinstance(data, list)
        assert_primitive(data)
        assert CONV.structure(through_json(data), TargetTable) == table

    def test_scoring_scheme(self) -> None:
        scheme = ScoringScheme(top_quota=Fraction(1, 5))
        assert CONV.unstructure(scheme) == {"top_quota": "20"}
        assert CONV.structure({"top_quota": "20"}, ScoringScheme) == scheme

    def test_load_plan_from_a_file(self, tmp_path: Path) -> None:
        path = tmp_path / "plan.json"
        path.write_text(dump_plan_json(PLAN), encoding="utf-8")
        assert load_plan(path) == PLAN
        assert "Kế hoạch" in path.read_text(encoding="utf-8")  # not \u-escaped

    def test_a_plan_file_that_cannot_be_read_is_a_data_error_naming_it(self, tmp_path: Path) -> None:
        with pytest.raises(DataError, match="cannot read the file") as info:
            load_plan(tmp_path / "missing.json")
        assert info.value.problems[0].source == str(tmp_path / "missing.json")
        legacy = tmp_path / "legacy.json"
        legacy.write_bytes('{"id": "Phú Giáo"}'.encode("cp1258"))
        with pytest.raises(DataError, match="not UTF-8") as info:
            load_plan(legacy)
        assert info.value.problems[0].source == str(legacy)
        assert "spreadsheet" not in (info.value.problems[0].hint or "")  # a CSV's advice, not a JSON's


def broken(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(plan_document())
    change(data)
    return data


BAD_DOCUMENTS = [
    (lambda d: d["rules"][1]["rule"]["rules"][0].update(target="150"), "$.rules[1].rule.rules[0].target",
     "between 0 and 100"),
    (lambda d: d["rules"][1]["rule"]["rules"][0].update(target="abc"), "$.rules[1].rule.rules[0].target",
     "expected a number"),
    (lambda d: d["rules"][1]["rule"]["rules"][0].update(indicator="on_tme_rate"),
     "$.rules[1].rule.rules[0].indicator", "did you mean 'on_time_rate'"),
    (lambda d: d["rules"][1]["rule"]["rules"][0].update(extra=1), "$.rules[1].rule.rules[0]",
     "unknown key 'extra'"),
    (lambda d: d["rules"][1]["rule"]["rules"][1].update(type="nott"), "$.rules[1].rule.rules[1].type",
     "did you mean 'not'"),
    (lambda d: d["rules"][1]["rule"]["rules"][1].pop("type"), "$.rules[1].rule.rules[1]", "needs a 'type'"),
    (lambda d: d["rules"][1]["rule"].update(rules=[]), "$.rules[1].rule.rules", "at least one rule"),
    (lambda d: d["rules"][2].update(id="II.2"), "$.rules[2].id", "used twice"),
    (lambda d: d["rules"][2].pop("id"), "$.rules[2].id", "^the required key 'id' is missing"),
    (lambda d: d["rules"][2].update(scored="yes"), "$.rules[2].scored", "expected true or false"),
    (lambda d: d["rules"][2].update(scope="country"), "$.rules[2].scope",
     "expected one of 'unit', 'province'"),
    (lambda d: d["rules"][2].update(levels="department"), "$.rules[2].levels", "expected a list"),
    (lambda d: d["rules"][2].update(levels=["dept"]), "$.rules[2].levels[0]", "unknown level 'dept'"),
    (lambda d: d["rules"][2].update(weight="0"), "$.rules[2].weight", "positive"),
    (lambda d: d["rules"][1].update(levels=["district"]), "$.rules[1].scope", "province"),
    (lambda d: d["rules"][0].update(rule="online_dossier_rate"), "$.rules[0].rule",
     "expected a rule object"),
    (lambda d: d["targets"].append(d["targets"][0]), "$.targets[1]", "duplicate target"),
    (lambda d: d["targets"][0].update(effective_from="2024-13-01"), "$.targets[0].effective_from",
     "ISO date"),
    (lambda d: d["targets"][0].update(level="district"), "$.targets[0].level", "not both"),
    (lambda d: d.update(issued="07/09/2023"), "$.issued", "ISO date"),
    (lambda d: d["citation"].update(kind=""), "$.citation.kind", "non-blank"),
    (lambda d: d["citation"].update(number=17), "$.citation.number", "expected text"),
    (lambda d: d.update(indicators=[{"id": "x", "name_vi": "x", "name_en": "x", "numerator": ["a"],
                                     "denominator": ["b"], "kind": "count"}]), "$.indicators[0].kind",
     "expected one of 'ratio', 'zero_count'"),
    (lambda d: d.update(rules={}), "$.rules", "expected a list"),
    (lambda d: d.update(foo=1), "$", "unknown key 'foo'"),
    (lambda d: d.update(scoring={"bands": [{"min_score": "50", "label_vi": "a", "label_en": "b",
                                            "key": "k"}]}),
     "$.scoring.bands[0].min_score", "must start at 0"),
    (lambda d: d.pop("targets"), "$.targets", "^the required key 'targets' is missing"),
]  # fmt: skip


class TestBadDocuments:
    @pytest.mark.parametrize(("change", "path", "message"), BAD_DOCUMENTS)
    def test_errors_point_at_the_path(self, change: Any, path: str, message: str) -> None:
        with pytest.raises(PlanError, match=message) as info:
            load_plan_json(json.dumps(broken(change)))
        assert info.value.path == path
        assert str(info.value).endswith(f" @ {path}")

    def test_every_problem_is_listed(self) -> None:
        # Only the first was shown, with a count of the others ("(and 1 more problem)").
        def change(d: dict[str, Any]) -> None:
            d.update(issued="x", name=3)

        with pytest.raises(PlanError) as info:
            load_plan_json(json.dumps(broken(change)))
        assert [path for _, path in info.value.problems] == ["$.name", "$.issued"]
        assert info.value.path == "$.name"
        message, _ = info.value.problems[1]
        assert str(info.value).startswith("expected text, got a number @ $.name — 2 problems in all; also ")
        assert str(info.value).endswith(f"(2) {message} @ $.issued")

    def test_a_misspelt_key_comes_before_the_key_it_leaves_missing(self) -> None:
        def change(d: dict[str, Any]) -> None:
            d["rule"] = d.pop("rules")

        with pytest.raises(PlanError) as info:
            load_plan_json(json.dumps(broken(change)))
        assert [path for _, path in info.value.problems] == ["$", "$.rules"]
        assert str(info.value).startswith("unknown key 'rule' (did you mean 'rules'?)")
        assert str(info.value).endswith("(2) the required key 'rules' is missing @ $.rules")

    def test_a_key_too_far_from_the_one_meant_is_pointed_at_the_missing_one(self) -> None:
        # "min" is too short to be matched with "min_score" by spelling: the key missing from the same
        # object is the one meant.
        def change(d: dict[str, Any]) -> None:
            band = {"min": "0", "label_vi": "a", "label_en": "a", "key": "a"}
            d["scoring"] = {"name": "s", "bands": [band]}

        with pytest.raises(PlanError) as info:
            load_plan_json(json.dumps(broken(change)))
        assert info.value.problems == (
            (
                "unknown key 'min' (did you mean 'min_score'?); expected only: min_score, label_vi, "
                "label_en, key",
                "$.scoring.bands[0]",
            ),
            ("the required key 'min_score' is missing", "$.scoring.bands[0].min_score"),
        )

    def test_many_problems_name_ten_and_count_the_rest(self) -> None:
        def change(d: dict[str, Any]) -> None:
            d["targets"] = [{**target, "value": "abc"} for target in d["targets"] for _ in range(15)]

        with pytest.raises(PlanError) as info:
            load_plan_json(json.dumps(broken(change)))
        count = len(info.value.problems)
        assert count > 12
        assert str(info.value).count(" @ $.targets[") == 11  # the first, then ten of the others
        assert str(info.value).endswith(f" and {count - 11} more")

    @pytest.mark.parametrize(
        ("change", "path"),
        [
            (lambda d: d["targets"][0].update(value=None), "$.targets[0].value"),
            (
                lambda d: d.update(
                    scoring={
                        "name": "s",
                        "bands": [{"min_score": None, "label_vi": "a", "label_en": "a", "key": "a"}],
                    }
                ),
                "$.scoring.bands[0].min_score",
            ),
        ],
    )
    def test_a_required_percentage_left_null_is_named_as_json(self, change: Any, path: str) -> None:
        # It was "expected an exact number (fractions.Fraction or int), got NoneType None; write
        # Fraction(9, 10) for 90 %" at the target itself: Python's words, a field short.
        with pytest.raises(PlanError) as info:
            load_plan_json(json.dumps(broken(change)))
        assert str(info.value) == f'expected a percentage such as "70" or "87.5", got null @ {path}'

    def test_a_rule_target_left_null_is_still_the_tables(self) -> None:
        data = broken(lambda d: d["rules"][1]["rule"]["rules"][0].update(target=None))
        combined = load_plan_json(json.dumps(data)).rules[1].rule
        assert isinstance(combined, AllOf | AnyOf)
        threshold = combined.rules[0]
        assert isinstance(threshold, Threshold)
        assert threshold.target is None

    def test_bytes_not_utf8_are_a_plan_error(self) -> None:
        # A raw UnicodeDecodeError came out of json.loads, outside the library's exceptions.
        text = json.dumps(plan_document(), ensure_ascii=False).replace('"name"', '\n"name"', 1)
        with pytest.raises(
            PlanError,
            match=r"^line 2: the file is not UTF-8 \(byte 0xea\); it seems to be Windows-1258.*"
            r"; save it as UTF-8 and load it again$",
        ):
            load_plan_json(text.encode("utf-8").replace(b'\n"name"', b'\n"K\xea"', 1))
        with pytest.raises(PlanError, match=r"^line 2: the file is not UTF-8 \(byte 0xea\)"):  # after a BOM
            load_plan_json(b"\xef\xbb\xbf" + text.encode("utf-8").replace(b'\n"name"', b'\n"K\xea"', 1))
        assert load_plan_json(json.dumps(plan_document()).encode("utf-8-sig")) == load_plan_json(
            json.dumps(plan_document())
        )

    def test_a_file_name_given_as_the_text_points_to_load_plan(self) -> None:
        with pytest.raises(PlanError, match=r"'plan\.json' looks like a file's name.*call load_plan\(path\)"):
            load_plan_json(" plan.json")

    def test_an_unknown_key_names_the_keys_a_document_may_hold(self) -> None:
        # Not the fields a plan computes itself (its index of rules), and the closest key if any.
        with pytest.raises(PlanError) as info:
            load_plan_json(json.dumps(broken(lambda d: d.update(isued="2023-09-07"))))
        assert str(info.value) == (
            "unknown key 'isued' (did you mean 'issued'?); expected only: id, name, citation, issued, "
            "levels, rules, targets, indicators, scoring, measures, relations @ $"
        )

    def test_source_is_named(self, tmp_path: Path) -> None:
        path = tmp_path / "plan.json"
        path.write_text(json.dumps(broken(lambda d: d.update(foo=1))), encoding="utf-8")
        with pytest.raises(PlanError, match=f"^{path}: unknown key"):
            load_plan(path)

    def test_not_json(self) -> None:
        with pytest.raises(PlanError, match=r"plan.json: not valid JSON: .*line 1, column 2"):
            load_plan_json("{x", source="plan.json")
        # A targets CSV given as --plan, say: what a plan file is, and where to get one.
        with pytest.raises(
            PlanError, match=r"column 1\); a plan file is a JSON document: `dvctt-rules plan --dump`"
        ):
            load_plan_json("unit,indicator,target\n", source="targets.csv")

    def test_not_an_object(self) -> None:
        with pytest.raises(PlanError, match="a plan is a JSON object, got a list") as info:
            load_plan_json("[]")
        assert info.value.path == "$"

    def test_evaluators_are_names_never_code(self) -> None:
        data = plan_document()
        data["indicators"] = [{"id": "x_rate", "name_vi": "x", "name_en": "x", "numerator": ["a"],
                               "denominator": ["b"], "evaluator": "os:system"}]  # fmt: skip
        plan = load_plan_json(json.dumps(data))
        assert plan.indicator("x_rate").evaluator == "os:system"  # kept as an inert string


def nested_plan(depth: int, kind: str) -> str:
    """A plan document whose one rule nests ``depth`` combinators (built as text: json.dumps itself
    cannot write a document this deep)."""
    leaf = '{"type": "threshold", "indicator": "on_time_rate"}'
    if kind == "not":
        tree = '{"type": "not", "rule": ' * depth + leaf + "}" * depth
    else:
        tree = '{"type": "all_of", "rules": [' * depth + leaf + "]}" * depth
    return (
        '{"id": "p", "name": "P", "citation": null, "issued": null, "levels": [], "targets": [],'
        f' "rules": [{{"id": "r", "rule": {tree}}}]}}'
    )


@pytest.mark.parametrize("kind", ["not", "all_of"])
@pytest.mark.parametrize("depth", [60, 200, 1000, 20_000])
def test_a_plan_nested_too_deeply_is_a_plan_error(kind: str, depth: int) -> None:
    # Regression: ~200 levels gave 'PlanError: unknown error (maximum recursion depth exceeded)',
    # ~1000 escaped from json.loads as a RecursionError.
    with pytest.raises(PlanError, match=r"^deep\.json: the plan nests too deeply") as info:
        load_plan_json(nested_plan(depth, kind), source="deep.json")
    assert "write" in str(info.value)  # says what to do
    if depth < 500:  # parsed, then refused before structuring: the error names the rule
        assert info.value.path == "$.rules[0].rule"


def test_a_plan_nested_within_the_limit_loads_and_round_trips() -> None:
    plan = load_plan_json(nested_plan(40, "not"))
    assert load_plan_json(dump_plan_json(plan)) == plan
    assert plan.rules[0].rule.indicators() == ("on_time_rate",)
