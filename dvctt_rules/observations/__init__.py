"""Observations: measured counts and rates per unit and period, validated loaders and writers.

Measures (counts and rates, with part-of relations) are declared in a :class:`MeasureCatalog`;
periods are years, quarters and months; :class:`Observations` holds one validated data set and
accumulates it over periods with :meth:`Observations.totals`.
"""

from ._load import FORMATS, Format, load_observations, observations_from_records
from ._measures import (
    DEFAULT_CATALOG,
    RESERVED_COLUMNS,
    Measure,
    MeasureCatalog,
    MeasureKind,
    OverTime,
    PartOf,
)
from ._model import LoadReport, Observation, Observations, Totals
from ._periods import Period, PeriodKind
from ._write import observations_to_csv, observations_to_json, observations_to_records

__all__ = [
    "DEFAULT_CATALOG",
    "FORMATS",
    "RESERVED_COLUMNS",
    "Format",
    "LoadReport",
    "Measure",
    "MeasureCatalog",
    "MeasureKind",
    "Observation",
    "Observations",
    "OverTime",
    "PartOf",
    "Period",
    "PeriodKind",
    "Totals",
    "load_observations",
    "observations_from_records",
    "observations_to_csv",
    "observations_to_json",
    "observations_to_records",
]
