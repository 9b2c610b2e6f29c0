"""Finding units by id or by the many ways people write Vietnamese unit names."""

from __future__ import annotations

import difflib
import functools
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence

from .._errors import AmbiguousUnitError, UnknownUnitError, refuse_non_text, refuse_text
from .._text import canonical, canonical_keys, fold, fold_canonical, fold_canonical_keys
from ._unit import Unit

__all__ = ["DEFAULT_ORG_PREFIXES", "DEFAULT_TYPE_PREFIXES", "NameIndex", "strip_prefixes"]

#: Organisational prefixes: "UBND Thành phố Dĩ An" is the people's committee of the area "Thành phố Dĩ An".
DEFAULT_ORG_PREFIXES: tuple[str, ...] = ("UBND", "Ủy ban nhân dân", "Uỷ ban nhân dân")

#: Unit-type prefixes, longest first, that "Chánh Mỹ" may omit from "Phường Chánh Mỹ".
DEFAULT_TYPE_PREFIXES: tuple[str, ...] = (
    "Thành phố",
    "Thị trấn",
    "Thị xã",
    "Đặc khu",
    "Phường",
    "Huyện",
    "Quận",
    "Tỉnh",
    "Xã",
)


# How spreadsheets shorten the unit types ("TP. Thủ Dầu Một", "P.Chánh Mỹ", "TT Lai Uyên"): a
# one-letter one only with its dot. Read as the full word when a name finds nothing as written.
_ABBREVIATED = re.compile(
    r"^(?P<org>(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s+)?"
    r"(?P<type>tp|tx|tt|(?=[hpxq]\.)[hpxq])(?:\.\s*|\s+)(?=\S)",
    re.IGNORECASE,
)
_TYPE_WORDS = {
    "tp": "Thành phố",
    "tx": "Thị xã",
    "tt": "Thị trấn",
    "h": "Huyện",
    "p": "Phường",
    "x": "Xã",
    "q": "Quận",
}


def _expanded(query: str) -> str | None:
    """``query`` with a shortened unit type written out ("TP. Thủ Dầu Một" → "Thành phố Thủ Dầu
    Một"); ``None`` when it has none."""
    found = _ABBREVIATED.match(query.strip())
    if found is None:
        return None
    return (found["org"] or "") + _TYPE_WORDS[found["type"].lower()] + " " + query.strip()[found.end() :]


def strip_prefixes(name: str, prefixes: Sequence[str]) -> str:
    """Remove leading ``prefixes`` (compared without case or tone-mark style) from ``name``.

    >>> strip_prefixes("UBND Thành phố Dĩ An", DEFAULT_ORG_PREFIXES)
    'Thành phố Dĩ An'
    >>> strip_prefixes("Phường Chánh Mỹ", DEFAULT_TYPE_PREFIXES)
    'Chánh Mỹ'
    """
    try:
        words = name.split()
    except AttributeError:
        refuse_non_text(name, "name", "a unit name")
        raise
    keys = _prefix_keys(prefix_tuple("prefixes", prefixes))
    changed = True
    while changed and words:
        changed = False
        heads: dict[int, str] = {}  # the key of the first n words, made once per round
        for size, key in keys:
            if len(words) <= size:
                continue
            head = heads.get(size)
            if head is None:
                head = heads[size] = _head_key(" ".join(words[:size]))
            if head == key:
                words = words[size:]
                changed = True
                break
    return " ".join(words)


def prefix_tuple(name: str, prefixes: Sequence[str]) -> tuple[str, ...]:
    """``prefixes`` as a tuple; one prefix given as a text (a ``str`` is a sequence of ``str``, which
    would strip single letters) is refused with the tuple meant. Internal."""
    refuse_text(prefixes, name, "prefixes")
    return tuple(prefixes)


# The key of a name's first words: the same few heads ("Xã", "Phường", "UBND Thành phố") recur.
_head_key = functools.lru_cache(maxsize=4096)(canonical)


@functools.lru_cache(maxsize=64)
def _prefix_keys(prefixes: tuple[str, ...]) -> tuple[tuple[int, str], ...]:
    """Each prefix's number of words and canonical key, computed once per list of prefixes (a
    blank prefix, which would remove nothing, left out)."""
    return tuple((len(prefix.split()), canonical(prefix)) for prefix in prefixes if prefix.strip())


@functools.lru_cache(maxsize=64)
def _prefixes_by_word(prefixes: tuple[str, ...]) -> dict[str, tuple[tuple[int, str], ...]]:
    """:func:`_prefix_keys` by the first word of the key, each word's in the order given."""
    by_word: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for size, key in _prefix_keys(prefixes):
        by_word[key.split()[0]].append((size, key))
    return {word: tuple(keys) for word, keys in by_word.items()}


def _strip_key_prefixes(words: list[str], by_word: dict[str, tuple[tuple[int, str], ...]]) -> list[str]:
    """:func:`strip_prefixes` on the words of a canonical key, whose first words are their own keys."""
    while words:
        for size, key in by_word.get(words[0], ()):
            if len(words) > size and " ".join(words[:size]) == key:
                words = words[size:]
                break
        else:
            break
    return words


def _keys(candidates: Iterable[str]) -> dict[str, str]:
    """Folded key → the first candidate with it, in order, as :func:`close_matches` builds them."""
    by_key: dict[str, str] = {}
    for candidate in candidates:
        by_key.setdefault(fold(candidate), candidate)
    return by_key


_REMEMBERED = 4096  # unknown queries whose suggestions are kept
_SCAN_ALL = 500  # up to this many names, difflib compares a query with every one
_SHORTLIST = 128  # beyond, with this many: those that share the most pieces with the query


def _pieces(key: str) -> set[str]:
    """The three-character pieces of a folded key, its ends marked by a space."""
    padded = f" {key} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class _Candidates:
    """Names to suggest, by their folded keys (:func:`_keys`), with the closest found as
    :func:`close_matches` finds them. difflib compares characters in Python: over a country's
    twelve thousand names a query took a quarter of a second. Over more than :data:`_SCAN_ALL`
    names, it compares the query with the :data:`_SHORTLIST` names that share the most
    three-character pieces with it (an index of pieces, made once): a typo changes three pieces at
    most, so the closest names are among them, all but always."""

    def __init__(self, by_key: dict[str, str]) -> None:
        self.by_key = by_key
        self.keys = list(by_key)
        self.postings: dict[str, list[int]] | None = None
        if len(self.keys) > _SCAN_ALL:
            postings: dict[str, list[int]] = defaultdict(list)
            for i, key in enumerate(self.keys):
                for piece in _pieces(key):
                    postings[piece].append(i)
            self.postings = dict(postings)

    def closest(self, query: str, *cutoffs: float) -> list[str]:
        """The names closest to ``query`` (three at most, best first), as :func:`close_matches`
        finds them with the first of ``cutoffs`` that finds any (the shortlist made once)."""
        key = fold(query)
        keys = self.keys if self.postings is None else self._shortlist(key, self.postings)
        for cutoff in cutoffs:
            found = difflib.get_close_matches(key, keys, n=3, cutoff=cutoff)
            if found:
                return [self.by_key[match] for match in found]
        return []

    def _shortlist(self, key: str, postings: dict[str, list[int]]) -> list[str]:
        # Counted in C; ties in the order of the pieces, sorted so that the same query always gets
        # the same suggestions.
        shared = map(postings.get, sorted(_pieces(key)), itertools.repeat(()))
        counts = Counter(itertools.chain.from_iterable(shared))
        return [self.keys[i] for i, _ in counts.most_common(_SHORTLIST)]


class NameIndex:
    """An index of units by id and by name keys, from the strictest to the loosest.

    Tiers, tried in order, the first that matches anything decides: the id; the name exactly;
    the name without case, spacing or tone-mark style differences ("Hoà" = "Hòa"); the name
    without diacritics ("phuong chanh my"); and, when ``bare`` is allowed, the name without its
    organisational and type prefixes ("Chánh Mỹ", "Thủ Dầu Một"), first with then without diacritics.
    """

    def __init__(
        self,
        units: Iterable[Unit],
        label: Callable[[Unit], str],
        *,
        org_prefixes: Sequence[str] = DEFAULT_ORG_PREFIXES,
        type_prefixes: Sequence[str] = DEFAULT_TYPE_PREFIXES,
    ) -> None:
        self._label = label
        self._org_prefixes = prefix_tuple("org_prefixes", org_prefixes)
        self._type_prefixes = prefix_tuple("type_prefixes", type_prefixes)
        self._names_by_key: _Candidates | None = None
        self._bare: tuple[dict[str, str], _Candidates] | None = None
        self._suggested: dict[str, tuple[str, ...]] = {}  # an unknown query → the names suggested
        self._tiers: list[dict[str, list[Unit]]] = [{} for _ in range(5)]
        units = list(units)
        names = [unit.name for unit in units]
        name_keys = canonical_keys(names)  # every name at once: a few C calls, not a few per name
        bare_keys = list(map(self._bare_key, name_keys))
        columns = (
            names,
            name_keys,
            fold_canonical_keys(name_keys),
            bare_keys,
            fold_canonical_keys(bare_keys),
        )
        for tier, keys in zip(self._tiers, columns, strict=True):
            for key, unit in zip(keys, units, strict=True):
                bucket = tier.get(key)
                if bucket is None:
                    tier[key] = [unit]
                else:
                    bucket.append(unit)
        self._by_id: dict[str, Unit] = {unit.id: unit for unit in units}

    def _bare_key(self, name_key: str) -> str:
        """The canonical key of a name without its prefixes, from the name's own key."""
        words = _strip_key_prefixes(name_key.split(), _prefixes_by_word(self._org_prefixes))
        return " ".join(_strip_key_prefixes(words, _prefixes_by_word(self._type_prefixes)))

    def bare_name(self, name: str) -> str:
        """``name`` without its organisational and type prefixes."""
        return strip_prefixes(strip_prefixes(name, self._org_prefixes), self._type_prefixes)

    def place_name(self, name: str) -> str:
        """``name`` without its organisational prefix: "UBND Thành phố Dĩ An" → "Thành phố Dĩ An"."""
        return strip_prefixes(name, self._org_prefixes)

    def candidates(self, query: str, *, bare: bool = True) -> tuple[Unit, ...]:
        """Every unit matched by the first tier that matches ``query`` (empty when none does)."""
        if query in self._by_id:
            return (self._by_id[query],)
        for tier, key in enumerate(self._keys_of(query, bare)):  # each key made only when needed
            found = self._tiers[tier].get(key)
            if found:
                return tuple(found)
        expanded = _expanded(query)  # "TP. Thủ Dầu Một": tried only when nothing matched as written
        return () if expanded is None else self.candidates(expanded, bare=bare)

    def _keys_of(self, query: str, bare: bool) -> Iterator[str]:
        """``query``'s key in each tier after the id's, strictest first."""
        text = " ".join(query.split())
        yield text
        key = canonical(text)
        yield key
        yield fold_canonical(key)
        if bare:
            bare_key = self._bare_key(key)
            yield bare_key
            yield fold_canonical(bare_key)

    def lookup(self, query: str, *, bare: bool = True) -> Unit:
        """The one unit ``query`` names; raises ``UnknownUnitError`` or ``AmbiguousUnitError``."""
        found = self.candidates(query, bare=bare)
        if len(found) == 1:
            return found[0]
        if found:
            raise AmbiguousUnitError(query, [(unit.id, self._label(unit)) for unit in found])
        suggestions = self._suggested.get(query)
        if suggestions is None:
            suggestions = self._suggestions(query)
            if len(self._suggested) < _REMEMBERED:  # a file repeats an unknown unit row after row
                self._suggested[query] = suggestions
        raise UnknownUnitError(query, suggestions)

    def _suggestions(self, query: str) -> tuple[str, ...]:
        # A sharp match first ("Chánh Mĩ" → "Chánh Mỹ"), then looser ones, then without prefixes.
        names = self._suggestion_keys()
        suggestions = names.closest(query, 0.85, 0.6)
        if not suggestions:
            bare_names, bare_keys = self._bare_suggestion_keys()
            suggestions = [bare_names[b] for b in bare_keys.closest(self.bare_name(query), 0.6)]
        return tuple(suggestions)

    def _suggestion_keys(self) -> _Candidates:
        """Each name's folded key → the name (what :func:`close_matches` compares), made once."""
        if self._names_by_key is None:
            # The folded tier holds each name's folded key already, first unit first: what
            # _keys(names) would fold again name by name.
            folded = self._tiers[2]
            self._names_by_key = _Candidates({key: units[0].name for key, units in folded.items()})
        return self._names_by_key

    def _bare_suggestion_keys(self) -> tuple[dict[str, str], _Candidates]:
        """Names without prefixes → the name, and their folded keys, made once."""
        if self._bare is None:
            bare_names = {self.bare_name(unit.name): unit.name for unit in self._by_id.values()}
            self._bare = (bare_names, _Candidates(_keys(bare_names)))
        return self._bare
