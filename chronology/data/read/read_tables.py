"""Read the CSV tables of a data package: files, encoding, header, rows; then their structure.

Each file is read whole (pyarrow for a plain file, the csv module otherwise; see ``csvfile``)
into a :class:`~.table.Table`, checked column by column (``validate.fields``), and the references
between the tables last.
"""

from __future__ import annotations

import difflib

import numpy as np
import pandas as pd

from ..errors import Problem
from ..schema import Resource, Schema
from ..validate.fields import check_references, check_values
from .csvfile import FIELD_LIMIT, CsvError, Parsed, parse_csv
from .files import NotAFile, Outside, Package
from .table import Collector, Table, link

__all__ = ["read_tables"]


def read_tables(package: Package, schema: Schema) -> tuple[dict[str, Table], list[Problem]]:
    """Read every declared table; return those that parsed and every structural problem.

    The problems come file by file, each file's in the order it is checked: reading, then
    values; the references last. The values are checked once every table is read, so that
    each table's ids are looked up once for all the columns that refer to them.
    """
    tables: dict[str, Table] = {}
    found: list[Collector] = []  # each file's problems
    for res in schema.resources:
        out = Collector()
        found.append(out)
        try:
            data = _decode(res, package, out)
        except FileNotFoundError:  # an optional file left out: a table of no rows
            tables[res.name] = _empty(res)
            continue
        if data is None:
            continue
        table = _parse(res, data, out)
        del data  # before the checks: a large file's bytes are no longer needed
        if table is None:
            continue
        if len(table) < res.min_rows:
            out.add(
                Problem(
                    res.path,
                    "the table has no rows",
                    f"add at least one row of {res.title.lower()}",
                    row=2,
                )
            )
        tables[res.name] = table
    link(tables)
    every = Collector()
    for res, out in zip(schema.resources, found, strict=True):
        if res.name in tables:
            check_values(tables[res.name], out, tables)
        for problem in out.problems:
            every.add(problem)
    check_references(tables, every)
    return tables, every.problems


def _empty(resource: Resource) -> Table:
    """The table of an optional file left out: every declared column, no rows."""
    frame = pd.DataFrame({c: pd.Series([], dtype="str") for c in resource.columns})
    return Table(resource, frame, np.zeros(0, dtype=np.int64))


def _decode(resource: Resource, package: Package, out: Collector) -> bytes | None:
    """The file's bytes once they are known to be text, or None with a problem recorded."""
    name = resource.path
    header = ",".join(resource.core_columns)
    try:
        data = package.read_table(name)
    except Outside:
        out.add(
            Problem(
                name,
                "the file is a link that leads outside the data directory",
                f"put the file itself in the data directory, with the header: {header}",
            )
        )
        return None
    except FileNotFoundError:
        if resource.optional_file:
            raise
        out.add(Problem(name, "the file is missing", f"create {name} with the header: {header}"))
        return None
    except (NotAFile, IsADirectoryError) as exc:
        what = "a folder" if isinstance(exc, IsADirectoryError) else "not a regular file"
        out.add(Problem(name, f"the file is {what}", f"create {name} with the header: {header}"))
        return None
    except OSError as exc:
        out.add(Problem(name, f"the file cannot be read ({exc.strerror})", "check its permissions"))
        return None
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        out.add(
            Problem(
                name,
                "the file is UTF-16 text, not UTF-8",
                "save the file as UTF-8 (in a spreadsheet: CSV UTF-8)",
            )
        )
        return None
    nul = data.find(b"\x00")
    if 0 <= nul < 65536:
        out.add(
            Problem(
                name,
                "the file is binary, not CSV text",
                f"replace it with a UTF-8 CSV file whose header is: {header}",
            )
        )
        return None
    if nul >= 0:  # text with a stray NUL further on: say where
        out.add(
            Problem(
                name,
                "the file holds a NUL byte (character code 0)",
                "delete the NUL byte from that row, or save the file again as UTF-8 CSV",
                row=data.count(b"\n", 0, nul) + 1,
            )
        )
        return None
    return data  # whether it is UTF-8 is found while parsing it (see _parse)


def _not_utf8(name: str, data: bytes, exc: UnicodeDecodeError) -> Problem:
    """The first byte that is not UTF-8, and its line."""
    return Problem(
        name,
        f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} at byte {exc.start})",
        "save the file as UTF-8 (in a spreadsheet: CSV UTF-8)",
        row=data.count(b"\n", 0, exc.start) + 1,
    )


def _check_header(resource: Resource, header: list[str], row: int, out: Collector) -> bool:
    """Unknown, missing required, and repeated columns, or another separator; True when usable."""
    name, declared = resource.path, resource.columns
    separator = _other_separator(header, declared)
    if separator:
        out.add(
            Problem(
                name,
                f"the file seems to use {separator!r} as separator, not ','",
                "save it as comma-separated CSV (in a spreadsheet: CSV UTF-8, comma-delimited), "
                f"with the header: {','.join(declared)}",
                row=row,
            )
        )
        return False
    ok = True
    for col in header:
        if col not in declared:
            close = difflib.get_close_matches(col, declared, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            out.add(
                Problem(
                    name,
                    f"unknown column {col!r}",
                    f"{hint}the columns are: {', '.join(declared)}",
                    row=row,
                    column=col,
                )
            )
            ok = False
    for f in resource.fields:
        if f.name not in header and f.required:
            out.add(
                Problem(
                    name,
                    f"required column {f.name!r} is missing",
                    f"add a column {f.name!r} ({f.description})",
                    row=row,
                    column=f.name,
                )
            )
            ok = False
    if len(set(header)) != len(header):
        dupes = sorted({h for h in header if header.count(h) > 1})
        out.add(
            Problem(name, f"repeated column {dupes[0]!r}", "keep one column of each name", row=row)
        )
        ok = False
    return ok


def _other_separator(header: list[str], declared: list[str]) -> str:
    """';' (or tab, '|') when splitting the header on it finds more declared columns than ','."""
    known = sum(h in declared for h in header)
    for separator in (";", "\t", "|"):
        cells = [c.strip() for h in header for c in h.split(separator)]
        if sum(c in declared for c in cells) > max(known, 1):
            return separator
    return ""


def _parse(resource: Resource, data: bytes, out: Collector) -> Table | None:
    """The table with every declared column; None when the file or its header is unusable."""
    name, declared = resource.path, resource.columns
    try:
        parsed = parse_csv(data, lambda h: _check_header(resource, h, 1, Collector()))
    except UnicodeDecodeError as exc:
        out.add(_not_utf8(name, data, exc))
        return None
    except CsvError as exc:
        if exc.row is not None:
            out.add(
                Problem(
                    name,
                    f"a cell is longer than {FIELD_LIMIT:,} characters",
                    "look for a quote opened and never closed on this row or just above it: "
                    "it runs the cell on through the lines below",
                    row=exc.row,
                )
            )
        else:
            out.add(
                Problem(name, f"the file is not valid CSV ({exc})", "check quotes and separators")
            )
        return None
    if parsed is None:
        header_text = ",".join(resource.core_columns)
        out.add(Problem(name, "the file is empty", f"add the header: {header_text}", row=1))
        return None
    if parsed.frame is None and not _check_header(resource, parsed.header, parsed.header_row, out):
        return None
    frame, numbers = parsed.frame, parsed.numbers
    if frame is None or numbers is None:
        frame, numbers = _from_records(resource, parsed, out)
    for column in declared:
        if column not in frame.columns:
            frame[column] = pd.Series("", index=frame.index, dtype="str")
    return Table(resource, frame[declared], numbers)


def _from_records(
    resource: Resource, parsed: Parsed, out: Collector
) -> tuple[pd.DataFrame, np.ndarray]:
    """The csv module's records as a frame, rows of the wrong width reported and dropped."""
    header = parsed.header
    rows, numbers = [], []
    for number, record in parsed.records or []:
        if len(record) != len(header):
            out.add(
                Problem(
                    resource.path,
                    f"the row has {len(record)} cells but the header has {len(header)}",
                    "check for a missing or extra comma, or an unquoted comma in a value",
                    row=number,
                )
            )
            continue
        rows.append([v.strip() for v in record])
        numbers.append(number)
    frame = pd.DataFrame(rows, columns=header, dtype="str")
    return frame, np.array(numbers, dtype=np.int64)
