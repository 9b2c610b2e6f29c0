"""Provenance of ``dvctt_rules/datasets/binh-duong-2023/units.csv``.

Every row is checked against the sources it was transcribed from: Phụ lục II of Kế hoạch 4623/KH-UBND
(re-parsed here from the text fixture, by a parser of its own) and the official GSO code list (as of 2025-03).
Only the ``csv`` module and ``dvctt_rules._text`` are used: the dataset's loading API is not involved.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from dvctt_rules._text import canonical, fold, parse_decimal

FIXTURES = Path(__file__).parent / "fixtures"
PLAN_TEXT = FIXTURES / "ke-hoach-4623-KH-UBND-2023.txt"
GSO_CODES = FIXTURES / "binh-duong-gso-codes-2025-03.csv"
UNITS_CSV = Path(__file__).parents[1] / "dvctt_rules" / "datasets" / "binh-duong-2023" / "units.csv"

HEADER = (
    "id,name,level,parent,code,appendix,stt,current_online_dossier_rate,current_online_payment_rate,"
    "data_note,target_online_dossier_rate,target_online_payment_rate"
)
# The five cells after Stt and Đơn vị, in the order the appendix prints them.
FIGURES = (
    "current_online_dossier_rate",
    "current_online_payment_rate",
    "target_online_dossier_rate",
    "target_online_payment_rate",
    "data_note",
)
PROVINCE = "74"


# --- an independent reader of Phụ lục II ----------------------------------------------------------


class PlanRow(NamedTuple):
    """One row of a Phụ lục II table: the Stt cell, the unit cell and the five following cells, as printed."""

    stt: str
    name: str
    cells: dict[str, str]  # keyed by FIGURES; "" for a blank cell


class CommuneGroup(NamedTuple):
    """A district heading of II.3 (I..IX) and the commune rows under it."""

    numeral: str
    district: str
    communes: tuple[PlanRow, ...]


class Appendix(NamedTuple):
    """Phụ lục II as printed: its title and its tables II.1 (agencies), II.2 (districts), II.3 (communes)."""

    title: str
    agencies: tuple[PlanRow, ...]
    districts: tuple[PlanRow, ...]
    groups: tuple[CommuneGroup, ...]


# A table cell is one line: "text |", or a lone "|" when blank.
# A row is the Stt cell, the Đơn vị cell and the five FIGURES cells.
_CELL = r"(?:([^|\n]+) )?\|\n"
_ROW = re.compile(r"([0-9]+|[IVX]+) \|\n([^|\n]+) \|\n" + _CELL * 5)
_TITLE = "GIAO CHỈ TIÊU TỶ LỆ HỒ SƠ TRỰC TUYẾN"
_PART_2 = "\n2. UBND các huyện, thị xã, thành phố:\n"
_PART_3 = "\n3. UBND các xã, phường, thị trấn"
_FOOTER = "\nKế hoạch 4623/KH-UBND năm 2023 hành động"
_HEADER_END = "\n|||||\n"


def _rows(section: str) -> Iterator[PlanRow]:
    """The rows of one table: everything after its header must be consumed by whole rows, without gaps."""
    pos = section.index(_HEADER_END) + len(_HEADER_END)
    while pos < len(section):
        match = _ROW.match(section, pos)
        assert match is not None, f"unparsed table text: {section[pos : pos + 80]!r}"
        stt, name, *cells = match.groups()
        yield PlanRow(stt, name, {key: cell or "" for key, cell in zip(FIGURES, cells, strict=True)})
        pos = match.end()


def _read_appendix(text: str) -> Appendix:
    start = text.index(_TITLE)
    part_2 = text.index(_PART_2, start)
    part_3 = text.index(_PART_3, part_2)
    footer = text.index(_FOOTER, part_3)
    title = text[start : text.index("\n(Ban hành kèm theo", start)]

    groups: list[CommuneGroup] = []
    for row in _rows(text[part_3 + 1 : footer + 1]):
        if re.fullmatch(r"[IVX]+", row.stt):
            assert set(row.cells.values()) == {""}, f"district heading with figures: {row}"
            groups.append(CommuneGroup(row.stt, row.name, ()))
        else:
            last = groups[-1]
            groups[-1] = last._replace(communes=(*last.communes, row))
    return Appendix(
        title=title,
        agencies=tuple(_rows(text[start : part_2 + 1])),
        districts=tuple(_rows(text[part_2 + 1 : part_3 + 1])),
        groups=tuple(groups),
    )


@pytest.fixture(scope="module")
def appendix() -> Appendix:
    return _read_appendix(PLAN_TEXT.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def units() -> list[dict[str, str]]:
    with UNITS_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def gso() -> dict[str, dict[str, str]]:
    with GSO_CODES.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row for row in csv.DictReader(handle)}


def _level(units: list[dict[str, str]], level: str) -> list[dict[str, str]]:
    return [row for row in units if row["level"] == level]


def _base_name(name: str) -> str:
    """The name without its type prefix, as the GSO list writes names."""
    match = re.fullmatch(r"(?:UBND (?:Thành phố|Thị xã|Huyện)|Thị trấn|Phường|Xã) (.+)", name)
    assert match is not None, f"no type prefix: {name!r}"
    return match.group(1)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")


# --- the parser itself ----------------------------------------------------------------------------


def test_appendix_parses_to_the_expected_shape(appendix: Appendix) -> None:
    assert appendix.title.endswith("DÂN CẤP XÃ[1]")  # the footnote marker, whose text the source lacks
    assert [row.stt for row in appendix.agencies] == [str(n) for n in range(1, 19)]
    assert [row.stt for row in appendix.districts] == [str(n) for n in range(1, 10)]
    assert [group.numeral for group in appendix.groups] == [
        "I",
        "II",
        "III",
        "IV",
        "V",
        "VI",
        "VII",
        "VIII",
        "IX",
    ]
    assert [len(group.communes) for group in appendix.groups] == [14, 10, 7, 12, 8, 11, 12, 10, 7]
    for group in appendix.groups:
        assert [row.stt for row in group.communes] == [str(n) for n in range(1, len(group.communes) + 1)]
    # II.3 lists the districts under the same names and in the same order as II.2
    assert [group.district for group in appendix.groups] == [row.name for row in appendix.districts]


# --- the file as a file ---------------------------------------------------------------------------


def test_units_csv_encoding_and_header() -> None:
    raw = UNITS_CSV.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in raw
    assert raw.endswith(b"\n")
    text = raw.decode("utf-8")
    assert unicodedata.is_normalized("NFC", text)
    assert text.split("\n", 1)[0] == HEADER
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert {len(row) for row in rows} == {12}


def test_counts_order_and_ids(units: list[dict[str, str]]) -> None:
    assert len(units) == 119
    assert Counter(row["level"] for row in units) == {
        "province": 1,
        "department": 18,
        "district": 9,
        "commune": 91,
    }
    levels = [row["level"] for row in units]
    assert levels == ["province"] + ["department"] * 18 + ["district"] * 9 + ["commune"] * 91
    ids = [row["id"] for row in units]
    assert len(set(ids)) == len(ids)
    codes = [row["code"] for row in units if row["code"]]
    assert len(codes) == 1 + 9 + 91
    assert len(set(codes)) == len(codes)
    for row in units:
        assert all(unicodedata.is_normalized("NFC", value) for value in row.values())
        assert row["name"] == row["name"].strip()
        assert " ".join(row["name"].split()) == row["name"]


def test_province_row(units: list[dict[str, str]]) -> None:
    assert units[0] == {
        "id": PROVINCE,
        "name": "Tỉnh Bình Dương",
        "level": "province",
        "parent": "",
        "code": PROVINCE,
        "appendix": "",
        "stt": "",
        **dict.fromkeys(FIGURES, ""),
    }


# --- every row against the plan -------------------------------------------------------------------


def test_agencies_match_appendix_ii_1(units: list[dict[str, str]], appendix: Appendix) -> None:
    agencies = _level(units, "department")
    assert len(agencies) == len(appendix.agencies)
    for row, printed in zip(agencies, appendix.agencies, strict=True):
        assert row["name"] == printed.name
        assert row["stt"] == printed.stt
        assert {key: row[key] for key in FIGURES} == printed.cells, printed.name
        assert (row["parent"], row["code"], row["appendix"]) == (PROVINCE, "", "II.1")
        assert row["id"] == _slug(printed.name)
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", row["id"])
    ids = {row["name"]: row["id"] for row in agencies}
    assert ids["Ban Quản lý các KCN Bình Dương"] == "ban-quan-ly-cac-kcn-binh-duong"
    assert ids["Sở Lao động - Thương binh và Xã hội"] == "so-lao-dong-thuong-binh-va-xa-hoi"
    assert ids["Thanh tra tỉnh"] == "thanh-tra-tinh"


def test_districts_match_appendix_ii_2(units: list[dict[str, str]], appendix: Appendix) -> None:
    districts = _level(units, "district")
    assert len(districts) == len(appendix.districts)
    for row, printed in zip(districts, appendix.districts, strict=True):
        assert row["name"] == printed.name
        assert row["stt"] == printed.stt
        assert {key: row[key] for key in FIGURES} == printed.cells, printed.name
        assert (row["parent"], row["appendix"]) == (PROVINCE, "II.2")
        assert row["id"] == row["code"]


def test_communes_match_appendix_ii_3(units: list[dict[str, str]], appendix: Appendix) -> None:
    district_id = {row["name"]: row["id"] for row in _level(units, "district")}
    communes = _level(units, "commune")
    printed_communes = [(group.district, row) for group in appendix.groups for row in group.communes]
    assert len(communes) == len(printed_communes) == 91
    for row, (district, printed) in zip(communes, printed_communes, strict=True):
        assert row["name"] == printed.name
        assert row["stt"] == printed.stt
        assert row["parent"] == district_id[district], f"{printed.name} is listed under {district}"
        assert {key: row[key] for key in FIGURES} == printed.cells, printed.name
        assert row["data_note"] == ""
        assert row["appendix"] == "II.3"
        assert row["id"] == row["code"]


def test_figure_cells_are_numbers_dash_or_blank(units: list[dict[str, str]]) -> None:
    for row in units:
        for key in FIGURES[:4]:
            cell = row[key]
            assert cell in ("", "-") or re.fullmatch(r"[0-9]+(?:,[0-9]+)?", cell), (row["name"], key, cell)
            value = parse_decimal(cell)
            assert (value is None) == (cell in ("", "-"))
            assert value is None or 0 <= value <= 100
        assert row["data_note"] == "" or re.fullmatch(r"Số liệu từ \d\d/\d\d/\d{4}", row["data_note"])


def test_source_oddities_are_kept_as_printed(units: list[dict[str, str]]) -> None:
    by_name = {row["name"]: row for row in units}
    assert by_name["UBND Huyện Dầu Tiếng"]["data_note"] == "Số liệu từ 20/03/2022"
    assert by_name["UBND Thị xã Bến Cát"]["code"] == "721"
    for agency in ("Sở Kế hoạch và Đầu tư", "Thanh tra tỉnh"):
        row = by_name[agency]
        assert (row["current_online_dossier_rate"], row["current_online_payment_rate"], row["data_note"]) == (
            "",
            "",
            "",
        )
        assert (row["target_online_dossier_rate"], row["target_online_payment_rate"]) == ("50", "80")
    ngoai_vu = by_name["Sở Ngoại vụ"]
    assert (ngoai_vu["current_online_dossier_rate"], ngoai_vu["current_online_payment_rate"]) == ("-", "-")
    assert by_name["Phường Định Hòa"]["code"] == "25759"  # GSO writes "Định Hoà"


# --- every coded row against the GSO list ---------------------------------------------------------


def test_districts_and_communes_match_gso_codes(
    units: list[dict[str, str]], gso: dict[str, dict[str, str]]
) -> None:
    assert gso[PROVINCE]["type"] == "Tỉnh"
    district_codes = {row["id"] for row in _level(units, "district")}
    for row in _level(units, "district") + _level(units, "commune"):
        official = gso.get(row["code"])
        assert official is not None, f"{row['name']}: code {row['code']!r} not in the GSO list"
        expected_parent = PROVINCE if row["level"] == "district" else row["parent"]
        assert official["parent_code"] == expected_parent, row["name"]
        base, official_base = _base_name(row["name"]), official["name"]
        assert canonical(base) == canonical(official_base), (row["name"], official_base)
        if row["level"] == "commune":
            assert row["parent"] in district_codes
    # together they are exactly the GSO list's districts and communes
    coded = {row["code"] for row in units if row["code"]}
    assert coded == set(gso)


def test_only_the_known_type_prefixes_disagree_with_gso(
    units: list[dict[str, str]], gso: dict[str, dict[str, str]]
) -> None:
    disagreeing = {
        row["name"]: gso[row["code"]]["type"]
        for row in _level(units, "commune")
        if not row["name"].startswith(gso[row["code"]]["type"] + " ")
    }
    assert disagreeing == {
        "Xã Hội Nghĩa": "Phường",  # the plan's prefix; GSO: Phường Hội Nghĩa
        "Phường Thạnh Hội": "Xã",  # the plan's prefix; GSO: Xã Thạnh Hội
        "Xã An Điền": "Phường",  # Bến Cát became a city in 2024
        "Xã An Tây": "Phường",
    }


def test_repeated_base_names_are_told_apart_by_district(
    units: list[dict[str, str]], gso: dict[str, dict[str, str]]
) -> None:
    district_name = {row["id"]: row["name"] for row in _level(units, "district")}
    placed = {
        (district_name[row["parent"]], _base_name(row["name"])): row["code"]
        for row in _level(units, "commune")
    }
    for base in ("An Bình", "Tân Hiệp", "Tân Định", "Tân Bình"):
        matches = {key: code for key, code in placed.items() if key[1] == base}
        assert len(matches) == 2, base
        assert len(set(matches.values())) == 2, base
        for (district, _), code in matches.items():
            assert district_name[gso[code]["parent_code"]] == district
