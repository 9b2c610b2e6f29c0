"""The administrative hierarchy: a validated tree of units on a networkx DiGraph."""

from __future__ import annotations

import operator
import weakref
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .._errors import (
    HierarchyError,
    Problem,
    UnknownNameError,
    UnknownUnitError,
    described,
    listed,
    refuse_non_text,
    refuse_text,
    refuse_type,
)
from .._text import close_matches
from ._lookup import DEFAULT_ORG_PREFIXES, DEFAULT_TYPE_PREFIXES, NameIndex, prefix_tuple, strip_prefixes
from ._unit import DEFAULT_LEVELS, Unit

if TYPE_CHECKING:
    import networkx as nx

_ID, _LEVEL, _CODE = operator.attrgetter("id"), operator.attrgetter("level"), operator.attrgetter("code")

__all__ = ["Hierarchy"]


class Hierarchy:
    """A validated tree of :class:`Unit` values, with the levels it declares, highest first.

    Levels are data, not depth: ``("province", "department", "district", "commune")`` for the 2023
    three-tier layout, ``("province", "commune")`` after the 2025 reform, or any other order. A
    child's level must come after its parent's.

    The hierarchy is immutable. Iteration is a pre-order walk from the root that visits children in
    the order they were given, so it is deterministic for a given input.

    >>> h = Hierarchy(
    ...     [Unit("74", "Tỉnh Bình Dương", "province"), Unit("718", "UBND Thành phố Thủ Dầu Một", "district"),
    ...      Unit("25774", "Phường Chánh Mỹ", "commune")],
    ...     {"718": "74", "25774": "718"},
    ... )
    >>> [u.id for u in h.path("25774")]
    ['74', '718', '25774']
    >>> h.lookup("phuong chanh my").name
    'Phường Chánh Mỹ'
    """

    def __init__(
        self,
        units: Iterable[Unit],
        parents: Mapping[str, str | None],
        levels: Sequence[str] = DEFAULT_LEVELS,
        *,
        org_prefixes: Sequence[str] = DEFAULT_ORG_PREFIXES,
        type_prefixes: Sequence[str] = DEFAULT_TYPE_PREFIXES,
    ) -> None:
        refuse_type(
            parents, Mapping, "parents", "a mapping of unit id → parent id", "pass a dict, None for the root"
        )
        unit_list = list(units)
        if isinstance(levels, Iterable) and not isinstance(levels, str):  # read once: a generator
            levels = tuple(levels)
        validate_tree(unit_list, parents, levels)
        self._setup(unit_list, parents, levels, org_prefixes, type_prefixes)

    @classmethod
    def _validated(
        cls,
        units: list[Unit],
        parents: Mapping[str, str | None],
        levels: Sequence[str] = DEFAULT_LEVELS,
        *,
        org_prefixes: Sequence[str] = DEFAULT_ORG_PREFIXES,
        type_prefixes: Sequence[str] = DEFAULT_TYPE_PREFIXES,
    ) -> Hierarchy:
        """A hierarchy of units that :func:`validate_tree` has just accepted (readers validate with
        file and line numbers first). Internal."""
        hierarchy = object.__new__(cls)
        hierarchy._setup(units, parents, levels, org_prefixes, type_prefixes)
        return hierarchy

    def _setup(
        self,
        unit_list: list[Unit],
        parents: Mapping[str, str | None],
        levels: Sequence[str],
        org_prefixes: Sequence[str],
        type_prefixes: Sequence[str],
    ) -> None:
        self._levels = tuple(levels)
        self._org_prefixes = prefix_tuple("org_prefixes", org_prefixes)
        self._type_prefixes = prefix_tuple("type_prefixes", type_prefixes)
        ids = list(map(_ID, unit_list))
        self._units: dict[str, Unit] = dict(zip(ids, unit_list, strict=True))
        above = [parent or None for parent in map(parents.get, ids)]
        self._parent: dict[str, str | None] = dict(zip(ids, above, strict=True))
        children: dict[str, list[str]] = {uid: [] for uid in ids}
        for uid, parent in zip(ids, above, strict=True):
            if parent is not None:
                children[parent].append(uid)
        self._children = children
        (self._root,) = (uid for uid, parent in zip(ids, above, strict=True) if parent is None)
        order = self._preorder(self._root)
        self._order: tuple[str, ...] = tuple(order)
        self._position = dict(zip(order, range(len(order)), strict=True))

    # -- construction ------------------------------------------------------------------------

    @classmethod
    def from_records(
        cls, records: Iterable[Mapping[str, Any]], levels: Sequence[str] = DEFAULT_LEVELS, **options: Any
    ) -> Hierarchy:
        """Build from records with keys ``id``, ``name``, ``level``, ``parent`` (and optional ``code``).

        Any other key becomes an extra attribute. A blank or missing ``parent`` marks the root.
        """
        from ._io import units_from_records

        refuse_text(records, "records", "records")
        if isinstance(records, Mapping):
            raise TypeError("records must be a collection of records, got one mapping; pass [record]")
        records = list(records)
        try:
            units, parents = units_from_records(records)
        except AttributeError:
            for position, record in enumerate(records):
                refuse_type(
                    record,
                    Mapping,
                    f"records[{position}]",
                    "a mapping",
                    "give each record as a dict of field → value",
                )
            raise
        return cls(units, parents, levels, **options)

    def to_records(self) -> list[dict[str, str | None]]:
        """Records in iteration order, the inverse of :meth:`from_records`."""
        from ._io import units_to_records

        return units_to_records(self)

    # -- basic protocol ----------------------------------------------------------------------

    @property
    def levels(self) -> tuple[str, ...]:
        """The declared levels, highest first."""
        return self._levels

    @property
    def root(self) -> Unit:
        """The root unit (the province)."""
        return self._units[self._root]

    def __len__(self) -> int:
        return len(self._units)

    def __contains__(self, item: object) -> bool:
        if isinstance(item, Unit):
            return self._units.get(item.id) == item
        return isinstance(item, str) and item in self._units

    def __iter__(self) -> Iterator[Unit]:
        return (self._units[uid] for uid in self._order)

    def __getitem__(self, unit_id: str) -> Unit:
        try:
            return self._units[unit_id]
        except (KeyError, TypeError):  # TypeError: unhashable
            raise self._unknown(unit_id, "unit_id", "a unit id") from None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Hierarchy):
            return NotImplemented
        return self._levels == other._levels and self.to_records() == other.to_records()

    __hash__ = None  # type: ignore[assignment]  # equal by value but holds dicts

    def __repr__(self) -> str:
        counts = Counter(unit.level for unit in self._units.values())
        parts = ", ".join(f"{counts[level]} {level}" for level in self._levels if counts[level])
        return f"<Hierarchy {self.root.name!r}: {len(self)} units ({parts})>"

    # -- tree queries ------------------------------------------------------------------------

    def _absent(self, ids: Iterable[str]) -> list[str]:
        """Those of ``ids`` that are not the id of a unit here, in their order. Internal."""
        units = self._units
        return [uid for uid in ids if uid not in units]

    def _id(self, unit: Unit | str) -> str:
        unit_id = unit.id if isinstance(unit, Unit) else unit
        try:
            if unit_id in self._units:
                return unit_id
        except TypeError:  # unhashable: refused below
            pass
        raise self._unknown(unit_id, "unit", "a Unit or a unit id")

    def _unknown(self, unit_id: object, name: str, what: str) -> UnknownUnitError:
        """The error for ``unit_id``, found in no unit; ``TypeError`` when it is not even a text."""
        refuse_non_text(unit_id, name, what)
        assert isinstance(unit_id, str)
        return UnknownUnitError(unit_id, close_matches(unit_id, self._units))

    def _preorder(self, start: str) -> list[str]:
        """``start`` and every unit below it, parents before children, children in the order given."""
        order: list[str] = []
        stack, children = [start], self._children
        while stack:
            uid = stack.pop()
            order.append(uid)
            stack.extend(reversed(children[uid]))
        return order

    def parent(self, unit: Unit | str) -> Unit | None:
        """The parent unit, or ``None`` for the root."""
        parent = self._parent[self._id(unit)]
        return None if parent is None else self._units[parent]

    def children(self, unit: Unit | str) -> tuple[Unit, ...]:
        """The direct children, in the order given."""
        return tuple(self._units[c] for c in self._children[self._id(unit)])

    def ancestors(self, unit: Unit | str) -> tuple[Unit, ...]:
        """Every ancestor, nearest first (the parent, then its parent, up to the root)."""
        found: list[Unit] = []
        parent = self._parent[self._id(unit)]
        while parent is not None:
            found.append(self._units[parent])
            parent = self._parent[parent]
        return tuple(found)

    def descendants(self, unit: Unit | str) -> tuple[Unit, ...]:
        """Every unit below ``unit``, in iteration order (``unit`` itself excluded)."""
        return tuple(self._units[uid] for uid in self._preorder(self._id(unit)))[1:]

    def path(self, unit: Unit | str) -> tuple[Unit, ...]:
        """The units from the root down to ``unit``, both included."""
        uid = self._id(unit)
        return (*reversed(self.ancestors(uid)), self._units[uid])

    def depth(self, unit: Unit | str) -> int:
        """The number of edges between the root and ``unit``."""
        return len(self.ancestors(unit))

    def units(self, level: str | None = None) -> tuple[Unit, ...]:
        """All units in iteration order, or those of one ``level``."""
        if level is not None and level not in self._levels:
            raise self._unknown_level(level)
        return tuple(u for u in self if level is None or u.level == level)

    def sort_key(self, unit: Unit | str) -> int:
        """The unit's position in iteration order, to sort units the way the hierarchy lists them."""
        return self._position[self._id(unit)]

    def level_rank(self, level: str) -> int:
        """The position of ``level`` in :attr:`levels` (0 for the highest)."""
        try:
            return self._levels.index(level)
        except ValueError:
            raise self._unknown_level(level) from None

    def _unknown_level(self, level: object) -> UnknownNameError:
        refuse_non_text(level, "level", "a level name", f"pass one of {list(self._levels)!r}")
        assert isinstance(level, str)
        return UnknownNameError("level", level, self._levels, close_matches(level, self._levels))

    def subtree(self, unit: Unit | str) -> Hierarchy:
        """A new hierarchy rooted at ``unit`` with everything below it (this one is not changed)."""
        uid = self._id(unit)
        members = [self._units[m] for m in self._preorder(uid)]
        parents = {m.id: (None if m.id == uid else self._parent[m.id]) for m in members}
        return Hierarchy(
            members, parents, self._levels, org_prefixes=self._org_prefixes, type_prefixes=self._type_prefixes
        )

    @cached_property
    def graph(self) -> nx.DiGraph:
        """A frozen networkx view: edges parent → child, node attribute ``unit`` holds the :class:`Unit`.

        It is a copy frozen with ``networkx.freeze``: algorithms may read it, nobody can change the tree
        through it.
        """
        import networkx as nx  # imported when a graph is asked for, not with the library

        graph = nx.DiGraph()
        for uid in self._order:
            graph.add_node(uid, unit=self._units[uid])
            parent = self._parent[uid]
            if parent is not None:
                graph.add_edge(parent, uid)
        return nx.freeze(graph)

    # -- lookup ------------------------------------------------------------------------------

    @cached_property
    def _index(self) -> NameIndex:
        # The index words its messages with this hierarchy's labels, reached through a weak
        # reference: a bound method would make a cycle, which only the garbage collector frees.
        owner = weakref.ref(self)

        def label(unit: Unit) -> str:
            hierarchy = owner()
            return unit.name if hierarchy is None else hierarchy.label(unit)

        return NameIndex(self, label, org_prefixes=self._org_prefixes, type_prefixes=self._type_prefixes)

    def label(self, unit: Unit | str) -> str:
        """``"Phường An Bình (Thành phố Dĩ An)"``: the name with its parent's place name, for messages."""
        found = self._units[self._id(unit)]
        parent = self.parent(found)
        if parent is None:
            return found.name
        return f"{found.name} ({strip_prefixes(parent.name, self._org_prefixes)})"

    def lookup(self, query: str, *, bare: bool = True) -> Unit:
        """The unit named by ``query``: an id, or a name written in any of the usual ways.

        Tried in order, the first tier that matches decides: id; exact name; name without case or
        tone-mark style ("Phường Định Hoà" = "Phường Định Hòa"); name without diacritics
        ("phuong chanh my"); with ``bare`` (default), the name without its type or "UBND" prefix
        ("Chánh Mỹ"). When none matches, a shortened type is read as written out and the tiers
        tried again: "TP." or "TP" (Thành phố), "TX" (Thị xã), "TT" (Thị trấn), "H." (Huyện), "P."
        (Phường), "X." (Xã), "Q." (Quận): "TP. Thủ Dầu Một", "P.Chánh Mỹ". Raises
        :class:`~dvctt_rules.AmbiguousUnitError` listing every candidate with its parent, or
        :class:`~dvctt_rules.UnknownUnitError` with the closest names.
        """
        try:
            found = self._units.get(query)  # an id: the name index is built only when a name comes
        except TypeError:  # unhashable: refused below
            found = None
        if found is not None:
            return found
        refuse_non_text(query, "query", "a unit id or name")
        return self._index.lookup(query, bare=bare)

    def find(self, query: str, *, bare: bool = True) -> tuple[Unit, ...]:
        """Every unit the first matching tier finds for ``query`` (empty when none)."""
        try:
            found = self._units.get(query)
        except TypeError:  # unhashable: refused below
            found = None
        if found is not None:
            return (found,)
        refuse_non_text(query, "query", "a unit id or name")
        return self._index.candidates(query, bare=bare)


def _refuse_non_units(units: list[Unit]) -> None:
    for position, unit in enumerate(units):
        if not isinstance(unit, Unit):
            raise TypeError(
                f"units must be Unit values, got {described(unit)} at position {position}; "
                "make each with Unit(id, name, level), or build from records with Hierarchy.from_records"
            )


def validate_tree(
    units: Sequence[Unit],
    parents: Mapping[str, str | None],
    levels: Sequence[str],
    *,
    source: str | None = None,
    lines: Mapping[str, int] | None = None,
) -> None:
    """Raise :class:`HierarchyError` listing every reason ``units`` and ``parents`` are not a valid tree.

    ``source`` and ``lines`` (unit id → line) locate each problem in the file it came from: its
    line, and the column where it is corrected.
    """
    if not isinstance(levels, Iterable):
        raise TypeError(
            f"levels must be level names, highest first, got {described(levels)}; "
            "pass them as a list, such as ['province', 'district', 'commune']"
        )
    if isinstance(levels, str):  # a str is a sequence of one-letter levels: never what was meant
        names = [name.strip() for name in levels.split(",")]
        hint = f"pass the names one by one, as {names!r}" if len(names) > 1 else "pass a list of names"
        message = f"levels must be level names, highest first, not one text: {levels!r}"
        raise HierarchyError([Problem(message, source=source, hint=hint)])
    refuse_text(units, "units", "Unit values")
    problems: list[Problem] = []
    bad_ids: list[str] = []
    levels = tuple(levels)

    def fail(message: str, ids: Iterable[str], hint: str, column: str | None = None) -> None:
        ids = list(ids)
        bad_ids.extend(ids)
        line = min((lines[i] for i in ids if i in lines), default=None) if lines else None
        # A column is named only for units read from a file, whose lines are known.
        problems.append(
            Problem(
                message, source=source, line=line, column=column if lines is not None else None, hint=hint
            )
        )

    if len(set(levels)) != len(levels) or not levels:
        fail(f"levels must be distinct and non-empty, got {list(levels)!r}", [], "declare each level once")
    # Each check runs over whole columns first (C loops); the loops that say what is wrong, and
    # where, run only when a check finds something.
    try:
        unit_ids = list(map(_ID, units))
    except AttributeError:
        _refuse_non_units(list(units))
        raise
    unit_levels = list(map(_LEVEL, units))
    by_id = dict(zip(unit_ids, units, strict=True))
    if len(by_id) != len(unit_ids):
        counts = Counter(unit_ids)
        duplicates = sorted(uid for uid, n in counts.items() if n > 1)
        fail(f"duplicate unit ids: {listed(duplicates)}", duplicates, "give every unit its own id", "id")
    codes = [code for code in map(_CODE, units) if code]
    if len(set(codes)) != len(codes):  # an official code names one unit: data joined on it would mix two
        shared = sorted(code for code, n in Counter(codes).items() if n > 1)
        ids = [u.id for u in units if u.code in shared]
        fail(
            f"units share official codes: {listed(shared)}, used by {listed(ids)}",
            ids,
            "give each unit its own code, or leave the code blank",
            "code",
        )
    unknown_levels = sorted(set(unit_levels) - set(levels))
    if unknown_levels:
        ids = [u.id for u in units if u.level in unknown_levels]
        fail(
            f"levels {unknown_levels!r} are not declared (declared: {list(levels)!r}), used by {listed(ids)}",
            ids,
            "declare them in the hierarchy's levels, highest first",
            "level",
        )
    strays = sorted(parents.keys() - by_id.keys())
    if strays:
        fail(f"parents are given for ids that are not units: {listed(strays)}", strays, "remove them")
    above = list(map(parents.get, unit_ids))
    roots = [uid for uid, parent in zip(unit_ids, above, strict=True) if not parent]
    if not units:
        fail("there are no units", [], "give at least the root unit")
    elif not roots:
        fail(
            "there is no root (every unit has a parent)",
            [],
            "leave the parent of the top unit blank",
            "parent",
        )
    elif len(roots) > 1:
        # Each root with its line: the problem is on the first, the others are to be found as well.
        named = [f"{uid} (line {lines[uid]})" if lines and uid in lines else uid for uid in roots]
        fail(
            f"there are {len(roots)} roots: {listed(named)}",
            roots,
            "give every unit but one a parent",
            "parent",
        )
    missing = (
        sorted(uid for uid in by_id if parents.get(uid) and parents[uid] not in by_id)
        if not set(filter(None, above)) <= by_id.keys()
        else []
    )
    for uid in missing:
        fail(
            f"unit {uid} has parent {parents[uid]!r}, which is not a unit",
            [uid],
            f"add unit {parents[uid]!r} or correct the parent of {uid}",
            "parent",
        )
    rank = {level: i for i, level in enumerate(levels)}
    rank_of = dict(zip(unit_ids, map(rank.get, unit_levels), strict=True))  # None: a level not declared
    ranks = zip(map(rank_of.__getitem__, unit_ids), map(rank_of.get, above), strict=True)
    if any(child is not None and up is not None and child <= up for child, up in ranks):
        for uid, unit in by_id.items():
            parent_id = parents.get(uid)
            if not parent_id or parent_id not in by_id:
                continue
            parent = by_id[parent_id]
            if unit.level in rank and parent.level in rank and rank[unit.level] <= rank[parent.level]:
                fail(
                    f"unit {uid} ({unit.level}) is under {parent_id} ({parent.level}), "
                    f"but {unit.level!r} is not below {parent.level!r}",
                    [uid],
                    f"levels run {' > '.join(levels)}; correct the level or the parent",
                    "level",
                )
    if not problems:
        # Every unit's level is declared and below its parent's: levels fall strictly along every
        # chain of parents, which therefore ends (at the root). No cycle can exist.
        return
    # Cycles: follow parents from every unit; a walk that comes back to a unit of its own path has
    # found a cycle. A unit already walked from is not walked again, so this takes O(n).
    in_cycle: set[str] = set()
    walked: set[str] = set()
    for start in by_id:
        if start in walked:
            continue
        path: dict[str, None] = {}
        current: str | None = start
        while current is not None and current in by_id and current not in path and current not in walked:
            path[current] = None
            current = parents.get(current) or None
        if current is not None and current in path:
            order = list(path)
            in_cycle.update(order[order.index(current) :])
        walked.update(path)
    if in_cycle:
        cycle = sorted(in_cycle)
        fail(
            f"units form a cycle: {listed(cycle)}",
            cycle,
            "every chain of parents must end at the root",
            "parent",
        )
    if problems:
        raise HierarchyError(problems, ids=dict.fromkeys(bad_ids))
