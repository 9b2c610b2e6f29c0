"""dvctt-rules: a provincial plan for online public services (DVCTT) as code that can be checked,
explained and ranked."""

from importlib.metadata import PackageNotFoundError, version

from ._errors import (
    AmbiguousUnitError,
    DataError,
    DatasetNotFoundError,
    DvcttRulesError,
    EvaluationError,
    HierarchyError,
    MissingExtraError,
    PeriodError,
    PlanError,
    PluginError,
    Problem,
    UnknownNameError,
    UnknownUnitError,
)
from .hierarchy import Hierarchy, Unit

try:
    __version__ = version("dvctt-rules")
except PackageNotFoundError:  # pragma: no cover - running from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = [
    "AmbiguousUnitError",
    "DataError",
    "DatasetNotFoundError",
    "DvcttRulesError",
    "EvaluationError",
    "Hierarchy",
    "HierarchyError",
    "MissingExtraError",
    "PeriodError",
    "PlanError",
    "PluginError",
    "Problem",
    "Unit",
    "UnknownNameError",
    "UnknownUnitError",
    "__version__",
]
