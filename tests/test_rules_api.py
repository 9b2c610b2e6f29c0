"""Pins the structural public surface of ``dvctt_rules.rules``: removing a name is a deliberate change.

Evaluation (``_evaluate.py``, ``_verdicts.py``) adds its own names to the package; they are pinned by
its tests, so this test checks that the structural names below are all exported, not that nothing else is.
"""

from __future__ import annotations

import dvctt_rules.rules as rules

PUBLIC = {
    # citations
    "Citation", "format_date_vi", "DOCUMENTS", "CV_1284_BTTTT", "CV_2413_VPTU", "KH_4623", "ND_42_2022",
    "ND_335_2025", "NQ_01_CP", "NQ_05_NQ_TU", "QD_17_UBQGCDS", "QD_468_TTG", "QD_766_TTG", "QD_922_BTTTT",
    "TTR_66_STTTT",
    # indicators and targets
    "INDICATORS", "Indicator", "IndicatorKind", "Direction", "lookup_indicator",
    "Target", "TargetTable", "load_targets_csv",
    # rules
    "Rule", "Threshold", "AllOf", "AnyOf", "Not", "all_of", "any_of", "not_", "combine", "Status",
    "thresholds",
    # plans
    "Plan", "PlanRule", "ScoringScheme", "GradeBand", "DEFAULT_BANDS",
    # wire form
    "RULE_TAGS", "make_converter", "configure_converter", "dump_plan_json", "load_plan_json", "load_plan",
}  # fmt: skip


def test_structural_names_are_public() -> None:
    assert sorted(PUBLIC - set(rules.__all__)) == []
    assert len(rules.__all__) == len(set(rules.__all__))
    for name in rules.__all__:
        assert hasattr(rules, name), name


def test_public_objects_are_documented() -> None:
    for name in rules.__all__:
        obj = getattr(rules, name)
        if callable(obj) and hasattr(obj, "__module__") and obj.__module__.startswith("dvctt_rules"):
            assert obj.__doc__, name
