"""Regressions from a sweep of the public API's argument types: an argument of the wrong type is
refused at the call with a ``TypeError`` naming the parameter, instead of an ``AttributeError`` from
deep inside or a silently wrong answer."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from dvctt_rules import Hierarchy, Unit
from dvctt_rules.aggregate import check_report, plan_indicators, rollup
from dvctt_rules.datasets import load_dataset
from dvctt_rules.hierarchy import hierarchy_to_csv, read_hierarchy_csv, strip_prefixes, validate_tree
from dvctt_rules.observations import (
    DEFAULT_CATALOG,
    Measure,
    MeasureCatalog,
    Observation,
    Observations,
    PartOf,
    Period,
    load_observations,
    observations_from_records,
    observations_to_csv,
    observations_to_json,
    observations_to_records,
)
from dvctt_rules.plugins import AGGREGATORS, EVALUATORS
from dvctt_rules.ranking import iter_rank_periods, rank, rank_periods
from dvctt_rules.rules import (
    Indicator,
    PlanRule,
    Target,
    TargetTable,
    Threshold,
    accountability,
    combine,
    compare,
    configure_converter,
    dump_plan_json,
    evaluate,
    format_date_vi,
    gap_count,
    load_plan,
    load_plan_json,
    load_targets_csv,
    lookup_indicator,
    measure_units,
    period_label,
    thresholds,
)

DS = load_dataset("binh-duong-2023")
H = DS.hierarchy
OBS = DS.baseline
assert DS.plan is not None
PLAN = DS.plan
UNIT = H["25774"]
EXAMPLE = Path(__file__).parent.parent / "examples" / "observations-2024.csv"

Call = Callable[[Any], object]
WRONG: dict[str, object] = {
    "None": None,
    "int": 5,
    "float": 0.5,
    "Path": Path("binh-duong-2023"),
    "bytes": b"74",
    "Unit": UNIT,
    "dict": {"a": 1},
}


def _refused(call: Call, value: object, parameter: str) -> TypeError:
    """``call(value)`` raises a ``TypeError`` whose message starts with ``parameter``."""
    with pytest.raises(TypeError, match=rf"^{re.escape(parameter)} must") as info:
        call(value)
    return info.value


# -- names and ids: refused where the lookup fails, with the parameter named --------------------

NAME_CALLS: list[tuple[str, Call, str]] = [
    ("Hierarchy.lookup", H.lookup, "query"),
    ("Hierarchy.find", H.find, "query"),
    ("Hierarchy[]", lambda v: H[v], "unit_id"),
    ("Hierarchy.parent", H.parent, "unit"),
    ("Hierarchy.path", H.path, "unit"),
    ("Hierarchy.label", H.label, "unit"),
    ("Hierarchy.units", H.units, "level"),
    ("Hierarchy.level_rank", H.level_rank, "level"),
    ("load_dataset", load_dataset, "name"),
    ("Observations.for_unit", OBS.for_unit, "unit"),
    ("Observations.totals", OBS.totals, "unit"),
    ("MeasureCatalog.get", DEFAULT_CATALOG.get, "name"),
    ("Plan.rule", PLAN.rule, "rule_id"),
    ("Plan.indicator", PLAN.indicator, "indicator_id"),
    ("lookup_indicator", lookup_indicator, "indicator_id"),
    ("Registry.get", AGGREGATORS.get, "name"),
    ("strip_prefixes", lambda v: strip_prefixes(v, ("UBND",)), "name"),
]


@pytest.mark.parametrize(("what", "call", "parameter"), NAME_CALLS, ids=[n for n, _, _ in NAME_CALLS])
@pytest.mark.parametrize("kind", ["None", "int", "float", "Path"])
def test_a_name_or_id_of_another_type_is_refused(what: str, call: Call, parameter: str, kind: str) -> None:
    # Before: AttributeError: 'NoneType' object has no attribute 'split' (from the suggestions).
    if what == "Hierarchy.units" and kind == "None":
        assert call(None) == tuple(H)  # every unit: None is this parameter's default
        return
    error = _refused(call, WRONG[kind], parameter)
    assert "(text)" in str(error)


def test_hierarchy_lookup_says_to_pass_a_units_id_or_an_int_as_text() -> None:
    assert "pass its id, '25774'" in str(_refused(H.lookup, UNIT, "query"))
    assert "pass '25774'" in str(_refused(H.lookup, 25774, "query"))
    assert "decode it" in str(_refused(H.lookup, b"74", "query"))
    _refused(H.lookup, ["74"], "query")  # unhashable: was "unhashable type: 'list'"


def test_hierarchy_lookup_by_id_and_name_is_unchanged() -> None:
    assert H.lookup("25774") is UNIT
    assert H.lookup("phuong chanh my") is UNIT
    assert H.find("25774") == (UNIT,)
    assert H.parent(UNIT) == H.parent("25774")


def test_load_dataset_refuses_a_path_and_points_at_the_file_loaders() -> None:
    error = _refused(load_dataset, Path("binh-duong-2023"), "name")
    assert "'binh-duong-2023'" in str(error)
    assert "read_hierarchy_csv" in str(error)
    _refused(load_dataset, None, "name")


def test_rollup_rank_evaluate_name_their_own_text_parameters() -> None:
    with pytest.raises(TypeError, match="level"):
        rollup(PLAN, H, OBS, level=None)  # type: ignore[arg-type]  # was: every unit rolled up, silently
    with pytest.raises(TypeError, match="strategy"):
        rollup(PLAN, H, OBS, level="district", strategy=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="member_levels"):
        rollup(PLAN, H, OBS, level="district", member_levels=[5])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="within"):
        rank(PLAN, H, OBS, level="commune", within=5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="scheme"):
        rank(PLAN, H, OBS, level="district", scheme=5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="aggregator"):
        evaluate(PLAN, H, OBS, aggregator=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="evaluators"):
        evaluate(PLAN, H, OBS, evaluators={})  # type: ignore[arg-type]


# -- the objects every judging call takes -------------------------------------------------------

ENTRY_POINTS: list[tuple[str, Callable[[object, object, object], object]]] = [
    ("evaluate", lambda p, h, o: evaluate(p, h, o)),  # type: ignore[arg-type]
    ("measure_units", lambda p, h, o: measure_units(p, h, o, "online_dossier_rate")),  # type: ignore[arg-type]
    ("rollup", lambda p, h, o: rollup(p, h, o, level="district")),  # type: ignore[arg-type]
    ("rank", lambda p, h, o: rank(p, h, o, level="district")),  # type: ignore[arg-type]
    ("rank_periods", lambda p, h, o: rank_periods(p, h, o, level="district")),  # type: ignore[arg-type]
    ("iter_rank_periods", lambda p, h, o: list(iter_rank_periods(p, h, o, level="district"))),  # type: ignore[arg-type]
]


@pytest.mark.parametrize(("name", "call"), ENTRY_POINTS, ids=[n for n, _ in ENTRY_POINTS])
@pytest.mark.parametrize("kind", ["None", "Path", "dict"])
def test_judging_calls_refuse_a_plan_hierarchy_or_observations_of_another_type(
    name: str, call: Callable[[object, object, object], object], kind: str
) -> None:
    # Before: AttributeError: '…' object has no attribute 'rules' / 'levels' / 'hierarchy' / 'periods'.
    wrong = WRONG[kind]
    with pytest.raises(TypeError, match=r"^plan must be a Plan.*load_plan"):
        call(wrong, H, OBS)
    with pytest.raises(TypeError, match=r"^hierarchy must be a Hierarchy.*read_hierarchy_csv"):
        call(PLAN, wrong, OBS)
    with pytest.raises(TypeError, match=r"(observations|source) must be Observations.*load_observations"):
        call(PLAN, H, wrong)


def test_other_calls_refuse_objects_of_another_type() -> None:
    _refused(lambda v: rollup(PLAN, H, OBS, level="district", report=v), "not a report", "report")
    _refused(lambda v: rank(PLAN, H, OBS, level="district", previous=v), 5, "previous")
    _refused(lambda v: check_report(v, PLAN, None), None, "report")
    _refused(plan_indicators, None, "plan")
    _refused(lambda v: period_label(v, None), None, "observations")
    _refused(lambda v: accountability(v, H), "I.1", "rule")
    _refused(lambda v: accountability(PLAN.rule("I.1"), v), None, "hierarchy")
    _refused(dump_plan_json, Path("plan.json"), "plan")
    _refused(configure_converter, None, "conv")
    _refused(hierarchy_to_csv, [UNIT], "hierarchy")
    _refused(observations_to_csv, None, "observations")
    _refused(observations_to_json, H, "observations")
    _refused(observations_to_records, [], "observations")
    _refused(lambda v: observations_to_csv(OBS, v), 5, "hierarchy")


def test_period_label_reads_a_period_text_and_refuses_other_types() -> None:
    assert period_label(OBS, "2024-Q1") == "2024-Q1"  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="period"):
        period_label(OBS, 5)  # type: ignore[arg-type]  # was '5', silently


# -- files and records ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["None", "int", "dict", "Unit"])
def test_loaders_refuse_a_source_that_is_not_a_file(kind: str) -> None:
    # Before: AttributeError: '…' object has no attribute 'read'.
    wrong = WRONG[kind]
    assert "path" in str(_refused(read_hierarchy_csv, wrong, "source"))
    _refused(lambda v: load_observations(v, H), wrong, "source")
    _refused(load_plan, wrong, "path")
    _refused(load_targets_csv, wrong, "path_or_text")


def test_load_plan_json_points_a_path_at_load_plan() -> None:
    assert "load_plan(path)" in str(_refused(load_plan_json, Path("plan.json"), "text"))


@pytest.mark.parametrize("kind", ["None", "dict", "Path"])
def test_loaders_refuse_a_hierarchy_or_catalog_of_another_type(kind: str) -> None:
    # Before: AttributeError: '…' object has no attribute 'find' / 'names' (or a silent empty load).
    wrong = WRONG[kind]
    _refused(lambda v: load_observations(EXAMPLE, v), wrong, "hierarchy")
    _refused(lambda v: load_observations(EXAMPLE, H, catalog=v), wrong, "catalog")
    _refused(lambda v: observations_from_records([], v), wrong, "hierarchy")
    _refused(lambda v: observations_from_records([], H, catalog=v), wrong, "catalog")
    _refused(lambda v: Observations((), catalog=v), wrong, "catalog")
    if wrong is not None:
        _refused(lambda v: Observations((), hierarchy=v), wrong, "hierarchy")


def test_observations_from_records_refuses_one_record_or_a_path() -> None:
    assert "[record]" in str(_refused(lambda v: observations_from_records(v, H), {"unit": "74"}, "records"))
    assert "load_observations" in str(_refused(lambda v: observations_from_records(v, H), EXAMPLE, "records"))


def test_hierarchy_from_records_refuses_what_is_not_records() -> None:
    # Before: AttributeError: 'str' object has no attribute 'get'.
    _refused(Hierarchy.from_records, "id,name", "records")
    _refused(Hierarchy.from_records, {"id": "74"}, "records")
    _refused(Hierarchy.from_records, [H.to_records()[0], "74"], "records[1]")
    assert Hierarchy.from_records(H.to_records()) == H


def test_hierarchy_refuses_units_and_parents_of_another_type() -> None:
    # Before: AttributeError: 'str' object has no attribute 'id' / 'NoneType' … 'keys'.
    error = _refused(lambda v: Hierarchy(v, {}), [UNIT, "74"], "units")
    assert "position 1" in str(error)
    _refused(lambda v: Hierarchy([UNIT], v), None, "parents")
    _refused(lambda v: validate_tree(v, {}, ("commune",)), "74", "units")


# -- values ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["id", "level"])
@pytest.mark.parametrize("kind", ["None", "int", "bytes", "Unit"])
def test_unit_fields_of_another_type_are_refused(field: str, kind: str) -> None:
    # Before: AttributeError: '…' object has no attribute 'strip', or bytes kept as an id.
    fields: dict[str, Any] = {"id": "x", "name": "Xã X", "level": "commune"}
    _refused(lambda v: Unit(**{**fields, field: v}), WRONG[kind], f"Unit.{field}")


def test_unit_name_and_code_of_another_type_are_refused() -> None:
    _refused(lambda v: Unit("x", v, "commune"), None, "Unit.name")
    # Before: kept as it came (a GSO code read as a number loses its leading zeros).
    assert "pass '25774'" in str(_refused(lambda v: Unit("x", "Xã X", "commune", code=v), 25774, "Unit.code"))
    assert Unit("x", "Xã X", "commune", code="00001").code == "00001"


def test_period_contains_and_overlaps_accept_period_text() -> None:
    # Before: AttributeError: 'str' object has no attribute '_first'.
    year = Period.parse("2024")
    assert year.contains("2024-03")
    assert year.contains(Period.parse("2024-Q2"))
    assert not year.contains("2025-01")
    assert year.overlaps("2024-Q4")
    assert not year.overlaps("2023")
    assert Period.parse("2024-03").contains(" 2024-3 ")


@pytest.mark.parametrize("kind", ["None", "int", "Unit"])
def test_period_contains_and_overlaps_refuse_other_types(kind: str) -> None:
    year = Period.parse("2024")
    _refused(year.contains, WRONG[kind], "other")
    _refused(year.overlaps, WRONG[kind], "other")


def test_observations_get_reads_a_period_text() -> None:
    # Before: any other type silently found nothing.
    found = OBS.get("25774", Period.parse("2023"))
    assert found is not None
    assert OBS.get("25774", "2023") == found
    _refused(lambda v: OBS.get("25774", v), 2023, "period")


def test_observations_without_a_hierarchy_refuse_a_unit_of_another_type() -> None:
    bare = Observations(list(OBS)[:2])
    assert bare.for_unit("nobody") == ()
    _refused(bare.for_unit, None, "unit")
    _refused(bare.totals, 5, "unit")


def test_measure_catalogs_and_relations_refuse_items_of_another_type() -> None:
    # Before: AttributeError: 'str' object has no attribute 'name' / 'names'; a PartOf of anything.
    measure = Measure("my_count", "Số", "count")
    assert "position 0" in str(_refused(MeasureCatalog, ["my_count"], "measures"))
    assert "[measure]" in str(_refused(DEFAULT_CATALOG.extend, measure, "measures"))
    _refused(lambda v: DEFAULT_CATALOG.extend(relations=v), ["a <= b"], "relations")
    _refused(lambda v: PartOf(v, "payments_total"), None, "PartOf.part")
    _refused(lambda v: PartOf("payments_online", v), [5], "PartOf.whole")
    assert DEFAULT_CATALOG.extend([measure]).get("my_count") is measure


def test_targets_refuse_items_of_another_type() -> None:
    # Before: AttributeError: 'str' object has no attribute 'indicator'.
    _refused(PLAN.targets.merged, ["online_dossier_rate"], "other")
    _refused(TargetTable, [Target("online_dossier_rate", Fraction(1, 2)), "x"], "targets")
    added = Target("online_dossier_rate", Fraction(1, 2), unit="25774")
    assert added in PLAN.targets.merged([added]).targets


def test_rule_trees_of_another_type_are_refused() -> None:
    # Before: AttributeError: '…' object has no attribute 'rules'.
    _refused(lambda v: list(thresholds(v)), "online_dossier_rate", "rule")
    _refused(lambda v: combine(v, lambda t: "met"), None, "rule")
    assert list(thresholds(Threshold("on_time_rate"))) == [Threshold("on_time_rate")]


def test_str_tuple_fields_name_themselves() -> None:
    # Before: "the value must be a collection of texts".
    rule = Threshold("online_dossier_rate")
    with pytest.raises(TypeError, match=r"^PlanRule\.levels must be a collection of texts.*\['commune'\]"):
        PlanRule("x", rule, levels="commune")
    with pytest.raises(TypeError, match=r"^PlanRule\.units must be a collection of texts, got bytes"):
        PlanRule("x", rule, units=b"74")  # type: ignore[arg-type]  # was (55, 52), silently
    with pytest.raises(TypeError, match=r"^Indicator\.numerator"):
        Indicator("x", "a", "b", "received_online")
    assert PlanRule("x", rule, levels=["commune"]).levels == ("commune",)


@pytest.mark.parametrize("value", [None, 0.5, "1/2"])
def test_compare_refuses_an_inexact_value(value: object) -> None:
    # Before: AttributeError: '…' object has no attribute 'numerator'.
    _refused(lambda v: compare(v, Fraction(1, 2), "at_least"), value, "value")
    _refused(lambda v: compare(Fraction(1, 2), v, "at_least"), value, "target")


def test_gap_count_refuses_inexact_counts_and_targets() -> None:
    # Before: gap_count(4.5, 10, …) gave 0.5, silently; a float target an AttributeError.
    _refused(lambda v: gap_count(v, 10, Fraction(1, 2), "at_least"), 4.5, "numerator")
    _refused(lambda v: gap_count(4, v, Fraction(1, 2), "at_least"), 10.0, "denominator")
    _refused(lambda v: gap_count(4, 10, v, "at_least"), 0.5, "target")
    assert gap_count(4, 10, Fraction(1, 2), "at_least") == 1
    assert gap_count(None, 10, Fraction(1, 2), "at_least") is None


def test_format_date_vi_refuses_what_is_not_a_date() -> None:
    # Before: AttributeError: 'str' object has no attribute 'month'.
    _refused(format_date_vi, "2023-09-07", "day")
    assert format_date_vi(datetime.date(2023, 9, 7)) == "07/9/2023"


def test_registry_get_of_a_plugin_is_unchanged() -> None:
    assert EVALUATORS.get("ratio_of_sums").name == "ratio_of_sums"


# Silently empty or wrong answers for a unit given as a Unit, a status misspelt, a rank as a fraction.
REPORT = evaluate(PLAN, H, OBS)
RANKING = rank(PLAN, H, OBS, level="commune", rules=["PL-II.1", "PL-II.2"])


def test_report_ranking_and_dataset_take_a_unit_as_well_as_its_id() -> None:
    """They found nothing for a Unit (compared with ids): an empty tuple, ``None``."""
    assert REPORT.for_unit(UNIT) == REPORT.for_unit("25774") != ()
    found = RANKING.row(UNIT)
    assert found is not None
    assert found == RANKING.row("25774")
    assert DS.figures_for(UNIT) == DS.figures_for("25774") is not None
    for call in (REPORT.for_unit, RANKING.row, DS.figures_for):
        _refused(call, None, "unit_id")
        _refused(call, 25774, "unit_id")


def test_report_with_an_unknown_status_is_refused_with_a_suggestion() -> None:
    from dvctt_rules import UnknownNameError

    with pytest.raises(UnknownNameError, match="did you mean 'not_met'"):  # was (): nothing matched
        REPORT.with_status("not met")  # type: ignore[arg-type]
    _refused(REPORT.with_status, None, "status")
    assert {o.status for o in REPORT.with_status("met")} == {"met"}


def test_ranking_top_takes_a_whole_rank() -> None:
    _refused(RANKING.top, 0.5, "n")  # was (): no rank is 0.5 or better
    _refused(RANKING.top, "3", "n")  # was a TypeError comparing int with str
    assert [r.rank for r in RANKING.top(1)] == [1]


def test_plan_rules_and_target_resolution_refuse_a_unit_object() -> None:
    """``resolve(unit_id=<Unit>)`` found no target of the unit's own and fell back to its level's,
    silently: the wrong target."""
    targets = PLAN.targets
    own = targets.resolve("online_dossier_rate", "25774", "commune")
    assert own is not None
    assert own.unit == "25774"
    _refused(lambda v: targets.resolve("online_dossier_rate", v, "commune"), UNIT, "unit_id")
    _refused(lambda v: targets.resolve("online_dossier_rate", "25774", v), 3, "level")
    _refused(lambda v: targets.resolve(v, "25774", "commune"), None, "indicator")
    _refused(lambda v: PLAN.rules_for(v, "commune"), UNIT, "unit_id")
    _refused(lambda v: PLAN.rules_for("25774", v), None, "level")


def test_observation_fields_of_another_type_are_refused_and_a_period_text_is_read() -> None:
    month = Period.parse("2024-03")
    assert Observation("25774", "2024-03", counts={"received_online": 3}).period == month
    assert Observation("25774", month, counts=None, rates=None).measures == ()  # none known
    _refused(lambda v: Observation("25774", month, note=v), 5, "Observation.note")  # was '5'
    _refused(lambda v: Observation("25774", v), 2024, "Observation.period")  # was attrs' tuple message
    _refused(lambda v: Observation(v, month), UNIT, "Observation.unit")
    for counts in (5, "received_online"):  # was "'int' object is not iterable", a string split
        _refused(lambda v: Observation("25774", month, counts=v), counts, "Observation.counts")
    _refused(lambda v: Observation("25774", month, rates=v), Fraction(1, 2), "Observation.rates")


def test_the_last_calls_that_failed_deep_inside_name_their_parameter() -> None:
    from dvctt_rules.ranking import competition_ranks

    _refused(competition_ranks, {"a": Fraction(1)}, "scores")  # was KeyError: 0
    assert competition_ranks([Fraction(2), Fraction(3), Fraction(2)]) == (2, 1, 2)
    _refused(lambda v: lookup_indicator("online_dossier_rate", v), None, "catalogue")  # AttributeError
    _refused(AGGREGATORS.unregister, None, "name")  # did nothing
    _refused(lambda v: Hierarchy([], {}, levels=v), None, "levels")  # 'NoneType' … not iterable
    _refused(lambda v: Unit("a", "Xã A", "commune", attributes=v), 5, "Unit.attributes")
    with pytest.raises(TypeError, match="the name of a registered aggregator"):
        AGGREGATORS.get(None)  # type: ignore[arg-type]


def test_the_sweep_keeps_keyword_names_and_exact_numbers_of_other_libraries() -> None:
    """The sweep renamed ``unit_id`` (a keyword call failed) and refused numpy's integers, which
    worked before: both are kept."""
    np = pytest.importorskip("numpy")
    assert REPORT.for_unit(unit_id=UNIT) == REPORT.for_unit(unit_id="25774") != ()
    assert RANKING.row(unit_id="25774") == RANKING.row(unit_id=UNIT) is not None
    assert DS.figures_for(unit_id=UNIT) == DS.figures_for(unit_id="25774") is not None
    assert gap_count(np.int64(105), np.int64(120), Fraction(9, 10), "at_least") == 3
    assert RANKING.top(np.int64(1)) == RANKING.top(1)
    scores = np.array([Fraction(1), Fraction(2)], dtype=object)
    from dvctt_rules.ranking import competition_ranks

    assert competition_ranks(scores) == (2, 1)


def test_evaluate_names_its_units_parameter() -> None:
    _refused(lambda v: evaluate(PLAN, H, OBS, units=[v]), 25774, "units")  # it named `unit_id`
    _refused(lambda v: measure_units(PLAN, H, OBS, "online_dossier_rate", units=[v]), None, "units")


def test_levels_given_as_a_generator_are_read_once_and_a_nested_level_list_is_refused() -> None:
    units = list(H)
    parents = {u.id: (p.id if (p := H.parent(u)) else None) for u in units}
    again = Hierarchy(units, parents, (level for level in H.levels))  # type: ignore[arg-type]  # was ()
    assert again.levels == H.levels
    _refused(
        lambda v: rollup(PLAN, H, OBS, level="district", member_levels=[v]), ["commune"], "member_levels"
    )
