"""A checked CSV table (stripped strings, each row's spreadsheet number) and column helpers.

The tables are read in ``read_tables``, checked against the schema's structure in
``validate.fields`` and for their meaning in ``validate.meaning``; every step reports at most
MAX_PROBLEMS_PER_FILE per file.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import Problem
from ..schema import Resource

__all__ = [
    "ENOUGH",
    "MAX_PROBLEMS_PER_FILE",
    "Collector",
    "Table",
    "arrow",
    "cap_per_file",
    "first_rows",
    "isin",
    "link",
    "marked",
    "positions",
    "pylist",
    "references",
]

MAX_PROBLEMS_PER_FILE = 50
ENOUGH = MAX_PROBLEMS_PER_FILE + 1
"""Failing rows of one check worth a message: the rest are capped away in any case."""


class Table:
    """A CSV table as stripped strings, with the spreadsheet row of each row (header: row 1)."""

    def __init__(self, resource: Resource, frame: pd.DataFrame, numbers: np.ndarray) -> None:
        self.resource = resource
        self.frame = frame  # the declared columns, in order; dtype str
        self.numbers = numbers
        self.refs: dict[str, np.ndarray] = {}  # column → rows of the table it refers to
        self.id_rows: np.ndarray | None = None  # for each row, the first row with its id
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


def link(tables: dict[str, Table]) -> None:
    """Look up every reference column at once per table referred to (``Table.refs``), and each
    id column in itself (``Table.id_rows``): one hash of a table's ids serves all of them."""
    for target in tables.values():
        if "id" not in target.resource.columns:
            continue
        ids = arrow(target.column("id"))
        referring = [
            (table, fk.fields)
            for table in tables.values()
            for fk in table.resource.foreign_keys
            if fk.resource == target.resource.name and fk.fields not in table.refs
        ]
        columns = [ids, *(arrow(table.column(name)) for table, name in referring)]
        found = pc.index_in(pa.chunked_array(columns, pa.large_string()), value_set=ids)
        rows = pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int64)
        ends = np.cumsum([len(c) for c in columns])
        target.id_rows = rows[: ends[0]]
        for (table, name), start, end in zip(referring, ends[:-1], ends[1:], strict=True):
            table.refs[name] = rows[start:end]


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


class Collector:
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
    out = Collector()
    for problem in problems:
        out.add(problem)
    return out.problems
