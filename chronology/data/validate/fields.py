"""Check a table's columns against the schema's structure, a whole column at a time.

Required values, enums, booleans, numbers, patterns, unique and composite keys, and the
references between tables; messages are built for the failing rows only.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from functools import partial

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import Problem
from ..read.table import Collector, Table, arrow, first_rows, isin, pylist, references
from ..schema import Field, Resource

__all__ = ["check_references", "check_values"]

_HINT_LIMIT = 10_000  # ids to search for one did-you-mean hint
_HINT_BUDGET = 30_000  # ids compared, over all values, for did-you-mean hints
_BOOLEANS = ["true", "false"]
_SINGULAR = {"actors": "actor", "categories": "category", "events": "event", "sources": "source"}


def check_values(table: Table, out: Collector, read: dict[str, Table] | None = None) -> None:
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
            checks.append((filled & ~_matches(col, f.pattern), partial(_form_problem, res, f)))
        if f.type == "number":
            checks.append((filled & ~_in_range(col, f), partial(_number_problem, res, f)))
        if f.unique and _distinct(table, f.name):
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
        _check_composite_key(table, out, read or {})


def _distinct(table: Table, name: str) -> bool:
    """Whether no value of the column repeats (the ids: from their lookup in themselves)."""
    if name == "id" and table.id_rows is not None:
        return bool((table.id_rows == np.arange(len(table))).all())
    return pc.count_distinct(arrow(table.column(name))).as_py() == len(table)


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


def _form_problem(res: Resource, f: Field, value: str, where: dict) -> Problem:
    return Problem(
        res.path,
        "the value does not have the expected form",
        f.pattern_fix or "use lower-case letters, digits and single hyphens (e.g. us-africom)",
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


def _codes(table: Table, name: str, read: dict[str, Table]) -> tuple[np.ndarray, int]:
    """The column's values as integer codes (equal values, equal codes), and how many there can be.

    A reference column whose every value names a row of a table read already: the rows it
    names, which the reference check needs anyway. Otherwise its values, numbered.
    """
    for fk in table.resource.foreign_keys:
        target = read.get(fk.resource)
        if fk.fields == name and target is not None and len(target):
            rows = references(table, name, target)
            if not len(rows) or rows.min() >= 0:
                return rows, len(target)
    encoded = pc.dictionary_encode(arrow(table.column(name)))
    return encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64), len(encoded.dictionary)


def _check_composite_key(table: Table, out: Collector, read: dict[str, Table]) -> None:
    """A row repeating another's composite primary key."""
    res = table.resource
    # each key column as integer codes, combined into one integer per row: no joined strings
    key, size = np.zeros(len(table), dtype=np.int64), 1
    for name in res.primary_key:
        codes, n = _codes(table, name, read)
        if size * max(n, 1) >= 1 << 62:  # renumber before the product overflows
            key, distinct = pd.factorize(key)
            size = len(distinct)
        key, size = key * max(n, 1) + codes, size * max(n, 1)
        repeated = pd.Series(key).duplicated(keep="first").to_numpy()
        if not repeated.any():  # the first columns tell every row apart: so do all of them
            return
    key = pd.Series(key)
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


def check_references(tables: dict[str, Table], out: Collector) -> None:
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
