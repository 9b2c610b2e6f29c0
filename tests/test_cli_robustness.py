"""The command line refuses what would show nothing, or something silently wrong: regressions from a
sweep of the commands (each test names what used to happen)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from dvctt_rules.hierarchy import read_hierarchy_csv

Cli = Callable[..., tuple[int, str, str]]
EXAMPLES = Path(__file__).parents[1] / "examples"
DATA = str(EXAMPLES / "observations-2024.csv")

# A two-tier province (no districts): an agency and two communes directly under the province.
TWO_TIER = (
    "id,name,level,parent\nP,Tỉnh X,province,\nS,Sở Tư pháp,department,P\nA,Xã A,commune,P\n"
    "B,Xã B,commune,P\n"
)
TWO_TIER_DATA = (
    "unit,period,received_online,received_direct,received_postal,payments_total,payments_online,"
    "resolved_early,resolved_on_time,resolved_late\n"
    "A,2025-08,8,2,0,10,5,5,4,1\nB,2025-08,6,4,0,10,1,9,0,1\nS,2025-08,9,1,0,10,9,9,1,0\n"
)


def refused(result: tuple[int, str, str], *fragments: str) -> None:
    """Exit 2, nothing on standard output, one line of error naming every fragment."""
    code, out, err = result
    assert code == 2, (out, err)
    assert out == ""
    assert "Traceback" not in err
    message = err.strip().splitlines()[-1]
    assert message.startswith("dvctt-rules: error: ")
    for fragment in fragments:
        assert fragment in message


@pytest.fixture
def two_tier(tmp_path: Path) -> tuple[str, str]:
    hierarchy, data = tmp_path / "h.csv", tmp_path / "d.csv"
    hierarchy.write_text(TWO_TIER, encoding="utf-8")
    data.write_text(TWO_TIER_DATA, encoding="utf-8")
    return str(hierarchy), str(data)


# -- 1. units: CSV filtered as records, formula-safe, extra columns everywhere ------------------


def test_units_csv_of_a_level_with_line_breaks_in_cells(tmp_path: Path, cli: Cli) -> None:
    # Used to pair the CSV text's lines with the units: a quoted multi-line cell or a U+0085 inside
    # a cell (a line break to str.splitlines) crashed with "zip() argument 2 is shorter".
    path = tmp_path / "h.csv"
    path.write_text(
        'id,name,level,parent,note\nP,Tỉnh X,province,,"dòng một\ndòng hai"\n'
        "D,Sở Y,department,P,a\x85b\nC1,Phường A,commune,P,ghi chú\nC2,=Xã B,commune,P,@x\n",
        encoding="utf-8",
    )
    args = ("units", "--hierarchy", str(path), "--levels", "province,department,commune")
    code, out, err = cli(*args, "--level", "commune", "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["id"], r["name"], r["note"]) for r in rows] == [
        ("C1", "Phường A", "ghi chú"),
        ("C2", "'=Xã B", "'@x"),  # formula cells neutralised, as rank, evaluate and rollup do
    ]
    code, out, err = cli(*args, "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["note"] for r in rows] == ["dòng một\ndòng hai", "a\x85b", "ghi chú", "'@x"]
    # Without formula cells, the whole CSV is read back as the same hierarchy.
    plain = tmp_path / "plain.csv"
    plain.write_text(path.read_text(encoding="utf-8").replace("=Xã B", "Xã B").replace("@x", "x"), "utf-8")
    code, out, _ = cli(
        "units", "--hierarchy", str(plain), "--levels", "province,department,commune", "--format", "csv"
    )
    again = tmp_path / "again.csv"
    again.write_text(out, encoding="utf-8")
    levels = ("province", "department", "commune")
    assert read_hierarchy_csv(again, levels) == read_hierarchy_csv(plain, levels)


def test_units_json_and_table_show_the_extra_columns(tmp_path: Path, cli: Cli) -> None:
    # CSV carried the extra columns, JSON and tables dropped them.
    path = tmp_path / "h.csv"
    path.write_text(
        "id,name,level,parent,population\nP,Tỉnh X,province,,2600000\nA,Xã A,commune,P,12000\n"
        "B,Xã B,commune,P,\n",
        encoding="utf-8",
    )
    args = ("units", "--hierarchy", str(path), "--levels", "province,commune", "--level", "commune")
    code, out, _ = cli(*args, "--format", "json")
    assert code == 0
    assert json.loads(out) == [
        {"id": "A", "name": "Xã A", "level": "commune", "parent": "P", "code": None, "population": "12000"},
        {"id": "B", "name": "Xã B", "level": "commune", "parent": "P", "code": None, "population": None},
    ]
    code, out, _ = cli(*args, "--format", "table")
    assert code == 0
    assert out.splitlines()[0].split() == ["id", "name", "level", "parent", "code", "population"]
    assert out.splitlines()[2].split()[-1] == "12000"


# -- 2. rank --rules repeated adds up ------------------------------------------------------------


def test_rank_rules_repeated_add_up(cli: Cli) -> None:
    # The last --rules used to replace the ones before: ranked on PL-II.2 alone, silently.
    code, out, _ = cli(
        "rank", "--level", "district", "--rules", "PL-II.1", "--rules", "PL-II.2", "--format", "json"
    )
    assert code == 0
    repeated = json.loads(out)
    assert {r["scored"] for r in repeated} == {2}
    assert {p["rule"] for p in repeated[0]["points"]} == {"PL-II.1", "PL-II.2"}
    _, listed, _ = cli("rank", "--level", "district", "--rules", "PL-II.1,PL-II.2", "--format", "json")
    assert json.loads(listed) == repeated


# -- 3. rank --per-period --period P ranks the periods inside P ---------------------------------


def test_rank_per_period_keeps_to_period(tmp_path: Path, cli: Cli) -> None:
    # --period used to be ignored with --per-period: every observed month was ranked.
    code, out, _ = cli(
        "rank",
        "--level",
        "commune",
        "--data",
        DATA,
        "--per-period",
        "--period",
        "2024-02",
        "--format",
        "json",
    )
    assert code == 0
    assert {r["period"] for r in json.loads(out)} == {"2024-02"}
    code, out, _ = cli(
        "rank",
        "--level",
        "commune",
        "--data",
        DATA,
        "--per-period",
        "--period",
        "2024-Q1",
        "--format",
        "json",
    )
    assert {r["period"] for r in json.loads(out)} == {"2024-01", "2024-02", "2024-03"}
    # A quarter observed, a month asked for: the quarter overlaps it but is not inside it.
    data = tmp_path / "q.csv"
    data.write_text(
        "unit,period,received_online,received_direct\nPhường Chánh Mỹ,2024-Q1,10,5\n", encoding="utf-8"
    )
    refused(
        cli("rank", "--level", "commune", "--data", str(data), "--per-period", "--period", "2024-01"),
        "no observation inside 2024-01: 2024-Q1 cannot be divided into 2024-01",
        "such as 2024-Q1",
    )


# -- 4. --within must be above --level, with units of the level under it --------------------------


@pytest.mark.parametrize(
    ("level", "within", "message"),
    [
        ("commune", "25774", "--within: Phường Chánh Mỹ is a commune; give a unit above the commune level"),
        (
            "district",
            "Phường Chánh Mỹ",
            "--within: Phường Chánh Mỹ is a commune, below the district level; "
            "give a unit above the district level",
        ),
        (
            "district",
            "718",
            "--within: UBND Thành phố Thủ Dầu Một is a district; give a unit above the district level",
        ),
        (
            "commune",
            "so-tu-phap",
            "--within: Sở Tư pháp (department) has no unit of the commune level under it",
        ),
    ],
)
def test_rank_within_a_unit_not_above_the_level_is_refused(
    cli: Cli, level: str, within: str, message: str
) -> None:
    # Each used to print an empty league table (or a table of one) with exit status 0.
    refused(cli("rank", "--level", level, "--within", within), message)


def test_rank_within_in_a_two_tier_hierarchy(cli: Cli, two_tier: tuple[str, str]) -> None:
    hierarchy, data = two_tier
    args = ("rank", "--hierarchy", hierarchy, "--levels", "province,department,commune", "--data", data)
    refused(
        cli(*args, "--level", "commune", "--within", "Sở Tư pháp"),
        "has no unit of the commune level",
        "Tỉnh X",
    )
    code, out, err = cli(*args, "--level", "commune", "--within", "Tỉnh X", "--format", "json")
    assert code == 0, err
    assert [r["unit"] for r in json.loads(out)] == ["A", "B"]


# -- 5. --level with no unit ----------------------------------------------------------------------


@pytest.mark.parametrize("command", ["units", "rank", "evaluate", "rollup"])
def test_a_level_without_units_is_refused(cli: Cli, two_tier: tuple[str, str], command: str) -> None:
    # The default levels declare a district level, which a two-tier province has no unit at: an
    # empty table, exit 0.
    hierarchy, data = two_tier
    argv = [command, "--hierarchy", hierarchy, "--level", "district"]
    if command != "units":
        argv += ["--data", data]
    refused(cli(*argv), "--level district: no unit", "province, department, commune")


# -- 6. rank --per-period says which period its lists are of --------------------------------------


def test_per_period_lists_name_their_period(cli: Cli) -> None:
    args = ("rank", "--level", "commune", "--data", DATA, "--per-period")
    code, out, _ = cli(*args)
    assert code == 0
    assert "Đề nghị khen thưởng (kỳ 2024-03): " in out
    assert "Nhắc nhở (kỳ 2024-03): " in out
    _, out, _ = cli(*args, "--lang", "en")
    assert "Proposed for commendation (period 2024-03): " in out
    assert "To be reminded (period 2024-03): " in out
    _, out, _ = cli("rank", "--level", "district")  # one ranking: no period to tell apart
    assert "Đề nghị khen thưởng: " in out


# -- 7. --chart of an unsupported type is refused before the work ---------------------------------


@pytest.mark.parametrize(
    "argv", [("rank", "--level", "district"), ("evaluate", "--rule", "PL-II.1", "--level", "district")]
)
def test_chart_type_is_checked_first(tmp_path: Path, cli: Cli, argv: tuple[str, ...]) -> None:
    # The whole table used to be printed before the chart's type was refused.
    chart = tmp_path / "scores.pdf"
    refused(cli(*argv, "--chart", str(chart)), "--chart", "'scores.pdf'", ".svg or .png")
    assert not chart.exists()


def test_chart_types_are_those_draw_bars_accepts(tmp_path: Path) -> None:
    from dvctt_rules import DvcttRulesError
    from dvctt_rules.render import CHART_SUFFIXES, ChartBar, draw_bars

    for suffix in (".pdf", ".jpg", ".eps", ""):
        with pytest.raises(DvcttRulesError, match=r"\.svg or \.png"):
            draw_bars([ChartBar("a", None)], tmp_path / f"x{suffix}", title="t", axis_label="%")
    pytest.importorskip("matplotlib")
    for suffix in CHART_SUFFIXES:
        assert draw_bars([ChartBar("a", None)], tmp_path / f"x{suffix}", title="t", axis_label="%").exists()


# -- 8. rules that apply to no unit of the level --------------------------------------------------


def test_evaluate_a_rule_that_applies_to_no_unit_of_the_level(cli: Cli) -> None:
    # An empty table (or []) with exit 0.
    refused(
        cli("evaluate", "--rule", "I.1", "--level", "commune"),
        "--rule I.1",
        "commune level",
        "province level",
    )
    refused(
        cli("evaluate", "--rule", "PL-II.1", "--rule", "I.1", "--level", "commune", "--format", "json"),
        "--rule I.1 applies to no unit",
    )
    code, out, _ = cli("evaluate", "--rule", "I.1", "--level", "province", "--format", "json")
    assert code == 0
    assert [o["rule"] for o in json.loads(out)] == ["I.1"]


def test_rank_on_rules_that_apply_to_no_unit_of_the_level(cli: Cli) -> None:
    refused(
        cli("rank", "--level", "commune", "--rules", "I.1,II.2"),
        "--rules I.1, II.2 apply to no unit",
        "province level",
    )
    # The plan's scored rules do not judge the province itself: every unit used to be "not ranked".
    refused(cli("rank", "--level", "province"), "the scored rules", "department, district, commune levels")


# -- 9. a targets file without rows ---------------------------------------------------------------


def test_a_targets_file_without_rows_is_refused(tmp_path: Path, cli: Cli) -> None:
    # It used to replace every per-unit target of the plan with the defaults, silently.
    targets = tmp_path / "targets.csv"
    targets.write_text("unit,indicator,target\n", encoding="utf-8")
    code, out, err = cli("evaluate", "--targets", str(targets), "--level", "district")
    assert (code, out) == (2, "")
    assert f"{targets}: there are no data rows" in err


# -- smaller: blank values and options that were silently ignored ----------------------------------


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (("evaluate", "--period", ""), "--period: '' is not a period"),
        (("evaluate", "--as-of", ""), "--as-of expects an ISO date"),
        (("evaluate", "--data", ""), "--data is blank"),
        (("units", "--hierarchy", ""), "--hierarchy is blank"),
        (("units", "--levels", "province,commune"), "--levels goes with --hierarchy"),
        (("plan", "--dump", "--format", "csv"), "--dump writes the plan as a JSON plan file, not as csv"),
    ],
)
def test_blank_or_ignored_options_are_refused(cli: Cli, argv: tuple[str, ...], fragment: str) -> None:
    refused(cli(*argv), fragment)


def test_levels_with_a_blank_name_are_refused(cli: Cli, two_tier: tuple[str, str]) -> None:
    hierarchy, _ = two_tier
    refused(
        cli("units", "--hierarchy", hierarchy, "--levels", "province,,commune"),
        "--levels has a blank level name",
    )


def test_plan_dump_with_json_or_no_format_still_dumps(cli: Cli) -> None:
    for argv in (("plan", "--dump"), ("plan", "--dump", "--format", "json")):
        code, out, _ = cli(*argv)
        assert code == 0
        assert json.loads(out)["id"] == "plan-4623"


@pytest.mark.parametrize(
    "argv",
    [("evaluate",), ("rank", "--level", "commune"), ("rollup", "--level", "province")],
)
def test_a_hierarchy_file_without_data_is_refused(
    two_tier: tuple[str, str], cli: Cli, argv: tuple[str, ...]
) -> None:
    # Every unit was judged without data (ranked last and reminded, all tied), exit 0, no word.
    hierarchy, data = two_tier
    tree = ("--hierarchy", hierarchy, "--levels", "province,department,commune")
    refused(cli(*argv, *tree), "--hierarchy without --data", "--data FILE")
    code, out, err = cli(*argv, *tree, "--data", data)
    assert (code, bool(out)) == (0, True), err
    code, out, err = cli("plan", *tree)  # the plan's rules need no figures
    assert (code, bool(out)) == (0, True), err


def test_communes_only_at_a_level_with_nothing_under_it_is_refused(cli: Cli) -> None:
    # Sở Công Thương showed "no data" beside its own 99,5 %: without its own data its area is empty.
    data = str(Path(__file__).parents[1] / "examples" / "observations-2024.csv")
    for level in ("department", "commune"):
        refused(
            cli("rollup", "--level", level, "--communes-only", "--data", data),
            "--communes-only",
            f"no unit of the {level} level has units under it",
        )
    code, out, err = cli(
        "rollup", "--level", "district", "--communes-only", "--data", data, "--format", "json"
    )
    assert code == 0, err
    assert {row["include_self"] for row in json.loads(out)} == {False}


# -- a value just under its target, a score just under a grade's edge -----------------------------

EDGE = (
    "unit,period,received_online,received_direct,received_postal,resolved_early,resolved_on_time,"
    "resolved_late,payments_total,payments_online\n"
    "25774,2024-01,71991,28009,0,0,10999,9001,10,10\n"  # on time 10999/20000 = 54,995 % < 55 %
)


def test_a_value_just_under_its_target_is_not_shown_equal_to_it(tmp_path: Path, cli: Cli) -> None:
    # Rounded to one decimal, 54,995 % showed as "55,0 | 55,0 | Không đạt", and the explanation
    # read "55 % < chỉ tiêu 55 %"; a score of 89,995 showed as 90,00 beside a grade below 90.
    data = tmp_path / "edge.csv"
    data.write_text(EDGE, encoding="utf-8")
    argv = ("evaluate", "--data", str(data), "--rule", "IV.1", "--level", "commune")
    code, out, err = cli(*argv)
    assert code == 0, err
    (row,) = [line.split() for line in out.splitlines() if "Chánh Mỹ" in line]
    at = row.index("10999")  # numerator, denominator, value, target
    assert row[at : at + 4] == ["10999", "20000", "54,995", "55,000"]
    code, out, _ = cli(*argv, "--format", "json", "--lang", "en")
    (record,) = [r for r in json.loads(out) if r["unit"] == "25774"]
    assert "54.995% < target 55%" in record["explanation"]
    assert record["value"] == 54.995  # JSON and CSV keep their four decimals: only tables widen
    code, out, _ = cli(*argv, "--format", "csv")
    (machine,) = [r for r in csv.DictReader(io.StringIO(out)) if r["unit"] == "25774"]
    assert (machine["value"], machine["target"]) == ("54.995", "55")
    within = ("--within", "718", "--data", str(data), "--rules", "PL-II.1,PL-II.2")
    code, out, _ = cli("rank", "--level", "commune", *within)
    (line,) = [line for line in out.splitlines() if "Chánh Mỹ" in line]
    assert "89,995" in line.split()
    assert "Hoàn thành tốt nhiệm vụ" in line  # 17999/200 is under the 90 of the top grade


def test_plan_and_rollup_show_numbers_as_evaluate_does(tmp_path: Path, cli: Cli) -> None:
    # The plan listed a level target of 62,55 as "62.55" in Vietnamese and no target for MT.5 (no
    # late dossier: 0, as evaluate judges it); rollup showed a count of late dossiers as "14,0".
    code, dumped, _ = cli("plan", "--dump")
    document = json.loads(dumped)
    for target in document["targets"]:
        if target.get("indicator") == "on_time_rate" and target.get("level") == "district":
            target["value"] = "62.55"
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    code, out, err = cli("plan", "--plan", str(plan))
    assert code == 0, err
    assert "district 62,55" in out
    _, english, _ = cli("plan", "--plan", str(plan), "--lang", "en")
    assert "district 62.55" in english
    code, out, _ = cli("plan", "--format", "json")
    assert [r["target"] for r in json.loads(out) if r["rule"] == "MT.5"] == [0]
    data = str(Path(__file__).parents[1] / "examples" / "observations-2024.csv")
    code, out, _ = cli("rollup", "--level", "district", "--data", data, "--indicator", "late_dossiers")
    assert code == 0
    (line,) = [line for line in out.splitlines() if "Thủ Dầu Một" in line]
    assert "14,0" not in line.split()
    assert "14" in line.split()


def test_a_chart_without_matplotlib_is_refused_before_the_table(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Installed without the chart extra, the whole table was printed before the chart was refused.
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "matplotlib" else real(name, *a)
    )
    chart = tmp_path / "scores.svg"
    refused(cli("rank", "--level", "district", "--chart", str(chart)), "pip install 'dvctt-rules[chart]'")
    assert not chart.exists()


def test_a_file_with_many_problems_lists_some_and_counts_the_rest(tmp_path: Path, cli: Cli) -> None:
    # A national file with a bad cell in every row printed 148,932 lines (25 MB) to the terminal.
    rows = [f"25774,2023-{m:02d},x{m}" for m in range(1, 13)] + [
        f"25756,2024-{m:02d},-{m}" for m in range(1, 13)
    ]
    data = tmp_path / "bad.csv"
    data.write_text("unit,period,received_online\n" + "\n".join(rows) + "\n", encoding="utf-8")
    code, out, err = cli("--problems", "5", "validate", "--data", str(data))
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert lines[0] == f"dvctt-rules: error: 24 problems in {data}; nothing was loaded"
    assert [line.split(", ")[1] for line in lines[1:6]] == [f"line {n}" for n in range(2, 7)]
    assert lines[6] == "  … and 19 more (all of them: dvctt-rules --problems 0 …):"
    assert lines[7:] == [  # by kind, most first
        "    12 × column 'received_online': a count cannot be negative",
        "    7 × column 'received_online': not a number",
    ]
    assert cli("validate", "--data", str(data), "--problems", "5")[2] == err  # after the command too
    code, _, err = cli("--problems", "0", "validate", "--data", str(data))
    assert len(err.splitlines()) == 1 + 24  # every one, as before
    code, _, err = cli("validate", "--data", str(data))  # the default lists up to 50
    assert len(err.splitlines()) == 1 + 24
    code, _, err = cli("--problems", "-1", "validate", "--data", str(data))
    assert code == 2
    assert "expects a whole number of 0 or more" in err
    # '²' is a digit to str.isdigit but not to int(): refused with the same message, not argparse's
    # "invalid _count value"
    code, _, err = cli("--problems", "\u00b2", "validate", "--data", str(data))
    assert code == 2
    assert "argument --problems: expects a whole number of 0 or more, got '\u00b2'" in err
    five = cli("--problems", "5", "validate", "--data", str(data))[2]
    assert cli("--problems", " 5 ", "validate", "--data", str(data))[2] == five  # spaces are fine


def test_a_scored_rule_of_other_levels_does_not_stop_a_ranking(tmp_path: Path, cli: Cli) -> None:
    # The plan's scored rules need not all apply at the level ranked: those that do not apply to a
    # unit do not count for it (as rank() does). Only rules named with --rules must apply.
    code, dumped, _ = cli("plan", "--dump")
    document = json.loads(dumped)
    only = {"type": "threshold", "indicator": "online_dossier_rate", "target": "50"}
    document["rules"].append({"id": "X.1", "rule": only, "levels": ["commune"], "scored": True})
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    data = str(Path(__file__).parents[1] / "examples" / "observations-2024.csv")  # the plan's scored rules
    code, out, err = cli(
        "rank", "--level", "district", "--plan", str(plan), "--data", data, "--format", "json"
    )
    assert code == 0, err
    rows = json.loads(out)
    assert len(rows) == 9
    assert all("X.1" not in [p["rule"] for p in row["points"]] for row in rows)
    refused(cli("rank", "--level", "district", "--plan", str(plan), "--rules", "X.1"), "--rules X.1")


def test_a_hierarchy_without_a_plan_says_whose_plan_is_used(two_tier: tuple[str, str], cli: Cli) -> None:
    # Another province's units were judged by plan 4623's rules, citing Bình Dương, without a word.
    hierarchy, data = two_tier
    tree = ("--hierarchy", hierarchy, "--levels", "province,department,commune", "--data", data)
    code, out, err = cli("evaluate", *tree, "--lang", "en")
    assert code == 0
    assert out
    assert "no --plan: using the rules and general targets of plan plan-4623" in err
    assert "--plan FILE" in err
    code, dumped, _ = cli("plan", "--dump")
    plan = Path(hierarchy).with_name("plan.json")
    plan.write_text(dumped, encoding="utf-8")
    code, _, err = cli("evaluate", *tree, "--plan", str(plan))
    # A plan given: nothing to say about whose plan it is; but Bình Dương's own targets, dumped with
    # it, name units this hierarchy does not have, and judge nothing here.
    assert code == 0
    assert err.startswith(
        "dvctt-rules: warning: the targets of plan 'plan-4623' name 118 units the hierarchy does not "
        "have: ban-quan-ly-cac-kcn-binh-duong, so-cong-thuong,"
    )
    assert err.endswith(
        " and 108 more; those targets judge no unit (check the ids, or use the hierarchy "
        "the plan was written for)\n"
    )
    assert len(err.splitlines()) == 1


def test_levels_not_declared_are_declared_with_the_levels_option(tmp_path: Path, cli: Cli) -> None:
    # The hint said "declare them in the hierarchy's levels", not how, on the command line.
    path = tmp_path / "h.csv"
    path.write_text("id,name,level,parent\nt,Tỉnh T,tinh,\nx,Xã X,xa,t\n", encoding="utf-8")
    code, out, err = cli("units", "--hierarchy", str(path))
    assert (code, out) == (2, "")
    assert "levels ['tinh', 'xa'] are not declared" in err
    assert "here with --levels (it was province,department,district,commune, the default)" in err
    code, out, _ = cli("units", "--hierarchy", str(path), "--levels", "tinh,xa", "--format", "csv")
    assert code == 0
    assert out.splitlines()[1:] == ["t,Tỉnh T,tinh,", "x,Xã X,xa,t"]


@pytest.mark.parametrize(
    "command", [("evaluate",), ("rank", "--level", "commune"), ("rollup", "--level", "district")]
)
def test_a_period_inside_one_observed_period_is_refused(
    tmp_path: Path, cli: Cli, command: tuple[str, ...]
) -> None:
    # A month of data given by quarter overlaps the quarter but cannot be cut from it: every unit was
    # judged without data ("missing received_online, …": they were reported), all tied last, exit 0.
    data = tmp_path / "q.csv"
    data.write_text(
        "unit,period,received_online,received_direct\nPhường Chánh Mỹ,2024-Q1,10,5\n", encoding="utf-8"
    )
    refused(
        cli(*command, "--data", str(data), "--period", "2024-02"),
        "no observation inside 2024-02: 2024-Q1 cannot be divided into 2024-02",
    )
    code, out, err = cli(*command, "--data", str(data), "--period", "2024", "--format", "json")
    assert code == 0, err
    assert json.loads(out)


def test_communes_only_above_districts_leaves_out_the_units_between(cli: Cli) -> None:
    # At the province level, --communes-only still summed the departments' and districts' own data.
    data = str(Path(__file__).parents[1] / "examples" / "observations-2024.csv")
    argv = (
        "rollup",
        "--level",
        "province",
        "--data",
        data,
        "--indicator",
        "online_dossier_rate",
        "--format",
        "json",
    )
    code, out, err = cli(*argv, "--communes-only")
    assert code == 0, err
    (row,) = json.loads(out)
    assert row["covers"] + len(row["missing"]) == 91  # the plan's 91 communes, nothing else
    (whole,) = json.loads(cli(*argv)[1])
    assert whole["covers"] + len(whole["missing"]) == 119  # every unit, the province's own included
