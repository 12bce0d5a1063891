"""Dates a column at a time: many distinct partial dates read at once, intervals shown as text.

The common written forms (YYYY, YYYY-MM, YYYY-MM-DD naming a real day) are read by pyarrow and
numpy; any other value goes through :func:`~.partial.parse_partial`, which gives the same reading
or the exact reason it does not read. Days are proleptic ordinals (``date.toordinal``); a
precision is its index in ``PRECISIONS`` (0 day, 1 month, 2 year).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .partial import MAX_YEAR, MIN_YEAR, MONTH_NAMES, PRECISIONS, DateError, Interval, parse_partial
from .phrases import DURATION, MONTH_NUMBERS, PHRASE_RULES, Shift

__all__ = [
    "EPOCH",
    "NamedPhrases",
    "Partials",
    "days_of",
    "display_texts",
    "interval_at",
    "month_lengths",
    "ordinals",
    "read_named",
    "read_partials",
    "shifted",
]

EPOCH = date(1970, 1, 1).toordinal()
"""The ordinal of numpy's day 0."""
_ISO = r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$"  # RE2: '$' is the end of the text
_MONTHS = pa.array(MONTH_NAMES, pa.large_string())
_PAD = pa.scalar("-01-01", pa.large_string())
_NOTHING = pa.scalar("", pa.large_string())


@dataclass(slots=True)
class Partials:
    """Distinct values read as partial dates: each one's first and last day and precision.

    ``ok`` is false for an empty value and for one that does not read (its reason in
    ``errors``, by position); the days of such a value are 0.
    """

    start: np.ndarray
    end: np.ndarray
    rank: np.ndarray
    ok: np.ndarray
    errors: dict[int, DateError] = field(default_factory=dict)


def ordinals(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Proleptic ordinals of real days given as year, month and day arrays."""
    first = ((year - 1970) * 12 + month - 1).astype("datetime64[M]").astype("datetime64[D]")
    return (first + (day - 1)).astype(np.int64) + EPOCH


def month_lengths(year: np.ndarray, month: np.ndarray) -> np.ndarray:
    """Days in each (year, month)."""
    months = (year - 1970) * 12 + month - 1
    first = months.astype("datetime64[M]").astype("datetime64[D]")
    return ((months + 1).astype("datetime64[M]").astype("datetime64[D]") - first).astype(np.int64)


def days_of(ordinal: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month and day of each proleptic ordinal."""
    day = (np.asarray(ordinal, dtype=np.int64) - EPOCH).astype("datetime64[D]")
    month = day.astype("datetime64[M]")
    year = month.astype("datetime64[Y]")
    return (
        year.astype(np.int64) + 1970,
        (month - year.astype("datetime64[M]")).astype(np.int64) + 1,
        (day - month.astype("datetime64[D]")).astype(np.int64) + 1,
    )


def interval_at(start: int, end: int, rank: int) -> Interval:
    """One interval of the arrays, as an :class:`Interval`."""
    return Interval(date.fromordinal(int(start)), date.fromordinal(int(end)), PRECISIONS[rank])


def _number(values: pa.Array, start: int, stop: int) -> np.ndarray:
    """The digits at [start, stop) of each value, as integers."""
    part = pc.utf8_slice_codeunits(values, start, stop)
    return pc.cast(part, pa.int64()).to_numpy(zero_copy_only=False)


def _read_iso(values: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For values in ISO form naming a real date: where, first day, last day, precision."""
    n = len(values)
    start, end = np.zeros(n, np.int64), np.zeros(n, np.int64)
    rank = np.zeros(n, np.int8)
    form = pc.match_substring_regex(values, _ISO).to_numpy(zero_copy_only=False)
    rows = np.flatnonzero(form)
    if not len(rows):
        return form, start, end, rank
    some = values.take(pa.array(rows))
    size = pc.binary_length(some).to_numpy(zero_copy_only=False)
    year = _number(some, 0, 4)
    padded = pc.binary_join_element_wise(some, _PAD, _NOTHING)  # every value has a month and day
    month = np.where(size >= 7, _number(padded, 5, 7), 1)
    day = np.where(size == 10, _number(padded, 8, 10), 1)
    real = (year >= MIN_YEAR) & (year <= MAX_YEAR) & (month >= 1) & (month <= 12)
    safe_year, safe_month = np.where(real, year, 2000), np.where(real, month, 1)
    length = month_lengths(safe_year, safe_month)
    real &= (day >= 1) & (day <= length)
    first = ordinals(safe_year, safe_month, np.where(real, day, 1))
    last = np.where(
        size == 10,
        first,
        np.where(
            size == 7,
            first + length - 1,
            ordinals(safe_year, np.full_like(safe_year, 12), np.full_like(safe_year, 31)),
        ),
    )
    rows, size = rows[real], size[real]
    form = np.zeros(n, dtype=bool)
    form[rows] = True
    start[rows], end[rows] = first[real], last[real]
    rank[rows] = np.where(size == 10, 0, np.where(size == 7, 1, 2))
    return form, start, end, rank


def read_partials(values: pa.Array) -> Partials:
    """Each value read as :func:`~.partial.parse_partial` reads it; empty values are not read."""
    values = values.cast(pa.large_string())
    fast, start, end, rank = _read_iso(values)
    ok = fast.copy()
    errors: dict[int, DateError] = {}
    filled = pc.not_equal(values, "").to_numpy(zero_copy_only=False)
    rest = np.flatnonzero(filled & ~fast)
    for i, text in zip(rest.tolist(), values.take(pa.array(rest)).to_pylist(), strict=True):
        try:
            interval = parse_partial(text).interval
        except DateError as exc:
            errors[i] = exc
            continue
        start[i], end[i] = interval.start.toordinal(), interval.end.toordinal()
        rank[i], ok[i] = PRECISIONS.index(interval.precision), True
    return Partials(start, end, rank, ok, errors)


def _texts(values: np.ndarray) -> pa.Array:
    """Integers as decimal text."""
    return pc.cast(pa.array(values, pa.int64()), pa.large_string())


def display_texts(start: np.ndarray, end: np.ndarray, rank: np.ndarray) -> pa.Array:
    """``Interval.display()`` of each (start, end, precision), worked out a column at a time."""
    n = len(start)
    sy, sm, sd = days_of(start)
    ey, em, ed = days_of(end)
    whole_years = (rank >= 2) & (sm == 1) & (sd == 1) & (em == 12) & (ed == 31)
    whole_months = ~whole_years & (rank >= 1) & (sd == 1) & (ed == month_lengths(ey, em))
    same_year = sy == ey
    same_month = same_year & (sm == em)
    same_day = np.asarray(start) == np.asarray(end)
    # the nine shapes of Interval.display, by unit and by what the two ends share
    case = np.select(
        [
            whole_years & same_year,
            whole_years,
            whole_months & same_month,
            whole_months & same_year,
            whole_months,
            same_day,
            same_month,
            same_year,
        ],
        list(range(8)),
        8,
    )
    y1, y2, d1, d2 = _texts(sy), _texts(ey), _texts(sd), _texts(ed)
    m1, m2 = _MONTHS.take(pa.array(sm - 1)), _MONTHS.take(pa.array(em - 1))
    shapes = [
        [y1],
        [y1, "–", y2],
        [m1, " ", y1],
        [m1, "–", m2, " ", y1],
        [m1, " ", y1, "–", m2, " ", y2],
        [d1, " ", m1, " ", y1],
        [d1, "–", d2, " ", m1, " ", y1],
        [d1, " ", m1, "–", d2, " ", m2, " ", y1],
        [d1, " ", m1, " ", y1, "–", d2, " ", m2, " ", y2],
    ]
    order = np.argsort(case, kind="stable")
    pieces = []
    for k in np.unique(case).tolist():
        rows = pa.array(order[case[order] == k])
        parts = [
            pa.scalar(p, pa.large_string()) if isinstance(p, str) else p.take(rows)
            for p in shapes[k]
        ]
        if len(parts) == 1:
            pieces.append(parts[0])
        else:
            pieces.append(pc.binary_join_element_wise(*parts, _NOTHING))
    if not pieces:
        return pa.array([], pa.large_string())
    placed = np.empty(n, dtype=np.int64)
    placed[order] = np.arange(n)
    return pa.concat_arrays(pieces).take(pa.array(placed))


# --- dating phrases that name their date outright ---------------------------------------------

_PLAIN_PHRASE = r"^[A-Za-z0-9](?:(?:[A-Za-z0-9.,]| [A-Za-z0-9.,])*[A-Za-z0-9])?$"
"""ASCII words and numbers, single spaces, no punctuation at either end: such a phrase is
written as it stands, and its key (what the rules match) is its lower-case form."""
_MONTH_KEYS = pa.array(list(MONTH_NUMBERS), pa.large_string())
_MONTH_OF_KEY = np.array(list(MONTH_NUMBERS.values()), dtype=np.int64)
_LAST_NAMED = max(i for i, rule in enumerate(PHRASE_RULES) if rule.names is not None)


@dataclass(slots=True)
class NamedPhrases:
    """Distinct dating phrases that name a real date outright, read at once.

    ``named`` marks them; for those, the first and last day, the precision, and the index in
    ``PHRASE_RULES`` of the rule that reads them (the first whose pattern matches). Every
    other phrase (relative ones, ones that name no real day, unusual writing) is left to
    :func:`~.phrases.read_phrase`.
    """

    named: np.ndarray
    start: np.ndarray
    end: np.ndarray
    rank: np.ndarray
    rule: np.ndarray


def _whole(pattern: str) -> str:
    """A Python pattern to match a whole value in RE2."""
    return f"^(?:{pattern})$"


def read_named(phrases: pa.Array) -> NamedPhrases:
    """Which of the distinct phrases name their date outright, and that date, as
    ``read_phrase(p).on(any day)`` reads it."""
    phrases = phrases.cast(pa.large_string())
    n = len(phrases)
    out = NamedPhrases(
        np.zeros(n, bool), np.zeros(n, np.int64), np.zeros(n, np.int64), np.zeros(n, np.int8),
        np.full(n, -1, np.int64),
    )  # fmt: skip
    plain = pc.and_(pc.string_is_ascii(phrases), pc.match_substring_regex(phrases, _PLAIN_PHRASE))
    rows = np.flatnonzero(plain.to_numpy(zero_copy_only=False))
    keys = pc.ascii_lower(phrases.take(pa.array(rows)))
    left = ~pc.match_substring_regex(keys, _whole(DURATION.pattern)).to_numpy(zero_copy_only=False)
    for index, rule in enumerate(PHRASE_RULES[: _LAST_NAMED + 1]):
        hit = left & pc.match_substring_regex(keys, _whole(rule.pattern.pattern)).to_numpy(
            zero_copy_only=False
        )
        left &= ~hit
        if rule.names is None or not hit.any():
            continue  # a phrase a relative rule reads first: left to read_phrase
        at = np.flatnonzero(hit)
        found = pc.extract_regex(keys.take(pa.array(at)), _whole(rule.pattern.pattern))
        year = pc.cast(found.field("year"), pa.int64()).to_numpy(zero_copy_only=False)
        real = (year >= MIN_YEAR) & (year <= MAX_YEAR)
        month = np.ones(len(at), np.int64)
        day = np.ones(len(at), np.int64)
        if rule.names != "year":
            where = pc.index_in(found.field("month"), value_set=_MONTH_KEYS)
            month = _MONTH_OF_KEY[where.to_numpy(zero_copy_only=False)]
        year = np.where(real, year, 2000)
        length = month_lengths(year, month)
        if rule.names == "day":
            day = pc.cast(found.field("day"), pa.int64()).to_numpy(zero_copy_only=False)
            real &= (day >= 1) & (day <= length)
            day = np.where(real, day, 1)
        first = ordinals(year, month, day)
        last = {
            "day": first,
            "month": first + length - 1,
            "year": ordinals(year, np.full(len(at), 12), np.full(len(at), 31)),
        }[rule.names]
        chosen = rows[at[real]]
        out.named[chosen] = True
        out.start[chosen], out.end[chosen] = first[real], last[real]
        out.rank[chosen] = PRECISIONS.index(rule.names)
        out.rule[chosen] = index
    return out


_LAST_DAY = date.max.toordinal()


def shifted(
    shift: Shift, first: np.ndarray, last: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``Shift`` read against windows [first, last] (ordinals), as ``PhraseReading.against``
    reads it: the hull of the unit moved from the first day and from the last day.

    Returns the first and last day, the precision, and where the result is within the
    calendar (elsewhere, ``against`` raises: read those one by one for the message).
    """
    rank = np.full(len(first), PRECISIONS.index(shift.unit), dtype=np.int8)
    if shift.unit == "day":
        start, end = first + shift.offset, last + shift.offset
        return start, end, rank, (start >= 1) & (end <= _LAST_DAY)
    fy, fm, _ = days_of(first)
    ly, lm, _ = days_of(last)
    if shift.unit == "year":
        y1, m1, y2, m2 = (
            fy + shift.offset,
            np.ones_like(fy),
            ly + shift.offset,
            np.full_like(ly, 12),
        )
    else:
        y1, m1 = np.divmod(fy * 12 + fm - 1 + shift.offset, 12)
        y2, m2 = np.divmod(ly * 12 + lm - 1 + shift.offset, 12)
        m1, m2 = m1 + 1, m2 + 1
    ok = (y1 >= 1) & (y1 <= MAX_YEAR) & (y2 >= 1) & (y2 <= MAX_YEAR)
    y1, y2 = np.where(ok, y1, 2000), np.where(ok, y2, 2000)
    start = ordinals(y1, m1, np.ones_like(y1))
    end = ordinals(y2, m2, month_lengths(y2, m2))
    return start, end, rank, ok
