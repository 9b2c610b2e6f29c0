"""Evaluator plugins: built-ins, the registry, entry-point discovery (without depending on what is
installed) and the example third-party package."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Mapping
from fractions import Fraction
from importlib.metadata import EntryPoint
from pathlib import Path

import attrs
import pytest

from dvctt_rules import PluginError, UnknownNameError
from dvctt_rules.plugins import (
    EVALUATORS,
    DuplicatePluginWarning,
    Evaluator,
    Measurement,
    RateOnly,
    RatioOfSums,
    Registry,
    ZeroCount,
    check_evaluator,
)

EXAMPLE = Path(__file__).parents[1] / "examples" / "plugin-strict-on-time" / "src"


@attrs.frozen
class Spec:
    id: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...] = ()


@attrs.frozen
class Data:
    counts: Mapping[str, int | None] = attrs.field(factory=dict)
    rates: Mapping[str, Fraction | None] = attrs.field(factory=dict)


ONLINE = Spec("online_dossier_rate", ("received_online",), ("received_online", "received_direct"))


def test_ratio_of_sums_is_exact() -> None:
    m = RatioOfSums().measure(ONLINE, Data({"received_online": 105, "received_direct": 15}))
    assert m == Measurement(105, 120, Fraction(7, 8), "counts")


def test_unknown_is_not_zero_and_falls_back_to_a_reported_rate() -> None:
    data = Data({"received_online": 105, "received_direct": None})
    assert RatioOfSums().measure(ONLINE, data) == Measurement(None, None, None, "none", ("received_direct",))
    with_rate = Data({"received_online": 105}, {"online_dossier_rate": Fraction(994, 1000)})
    m = RatioOfSums().measure(ONLINE, with_rate)
    assert (m.value, m.basis, m.missing) == (Fraction(994, 1000), "rate", ("received_direct",))


def test_zero_denominator_is_no_data() -> None:
    m = RatioOfSums().measure(ONLINE, Data({"received_online": 0, "received_direct": 0}))
    assert m.value is None
    assert m.basis == "none"
    assert m.denominator == 0


def test_zero_count_and_rate_only() -> None:
    late = Spec("late_dossiers", ("resolved_late", "pending_late"))
    assert ZeroCount().measure(late, Data({"resolved_late": 2, "pending_late": 1})).value == 3
    assert ZeroCount().measure(late, Data({"resolved_late": 2})).missing == ("pending_late",)
    rate = RateOnly().measure(ONLINE, Data(rates={"online_dossier_rate": Fraction(1, 2)}))
    assert (rate.value, rate.basis) == (Fraction(1, 2), "rate")
    assert RateOnly().measure(ONLINE, Data()).basis == "none"


def test_builtins_are_registered_in_the_shared_registry() -> None:
    for name in ("ratio_of_sums", "zero_count", "rate"):
        assert EVALUATORS.origin(name) == "built-in"
    with pytest.raises(UnknownNameError, match="did you mean 'ratio_of_sums'"):
        EVALUATORS.get("ratio_of_sum")


def fake_entry_points(*entries: EntryPoint) -> Iterator[EntryPoint]:
    return iter(entries)


def fresh(*entries: EntryPoint) -> Registry[Evaluator]:
    registry: Registry[Evaluator] = Registry(
        "evaluator",
        "dvctt_rules.evaluators",
        check_evaluator,
        entry_points_source=lambda group: [e for e in entries if e.group == group],
    )
    registry.register(RatioOfSums(), origin="built-in")
    return registry


@pytest.fixture
def example_on_path() -> Iterator[None]:
    sys.path.insert(0, str(EXAMPLE))
    yield
    sys.path.remove(str(EXAMPLE))
    sys.modules.pop("dvctt_strict_on_time", None)


@pytest.mark.usefixtures("example_on_path")
def test_entry_point_discovery_is_lazy_and_loads_the_example_plugin() -> None:
    entry = EntryPoint("strict_on_time", "dvctt_strict_on_time:StrictOnTime", "dvctt_rules.evaluators")
    registry = fresh(entry)
    assert "dvctt_strict_on_time" not in sys.modules
    evaluator = registry.get("strict_on_time")
    assert registry.origin("strict_on_time").startswith("entry point 'strict_on_time'")
    spec = Spec(
        "on_time_rate",
        ("resolved_early", "resolved_on_time"),
        ("resolved_early", "resolved_on_time", "resolved_late"),
    )
    m = evaluator.measure(
        spec, Data({"resolved_early": 5, "resolved_on_time": 3, "resolved_late": 1, "pending_late": 2})
    )
    assert m.value == Fraction(8, 11)
    assert registry.names() == ("ratio_of_sums", "strict_on_time")


def test_duplicate_names_keep_the_first_and_warn() -> None:
    entry = EntryPoint("ratio_of_sums", "dvctt_rules.plugins:ZeroCount", "dvctt_rules.evaluators")
    registry = fresh(entry)
    with pytest.warns(DuplicatePluginWarning, match="already taken by built-in"):
        names = registry.names()
    assert names == ("ratio_of_sums",)
    assert isinstance(registry.get("ratio_of_sums"), RatioOfSums)


def test_a_plugin_that_fails_to_load_or_is_not_an_evaluator_is_named() -> None:
    broken = EntryPoint("broken", "no_such_module_xyz:Thing", "dvctt_rules.evaluators")
    with pytest.raises(PluginError, match="'broken' could not be loaded") as info:
        fresh(broken).get("broken")
    assert info.value.plugin == "broken"
    not_one = EntryPoint("not_one", "fractions:Fraction", "dvctt_rules.evaluators")
    with pytest.raises(PluginError, match=r"'not_one'.*is not valid: an evaluator needs"):
        fresh(not_one).names()


def test_other_groups_are_not_read() -> None:
    other = EntryPoint("x", "dvctt_rules.plugins:ZeroCount", "someone.else")
    assert fresh(other).names() == ("ratio_of_sums",)


@pytest.mark.usefixtures("example_on_path")
def test_the_example_plugin_is_used_in_a_plan_loaded_from_json() -> None:
    from dvctt_rules.hierarchy import Hierarchy, Unit
    from dvctt_rules.observations import Observation, Observations, Period
    from dvctt_rules.rules import evaluate, load_plan_json

    entry = EntryPoint("strict_on_time", "dvctt_strict_on_time:StrictOnTime", "dvctt_rules.evaluators")
    registry = fresh(entry)
    indicator = {
        "id": "strict_on_time_rate",
        "name_vi": "Tỷ lệ đúng hạn (tính cả hồ sơ đang quá hạn)",
        "name_en": "Strict on-time rate",
        "numerator": ["resolved_early", "resolved_on_time"],
        "denominator": ["resolved_early", "resolved_on_time", "resolved_late"],
        "evaluator": "strict_on_time",
    }
    rule = {"type": "threshold", "indicator": "strict_on_time_rate", "target": "75"}
    document = {
        "id": "strict",
        "name": "Strict on-time",
        "citation": None,
        "issued": None,
        "levels": ["province", "commune"],
        "indicators": [indicator],
        "rules": [{"id": "S", "rule": rule, "levels": ["commune"]}],
        "targets": [],
    }
    plan = load_plan_json(json.dumps(document))
    hierarchy = Hierarchy(
        [Unit("P", "Tỉnh X", "province"), Unit("C", "Xã Y", "commune")], {"C": "P"}, ("province", "commune")
    )
    counts = {"resolved_early": 5, "resolved_on_time": 3, "resolved_late": 1, "pending_late": 2}
    data = Observations([Observation("C", Period.parse("2024-05"), counts=counts)])
    (outcome,) = evaluate(plan, hierarchy, data, evaluators=registry).outcomes
    # 8 of 11 (the 2 overdue pending dossiers count against the unit) is below 75 %; 9 of 11 meets it.
    assert (outcome.numerator, outcome.denominator, outcome.status, outcome.gap_count) == (
        8,
        11,
        "not_met",
        1,
    )


def test_a_broken_entry_point_does_not_hide_the_others() -> None:
    # Regression: discovery stopped at the first entry point that failed to load, after marking
    # itself done, so every other plugin was 'unknown' for the rest of the process.
    broken = EntryPoint("a_broken", "no_such_module_xyz:Thing", "dvctt_rules.evaluators")
    good = EntryPoint("zero", "dvctt_rules.plugins:ZeroCount", "dvctt_rules.evaluators")
    invalid = EntryPoint("b_invalid", "fractions:Fraction", "dvctt_rules.evaluators")
    registry = fresh(broken, good, invalid)
    for _ in range(2):  # reported at each request, not only the first
        with pytest.raises(PluginError, match=r"'a_broken' could not be loaded.*fix or uninstall") as info:
            registry.get("a_broken")
        assert info.value.plugin == "a_broken"
        assert isinstance(info.value.__cause__, ModuleNotFoundError)
        with pytest.raises(PluginError, match=r"'b_invalid'.*is not valid"):
            registry.get("b_invalid")
    assert isinstance(registry.get("zero"), ZeroCount)
    assert registry.origin("zero").startswith("entry point 'zero'")
    assert "zero" in registry
    with pytest.raises(PluginError, match="'a_broken'"):
        "a_broken" in registry  # noqa: B015 - the membership test itself must raise
    # Listing does not silently leave the broken ones out: it names both.
    with pytest.raises(
        PluginError, match=r"2 evaluator plugins could not be loaded \('a_broken', 'b_invalid'\)"
    ):
        registry.names()
    with pytest.raises(UnknownNameError, match="did you mean 'zero'"):
        registry.get("zeros")
    registry.unregister("a_broken")
    registry.unregister("b_invalid")
    assert registry.names() == ("ratio_of_sums", "zero")


def test_a_broken_entry_point_asked_for_first_does_not_hide_a_later_one() -> None:
    broken = EntryPoint("broken", "no_such_module_xyz:Thing", "dvctt_rules.evaluators")
    good = EntryPoint("good", "dvctt_rules.plugins:ZeroCount", "dvctt_rules.evaluators")
    registry = fresh(broken, good)
    with pytest.raises(PluginError, match="'broken'"):
        registry.get("broken")
    assert isinstance(registry.get("good"), ZeroCount)
