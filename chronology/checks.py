"""Checks of meaning: real dates, the actor tree, stored texts, verbatim quotes, dating phrases.

Each check takes the parsed tables and returns problems; none stops at the first one.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from .dates import (
    DURATION_FIX,
    DateError,
    Interval,
    Resolution,
    interval_of,
    is_duration,
    parse_partial,
    resolve_phrase,
)
from .errors import Problem
from .package import MAX_TEXT_BYTES, NotAFile, Outside, Package
from .tables import MAX_PROBLEMS_PER_FILE, Table

__all__ = ["MAX_ACTOR_DEPTH", "MAX_TEXT_BYTES", "Checked", "check_meaning"]

MAX_ACTOR_DEPTH = 20
"""Levels of parents below a top-level actor (a longer chain is a mistake in the data)."""

_HINT_BUDGET = 4_000_000  # characters of stored text searched, in all, for closest sentences
_SENTENCE_END = re.compile(r"(?<=[.!?])[”’\"]?\s+")


@dataclass(slots=True)
class Checked:
    """What the checks worked out on the way, reused to build the data set."""

    spans: dict[str, Interval] = field(default_factory=dict)  # event id → span
    published: dict[str, Interval] = field(default_factory=dict)  # source id → publication window
    texts: dict[str, str] = field(default_factory=dict)  # source id → stored text
    resolutions: dict[int, Resolution] = field(default_factory=dict)  # excerpt index → resolution
    problems: list[Problem] = field(default_factory=list)


def _date_problem(table: Table, index: int, column: str, exc: DateError, value: str) -> Problem:
    return Problem(table.file, exc.message, exc.fix, table.row_number(index), column, value)


def _check_events(events: Table, out: Checked) -> None:
    for i, row in enumerate(events.rows):
        ok = True
        for column in ("date", "end_date"):
            if row[column]:
                try:
                    parse_partial(row[column])
                except DateError as exc:
                    out.problems.append(_date_problem(events, i, column, exc, row[column]))
                    ok = False
        if ok and row["date"]:
            try:
                out.spans[row["id"]] = interval_of(row["date"], row["end_date"] or None)
            except DateError as exc:
                out.problems.append(_date_problem(events, i, "end_date", exc, row["end_date"]))


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


def _check_excerpts(excerpts: Table, kinds: dict[str, str], out: Checked) -> None:
    budget = _HINT_BUDGET
    before = len(out.problems)
    for i, row in enumerate(excerpts.rows):
        row_no = excerpts.row_number(i)
        sid, quote, phrase = row["source_id"], row["quote"], row["dating_phrase"]
        if kinds.get(sid) == "citation":
            out.problems.append(
                Problem(
                    excerpts.file,
                    f"source {sid!r} is a citation, which has no text to quote",
                    "link a citation to the event in citations.csv instead",
                    row_no,
                    "source_id",
                    sid,
                )
            )
            continue
        text = out.texts.get(sid)
        if text is None or not quote:
            continue
        # past the per-file cap no problem is listed: skip the scan (15 ms per quote in 10 MB)
        if len(out.problems) - before <= MAX_PROBLEMS_PER_FILE and quote not in text:
            best = ""
            if len(text) <= budget:  # a hint costs about a second per 2 MB of text
                budget -= len(text)
                best = closest_sentence(quote, text)
            fix = (
                f"quote the stored text exactly; the closest sentence is: {best!r}"
                if best
                else "quote the stored text exactly"
            )
            out.problems.append(
                Problem(
                    excerpts.file,
                    f"the quote does not occur verbatim in source {sid!r}",
                    fix,
                    row_no,
                    "quote",
                    quote,
                )
            )
        if not phrase:
            continue
        if phrase not in quote:
            out.problems.append(
                Problem(
                    excerpts.file,
                    "the dating phrase is not in the quote",
                    "copy the phrase exactly as it stands in the quote, or leave it empty",
                    row_no,
                    "dating_phrase",
                    phrase,
                )
            )
            continue
        if is_duration(phrase):  # reported even when the source has no publication date
            out.problems.append(
                Problem(
                    excerpts.file,
                    f"the dating phrase {phrase!r} is a duration, not a date: it says how long, "
                    "not when",
                    DURATION_FIX,
                    row_no,
                    "dating_phrase",
                    phrase,
                )
            )
            continue
        published = out.published.get(sid)
        if published is None:
            continue
        try:
            resolution = resolve_phrase(phrase, published)
        except DateError as exc:
            out.problems.append(_date_problem(excerpts, i, "dating_phrase", exc, phrase))
            continue
        out.resolutions[i] = resolution
        span = out.spans.get(row["event_id"])
        if span is not None and not resolution.interval.overlaps(span):
            out.problems.append(
                Problem(
                    excerpts.file,
                    f"the dating phrase contradicts the event's date: "
                    f"{resolution.describe(published)}, but event {row['event_id']!r} is dated "
                    f"{span.display()}",
                    "correct the event's date in events.csv, or empty dating_phrase if the "
                    "phrase dates something else",
                    row_no,
                    "dating_phrase",
                    phrase,
                )
            )


def _check_citations(citations: Table, kinds: dict[str, str], out: Checked) -> None:
    for i, row in enumerate(citations.rows):
        row_no = citations.row_number(i)
        sid = row["source_id"]
        if kinds.get(sid) == "article":
            out.problems.append(
                Problem(
                    citations.file,
                    f"source {sid!r} is an article: quote it instead of citing it",
                    "add the sentence to excerpts.csv",
                    row_no,
                    "source_id",
                    sid,
                )
            )
        if not row["date"]:
            continue
        try:
            given = parse_partial(row["date"]).interval
        except DateError as exc:
            out.problems.append(_date_problem(citations, i, "date", exc, row["date"]))
            continue
        span = out.spans.get(row["event_id"])
        if span is not None and not given.overlaps(span):
            out.problems.append(
                Problem(
                    citations.file,
                    f"the cited date {given.display()} falls outside event "
                    f"{row['event_id']!r} ({span.display()})",
                    "correct the date here or in events.csv",
                    row_no,
                    "date",
                    row["date"],
                )
            )


def _check_date_basis(tables: dict[str, Table], out: Checked) -> None:
    """Every event rests on a source, and something says where its date comes from."""
    events = tables["events"]
    quoted = {r["event_id"] for r in tables["excerpts"].rows} if "excerpts" in tables else set()
    phrased = (
        {r["event_id"] for r in tables["excerpts"].rows if r["dating_phrase"]}
        if "excerpts" in tables
        else set()
    )
    cited = {r["event_id"] for r in tables["citations"].rows} if "citations" in tables else set()
    for i, row in enumerate(events.rows):
        eid = row["id"]
        if eid not in quoted and eid not in cited:
            out.problems.append(
                Problem(
                    events.file,
                    f"event {eid!r} has no source",
                    "add an excerpt (excerpts.csv) or a citation (citations.csv) for it",
                    events.row_number(i),
                    "id",
                    eid,
                )
            )
        elif eid not in phrased and eid not in cited and not row["date_note"]:
            out.problems.append(
                Problem(
                    events.file,
                    f"nothing says where the date of event {eid!r} comes from",
                    "mark the dating phrase in its excerpt, add a citation, or explain the date "
                    "in date_note",
                    events.row_number(i),
                    "date_note",
                )
            )


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
        _check_excerpts(tables["excerpts"], kinds, out)
    if "citations" in tables:
        _check_citations(tables["citations"], kinds, out)
    if "events" in tables:
        _check_date_basis(tables, out)
    return out
