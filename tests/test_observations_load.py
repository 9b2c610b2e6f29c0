"""Loading observations: good files give exact counts, every bad file gets located, actionable problems."""

from __future__ import annotations

import json
import unicodedata
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dvctt_rules import DataError, Problem, UnknownNameError
from dvctt_rules.hierarchy import Hierarchy, read_hierarchy_csv
from dvctt_rules.observations import (
    DEFAULT_CATALOG,
    LoadReport,
    Measure,
    Observation,
    Observations,
    PartOf,
    Period,
    load_observations,
    observations_from_records,
)
from dvctt_rules.testing import TRICKY_HIERARCHY as TRICKY

ROOT = Path(__file__).parents[1]
BINH_DUONG = read_hierarchy_csv(ROOT / "dvctt_rules" / "datasets" / "binh-duong-2023" / "units.csv")
EXAMPLE = ROOT / "examples" / "observations-2024.csv"
Q1 = Period.parse("2024-Q1")


def load(text: str | bytes, name: str = "data.csv", hierarchy: Hierarchy = BINH_DUONG) -> Observations:
    data = text.encode() if isinstance(text, str) else text
    return load_observations(data, hierarchy, name=name)


def problems(text: str | bytes, name: str = "data.csv", hierarchy: Hierarchy = BINH_DUONG) -> list[Problem]:
    with pytest.raises(DataError) as info:
        load(text, name, hierarchy)
    found = list(info.value.problems)
    assert found, "a DataError lists its problems"
    for problem in found:
        assert problem.source is not None
        assert problem.source.startswith(name)
        assert problem.hint, f"every problem says what to do: {problem}"
    return found


def only(text: str | bytes, name: str = "data.csv") -> Problem:
    (problem,) = problems(text, name)
    return problem


# -- the example and good files -------------------------------------------------------------------


def test_example_file_loads_with_exact_counts() -> None:
    obs = load_observations(EXAMPLE, BINH_DUONG)
    assert obs.report == LoadReport(
        source=str(EXAMPLE),
        rows_read=12,
        rows_used=12,
        units_without_data=tuple(u.id for u in BINH_DUONG if u.id not in obs.units()),
        columns=(*DEFAULT_CATALOG.counts(), "online_dossier_rate", "online_payment_rate"),
    )
    assert len(obs.units_without_data()) == len(BINH_DUONG) - 5
    assert obs.units() == ("so-cong-thuong", "so-ngoai-vu", "25774", "25759", "724")
    chanh_my = obs.totals("25774", Q1)
    assert chanh_my.counts["received_online"] == 412 + 298 + 455
    assert chanh_my.counts["payments_online"] == 31 + 25 + 40
    assert chanh_my.counts["services_online"] == 99  # a stock: the latest month
    assert chanh_my.counts["services_online_with_dossiers"] is None  # distinct services: not additive
    dinh_hoa = obs.totals("25759", Q1)  # written "Phường Định Hoà", old tone-mark placement
    assert dinh_hoa.counts["received_online"] == 626
    assert dinh_hoa.counts["received_postal"] is None  # "-" in January
    assert obs.totals("724", Q1).counts["received_online"] is None  # March not reported
    assert obs.totals("724", Period.parse("2024-02")).counts["received_online"] == 2480
    ngoai_vu = obs.totals("so-ngoai-vu", Q1)
    assert ngoai_vu.rates["online_dossier_rate"] == Fraction(994, 1000)
    assert not ngoai_vu.has_counts
    assert obs.get("25774", Period.parse("2024-02")).note == "Tháng có Tết Nguyên đán"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("written", "unit_id"),
    [
        ("Phường Định Hoà", "25759"),
        ("phuong chanh my", "25774"),
        ("SỞ CÔNG THƯƠNG", "so-cong-thuong"),
        ("UBND Thành phố Dĩ An", "724"),
        ("Chánh Mỹ", "25774"),
        ("25774", "25774"),
        ('"Sở Văn hóa, Thể thao và Du lịch"', "so-van-hoa-the-thao-va-du-lich"),
    ],
)
def test_units_by_id_or_name(written: str, unit_id: str) -> None:
    obs = load(f"unit,period,received_online\n{written},2024-01,5\n")
    assert obs.units() == (unit_id,)


def test_cells_as_people_write_them() -> None:
    text = (
        "\ufeffunit,period,received_online,received_direct,online_dossier_rate,online_payment_rate,note\n"
        '25774,2024-03, 1200 ,-,"99,4",99.5 %, đủ số liệu \n'
        "\n"
        "25759,2024-Q1,0,,-,0,\n"
    )
    obs = load(text)
    first = obs.get("25774", Period.parse("2024-03"))
    assert first == Observation(
        "25774",
        Period.parse("2024-03"),
        counts={"received_online": 1200},
        rates={"online_dossier_rate": Fraction(497, 500), "online_payment_rate": Fraction(199, 200)},
        note="đủ số liệu",
    )
    assert obs.totals("25759").counts == {"received_online": 0}
    assert obs.totals("25759").rates == {"online_payment_rate": 0}
    assert obs.report is not None
    assert obs.report.rows_read == 2
    # Eighteen digits are a count, however many zeros lead them.
    padded = load("unit,period,received_online\n25774,2024-03,0000000000999999999999999999\n")
    assert padded.totals("25774").counts == {"received_online": 10**18 - 1}


# -- CSV problems -------------------------------------------------------------------------------

H = "unit,period,received_online,received_direct,payments_total,payments_online,online_dossier_rate\n"


@pytest.mark.parametrize(
    ("row", "column", "value", "expected"),
    [
        ("Phường Chánh Mĩ,2024-01,1,,,,", "unit", "Phường Chánh Mĩ", "did you mean 'Phường Chánh Mỹ'"),
        ("An Bình,2024-01,1,,,,", "unit", "An Bình", "Phường An Bình (Thành phố Dĩ An) (id 25960)"),
        (",2024-01,1,,,,", "unit", None, "the unit is blank"),
        ("25774,03/2024,1,,,,", "period", "03/2024", "write it as 2024-03"),
        ("25774,,1,,,,", "period", None, "the period is blank"),
        ("25774,2024-01,12a,,,,", "received_online", "12a", "not a number"),
        ("25774,2024-01,-5,,,,", "received_online", "-5", "cannot be negative"),
        ("25774,2024-01,1.5,,,,", "received_online", "1.5", "a whole number"),
        ("25774,2024-01,1.200,,,,", "received_online", "1.200", "ambiguous"),
        ('25774,2024-01,"1,200",,,,', "received_online", "1,200", "digits only (1200)"),
        ("25774,2024-01,1 200,,,,", "received_online", "1 200", "ambiguous"),
        ("25774,2024-01,+5,,,,", "received_online", "+5", "digits only"),
        (
            "25774,2024-01,1000000000000000000,,,,",
            "received_online",
            "1000000000000000000",
            "implausibly large",
        ),
        ("25774,2024-01,,,,,101", "online_dossier_rate", "101", "from 0 to 100"),
        ("25774,2024-01,,,,,-1", "online_dossier_rate", "-1", "from 0 to 100"),
        ("25774,2024-01,,,,,cao", "online_dossier_rate", "cao", "not a percentage"),
        (
            "25774,2024-01,,,30,40,",
            "payments_online",
            "40",
            "payments_online (40) is larger than payments_total (30)",
        ),
    ],
)
def test_one_bad_cell(row: str, column: str, value: str | None, expected: str) -> None:
    problem = only(H + row + "\n")
    assert (problem.source, problem.line, problem.column, problem.value) == ("data.csv", 2, column, value)
    assert expected in str(problem)


def test_part_of_a_sum() -> None:
    text = (
        "unit,period,results_synced,resolved_early,resolved_on_time,resolved_late\n25774,2024-01,12,5,6,0\n"
    )
    problem = only(text)
    assert problem.column == "results_synced"
    whole = "resolved_early + resolved_on_time + resolved_late (5 + 6 + 0 = 11)"
    expected = f"results_synced (12) is larger than {whole}"
    assert expected in problem.message
    unknown_part = load(text.replace(",0\n", ",-\n"))  # a part of the whole is unknown: nothing to check
    assert unknown_part.totals("25774").counts["results_synced"] == 12


def test_unknown_and_missing_columns() -> None:
    found = problems("unit,received_onlne,payment_online\n25774,1,2\n")
    by_text = {str(p) for p in found}
    assert (
        "data.csv, line 1, column 'received_onlne': unknown column; did you mean 'received_online'?"
        in by_text
    )
    assert any("did you mean 'payments_online'" in t for t in by_text)
    assert any("the column 'period' is missing" in t and "line 1" in t for t in by_text)
    assert any(
        "the column 'unit' is missing" in p.message for p in problems("period,received_online\n2024,1\n")
    )


def test_semicolon_separated_file() -> None:
    found = problems("unit;period;received_online\n25774;2024-01;1\n")
    assert "';' or tabs" in str(found[0])


def test_duplicate_rows_name_both_lines() -> None:
    text = H + "25774,2024-01,1,,,,\nPhường Chánh Mỹ,2024-01,2,,,,\n"
    problem = only(text)
    assert (problem.line, problem.column) == (3, "period")
    assert "Phường Chánh Mỹ (Thành phố Thủ Dầu Một) already has a row for 2024-01 (line 2)" in problem.message


def test_overlapping_periods_name_both_lines_and_periods() -> None:
    text = H + "25774,2024-Q1,1,,,,\n25759,2024-03,1,,,,\n25774,2024-03,2,,,,\n"
    problem = only(text)
    assert problem.line == 4
    assert (
        "the period 2024-03 of Phường Chánh Mỹ (Thành phố Thủ Dầu Một) overlaps 2024-Q1 (line 2)"
        in problem.message
    )


def test_every_problem_is_collected() -> None:
    text = (
        "unit,period,received_onlne,received_online,payments_total,payments_online\n"
        "Phường Chánh Mĩ,2024-01,1,1.200,30,40\n"
        "An Bình,03/2024,1,12,,\n"
        "Sở Công Thương,2024-Q1,1,-5,,\n"
        "Sở Công Thương,2024-02,1,1.5,,\n"
    )
    found = problems(text)
    assert [(p.line, p.column) for p in found] == [
        (1, "received_onlne"),
        (2, "unit"),
        (2, "received_online"),
        (2, "payments_online"),
        (3, "unit"),
        (3, "period"),
        (4, "received_online"),
        (5, "received_online"),
        (5, "period"),
    ]


def test_every_cell_is_read_for_itself() -> None:
    # The reader remembers the value of each cell text it has read; a bad text is reported on every
    # row, and a value that is not text (True after 1: equal keys, not the same count) is read anew.
    text = H + "25774,2024-01,abc,3,,,\n25774,2024-02,abc,3,,,\n25774,2024-01,4,3,,,\n"
    assert [(p.line, p.column, p.value) for p in problems(text)] == [
        (2, "received_online", "abc"),
        (3, "received_online", "abc"),
        (4, "period", "2024-01"),  # rows after a problem are still checked against each other
    ]
    records = [
        {"unit": "25774", "period": "2024-01", "received_online": 1},
        {"unit": "25774", "period": "2024-02", "received_online": True},
    ]
    with pytest.raises(DataError) as info:
        observations_from_records(records, BINH_DUONG)
    assert [(p.source, p.column) for p in info.value.problems] == [("records[1]", "received_online")]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "the file is empty"),
        (b"\n \n", "the file is empty"),
        (b"unit,period,received_online\n", "there are no data rows"),
        (b"unit,period\n\n\n", "there are no data rows"),
        (
            unicodedata.normalize("NFD", "unit,period\nChánh Mỹ,2024\n").encode("cp1258"),
            "the file is not UTF-8",
        ),
        (b"unit,period\n25774,2024,1,2\n", "the row has 4 cells but the header has 2"),
        (b'unit,period\n"25774,2024\n', "line 2, column 'unit': a quote opened in this row is never closed"),
    ],
)
def test_file_level_problems(data: bytes, expected: str) -> None:
    found = problems(data)
    assert any(expected in str(p) for p in found), found


def test_a_row_too_long_is_reported_before_the_cells_are_read() -> None:
    # The shape of the file comes first: with a row of too many cells, the bad count two lines
    # above is not reported yet (the file is read again once its shape is mended).
    problem = only(b"unit,period,received_online\n25774,2024-01,abc\n25774,2024-02,1,2\n")
    assert (problem.line, problem.message) == (3, "the row has 4 cells but the header has 3")


def test_not_utf8_says_which_encoding_it_seems_to_be() -> None:
    problem = only(unicodedata.normalize("NFD", "unit,period\nChánh Mỹ,2024-01\n").encode("cp1258"))
    assert problem.line == 2
    assert "Windows-1258" in problem.message


# -- JSON and records ---------------------------------------------------------------------------


def test_json_loads_like_csv() -> None:
    records = [
        {"unit": "Phường Chánh Mỹ", "period": "2024-01", "received_online": 412, "online_dossier_rate": 99.4},
        {
            "unit": 25759,
            "period": 2024,
            "received_online": "356",
            "online_dossier_rate": "99,4",
            "note": None,
        },
        {
            "unit": "so-cong-thuong",
            "period": "2024-Q1",
            "received_online": 1.2e3,
            "online_dossier_rate": None,
        },
    ]
    obs = load(json.dumps(records, ensure_ascii=False), "data.json")
    assert obs.totals("25774").counts == {"received_online": 412}
    assert obs.totals("25774").rates == {"online_dossier_rate": Fraction(994, 1000)}
    assert obs.totals("25759", Period(2024)).rates == {"online_dossier_rate": Fraction(994, 1000)}
    assert obs.totals("so-cong-thuong").counts == {"received_online": 1200}
    assert obs.totals("so-cong-thuong").rates == {}


@pytest.mark.parametrize(
    ("text", "line", "column", "expected"),
    [
        ('{"unit": "25774"}', 1, None, "expected a list of objects, got an object"),
        ("\n\n3", 3, None, "got a number"),
        ('[{"unit": "25774", "period": "2024-01"},\n 3]', 2, None, "expected an object, got a number"),
        ('[{"unit": "25774",\n "period": "2024-01"', 2, None, "malformed JSON"),
        ('[{"unit": "25774", "period": "2024"}] x', 1, None, "Extra data"),
        ("[]", None, None, "there are no data rows"),
        ('[\n{"unit": "25774", "period": "2024", "received_onlne": 1}]', 2, "received_onlne", "unknown key"),
        ('[{"unit": "25774", "period": "2024", "received_online": true}]', 1, "received_online", "got true"),
        ('[{"unit": "25774", "period": "2024", "received_online": [1]}]', 1, "received_online", "got a list"),
        (
            '[{"unit": "25774", "period": "2024", "received_online": NaN}]',
            1,
            "received_online",
            "not a number",
        ),
        (
            '[{"unit": "25774", "period": "2024", "received_online": 12.5}]',
            1,
            "received_online",
            "whole number",
        ),
        (
            '[{"unit": "25774", "period": "2024", "received_online": 1e99999}]',
            1,
            "received_online",
            "too large",
        ),
        (  # as in CSV, where a count has at most 18 digits
            '[{"unit": "25774", "period": "2024", "received_online": 1e400}]',
            1,
            "received_online",
            "implausibly large for a count",
        ),
        (
            '[{"unit": "25774", "period": "2024", "received_online": 1000000000000000000}]',
            1,
            "received_online",
            "implausibly large for a count",
        ),
        ('[{"unit": "25774", "period": "2024", "unit": "25759"}]', 1, "unit", "appears twice"),
        ('[{"unit": true, "period": "2024"}]', 1, "unit", "must be text"),
        ('[{"unit": "25774", "period": "2024", "note": 5}]', 1, "note", "must be text"),
        ('[{"unit": "25774", "period": "2024"},\n {"period": "2025"}]', 2, None, "the key 'unit' is missing"),
        ('[{"period": "2024"}]', 1, None, "the key 'unit' is missing"),
        ("[" * 100_000, None, None, "nests too deeply"),
    ],
)
def test_json_problems(text: str, line: int | None, column: str | None, expected: str) -> None:
    found = problems(text, "data.json")
    match = [p for p in found if expected in str(p)]
    assert match, found
    assert (match[0].line, match[0].column) == (line, column)


def test_records() -> None:
    records = [
        {
            "unit": "SỞ CÔNG THƯƠNG",
            "period": "2024-03",
            "received_online": 1200,
            "online_dossier_rate": "99,4",
        },
        {"unit": "25774", "period": Period(2024, month=3), "received_online": 5},
    ]
    with pytest.raises(DataError) as info:
        observations_from_records(records, BINH_DUONG, name="api")
    (problem,) = info.value.problems
    assert (problem.source, problem.column) == ("api[1]", "period")
    obs = observations_from_records(records[:1], BINH_DUONG)
    assert obs.totals("so-cong-thuong").counts["received_online"] == 1200
    with pytest.raises(DataError, match=r"records\[0\]: expected a mapping, got list"):
        observations_from_records([["25774", "2024"]], BINH_DUONG)  # type: ignore[list-item]
    with pytest.raises(DataError, match="there are no data rows"):
        observations_from_records([], BINH_DUONG)


# -- formats and sources ------------------------------------------------------------------------


def test_format_from_extension_then_content(tmp_path: Path) -> None:
    records = [{"unit": "25774", "period": "2024-01", "received_online": 3}]
    (tmp_path / "data.json").write_text(json.dumps(records))
    (tmp_path / "data.txt").write_text(json.dumps(records))
    (tmp_path / "data.csv").write_text("unit,period,received_online\n25774,2024-01,3\n")
    expected = load_observations(tmp_path / "data.csv", BINH_DUONG)
    assert load_observations(tmp_path / "data.json", BINH_DUONG) == expected
    assert load_observations(tmp_path / "data.txt", BINH_DUONG) == expected
    assert load_observations(str(tmp_path / "data.json"), BINH_DUONG, format="json") == expected
    with (tmp_path / "data.json").open("rb") as stream:
        assert load_observations(stream, BINH_DUONG) == expected
    with pytest.raises(DataError, match="cannot read the file"):
        load_observations(tmp_path / "missing.csv", BINH_DUONG)
    with pytest.raises(UnknownNameError, match="did you mean 'json'"):
        load_observations(tmp_path / "data.json", BINH_DUONG, format="jsno")  # type: ignore[arg-type]


def test_a_plugin_catalog_adds_columns() -> None:
    catalog = DEFAULT_CATALOG.extend(
        [Measure("received_zalo", "Hồ sơ qua Zalo", "dossiers via Zalo")],
        [PartOf("received_zalo", "received_online")],
    )
    text = "unit,period,received_online,received_zalo\n25774,2024-01,10,4\n"
    obs = load_observations(text.encode(), BINH_DUONG, catalog=catalog)
    assert obs.totals("25774").counts["received_zalo"] == 4
    assert "unknown column" in str(only(text))
    with pytest.raises(DataError, match=r"received_zalo \(11\) is larger"):
        load_observations(text.replace(",4", ",11").encode(), BINH_DUONG, catalog=catalog)


@given(st.sampled_from(["Phường Tân Định", "phuong tan dinh", "Tân Định"]))
def test_ambiguous_names_in_the_tricky_hierarchy(name: str) -> None:
    found = problems(f"unit,period\n{name},2024\n", hierarchy=TRICKY)
    assert "id 25852" in found[0].message
    assert "id 25853" in found[0].message
