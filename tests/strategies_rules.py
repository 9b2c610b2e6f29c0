"""Hypothesis strategies for the rules layer: citations, targets, rule trees and whole plans."""

from __future__ import annotations

import datetime
from fractions import Fraction

from hypothesis import strategies as st

from dvctt_rules.rules import (
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
from dvctt_rules.rules import thresholds as leaves_of

LEVELS = ("province", "department", "district", "commune")
UNITS = ("so-tu-phap", "so-y-te", "h-phu-giao", "x-an-phu")
STATUSES: tuple[Status, ...] = ("met", "not_met", "no_data", "not_applicable")
RATIO_IDS = tuple(sorted(i.id for i in INDICATORS.values() if i.kind == "ratio"))
ZERO_COUNT_IDS = tuple(sorted(i.id for i in INDICATORS.values() if i.kind == "zero_count"))

# Some text that round-trips badly if mishandled: Vietnamese diacritics, quotes, slashes.
texts = st.sampled_from(["Sở Tư pháp", "UBND tỉnh", 'mục "II.2"', "Điều 5/khoản 1", "x"])
dates = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2040, 12, 31))


def proportions() -> st.SearchStrategy[Fraction]:
    """Exact proportions in [0, 1], both terminating ("87.5 %") and not ("100/3 %")."""
    return st.fractions(min_value=0, max_value=1, max_denominator=1000)


def citations() -> st.SearchStrategy[Citation]:
    """The plan's documents and arbitrary ones with optional parts."""
    built = st.builds(
        Citation,
        kind=st.sampled_from(["Quyết định", "Nghị định", "Công văn"]),
        number=st.sampled_from(["17/QĐ-UBQGCĐS", "42/2022/NĐ-CP", "05-NQ/TU"]),
        issuer=texts,
        date=st.none() | dates,
        article=st.none() | st.sampled_from(["Điều 5", "khoản 2 Điều 5", "mục II.2 Phụ lục I"]),
        title=st.none() | texts,
        url=st.none() | st.just("https://dichvucong.binhduong.gov.vn"),
    )
    return st.sampled_from(list(DOCUMENTS.values())) | built


def thresholds() -> st.SearchStrategy[Threshold]:
    """Thresholds on the built-in indicators, with a target or the plan's."""
    ratio = st.builds(Threshold, st.sampled_from(RATIO_IDS), st.none() | proportions())
    zero = st.builds(Threshold, st.sampled_from(ZERO_COUNT_IDS), st.sampled_from([None, Fraction(0)]))
    return ratio | zero


def raw_rules(max_leaves: int = 12) -> st.SearchStrategy[Rule]:
    """Rule trees built with the classes directly: may nest AllOf in AllOf or Not in Not."""

    def extend(children: st.SearchStrategy[Rule]) -> st.SearchStrategy[Rule]:
        groups = st.lists(children, min_size=1, max_size=4).map(tuple)
        return st.one_of(groups.map(AllOf), groups.map(AnyOf), children.map(Not))

    leaves: st.SearchStrategy[Rule] = thresholds()
    return st.recursive(leaves, extend, max_leaves=max_leaves)


def rules(max_leaves: int = 12) -> st.SearchStrategy[Rule]:
    """Rule trees built with the combinators: flat, and without double negation."""

    def extend(children: st.SearchStrategy[Rule]) -> st.SearchStrategy[Rule]:
        groups = st.lists(children, min_size=1, max_size=4)
        return st.one_of(
            groups.map(lambda rs: all_of(*rs)), groups.map(lambda rs: any_of(*rs)), children.map(not_)
        )

    leaves: st.SearchStrategy[Rule] = thresholds()
    return st.recursive(leaves, extend, max_leaves=max_leaves)


def leaf_assignments(rule: Rule) -> st.SearchStrategy[dict[Threshold, Status]]:
    """A status for each distinct threshold of ``rule``."""
    leaves = list(dict.fromkeys(leaves_of(rule)))
    return st.lists(st.sampled_from(STATUSES), min_size=len(leaves), max_size=len(leaves)).map(
        lambda statuses: dict(zip(leaves, statuses, strict=True))
    )


def targets() -> st.SearchStrategy[Target]:
    """Targets on ratio indicators, plan-wide, per level or per unit, dated or not."""
    scope = st.sampled_from(["default", "level", "unit"])
    return st.builds(
        lambda indicator, value, scope, level, unit, when, citation, note: Target(
            indicator,
            value,
            unit=unit if scope == "unit" else None,
            level=level if scope == "level" else None,
            effective_from=when,
            citation=citation,
            note=note,
        ),
        st.sampled_from(RATIO_IDS),
        proportions(),
        scope,
        st.sampled_from(LEVELS),
        st.sampled_from(UNITS),
        st.none() | dates,
        st.none() | citations(),
        st.none() | texts,
    )


def target_tables() -> st.SearchStrategy[TargetTable]:
    """Tables without two targets of the same indicator, scope and date."""
    return st.lists(
        targets(), max_size=8, unique_by=lambda t: (t.indicator, t.unit, t.level, t.effective_from)
    ).map(TargetTable)


def indicators() -> st.SearchStrategy[Indicator]:
    """Extra indicators a plan may declare (new ids, or overriding a built-in one)."""
    measures = st.lists(
        st.sampled_from(["received_online", "payments_total", "custom_count"]), min_size=1, max_size=3
    ).map(tuple)
    ratio = st.builds(
        Indicator,
        st.sampled_from(["custom_rate", "online_dossier_rate"]),
        texts,
        texts,
        measures,
        measures,
        direction=st.sampled_from(["at_least", "at_most", "equal"]),
        citation=st.none() | citations(),
        evaluator=st.sampled_from(["ratio_of_sums", "my_plugin"]),
        item_vi=st.just("hồ sơ"),
    )
    zero = st.builds(Indicator, st.just("custom_count"), texts, texts, measures, kind=st.just("zero_count"))
    return ratio | zero


def scoring_schemes() -> st.SearchStrategy[ScoringScheme]:
    """The default scheme and simple two-band schemes with an optional top quota."""
    two_bands = st.builds(
        lambda cut, quota: ScoringScheme(
            "pass-fail",
            (GradeBand(cut, "Đạt", "Pass", "pass"), GradeBand(Fraction(0), "Không đạt", "Fail", "fail")),
            quota,
        ),
        st.fractions(min_value=Fraction(1, 100), max_value=1, max_denominator=100),
        st.none() | proportions(),
    )
    return st.just(ScoringScheme()) | two_bands


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    """Valid plans: unique rule ids, known indicators and levels."""
    count = draw(st.integers(min_value=0, max_value=4))
    plan_rules = []
    for index in range(count):
        scope = draw(st.sampled_from(["unit", "province"]))
        unit_scope = scope == "unit"
        plan_rules.append(
            PlanRule(
                f"R{index}",
                draw(rules(max_leaves=6)),
                levels=draw(st.lists(st.sampled_from(LEVELS), max_size=2, unique=True)) if unit_scope else (),
                units=draw(st.lists(st.sampled_from(UNITS), max_size=2, unique=True)) if unit_scope else (),
                scope="unit" if unit_scope else "province",
                lead=draw(
                    st.lists(
                        st.sampled_from(["Sở Thông tin và Truyền thông", "level:department"]), max_size=2
                    )
                ),
                coordinating=draw(
                    st.lists(st.sampled_from(["level:district", "Văn phòng UBND tỉnh"]), max_size=2)
                ),
                scored=draw(st.booleans()),
                weight=draw(st.fractions(min_value=Fraction(1, 10), max_value=5, max_denominator=12)),
                citation=draw(st.none() | citations()),
                note=draw(st.none() | texts),
            )
        )
    # Extras add new ids or override a built-in one with the same kind, so the rules stay valid.
    extra = draw(st.lists(indicators(), max_size=2, unique_by=lambda i: i.id))
    return Plan(
        id=draw(st.sampled_from(["kh-4623", "plan"])),
        name=draw(texts),
        citation=draw(st.none() | citations()),
        issued=draw(st.none() | dates),
        levels=LEVELS,
        rules=tuple(plan_rules),
        targets=draw(target_tables()),
        indicators=tuple(extra),
        scoring=draw(scoring_schemes()),
    )
