"""``dvctt-rules plan`` and ``dvctt-rules evaluate``: contracts of their JSON and CSV, tables, errors."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parents[1] / "examples"
OUTCOME_FIELDS = {
    "unit",
    "unit_name",
    "level",
    "indicator",
    "period",
    "numerator",
    "denominator",
    "value",
    "target",
    "status",
    "gap_count",
    "citation",
}


def test_plan_lists_every_rule_with_targets_and_citations(cli: Callable[..., tuple[int, str, str]]) -> None:
    code, out, _ = cli("plan", "--format", "json")
    assert code == 0
    rules = {r["rule"]: r for r in json.loads(out)}
    assert {"I.1", "II.1", "II.2", "II.3", "III.1", "III.2", "IV.1", "PL-II.1", "PL-II.2"} <= set(rules)
    assert rules["I.1"]["target"] == 40
    assert rules["I.1"]["citation"] == (
        "Quyết định số 17/QĐ-UBQGCĐS ngày 04/4/2023 của Ủy ban Quốc gia về Chuyển đổi số"
    )
    assert rules["IV.1"]["level_targets"] == {"department": 70, "district": 60, "commune": 55}
    assert rules["PL-II.1"]["unit_targets"] == 118
    # Phụ lục II's targets are for departments, districts and communes: none of them is judged by
    # the province-wide rule of the same indicator.
    assert rules["II.2"]["unit_targets"] is None
    _, table, _ = cli("plan")
    assert "Căn cứ" in table
    assert "Nghị quyết số 01/NQ-CP ngày 06/01/2023 của Chính phủ" in table
    # MT.5 (no late dossier) is a count: its target is shown whole, not as a percentage's "0,0".
    mt5 = next(line for line in table.splitlines() if line.startswith("MT.5"))
    assert " 0 " in mt5
    assert rules["MT.5"]["target"] == 0
    assert "0,0" not in mt5


def test_plan_counts_the_unit_targets_each_rule_judges(
    tmp_path: Path, cli: Callable[..., tuple[int, str, str]]
) -> None:
    """A target of the province itself is judged by the province-wide rule, not by Phụ lục II's rule
    for departments, districts and communes; a commune's target the other way round."""
    targets = tmp_path / "targets.csv"
    targets.write_text(
        "unit,indicator,target\n74,online_dossier_rate,60\n25774,online_dossier_rate,90\n",
        encoding="utf-8",
    )
    code, out, _ = cli("plan", "--targets", str(targets), "--format", "json")
    assert code == 0
    rules = {r["rule"]: r for r in json.loads(out)}
    assert (rules["II.2"]["unit_targets"], rules["PL-II.1"]["unit_targets"]) == (1, 1)
    assert rules["PL-II.2"]["unit_targets"] is None


def test_plan_dump_is_a_loadable_plan_file(tmp_path: Path, cli: Callable[..., tuple[int, str, str]]) -> None:
    _, out, _ = cli("plan", "--dump")
    path = tmp_path / "plan.json"
    path.write_text(out, encoding="utf-8")
    code, again, _ = cli("plan", "--plan", str(path), "--format", "json")
    assert code == 0
    _, original, _ = cli("plan", "--format", "json")
    assert json.loads(again) == json.loads(original)


def test_evaluate_baseline_json_contract(cli: Callable[..., tuple[int, str, str]]) -> None:
    code, out, _ = cli("evaluate", "--format", "json")
    assert code == 0
    outcomes = json.loads(out)
    assert all(set(o) >= OUTCOME_FIELDS for o in outcomes)
    chanh_my = next(o for o in outcomes if o["unit"] == "25774" and o["rule"] == "PL-II.1")
    assert chanh_my["value"] == 99.4
    assert chanh_my["value_exact"] == "497/500"
    assert chanh_my["target"] == 90
    assert chanh_my["status"] == "met"
    assert chanh_my["period"] == "2023"
    assert chanh_my["explanation"].startswith(
        "Phường Chánh Mỹ: tỷ lệ hồ sơ trực tuyến 99,4 % ≥ chỉ tiêu 90 %"
    )


def test_evaluate_counts_with_period_and_english(cli: Callable[..., tuple[int, str, str]]) -> None:
    data = str(EXAMPLES / "observations-2024.csv")
    code, out, _ = cli("evaluate", "--data", data, "--format", "json", "--lang", "en", "--level", "commune")
    assert code == 0
    outcomes = json.loads(out)
    assert {o["level"] for o in outcomes} == {"commune"}
    counted = [o for o in outcomes if o["numerator"] is not None and o["denominator"]]
    assert counted
    for o in counted:
        assert o["value_exact"] is not None
        num, den = (
            (int(x) for x in o["value_exact"].split("/"))
            if "/" in o["value_exact"]
            else (int(o["value_exact"]), 1)
        )
        assert num * o["denominator"] == o["numerator"] * den  # the exact value is numerator / denominator
    periods = {o["period"] for o in outcomes}
    assert len(periods) == 1
    code, out, _ = cli("evaluate", "--data", data, "--period", "2024-01", "--format", "json")
    assert {o["period"] for o in json.loads(out)} == {"2024-01"}


def test_evaluate_csv_is_machine_style_and_formula_safe(cli: Callable[..., tuple[int, str, str]]) -> None:
    code, out, _ = cli("evaluate", "--format", "csv", "--rule", "PL-II.1")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 118
    chanh_my = next(r for r in rows if r["unit"] == "25774")
    assert chanh_my["value"] == "99.4"
    assert chanh_my["target"] == "90"
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row.values())


def test_evaluate_table_is_vietnamese_by_default_and_strict_exit(
    cli: Callable[..., tuple[int, str, str]],
) -> None:
    code, out, _ = cli("evaluate", "--rule", "PL-II.1", "--level", "district", "--strict")
    assert code == 1  # some districts did not meet their target when the plan was written
    assert "Đơn vị" in out
    assert "73,8" in out  # Thủ Dầu Một's online-dossier rate, Vietnamese decimal comma
    code, out, _ = cli(
        "evaluate", "--rule", "PL-II.1", "--level", "district", "--format", "github", "--lang", "en"
    )
    assert code == 0
    assert out.startswith("| Unit")
    assert "73.8" in out


def test_other_provinces_bring_their_own_hierarchy_and_targets(
    tmp_path: Path, cli: Callable[..., tuple[int, str, str]]
) -> None:
    hierarchy = tmp_path / "h.csv"
    hierarchy.write_text(
        "id,name,level,parent\nP,Tỉnh Mới,province,\nA,Phường Một,commune,P\nB,Xã Hai,commune,P\n",
        encoding="utf-8",
    )
    targets = tmp_path / "t.csv"
    targets.write_text("unit,indicator,target\nPhường Một,online_dossier_rate,80\n", encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text(
        "unit,period,received_online,received_direct,received_postal\nA,2025-08,8,2,0\nB,2025-08,6,4,0\n",
        encoding="utf-8",
    )
    code, out, err = cli(
        "evaluate",
        "--hierarchy",
        str(hierarchy),
        "--levels",
        "province,commune",
        "--targets",
        str(targets),
        "--data",
        str(data),
        "--rule",
        "PL-II.1",
        "--format",
        "json",
    )
    assert code == 0, err
    got = {o["unit"]: (o["target"], o["status"]) for o in json.loads(out)}
    assert got == {"A": (80, "met"), "B": (50, "met")}  # B falls back to the plan default (50 %)


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (("evaluate", "--format", "jsn"), "unknown output format 'jsn'; did you mean 'json'"),
        (("evaluate", "--rule", "II.9"), "unknown rule 'II.9'"),
        (("evaluate", "--period", "2024-13"), "2024-13"),
        (("evaluate", "--as-of", "yesterday"), "ISO date"),
        (("evaluate", "--level", "comune"), "did you mean 'commune'"),
        (("evaluate", "--targets", "missing-targets.csv"), "missing-targets.csv: cannot read the file"),
        (("rank", "--level", "commune", "--targets", "missing.csv"), "missing.csv: cannot read the file"),
        (("evaluate", "--plan", "missing-plan.json"), "missing-plan.json: cannot read the file"),
        (("evaluate", "--period", "2099"), "the data have no observation in 2099 (they cover 2023)"),
        (
            (
                "rank",
                "--level",
                "commune",
                "--data",
                str(EXAMPLES / "observations-2024.csv"),
                "--period",
                "2023",
            ),
            "the data have no observation in 2023 (they cover 2024-01 to 2024-03)",
        ),
        (("rollup", "--level", "district", "--period", "2022-Q4"), "no observation in 2022-Q4"),
    ],
)
def test_user_errors_are_one_line_exit_2(
    cli: Callable[..., tuple[int, str, str]], argv: tuple[str, ...], fragment: str
) -> None:
    code, _, err = cli(*argv)
    assert code == 2
    assert fragment in err
    assert "Traceback" not in err
