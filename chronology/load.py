"""Load a data directory: read, check everything, and build a :class:`DataSet` — or raise."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from .checks import Checked, check_meaning
from .dataset import DataSet, publication_label
from .dates import Interval, parse_partial
from .errors import DataError, Problem
from .package import DirectoryPackage, MemoryPackage, Package
from .schema import SCHEMA_FILE, Schema, load_schema
from .tables import Table, cap_per_file, read_tables

__all__ = ["DEFAULT_DATA_DIR", "date_label", "load", "load_files"]

DEFAULT_DATA_DIR = SCHEMA_FILE.parent


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
    checked = check_meaning(package, tables)
    problems = cap_per_file([*problems, *checked.problems])
    if problems:
        raise DataError(problems, package.name)
    return _build(directory, tables, checked)


def date_label(date: str, end_date: str = "") -> str:
    """'July 2023', or '2012 – July 2023' for a period: each end at its own precision."""
    start = parse_partial(date).display()
    return f"{start} – {parse_partial(end_date).display()}" if end_date else start


def _frame(table: Table) -> pd.DataFrame:
    return pd.DataFrame(table.rows, columns=table.resource.columns, dtype="str")


def _excerpt_basis(excerpts: pd.DataFrame, sources: pd.DataFrame, checked: Checked) -> list[str]:
    label = {row["id"]: publication_label(row) for row in sources.to_dict("records")}
    kind = dict(zip(sources["id"], sources["kind"], strict=True))
    out = []
    for i, (eid, sid, phrase) in enumerate(
        zip(excerpts["event_id"], excerpts["source_id"], excerpts["dating_phrase"], strict=True)
    ):
        res = checked.resolutions.get(i)
        if res is None:
            out.append("")
            continue
        text = f"'{phrase}' in an {kind[sid]} of {label[sid]} → {res.interval.display()}"
        span = checked.spans.get(eid)
        if span is not None and span != res.interval and res.interval.contains(span):
            text += f", which agrees with {span.display()}"  # a coarser phrase, a finer date
        out.append(text)
    return out


def _grouped(keys: pd.Series, values: pd.Series, events: pd.DataFrame) -> list[tuple[str, ...]]:
    """For each event, the values whose key is its id (a plain loop beats groupby(tuple) here)."""
    groups: dict[str, list[str]] = {}
    for key, value in zip(keys.tolist(), values.tolist(), strict=True):
        groups.setdefault(key, []).append(value)
    return [tuple(groups.get(e, ())) for e in events["id"].tolist()]


def _build(directory: Path, tables: dict[str, Table], checked: Checked) -> DataSet:
    events = _frame(tables["events"])
    actors = _frame(tables["actors"])
    sources = _frame(tables["sources"])
    categories = _frame(tables["categories"])
    event_actors = _frame(tables["event_actors"])
    excerpts = _frame(tables["excerpts"])
    citations = _frame(tables["citations"])

    spans: list[Interval] = [checked.spans[e] for e in events["id"]]
    events["start"] = pd.to_datetime([s.start for s in spans]).as_unit("s")
    events["end"] = pd.to_datetime([s.end for s in spans]).as_unit("s")
    events["precision"] = [s.precision for s in spans]
    events["date_display"] = [
        date_label(d, e) for d, e in zip(events["date"], events["end_date"], strict=True)
    ]

    quoted = set(excerpts["event_id"])
    events["evidence"] = ["excerpt" if e in quoted else "citation only" for e in events["id"]]

    events["actor_ids"] = _grouped(event_actors["event_id"], event_actors["actor_id"], events)
    quotes = _grouped(excerpts["event_id"], excerpts["quote"], events)
    events["search_text"] = [
        f"{title} {summary} {' '.join(q)}".lower()
        for title, summary, q in zip(
            events["title"].tolist(), events["summary"].tolist(), quotes, strict=True
        )
    ]

    excerpts["basis"] = _excerpt_basis(excerpts, sources, checked)
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
