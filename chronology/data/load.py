"""Load a data directory: read, check everything, and build a :class:`DataSet` — or raise."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from itertools import pairwise
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .checks import Checked, check_meaning
from .csvfile import release_memory
from .dataset import DataSet, publication_label
from .dates import Resolution, interval_of, parse_partial
from .errors import DataError, Problem
from .package import DirectoryPackage, MemoryPackage, Package
from .schema import SCHEMA_FILE, Schema, load_schema
from .tables import Table, arrow, cap_per_file, marked, pylist, read_tables, references

__all__ = ["DEFAULT_DATA_DIR", "date_label", "load", "load_files"]

DEFAULT_DATA_DIR = SCHEMA_FILE.parent
_EPOCH = date(1970, 1, 1).toordinal()
_REFERRING = ("event_actors", "excerpts", "citations")
_SPACE = pa.scalar(" ", pa.large_string())
_EMPTY = pa.scalar("", pa.large_string())


def load(directory: str | Path = DEFAULT_DATA_DIR, schema: Schema | None = None) -> DataSet:
    """Read and validate a data directory; raise :class:`DataError` listing every problem.

    The tables are checked against the bundled schema (``data/datapackage.json``), so a
    user's directory needs only the CSV files and the stored texts.
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
    """Check every file of the package, then build the data set; raise DataError otherwise."""
    schema = schema or load_schema()
    tables, problems = read_tables(package, schema)
    release_memory()
    checked = check_meaning(package, tables)
    release_memory()
    problems = cap_per_file([*problems, *checked.problems])
    if problems:
        raise DataError(problems, package.name)
    return _build(directory, tables, checked)


def date_label(date: str, end_date: str = "") -> str:
    """'July 2023', or '2012 – July 2023' for a period: each end at its own precision."""
    start = parse_partial(date).display()
    return f"{start} – {parse_partial(end_date).display()}" if end_date else start


def _days(ordinals: np.ndarray) -> np.ndarray:
    """Proleptic ordinals (date.toordinal) as datetime64[s]."""
    return (ordinals - _EPOCH).astype("datetime64[D]").astype("datetime64[s]")


def _per_event(values: pd.Series, positions: np.ndarray, n: int) -> tuple[np.ndarray, list]:
    """Offsets and values of ``values`` grouped by event position, in their original order.

    Each distinct value is one shared string: a million events name a few thousand actors.
    """
    order = np.argsort(positions, kind="stable")
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(positions, minlength=n), out=offsets[1:])
    encoded = pc.dictionary_encode(arrow(values).take(order))
    names = encoded.dictionary.to_pylist()
    return offsets, [names[c] for c in encoded.indices.to_numpy(zero_copy_only=False).tolist()]


def _lower(text: pa.Array) -> pd.Series:
    """str.lower of each value: ASCII by pyarrow, the rest by Python (its rules, e.g. final ς)."""
    lowered = pd.Series(pc.ascii_lower(text), dtype="str")
    other = np.flatnonzero(~pc.string_is_ascii(text).to_numpy(zero_copy_only=False))
    if len(other):
        lowered.iloc[other] = [s.lower() for s in text.take(other).to_pylist()]
    return lowered


def _search_text(events: pd.DataFrame, excerpts: pd.DataFrame, positions: np.ndarray) -> pd.Series:
    """'title summary quote quote…', lower-case, for the text search."""
    order = np.argsort(positions, kind="stable")
    offsets = np.zeros(len(events) + 1, dtype=np.int32)
    np.cumsum(np.bincount(positions, minlength=len(events)), out=offsets[1:])
    quotes = arrow(excerpts["quote"]).take(order)
    joined = pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets), quotes), _SPACE)
    title = arrow(events["title"])
    summary = arrow(events["summary"])
    return _lower(pc.binary_join_element_wise(title, summary, joined, _SPACE))


def _excerpt_basis(
    excerpts: pd.DataFrame,
    event_rows: np.ndarray,
    source_rows: np.ndarray,
    sources: pd.DataFrame,
    checked: Checked,
) -> pd.Series:
    """ "'last month' in an article of ~8 June 2024 (estimated) → May 2024", or "" (no phrase)."""
    n = len(excerpts)
    readings = checked.resolutions or [None] * n
    has = np.fromiter((r is not None for r in readings), dtype=bool, count=n)
    # one reading serves many rows: number the distinct ones, convert each once
    codes = np.zeros(n, dtype=np.int64)
    codes[has], _ = pd.factorize(np.fromiter((id(r) for r in readings), np.int64, count=n)[has])
    distinct: dict[int, Resolution] = {}
    for i in np.flatnonzero(has).tolist():
        distinct.setdefault(int(codes[i]), readings[i])  # type: ignore[arg-type]
    shown = [distinct[k].interval.display() for k in range(len(distinct))] or [""]
    first = np.array([distinct[k].interval.start.toordinal() for k in range(len(distinct))] or [0])
    last = np.array([distinct[k].interval.end.toordinal() for k in range(len(distinct))] or [0])
    labels = [
        publication_label({"published": p, "date_estimated": e})
        for p, e in zip(
            pylist(sources["published"]), pylist(sources["date_estimated"]), strict=True
        )
    ]
    src = np.maximum(source_rows, 0)
    assert checked.spans is not None
    spans = checked.spans
    span_rows = spans.of_rows(event_rows)
    row = np.maximum(span_rows, 0)
    within = (  # the reading covers the event's span (a valid set has at least one event)
        has
        & (span_rows >= 0)
        & (first[codes] <= spans.start[row])
        & (spans.end[row] <= last[codes])
    )
    suffix = [""] * n
    for i in np.flatnonzero(within).tolist():
        span = spans.intervals[span_rows[i]]
        if span != readings[i].interval:  # type: ignore[union-attr]  # a coarser phrase
            suffix[i] = f", which agrees with {span.display()}"
    parts = [
        "'",
        arrow(excerpts["dating_phrase"]),
        "' in an ",
        arrow(sources["kind"]).take(src),
        " of ",
        pa.array(labels, pa.large_string()).take(src),
        " → ",
        pa.array(shown, pa.large_string()).take(codes),
        pa.array(suffix, pa.large_string()),
    ]
    joined = pc.binary_join_element_wise(
        *(pa.scalar(x, pa.large_string()) if isinstance(x, str) else x for x in parts), _EMPTY
    )
    return pd.Series(pc.if_else(pa.array(has), joined, _EMPTY), dtype="str")


def _build(directory: Path, tables: dict[str, Table], checked: Checked) -> DataSet:
    events, actors, sources, categories, event_actors, excerpts, citations = (
        tables[name].frame.copy()
        for name in (
            "events", "actors", "sources", "categories", "event_actors", "excerpts", "citations"
        )
    )  # fmt: skip
    assert checked.spans is not None
    events["start"] = _days(checked.spans.start)
    events["end"] = _days(checked.spans.end)
    # label and precision once per distinct (date, end_date)
    codes, pairs = pd.factorize(events["date"] + "\x00" + events["end_date"])
    labels, precisions = [], []
    for pair in pairs.tolist():
        first, last = pair.split("\x00")
        labels.append(date_label(first, last))
        precisions.append(interval_of(first, last or None).precision)
    events["precision"] = pd.Series(np.array(precisions, dtype=object)[codes], dtype="str")
    events["date_display"] = pd.Series(np.array(labels, dtype=object)[codes], dtype="str")

    to_event = {n: references(tables[n], "event_id", tables["events"]) for n in _REFERRING}
    quoted = marked(to_event["excerpts"], len(events))
    events["evidence"] = pd.Series(np.where(quoted, "excerpt", "citation only"), dtype="str")

    where = to_event["event_actors"]
    offsets, actor_ids = _per_event(event_actors["actor_id"], where, len(events))
    events["actor_ids"] = pd.Series(
        [tuple(actor_ids[a:b]) for a, b in pairwise(offsets.tolist())],
        dtype=object,
    )
    events["search_text"] = _search_text(events, excerpts, to_event["excerpts"])

    source_rows = references(tables["excerpts"], "source_id", tables["sources"])
    excerpts["basis"] = _excerpt_basis(
        excerpts, to_event["excerpts"], source_rows, sources, checked
    )
    sources["pub_start"] = pd.to_datetime(
        [checked.published[s].start for s in sources["id"]]
    ).as_unit("s")
    sources["pub_end"] = pd.to_datetime([checked.published[s].end for s in sources["id"]]).as_unit(
        "s"
    )
    events = events.sort_values(["start", "end", "id"], kind="stable", ignore_index=True)
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
    )
