"""The validated data set: tables as pandas DataFrames, events joined with actors and sources."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

import pandas as pd

from .dates.partial import parse_partial

__all__ = [
    "FIELD_LABELS",
    "CitationView",
    "DataSet",
    "DisputeView",
    "EventDetail",
    "ExcerptView",
    "publication_label",
]

FIELD_LABELS = {
    "date": "Date",
    "end_date": "End date",
    "place": "Place",
    "actors": "Actors",
    "summary": "Summary",
}
"""The event's fields a source can back or dispute (``supports``, ``disputes.field``), in the
order the details name them, with their names there."""


def _short(title: str, size: int = 48) -> str:
    """A long title cut at a word, with '…' (an article's title is its opening words)."""
    if len(title) <= size:
        return title
    return title[:size].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _backs(supports: str, name: str) -> bool:
    """Whether a ``supports`` value names ``name`` (an empty one: the summary only)."""
    return name in (supports.split(";") if supports else ("summary",))


@dataclass(frozen=True, slots=True)
class ExcerptView:
    """A verbatim quote of a stored article, with how it dates the event."""

    source_id: str
    source_title: str
    quote: str
    dating_phrase: str
    basis: str  # e.g. "'last month' in an article of ~8 June 2024 → May 2024"; "" without a phrase
    supports: str = ""  # the event's fields it backs, 'summary;date' (empty: the summary)


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
    supports: str = ""  # the event's fields it backs, 'summary;date'


@dataclass(frozen=True, slots=True)
class DisputeView:
    """A value a source gives for one of the event's fields, which we did not take."""

    field: str  # summary, date, end_date, place or actors
    value: str
    source_id: str
    source_title: str
    publisher: str
    note: str


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
    end_date: str = ""  # as written (YYYY, YYYY-MM or YYYY-MM-DD); "" for a point event
    disputes: tuple[DisputeView, ...] = ()
    date: str = ""  # the start as written

    @property
    def citation_only(self) -> bool:
        """True when no excerpt of a stored article backs the event's summary."""
        return not any(_backs(e.supports, "summary") for e in self.excerpts)

    def backing(self) -> list[tuple[str, list[str], list[DisputeView]]]:
        """Field by field (those the event has), the sources that back it and those that give
        another value: ``[(field, ["article A (excerpt)", "Reuters, title"], [dispute])]``."""
        has = {
            "summary": True,
            "date": True,
            "end_date": bool(self.end_date),
            "place": bool(self.place),
            "actors": bool(self.actors),
        }
        out = []
        for name in FIELD_LABELS:
            if not has[name]:
                continue
            backers = [
                f"{_short(e.source_title)} (excerpt)"
                for e in self.excerpts
                if _backs(e.supports, name)
            ] + [
                f"{c.publisher}, {c.title}"
                for c in self.citations
                if c.supports and _backs(c.supports, name)
            ]
            disputed = [d for d in self.disputes if d.field == name]
            out.append((name, list(dict.fromkeys(backers)), disputed))
        return out

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
    disputes: pd.DataFrame = field(  # a value a source gives that we did not take (may be empty)
        default_factory=lambda: pd.DataFrame(
            {c: pd.Series([], dtype="str") for c in ("event_id", "field", "value", "source_id")}
        ),
        repr=False,
    )

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
                supports=x.supports,
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
                supports=c.supports,
            )
            for c in cits.itertuples(index=False)
        )
        dis = self.disputes[self.disputes["event_id"] == event_id]
        disputes = tuple(
            DisputeView(
                field=d.field,
                value=d.value,
                source_id=d.source_id,
                source_title=sources[d.source_id]["title"],
                publisher=sources[d.source_id]["publisher"],
                note=d.note,
            )
            for d in dis.itertuples(index=False)
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
            end_date=ev["end_date"],
            disputes=disputes,
            date=ev["date"],
        )

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
