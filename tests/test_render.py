"""Rendering records as tables: what a reader or a parser of the output relies on."""

from __future__ import annotations

import re

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
