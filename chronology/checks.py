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
from .package import Outside, Package
from .tables import Table

__all__ = ["Checked", "check_meaning"]

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
    parent = {row["id"]: row["parent"] for row in actors.rows}
    reported: set[str] = set()
    for i, row in enumerate(actors.rows):
        chain = [row["id"]]
        node = parent.get(row["id"], "")
        while node and node in parent:
            if node in chain:
                cycle = [*chain[chain.index(node) :], node]
                if not reported.intersection(cycle):
                    out.problems.append(
                        Problem(
                            actors.file,
                            f"the parents form a cycle: {' → '.join(cycle)}",
                            "an actor cannot be its own ancestor: empty one parent in the cycle",
                            actors.row_number(i),
                            "parent",
                            row["parent"],
                        )
                    )
                    reported.update(cycle)
                break
            chain.append(node)
            node = parent.get(node, "")


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
    if not row["text_file"]:
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
    try:
        out.texts[row["id"]] = _text(package.read_contained(row["text_file"]))
    except Outside:
        out.problems.append(
            Problem(
                sources.file,
                "the text file lies outside the data directory",
                "keep stored texts inside the data directory (e.g. sources/my-article.txt)",
                row_no,
                "text_file",
                row["text_file"],
            )
        )
    except FileNotFoundError:
        out.problems.append(
            Problem(
                sources.file,
                f"the text file {row['text_file']} is missing",
                "add the file, or correct the path (relative to the data directory)",
                row_no,
                "text_file",
                row["text_file"],
            )
        )
    except UnicodeDecodeError:
        out.problems.append(
            Problem(
                sources.file,
                f"the text file {row['text_file']} is not UTF-8 text",
                "save it as UTF-8",
                row_no,
                "text_file",
                row["text_file"],
            )
        )
    except OSError as exc:
        out.problems.append(
            Problem(
                sources.file,
                f"the text file {row['text_file']} cannot be read ({exc.strerror})",
                "check that it is a readable file",
                row_no,
                "text_file",
                row["text_file"],
            )
        )


def _text(data: bytes) -> str:
    """Stored bytes as text, newlines made '\\n' (as a file opened in text mode reads)."""
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


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
        if quote not in text:
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
