"""Verdicts: the exact, explained outcome of each rule for each unit, and the report that holds them."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from fractions import Fraction
from numbers import Integral, Rational
from typing import Literal, get_args

import attrs

from .._errors import UnknownNameError, check_lang, described, refuse_non_text
from .._text import close_matches, distinct_places, format_decimal, format_percent
from ..hierarchy._unit import Unit, id_of
from ._citation import Citation
from ._indicators import Indicator
from ._rules import Status

_STATUSES: tuple[str, ...] = get_args(Status)

__all__ = ["Outcome", "Report", "RuleVerdict", "compare", "compare_counts", "gap_count"]

Comparison = Literal[">=", "<=", "=="]
Basis = Literal["counts", "rate", "mean_of_rates", "min", "max", "other", "none"]
_SYMBOL: dict[str, Comparison] = {"at_least": ">=", "at_most": "<=", "equal": "=="}
_DIRECTIONS = ("at_least", "at_most", "equal")


def _unknown_direction(direction: object) -> UnknownNameError:
    text = direction if isinstance(direction, str) else repr(direction)
    return UnknownNameError("direction", text, _DIRECTIONS, close_matches(text, _DIRECTIONS))


def compare(value: Fraction, target: Fraction, direction: str) -> bool:
    """Whether ``value`` meets ``target`` in ``direction`` (``"at_least"``, ``"at_most"`` or
    ``"equal"``; another raises :class:`~dvctt_rules.UnknownNameError`); exactly at the target is met.

    >>> compare(Fraction(7, 8), Fraction(9, 10), "at_least")
    False
    >>> compare(Fraction(7, 8), Fraction(9, 10), "atleast")
    Traceback (most recent call last):
    ...
    dvctt_rules._errors.UnknownNameError: unknown direction 'atleast'; did you mean 'at_least'?
    """
    try:
        return compare_counts(value.numerator, value.denominator, target, direction)
    except AttributeError:  # a float, None, a text: refused only once it has failed
        _refuse_inexact(value, "value", optional=False)
        _refuse_inexact(target, "target", optional=False)
        raise


def compare_counts(numerator: int, denominator: int, target: Fraction, direction: str) -> bool:
    """:func:`compare` of the value ``numerator / denominator`` (``denominator`` ≠ 0), unreduced."""
    # Exact, on the integers of the two fractions.
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    left = numerator * target.denominator
    right = target.numerator * denominator
    if direction == "at_least":
        return left >= right
    if direction == "at_most":
        return left <= right
    if direction == "equal":
        return left == right
    raise _unknown_direction(direction)


def gap_count(
    numerator: int | None, denominator: int | None, target: Fraction | None, direction: str
) -> int | None:
    """The fewest numerator items to add (``at_least``) or remove (``at_most``) at the same denominator
    to meet ``target``; 0 when met, ``None`` without counts.

    >>> gap_count(105, 120, Fraction(9, 10), "at_least")
    3
    >>> gap_count(3, None, Fraction(0), "at_most")
    3

    An unknown ``direction`` raises :class:`~dvctt_rules.UnknownNameError`, with or without counts;
    counts that are not whole numbers, or a target that is not exact, raise ``TypeError``.
    """
    for name, count in (("numerator", numerator), ("denominator", denominator)):
        if count is not None and (isinstance(count, bool) or not isinstance(count, Integral)):
            raise TypeError(f"{name} must be a whole number (int) or None, got {described(count)}")
    _refuse_inexact(target, "target", optional=True)
    return _gap(numerator, denominator, target, direction)


def _refuse_inexact(value: object, name: str, *, optional: bool) -> None:
    if (value is None and optional) or (isinstance(value, Rational) and not isinstance(value, bool)):
        return  # Fraction, int, and the exact numbers registered as Rational (numpy's integers)
    raise TypeError(
        f"{name} must be an exact number (fractions.Fraction or int){' or None' if optional else ''}, "
        f"got {described(value)}; write Fraction(9, 10) for 90 %"
    )


def _gap(
    numerator: int | None, denominator: int | None, target: Fraction | None, direction: str
) -> int | None:
    """:func:`gap_count` of arguments already of the right types (the evaluation's own). Internal."""
    if direction not in _SYMBOL:
        raise _unknown_direction(direction)
    if numerator is None or target is None:
        return None
    # The bound is target × denominator (the target itself for a count), as top / bottom > 0.
    if denominator is None:  # a count compared with a whole number
        top, bottom = target.numerator, target.denominator
    elif denominator == 0:
        return None
    else:
        top, bottom = target.numerator * denominator, target.denominator
    if direction == "at_least":
        return max(0, -(-top // bottom) - numerator)  # ceil(bound) - numerator
    if direction == "at_most":
        return max(0, numerator - top // bottom)  # numerator - floor(bound)
    return None if top % bottom else abs(top // bottom - numerator)


@attrs.frozen
class Outcome:
    """One indicator of one rule judged for one unit (or, for province-scope rules, the province).

    Numbers are exact: ``value`` and ``target`` are proportions (``Fraction(7, 8)`` is 87,5 %), or
    counts for count indicators. ``gap`` is ``value - target``; ``gap_count`` the fewest numerator
    items that would meet the target at the same denominator. ``basis`` says where the value came
    from: ``"counts"``, a reported ``"rate"``, an aggregate (``"mean_of_rates"``, ``"min"``, ``"max"``,
    or ``"other"``: an aggregator's own method, named by ``strategy``), or ``"none"``.
    ``target_scope`` says which target applied: ``"unit"``, ``"level"``, ``"default"`` (the plan's
    default) or ``"rule"`` (written in the rule). ``missing`` names the measures that were needed but
    unknown. For a province-scope rule, ``covers`` lists the units whose data went into the aggregate,
    ``missing_units`` those without usable data, and ``strategy`` the aggregator's name.
    ``negated``: the threshold is under a ``not_`` in its rule (an odd number of them, wherever it
    appears), so the rule wants it *not* met;
    ``status`` and ``gap_count`` are still the threshold's own, and :meth:`explain` says so instead
    of advising to meet it.
    """

    unit: str
    unit_name: str
    level: str
    rule: str
    indicator: Indicator
    period: str | None
    numerator: int | None
    denominator: int | None
    value: Fraction | None
    target: Fraction | None
    status: Status
    basis: Basis
    scope: Literal["unit", "province"] = "unit"
    target_scope: str | None = None
    citation: Citation | None = None
    gap_count: int | None = None
    missing: tuple[str, ...] = ()
    covers: tuple[str, ...] = ()
    missing_units: tuple[str, ...] = ()
    strategy: str | None = None
    error: str | None = None
    negated: bool = False

    @property
    def gap(self) -> Fraction | None:
        """``value - target`` (a proportion; × 100 for percentage points), ``None`` when either is unknown."""
        if self.value is None or self.target is None:
            return None
        return self.value - self.target

    @property
    def comparison(self) -> Comparison:
        """``>=``, ``<=`` or ``==``, from the indicator's direction."""
        return _SYMBOL[self.indicator.direction]

    def format_value(self, number: Fraction | None, lang: str = "vi", places: int = 1) -> str:
        """A value or target for display: a percentage for ratios (``places`` decimals), a whole
        number for counts."""
        if number is None:
            return "–"
        if self.indicator.kind == "zero_count":
            return format_decimal(number, 0, lang=lang)
        return format_percent(number, places, lang=lang)

    def explain(self, lang: str = "vi") -> str:
        """E.g. "Phường Chánh Mỹ: tỷ lệ hồ sơ trực tuyến 87,5 % < chỉ tiêu 90 % (…); cần thêm 3 …";
        ``lang`` ``"vi"`` or ``"en"``."""
        check_lang(lang)
        vi = lang == "vi"
        name = short_name(self.indicator, lang)
        source = _cite(self.citation)
        where = f" ({source})" if source else ""
        if self.error is not None:
            return f"{self.unit_name}: {name}: " + (
                f"lỗi khi tính ({self.error})" if vi else f"error ({self.error})"
            )
        if self.status == "not_applicable":
            reason = "không có chỉ tiêu áp dụng" if vi else "no target applies"
            return f"{self.unit_name}: {name}: {reason}"
        if self.status == "no_data":
            if self.denominator == 0:
                reason = "không có dữ liệu (mẫu số bằng 0)" if vi else "no data (zero denominator)"
            elif self.scope == "province":
                n = len(self.missing_units)
                reason = (
                    f"không có dữ liệu ({n} đơn vị không có số liệu)"
                    if vi
                    else f"no data ({n} units without data)"
                )
            elif self.missing:
                listed = ", ".join(self.missing)
                reason = f"không có dữ liệu (thiếu {listed})" if vi else f"no data (missing {listed})"
            else:
                reason = "không có dữ liệu" if vi else "no data"
            target = self.format_value(self.target, lang)
            return (
                f"{self.unit_name}: {name}: {reason}; "
                + (f"chỉ tiêu {target}" if vi else f"target {target}")
                + where
            )
        assert self.value is not None
        assert self.target is not None
        met = self.status == "met"
        if met:
            sign = {">=": "≥", "<=": "≤", "==": "="}[self.comparison]
        else:
            sign = {">=": "<", "<=": ">", "==": "≠"}[self.comparison]
        places = distinct_places(self.value, self.target, 1, scale=100)  # never "55 % < 55 %"
        value = self.format_value(self.value, lang, places)
        target = self.format_value(self.target, lang, places)
        text = f"{self.unit_name}: {name} {value} {sign} " + (
            f"chỉ tiêu {target}" if vi else f"target {target}"
        )
        text += where
        if self.scope == "province" and self.missing_units:
            covered = len(self.covers)
            total = covered + len(self.missing_units)
            text += (
                f" — số liệu của {covered}/{total} đơn vị"
                if vi
                else f" — data from {covered} of {total} units"
            )
        if self.basis == "rate":
            text += " — tỷ lệ báo cáo, không có số liệu đếm" if vi else " — reported rate, no counts"
        elif self.basis == "mean_of_rates":
            text += " — trung bình cộng các tỷ lệ" if vi else " — unweighted mean of rates"
        elif self.basis in ("min", "max"):
            lowest = self.basis == "min"
            text += (
                (" — tỷ lệ thấp nhất của các đơn vị" if lowest else " — tỷ lệ cao nhất của các đơn vị")
                if vi
                else (" — the lowest of the units' rates" if lowest else " — the highest of the units' rates")
            )
        elif self.basis == "other":
            text += f" — tổng hợp theo {self.strategy}" if vi else f" — aggregated by {self.strategy}"
        if self.negated:  # meeting it would break the rule: no advice to
            return text + (
                f"; điều kiện bị phủ định trong quy tắc {self.rule}"
                if vi
                else f"; negated in rule {self.rule}"
            )
        if not met and self.gap_count:
            item = (self.indicator.item_vi if vi else self.indicator.item_en) or ("đơn vị" if vi else "items")
            more = self.indicator.direction == "at_least" or (
                self.indicator.direction == "equal" and self.value < self.target  # to equal it: up
            )
            if more:
                text += (
                    f"; cần thêm {self.gap_count} {item}" if vi else f"; {self.gap_count} more {item} needed"
                )
            else:
                text += (
                    f"; cần giảm {self.gap_count} {item}" if vi else f"; {self.gap_count} fewer {item} needed"
                )
        return text


def short_name(indicator: Indicator, lang: str = "vi") -> str:
    """The indicator's short name for sentences ("tỷ lệ hồ sơ trực tuyến"), else its full name."""
    if lang == "vi":
        return indicator.short_vi or indicator.name_vi
    return indicator.short_en or indicator.name_en


def _cite(citation: Citation | None) -> str:
    if citation is None:
        return ""
    return citation.short if citation.article is None else f"{citation.short}, {citation.article}"


@attrs.frozen
class RuleVerdict:
    """A plan rule's verdict for one unit: the combined status of its indicators' outcomes."""

    unit: str
    rule: str
    status: Status
    outcomes: tuple[Outcome, ...]
    weight: Fraction = Fraction(1)
    scored: bool = False


@attrs.frozen
class Report:
    """The verdicts of a plan over a hierarchy for one period.

    ``outcomes`` has one entry per unit, rule and indicator, in hierarchy order then plan order;
    ``verdicts`` one per unit and rule; ``errors`` the evaluator failures collected with
    ``on_error="collect"`` (their outcomes are ``no_data`` with ``error`` set). ``as_of`` is the
    date whose targets judged it (the end of the period unless another was asked for).
    """

    plan: str
    period: str | None
    as_of: datetime.date | None
    outcomes: tuple[Outcome, ...]
    verdicts: tuple[RuleVerdict, ...]
    errors: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[Outcome]:
        return iter(self.outcomes)

    def __len__(self) -> int:
        return len(self.outcomes)

    def for_unit(self, unit_id: Unit | str) -> tuple[Outcome, ...]:
        """The outcomes of one unit (its id, or the :class:`~dvctt_rules.Unit`), in plan order."""
        wanted = id_of(unit_id, "unit_id")
        return tuple(o for o in self.outcomes if o.unit == wanted)

    def for_rule(self, rule_id: str) -> tuple[Outcome, ...]:
        """The outcomes of one rule, in hierarchy order."""
        return tuple(o for o in self.outcomes if o.rule == rule_id)

    def with_status(self, status: Status) -> tuple[Outcome, ...]:
        """The outcomes with this status; another name raises :class:`~dvctt_rules.UnknownNameError`."""
        if status not in _STATUSES:
            refuse_non_text(status, "status", "a status name", f"pass one of {list(_STATUSES)!r}")
            raise UnknownNameError("status", status, _STATUSES, close_matches(status, _STATUSES))
        return tuple(o for o in self.outcomes if o.status == status)

    def counts(self) -> dict[str, int]:
        """How many outcomes have each status."""
        tally = {"met": 0, "not_met": 0, "no_data": 0, "not_applicable": 0}
        for outcome in self.outcomes:
            tally[outcome.status] += 1
        return tally
