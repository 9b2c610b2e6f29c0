"""Evaluation: a plan's rules over a hierarchy and its observations, into exact, explained verdicts."""

from __future__ import annotations

import datetime
import warnings
from collections.abc import Iterable, Iterator
from fractions import Fraction
from typing import Literal

from .._errors import (
    HIERARCHY_HINT,
    OBSERVATIONS_HINT,
    PLAN_HINT,
    DataError,
    EvaluationError,
    PlanError,
    Problem,
    listed,
    refuse_non_text,
    refuse_text,
    refuse_type,
)
from .._gc import paused_gc
from ..hierarchy import Hierarchy, Unit
from ..hierarchy._unit import id_of
from ..observations import Observations, Period, Totals
from ..observations._periods import period_argument
from ..plugins import (
    AGGREGATORS,
    EVALUATORS,
    Aggregate,
    Aggregator,
    Evaluator,
    Measurement,
    RatioOfSums,
    Registry,
)
from ..plugins._aggregators import checked_aggregate
from ..plugins._evaluators import checked_measurement
from ._citation import date_mistake
from ._indicators import Indicator, lookup_indicator
from ._plan import Plan, PlanRule
from ._rules import Status, Threshold, combine, negated_thresholds, thresholds, written_target
from ._targets import Target
from ._verdicts import Basis, Outcome, Report, RuleVerdict, _gap, compare, compare_counts

__all__ = ["evaluate", "measure_units", "period_label"]

OnError = Literal["raise", "collect"]


def period_label(observations: Observations, period: Period | None) -> str | None:
    """``"2024-Q1"`` for a given period (a :class:`Period` or its text); for the whole span of the
    data ``"2024-01..2024-03"`` (or the single period observed); ``None`` when nothing is observed."""
    refuse_type(observations, Observations, "observations", "Observations", OBSERVATIONS_HINT)
    if period is not None:
        return str(period_argument(period))
    periods = sorted(observations.periods())
    if not periods:
        return None
    first, last = min(periods, key=lambda p: p.start), max(periods, key=lambda p: p.end)
    return str(first) if first == last else f"{first}..{last}"


# A single threshold's indicator, its ratio's measures and numerator length (when read from the
# columns), and the target when the table has none.
_ThresholdSpec = tuple[Indicator, tuple[str, ...] | None, int, Fraction | None]
#: A light verdict (see _Evaluation.light): rule, status, value, target, then the indicator of a
#: single threshold, or the full verdict of any other rule.
LightVerdict = tuple[PlanRule, Status, Fraction | None, Fraction | None, Indicator | None, RuleVerdict | None]


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
        _check_arguments(hierarchy, observations, as_of)
        self.plan = plan
        self.hierarchy = hierarchy
        self.observations = observations
        self.period = period
        self.as_of = targets_date(as_of, period, observations)
        self.on_error = on_error
        self.evaluators = evaluators
        self.aggregator = aggregator
        self.label = period_label(observations, period)
        self.errors: list[str] = []
        self.catalogue = plan.catalogue()
        # The last unit's totals (units are measured one after another), the measurements made for
        # province-scope rules (every unit), and the current unit's other measurements.
        self._totals: tuple[str, Totals] | None = None
        self._every: dict[str, Totals] | None = None  # every unit's, while province rules are judged
        self._kept: dict[tuple[str, str], tuple[Measurement, str | None]] = {}
        self._current: tuple[str, dict[str, tuple[Measurement, str | None]]] = ("", {})
        self._indicators: dict[str, Indicator] = {}
        self._evaluators: dict[str, Evaluator] = {}
        self._leaves: dict[str, tuple[Threshold, ...]] = {}
        self._fallbacks: dict[tuple[str, Fraction], Target] = {}
        self._named = frozenset(unit for plan_rule in plan.rules for unit in plan_rule.units)
        self._rules_for: dict[tuple[str, str | None], tuple[PlanRule, ...]] = {}

    def totals(self, unit: Unit) -> Totals:
        last = self._totals
        if last is not None and last[0] == unit.id:
            return last[1]
        if self._every is not None:
            found = self._every.get(unit.id)
            if found is None:
                found = self._every[unit.id] = self.observations.totals(unit.id, self.period)
        else:
            found = self.observations.totals(unit.id, self.period)
        self._totals = (unit.id, found)
        return found

    def indicator(self, indicator_id: str) -> Indicator:
        found = self._indicators.get(indicator_id)
        if found is None:
            found = self._indicators[indicator_id] = lookup_indicator(indicator_id, self.catalogue)
        return found

    def evaluator(self, indicator: Indicator) -> Evaluator:
        """The registered evaluator of ``indicator``, looked up once per run."""
        found = self._evaluators.get(indicator.evaluator)
        if found is None:
            found = self._evaluators[indicator.evaluator] = self.evaluators.get(indicator.evaluator)
        return found

    def measure(
        self, unit: Unit, indicator: Indicator, *, keep: bool = False
    ) -> tuple[Measurement, str | None]:
        """The unit's measurement of ``indicator`` and the error message if its evaluator failed.

        ``keep`` remembers it for the rest of the run (province-scope rules measure every unit, and
        the unit's own rules may use the same indicators); otherwise only until the next unit.
        """
        key = (unit.id, indicator.id)
        if self._kept:
            found = self._kept.get(key)
            if found is not None:
                return found
        current_unit, current = self._current
        if current_unit != unit.id:
            current = {}
            self._current = (unit.id, current)
        found = current.get(indicator.id)
        if found is not None:
            return found
        evaluator = self.evaluator(indicator)
        try:
            measurement = None
            if _built_in_ratio(evaluator):  # plain data: faster
                measurement = self._ratio_of_sums(unit, indicator)
            if measurement is None:
                measurement = checked_measurement(evaluator.measure(indicator, self.totals(unit)))
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
        if keep:
            self._kept[key] = result
        else:
            current[indicator.id] = result
        return result

    def _ratio_of_sums(self, unit: Unit, indicator: Indicator) -> Measurement | None:
        """:class:`RatioOfSums` straight from the observations' columns when the unit's counts are
        plain sums (:meth:`Observations._plain_sums`), else ``None``."""
        names = indicator.numerator + indicator.denominator
        sums = self.observations._plain_sums(unit.id, names, self.period, len(indicator.numerator))
        if sums is None:
            return None
        numerator, denominator = sums
        if denominator == 0:
            return Measurement(numerator, denominator, None, "none")
        return Measurement(numerator, denominator, Fraction(numerator, denominator), "counts")

    def target(self, unit: Unit, indicator: Indicator, leaf: Threshold) -> tuple[Target | None, str | None]:
        """The target in force and where it came from: ``"unit"``, ``"level"``, ``"default"`` (the
        plan's default) or ``"rule"`` (written in the rule); see :meth:`TargetTable.resolve`."""
        default = written_target(leaf, indicator)
        found = self.plan.targets._lookup(indicator.id, unit.id, unit.level, self.as_of)
        if found is not None:
            if found.unit is not None:
                return found, "unit"
            return found, ("level" if found.level is not None else "default")
        if default is None:
            return None, None
        fallback = self._fallbacks.get((indicator.id, default))
        if fallback is None:
            fallback = self._fallbacks[(indicator.id, default)] = Target(indicator.id, default)
        return fallback, "rule"

    def leaves(self, plan_rule: PlanRule) -> tuple[Threshold, ...]:
        found = self._leaves.get(plan_rule.id)
        if found is None:
            found = self._leaves[plan_rule.id] = tuple(dict.fromkeys(thresholds(plan_rule.rule)))
        return found

    def rules_for(self, unit: Unit) -> tuple[PlanRule, ...]:
        """The plan's unit-scope rules for ``unit`` (:meth:`Plan.rules_for`), computed once per level
        for the units no rule names."""
        key = (unit.level, unit.id if unit.id in self._named else None)
        found = self._rules_for.get(key)
        if found is None:
            found = self._rules_for[key] = self.plan.rules_for(unit.id, unit.level)
        return found

    def judge(self, unit: Unit, plan_rule: PlanRule, leaf: Threshold, negated: bool = False) -> Outcome:
        indicator = self.indicator(leaf.indicator)
        target, target_scope = self.target(unit, indicator, leaf)
        covers: tuple[str, ...] = ()
        missing_units: tuple[str, ...] = ()
        missing: tuple[str, ...] = ()
        strategy: str | None = None
        error: str | None = None
        if plan_rule.scope == "province":
            pairs = []
            for member in self.hierarchy:
                measurement, failed = self.measure(member, indicator, keep=True)
                error = error or failed
                pairs.append((member.id, measurement))
            aggregate = run_aggregator(self.aggregator, indicator, pairs, self.label)
            numerator, denominator, value = aggregate.numerator, aggregate.denominator, aggregate.value
            basis: Basis = aggregate.basis
            missing_units, covers, strategy = aggregate.missing, aggregate.units, aggregate.strategy
        else:
            measurement, error = self.measure(unit, indicator)
            numerator, denominator, value = measurement.numerator, measurement.denominator, measurement.value
            basis, missing = measurement.basis, measurement.missing
        status = _status(value, None if target is None else target.value, indicator.direction)
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
            or indicator.citation
            or self.plan.citation,
            gap_count=_gap(  # the evaluation's own counts: no type checks
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
            negated=negated,
        )

    def light(
        self, units: Iterable[Unit], rules: frozenset[str]
    ) -> Iterator[tuple[Unit, list[LightVerdict]]]:
        """Each unit's verdicts on its unit-scope ``rules`` (by id, in plan order), light: for a
        rule that is a single threshold, its status, value, target and indicator, as
        :meth:`verdict` would give them, without making the :class:`Outcome` and
        :class:`RuleVerdict` (rankings of many units read nothing else); for any other rule, the
        :class:`RuleVerdict` too. Province-scope rules are left out."""
        specs_of: dict[tuple[str, str | None], list[tuple[PlanRule, _ThresholdSpec | None]]] = {}
        lookup = self.plan.targets._lookup
        plain = self.observations._plain_sums
        period, as_of = self.period, self.as_of
        for unit in units:
            key = (unit.level, unit.id if unit.id in self._named else None)
            specs = specs_of.get(key)
            if specs is None:
                specs = specs_of[key] = [
                    (plan_rule, self._threshold_spec(plan_rule))
                    for plan_rule in self.rules_for(unit)
                    if plan_rule.id in rules
                ]
            items: list[LightVerdict] = []
            for plan_rule, spec in specs:
                if spec is None:
                    verdict = self.verdict(unit, plan_rule)
                    single = verdict.outcomes[0] if len(verdict.outcomes) == 1 else None
                    items.append(
                        (
                            plan_rule,
                            verdict.status,
                            None if single is None else single.value,
                            None if single is None else single.target,
                            None,
                            verdict,
                        )
                    )
                    continue
                indicator, names, cut, default = spec
                found = lookup(indicator.id, unit.id, unit.level, as_of)
                target = default if found is None else found.value
                sums = None if names is None else plain(unit.id, names, period, cut)
                if sums is None:
                    value = self.measure(unit, indicator)[0].value
                    status = _status(value, target, indicator.direction)
                elif not sums[1]:  # what RatioOfSums makes of plain counts: no data
                    value = None
                    status = "no_data" if target is not None else "not_applicable"
                else:  # compared on the counts: the same as comparing the reduced fraction
                    value = Fraction(sums[0], sums[1])
                    status = _status_of_counts(sums[0], sums[1], target, indicator.direction)
                items.append((plan_rule, status, value, target, indicator, None))
            yield unit, items

    def _threshold_spec(self, plan_rule: PlanRule) -> _ThresholdSpec | None:
        """For a single unit-scope threshold: its indicator; when the built-in ``ratio_of_sums``
        measures it, the measures of its numerator then denominator and the numerator's length;
        and the target that applies when the plan's table has none (see :meth:`target`).
        ``None`` for any other rule."""
        leaf = plan_rule.rule
        if plan_rule.scope != "unit" or not isinstance(leaf, Threshold):
            return None
        indicator = self.indicator(leaf.indicator)
        default = written_target(leaf, indicator)
        if _built_in_ratio(self.evaluator(indicator)):
            names = indicator.numerator + indicator.denominator
            return indicator, names, len(indicator.numerator), default
        return indicator, None, 0, default

    def verdict(self, unit: Unit, plan_rule: PlanRule) -> RuleVerdict:
        leaves = self.leaves(plan_rule)
        if len(leaves) == 1 and isinstance(plan_rule.rule, Threshold):
            outcome = self.judge(unit, plan_rule, leaves[0])
            return RuleVerdict(
                unit.id, plan_rule.id, outcome.status, (outcome,), plan_rule.weight, plan_rule.scored
            )
        negated = negated_thresholds(plan_rule.rule)
        outcomes = {leaf: self.judge(unit, plan_rule, leaf, leaf in negated) for leaf in leaves}
        status = combine(plan_rule.rule, lambda leaf: outcomes[leaf].status)
        return RuleVerdict(
            unit.id, plan_rule.id, status, tuple(outcomes.values()), plan_rule.weight, plan_rule.scored
        )

    def run(self, rules: frozenset[str] | None = None, units: frozenset[str] | None = None) -> Report:
        """Judge the plan's rules (only ``rules``, by id, when given) for every unit (only ``units``,
        by id, when given); province-scope rules are judged on the root when it is among the units."""
        verdicts: list[RuleVerdict] = []
        root = self.hierarchy.root
        if units is None or root.id in units:
            # Province-scope rules measure every unit, one indicator after another: keep the totals.
            self._every = {}
            for plan_rule in self.plan.province_rules():
                if rules is None or plan_rule.id in rules:
                    verdicts.append(self.verdict(root, plan_rule))
            self._every = None
        members = (
            self.hierarchy
            if units is None
            else sorted((self.hierarchy[u] for u in units), key=lambda u: self.hierarchy.sort_key(u.id))
        )
        for unit in members:
            for plan_rule in self.rules_for(unit):
                if rules is None or plan_rule.id in rules:
                    verdicts.append(self.verdict(unit, plan_rule))
        return Report(
            plan=self.plan.id,
            period=self.label,
            as_of=self.as_of,
            outcomes=tuple(o for v in verdicts for o in v.outcomes),
            verdicts=tuple(verdicts),
            errors=tuple(dict.fromkeys(self.errors)),
        )


def _built_in_ratio(evaluator: Evaluator) -> bool:
    """Whether ``evaluator`` is the built-in ``ratio_of_sums`` itself (a subclass may measure
    otherwise), whose result on plain counts the evaluation may compute from the columns."""
    return isinstance(evaluator, RatioOfSums) and type(evaluator) is RatioOfSums


def _status(value: Fraction | None, target: Fraction | None, direction: str) -> Status:
    if target is None:
        return "not_applicable"
    if value is None:
        return "no_data"
    return "met" if compare(value, target, direction) else "not_met"


def _status_of_counts(numerator: int, denominator: int, target: Fraction | None, direction: str) -> Status:
    """:func:`_status` of the value ``numerator / denominator`` (``denominator`` ≠ 0), unreduced."""
    if target is None:
        return "not_applicable"
    return "met" if compare_counts(numerator, denominator, target, direction) else "not_met"


def run_aggregator(
    aggregator: Aggregator, indicator: Indicator, pairs: list[tuple[str, Measurement]], label: str | None
) -> Aggregate:
    """``aggregator``'s aggregate of ``pairs``; a plugin's failure or malformed result is an
    :class:`~dvctt_rules.EvaluationError` naming it, the indicator and the period. Internal."""
    try:
        return checked_aggregate(aggregator.aggregate(indicator, pairs))
    except Exception as exc:  # a plugin's failure is reported with its context
        raise EvaluationError(
            f"aggregator {aggregator.name!r} failed for indicator {indicator.id}, period {label or 'all'}: "
            f"{type(exc).__name__}: {exc}",
            plugin=aggregator.name,
            indicator=indicator.id,
            period=label,
        ) from exc


def check_inputs(
    plan: object, hierarchy: object, observations: object, *, name: str = "observations", report: bool = False
) -> None:
    """Refuse, with ``TypeError``, a ``plan``, ``hierarchy`` or ``observations`` (called ``name``;
    a :class:`Report` too with ``report``) of another type: checked once where a public call comes
    in, not found missing deep inside. Internal."""
    refuse_type(plan, Plan, "plan", "a Plan", PLAN_HINT)
    refuse_type(hierarchy, Hierarchy, "hierarchy", "a Hierarchy", HIERARCHY_HINT)
    if report:
        refuse_type(observations, (Observations, Report), name, "Observations or a Report", OBSERVATIONS_HINT)
    else:
        refuse_type(observations, Observations, name, "Observations", OBSERVATIONS_HINT)


class UnmatchedUnitWarning(UserWarning):
    """A plan's targets or rules name units the hierarchy does not have: they judge no unit (a
    misspelt id, or a plan written for another hierarchy)."""


def warn_unmatched_units(plan: Plan, hierarchy: Hierarchy, stacklevel: int) -> None:
    """Warn (:class:`UnmatchedUnitWarning`) when targets or rules of ``plan`` name units that are
    not in ``hierarchy``: they would be passed over without a word. ``stacklevel`` as
    :func:`warnings.warn` takes it, from this function. Internal."""
    for what, named in (
        ("targets", plan.targets._unit_ids()),  # a country's: C loops, no Python step per target
        ("rules", dict.fromkeys(unit for rule in plan.rules for unit in rule.units)),
    ):
        unknown = hierarchy._absent(named)
        if unknown:
            warnings.warn(
                f"the {what} of plan {plan.id!r} name {len(unknown):,} unit{'s' if len(unknown) > 1 else ''} "
                f"the hierarchy does not have: {listed(unknown)}; those {what} judge no unit (check the "
                "ids, or use the hierarchy the plan was written for)",
                UnmatchedUnitWarning,
                stacklevel=stacklevel + 1,
            )


def check_plan_fits(plan: Plan, hierarchy: Hierarchy) -> None:
    """Refuse a plan none of whose unit rules can apply to the hierarchy (its levels named otherwise,
    its units absent): only the province-wide rules would be judged, without a word. For the calls
    that judge a plan's rules (:func:`evaluate`, ``rank``), not those that measure. Internal."""
    unit_rules = [rule for rule in plan.rules if rule.scope == "unit"]
    levels = set(hierarchy.levels)
    if not unit_rules or any(
        (not rule.levels and not rule.units)
        or levels.intersection(rule.levels)
        or any(unit in hierarchy for unit in rule.units)
        for rule in unit_rules
    ):
        return
    named = sorted({level for rule in unit_rules for level in rule.levels})
    raise PlanError(
        f"no rule of plan {plan.id!r} applies to this hierarchy: its rules are for the levels {named} "
        f"(or units it does not have), the hierarchy's levels are {list(hierarchy.levels)}; use a plan "
        "written for these levels, or read the hierarchy with the plan's level names"
    )


def targets_date(
    as_of: datetime.date | None, period: Period | None, observations: Observations
) -> datetime.date | None:
    """The date whose targets judge ``period`` of ``observations``: ``as_of`` when given, else the
    period's last day, else (the whole span) the last day of the latest period observed; ``None``
    (the latest targets) only for observations without any period. A target not yet in force at the
    end of a period does not judge it. Internal."""
    if as_of is not None:
        return as_of
    if period is not None:
        return period.end
    periods = observations.periods()
    return max(p.end for p in periods) if periods else None


def _check_arguments(hierarchy: Hierarchy, observations: Observations, as_of: datetime.date | None) -> None:
    """Refuse what would be misread deep inside an evaluation: a date of another type, and data of
    units the hierarchy does not have (they would be left out without a word). The period was read
    by :func:`~dvctt_rules.observations._periods.period_argument`, which refuses other types."""
    if as_of is not None and type(as_of) is not datetime.date and (mistake := date_mistake("as_of", as_of)):
        raise TypeError(mistake)
    if observations.hierarchy is hierarchy:  # checked as they were made
        return
    strangers = [unit for unit in observations.units() if unit not in hierarchy]
    if strangers:
        problem = Problem(
            f"the observations have data of units the hierarchy does not have: {listed(strangers)}",
            hint="make the observations with this hierarchy (load_observations(source, hierarchy)), "
            "which says which rows name them",
        )
        raise DataError([problem])


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
    rules: Iterable[str] | None = None,
    units: Iterable[Unit | str] | None = None,
) -> Report:
    """Judge every rule of ``plan`` for every unit it applies to, exactly.

    ``period`` (a :class:`Period` or ``"2024"``, ``"2024-Q1"``, ``"2024-03"``) sums the counts of the
    observed sub-periods inside it; ``None`` evaluates the whole span of the data at once. ``as_of``
    picks the targets in force on that date (``None``: the last day of ``period``, or of the latest
    period observed; the report's ``as_of`` says which date it was). Province-scope rules are judged
    once, on the root, from an aggregate of every unit made by the registered ``aggregator``
    (default: sum the counts, then divide). With ``on_error="collect"`` an evaluator that raises is
    reported in ``Report.errors`` and its outcomes are ``no_data`` with the error; the default
    ``"raise"`` stops with :class:`~dvctt_rules.EvaluationError` naming plugin, unit, indicator and
    period. Nothing is mutated.

    ``rules`` (rule ids) and ``units`` (units or unit ids) judge only those rules and those units:
    the report then holds exactly the verdicts of the full evaluation for them, in the same order
    (a province-scope rule is judged on the root, so only when the root is among ``units``). An
    unknown rule id raises :class:`~dvctt_rules.UnknownNameError`, an unknown unit
    :class:`~dvctt_rules.UnknownUnitError`, both with suggestions. Observations with data of units
    the hierarchy does not have raise :class:`~dvctt_rules.DataError` (those loaded with this
    hierarchy were checked as they were read).

    >>> from dvctt_rules.datasets import load_dataset
    >>> ds = load_dataset("binh-duong-2023")
    >>> report = evaluate(ds.plan, ds.hierarchy, ds.baseline, rules=["PL-II.1"], units=["25774", "718"])
    >>> [(o.unit, o.rule, o.status) for o in report]
    [('718', 'PL-II.1', 'not_met'), ('25774', 'PL-II.1', 'met')]
    """
    if on_error not in ("raise", "collect"):
        raise ValueError(f"on_error must be 'raise' or 'collect', got {on_error!r}")
    check_inputs(plan, hierarchy, observations)
    _check_plugins(evaluators, aggregator)
    parsed = None if period is None else period_argument(period)
    check_plan_fits(plan, hierarchy)  # judging a plan's rules: some must be able to apply
    warn_unmatched_units(plan, hierarchy, stacklevel=2)  # the caller of evaluate
    return judge(plan, hierarchy, observations, parsed, as_of, rules, units, on_error, evaluators, aggregator)


def judge(
    plan: Plan,
    hierarchy: Hierarchy,
    observations: Observations,
    period: Period | None,
    as_of: datetime.date | None,
    rules: Iterable[str] | None,
    units: Iterable[Unit | str] | None,
    on_error: OnError = "raise",
    evaluators: Registry[Evaluator] = EVALUATORS,
    aggregator: str = "default",
) -> Report:
    """:func:`evaluate` for the library's own callers, which checked its inputs and said what there
    was to say about them: no checks of the plan and inputs, no warning. Internal."""
    chosen_rules = None if rules is None else _rule_ids(plan, rules)
    chosen_units = None if units is None else _unit_ids(hierarchy, units)
    run = _Evaluation(
        plan, hierarchy, observations, period, as_of, on_error, evaluators, AGGREGATORS.get(aggregator)
    )
    with paused_gc():
        return run.run(chosen_rules, chosen_units)


def _check_plugins(evaluators: object, aggregator: object | None) -> None:
    """Refuse ``evaluators`` that are not a registry, and an ``aggregator`` name (when given) that is
    not a text."""
    refuse_type(
        evaluators, Registry, "evaluators", "a plugin Registry", "leave it out for the registered evaluators"
    )
    if aggregator is not None and not isinstance(aggregator, str):  # listing the names discovers plugins
        refuse_non_text(
            aggregator,
            "aggregator",
            "a registered name",
            f"pass one of {', '.join(map(repr, AGGREGATORS.names()))}",
        )


def _rule_ids(plan: Plan, rules: Iterable[str]) -> frozenset[str]:
    refuse_text(rules, "rules", "rule ids")
    known = {plan_rule.id for plan_rule in plan.rules}
    return frozenset(rule if rule in known else plan.rule(rule).id for rule in rules)


def _unit_ids(hierarchy: Hierarchy, units: Iterable[Unit | str]) -> frozenset[str]:
    return frozenset(_unit_order(hierarchy, units))


def _unit_order(hierarchy: Hierarchy, units: Iterable[Unit | str]) -> list[str]:
    """The ids of ``units`` (units or ids) in the order given, each checked against the hierarchy."""
    refuse_text(units, "units", "units or unit ids")
    ids = []
    for unit in units:
        unit_id = id_of(unit, "units")
        if unit_id not in hierarchy:
            hierarchy[unit_id]  # raises UnknownUnitError with suggestions
        ids.append(unit_id)
    return ids


def measure_units(
    plan: Plan,
    hierarchy: Hierarchy,
    observations: Observations,
    indicator: str,
    *,
    period: Period | str | None = None,
    units: Iterable[Unit | str] | None = None,
    on_error: OnError = "raise",
    evaluators: Registry[Evaluator] = EVALUATORS,
) -> dict[str, Measurement]:
    """Each unit's :class:`~dvctt_rules.plugins.Measurement` of one indicator (every unit by default,
    or ``units``: units or unit ids, as :func:`evaluate` takes them), by unit id in the order given
    (the hierarchy's by default); for roll-ups and custom reports."""
    check_inputs(plan, hierarchy, observations)
    _check_plugins(evaluators, None)
    parsed = None if period is None else period_argument(period)
    run = _Evaluation(
        plan, hierarchy, observations, parsed, None, on_error, evaluators, AGGREGATORS.get("default")
    )
    spec = plan.indicator(indicator)
    chosen = tuple(hierarchy) if units is None else [hierarchy[u] for u in _unit_order(hierarchy, units)]
    return {unit.id: run.measure(unit, spec)[0] for unit in chosen}
