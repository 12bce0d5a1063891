"""Downloads of a selection of events: CSV (safe in spreadsheets) and JSON.

Usage::

    table = events_table(ds, shown)
    csv_bytes = to_csv(table)            # cells starting with = + - @ tab CR get a leading '
    json_bytes = to_json(ds, shown)      # nested actors, excerpts, citations, disputes; raw text

The TimelineJS3 download lives beside its import: ``chronology.formats.timelinejs``.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from ..data.dataset import DataSet
from ..data.frames import among, joined, lookup
from .render import excerpt_numbers

__all__ = [
    "FORMULA_STARTS",
    "event_records",
    "events_table",
    "neutralise",
    "to_csv",
    "to_json",
]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these is read as a formula by spreadsheets (OWASP: CSV injection)."""


def neutralise(values: pd.Series) -> pd.Series:
    """Text cells made inert for spreadsheets: a leading ' before = + - @ tab or CR."""
    text = values.astype("str")
    risky = text.str.startswith(FORMULA_STARTS).fillna(False)
    return text.where(~risky, "'" + text)


def _grouped(frame: pd.DataFrame, key: str, text: pd.Series, sep: str) -> pd.Series:
    """``text`` (aligned with ``frame``) joined per value of ``frame[key]``."""
    return joined(frame[key], text, sep)


def events_table(ds: DataSet, events: pd.DataFrame) -> pd.DataFrame:
    """The events as one flat table, one row each, in date order, for the Data page and CSV."""
    ids = events["id"]
    names = ds.actor_names
    roles = ds.event_actors[among(ds.event_actors["event_id"], ids)]
    actors = _grouped(
        roles, "event_id", lookup(roles["actor_id"], names) + " (" + roles["role"] + ")", "; "
    )
    xs = ds.excerpts[among(ds.excerpts["event_id"], ids)]
    quotes = _grouped(xs, "event_id", xs["quote"], " | ")
    cs = ds.citations[among(ds.citations["event_id"], ids)]
    pairs = pd.concat([xs[["event_id", "source_id"]], cs[["event_id", "source_id"]]])
    pairs = pairs.drop_duplicates()
    sources = _grouped(pairs, "event_id", pairs["source_id"], "; ")
    categories = dict(zip(ds.categories["id"], ds.categories["name"], strict=True))
    ds_ = ds.disputes[among(ds.disputes["event_id"], ids)]
    disputes = _grouped(
        ds_,
        "event_id",
        ds_["field"] + ": " + ds_["value"] + " per " + ds_["source_id"],
        " | ",
    )
    return pd.DataFrame(
        {
            "id": events["id"],
            "date": events["date"],
            "end_date": events["end_date"],
            "date_display": events["date_display"],
            "precision": events["precision"],
            "start": events["start"].dt.strftime("%Y-%m-%d"),
            "end": events["end"].dt.strftime("%Y-%m-%d"),
            "title": events["title"],
            "summary": events["summary"],
            "category": lookup(events["category"], categories).where(
                among(events["category"], categories), events["category"]
            ),
            "status": events["status"],
            "place": events["place"],
            "evidence": events["evidence"],
            "actors": lookup(events["id"], actors),
            "sources": lookup(events["id"], sources),
            "excerpts": lookup(events["id"], quotes),
            "date_note": events["date_note"],
            "disputes": lookup(events["id"], disputes),
        }
    ).reset_index(drop=True)


def to_csv(table: pd.DataFrame) -> bytes:
    """CSV (UTF-8 with a byte-order mark, for spreadsheets), every text cell neutralised."""
    safe = table.copy()
    for column in safe.columns:
        if pd.api.types.is_string_dtype(safe[column]) or safe[column].dtype == object:
            safe[column] = neutralise(safe[column].fillna(""))
    return safe.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def event_records(ds: DataSet, events: pd.DataFrame) -> list[dict[str, Any]]:
    """The events as nested dictionaries: actors, excerpts and citations inside each."""
    ids = events["id"]
    names = ds.actor_names
    sources = ds.source_rows
    actors: dict[str, list[dict[str, str]]] = {}
    roles = ds.event_actors[among(ds.event_actors["event_id"], ids)]
    for eid, aid, role in zip(roles["event_id"], roles["actor_id"], roles["role"], strict=True):
        actors.setdefault(eid, []).append({"id": aid, "name": names.get(aid, aid), "role": role})
    excerpts: dict[str, list[dict[str, Any]]] = {}
    xs = ds.excerpts[among(ds.excerpts["event_id"], ids)]
    numbers = excerpt_numbers(ds)
    for idx, x in zip(xs.index, xs.itertuples(index=False), strict=True):
        excerpts.setdefault(x.event_id, []).append(
            {
                "number": int(numbers[idx]),
                "source_id": x.source_id,
                "source_title": sources[x.source_id]["title"],
                "quote": x.quote,
                "dating_phrase": x.dating_phrase,
                "basis": x.basis,
                "supports": x.supports.split(";") if x.supports else [],
            }
        )
    citations: dict[str, list[dict[str, str]]] = {}
    cs = ds.citations[among(ds.citations["event_id"], ids)]
    for c in cs.itertuples(index=False):
        source = sources[c.source_id]
        citations.setdefault(c.event_id, []).append(
            {
                "source_id": c.source_id,
                "title": source["title"],
                "publisher": source["publisher"],
                "published": source["published"],
                "address": source["address"],
                "date": c.date,
                "note": c.note,
                "quote": getattr(c, "quote", ""),  # as the imported row gives it, not verified
                "supports": c.supports.split(";") if c.supports else [],
            }
        )
    disputes: dict[str, list[dict[str, str]]] = {}
    for d in ds.disputes[among(ds.disputes["event_id"], ids)].itertuples(index=False):
        disputes.setdefault(d.event_id, []).append(
            {
                "field": d.field,
                "value": d.value,
                "source_id": d.source_id,
                "source_title": sources[d.source_id]["title"],
                "note": d.note,
            }
        )
    columns = [
        "id",
        "title",
        "summary",
        "date",
        "end_date",
        "date_display",
        "precision",
        "category",
        "status",
        "place",
        "evidence",
        "date_note",
    ]
    out = []
    for row, start, end in zip(
        events[columns].to_dict("records"),
        events["start"].dt.strftime("%Y-%m-%d"),
        events["end"].dt.strftime("%Y-%m-%d"),
        strict=True,
    ):
        eid = row["id"]
        out.append(
            {
                **row,
                "start": start,
                "end": end,
                "actors": actors.get(eid, []),
                "excerpts": excerpts.get(eid, []),
                "citations": citations.get(eid, []),
                "disputes": disputes.get(eid, []),
            }
        )
    return out


def to_json(ds: DataSet, events: pd.DataFrame) -> bytes:
    """The events as JSON: ``{"count": n, "events": [...]}``, text kept as written (raw)."""
    payload = {"count": len(events), "events": event_records(ds, events)}
    return json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")
