"""Plans: which rules apply to whom, the targets they use, and how results are graded."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Mapping
from fractions import Fraction
from typing import Any, Literal, TypeVar

import attrs

from .._errors import DataError, PlanError, UnknownNameError, refuse_non_text, refuse_text
from .._gc import paused_gc
from .._text import close_matches
from ..observations import DEFAULT_CATALOG, Measure, MeasureCatalog, PartOf
from ._checks import optional_text, prefixed, proportion, required_text, str_tuple, to_fraction
from ._citation import Citation, optional_citation, optional_date
from ._documents import ND_335_2025
from ._indicators import INDICATORS, Indicator, lookup_indicator
from ._rules import AllOf, AnyOf, Not, Rule, Threshold
from ._targets import Target, TargetTable

__all__ = ["DEFAULT_BANDS", "GradeBand", "Plan", "PlanRule", "ScoringScheme"]

LEVEL_PREFIX = "level:"


def _positive(_instance: object, attribute: attrs.Attribute[Any], value: Fraction) -> None:
    if value <= 0:
        raise PlanError(f"{attribute.name} must be positive, got {value}", f"$.{attribute.name}")


def _boolean(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, bool):
        raise PlanError(f"{attribute.name} must be True or False, got {value!r}", f"$.{attribute.name}")


def _plan_rules(rules: Iterable[PlanRule]) -> tuple[PlanRule, ...]:
    if isinstance(rules, PlanRule | Threshold | AllOf | AnyOf | Not):
        raise TypeError(f"rules must be a sequence of PlanRule, got one {type(rules).__name__}; pass [rule]")
    items = tuple(rules)
    for index, item in enumerate(items):
        if not isinstance(item, PlanRule):
            hint = (
                f"; wrap it: PlanRule('rule id', {item!r}, levels=...)"
                if isinstance(item, Threshold | AllOf | AnyOf | Not)
                else ""
            )
            raise PlanError(f"expected a PlanRule, got {type(item).__name__}{hint}", f"$.rules[{index}]")
    return items


_T = TypeVar("_T")


def _checked_tuple(value: Iterable[_T], kind: type[_T], field: str) -> tuple[_T, ...]:
    """``value`` as a tuple of ``kind`` objects, each checked (the plan field ``field``)."""
    items = tuple(value)
    article = "an" if kind.__name__[0] in "AEIOU" else "a"
    for index, item in enumerate(items):
        if not isinstance(item, kind):
            raise PlanError(
                f"expected {article} {kind.__name__}, got {type(item).__name__}", f"$.{field}[{index}]"
            )
    return items


def _indicator_tuple(indicators: Iterable[Indicator]) -> tuple[Indicator, ...]:
    if isinstance(indicators, Indicator):
        raise TypeError("indicators must be a sequence of Indicator, got one Indicator; pass [indicator]")
    return _checked_tuple(indicators, Indicator, "indicators")


def _scheme(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, ScoringScheme):
        raise PlanError(f"scoring must be a ScoringScheme, got {type(value).__name__}", "$.scoring")


def _target_table(targets: TargetTable | Iterable[Target]) -> TargetTable:
    return targets if isinstance(targets, TargetTable) else TargetTable(tuple(targets))


def _band_tuple(bands: Iterable[GradeBand]) -> tuple[GradeBand, ...]:
    return tuple(bands)


# Converters that name their field in a message (see str_tuple).
def _rule_levels(values: Iterable[str]) -> tuple[str, ...]:
    return str_tuple(values, "PlanRule.levels")


def _rule_units(values: Iterable[str]) -> tuple[str, ...]:
    return str_tuple(values, "PlanRule.units")


def _rule_lead(values: Iterable[str]) -> tuple[str, ...]:
    return str_tuple(values, "PlanRule.lead")


def _rule_coordinating(values: Iterable[str]) -> tuple[str, ...]:
    return str_tuple(values, "PlanRule.coordinating")


def _plan_levels(values: Iterable[str]) -> tuple[str, ...]:
    return str_tuple(values, "Plan.levels")


@attrs.frozen
class PlanRule:
    """A rule of a plan and to whom it applies.

    ``levels``/``units`` select the units judged (either matching is enough; both empty: every
    unit). ``scope="province"`` judges the rule once, on the root, with counts summed over the
    whole tree. ``lead``/``coordinating`` name the units in charge (unit names or level selectors
    such as ``"level:department"``; they are resolved to units later). ``scored`` rules count
    towards a unit's score with ``weight``.

    >>> r = PlanRule("II.2", Threshold("online_dossier_rate"), levels=("department",))
    >>> r.applies_to("so-tu-phap", "department"), r.applies_to("x-an-phu", "commune")
    (True, False)
    """

    id: str = attrs.field(validator=required_text)
    rule: Rule
    levels: tuple[str, ...] = attrs.field(default=(), converter=_rule_levels)
    units: tuple[str, ...] = attrs.field(default=(), converter=_rule_units)
    scope: Literal["unit", "province"] = "unit"
    lead: tuple[str, ...] = attrs.field(default=(), converter=_rule_lead)
    coordinating: tuple[str, ...] = attrs.field(default=(), converter=_rule_coordinating)
    scored: bool = attrs.field(default=False, validator=_boolean)
    weight: Fraction = attrs.field(default=Fraction(1), converter=to_fraction, validator=_positive)
    citation: Citation | None = attrs.field(default=None, validator=optional_citation)
    note: str | None = attrs.field(default=None, validator=optional_text)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.rule, Threshold | AllOf | AnyOf | Not):
            raise PlanError(f"expected a rule, got {type(self.rule).__name__}", "$.rule")
        if self.scope not in ("unit", "province"):
            raise PlanError(f"scope must be 'unit' or 'province', got {self.scope!r}", "$.scope")
        if self.scope == "province" and (self.levels or self.units):
            raise PlanError(
                "a province-scope rule is judged once on the whole province; drop levels and units", "$.scope"
            )

    def applies_to(self, unit_id: str, level: str) -> bool:
        """Whether this unit-scope rule judges the unit ``unit_id`` of ``level``."""
        if self.scope != "unit":
            return False
        if not self.levels and not self.units:
            return True
        return level in self.levels or unit_id in self.units


@attrs.frozen
class GradeBand:
    """A grade reached from ``min_score`` (a proportion: ``Fraction(9, 10)`` is 90 points of 100)."""

    min_score: Fraction = attrs.field(converter=to_fraction, validator=proportion)
    label_vi: str = attrs.field(validator=required_text)
    label_en: str = attrs.field(validator=required_text)
    key: str = attrs.field(validator=required_text)


DEFAULT_BANDS: tuple[GradeBand, ...] = (
    GradeBand(Fraction(9, 10), "Hoàn thành xuất sắc nhiệm vụ", "Excellently completed", "excellent"),
    GradeBand(Fraction(7, 10), "Hoàn thành tốt nhiệm vụ", "Well completed", "good"),
    GradeBand(Fraction(1, 2), "Hoàn thành nhiệm vụ", "Completed", "completed"),
    GradeBand(Fraction(0), "Không hoàn thành nhiệm vụ", "Not completed", "not_completed"),
)
"""The four grades of Nghị định 335/2025/NĐ-CP at 90, 70, 50 and 0 points."""


def _to_optional_fraction(value: Fraction | int | None) -> Fraction | None:
    return None if value is None else to_fraction(value)


@attrs.frozen
class ScoringScheme:
    """How scores (proportions 0..1) map to grades; ``top_quota`` caps the share of the top grade.

    Bands are listed from the highest ``min_score`` down to a band starting at 0.

    >>> ScoringScheme().band(Fraction(3, 4)).key
    'good'
    """

    name: str = attrs.field(default="partial-credit", validator=required_text)
    bands: tuple[GradeBand, ...] = attrs.field(default=DEFAULT_BANDS, converter=_band_tuple)
    top_quota: Fraction | None = attrs.field(
        default=None, converter=_to_optional_fraction, validator=proportion
    )
    citation: Citation | None = attrs.field(default=ND_335_2025, validator=optional_citation)

    def __attrs_post_init__(self) -> None:
        for index, band in enumerate(self.bands):
            if not isinstance(band, GradeBand):
                raise PlanError(f"expected a GradeBand, got {type(band).__name__}", f"$.bands[{index}]")
        if not self.bands:
            raise PlanError("a scoring scheme needs at least one grade band", "$.bands")
        keys: set[str] = set()
        for index, band in enumerate(self.bands):
            if band.key in keys:
                raise PlanError(f"grade band key {band.key!r} is repeated", f"$.bands[{index}].key")
            keys.add(band.key)
            if index and band.min_score >= self.bands[index - 1].min_score:
                raise PlanError(
                    "grade bands must be listed from the highest min_score down",
                    f"$.bands[{index}].min_score",
                )
        if self.bands[-1].min_score != 0:
            raise PlanError(
                "the last grade band must start at 0 so that every score has a grade",
                f"$.bands[{len(self.bands) - 1}].min_score",
            )

    def band(self, score: Fraction | int) -> GradeBand:
        """The highest band whose ``min_score`` the score reaches.

        ``score`` is a proportion (``Fraction(3, 4)`` is 75 points of 100); one outside 0..1 is
        refused with :class:`~dvctt_rules.PlanError`, a float or another type with ``TypeError``.

        >>> ScoringScheme().band(Fraction(-1, 10))
        Traceback (most recent call last):
        ...
        dvctt_rules._errors.PlanError: score must be a proportion between 0 and 1, got -1/10 (= -10 %); \
write Fraction(3, 4) for 75 points of 100
        """
        if isinstance(score, bool) or not isinstance(score, Fraction | int):
            raise TypeError(
                f"score must be an exact number (fractions.Fraction or int), got {type(score).__name__}"
                f" {score!r}; write Fraction(3, 4) for 75 points of 100"
            )
        if not 0 <= score <= 1:
            raise PlanError(
                f"score must be a proportion between 0 and 1, got {score} (= {score * 100} %);"
                " write Fraction(3, 4) for 75 points of 100"
            )
        return next(band for band in self.bands if score >= band.min_score)


def _rule_paths(rule: Rule, path: str) -> Iterator[tuple[Threshold, str]]:
    if isinstance(rule, Threshold):
        yield rule, path
    elif isinstance(rule, Not):
        yield from _rule_paths(rule.rule, f"{path}.rule")
    else:
        for index, child in enumerate(rule.rules):
            yield from _rule_paths(child, f"{path}.rules[{index}]")


def _measures(value: Iterable[Measure]) -> tuple[Measure, ...]:
    refuse_text(value, "measures", "Measure objects")
    return _checked_tuple(value, Measure, "measures")


def _relations(value: Iterable[PartOf]) -> tuple[PartOf, ...]:
    refuse_text(value, "relations", "PartOf objects")
    return _checked_tuple(value, PartOf, "relations")


@attrs.frozen
class Plan:
    """A plan: its levels, rules, targets, extra indicators and scoring scheme.

    ``targets`` may be given as any iterable of :class:`Target`; it is kept as a
    :class:`TargetTable`. ``indicators`` extend (or, with the same id, replace) the built-in
    :data:`INDICATORS` for this plan; ``measures`` and ``relations`` (part-of) extend the built-in
    :data:`~dvctt_rules.observations.DEFAULT_CATALOG` with the columns its indicators need
    (:meth:`measure_catalog`, which the command line reads the plan's observations with).

    Paths in validation errors point into the plan's JSON form (``$.rules[2].rule.indicator``).
    """

    id: str = attrs.field(validator=required_text)
    name: str = attrs.field(validator=required_text)
    citation: Citation | None = attrs.field(validator=optional_citation)
    issued: datetime.date | None = attrs.field(validator=optional_date)
    levels: tuple[str, ...] = attrs.field(converter=_plan_levels)
    rules: tuple[PlanRule, ...] = attrs.field(converter=_plan_rules)
    targets: TargetTable = attrs.field(converter=_target_table)
    indicators: tuple[Indicator, ...] = attrs.field(default=(), converter=_indicator_tuple)
    scoring: ScoringScheme = attrs.field(factory=ScoringScheme, validator=_scheme)
    measures: tuple[Measure, ...] = attrs.field(default=(), converter=_measures)
    relations: tuple[PartOf, ...] = attrs.field(default=(), converter=_relations)
    _by_id: dict[str, PlanRule] = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {plan_rule.id: plan_rule for plan_rule in self.rules})
        self._check_names()
        if self.measures or self.relations:  # a measure declared twice, a relation of an unknown one
            for where, relations in (("$.measures", ()), ("$.relations", self.relations)):
                try:
                    DEFAULT_CATALOG.extend(self.measures, relations)
                except DataError as exc:
                    found = [(p.message + (f"; {p.hint}" if p.hint else ""), where) for p in exc.problems]
                    raise PlanError(*found[0], others=found[1:]) from None
        catalogue = self.catalogue()
        for index, plan_rule in enumerate(self.rules):
            self._check_rule(plan_rule, f"$.rules[{index}]", catalogue)
        zero_counts = {i.id for i in catalogue.values() if i.kind == "zero_count"}
        for index, target in enumerate(self.targets):
            if target.indicator not in catalogue:
                self._known(target.indicator, f"$.targets[{index}].indicator", catalogue)  # raises
            if target.indicator in zero_counts and target.value != 0:
                raise PlanError(
                    f"{target.indicator!r} is a count that must be zero; its target can only be 0",
                    f"$.targets[{index}].value",
                )
            if target.level is not None and target.level not in self.levels:
                self._check_level(target.level, f"$.targets[{index}].level")  # raises

    def _check_names(self) -> None:
        for field, values in (("levels", self.levels), ("indicators", tuple(i.id for i in self.indicators))):
            seen: set[str] = set()
            for index, value in enumerate(values):
                if value in seen:
                    suffix = ".id" if field == "indicators" else ""
                    raise PlanError(f"{value!r} is listed twice", f"$.{field}[{index}]{suffix}")
                seen.add(value)
        ids: set[str] = set()
        for index, plan_rule in enumerate(self.rules):
            if plan_rule.id in ids:
                raise PlanError(
                    f"rule id {plan_rule.id!r} is used twice; rule ids must be unique", f"$.rules[{index}].id"
                )
            ids.add(plan_rule.id)

    def _check_rule(self, plan_rule: PlanRule, path: str, catalogue: Mapping[str, Indicator]) -> None:
        for threshold, where in _rule_paths(plan_rule.rule, f"{path}.rule"):
            indicator = self._known(threshold.indicator, f"{where}.indicator", catalogue)
            if indicator.kind == "zero_count" and threshold.target not in (None, 0):
                raise PlanError(
                    f"{indicator.id!r} is a count that must be zero; its target can only be 0",
                    f"{where}.target",
                )
        for index, level in enumerate(plan_rule.levels):
            self._check_level(level, f"{path}.levels[{index}]")
        for field in ("lead", "coordinating"):
            for index, name in enumerate(getattr(plan_rule, field)):
                if name.startswith(LEVEL_PREFIX):
                    self._check_level(name.removeprefix(LEVEL_PREFIX), f"{path}.{field}[{index}]")

    def _known(self, indicator_id: str, path: str, catalogue: Mapping[str, Indicator]) -> Indicator:
        try:
            return lookup_indicator(indicator_id, catalogue)
        except UnknownNameError as exc:
            raise prefixed(PlanError(str(exc)), path) from exc

    def _check_level(self, level: str, path: str) -> None:
        if level not in self.levels:
            hint = close_matches(level, self.levels)
            did_you_mean = f"; did you mean {' or '.join(map(repr, hint))}?" if hint else ""
            raise PlanError(
                f"unknown level {level!r} (the plan's levels: {', '.join(self.levels)}){did_you_mean}", path
            )

    def measure_catalog(self) -> MeasureCatalog:
        """The measures observations of this plan may hold: the built-in ones and the plan's own
        (checked when the plan was made)."""
        if not self.measures and not self.relations:
            return DEFAULT_CATALOG
        return DEFAULT_CATALOG.extend(self.measures, self.relations)

    def catalogue(self) -> dict[str, Indicator]:
        """The built-in :data:`INDICATORS` extended (and overridden) by the plan's own indicators."""
        return {**INDICATORS, **{indicator.id: indicator for indicator in self.indicators}}

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with this id, or :class:`UnknownNameError` with suggestions."""
        return lookup_indicator(indicator_id, self.catalogue())

    def rule(self, rule_id: str) -> PlanRule:
        """The plan rule with this id, or :class:`UnknownNameError` with suggestions."""
        try:
            found = self._by_id.get(rule_id)
        except TypeError:  # unhashable: refused below
            found = None
        if found is not None:
            return found
        refuse_non_text(rule_id, "rule_id", "a rule id")
        ids = [r.id for r in self.rules]
        raise UnknownNameError("rule", rule_id, ids, close_matches(rule_id, ids))

    def rules_for(self, unit_id: str, level: str) -> tuple[PlanRule, ...]:
        """The unit-scope rules that judge the unit ``unit_id`` of ``level``, in plan order."""
        if not isinstance(unit_id, str) or not isinstance(level, str):
            refuse_non_text(unit_id, "unit_id", "a unit id")
            refuse_non_text(level, "level", "a level name")
        return tuple(r for r in self.rules if r.applies_to(unit_id, level))

    def province_rules(self) -> tuple[PlanRule, ...]:
        """The rules judged once on the whole province, in plan order."""
        return tuple(r for r in self.rules if r.scope == "province")

    def with_targets(self, targets: TargetTable) -> Plan:
        """A new plan with ``targets`` instead of the plan's; the original plan is not mutated."""
        with paused_gc():  # a country's targets are checked one by one
            return attrs.evolve(self, targets=targets)
