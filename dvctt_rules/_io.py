"""Reading text and CSV input with located, actionable errors. Internal module."""

from __future__ import annotations

import csv
import io
import itertools
import operator
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, NoReturn

import attrs

from ._errors import DataError, Problem, described

__all__ = ["CsvRow", "CsvStream", "CsvTable", "Source", "read_csv", "read_text", "write_csv"]

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


#: What a CSV header with ';' or a tab in a cell most likely means.
SEPARATOR_HINT = "the file seems to use ';' or tabs between cells; save it comma-separated (CSV UTF-8)"


def separator_problem(
    header: Sequence[str], required: Sequence[str], source: str, line: int | None
) -> Problem | None:
    """The one problem of a header that lacks required columns and has one of them in a cell among
    others split by ';' or a tab: the file is most likely separated by them, not by commas (``None``
    when it is not so: a column named ``note;x`` of a comma-separated file is only a name). Internal."""
    missing = [column for column in required if column not in header]
    found = next(
        (
            cell
            for cell in header
            if any(name.strip() in missing for name in cell.replace("\t", ";").split(";"))
            and (";" in cell or "\t" in cell)
        ),
        None,
    )
    if not missing or found is None:
        return None
    return Problem(
        f"the header lacks the required column{'s' if len(missing) > 1 else ''} {', '.join(missing)}",
        source=source,
        line=line,
        value=found,
        hint=SEPARATOR_HINT,
    )


def _workbook(data: bytes) -> str | None:
    """What a spreadsheet workbook given for a text file is, by its first bytes; ``None`` otherwise."""
    if data.startswith(b"PK\x03\x04"):
        return "a zip archive (as an Excel .xlsx or OpenDocument .ods workbook is)"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "an Excel 97-2003 workbook (.xls)"
    return None


def read_text(source: Source, name: str | None = None, *, json: bool = False) -> tuple[str, str]:
    """Return ``(text, display_name)`` for ``source``, decoded as UTF-8 (a BOM is accepted).

    Raises :class:`DataError` naming the file, the line and the encoding it seems to be in when the
    bytes are not UTF-8 (or that they are a spreadsheet workbook), its hints for a JSON file when
    ``json`` or the name ends with ``.json``, and ``TypeError`` when ``source`` is none of these.
    """
    data: bytes | str
    if isinstance(source, str) and "\n" in source:  # the file's text itself, not its name
        raise TypeError(
            f"source must be a path, bytes or an open file, got text of {len(source.splitlines())} "
            "lines (a path has no line break); pass the file's path, or the text as io.StringIO(text)"
        )
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
    elif callable(getattr(source, "read", None)):
        display = name or str(getattr(source, "name", "<stream>"))
        data = source.read()
    else:
        raise TypeError(
            f"source must be a path, bytes or an open file, got {described(source)}; "
            "pass the file's path (a str or pathlib.Path)"
        )
    if isinstance(data, str):
        return data.removeprefix("\ufeff"), display
    workbook = _workbook(data)
    if workbook is not None:
        raise DataError(
            [
                Problem(
                    f"the file is {workbook}, not text",
                    source=display,
                    hint="give the JSON file itself"
                    if json or display.lower().endswith(".json")
                    else "open it in the spreadsheet program and save it as CSV UTF-8, then load that file",
                )
            ]
        )
    try:
        return data.decode("utf-8-sig"), display
    except UnicodeDecodeError as exc:
        data = exc.object  # after a BOM, as exc.start counts
        line = data[: exc.start].count(b"\n") + 1
        # Spreadsheet programs save CSV in the legacy encoding unless told "CSV UTF-8".
        how = "" if json or display.lower().endswith(".json") else " (CSV UTF-8 in spreadsheet programs)"
        raise DataError(
            [
                Problem(
                    f"the file is not UTF-8 (byte 0x{data[exc.start]:02x}); "
                    f"it seems to be {_guess_encoding(data)}",
                    source=display,
                    line=line,
                    hint=f"save it as UTF-8{how} and load it again",
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


def csv_reader(lines: Iterable[str]) -> Any:
    """The csv module's reader of ``lines``, strict: a quoted cell still open at the end of the text
    is an error (by default the csv module reads every later row into that cell, silently), as is
    text after a closing quote. Internal."""
    return csv.reader(lines, strict=True)


_OPEN_AT_END = "unexpected end of data"  # the csv module's error for a quote never closed


def malformed(
    exc: csv.Error,
    source: str,
    line: int,
    text: str | None,
    header: Sequence[str] = (),
    start: int | None = None,
) -> Problem:
    """The problem of :func:`csv_reader`'s ``exc`` raised at ``line`` in the row that starts at
    ``start``. A quote that opened a cell and never closed (the text ends inside it, or it grows
    past the csv module's size limit), or closed lines later with more text after it, is put where
    it opens, with its column when ``text`` is given and ``header`` names it. Internal."""
    start = line if start is None else start
    message = str(exc)
    spans = start < line  # the row runs over several lines: a quote opened at its start
    if message == _OPEN_AT_END or (spans and "field larger than field limit" in message):
        what = "a quote opened in this row is never closed: every later line would be read into its cell"
    elif "expected after" in message and spans:
        what = f"a quote opened in this row closes only on line {line}, with more text after it"
    elif "expected after" in message:  # strict: '"10"0' (the csv module alone reads '100')
        hint = 'quote the whole cell, writing a quote inside it twice (""), or remove the quotes'
        return Problem("a quoted cell goes on after its closing quote", source=source, line=line, hint=hint)
    else:
        return Problem(
            f"malformed CSV: {exc}", source=source, line=line, hint="check the quoting on this line"
        )
    return Problem(
        what,
        source=source,
        line=start,
        column=None if text is None else _open_column(text, start, header),
        hint='close the quote (") where the cell ends, or remove it',
    )


def _open_column(text: str, line: int, header: Sequence[str]) -> str | None:
    """The column of the cell whose quote opens on ``line`` of ``text`` and is not closed there:
    the last cell of the line read on its own."""
    found = next(itertools.islice(text_lines(text), line - 1, None), "")
    cells = next(csv.reader([found.rstrip("\r\n")]), [])
    at = len(cells) - 1
    return header[at] if 0 <= at < len(header) else None


class CsvStream:
    """Comma-separated lines with a header row (a text file opened with ``newline=""``, or an
    ``io.StringIO``), read row by row.

    The header is read and checked on construction (header names unique and non-blank, every
    ``required`` column there; an empty file raises :class:`DataError` at once). :meth:`rows` then
    yields each data row as ``(line, cells)``: blank lines are skipped, a row with fewer cells is
    padded with empty cells (they read as unknown), a row with more cells than the header is left
    out and recorded in :attr:`problems`, like the header's problems. Malformed CSV raises
    :class:`DataError` with every problem found so far. Nothing is kept in memory but the current row.
    """

    def __init__(
        self, lines: Iterable[str], display: str, *, required: tuple[str, ...] = (), text: str | None = None
    ) -> None:
        self.source = display
        self.problems: list[Problem] = []
        self._text = text  # where the lines come from, to place a quote never closed
        self.header: tuple[str, ...] = ()
        self._reader = reader = csv_reader(lines)
        last = 0  # the line the last row read ends on: the next row starts after it
        try:
            header_row = next(reader, None)
            while header_row is not None and not any(cell.strip() for cell in header_row):
                last = reader.line_num
                header_row = next(reader, None)
        except csv.Error as exc:
            self._malformed(exc, last + 1)
        if header_row is None:
            raise DataError(
                [Problem("the file is empty", source=display, hint="give a header row and data rows")]
            )
        self.header = tuple(cell.strip() for cell in header_row)
        self.header_line = header_line = reader.line_num
        seen: set[str] = set()
        for position, column in enumerate(self.header, start=1):
            if not column:
                self.problems.append(
                    Problem(
                        f"header cell {position} is blank",
                        source=display,
                        line=header_line,
                        hint="name every column or delete the empty one",
                    )
                )
            elif column in seen:
                self.problems.append(
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
            if column not in self.header:
                self.problems.append(
                    Problem(
                        f"the required column {column!r} is missing",
                        source=display,
                        line=header_line,
                        hint=f"the header must contain {', '.join(required)}",
                    )
                )

    @property
    def reader(self) -> Any:
        """The underlying ``csv.reader``, positioned after the header: for callers that check blank
        and short rows themselves (:meth:`rows` does it for the others)."""
        return self._reader

    def _malformed(self, exc: csv.Error, start: int) -> NoReturn:
        line = self._reader.line_num
        self.problems.append(malformed(exc, self.source, line, self._text, self.header, start))
        raise DataError(self.problems) from None

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """The data rows as ``(line, cells)``, cells padded to the header's width."""
        reader = self._reader
        width = len(self.header)
        last = reader.line_num  # where the last row read ends: a row that fails starts after it
        try:
            for cells in reader:
                last = reader.line_num
                size = len(cells)
                if size == width:
                    if cells[0].strip() or any(cell.strip() for cell in cells):
                        yield reader.line_num, cells
                    continue
                if not any(cell.strip() for cell in cells):
                    continue
                if size > width:
                    self.problems.append(
                        Problem(
                            f"the row has {size} cells but the header has {width}",
                            source=self.source,
                            line=reader.line_num,
                            hint="remove the extra cells or quote cells that contain commas",
                        )
                    )
                    continue
                yield reader.line_num, cells + [""] * (width - size)
        except csv.Error as exc:
            self._malformed(exc, last + 1)


# Text the csv module reads as plain splits: without quotes, carriage returns (line ends other than
# a newline) and NUL characters (which it refuses), each line is one row, its cells split at commas.
_NOT_PLAIN = ('"', "\r", "\0")


def plain_lines(text: str) -> list[str] | None:
    """The lines of CSV ``text`` when the csv module would read each one as its cells split at commas
    (no quote, carriage return or NUL character, no line as long as the csv module's limit on a
    cell); ``None`` otherwise. Rows: :func:`split_lines`. Internal."""
    if any(mark in text for mark in _NOT_PLAIN):
        return None
    lines = text.split("\n")
    if not lines[-1]:
        lines.pop()  # after the last newline
    if max(map(len, lines), default=0) >= csv.field_size_limit():
        return None
    return lines


def split_lines(lines: Iterable[str]) -> list[list[str]]:
    """The csv module's rows of :func:`plain_lines` (a blank line is an empty row). Internal."""
    return [line.split(",") if line else [] for line in lines]


def read_csv(source: Source, name: str | None = None, *, required: tuple[str, ...] = ()) -> CsvTable:
    """Parse a comma-separated UTF-8 file with a header row.

    Checks that the file is not empty, that header names are unique and non-blank, that every
    ``required`` column is there, and that no row has more cells than the header. Blank lines are
    skipped; a row with fewer cells is padded with empty cells (they read as unknown).
    """
    display, header, rows = stream_csv(source, name, required=required)
    return CsvTable(display, header, tuple(rows))


def stream_csv(
    source: Source, name: str | None = None, *, required: tuple[str, ...] = ()
) -> tuple[str, tuple[str, ...], Iterator[CsvRow]]:
    """:func:`read_csv` one row at a time, for files too large to hold as a table: the display name,
    the header, and the rows as they are read. A first pass makes the checks of :func:`read_csv`
    (header, row widths, quoting) and raises before any row is given."""
    text, display = read_text(source, name)
    header, rows = stream_csv_text(text, display, required=required)
    return display, header, rows


def stream_csv_text(
    text: str, display: str, *, required: tuple[str, ...] = ()
) -> tuple[tuple[str, ...], Iterator[CsvRow]]:
    """:func:`stream_csv` of text already read: the header and the rows. Internal."""
    check = CsvStream(text_lines(text), display, required=required, text=text)
    for _ in check.rows():
        pass
    if check.problems:
        raise DataError(check.problems)
    stream = CsvStream(text_lines(text), display, required=required)
    header = stream.header
    rows = (CsvRow(line, dict(zip(header, cells, strict=True))) for line, cells in stream.rows())
    return header, rows


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def text_lines(text: str) -> Iterator[str]:
    """The lines of ``text`` one at a time, as ``io.StringIO(text, newline="")`` gives them (each
    with its end: ``"\r\n"``, ``"\r"`` or ``"\n"``), without the copy a ``StringIO`` makes (four
    bytes a character). Internal."""
    return map(operator.methodcaller("group"), _LINE.finditer(text))


def write_csv(header: tuple[str, ...] | list[str], rows: Iterator[list[str]] | list[list[str]]) -> str:
    """Render rows as CSV text with ``\\n`` line ends (UTF-8 when written, no BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    # The csv module does not quote a bare "\r" when the line terminator is "\n": quote such rows whole.
    quoted = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for row in [list(header), *rows]:
        (quoted if any("\r" in cell for cell in row) else writer).writerow(row)
    return buffer.getvalue()
