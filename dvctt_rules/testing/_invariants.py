"""Invariant checks a downstream test suite can run on any result: verdicts, roll-ups and rankings.

Plain functions (no hypothesis needed). Each recomputes what it checks directly and exactly from the
inputs, with its own arithmetic rather than the library's, and raises ``AssertionError`` naming the
unit, rule, indicator and period, what was found and what was expected.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, NamedTuple

from ..hierarchy import Hierarchy, Unit
from ..observations import Observation, Observations, Period
from ..rules import AllOf, AnyOf, Indicator, Not, Outcome, Plan, PlanRule, Report, Rule, Status, Threshold

if TYPE_CHECKING:
    from ..aggregate import RollupRow
    from ..ranking import Ranking, RankRow

__all__ = ["check_ranking", "check_rollup", "check_verdicts"]


class _Expected(NamedTuple):
    numerator: int | None
    denominator: int | None
    value: Fraction | None
    basis: str
    missing: tuple[str, ...] = ()


class _Aggregate(NamedTuple):
    numerator: int | None
    denominator: int | None
    value: Fraction | None
    basis: str
    covers: tuple[str, ...]
    missing: tuple[str, ...]


_NOTHING = _Expected(None, None, None, "none")


def _fail(where: str, message: str) -> AssertionError:
    return AssertionError(f"{where}: {message}")


def _show(value: object) -> str:
    if isinstance(value, Fraction):
        return str(value) if value.denominator == 1 else f"{value} (≈ {float(value):.6g})"
    return repr(value)


# -- recomputation from the counts ---------------------------------------------------------------


def _period_of(label: str | None) -> Period | None:
    """The period a report or roll-up label names; ``None`` for the whole span ("2024-01..2024-03").

    When no period was asked for and the data span exactly one period, the label is that period; the
    sums over it and over the whole span are the same, since every row lies inside it.
    """
    if label is None or ".." in label:
        return None
    return Period.parse(label)


class _Data:
    """One unit's values over a period, accumulated from its rows as each measure's ``over_time`` says."""

    def __init__(self, observations: Observations, period: Period | None) -> None:
        self.catalog = observations.catalog
        self.period = period
        self.rows: dict[str, list[Observation]] = {}
        for row in observations:
            if period is None or period.contains(row.period):
                self.rows.setdefault(row.unit, []).append(row)
        for rows in self.rows.values():
            rows.sort(key=lambda o: o.period.start)
        self._cache: dict[tuple[str, str], int | Fraction | None] = {}

    def get(self, unit: str, name: str) -> int | Fraction | None:
        key = (unit, name)
        if key not in self._cache:
            self._cache[key] = self._accumulate(self.rows.get(unit, []), name)
        return self._cache[key]

    def _accumulate(self, rows: list[Observation], name: str) -> int | Fraction | None:
        if name not in self.catalog or not any(name in row.measures for row in rows):
            return None
        values = [row.values.get(name) for row in rows]
        how = self.catalog.get(name).over_time
        if how == "sum":
            if any(value is None for value in values):
                return None
            total: int | Fraction = 0
            for value in values:
                total += value or 0
            return total
        if how == "last":
            return values[-1]
        return values[0] if len(values) == 1 else None

    def count(self, unit: str, name: str) -> int | None:
        value = (
            self.get(unit, name) if name in self.catalog and self.catalog.get(name).kind == "count" else None
        )
        return None if value is None else int(value)

    def rate(self, unit: str, name: str) -> Fraction | None:
        value = (
            self.get(unit, name) if name in self.catalog and self.catalog.get(name).kind == "rate" else None
        )
        return None if value is None else Fraction(value)

    def measure(self, unit: str, indicator: Indicator) -> _Expected | None:
        """What a built-in evaluator must find; ``None`` for a plugin's evaluator (not recomputed)."""

        def total(names: tuple[str, ...]) -> tuple[int | None, list[str]]:
            values = [self.count(unit, name) for name in names]
            missing = [name for name, value in zip(names, values, strict=True) if value is None]
            return (None if missing else sum(v for v in values if v is not None)), missing

        if indicator.evaluator == "ratio_of_sums":
            numerator, missing_numerator = total(indicator.numerator)
            denominator, missing_denominator = total(indicator.denominator)
            missing = tuple(dict.fromkeys(missing_numerator + missing_denominator))
            if numerator is not None and denominator is not None:
                if denominator == 0:
                    return _Expected(numerator, 0, None, "none")
                return _Expected(numerator, denominator, Fraction(numerator, denominator), "counts")
            rate = self.rate(unit, indicator.id)
            if rate is not None:
                return _Expected(None, None, rate, "rate", missing)
            return _Expected(None, None, None, "none", missing)
        if indicator.evaluator == "zero_count":
            count, missing_count = total(indicator.numerator)
            if count is None:
                return _Expected(None, None, None, "none", tuple(missing_count))
            return _Expected(count, None, Fraction(count), "counts")
        if indicator.evaluator == "rate":
            rate = self.rate(unit, indicator.id)
            if rate is None:
                return _Expected(None, None, None, "none", (indicator.id,))
            return _Expected(None, None, rate, "rate")
        return None


def _aggregate(
    strategy: str, indicator: Indicator, parts: Sequence[tuple[str, _Expected]]
) -> _Aggregate | None:
    """The aggregate a built-in aggregator must make of ``parts``; ``None`` for a plugin's."""
    if strategy == "sum":
        used = [
            (u, m)
            for u, m in parts
            if m.basis == "counts" or (m.numerator is not None and m.denominator == 0)
        ]
        unused = tuple(sorted(u for u, m in parts if (u, m) not in used))
        if not used:
            return _Aggregate(None, None, None, "none", (), unused)
        covers = tuple(sorted(u for u, _ in used))
        numerator = sum(m.numerator or 0 for _, m in used)
        if not indicator.denominator:
            return _Aggregate(numerator, None, Fraction(numerator), "counts", covers, unused)
        denominator = sum(m.denominator or 0 for _, m in used)
        value = Fraction(numerator, denominator) if denominator else None
        return _Aggregate(
            numerator, denominator, value, "counts" if value is not None else "none", covers, unused
        )
    if strategy in ("mean_of_rates", "min", "max"):
        known = [(u, m.value) for u, m in parts if m.value is not None]
        unknown = tuple(sorted(u for u, m in parts if m.value is None))
        if not known:
            return _Aggregate(None, None, None, "none", (), unknown)
        values = [v for _, v in known]
        if strategy == "mean_of_rates":
            value = sum(values, Fraction(0)) / len(values)
        else:
            value = min(values) if strategy == "min" else max(values)
        return _Aggregate(None, None, value, strategy, tuple(sorted(u for u, _ in known)), unknown)
    return None


def _meets(value: Fraction, target: Fraction, direction: str) -> bool:
    if direction == "at_least":
        return value >= target
    if direction == "at_most":
        return value <= target
    return value == target


def _status(value: Fraction | None, target: Fraction | None, direction: str) -> Status:
    if target is None:
        return "not_applicable"
    if value is None:
        return "no_data"
    return "met" if _meets(value, target, direction) else "not_met"


def _in_force(date: datetime.date | None, as_of: datetime.date | None) -> bool:
    return as_of is None or (date or datetime.date.min) <= as_of


def _resolve(
    plan: Plan, indicator: Indicator, unit: Unit, leaf: Threshold, as_of: datetime.date | None
) -> tuple[Fraction | None, str | None]:
    """The target in force: the unit's own, else its level's, else the plan default, each the latest
    in force on ``as_of``; else the threshold's own (0 for a count that must be zero)."""
    mine = [t for t in plan.targets if t.indicator == indicator.id]
    for scope, scoped in (
        ("unit", [t for t in mine if t.unit == unit.id]),
        ("level", [t for t in mine if t.unit is None and t.level == unit.level]),
        ("default", [t for t in mine if t.unit is None and t.level is None]),
    ):
        in_force = [t for t in scoped if _in_force(t.effective_from, as_of)]
        if in_force:
            return max(in_force, key=lambda t: t.effective_from or datetime.date.min).value, scope
    if leaf.target is not None:
        return leaf.target, "rule"
    if indicator.kind == "zero_count":
        return Fraction(0), "rule"
    return None, None


def _leaves(rule: Rule) -> list[Threshold]:
    if isinstance(rule, Threshold):
        return [rule]
    if isinstance(rule, Not):
        return _leaves(rule.rule)
    return [leaf for child in rule.rules for leaf in _leaves(child)]


def _parities(rule: Rule, odd: bool = False) -> set[tuple[Threshold, bool]]:
    if isinstance(rule, Threshold):
        return {(rule, odd)}
    if isinstance(rule, Not):
        return _parities(rule.rule, not odd)
    return set().union(*(_parities(child, odd) for child in rule.rules))


def _under_not(rule: Rule) -> set[Threshold]:
    found = _parities(rule)
    return {leaf for leaf, odd in found if odd and (leaf, False) not in found}


def _kleene(rule: Rule, status: Mapping[Threshold, Status]) -> Status:
    if isinstance(rule, Threshold):
        return status[rule]
    if isinstance(rule, Not):
        inner = _kleene(rule.rule, status)
        if inner == "met":
            return "not_met"
        return "met" if inner == "not_met" else inner
    found = {_kleene(child, status) for child in rule.rules} - {"not_applicable"}
    if not found:
        return "not_applicable"
    if isinstance(rule, AllOf):
        return "not_met" if "not_met" in found else "no_data" if "no_data" in found else "met"
    assert isinstance(rule, AnyOf)
    return "met" if "met" in found else "no_data" if "no_data" in found else "not_met"


def _applies(plan_rule: PlanRule, unit: Unit) -> bool:
    if plan_rule.scope != "unit":
        return False
    if not plan_rule.levels and not plan_rule.units:
        return True
    return unit.level in plan_rule.levels or unit.id in plan_rule.units


def _check_gap_count(where: str, outcome: Outcome | RollupRow, direction: str) -> None:
    """``gap_count`` is the fewest numerator items to add (or remove) at the same denominator to meet
    the target: that many meet it, one fewer does not; to equal a target, the distance to the one
    numerator that does (none when no whole numerator does)."""
    numerator, denominator, target = outcome.numerator, outcome.denominator, outcome.target
    if outcome.basis != "counts" or numerator is None or target is None or denominator == 0:
        return
    gap = outcome.gap_count
    if direction == "equal":
        bound = target if denominator is None else target * denominator
        expected = int(abs(bound - numerator)) if bound.denominator == 1 else None
        if gap != expected:
            raise _fail(
                where, f"gap_count is {gap!r} but the distance to a numerator of {bound} is {expected!r}"
            )
        return
    if gap is None or gap < 0:
        raise _fail(where, f"gap_count is {gap!r}; counts and a target give a whole number >= 0")
    step = 1 if direction == "at_least" else -1

    def meets(n: int) -> bool:
        value = Fraction(n) if denominator is None else Fraction(n, denominator)
        return _meets(value, target, direction)

    if not meets(numerator + step * gap):
        raise _fail(
            where, f"gap_count {gap} is too small: {numerator} {'+' if step > 0 else '-'} {gap} misses"
        )
    if gap > 0 and meets(numerator + step * (gap - 1)):
        raise _fail(where, f"gap_count {gap} is not the fewest: {gap - 1} would do")


# -- verdicts -----------------------------------------------------------------------------------


def _where(outcome: Outcome) -> str:
    return (
        f"unit {outcome.unit!r} ({outcome.unit_name}), rule {outcome.rule!r}, indicator "
        f"{outcome.indicator.id!r}, period {outcome.period or 'all'}"
    )


def _compare(where: str, field: str, got: object, expected: object, why: str = "") -> None:
    if got != expected:
        raise _fail(where, f"{field} is {_show(got)} but {why or 'a recomputation gives'} {_show(expected)}")


def _check_unit(here: str, outcome: Outcome, expected: _Expected | None) -> Fraction | None:
    """Check a unit's measurement against the recomputed one; the value to judge."""
    if expected is None:  # a plugin's evaluator: not recomputed
        return outcome.value
    _compare(here, "numerator", outcome.numerator, expected.numerator, "the counts sum to")
    _compare(here, "denominator", outcome.denominator, expected.denominator, "the counts sum to")
    _compare(here, "value", outcome.value, expected.value, "the counts give")
    _compare(here, "basis", outcome.basis, expected.basis)
    _compare(here, "missing", outcome.missing, expected.missing, "the unknown measures are")
    return expected.value


def _check_province(
    here: str,
    outcome: Outcome,
    indicator: Indicator,
    measured: Mapping[str, _Expected | None],
    aggregator: str,
) -> Fraction | None:
    """Check a province-scope aggregate against the recomputed parts; the value to judge."""
    parts = [(u, m) for u, m in measured.items() if m is not None]
    if len(parts) != len(measured):  # some part comes from a plugin's evaluator: not recomputed
        return outcome.value
    if aggregator == "default":
        summed = _aggregate("sum", indicator, parts)
        rates_only = summed is not None and not summed.covers and any(m.basis == "rate" for _, m in parts)
        choice = "mean_of_rates" if rates_only else "sum"
        _compare(here, "strategy", outcome.strategy, choice, "the default aggregator picks")
    got = _aggregate(outcome.strategy or "", indicator, parts)
    if got is None:  # a plugin's aggregator
        return outcome.value
    _compare(here, "numerator", outcome.numerator, got.numerator, "the parts sum to")
    _compare(here, "denominator", outcome.denominator, got.denominator, "the parts sum to")
    _compare(here, "value", outcome.value, got.value, "the parts give")
    _compare(here, "basis", outcome.basis, got.basis)
    _compare(here, "covers", outcome.covers, got.covers, "the units with data are")
    _compare(here, "missing_units", outcome.missing_units, got.missing, "the units without are")
    _compare(here, "missing", outcome.missing, (), "a province-wide outcome names units, not measures:")
    return got.value


def check_verdicts(
    report: Report,
    plan: Plan,
    hierarchy: Hierarchy,
    observations: Observations,
    *,
    aggregator: str = "default",
) -> None:
    """Check that every verdict of ``report`` agrees with a direct, exact recomputation from the counts.

    ``report`` must come from ``evaluate(plan, hierarchy, observations, ...)`` (any ``period`` and
    ``as_of``, read back from the report; ``aggregator`` as given to ``evaluate``). Checked:

    - the report judges exactly the (unit, rule) pairs the plan applies, in hierarchy then plan
      order: province-scope rules once on the root, unit-scope rules on the units their levels and
      units select (all units when they select none); ``outcomes`` are the verdicts' outcomes;
    - each outcome belongs to its rule's thresholds, one per distinct threshold, in order, and is
      ``negated`` exactly when its threshold is under an odd number of ``not_`` wherever it appears;
    - the value: each unit's counts summed over the period (sums of flows, the latest stock, a
      single value otherwise), then ``Fraction(Σ numerator, Σ denominator)`` — a zero denominator is
      no data, a reported rate stands in only when a needed count is unknown; for a province-scope
      rule the parts' numerators and denominators summed over every unit (or the mean of reported
      rates when no unit has counts); numerator, denominator, basis and the missing measures or units
      too. Values of a plugin's evaluator are not recomputed;
    - the target: the unit's own, else its level's, else the plan default, each the latest in force
      on ``report.as_of``, else the threshold's own (0 for a count that must be zero);
    - the status: ``not_applicable`` without a target, ``no_data`` without a value, else ``met`` exactly
      when the value meets the target in the indicator's direction — exactly at the target is met;
    - ``gap_count`` is the fewest numerator items that would meet the target;
    - each rule's status is the three-valued combination of its thresholds' statuses.

    Raises ``AssertionError`` naming the unit, rule, indicator and period at the first disagreement.
    """
    period = _period_of(report.period)
    data = _Data(observations, period)
    root = hierarchy.root
    expected_pairs = [(root.id, r.id) for r in plan.rules if r.scope == "province"]
    expected_pairs += [(unit.id, r.id) for unit in hierarchy for r in plan.rules if _applies(r, unit)]
    pairs = [(v.unit, v.rule) for v in report.verdicts]
    if pairs != expected_pairs:
        extra = [p for p in pairs if p not in expected_pairs]
        absent = [p for p in expected_pairs if p not in pairs]
        raise AssertionError(
            "check_verdicts: the report does not judge the (unit, rule) pairs the plan applies, in order; "
            f"unexpected: {extra[:5]}, missing: {absent[:5]}"
        )
    flattened = tuple(o for v in report.verdicts for o in v.outcomes)
    if report.outcomes != flattened:
        raise AssertionError("check_verdicts: report.outcomes are not the verdicts' outcomes in order")
    members: dict[str, dict[str, _Expected | None]] = {}
    for verdict in report.verdicts:
        plan_rule = plan.rule(verdict.rule)
        unit = hierarchy[verdict.unit]
        where = f"unit {unit.id!r} ({unit.name}), rule {plan_rule.id!r}, period {report.period or 'all'}"
        leaves = list(dict.fromkeys(_leaves(plan_rule.rule)))
        if len(verdict.outcomes) != len(leaves):
            raise _fail(where, f"{len(verdict.outcomes)} outcomes for {len(leaves)} distinct thresholds")
        _compare(where, "weight", verdict.weight, plan_rule.weight, "the plan says")
        _compare(where, "scored", verdict.scored, plan_rule.scored, "the plan says")
        statuses: dict[Threshold, Status] = {}
        negated = _under_not(plan_rule.rule)
        for leaf, outcome in zip(leaves, verdict.outcomes, strict=True):
            indicator = plan.indicator(leaf.indicator)
            here = _where(outcome)
            _compare(here, "unit", outcome.unit, unit.id, "the verdict is for")
            _compare(here, "rule", outcome.rule, plan_rule.id, "the verdict is for")
            _compare(here, "indicator", outcome.indicator, indicator, "the threshold uses")
            _compare(here, "scope", outcome.scope, plan_rule.scope, "the rule says")
            _compare(here, "period", outcome.period, report.period, "the report says")
            _compare(here, "negated", outcome.negated, leaf in negated, "the rule's not_ says")
            target, target_scope = _resolve(plan, indicator, unit, leaf, report.as_of)
            _compare(here, "target", outcome.target, target, "the target in force is")
            if target is not None:
                _compare(here, "target_scope", outcome.target_scope, target_scope, "the target in force is")
            value = outcome.value
            if outcome.error is not None:
                _compare(here, "value (evaluator failed)", outcome.value, None, "an error gives")
            elif plan_rule.scope == "province":
                if indicator.id not in members:
                    members[indicator.id] = {u.id: data.measure(u.id, indicator) for u in hierarchy}
                value = _check_province(here, outcome, indicator, members[indicator.id], aggregator)
            else:
                value = _check_unit(here, outcome, data.measure(unit.id, indicator))
            status = _status(value, target, indicator.direction)
            _compare(
                here,
                "status",
                outcome.status,
                status,
                f"value {_show(value)} against target {_show(target)} gives",
            )
            _check_gap_count(here, outcome, outcome.indicator.direction)
            statuses[leaf] = outcome.status
        _compare(
            where, "status", verdict.status, _kleene(plan_rule.rule, statuses), "its thresholds combine to"
        )


# -- roll-ups -----------------------------------------------------------------------------------


def check_rollup(
    rows: Iterable[RollupRow],
    plan: Plan,
    hierarchy: Hierarchy,
    observations: Observations,
    *,
    member_levels: Sequence[str] | None = None,
) -> None:
    """Check that each roll-up row of :func:`dvctt_rules.aggregate.rollup` is the exact aggregate of its
    parts.

    ``rows`` come from ``rollup(plan, hierarchy, observations, ...)`` (``member_levels`` as given to it;
    the period is read back from the rows). For each row: ``covers`` and ``missing`` split the area —
    the row's unit and every unit below it (without the unit itself when ``include_self`` is false) —
    between the units with usable data and those without; with the ``"sum"`` strategy the numerator
    and denominator are the exact sums of the covered units' own numerators and denominators,
    recomputed from their counts, and the value is their ``Fraction``; with ``"mean_of_rates"``,
    ``"min"`` or ``"max"`` the value is that of the units' values; the status agrees with the value
    and the target (exactly at the target is met), and ``gap_count`` is the fewest items that would
    meet it (the target itself is taken as the row gives it); ``children_total`` = met + not met + no
    data, and the per-level ``compliance`` adds up to the ``children_*`` counts.

    Raises ``AssertionError`` naming the unit, indicator and period at the first disagreement.
    """
    wanted = None if member_levels is None else set(member_levels)
    data_by_label: dict[str | None, _Data] = {}
    for row in rows:
        where = (
            f"roll-up of unit {row.unit!r} ({row.unit_name}), indicator {row.indicator!r}, "
            f"period {row.period or 'all'}"
        )
        if row.period not in data_by_label:
            data_by_label[row.period] = _Data(observations, _period_of(row.period))
        data = data_by_label[row.period]
        head = hierarchy[row.unit]
        area = [head, *hierarchy.descendants(head)] if row.include_self else list(hierarchy.descendants(head))
        ids = {u.id for u in area if wanted is None or u.level in wanted}
        covers, missing = set(row.covers), set(row.missing)
        if covers & missing:
            raise _fail(where, f"units both covered and missing: {sorted(covers & missing)}")
        if covers | missing != ids:
            raise _fail(
                where,
                f"covers + missing should be the area's units; extra {sorted((covers | missing) - ids)}, "
                f"left out {sorted(ids - (covers | missing))}",
            )
        if list(row.covers) != sorted(row.covers) or list(row.missing) != sorted(row.missing):
            raise _fail(where, "covers and missing are not sorted by id")
        indicator = plan.indicator(row.indicator)
        parts = [(uid, data.measure(uid, indicator)) for uid in sorted(ids)]
        if all(m is not None for _, m in parts):
            got = _aggregate(row.strategy, indicator, [(u, m) for u, m in parts if m is not None])
            if got is not None:
                _compare(where, "numerator", row.numerator, got.numerator, "the parts' numerators sum to")
                _compare(
                    where, "denominator", row.denominator, got.denominator, "the parts' denominators sum to"
                )
                _compare(where, "value", row.value, got.value, "the parts give")
                _compare(where, "basis", row.basis, got.basis)
                _compare(where, "covers", row.covers, got.covers, "the units with usable data are")
        if row.strategy == "sum" and row.numerator is not None and row.denominator:
            _compare(
                where,
                "value",
                row.value,
                Fraction(row.numerator, row.denominator),
                "numerator / denominator is",
            )
        _compare(
            where,
            "status",
            row.status,
            _status(row.value, row.target, indicator.direction),
            "value and target give",
        )
        _check_gap_count(where, row, indicator.direction)
        _compare(
            where,
            "children_total",
            row.children_total,
            row.children_met + row.children_not_met + row.children_no_data,
            "met + not met + no data is",
        )
        for field in ("met", "not_met", "no_data"):
            total = sum(getattr(c, field) for c in row.compliance)
            _compare(
                where, f"children_{field}", getattr(row, f"children_{field}"), total, "the levels add up to"
            )


# -- rankings -----------------------------------------------------------------------------------


def check_ranking(rows: Ranking | Iterable[RankRow], peers: Iterable[Unit | str] | None = None) -> None:
    """Check a ranking of :func:`dvctt_rules.ranking.rank` (or its rows).

    - The rows are best first, ties listed by unit id; no unit twice.
    - Ranks are competition ranks: 1 + the number of rows with a strictly higher score (ties share a
      rank, the next rank skips: 1, 2, 2, 4).
    - Each score is exact, from 0 to 100, and the sum of the row's points; each rule's points are
      from 0 to its maximum.
    - A row with a rule without data is reminded; ``rank_change`` is ``previous_rank − rank``
      (both ``None`` without a previous rank).
    - Grades are bands of the score: each grade's rows come together in the ranking, and equal
      scores have the same grade unless the quota on the top grade demoted one of them.
    - With ``peers`` (the peer group's units or ids, such as ``hierarchy.units("commune")``): the
      ranked units, with a :class:`~dvctt_rules.ranking.Ranking`'s ``unscored`` units, are exactly
      the peer group — a permutation of it.

    Raises ``AssertionError`` naming the rows at fault.
    """
    ranked = tuple(rows)
    unscored: tuple[str, ...] = tuple(getattr(rows, "unscored", ()))
    ids = [row.unit for row in ranked]
    if len(set(ids)) != len(ids):
        twice = sorted({i for i in ids if ids.count(i) > 1})
        raise AssertionError(f"check_ranking: units ranked more than once: {twice}")
    both = set(ids) & set(unscored)
    if both:
        raise AssertionError(f"check_ranking: units both ranked and unscored: {sorted(both)}")
    for row in ranked:  # each row's own numbers first: a wrong score is named as such
        _check_row(row)
    for before, after in itertools.pairwise(ranked):
        in_order = before.score > after.score or (before.score == after.score and before.unit < after.unit)
        if not in_order:
            raise AssertionError(
                f"check_ranking: {before.unit!r} (score {_show(before.score)}) is listed before "
                f"{after.unit!r} (score {_show(after.score)}); rows go best first, ties by unit id"
            )
    for row in ranked:
        expected = 1 + sum(1 for other in ranked if other.score > row.score)
        if row.rank != expected:
            raise AssertionError(
                f"check_ranking: unit {row.unit!r} (score {_show(row.score)}) has rank {row.rank}, but "
                f"{expected - 1} units score strictly higher, so its competition rank is {expected}"
            )
    _check_grade_runs(ranked)
    if peers is not None:
        group = {p.id if isinstance(p, Unit) else p for p in peers}
        listed = set(ids) | set(unscored)
        if listed != group:
            raise AssertionError(
                "check_ranking: the ranking is not a permutation of the peer group; "
                f"not peers: {sorted(listed - group)}, peers left out: {sorted(group - listed)}"
            )


def _check_row(row: RankRow) -> None:
    """A row's score is its points' sum, in 0..100; its reminder and rank change agree with it."""
    where = f"check_ranking: unit {row.unit!r}"
    score = row.score
    if isinstance(score, bool) or not isinstance(score, Fraction | int) or not 0 <= score <= 100:
        raise AssertionError(f"{where} has score {score!r}; a score is exact, from 0 to 100")
    earned = sum((p.points for p in row.points), Fraction(0))
    if earned != score:
        raise AssertionError(
            f"{where} has score {_show(score)}, but its rules' points sum to {_show(earned)}"
        )
    for part in row.points:
        if not 0 <= part.points <= part.max_points:
            raise AssertionError(
                f"{where}: rule {part.rule} earned {_show(part.points)} of {_show(part.max_points)} points"
            )
    if row.no_data and not row.reminded:
        raise AssertionError(f"{where} has {row.no_data} rule(s) without data but is not reminded")
    if (row.previous_rank is None) != (row.rank_change is None) or (
        row.previous_rank is not None and row.rank_change != row.previous_rank - row.rank
    ):
        raise AssertionError(
            f"{where} has rank {row.rank}, previous rank {row.previous_rank} and rank change "
            f"{row.rank_change}; the change is previous rank − rank"
        )


def _check_grade_runs(ranked: Sequence[RankRow]) -> None:
    """Grades are bands of the score: in rank order each grade's rows come together (the quota moves
    the last of the top grade one band down, which keeps them together), and rows of equal score
    have the same grade, or one of them was demoted."""
    seen: list[str] = []
    for row in ranked:
        if row.grade in seen and seen[-1] != row.grade:
            raise AssertionError(
                f"check_ranking: unit {row.unit!r} has grade {row.grade!r} after rows of grade "
                f"{seen[-1]!r}, below rows of grade {row.grade!r}; a grade is a band of scores"
            )
        if not seen or seen[-1] != row.grade:
            seen.append(row.grade)
    for before, after in itertools.pairwise(ranked):
        if before.score == after.score and before.grade != after.grade and not after.demoted:
            raise AssertionError(
                f"check_ranking: units {before.unit!r} and {after.unit!r} have the same score "
                f"{_show(before.score)} but grades {before.grade!r} and {after.grade!r}"
            )
