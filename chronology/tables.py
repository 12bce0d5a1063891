"""Read the CSV tables of a data directory and check them against the schema's structure.

Structure only: files, encoding, columns, required values, enums, patterns, keys and
references. The meaning of the values (dates, quotes, phrases) is checked in ``checks``.
"""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass

from .errors import Problem
from .package import Package
from .schema import Field, Resource, Schema

__all__ = ["MAX_PROBLEMS_PER_FILE", "Table", "cap_per_file", "read_tables"]

MAX_PROBLEMS_PER_FILE = 50
_FIELD_LIMIT = 1_000_000  # characters in one CSV cell
_HINT_LIMIT = 10_000  # ids to search for a did-you-mean hint
_SINGULAR = {"actors": "actor", "categories": "category", "events": "event", "sources": "source"}


@dataclass(slots=True)
class Table:
    """A CSV table as strings, with the spreadsheet row number of each row (header: row 1)."""

    resource: Resource
    rows: list[dict[str, str]]
    numbers: list[int]

    @property
    def file(self) -> str:
        """The file name problems are reported against."""
        return self.resource.path

    def row_number(self, index: int) -> int:
        """Spreadsheet row of ``rows[index]``: blank and malformed lines still count."""
        return self.numbers[index]


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


def cap_per_file(problems: list[Problem]) -> list[Problem]:
    """At most MAX_PROBLEMS_PER_FILE problems per file, then one 'more than' line (idempotent)."""
    out = _Collector()
    for problem in problems:
        out.add(problem)
    return out.problems


def _decode(resource: Resource, package: Package, out: _Collector) -> str | None:
    """The file's text, or None with a problem recorded."""
    name = resource.path
    header = ",".join(resource.core_columns)
    try:
        data = package.read_table(name)
    except FileNotFoundError:
        out.add(Problem(name, "the file is missing", f"create {name} with the header: {header}"))
        return None
    except OSError as exc:
        out.add(Problem(name, f"the file cannot be read ({exc.strerror})", "check its permissions"))
        return None
    if b"\x00" in data[:65536]:
        out.add(
            Problem(
                name,
                "the file is binary, not CSV text",
                f"replace it with a UTF-8 CSV file whose header is: {header}",
            )
        )
        return None
    try:
        return data.decode("utf-8-sig")
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


def _parse(resource: Resource, text: str, out: _Collector) -> Table | None:
    """The table's rows as dicts keyed by the declared columns; None when the header is unusable."""
    name = resource.path
    declared = resource.columns
    old_limit = csv.field_size_limit(_FIELD_LIMIT)
    records: list[list[str]] = []
    try:
        records.extend(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        if "field limit" in str(exc):  # the row is the record that was being read
            out.add(
                Problem(
                    name,
                    f"a cell is longer than {_FIELD_LIMIT:,} characters",
                    "look for a quote opened and never closed on this row or just above it: "
                    "it runs the cell on through the lines below",
                    row=len(records) + 1,
                )
            )
        else:
            out.add(
                Problem(name, f"the file is not valid CSV ({exc})", "check quotes and separators")
            )
        return None
    finally:
        csv.field_size_limit(old_limit)
    numbered = [(n, r) for n, r in enumerate(records, start=1) if any(c.strip() for c in r)]
    if not numbered:
        header_text = ",".join(resource.core_columns)
        out.add(Problem(name, "the file is empty", f"add the header: {header_text}", row=1))
        return None
    header_row, first = numbered[0]
    header = [h.strip() for h in first]
    separator = _other_separator(header, declared)
    if separator:
        out.add(
            Problem(
                name,
                f"the file seems to use {separator!r} as separator, not ','",
                "save it as comma-separated CSV (in a spreadsheet: CSV UTF-8, comma-delimited), "
                f"with the header: {','.join(declared)}",
                row=header_row,
            )
        )
        return None
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
                    row=header_row,
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
                    row=header_row,
                    column=f.name,
                )
            )
            ok = False
    if len(set(header)) != len(header):
        dupes = sorted({h for h in header if header.count(h) > 1})
        out.add(
            Problem(
                name,
                f"repeated column {dupes[0]!r}",
                "keep one column of each name",
                row=header_row,
            )
        )
        ok = False
    if not ok:
        return None
    table = Table(resource, [], [])
    for number, record in numbered[1:]:
        if len(record) != len(header):
            out.add(
                Problem(
                    name,
                    f"the row has {len(record)} cells but the header has {len(header)}",
                    "check for a missing or extra comma, or an unquoted comma in a value",
                    row=number,
                )
            )
            continue
        row = dict.fromkeys(declared, "")
        row.update({h: v.strip() for h, v in zip(header, record, strict=True)})
        table.rows.append(row)
        table.numbers.append(number)
    return table


def _check_number(f: Field, value: str, file: str, where: dict, out: _Collector) -> None:
    """A decimal number within the field's minimum and maximum."""
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if number != number or value.lower() in ("inf", "-inf", "infinity", "nan"):
        fix = "write a decimal number, e.g. 13.51"
        out.add(Problem(file, "not a number", fix, value=value, **where))
    elif (f.minimum is not None and number < f.minimum) or (
        f.maximum is not None and number > f.maximum
    ):
        out.add(
            Problem(
                file,
                f"out of range ({f.minimum} to {f.maximum})",
                f"write {f.name} in decimal degrees",
                value=value,
                **where,
            )
        )


def _other_separator(header: list[str], declared: list[str]) -> str:
    """';' (or tab, '|') when splitting the header on it finds more declared columns than ','."""
    known = sum(h in declared for h in header)
    for separator in (";", "\t", "|"):
        cells = [c.strip() for h in header for c in h.split(separator)]
        if sum(c in declared for c in cells) > max(known, 1):
            return separator
    return ""


def _check_values(table: Table, out: _Collector) -> None:
    """Required, enum, pattern, boolean and unique constraints, cell by cell."""
    res = table.resource
    for f in res.fields:
        if not (f.required or f.enum or f.unique or f.pattern or f.type in ("boolean", "number")):
            continue
        seen: dict[str, int] = {}
        for i, row in enumerate(table.rows):
            value = row[f.name]
            where = {"row": table.row_number(i), "column": f.name}
            if value == "":
                if f.required:
                    out.add(Problem(res.path, "a value is required", f.description, **where))
                continue
            if f.enum and value not in f.enum:
                close = difflib.get_close_matches(value, f.enum, n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                out.add(
                    Problem(
                        res.path,
                        f"{value!r} is not an allowed value",
                        f"{hint}use one of: {', '.join(f.enum)}",
                        value=value,
                        **where,
                    )
                )
            if f.type == "boolean" and value not in ("true", "false"):
                out.add(
                    Problem(res.path, "not a boolean", "write true or false", value=value, **where)
                )
            if f.type == "number":
                _check_number(f, value, res.path, where, out)
            if f.pattern and not f.partial_date and not f.pattern.search(value):
                out.add(
                    Problem(
                        res.path,
                        "the value does not have the expected form",
                        "use lower-case letters, digits and single hyphens (e.g. us-africom)",
                        value=value,
                        **where,
                    )
                )
            if f.unique:
                if value in seen:
                    out.add(
                        Problem(
                            res.path,
                            f"duplicate {f.name} {value!r} (first on row {seen[value]})",
                            f"give each row its own {f.name}",
                            value=value,
                            **where,
                        )
                    )
                else:
                    seen[value] = table.row_number(i)
    if len(res.primary_key) > 1:
        keys: dict[tuple[str, ...], int] = {}
        for i, row in enumerate(table.rows):
            key = tuple(row[k] for k in res.primary_key)
            if key in keys:
                out.add(
                    Problem(
                        res.path,
                        f"this row repeats row {keys[key]} ({', '.join(res.primary_key)})",
                        "delete one of the two rows",
                        row=table.row_number(i),
                    )
                )
            else:
                keys[key] = table.row_number(i)


def _check_references(tables: dict[str, Table], out: _Collector) -> None:
    """Every foreign key value names an existing row."""
    for table in tables.values():
        for fk in table.resource.foreign_keys:
            target = tables.get(fk.resource)
            if target is None:
                continue
            ids = {row["id"] for row in target.rows}
            if not ids:  # the root cause is reported on the target: one line, not one per row
                n = sum(bool(row[fk.fields]) for row in table.rows)
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
            for i, row in enumerate(table.rows):
                value = row[fk.fields]
                if value and value not in ids:
                    # difflib over a huge table (garbage) takes seconds per value: skip the hint
                    close = (
                        difflib.get_close_matches(value, ids, n=1)
                        if len(ids) <= _HINT_LIMIT
                        else []
                    )
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
        text = _decode(res, package, out)
        if text is None:
            continue
        table = _parse(res, text, out)
        if table is None:
            continue
        if len(table.rows) < res.min_rows:
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
    _check_references(tables, out)
    return tables, out.problems
