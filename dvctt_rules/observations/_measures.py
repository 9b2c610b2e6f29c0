"""Measures: the named counts and rates an observation may hold, and which counts are parts of others.

Measure names are the column names of observation files: a public contract.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Literal

import attrs

from .._errors import DataError, Problem, UnknownNameError, described, refuse_non_text, refuse_text
from .._text import close_matches

__all__ = [
    "DEFAULT_CATALOG",
    "RESERVED_COLUMNS",
    "Measure",
    "MeasureCatalog",
    "MeasureKind",
    "OverTime",
    "PartOf",
    "suggest",
]

MeasureKind = Literal["count", "rate"]
OverTime = Literal["sum", "last", "single"]

#: Columns of an observation file that are not measures.
RESERVED_COLUMNS: tuple[str, ...] = ("unit", "period", "note")

_NAME = re.compile(r"[a-z][a-z0-9_]*")


def _check_name(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not _NAME.fullmatch(value) or value in RESERVED_COLUMNS:
        raise DataError(
            [
                Problem(
                    f"{value!r} cannot name a measure",
                    hint="use lower case ASCII letters, digits and "
                    "underscores, starting with a letter, and not 'unit', 'period' or 'note'",
                )
            ]
        )


def suggest(word: str, names: Iterable[str]) -> list[str]:
    """The closest names: the near-certain ones if any, else up to three likely ones.

    >>> suggest("received_onlne", DEFAULT_CATALOG.names)
    ['received_online']
    """
    names = list(names)
    return close_matches(word, names, n=3, cutoff=0.85) or close_matches(word, names, n=3, cutoff=0.6)


def _default_over_time(measure: Measure) -> OverTime:
    return "sum" if measure.kind == "count" else "single"


def _check_over_time(instance: Measure, attribute: attrs.Attribute[OverTime], value: OverTime) -> None:
    allowed = ("single",) if instance.kind == "rate" else ("sum", "last", "single")
    if value not in allowed:
        raise DataError(
            [
                Problem(
                    f"measure {instance.name!r} ({instance.kind}) cannot accumulate over time by {value!r}",
                    hint=f"use one of {', '.join(allowed)}",
                )
            ]
        )


@attrs.frozen
class Measure:
    """A named count or rate, with its Vietnamese and English meanings.

    ``kind`` is ``"count"`` (a whole number ≥ 0) or ``"rate"`` (a proportion 0..1, written in files as a
    percentage). ``over_time`` says how values of several sub-periods make the value of a longer period:

    - ``"sum"``: a flow (dossiers received, payments): the sum of the sub-periods;
    - ``"last"``: a stock at the end of the period (services on offer, dossiers pending): the value of
      the latest observed sub-period;
    - ``"single"``: neither (rates; counts of distinct things such as services with dossiers): known
      only when exactly one sub-period is observed.

    >>> Measure("received_online", "Hồ sơ tiếp nhận trực tuyến", "dossiers received online")
    <Measure received_online (count, sum)>
    """

    name: str = attrs.field(validator=_check_name)
    label_vi: str
    label_en: str
    kind: MeasureKind = attrs.field(default="count", validator=attrs.validators.in_(("count", "rate")))
    over_time: OverTime = attrs.field(
        default=attrs.Factory(_default_over_time, takes_self=True), validator=_check_over_time
    )

    def __repr__(self) -> str:
        return f"<Measure {self.name} ({self.kind}, {self.over_time})>"


def _to_whole(value: str | Iterable[str]) -> tuple[str, ...]:
    whole = (value,) if isinstance(value, str) else tuple(value)
    for name in whole:
        refuse_non_text(name, "PartOf.whole", "measure names", "pass a measure name or a tuple of them")
    return whole


def _check_part(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    refuse_non_text(value, "PartOf.part", "a measure name")


@attrs.frozen
class PartOf:
    """``part ≤ sum(whole)`` on every row where all of them are known.

    >>> relation = PartOf("results_synced", ("resolved_early", "resolved_on_time", "resolved_late"))
    >>> relation
    <PartOf results_synced <= resolved_early + resolved_on_time + resolved_late>
    >>> relation.violation(
    ...     {"results_synced": 12, "resolved_early": 5, "resolved_on_time": 6, "resolved_late": 0}
    ... )
    (12, 11)
    """

    part: str = attrs.field(validator=_check_part)
    whole: tuple[str, ...] = attrs.field(converter=_to_whole)

    def __attrs_post_init__(self) -> None:
        if not self.whole or self.part in self.whole or len(set(self.whole)) != len(self.whole):
            raise DataError(
                [
                    Problem(
                        f"{self!r} is not a valid relation",
                        hint="the whole is one or more distinct measures, none of them the part",
                    )
                ]
            )

    @property
    def names(self) -> tuple[str, ...]:
        """The part then the whole."""
        return (self.part, *self.whole)

    def violation(self, values: Mapping[str, int | None]) -> tuple[int, int] | None:
        """``(part, whole)`` when every value is known and the part is larger, else ``None``."""
        found = values.get(self.part)
        if found is None:
            return None
        whole = 0
        for name in self.whole:
            value = values.get(name)
            if value is None:
                return None
            whole += int(value)
        part = int(found)
        return (part, whole) if part > whole else None

    def __str__(self) -> str:
        return f"{self.part} <= {' + '.join(self.whole)}"

    def __repr__(self) -> str:
        return f"<PartOf {self}>"


def _items(values: Iterable[object], kind: type, name: str, one: str) -> tuple[object, ...]:
    """``values`` as a tuple, each a ``kind``; ``TypeError`` naming ``name`` otherwise."""
    if isinstance(values, kind):
        raise TypeError(f"{name} must be a collection of {kind.__name__} values, got one; pass [{one}]")
    refuse_text(values, name, f"{kind.__name__} values")
    items = tuple(values)
    for position, item in enumerate(items):
        if not isinstance(item, kind):
            raise TypeError(
                f"{name} must be {kind.__name__} values, got {described(item)} at position {position}; "
                f"make each with {kind.__name__}(...)"
            )
    return items


def _measure_tuple(measures: Iterable[Measure]) -> tuple[Measure, ...]:
    return _items(measures, Measure, "measures", "measure")  # type: ignore[return-value]  # checked


def _relation_tuple(relations: Iterable[PartOf]) -> tuple[PartOf, ...]:
    return _items(relations, PartOf, "relations", "relation")  # type: ignore[return-value]  # checked


@attrs.frozen
class MeasureCatalog:
    """The measures known to a plan or plugin, and the part-of relations between its counts.

    Immutable; :meth:`extend` returns a new catalog.

    >>> DEFAULT_CATALOG.get("payments_online").label_vi
    'Giao dịch thanh toán phí, lệ phí trực tuyến'
    >>> DEFAULT_CATALOG.get("received_onlne")
    Traceback (most recent call last):
    ...
    dvctt_rules._errors.UnknownNameError: unknown measure 'received_onlne'; did you mean 'received_online'?
    """

    measures: tuple[Measure, ...] = attrs.field(converter=_measure_tuple)
    relations: tuple[PartOf, ...] = attrs.field(default=(), converter=_relation_tuple)
    _by_name: Mapping[str, Measure] = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {measure.name: measure for measure in self.measures})
        problems: list[Problem] = []
        seen: set[str] = set()
        for measure in self.measures:
            if measure.name in seen:
                problems.append(
                    Problem(f"measure {measure.name!r} is declared twice", hint="declare it once")
                )
            seen.add(measure.name)
        kinds = {measure.name: measure.kind for measure in self.measures}
        for relation in self.relations:
            for name in relation.names:
                if name not in kinds:
                    suggestions = suggest(name, kinds)
                    hint = f"did you mean {suggestions[0]!r}?" if suggestions else "declare the measure first"
                    problems.append(Problem(f"{relation!r} names an unknown measure {name!r}", hint=hint))
                elif kinds[name] != "count":
                    problems.append(
                        Problem(f"{relation!r} names the rate {name!r}", hint="relate counts only")
                    )
        if problems:
            raise DataError(problems, summary="invalid measure catalog")

    @property
    def names(self) -> tuple[str, ...]:
        """Every measure name, in declaration order."""
        return tuple(measure.name for measure in self.measures)

    def counts(self) -> tuple[str, ...]:
        """The names of the count measures."""
        return tuple(measure.name for measure in self.measures if measure.kind == "count")

    def rates(self) -> tuple[str, ...]:
        """The names of the rate measures."""
        return tuple(measure.name for measure in self.measures if measure.kind == "rate")

    def get(self, name: str) -> Measure:
        """The measure called ``name``; raises :class:`~dvctt_rules.UnknownNameError` with suggestions."""
        found = self._by_name.get(name)
        if found is not None:
            return found
        refuse_non_text(name, "name", "a measure name")
        raise UnknownNameError("measure", name, self.names, suggest(name, self.names))

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self._by_name

    def __iter__(self) -> Iterator[Measure]:
        return iter(self.measures)

    def __len__(self) -> int:
        return len(self.measures)

    def extend(self, measures: Iterable[Measure] = (), relations: Iterable[PartOf] = ()) -> MeasureCatalog:
        """A new catalog with more measures and relations (this one is not changed)."""
        return MeasureCatalog(
            (*self.measures, *_measure_tuple(measures)), (*self.relations, *_relation_tuple(relations))
        )


_COUNTS: tuple[tuple[str, str, str, OverTime], ...] = (
    ("received_online", "Hồ sơ tiếp nhận trực tuyến", "dossiers received online", "sum"),
    ("received_direct", "Hồ sơ tiếp nhận trực tiếp", "dossiers received in person", "sum"),
    (
        "received_postal",
        "Hồ sơ tiếp nhận qua dịch vụ bưu chính công ích",
        "dossiers received by public postal service",
        "sum",
    ),
    ("resolved_early", "Hồ sơ đã giải quyết trước hạn", "dossiers resolved before the deadline", "sum"),
    ("resolved_on_time", "Hồ sơ đã giải quyết đúng hạn", "dossiers resolved on the deadline", "sum"),
    ("resolved_late", "Hồ sơ đã giải quyết quá hạn", "dossiers resolved late", "sum"),
    ("pending_on_time", "Hồ sơ đang giải quyết trong hạn", "dossiers pending, within the deadline", "last"),
    ("pending_late", "Hồ sơ đang giải quyết quá hạn", "dossiers pending, past the deadline", "last"),
    (
        "results_synced",
        "Kết quả giải quyết hồ sơ được đồng bộ lên Cổng Dịch vụ công Quốc gia",
        "results synchronised to the National Public Service Portal",
        "sum",
    ),
    ("payments_total", "Giao dịch thanh toán phí, lệ phí", "fee and charge payment transactions", "sum"),
    (
        "payments_online",
        "Giao dịch thanh toán phí, lệ phí trực tuyến",
        "payment transactions made online",
        "sum",
    ),
    (
        "procedures_total",
        "TTHC thuộc thẩm quyền giải quyết",
        "administrative procedures under the unit",
        "last",
    ),
    (
        "procedures_published",
        "TTHC được công bố, công khai trên Cơ sở dữ liệu quốc gia về TTHC",
        "procedures published in the national procedures database",
        "last",
    ),
    ("services_online", "DVCTT toàn trình và một phần", "online public services, full and partial", "last"),
    ("services_full", "DVCTT toàn trình", "full online public services", "last"),
    (
        "services_full_integrated",
        "DVCTT toàn trình được tích hợp trên Cổng Dịch vụ công Quốc gia",
        "full online services integrated on the National Public Service Portal",
        "last",
    ),
    (
        "services_online_with_dossiers",
        "DVCTT có phát sinh hồ sơ",
        "online services that received dossiers",
        "single",
    ),
    ("fee_procedures", "TTHC có yêu cầu nghĩa vụ tài chính", "procedures that require a payment", "last"),
    (
        "fee_procedures_paid_online",
        "TTHC có yêu cầu nghĩa vụ tài chính được thanh toán trực tuyến",
        "payment-requiring procedures paid online",
        "last",
    ),
)

_RATES: tuple[tuple[str, str, str], ...] = (
    ("online_dossier_rate", "Tỷ lệ hồ sơ trực tuyến", "online dossier rate"),
    ("online_payment_rate", "Tỷ lệ thanh toán trực tuyến", "online payment rate"),
    (
        "full_online_integration_rate",
        "Tỷ lệ DVCTT toàn trình được tích hợp, cung cấp trên Cổng DVC Quốc gia",
        "share of full online services integrated on the national portal",
    ),
    (
        "online_services_with_dossiers_rate",
        "Tỷ lệ TTHC cung cấp trực tuyến mức độ toàn trình và một phần có phát sinh hồ sơ",
        "share of online services that received dossiers",
    ),
    (
        "result_sync_rate",
        "Tỷ lệ kết quả xử lý hồ sơ TTHC được đồng bộ đầy đủ trên Cổng Dịch vụ công Quốc gia",
        "share of results synchronised to the national portal",
    ),
    (
        "fee_procedures_paid_online_rate",
        "Tỷ lệ TTHC có yêu cầu nghĩa vụ tài chính được thanh toán trực tuyến trên Cổng Dịch vụ công Quốc gia",
        "share of payment-requiring procedures paid online",
    ),
    (
        "on_time_rate",
        "Tỷ lệ hồ sơ được giải quyết trước hạn và đúng hạn",
        "share of dossiers resolved early or on time",
    ),
)

#: The measures of issue 3 (19 counts, 7 rates) and the part-of relations the plan implies.
DEFAULT_CATALOG = MeasureCatalog(
    [Measure(name, vi, en, "count", over_time) for name, vi, en, over_time in _COUNTS]
    + [Measure(name, vi, en, "rate") for name, vi, en in _RATES],
    [
        PartOf("payments_online", "payments_total"),
        PartOf("results_synced", ("resolved_early", "resolved_on_time", "resolved_late")),
        PartOf("services_full", "services_online"),
        PartOf("services_full_integrated", "services_full"),
        PartOf("services_online_with_dossiers", "services_online"),
        PartOf("procedures_published", "procedures_total"),
        PartOf("fee_procedures_paid_online", "fee_procedures"),
    ],
)
