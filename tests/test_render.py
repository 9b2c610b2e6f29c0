"""Rendering records as tables: what a reader or a parser of the output relies on."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dvctt_rules.render import Column, render

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
