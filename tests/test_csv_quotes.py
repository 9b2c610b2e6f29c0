"""A quote in a CSV file that is never closed, or text after a closing quote, in every CSV loader.

The csv module alone reads a quoted cell left open to the end of the file, every later row inside
it, without a word: a hierarchy lost its units, an observations file its rows, exit 0.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dvctt_rules import DataError, Problem
from dvctt_rules.datasets import load_dataset
from dvctt_rules.hierarchy import read_hierarchy_csv
from dvctt_rules.observations import Observations, load_observations
from dvctt_rules.rules import load_targets_csv
from dvctt_rules.testing import SAMPLE_UNIT_IDS

BINH_DUONG = load_dataset("binh-duong-2023").hierarchy
UNITS = SAMPLE_UNIT_IDS


def _observations(text: str) -> Observations:
    return load_observations(text.encode(), BINH_DUONG, format="csv", name="data.csv")


def _hierarchy(text: str) -> object:
    return read_hierarchy_csv(text.encode(), ["province", "commune"], name="units.csv")


def _targets(text: str) -> object:
    return load_targets_csv(text, source="targets.csv")


def _observation_rows(count: int) -> tuple[list[str], list[list[str]]]:
    header = ["unit", "period", "received_online", "received_direct", "note"]
    return header, [
        [UNITS[0], f"2024-{month:02d}", str(month), "1", "tạm tính"] for month in range(1, count + 1)
    ]


def _hierarchy_rows(count: int) -> tuple[list[str], list[list[str]]]:
    header = ["id", "name", "level", "parent", "ghi_chu"]
    rows = [["p", "Tỉnh P", "province", "", "x"]]
    rows += [[f"c{n}", f"Xã {n}", "commune", "p", "sáp nhập"] for n in range(1, count)]
    return header, rows


def _target_rows(count: int) -> tuple[list[str], list[list[str]]]:
    header = ["unit", "indicator", "target"]
    return header, [[f"u{n}", "online_dossier_rate", "85"] for n in range(count)]


LOADERS: dict[
    str, tuple[Callable[[int], tuple[list[str], list[list[str]]]], Callable[[str], object], str]
] = {
    "observations": (_observation_rows, _observations, "data.csv"),
    "hierarchy": (_hierarchy_rows, _hierarchy, "units.csv"),
    "targets": (_target_rows, _targets, "targets.csv"),
}


def _problems(load: Callable[[str], object], text: str) -> tuple[Problem, ...]:
    with pytest.raises(DataError) as info:
        load(text)
    return info.value.problems


@given(st.sampled_from(sorted(LOADERS)), st.data())
def test_a_quote_never_closed_is_reported_where_it_opens(kind: str, data: st.DataObject) -> None:
    rows_of, load, source = LOADERS[kind]
    header, rows = rows_of(data.draw(st.integers(1, 6), label="rows"))
    load("\n".join(",".join(row) for row in [header, *rows]) + "\n")  # the file as it should be: fine
    at_row = data.draw(st.integers(0, len(rows) - 1), label="row")
    at_cell = data.draw(st.integers(0, len(header) - 1), label="cell")
    rows[at_row][at_cell] = '"' + rows[at_row][at_cell]
    blank = data.draw(st.sampled_from(["", "\n"]), label="blank line before the rows")
    end = data.draw(st.sampled_from(["\n", "\r\n"]), label="line end")
    text = end.join([",".join(header), *([blank.strip()] if blank else []), *map(",".join, rows)]) + end
    (problem,) = _problems(load, text)
    line = at_row + 2 + (1 if blank else 0)
    assert (problem.source, problem.line, problem.column) == (source, line, header[at_cell])
    assert "never closed" in problem.message


@pytest.mark.parametrize("kind", sorted(LOADERS))
def test_text_after_a_closing_quote_is_reported_at_its_line(kind: str) -> None:
    # Read loosely, '"8"5' is the cell 85: a quote misplaced, most likely, and not to be guessed at.
    rows_of, load, source = LOADERS[kind]
    header, rows = rows_of(3)
    rows[1][-1] = '"8"5'
    (problem,) = _problems(load, "\n".join(",".join(row) for row in [header, *rows]) + "\n")
    assert (problem.source, problem.line) == (source, 3)
    assert problem.message == "a quoted cell goes on after its closing quote"


def test_a_quoted_cell_over_lines_is_still_one_cell() -> None:
    # Strictness refuses what is broken, not quoting: a note over two lines, closed, is read whole.
    text = f'unit,period,received_online,note\n{UNITS[0]},2024-01,5,"dòng 1\ndòng 2, ""đã sửa"""\n'
    (observation,) = list(_observations(text))
    assert observation.note == 'dòng 1\ndòng 2, "đã sửa"'


@pytest.mark.parametrize("kind", sorted(LOADERS))
def test_a_quote_never_closed_in_a_large_file_is_still_put_where_it_opens(kind: str) -> None:
    # Past 128 KB after the quote the csv module says "field larger than field limit" first: the
    # message named a line thousands of rows further down.
    rows_of, load, source = LOADERS[kind]
    header, rows = rows_of(4)
    rows[2][1] = '"' + rows[2][1]
    filler = [rows[3]] * 6000 if kind != "hierarchy" else []
    if kind == "hierarchy":  # distinct ids: the rows must differ only after the quote
        filler = [[f"c{n}x", "Xã", "commune", "p", "ghi chú dài"] for n in range(6000)]
    text = "\n".join(",".join(row) for row in [header, *rows, *filler]) + "\n"
    assert len(text) > 131_072
    (problem,) = _problems(load, text)
    assert (problem.source, problem.line, problem.column) == (source, 4, header[1])
    assert "never closed" in problem.message


def test_a_quote_closed_lines_later_is_put_where_it_opens() -> None:
    # The error named the valid line where a later quote closed it ("goes on after its closing quote").
    text = (
        'id,name,level,parent\np,Tỉnh P,province,\na,"Xã A,commune,p\nb,Xã B,commune,p\nc,"Xã C",commune,p\n'
    )
    (problem,) = _problems(_hierarchy, text)
    assert (problem.line, problem.column) == (3, "name")
    assert problem.message == "a quote opened in this row closes only on line 5, with more text after it"
