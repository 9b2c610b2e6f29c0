"""dvctt_rules.testing: the strategies keep the guarantees their docstrings state."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument, NoSuchExample

from dvctt_rules._text import canonical
from dvctt_rules.hierarchy import DEFAULT_LEVELS, TWO_TIER_LEVELS, Hierarchy
from dvctt_rules.observations import DEFAULT_CATALOG, Observations, Period, observations_from_records
from dvctt_rules.rules import (
    INDICATORS,
    AllOf,
    AnyOf,
    Not,
    Plan,
    Rule,
    Target,
    Threshold,
    dump_plan_json,
    load_plan_json,
)
from dvctt_rules.testing import (
    LAYOUTS,
    TRICKY_HIERARCHY,
    count_values,
    hierarchies,
    observation_records,
    observations,
    other_tone_style,
    plans,
    raw_rules,
    rules,
    target_tables,
    targets,
    unit_names,
    zero_denominator_groups,
)

FEW = settings(max_examples=25)
MONTHS = Period(2024).months()
T = TypeVar("T")


class _Found(Exception):
    pass


def occurs(strategy: st.SearchStrategy[T], condition: Callable[[T], bool], tries: int = 300) -> None:
    """Assert that ``strategy`` draws a value meeting ``condition`` within ``tries`` draws.

    Deterministic, and it stops at the first such value (``hypothesis.find`` would go on to shrink it).
    """

    @settings(max_examples=tries, database=None, derandomize=True, phases=[Phase.generate])
    @given(strategy)
    def search(value: T) -> None:
        if condition(value):
            raise _Found

    try:
        search()
    except _Found:
        return
    raise AssertionError(f"no value meeting {condition.__name__} in {tries} draws")


def _depth(rule: Rule) -> int:
    if isinstance(rule, Threshold):
        return 0
    if isinstance(rule, Not):
        return 1 + _depth(rule.rule)
    return 1 + max(_depth(child) for child in rule.rules)


def _nodes(rule: Rule) -> list[Rule]:
    if isinstance(rule, Threshold):
        return [rule]
    if isinstance(rule, Not):
        return [rule, *_nodes(rule.rule)]
    return [rule, *(node for child in rule.rules for node in _nodes(child))]


# -- hierarchies --------------------------------------------------------------------------------


@given(hierarchies(TWO_TIER_LEVELS, min_size=3, max_size=9, max_children=2))
def test_hierarchies_follow_the_layout_size_and_branching(h: Hierarchy) -> None:
    assert h.levels == TWO_TIER_LEVELS
    assert len(h) <= 9
    assert all(len(h.children(unit)) <= 2 for unit in h)
    assert h.root.level == "province"


@given(hierarchies(min_size=4, max_size=8))
def test_without_levels_any_layout_is_drawn_and_the_size_is_reached(h: Hierarchy) -> None:
    assert h.levels in LAYOUTS
    assert 4 <= len(h) <= 8


def test_every_layout_occurs() -> None:
    for layout in LAYOUTS:

        def has_layout(h: Hierarchy, layout: tuple[str, ...] = layout) -> bool:
            return h.levels == layout

        occurs(hierarchies(max_size=3), has_layout)


def test_the_tricky_names_occur() -> None:
    def same_name_two_parents(h: Hierarchy) -> bool:
        seen: dict[str, set[str | None]] = {}
        for unit in h:
            parent = h.parent(unit)
            seen.setdefault(unit.name, set()).add(None if parent is None else parent.id)
        return any(len(parents) > 1 for parents in seen.values())

    def two_tone_styles(h: Hierarchy) -> bool:
        names = {unit.name for unit in h}
        return any(a != b and canonical(a) == canonical(b) for a, b in itertools.combinations(names, 2))

    occurs(hierarchies(DEFAULT_LEVELS, max_size=12), same_name_two_parents)
    occurs(hierarchies(DEFAULT_LEVELS, max_size=12), two_tone_styles)
    occurs(hierarchies(DEFAULT_LEVELS, max_size=12), lambda h: any("," in u.name for u in h))


@given(unit_names("commune"))
def test_tone_styles_are_two_spellings_of_one_name(name: str) -> None:
    assert canonical(other_tone_style(name)) == canonical(name)
    assert name
    assert name.strip() == name


@pytest.mark.parametrize(
    "arguments",
    [{"min_size": 0}, {"min_size": 3, "max_size": 2}, {"max_children": 0}, {"layouts": ()}],
)
def test_hierarchy_arguments_are_checked(arguments: dict[str, Any]) -> None:
    with pytest.raises(InvalidArgument):
        find(hierarchies(**arguments), lambda h: True)


# -- observations -------------------------------------------------------------------------------


@pytest.mark.parametrize("max_count", [-1, 10**18])
def test_count_values_stay_counts_the_loaders_read(max_count: int) -> None:
    with pytest.raises(InvalidArgument, match="max_count must be from 0 to 10"):
        find(count_values(max_count=max_count), lambda counts: True)
    assert find(count_values(max_count=10**18 - 1), lambda counts: True) is not None


@FEW
@given(st.data())
def test_observations_are_consistent_with_the_hierarchy_and_periods(data: st.DataObject) -> None:
    h = data.draw(hierarchies(max_size=10))
    obs = data.draw(observations(h, periods=MONTHS, max_units=4))
    assert isinstance(obs, Observations)
    assert obs.hierarchy is h
    assert set(obs.units()) <= {u.id for u in h}
    assert 1 <= len(obs.units()) <= 4
    for unit in obs.units():
        rows = obs.for_unit(unit)
        assert all(row.period in MONTHS for row in rows)
        assert not any(a.period.overlaps(b.period) for a, b in itertools.combinations(rows, 2))
    for row in obs:
        counts = dict(row.counts)
        for relation in DEFAULT_CATALOG.relations:
            assert relation.violation(counts) is None


@FEW
@given(observations(TRICKY_HIERARCHY, unknown_rate=0, zero_denominator_rate=1, notes=False))
def test_rates_at_the_extremes(obs: Observations) -> None:
    for row in obs:
        assert set(row.measures) == set(DEFAULT_CATALOG.names), "nothing unknown"
        assert row.note is None
        for group in zero_denominator_groups():
            assert all(row.count(name) == 0 for name in group)


def test_unknown_and_zero_denominators_occur() -> None:
    occurs(observations(TRICKY_HIERARCHY), lambda obs: any(len(row.measures) < 26 for row in obs))
    occurs(
        observations(TRICKY_HIERARCHY, zero_denominator_rate=0.2),
        lambda obs: any(row.count("payments_total") == 0 for row in obs),
    )


@FEW
@given(
    observations(
        TRICKY_HIERARCHY,
        periods=Period(2024, quarter=1),
        measures=("payments_total", "payments_online", "online_payment_rate"),
        min_units=2,
    )
)
def test_observations_hold_the_chosen_measures_and_period(obs: Observations) -> None:
    assert obs.periods() == (Period(2024, quarter=1),)
    assert set(obs.measures()) <= {"payments_total", "payments_online", "online_payment_rate"}
    assert len(obs.units()) >= 2


@FEW
@given(st.data())
def test_observation_records_load_as_a_loader_takes_them(data: st.DataObject) -> None:
    h = data.draw(hierarchies(max_size=8))
    records = data.draw(observation_records(h, periods=MONTHS))
    loaded = observations_from_records(records, h)
    assert len(loaded) == len(records)
    assert loaded.report is not None
    assert loaded.report.rows_used == len(records)
    assert observations_from_records(json.loads(json.dumps(records, default=float)), h) == loaded


@pytest.mark.parametrize(
    "arguments",
    [{"unknown_rate": 1.5}, {"zero_denominator_rate": -0.1}, {"measures": ["no_such"]}, {"min_units": 99}],
)
def test_observation_arguments_are_checked(arguments: dict[str, Any]) -> None:
    with pytest.raises(InvalidArgument):
        find(observations(TRICKY_HIERARCHY, **arguments), lambda obs: True)


# -- targets, rules, plans ----------------------------------------------------------------------


@given(st.data())
def test_targets_name_units_and_levels_of_the_hierarchy(data: st.DataObject) -> None:
    h = data.draw(hierarchies(max_size=6))
    target = data.draw(targets(h, indicators=("online_dossier_rate", "late_dossiers")))
    assert isinstance(target, Target)
    assert target.unit is None or target.unit in h
    assert target.level is None or target.level in h.levels
    if target.indicator == "late_dossiers":
        assert target.value == 0
    table = data.draw(target_tables(h))
    assert len({(t.indicator, t.unit, t.level, t.effective_from) for t in table}) == len(table)


def test_every_kind_of_target_occurs() -> None:
    for scope in ("default", "level", "unit"):
        for dated in (True, False):

            def has_kind(t: Target, scope: str = scope, dated: bool = dated) -> bool:
                return t.scope == scope and (t.effective_from is not None) == dated

            occurs(targets(), has_kind)


@given(rules(max_depth=2, max_width=2))
def test_rules_are_canonical_and_bounded(rule: Rule) -> None:
    assert _depth(rule) <= 2
    for node in _nodes(rule):
        if isinstance(node, AllOf | AnyOf):
            assert not any(type(child) is type(node) for child in node.rules)
        if isinstance(node, Not):
            assert not isinstance(node.rule, Not)


def test_raw_rules_nest_as_written() -> None:
    occurs(raw_rules(max_depth=2), lambda r: isinstance(r, Not) and isinstance(r.rule, Not))
    occurs(
        raw_rules(max_depth=2),
        lambda r: any(
            isinstance(n, AllOf | AnyOf) and any(type(c) is type(n) for c in n.rules) for n in _nodes(r)
        ),
        tries=1000,
    )


@given(rules(indicators=("on_time_rate", "late_dossiers"), max_depth=1))
def test_rules_use_the_chosen_indicators(rule: Rule) -> None:
    assert set(rule.indicators()) <= {"on_time_rate", "late_dossiers"}
    for leaf in _nodes(rule):
        if isinstance(leaf, Threshold) and leaf.indicator == "late_dossiers":
            assert leaf.target in (None, 0)


@FEW
@given(st.data())
def test_plans_over_a_hierarchy(data: st.DataObject) -> None:
    h = data.draw(hierarchies(max_size=8))
    plan = data.draw(plans(h, min_rules=1))
    assert isinstance(plan, Plan)
    assert plan.levels == h.levels
    assert 1 <= len(plan.rules) <= 4
    assert all(unit in h for plan_rule in plan.rules for unit in plan_rule.units)
    assert all(t.unit is None or t.unit in h for t in plan.targets)
    assert load_plan_json(dump_plan_json(plan)) == plan


def test_plans_have_every_feature() -> None:
    def features(plan: Plan) -> set[str]:
        found = {"province" for r in plan.rules if r.scope == "province"}
        found |= {"scored" for r in plan.rules if r.scored}
        found |= {"combinator" for r in plan.rules if not isinstance(r.rule, Threshold)}
        found |= {"dated" for t in plan.targets if t.effective_from is not None}
        found |= {"declared" for _ in plan.indicators}
        return found

    occurs(plans(), lambda p: {"province", "scored", "combinator", "dated"} <= features(p))
    occurs(plans(), lambda p: "declared" in features(p) and any(i.id not in INDICATORS for i in p.indicators))


@pytest.mark.parametrize(
    "arguments",
    [{"max_depth": -1}, {"max_targets": -1}, {"extra_indicators": -2}, {"min_rules": 3, "max_rules": 1}],
)
def test_plan_arguments_are_checked(arguments: dict[str, Any]) -> None:
    # max_depth=-1 drew plans without complaint, where every other bad argument is refused.
    with pytest.raises(InvalidArgument):
        find(plans(**arguments), lambda plan: True)


@pytest.mark.parametrize("zero_rate", [0.0, 0.05, 1.0])
def test_an_unknown_rate_of_one_leaves_every_count_unknown(zero_rate: float) -> None:
    # The zero-denominator step wrote 0 over values drawn unknown (payments_total: 0 at rate 1).
    strategy = count_values(unknown_rate=1, zero_denominator_rate=zero_rate)
    with pytest.raises(NoSuchExample):
        find(strategy, lambda counts: any(value is not None for value in counts.values()))
