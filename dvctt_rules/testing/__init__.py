"""Hypothesis strategies and invariant checks for systems that embed dvctt_rules.

Needs the optional extra: ``pip install 'dvctt-rules[testing]'``. The core library never imports
this package.
"""

from ._hierarchies import INVALID_KINDS, LAYOUTS, hierarchies, invalid_hierarchy_records, unit_names

__all__ = ["INVALID_KINDS", "LAYOUTS", "hierarchies", "invalid_hierarchy_records", "unit_names"]
