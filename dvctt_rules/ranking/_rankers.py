"""Rankers: the plugins that turn a unit's rule verdicts into points out of 100."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Protocol, runtime_checkable

import attrs

from ..hierarchy import Unit
from ..plugins import Registry
from ..rules import Plan, RuleVerdict, Status, Threshold

__all__ = [
    "RANKERS",
    "AllOrNothing",
    "PartialCredit",
    "Ranker",
    "RulePoints",
    "Score",
    "check_ranker",
]

HUNDRED = Fraction(100)
ONE = Fraction(1)
ZERO = Fraction(0)


def exact_sum(values: Iterable[Fraction]) -> Fraction:
    """The exact sum, over the product of the denominators and reduced once (fewer steps than adding
    fractions one by one). Internal."""
    numerator, denominator = 0, 1
    for value in values:
        numerator = numerator * value.denominator + value.numerator * denominator
        denominator *= value.denominator
    return Fraction(numerator, denominator)


def _share(weight: Fraction, total: Fraction) -> Fraction:
    """100 × weight / total: a rule's points out of 100."""
    return _share_of(weight.numerator, weight.denominator, total.numerator, total.denominator)


@functools.lru_cache(maxsize=256)
def _share_of(weight_top: int, weight_bottom: int, total_top: int, total_bottom: int) -> Fraction:
    # A plan has a few distinct weights: each share is computed once.
    return Fraction(100 * weight_top * total_bottom, weight_bottom * total_top)


@attrs.frozen
class RulePoints:
    """The points one rule earned: ``points`` of ``max_points`` (= 100 × weight / Σ weights).

    ``value`` and ``target`` are the rule's indicator value and target when the rule is a single
    threshold (``None`` otherwise); ``status`` is the rule's verdict.
    """

    rule: str
    indicators: tuple[str, ...]
    status: Status
    weight: Fraction
    max_points: Fraction
    points: Fraction
    value: Fraction | None = None
    target: Fraction | None = None

    @classmethod
    def _trusted(
        cls,
        rule: str,
        indicators: tuple[str, ...],
        status: Status,
        weight: Fraction,
        max_points: Fraction,
        points: Fraction,
        value: Fraction | None,
        target: Fraction | None,
    ) -> RulePoints:
        """The same as the constructor, for values already of the right types. Internal."""
        made = object.__new__(cls)
        setter = object.__setattr__
        setter(made, "rule", rule)
        setter(made, "indicators", indicators)
        setter(made, "status", status)
        setter(made, "weight", weight)
        setter(made, "max_points", max_points)
        setter(made, "points", points)
        setter(made, "value", value)
        setter(made, "target", target)
        return made

    @property
    def credit(self) -> Fraction:
        """The share of ``max_points`` earned, 0..1."""
        return self.points / self.max_points if self.max_points else Fraction(0)


def _points_tuple(points: Sequence[RulePoints]) -> tuple[RulePoints, ...]:
    return tuple(points)


@attrs.frozen
class Score:
    """A unit's score: the points of each rule that counted (``not_applicable`` rules do not).

    ``total`` is exact, out of 100; ``None`` when no rule counted (the unit cannot be ranked).
    """

    points: tuple[RulePoints, ...] = attrs.field(default=(), converter=_points_tuple)

    @property
    def total(self) -> Fraction | None:
        """The sum of the points, ``None`` when no rule counted."""
        return exact_sum(p.points for p in self.points) if self.points else None


@runtime_checkable
class Ranker(Protocol):
    """Scores one unit from its verdicts on the rules being ranked.

    ``score`` receives the unit, its verdicts on the rules chosen for the ranking (the plan's
    scored rules by default) and the plan; it must be pure and return a :class:`Score`. Ranking,
    grading, the quota and the lists are done by :func:`~dvctt_rules.ranking.rank`, the same for
    every ranker. Register third-party rankers in the entry-point group ``dvctt_rules.rankers``;
    a plan picks one by name in ``scoring.name``.
    """

    name: str

    def score(self, unit: Unit, verdicts: Sequence[RuleVerdict], plan: Plan) -> Score:
        """The unit's score."""
        ...


@attrs.frozen
class PartialCredit:
    """The library's default scheme (``"partial-credit"``): 100 points shared among the rules by weight,
    full points for a met rule, proportional points for a missed ``at_least`` target.

    Each rule that counts (any status but ``not_applicable``) is worth ``100 × weight / Σ weights``
    points (``100 / k`` with equal weights). A met rule earns them all. A rule not met earns
    ``points × value / target`` when it is a single threshold on an ``at_least`` indicator with a
    positive target — the partial credit of the national index of online public services
    (Quyết định 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ) — and 0 otherwise: an
    ``at_most`` or ``equal`` target (such as "no late dossiers") and a combination of thresholds are
    all or nothing. A rule without data earns 0 (a unit cannot climb by not reporting).

    For Kế hoạch 4623/KH-UBND the scored rules are PL-II.1 (``online_dossier_rate`` against the
    unit's own Phụ lục II target), PL-II.2 (``online_payment_rate``, likewise) and IV.1
    (``on_time_rate`` against its level's target, Quyết định 468/QĐ-TTg); the plan feeds the results
    into the yearly ranking for emulation and reward ("là tiêu chí để xem xét đánh giá thi đua, khen
    thưởng", Kế hoạch 4623, Tổ chức thực hiện, mục 3).

    >>> from dvctt_rules.rules import Outcome, RuleVerdict, INDICATORS
    >>> def verdict(rule, status, value):
    ...     outcome = Outcome("x", "Xã X", "commune", rule, INDICATORS["online_dossier_rate"], None,
    ...                       None, None, value, Fraction(1, 2), status, "rate")
    ...     return RuleVerdict("x", rule, status, (outcome,), Fraction(1), True)
    >>> from dvctt_rules.datasets import load_dataset
    >>> plan = load_dataset("binh-duong-2023").plan
    >>> score = PartialCredit().score(
    ...     Unit("x", "Xã X", "commune"),
    ...     [verdict("PL-II.1", "met", Fraction(3, 5)), verdict("PL-II.2", "not_met", Fraction(2, 5))],
    ...     plan)
    >>> [p.points for p in score.points], score.total
    ([Fraction(50, 1), Fraction(40, 1)], Fraction(90, 1))
    """

    name: str = "partial-credit"

    def credit(self, verdict: RuleVerdict, plan: Plan) -> Fraction:
        """The share of the rule's points earned, 0..1."""
        if verdict.status == "met":
            return ONE
        if verdict.status != "not_met" or len(verdict.outcomes) != 1:
            return ZERO
        if not isinstance(plan.rule(verdict.rule).rule, Threshold):
            return ZERO
        (outcome,) = verdict.outcomes
        return self._threshold_credit(
            verdict.status, outcome.indicator.direction, outcome.value, outcome.target
        )

    def _threshold_credit(
        self, status: Status, direction: str, value: Fraction | None, target: Fraction | None
    ) -> Fraction:
        """:meth:`credit` of a rule that is a single threshold."""
        if status == "met":
            return ONE
        if status != "not_met" or direction != "at_least" or value is None or not target:
            return ZERO
        # min(1, max(0, value / target)), exactly, on the integers of the two fractions.
        top, bottom = value.numerator * target.denominator, value.denominator * target.numerator
        if bottom < 0:
            top, bottom = -top, -bottom
        if top <= 0:
            return ZERO
        return ONE if top >= bottom else Fraction(top, bottom)

    def score(self, unit: Unit, verdicts: Sequence[RuleVerdict], plan: Plan) -> Score:
        """Points per counted rule; see the class docstring."""
        counted = []
        for verdict in verdicts:
            if verdict.status == "not_applicable":
                continue
            single = verdict.outcomes[0] if len(verdict.outcomes) == 1 else None
            counted.append(
                (
                    verdict.rule,
                    (single.indicator.id,)
                    if single is not None
                    else tuple(dict.fromkeys(o.indicator.id for o in verdict.outcomes)),
                    verdict.status,
                    verdict.weight,
                    None if single is None else single.value,
                    None if single is None else single.target,
                    self.credit(verdict, plan),
                )
            )
        return Score(points_and_total(counted)[0])


def points_and_total(
    counted: Sequence[
        tuple[str, tuple[str, ...], Status, Fraction, Fraction | None, Fraction | None, Fraction]
    ],
    shares: dict[tuple[str, ...], tuple[Fraction, ...]] | None = None,
) -> tuple[tuple[RulePoints, ...], Fraction]:
    """The points of the rules that count, each given as (rule, indicators, status, weight, value,
    target, credit) — ``100 × weight / Σ weights × credit`` — and their exact sum. ``shares``
    remembers each set of rules' maximum points, by rule ids (for many units of one plan). Internal."""
    key = tuple([item[0] for item in counted])
    found = None if shares is None else shares.get(key)
    if found is None:
        total_weight = exact_sum(item[3] for item in counted)
        found = tuple(_share(item[3], total_weight) for item in counted)
        if shares is not None:
            shares[key] = found
    points = []
    top, bottom = 0, 1  # the sum, over the product of the denominators
    make = RulePoints._trusted
    for (rule, indicators, status, weight, value, target, credit), max_points in zip(
        counted, found, strict=True
    ):
        if credit is ONE:
            earned = max_points
        elif credit is ZERO:
            earned = ZERO
        else:  # on the integers: no Fraction comparison (a normalised 1 is 1/1, a 0 is 0/1)
            share, of = credit.numerator, credit.denominator
            if share == of:
                earned = max_points
            elif not share:
                earned = ZERO
            else:
                earned = Fraction(max_points.numerator * share, max_points.denominator * of)
        if earned is not ZERO:
            below = earned.denominator
            top, bottom = top * below + earned.numerator * bottom, bottom * below
        points.append(make(rule, indicators, status, weight, max_points, earned, value, target))
    return tuple(points), Fraction(top, bottom)


@attrs.frozen
class AllOrNothing(PartialCredit):
    """``"all-or-nothing"``: like :class:`PartialCredit`, but a rule not met earns 0 points."""

    name: str = "all-or-nothing"

    def credit(self, verdict: RuleVerdict, plan: Plan) -> Fraction:
        """1 when met, else 0."""
        return ONE if verdict.status == "met" else ZERO

    def _threshold_credit(
        self, status: Status, direction: str, value: Fraction | None, target: Fraction | None
    ) -> Fraction:
        return ONE if status == "met" else ZERO


def check_ranker(plugin: object) -> Ranker:
    """Accept a ranker, or a class that makes one without arguments; ``TypeError`` otherwise."""
    candidate = plugin() if isinstance(plugin, type) else plugin
    if not isinstance(candidate, Ranker):
        raise TypeError("a ranker needs a `name` string and a `score(unit, verdicts, plan)` method")
    if not isinstance(candidate.name, str) or not candidate.name:
        raise TypeError("a ranker's `name` must be a non-empty string")
    return candidate


#: The ranker registry: built-ins first, then the ``dvctt_rules.rankers`` entry points.
RANKERS: Registry[Ranker] = Registry("ranker", "dvctt_rules.rankers", check_ranker)
for _builtin in (PartialCredit(), AllOrNothing()):
    RANKERS.register(_builtin, origin="built-in")
