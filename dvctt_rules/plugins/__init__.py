"""Plugins: evaluators (entry-point group ``dvctt_rules.evaluators``), aggregators
(``dvctt_rules.aggregators``) and the registry they share.

>>> "ratio_of_sums" in EVALUATORS.names()
True
"""

from ._aggregators import (
    AGGREGATE_BASES,
    AGGREGATORS,
    Aggregate,
    AggregateBasis,
    Aggregator,
    DefaultAggregator,
    Extreme,
    MeanOfRates,
    SumThenDivide,
    check_aggregator,
)
from ._evaluators import (
    EVALUATORS,
    Evaluator,
    IndicatorSpec,
    Measurement,
    RateOnly,
    RatioOfSums,
    UnitData,
    ZeroCount,
    check_evaluator,
)
from ._registry import DuplicatePluginWarning, Registry

__all__ = [
    "AGGREGATE_BASES",
    "AGGREGATORS",
    "EVALUATORS",
    "Aggregate",
    "AggregateBasis",
    "Aggregator",
    "DefaultAggregator",
    "DuplicatePluginWarning",
    "Evaluator",
    "Extreme",
    "IndicatorSpec",
    "MeanOfRates",
    "Measurement",
    "RateOnly",
    "RatioOfSums",
    "Registry",
    "SumThenDivide",
    "UnitData",
    "ZeroCount",
    "check_aggregator",
    "check_evaluator",
]
