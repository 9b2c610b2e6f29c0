"""Hypothesis strategies for hierarchies: valid trees of any level layout, and invalid ones."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from hypothesis import strategies as st

from ..hierarchy import DEFAULT_LEVELS, TWO_TIER_LEVELS, Hierarchy, Unit

__all__ = ["INVALID_KINDS", "LAYOUTS", "hierarchies", "invalid_hierarchy_records", "unit_names"]

#: Level layouts, highest first: the 2023 three-tier one, the 2025 two-tier one, a bare two-level
#: one and a deeper one.
LAYOUTS: tuple[tuple[str, ...], ...] = (
    DEFAULT_LEVELS,
    TWO_TIER_LEVELS,
    ("province", "commune"),
    ("country", "region", "province", "district", "commune", "village"),
)

# Syllables with the tricky spellings: old and new tone-mark placement ("Hoà"/"Hòa", "Thuỷ"/"Thủy"),
# đ, and names that recur under several parents.
_SYLLABLES = (
    "An",
    "Bình",
    "Hòa",
    "Hoà",
    "Phú",
    "Tân",
    "Định",
    "Mỹ",
    "Chánh",
    "Thạnh",
    "Hội",
    "Nghĩa",
    "Lợi",
    "Đông",
    "Tây",
    "Long",
    "Uyên",
    "Hưng",
    "Thủy",
    "Thuỷ",
    "Đất",
    "Cuốc",
    "Lái",
    "Thiêu",
    "Dĩ",
)
_PREFIXES = {
    "country": ("Nước",),
    "region": ("Vùng",),
    "province": ("Tỉnh", "Thành phố"),
    "department": ("Sở", "Ban Quản lý", "Thanh tra"),
    "district": ("UBND Huyện", "UBND Thành phố", "UBND Thị xã", "Quận"),
    "commune": ("Phường", "Xã", "Thị trấn", "Đặc khu"),
    "village": ("Ấp", "Khu phố"),
}


def unit_names(level: str = "commune") -> st.SearchStrategy[str]:
    """Vietnamese-looking unit names for ``level``: a type prefix and one to three syllables."""
    prefixes = _PREFIXES.get(level, (level.capitalize(),))
    return st.builds(
        lambda prefix, words: " ".join([prefix, *words]),
        st.sampled_from(prefixes),
        st.lists(st.sampled_from(_SYLLABLES), min_size=1, max_size=3),
    )


@st.composite
def _tree(
    draw: st.DrawFn, levels: tuple[str, ...], min_size: int, max_size: int, max_children: int | None
) -> Hierarchy:
    size = draw(st.integers(min_size, max_size))
    ids = draw(
        st.lists(
            st.text("0123456789abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=6),
            min_size=size,
            max_size=size,
            unique=True,
        )
    )
    rank = {level: i for i, level in enumerate(levels)}
    units = [Unit(ids[0], draw(unit_names(levels[0])), levels[0], code=draw(st.none() | st.just(ids[0])))]
    parents: dict[str, str | None] = {ids[0]: None}
    children: dict[str, int] = {ids[0]: 0}
    for uid in ids[1:]:
        open_parents = [
            u
            for u in units
            if rank[u.level] < len(levels) - 1 and (max_children is None or children[u.id] < max_children)
        ]
        if not open_parents:
            break
        parent = draw(st.sampled_from(open_parents))
        below = levels[rank[parent.level] + 1 :]
        # Mostly the next level down, sometimes a skip (a department directly under the province).
        level = draw(st.sampled_from(below[:1]) | st.sampled_from(below))
        same_level = [u.name for u in units if u.level == level]
        name = draw(unit_names(level) | st.sampled_from(same_level) if same_level else unit_names(level))
        attributes = draw(st.dictionaries(st.sampled_from(["note", "area"]), unit_names(), max_size=1))
        units.append(Unit(uid, name, level, code=draw(st.none() | st.just(uid)), attributes=attributes))
        parents[uid] = parent.id
        children[uid] = 0
        children[parent.id] += 1
    return Hierarchy(units, parents, levels)


def hierarchies(
    levels: Sequence[str] | None = None,
    *,
    min_size: int = 1,
    max_size: int = 30,
    max_children: int | None = None,
) -> st.SearchStrategy[Hierarchy]:
    """Valid hierarchies: trees whose levels follow ``levels`` (any of :data:`LAYOUTS` when ``None``).

    Names repeat under different parents and mix old and new tone-mark placement, as real lists do.
    """
    layouts = st.just(tuple(levels)) if levels is not None else st.sampled_from(LAYOUTS)
    return layouts.flatmap(lambda lv: _tree(lv, min_size, max_size, max_children))


InvalidKind = Literal["no_root", "two_roots", "cycle", "missing_parent", "duplicate_id", "level_order"]

#: The kinds of invalid hierarchy :func:`invalid_hierarchy_records` can make.
INVALID_KINDS: tuple[InvalidKind, ...] = (
    "no_root",
    "two_roots",
    "cycle",
    "missing_parent",
    "duplicate_id",
    "level_order",
)


@st.composite
def _invalid(draw: st.DrawFn, kind: InvalidKind) -> tuple[list[dict[str, Any]], tuple[str, ...]]:
    tree = draw(hierarchies(DEFAULT_LEVELS, min_size=3, max_size=12, max_children=4))
    records: list[dict[str, Any]] = tree.to_records()
    non_root = records[1:]
    victim = draw(st.sampled_from(non_root)) if non_root else records[0]
    if kind == "no_root":
        records[0]["parent"] = victim["id"]
    elif kind == "two_roots":
        victim["parent"] = None
    elif kind == "cycle":
        # The root's parent becomes a leaf: every unit is on a cycle or hangs from one.
        leaf = next(r for r in reversed(records) if not any(o["parent"] == r["id"] for o in records))
        records[0]["parent"] = leaf["id"]
    elif kind == "missing_parent":
        victim["parent"] = "no-such-unit"
    elif kind == "duplicate_id":
        records.append(dict(victim))
    elif kind == "level_order":
        victim["level"] = "province"
    return records, DEFAULT_LEVELS


def invalid_hierarchy_records(
    kind: InvalidKind | None = None,
) -> st.SearchStrategy[tuple[InvalidKind, list[dict[str, Any]], tuple[str, ...]]]:
    """``(kind, records, levels)`` that :meth:`Hierarchy.from_records` must reject, of one or any kind."""
    kinds = st.just(kind) if kind is not None else st.sampled_from(INVALID_KINDS)
    return kinds.flatmap(lambda k: _invalid(k).map(lambda pair: (k, pair[0], pair[1])))
