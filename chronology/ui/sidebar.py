"""The shared sidebar: filters bound to the URL, reset, and the empty selection."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

import streamlit as st

from ..data.dataset import DataSet
from ..data.query.filters import Query
from ..data.query.selection import prepared
from ..data.schema import load_schema
from .links import check_url, shown
from .navigation import keep_shared_params
from .state import NOTICES_KEY, URL_CHECKED_KEY

QP: Final = "query-params"  # Final: its type is the literal the widgets ask for
MIN_DATE, MAX_DATE = date(1000, 1, 1), date(9999, 12, 31)

FILTER_DEFAULTS: dict[str, object] = {
    "actors": [],
    "match": "any",
    "cat": [],
    "status": [],
    "from": None,
    "to": None,
    "q": "",
    "citations": True,
}
"""Each sidebar widget's key (= URL parameter) and its default value."""


def empty_state() -> None:
    """No events match the filters: an info box that says so and a button that resets them."""
    st.info("No events match these filters.", icon=":material/filter_alt_off:")
    st.button(
        "Reset filters", icon=":material/restart_alt:", key="reset_empty", on_click=reset_filters
    )


@dataclass(frozen=True)
class Filters:
    """The sidebar's choices: the query, and the same choices as URL parameters for links."""

    query: Query
    params: tuple[tuple[str, str], ...] = ()


def _params(values: Mapping[str, object], labels: Mapping[str, Callable[[str], str]]) -> list:
    """Filter values as (parameter, text) pairs, defaults left out."""
    out: list[tuple[str, str]] = []
    for key, default in FILTER_DEFAULTS.items():
        value = values[key]
        if value == default or value is None:
            continue
        if isinstance(value, list):
            out += [(key, labels.get(key, str)(v)) for v in value]
        elif isinstance(value, bool):
            out.append((key, str(value).lower()))
        elif isinstance(value, date):
            out.append((key, value.isoformat()))
        else:
            out.append((key, str(value)))
    return out


FILTERS_HELP = (
    "Actors, categories, statuses, dates, search words and citation-only events. "
    "The choices are kept in the page address: copy it to share this view."
)

_SUMMARY_NAMES = {
    "actors": "actors",
    "match": "events with",
    "cat": "categories",
    "status": "statuses",
    "from": "from",
    "to": "to",
    "q": "search",
    "citations": "citation-only events",
}


def summary(params: list[tuple[str, str]]) -> str:
    """The active filters in one line of Markdown, e.g. 'actors: Russia · from: 2024-01-01'."""
    if not params:
        return "No filter: every event is shown."
    grouped: dict[str, list[str]] = {}
    for key, value in params:
        grouped.setdefault(key, []).append(value)
    parts = []
    for key, values in grouped.items():
        if key == "citations":
            parts.append("citation-only events left out")
            continue
        words = ", ".join(shown(v) for v in values)
        parts.append(f"{_SUMMARY_NAMES.get(key, key)}: {words}")
    return "Filtered by " + " · ".join(parts)


def reset_filters() -> None:
    """Callback: every sidebar filter back to its default (and out of the URL)."""
    for key, default in FILTER_DEFAULTS.items():
        st.session_state[key] = list(default) if isinstance(default, list) else default


@functools.cache
def _status_enum() -> tuple[str, ...]:
    """The statuses the schema allows, in its order."""
    try:
        return load_schema().resource("events").field("status").enum
    except (StopIteration, OSError, ValueError):
        return ()


def _statuses(ds: DataSet) -> list[str]:
    """The statuses in the data, in the schema's order."""
    enum = list(_status_enum())
    present = list(prepared(ds).statuses)
    return [s for s in enum if s in present] + [s for s in present if s not in enum]


def _lost_params(labels: Mapping[str, Callable[[str], str]]) -> list[tuple[str, str]]:
    """The filters the session's widgets hold but the URL of this run lacks (a page switch)."""
    state, qp = st.session_state, st.query_params
    values = {
        key: state[key] if key in state and key not in qp else default
        for key, default in FILTER_DEFAULTS.items()
    }
    return _params(values, labels)


def sidebar(ds: DataSet, extra: Sequence[tuple[str, str]] = ()) -> Filters:
    """The shared filters, bound to the URL; call after ``st.navigation`` (see dashboard.py).

    ``extra``: other shared parameters the URL of this run lost (``data``), written back with
    the filters (:func:`~chronology.ui.navigation.keep_shared_params`).
    """
    names = ds.actor_names
    actor_ids = list(prepared(ds).actor_order)
    cat_names = dict(zip(ds.categories["id"], ds.categories["name"], strict=True))
    statuses = _statuses(ds)
    labels = {
        "actors": [names[a] for a in actor_ids],
        "cat": list(cat_names.values()),
        "status": statuses,
    }
    if not st.session_state.get(URL_CHECKED_KEY):
        st.session_state[URL_CHECKED_KEY] = True
        st.session_state[NOTICES_KEY] = check_url(ds, labels)
    else:
        st.session_state[NOTICES_KEY] = []  # shown once, on the run that read the link

    def actor_label(aid: str) -> str:
        return names.get(aid, aid)

    def cat_label(cid: str) -> str:
        return cat_names.get(cid, cid)

    keep_shared_params([*_lost_params({"actors": actor_label, "cat": cat_label}), *extra])

    # The filters sit in a popover: its content is only drawn when opened, so a page opens
    # without the front end loading and laying out six kinds of widget (CHANGELOG.md, 0.3.0,
    # "Page open"). The widgets still run on every run, so their values and URL bindings hold.
    sidebar_box = st.sidebar.container()
    with sidebar_box.popover(
        "Filters", icon=":material/filter_alt:", width="stretch", help=FILTERS_HELP
    ):
        actors = st.multiselect(
            "Actors",
            actor_ids,
            format_func=actor_label,
            key="actors",
            bind=QP,
            placeholder="All actors",
            help="Listed by family: each actor is followed by those inside it. "
            "A parent includes its children (United States includes US armed forces).",
        )
        match = st.radio(
            "Events with",
            ["any", "all"],
            format_func=lambda m: m,
            key="match",
            bind=QP,
            horizontal=True,
            help="any: at least one of the chosen actors; all: every one of them.",
        )
        cats = st.multiselect(
            "Categories",
            list(cat_names),
            format_func=cat_label,
            key="cat",
            bind=QP,
            placeholder="All categories",
        )
        status = st.multiselect(
            "Statuses", statuses, key="status", bind=QP, placeholder="All statuses"
        )
        left, right = st.columns(2)
        start = left.date_input(
            "From",
            value=None,
            min_value=MIN_DATE,
            max_value=MAX_DATE,
            key="from",
            bind=QP,
            format="YYYY-MM-DD",
        )
        end = right.date_input(
            "To",
            value=None,
            min_value=MIN_DATE,
            max_value=MAX_DATE,
            key="to",
            bind=QP,
            format="YYYY-MM-DD",
        )
        text = st.text_input(
            "Search", key="q", bind=QP, placeholder="words in titles, summaries, excerpts"
        )
        citations = st.toggle(
            "Include citation-only events",
            value=True,
            key="citations",
            bind=QP,
            help="Events known only from a cited public record, with no stored article quoting "
            "them. Drawn hollow on the timeline.",
        )
    swapped = bool(start and end and start > end)
    if swapped:
        start, end = end, start
    values = {
        "actors": list(actors),
        "match": match,
        "cat": list(cats),
        "status": list(status),
        "from": start,
        "to": end,
        "q": text,
        "citations": citations,
    }
    params = _params(values, {"actors": actor_label, "cat": cat_label})
    with sidebar_box:
        st.caption(summary(params))
        if swapped:
            st.warning(
                "*From* is after *To*: the dates were swapped.", icon=":material/swap_horiz:"
            )
        if params:
            st.button(
                "Reset filters",
                icon=":material/restart_alt:",
                key="reset",
                on_click=reset_filters,
                width="stretch",
            )
    query = Query(
        actors=tuple(actors),
        actor_match="all" if match == "all" else "any",
        categories=tuple(cats),
        statuses=tuple(status),
        citation_only=bool(citations),
        start=start,
        end=end,
        text=text or "",
    )
    return Filters(query, tuple(params))
