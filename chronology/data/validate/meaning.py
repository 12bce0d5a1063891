"""Checks of meaning: real dates, the actor tree, citations, and what each event rests on.

Each check takes the parsed tables and returns problems; none stops at the first one. The
sources, their stored texts and the excerpts are checked in ``sources``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from ..dates.columns import read_partials
from ..dates.partial import DateError, interval_of, parse_partial
from ..errors import Problem
from ..read.files import MAX_TEXT_BYTES, Package
from ..read.table import Table, first_rows, isin, marked, positions, references
from .backing import check_backing
from .results import Checked, Spans, date_problem, dictionary, failing
from .sources import check_excerpts, check_sources

__all__ = ["MAX_ACTOR_DEPTH", "MAX_TEXT_BYTES", "Checked", "check_meaning"]

MAX_ACTOR_DEPTH = 20
"""Levels of parents below a top-level actor (a longer chain is a mistake in the data)."""


def _check_events(events: Table, out: Checked) -> None:
    """Dates and end dates that read, ends not before starts; sets ``out.spans``.

    Each distinct date and end date is read once (``read_partials``), each distinct
    (date, end date) pair is a span made with whole columns; Python runs per failing row only.
    """
    date, end = events.column("date"), events.column("end_date")
    (dates, date_values), (ends, end_values) = dictionary(date), dictionary(end)
    nd, ne = len(date_values), len(end_values)
    read = read_partials(pa.concat_arrays([date_values, end_values]))
    found: list[tuple[int, int, Problem]] = []
    bad = []
    for order, (column, values, codes, offset, size) in enumerate(
        (("date", date, dates, 0, nd), ("end_date", end, ends, nd, ne))
    ):
        wrong_value = failing(read, offset, size)[codes]
        bad.append(wrong_value)
        for i in first_rows(wrong_value):
            error = read.errors[offset + int(codes[i])]
            found.append((int(i), order, date_problem(events, i, column, error, values.iloc[i])))
    rows = np.flatnonzero((date != "").to_numpy() & ~bad[0] & ~bad[1])
    # one span per distinct (date, end_date)
    width = max(ne, 1)
    codes, keys = pd.factorize(dates[rows] * width + ends[rows])
    d, e = np.divmod(np.asarray(keys, dtype=np.int64), width)
    e = e + nd
    has_end = read.ok[e]
    first = np.where(has_end, np.minimum(read.start[d], read.start[e]), read.start[d])
    last = np.where(has_end, np.maximum(read.end[d], read.end[e]), read.end[d])
    rank = np.where(has_end, np.maximum(read.rank[d], read.rank[e]), read.rank[d])
    is_error = has_end & (read.end[e] < read.start[d])  # an end before its start
    for k in first_rows(is_error[codes]):
        i = int(rows[k])
        start_text, end_text = date.iloc[i], end.iloc[i]
        try:
            interval_of(start_text, end_text)
        except DateError as exc:
            found.append((i, 2, date_problem(events, i, "end_date", exc, end_text)))
    out.add_sorted(found)
    keep = ~is_error[codes]
    rows, codes = rows[keep], (np.cumsum(~is_error) - 1)[codes[keep]]
    valid = ~is_error
    first, last, rank = first[valid], last[valid], rank[valid].astype(np.int8)
    code = np.full(len(events), -1, dtype=np.int64)
    code[rows] = codes
    start, stop = np.zeros(len(events), np.int64), np.zeros(len(events), np.int64)
    start[rows], stop[rows] = first[codes], last[codes]
    if "id" in events.unique:
        by_row = np.full(len(events), -1, dtype=np.int64)
        by_row[rows] = rows
    else:  # a repeated id (reported already): its span is the last readable row's
        ids = events.column("id").iloc[rows].reset_index(drop=True)
        last_row = ~ids.duplicated(keep="last").to_numpy()
        at = positions(events.column("id"), ids[last_row])
        by_row = np.where(at >= 0, rows[last_row][np.maximum(at, 0)], -1)
    end_at = np.where(has_end, e, -1)[valid]
    out.spans = Spans(code, first, last, rank, read, d[valid], end_at, start, stop, by_row)


def _check_actor_tree(actors: Table, out: Checked) -> None:
    """Cycles and over-deep chains, in time linear in the number of actors (each walked once)."""
    parent: dict[str, str] = {}
    first: dict[str, int] = {}  # actor id → index of its first row
    for i, row in enumerate(actors.rows):  # a repeated id is reported apart: the first row counts
        parent.setdefault(row["id"], row["parent"])
        first.setdefault(row["id"], i)
    depth: dict[str, int | None] = {}  # levels below the top; None on or above a cycle
    top: dict[str, str] = {}
    found: list[Problem] = []
    for start in parent:
        path: list[str] = []
        position: dict[str, int] = {}
        node, below, root = start, None, ""
        while True:
            if node in depth:
                below, root = depth[node], top.get(node, "")
                break
            if node in position:
                found.append(_cycle_problem(actors, path[position[node] :], first))
                break
            position[node] = len(path)
            path.append(node)
            up = parent[node]
            if not up or up not in parent:  # top level (an unknown parent is reported apart)
                below, root = -1, node
                break
            node = up
        for member in reversed(path):
            below = None if below is None else below + 1
            depth[member], top[member] = below, root
            if below == MAX_ACTOR_DEPTH + 1:
                found.append(_depth_problem(actors, first[member], member, root))
    out.problems.extend(sorted(found, key=lambda p: p.row or 0))


def _cycle_problem(actors: Table, cycle: list[str], first: dict[str, int]) -> Problem:
    """A cycle, told from the actor on the earliest row, following the parents."""
    start = min(range(len(cycle)), key=lambda k: first[cycle[k]])
    ring = [*cycle[start:], *cycle[:start]]
    row = actors.rows[first[ring[0]]]
    return Problem(
        actors.file,
        f"the parents form a cycle: {' → '.join([*ring, ring[0]])}",
        "an actor cannot be its own ancestor: empty one parent in the cycle",
        actors.row_number(first[ring[0]]),
        "parent",
        row["parent"],
    )


def _depth_problem(actors: Table, index: int, actor: str, root: str) -> Problem:
    """An actor more than MAX_ACTOR_DEPTH levels below its top-level actor."""
    return Problem(
        actors.file,
        f"actor {actor!r} sits more than {MAX_ACTOR_DEPTH} levels below its top-level actor "
        f"{root!r}",
        f"attach it to an actor higher up (at most {MAX_ACTOR_DEPTH} levels of parents)",
        actors.row_number(index),
        "parent",
        actors.rows[index]["parent"],
    )


def _check_citations(
    citations: Table, kinds: dict[str, str], event_rows: np.ndarray, out: Checked
) -> None:
    sid, when = citations.column("source_id"), citations.column("date")
    found: list[tuple[int, int, Problem]] = []
    articles = isin(sid, [s for s, k in kinds.items() if k == "article"])
    for i in first_rows(articles):
        found.append((int(i), 0, _cited_article(citations, int(i), sid.iloc[i])))
    codes, distinct = dictionary(when)
    read = read_partials(distinct)
    bad = failing(read, 0, len(distinct))[codes]
    for i in first_rows(bad):
        v = when.iloc[i]
        found.append(
            (int(i), 1, date_problem(citations, int(i), "date", read.errors[int(codes[i])], v))
        )
    rows = np.flatnonzero((when != "").to_numpy() & ~bad)
    if out.spans is not None and len(rows):
        start, stop = read.start[codes[rows]], read.end[codes[rows]]
        span_row = out.spans.of_rows(event_rows[rows])
        apart = np.zeros(len(citations), dtype=bool)
        apart[rows[out.spans.apart(span_row, start, stop)]] = True
        span_row_of = np.full(len(citations), -1, dtype=np.int64)
        span_row_of[rows] = span_row
        for i in first_rows(apart):
            problem = _cited_outside(citations, int(i), int(span_row_of[i]), out)
            found.append((int(i), 2, problem))
    out.add_sorted(found)


def _cited_article(citations: Table, i: int, sid: str) -> Problem:
    return Problem(
        citations.file,
        f"source {sid!r} is an article: quote it instead of citing it",
        "add the sentence to excerpts.csv",
        citations.row_number(i),
        "source_id",
        sid,
    )


def _cited_outside(citations: Table, i: int, span_row: int, out: Checked) -> Problem:
    row = citations.row(i)
    given = parse_partial(row["date"]).interval
    assert out.spans is not None
    span = out.spans.interval(span_row)
    return Problem(
        citations.file,
        f"the cited date {given.display()} falls outside event "
        f"{row['event_id']!r} ({span.display()})",
        "correct the date here or in events.csv",
        citations.row_number(i),
        "date",
        row["date"],
    )


def _event_rows(tables: dict[str, Table], name: str) -> np.ndarray:
    """For each row of a table, the events row it names (-1: none, or no such table)."""
    if name not in tables:
        return np.zeros(0, dtype=np.int64)
    if "events" not in tables:
        return np.full(len(tables[name]), -1, dtype=np.int64)
    return references(tables[name], "event_id", tables["events"])


def _check_date_basis(tables: dict[str, Table], out: Checked) -> None:
    """Every event rests on a source, and something says where its date comes from."""
    events = tables["events"]
    ids = events.column("id")
    empty = pd.Series([], dtype="str")
    excerpts = tables["excerpts"].frame if "excerpts" in tables else None
    quoted = excerpts["event_id"] if excerpts is not None else empty
    phrased = quoted[excerpts["dating_phrase"] != ""] if excerpts is not None else empty
    cited = tables["citations"].column("event_id") if "citations" in tables else empty
    if "id" in events.unique:  # mark the rows the references point at: no search
        n = len(events)
        quotes = _event_rows(tables, "excerpts")
        has_quote, has_citation = marked(quotes, n), marked(_event_rows(tables, "citations"), n)
        has_phrase = (
            marked(quotes, n, (excerpts["dating_phrase"] != "").to_numpy())
            if excerpts is not None
            else has_quote
        )
    else:
        has_quote, has_citation = isin(ids, quoted), isin(ids, cited)
        has_phrase = isin(ids, phrased)
    unsourced = ~has_quote & ~has_citation
    undated = (
        ~unsourced & ~has_phrase & ~has_citation & (events.column("date_note") == "").to_numpy()
    )
    found: list[tuple[int, int, Problem]] = []
    for i in first_rows(unsourced):
        eid = ids.iloc[i]
        problem = Problem(
            events.file,
            f"event {eid!r} has no source",
            "add an excerpt (excerpts.csv) or a citation (citations.csv) for it",
            events.row_number(i),
            "id",
            eid,
        )
        found.append((int(i), 0, problem))
    for i in first_rows(undated):
        problem = Problem(
            events.file,
            f"nothing says where the date of event {ids.iloc[i]!r} comes from",
            "mark the dating phrase in its excerpt, add a citation, or explain the date "
            "in date_note",
            events.row_number(i),
            "date_note",
        )
        found.append((int(i), 1, problem))
    out.add_sorted(found)


def check_meaning(package: Package, tables: dict[str, Table]) -> Checked:
    """Run every check of meaning on tables that passed the structural checks."""
    out = Checked()
    if "events" in tables:
        _check_events(tables["events"], out)
    if "actors" in tables:
        _check_actor_tree(tables["actors"], out)
    kinds: dict[str, str] = {}
    if "sources" in tables:
        check_sources(package, tables["sources"], out)
        kinds = {r["id"]: r["kind"] for r in tables["sources"].rows}
    if "excerpts" in tables:
        check_excerpts(tables["excerpts"], kinds, _event_rows(tables, "excerpts"), out)
    if "citations" in tables:
        _check_citations(tables["citations"], kinds, _event_rows(tables, "citations"), out)
    if "events" in tables:
        _check_date_basis(tables, out)
        refs: dict[str, np.ndarray] = {
            n: _event_rows(tables, n) for n in ("excerpts", "citations") if n in tables
        }
        check_backing(tables, refs, out)
    return out
