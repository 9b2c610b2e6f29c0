"""Reading text and CSV input with located, actionable errors. Internal module."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import attrs

from ._errors import DataError, Problem

__all__ = ["CsvRow", "CsvTable", "Source", "read_csv", "read_text", "write_csv"]

#: Where input may come from: a path, raw bytes, or an open file (text or binary).
Source = str | os.PathLike[str] | bytes | IO[str] | IO[bytes]


def _guess_encoding(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:200].count(b"\x00") > 10:
        return "UTF-16"
    try:
        data.decode("cp1258")
    except UnicodeDecodeError:
        return "an 8-bit legacy encoding"
    return "Windows-1258 (Vietnamese) or another 8-bit encoding such as Latin-1"


def read_text(source: Source, name: str | None = None) -> tuple[str, str]:
    """Return ``(text, display_name)`` for ``source``, decoded as UTF-8 (a BOM is accepted).

    Raises :class:`DataError` naming the file, the line and the encoding it seems to be in when the
    bytes are not UTF-8.
    """
    data: bytes | str
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        display = name or str(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DataError(
                [
                    Problem(
                        f"cannot read the file: {exc.strerror or exc}",
                        source=display,
                        hint="check the path and permissions",
                    )
                ]
            ) from None
    elif isinstance(source, bytes):
        display, data = name or "<bytes>", source
    else:
        display = name or str(getattr(source, "name", "<stream>"))
        data = source.read()
    if isinstance(data, str):
        return data.removeprefix("\ufeff"), display
    try:
        return data.decode("utf-8-sig"), display
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(
            [
                Problem(
                    f"the file is not UTF-8 (byte 0x{data[exc.start]:02x}); "
                    f"it seems to be {_guess_encoding(data)}",
                    source=display,
                    line=line,
                    hint="save it as UTF-8 (CSV UTF-8 in spreadsheet programs) and load it again",
                )
            ]
        ) from None


@attrs.frozen
class CsvRow:
    """One data row: its physical line number (1-based, the header is line 1) and its cells by column."""

    line: int
    cells: dict[str, str]


@attrs.frozen
class CsvTable:
    """A parsed CSV file: its display name, header and rows."""

    source: str
    header: tuple[str, ...]
    rows: tuple[CsvRow, ...]


def read_csv(source: Source, name: str | None = None, *, required: tuple[str, ...] = ()) -> CsvTable:
    """Parse a comma-separated UTF-8 file with a header row.

    Checks that the file is not empty, that header names are unique and non-blank, that every
    ``required`` column is there, and that no row has more cells than the header. Blank lines are
    skipped; a row with fewer cells is padded with empty cells (they read as unknown).
    """
    text, display = read_text(source, name)
    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[Problem] = []
    try:
        header_row = next(reader, None)
        while header_row is not None and not any(cell.strip() for cell in header_row):
            header_row = next(reader, None)
        if header_row is None:
            raise DataError(
                [Problem("the file is empty", source=display, hint="give a header row and data rows")]
            )
        header = tuple(cell.strip() for cell in header_row)
        header_line = reader.line_num
        seen: set[str] = set()
        for position, column in enumerate(header, start=1):
            if not column:
                problems.append(
                    Problem(
                        f"header cell {position} is blank",
                        source=display,
                        line=header_line,
                        hint="name every column or delete the empty one",
                    )
                )
            elif column in seen:
                problems.append(
                    Problem(
                        "the column appears twice in the header",
                        source=display,
                        line=header_line,
                        column=column,
                        hint="keep one of them",
                    )
                )
            seen.add(column)
        for column in required:
            if column not in header:
                problems.append(
                    Problem(
                        f"the required column {column!r} is missing",
                        source=display,
                        line=header_line,
                        hint=f"the header must contain {', '.join(required)}",
                    )
                )
        rows: list[CsvRow] = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header):
                problems.append(
                    Problem(
                        f"the row has {len(cells)} cells but the header has {len(header)}",
                        source=display,
                        line=reader.line_num,
                        hint="remove the extra cells or quote cells that contain commas",
                    )
                )
                continue
            padded = list(cells) + [""] * (len(header) - len(cells))
            rows.append(CsvRow(reader.line_num, dict(zip(header, padded, strict=True))))
    except csv.Error as exc:
        problems.append(
            Problem(
                f"malformed CSV: {exc}",
                source=display,
                line=reader.line_num,
                hint="check the quoting on this line",
            )
        )
        raise DataError(problems) from None
    if problems:
        raise DataError(problems)
    return CsvTable(display, header, tuple(rows))


def write_csv(header: tuple[str, ...] | list[str], rows: Iterator[list[str]] | list[list[str]]) -> str:
    """Render rows as CSV text with ``\\n`` line ends (UTF-8 when written, no BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    # The csv module does not quote a bare "\r" when the line terminator is "\n": quote such rows whole.
    quoted = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for row in [list(header), *rows]:
        (quoted if any("\r" in cell for cell in row) else writer).writerow(row)
    return buffer.getvalue()
