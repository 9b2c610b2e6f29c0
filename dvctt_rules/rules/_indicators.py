"""Indicators: what a plan measures, as sums of public measure names, and the plan's catalogue.

The ids in :data:`INDICATORS` are a public contract: plans, target files and reports refer to them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Literal

import attrs

from .._errors import PlanError, UnknownNameError, described, refuse_non_text
from .._text import close_matches
from ._checks import required_text, str_tuple
from ._citation import Citation
from ._documents import NQ_01_CP, QD_17_UBQGCDS, QD_468_TTG, QD_922_BTTTT

__all__ = ["INDICATORS", "Direction", "Indicator", "IndicatorKind", "lookup_indicator"]

IndicatorKind = Literal["ratio", "zero_count"]
Direction = Literal["at_least", "at_most", "equal"]

_NAME = re.compile(r"[a-z][a-z0-9_]*")
# Indicator ids share prefixes and suffixes ("online_", "_rate"): suggest only close matches.
_CUTOFF = 0.75


def _names(_instance: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    for index, name in enumerate(value):
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise PlanError(
                f"{attribute.name} must list measure names in snake_case"
                f" (like 'received_online'), got {name!r}",
                f"$.{attribute.name}[{index}]",
            )


def _numerator(values: Iterable[str]) -> tuple[str, ...]:
    return str_tuple(values, "Indicator.numerator")


def _denominator(values: Iterable[str]) -> tuple[str, ...]:
    return str_tuple(values, "Indicator.denominator")


@attrs.frozen
class Indicator:
    """A measured quantity: ``sum(numerator) / sum(denominator)``, or a count that must be zero.

    ``numerator`` and ``denominator`` name measures (the public column names such as
    ``received_online``). A ``"ratio"`` indicator is a proportion compared with a target in the
    indicator's ``direction``; a ``"zero_count"`` indicator is ``sum(numerator)`` and is met only
    when it is 0 (evaluator ``"zero_count"``, no denominator). ``evaluator`` is the registered name
    of the plugin that computes it. ``item_vi``/``item_en`` name one numerator item for
    explanations ("hồ sơ trực tuyến" / "online dossiers"); ``short_vi``/``short_en`` are short names
    for sentences and tables ("tỷ lệ hồ sơ trực tuyến" / "online dossier rate").

    >>> INDICATORS["online_dossier_rate"].denominator
    ('received_online', 'received_direct', 'received_postal')
    >>> Indicator("x", "x", "x", ("a",), kind="zero_count").evaluator
    'zero_count'
    """

    id: str = attrs.field(validator=required_text)
    name_vi: str = attrs.field(validator=required_text)
    name_en: str = attrs.field(validator=required_text)
    numerator: tuple[str, ...] = attrs.field(converter=_numerator, validator=_names)
    denominator: tuple[str, ...] = attrs.field(default=(), converter=_denominator, validator=_names)
    kind: IndicatorKind = "ratio"
    direction: Direction = attrs.field()
    citation: Citation | None = None
    evaluator: str = attrs.field(validator=required_text)
    item_vi: str = ""
    item_en: str = ""
    short_vi: str = ""
    short_en: str = ""

    @direction.default
    def _direction_default(self) -> Direction:
        return "at_most" if self.kind == "zero_count" else "at_least"

    @evaluator.default
    def _evaluator_default(self) -> str:
        return "zero_count" if self.kind == "zero_count" else "ratio_of_sums"

    def __attrs_post_init__(self) -> None:
        if not _NAME.fullmatch(self.id):
            raise PlanError(
                f"an indicator id must be snake_case (like 'online_dossier_rate'), got {self.id!r}", "$.id"
            )
        if not self.numerator:
            raise PlanError(f"indicator {self.id!r} needs at least one numerator measure", "$.numerator")
        if self.kind not in ("ratio", "zero_count"):
            raise PlanError(f"indicator kind must be 'ratio' or 'zero_count', got {self.kind!r}", "$.kind")
        if self.direction not in ("at_least", "at_most", "equal"):
            raise PlanError(
                f"direction must be 'at_least', 'at_most' or 'equal', got {self.direction!r}", "$.direction"
            )
        if self.kind == "ratio" and not self.denominator:
            raise PlanError(f"ratio indicator {self.id!r} needs a denominator", "$.denominator")
        if self.kind == "zero_count" and self.denominator:
            raise PlanError(f"zero_count indicator {self.id!r} must not have a denominator", "$.denominator")
        if self.kind == "zero_count" and self.direction != "at_most":
            raise PlanError(f"zero_count indicator {self.id!r} must have direction 'at_most'", "$.direction")

    @property
    def measures(self) -> tuple[str, ...]:
        """Every measure used, numerator first, without duplicates."""
        return tuple(dict.fromkeys((*self.numerator, *self.denominator)))


_RESOLVED = ("resolved_early", "resolved_on_time", "resolved_late")

_CATALOGUE = (
    Indicator(
        "full_online_integration_rate",
        "Tỷ lệ DVCTT toàn trình được tích hợp, cung cấp trên Cổng DVC Quốc gia",
        "Share of full-process online services integrated into the National Public Service Portal",
        ("services_full_integrated",),
        ("services_full",),
        citation=QD_17_UBQGCDS,
        item_vi="DVCTT toàn trình được tích hợp",
        item_en="integrated full-process services",
        short_vi="tỷ lệ DVCTT toàn trình tích hợp Cổng DVC Quốc gia",
        short_en="full-process integration rate",
    ),
    Indicator(
        "online_services_with_dossiers_rate",
        "Tỷ lệ TTHC cung cấp trực tuyến mức độ toàn trình và một phần có phát sinh hồ sơ",
        "Share of online services (full and partial) that received dossiers",
        ("services_online_with_dossiers",),
        ("services_online",),
        citation=QD_922_BTTTT,
        item_vi="DVCTT có phát sinh hồ sơ",
        item_en="online services with dossiers",
        short_vi="tỷ lệ DVCTT có phát sinh hồ sơ",
        short_en="online services with dossiers rate",
    ),
    Indicator(
        "online_dossier_rate",
        "Tỷ lệ hồ sơ TTHC được người dân, doanh nghiệp thực hiện trực tuyến từ xa",
        "Share of dossiers submitted online",
        ("received_online",),
        ("received_online", "received_direct", "received_postal"),
        citation=QD_17_UBQGCDS,
        item_vi="hồ sơ trực tuyến",
        item_en="online dossiers",
        short_vi="tỷ lệ hồ sơ trực tuyến",
        short_en="online dossier rate",
    ),
    Indicator(
        "result_sync_rate",
        "Tỷ lệ kết quả xử lý hồ sơ TTHC được đồng bộ đầy đủ trên Cổng Dịch vụ công Quốc gia",
        "Share of dossier results synchronised to the National Public Service Portal",
        ("results_synced",),
        _RESOLVED,
        citation=NQ_01_CP,
        item_vi="kết quả được đồng bộ",
        item_en="synchronised results",
        short_vi="tỷ lệ đồng bộ kết quả",
        short_en="result sync rate",
    ),
    Indicator(
        "online_payment_rate",
        "Tỷ lệ thanh toán trực tuyến trên Cổng Dịch vụ công Quốc gia trên tổng số giao dịch thanh toán"
        " của Dịch vụ công",
        "Share of payment transactions made online",
        ("payments_online",),
        ("payments_total",),
        citation=NQ_01_CP,
        item_vi="giao dịch thanh toán trực tuyến",
        item_en="online payments",
        short_vi="tỷ lệ thanh toán trực tuyến",
        short_en="online payment rate",
    ),
    Indicator(
        "fee_procedures_paid_online_rate",
        "Tỷ lệ TTHC có yêu cầu nghĩa vụ tài chính được thanh toán trực tuyến trên Cổng Dịch vụ công Quốc gia",
        "Share of procedures with fees that were paid online",
        ("fee_procedures_paid_online",),
        ("fee_procedures",),
        citation=NQ_01_CP,
        item_vi="TTHC được thanh toán trực tuyến",
        item_en="procedures paid online",
        short_vi="tỷ lệ TTHC có phí được thanh toán trực tuyến",
        short_en="fee procedures paid online rate",
    ),
    Indicator(
        "on_time_rate",
        "Tỷ lệ hồ sơ được giải quyết trước hạn và đúng hạn",
        "Share of dossiers resolved early or on time",
        ("resolved_early", "resolved_on_time"),
        _RESOLVED,
        citation=QD_468_TTG,
        item_vi="hồ sơ giải quyết trước hạn và đúng hạn",
        item_en="dossiers resolved early or on time",
        short_vi="tỷ lệ hồ sơ đúng hạn",
        short_en="on-time rate",
    ),
    Indicator(
        "published_procedures_rate",
        "Tỷ lệ TTHC được công bố, công khai đầy đủ, kịp thời trên Cơ sở dữ liệu Quốc gia về TTHC",
        "Share of procedures published in the National Database on Administrative Procedures",
        ("procedures_published",),
        ("procedures_total",),
        item_vi="TTHC được công bố, công khai",
        item_en="published procedures",
        short_vi="tỷ lệ TTHC được công bố, công khai",
        short_en="published procedures rate",
    ),
    Indicator(
        "full_process_services_rate",
        "Tỷ lệ DVCTT được cung cấp dưới dạng DVCTT toàn trình trên tổng số DVCTT",
        "Share of online services offered as full-process services",
        ("services_full",),
        ("services_online",),
        item_vi="DVCTT toàn trình",
        item_en="full-process online services",
        short_vi="tỷ lệ DVCTT toàn trình",
        short_en="full-process services rate",
    ),
    Indicator(
        "late_dossiers",
        "Số hồ sơ chậm trễ (không để hồ sơ chậm trễ)",
        "Late dossiers (none may be late)",
        ("resolved_late", "pending_late"),
        kind="zero_count",
        item_vi="hồ sơ chậm trễ",
        item_en="late dossiers",
        short_vi="số hồ sơ chậm trễ",
        short_en="late dossiers",
    ),
)

INDICATORS: Mapping[str, Indicator] = MappingProxyType({ind.id: ind for ind in _CATALOGUE})
"""The plan's catalogue by id (read-only): Phụ lục I (I.1–IV.1) and the measurable Mục tiêu goals."""


def lookup_indicator(indicator_id: str, catalogue: Mapping[str, Indicator] = INDICATORS) -> Indicator:
    """The indicator with this id, or :class:`UnknownNameError` with the closest ids.

    >>> lookup_indicator("online_dosier_rate")
    Traceback (most recent call last):
    ...
    dvctt_rules._errors.UnknownNameError: unknown indicator 'online_dosier_rate'; \
did you mean 'online_dossier_rate'?
    """
    if not isinstance(catalogue, Mapping):
        raise TypeError(
            f"catalogue must be a mapping of indicator id → Indicator, got {described(catalogue)}"
        )
    try:
        return catalogue[indicator_id]
    except (KeyError, TypeError):  # TypeError: unhashable
        refuse_non_text(indicator_id, "indicator_id", "an indicator id")
        known: Iterable[str] = catalogue.keys()
        raise UnknownNameError(
            "indicator", indicator_id, known, close_matches(indicator_id, known, n=3, cutoff=_CUTOFF)
        ) from None
