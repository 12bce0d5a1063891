"""Load a data directory: read, check everything, and build a :class:`DataSet` — or raise."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .dataset import DATE_UNKNOWN, DataSet
from .dates.columns import EPOCH, display_texts, read_partials
from .dates.partial import PRECISIONS, parse_partial
from .errors import DataError, Problem
from .read.files import MAX_TEXT_BYTES, DirectoryPackage, MemoryPackage, Outside, Package
from .read.read_tables import read_tables
from .read.table import Table, arrow, cap_per_file, marked, pylist, references
from .schema import Schema, load_schema
from .validate.backing import BIT, FIELDS, supports_text
from .validate.meaning import Checked, check_meaning
from .validate.results import Spans, dictionary

__all__ = ["DEFAULT_DATA_DIR", "date_label", "load", "load_files"]

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "data"
"""The bundled data set, beside the package in a checkout of the repository (an installed
package has none: give :func:`load` a directory)."""
_REFERRING = ("event_actors", "excerpts", "citations", "disputes")
_SPACE = pa.scalar(" ", pa.large_string())
_EMPTY = pa.scalar("", pa.large_string())
_TILDE = pa.scalar("~", pa.large_string())
_ESTIMATED = pa.scalar(" (estimated)", pa.large_string())
_SEARCH_ROWS = 1 << 16  # events whose search text is made at once
_PYTHON_LOWER = "[\u0130\u0370-\U0010ffff]"  # characters pyarrow may lower otherwise than str


def load(directory: str | Path = DEFAULT_DATA_DIR, schema: Schema | None = None) -> DataSet:
    """Read and validate a data directory; raise :class:`DataError` listing every problem.

    The tables are checked against the schema shipped in the package
    (:data:`chronology.data.schema.SCHEMA_FILE`), so a user's directory needs only the CSV
    files and the stored texts.
    """
    path = Path(directory)
    if not path.is_dir():
        raise DataError(
            [
                Problem(
                    str(path),
                    "the data directory does not exist",
                    "give the path of a folder holding events.csv, actors.csv, sources.csv, …",
                )
            ],
            str(path),
        )
    return _load(DirectoryPackage(path), path, schema)


def load_files(
    files: Mapping[str, bytes], name: str = "upload", schema: Schema | None = None
) -> DataSet:
    """Read and validate a data package held in memory; never touches disk.

    ``files`` maps POSIX paths relative to the package root, as on disk ("events.csv",
    "sources/article-a.txt"), to their bytes. Same checks and messages as :func:`load`;
    ``name`` stands where a directory name would.
    """
    return _load(MemoryPackage(files, name), Path(name), schema)


def _load(package: Package, directory: Path, schema: Schema | None) -> DataSet:
    """Check every file of the package, then build the data set; raise DataError otherwise.

    Leaves the process as it found it: the garbage collector, the csv module's field limit and
    Arrow's default memory pool are the caller's (the app tunes them: chronology.ui.loading).
    """
    schema = schema or load_schema()
    tables, problems = read_tables(package, schema)
    checked = check_meaning(package, tables)
    problems = cap_per_file([*problems, *checked.problems])
    if problems:
        raise DataError(problems, package.name)
    ds = _build(directory, tables, checked)  # takes the tables: nothing else holds them
    return replace(ds, title=package_title(package))


def package_title(package: Package) -> str:
    """The ``title`` of the package's datapackage.json, one line; '' when absent or unreadable.

    A user's directory needs no descriptor (the bundled schema checks it), so this never fails.
    """
    try:
        raw = package.read_contained("datapackage.json")  # capped: never a huge read
        title = json.loads(raw[:MAX_TEXT_BYTES].decode("utf-8")).get("title")
    except (Outside, OSError, ValueError, AttributeError, RecursionError):
        return ""
    return " ".join(title.split())[:300] if isinstance(title, str) else ""


def date_label(date: str, end_date: str = "") -> str:
    """'July 2023', or '2012 – July 2023' for a period: each end at its own precision."""
    start = parse_partial(date).display()
    return f"{start} – {parse_partial(end_date).display()}" if end_date else start


def _days(ordinals: np.ndarray) -> np.ndarray:
    """Proleptic ordinals (date.toordinal) as datetime64[s]."""
    return (ordinals - EPOCH).astype("datetime64[D]").astype("datetime64[s]")


def _per_event(names: list[str], rows: np.ndarray, positions: np.ndarray, n: int) -> list[tuple]:
    """For each of ``n`` events, the tuple of ``names[rows]`` whose position is that event's,
    in row order.

    Each name is one shared string: a million events name a few thousand actors. The tuples
    are made by ``zip`` over the events with the same count of names, not one slice at a time.
    """
    order = np.argsort(positions, kind="stable")
    counts = np.bincount(positions, minlength=n)
    starts = np.zeros(n, dtype=np.int64)
    np.cumsum(counts[:-1], out=starts[1:])
    shared = np.empty(len(names), dtype=object)
    shared[:] = names
    grouped = shared[rows[order]]
    out: list[tuple] = [()] * n
    for count in np.unique(counts).tolist():
        if not count:
            continue
        events = np.flatnonzero(counts == count)
        first = starts[events]
        made = zip(*(grouped[first + k].tolist() for k in range(count)), strict=True)
        deque(map(out.__setitem__, events.tolist(), made), maxlen=0)
    return out


def _disputed(disputes: pd.DataFrame, positions: np.ndarray, n: int) -> pd.Series:
    """Per event, the fields a source disputes, in the order of ``FIELDS`` ('date;place'), or ''.

    A loop over the disputes only: they are few, and the rest of the column is one empty string.
    """
    fields: dict[int, set[str]] = {}
    for at, name in zip(positions.tolist(), pylist(disputes["field"]), strict=True):
        if at >= 0:
            fields.setdefault(at, set()).add(name)
    out = pd.Series(_strings([""]).take(pa.array(np.zeros(n, np.int64))), dtype="str")
    if fields:
        at = np.fromiter(fields, np.int64, len(fields))
        out.iloc[at] = [";".join(f for f in FIELDS if f in fields[k]) for k in at.tolist()]
    return out


def _lower(text: pa.Array) -> pa.Array:
    """str.lower of each value: by pyarrow, except where Python's rules differ (İ, final ς, …).

    Below U+0370 only U+0130 lowers otherwise in Python; from Greek on, Python lowers a value
    whole (a final sigma depends on its neighbours), so such values go through str.lower.
    """
    lowered = pc.ascii_lower(text)
    other = pc.invert(pc.string_is_ascii(text))
    rows = np.flatnonzero(other.to_numpy(zero_copy_only=False))
    if not len(rows):
        return lowered
    some = text.take(pa.array(rows))
    fixed = pc.utf8_lower(some)
    python = pc.match_substring_regex(some, _PYTHON_LOWER)
    if pc.any(python).as_py():
        values = [s.lower() for s in pc.filter(some, python).to_pylist()]
        fixed = pc.replace_with_mask(fixed, python, pa.array(values, pa.large_string()))
    return pc.replace_with_mask(lowered, other, fixed)


def _search_text(events: pd.DataFrame, excerpts: pd.DataFrame, positions: np.ndarray) -> pd.Series:
    """'title summary quote quote…', lower-case, for the text search.

    Made _SEARCH_ROWS events at a time: the joined and lowered copies of the whole column
    would be several times its size at once (a million events: +800 MB).
    """
    order = pa.array(np.argsort(positions, kind="stable"))
    offsets = np.zeros(len(events) + 1, dtype=np.int64)
    np.cumsum(np.bincount(positions, minlength=len(events)), out=offsets[1:])
    quotes, title, summary = (
        arrow(excerpts["quote"]),
        arrow(events["title"]),
        arrow(events["summary"]),
    )
    chunks = []
    for a in range(0, len(events), _SEARCH_ROWS):
        b = min(a + _SEARCH_ROWS, len(events))
        taken = quotes.take(order[offsets[a] : offsets[b]])
        lists = pa.LargeListArray.from_arrays(pa.array(offsets[a : b + 1] - offsets[a]), taken)
        joined = pc.binary_join(lists, _SPACE)
        whole = pc.binary_join_element_wise(title[a:b], summary[a:b], joined, _SPACE)
        chunks.append(_lower(whole))
    return pd.Series(pa.chunked_array(chunks, pa.large_string()), dtype="str")


def _text(value: str) -> pa.Scalar:
    return pa.scalar(value, pa.large_string())


def _strings(values: list[str]) -> pa.Array:
    return pa.array(values, pa.large_string())


def _publication_labels(sources: pd.DataFrame) -> pa.Array:
    """``publication_label`` of each source row, a column at a time."""
    code, written = dictionary(sources["published"])
    read = read_partials(written)
    shown = display_texts(read.start, read.end, read.rank).take(pa.array(code))
    estimated = pc.equal(arrow(sources["date_estimated"]), "true")
    estimate = pc.binary_join_element_wise(_TILDE, shown, _ESTIMATED, _EMPTY)
    labels = pc.if_else(estimated, estimate, shown)
    unknown = pc.equal(arrow(sources["published"]), "")
    return pc.if_else(unknown, pa.scalar(DATE_UNKNOWN, pa.large_string()), labels)


def _excerpt_basis(
    excerpts: pd.DataFrame,
    event_rows: np.ndarray,
    source_rows: np.ndarray,
    sources: pd.DataFrame,
    checked: Checked,
) -> pd.Series:
    """ "'last month' in an article of ~8 June 2024 (estimated) → May 2024", or "" (no phrase)."""
    n = len(excerpts)
    readings, spans = checked.readings, checked.spans
    assert spans is not None
    if readings is None or not len(readings):
        return pd.Series(np.full(n, "", dtype=object), dtype="str")
    has = readings.of_row >= 0
    codes = np.maximum(readings.of_row, 0)  # each distinct reading converted once
    first, last, rank = readings.start, readings.end, readings.rank
    shown = display_texts(first, last, rank)
    published = _publication_labels(sources)
    span_rows = spans.of_rows(event_rows)
    row = np.maximum(span_rows, 0)
    start, end = spans.start[row], spans.end[row]
    within = has & (span_rows >= 0) & (first[codes] <= start) & (end <= last[codes])
    coarser = within & (  # a coarser phrase: the event's own span agrees with it
        (first[codes] != start) | (last[codes] != end) | (rank[codes] != spans.precision()[row])
    )
    span = np.maximum(spans.code[row], 0)
    agrees = [""] * len(spans)
    for k in np.unique(span[coarser]).tolist():
        agrees[k] = f", which agrees with {spans.span(k).display()}"
    suffix = pc.if_else(pa.array(coarser), _strings(agrees).take(pa.array(span)), _EMPTY)
    # "' in an article of ~8 June 2024 (estimated) → " once per source, then taken per row
    middle = [_text("' in an "), arrow(sources["kind"]), _text(" of "), published, _text(" → ")]
    per_source = pc.binary_join_element_wise(*middle, _EMPTY)
    parts = [
        _text("'"),
        arrow(excerpts["dating_phrase"]),
        per_source.take(pa.array(np.maximum(source_rows, 0))),
        shown.take(pa.array(codes)),
        suffix,
    ]
    joined = pc.binary_join_element_wise(*parts, _EMPTY)
    return pd.Series(pc.if_else(pa.array(has), joined, _EMPTY), dtype="str")


def _date_order(events: Table, spans: Spans) -> np.ndarray | None:
    """The events rows by start, end and id (None: already in that order)."""
    keys = pa.table({"start": spans.start, "end": spans.end, "id": arrow(events.column("id"))})
    by = [(key, "ascending") for key in ("start", "end", "id")]  # a stable sort
    order = pc.sort_indices(keys, by).to_numpy(zero_copy_only=False)
    return None if (order == np.arange(len(order))).all() else order


def _build(directory: Path, tables: dict[str, Table], checked: Checked) -> DataSet:
    """The data set of checked tables. Takes the events table out of ``tables``: once its rows
    are in date order, the unsorted copy is let go before the derived columns are made."""
    actors, sources, categories, event_actors, excerpts, citations, disputes = (
        tables[name].frame.copy(deep=False)  # new frames, the same columns (copy on write)
        for name in (
            "actors",
            "sources",
            "categories",
            "event_actors",
            "excerpts",
            "citations",
            "disputes",
        )
    )
    spans = checked.spans
    assert spans is not None
    to_event = {n: references(tables[n], "event_id", tables["events"]) for n in _REFERRING}
    source_rows = references(tables["excerpts"], "source_id", tables["sources"])
    excerpts["basis"] = _excerpt_basis(
        excerpts, to_event["excerpts"], source_rows, sources, checked
    )
    table = tables.pop("events")
    order = _date_order(table, spans)
    events = table.frame
    del table
    code, start, end = spans.code, spans.start, spans.end
    if order is not None:
        events = events.take(order).reset_index(drop=True)
        code, start, end = code[order], start[order], end[order]
        moved = np.empty(len(order), dtype=np.int64)
        moved[order] = np.arange(len(order))
        to_event = {
            n: np.where(rows >= 0, moved[np.maximum(rows, 0)], -1) for n, rows in to_event.items()
        }
    else:
        events = events.copy(deep=False)
    events["start"] = _days(start)
    events["end"] = _days(end)
    # label and precision once per distinct (date, end_date), as the checks read them
    codes = pa.array(code)
    labels = spans.labels()
    precisions = _strings(list(PRECISIONS)).take(pa.array(spans.rank))
    events["precision"] = pd.Series(precisions.take(codes), dtype="str")
    events["date_display"] = pd.Series(labels.take(codes), dtype="str")

    # an event is excerpt-backed when an excerpt backs its summary (see validate.backing)
    for name in ("excerpts", "citations"):
        frame = excerpts if name == "excerpts" else citations
        frame["supports"] = pd.Series(supports_text(checked.backs[name]), dtype="str")
    summary = (checked.backs["excerpts"] & BIT["summary"]) != 0
    quoted = marked(to_event["excerpts"], len(events), summary)
    evidence = _strings(["citation only", "excerpt"]).take(pa.array(quoted.view(np.int8)))
    events["evidence"] = pd.Series(evidence, dtype="str")

    # the fields a source disputes, per event ('date;place'; empty: none)
    events["disputed"] = _disputed(disputes, to_event["disputes"], len(events))

    where = to_event["event_actors"]
    actor_rows = references(tables["event_actors"], "actor_id", tables["actors"])
    actor_ids = _per_event(pylist(actors["id"]), actor_rows, where, len(events))
    events["actor_ids"] = pd.Series(actor_ids, dtype=object)
    events["search_text"] = _search_text(events, excerpts, to_event["excerpts"])
    windows = [checked.published.get(s) for s in pylist(sources["id"])]  # None: date unknown
    sources["pub_start"] = pd.to_datetime([w.start if w else None for w in windows]).as_unit("s")
    sources["pub_end"] = pd.to_datetime([w.end if w else None for w in windows]).as_unit("s")
    return DataSet(
        directory=directory,
        events=events,
        actors=actors,
        sources=sources,
        categories=categories,
        event_actors=event_actors,
        excerpts=excerpts,
        citations=citations,
        texts=dict(checked.texts),
        disputes=disputes,
    )
