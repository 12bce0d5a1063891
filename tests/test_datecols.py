"""The column-wise date readers give exactly what the one-value readers give (issue 8).

Each fast path (``chronology.data.dates.columns``) is compared with its reference —
``parse_partial``, ``Interval.display``, ``read_phrase`` — on random and edge-case values, and the
loader's spans and labels with ``interval_of`` and ``date_label``.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pyarrow as pa
from hypothesis import example, given, settings
from hypothesis import strategies as st

from chronology.data import load
from chronology.data.dataset import publication_label
from chronology.data.dates.columns import (
    display_texts,
    interval_at,
    read_named,
    read_partials,
    shifted,
)
from chronology.data.dates.partial import (
    MAX_YEAR,
    MIN_YEAR,
    MONTH_NAMES,
    PRECISIONS,
    DateError,
    Interval,
    interval_of,
    parse_partial,
)
from chronology.data.dates.phrases import MONTH_NUMBERS, PHRASE_RULES, read_phrase
from chronology.data.load import date_label
from chronology.data.read.table import Table
from chronology.data.schema import load_schema
from chronology.data.validate.meaning import _check_events
from chronology.data.validate.results import Checked

FIRST, LAST = date(MIN_YEAR, 1, 1), date(MAX_YEAR, 12, 31)
days = st.dates(min_value=FIRST, max_value=LAST)

EDGE_DATES = [
    "", "2024", "2024-02-29", "2023-02-29", "2100-02-29", "2000-02-29", "2024-04-31",
    "2024-12-31", "0999", "1000", "1000-01-01", "9999", "9999-12-31", "10000", "2024-13",
    "2024-00", "2024-01-00", "2024-1", "2024-1-05", " 2024 ", "2024\n", "2024-03-16T00:00",
    "20240316", "2024/03/16", "March 2024", "２０２４", "٢٠٢٤-٠٣", "2024-", "-2024", "abcd",
]  # fmt: skip


def iso_like() -> st.SearchStrategy[str]:
    """Digits and hyphens shaped like partial ISO dates, with absurd numbers too."""
    year = st.integers(0, 12_000).map(lambda y: f"{y:04d}")
    two = st.integers(0, 40).map(lambda n: f"{n:02d}")
    return st.one_of(
        st.tuples(year, st.none() | two, st.none() | two).map(
            lambda t: t[0] + (f"-{t[1]}" + (f"-{t[2]}" if t[2] else "") if t[1] else "")
        ),
        days.map(lambda d: d.isoformat()[:10]),
        st.text(alphabet="0123456789- T", max_size=12),
        st.text(max_size=12),
    )


def check_partials(values: list[str]) -> None:
    """read_partials agrees with parse_partial on every value: the days, or the same error."""
    read = read_partials(pa.array(values, pa.large_string()))
    for i, value in enumerate(values):
        if not value:
            assert not read.ok[i] and i not in read.errors
            continue
        try:
            expected = parse_partial(value).interval
        except DateError as exc:
            assert not read.ok[i]
            assert (read.errors[i].message, read.errors[i].fix) == (exc.message, exc.fix)
            continue
        assert read.ok[i], value
        assert interval_at(read.start[i], read.end[i], int(read.rank[i])) == expected, value


def test_edge_dates_read_as_parse_partial_reads_them() -> None:
    check_partials(EDGE_DATES)


@settings(max_examples=200, deadline=None)
@given(st.lists(iso_like(), max_size=40))
def test_random_dates_read_as_parse_partial_reads_them(values: list[str]) -> None:
    check_partials(values)


@st.composite
def intervals(draw: st.DrawFn) -> Interval:
    """Any interval, often on month and year boundaries (where the display changes shape)."""
    start = draw(days)
    if draw(st.booleans()):
        start = start.replace(day=1)
    if draw(st.booleans()):
        start = start.replace(month=1)
    length = draw(
        st.sampled_from([0, 1, 27, 28, 29, 30, 31, 59, 364, 365, 730]) | st.integers(0, 900)
    )
    end = start + timedelta(days=min(length, (LAST - start).days))
    if draw(st.booleans()):  # end on the last day of its month or year
        end = end.replace(day=calendar.monthrange(end.year, end.month)[1])
    if draw(st.booleans()):
        end = end.replace(month=12, day=31)
    return Interval(start, end, draw(st.sampled_from(PRECISIONS)))


def check_display(shown: list[Interval]) -> None:
    start = np.array([i.start.toordinal() for i in shown], np.int64)
    end = np.array([i.end.toordinal() for i in shown], np.int64)
    rank = np.array([PRECISIONS.index(i.precision) for i in shown], np.int8)
    assert display_texts(start, end, rank).to_pylist() == [i.display() for i in shown]


EDGE_INTERVALS = [
    Interval.for_year(2012),
    Interval(date(2012, 1, 1), date(2013, 12, 31), "year"),
    Interval(date(2012, 1, 1), date(2012, 12, 31), "month"),  # a whole year, shown by month
    Interval(date(2012, 1, 1), date(2012, 12, 31), "day"),
    Interval.for_month(2024, 2),
    Interval(date(2023, 12, 1), date(2024, 1, 31), "month"),
    Interval(date(2024, 3, 1), date(2024, 5, 31), "year"),
    Interval.for_day(date(2024, 3, 16)),
    Interval(date(2024, 6, 8), date(2024, 6, 10), "day"),
    Interval(date(2024, 6, 8), date(2024, 7, 10), "day"),
    Interval(date(2023, 12, 30), date(2024, 1, 2), "day"),
    Interval(date(2024, 2, 1), date(2024, 2, 28), "month"),  # not the month's last day
    Interval.for_day(FIRST),
    Interval.for_day(LAST),
    Interval(FIRST, LAST, "year"),
]


def test_edge_intervals_show_as_interval_display_shows_them() -> None:
    check_display(EDGE_INTERVALS)


@settings(max_examples=200, deadline=None)
@given(st.lists(intervals(), min_size=1, max_size=30))
def test_random_intervals_show_as_interval_display_shows_them(shown: list[Interval]) -> None:
    check_display(shown)


def test_no_intervals_show_as_nothing() -> None:
    empty = np.zeros(0, np.int64)
    assert display_texts(empty, empty, np.zeros(0, np.int8)).to_pylist() == []


# --- dating phrases that name their date ------------------------------------------------------

EDGE_PHRASES = [
    "16 March 2024", "March 16, 2024", "on 16 March 2024", "on March 16 2024", "16th March 2024",
    "1st Jan 1000", "31 December 9999", "since 2012", "in 2012", "2012", "July 2023",
    "in July, 2023", "since July 2023", "since 16 March 2024", "since March 16, 2024",
    "Sept. 15, 2020", "sept 15 2020", "SEPT. 15 2020", "Mar. 2020", "31 February 2020",
    "29 February 2021", "29 Feb 2024", "0 March 2024", "0999", "in 10000", "since 0999",
    "32 March 2024", "16 March 2024.", "16  March 2024", "\u201c16 March 2024\u201d",
    " 16 March 2024", "16\tMarch 2024", "last month", "in March", "March 16", "four months",
    "2 years", "a few days", "12 months later", "today", "", "2024-03-16", "16 Mars 2024",
    "16 March 2024,", "16, March 2024", "16 march, 2024", "İn 2012", "in 2012 ",
]  # fmt: skip


@st.composite
def phrases(draw: st.DrawFn) -> str:
    """A phrase shaped like one naming a date, with numbers and writing that may be wrong."""
    month = draw(st.sampled_from([*MONTH_NUMBERS, "May", "SEPT.", "Sept.", "Febr"]))
    shape = draw(
        st.sampled_from(
            [
                "{d} {m} {y}", "{m} {d}, {y}", "on {m} {d} {y}", "since {d}th {m}, {y}",
                "in {m} {y}", "since {y}", "{y}", "{m}, {y}", "{m} {d}", "in {m}", "last {m}",
                "{d} {m}", "{d} months", "in {y}", "{p}{d} {m} {y}{p}",
            ]
        )
    )  # fmt: skip
    return shape.format(
        d=draw(st.integers(0, 40)),
        m=month,
        y=draw(st.integers(0, 10_100).map(lambda y: f"{y:04d}") | st.integers(1, 20_000).map(str)),
        p=draw(st.sampled_from(["", ".", " ", ",", "\u2026", '"'])),
    )


def check_named(values: list[str]) -> None:
    """Where read_named reads a phrase, read_phrase reads it by the same rule to the same date;
    a phrase it leaves is refused, read against the publication date, names no real date, or
    is written unusually (other whitespace, punctuation at an end, non-ASCII)."""
    named = read_named(pa.array(values, pa.large_string()))
    for i, value in enumerate(values):
        try:
            reading = read_phrase(value)
        except DateError:
            assert not named.named[i], value
            continue
        try:
            expected = reading.on(date(2000, 1, 1)) if reading.absolute else None
        except DateError:
            expected = None
        if named.named[i]:
            assert PHRASE_RULES[int(named.rule[i])] is reading.rule, value
            got = interval_at(named.start[i], named.end[i], int(named.rank[i]))
            assert got == expected, value
        elif expected is not None:  # a real date named outright: left only if unusually written
            plain = value.isascii() and value == " ".join(value.split())
            assert not (plain and value[0].isalnum() and value[-1].isalnum()), value


def test_edge_phrases_read_as_read_phrase_reads_them() -> None:
    check_named(EDGE_PHRASES)


@settings(max_examples=300, deadline=None)
@given(st.lists(phrases() | st.text(max_size=20), max_size=30))
@example([f"{d} {m} 2024" for m in MONTH_NAMES for d in (0, 1, 28, 29, 30, 31, 32)])
def test_random_phrases_read_as_read_phrase_reads_them(values: list[str]) -> None:
    check_named(values)


# --- the loader's spans ----------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(EDGE_DATES) | iso_like(),
            st.sampled_from(["", *EDGE_DATES]) | iso_like(),
        ),
        min_size=1,
        max_size=25,
    )
)
@example(
    [
        ("2024-03-16", "2024"),  # the end's year starts before the date: the hull starts there
        ("2024-03", "2024-03-10"),
        ("2024-03-16", "2024-03-10"),  # an end before its start
        ("2024-03-16", "2024-03-16"),
        ("2024", "2023-12-31"),
        ("", "2024"),
        ("2024-02-30", "2024"),
        ("2024", "2024-13"),
    ]
)
def test_spans_are_interval_of_and_labels_date_label(pairs: list[tuple[str, str]]) -> None:
    """Each events row's span is interval_of(date, end_date) and its label date_label's."""
    resource = next(r for r in load_schema().resources if r.name == "events")
    pairs = [(d.strip(), e.strip()) for d, e in pairs]  # table values are stripped
    frame = {c: [""] * len(pairs) for c in resource.columns}
    frame["id"] = [f"e{i}" for i in range(len(pairs))]
    frame["date"] = [d for d, _ in pairs]
    frame["end_date"] = [e for _, e in pairs]
    table = Table(resource, pd.DataFrame(frame, dtype="str"), np.arange(2, len(pairs) + 2))
    table.unique.add("id")
    out = Checked()
    _check_events(table, out)
    assert out.spans is not None
    labels = out.spans.labels().to_pylist()
    messages = {(p.row, p.column): p.message for p in out.problems}
    for i, (start, end) in enumerate(pairs):
        try:
            expected = interval_of(start, end or None) if start else None
        except DateError as exc:
            assert out.spans.code[i] == -1
            assert exc.message in messages.values()
            continue
        if expected is None:
            assert out.spans.code[i] == -1
            continue
        k = int(out.spans.code[i])
        assert out.spans.span(k) == expected
        assert labels[k] == date_label(start, end)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(days, st.sampled_from([4, 7, 10]), st.booleans()), max_size=20))
@example([(date(2024, 6, 8), 10, True), (date(2024, 6, 8), 10, True), (FIRST, 4, False)])
def test_publication_labels_are_publication_label(rows: list[tuple[date, int, bool]]) -> None:
    """The sources' labels in the date basis, a column at a time, are publication_label's."""
    sources = pd.DataFrame(
        {
            "published": [d.isoformat()[:size] for d, size, _ in rows],
            "date_estimated": ["true" if e else "false" for *_, e in rows],
        },
        dtype="str",
    )
    expected = [publication_label(row) for row in sources.to_dict("records")]
    assert load._publication_labels(sources).to_pylist() == expected


SHIFTS = [rule for rule in PHRASE_RULES if rule.shift is not None]


@st.composite
def windows(draw: st.DrawFn) -> Interval:
    """A publication window: a day or a span, near the calendar's ends too."""
    start = draw(days | st.sampled_from([FIRST, LAST, date(MAX_YEAR, 12, 1), date(2024, 2, 29)]))
    length = draw(st.sampled_from([0, 0, 1, 30, 400]) | st.integers(0, 800))
    return Interval(start, start + timedelta(days=min(length, (LAST - start).days)), "day")


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(SHIFTS), st.lists(windows(), min_size=1, max_size=20))
@example(SHIFTS[0], [Interval.for_day(LAST), Interval.for_day(FIRST)])
def test_shifted_windows_read_as_against_reads_them(rule, published: list[Interval]) -> None:
    """'last month' and the like over many windows at once, as against() reads each one."""
    shift = rule.shift
    first = np.array([w.start.toordinal() for w in published], np.int64)
    last = np.array([w.end.toordinal() for w in published], np.int64)
    start, end, rank, ok = shifted(shift, first, last)
    reading = read_phrase(rule.examples[0])
    for i, window in enumerate(published):
        try:
            expected = reading.against(window).interval
        except DateError:
            assert not ok[i]
            continue
        assert ok[i]
        assert interval_at(start[i], end[i], int(rank[i])) == expected
