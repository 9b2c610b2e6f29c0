"""Rules as code: citations, indicators, targets, rule trees, plans and their JSON form.

Everything here is an immutable value (``attrs`` frozen, tuples, exact ``Fraction`` proportions);
evaluating rules against observations is a separate step.
"""

from ._accountability import Accountability, accountability
from ._citation import Citation, format_date_vi
from ._converter import (
    RULE_TAGS,
    configure_converter,
    dump_plan_json,
    load_plan,
    load_plan_json,
    make_converter,
)
from ._documents import (
    CV_1284_BTTTT,
    CV_2413_VPTU,
    DOCUMENTS,
    KH_4623,
    ND_42_2022,
    ND_335_2025,
    NQ_01_CP,
    NQ_05_NQ_TU,
    QD_17_UBQGCDS,
    QD_468_TTG,
    QD_766_TTG,
    QD_922_BTTTT,
    TTR_66_STTTT,
)
from ._evaluate import UnmatchedUnitWarning, evaluate, measure_units, period_label
from ._indicators import INDICATORS, Direction, Indicator, IndicatorKind, lookup_indicator
from ._plan import DEFAULT_BANDS, GradeBand, Plan, PlanRule, ScoringScheme
from ._rules import AllOf, AnyOf, Not, Rule, Status, Threshold, all_of, any_of, combine, not_, thresholds
from ._targets import Target, TargetTable
from ._targets_csv import load_targets_csv
from ._verdicts import Outcome, Report, RuleVerdict, compare, gap_count

__all__ = [
    "CV_1284_BTTTT",
    "CV_2413_VPTU",
    "DEFAULT_BANDS",
    "DOCUMENTS",
    "INDICATORS",
    "KH_4623",
    "ND_42_2022",
    "ND_335_2025",
    "NQ_01_CP",
    "NQ_05_NQ_TU",
    "QD_17_UBQGCDS",
    "QD_468_TTG",
    "QD_766_TTG",
    "QD_922_BTTTT",
    "RULE_TAGS",
    "TTR_66_STTTT",
    "Accountability",
    "AllOf",
    "AnyOf",
    "Citation",
    "Direction",
    "GradeBand",
    "Indicator",
    "IndicatorKind",
    "Not",
    "Outcome",
    "Plan",
    "PlanRule",
    "Report",
    "Rule",
    "RuleVerdict",
    "ScoringScheme",
    "Status",
    "Target",
    "TargetTable",
    "Threshold",
    "UnmatchedUnitWarning",
    "accountability",
    "all_of",
    "any_of",
    "combine",
    "compare",
    "configure_converter",
    "dump_plan_json",
    "evaluate",
    "format_date_vi",
    "gap_count",
    "load_plan",
    "load_plan_json",
    "load_targets_csv",
    "lookup_indicator",
    "make_converter",
    "measure_units",
    "not_",
    "period_label",
    "thresholds",
]
