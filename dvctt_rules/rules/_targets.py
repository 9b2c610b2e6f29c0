"""Targets: the value an indicator must reach, plan-wide, for a level, or for one unit, over time."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable, Iterator
from fractions import Fraction

import attrs

from .._errors import PlanError, described, refuse_non_text, refuse_text
from .._gc import paused_gc
from ._checks import optional_text, proportion, required_text, to_fraction
from ._citation import Citation, date_mistake, optional_citation, optional_date

__all__ = ["Target", "TargetTable"]


@attrs.frozen
class Target:
    """A target value for one indicator, optionally scoped to a unit or a level and dated.

    ``value`` is a proportion (90 % is ``Fraction(9, 10)``); for a ``zero_count`` indicator it is
    0. At most one of ``unit`` (a unit id) and ``level`` is set; neither means the plan default.
    ``effective_from`` is the first day the target is in force (``None``: from the beginning).

    >>> Target("online_dossier_rate", Fraction(9, 10), unit="so-tu-phap").scope
    'unit'
    >>> Target("online_dossier_rate", 90)
    Traceback (most recent call last):
    ...
    dvctt_rules._errors.PlanError: value must be a proportion between 0 and 1, got 90 (= 9000 %); \
write Fraction(9, 10) for 90 % @ $.value
    """

    indicator: str = attrs.field(validator=required_text)
    value: Fraction = attrs.field(converter=to_fraction, validator=proportion)
    unit: str | None = attrs.field(default=None, validator=optional_text)
    level: str | None = attrs.field(default=None, validator=optional_text)
    effective_from: datetime.date | None = attrs.field(default=None, validator=optional_date)
    citation: Citation | None = attrs.field(default=None, validator=optional_citation)
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.unit is not None and self.level is not None:
            raise PlanError(
                "a target applies to a unit or to a level, not both"
                f" (unit {self.unit!r}, level {self.level!r}); write two targets",
                "$.level",
            )

    @property
    def scope(self) -> str:
        """``"unit"``, ``"level"`` or ``"default"``."""
        if self.unit is not None:
            return "unit"
        return "level" if self.level is not None else "default"

    @classmethod
    def _trusted(
        cls,
        indicator: str,
        value: Fraction,
        unit: str | None = None,
        level: str | None = None,
        effective_from: datetime.date | None = None,
        citation: Citation | None = None,
        note: str | None = None,
    ) -> Target:
        """A target from values already checked (a non-blank indicator id, a ``Fraction`` proportion,
        at most one of ``unit`` and ``level``), without running the validators again: for loaders
        that check every cell themselves. Internal."""
        target = object.__new__(cls)
        setter = object.__setattr__
        setter(target, "indicator", indicator)
        setter(target, "value", value)
        setter(target, "unit", unit)
        setter(target, "level", level)
        setter(target, "effective_from", effective_from)
        setter(target, "citation", citation)
        setter(target, "note", note)
        return target


def _order(target: Target) -> datetime.date:
    return target.effective_from or datetime.date.min


def _target_tuple(targets: Iterable[Target], name: str = "targets") -> tuple[Target, ...]:
    refuse_text(targets, name, "Target values")
    items = tuple(targets)
    if not set(map(type, items)) <= {Target}:  # one pass in C; the culprit is looked for only then
        for position, item in enumerate(items):
            if not isinstance(item, Target):
                raise TypeError(
                    f"{name} must be Target values, got {described(item)} at position {position}; "
                    "make each with Target(indicator, value, ...)"
                )
    return items


# The targets of one indicator: by unit id, by level, and the plan defaults, each in table order.
# An indicator's targets by unit, by level, the defaults, and whether any of them has a date.
_Scoped = tuple[dict[str, tuple[Target, ...]], dict[str, tuple[Target, ...]], list[Target], bool]


@attrs.frozen
class TargetTable:
    """All targets of a plan, with the rule that picks the one that applies.

    Resolution (:meth:`resolve`): a target for the unit itself wins over one for its level, which
    wins over the plan default; within the first of these scopes that has a target in force, the
    one with the latest ``effective_from`` on or before ``as_of`` applies (no date = in force from
    the beginning; ``as_of=None`` = the latest one, whatever its date). A scope whose targets all
    start after ``as_of`` is skipped. Two targets with the same indicator, scope and date are an
    error.

    >>> table = TargetTable((
    ...     Target("online_dossier_rate", Fraction(1, 2)),
    ...     Target("online_dossier_rate", Fraction(17, 20), level="district"),
    ...     Target("online_dossier_rate", Fraction(9, 10), unit="d-thuan-an",
    ...            effective_from=datetime.date(2024, 1, 1)),
    ... ))
    >>> table.resolve("online_dossier_rate", "d-thuan-an", "district").value
    Fraction(9, 10)
    >>> table.resolve("online_dossier_rate", "d-thuan-an", "district",
    ...               as_of=datetime.date(2023, 12, 31)).value
    Fraction(17, 20)
    >>> table.resolve("online_dossier_rate", "x-an-phu", "commune").value
    Fraction(1, 2)
    >>> table.resolve("on_time_rate", "x-an-phu", "commune") is None
    True
    """

    targets: tuple[Target, ...] = attrs.field(default=(), converter=_target_tuple)
    # Built on first use: indicator -> (targets by unit, targets by level, defaults), in table order.
    _index: dict[str, _Scoped] | None = attrs.field(
        init=False, default=None, eq=False, hash=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        seen: dict[tuple[str, str | None, str | None, datetime.date | None], int] = {}
        for index, target in enumerate(self.targets):
            if not isinstance(target, Target):
                raise PlanError(f"expected a Target, got {type(target).__name__}", f"$[{index}]")
            key = (target.indicator, target.unit, target.level, target.effective_from)
            if key in seen:
                raise PlanError(
                    f"duplicate target for {target.indicator!r} ({target.scope}"
                    f"{'' if target.scope == 'default' else ' ' + str(target.unit or target.level)}"
                    f", effective from {target.effective_from or 'the beginning'});"
                    f" the same as target {seen[key]}",
                    f"$[{index}]",
                )
            seen[key] = index

    @classmethod
    def _trusted(cls, targets: tuple[Target, ...]) -> TargetTable:
        """A table of targets known to be ``Target`` objects without duplicates (made by a loader
        that checked them, or by merging two tables), without checking them again. Internal."""
        table = object.__new__(cls)
        object.__setattr__(table, "targets", targets)
        object.__setattr__(table, "_index", None)
        return table

    def __iter__(self) -> Iterator[Target]:
        return iter(self.targets)

    def __len__(self) -> int:
        return len(self.targets)

    def for_indicator(self, indicator: str) -> tuple[Target, ...]:
        """Every target for ``indicator``, in table order."""
        return tuple(t for t in self.targets if t.indicator == indicator)

    def resolve(
        self,
        indicator: str,
        unit_id: str | None = None,
        level: str | None = None,
        default: Fraction | None = None,
        as_of: datetime.date | None = None,
    ) -> Target | None:
        """The target in force for ``indicator`` at a unit of a level (see the class docstring).

        When the table has no target in force, ``default`` (typically the rule's own
        :attr:`Threshold.target`) is returned as an unscoped ``Target``; without it, ``None``.
        ``as_of`` is a ``datetime.date``; a ``datetime`` or a text raises ``TypeError``.
        """
        if (
            as_of is not None
            and type(as_of) is not datetime.date
            and (mistake := date_mistake("as_of", as_of))
        ):
            raise TypeError(mistake)
        refuse_non_text(indicator, "indicator", "an indicator id")
        for name, text, what in (("unit_id", unit_id, "a unit id"), ("level", level, "a level name")):
            if text is not None:  # a Unit found no target of its own: the level's came, silently
                refuse_non_text(text, name, what, "pass unit.id and unit.level")
        found = self._lookup(indicator, unit_id, level, as_of)
        if found is not None:
            return found
        return None if default is None else Target(indicator, default)

    def _lookup(
        self,
        indicator: str,
        unit_id: str | None = None,
        level: str | None = None,
        as_of: datetime.date | None = None,
    ) -> Target | None:
        """The table's own target in force for ``indicator`` at a unit of a level, ``None`` when the
        table has none (:meth:`resolve` without a fallback). Indexed: no scan of the table. Its
        callers check ``as_of`` first (:meth:`resolve`, the evaluation), once, not per unit."""
        index = self._index if self._index is not None else self._build_index()
        scoped = index.get(indicator)
        if scoped is None:
            return None
        by_unit, by_level, defaults, dated = scoped
        if not dated:  # every target in force from the beginning: the date changes nothing
            as_of = None
        if as_of is None and unit_id is not None:  # the common case first: a unit's one target
            own = by_unit.get(unit_id)
            if own is not None and len(own) == 1:
                return own[0]
        for candidates in (
            by_unit.get(unit_id) if unit_id is not None else None,
            by_level.get(level) if level is not None else None,
            defaults,
        ):
            if not candidates:
                continue
            in_force = candidates if as_of is None else [t for t in candidates if _order(t) <= as_of]
            if len(in_force) == 1:
                return in_force[0]
            if in_force:
                return max(in_force, key=_order)
        return None

    def _unit_ids(self) -> Iterable[str]:
        """The units the targets name, each once (from the index, which evaluations build anyway)."""
        index = self._index if self._index is not None else self._build_index()
        return dict.fromkeys(itertools.chain.from_iterable(scoped[0] for scoped in index.values()))

    def _build_index(self) -> dict[str, _Scoped]:
        built: dict[
            str, tuple[dict[str, tuple[Target, ...]], dict[str, tuple[Target, ...]], list[Target]]
        ] = {}
        dated: set[str] = set()
        for target in self.targets:
            scoped = built.get(target.indicator)
            if scoped is None:
                scoped = built[target.indicator] = ({}, {}, [])
            # Tuples (a unit has one or two targets of an indicator): a country's index stays small.
            if target.unit is not None:
                scoped[0][target.unit] = (*scoped[0].get(target.unit, ()), target)
            elif target.level is not None:
                scoped[1][target.level] = (*scoped[1].get(target.level, ()), target)
            else:
                scoped[2].append(target)
            if target.effective_from is not None:
                dated.add(target.indicator)
        index = {indicator: (*scoped, indicator in dated) for indicator, scoped in built.items()}
        object.__setattr__(self, "_index", index)
        return index

    def merged(self, other: Iterable[Target]) -> TargetTable:
        """A new table with ``other``'s targets replacing any with the same indicator, scope and date.

        The original table is not mutated.
        """
        with paused_gc():
            incoming = tuple(other) if isinstance(other, TargetTable) else _target_tuple(other, "other")
            keys = {(t.indicator, t.unit, t.level, t.effective_from) for t in incoming}
            kept = tuple(
                t for t in self.targets if (t.indicator, t.unit, t.level, t.effective_from) not in keys
            )
            if isinstance(other, TargetTable):  # both without duplicates: so is the result
                return TargetTable._trusted((*kept, *incoming))
            return TargetTable((*kept, *incoming))
