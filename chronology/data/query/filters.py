"""Pure filters over a data set's events: actors, categories, statuses, evidence, dates, text."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd

from ..dataset import DataSet
from .selection import prepared

__all__ = [
    "Query",
    "by_actors",
    "by_categories",
    "by_date_range",
    "by_evidence",
    "by_statuses",
    "by_text",
    "filter_events",
]

Match = Literal["any", "all"]


@dataclass(frozen=True, slots=True)
class Query:
    """What a reader asked to see; the empty query shows everything."""

    actors: tuple[str, ...] = ()
    actor_match: Match = "any"
    categories: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    citation_only: bool = True  # include events known only from citations
    start: date | None = None
    end: date | None = None
    text: str = ""

    def with_(self, **changes: object) -> Query:
        """A copy with some fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]


def _all(events: pd.DataFrame) -> pd.Series:
    return pd.Series(True, index=events.index)


def by_actors(ds: DataSet, actors: Iterable[str], match: Match = "any") -> pd.Series:
    """Events in which the actors took part; an actor stands for itself and all its children.

    ``match="any"``: at least one of the actors; ``"all"``: every one of them. Found through
    the links' positions prepared once per data set (:func:`~.selection.prepared`): no text
    comparison over the events on a rerun.
    """
    actors = list(actors)
    events = ds.events
    if not actors:
        return _all(events)
    prep = prepared(ds)
    linked = prep.link_event >= 0
    hits = np.zeros((len(actors), len(events)), dtype=bool)
    for row, actor in zip(hits, actors, strict=True):
        family = np.zeros(len(ds.actors) + 1, dtype=bool)  # the spare last slot: no actor (-1)
        family[prep.actor_index.get_indexer(list(ds.descendants(actor)))] = True
        family[-1] = False
        row[prep.link_event[family[prep.link_actor] & linked]] = True
    mask = hits.any(axis=0) if match == "any" else hits.all(axis=0)
    return pd.Series(mask, index=events.index)


def by_categories(ds: DataSet, categories: Iterable[str]) -> pd.Series:
    """Events in any of the categories (all when none is given)."""
    categories = list(categories)
    return ds.events["category"].isin(categories) if categories else _all(ds.events)


def by_statuses(ds: DataSet, statuses: Iterable[str]) -> pd.Series:
    """Events with any of the statuses (all when none is given)."""
    statuses = list(statuses)
    return ds.events["status"].isin(statuses) if statuses else _all(ds.events)


def by_evidence(ds: DataSet, citation_only: bool = True) -> pd.Series:
    """All events, or only those an excerpt of a stored article reports."""
    if citation_only:
        return _all(ds.events)
    return ds.events["evidence"] == "excerpt"


def by_date_range(ds: DataSet, start: date | None = None, end: date | None = None) -> pd.Series:
    """Events whose interval overlaps [start, end] (both inclusive, either open)."""
    mask = _all(ds.events)
    if start is not None:
        mask &= ds.events["end"] >= pd.Timestamp(start)
    if end is not None:
        mask &= ds.events["start"] <= pd.Timestamp(end)
    return mask


def by_text(ds: DataSet, text: str) -> pd.Series:
    """Events whose title, summary or excerpts contain every word of ``text`` (any case)."""
    words = text.lower().split()
    mask = _all(ds.events)
    for word in words:
        mask &= ds.events["search_text"].str.contains(word, regex=False)
    return mask


def filter_events(ds: DataSet, query: Query) -> pd.DataFrame:
    """The events that match every part of ``query``, in date order."""
    mask = (
        by_actors(ds, query.actors, query.actor_match)
        & by_categories(ds, query.categories)
        & by_statuses(ds, query.statuses)
        & by_evidence(ds, query.citation_only)
        & by_date_range(ds, query.start, query.end)
        & by_text(ds, query.text)
    )
    return ds.events[mask]
