"""Rule trees: thresholds on indicators combined with all-of, any-of and not.

Build them with :func:`all_of`, :func:`any_of` and :func:`not_` (or ``&``, ``|``, ``~``), which
flatten nested combinations of the same kind and cancel double negation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from fractions import Fraction
from typing import Literal, TypeAlias

import attrs

from .._errors import PlanError, described
from .._text import format_decimal, format_percent
from ._checks import proportion, required_text, to_fraction
from ._indicators import INDICATORS, Indicator

__all__ = [
    "AllOf",
    "AnyOf",
    "Not",
    "Rule",
    "Status",
    "Threshold",
    "all_of",
    "any_of",
    "combine",
    "not_",
    "thresholds",
]

Status = Literal["met", "not_met", "no_data", "not_applicable"]
"""The outcome of a rule: met, not met, not enough data, or not applicable to the unit."""

_SYMBOLS = {"at_least": ">=", "at_most": "<=", "equal": "=="}


def _to_optional_fraction(value: Fraction | int | None) -> Fraction | None:
    return None if value is None else to_fraction(value)


class _Combinable:
    """Operators and queries shared by every rule class (sugar over the module functions)."""

    __slots__ = ()

    def __and__(self, other: Rule) -> Rule:
        return all_of(self, other)  # type: ignore[arg-type]  # self is always a Rule subclass

    def __or__(self, other: Rule) -> Rule:
        return any_of(self, other)  # type: ignore[arg-type]

    def __invert__(self) -> Rule:
        return not_(self)  # type: ignore[arg-type]

    def indicators(self) -> tuple[str, ...]:
        """The indicator ids this rule uses, in order of first use, without duplicates."""
        return tuple(dict.fromkeys(t.indicator for t in thresholds(self)))  # type: ignore[arg-type]

    def __repr__(self) -> str:
        rule: Rule = self  # type: ignore[assignment]
        inner = _expr(rule.rule, nested=False) if isinstance(rule, Not) else _expr(rule, nested=False)
        return f"<{type(self).__name__} {inner}>"


@attrs.frozen(repr=False)
class Threshold(_Combinable):
    """An indicator compared with a target, in the indicator's direction (``>=`` for most).

    The plan's :class:`TargetTable` decides the target for the unit being judged; ``target`` (a
    proportion, ``Fraction(9, 10)`` for 90 %) is the rule's own value, used where the table has
    none in force (``None``: the plan's target only).

    >>> Threshold("online_dossier_rate", Fraction(9, 10))
    <Threshold online_dossier_rate >= 90%>
    >>> Threshold("late_dossiers")
    <Threshold late_dossiers <= plan target>
    """

    indicator: str = attrs.field(validator=required_text)
    target: Fraction | None = attrs.field(default=None, converter=_to_optional_fraction, validator=proportion)


def _rule_tuple(rules: Iterable[Rule]) -> tuple[Rule, ...]:
    if isinstance(rules, Threshold | AllOf | AnyOf | Not):
        raise TypeError(
            f"rules must be a sequence of rules, got one {type(rules).__name__}; pass (rule,) or use"
            " all_of(...) / any_of(...), which take the rules one by one"
        )
    return tuple(rules)


def _check_rules(
    _instance: object, _attribute: attrs.Attribute[tuple[Rule, ...]], value: tuple[Rule, ...]
) -> None:
    if not value:
        raise PlanError("a combination needs at least one rule", "$.rules")
    for index, rule in enumerate(value):
        if not isinstance(rule, Threshold | AllOf | AnyOf | Not):
            raise PlanError(f"expected a rule, got {type(rule).__name__}", f"$.rules[{index}]")


@attrs.frozen(repr=False)
class AllOf(_Combinable):
    """Met when every rule is met (rules that do not apply are ignored).

    >>> all_of(Threshold("online_dossier_rate", Fraction(9, 10)), Threshold("on_time_rate", Fraction(7, 10)))
    <AllOf online_dossier_rate >= 90% & on_time_rate >= 70%>
    """

    rules: tuple[Rule, ...] = attrs.field(converter=_rule_tuple, validator=_check_rules)


@attrs.frozen(repr=False)
class AnyOf(_Combinable):
    """Met when at least one rule is met (rules that do not apply are ignored).

    >>> a, b, c = (Threshold(i, Fraction(1, 2)) for i in ("online_dossier_rate", "online_payment_rate",
    ...                                                   "on_time_rate"))
    >>> a | (b & c)
    <AnyOf online_dossier_rate >= 50% | (online_payment_rate >= 50% & on_time_rate >= 50%)>
    """

    rules: tuple[Rule, ...] = attrs.field(converter=_rule_tuple, validator=_check_rules)


def _check_rule(_instance: object, _attribute: attrs.Attribute[Rule], value: Rule) -> None:
    if not isinstance(value, Threshold | AllOf | AnyOf | Not):
        raise PlanError(f"expected a rule, got {type(value).__name__}", "$.rule")


@attrs.frozen(repr=False)
class Not(_Combinable):
    """Met when the rule is not met.

    >>> ~Threshold("online_payment_rate", Fraction(3, 10))
    <Not online_payment_rate >= 30%>
    """

    rule: Rule = attrs.field(validator=_check_rule)


Rule: TypeAlias = Threshold | AllOf | AnyOf | Not
"""Any rule tree node."""


def written_target(threshold: Threshold, indicator: Indicator) -> Fraction | None:
    """The target a rule sets itself: its own, or 0 for a count that must be zero (``late_dossiers``:
    no late dossier); ``None`` leaves it to the plan's targets. Internal."""
    if threshold.target is None and indicator.kind == "zero_count":
        return Fraction(0)
    return threshold.target


def _target_text(threshold: Threshold) -> str:
    if threshold.target is None:
        return "plan target"
    indicator = INDICATORS.get(threshold.indicator)
    if indicator is not None and indicator.kind == "zero_count":
        return format_decimal(threshold.target, 4, lang="en")
    return format_percent(threshold.target, 4, lang="en")


def _expr(rule: Rule, *, nested: bool) -> str:
    if isinstance(rule, Threshold):
        indicator = INDICATORS.get(rule.indicator)
        symbol = _SYMBOLS[indicator.direction] if indicator is not None else "vs"
        return f"{rule.indicator} {symbol} {_target_text(rule)}"
    if isinstance(rule, Not):
        return f"~({_expr(rule.rule, nested=False)})"
    joiner = " & " if isinstance(rule, AllOf) else " | "
    text = joiner.join(_expr(child, nested=True) for child in rule.rules)
    return f"({text})" if nested and len(rule.rules) > 1 else text


def all_of(*rules: Rule) -> Rule:
    """All of ``rules``, flattening nested :class:`AllOf`; a single rule is returned as is.

    >>> a, b, c = (Threshold(i) for i in ("online_dossier_rate", "on_time_rate", "online_payment_rate"))
    >>> all_of(all_of(a, b), c) == AllOf((a, b, c))
    True
    >>> all_of(a) is a
    True
    """
    flat = tuple(_flatten(AllOf, rules))
    if not flat:
        raise PlanError("all_of() needs at least one rule")
    return _one("all_of", flat[0]) if len(flat) == 1 else AllOf(flat)


def any_of(*rules: Rule) -> Rule:
    """Any of ``rules``, flattening nested :class:`AnyOf`; a single rule is returned as is."""
    flat = tuple(_flatten(AnyOf, rules))
    if not flat:
        raise PlanError("any_of() needs at least one rule")
    return _one("any_of", flat[0]) if len(flat) == 1 else AnyOf(flat)


def _one(function: str, rule: object) -> Rule:
    """The single rule given to :func:`all_of` or :func:`any_of`, checked as combinations check theirs."""
    if isinstance(rule, Threshold | AllOf | AnyOf | Not):
        return rule
    if isinstance(rule, list | tuple):
        raise TypeError(
            f"{function}() takes the rules one by one, got a {type(rule).__name__}; write {function}(*rules)"
        )
    raise PlanError(f"{function}() expected a rule, got {type(rule).__name__}")


def not_(rule: Rule) -> Rule:
    """The negation of ``rule``; ``not_(not_(r)) == r``.

    >>> r = Threshold("online_dossier_rate")
    >>> not_(not_(r)) is r
    True
    """
    return rule.rule if isinstance(rule, Not) else Not(rule)


def _flatten(kind: type[AllOf] | type[AnyOf], rules: Iterable[Rule]) -> Iterator[Rule]:
    for rule in rules:
        if isinstance(rule, kind):
            yield from _flatten(kind, rule.rules)
        else:
            yield rule


def thresholds(rule: Rule) -> Iterator[Threshold]:
    """Every threshold of a rule tree, depth first, left to right."""
    if isinstance(rule, Threshold):
        yield rule
    elif isinstance(rule, Not):
        yield from thresholds(rule.rule)
    else:
        try:
            children = rule.rules
        except AttributeError:
            raise _not_a_rule(rule) from None
        for child in children:
            yield from thresholds(child)


def negated_thresholds(rule: Rule) -> set[Threshold]:
    """The thresholds a rule tree wants *not* met: under an odd number of :class:`Not` wherever they
    appear (one that also appears plainly is not among them)."""
    odd: set[Threshold] = set()
    even: set[Threshold] = set()
    pending: list[tuple[Rule, bool]] = [(rule, False)]
    while pending:
        node, negated = pending.pop()
        if isinstance(node, Threshold):
            (odd if negated else even).add(node)
        elif isinstance(node, Not):
            pending.append((node.rule, not negated))
        else:
            pending.extend((child, negated) for child in node.rules)
    return odd - even


def _not_a_rule(rule: object) -> TypeError:
    return TypeError(
        f"rule must be a Threshold, AllOf, AnyOf or Not, got {described(rule)}; "
        "make one with Threshold(indicator), all_of, any_of or not_"
    )


def combine(rule: Rule, leaf_status: Callable[[Threshold], Status]) -> Status:
    """Three-valued (Kleene) status of a rule tree from the status of each threshold.

    :class:`AllOf` is ``not_met`` if any child is, else ``no_data`` if any child is, else ``met``;
    :class:`AnyOf` is ``met`` if any child is, else ``no_data`` if any child is, else ``not_met``.
    Children that are ``not_applicable`` are ignored; when all are, so is the combination.
    :class:`Not` swaps ``met`` and ``not_met`` and keeps ``no_data`` and ``not_applicable``.

    >>> a, b = Threshold("online_dossier_rate"), Threshold("on_time_rate")
    >>> combine(a & b, lambda t: "met" if t is a else "no_data")
    'no_data'
    >>> combine(a | ~b, lambda t: "not_met" if t is a else "met")
    'not_met'
    """
    if isinstance(rule, Threshold):
        return leaf_status(rule)
    if isinstance(rule, Not):
        inner = combine(rule.rule, leaf_status)
        return "not_met" if inner == "met" else "met" if inner == "not_met" else inner
    try:
        children = rule.rules
    except AttributeError:
        raise _not_a_rule(rule) from None
    statuses = {combine(child, leaf_status) for child in children} - {"not_applicable"}
    if not statuses:
        return "not_applicable"
    decisive: Status = "not_met" if isinstance(rule, AllOf) else "met"
    if decisive in statuses:
        return decisive
    if "no_data" in statuses:
        return "no_data"
    return "met" if isinstance(rule, AllOf) else "not_met"
