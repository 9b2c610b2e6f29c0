"""Hypothesis strategies for hierarchies: valid trees of any level layout, the tricky names, invalid trees."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from typing import Any, Literal, get_args

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from .._text import fold
from ..hierarchy import DEFAULT_LEVELS, TWO_TIER_LEVELS, Hierarchy, Unit

__all__ = [
    "INVALID_KINDS",
    "LAYOUTS",
    "TRICKY_HIERARCHY",
    "hierarchies",
    "invalid_hierarchy_records",
    "other_tone_style",
    "spellings",
    "unit_names",
]

#: Level layouts, highest first: the 2023 three-tier one (province, its departments and districts,
#: communes), the 2025 two-tier one (no district level), a bare two-level one and a deeper one.
LAYOUTS: tuple[tuple[str, ...], ...] = (
    DEFAULT_LEVELS,
    TWO_TIER_LEVELS,
    ("province", "commune"),
    ("country", "region", "province", "district", "commune", "village"),
)

# Syllables with the tricky spellings: old and new tone-mark placement ("Hoà"/"Hòa", "Thuỷ"/"Thủy",
# "Hoá"/"Hóa"), đ, and names that recur under several parents.
_SYLLABLES = (
    "An",
    "Bình",
    "Hòa",
    "Hoà",
    "Hóa",
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
    "Thụy",
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
# Whole names that are hard for CSV writers and name matching: a comma, quotes.
_SPECIAL = {
    "department": ("Sở Văn hóa, Thể thao và Du lịch", 'Ban "Đặc biệt" tỉnh'),
    "commune": ('Xã "Mới", Huyện Cũ',),
}

_TONES = "\u0300\u0301\u0303\u0309\u0323"
_TONE_FIRST = re.compile(rf"([oOuU])([{_TONES}])([aAeEyY])")
_TONE_SECOND = re.compile(rf"([oOuU])([aAeEyY])([{_TONES}])(?![^\W\d_])")
_PAIRS = {"o": "ae", "u": "y"}


def _swap(match: re.Match[str]) -> str:
    first, middle, last = match.groups()
    # Only the diphthongs oa, oe and uy have two styles.
    vowel, second = (first, last) if middle in _TONES else (first, middle)
    if second.lower() not in _PAIRS[vowel.lower()]:
        return match.group(0)
    return first + last + middle


def other_tone_style(name: str) -> str:
    """``name`` with the tone marks of oa, oe and uy moved to the other vowel: new style to old style
    ("Hòa" → "Hoà", "Thủy" → "Thuỷ") or, when it has none in the new style, old style to new.

    Both spellings are in use; lookups treat them as one name. A name without such a syllable is
    returned unchanged (a closed syllable such as "Hoàng" has one spelling only).

    >>> other_tone_style("Phường Định Hòa"), other_tone_style("Xã Thuỷ Hoà")
    ('Phường Định Hoà', 'Xã Thủy Hòa')
    """
    decomposed = unicodedata.normalize("NFD", name)
    swapped = _TONE_FIRST.sub(_swap, decomposed)
    if swapped == decomposed:
        swapped = _TONE_SECOND.sub(_swap, decomposed)
    return unicodedata.normalize("NFC", swapped)


@functools.cache
def unit_names(level: str = "commune") -> st.SearchStrategy[str]:
    """Vietnamese-looking unit names for ``level``.

    A type prefix of the level ("Phường", "Xã", "UBND Huyện", "Sở", …; the level's name,
    capitalised, for levels it does not know) and one to three syllables, in either tone-mark
    style; now and then a whole name with a comma or quotes. Names are NFC, non-blank, without
    leading or trailing spaces.
    """
    prefixes = _PREFIXES.get(level, (level.capitalize(),))
    built = st.builds(
        lambda prefix, words: " ".join([prefix, *words]),
        st.sampled_from(prefixes),
        st.lists(st.sampled_from(_SYLLABLES), min_size=1, max_size=3),
    )
    special = _SPECIAL.get(level)
    return built | st.sampled_from(special) if special else built


_HOW = st.sampled_from(["new", "new", "same", "other-style"])
_IDS = st.text("0123456789abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=6)
_ATTRIBUTES = st.dictionaries(st.sampled_from(["note", "area"]), unit_names(), max_size=1)


def _name(draw: st.DrawFn, level: str, same_level: list[str]) -> str:
    if not same_level:
        return draw(unit_names(level))
    how = draw(_HOW)
    if how == "new":
        return draw(unit_names(level))
    taken = draw(st.sampled_from(same_level))
    return taken if how == "same" else other_tone_style(taken)


@st.composite
def _tree(
    draw: st.DrawFn, levels: tuple[str, ...], min_size: int, max_size: int, max_children: int | None
) -> Hierarchy:
    size = draw(st.integers(min_size, max_size))
    ids = draw(st.lists(_IDS, min_size=size, max_size=size, unique=True))
    rank = {level: i for i, level in enumerate(levels)}
    units = [
        Unit(ids[0], draw(unit_names(levels[0])), levels[0], code=ids[0] if draw(st.booleans()) else None)
    ]
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
        level = below[0] if len(below) == 1 or draw(st.booleans()) else draw(st.sampled_from(below))
        # Names repeat at a level (under another parent, or the same one) in either tone-mark style.
        name = _name(draw, level, [u.name for u in units if u.level == level])
        attributes = draw(_ATTRIBUTES)
        units.append(Unit(uid, name, level, code=uid if draw(st.booleans()) else None, attributes=attributes))
        parents[uid] = parent.id
        children[uid] = 0
        children[parent.id] += 1
    return Hierarchy(units, parents, levels)


def hierarchies(
    levels: Sequence[str] | None = None,
    *,
    layouts: Sequence[Sequence[str]] = LAYOUTS,
    min_size: int = 1,
    max_size: int = 30,
    max_children: int | None = None,
) -> st.SearchStrategy[Hierarchy]:
    """Valid hierarchies: trees whose levels follow ``levels``, or any of ``layouts`` when ``None``.

    Parameters:
        levels: one level layout, highest first (``("province", "commune")``).
        layouts: the layouts to choose from when ``levels`` is ``None`` (default :data:`LAYOUTS`:
            three-tier 2023, two-tier 2025, bare two-level, six levels deep).
        min_size, max_size: the number of units (``min_size`` ≥ 1). A tree whose every unit is full
            (``max_children``) or on the lowest level stops growing, so it may be smaller than drawn.
        max_children: the most children of one unit (``None``: no limit); the branching factor.

    Guarantees: a valid :class:`~dvctt_rules.hierarchy.Hierarchy` with the drawn levels; the root on
    the highest level; every child on a lower level than its parent, usually the next one (sometimes
    a level is skipped); unique ids of ``[0-9a-z-]``; some units with a ``code`` and an extra
    attribute. Names are Vietnamese with diacritics and repeat the hard cases of real lists: the same
    name under two parents (or twice under one), the same name in old and new tone-mark style
    ("Hoà"/"Hòa"), commas and quotes. So lookups by name may be ambiguous; by id they never are.

    Shrinks towards a lone root on the first layout.
    """
    if min_size < 1 or max_size < min_size:
        raise InvalidArgument(f"need 1 <= min_size <= max_size, got {min_size=}, {max_size=}")
    if max_children is not None and max_children < 1:
        raise InvalidArgument(f"max_children must be at least 1 (or None), got {max_children}")
    if levels is not None:
        chosen: st.SearchStrategy[tuple[str, ...]] = st.just(tuple(levels))
    else:
        if not layouts:
            raise InvalidArgument("layouts must not be empty")
        chosen = st.sampled_from([tuple(layout) for layout in layouts])
    return chosen.flatmap(lambda lv: _tree(lv, min_size, max_size, max_children))


def _tricky() -> Hierarchy:
    rows = [
        ("74", "Tỉnh Bình Dương", "province", None),
        ("so-vhttdl", "Sở Văn hóa, Thể thao và Du lịch", "department", "74"),
        ("ban-dac-biet", 'Ban "Đặc biệt" tỉnh', "department", "74"),
        ("724", "UBND Thành phố Dĩ An", "district", "74"),
        ("722", "UBND Huyện Phú Giáo", "district", "74"),
        ("718", "UBND Thành phố Thủ Dầu Một", "district", "74"),
        ("25960", "Phường An Bình", "commune", "724"),
        ("25942", "Phường Dĩ An", "commune", "724"),
        ("25870", "Xã An Bình", "commune", "722"),
        ("25871", "Xã  Tân   Hiệp", "commune", "722"),
        ("25759", "Phường Định Hòa", "commune", "718"),
        ("25760", "Phường Định Hoà", "commune", "724"),
        ("25774", "Phường Chánh Mỹ", "commune", "718"),
        ("25852", "Phường Tân Định", "commune", "718"),
        ("25853", "Phường Tân Định", "commune", "724"),
    ]
    units = [Unit(uid, name, level) for uid, name, level, _ in rows]
    return Hierarchy(units, {uid: parent for uid, _, _, parent in rows})


#: A fixed 2023-layout hierarchy of 15 units whose names are the hard cases of real lists: a commune
#: name shared by two districts ("An Bình"), old and new tone-mark placement on two different units
#: ("Định Hòa"/"Định Hoà"), a bare name that is both a district and a ward ("Dĩ An"), a comma and
#: quotes in a name, runs of spaces, and two wards with exactly the same name ("Phường Tân Định").
TRICKY_HIERARCHY: Hierarchy = _tricky()


def spellings(hierarchy: Hierarchy, unit: Unit) -> list[str]:
    """The ways of writing ``unit`` that ``hierarchy.lookup`` resolves to it: always the id, and the
    name as written, in upper and lower case, without diacritics, and padded with spaces when each
    of these finds exactly this unit. A plain function (no hypothesis needed)."""
    candidates = [
        unit.id,
        unit.name,
        unit.name.upper(),
        unit.name.lower(),
        fold(unit.name),
        f"  {unit.name} ",
    ]
    found = []
    for text in dict.fromkeys(candidates):
        try:
            if hierarchy.lookup(text.strip()).id == unit.id:
                found.append(text)
        except LookupError:
            pass
    return found


InvalidKind = Literal["no_root", "two_roots", "cycle", "missing_parent", "duplicate_id", "level_order"]

#: The kinds of invalid hierarchy :func:`invalid_hierarchy_records` can make.
INVALID_KINDS: tuple[InvalidKind, ...] = get_args(InvalidKind)


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
    """``(kind, records, levels)`` that :meth:`Hierarchy.from_records` must reject, of one or any kind.

    ``kind`` is one of :data:`INVALID_KINDS` (``None``: any). The records are those of a valid
    2023-layout tree of 3 to 12 units with one defect: no root, two roots, a cycle, a parent that is
    not a unit, a duplicate id, or a child on its parent's level. ``Hierarchy.from_records(records,
    levels)`` raises :class:`~dvctt_rules.DataError` (a :class:`~dvctt_rules.HierarchyError` for the
    graph defects).
    """
    if kind is not None and kind not in INVALID_KINDS:
        raise InvalidArgument(f"kind must be one of {INVALID_KINDS}, got {kind!r}")
    kinds = st.just(kind) if kind is not None else st.sampled_from(INVALID_KINDS)
    return kinds.flatmap(lambda k: _invalid(k).map(lambda pair: (k, pair[0], pair[1])))
