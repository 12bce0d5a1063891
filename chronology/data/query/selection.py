"""What the views need of a data set, computed once per data set; selections as numpy masks.

A rerun of the dashboard (any widget change) filters the events and draws them again. What does
not depend on the filters — the id set, the statuses present, the actor order, each actor's
family, which event every link and excerpt belongs to — is built here once, on first use, and
kept in the data set's :class:`~chronology.data.dataset.Memo` (``ds.memo``). A selection of
events is then a boolean mask over ``ds.events``, and the links, excerpts and citations it
touches are found by indexing, without a text comparison.

Usage::

    prep = prepared(ds)
    chosen = event_mask(ds, events)              # bool per row of ds.events
    links = ds.event_actors[on_rows(chosen, prep.link_event)]
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import pandas as pd

from ..dataset import RECENT, DataSet
from .actor_tree import actor_order, roots

__all__ = ["MEMO_SIZE", "Prepared", "event_mask", "on_rows", "prepared", "remembered"]

MEMO_SIZE = RECENT
"""How many results :func:`remembered` keeps per data set (the least recently used go first)."""

T = TypeVar("T")


@dataclass(frozen=True, eq=False)
class Prepared:
    """Filter-independent facts of one data set (built by :func:`prepared`)."""

    event_ids: frozenset[str]
    actor_index: pd.Index  # the actors' ids, in the order of ds.actors
    statuses: tuple[str, ...]  # present in the events, in order of first appearance
    actor_order: tuple[str, ...]  # :func:`~chronology.data.query.actor_tree.actor_order`
    roots: dict[str, str]  # actor id → top-level ancestor
    link_event: np.ndarray  # per row of event_actors: the position of its event in ds.events
    excerpt_event: np.ndarray  # per row of excerpts: the same (-1 for none)
    citation_event: np.ndarray  # per row of citations: the same (-1 for none)
    link_actor: np.ndarray  # per row of event_actors: its actor's position in ds.actors
    has_actor: np.ndarray  # per event: True when at least one actor takes part
    actor_rank: np.ndarray  # per row of ds.actors: its place in actor_order
    excerpt_source: np.ndarray  # per row of excerpts: its source's position in ds.sources
    citation_source: np.ndarray  # per row of citations: the same


def _positions(keys: pd.Series, index: pd.Index) -> np.ndarray:
    """Each key's position in ``index`` (-1 when absent)."""
    return index.get_indexer(pd.Index(keys.to_numpy(dtype=object)))


def _build(ds: DataSet) -> Prepared:
    ids = pd.Index(ds.events["id"].to_numpy(dtype=object))
    actors = pd.Index(ds.actors["id"].to_numpy(dtype=object))
    sources = pd.Index(ds.sources["id"].to_numpy(dtype=object))
    link_event = _positions(ds.event_actors["event_id"], ids)
    has_actor = np.zeros(len(ids), dtype=bool)
    has_actor[link_event[link_event >= 0]] = True
    order = actor_order(ds)
    rank = pd.Index(order).get_indexer(actors)
    return Prepared(
        event_ids=frozenset(ids),
        actor_index=actors,
        statuses=tuple(ds.events["status"].unique()),
        actor_order=tuple(order),
        roots=roots(ds),
        link_event=link_event,
        excerpt_event=_positions(ds.excerpts["event_id"], ids),
        citation_event=_positions(ds.citations["event_id"], ids),
        link_actor=_positions(ds.event_actors["actor_id"], actors),
        has_actor=has_actor,
        actor_rank=rank,
        excerpt_source=_positions(ds.excerpts["source_id"], sources),
        citation_source=_positions(ds.citations["source_id"], sources),
    )


def prepared(ds: DataSet) -> Prepared:
    """The data set's :class:`Prepared` facts, built on first use and kept in ``ds.memo``."""
    return ds.memo.keep("prepared", lambda: _build(ds))


def remembered(ds: DataSet, key: Hashable, build: Callable[[], T]) -> T:
    """``build()``, made once per data set and ``key`` and kept in ``ds.memo`` (the last
    :data:`MEMO_SIZE`).

    For what a rerun would otherwise rebuild unchanged (the Timeline's chart for the view
    every visitor opens, or for a rerun that changed nothing it shows). The key names
    everything the result depends on besides the data set; callers treat the result as
    read-only, since other sessions get the same object.
    """
    return ds.memo.recent(key, build)


def on_rows(chosen: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """A boolean per row of a linked table: its event (at ``positions``) is ``chosen``."""
    return chosen[positions] & (positions >= 0)


def event_mask(ds: DataSet, events: pd.DataFrame) -> np.ndarray:
    """A boolean per row of ``ds.events``: True for the rows in ``events``.

    ``events`` is normally a selection of ``ds.events`` (same index); any other frame is
    matched by id.
    """
    mask = np.zeros(len(ds.events), dtype=bool)
    index = events.index
    plain = isinstance(ds.events.index, pd.RangeIndex) and ds.events.index.start == 0
    if plain and ds.events.index.step == 1 and pd.api.types.is_integer_dtype(index.dtype):
        pos = index.to_numpy()
        if len(pos) == 0:
            return mask
        if pos.min() >= 0 and pos.max() < len(ds.events):
            same = ds.events["id"].array[pos] == events["id"].array
            if bool(np.asarray(same, dtype=bool).all()):
                mask[pos] = True
                return mask
    wanted = set(events["id"])
    return ds.events["id"].isin(wanted).to_numpy(dtype=bool) if wanted else mask
