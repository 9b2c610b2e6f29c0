"""Roll-ups: indicators aggregated over areas of the hierarchy (a district with its communes, the
province as a whole), judged against the plan's targets, with the share of units below that met
their own targets.

>>> from dvctt_rules.datasets import load_dataset
>>> ds = load_dataset("binh-duong-2023")
>>> rows = rollup(ds.plan, ds.hierarchy, ds.baseline, level="district", indicators=("online_dossier_rate",))
>>> len(rows), rows[0].strategy
(9, 'mean_of_rates')
"""

from ._rollup import Compliance, ReportMismatchError, RollupRow, check_report, plan_indicators, rollup

__all__ = [
    "Compliance",
    "ReportMismatchError",
    "RollupRow",
    "check_report",
    "plan_indicators",
    "rollup",
]
