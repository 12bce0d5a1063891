"""Checks of what backs each field: every date, end date and place rests on an excerpt or a
citation that says it backs that field, and what it gives agrees with the field.

An excerpt or citation names the event's fields it backs in ``supports`` (``summary;date;…``).
Whole columns at a time: each distinct ``supports`` value is read once, each row's fields are
a bit mask, and an event's backing is the masks of its rows or-ed together.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np
import pyarrow as pa

from ..dates.columns import interval_at, read_partials
from ..dates.partial import PRECISIONS, Interval
from ..errors import Problem
from ..read.table import Table, first_rows
from .results import Checked, dictionary

__all__ = [
    "BIT",
    "FIELDS",
    "check_backing",
    "default_supports",
    "masks",
    "supports_text",
]

FIELDS = ("summary", "date", "end_date", "place", "actors")
"""The fields of an event a source can back, in the order ``supports`` lists them."""
BIT = {name: 1 << k for k, name in enumerate(FIELDS)}
"""Each field's bit in a row's mask of backed fields."""
_LABELS = {"date": "date", "end_date": "end date", "place": "place"}


def default_supports(table: str, has_phrase: bool) -> int:
    """What a row with no ``supports`` backs: an excerpt its summary (and its date when it has a
    dating phrase), a citation what an imported row says of its source, summary and date. (The
    date becomes the end date where the date given falls in the event's end date, not its date:
    see ``_check_rows``.)"""
    if table == "excerpts":
        return BIT["summary"] | (BIT["date"] if has_phrase else 0)
    return BIT["summary"] | BIT["date"]


def _read(value: str) -> int:
    """A ``supports`` value as a bit mask (unknown names are the schema's to report)."""
    return sum({BIT[p] for p in value.split(";") if p in BIT})


def masks(table: Table) -> np.ndarray:
    """Each row's backed fields as a bit mask (see :data:`BIT`), defaults filled in."""
    codes, distinct = dictionary(table.column("supports"))
    read = np.array([_read(v) for v in distinct.to_pylist()] or [0], dtype=np.int64)
    out = read[codes] if len(codes) else np.zeros(0, dtype=np.int64)
    empty = (table.column("supports") == "").to_numpy()
    if empty.any():
        if table.resource.name == "excerpts":
            phrased = (table.column("dating_phrase") != "").to_numpy()
            fill: np.ndarray | int = np.where(phrased, BIT["summary"] | BIT["date"], BIT["summary"])
        else:
            fill = default_supports("citations", False)
        out = np.where(empty, fill, out)
    return out


def supports_text(mask: np.ndarray) -> pa.Array:
    """Bit masks written back as ``supports`` values ('summary;date'), each distinct one once."""
    distinct, codes = np.unique(mask, return_inverse=True)
    texts = [";".join(f for f in FIELDS if int(m) & BIT[f]) for m in distinct.tolist()]
    return pa.array(texts, pa.large_string()).take(pa.array(codes.astype(np.int64)))


def _per_event(refs: np.ndarray, mask: np.ndarray, n: int) -> np.ndarray:
    """The masks of the rows of each of ``n`` events or-ed together."""
    out = np.zeros(n, dtype=np.int64)
    for bit in BIT.values():
        on = refs[(refs >= 0) & (mask & bit != 0)]
        out[on] |= bit
    return out


def _field_days(out: Checked, span_row: np.ndarray, end: bool) -> tuple[np.ndarray, ...]:
    """For events rows (-1: none), the first and last day of their date (or end date) as
    written, its precision's index, and whether there is one."""
    spans = out.spans
    assert spans is not None
    if not len(spans) or not len(spans.code):
        zero = np.zeros(len(span_row), dtype=np.int64)
        return zero, zero, zero, np.zeros(len(span_row), dtype=bool)
    k = np.where(span_row >= 0, spans.code[np.maximum(span_row, 0)], -1)
    at = (spans.end_at if end else spans.date_at)[np.maximum(k, 0)]
    has = (k >= 0) & (at >= 0)
    w = spans.written
    at = np.maximum(at, 0)
    return w.start[at], w.end[at], w.rank[at].astype(np.int64), has


def check_backing(tables: dict[str, Table], refs: dict[str, np.ndarray], out: Checked) -> None:
    """The rules of ``supports``; sets ``out.backs`` (each row's mask) for the data set."""
    if "events" not in tables or out.spans is None:
        return
    events = tables["events"]
    n = len(events)
    found: dict[str, list[tuple[int, int, Problem]]] = {}
    backed = np.zeros(n, dtype=np.int64)
    declared = False
    for name in ("excerpts", "citations"):
        if name not in tables:
            continue
        table, rows = tables[name], refs[name]
        mask = masks(table)
        out.backs[name] = mask
        declared = declared or bool((table.column("supports") != "").any())
        span_row = out.spans.of_rows(rows)
        problems = found.setdefault(name, [])
        _check_rows(name, table, mask, span_row, events, out, problems)  # sets defaults in mask
        backed |= _per_event(rows, mask, n)
    if declared:  # a data set that records no backing at all (older, imported) is not held to it
        _check_events(events, backed, found.setdefault("events", []))
    if "disputes" in tables:
        _check_disputes(tables["disputes"], found.setdefault("disputes", []))
    for problems in found.values():
        out.add_sorted(problems)


def _check_disputes(disputes: Table, found: list) -> None:
    """A disputed date or end date is a date as the events give them (YYYY, YYYY-MM, …)."""
    if not len(disputes):
        return
    value, name = disputes.column("value"), disputes.column("field")
    dated = (name.isin(["date", "end_date"]) & (value != "")).to_numpy()
    if not dated.any():
        return
    codes, distinct = dictionary(value)
    read = read_partials(distinct)
    bad = dated & ~read.ok[codes]
    for i in first_rows(bad):
        error = read.errors.get(int(codes[i]))
        problem = Problem(
            disputes.file,
            f"the disputed {_LABELS[name.iloc[i]]} is not a date"
            + (f" ({error.message})" if error else ""),
            "give the date the source gives as YYYY, YYYY-MM or YYYY-MM-DD, as precise as "
            "the source",
            disputes.row_number(i),
            "value",
            value.iloc[i],
        )
        found.append((int(i), 0, problem))


def _check_events(events: Table, backed: np.ndarray, found: list) -> None:
    """Every date, end date and place some row backs."""
    for order, column in enumerate(("date", "end_date", "place")):
        values = events.column(column)
        missing = (values != "").to_numpy() & (backed & BIT[column] == 0)
        for i in first_rows(missing):
            eid = events.column("id").iloc[i]
            problem = Problem(
                events.file,
                f"nothing backs the {_LABELS[column]} of event {eid!r}",
                f"add {column!r} to the supports of the excerpt or citation that gives it "
                f"(excerpts.csv, citations.csv), or cite a source that does",
                events.row_number(i),
                column,
                values.iloc[i],
            )
            found.append((int(i), order, problem))


def _check_rows(
    name: str,
    table: Table,
    mask: np.ndarray,
    span_row: np.ndarray,
    events: Table,
    out: Checked,
    found: list,
) -> None:
    """A row backing a field its event does not have; a date it backs that it does not give.

    A row with no ``supports`` that gives a date backs the event's date, or its end date where
    the date it gives falls in the end date and not the date (``mask`` is set so)."""

    def report(failing: np.ndarray, order: int, make: Callable[[int], Problem]) -> None:
        found.extend((int(i), order, make(int(i))) for i in first_rows(failing))

    has_event = span_row >= 0
    given = _given(name, table, out)
    first, last, _, dated = given
    fields = {c: _field_days(out, span_row, c == "end_date") for c in ("date", "end_date")}
    meets = {
        c: has_event & has & dated & (first <= stop) & (start <= last)
        for c, (start, stop, _, has) in fields.items()
    }
    unsaid = (table.column("supports") == "").to_numpy() & (mask & BIT["date"] != 0)
    to_end = unsaid & ~meets["date"] & meets["end_date"]
    mask[to_end] = (mask[to_end] & ~BIT["date"]) | BIT["end_date"]
    at = np.maximum(span_row, 0)
    for order, column in enumerate(("end_date", "place")):
        empty = (events.column(column) == "").to_numpy()[at] if len(events) else has_event
        lacking = has_event & (mask & BIT[column] != 0) & empty
        report(lacking, order, partial(_lacking, table, column=column))
    for order, column in enumerate(("date", "end_date"), start=2):
        start, stop, field_rank, has = fields[column]
        backs = has_event & has & dated & (mask & BIT[column] != 0)

        def other(i: int, c: str = column, s=start, e=stop, r=field_rank) -> Problem:
            return _gives_other(name, table, i, c, interval_at(s[i], e[i], int(r[i])), given, out)

        report(backs & ~meets[column], order, other)


def _given(name: str, table: Table, out: Checked) -> tuple[np.ndarray, ...]:
    """For each row, the days it dates: a citation its date; an excerpt its dating phrase's
    reading, or without a phrase its source's publication window. Last: where there is one."""
    n = len(table)
    if name == "citations":
        codes, distinct = dictionary(table.column("date"))
        read = read_partials(distinct)
        ok = read.ok[codes] if n else np.zeros(0, dtype=bool)
        return read.start[codes], read.end[codes], read.rank[codes].astype(np.int64), ok
    readings = out.readings
    phrase = (table.column("dating_phrase") != "").to_numpy()
    first, last = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    rank = np.zeros(n, dtype=np.int64)
    dated = np.zeros(n, dtype=bool)
    if readings is not None and len(readings):
        k = readings.of_row
        found = k >= 0
        first[found], last[found] = readings.start[k[found]], readings.end[k[found]]
        rank[found] = readings.rank[k[found]]
        dated |= found
    # no phrase: the quote speaks as of its source's publication
    codes, ids = dictionary(table.column("source_id"))
    windows = [out.published.get(s) for s in ids.to_pylist()]
    known = np.array([w is not None for w in windows], dtype=bool)
    w_first = np.array([w.start.toordinal() if w else 0 for w in windows], dtype=np.int64)
    w_last = np.array([w.end.toordinal() if w else 0 for w in windows], dtype=np.int64)
    w_rank = np.array([PRECISIONS.index(w.precision) if w else 0 for w in windows], np.int64)
    plain = ~phrase & (known[codes] if n else phrase)
    first[plain], last[plain], rank[plain] = (
        w_first[codes[plain]],
        w_last[codes[plain]],
        w_rank[codes[plain]],
    )
    dated |= plain
    return first, last, rank, dated


def _lacking(table: Table, i: int, column: str) -> Problem:
    row = table.row(i)
    return Problem(
        table.file,
        f"the row backs the {_LABELS[column]} of event {row['event_id']!r}, which has none",
        f"take {column!r} out of supports, or give the event its {_LABELS[column]} in events.csv",
        table.row_number(i),
        "supports",
        row["supports"],
    )


def _gives_other(
    name: str, table: Table, i: int, column: str, field: Interval, given: tuple, out: Checked
) -> Problem:
    row = table.row(i)
    first, last, rank, _ = given
    shown = interval_at(first[i], last[i], int(rank[i])).display()
    what = _LABELS[column]
    eid = row["event_id"]
    if name == "citations":
        return Problem(
            table.file,
            f"the citation backs the {what} of event {eid!r} ({field.display()}), "
            f"but its own date is {shown}",
            f"correct the date here or the event's {what}, or take {column!r} out of supports",
            table.row_number(i),
            "date",
            row["date"],
        )
    if row["dating_phrase"]:
        return Problem(
            table.file,
            f"the excerpt backs the {what} of event {eid!r} ({field.display()}), but its "
            f"dating phrase reads as {shown}",
            f"correct the event's {what} in events.csv, or take {column!r} out of supports",
            table.row_number(i),
            "dating_phrase",
            row["dating_phrase"],
        )
    return Problem(
        table.file,
        f"the excerpt backs the {what} of event {eid!r} ({field.display()}) with no dating "
        f"phrase, so it speaks as of its source's publication ({shown}), which is not that "
        f"{what}",
        f"mark the words that date it in dating_phrase, or take {column!r} out of supports",
        table.row_number(i),
        "supports",
        row["supports"],
    )
