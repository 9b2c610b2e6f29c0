"""The example scripts run from a fresh install and produce what a provincial office needs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parents[1] / "examples"
DATA = str(EXAMPLES / "observations-2024.csv")


def run(name: str, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(EXAMPLES / name), *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        cwd=EXAMPLES.parent,
    )


def script(name: str, *argv: str) -> str:
    done = run(name, *argv)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize(
    ("name", "argv", "message"),
    [
        ("league_tables.py", ("--data", "missing.csv"), "league_tables.py: error: 1 problem in missing.csv"),
        ("league_tables.py", ("--period", "20x"), "league_tables.py: error: '20x' is not a period"),
        (
            "meeting_report.py",
            ("--data", DATA, "--period", "2023"),
            "no observation inside 2023; they cover 2024-01 to 2024-03",
        ),
        ("district_communes.py", ("Nowhere",), "district_communes.py: error: no unit matches 'Nowhere'"),
        ("district_communes.py", ("An Bình",), "error: 'An Bình' is ambiguous: Phường An Bình"),
        # A commune named as the district ranked itself against itself.
        (
            "district_communes.py",
            ("Phường Chánh Mỹ",),
            "Phường Chánh Mỹ is a commune with no commune under it",
        ),
    ],
)
def test_scripts_say_what_is_wrong_in_a_line_or_two(name: str, argv: tuple[str, ...], message: str) -> None:
    # An analyst's typo: a message and exit 2, not a traceback or a table of units without data.
    done = run(name, *argv)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_league_tables_of_agencies_districts_and_communes() -> None:
    out = script("league_tables.py")
    assert "## Sở, ban, ngành (18)" in out
    assert "## UBND cấp huyện (9)" in out
    assert "## UBND cấp xã (91)" in out
    assert "| 1      | UBND Thành phố Dĩ An" in out


def test_one_districts_communes() -> None:
    out = script("district_communes.py", "Bàu Bàng")
    assert out.startswith("# UBND Huyện Bàu Bàng: 7 xã, phường, thị trấn")
    assert "## Chưa đạt chỉ tiêu" in out


def test_meeting_report_with_counts(tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    script("meeting_report.py", "--data", DATA, "--out", str(path))
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Báo cáo kết quả thực hiện Kế hoạch 4623/KH-UBND — kỳ 2024-01..2024-03")
    assert "## Chỉ tiêu toàn tỉnh (Phụ lục I)" in text
    assert "đề nghị khen thưởng" in text


def test_chart_script(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    script("chart.py", "--out", str(tmp_path))
    assert (tmp_path / "communes-online-dossier-rate.svg").read_text(encoding="utf-8").startswith("<?xml")
    assert (tmp_path / "communes-scores.svg").exists()


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("district_communes.py", "district         its name or id (default: Thủ Dầu Một)"),
        ("chart.py", "the folder to write the charts in"),
        ("meeting_report.py", "each district as a whole"),  # the description was cut at its first line
    ],
)
def test_help_describes_each_script_and_its_arguments(name: str, shown: str) -> None:
    assert " ".join(shown.split()) in " ".join(script(name, "--help").split())


TWO_TIERS = """id,name,level,parent
48,Thành phố Đà Nẵng,province,
so-tttt,Sở Thông tin và Truyền thông,department,48
20194,Phường Hải Châu,commune,48
20197,Phường Thanh Khê,commune,48
"""
TWO_TIER_DATA = (
    (
        "unit,period,received_online,received_direct,received_postal,resolved_early,resolved_on_time,"
        "resolved_late,payments_total,payments_online\n"
    )
    + """so-tttt,2025-07,90,10,0,50,40,10,20,10
20194,2025-07,80,20,0,60,30,10,50,20
20197,2025-07,30,70,0,20,20,60,40,4
"""
)


def test_another_provinces_files_without_districts(tmp_path: Path) -> None:
    # The scripts read only Bình Dương's dataset, three tiers: another province could not run them.
    hierarchy, data = tmp_path / "units.csv", tmp_path / "data.csv"
    hierarchy.write_text(TWO_TIERS, encoding="utf-8")
    data.write_text(TWO_TIER_DATA, encoding="utf-8")
    own = ("--hierarchy", str(hierarchy), "--levels", "province,department,commune", "--data", str(data))
    tables = script("league_tables.py", *own)
    assert [line for line in tables.splitlines() if line.startswith("## ")] == [
        "## Sở, ban, ngành (1)",
        "## UBND cấp xã (2)",
    ]
    # Thanh Khê by hand: 30 % of 50 %, 10 % of 30 %, 40 % of 55 % (on time), a third each.
    assert "| 2      | Phường Thanh Khê | 55,35  | Hoàn thành nhiệm vụ" in tables
    report = script("meeting_report.py", *own)
    assert "huyện" not in report  # no districts section
    assert "- **UBND cấp xã** — đề nghị khen thưởng: Phường Hải Châu; nhắc nhở: (không có)" in report
    done = run("league_tables.py", "--hierarchy", str(hierarchy), "--levels", "province,department,commune")
    assert done.returncode == 2
    assert "--hierarchy needs --data" in done.stderr
