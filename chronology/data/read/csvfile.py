"""Parse one CSV table into a DataFrame of stripped strings, with each row's spreadsheet number.

A plain file (one record per line, every row the header's width) is read by pyarrow in a
fraction of the time; anything else — blank lines, values spanning lines, malformed rows,
quoting the csv module refuses — is read by the csv module, which gives the exact row of
each problem. Both give the same frame and numbers for a plain file.

Nothing here changes the process: the csv module's field limit is global (``csv.field_size_limit``),
so it is read, never set. A cell longer than that limit (131,072 characters by default) and no
longer than :data:`FIELD_LIMIT` is rare — a quote opened and never closed, or hostile input —
and such a file is read by :func:`_read_by_hand`, the same reading in Python. Arrow buffers come
from the system allocator's pool, passed to each call (``memory_pool=``), not set as the default.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

__all__ = ["FIELD_LIMIT", "CsvError", "Parsed", "TooLarge", "parse_csv", "read_records"]

FIELD_LIMIT = 1_000_000  # characters in one CSV cell
_MAX_BLOCK = 1 << 30  # bytes pyarrow reads as one block (a larger file comes in chunks)
# What str.strip() strips: every character whose str.isspace() is true.
_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# The bytes a cell can start or end with when its first or last character is whitespace:
# a cell whose edge bytes are none of these needs no look at its characters.
_FIRST_BYTES = np.zeros(256, dtype=bool)
_FIRST_BYTES[[c.encode()[0] for c in _WHITESPACE]] = True
_LAST_BYTES = np.zeros(256, dtype=bool)
_LAST_BYTES[[c.encode()[-1] for c in _WHITESPACE]] = True
# The C library's allocator gives memory back once the reading's buffers are freed; Arrow's
# default pool (mimalloc) keeps it for reuse, which leaves a large load holding twice its size.
# Passed to each Arrow call here; pandas' own Arrow calls use the default pool, which the app
# sets (chronology.ui.loading), not the library.
_POOL = pa.system_memory_pool()
_SLICE = 1 << 24  # bytes of a file searched for quotes at once
_OPENS_AFTER = np.zeros(256, dtype=bool)  # what may stand before an opening quote
_OPENS_AFTER[list(b',\n"')] = True
_CLOSES_BEFORE = np.zeros(256, dtype=bool)  # what may follow a closing quote
_CLOSES_BEFORE[list(b',\r\n"')] = True


class CsvError(Exception):
    """The csv module cannot read the file; ``row`` is the record being read (or None)."""

    def __init__(self, message: str, row: int | None) -> None:
        super().__init__(message)
        self.row = row


class TooLarge(CsvError):
    """More records or cells than the reader was asked to take; the message says which."""


@dataclass(slots=True)
class Parsed:
    """The header (stripped) and its row, and the other non-blank records."""

    header: list[str]
    header_row: int
    records: list[tuple[int, list[str]]] | None  # (row, cells) from the csv module, or None
    frame: pd.DataFrame | None  # the rows read by pyarrow, one column per header cell
    numbers: np.ndarray | None


def parse_csv(data: bytes, header_ok: Callable[[list[str]], bool]) -> Parsed | None:
    """The file's header and rows; None when it has no non-blank record.

    ``header_ok(header)`` says whether the header is usable: only then is the fast path tried
    (a bad header is reported from the csv module's reading, as before). Raises CsvError, or
    UnicodeDecodeError (from ``data.decode("utf-8-sig")``) when the file is not UTF-8: pyarrow
    checks the text it reads, so the whole file is decoded only for the csv module.
    """
    fast = _fast(data, header_ok)
    return fast if fast is not None else _slow(data.decode("utf-8-sig"))


def read_records(
    text: str,
    delimiter: str = ",",
    max_records: int | None = None,
    max_cells: int | None = None,
) -> list[list[str]]:
    """Every record of ``text`` as the csv module reads it (strict), blank ones as ``[]``.

    Cells may hold up to :data:`FIELD_LIMIT` characters whatever the process's
    ``csv.field_size_limit``, which is read, never set (other threads read CSV too). Raises
    :class:`CsvError`: with the row of the record being read for a cell over the limit;
    :class:`TooLarge` as soon as more than ``max_records`` records or ``max_cells`` cells are
    read (None: no limit), so a huge file is not read whole to be refused.
    """
    records: list[list[str]] = []
    limit = csv.field_size_limit()  # read only: with no argument it changes nothing
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        if max_records is None and max_cells is None:
            records.extend(reader)
        else:
            cells = 0
            for record in reader:
                records.append(record)
                cells += len(record)
                if max_records is not None and len(records) > max_records:
                    raise TooLarge(f"more than {max_records - 1:,} rows", None)
                if max_cells is not None and cells > max_cells:
                    raise TooLarge(f"more than {max_cells:,} cells", len(records))
    except csv.Error as exc:
        if "field limit" not in str(exc):
            raise CsvError(str(exc), None) from None
        if limit >= FIELD_LIMIT:
            raise CsvError(_over_limit(FIELD_LIMIT), len(records) + 1) from None
        records = _read_by_hand(text, delimiter)  # a cell over the process's limit, maybe not ours
        if max_records is not None and len(records) > max_records:
            raise TooLarge(f"more than {max_records - 1:,} rows", None) from None
        if max_cells is not None and sum(map(len, records)) > max_cells:
            raise TooLarge(f"more than {max_cells:,} cells", None) from None
        return records
    if limit > FIELD_LIMIT:  # the process allows longer cells than we do
        for n, record in enumerate(records, start=1):
            if any(len(cell) > FIELD_LIMIT for cell in record):
                raise CsvError(_over_limit(FIELD_LIMIT), n)
    return records


def _over_limit(limit: int) -> str:
    return f"field larger than field limit ({limit})"  # the csv module's words


def _read_by_hand(text: str, delimiter: str) -> list[list[str]]:
    """:func:`read_records` in Python, for a file with a cell over the csv module's limit.

    The same records as the csv module's strict reading (``\r\n``, ``\r`` or ``\n`` end a
    record outside quotes; ``""`` inside quotes is one quote; a quote inside an unquoted cell
    is kept; text after a closing quote is an error), with :data:`FIELD_LIMIT` as the limit.
    """
    if "\x00" in text:
        raise CsvError("line contains NUL", None)
    unquoted = re.compile(f"[^{re.escape(delimiter)}\r\n]*")
    records: list[list[str]] = []
    pos, end = 0, len(text)
    while pos < end:
        cells: list[str] = []
        if text[pos] not in "\r\n":
            while True:
                if text.startswith('"', pos):
                    parts, start = [], pos + 1
                    while True:
                        close = text.find('"', start)
                        if close < 0:  # the csv module reads on to the end: too long, or no end
                            if end - pos - 1 > FIELD_LIMIT:
                                raise CsvError(_over_limit(FIELD_LIMIT), len(records) + 1)
                            raise CsvError("unexpected end of data", None)
                        parts.append(text[start:close])
                        if not text.startswith('"', close + 1):
                            break
                        parts.append('"')
                        start = close + 2
                    cell, pos = "".join(parts), close + 1
                    if pos < end and text[pos] not in (delimiter, "\r", "\n"):
                        raise CsvError(f"'{delimiter}' expected after '\"'", None)
                else:
                    found = unquoted.match(text, pos)
                    assert found is not None  # the pattern matches the empty string too
                    cell, pos = found.group(), found.end()
                if len(cell) > FIELD_LIMIT:
                    raise CsvError(_over_limit(FIELD_LIMIT), len(records) + 1)
                cells.append(cell)
                if not text.startswith(delimiter, pos):
                    break
                pos += 1
        pos += 2 if text.startswith("\r\n", pos) else 1
        records.append(cells)
    return records


def _slow(text: str) -> Parsed | None:
    """Every record through the csv module (strict), blank ones dropped but counted."""
    records = read_records(text)
    numbered = [(n, r) for n, r in enumerate(records, start=1) if any(c.strip() for c in r)]
    if not numbered:
        return None
    header_row, first = numbered[0]
    return Parsed([h.strip() for h in first], header_row, numbered[1:], None, None)


def _fast(data: bytes, header_ok: Callable[[list[str]], bool]) -> Parsed | None:
    """pyarrow's reading of a plain file, or None when the file is not plain."""
    body_start = data.find(b"\n") + 1
    if not body_start:
        return None
    try:
        first_line = data[:body_start].decode("utf-8-sig")  # '\n' is one byte in UTF-8
    except UnicodeDecodeError:  # reported from the whole file's decoding
        return None
    if not first_line.strip():
        return None
    try:
        [first] = list(csv.reader([first_line.rstrip("\r\n")], strict=True))
    except (csv.Error, ValueError):
        return None
    header = [h.strip() for h in first]
    if not header_ok(header):
        return None
    skip = data.index(b"\n") + 1  # the header line (and a BOM before it)
    body = memoryview(data)[skip:]  # no copy of a large file
    if data.find(b'"', skip) >= 0 and not _plain_quoting(data, skip):
        return None
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(body)),
            # one block: each column comes as one array, with no copy to join its chunks
            # (threads would split the file into blocks; they save little on a busy machine)
            read_options=pacsv.ReadOptions(
                column_names=header,
                autogenerate_column_names=False,
                use_threads=False,
                block_size=min(len(body) + 1, _MAX_BLOCK),
            ),
            # a row of another width raises (the default): not plain
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.large_string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                check_utf8=True,  # bytes that are not UTF-8: an error, then the slow path
            ),
            memory_pool=_POOL,
        )
    except pa.ArrowException:  # a row of another width, bytes that are not UTF-8, …
        return None
    newlines = data.count(b"\n", skip)
    lines = newlines + (0 if len(body) == 0 or data.endswith(b"\n") else 1)
    if table.num_rows != lines:  # blank lines, or values spanning lines: not plain
        return None
    columns = {}
    for i, name in enumerate(header):
        chunks = table.column(i)
        column = chunks.chunk(0) if chunks.num_chunks == 1 else chunks.combine_chunks(_POOL)
        if len(body) > FIELD_LIMIT and pc.max(pc.binary_length(column)).as_py() > FIELD_LIMIT:
            return None
        if _edge_space(column):  # rare: only then copy the column
            column = pc.utf8_trim(column, characters=_WHITESPACE, memory_pool=_POOL)
        columns[name] = column
    n_rows = table.num_rows
    del table  # its buffers go as soon as the columns are copied
    numbers = np.arange(2, n_rows + 2)
    blank = None  # rows whose every cell is empty: blank lines to a spreadsheet
    for column in columns.values():
        empty = pc.equal(column, "")
        blank = empty if blank is None else pc.and_(blank, empty)
        if not pc.any(blank).as_py():  # (the first column is mostly enough to tell)
            break
    if blank is not None and pc.any(blank).as_py():
        columns = {n: c.filter(pc.invert(blank)) for n, c in columns.items()}
        numbers = numbers[~blank.to_numpy(zero_copy_only=False)]
    frame = pd.DataFrame(
        {n: pd.Series(c, dtype="str") for n, c in columns.items()},
        index=pd.RangeIndex(len(numbers)),
    )
    return Parsed(header, 1, None, frame, numbers)


def _plain_quoting(data: bytes, start: int) -> bool:
    """Whether the quotes of ``data[start:]`` only open and close whole fields (a doubled quote
    inside one counts as a close and an open), and no quoted value spans lines.

    Then the csv module reads the text as pyarrow does. Otherwise — a quote inside an
    unquoted value, text after a closing quote (which the csv module refuses) — the file is
    left to the csv module. The quotes taken in order alternate: each even one must stand at
    a field's start, each odd one at its end.
    """
    text = np.frombuffer(data, dtype=np.uint8)
    quotes, breaks = [], []
    for at in range(start, len(text), _SLICE):
        part = text[at : at + _SLICE]
        quotes.append(np.flatnonzero(part == ord('"')) + at)
        breaks.append(np.flatnonzero(part == ord("\n")) + at)
    found, lines = np.concatenate(quotes), np.concatenate(breaks)
    if len(found) % 2:
        return False
    opening, closing = found[0::2], found[1::2]
    before = text[np.maximum(opening - 1, 0)]
    after = text[np.minimum(closing + 1, len(text) - 1)]
    return bool(
        (_OPENS_AFTER[before] | (opening == start)).all()
        and (_CLOSES_BEFORE[after] | (closing == len(text) - 1)).all()
        and not (np.searchsorted(found, lines) % 2).any()  # a line break inside quotes
    )


def _edge_space(column: pa.Array) -> bool:
    """Whether some cell starts or ends with whitespace (what str.strip would remove).

    Looks at each cell's first and last byte in the column's own buffers; only cells whose
    edge byte could belong to a whitespace character are read as text.
    """
    offsets, data = _buffers(column)
    starts, ends = offsets[:-1], offsets[1:]
    filled = ends > starts
    starts, ends = starts[filled], ends[filled]
    maybe = _FIRST_BYTES[data[starts]] | _LAST_BYTES[data[ends - 1]]
    if not maybe.any():
        return False
    cells = column.take(np.flatnonzero(filled)[maybe]).to_pylist()
    return any(c[0] in _WHITESPACE or c[-1] in _WHITESPACE for c in cells)


def _buffers(column: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """A large_string array's offsets (one more than its length) and bytes, as numpy views."""
    _, offsets, data = column.buffers()
    starts = np.frombuffer(offsets, dtype=np.int64)[column.offset : column.offset + len(column) + 1]
    text = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
    return starts, text
