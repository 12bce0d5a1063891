"""The validated data set: tables as pandas DataFrames, events joined with actors and sources."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from .dates.partial import parse_partial

__all__ = [
    "DATE_UNKNOWN",
    "FIELD_LABELS",
    "CitationView",
    "DataSet",
    "DisputeView",
    "EventDetail",
    "ExcerptView",
    "Memo",
    "publication_label",
]

T = TypeVar("T")
RECENT = 16
"""How many keyed results a :class:`Memo` holds by default (:meth:`Memo.recent`)."""

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


def _cited_as(c: CitationView) -> str:
    """'Publisher, Title'; the title alone where the publisher is not known."""
    return f"{c.publisher}, {c.title}" if c.publisher and c.publisher != "unknown" else c.title


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
    number: int = 0  # its row in excerpts.csv from 1: names its highlight in the source reader


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
            ] + [_cited_as(c) for c in self.citations if c.supports and _backs(c.supports, name)]
            disputed = [d for d in self.disputes if d.field == name]
            out.append((name, list(dict.fromkeys(backers)), disputed))
        return out

    @property
    def date_basis(self) -> list[str]:
        """Where the date comes from, one line per basis."""
        lines = [e.basis for e in self.excerpts if e.basis]
        lines += [
            f"{parse_partial(c.date).display()} per {_cited_as(c)}"
            for c in self.citations
            if c.date
        ]
        if self.date_note:
            lines.append(self.date_note)
        return lines


DATE_UNKNOWN = "date unknown"
"""What pages say of a source whose publication date nobody knows (never an estimate)."""


def publication_label(row: Mapping[str, str]) -> str:
    """'~8 June 2024 (estimated)', '16 March 2024', or 'date unknown' for a source row."""
    if not row["published"]:
        return DATE_UNKNOWN
    shown = parse_partial(row["published"]).display()
    return f"~{shown} (estimated)" if row["date_estimated"] in (True, "true") else shown


class Memo:
    """What is derived from one data set, kept with it (:attr:`DataSet.memo`); thread-safe.

    A data set is read-only and shared between the sessions of a server, each in a thread of
    its own. :meth:`keep` holds what every rerun needs (the actor tree, the facts the filters
    use: ``chronology.data.query.selection.prepared``), built once, for the data set's life.
    :meth:`recent` holds the last :attr:`size` results keyed by what they depend on (a view's
    chart), the least recently used going first. Callers treat what they get as read-only: other
    sessions get the same object. Dropped with its data set: nothing here is process-wide.
    """

    def __init__(self, size: int = RECENT) -> None:
        self.size = size
        self._kept: dict[str, Any] = {}
        self._recent: OrderedDict[Hashable, Any] = OrderedDict()
        self._building = threading.RLock()  # one builder of a kept value (it may keep another)
        self._lock = threading.Lock()

    def keep(self, name: str, build: Callable[[], T]) -> T:
        """``build()``, made on first use and kept; another thread asking meanwhile waits."""
        if name in self._kept:
            return self._kept[name]
        with self._building:
            if name not in self._kept:
                self._kept[name] = build()
            return self._kept[name]

    def recent(self, key: Hashable, build: Callable[[], T]) -> T:
        """``build()``, kept among the last :attr:`size` results; built outside the lock."""
        with self._lock:
            if key in self._recent:
                self._recent.move_to_end(key)
                return self._recent[key]
        value = build()  # another session may build the same meanwhile: the last one is kept
        with self._lock:
            self._recent[key] = value
            while len(self._recent) > self.size:
                self._recent.popitem(last=False)
        return value


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
    memo: Memo = field(default_factory=Memo, init=False, repr=False, compare=False)
    """What is derived from the tables, built on first use (:class:`Memo`)."""
    title: str = ""
    """The package's own title (datapackage.json's ``title``; an import's timeline name), or ''."""

    @property
    def children(self) -> dict[str, list[str]]:
        """Actor id → ids of its direct children."""
        return self.memo.keep("children", self._children)

    def _children(self) -> dict[str, list[str]]:
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

    @property
    def source_rows(self) -> dict[str, dict[str, str]]:
        """Source id → its row as a dict."""
        return self.memo.keep(
            "source_rows", lambda: {row["id"]: row for row in self.sources.to_dict("records")}
        )

    @property
    def actor_names(self) -> dict[str, str]:
        """Actor id → display name."""
        return self.memo.keep(
            "actor_names", lambda: dict(zip(self.actors["id"], self.actors["name"], strict=True))
        )

    def event(self, event_id: str) -> EventDetail:
        """One event with its actors, excerpts, citations and disputes; KeyError when unknown."""
        return self.details([event_id])[0]

    def details(self, event_ids: Sequence[str]) -> list[EventDetail]:
        """:meth:`event` for many events at once, in the order given (KeyError for one unknown):
        one pass over each table, not one per event (a page of a thousand events' cards).

        :meth:`event` is this for one event, so the page's details and the HTML page's cards
        are built by one piece of code.
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
        on = self.excerpts["event_id"].isin(wanted).to_numpy()
        for at, x in zip(
            np.flatnonzero(on).tolist(), self.excerpts[on].itertuples(index=False), strict=True
        ):
            excerpts.setdefault(x.event_id, []).append(
                ExcerptView(
                    source_id=x.source_id,
                    source_title=sources[x.source_id]["title"],
                    quote=x.quote,
                    dating_phrase=x.dating_phrase,
                    basis=x.basis,
                    supports=x.supports,
                    number=at + 1,  # as render.excerpt_numbers
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
                    supports=c.supports,
                )
            )
        disputes: dict[str, list[DisputeView]] = {}
        for d in self.disputes[self.disputes["event_id"].isin(wanted)].itertuples(index=False):
            source = sources[d.source_id]
            disputes.setdefault(d.event_id, []).append(
                DisputeView(
                    field=d.field,
                    value=d.value,
                    source_id=d.source_id,
                    source_title=source["title"],
                    publisher=source["publisher"],
                    note=d.note,
                )
            )
        columns = ("id", "title", "summary", "date_display", "precision", "category", "status")
        more = ("place", "date_note", "end_date", "date")
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
                    end_date=values[9][i],
                    disputes=tuple(disputes.get(eid, ())),
                    date=values[10][i],
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
