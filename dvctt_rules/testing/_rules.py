"""Hypothesis strategies for the rules layer: citations, indicators, targets, rule trees and whole plans."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from fractions import Fraction

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ..hierarchy import DEFAULT_LEVELS, Hierarchy
from ..observations import DEFAULT_CATALOG
from ..rules import (
    DOCUMENTS,
    INDICATORS,
    AllOf,
    AnyOf,
    Citation,
    GradeBand,
    Indicator,
    Not,
    Plan,
    PlanRule,
    Rule,
    ScoringScheme,
    Status,
    Target,
    TargetTable,
    Threshold,
    all_of,
    any_of,
    not_,
)
from ..rules import thresholds as leaves_of

__all__ = [
    "SAMPLE_UNIT_IDS",
    "STATUSES",
    "citations",
    "dates",
    "indicators",
    "leaf_assignments",
    "plans",
    "proportions",
    "raw_rules",
    "rules",
    "scoring_schemes",
    "target_tables",
    "targets",
    "thresholds",
]

#: Every rule status, in the order of :data:`dvctt_rules.rules.Status`.
STATUSES: tuple[Status, ...] = ("met", "not_met", "no_data", "not_applicable")

#: The unit ids targets and plans refer to when no hierarchy is given.
SAMPLE_UNIT_IDS: tuple[str, ...] = ("so-tu-phap", "so-y-te", "h-phu-giao", "x-an-phu")

IndicatorsArg = Iterable[str | Indicator] | None

# The plan's round targets, so that counts often land exactly on one.
_ROUND = tuple(
    Fraction(n, d) for n, d in ((0, 1), (1, 2), (7, 10), (4, 5), (17, 20), (9, 10), (19, 20), (1, 1))
)
# Some text that round-trips badly if mishandled: Vietnamese diacritics, quotes, slashes.
_TEXTS = st.sampled_from(["Sở Tư pháp", "UBND tỉnh", 'mục "II.2"', "Điều 5/khoản 1", "x"])


def _indicator_list(indicators: IndicatorsArg) -> tuple[Indicator, ...]:
    if indicators is None:
        return tuple(INDICATORS[key] for key in sorted(INDICATORS))
    found: list[Indicator] = []
    for item in indicators:
        if isinstance(item, Indicator):
            found.append(item)
        elif isinstance(item, str) and item in INDICATORS:
            found.append(INDICATORS[item])
        else:
            raise InvalidArgument(
                f"indicators must be built-in indicator ids or Indicator values, got {item!r}"
            )
    if not found:
        raise InvalidArgument("indicators must not be empty")
    return tuple(found)


@functools.cache
def dates(
    min_value: datetime.date = datetime.date(2000, 1, 1),
    max_value: datetime.date = datetime.date(2040, 12, 31),
) -> st.SearchStrategy[datetime.date]:
    """Dates from ``min_value`` to ``max_value`` (2000 to 2040 by default)."""
    return st.dates(min_value=min_value, max_value=max_value)


@functools.cache
def proportions() -> st.SearchStrategy[Fraction]:
    """Exact proportions in [0, 1]: the plan's round ones (0, 50 %, 70 %, …, 100 %) and any fraction with
    a denominator up to 1000, terminating ("87.5 %") or not ("100/3 %")."""
    return st.sampled_from(_ROUND) | st.fractions(min_value=0, max_value=1, max_denominator=1000)


@functools.cache
def citations() -> st.SearchStrategy[Citation]:
    """The plan's documents (:data:`~dvctt_rules.rules.DOCUMENTS`) and made-up ones with optional parts."""
    built = st.builds(
        Citation,
        kind=st.sampled_from(["Quyết định", "Nghị định", "Công văn"]),
        number=st.sampled_from(["17/QĐ-UBQGCĐS", "42/2022/NĐ-CP", "05-NQ/TU"]),
        issuer=_TEXTS,
        date=st.none() | dates(),
        article=st.none() | st.sampled_from(["Điều 5", "khoản 2 Điều 5", "mục II.2 Phụ lục I"]),
        title=st.none() | _TEXTS,
        url=st.none() | st.just("https://dichvucong.binhduong.gov.vn"),
    )
    return st.sampled_from(list(DOCUMENTS.values())) | built


def _target_values(indicator: Indicator) -> st.SearchStrategy[Fraction]:
    return st.just(Fraction(0)) if indicator.kind == "zero_count" else proportions()


def thresholds(indicators: IndicatorsArg = None) -> st.SearchStrategy[Threshold]:
    """Threshold leaves on ``indicators`` (ids of built-in indicators or
    :class:`~dvctt_rules.rules.Indicator` values; default: every built-in one).

    The rule's own target is ``None`` (the plan's target only) or a proportion (:func:`proportions`);
    for a ``zero_count`` indicator ``None`` or 0, the only target it may have.
    """
    return _thresholds(_indicator_list(indicators))


@functools.cache
def _thresholds(choices: tuple[Indicator, ...]) -> st.SearchStrategy[Threshold]:
    # A threshold's own target is the fallback when the table has none in force: mostly there.
    leaves = [st.builds(Threshold, st.just(i.id), _target_values(i) | st.none()) for i in choices]
    return st.one_of(leaves)


@functools.cache
def _trees(
    choices: tuple[Indicator, ...], depth: int, width: int, canonical: bool
) -> st.SearchStrategy[Rule]:
    leaves: st.SearchStrategy[Rule] = _thresholds(choices)
    if depth <= 0:
        return leaves
    children = _trees(choices, depth - 1, width, canonical)
    groups = st.lists(children, min_size=1, max_size=width)
    if canonical:
        combined = st.one_of(
            groups.map(lambda rs: all_of(*rs)), groups.map(lambda rs: any_of(*rs)), children.map(not_)
        )
    else:
        tuples = groups.map(tuple)
        combined = st.one_of(tuples.map(AllOf), tuples.map(AnyOf), children.map(Not))
    return leaves | combined


def _check_shape(max_depth: int, max_width: int) -> None:
    if max_depth < 0 or max_width < 1:
        raise InvalidArgument(f"need max_depth >= 0 and max_width >= 1, got {max_depth=}, {max_width=}")


def rules(
    indicators: IndicatorsArg = None, *, max_depth: int = 3, max_width: int = 3
) -> st.SearchStrategy[Rule]:
    """Rule trees built with the combinators :func:`~dvctt_rules.rules.all_of`,
    :func:`~dvctt_rules.rules.any_of` and :func:`~dvctt_rules.rules.not_` over :func:`thresholds`.

    At most ``max_depth`` combinators deep, at most ``max_width`` children per combination (before
    flattening). Guarantees: canonical trees — no ``AllOf`` directly in an ``AllOf`` (nor ``AnyOf``
    in ``AnyOf``), no double negation — so ``not_(not_(r)) == r``. Shrinks towards a single threshold.
    """
    _check_shape(max_depth, max_width)
    return _trees(_indicator_list(indicators), max_depth, max_width, True)


def raw_rules(
    indicators: IndicatorsArg = None, *, max_depth: int = 3, max_width: int = 3
) -> st.SearchStrategy[Rule]:
    """Rule trees built with the classes directly (``AllOf((…))``, ``Not(…)``): unlike :func:`rules`
    they may nest ``AllOf`` in ``AllOf``, hold one-child combinations and ``Not(Not(r))``, as a
    hand-written or loaded plan may. Same parameters as :func:`rules`."""
    _check_shape(max_depth, max_width)
    return _trees(_indicator_list(indicators), max_depth, max_width, False)


def leaf_assignments(rule: Rule) -> st.SearchStrategy[dict[Threshold, Status]]:
    """A status (one of :data:`STATUSES`) for each distinct threshold of ``rule``."""
    leaves = list(dict.fromkeys(leaves_of(rule)))
    return st.lists(st.sampled_from(STATUSES), min_size=len(leaves), max_size=len(leaves)).map(
        lambda statuses: dict(zip(leaves, statuses, strict=True))
    )


def _scopes(hierarchy: Hierarchy | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if hierarchy is None:
        return DEFAULT_LEVELS, SAMPLE_UNIT_IDS
    return hierarchy.levels, tuple(unit.id for unit in hierarchy)


def targets(
    hierarchy: Hierarchy | None = None, indicators: IndicatorsArg = None
) -> st.SearchStrategy[Target]:
    """Targets on ``indicators`` (default: every built-in one) for units and levels of ``hierarchy``
    (without one: :data:`~dvctt_rules.hierarchy.DEFAULT_LEVELS` and :data:`SAMPLE_UNIT_IDS`).

    Plan-wide (default), per level or per unit; in force from the beginning or from a date
    (:func:`dates`); with or without a citation and a note. The value is a proportion
    (:func:`proportions`), 0 for a ``zero_count`` indicator.
    """
    return _targets(_indicator_list(indicators), *_scopes(hierarchy))


_MAYBE_DATE = st.none() | dates()
_MAYBE_CITATION = st.none() | citations()
_MAYBE_TEXT = st.none() | _TEXTS
_SCOPE = st.sampled_from(["default", "level", "unit"])


@functools.cache
def _targets(
    choices: tuple[Indicator, ...], levels: tuple[str, ...], units: tuple[str, ...]
) -> st.SearchStrategy[Target]:
    indicator_strategy = st.sampled_from(choices)
    level_strategy, unit_strategy = st.sampled_from(levels), st.sampled_from(units)

    @st.composite
    def build(draw: st.DrawFn) -> Target:
        indicator = draw(indicator_strategy)
        scope = draw(_SCOPE)
        return Target(
            indicator.id,
            draw(_target_values(indicator)),
            unit=draw(unit_strategy) if scope == "unit" else None,
            level=draw(level_strategy) if scope == "level" else None,
            effective_from=draw(_MAYBE_DATE),
            citation=draw(_MAYBE_CITATION),
            note=draw(_MAYBE_TEXT),
        )

    return build()


def target_tables(
    hierarchy: Hierarchy | None = None, indicators: IndicatorsArg = None, *, max_size: int = 8
) -> st.SearchStrategy[TargetTable]:
    """Target tables of up to ``max_size`` :func:`targets`, never two with the same indicator, scope and
    date (which :class:`~dvctt_rules.rules.TargetTable` refuses)."""
    return _target_tables(_indicator_list(indicators), *_scopes(hierarchy), max_size)


@functools.cache
def _target_tables(
    choices: tuple[Indicator, ...], levels: tuple[str, ...], units: tuple[str, ...], max_size: int
) -> st.SearchStrategy[TargetTable]:
    return st.lists(
        _targets(choices, levels, units),
        max_size=max_size,
        unique_by=lambda t: (t.indicator, t.unit, t.level, t.effective_from),
    ).map(TargetTable)


def indicators(*, evaluable: bool = False) -> st.SearchStrategy[Indicator]:
    """Extra indicators a plan may declare: new ids (``custom_rate``, ``custom_count``) or a built-in id
    redefined with the same kind (``online_dossier_rate``, ``on_time_rate``), any direction.

    With ``evaluable`` they use only measures of the default catalog and built-in evaluators, so a
    plan that declares them evaluates; without it, measures and evaluators may be made up
    (``custom_count``, ``my_plugin``), as in a plan written for a plugin.
    """
    return _declared(evaluable)


@functools.cache
def _declared(evaluable: bool) -> st.SearchStrategy[Indicator]:
    if evaluable:
        names: st.SearchStrategy[str] = st.sampled_from(DEFAULT_CATALOG.counts())
        ids = st.sampled_from(["custom_rate", "online_dossier_rate", "on_time_rate"])
    else:
        names = st.sampled_from(["received_online", "payments_total", "custom_count"])
        ids = st.sampled_from(["custom_rate", "online_dossier_rate"])
    measures = st.lists(names, min_size=1, max_size=3, unique=True).map(tuple)

    @st.composite
    def ratio(draw: st.DrawFn) -> Indicator:
        indicator_id = draw(ids)
        if evaluable:
            reported = indicator_id in DEFAULT_CATALOG.rates()
            evaluator = draw(st.sampled_from(["ratio_of_sums", "rate"] if reported else ["ratio_of_sums"]))
        else:
            evaluator = draw(st.sampled_from(["ratio_of_sums", "my_plugin"]))
        return Indicator(
            indicator_id,
            draw(_TEXTS),
            draw(_TEXTS),
            draw(measures),
            draw(measures),
            direction=draw(st.sampled_from(["at_least", "at_most", "equal"])),
            citation=draw(st.none() | citations()),
            evaluator=evaluator,
            item_vi="hồ sơ",
        )

    zero = st.builds(Indicator, st.just("custom_count"), _TEXTS, _TEXTS, measures, kind=st.just("zero_count"))
    return ratio() | zero


@functools.cache
def scoring_schemes() -> st.SearchStrategy[ScoringScheme]:
    """Scoring schemes: the default one (the four grades of Nghị định 335/2025) and two-band pass/fail
    ones, with or without a quota on the top grade, named after a built-in ranker
    (``"partial-credit"`` or ``"all-or-nothing"``, :data:`~dvctt_rules.ranking.RANKERS`)."""
    names = st.sampled_from(["partial-credit", "all-or-nothing"])
    quotas = st.none() | proportions()
    two_bands = st.builds(
        lambda name, cut, quota: ScoringScheme(
            name,
            (GradeBand(cut, "Đạt", "Pass", "pass"), GradeBand(Fraction(0), "Không đạt", "Fail", "fail")),
            quota,
        ),
        names,
        st.fractions(min_value=Fraction(1, 100), max_value=1, max_denominator=100),
        quotas,
    )
    default = st.builds(ScoringScheme, names, top_quota=quotas)
    return default | two_bands


@st.composite
def plans(
    draw: st.DrawFn,
    hierarchy: Hierarchy | None = None,
    *,
    indicators: IndicatorsArg = None,
    min_rules: int = 0,
    max_rules: int = 4,
    max_depth: int = 2,
    max_targets: int = 8,
    extra_indicators: int = 2,
) -> Plan:
    """Valid plans, whole: rules with combinators, scored and weighted rules, province-scope rules,
    level and unit selections, targets (plan-wide, per level, per unit, dated), extra indicators,
    citations and a scoring scheme.

    Parameters:
        hierarchy: the plan's levels and the units it names come from it; without one,
            :data:`~dvctt_rules.hierarchy.DEFAULT_LEVELS` and :data:`SAMPLE_UNIT_IDS`.
        indicators: what the rules and targets measure (default: every built-in indicator).
        min_rules, max_rules: the number of plan rules.
        max_depth: how deep each rule tree nests combinators (:func:`rules`).
        max_targets: the most targets in the table (:func:`target_tables`).
        extra_indicators: the most indicators the plan declares itself (:func:`indicators`); rules
            may use them.

    Guarantees: the plan validates (unique rule ids, known indicators and levels, zero targets for
    counts that must be zero); ``load_plan_json(dump_plan_json(plan)) == plan``. With a
    ``hierarchy`` every indicator is evaluable, so
    ``evaluate(plan, hierarchy, observations)`` runs for any observations of the default catalog.
    """
    if not 0 <= min_rules <= max_rules:
        raise InvalidArgument(f"need 0 <= min_rules <= max_rules, got {min_rules=}, {max_rules=}")
    _check_shape(max_depth, 1)
    if max_targets < 0 or extra_indicators < 0:
        raise InvalidArgument(
            f"need max_targets >= 0 and extra_indicators >= 0, got {max_targets=}, {extra_indicators=}"
        )
    levels, units = _scopes(hierarchy)
    declared = draw(_declarations(hierarchy is not None, extra_indicators))
    catalogue = {**INDICATORS, **{i.id: i for i in declared}}
    base = _indicator_list(indicators)
    # Rules and targets use the plan's definition of an id, and may use the plan's new indicators.
    used = tuple(catalogue[i.id] for i in base) + tuple(i for i in declared if i.id not in INDICATORS)
    count = draw(st.integers(min_value=min_rules, max_value=max_rules))
    plan_rules = [draw(_plan_rules(f"R{index}", used, levels, units, max_depth)) for index in range(count)]
    return Plan(
        id=draw(_PLAN_IDS),
        name=draw(_TEXTS),
        citation=draw(_MAYBE_CITATION),
        issued=draw(_MAYBE_DATE),
        levels=levels,
        rules=tuple(plan_rules),
        targets=draw(_target_tables(used, levels, units, max_targets)),
        indicators=tuple(declared),
        scoring=draw(scoring_schemes()),
    )


_PLAN_IDS = st.sampled_from(["kh-4623", "plan"])
_WEIGHTS = st.fractions(min_value=Fraction(1, 10), max_value=5, max_denominator=12)
_SCOPES = st.sampled_from(["unit", "province"])


@functools.cache
def _declarations(evaluable: bool, most: int) -> st.SearchStrategy[list[Indicator]]:
    return st.lists(_declared(evaluable), max_size=most, unique_by=lambda i: i.id)


@functools.cache
def _plan_rules(
    rule_id: str, used: tuple[Indicator, ...], levels: tuple[str, ...], units: tuple[str, ...], depth: int
) -> st.SearchStrategy[PlanRule]:
    some_levels = st.lists(st.sampled_from(levels), max_size=2, unique=True)
    some_units = st.lists(st.sampled_from(units), max_size=2, unique=True)
    leads = st.lists(st.sampled_from(["Sở Thông tin và Truyền thông", f"level:{levels[-1]}"]), max_size=2)
    partners = st.lists(st.sampled_from([f"level:{levels[0]}", "Văn phòng UBND tỉnh"]), max_size=2)
    trees = _trees(used, depth, 3, True)

    @st.composite
    def build(draw: st.DrawFn) -> PlanRule:
        unit_scope = draw(_SCOPES) == "unit"
        return PlanRule(
            rule_id,
            draw(trees),
            levels=draw(some_levels) if unit_scope else (),
            units=draw(some_units) if unit_scope else (),
            scope="unit" if unit_scope else "province",
            lead=draw(leads),
            coordinating=draw(partners),
            scored=draw(st.booleans()),
            weight=draw(_WEIGHTS),
            citation=draw(_MAYBE_CITATION),
            note=draw(_MAYBE_TEXT),
        )

    return build()
