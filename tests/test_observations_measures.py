"""Measures and catalogs: the public column names, relations, extension."""

from __future__ import annotations

import pytest

from dvctt_rules import DataError, UnknownNameError
from dvctt_rules.observations import DEFAULT_CATALOG, Measure, MeasureCatalog, PartOf

# The column names are a public contract (issue 3): changing one breaks people's files.
COUNTS = (
    "received_online",
    "received_direct",
    "received_postal",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending_on_time",
    "pending_late",
    "results_synced",
    "payments_total",
    "payments_online",
    "procedures_total",
    "procedures_published",
    "services_online",
    "services_full",
    "services_full_integrated",
    "services_online_with_dossiers",
    "fee_procedures",
    "fee_procedures_paid_online",
)
RATES = (
    "online_dossier_rate",
    "online_payment_rate",
    "full_online_integration_rate",
    "online_services_with_dossiers_rate",
    "result_sync_rate",
    "fee_procedures_paid_online_rate",
    "on_time_rate",
)


def test_default_catalog_is_the_contract() -> None:
    assert DEFAULT_CATALOG.counts() == COUNTS
    assert DEFAULT_CATALOG.rates() == RATES
    assert DEFAULT_CATALOG.names == COUNTS + RATES
    assert len(DEFAULT_CATALOG) == 26
    for measure in DEFAULT_CATALOG:
        assert measure.label_vi.strip()
        assert measure.label_en.strip()
    assert DEFAULT_CATALOG.get("received_postal").label_vi == "Hồ sơ tiếp nhận qua dịch vụ bưu chính công ích"


def test_default_relations() -> None:
    assert {str(r) for r in DEFAULT_CATALOG.relations} == {
        "payments_online <= payments_total",
        "results_synced <= resolved_early + resolved_on_time + resolved_late",
        "services_full <= services_online",
        "services_full_integrated <= services_full",
        "services_online_with_dossiers <= services_online",
        "procedures_published <= procedures_total",
        "fee_procedures_paid_online <= fee_procedures",
    }


def test_over_time() -> None:
    kinds = {m.name: m.over_time for m in DEFAULT_CATALOG}
    assert kinds["received_online"] == "sum"
    assert kinds["pending_late"] == "last"
    assert kinds["services_online"] == "last"
    assert kinds["services_online_with_dossiers"] == "single"
    assert all(kinds[name] == "single" for name in RATES)
    with pytest.raises(DataError, match="cannot accumulate"):
        Measure("x_rate", "x", "x", "rate", "sum")


def test_unknown_measure_suggests() -> None:
    with pytest.raises(UnknownNameError) as info:
        DEFAULT_CATALOG.get("received_onlne")
    assert info.value.suggestions == ("received_online",)
    assert "received_onlne" not in DEFAULT_CATALOG
    assert "received_online" in DEFAULT_CATALOG


def test_extend_returns_a_new_catalog() -> None:
    zalo = Measure("received_zalo", "Hồ sơ tiếp nhận qua Zalo", "dossiers received via Zalo")
    extended = DEFAULT_CATALOG.extend([zalo], [PartOf("received_zalo", "received_online")])
    assert "received_zalo" in extended
    assert "received_zalo" not in DEFAULT_CATALOG
    assert extended.relations[-1] == PartOf("received_zalo", ("received_online",))
    assert extended.names[:26] == DEFAULT_CATALOG.names


@pytest.mark.parametrize(
    ("measures", "relations", "match"),
    [
        ([Measure("received_online", "a", "b")], [], "declared twice"),
        ([], [PartOf("received_onlin", "received_direct")], "did you mean 'received_online'"),
        ([], [PartOf("online_dossier_rate", "received_direct")], "names the rate"),
    ],
)
def test_invalid_extensions(measures: list[Measure], relations: list[PartOf], match: str) -> None:
    with pytest.raises(DataError, match=match):
        DEFAULT_CATALOG.extend(measures, relations)


@pytest.mark.parametrize("name", ["unit", "period", "note", "Received", "1st", "with space", ""])
def test_measure_names_are_identifiers(name: str) -> None:
    with pytest.raises(DataError, match="cannot name a measure"):
        Measure(name, "a", "b")


@pytest.mark.parametrize(("part", "whole"), [("a", ()), ("a", ("a", "b")), ("a", ("b", "b"))])
def test_invalid_relations(part: str, whole: tuple[str, ...]) -> None:
    with pytest.raises(DataError, match="not a valid relation"):
        PartOf(part, whole)


def test_relation_checks_only_known_values() -> None:
    relation = PartOf("payments_online", "payments_total")
    assert relation.violation({"payments_online": 5, "payments_total": 4}) == (5, 4)
    assert relation.violation({"payments_online": 4, "payments_total": 4}) is None
    assert relation.violation({"payments_online": 5, "payments_total": None}) is None
    assert relation.violation({"payments_online": 5}) is None
    assert repr(relation) == "<PartOf payments_online <= payments_total>"


def test_catalog_is_frozen_and_empty_catalog_works() -> None:
    empty = MeasureCatalog([])
    assert empty.names == ()
    assert len(empty) == 0
    with pytest.raises(UnknownNameError, match="none is registered"):
        empty.get("x")
