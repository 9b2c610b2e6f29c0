"""Roll-ups: each unit of a level taken as an area (itself and every unit below it), per indicator."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from fractions import Fraction

import attrs

from .._errors import PLAN_HINT, DvcttRulesError, UnknownNameError, refuse_non_text, refuse_text, refuse_type
from .._gc import paused_gc
from .._text import close_matches
from ..hierarchy import Hierarchy, Unit
from ..observations import Observations, Period
from ..observations._periods import period_argument
from ..plugins import AGGREGATORS, EVALUATORS, AggregateBasis, Aggregator, Measurement
from ..rules import (
    Indicator,
    Plan,
    Report,
    Status,
    Target,
    compare,
    period_label,
    thresholds,
)
from ..rules._evaluate import _Evaluation, check_inputs, run_aggregator, targets_date, warn_unmatched_units
from ..rules._verdicts import _gap
from ._tree import Spans

__all__ = [
    "Compliance",
    "ReportMismatchError",
    "RollupRow",
    "check_report",
    "plan_indicators",
    "rollup",
]


class ReportMismatchError(DvcttRulesError, ValueError):
    """A :class:`~dvctt_rules.rules.Report` given with inputs it was not made from (another plan,
    period or, for a roll-up, targets' date); ``expected`` and ``got`` say which."""

    def __init__(self, what: str, expected: str | None, got: str | None) -> None:
        self.what = what
        self.expected = expected
        self.got = got
        super().__init__(
            f"the report is for {what} {got!r}, the inputs for {expected!r}; "
            "evaluate the same plan and period, or leave the report out to have it computed"
        )


def _date(day: datetime.date | None) -> str | None:
    return None if day is None else day.isoformat()


def check_report(report: Report, plan: Plan, period: str | None) -> None:
    """Raise :class:`ReportMismatchError` unless ``report`` was made from ``plan`` for ``period``
    (a label as :func:`~dvctt_rules.rules.period_label` writes it)."""
    refuse_type(report, Report, "report", "a Report", "make one with evaluate(plan, hierarchy, observations)")
    refuse_type(plan, Plan, "plan", "a Plan", PLAN_HINT)
    if report.plan != plan.id:
        raise ReportMismatchError("plan", plan.id, report.plan)
    if report.period != period:
        raise ReportMismatchError("period", period, report.period)


@attrs.frozen
class Compliance:
    """How many units of one level met their own target for an indicator.

    ``total`` counts the units judged ``met``, ``not_met`` or ``no_data``: a unit without data
    stays in the total (it did not show that it met its target), and is also counted apart in
    ``no_data``. Units for which no target applies are left out.

    >>> Compliance("commune", met=9, not_met=3, no_data=2).total
    14
    """

    level: str
    met: int = 0
    not_met: int = 0
    no_data: int = 0

    @property
    def total(self) -> int:
        """Units judged: met + not met + no data."""
        return self.met + self.not_met + self.no_data


@attrs.frozen
class RollupRow:
    """One indicator aggregated over one area: a unit of the roll-up level and the units below it.

    Numbers are exact: ``value`` is a proportion (or a count for count indicators), summed from
    ``numerator``/``denominator`` when ``strategy`` is ``"sum"``. ``strategy`` names the
    aggregator that made the value (``"sum"`` or ``"mean_of_rates"`` when the default chose;
    ``"min"``, ``"max"`` or a plugin's name otherwise) and ``basis`` what it rests on. ``covers``
    lists the units whose data went in, ``missing`` those without usable data (both sorted by id).

    ``target`` is the plan's target for the area's own unit (see :func:`rollup`), ``target_scope``
    where it came from (``"unit"``, ``"level"``, ``"default"``, ``"rule"``), ``status`` the
    verdict on the aggregate (``"not_applicable"`` when the plan gives no target: the value is
    then only reported). ``children_*`` and ``compliance`` (per level) count the units below,
    judged on their own targets: "9 of 14 communes met their online-dossier target";
    ``children_total`` = met + not met + no data (units without data stay in the total).
    """

    unit: str
    unit_name: str
    level: str
    indicator: str
    period: str | None
    numerator: int | None
    denominator: int | None
    value: Fraction | None
    strategy: str
    basis: AggregateBasis
    covers: tuple[str, ...]
    missing: tuple[str, ...]
    target: Fraction | None
    target_scope: str | None
    status: Status
    gap_count: int | None
    children_met: int
    children_not_met: int
    children_no_data: int
    children_total: int = attrs.field(
        init=False,
        default=attrs.Factory(
            lambda row: row.children_met + row.children_not_met + row.children_no_data, takes_self=True
        ),
    )
    compliance: tuple[Compliance, ...] = ()
    include_self: bool = True

    @property
    def children_share(self) -> Fraction | None:
        """``children_met / children_total``, ``None`` when no unit below was judged."""
        total = self.children_total
        return Fraction(self.children_met, total) if total else None

    @property
    def gap(self) -> Fraction | None:
        """``value - target``, ``None`` when either is unknown."""
        if self.value is None or self.target is None:
            return None
        return self.value - self.target


def plan_indicators(plan: Plan) -> tuple[str, ...]:
    """Every indicator the plan's rules use, in plan order, without duplicates.

    >>> from dvctt_rules.datasets import load_dataset
    >>> plan_indicators(load_dataset("binh-duong-2023").plan)[:3]
    ('full_online_integration_rate', 'online_services_with_dossiers_rate', 'online_dossier_rate')
    """
    refuse_type(plan, Plan, "plan", "a Plan", PLAN_HINT)
    return tuple(dict.fromkeys(i for plan_rule in plan.rules for i in plan_rule.rule.indicators()))


class _Targets:
    """The target of an area's own unit: the plan's table, indexed (as
    :meth:`~dvctt_rules.rules.TargetTable.resolve` finds it), else the target written in the rules
    (:meth:`fallback`)."""

    def __init__(self, plan: Plan, as_of: datetime.date | None) -> None:
        self.plan = plan
        self.as_of = as_of
        self.named_units = {unit for plan_rule in plan.rules for unit in plan_rule.units}
        self._fallbacks: dict[tuple[bool, str, str | None, str], Fraction | None] = {}

    def fallback(self, unit: Unit, indicator: Indicator, root: bool) -> Fraction | None:
        """The target written in the first rule that judges this unit on ``indicator``: for the root
        the province-scope rules first, then the unit-scope rules that apply to the unit."""
        key = (root, unit.level, unit.id if unit.id in self.named_units else None, indicator.id)
        if key not in self._fallbacks:
            rules = (*(self.plan.province_rules() if root else ()), *self.plan.rules_for(unit.id, unit.level))
            found: Fraction | None = None
            for plan_rule in rules:
                for leaf in thresholds(plan_rule.rule):
                    if leaf.indicator != indicator.id:
                        continue
                    if leaf.target is not None:
                        found = leaf.target
                    elif indicator.kind == "zero_count":
                        found = Fraction(0)
                    if found is not None:
                        break
                if found is not None:
                    break
            self._fallbacks[key] = found
        return self._fallbacks[key]

    def resolve(self, unit: Unit, indicator: Indicator, root: bool) -> tuple[Target | None, str | None]:
        found = self.plan.targets._lookup(indicator.id, unit.id, unit.level, self.as_of)
        if found is not None:
            return found, found.scope
        default = self.fallback(unit, indicator, root)
        return (None, None) if default is None else (Target(indicator.id, default), "rule")


def _own_statuses(report: Report) -> dict[tuple[str, str], Status]:
    """Each unit's status on each indicator from its unit-scope outcomes (see :func:`_combined`)."""
    seen: dict[tuple[str, str], set[Status]] = {}
    for outcome in report.outcomes:
        if outcome.scope == "unit" and outcome.status != "not_applicable":
            seen.setdefault((outcome.unit, outcome.indicator.id), set()).add(outcome.status)
    return _combined(seen)


def _combined(seen: dict[tuple[str, str], set[Status]]) -> dict[tuple[str, str], Status]:
    """The statuses of each (unit, indicator) made one: several rules on the same indicator combine
    like ``all_of`` (not met if any is, else no data if any is, else met)."""
    combined: dict[tuple[str, str], Status] = {}
    for key, statuses in seen.items():
        combined[key] = "not_met" if "not_met" in statuses else "no_data" if "no_data" in statuses else "met"
    return combined


def _level_set(hierarchy: Hierarchy, levels: Iterable[str] | None) -> frozenset[str] | None:
    if levels is None:
        return None
    given = (levels,) if isinstance(levels, str) else tuple(levels)
    for level in given:  # before the set: a list in the list is unhashable
        refuse_non_text(level, "member_levels", "level names")
    chosen = frozenset(given)
    for level in sorted(chosen):
        if level not in hierarchy.levels:
            raise UnknownNameError("level", level, hierarchy.levels, close_matches(level, hierarchy.levels))
    return chosen


def _compliance(
    members: Sequence[Unit], indicator: str, statuses: dict[tuple[str, str], Status], levels: Sequence[str]
) -> tuple[Compliance, ...]:
    tally: dict[str, dict[str, int]] = {}
    for member in members:
        status = statuses.get((member.id, indicator))
        if status is not None:
            counts = tally.setdefault(member.level, {"met": 0, "not_met": 0, "no_data": 0})
            counts[status] += 1
    return tuple(Compliance(level, **tally[level]) for level in levels if level in tally)


def rollup(
    plan: Plan,
    hierarchy: Hierarchy,
    observations: Observations,
    *,
    level: str,
    period: Period | str | None = None,
    indicators: Sequence[str] | None = None,
    strategy: str = "default",
    include_self: bool = True,
    member_levels: Sequence[str] | None = None,
    as_of: datetime.date | None = None,
    report: Report | None = None,
) -> tuple[RollupRow, ...]:
    """Aggregate each indicator over each unit of ``level`` and everything below it.

    For every unit of ``level`` (each district, or the province) and every indicator
    (``indicators``, default: every indicator the plan's rules use, :func:`plan_indicators`), the
    units' :func:`~dvctt_rules.rules.measure_units` measurements are combined by the aggregator
    registered as ``strategy`` (:data:`~dvctt_rules.plugins.AGGREGATORS`: ``"default"`` sums the
    counts then divides, or takes the unweighted mean of rates for rate-only data; ``"sum"``,
    ``"mean_of_rates"``, ``"min"``, ``"max"``, and plugins of the entry-point group
    ``dvctt_rules.aggregators``).

    The area is the unit itself and every unit below it; ``include_self=False`` leaves the unit's
    own data out (a district's communes only), ``member_levels`` keeps only units of those levels
    (``("commune",)``: the province's communes). Units without usable data are listed in
    ``missing``, never skipped in silence.

    The aggregate is judged against the target the plan sets for the area's own unit, resolved
    like :func:`~dvctt_rules.rules.evaluate` does (unit target, then level target, then plan
    default; then the target written in the first rule that judges the unit on the indicator —
    for the root the province-scope rules first, so Phụ lục I's province-wide targets apply to the
    province, Phụ lục II's to each district, IV.1's level targets to each level). Without a target
    the status is ``"not_applicable"`` and the value is only reported.

    ``children_*`` count the units below (same members, the unit itself excluded) by their own
    status on the indicator in ``report`` (computed with :func:`~dvctt_rules.rules.evaluate` when
    not given; it must be for the same plan, period and targets' date, else
    :class:`ReportMismatchError`). ``as_of`` picks the targets as :func:`~dvctt_rules.rules.evaluate`
    does (``None``: those in force at the end of the period).

    Rows come in hierarchy order, then indicator order. The aggregate does not depend on sibling
    order; with ``"sum"`` it equals the exact sum of its parts. Nothing is mutated.

    >>> from dvctt_rules.datasets import load_dataset
    >>> ds = load_dataset("binh-duong-2023")
    >>> (row,) = rollup(ds.plan, ds.hierarchy, ds.baseline, level="province",
    ...                 indicators=("online_dossier_rate",))
    >>> row.strategy, row.basis, len(row.covers), row.missing
    ('mean_of_rates', 'mean_of_rates', 115, ('74', 'so-ke-hoach-va-dau-tu', 'so-ngoai-vu', 'thanh-tra-tinh'))
    >>> row.target, row.status, (row.children_met, row.children_total)
    (Fraction(1, 2), 'met', (73, 118))
    """
    with paused_gc():
        return _rollup(
            plan,
            hierarchy,
            observations,
            level,
            period,
            indicators,
            strategy,
            include_self,
            member_levels,
            as_of,
            report,
        )


def _rollup(
    plan: Plan,
    hierarchy: Hierarchy,
    observations: Observations,
    level: str,
    period: Period | str | None,
    indicators: Sequence[str] | None,
    strategy: str,
    include_self: bool,
    member_levels: Sequence[str] | None,
    as_of: datetime.date | None,
    report: Report | None,
) -> tuple[RollupRow, ...]:
    check_inputs(plan, hierarchy, observations)
    refuse_non_text(level, "level", "a level name", f"pass one of {list(hierarchy.levels)!r}")
    refuse_non_text(strategy, "strategy", "an aggregator's name", "leave it out for the default")
    refuse_type(
        report,
        (Report, type(None)),
        "report",
        "a Report or None",
        "pass evaluate(...)'s report, or leave it out",
    )
    parsed = None if period is None else period_argument(period)
    aggregator: Aggregator = AGGREGATORS.get(strategy)
    heads = hierarchy.units(level)
    wanted = _level_set(hierarchy, member_levels)
    refuse_text(indicators, "indicators", "indicator ids")
    specs = tuple(plan.indicator(i) for i in (plan_indicators(plan) if indicators is None else indicators))
    warn_unmatched_units(plan, hierarchy, stacklevel=3)  # the caller of rollup, once its arguments are read
    label = period_label(observations, parsed)
    as_of = targets_date(as_of, parsed, observations)
    if report is not None:
        check_report(report, plan, label)
        if report.as_of != as_of:  # the areas' own targets would be of one date, their units' of another
            raise ReportMismatchError("targets' date (as_of)", _date(as_of), _date(report.as_of))
    spans = Spans.of(hierarchy)
    areas: dict[str, tuple[Unit, ...]] = {}
    for head in heads:
        area = spans.subtree(head.id) if include_self else spans.below(head.id)
        areas[head.id] = area if wanted is None else tuple(u for u in area if u.level in wanted)
    # Subtrees of units of one level are disjoint: every unit is measured at most once.
    measured = tuple(unit for head in heads for unit in areas[head.id])
    by_indicator: dict[str, dict[str, Measurement]] = {spec.id: {} for spec in specs}
    # One evaluation, unit after unit: each unit's counts are summed once for all its indicators,
    # and its measurements serve both its own statuses and the aggregates.
    run = _Evaluation(
        plan, hierarchy, observations, parsed, as_of, "raise", EVALUATORS, AGGREGATORS.get("default")
    )
    if report is None:
        # The statuses read below: the unit-scope rules on these indicators, for these units, as
        # evaluate() would judge them (light verdicts: no Outcome objects).
        ids = {spec.id for spec in specs}
        used = frozenset(
            r.id for r in plan.rules if r.scope == "unit" and ids.intersection(r.rule.indicators())
        )
        seen: dict[tuple[str, str], set[Status]] = {}
        for unit, items in run.light(measured, used):
            for _rule, judged, _value, _target, indicator, verdict in items:
                if indicator is not None:
                    found = [(indicator.id, judged)]
                else:  # not a single threshold: each of its outcomes
                    assert verdict is not None
                    found = [(outcome.indicator.id, outcome.status) for outcome in verdict.outcomes]
                for indicator_id, own in found:
                    if own != "not_applicable":
                        seen.setdefault((unit.id, indicator_id), set()).add(own)
            for spec in specs:
                by_indicator[spec.id][unit.id] = run.measure(unit, spec)[0]
        statuses = _combined(seen)
    else:
        statuses = _own_statuses(report)
        for unit in measured:
            for spec in specs:
                by_indicator[spec.id][unit.id] = run.measure(unit, spec)[0]
    targets = _Targets(plan, as_of)
    root = hierarchy.root.id
    rows: list[RollupRow] = []
    for head in heads:
        members = areas[head.id]
        below = tuple(u for u in members if u.id != head.id)
        for spec in specs:
            measurements = by_indicator[spec.id]
            aggregate = run_aggregator(aggregator, spec, [(u.id, measurements[u.id]) for u in members], label)
            target, target_scope = targets.resolve(head, spec, head.id == root)
            status: Status
            if target is None:
                status = "not_applicable"
            elif aggregate.value is None:
                status = "no_data"
            else:
                status = "met" if compare(aggregate.value, target.value, spec.direction) else "not_met"
            compliance = _compliance(below, spec.id, statuses, hierarchy.levels)
            rows.append(
                RollupRow(
                    unit=head.id,
                    unit_name=head.name,
                    level=head.level,
                    indicator=spec.id,
                    period=label,
                    numerator=aggregate.numerator,
                    denominator=aggregate.denominator,
                    value=aggregate.value,
                    strategy=aggregate.strategy,
                    basis=aggregate.basis,
                    covers=aggregate.units,
                    missing=aggregate.missing,
                    target=None if target is None else target.value,
                    target_scope=target_scope,
                    status=status,
                    gap_count=_gap(  # the aggregate's own counts: no type checks
                        aggregate.numerator if aggregate.basis == "counts" else None,
                        aggregate.denominator,
                        None if target is None else target.value,
                        spec.direction,
                    ),
                    children_met=sum(c.met for c in compliance),
                    children_not_met=sum(c.not_met for c in compliance),
                    children_no_data=sum(c.no_data for c in compliance),
                    compliance=compliance,
                    include_self=include_self,
                )
            )
    return tuple(rows)
