"""The administrative hierarchy: units, validated trees, lookup by name, CSV and records I/O."""

from ._hierarchy import Hierarchy, validate_tree
from ._io import hierarchy_to_csv, read_hierarchy_csv
from ._lookup import DEFAULT_ORG_PREFIXES, DEFAULT_TYPE_PREFIXES, strip_prefixes
from ._unit import DEFAULT_LEVELS, TWO_TIER_LEVELS, Unit

__all__ = [
    "DEFAULT_LEVELS",
    "DEFAULT_ORG_PREFIXES",
    "DEFAULT_TYPE_PREFIXES",
    "TWO_TIER_LEVELS",
    "Hierarchy",
    "Unit",
    "hierarchy_to_csv",
    "read_hierarchy_csv",
    "strip_prefixes",
    "validate_tree",
]
