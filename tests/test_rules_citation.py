"""Citations render the way the plan writes them; the document constants are transcribed exactly."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import attrs
import pytest

from dvctt_rules import PlanError
from dvctt_rules.rules import (
    CV_1284_BTTTT,
    CV_2413_VPTU,
    DOCUMENTS,
    KH_4623,
    ND_42_2022,
    ND_335_2025,
    NQ_01_CP,
    NQ_05_NQ_TU,
    QD_17_UBQGCDS,
    QD_468_TTG,
    QD_766_TTG,
    QD_922_BTTTT,
    TTR_66_STTTT,
    Citation,
    format_date_vi,
)

PLAN_TEXT = (Path(__file__).parent / "fixtures" / "ke-hoach-4623-KH-UBND-2023.txt").read_text(
    encoding="utf-8"
)

# Each constant, and the words the plan itself uses for it (Phụ lục I "Căn cứ" column or body text).
AS_THE_PLAN_WRITES = [
    (QD_17_UBQGCDS, "Quyết định số 17/QĐ-UBQGCĐS ngày 04/4/2023 của Ủy ban Quốc gia về Chuyển đổi số"),
    (CV_1284_BTTTT, "Công văn số 1284/BTTTT-CĐSQG ngày 12/4/2023 của Bộ Thông tin và Truyền thông"),
    (NQ_05_NQ_TU, "Nghị quyết số 05-NQ/TU ngày 19/5/2022 của Ban Thường vụ Tỉnh ủy"),
    (CV_2413_VPTU, "Công văn số 2413-CV/VPTU ngày 08/5/2023 của Văn phòng Tỉnh ủy"),
    (QD_922_BTTTT, "Quyết định số 922/QĐ-BTTTT ngày 20/5/2022 của Bộ Thông tin và Truyền thông"),
    (NQ_01_CP, "Nghị quyết số 01/NQ-CP ngày 06/01/2023 của Chính phủ"),
    (QD_468_TTG, "Quyết định số 468/QĐ-TTg ngày 27/3/2021 của Thủ tướng Chính phủ"),
    (ND_42_2022, "Nghị định số 42/2022/NĐ-CP ngày 24/6/2022 của Chính phủ"),
    (QD_766_TTG, "Quyết định số 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ"),
]


@pytest.mark.parametrize(("citation", "text"), AS_THE_PLAN_WRITES, ids=lambda v: getattr(v, "short", None))
def test_constant_renders_as_the_plan_writes_it(citation: Citation, text: str) -> None:
    assert str(citation) == text
    assert text in PLAN_TEXT


def test_plan_itself() -> None:
    assert str(KH_4623) == "Kế hoạch số 4623/KH-UBND ngày 07/9/2023 của UBND tỉnh Bình Dương"
    assert "Kế hoạch số 4623/KH-UBND ngày 07/9/2023 của UBND tỉnh" in PLAN_TEXT
    assert KH_4623.title is not None
    assert KH_4623.title in PLAN_TEXT


def test_to_trinh_66_date_follows_nghi_dinh_30_not_the_plans_zero_padded_month() -> None:
    # The plan writes "ngày 01/08/2023"; months from March on are not zero-padded (Nghị định 30/2020).
    assert "Tờ trình số 66/TTr-STTTT ngày 01/08/2023" in PLAN_TEXT
    assert str(TTR_66_STTTT) == "Tờ trình số 66/TTr-STTTT ngày 01/8/2023 của Sở Thông tin và Truyền thông"


def test_titles_are_the_plans_words() -> None:
    for citation in DOCUMENTS.values():
        if citation.title is not None and citation is not KH_4623:
            assert citation.title in PLAN_TEXT, citation.short


def test_nd_335_has_no_invented_date() -> None:
    assert ND_335_2025.date is None
    assert str(ND_335_2025) == "Nghị định số 335/2025/NĐ-CP của Chính phủ"


def test_documents_mapping_names_every_constant() -> None:
    assert DOCUMENTS["QD_17_UBQGCDS"] is QD_17_UBQGCDS
    assert len(DOCUMENTS) == 12
    assert len(set(DOCUMENTS.values())) == 12
    with pytest.raises(TypeError):
        DOCUMENTS["X"] = KH_4623  # type: ignore[index]  # read-only on purpose


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (datetime.date(2023, 1, 6), "06/01/2023"),
        (datetime.date(2023, 2, 28), "28/02/2023"),
        (datetime.date(2023, 3, 1), "01/3/2023"),
        (datetime.date(2023, 4, 4), "04/4/2023"),
        (datetime.date(2023, 9, 7), "07/9/2023"),
        (datetime.date(2021, 3, 27), "27/3/2021"),
        (datetime.date(2023, 12, 31), "31/12/2023"),
    ],
)
def test_date_format(day: datetime.date, text: str) -> None:
    assert format_date_vi(day) == text


def test_short_article_and_no_date() -> None:
    assert QD_17_UBQGCDS.short == "Quyết định 17/QĐ-UBQGCĐS"
    assert ND_42_2022.short == "Nghị định 42/2022/NĐ-CP"
    cited = attrs.evolve(ND_42_2022, article="khoản 2 Điều 5")
    assert str(cited) == "khoản 2 Điều 5 Nghị định số 42/2022/NĐ-CP ngày 24/6/2022 của Chính phủ"
    assert cited != ND_42_2022
    assert Citation("Công văn", "1/X", "Y").date is None
    assert str(Citation("Công văn", "1/X", "Y")) == "Công văn số 1/X của Y"


def test_citations_are_values() -> None:
    again = Citation(
        "Quyết định",
        "17/QĐ-UBQGCĐS",
        "Ủy ban Quốc gia về Chuyển đổi số",
        datetime.date(2023, 4, 4),
        title="ban hành Kế hoạch hoạt động của Ủy ban Quốc gia về chuyển đổi số năm 2023",
    )
    assert again == QD_17_UBQGCDS
    assert hash(again) == hash(QD_17_UBQGCDS)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        again.number = "18"  # type: ignore[misc]


@pytest.mark.parametrize("field", ["kind", "number", "issuer"])
def test_blank_required_text_is_refused(field: str) -> None:
    values: dict[str, Any] = {"kind": "Quyết định", "number": "1", "issuer": "X", field: "  "}
    with pytest.raises(PlanError, match=field) as info:
        Citation(**values)
    assert info.value.path == f"$.{field}"


def test_blank_optional_text_is_refused() -> None:
    with pytest.raises(PlanError) as info:
        Citation("Quyết định", "1", "X", article="")
    assert info.value.path == "$.article"


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("2023-01-01", r"got the text '2023-01-01'; write datetime.date\(2023, 1, 1\)"),
        ("07/9/2023", r"got the text '07/9/2023'; write datetime.date\(2024, 1, 1\) for 1 January 2024"),
        (datetime.datetime(2023, 9, 7, 14, 0), r"got the datetime 2023-09-07 14:00:00; pass its .date\(\)"),
    ],
)
def test_a_citation_date_is_a_date(date: object, message: str) -> None:
    # Regression: a text date was accepted and str(citation) then raised AttributeError.
    with pytest.raises(PlanError, match="date must be a datetime.date, " + message) as info:
        Citation("Quyết định", "1/QĐ-UBND", "UBND tỉnh", date)  # type: ignore[arg-type]
    assert info.value.path == "$.date"
    with pytest.raises(PlanError, match=r"date must be a datetime\.date"):
        attrs.evolve(QD_17_UBQGCDS, date="2023-04-04")  # type: ignore[arg-type]
    assert str(Citation("Quyết định", "1/QĐ-UBND", "UBND tỉnh")) == "Quyết định số 1/QĐ-UBND của UBND tỉnh"
