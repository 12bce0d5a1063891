"""What the checks of meaning work out on the way, kept to build the data set without redoing it."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from .dates import PRECISIONS, DateError, Interval, PartialDate, parse_partial
from .errors import Problem
from .phrases import Resolution
from .tables import ENOUGH, Table, arrow

__all__ = ["Checked", "Readings", "Spans", "date_problem", "encoded", "read_dates", "unreadable"]


@dataclass(slots=True)
class Spans:
    """Each event row's span, read once per distinct (date, end date), and where it is by id."""

    code: (
        np.ndarray
    )  # events row → index of its span in ``distinct``; -1 where its dates do not read
    distinct: list[Interval]
    pairs: list[tuple[str, str]]  # the (date, end_date) each distinct span is read from
    start: np.ndarray  # proleptic ordinal of the first day; 0 where there is no span
    end: np.ndarray
    by_row: np.ndarray  # events row → the row holding its id's span (the last valid), or -1

    def interval(self, row: int) -> Interval:
        """The span of an events row that has one."""
        return self.distinct[int(self.code[row])]

    def precision(self) -> np.ndarray:
        """Per events row, the index in PRECISIONS of its span's precision (0 without one)."""
        ranks = np.array([PRECISIONS.index(s.precision) for s in self.distinct] or [0], np.int8)
        return ranks[np.maximum(self.code, 0)]

    def of_rows(self, rows: np.ndarray) -> np.ndarray:
        """For references to events rows (-1: none), the row holding the span, -1 for none."""
        if not len(self.by_row):
            return np.full(len(rows), -1, dtype=np.int64)
        return np.where(rows >= 0, self.by_row[np.maximum(rows, 0)], -1)

    def apart(self, rows: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
        """Where a span (of ``rows``; -1: none) and the days [start, end] share no day."""
        has = rows >= 0
        if not has.any():
            return has
        first, last = self.start[np.maximum(rows, 0)], self.end[np.maximum(rows, 0)]
        return has & ~((start <= last) & (first <= end))


@dataclass(slots=True)
class Readings:
    """The excerpts' dating phrases as read: each distinct reading once, and each row's."""

    of_row: np.ndarray  # excerpt row → index in ``distinct``; -1 where no phrase was read
    distinct: list[Resolution]

    def of(self, row: int) -> Resolution | None:
        """The reading of one excerpt row, if it has one."""
        k = int(self.of_row[row])
        return self.distinct[k] if k >= 0 else None

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """First and last day (proleptic ordinals) of each distinct reading."""
        first = [r.interval.start.toordinal() for r in self.distinct]
        last = [r.interval.end.toordinal() for r in self.distinct]
        return np.array(first, dtype=np.int64), np.array(last, dtype=np.int64)


@dataclass(slots=True)
class Checked:
    """What the checks worked out on the way, reused to build the data set."""

    spans: Spans | None = None  # the events' spans
    published: dict[str, Interval] = field(default_factory=dict)  # source id → publication window
    texts: dict[str, str] = field(default_factory=dict)  # source id → stored text
    readings: Readings | None = None  # the excerpts' dating phrases
    problems: list[Problem] = field(default_factory=list)

    def add_sorted(self, found: list[tuple[int, int, Problem]]) -> None:
        """Problems of one pass, in row order (then check order), as a row-by-row loop gives."""
        self.problems.extend(p for _, _, p in sorted(found, key=lambda t: (t[0], t[1]))[:ENOUGH])


def date_problem(table: Table, index: int, column: str, exc: DateError, value: str) -> Problem:
    """A value of a table that does not read as a date (or a phrase as a day)."""
    return Problem(table.file, exc.message, exc.fix, table.row_number(index), column, value)


def encoded(col: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Each value's index among the column's distinct values, and those values in order."""
    found = pc.dictionary_encode(arrow(col))
    codes = found.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    return codes, found.dictionary.to_pylist()


def read_dates(values: list[str]) -> dict[str, PartialDate | DateError]:
    """Each distinct non-empty value read once as a partial date, or the reason it does not read."""
    out: dict[str, PartialDate | DateError] = {}
    for value in values:
        if value and value not in out:
            try:
                out[value] = parse_partial(value)
            except DateError as exc:
                out[value] = exc
    return out


def unreadable(
    distinct: list[str], codes: np.ndarray, read: dict[str, PartialDate | DateError]
) -> tuple[np.ndarray, dict[str, DateError]]:
    """Where a column (its distinct values, each row's code) does not read as a date, and why."""
    errors = {v: r for v, r in read.items() if isinstance(r, DateError)}
    return np.array([v in errors for v in distinct], dtype=bool)[codes], errors
