"""Subtrees as spans of the hierarchy's pre-order: every unit's descendants in one pass. Internal module."""

from __future__ import annotations

import attrs

from ..hierarchy import Hierarchy, Unit

__all__ = ["Spans"]


@attrs.frozen
class Spans:
    """The hierarchy's units in pre-order, and where each unit's subtree starts and ends in it.

    In a pre-order walk a unit's subtree is the unit followed by a contiguous run of its
    descendants, so one pass from the leaves up gives every subtree's size; listing the units
    under any unit is then a slice, and the subtrees of units of one level never overlap. Built
    in ``O(n)``.

    >>> from dvctt_rules.hierarchy import Hierarchy, Unit
    >>> h = Hierarchy([Unit("p", "Tỉnh P", "province"), Unit("d", "UBND Huyện D", "district"),
    ...                Unit("c", "Xã C", "commune"), Unit("s", "Sở S", "department")],
    ...               {"d": "p", "c": "d", "s": "p"})
    >>> [u.id for u in Spans.of(h).below("d")], [u.id for u in Spans.of(h).subtree("p")]
    (['c'], ['p', 'd', 'c', 's'])
    """

    order: tuple[Unit, ...]
    position: dict[str, int] = attrs.field(hash=False)
    size: dict[str, int] = attrs.field(hash=False)

    @classmethod
    def of(cls, hierarchy: Hierarchy) -> Spans:
        """The spans of ``hierarchy``."""
        order = tuple(hierarchy)
        position = {unit.id: index for index, unit in enumerate(order)}
        size = dict.fromkeys(position, 1)
        for unit in reversed(order[1:]):
            parent = hierarchy.parent(unit)
            assert parent is not None  # only the root, order[0], has none
            size[parent.id] += size[unit.id]
        return cls(order, position, size)

    def subtree(self, unit_id: str) -> tuple[Unit, ...]:
        """The unit and every unit below it, in pre-order."""
        start = self.position[unit_id]
        return self.order[start : start + self.size[unit_id]]

    def below(self, unit_id: str) -> tuple[Unit, ...]:
        """Every unit below the unit (itself excluded), in pre-order."""
        start = self.position[unit_id]
        return self.order[start + 1 : start + self.size[unit_id]]
