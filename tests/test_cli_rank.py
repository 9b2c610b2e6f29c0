"""``dvctt-rules rank`` and ``dvctt-rules rollup``: JSON contracts, hand-computed scores, tables, charts."""

from __future__ import annotations

import csv
import io
import json
import weakref
from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

EXAMPLES = Path(__file__).parents[1] / "examples"
RANK_FIELDS = {"unit", "unit_name", "level", "rank", "score", "grade", "met", "scored"}
ROLLUP_FIELDS = {
    "unit",
    "unit_name",
    "indicator",
    "numerator",
    "denominator",
    "value",
    "strategy",
    "children_met",
    "children_total",
}


def test_district_ranking_on_the_plans_own_figures(cli: Callable[..., tuple[int, str, str]]) -> None:
    code, out, err = cli("rank", "--level", "district", "--format", "json")
    assert code == 0
    assert "PL-II.1, PL-II.2" in err  # the baseline has no on-time figures: said, not hidden
    rows = json.loads(out)
    assert all(set(r) >= RANK_FIELDS for r in rows)
    assert len(rows) == 9
    by_name = {r["unit_name"]: r for r in rows}
    # Dĩ An: online dossiers 81,1 % of its 85 % target earns 50 × 81,1/85; payments 100 % ≥ 75 % earn 50.
    di_an = by_name["UBND Thành phố Dĩ An"]
    expected = 50 * Fraction(811, 850) + 50
    assert Fraction(di_an["score_exact"]) == expected
    assert di_an["score"] == round(float(expected), 4)
    assert (di_an["rank"], di_an["grade"], di_an["met"], di_an["scored"]) == (1, "excellent", 1, 2)
    # Phú Giáo: 55,9/85 and 2,8/75 of the points, the lowest.
    phu_giao = by_name["UBND Huyện Phú Giáo"]
    assert Fraction(phu_giao["score_exact"]) == 50 * Fraction(559, 850) + 50 * Fraction(28, 750)
    assert phu_giao["rank"] == 9
    assert phu_giao["grade"] == "not_completed"
    assert [r["rank"] for r in rows] == sorted(r["rank"] for r in rows)


def test_ranking_table_is_vietnamese_with_lists(cli: Callable[..., tuple[int, str, str]]) -> None:
    code, out, _ = cli("rank", "--level", "district")
    assert code == 0
    assert out.splitlines()[0].split()[:3] == ["Hạng", "Đơn", "vị"]
    assert "97,71" in out
    assert "Đề nghị khen thưởng: UBND Thành phố Dĩ An" in out
    assert "Nhắc nhở:" in out
    _, english, _ = cli("rank", "--level", "district", "--lang", "en", "--format", "github")
    assert english.startswith("| Rank")
    assert "97.71" in english


def test_communes_within_a_district_and_top(cli: Callable[..., tuple[int, str, str]]) -> None:
    code, out, _ = cli("rank", "--level", "commune", "--within", "Bàu Bàng", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 7  # the 7 communes of Huyện Bàu Bàng
    code, out, _ = cli("rank", "--level", "commune", "--format", "json", "--top", "3")
    assert all(r["rank"] <= 3 for r in json.loads(out))


def test_rank_with_counts_and_per_period(cli: Callable[..., tuple[int, str, str]]) -> None:
    data = str(EXAMPLES / "observations-2024.csv")
    code, out, _ = cli("rank", "--level", "commune", "--data", data, "--per-period", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    periods = sorted({r["period"] for r in rows})
    assert periods == ["2024-01", "2024-02", "2024-03"]
    first = [r for r in rows if r["period"] == "2024-01"]
    later = [r for r in rows if r["period"] == "2024-02"]
    assert all(r["previous_rank"] is None for r in first)
    for r in later:
        before = next(x for x in first if x["unit"] == r["unit"])
        assert r["previous_rank"] == before["rank"]
        assert r["rank_change"] == before["rank"] - r["rank"]


def test_rank_per_period_writes_each_period_before_ranking_the_next(
    monkeypatch: pytest.MonkeyPatch, cli: Callable[..., tuple[int, str, str]]
) -> None:
    # A country's twelve months are never all held: when a period is ranked, only the one before
    # it (which it is compared with) is still alive; and the text is the one the tables are made of.
    import dvctt_rules.cli._rank as command
    from dvctt_rules.ranking import iter_rank_periods as real

    made: list[weakref.ref[Any]] = []

    def watched(*args: Any, **kwargs: Any) -> Iterator[Any]:
        for ranking in real(*args, **kwargs):
            assert sum(r() is not None for r in made) <= 1
            made.append(weakref.ref(ranking))
            yield ranking

    monkeypatch.setattr(command, "iter_rank_periods", watched)
    data = str(EXAMPLES / "observations-2024.csv")
    args = ("rank", "--level", "commune", "--data", data, "--per-period")
    code, out, _ = cli(*args, "--format", "json")
    assert code == 0
    assert len(made) == 3
    code, table, _ = cli(*args, "--format", "csv")
    assert code == 0
    from_json = [(r["period"], r["unit"], r["rank"], r["score"]) for r in json.loads(out)]
    from_csv = [
        (r["period"], r["unit"], int(r["rank"]), float(r["score"]))
        for r in csv.DictReader(io.StringIO(table))
    ]
    assert from_json == from_csv


def test_rank_csv_neutralises_formulas(tmp_path: Path, cli: Callable[..., tuple[int, str, str]]) -> None:
    hierarchy = tmp_path / "h.csv"
    hierarchy.write_text(
        'id,name,level,parent\nP,Tỉnh X,province,\nA,"=HYPERLINK(""http://x"")",commune,P\n'
        "B,@Xã Hai,commune,P\n",
        encoding="utf-8",
    )
    data = tmp_path / "d.csv"
    data.write_text(
        "unit,period,received_online,received_direct,received_postal,payments_total,payments_online,"
        "resolved_early,resolved_on_time,resolved_late\nA,2025-08,8,2,0,10,5,5,4,1\nB,2025-08,6,4,0,10,1,9,0,1\n",
        encoding="utf-8",
    )
    code, out, err = cli(
        "rank",
        "--hierarchy",
        str(hierarchy),
        "--levels",
        "province,commune",
        "--data",
        str(data),
        "--level",
        "commune",
        "--format",
        "csv",
    )
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    names = {r["unit"]: r["unit_name"] for r in rows}
    assert names == {"A": '\'=HYPERLINK("http://x")', "B": "'@Xã Hai"}
    assert all("." in r["score"] or r["score"].isdigit() for r in rows)


def test_rollup_json_contract_and_compliance_share(cli: Callable[..., tuple[int, str, str]]) -> None:
    code, out, _ = cli(
        "rollup", "--level", "district", "--indicator", "online_dossier_rate", "--format", "json"
    )
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 9
    assert all(set(r) >= ROLLUP_FIELDS for r in rows)
    tdm = next(r for r in rows if r["unit_name"] == "UBND Thành phố Thủ Dầu Một")
    # Rate-only data: an unweighted mean of rates, labelled as such.
    assert tdm["strategy"] == "mean_of_rates"
    # Of Thủ Dầu Một's 14 wards, those whose 2023 rate reached 90 %: all but Phú Cường (80,4) and
    # Chánh Nghĩa (89,4).
    assert (tdm["children_met"], tdm["children_total"]) == (12, 14)


def test_rollup_with_counts_sums_then_divides(cli: Callable[..., tuple[int, str, str]]) -> None:
    data = str(EXAMPLES / "observations-2024.csv")
    code, out, _ = cli(
        "rollup",
        "--level",
        "province",
        "--indicator",
        "online_dossier_rate",
        "--data",
        data,
        "--format",
        "json",
    )
    assert code == 0
    (row,) = json.loads(out)
    assert row["strategy"] == "sum"
    assert row["value"] == round(100 * row["numerator"] / row["denominator"], 4)
    assert row["target"] == 50  # Phụ lục I, II.2, province-wide


def test_charts_are_written(tmp_path: Path, cli: Callable[..., tuple[int, str, str]]) -> None:
    pytest.importorskip("matplotlib")
    chart = tmp_path / "scores.svg"
    code, _, _ = cli("rank", "--level", "district", "--chart", str(chart), "--format", "json")
    assert code == 0
    text = chart.read_text(encoding="utf-8")
    assert text.startswith("<?xml")
    assert "<svg" in text
    png = tmp_path / "values.png"
    code, _, _ = cli(
        "evaluate",
        "--rule",
        "PL-II.1",
        "--level",
        "district",
        "--chart",
        str(png),
        "--format",
        "json",
    )
    assert code == 0
    assert png.read_bytes().startswith(b"\x89PNG")
    code, _, err = cli("evaluate", "--chart", str(tmp_path / "x.svg"), "--format", "json")
    assert code == 2
    assert "--rule" in err
    missing = tmp_path / "no-such-folder" / "scores.svg"
    code, _, err = cli("rank", "--level", "district", "--chart", str(missing), "--format", "json")
    assert code == 2
    assert err.splitlines()[-1] == (
        f"dvctt-rules: error: cannot write the chart {str(missing)!r}: No such file or directory; "
        "check that its folder exists and can be written"
    )


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (("--top", "0"), "argument --top: expects a whole number of 1 or more, got '0'"),
        (("--top", "-3"), "argument --top: expects a whole number of 1 or more, got '-3'"),
        (("--top", "ten"), "argument --top: expects a whole number of 1 or more, got 'ten'"),
        # int() reads these; the command line takes the digits 0-9 only
        (("--top", "1_0"), "argument --top: expects a whole number of 1 or more, got '1_0'"),
        (("--top", "+3"), "argument --top: expects a whole number of 1 or more, got '+3'"),
        (("--top", "\u0663"), "argument --top: expects a whole number of 1 or more, got '\u0663'"),
        (("--rules", ",,"), "--rules names no rule (got ',,')"),
        (("--rules", ""), "--rules names no rule (got '')"),
    ],
)
def test_rank_refuses_options_that_would_show_nothing(
    cli: Callable[..., tuple[int, str, str]], argv: tuple[str, ...], fragment: str
) -> None:
    # A negative --top used to show no row and a blank --rules to rank every unit on no rule, exit 0.
    code, out, err = cli("rank", "--level", "district", *argv)
    assert code == 2
    assert fragment in err
    assert out == ""


def test_units_not_ranked_are_listed_by_name(
    cli: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    # The other lists name units; this one gave bare ids ("Không xếp hạng …: 720, 721, …").
    code, dumped, _ = cli("plan", "--dump")
    assert code == 0
    document = json.loads(dumped)
    only = {"id": "X.1", "rule": {"type": "threshold", "indicator": "online_dossier_rate", "target": "50"}}
    document["rules"].append({**only, "units": ["718"], "scored": True})  # Thủ Dầu Một alone
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    code, out, err = cli("rank", "--level", "district", "--plan", str(plan), "--rules", "X.1")
    assert code == 0, err
    (line,) = [line for line in out.splitlines() if line.startswith("Không xếp hạng")]
    assert "UBND Thị xã Bến Cát" in line.split(": ", 1)[1]
    assert "725" not in line  # Thuận An's id
    assert "UBND Thành phố Thủ Dầu Một" not in line  # ranked
