"""Building blocks for property-based tests of systems that embed dvctt_rules, the way
``hypothesis.extra.numpy`` serves numpy users: Hypothesis strategies for hierarchies, observations,
targets, rules and plans, deliberately invalid inputs, and invariant checks to run on any result.

The strategies need the optional extra: ``pip install 'dvctt-rules[testing]'``. The invariant checks
(:func:`check_verdicts`, :func:`check_rollup`, :func:`check_ranking`) are plain functions and work
without it. The core library never imports this package. See ``docs/testing.md``.
"""

from typing import Any

from .._errors import MissingExtraError
from ._invariants import check_ranking, check_rollup, check_verdicts

try:
    import hypothesis  # noqa: F401  (only to learn whether the extra is installed)
except ImportError:  # pragma: no cover - exercised in a subprocess without hypothesis
    _HAVE_HYPOTHESIS = False
else:
    _HAVE_HYPOTHESIS = True
    from ._hierarchies import (
        INVALID_KINDS,
        LAYOUTS,
        TRICKY_HIERARCHY,
        hierarchies,
        invalid_hierarchy_records,
        other_tone_style,
        spellings,
        unit_names,
    )
    from ._invalid import (
        INVALID_OBSERVATION_KINDS,
        INVALID_PLAN_KINDS,
        ambiguous_names,
        invalid_observation_files,
        invalid_observation_records,
        invalid_plan_documents,
    )
    from ._observations import (
        cells,
        count_values,
        notes,
        observation_records,
        observations,
        period_sets,
        periods,
        rate_values,
        zero_denominator_groups,
    )
    from ._rules import (
        SAMPLE_UNIT_IDS,
        STATUSES,
        citations,
        dates,
        indicators,
        leaf_assignments,
        plans,
        proportions,
        raw_rules,
        rules,
        scoring_schemes,
        target_tables,
        targets,
        thresholds,
    )

__all__ = [
    "INVALID_KINDS",
    "INVALID_OBSERVATION_KINDS",
    "INVALID_PLAN_KINDS",
    "LAYOUTS",
    "SAMPLE_UNIT_IDS",
    "STATUSES",
    "TRICKY_HIERARCHY",
    "ambiguous_names",
    "cells",
    "check_ranking",
    "check_rollup",
    "check_verdicts",
    "citations",
    "count_values",
    "dates",
    "hierarchies",
    "indicators",
    "invalid_hierarchy_records",
    "invalid_observation_files",
    "invalid_observation_records",
    "invalid_plan_documents",
    "leaf_assignments",
    "notes",
    "observation_records",
    "observations",
    "other_tone_style",
    "period_sets",
    "periods",
    "plans",
    "proportions",
    "rate_values",
    "raw_rules",
    "rules",
    "scoring_schemes",
    "spellings",
    "target_tables",
    "targets",
    "thresholds",
    "unit_names",
    "zero_denominator_groups",
]

_CHECKS = frozenset({"check_ranking", "check_rollup", "check_verdicts"})


def __getattr__(name: str) -> Any:
    # Reached only for names not imported above: the strategies when hypothesis is missing.
    if name in __all__ and name not in _CHECKS:
        raise MissingExtraError(f"dvctt_rules.testing.{name}", "testing", "hypothesis")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
