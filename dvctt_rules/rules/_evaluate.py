"""Evaluation: a plan's rules over a hierarchy and its observations, into exact, explained verdicts."""

from __future__ import annotations

import datetime
from fractions import Fraction
from typing import Literal

from .._errors import EvaluationError
from ..hierarchy import Hierarchy, Unit
from ..observations import Observations, Period, Totals
from ..plugins import AGGREGATORS, EVALUATORS, Aggregator, Evaluator, Measurement, Registry
from ._indicators import Indicator
from ._plan import Plan, PlanRule
from ._rules import Status, Threshold, combine, thresholds
from ._targets import Target
from ._verdicts import Basis, Outcome, Report, RuleVerdict, compare, gap_count

__all__ = ["evaluate", "measure_units", "period_label"]

OnError = Literal["raise", "collect"]


def period_label(observations: Observations, period: Period | None) -> str | None:
    """``"2024-Q1"`` for a given period; for the whole span of the data ``"2024-01..2024-03"``
    (or the single period observed); ``None`` when nothing is observed."""
    if period is not None:
        return str(period)
    periods = sorted(observations.periods())
    if not periods:
        return None
    first, last = min(periods, key=lambda p: p.start), max(periods, key=lambda p: p.end)
    return str(first) if first == last else f"{first}..{last}"


class _Evaluation:
    def __init__(
        self,
        plan: Plan,
        hierarchy: Hierarchy,
        observations: Observations,
        period: Period | None,
        as_of: datetime.date | None,
        on_error: OnError,
        evaluators: Registry[Evaluator],
        aggregator: Aggregator,
    ) -> None:
        self.plan = plan
        self.hierarchy = hierarchy
        self.observations = observations
        self.period = period
        self.as_of = as_of
        self.on_error = on_error
        self.evaluators = evaluators
        self.aggregator = aggregator
        self.label = period_label(observations, period)
        self.errors: list[str] = []
        self._totals: dict[str, Totals] = {}
        self._measurements: dict[tuple[str, str], tuple[Measurement, str | None]] = {}

    def totals(self, unit: Unit) -> Totals:
        found = self._totals.get(unit.id)
        if found is None:
            found = self._totals[unit.id] = self.observations.totals(unit.id, self.period)
        return found

    def measure(self, unit: Unit, indicator: Indicator) -> tuple[Measurement, str | None]:
        """The unit's measurement of ``indicator`` and the error message if its evaluator failed."""
        key = (unit.id, indicator.id)
        if key in self._measurements:
            return self._measurements[key]
        evaluator = self.evaluators.get(indicator.evaluator)
        try:
            measurement = evaluator.measure(indicator, self.totals(unit))
            if not isinstance(measurement, Measurement):
                raise TypeError(f"returned {type(measurement).__name__}, not a Measurement")
            result: tuple[Measurement, str | None] = (measurement, None)
        except Exception as exc:  # a plugin's failure is reported with its context
            message = (
                f"evaluator {evaluator.name!r} failed for unit {unit.id} ({unit.name}), indicator "
                f"{indicator.id}, period {self.label or 'all'}: {type(exc).__name__}: {exc}"
            )
            if self.on_error == "raise":
                raise EvaluationError(
                    message, plugin=evaluator.name, unit=unit.id, indicator=indicator.id, period=self.label
                ) from exc
            self.errors.append(message)
            result = (Measurement.nothing(), message)
        self._measurements[key] = result
        return result

    def target(self, unit: Unit, indicator: Indicator, leaf: Threshold) -> tuple[Target | None, str | None]:
        default = leaf.target
        if default is None and indicator.kind == "zero_count":
            default = Fraction(0)
        found = self.plan.targets.resolve(
            indicator.id, unit.id, unit.level, default=default, as_of=self.as_of
        )
        if found is None:
            return None, None
        if found.unit is not None:
            return found, "unit"
        if found.level is not None:
            return found, "level"
        return found, ("default" if found in self.plan.targets.targets else "rule")

    def judge(self, unit: Unit, plan_rule: PlanRule, leaf: Threshold) -> Outcome:
        indicator = self.plan.indicator(leaf.indicator)
        target, target_scope = self.target(unit, indicator, leaf)
        covers: tuple[str, ...] = ()
        missing_units: tuple[str, ...] = ()
        missing: tuple[str, ...] = ()
        strategy: str | None = None
        error: str | None = None
        if plan_rule.scope == "province":
            pairs = []
            for member in self.hierarchy:
                measurement, failed = self.measure(member, indicator)
                error = error or failed
                pairs.append((member.id, measurement))
            aggregate = self.aggregator.aggregate(indicator, pairs)
            numerator, denominator, value = aggregate.numerator, aggregate.denominator, aggregate.value
            basis: Basis = aggregate.basis
            missing_units, covers, strategy = aggregate.missing, aggregate.units, aggregate.strategy
        else:
            measurement, error = self.measure(unit, indicator)
            numerator, denominator, value = measurement.numerator, measurement.denominator, measurement.value
            basis, missing = measurement.basis, measurement.missing
        status: Status
        if target is None:
            status = "not_applicable"
        elif value is None:
            status = "no_data"
        else:
            status = "met" if compare(value, target.value, indicator.direction) else "not_met"
        return Outcome(
            unit=unit.id,
            unit_name=unit.name,
            level=unit.level,
            rule=plan_rule.id,
            indicator=indicator,
            period=self.label,
            numerator=numerator,
            denominator=denominator,
            value=value,
            target=None if target is None else target.value,
            status=status,
            basis=basis,
            scope=plan_rule.scope,
            target_scope=target_scope,
            citation=(target.citation if target is not None else None)
            or plan_rule.citation
            or indicator.citation,
            gap_count=gap_count(
                numerator if basis == "counts" else None,
                denominator,
                None if target is None else target.value,
                indicator.direction,
            ),
            missing=missing,
            covers=covers,
            missing_units=missing_units,
            strategy=strategy,
            error=error,
        )

    def verdict(self, unit: Unit, plan_rule: PlanRule) -> RuleVerdict:
        leaves = tuple(dict.fromkeys(thresholds(plan_rule.rule)))
        outcomes = {leaf: self.judge(unit, plan_rule, leaf) for leaf in leaves}
        status = combine(plan_rule.rule, lambda leaf: outcomes[leaf].status)
        return RuleVerdict(
            unit.id, plan_rule.id, status, tuple(outcomes.values()), plan_rule.weight, plan_rule.scored
        )

    def run(self) -> Report:
        verdicts: list[RuleVerdict] = []
        root = self.hierarchy.root
        for plan_rule in self.plan.province_rules():
            verdicts.append(self.verdict(root, plan_rule))
        for unit in self.hierarchy:
            for plan_rule in self.plan.rules_for(unit.id, unit.level):
                verdicts.append(self.verdict(unit, plan_rule))
        return Report(
            plan=self.plan.id,
            period=self.label,
            as_of=self.as_of,
            outcomes=tuple(o for v in verdicts for o in v.outcomes),
            verdicts=tuple(verdicts),
            errors=tuple(dict.fromkeys(self.errors)),
        )


def evaluate(
    plan: Plan,
    hierarchy: Hierarchy,
    observations: Observations,
    *,
    period: Period | str | None = None,
    as_of: datetime.date | None = None,
    on_error: OnError = "raise",
    evaluators: Registry[Evaluator] = EVALUATORS,
    aggregator: str = "default",
) -> Report:
    """Judge every rule of ``plan`` for every unit it applies to, exactly.

    ``period`` (a :class:`Period` or ``"2024"``, ``"2024-Q1"``, ``"2024-03"``) sums the counts of the
    observed sub-periods inside it; ``None`` evaluates the whole span of the data at once. ``as_of``
    picks the targets in force on that date (``None``: the latest). Province-scope rules are judged
    once, on the root, from an aggregate of every unit made by the registered ``aggregator``
    (default: sum the counts, then divide). With ``on_error="collect"`` an evaluator that raises is
    reported in ``Report.errors`` and its outcomes are ``no_data`` with the error; the default
    ``"raise"`` stops with :class:`~dvctt_rules.EvaluationError` naming plugin, unit, indicator and
    period. Nothing is mutated.
    """
    if on_error not in ("raise", "collect"):
        raise ValueError(f"on_error must be 'raise' or 'collect', got {on_error!r}")
    parsed = Period.parse(period) if isinstance(period, str) else period
    return _Evaluation(
        plan, hierarchy, observations, parsed, as_of, on_error, evaluators, AGGREGATORS.get(aggregator)
    ).run()


def measure_units(
    plan: Plan,
    hierarchy: Hierarchy,
    observations: Observations,
    indicator: str,
    *,
    period: Period | str | None = None,
    units: tuple[Unit, ...] | None = None,
    on_error: OnError = "raise",
    evaluators: Registry[Evaluator] = EVALUATORS,
) -> dict[str, Measurement]:
    """Each unit's :class:`~dvctt_rules.plugins.Measurement` of one indicator (every unit by default),
    by unit id in hierarchy order; for roll-ups and custom reports."""
    parsed = Period.parse(period) if isinstance(period, str) else period
    run = _Evaluation(
        plan, hierarchy, observations, parsed, None, on_error, evaluators, AGGREGATORS.get("default")
    )
    spec = plan.indicator(indicator)
    return {
        unit.id: run.measure(unit, spec)[0] for unit in (units if units is not None else tuple(hierarchy))
    }
