"""Read the CSV tables of a data directory and check them against the schema's structure.

Structure only: files, encoding, columns, required values, enums, patterns, keys and
references, each checked over a whole column at once; messages are built for the failing
rows only. The meaning of the values (dates, quotes, phrases) is checked in ``checks``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from functools import cached_property, partial

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .csvfile import FIELD_LIMIT, CsvError, Parsed, parse_csv, release_memory
from .errors import Problem
from .package import NotAFile, Outside, Package
from .schema import Field, Resource, Schema

__all__ = [
    "ENOUGH",
    "MAX_PROBLEMS_PER_FILE",
    "Table",
    "arrow",
    "cap_per_file",
    "first_rows",
    "isin",
    "marked",
    "positions",
    "pylist",
    "read_tables",
    "references",
]

MAX_PROBLEMS_PER_FILE = 50
ENOUGH = MAX_PROBLEMS_PER_FILE + 1
"""Failing rows of one check worth a message: the rest are capped away in any case."""
_HINT_LIMIT = 10_000  # ids to search for one did-you-mean hint
_HINT_BUDGET = 30_000  # ids compared, over all values, for did-you-mean hints
_BOOLEANS = ["true", "false"]
_SINGULAR = {"actors": "actor", "categories": "category", "events": "event", "sources": "source"}


class Table:
    """A CSV table as stripped strings, with the spreadsheet row of each row (header: row 1)."""

    def __init__(self, resource: Resource, frame: pd.DataFrame, numbers: np.ndarray) -> None:
        self.resource = resource
        self.frame = frame  # the declared columns, in order; dtype str
        self.numbers = numbers
        self.refs: dict[str, np.ndarray] = {}  # column → rows of the table it refers to
        self.unique: set[str] = set()  # columns known to hold no value twice

    @property
    def file(self) -> str:
        """The file name problems are reported against."""
        return self.resource.path

    def __len__(self) -> int:
        return len(self.frame)

    def row_number(self, index: int) -> int:
        """Spreadsheet row of row ``index``: blank and malformed lines still count."""
        return int(self.numbers[index])

    def column(self, name: str) -> pd.Series:
        """One column (str dtype)."""
        return self.frame[name]

    def row(self, index: int) -> dict[str, str]:
        """Row ``index`` as a dict."""
        return self.frame.iloc[index].to_dict()

    @cached_property
    def rows(self) -> list[dict[str, str]]:
        """The rows as dicts (for the small tables checked row by row)."""
        columns = self.resource.columns
        values = [pylist(self.frame[c]) for c in columns]
        return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def arrow(col: pd.Series) -> pa.Array:
    """A str column as one Arrow array (no copy for pandas' own Arrow-backed strings)."""
    array = pa.array(col, type=pa.large_string())
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def pylist(col: pd.Series) -> list[str]:
    """A str column as a list of Python strings (faster than Series.tolist for Arrow strings)."""
    return arrow(col).to_numpy(zero_copy_only=False).tolist()


def positions(col: pd.Series, ids: pd.Series) -> np.ndarray:
    """For each value of the column, the position of the first equal id; -1 where none is."""
    found = pc.index_in(arrow(col), value_set=arrow(ids))
    return pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int64)


def references(table: Table, column: str, target: Table) -> np.ndarray:
    """For each row, the row of ``target`` whose id it names (-1: none); worked out once."""
    found = table.refs.get(column)
    if found is None:
        found = table.refs[column] = positions(table.column(column), target.column("id"))
    return found


def marked(refs: np.ndarray, n: int, where: np.ndarray | None = None) -> np.ndarray:
    """Which of ``n`` rows some reference (where ``where`` holds) points at."""
    out = np.zeros(n, dtype=bool)
    chosen = refs if where is None else refs[where]
    out[chosen[chosen >= 0]] = True
    return out


def isin(col: pd.Series, values: pd.Series | Iterable[str]) -> np.ndarray:
    """Where the column's value is one of ``values`` (Series.isin converts them one by one)."""
    value_set = (
        arrow(values)
        if isinstance(values, pd.Series)
        else pa.array(list(values), type=pa.large_string())
    )
    return pc.is_in(arrow(col), value_set=value_set).to_numpy(zero_copy_only=False)


def first_rows(mask: np.ndarray | pd.Series, limit: int = ENOUGH) -> np.ndarray:
    """Indices of the first ``limit`` true entries: the rows worth a message."""
    return np.flatnonzero(np.asarray(mask, dtype=bool))[:limit]


class _Collector:
    """Gathers problems, capping the count per file so garbage cannot flood the report."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self._per_file: dict[str, int] = {}

    def add(self, problem: Problem) -> None:
        n = self._per_file.get(problem.file, 0) + 1
        self._per_file[problem.file] = n
        if n <= MAX_PROBLEMS_PER_FILE:
            self.problems.append(problem)
        elif n == MAX_PROBLEMS_PER_FILE + 1:
            self.problems.append(
                Problem(
                    problem.file,
                    f"more than {MAX_PROBLEMS_PER_FILE} problems; the rest are not listed",
                    "fix the problems above and check again",
                )
            )

    def add_sorted(self, found: Iterable[tuple[int, int, Problem]]) -> None:
        """Problems of one pass, in row order (then check order), as a row-by-row loop gives."""
        for _, _, problem in sorted(found, key=lambda t: (t[0], t[1]))[:ENOUGH]:
            self.add(problem)


def cap_per_file(problems: list[Problem]) -> list[Problem]:
    """At most MAX_PROBLEMS_PER_FILE problems per file, then one 'more than' line (idempotent)."""
    out = _Collector()
    for problem in problems:
        out.add(problem)
    return out.problems


def _decode(resource: Resource, package: Package, out: _Collector) -> bytes | None:
    """The file's bytes once they are known to be UTF-8 text, or None with a problem recorded."""
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
    try:
        data.decode("utf-8-sig")  # the text itself is not kept: pyarrow reads the bytes
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        out.add(
            Problem(
                name,
                f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} at byte {exc.start})",
                "save the file as UTF-8 (in a spreadsheet: CSV UTF-8)",
                row=line,
            )
        )
        return None
    return data


def _check_header(resource: Resource, header: list[str], row: int, out: _Collector) -> bool:
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


def _parse(resource: Resource, data: bytes, out: _Collector) -> Table | None:
    """The table with every declared column; None when the file or its header is unusable."""
    name, declared = resource.path, resource.columns
    try:
        parsed = parse_csv(data, lambda h: _check_header(resource, h, 1, _Collector()))
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
    resource: Resource, parsed: Parsed, out: _Collector
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


def _check_values(table: Table, out: _Collector) -> None:
    """Required, enum, pattern, boolean and unique constraints, a whole column at a time."""
    res = table.resource
    for f in res.fields:
        if not (f.required or f.enum or f.unique or f.pattern or f.type in ("boolean", "number")):
            continue
        col = table.column(f.name)
        filled = (col != "").to_numpy()
        # (failing rows, problem for a value and its place), in the order a row's checks run
        checks: list[tuple[np.ndarray, Callable[[str, dict], Problem]]] = []
        if f.required:
            checks.append((~filled, partial(_required_problem, res, f)))
        if f.enum:
            checks.append((filled & ~isin(col, f.enum), partial(_enum_problem, res, f)))
        if f.type == "boolean":
            checks.append((filled & ~isin(col, _BOOLEANS), partial(_bool_problem, res)))
        if f.pattern and not f.partial_date:
            checks.append((filled & ~_matches(col, f.pattern), partial(_form_problem, res)))
        if f.type == "number":
            checks.append((filled & ~_in_range(col, f), partial(_number_problem, res, f)))
        if f.unique and pc.count_distinct(arrow(col)).as_py() == len(col):
            table.unique.add(f.name)
        elif f.unique:
            repeated = filled & col.duplicated(keep="first").to_numpy()
            if repeated.any():
                firsts = filled & ~repeated
                seen = dict(zip(pylist(col[firsts]), table.numbers[firsts].tolist(), strict=True))
                checks.append((repeated, partial(_duplicate_problem, res, f, seen)))
        found = []
        for order, (failing, make) in enumerate(checks):
            for i in first_rows(failing):
                where = {"row": table.row_number(i), "column": f.name}
                found.append((int(i), order, make(col.iloc[i], where)))
        out.add_sorted(found)
    if len(res.primary_key) > 1:
        _check_composite_key(table, out)


def _in_range(col: pd.Series, f: Field) -> np.ndarray:
    """Where a cell is a finite decimal number within the field's minimum and maximum."""
    codes, distinct = pd.factorize(col, use_na_sentinel=False)  # each value read once
    values = pd.Series(distinct, dtype="str")
    numbers = pd.to_numeric(values.where(values.str.strip() != "", "nan"), errors="coerce")
    ok = np.isfinite(numbers.to_numpy(dtype=float))
    if f.minimum is not None:
        ok &= (numbers >= f.minimum).to_numpy()
    if f.maximum is not None:
        ok &= (numbers <= f.maximum).to_numpy()
    return ok[codes]


def _number_problem(res: Resource, f: Field, value: str, where: dict) -> Problem:
    try:
        number: float | None = float(value)
    except ValueError:
        number = None
    if number is None or number != number or number in (float("inf"), float("-inf")):
        fix = "write a decimal number, e.g. 13.51"
        return Problem(res.path, "not a number", fix, value=value, **where)
    return Problem(
        res.path,
        f"out of range ({f.minimum} to {f.maximum})",
        f"write {f.name} in decimal degrees",
        value=value,
        **where,
    )


def _required_problem(res: Resource, f: Field, _value: str, where: dict) -> Problem:
    return Problem(res.path, "a value is required", f.description, **where)


def _bool_problem(res: Resource, value: str, where: dict) -> Problem:
    return Problem(res.path, "not a boolean", "write true or false", value=value, **where)


def _duplicate_problem(
    res: Resource, f: Field, seen: dict[str, int], value: str, where: dict
) -> Problem:
    return Problem(
        res.path,
        f"duplicate {f.name} {value!r} (first on row {seen[value]})",
        f"give each row its own {f.name}",
        value=value,
        **where,
    )


def _enum_problem(res: Resource, f: Field, value: str, where: dict) -> Problem:
    close = difflib.get_close_matches(value, f.enum, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return Problem(
        res.path,
        f"{value!r} is not an allowed value",
        f"{hint}use one of: {', '.join(f.enum)}",
        value=value,
        **where,
    )


def _form_problem(res: Resource, value: str, where: dict) -> Problem:
    return Problem(
        res.path,
        "the value does not have the expected form",
        "use lower-case letters, digits and single hyphens (e.g. us-africom)",
        value=value,
        **where,
    )


def _matches(col: pd.Series, pattern: re.Pattern[str]) -> np.ndarray:
    """Where pattern.search finds a match: over the column at once, or value by value."""
    try:
        found = pc.match_substring_regex(pa.array(col, type=pa.large_string()), pattern.pattern)
        return found.to_numpy(zero_copy_only=False)
    except (pa.ArrowException, ValueError, TypeError):  # a pattern RE2 cannot run
        return np.array([bool(pattern.search(v)) for v in pylist(col)], dtype=bool)


def _check_composite_key(table: Table, out: _Collector) -> None:
    """A row repeating another's composite primary key."""
    res = table.resource
    # each key column as integer codes, combined into one integer per row: no joined strings
    key = np.zeros(len(table), dtype=np.int64)
    for name in res.primary_key:
        encoded = pc.dictionary_encode(arrow(table.column(name)))
        codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        key, _ = pd.factorize(key * len(encoded.dictionary) + codes)
    key = pd.Series(key)
    repeated = key.duplicated(keep="first").to_numpy()
    if not repeated.any():
        return
    first_row = dict(zip(key[~repeated].tolist(), table.numbers[~repeated].tolist(), strict=True))
    for i in first_rows(repeated):
        out.add(
            Problem(
                res.path,
                f"this row repeats row {first_row[key.iloc[i]]} ({', '.join(res.primary_key)})",
                "delete one of the two rows",
                row=table.row_number(i),
            )
        )


def _check_references(tables: dict[str, Table], out: _Collector) -> None:
    """Every foreign key value names an existing row."""
    budget = _HINT_BUDGET
    for table in tables.values():
        for fk in table.resource.foreign_keys:
            target = tables.get(fk.resource)
            if target is None:
                continue
            col = table.column(fk.fields)
            filled = (col != "").to_numpy()
            if not len(target):  # the cause is reported on the target: one line, not one per row
                n = int(filled.sum())
                if n:
                    out.add(
                        Problem(
                            table.file,
                            f"{n} {'row refers' if n == 1 else 'rows refer'} to "
                            f"{target.file}, which has no rows",
                            f"fix {target.file} first (see above), then check again",
                            column=fk.fields,
                        )
                    )
                continue
            ids = target.column("id")
            unknown = filled & (references(table, fk.fields, target) < 0)
            if not unknown.any():
                continue
            distinct = ids.unique().tolist()
            known = distinct if len(distinct) <= _HINT_LIMIT else []
            for i in first_rows(unknown):
                value = col.iloc[i]
                # difflib takes up to a second per value over 10,000 ids: hints share a budget
                close = []
                if known and len(known) <= budget:
                    budget -= len(known)
                    close = difflib.get_close_matches(value, known, n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                out.add(
                    Problem(
                        table.file,
                        f"unknown {_SINGULAR.get(fk.resource, fk.resource)} {value!r}",
                        f"{hint}use an id from {target.file}, or add a row there",
                        row=table.row_number(i),
                        column=fk.fields,
                        value=value,
                    )
                )


def read_tables(package: Package, schema: Schema) -> tuple[dict[str, Table], list[Problem]]:
    """Read every declared table; return those that parsed and every structural problem."""
    out = _Collector()
    tables: dict[str, Table] = {}
    for res in schema.resources:
        data = _decode(res, package, out)
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
        _check_values(table, out)
        tables[res.name] = table
        release_memory()
    _check_references(tables, out)
    return tables, out.problems
