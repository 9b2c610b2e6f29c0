"""Rankings for emulation and reward (thi đua, khen thưởng): scores, competition ranks, grades with a
quota on the top grade, the commendation and reminder lists, and the change of rank between periods."""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from fractions import Fraction
from numbers import Integral
from typing import Any

import attrs

from .._errors import PluginError, described, refuse_non_text, refuse_text, refuse_type
from .._gc import paused_gc
from ..aggregate import check_report
from ..hierarchy import Hierarchy, Unit
from ..hierarchy._unit import id_of
from ..observations import Observations, Period
from ..observations._periods import period_argument
from ..plugins import AGGREGATORS, EVALUATORS
from ..rules import GradeBand, Plan, Report, RuleVerdict, ScoringScheme
from ..rules._evaluate import (
    _Evaluation,
    _rule_ids,
    check_inputs,
    check_plan_fits,
    judge,
    warn_unmatched_units,
)
from ._rankers import RANKERS, AllOrNothing, PartialCredit, Ranker, RulePoints, Score, points_and_total

# The rankers whose scores rank() computes without making a report (see PartialCredit.score).
_BUILTIN_RANKERS: frozenset[type] = frozenset({PartialCredit, AllOrNothing})

__all__ = ["RankRow", "Ranking", "competition_ranks", "iter_rank_periods", "rank", "rank_periods"]


def competition_ranks(scores: Sequence[Fraction]) -> tuple[int, ...]:
    """Standard competition ranks ("1224"), highest score first: 1 + the number of strictly higher
    scores. Equal scores share a rank and the next rank skips.

    >>> competition_ranks([Fraction(90), Fraction(75), Fraction(75), Fraction(60)])
    (1, 2, 2, 4)
    """
    if isinstance(scores, Mapping | str | bytes) or not hasattr(scores, "__getitem__"):
        raise TypeError(f"scores must be a sequence of exact scores, got {described(scores)}; pass a list")
    # Sorted by the float first (a cheap comparison that never contradicts the exact order), the
    # exact value deciding between equal floats.
    order = sorted(range(len(scores)), key=lambda i: (float(scores[i]), scores[i]), reverse=True)
    ranks = [0] * len(scores)
    place, previous = 0, None
    for position, index in enumerate(order, start=1):
        score = scores[index]
        if previous is None or score != previous:
            place, previous = position, score
        ranks[index] = place
    return tuple(ranks)


def _sorted_ranks(scores: Sequence[Fraction]) -> list[int]:
    """:func:`competition_ranks` of scores already sorted highest first, without sorting them again."""
    ranks: list[int] = []
    place, previous = 0, None
    for position, score in enumerate(scores, start=1):
        if previous is None or score != previous:
            place, previous = position, score
        ranks.append(place)
    return ranks


def _points_tuple(points: Iterable[RulePoints]) -> tuple[RulePoints, ...]:
    return tuple(points)


@attrs.frozen
class RankRow:
    """One unit's place in a ranking.

    ``score`` is exact, out of 100 (``Fraction(8000, 91)``; display rounds). ``rank`` is the
    competition rank within the peer group (ties share it). ``grade`` is the key of the grade band
    after the quota, ``grade_vi``/``grade_en`` its labels; ``demoted`` says the quota on the top
    grade moved the unit one band down. ``met`` counts the rules met, ``scored`` the rules that
    counted, ``no_data`` those without data (0 points each; any makes ``reminded`` true).
    ``points`` gives each counted rule's points. ``previous_rank`` is the rank in the previous
    period and ``rank_change`` = previous rank − rank (positive: moved up); both ``None`` without a
    previous ranking or when the unit was not ranked in it.
    """

    unit: str
    unit_name: str
    level: str
    rank: int
    score: Fraction
    grade: str
    grade_vi: str
    grade_en: str
    points: tuple[RulePoints, ...] = attrs.field(converter=_points_tuple)
    period: str | None = None
    demoted: bool = False
    commended: bool = False
    reminded: bool = False
    previous_rank: int | None = None
    rank_change: int | None = None
    met: int = attrs.field(
        init=False,
        default=attrs.Factory(lambda row: sum(p.status == "met" for p in row.points), takes_self=True),
    )
    scored: int = attrs.field(init=False, default=attrs.Factory(lambda row: len(row.points), takes_self=True))
    no_data: int = attrs.field(
        init=False,
        default=attrs.Factory(lambda row: sum(p.status == "no_data" for p in row.points), takes_self=True),
    )

    @classmethod
    def _trusted(
        cls,
        unit: str,
        unit_name: str,
        level: str,
        rank: int,
        score: Fraction,
        band: GradeBand,
        points: tuple[RulePoints, ...],
        period: str | None,
        demoted: bool,
        commended: bool,
        reminded: bool,
        previous_rank: int | None,
        rank_change: int | None,
        met: int,
        no_data: int,
    ) -> RankRow:
        """The same as the constructor, with ``met`` and ``no_data`` counted by the caller. Internal."""
        row = object.__new__(cls)
        setter = object.__setattr__
        setter(row, "unit", unit)
        setter(row, "unit_name", unit_name)
        setter(row, "level", level)
        setter(row, "rank", rank)
        setter(row, "score", score)
        setter(row, "grade", band.key)
        setter(row, "grade_vi", band.label_vi)
        setter(row, "grade_en", band.label_en)
        setter(row, "points", points)
        setter(row, "period", period)
        setter(row, "demoted", demoted)
        setter(row, "commended", commended)
        setter(row, "reminded", reminded)
        setter(row, "previous_rank", previous_rank)
        setter(row, "rank_change", rank_change)
        setter(row, "met", met)
        setter(row, "scored", len(points))
        setter(row, "no_data", no_data)
        return row

    @property
    def no_data_rules(self) -> tuple[str, ...]:
        """The ids of the rules without data."""
        return tuple(p.rule for p in self.points if p.status == "no_data")


def _rows_tuple(rows: Iterable[RankRow]) -> tuple[RankRow, ...]:
    return tuple(rows)


@attrs.frozen
class Ranking:
    """A ranking of one peer group for one period: rows best first (ties by unit id).

    ``unscored`` lists the peer group's units (by id) for which no ranked rule counted: they have
    no score and no rank. ``quota_cap`` is the most units that may keep the top grade (``None``
    without a quota). Iterating gives the rows.
    """

    plan: str
    scheme: str
    level: str
    within: str | None
    period: str | None
    rows: tuple[RankRow, ...] = attrs.field(converter=_rows_tuple)
    unscored: tuple[str, ...] = ()
    top_quota: Fraction | None = None
    quota_cap: int | None = None

    def __iter__(self) -> Iterator[RankRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def commended(self) -> tuple[RankRow, ...]:
        """The units proposed for commendation, in rank order."""
        return tuple(row for row in self.rows if row.commended)

    @property
    def reminded(self) -> tuple[RankRow, ...]:
        """The units to be reminded, in rank order."""
        return tuple(row for row in self.rows if row.reminded)

    def top(self, n: int) -> tuple[RankRow, ...]:
        """The rows ranked ``n`` or better (ties at the cut-off all included)."""
        if isinstance(n, bool) or not isinstance(n, Integral):
            raise TypeError(f"n must be a whole number (a rank), got {described(n)}")
        return tuple(row for row in self.rows if row.rank <= n)

    def row(self, unit_id: Unit | str) -> RankRow | None:
        """The row of one unit (its id, or the :class:`~dvctt_rules.Unit`), ``None`` when it is not
        ranked."""
        wanted = id_of(unit_id, "unit_id")
        return next((row for row in self.rows if row.unit == wanted), None)


def _peers(
    hierarchy: Hierarchy, level: str, within: str | Unit | None
) -> tuple[tuple[Unit, ...], Unit | None]:
    hierarchy.level_rank(level)  # unknown levels: UnknownNameError with suggestions
    if within is None:
        return hierarchy.units(level), None
    if not isinstance(within, Unit):
        refuse_non_text(within, "within", "a Unit, a unit id or a name")
    scope = hierarchy[within.id] if isinstance(within, Unit) else hierarchy.lookup(within)
    members = (scope, *hierarchy.descendants(scope))
    return tuple(u for u in members if u.level == level), scope


def _chosen_rules(plan: Plan, rules: Sequence[str] | None) -> frozenset[str]:
    if rules is None:
        return frozenset(r.id for r in plan.rules if r.scored)
    return _rule_ids(plan, rules)  # unknown ids: did you mean; a str: TypeError


def _scored(
    ranker: Ranker, name: str, unit: Unit, verdicts: tuple[RuleVerdict, ...], plan: Plan
) -> tuple[Score, Fraction | None]:
    """A ranker's score of ``unit`` and its total; a plugin's failure, a rule's points that are not
    exact or not from 0 to its maximum, or a total not from 0 to 100 is a
    :class:`~dvctt_rules.PluginError` naming it and the unit."""
    try:
        score = ranker.score(unit, verdicts, plan)
        if not isinstance(score, Score):
            raise TypeError(f"returned {type(score).__name__}, not a Score")
        for part in score.points:
            points = part.points
            if isinstance(points, bool) or not isinstance(points, Fraction | int):
                raise TypeError(f"points of rule {part.rule} are {points!r}, not an exact Fraction")
            if not 0 <= points <= part.max_points:
                raise ValueError(
                    f"rule {part.rule} earned {points} points of {part.max_points}; a rule earns from 0 "
                    "to its maximum"
                )
        total = score.total
        if total is not None and not 0 <= total <= 100:
            raise ValueError(f"the score is {total} points; a score is from 0 to 100")
    except Exception as exc:  # a plugin's failure is reported with its context
        raise PluginError(
            f"ranker {name!r} failed for unit {unit.id} ({unit.name}): {type(exc).__name__}: {exc}",
            plugin=name,
        ) from exc
    return score, total


def _grades(
    scoring: ScoringScheme, scores: Sequence[Fraction], ranks: Sequence[int]
) -> tuple[list[GradeBand], list[bool], int | None]:
    """Each unit's band after the quota, whether the quota demoted it, and the cap (see :func:`rank`)."""
    # score / 100 >= min_score, exactly, as score × d >= 100 × n × (denominator of the score).
    limits = [(100 * band.min_score.numerator, band.min_score.denominator, band) for band in scoring.bands]

    def band_of(score: Fraction) -> GradeBand:
        top, bottom = score.numerator, score.denominator
        return next(band for n, d, band in limits if top * d >= n * bottom)

    bands = [band_of(score) for score in scores]
    demoted = [False] * len(scores)
    if scoring.top_quota is None or len(scoring.bands) < 2:
        return bands, demoted, None
    top, second = scoring.bands[0], scoring.bands[1]
    good_or_better = sum(score / 100 >= second.min_score for score in scores)
    cap = math.floor(scoring.top_quota * good_or_better)
    tied: dict[Fraction, int] = {}
    for score in scores:
        tied[score] = tied.get(score, 0) + 1
    for index, (score, place) in enumerate(zip(scores, ranks, strict=True)):
        # Units scoring at least as much: those ranked better, and this unit's whole tie group.
        if bands[index] is top and place - 1 + tied[score] > cap:
            bands[index], demoted[index] = second, True
    return bands, demoted, cap


def rank(
    plan: Plan,
    hierarchy: Hierarchy,
    source: Report | Observations,
    *,
    level: str = "commune",
    within: str | Unit | None = None,
    period: Period | str | None = None,
    as_of: datetime.date | None = None,
    scheme: str | None = None,
    rules: Sequence[str] | None = None,
    previous: Ranking | None = None,
) -> Ranking:
    """Rank the units of ``level`` (agencies among agencies, districts among districts, communes across
    the province or ``within`` one unit, given by id or name) by their score.

    ``source`` is a :class:`~dvctt_rules.rules.Report` of ``plan`` (a ``period``, if given, must be
    the report's, else :class:`~dvctt_rules.aggregate.ReportMismatchError`; ``as_of`` is ignored), or
    observations to evaluate for ``period`` as of ``as_of`` (``None``: the targets in force at the
    end of the period, as :func:`~dvctt_rules.rules.evaluate` takes them). Scores come from the
    ranker registered as ``scheme`` (default: the plan's ``scoring.name``, ``"partial-credit"``,
    see :class:`~dvctt_rules.ranking.PartialCredit`) over the unit's verdicts on ``rules``
    (default: the plan's scored rules; weights from each rule).

    - Rank by score, highest first; equal scores share a rank and the next rank skips (1, 2, 2, 4);
      ties are listed by unit id. Units for which no rule counted are listed in ``unscored``.
    - Grade by the plan's bands (``scoring.bands``: score / 100 ≥ ``min_score``; exactly at the edge
      reaches the band).
    - Quota (``scoring.top_quota = q``): at most ``floor(q × G)`` units keep the top grade, where G
      is the number of units of the group graded in the top two bands ("at least tốt") before the
      quota. The best-ranked keep it; a tie group that would cross the cap is demoted as a whole to
      the second band (the cap is a ceiling, "không quá", never exceeded). A scheme of a single band
      has no quota.
    - Commendation: units with the top grade after the quota and no rule without data.
      Reminder: units in the lowest band, and any unit with a rule without data.
    - ``previous`` (the ranking of the previous period) fills ``previous_rank`` and ``rank_change``.

    >>> from dvctt_rules.datasets import load_dataset
    >>> ds = load_dataset("binh-duong-2023")
    >>> ranking = rank(ds.plan, ds.hierarchy, ds.baseline, level="district",
    ...                rules=("PL-II.1", "PL-II.2"))
    >>> from dvctt_rules.render import format_number
    >>> for row in ranking.rows[:3]:
    ...     print(row.rank, row.unit_name, format_number(row.score, 2), row.grade, row.met, row.scored)
    1 UBND Thành phố Dĩ An 97,71 excellent 1 2
    2 UBND Thành phố Thủ Dầu Một 93,41 excellent 1 2
    3 UBND Thị xã Bến Cát 55,47 completed 1 2
    """
    with paused_gc():
        return _rank(
            plan, hierarchy, source, level, within, period, as_of, scheme, rules, previous, warn=True
        )


def _rank(
    plan: Plan,
    hierarchy: Hierarchy,
    source: Report | Observations,
    level: str,
    within: str | Unit | None,
    period: Period | str | None,
    as_of: datetime.date | None,
    scheme: str | None,
    rules: Sequence[str] | None,
    previous: Ranking | None,
    warn: bool = False,
) -> Ranking:
    check_inputs(plan, hierarchy, source, name="source", report=True)
    if scheme is not None:
        refuse_non_text(scheme, "scheme", "a ranking scheme's name", "leave it out for the plan's own scheme")
    refuse_type(
        previous, (Ranking, type(None)), "previous", "a Ranking or None", "pass the previous period's ranking"
    )
    check_plan_fits(plan, hierarchy)
    if warn:  # rank's own caller; the periods of rank_periods were warned about once
        warn_unmatched_units(plan, hierarchy, stacklevel=3)
    parsed = None if period is None else period_argument(period)
    name = scheme if scheme is not None else plan.scoring.name
    ranker: Ranker = RANKERS.get(name)
    peers, scope = _peers(hierarchy, level, within)
    chosen = _chosen_rules(plan, rules)
    scored: list[tuple[Unit, tuple[RulePoints, ...], Fraction]] = []
    unscored: list[str] = []
    label: str | None
    if (
        not isinstance(source, Report)
        and isinstance(ranker, PartialCredit)
        and type(ranker) in _BUILTIN_RANKERS
        and all(plan.rule(rule_id).scope == "unit" for rule_id in chosen)
    ):
        # A built-in scheme reads only each rule's status, value and target: no need for the
        # verdict objects of a report (the same points, see PartialCredit.score).
        run = _Evaluation(
            plan, hierarchy, source, parsed, as_of, "raise", EVALUATORS, AGGREGATORS.get("default")
        )
        label = run.label
        by_ranker = ranker
        shares: dict[tuple[str, ...], tuple[Fraction, ...]] = {}
        single: dict[str, tuple[str]] = {}  # one tuple per indicator, shared by the units' points
        for unit, items in run.light(peers, chosen):
            counted = []
            for plan_rule, status, value, target, indicator, verdict in items:
                if status == "not_applicable":
                    continue
                if indicator is not None:
                    indicators: tuple[str, ...] = single.get(indicator.id) or single.setdefault(
                        indicator.id, (indicator.id,)
                    )
                    credit = by_ranker._threshold_credit(status, indicator.direction, value, target)
                else:
                    assert verdict is not None
                    indicators = tuple(dict.fromkeys(o.indicator.id for o in verdict.outcomes))
                    credit = by_ranker.credit(verdict, plan)
                counted.append((plan_rule.id, indicators, status, plan_rule.weight, value, target, credit))
            if counted:
                points, total = points_and_total(counted, shares)
                scored.append((unit, points, total))
            else:
                unscored.append(unit.id)
    else:
        if isinstance(source, Report):
            report = source
            check_report(report, plan, report.period if parsed is None else str(parsed))
        else:
            # Only the verdicts the ranking reads: the chosen rules, for the peer group.
            report = judge(plan, hierarchy, source, parsed, as_of, chosen, peers)
        label = report.period
        peer_ids = {unit.id for unit in peers}
        verdicts: dict[str, list[RuleVerdict]] = {}
        for verdict in report.verdicts:
            if verdict.rule in chosen and verdict.unit in peer_ids:
                verdicts.setdefault(verdict.unit, []).append(verdict)
        for unit in peers:
            score, exact = _scored(ranker, name, unit, tuple(verdicts.get(unit.id, ())), plan)
            if exact is None:
                unscored.append(unit.id)
            else:
                scored.append((unit, score.points, exact))
    # Highest first, ties by id: by the float (a cheap comparison that never contradicts the exact
    # order), then each run of equal floats again by the exact score.
    floats = {unit.id: float(total) for unit, _, total in scored}
    scored.sort(key=lambda item: (-floats[item[0].id], item[0].id))
    start = 0
    while start < len(scored):
        end, here = start + 1, floats[scored[start][0].id]
        while end < len(scored) and floats[scored[end][0].id] == here:
            end += 1
        if end - start > 1:
            scored[start:end] = sorted(scored[start:end], key=lambda item: (-item[2], item[0].id))
        start = end
    totals = [total for _, _, total in scored]
    ranks = _sorted_ranks(totals)
    bands, demoted, cap = _grades(plan.scoring, totals, ranks)
    top, lowest = plan.scoring.bands[0], plan.scoring.bands[-1]
    before = {} if previous is None else {row.unit: row.rank for row in previous.rows}
    rows = []
    for (unit, points, total), place, band, moved in zip(scored, ranks, bands, demoted, strict=True):
        met = no_data = 0
        for p in points:
            if p.status == "met":
                met += 1
            elif p.status == "no_data":
                no_data += 1
        prior = before.get(unit.id)
        rows.append(
            RankRow._trusted(
                unit.id,
                unit.name,
                unit.level,
                place,
                total,
                band,
                tuple(points),
                label,
                moved,
                band is top and not no_data,
                band is lowest or bool(no_data),
                prior,
                None if prior is None else prior - place,
                met,
                no_data,
            )
        )
    return Ranking(
        plan=plan.id,
        scheme=ranker.name,
        level=level,
        within=None if scope is None else scope.id,
        period=label,
        rows=rows,
        unscored=tuple(sorted(unscored)),
        top_quota=plan.scoring.top_quota,
        quota_cap=cap,
    )


def rank_periods(
    plan: Plan,
    hierarchy: Hierarchy,
    observations: Observations,
    periods: Sequence[Period | str] | None = None,
    *,
    level: str = "commune",
    within: str | Unit | None = None,
    as_of: datetime.date | None = None,
    scheme: str | None = None,
    rules: Sequence[str] | None = None,
) -> tuple[Ranking, ...]:
    """One :func:`rank` per period, in time order (each judged by the targets in force at its end
    unless ``as_of`` is given), each with the change of rank against the one before
    (the latest period that ends before it starts: with data by quarter and by month, January is
    not compared with the quarter that holds it).

    ``periods`` defaults to the periods observed. The first ranking has no previous rank. All are
    held at once; :func:`iter_rank_periods` gives the same rankings one at a time.
    """
    options = {"level": level, "within": within, "as_of": as_of, "scheme": scheme, "rules": rules}
    return tuple(_iter_rank_periods(plan, hierarchy, observations, periods, options))


def iter_rank_periods(
    plan: Plan,
    hierarchy: Hierarchy,
    observations: Observations,
    periods: Sequence[Period | str] | None = None,
    *,
    level: str = "commune",
    within: str | Unit | None = None,
    as_of: datetime.date | None = None,
    scheme: str | None = None,
    rules: Sequence[str] | None = None,
) -> Iterator[Ranking]:
    """The rankings of :func:`rank_periods`, each made when asked for: a caller that uses each as it
    comes (writes it, keeps a few of its rows) holds two at most, the one it has and the one before,
    which the next is compared with. For a country's months, say.

    ``periods`` are read at once (a bad one raises :class:`~dvctt_rules.PeriodError` here); an error
    in ranking a period is raised when that period's ranking is asked for.
    """
    options = {"level": level, "within": within, "as_of": as_of, "scheme": scheme, "rules": rules}
    return _iter_rank_periods(plan, hierarchy, observations, periods, options)


def _iter_rank_periods(
    plan: Plan,
    hierarchy: Hierarchy,
    observations: Observations,
    periods: Sequence[Period | str] | None,
    options: dict[str, Any],
) -> Iterator[Ranking]:
    """:func:`iter_rank_periods`, for it and :func:`rank_periods`: the checks and the warning about
    the plan's units once, for their caller, not once per period."""
    check_inputs(plan, hierarchy, observations)
    refuse_text(periods, "periods", "periods")
    chosen = observations.periods() if periods is None else [period_argument(p) for p in periods]
    check_plan_fits(plan, hierarchy)
    warn_unmatched_units(plan, hierarchy, stacklevel=3)  # the caller of iter_rank_periods or rank_periods
    return _ranked_periods(plan, hierarchy, observations, sorted(set(chosen)), options)


def _first(pair: tuple[datetime.date, Ranking]) -> datetime.date:
    return pair[0]


def _ranked_periods(
    plan: Plan,
    hierarchy: Hierarchy,
    observations: Observations,
    periods: list[Period],
    options: dict[str, Any],
) -> Iterator[Ranking]:
    # Each ranking is compared with the latest one that ends before its period starts: a quarter's
    # months are not compared with the quarter. Kept: that one and those that may yet be (ending
    # after this period starts); the others end before it, earlier than the one chosen, for good.
    earlier: list[tuple[Period, Ranking]] = []
    for period in periods:
        ended = max(((p.end, r) for p, r in earlier if p.end < period.start), key=_first, default=None)
        previous = None if ended is None else ended[1]
        with paused_gc():
            ranking = _rank(plan, hierarchy, observations, period=period, previous=previous, **options)
        earlier = [(p, r) for p, r in earlier if r is previous or p.end >= period.start]
        earlier.append((period, ranking))
        yield ranking
