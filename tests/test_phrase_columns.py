"""Dating phrases read a column at a time give, row by row, what ``resolve_phrase`` gives.

The loader reads each distinct phrase once (once per distinct publication window where the
date moves it): these tests hold its readings, the date basis it writes and its problems
against the plain definition, one row at a time, over many phrases and windows.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

import chronology
from chronology import DataError
from chronology.data.dataset import publication_label
from chronology.data.dates.partial import DateError, Interval, interval_of
from chronology.data.dates.phrases import is_duration, resolve_phrase

READABLE = [
    "last month", "next month", "this month", "in March", "last July", "this year",
    "last year", "yesterday", "today", "last week", "2012", "since July 2023",
    "16 March 2024", "September 15", "in December",
]  # fmt: skip
# unreadable always, or (29 February) only within a year of no leap day
UNREADABLE = ["31 February 2020", "the other day", "four months", "February 30", "29 February"]
# (published, date_estimated, estimate_earliest, estimate_latest): days, months, windows
WINDOWS = [
    ("2024-04-20", "false", "", ""),
    ("2024-06-08", "true", "2024-06-01", "2024-07-15"),
    ("2023-02-28", "false", "", ""),
    ("2024-03", "false", "", ""),
    ("2023", "false", "", ""),
    ("2021-12-31", "true", "2021-12-31", "2022-01-02"),
    ("2024-04-20", "false", "", ""),  # the same window again, from another source
]


def _window(published: str, estimated: str, earliest: str, latest: str) -> Interval:
    if estimated == "true":
        return interval_of(earliest, latest)
    return interval_of(published)


def _append(path: Path, rows: list[list[str]]) -> None:
    with path.open("a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def _write_sources(directory: Path, phrases: list[str]) -> list[tuple[str, Interval, str]]:
    """A stored article per window quoting every phrase; (id, window, label) of each."""
    made = []
    for s, (published, estimated, earliest, latest) in enumerate(WINDOWS):
        sid = f"gen-{s}"
        text = " ".join(f"Item {k} happened {p}." for k, p in enumerate(phrases))
        (directory / "sources" / f"{sid}.txt").write_text(text, encoding="utf-8")
        basis = "Generated." if estimated == "true" else ""
        row = [sid, "article", f"Source {s}", "Test", published, estimated, earliest, latest]
        _append(directory / "sources.csv", [[*row, basis, "", f"sources/{sid}.txt", ""]])
        label = publication_label({"published": published, "date_estimated": estimated})
        made.append((sid, _window(published, estimated, earliest, latest), label))
    return made


def _add_events(directory: Path, phrases: list[str]) -> list[dict[str, str]]:
    """An event and its excerpt per (source, phrase), dated inside the phrase's reading."""
    sources = _write_sources(directory, phrases)
    events, excerpts, expected = [], [], []
    for sid, window, label in sources:
        for k, phrase in enumerate(phrases):
            eid = f"{sid}-{k}"
            try:
                reading = resolve_phrase(phrase, window)
            except DateError:
                reading = None
            span = reading.interval if reading else interval_of("2024")
            # alternate: the reading's own span, or one day inside it (a coarser phrase)
            first = span.start.isoformat()
            last = span.end.isoformat() if k % 2 else ""
            events.append([eid, f"Event {eid}", "Summary.", first, last])
            events[-1] += ["military", "happened", "", "", ""]
            quote = f"Item {k} happened {phrase}."
            excerpts.append([eid, sid, quote, phrase])
            basis = ""
            if reading is not None:
                own = interval_of(first, last or None)
                basis = f"'{phrase}' in an article of {label} → {reading.interval.display()}"
                if own != reading.interval:
                    basis += f", which agrees with {own.display()}"
            expected.append({"id": eid, "phrase": phrase, "window": window, "basis": basis})
    _append(directory / "events.csv", events)
    _append(directory / "excerpts.csv", excerpts)
    return expected


def test_every_reading_and_basis_is_the_row_by_row_one(
    make_data_dir: Callable[..., Path],
) -> None:
    directory = make_data_dir()
    expected = _add_events(directory, READABLE)
    ds = chronology.load(directory)
    basis = dict(zip(ds.excerpts["event_id"], ds.excerpts["basis"], strict=True))
    for row in expected:
        assert basis[row["id"]] == row["basis"], row
    # every phrase was read against a window where the date moves it, and some are coarser
    assert any(", which agrees with" in row["basis"] for row in expected)
    assert len({row["basis"] for row in expected if row["phrase"] == "last month"}) > 3


def test_every_phrase_problem_is_the_row_by_row_one(make_data_dir: Callable[..., Path]) -> None:
    directory = make_data_dir()
    before = len((directory / "excerpts.csv").read_text(encoding="utf-8").splitlines())
    expected = _add_events(directory, [*READABLE, *UNREADABLE])
    with pytest.raises(DataError) as info:
        chronology.load(directory)
    got = [
        (p.row, p.message, p.fix, p.value)
        for p in info.value.problems
        if p.file == "excerpts.csv" and p.column == "dating_phrase"
    ]
    want = []
    for n, row in enumerate(expected, start=before + 1):  # the header is row 1
        try:
            resolve_phrase(row["phrase"], row["window"])
        except DateError as exc:
            if is_duration(row["phrase"]):
                message = f"the dating phrase {row['phrase']!r} is a duration, not a date: "
                exc = DateError(message + "it says how long, not when", exc.fix)
            want.append((n, exc.message, exc.fix, row["phrase"]))
    assert len(want) >= 2 * len(WINDOWS)  # absolute and rule-less errors, and window-bound ones
    assert got == want[: len(got)] and len(got) == min(len(want), 50)
