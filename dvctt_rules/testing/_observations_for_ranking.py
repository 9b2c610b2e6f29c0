"""Hypothesis strategies for roll-ups and rankings: plans with scored rules for any level layout,
observations with counts consistent with the part-of relations, and the same inputs reordered."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from fractions import Fraction

from hypothesis import strategies as st

from ..hierarchy import Hierarchy
from ..observations import Observation, Observations, Period
from ..rules import KH_4623, Plan, PlanRule, ScoringScheme, Target, Threshold

__all__ = [
    "COUNTED",
    "PERIODS",
    "counted_observations",
    "ranking_plans",
    "reordered_hierarchy",
    "reordered_observations",
]

#: The measures the generated observations hold: enough for the three scored indicators.
COUNTED: tuple[str, ...] = (
    "received_online",
    "received_direct",
    "received_postal",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "payments_total",
    "payments_online",
)

#: Two months of 2024: sums over time are exercised, the whole span is ``2024-01..2024-02``.
PERIODS: tuple[Period, ...] = (Period(2024, month=1), Period(2024, month=2))

_SCORED = ("online_dossier_rate", "online_payment_rate", "on_time_rate")


def _proportions() -> st.SearchStrategy[Fraction]:
    return st.fractions(min_value=0, max_value=1, max_denominator=20)


@st.composite
def ranking_plans(draw: st.DrawFn, hierarchy: Hierarchy, *, quota: bool = True) -> Plan:
    """A plan over ``hierarchy``'s levels: three scored rules (online dossiers, online payments, on
    time) on every level below the root with drawn weights, a province-scope rule, default and level
    targets, some unit targets, the default bands and, with ``quota``, maybe a quota on the top grade.
    """
    below = hierarchy.levels[1:] or hierarchy.levels
    weights = [
        draw(st.sampled_from([Fraction(1), Fraction(2), Fraction(1, 2), Fraction(3)])) for _ in _SCORED
    ]
    rules = [
        PlanRule(f"R{index}", Threshold(indicator), levels=below, scored=True, weight=weight)
        for index, (indicator, weight) in enumerate(zip(_SCORED, weights, strict=True))
    ]
    rules.append(PlanRule("P", Threshold("online_dossier_rate", Fraction(1, 2)), scope="province"))
    targets = [Target(indicator, draw(_proportions())) for indicator in _SCORED]
    for level in below:
        if draw(st.booleans()):
            targets.append(Target("on_time_rate", draw(_proportions()), level=level))
    units = [unit.id for unit in hierarchy]
    for unit_id in draw(st.lists(st.sampled_from(units), unique=True, max_size=5)):
        targets.append(Target("online_dossier_rate", draw(_proportions()), unit=unit_id))
    top_quota = draw(st.none() | _proportions()) if quota else None
    return Plan(
        "test-plan",
        "Generated plan",
        KH_4623,
        datetime.date(2023, 9, 7),
        hierarchy.levels,
        rules,
        targets,
        scoring=ScoringScheme(top_quota=top_quota),
    )


@st.composite
def _counts(draw: st.DrawFn, unknown: bool) -> dict[str, int | None]:
    small = st.integers(0, 60)
    values: dict[str, int | None] = {name: draw(small) for name in COUNTED}
    total = values["payments_total"] or 0
    values["payments_online"] = draw(st.integers(0, total))
    if unknown:
        for name in draw(st.lists(st.sampled_from(COUNTED), unique=True, max_size=2)):
            values[name] = None
    return values


@st.composite
def counted_observations(
    draw: st.DrawFn, hierarchy: Hierarchy, *, periods: Sequence[Period] = PERIODS, unknown: bool = True
) -> Observations:
    """Counts for some units and periods of ``hierarchy`` (``payments_online ≤ payments_total``);
    with ``unknown``, a few counts are unknown (``None``). Some units report nothing."""
    items = []
    for unit in hierarchy:
        for period in periods:
            if draw(st.integers(0, 4)) == 0:
                continue
            items.append(Observation(unit.id, period, counts=draw(_counts(unknown))))
    return Observations(items, hierarchy=hierarchy)


@st.composite
def reordered_hierarchy(draw: st.DrawFn, hierarchy: Hierarchy) -> Hierarchy:
    """The same tree with its units given in another order (so siblings come in another order)."""
    records = draw(st.permutations(hierarchy.to_records()))
    return Hierarchy.from_records(records, hierarchy.levels)


def reordered_observations(observations: Observations, hierarchy: Hierarchy) -> Observations:
    """The same observations given in reverse order, checked against ``hierarchy``."""
    return Observations(reversed(tuple(observations)), catalog=observations.catalog, hierarchy=hierarchy)
