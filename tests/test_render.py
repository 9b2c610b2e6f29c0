"""Rendering records as tables: what a reader or a parser of the output relies on."""

from __future__ import annotations

import re
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dvctt_rules import UnknownNameError
from dvctt_rules.render import Column, percent_points, render

COLUMNS = (Column("name", "Tên", "Name"), Column("score", "Điểm", "Score"))
# Cell separators of a Markdown table: a "|" not escaped by a backslash.
SEPARATOR = re.compile(r"(?<!\\)\|")


@pytest.mark.parametrize("fmt", ["markdown", "md", "github", "pipe"])
@given(names=st.lists(st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=12)))
def test_a_bar_in_a_name_does_not_split_a_markdown_row(fmt: str, names: list[str]) -> None:
    table = render([{"name": n, "score": 1} for n in names], COLUMNS, fmt, lang="en")
    lines = table.splitlines()
    assert len(lines) == 2 + len(names)
    assert {len(SEPARATOR.findall(line)) for line in lines} == {3}
    for line, name in zip(lines[2:], names, strict=True):
        cell = SEPARATOR.split(line)[1].strip()
        assert cell.replace("\\|", "|") == name.strip()


def test_a_bar_is_kept_as_it_is_outside_markdown() -> None:
    table = render([{"name": "A | B", "score": 1}], COLUMNS, "simple", lang="en")
    assert "A | B" in table


@given(
    names=st.lists(st.text(st.characters(codec="utf-8"), max_size=12)),
    scores=st.lists(st.none() | st.integers(-5, 200)),
)
def test_tab_separated_values_keep_every_cell_of_every_row(
    names: list[str], scores: list[int | None]
) -> None:
    """One line a record, one tab between cells, cells as a table shows them: not padded, an empty
    last cell kept, a tab or line break in a text a space, a text read as a formula made safe."""
    records = [{"name": n, "score": s} for n, s in zip(names, scores, strict=False)]
    lines = render(records, COLUMNS, "tsv", lang="vi").split("\n")
    assert lines.pop() == ""
    assert lines[0] == "Tên\tĐiểm"
    assert len(lines) == 1 + len(records)
    for line, record in zip(lines[1:], records, strict=True):
        name, score = line.split("\t")
        plain = str(record["name"]).replace("\t", " ").replace("\n", " ").replace("\r", " ")
        assert name == ("'" + plain if plain[:1] in ("=", "+", "-", "@") else plain)
        assert score == ("–" if record["score"] is None else str(record["score"]))


def test_ranking_as_tab_separated_values_is_the_table_alone(cli: Callable[..., tuple[int, str, str]]) -> None:
    """The commendation lists follow a table for readers; tab-separated values are data, whole rows
    only (the table already says who is proposed for commendation)."""
    code, out, _ = cli("rank", "--level", "district", "--format", "tsv")
    assert code == 0
    rows = [line.split("\t") for line in out.splitlines()]
    assert len(rows) == 1 + 9
    assert {len(row) for row in rows} == {len(rows[0])}
    assert all(cell == cell.strip() for row in rows for cell in row)
    assert "Đề nghị khen thưởng" not in out
    _, table, _ = cli("rank", "--level", "district")
    assert "Đề nghị khen thưởng:" in table


@pytest.mark.parametrize(
    ("fmt", "written"),
    [
        ("html", "<p>Đề nghị khen thưởng: Xã &lt;Một&gt; &amp; 50%_#</p>"),
        ("latex", r"Đề nghị khen thưởng: Xã \ensuremath{<}Một\ensuremath{>} \& 50\%\_\#"),
        ("table", "Đề nghị khen thưởng: Xã <Một> & 50%_#"),
    ],
)
def test_the_lists_after_a_ranking_are_written_in_the_table_s_markup(
    tmp_path: Path, cli: Callable[..., tuple[int, str, str]], fmt: str, written: str
) -> None:
    """In HTML a name's ``<`` and ``&`` were written raw after the table, and in LaTeX its ``%``
    commented out the rest of the line."""
    hierarchy, data = tmp_path / "units.csv", tmp_path / "data.csv"
    hierarchy.write_text(
        "id,name,level,parent\nP,Tỉnh X,province,\nA,Xã <Một> & 50%_#,commune,P\nB,Xã B,commune,P\n",
        encoding="utf-8",
    )
    data.write_text(
        "unit,period,received_online,received_direct,received_postal,payments_total,payments_online,"
        "resolved_early,resolved_on_time,resolved_late\n"
        "A,2025-08,8,2,0,10,5,5,4,1\nB,2025-08,6,4,0,10,1,9,0,1\n",
        encoding="utf-8",
    )
    code, out, _ = cli(
        "rank", "--hierarchy", str(hierarchy), "--levels", "province,commune", "--data", str(data),
        "--level", "commune", "--format", fmt,
    )  # fmt: skip
    assert code == 0
    assert written in out.splitlines()


@pytest.mark.parametrize(("lang", "error"), [("VI", "did you mean 'vi'"), ("fr", "known: en, vi")])
def test_a_language_other_than_vi_or_en_is_refused(lang: str, error: str) -> None:
    """``"VI"`` or ``"fr"`` gave English headers and explanations, silently."""
    from dvctt_rules import UnknownNameError
    from dvctt_rules.datasets import load_dataset
    from dvctt_rules.rules import evaluate

    with pytest.raises(UnknownNameError, match=error):
        render([{"name": "A", "score": 1}], COLUMNS, "table", lang=lang)
    ds = load_dataset("binh-duong-2023")
    assert ds.plan is not None
    outcome = evaluate(ds.plan, ds.hierarchy, ds.baseline, rules=["PL-II.1"], units=["25774"]).outcomes[0]
    with pytest.raises(UnknownNameError, match=error):
        outcome.explain(lang)
    assert outcome.explain("vi").startswith("Phường Chánh Mỹ: tỷ lệ hồ sơ trực tuyến")
    assert outcome.explain("en") != outcome.explain("vi")


def test_a_format_that_is_not_a_text_is_refused() -> None:
    with pytest.raises(TypeError, match="fmt"):  # was AttributeError: 'NoneType' … 'split'
        render([], COLUMNS, None)  # type: ignore[arg-type]


def test_the_display_helpers_the_command_line_uses_are_public() -> None:
    # An embedder's own tables showed "55,0  55,0  not_met" (the helper that widens the decimals was
    # the command line's, private) and needed dvctt_rules._text for Vietnamese numbers.
    from dvctt_rules.render import STATUS_LABELS, format_number, shown_apart

    value, target = Fraction(10999, 20000), Fraction(11, 20)  # 54,995 % against 55 %
    columns = (Column("v", "Giá trị", "Value", 1), Column("t", "Chỉ tiêu", "Target", 1))
    plain = [{"v": percent_points(value), "t": percent_points(target)}]
    assert render(plain, columns, "plain").splitlines()[1].split() == ["55,0", "55,0"]
    apart = shown_apart(plain, "vi", ("v", "t"), lambda r: (r["t"],), 1)
    assert render(apart, columns, "plain").splitlines()[1].split() == ["54,995", "55,000"]
    assert (format_number(Fraction(1747, 20), 2), format_number(Fraction(175, 2), lang="en")) == (
        "87,35",
        "87.5",
    )
    assert format_number(Fraction(-1, 200), 2, trim=False) == "-0,01"
    with pytest.raises(UnknownNameError, match="language"):
        format_number(1, lang="fr")
    with pytest.raises(TypeError, match="value must be an int or a Fraction, got float"):
        format_number(0.1)  # type: ignore[arg-type]
    assert STATUS_LABELS["vi"]["not_met"] == "Không đạt"
    assert set(STATUS_LABELS["en"]) == {"met", "not_met", "no_data", "not_applicable"}


def test_the_display_helpers_refuse_what_they_would_misread() -> None:
    from dvctt_rules.render import format_number, shown_apart

    with pytest.raises(UnknownNameError, match="language"):
        shown_apart([{"v": Fraction(1, 3)}], "fr", ("v",), lambda r: (0,), 1)  # it wrote English decimals
    with pytest.raises(ValueError, match="places must be a whole number of 0 or more, got -1"):
        format_number(Fraction(1, 3), -1)  # it gave '0'
    flags = [{"v": True, "t": Fraction(10999, 20000), "w": Fraction(11, 20)}]
    assert shown_apart(flags, "vi", ("v", "t"), lambda r: (r["w"],), 3) == [
        {"v": True, "t": "0,54995", "w": Fraction(11, 20)}  # the flag kept, not written as "1,00000"
    ]
