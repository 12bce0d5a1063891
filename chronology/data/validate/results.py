"""What the checks of meaning work out on the way, kept to build the data set without redoing it."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..dates.columns import Partials, display_texts, interval_at
from ..dates.partial import DateError, Interval
from ..dates.phrases import Resolution
from ..errors import Problem
from ..read.table import ENOUGH, Table, arrow

__all__ = [
    "Checked",
    "Readings",
    "Spans",
    "date_problem",
    "dictionary",
    "encoded",
    "failing",
]


@dataclass(slots=True)
class Spans:
    """Each event row's span, read once per distinct (date, end date), and where it is by id.

    The distinct spans are arrays (first and last day as proleptic ordinals, precision as
    an index in PRECISIONS); an :class:`Interval` is made only for a message.
    """

    code: np.ndarray  # events row → index of its distinct span; -1 where its dates do not read
    first: np.ndarray  # each distinct span's first day, last day and precision
    last: np.ndarray
    rank: np.ndarray
    written: Partials  # the distinct dates and end dates, as read
    date_at: np.ndarray  # each distinct span's date, as its index in ``written``
    end_at: np.ndarray  # … and its end date's (-1: none)
    start: np.ndarray  # proleptic ordinal of the first day; 0 where there is no span
    end: np.ndarray
    by_row: np.ndarray  # events row → the row holding its id's span (the last valid), or -1

    def __len__(self) -> int:
        """The number of distinct spans."""
        return len(self.first)

    def span(self, k: int) -> Interval:
        """The distinct span ``k``."""
        return interval_at(self.first[k], self.last[k], int(self.rank[k]))

    def interval(self, row: int) -> Interval:
        """The span of an events row that has one."""
        return self.span(int(self.code[row]))

    def precision(self) -> np.ndarray:
        """Per events row, the index in PRECISIONS of its span's precision (0 without one)."""
        ranks = self.rank if len(self.rank) else np.zeros(1, np.int8)
        return ranks[np.maximum(self.code, 0)]

    def labels(self) -> pa.Array:
        """Each distinct span as written: 'July 2023', or '2012 – July 2023' with an end date
        (each end at its own precision, as ``load.date_label`` gives it)."""
        shown = display_texts(self.written.start, self.written.end, self.written.rank)
        first = shown.take(pa.array(self.date_at))
        if not (self.end_at >= 0).any():
            return first
        last = shown.take(pa.array(np.maximum(self.end_at, 0)))
        both = pc.binary_join_element_wise(first, last, pa.scalar(" – ", pa.large_string()))
        return pc.if_else(pa.array(self.end_at >= 0), both, first)

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
    """The excerpts' dating phrases as read: each distinct reading once, and each row's.

    A distinct reading is its first and last day (proleptic ordinals), its precision (index
    in PRECISIONS), the phrase as written and the rule that read it.
    """

    of_row: np.ndarray  # excerpt row → index of its reading; -1 where no phrase was read
    start: np.ndarray
    end: np.ndarray
    rank: np.ndarray
    written: list[str]
    rule: list[str]

    def __len__(self) -> int:
        """The number of distinct readings."""
        return len(self.start)

    def of(self, row: int) -> Resolution | None:
        """The reading of one excerpt row, if it has one."""
        k = int(self.of_row[row])
        if k < 0:
            return None
        interval = interval_at(self.start[k], self.end[k], int(self.rank[k]))
        return Resolution(self.written[k], interval, self.rule[k])

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """First and last day (proleptic ordinals) of each distinct reading."""
        return self.start, self.end


@dataclass(slots=True)
class Checked:
    """What the checks worked out on the way, reused to build the data set."""

    spans: Spans | None = None  # the events' spans
    published: dict[str, Interval] = field(default_factory=dict)  # source id → publication window
    undated: set[str] = field(default_factory=set)  # sources whose publication date is unknown
    texts: dict[str, str] = field(default_factory=dict)  # source id → stored text
    readings: Readings | None = None  # the excerpts' dating phrases
    backs: dict[str, np.ndarray] = field(default_factory=dict)  # table → each row's fields (bits)
    problems: list[Problem] = field(default_factory=list)

    def add_sorted(self, found: list[tuple[int, int, Problem]]) -> None:
        """Problems of one pass, in row order (then check order), as a row-by-row loop gives."""
        self.problems.extend(p for _, _, p in sorted(found, key=lambda t: (t[0], t[1]))[:ENOUGH])


def date_problem(table: Table, index: int, column: str, exc: DateError, value: str) -> Problem:
    """A value of a table that does not read as a date (or a phrase as a day)."""
    return Problem(table.file, exc.message, exc.fix, table.row_number(index), column, value)


def encoded(col: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Each value's index among the column's distinct values, and those values in order."""
    codes, distinct = dictionary(col)
    return codes, distinct.to_pylist()


def dictionary(col: pd.Series) -> tuple[np.ndarray, pa.Array]:
    """Each value's index among the column's distinct values, and those values (Arrow)."""
    found = pc.dictionary_encode(arrow(col))
    return found.indices.to_numpy(zero_copy_only=False).astype(np.int64), found.dictionary


def failing(read: Partials, offset: int, size: int) -> np.ndarray:
    """Which of ``size`` values, from ``offset`` on among those read, do not read as dates."""
    bad = np.zeros(size, dtype=bool)
    at = [i - offset for i in read.errors if offset <= i < offset + size]
    bad[at] = True
    return bad
