"""The validated data set: tables as pandas DataFrames, events joined with actors and sources."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

import pandas as pd

from .dates.partial import parse_partial

__all__ = ["CitationView", "DataSet", "EventDetail", "ExcerptView", "publication_label"]


@dataclass(frozen=True, slots=True)
class ExcerptView:
    """A verbatim quote of a stored article, with how it dates the event."""

    source_id: str
    source_title: str
    quote: str
    dating_phrase: str
    basis: str  # e.g. "'last month' in an article of ~8 June 2024 → May 2024"; "" without a phrase


@dataclass(frozen=True, slots=True)
class CitationView:
    """A public record that documents the event (no stored text)."""

    source_id: str
    title: str
    publisher: str
    published: str
    address: str
    date: str
    note: str
    quote: str = ""  # as an imported row gives it: never checked against a stored text


@dataclass(frozen=True, slots=True)
class EventDetail:
    """Everything the dashboard shows about one event."""

    id: str
    title: str
    summary: str
    date_display: str
    start: date
    end: date
    precision: str
    category: str
    status: str
    place: str
    date_note: str
    actors: tuple[tuple[str, str, str], ...]  # (actor id, name, role)
    excerpts: tuple[ExcerptView, ...]
    citations: tuple[CitationView, ...]

    @property
    def citation_only(self) -> bool:
        """True when no stored article reports the event."""
        return not self.excerpts

    @property
    def date_basis(self) -> list[str]:
        """Where the date comes from, one line per basis."""
        lines = [e.basis for e in self.excerpts if e.basis]
        lines += [
            f"{parse_partial(c.date).display()} per {c.publisher}, {c.title}"
            for c in self.citations
            if c.date
        ]
        if self.date_note:
            lines.append(self.date_note)
        return lines


def publication_label(row: Mapping[str, str]) -> str:
    """'~8 June 2024 (estimated)' or '16 March 2024' for a source row."""
    shown = parse_partial(row["published"]).display()
    return f"~{shown} (estimated)" if row["date_estimated"] in (True, "true") else shown


@dataclass(frozen=True)
class DataSet:
    """A validated data directory. Build it with :func:`chronology.load`."""

    directory: Path
    events: pd.DataFrame
    actors: pd.DataFrame
    sources: pd.DataFrame
    categories: pd.DataFrame
    event_actors: pd.DataFrame
    excerpts: pd.DataFrame
    citations: pd.DataFrame
    texts: Mapping[str, str] = field(repr=False)
    title: str = ""
    """The package's own title (datapackage.json's ``title``; an import's timeline name), or ''."""

    @cached_property
    def children(self) -> dict[str, list[str]]:
        """Actor id → ids of its direct children."""
        out: dict[str, list[str]] = {}
        for aid, parent in zip(self.actors["id"], self.actors["parent"], strict=True):
            if parent:
                out.setdefault(parent, []).append(aid)
        return out

    def descendants(self, actor_id: str) -> frozenset[str]:
        """The actor and every actor below it in the tree."""
        seen, todo = {actor_id}, [actor_id]
        while todo:
            for child in self.children.get(todo.pop(), []):
                if child not in seen:
                    seen.add(child)
                    todo.append(child)
        return frozenset(seen)

    @cached_property
    def source_rows(self) -> dict[str, dict[str, str]]:
        """Source id → its row as a dict."""
        return {row["id"]: row for row in self.sources.to_dict("records")}

    @cached_property
    def actor_names(self) -> dict[str, str]:
        """Actor id → display name."""
        return dict(zip(self.actors["id"], self.actors["name"], strict=True))

    def event(self, event_id: str) -> EventDetail:
        """One event with its actors, excerpts and citations; KeyError when unknown."""
        rows = self.events[self.events["id"] == event_id]
        if rows.empty:
            raise KeyError(event_id)
        ev = rows.iloc[0]
        sources = self.source_rows
        roles = self.event_actors[self.event_actors["event_id"] == event_id]
        actors = tuple(
            (a, self.actor_names[a], r)
            for a, r in zip(roles["actor_id"], roles["role"], strict=True)
        )
        exs = self.excerpts[self.excerpts["event_id"] == event_id]
        excerpts = tuple(
            ExcerptView(
                source_id=x.source_id,
                source_title=sources[x.source_id]["title"],
                quote=x.quote,
                dating_phrase=x.dating_phrase,
                basis=x.basis,
            )
            for x in exs.itertuples(index=False)
        )
        cits = self.citations[self.citations["event_id"] == event_id]
        citations = tuple(
            CitationView(
                source_id=c.source_id,
                title=sources[c.source_id]["title"],
                publisher=sources[c.source_id]["publisher"],
                published=sources[c.source_id]["published"],
                address=sources[c.source_id]["address"],
                date=c.date,
                note=c.note,
                quote=getattr(c, "quote", ""),
            )
            for c in cits.itertuples(index=False)
        )
        return EventDetail(
            id=ev["id"],
            title=ev["title"],
            summary=ev["summary"],
            date_display=ev["date_display"],
            start=ev["start"].date(),
            end=ev["end"].date(),
            precision=ev["precision"],
            category=ev["category"],
            status=ev["status"],
            place=ev["place"],
            date_note=ev["date_note"],
            actors=actors,
            excerpts=excerpts,
            citations=citations,
        )

    def details(self, event_ids: Sequence[str]) -> list[EventDetail]:
        """:meth:`event` for many events at once, in the order given (KeyError for one unknown):
        one pass over each table, not one per event (a page of a thousand events' cards).

        Builds each :class:`EventDetail` as :meth:`event` does (a test holds the two equal).
        """
        wanted = list(event_ids)
        rows = self.events[self.events["id"].isin(wanted)]
        found = dict(zip(rows["id"].tolist(), range(len(rows)), strict=True))
        missing = [e for e in wanted if e not in found]
        if missing:
            raise KeyError(missing[0])
        sources, names = self.source_rows, self.actor_names
        actors: dict[str, list[tuple[str, str, str]]] = {}
        links = self.event_actors[self.event_actors["event_id"].isin(wanted)]
        for eid, aid, role in zip(
            *(links[c].tolist() for c in ("event_id", "actor_id", "role")), strict=True
        ):
            actors.setdefault(eid, []).append((aid, names[aid], role))
        excerpts: dict[str, list[ExcerptView]] = {}
        for x in self.excerpts[self.excerpts["event_id"].isin(wanted)].itertuples(index=False):
            excerpts.setdefault(x.event_id, []).append(
                ExcerptView(
                    source_id=x.source_id,
                    source_title=sources[x.source_id]["title"],
                    quote=x.quote,
                    dating_phrase=x.dating_phrase,
                    basis=x.basis,
                )
            )
        citations: dict[str, list[CitationView]] = {}
        for c in self.citations[self.citations["event_id"].isin(wanted)].itertuples(index=False):
            source = sources[c.source_id]
            citations.setdefault(c.event_id, []).append(
                CitationView(
                    source_id=c.source_id,
                    title=source["title"],
                    publisher=source["publisher"],
                    published=source["published"],
                    address=source["address"],
                    date=c.date,
                    note=c.note,
                    quote=getattr(c, "quote", ""),
                )
            )
        columns = ("id", "title", "summary", "date_display", "precision", "category", "status")
        more = ("place", "date_note")
        values = [rows[c].tolist() for c in (*columns, *more)]
        starts = [d.date() for d in rows["start"]]
        ends = [d.date() for d in rows["end"]]
        out = []
        for eid in wanted:
            i = found[eid]
            out.append(
                EventDetail(
                    id=values[0][i],
                    title=values[1][i],
                    summary=values[2][i],
                    date_display=values[3][i],
                    start=starts[i],
                    end=ends[i],
                    precision=values[4][i],
                    category=values[5][i],
                    status=values[6][i],
                    place=values[7][i],
                    date_note=values[8][i],
                    actors=tuple(actors.get(eid, ())),
                    excerpts=tuple(excerpts.get(eid, ())),
                    citations=tuple(citations.get(eid, ())),
                )
            )
        return out

    def summary(self) -> str:
        """One line: counts and span."""
        ev = self.events
        n_cit = int((ev["evidence"] == "citation only").sum())
        first, last = ev.loc[ev["start"].idxmin()], ev.loc[ev["end"].idxmax()]
        span = f"{first['date_display']} … {last['date_display']}"
        counts = ", ".join(
            _count(n, noun)
            for n, noun in (
                (len(self.actors), "actor"),
                (len(self.sources), "source"),
                (len(self.excerpts), "excerpt"),
                (len(self.citations), "citation"),
            )
        )
        return (
            f"{_count(len(ev), 'event')} ({len(ev) - n_cit} excerpt-backed, "
            f"{n_cit} citation only), {counts}; {span}"
        )


def _count(n: int, noun: str) -> str:
    """'1 citation', '2 citations'."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
