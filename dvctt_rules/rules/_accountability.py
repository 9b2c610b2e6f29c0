"""Who answers for a rule: its lead unit (cơ quan chủ trì) and coordinating units (cơ quan phối hợp)."""

from __future__ import annotations

import attrs

from .._errors import HIERARCHY_HINT, refuse_type
from ..hierarchy import Hierarchy, Unit
from ._plan import LEVEL_PREFIX, PlanRule

__all__ = ["Accountability", "accountability"]


@attrs.frozen
class Accountability:
    """A rule's lead and coordinating units resolved in a hierarchy.

    ``unresolved`` keeps, as written, each name the hierarchy has no unit for (the plan names
    offices such as "Văn phòng UBND tỉnh" that are not units of the tree), so nothing is lost.
    """

    rule: str
    lead: tuple[Unit, ...]
    coordinating: tuple[Unit, ...]
    unresolved_lead: tuple[str, ...] = ()
    unresolved_coordinating: tuple[str, ...] = ()


def _resolve(names: tuple[str, ...], hierarchy: Hierarchy) -> tuple[tuple[Unit, ...], tuple[str, ...]]:
    units: dict[str, Unit] = {}
    unresolved: list[str] = []
    for name in names:
        if name.startswith(LEVEL_PREFIX):
            level = name.removeprefix(LEVEL_PREFIX)
            if level in hierarchy.levels:
                units.update((u.id, u) for u in hierarchy.units(level))
            else:  # a level this hierarchy does not have (two-tier: no districts)
                unresolved.append(name)
            continue
        # find, not lookup: an office the tree does not have is expected, and lookup would compute
        # did-you-mean suggestions over every unit's name only for them to be dropped.
        found = hierarchy.find(name)
        if len(found) == 1:
            units[found[0].id] = found[0]
        else:  # no unit, or several: not resolved
            unresolved.append(name)
    return tuple(units.values()), tuple(unresolved)


def accountability(rule: PlanRule, hierarchy: Hierarchy) -> Accountability:
    """Resolve ``rule.lead`` and ``rule.coordinating`` (unit names or ``level:…`` selectors).

    >>> from dvctt_rules.datasets import load_dataset
    >>> ds = load_dataset("binh-duong-2023")
    >>> who = accountability(ds.plan.rule("I.1"), ds.hierarchy)
    >>> [u.name for u in who.lead], len(who.coordinating)
    (['Sở Thông tin và Truyền thông'], 27)
    >>> accountability(ds.plan.rule("II.2"), ds.hierarchy).unresolved_coordinating
    ('Văn phòng UBND tỉnh',)
    """
    refuse_type(rule, PlanRule, "rule", "a PlanRule", "take it from the plan: plan.rule(rule_id)")
    refuse_type(hierarchy, Hierarchy, "hierarchy", "a Hierarchy", HIERARCHY_HINT)
    lead, unresolved_lead = _resolve(rule.lead, hierarchy)
    coordinating, unresolved_coordinating = _resolve(rule.coordinating, hierarchy)
    return Accountability(rule.id, lead, coordinating, unresolved_lead, unresolved_coordinating)
