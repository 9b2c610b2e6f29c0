"""dvctt-rules: a provincial plan for online public services (DVCTT) as code that can be checked,
explained and ranked."""

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


def __getattr__(name: str) -> str:
    # ``__version__`` is read from the installed metadata on first use: importing importlib.metadata
    # costs more than the rest of ``import dvctt_rules``.
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("dvctt-rules")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree that is not installed
        found = "0+unknown"
    globals()["__version__"] = found
    return found


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
