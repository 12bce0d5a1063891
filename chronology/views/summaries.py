"""Tables that sum up a data set: headline figures, actor directory, relations, partners,
sources and corroboration. Pure pandas, vectorised (no loop over events).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from ..data.dataset import DataSet, publication_label
from ..data.dates.partial import parse_partial
from ..data.frames import among, joined, lookup
from ..data.query.actor_tree import actor_order, roots
from ..data.query.selection import event_mask, on_rows, prepared
from ..data.schema import Resource
from .escape import safe_url

__all__ = [
    "Headline",
    "actor_directory",
    "cited_records",
    "corroboration",
    "data_dictionary",
    "event_labels",
    "headline",
    "key_summary",
    "lookup",
    "partner_relations",
    "partner_summary",
    "relations",
    "source_counts",
    "source_table",
]


@dataclass(frozen=True, slots=True)
class Headline:
    """The figures above the timeline."""

    shown: int
    total: int
    span: str
    actors: int
    sources: int
    span_years: str = ""
    """The span in years only ('2012 – 2024'), for a narrow display; ``span`` in full."""
    fatalities: int | None = None
    """Fatalities reported for the events shown, when the data set has them (ACLED)."""


def _distinct(codes: np.ndarray, n: int) -> int:
    """How many distinct values among ``codes`` (positions below ``n``; -1 for none)."""
    seen = np.zeros(n + 1, dtype=bool)
    seen[codes] = True  # -1 marks the spare last slot
    return int(seen[:n].sum() + seen[n])


def headline(ds: DataSet, events: pd.DataFrame) -> Headline:
    """Events shown / total, their span, and how many actors and sources they involve."""
    if events.empty:
        return Headline(0, len(ds.events), "—", 0, 0)
    first = events.loc[events["start"].idxmin()]
    last = events.loc[events["end"].idxmax()]
    end_text = last["end_date"] or last["date"]
    span = parse_partial(first["date"]).display()
    years = f"{first['start'].year}"
    if (last["id"] != first["id"]) or last["end_date"]:
        span += f" – {parse_partial(end_text).display()}"
        if last["end"].year != first["start"].year:
            years += f" – {last['end'].year}"
    prep = prepared(ds)
    chosen = event_mask(ds, events)
    actors = _distinct(prep.link_actor[on_rows(chosen, prep.link_event)], len(ds.actors))
    sources = _distinct(
        np.concatenate(
            [
                prep.excerpt_source[on_rows(chosen, prep.excerpt_event)],
                prep.citation_source[on_rows(chosen, prep.citation_event)],
            ]
        ),
        len(ds.sources),
    )
    return Headline(
        len(events), len(ds.events), span, int(actors), int(sources), years, _fatalities(ds, events)
    )


def _fatalities(ds: DataSet, events: pd.DataFrame) -> int | None:
    """The fatalities reported for ``events``, or None when the data set reports none."""
    if "fatalities" not in ds.events or not ds.events["fatalities"].ne("").any():
        return None
    counts = pd.to_numeric(events["fatalities"].where(events["fatalities"].ne("")), "coerce")
    return int(counts.fillna(0).sum())


def _ancestry(ds: DataSet) -> pd.DataFrame:
    """(actor_id, ancestor) pairs: every actor with itself and each actor above it."""
    parent = dict(zip(ds.actors["id"], ds.actors["parent"], strict=True))
    rows = []
    for aid in parent:
        node, seen = aid, set()
        while node and node in parent and node not in seen:
            rows.append((aid, node))
            seen.add(node)
            node = parent[node]
    return pd.DataFrame(rows, columns=["actor_id", "ancestor"])


def actor_directory(ds: DataSet) -> pd.DataFrame:
    """Every actor: name, kind, parent, description, its own events and its family's."""
    links = ds.event_actors[["event_id", "actor_id"]].drop_duplicates()
    own = links.groupby("actor_id")["event_id"].nunique()
    family = (
        links.merge(_ancestry(ds), on="actor_id")
        .drop_duplicates(["ancestor", "event_id"])
        .groupby("ancestor")
        .size()
    )
    names = ds.actor_names
    order = {a: i for i, a in enumerate(actor_order(ds))}
    table = pd.DataFrame(
        {
            "id": ds.actors["id"],
            "name": ds.actors["name"],
            "kind": ds.actors["kind"],
            "parent": lookup(ds.actors["parent"], names),
            "description": ds.actors["description"],
            "events": ds.actors["id"].map(own).fillna(0).astype("int64"),
            "events_with_children": ds.actors["id"].map(family).fillna(0).astype("int64"),
        }
    )
    return table.sort_values("id", key=lambda s: s.map(order)).reset_index(drop=True)


def relations(
    ds: DataSet, events: pd.DataFrame, level: Literal["actor", "family"] = "family"
) -> pd.DataFrame:
    """Who acted on whom: (source, target, events) from role 'actor' to role 'target'.

    ``level="family"`` counts each actor as its top-level ancestor.
    """
    links = ds.event_actors[among(ds.event_actors["event_id"], events["id"])]
    if level == "family":
        root = roots(ds)
        links = links.assign(actor_id=lookup(links["actor_id"], root))
    doers = links.loc[links["role"] == "actor", ["event_id", "actor_id"]]
    done_to = links.loc[links["role"] == "target", ["event_id", "actor_id"]]
    pairs = doers.merge(done_to, on="event_id", suffixes=("_from", "_to")).drop_duplicates()
    if level == "actor":
        pairs = pairs[pairs["actor_id_from"] != pairs["actor_id_to"]]
    out = (
        pairs.groupby(["actor_id_from", "actor_id_to"], sort=False)
        .size()
        .rename("events")
        .reset_index()
        .rename(columns={"actor_id_from": "source", "actor_id_to": "target"})
    )
    return out.sort_values("events", ascending=False, kind="stable").reset_index(drop=True)


def partner_relations(ds: DataSet, focal: str, events: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each event shared by the focal actor's family and another top-level family (a partner).

    Columns: event_id, start, partner, relation — 'against' when one side is the target of the
    other, 'together' when both act or take part (pairs where both sides are only targets, of
    someone else, are left out).
    """
    root = roots(ds)
    links = ds.event_actors
    if events is not None:
        links = links[among(links["event_id"], events["id"])]
    links = links.assign(family=lookup(links["actor_id"], root))
    links = links.assign(target=links["role"].eq("target"), acting=links["role"].ne("target"))
    flags = links.groupby(["event_id", "family"], sort=False)[["target", "acting"]].any()
    flags = flags.reset_index()
    mine = flags[flags["family"] == root.get(focal, focal)]
    theirs = flags[flags["family"] != root.get(focal, focal)]
    pairs = mine.merge(theirs, on="event_id", suffixes=("_focal", "_partner"))
    confronting = (pairs["target_focal"] & pairs["acting_partner"]) | (
        pairs["target_partner"] & pairs["acting_focal"]
    )
    together = pairs["acting_focal"] & pairs["acting_partner"]
    pairs = pairs.assign(
        relation=pd.Series("together", index=pairs.index).where(~confronting, "against")
    )
    pairs = pairs[confronting | together]
    starts = ds.events.set_index("id")["start"]
    out = pd.DataFrame(
        {
            "event_id": pairs["event_id"],
            "start": pairs["event_id"].map(starts),
            "partner": pairs["family_partner"],
            "relation": pairs["relation"],
        }
    )
    return out.sort_values(["start", "partner"], kind="stable").reset_index(drop=True)


def partner_summary(
    ds: DataSet,
    focal: str,
    events: pd.DataFrame | None = None,
    table: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per partner: events together and against each other, with the first and last of each.

    The first and last are when those events began, at their own precision ("2012",
    "July 2023", "16 March 2024"), never a made-up first day; "" when there is none.
    ``table``: :func:`partner_relations`, when already computed.
    """
    table = partner_relations(ds, focal, events) if table is None else table
    dates = ds.events.set_index("id")["date"]

    def shown(event_id: str) -> str:
        return parse_partial(dates[event_id]).display()

    rows = []
    for partner, sub in table.groupby("partner", sort=False):  # sorted by start
        row: dict[str, object] = {"id": partner, "partner": ds.actor_names.get(partner, partner)}
        for relation in ("together", "against"):
            part = sub[sub["relation"] == relation]
            row[relation] = len(part)
            ids = part["event_id"]
            row[f"first {relation}"] = shown(ids.iloc[0]) if len(ids) else ""
            row[f"last {relation}"] = shown(ids.iloc[-1]) if len(ids) else ""
        rows.append(row)
    columns = [
        "id",
        "partner",
        "together",
        "first together",
        "last together",
        "against",
        "first against",
        "last against",
    ]
    return pd.DataFrame(rows, columns=columns)


def source_table(ds: DataSet) -> pd.DataFrame:
    """Every source with its publication date (marked when estimated), window, basis, address
    (http(s) only) and how many excerpts, citations and events rest on it.
    """
    s = ds.sources
    records = s.to_dict("records")
    x_count = ds.excerpts.groupby("source_id").size()
    c_count = ds.citations.groupby("source_id").size()
    pairs = pd.concat(
        [ds.excerpts[["event_id", "source_id"]], ds.citations[["event_id", "source_id"]]]
    ).drop_duplicates()
    e_count = pairs.groupby("source_id").size()
    estimated = s["date_estimated"].eq("true")
    window = [
        f"{parse_partial(r['estimate_earliest']).display()} – "
        f"{parse_partial(r['estimate_latest']).display()}"
        if r["date_estimated"] == "true" and r["estimate_earliest"] and r["estimate_latest"]
        else ""
        for r in records
    ]
    return pd.DataFrame(
        {
            "id": s["id"],
            "kind": s["kind"],
            "title": s["title"],
            "publisher": s["publisher"],
            "published": [publication_label(r) for r in records],
            "estimated": estimated,
            "estimate_window": window,
            "estimate_basis": s["estimate_basis"],
            "address": [safe_url(a) or "" for a in s["address"]],
            "excerpts": s["id"].map(x_count).fillna(0).astype("int64"),
            "citations": s["id"].map(c_count).fillna(0).astype("int64"),
            "events": s["id"].map(e_count).fillna(0).astype("int64"),
        }
    )


def _event_sources(ds: DataSet, events: pd.DataFrame) -> pd.DataFrame:
    """Distinct (event_id, source_id) pairs, from excerpts and citations, for these events."""
    pairs = pd.concat(
        [ds.excerpts[["event_id", "source_id"]], ds.citations[["event_id", "source_id"]]]
    )
    return pairs[among(pairs["event_id"], events["id"])].drop_duplicates()


def source_counts(ds: DataSet, events: pd.DataFrame) -> pd.Series:
    """How many distinct sources report each event (aligned with ``events``)."""
    count = _event_sources(ds, events).groupby("event_id", sort=False).size()
    return events["id"].map(count).fillna(0).astype("int64")


def corroboration(ds: DataSet, events: pd.DataFrame) -> pd.DataFrame:
    """For each event: how many distinct sources report it, and which."""
    pairs = _event_sources(ds, events)
    titles = ds.sources.set_index("id")["title"]
    pairs = pairs.assign(title=lookup(pairs["source_id"], titles))
    count = pairs.groupby("event_id", sort=False).size()
    listed = joined(pairs["event_id"], pairs["title"], " | ")
    table = pd.DataFrame(
        {
            "id": events["id"],
            "date": events["date_display"],
            "title": events["title"],
            "evidence": events["evidence"],
            "sources": events["id"].map(count).fillna(0).astype("int64"),
            "source_titles": lookup(events["id"], listed),
        }
    )
    table["corroboration"] = "one source"
    table.loc[table["sources"] > 1, "corroboration"] = "several sources"
    return table.reset_index(drop=True)


def event_labels(events: pd.DataFrame) -> dict[str, str]:
    """Event id → 'July 2023 — Military coup ousts President Bazoum', for an event picker."""
    return dict(zip(events["id"], events["date_display"] + " — " + events["title"], strict=True))


def cited_records(ds: DataSet, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The citation-only sources, each with the titles of the events it documents."""
    table = source_table(ds) if table is None else table
    cites = table[table["kind"] == "citation"]
    documented = ds.citations.merge(
        ds.events[["id", "title"]], left_on="event_id", right_on="id", how="left"
    )
    events_of = joined(documented["source_id"], documented["title"], " | ")
    return cites[["id", "title", "publisher", "published", "address"]].assign(
        events=lookup(cites["id"], events_of)
    )


def data_dictionary(resource: Resource) -> pd.DataFrame:
    """One row per field of a table of the schema: name, type, constraints, description."""
    fields = resource.fields
    return pd.DataFrame(
        {
            "field": [f.name for f in fields],
            "type": [f.type for f in fields],
            "required": [f.required for f in fields],
            "unique": [f.unique for f in fields],
            "allowed": [", ".join(f.enum) for f in fields],
            "description": [f.description for f in fields],
        }
    )


def key_summary(resource: Resource) -> str:
    """'primary key: id · category → categories': the table's keys in one line ('' for none)."""
    keys = [f"primary key: {', '.join(resource.primary_key)}"] if resource.primary_key else []
    keys += [f"{fk.fields} → {fk.resource}" for fk in resource.foreign_keys]
    return " · ".join(keys)
