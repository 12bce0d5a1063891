"""Checks of meaning: real dates, the actor tree, stored texts, verbatim quotes, dating phrases.

Each check takes the parsed tables and returns problems; none stops at the first one.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from .dates import (
    DURATION_FIX,
    DateError,
    Interval,
    PartialDate,
    PhraseReading,
    Resolution,
    interval_of,
    is_duration,
    parse_partial,
    read_phrase,
    resolve_phrase,
)
from .errors import Problem
from .package import MAX_TEXT_BYTES, NotAFile, Outside, Package
from .tables import ENOUGH, Table, first_rows, isin, marked, positions, pylist, references

__all__ = ["MAX_ACTOR_DEPTH", "MAX_TEXT_BYTES", "Checked", "check_meaning"]

MAX_ACTOR_DEPTH = 20
"""Levels of parents below a top-level actor (a longer chain is a mistake in the data)."""

_HINT_BUDGET = 4_000_000  # characters of stored text searched, in all, for closest sentences
_SENTENCE_END = re.compile(r"(?<=[.!?])[”’\"]?\s+")


@dataclass(slots=True)
class Spans:
    """Each event row's span (None where its dates do not read), and where to find it by id."""

    intervals: np.ndarray  # one Interval (or None) per events row
    start: np.ndarray  # proleptic ordinal of the first day; 0 where there is no span
    end: np.ndarray
    by_row: np.ndarray  # events row → the row holding its id's span (the last valid), or -1

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
class Checked:
    """What the checks worked out on the way, reused to build the data set."""

    spans: Spans | None = None  # the events' spans
    published: dict[str, Interval] = field(default_factory=dict)  # source id → publication window
    texts: dict[str, str] = field(default_factory=dict)  # source id → stored text
    resolutions: list[Resolution | None] = field(default_factory=list)  # one per excerpt row
    problems: list[Problem] = field(default_factory=list)

    def add_sorted(self, found: list[tuple[int, int, Problem]]) -> None:
        """Problems of one pass, in row order (then check order), as a row-by-row loop gives."""
        self.problems.extend(p for _, _, p in sorted(found, key=lambda t: (t[0], t[1]))[:ENOUGH])


def _date_problem(table: Table, index: int, column: str, exc: DateError, value: str) -> Problem:
    return Problem(table.file, exc.message, exc.fix, table.row_number(index), column, value)


def read_dates(values: pd.Series) -> dict[str, PartialDate | DateError]:
    """Each distinct non-empty value read once as a partial date, or the reason it does not read."""
    out: dict[str, PartialDate | DateError] = {}
    for value in pylist(values.unique()):
        if value:
            try:
                out[value] = parse_partial(value)
            except DateError as exc:
                out[value] = exc
    return out


def unreadable(values: pd.Series, read: dict[str, PartialDate | DateError]) -> np.ndarray:
    """Where a value is filled and does not read as a date."""
    bad = [v for v, r in read.items() if isinstance(r, DateError)]
    return isin(values, bad) if bad else np.zeros(len(values), dtype=bool)


def _check_events(events: Table, out: Checked) -> None:
    date, end = events.column("date"), events.column("end_date")
    found: list[tuple[int, int, Problem]] = []
    read = read_dates(pd.concat([date, end], ignore_index=True))
    bad = []
    for order, (column, values) in enumerate((("date", date), ("end_date", end))):
        failing = unreadable(values, read)
        bad.append(failing)
        for i in first_rows(failing):
            v = values.iloc[i]
            found.append((int(i), order, _date_problem(events, i, column, read[v], v)))
    ok = (date != "").to_numpy() & ~bad[0] & ~bad[1]
    rows = np.flatnonzero(ok)
    # one span per distinct (date, end_date): valid dates hold no NUL, so the key is exact
    codes, pairs = pd.factorize(date[ok] + "\x00" + end[ok])
    unique: list[Interval | DateError] = []
    for pair in pairs.tolist():
        first, last = pair.split("\x00")
        try:
            unique.append(interval_of(first, last or None))
        except DateError as exc:
            unique.append(exc)
    is_error = np.array([isinstance(u, DateError) for u in unique], dtype=bool)[codes]
    for k in first_rows(is_error):
        i = int(rows[k])
        found.append((i, 2, _date_problem(events, i, "end_date", unique[codes[k]], end.iloc[i])))
    out.add_sorted(found)
    spans = np.empty(len(unique), dtype=object)
    spans[:] = [None if isinstance(u, DateError) else u for u in unique]
    rows, codes = rows[~is_error], codes[~is_error]
    intervals = np.full(len(events), None, dtype=object)
    intervals[rows] = spans[codes]
    start, stop = np.zeros(len(events), np.int64), np.zeros(len(events), np.int64)
    start[rows] = np.array([u.start.toordinal() if u else 0 for u in spans], np.int64)[codes]
    stop[rows] = np.array([u.end.toordinal() if u else 0 for u in spans], np.int64)[codes]
    if "id" in events.unique:
        by_row = np.full(len(events), -1, dtype=np.int64)
        by_row[rows] = rows
    else:  # a repeated id (reported already): its span is the last readable row's
        ids = events.column("id").iloc[rows].reset_index(drop=True)
        last = ~ids.duplicated(keep="last").to_numpy()
        found = positions(events.column("id"), ids[last])
        by_row = np.where(found >= 0, rows[last][np.maximum(found, 0)], -1)
    out.spans = Spans(intervals, start, stop, by_row)


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


def _check_sources(package: Package, sources: Table, out: Checked) -> None:
    for i, row in enumerate(sources.rows):
        row_no = sources.row_number(i)
        sid = row["id"]
        windows: list[Interval] = []
        for column in ("published", "estimate_earliest", "estimate_latest"):
            if row[column]:
                try:
                    windows.append(parse_partial(row[column]).interval)
                except DateError as exc:
                    out.problems.append(_date_problem(sources, i, column, exc, row[column]))
                    windows.append(None)  # type: ignore[arg-type]
            else:
                windows.append(None)  # type: ignore[arg-type]
        published, earliest, latest = windows
        if row["date_estimated"] == "true":
            for column, value in (("estimate_earliest", earliest), ("estimate_latest", latest)):
                if value is None and not row[column]:
                    out.problems.append(
                        Problem(
                            sources.file,
                            "an estimated date needs its window",
                            f"give {column} as the earliest/latest possible publication day",
                            row_no,
                            column,
                        )
                    )
            if not row["estimate_basis"]:
                out.problems.append(
                    Problem(
                        sources.file,
                        "an estimated date needs its basis",
                        "say in estimate_basis what the estimate rests on",
                        row_no,
                        "estimate_basis",
                    )
                )
            if earliest and latest:
                if latest.end < earliest.start:
                    out.problems.append(
                        Problem(
                            sources.file,
                            "estimate_latest is before estimate_earliest",
                            "swap the two dates",
                            row_no,
                            "estimate_latest",
                            row["estimate_latest"],
                        )
                    )
                else:
                    window = earliest.hull(latest)
                    if published and not published.overlaps(window):
                        out.problems.append(
                            Problem(
                                sources.file,
                                f"the estimate {row['published']} lies outside its window "
                                f"{window.display()}",
                                "correct the estimate or the window",
                                row_no,
                                "published",
                                row["published"],
                            )
                        )
                    out.published[sid] = window
        elif published:
            out.published[sid] = published
        if published and sid not in out.published:
            out.published[sid] = published

        if row["kind"] == "article":
            _read_text(package, sources, i, out)
        elif row["kind"] == "citation" and row["text_file"]:
            out.problems.append(
                Problem(
                    sources.file,
                    "a citation has no stored text",
                    "empty text_file, or make the source kind 'article'",
                    row_no,
                    "text_file",
                    row["text_file"],
                )
            )


def _read_text(package: Package, sources: Table, index: int, out: Checked) -> None:
    row = sources.rows[index]
    row_no = sources.row_number(index)
    name = row["text_file"]
    if not name:
        out.problems.append(
            Problem(
                sources.file,
                "an article needs its stored text",
                "put the text under sources/ and name it in text_file "
                "(e.g. sources/my-article.txt)",
                row_no,
                "text_file",
            )
        )
        return
    text, message, fix = _stored_text(package, name)
    if text is not None:
        out.texts[row["id"]] = text
    else:
        out.problems.append(Problem(sources.file, message, fix, row_no, "text_file", name))


def _stored_text(package: Package, name: str) -> tuple[str | None, str, str]:
    """A stored text, or None with what is wrong and its fix."""
    try:
        data = package.read_contained(name)
    except Outside:
        return (
            None,
            "the text file lies outside the data directory",
            "keep stored texts inside the data directory (e.g. sources/my-article.txt)",
        )
    except FileNotFoundError:
        return (
            None,
            f"the text file {name} is missing",
            "add the file, or correct the path (relative to the data directory)",
        )
    except NotAFile:
        return None, f"the text file {name} is not a regular file", "name a text file"
    except OSError as exc:
        return (
            None,
            f"the text file {name} cannot be read ({exc.strerror})",
            "check that it is a readable file",
        )
    if len(data) > MAX_TEXT_BYTES:
        return (
            None,
            f"the text file {name} is larger than {MAX_TEXT_BYTES // 1024 // 1024} MB",
            "store only the text of the article, as plain UTF-8 text",
        )
    if b"\x00" in data:
        return (
            None,
            f"the text file {name} holds NUL bytes (it is binary, not text)",
            "store it as plain UTF-8 text",
        )
    try:
        return _text(data), "", ""
    except UnicodeDecodeError:
        return None, f"the text file {name} is not UTF-8 text", "save it as UTF-8"


def _text(data: bytes) -> str:
    """Stored bytes as text: a byte-order mark dropped, newlines made '\\n' (as in text mode)."""
    return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")


def closest_sentence(quote: str, text: str) -> str:
    """The sentence of ``text`` most like ``quote`` (for a 'did you mean' hint)."""
    sentences = [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]
    if not sentences:
        return ""
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(quote)
    best, best_ratio = "", 0.0
    for sentence in sentences:
        matcher.set_seq1(sentence)
        if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best, best_ratio = sentence, ratio
    return best


def _check_excerpts(
    excerpts: Table, kinds: dict[str, str], event_rows: np.ndarray, out: Checked
) -> None:
    sid, quote, phrase = (excerpts.column(c) for c in ("source_id", "quote", "dating_phrase"))
    found: list[tuple[int, int, Problem]] = []

    def report(failing: np.ndarray, order: int, make: Callable[[int], Problem]) -> None:
        found.extend((int(i), order, make(int(i))) for i in first_rows(failing))

    cited = isin(sid, [s for s, k in kinds.items() if k == "citation"])
    report(cited, 0, lambda i: _cited_excerpt(excerpts, i, sid.iloc[i]))
    # a quote and a stored text to hold it against
    quoted = ~cited & isin(sid, out.texts) & (quote != "").to_numpy()
    rows = np.flatnonzero(quoted)
    sids, quotes, phrases = pylist(sid), pylist(quote), pylist(phrase)  # read once, indexed below
    verbatim = np.ones(len(excerpts), dtype=bool)
    misses = 0
    for i in rows.tolist():  # a scan of 10 MB takes 15 ms: stop once enough rows are listed
        if quotes[i] not in out.texts[sids[i]]:
            verbatim[i] = False
            misses += 1
            if misses == ENOUGH:
                break
    budget = [_HINT_BUDGET]  # characters left to search for closest sentences
    report(~verbatim, 1, lambda i: _not_verbatim(excerpts, i, out.texts[sid.iloc[i]], budget))
    rows = np.flatnonzero(quoted & (phrase != "").to_numpy())
    inside = np.array([phrases[i] in quotes[i] for i in rows.tolist()], dtype=bool)
    outside = np.zeros(len(excerpts), dtype=bool)
    outside[rows[~inside]] = True
    report(outside, 2, lambda i: _phrase_outside(excerpts, i))
    rows = rows[inside]
    # a duration is reported even when the source has no publication date
    durations = {p for p in {phrases[i] for i in rows.tolist()} if is_duration(p)}
    if durations:
        duration = np.zeros(len(excerpts), dtype=bool)
        duration[rows] = isin(phrase.iloc[rows], durations)
        report(duration, 3, lambda i: _duration(excerpts, i))
        rows = rows[~duration[rows]]
    published = [out.published.get(sids[i]) for i in rows.tolist()]
    dated = np.array([p is not None for p in published], dtype=bool)
    rows, anchors = rows[dated], [p for p in published if p is not None]
    resolved = resolve_all([phrases[i] for i in rows.tolist()], anchors)
    failed = np.zeros(len(excerpts), dtype=bool)
    failed[rows] = [isinstance(r, DateError) for r in resolved]
    by_row = dict(zip(rows.tolist(), resolved, strict=True))
    report(
        failed, 3, lambda i: _date_problem(excerpts, i, "dating_phrase", by_row[i], phrase.iloc[i])
    )
    out.resolutions = [None] * len(excerpts)
    keep = [k for k, r in enumerate(resolved) if not isinstance(r, DateError)]
    for k in keep:
        out.resolutions[rows[k]] = resolved[k]
    rows = rows[keep]
    if out.spans is not None and len(rows):
        days: dict[int, tuple[int, int]] = {}  # one reading serves many rows: convert it once
        for r in (resolved[k] for k in keep):
            if id(r) not in days:
                days[id(r)] = (r.interval.start.toordinal(), r.interval.end.toordinal())
        bounds = np.array([days[id(resolved[k])] for k in keep], dtype=np.int64)
        res_start, res_end = bounds[:, 0], bounds[:, 1]
        span_row = out.spans.of_rows(event_rows[rows])
        apart = out.spans.apart(span_row, res_start, res_end)
        span_row_of = dict(zip(rows.tolist(), span_row.tolist(), strict=True))
        contradicts = np.zeros(len(excerpts), dtype=bool)
        contradicts[rows[apart]] = True
        report(contradicts, 5, lambda i: _contradicts(excerpts, i, int(span_row_of[i]), out))
    out.add_sorted(found)


def resolve_all(phrases: list[str], anchors: list[Interval]) -> list[Resolution | DateError]:
    """resolve_phrase for each (phrase, publication window), each distinct phrase matched once.

    Every rule moves forward with the publication date, never back, so a phrase that reads
    the same on the earliest and on the latest day of its windows reads the same against each
    window between (a named day, a year): one reading serves all its rows. The others ('last
    month') are read once per distinct window.
    """
    lo: dict[str, date] = {}
    hi: dict[str, date] = {}
    for p, a in zip(phrases, anchors, strict=True):
        first, last = lo.get(p), hi.get(p)
        if first is None or a.start < first:
            lo[p] = a.start
        if last is None or a.end > last:
            hi[p] = a.end
    readings: dict[str, PhraseReading | None] = {}  # None: the phrase is refused, whatever the date
    fixed: dict[str, Resolution] = {}
    for p, first in lo.items():
        try:
            reading = readings[p] = read_phrase(p)
            early = reading.on(first)
        except DateError:
            readings.setdefault(p, None)
            continue
        try:
            if reading.on(hi[p]) == early:
                fixed[p] = Resolution(reading.written, early.hull(early), reading.rule.rule)
        except DateError:
            pass
    cache: dict[tuple[str, Interval], Resolution | DateError] = {}
    out: list[Resolution | DateError] = []
    for p, a in zip(phrases, anchors, strict=True):
        r = fixed.get(p)
        if r is None:
            r = cache.get((p, a))
            if r is None:
                reading = readings[p]
                try:
                    r = resolve_phrase(p, a) if reading is None else reading.against(a)
                except DateError as exc:
                    r = exc
                cache[(p, a)] = r
        out.append(r)
    return out


def _cited_excerpt(excerpts: Table, i: int, sid: str) -> Problem:
    return Problem(
        excerpts.file,
        f"source {sid!r} is a citation, which has no text to quote",
        "link a citation to the event in citations.csv instead",
        excerpts.row_number(i),
        "source_id",
        sid,
    )


def _not_verbatim(excerpts: Table, i: int, text: str, budget: list[int]) -> Problem:
    row = excerpts.row(i)
    best = ""
    if len(text) <= budget[0]:  # a hint costs about a second per 2 MB of text
        budget[0] -= len(text)
        best = closest_sentence(row["quote"], text)
    fix = (
        f"quote the stored text exactly; the closest sentence is: {best!r}"
        if best
        else "quote the stored text exactly"
    )
    return Problem(
        excerpts.file,
        f"the quote does not occur verbatim in source {row['source_id']!r}",
        fix,
        excerpts.row_number(i),
        "quote",
        row["quote"],
    )


def _phrase_outside(excerpts: Table, i: int) -> Problem:
    return Problem(
        excerpts.file,
        "the dating phrase is not in the quote",
        "copy the phrase exactly as it stands in the quote, or leave it empty",
        excerpts.row_number(i),
        "dating_phrase",
        excerpts.column("dating_phrase").iloc[i],
    )


def _duration(excerpts: Table, i: int) -> Problem:
    phrase = excerpts.column("dating_phrase").iloc[i]
    return Problem(
        excerpts.file,
        f"the dating phrase {phrase!r} is a duration, not a date: it says how long, not when",
        DURATION_FIX,
        excerpts.row_number(i),
        "dating_phrase",
        phrase,
    )


def _contradicts(excerpts: Table, i: int, span_row: int, out: Checked) -> Problem:
    row = excerpts.row(i)
    resolution = out.resolutions[i]
    published = out.published[row["source_id"]]
    assert out.spans is not None and resolution is not None
    span = out.spans.intervals[span_row]
    return Problem(
        excerpts.file,
        f"the dating phrase contradicts the event's date: "
        f"{resolution.describe(published)}, but event {row['event_id']!r} is dated "
        f"{span.display()}",
        "correct the event's date in events.csv, or empty dating_phrase if the "
        "phrase dates something else",
        excerpts.row_number(i),
        "dating_phrase",
        row["dating_phrase"],
    )


def _check_citations(
    citations: Table, kinds: dict[str, str], event_rows: np.ndarray, out: Checked
) -> None:
    sid, when = citations.column("source_id"), citations.column("date")
    found: list[tuple[int, int, Problem]] = []
    articles = isin(sid, [s for s, k in kinds.items() if k == "article"])
    for i in first_rows(articles):
        found.append((int(i), 0, _cited_article(citations, int(i), sid.iloc[i])))
    read = read_dates(when)
    bad = unreadable(when, read)
    for i in first_rows(bad):
        v = when.iloc[i]
        found.append((int(i), 1, _date_problem(citations, int(i), "date", read[v], v)))
    rows = np.flatnonzero((when != "").to_numpy() & ~bad)
    if out.spans is not None and len(rows):
        intervals = {v: r.interval for v, r in read.items() if isinstance(r, PartialDate)}
        given = [intervals[v] for v in pylist(when.iloc[rows])]
        start = np.array([g.start.toordinal() for g in given], dtype=np.int64)
        stop = np.array([g.end.toordinal() for g in given], dtype=np.int64)
        span_row = out.spans.of_rows(event_rows[rows])
        apart = np.zeros(len(citations), dtype=bool)
        apart[rows[out.spans.apart(span_row, start, stop)]] = True
        span_row_of = dict(zip(rows.tolist(), span_row.tolist(), strict=True))
        for i in first_rows(apart):
            problem = _cited_outside(citations, int(i), span_row_of[int(i)], out)
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
    span = out.spans.intervals[span_row]
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
        _check_sources(package, tables["sources"], out)
        kinds = {r["id"]: r["kind"] for r in tables["sources"].rows}
    if "excerpts" in tables:
        _check_excerpts(tables["excerpts"], kinds, _event_rows(tables, "excerpts"), out)
    if "citations" in tables:
        _check_citations(tables["citations"], kinds, _event_rows(tables, "citations"), out)
    if "events" in tables:
        _check_date_basis(tables, out)
    return out
