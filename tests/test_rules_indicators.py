"""The plan's indicator catalogue: ids (a public contract), formulas, citations, validation."""

from __future__ import annotations

import pytest

from dvctt_rules import PlanError, UnknownNameError
from dvctt_rules.rules import (
    INDICATORS,
    NQ_01_CP,
    QD_17_UBQGCDS,
    QD_468_TTG,
    QD_922_BTTTT,
    Citation,
    Indicator,
    lookup_indicator,
)

RESOLVED = ("resolved_early", "resolved_on_time", "resolved_late")
MEASURES = {
    "received_online", "received_direct", "received_postal", "resolved_early", "resolved_on_time",
    "resolved_late", "pending_on_time", "pending_late", "results_synced", "payments_total", "payments_online",
    "procedures_total", "procedures_published", "services_online", "services_full",
    "services_full_integrated", "services_online_with_dossiers", "fee_procedures",
    "fee_procedures_paid_online",
}  # fmt: skip

# id, numerator, denominator, citation (Phụ lục I "Căn cứ" column; the Mục tiêu goals have no national
# basis: they cite the plan that sets them, through its rules or the plan itself, not Bình Dương's)
CATALOGUE = [
    ("full_online_integration_rate", ("services_full_integrated",), ("services_full",), QD_17_UBQGCDS),
    (
        "online_services_with_dossiers_rate",
        ("services_online_with_dossiers",),
        ("services_online",),
        QD_922_BTTTT,
    ),
    (
        "online_dossier_rate",
        ("received_online",),
        ("received_online", "received_direct", "received_postal"),
        QD_17_UBQGCDS,
    ),
    ("result_sync_rate", ("results_synced",), RESOLVED, NQ_01_CP),
    ("online_payment_rate", ("payments_online",), ("payments_total",), NQ_01_CP),
    ("fee_procedures_paid_online_rate", ("fee_procedures_paid_online",), ("fee_procedures",), NQ_01_CP),
    ("on_time_rate", ("resolved_early", "resolved_on_time"), RESOLVED, QD_468_TTG),
    ("published_procedures_rate", ("procedures_published",), ("procedures_total",), None),
    ("full_process_services_rate", ("services_full",), ("services_online",), None),
]


def test_catalogue_ids_are_the_public_contract() -> None:
    assert sorted(INDICATORS) == sorted([row[0] for row in CATALOGUE] + ["late_dossiers"])


@pytest.mark.parametrize(("indicator_id", "numerator", "denominator", "citation"), CATALOGUE)
def test_ratio_formulas(
    indicator_id: str, numerator: tuple[str, ...], denominator: tuple[str, ...], citation: Citation | None
) -> None:
    indicator = INDICATORS[indicator_id]
    assert indicator.id == indicator_id
    assert (indicator.numerator, indicator.denominator) == (numerator, denominator)
    assert indicator.kind == "ratio"
    assert indicator.direction == "at_least"
    assert indicator.evaluator == "ratio_of_sums"
    assert indicator.citation == citation
    assert all((indicator.name_vi, indicator.name_en, indicator.item_vi, indicator.item_en))


def test_late_dossiers_is_a_count_that_must_be_zero() -> None:
    late = INDICATORS["late_dossiers"]
    assert late.kind == "zero_count"
    assert late.numerator == ("resolved_late", "pending_late")
    assert late.denominator == ()
    assert late.evaluator == "zero_count"
    assert late.direction == "at_most"
    assert late.citation is None  # the plan's goal (Mục tiêu), cited by the plan that sets it


def test_every_measure_is_a_public_column() -> None:
    used = {m for indicator in INDICATORS.values() for m in indicator.measures}
    assert used <= MEASURES


def test_names_follow_the_plan() -> None:
    assert INDICATORS["online_dossier_rate"].item_vi == "hồ sơ trực tuyến"
    assert INDICATORS["online_dossier_rate"].item_en == "online dossiers"
    assert INDICATORS["online_dossier_rate"].name_vi == (
        "Tỷ lệ hồ sơ TTHC được người dân, doanh nghiệp thực hiện trực tuyến từ xa"
    )


def test_measures_are_deduplicated_in_order() -> None:
    assert INDICATORS["online_dossier_rate"].measures == (
        "received_online",
        "received_direct",
        "received_postal",
    )


def test_lookup_suggests_close_ids() -> None:
    assert lookup_indicator("on_time_rate") is INDICATORS["on_time_rate"]
    with pytest.raises(UnknownNameError) as info:
        lookup_indicator("ontime_rate")
    assert info.value.suggestions == ("on_time_rate",)
    assert info.value.kind == "indicator"


def test_lookup_in_another_catalogue() -> None:
    custom = Indicator("custom_rate", "Tỷ lệ", "Rate", ("a",), ("b",))
    assert lookup_indicator("custom_rate", {"custom_rate": custom}) is custom


def test_catalogue_is_read_only() -> None:
    with pytest.raises(TypeError):
        INDICATORS["x"] = INDICATORS["on_time_rate"]  # type: ignore[index]  # read-only on purpose


@pytest.mark.parametrize(
    ("kwargs", "path"),
    [
        ({"numerator": ()}, "$.numerator"),
        ({"denominator": ()}, "$.denominator"),
        ({"kind": "zero_count"}, "$.denominator"),
        ({"numerator": ("Received Online",)}, "$.numerator[0]"),
        ({"id": "Online Rate"}, "$.id"),
        ({"name_vi": " "}, "$.name_vi"),
        ({"evaluator": ""}, "$.evaluator"),
    ],
)
def test_invalid_indicators(kwargs: dict[str, object], path: str) -> None:
    values: dict[str, object] = {
        "id": "x_rate",
        "name_vi": "x",
        "name_en": "x",
        "numerator": ("a",),
        "denominator": ("b",),
        **kwargs,
    }
    with pytest.raises(PlanError) as info:
        Indicator(**values)  # type: ignore[arg-type]
    assert info.value.path == path


def test_zero_count_defaults_and_direction() -> None:
    count = Indicator("x", "x", "x", ("a",), kind="zero_count")
    assert (count.direction, count.evaluator) == ("at_most", "zero_count")
    with pytest.raises(PlanError, match="at_most"):
        Indicator("x", "x", "x", ("a",), kind="zero_count", direction="at_least")
