"""Parse one CSV table into a DataFrame of stripped strings, with each row's spreadsheet number.

A plain file (one record per line, every row the header's width) is read by pyarrow in a
fraction of the time; anything else — blank lines, values spanning lines, malformed rows,
quoting the csv module refuses — is read by the csv module, which gives the exact row of
each problem. Both give the same frame and numbers for a plain file.
"""

from __future__ import annotations

import contextlib
import csv
import ctypes
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

__all__ = ["FIELD_LIMIT", "CsvError", "Parsed", "parse_csv", "release_memory"]

FIELD_LIMIT = 1_000_000  # characters in one CSV cell
# What str.strip() strips: every character whose str.isspace() is true.
_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_SPACES = pa.array(list(_WHITESPACE), pa.large_string())
# The C library's allocator gives memory back once the reading's buffers are freed; Arrow's
# default pool (mimalloc) keeps it for reuse, which leaves a large load holding twice its size.
# Every Arrow buffer of the load is short-lived or kept in a DataFrame: use it throughout
# (pandas' own Arrow calls included); 100,000 events peak ~75 MB lower.
_POOL = pa.system_memory_pool()
pa.set_memory_pool(_POOL)
_LIBC = None
with contextlib.suppress(OSError, AttributeError):  # glibc only: elsewhere a no-op
    _LIBC = ctypes.CDLL("libc.so.6").malloc_trim
# A quoted field followed by anything but a separator or a line end: the csv module refuses it.
_BAD_QUOTE = re.compile(rb'(?:^|,)"(?:[^"]|"")*+"(?![,\r\n]|\Z)', re.MULTILINE)


class CsvError(Exception):
    """The csv module cannot read the file; ``row`` is the record being read (or None)."""

    def __init__(self, message: str, row: int | None) -> None:
        super().__init__(message)
        self.row = row


@dataclass(slots=True)
class Parsed:
    """The header (stripped) and its row, and the other non-blank records."""

    header: list[str]
    header_row: int
    records: list[tuple[int, list[str]]] | None  # (row, cells) from the csv module, or None
    frame: pd.DataFrame | None  # the rows read by pyarrow, one column per header cell
    numbers: np.ndarray | None


def parse_csv(data: bytes, header_ok: Callable[[list[str]], bool]) -> Parsed | None:
    """The file's header and rows (``data``: valid UTF-8); None when it has no non-blank record.

    ``header_ok(header)`` says whether the header is usable: only then is the fast path tried
    (a bad header is reported from the csv module's reading, as before). Raises CsvError.
    """
    fast = _fast(data, header_ok)  # the whole text is decoded only for the csv module
    return fast if fast is not None else _slow(data.decode("utf-8-sig"))


def _slow(text: str) -> Parsed | None:
    """Every record through the csv module (strict), blank ones dropped but counted."""
    old_limit = csv.field_size_limit(FIELD_LIMIT)
    records: list[list[str]] = []
    try:
        records.extend(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        row = len(records) + 1 if "field limit" in str(exc) else None
        raise CsvError(str(exc), row) from None
    finally:
        csv.field_size_limit(old_limit)
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
    first_line = data[:body_start].decode("utf-8-sig")  # '\n' is one byte in UTF-8
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
    if data.find(b'"', skip) >= 0 and _BAD_QUOTE.search(data, skip):
        return None
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(body)),
            read_options=pacsv.ReadOptions(column_names=header, autogenerate_column_names=False),
            parse_options=pacsv.ParseOptions(invalid_row_handler=_not_plain),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.large_string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
            memory_pool=_POOL,
        )
    except pa.ArrowException:  # a row of another width (below), or bytes pyarrow refuses
        return None
    newlines = data.count(b"\n", skip)
    lines = newlines + (0 if len(body) == 0 or data.endswith(b"\n") else 1)
    if table.num_rows != lines:  # blank lines, or values spanning lines: not plain
        return None
    columns = {}
    for i, name in enumerate(header):
        column = table.column(i)
        if len(body) > FIELD_LIMIT and pc.max(pc.binary_length(column)).as_py() > FIELD_LIMIT:
            return None
        if _edge_space(column):  # rare: only then copy the column
            column = pc.utf8_trim(column, characters=_WHITESPACE, memory_pool=_POOL)
        columns[name] = column.combine_chunks(_POOL)
    n_rows = table.num_rows
    del table  # its buffers go as soon as the columns are copied
    numbers = np.arange(2, n_rows + 2)
    blank = None  # rows whose every cell is empty: blank lines to a spreadsheet
    for column in columns.values():
        empty = pc.equal(column, "")
        blank = empty if blank is None else pc.and_(blank, empty)
    if blank is not None and pc.any(blank).as_py():
        columns = {n: c.filter(pc.invert(blank)) for n, c in columns.items()}
        numbers = numbers[~blank.to_numpy(zero_copy_only=False)]
    frame = pd.DataFrame(
        {n: pd.Series(c, dtype="str") for n, c in columns.items()},
        index=pd.RangeIndex(len(numbers)),
    )
    return Parsed(header, 1, None, frame, numbers)


def _not_plain(_row: object) -> str:
    """A row of another width: stop, and leave the file to the csv module."""
    return "error"


def _edge_space(column: pa.ChunkedArray) -> bool:
    """Whether some cell starts or ends with whitespace (its first or last character only)."""
    for start, stop in ((0, 1), (-1, None)):
        edge = pc.utf8_slice_codeunits(column, start=start, stop=stop)
        if pc.any(pc.is_in(edge, value_set=_SPACES)).as_py():
            return True
    return False


def release_memory() -> None:
    """Hand the C heap's free pages back to the system (glibc keeps them after large frees).

    Called between the steps of a load: a file's transient buffers would otherwise stay
    resident under the next step's, raising the peak (100,000 events: ~50 MB).
    """
    if _LIBC is not None:
        _LIBC(0)
