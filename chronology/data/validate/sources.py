"""Checks of the sources and their excerpts: stored texts, verbatim quotes, dating phrases.

Whole columns at a time: each distinct source id, phrase and publication window is looked at
once; Python runs per row only where a quote is searched in its text (in C, through ``map``).
"""

from __future__ import annotations

import difflib
import operator
import re
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa

from ..dates.columns import read_named
from ..dates.excerpts import Phrases, resolve
from ..dates.partial import DateError, Interval, parse_partial
from ..dates.phrases import (
    DURATION_FIX,
    PhraseReading,
    is_duration,
    read_phrase,
)
from ..errors import Problem
from ..read.files import MAX_TEXT_BYTES, NotAFile, Outside, Package
from ..read.table import ENOUGH, Table, arrow, first_rows, isin
from .results import Checked, date_problem, dictionary, encoded

__all__ = ["check_excerpts", "check_sources", "closest_sentence"]

_HINT_BUDGET = 4_000_000  # characters of stored text searched, in all, for closest sentences
_SCAN_ALL = 1 << 20  # characters: quotes of shorter texts are all searched at once
_SENTENCE_END = re.compile(r"(?<=[.!?])[”’\"]?\s+")


def check_sources(package: Package, sources: Table, out: Checked) -> None:
    """Publication dates and their estimates, and the stored text of each article."""
    for i, row in enumerate(sources.rows):
        row_no = sources.row_number(i)
        sid = row["id"]
        windows: list[Interval] = []
        for column in ("published", "estimate_earliest", "estimate_latest"):
            if row[column]:
                try:
                    windows.append(parse_partial(row[column]).interval)
                except DateError as exc:
                    out.problems.append(date_problem(sources, i, column, exc, row[column]))
                    windows.append(None)  # type: ignore[arg-type]
            else:
                windows.append(None)  # type: ignore[arg-type]
        published, earliest, latest = windows
        if not row["published"]:
            out.undated.add(sid)  # unknown stays unknown: no dating phrase may rest on it
            if row["date_estimated"] == "true":
                out.problems.append(
                    Problem(
                        sources.file,
                        "an estimated date needs the estimate",
                        "give published as the best estimate within the window, or make "
                        "date_estimated false if nobody knows the date",
                        row_no,
                        "published",
                    )
                )
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
    text = data.decode("utf-8-sig")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


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


def _objects(values: list) -> np.ndarray:
    """A list as a numpy array of Python objects (strings are not split)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _taken(col: pd.Series, rows: np.ndarray) -> np.ndarray:
    """The column's values at ``rows``, as Python strings in a numpy array."""
    return arrow(col).take(pa.array(rows, pa.int64())).to_numpy(zero_copy_only=False)


def check_excerpts(
    excerpts: Table, kinds: dict[str, str], event_rows: np.ndarray, out: Checked
) -> None:
    """Each quote verbatim in its stored text; each dating phrase in its quote, readable against
    the publication date, and agreeing with the event's date. Sets ``out.readings``."""
    sid, quote, phrase = (excerpts.column(c) for c in ("source_id", "quote", "dating_phrase"))
    n = len(excerpts)
    found: list[tuple[int, int, Problem]] = []

    def report(failing: np.ndarray, order: int, make: Callable[[int], Problem]) -> None:
        found.extend((int(i), order, make(int(i))) for i in first_rows(failing))

    cited = isin(sid, [s for s, k in kinds.items() if k == "citation"])
    report(cited, 0, lambda i: _cited_excerpt(excerpts, i, sid.iloc[i]))
    # each distinct source once: its stored text, its size, its publication window
    source, ids = encoded(sid)
    texts = _objects([out.texts.get(s) for s in ids])
    sizes = np.array([len(t) if t is not None else -1 for t in texts], dtype=np.int64)
    quoted = ~cited & (sizes >= 0)[source] & (quote != "").to_numpy()
    rows = np.flatnonzero(quoted)
    quotes = _taken(quote, rows)
    verbatim = np.ones(n, dtype=bool)
    verbatim[rows] = _occurs(quotes, texts[source[rows]], sizes[source[rows]] > _SCAN_ALL)
    budget = [_HINT_BUDGET]  # characters left to search for closest sentences
    report(~verbatim, 1, lambda i: _not_verbatim(excerpts, i, out.texts[sid.iloc[i]], budget))

    phrased = (phrase != "").to_numpy()
    quotes = quotes[phrased[rows]]
    rows = rows[phrased[rows]]
    code, values = dictionary(phrase)
    distinct = values.to_pylist()
    phrases = _objects(distinct)
    inside = np.fromiter(map(operator.contains, quotes, phrases[code[rows]]), bool, len(rows))
    outside = np.zeros(n, dtype=bool)
    outside[rows[~inside]] = True
    report(outside, 2, lambda i: _phrase_outside(excerpts, i))
    rows = rows[inside]
    # each distinct phrase matched to its rule once: those naming a real date outright at
    # once (read_named), the others one by one; a duration is reported even undated
    named = read_named(values)
    read: dict[int, PhraseReading | DateError] = {}
    duration_of = np.zeros(len(distinct), dtype=bool)
    used = np.unique(code[rows])
    for k in used[~named.named[used]].tolist():
        try:
            read[k] = read_phrase(distinct[k])
        except DateError as exc:
            read[k] = exc
            duration_of[k] = is_duration(distinct[k])
    duration = np.zeros(n, dtype=bool)
    duration[rows] = duration_of[code[rows]]
    report(duration, 3, lambda i: _duration(excerpts, i))
    rows = rows[~duration[rows]]
    undated = np.array([s in out.undated for s in ids], dtype=bool)
    report(_rows_mask(n, rows[undated[source[rows]]]), 3, lambda i: _undated(excerpts, i))
    windows = [out.published.get(s) for s in ids]
    rows = rows[np.array([w is not None for w in windows], dtype=bool)[source[rows]]]
    known = Phrases(distinct, named, read)
    results, result_of = resolve(code[rows], source[rows], known, windows)
    failed = np.zeros(len(results.start), dtype=bool)
    failed[list(results.errors)] = True
    failed = failed[result_of]
    result_at = np.full(n, -1, dtype=np.int64)
    result_at[rows] = result_of
    report(
        _rows_mask(n, rows[failed]),
        3,
        lambda i: date_problem(
            excerpts, i, "dating_phrase", results.errors[int(result_at[i])], phrase.iloc[i]
        ),
    )
    # the readings, each distinct one once, for the contradiction check and the data set
    rows, result_of = rows[~failed], result_of[~failed]
    out.readings = results.readings(n, rows, result_of)
    of_row = out.readings.of_row
    if out.spans is not None and len(rows):
        first, last = out.readings.bounds()
        span_row = out.spans.of_rows(event_rows[rows])
        apart = out.spans.apart(span_row, first[of_row[rows]], last[of_row[rows]])
        span_at = np.full(n, -1, dtype=np.int64)
        span_at[rows] = span_row
        report(
            _rows_mask(n, rows[apart]), 5, lambda i: _contradicts(excerpts, i, int(span_at[i]), out)
        )
    out.add_sorted(found)


def _rows_mask(n: int, rows: np.ndarray) -> np.ndarray:
    """A mask of ``n`` rows, true at ``rows``."""
    mask = np.zeros(n, dtype=bool)
    mask[rows] = True
    return mask


def _occurs(quotes: np.ndarray, texts: np.ndarray, long: np.ndarray) -> np.ndarray:
    """Whether each quote occurs in its text.

    Quotes of long texts are searched in row order, and only until ENOUGH quotes in all are
    missing (a miss in 10 MB costs 15 ms): the rest count as found, and the first ENOUGH
    misses are the same as a search of every row would give.
    """
    found = np.ones(len(quotes), dtype=bool)
    short = np.flatnonzero(~long)
    found[short] = np.fromiter(
        map(operator.contains, texts[short], quotes[short]), bool, len(short)
    )
    missed = np.concatenate([[0], np.cumsum(~found)])  # misses of short texts before each row
    misses = 0
    for i in np.flatnonzero(long).tolist():
        if misses + missed[i] >= ENOUGH:
            break
        if quotes[i] not in texts[i]:
            found[i] = False
            misses += 1
    return found


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


def _undated(excerpts: Table, i: int) -> Problem:
    row = excerpts.row(i)
    return Problem(
        excerpts.file,
        f"the dating phrase {row['dating_phrase']!r} needs its source's publication date, and "
        f"source {row['source_id']!r} has none",
        "give the source's published date in sources.csv (or an estimate with its window and "
        "basis), or empty dating_phrase and date the event another way",
        excerpts.row_number(i),
        "dating_phrase",
        row["dating_phrase"],
    )


def _contradicts(excerpts: Table, i: int, span_row: int, out: Checked) -> Problem:
    row = excerpts.row(i)
    assert out.readings is not None and out.spans is not None
    resolution = out.readings.of(i)
    published = out.published[row["source_id"]]
    assert resolution is not None
    span = out.spans.interval(span_row)
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
