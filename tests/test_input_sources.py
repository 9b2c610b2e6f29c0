"""What the readers say when they are given the wrong kind of source: a spreadsheet workbook where a
text file was meant, or a file's text where its path was meant."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dvctt_rules import DataError
from dvctt_rules.datasets import load_dataset
from dvctt_rules.hierarchy import read_hierarchy_csv
from dvctt_rules.observations import load_observations
from dvctt_rules.rules import load_plan

HIERARCHY = load_dataset("binh-duong-2023").hierarchy


def _xlsx() -> bytes:
    """The first bytes of a workbook as Excel saves it: a zip archive of XML parts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>" * 50)
        archive.writestr("xl/workbook.xml", "<workbook/>" * 50)
    return buffer.getvalue()


# An Excel 97-2003 (.xls) file starts with the compound-document signature.
_XLS = bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504)

SPREADSHEET_HINT = "open it in the spreadsheet program and save it as CSV UTF-8, then load that file"
READERS: list[tuple[str, Callable[[Any], object]]] = [
    ("observations", lambda source: load_observations(source, HIERARCHY)),
    ("hierarchy", read_hierarchy_csv),
    ("plan", load_plan),
]


@pytest.mark.parametrize(("kind", "read"), READERS)
@pytest.mark.parametrize(
    ("suffix", "data", "what"),
    [
        (".xlsx", _xlsx(), "a zip archive (as an Excel .xlsx or OpenDocument .ods workbook is)"),
        (".csv", _xlsx(), "a zip archive (as an Excel .xlsx or OpenDocument .ods workbook is)"),
        (".xls", _XLS, "an Excel 97-2003 workbook (.xls)"),
    ],
)
def test_a_workbook_is_named_as_one(
    tmp_path: Path, kind: str, read: Callable[[Any], object], suffix: str, data: bytes, what: str
) -> None:
    # It was "the file is not UTF-8 (byte 0xc6); it seems to be UTF-16": true of its bytes, no help.
    path = tmp_path / f"{kind}{suffix}"
    path.write_bytes(data)
    with pytest.raises(DataError) as info:
        read(path)
    (problem,) = info.value.problems
    assert (problem.source, problem.line) == (str(path), None)
    assert problem.message == f"the file is {what}, not text"
    # A plan is JSON, whatever the workbook's name: not to be saved as CSV.
    assert problem.hint == ("give the JSON file itself" if kind == "plan" else SPREADSHEET_HINT)


def test_a_workbook_named_json_is_asked_for_the_json(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_bytes(_xlsx())
    with pytest.raises(DataError) as info:
        load_plan(path)
    assert info.value.problems[0].hint == "give the JSON file itself"


def test_a_text_file_that_starts_like_a_zip_archive_is_not_one(tmp_path: Path) -> None:
    # "PK" alone is text (a unit id could start with it); the signature has two control characters.
    path = tmp_path / "h.csv"
    path.write_text("id,name,level,parent\nPK,Tỉnh P,province,\n", encoding="utf-8")
    assert [u.id for u in read_hierarchy_csv(path, ("province",))] == ["PK"]


@pytest.mark.parametrize(
    "read",
    [
        lambda text: read_hierarchy_csv(text),
        lambda text: load_observations(text, HIERARCHY),
    ],
)
def test_text_given_for_a_path_is_refused_as_text(read: Callable[[str], object]) -> None:
    # The text was taken for a file name: "cannot read the file: No such file or directory", with
    # the whole text as the file's name.
    text = "id,name,level,parent\nP,Tỉnh P,province,\n"
    with pytest.raises(TypeError) as info:
        read(text)
    assert str(info.value) == (
        "source must be a path, bytes or an open file, got text of 2 lines (a path has no line break); "
        "pass the file's path, or the text as io.StringIO(text)"
    )


def test_the_text_in_a_stream_is_read() -> None:
    text = "id,name,level,parent\nP,Tỉnh P,province,\n"
    assert [u.name for u in read_hierarchy_csv(io.StringIO(text), ("province",))] == ["Tỉnh P"]


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_a_byte_not_utf8_is_the_one_named_after_a_bom_too(bom: bytes) -> None:
    # After a byte-order mark the byte named was three bytes early (the decoder counts after it).
    with pytest.raises(DataError) as info:
        read_hierarchy_csv(bom + "id,name,level,parent\nP,Tỉnh ".encode() + b"K\xea,province,\n")
    (problem,) = info.value.problems
    assert problem.line == 2
    assert problem.message.startswith("the file is not UTF-8 (byte 0xea)")
