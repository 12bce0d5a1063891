"""The excerpts' dating phrases read against their sources' publication windows, at once.

Each distinct phrase is read once: one naming its date outright (``columns.read_named``, or
``read_phrase`` for unusual writing) gives one result for all its rows; one that moves the
publication date's own year, month or day ("last month") is read for all its windows at once
(``columns.shifted``); any other one once per distinct window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from ..validate.results import Readings
from .columns import NamedPhrases, shifted
from .partial import PRECISIONS, DateError, Interval
from .phrases import PHRASE_RULES, PhraseReading, Resolution, Shift

__all__ = ["Phrases", "Results", "resolve"]


@dataclass(slots=True)
class Phrases:
    """The distinct phrases of the excerpts, and how they read: the ones naming their date
    outright (``named``, at once), the others (``read``, a code of each used one)."""

    distinct: list[str]
    named: NamedPhrases
    read: dict[int, PhraseReading | DateError]


@dataclass(slots=True)
class Results:
    """Distinct readings of phrases against windows: days, precision, phrase and rule, or
    the DateError of one that names no date (by position; its days are 0)."""

    start: np.ndarray
    end: np.ndarray
    rank: np.ndarray
    written: list[str]
    rule: list[str]
    errors: dict[int, DateError]

    def readings(self, n: int, rows: np.ndarray, result_of: np.ndarray) -> Readings:
        """The valid results, renumbered, as the Readings of ``n`` excerpt rows."""
        valid = np.ones(len(self.start), dtype=bool)
        valid[list(self.errors)] = False
        renumber = np.cumsum(valid, dtype=np.int64) - 1
        of_row = np.full(n, -1, dtype=np.int64)
        of_row[rows] = renumber[result_of]
        keep = np.flatnonzero(valid).tolist()
        return Readings(
            of_row,
            self.start[valid],
            self.end[valid],
            self.rank[valid],
            [self.written[k] for k in keep] if self.errors else self.written,
            [self.rule[k] for k in keep] if self.errors else self.rule,
        )


def resolve(
    phrase: np.ndarray, source: np.ndarray, phrases: Phrases, windows: list[Interval | None]
) -> tuple[Results, np.ndarray]:
    """Each row's phrase (a code of ``phrases``) read against its source's publication window.

    Returns the distinct results and each row's index among them. A phrase that names its
    date outright, or that no rule reads, gives one result whatever the date. Every rule moves
    forward with the publication date, never back, so a phrase that reads the same on the
    earliest and on the latest day of its windows reads the same against each window between:
    one result for all its rows. The others ('last month') are read once per distinct window.
    """
    named, read = phrases.named, phrases.read
    first = np.array([w.start.toordinal() if w else 0 for w in windows], dtype=np.int64)
    last = np.array([w.end.toordinal() if w else 0 for w in windows], dtype=np.int64)
    size = len(phrases.distinct)
    used = np.unique(phrase)
    quick = used[named.named[used]]  # first the results read at once, in that order
    fixed = np.full(size, -1, dtype=np.int64)
    fixed[quick] = np.arange(len(quick))
    written = [phrases.distinct[k] for k in quick.tolist()]
    rule = [PHRASE_RULES[r].rule for r in named.rule[quick].tolist()]
    results: list[Resolution | DateError] = []  # then those read one by one
    slow = ~named.named[phrase]
    lo = np.full(size, np.iinfo(np.int64).max, dtype=np.int64)
    hi = np.zeros(size, dtype=np.int64)
    np.minimum.at(lo, phrase[slow], first[source[slow]])
    np.maximum.at(hi, phrase[slow], last[source[slow]])
    for k in used[~named.named[used]].tolist():
        reading = read[k]
        result: Resolution | DateError | None = None  # None: read once per window, below
        if isinstance(reading, PhraseReading):
            try:
                early = reading.on(date.fromordinal(int(lo[k])))
                if reading.absolute or reading.on(date.fromordinal(int(hi[k]))) == early:
                    result = Resolution(reading.written, early, reading.rule.rule)
            except DateError as exc:
                if reading.absolute:
                    result = exc
        else:
            result = reading
        if result is not None:
            fixed[k] = len(quick) + len(results)
            results.append(result)
    result_of = fixed[phrase]
    errors = {len(quick) + k: r for k, r in enumerate(results) if isinstance(r, DateError)}
    done = [r.interval if isinstance(r, Resolution) else None for r in results]
    start = [named.start[quick], [i.start.toordinal() if i else 0 for i in done]]
    end = [named.end[quick], [i.end.toordinal() if i else 0 for i in done]]
    rank = [named.rank[quick], [PRECISIONS.index(i.precision) if i else 0 for i in done]]
    written += [r.phrase if isinstance(r, Resolution) else "" for r in results]
    rule += [r.rule if isinstance(r, Resolution) else "" for r in results]
    todo = np.flatnonzero(result_of < 0)
    if len(todo):  # one reading per distinct (phrase, window)
        window, _ = pd.factorize(first * (1 << 32) + last)  # equal windows, one code
        holder = np.unique(window, return_index=True)[1]  # a source of each window
        pairs, firsts = pd.factorize(phrase[todo] * len(windows) + window[source[todo]])
        at = len(written)
        result_of[todo] = at + pairs
        k_of, w_of = np.divmod(np.asarray(firsts, dtype=np.int64), len(windows))
        got = _against(k_of, first[holder[w_of]], last[holder[w_of]], read, windows, holder[w_of])
        start.append(got.start)
        end.append(got.end)
        rank.append(got.rank)
        written += got.written
        rule += got.rule
        errors.update({at + j: error for j, error in got.errors.items()})
    return Results(
        np.concatenate(start).astype(np.int64),
        np.concatenate(end).astype(np.int64),
        np.concatenate(rank).astype(np.int8),
        written,
        rule,
        errors,
    ), result_of


def _against(
    phrase: np.ndarray,
    first: np.ndarray,
    last: np.ndarray,
    read: dict[int, PhraseReading | DateError],
    windows: list[Interval | None],
    holder: np.ndarray,
) -> Results:
    """Each (phrase, window) read: the phrase a code of ``read``, the window the days
    [first, last] of ``windows[holder]``. A rule that moves the publication date's calendar
    unit ("last month") is read for all its windows at once, any other one by one."""
    n = len(phrase)
    out = Results(np.zeros(n, np.int64), np.zeros(n, np.int64), np.zeros(n, np.int8), [], [], {})
    kinds: dict[Shift | None, list[int]] = {}
    for j, k in enumerate(phrase.tolist()):
        reading = read[k]
        assert isinstance(reading, PhraseReading)
        kinds.setdefault(reading.rule.shift, []).append(j)
        out.written.append(reading.written)
        out.rule.append(reading.rule.rule)
    slow: list[int] = kinds.pop(None, [])
    for shift, rows in kinds.items():
        assert shift is not None
        at = np.array(rows, dtype=np.int64)
        start, end, rank, ok = shifted(shift, first[at], last[at])
        out.start[at[ok]], out.end[at[ok]], out.rank[at[ok]] = start[ok], end[ok], rank[ok]
        slow += at[~ok].tolist()  # past the calendar: read one by one, for the message
    for j in slow:
        reading, published = read[int(phrase[j])], windows[int(holder[j])]
        assert isinstance(reading, PhraseReading) and published is not None
        try:
            interval = reading.against(published).interval
        except DateError as exc:
            out.errors[j] = exc
            continue
        out.start[j], out.end[j] = interval.start.toordinal(), interval.end.toordinal()
        out.rank[j] = PRECISIONS.index(interval.precision)
    return out
