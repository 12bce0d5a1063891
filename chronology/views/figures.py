"""The Timeline chart: one mark per event and lane, built by pure functions of a data set and a
selection of its events (above :data:`MAX_MARKS`, the page draws counts instead:
:func:`~chronology.views.density.density_figure`, re-exported here).

No Streamlit here: each function takes DataFrames and returns a ``go.Figure``. Every string
drawn (hover text, lane names, legend entries, labels) is HTML-escaped first, since Plotly
renders a subset of HTML in them. The layout both charts share is in
:mod:`chronology.views.timeline_layout`.

Usage::

    fig = timeline_figure(ds, filter_events(ds, Query()), lanes="actor")
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..data.dataset import DataSet
from ..data.frames import among, lookup
from ..data.query.selection import event_mask, on_rows, prepared
from .density import density_figure
from .escape import esc_plotly, esc_plotly_series
from .palette import OTHER_COLOUR, actor_colours, category_colours
from .timeline_layout import (
    DAY,
    EVENT_ROWS_MAX,
    MARKS_AXIS,
    MARKS_LANES,
    NO_ACTOR,
    NO_CATEGORY,
    Lane,
    Window,
    base_layout,
    current_row,
    default_window,
    figure,
    marks_axis,
    milestones_of,
    rgba,
    time_window,
    with_overview,
    x_range,
)

__all__ = [
    "EVENT_ROWS_MAX",
    "MAX_MARKS",
    "Lane",
    "Window",
    "all_cited",
    "by_category",
    "counts_caption",
    "default_window",
    "density_figure",
    "families_drawn",
    "mark_count",
    "marks",
    "milestones_of",
    "selected_event_ids",
    "shorten",
    "time_window",
    "timeline_chart",
    "timeline_figure",
    "x_range",
]
# density_figure, default_window, time_window, x_range, milestones_of, Lane and Window are
# re-exported: the pages and the tests know them from here.


MAX_MARKS = 3000
"""Above this many marks the timeline is drawn as counts per lane and period instead."""


def _kinds(events: pd.DataFrame) -> pd.Series:
    """'period' (has an end date), 'span' (a single date known to the month or year), 'point'."""
    has_end = events["end_date"].ne("") & events["end"].gt(events["start"])
    coarse = events["precision"].ne("day")
    kind = pd.Series("point", index=events.index, dtype="str")
    kind[coarse & ~has_end] = "span"
    kind[has_end] = "period"
    return kind


def _first_phrases(ds: DataSet, chosen: np.ndarray) -> pd.Series:
    """Event id → the first dating phrase quoted for it (or ''), for the ``chosen`` events."""
    xs = ds.excerpts[on_rows(chosen, prepared(ds).excerpt_event)]
    xs = xs[xs["dating_phrase"].ne("")]
    return xs.drop_duplicates("event_id").set_index("event_id")["dating_phrase"]


def marks(
    ds: DataSet,
    events: pd.DataFrame,
    lanes: Lane = "actor",
    colours: dict[str, str] | None = None,
) -> pd.DataFrame:
    """One row per mark to draw: an event on one lane, with its colour, family and kind.

    By actor, an event appears on the lane of every actor taking part; by category (or in a
    row of its own, by event: the lane is its id), once, in the colour of its leading actor
    (the first with the role 'actor', else the first listed), or of its category when the data
    set names no actors (a TimelineJS sheet's groups). An event without a category is drawn in
    the lane :data:`NO_CATEGORY`.
    """
    if by_category(ds, lanes):
        colours = category_colours(ds)
    colours = colours if colours is not None else actor_colours(ds)
    prep = prepared(ds)
    root = prep.roots
    names = ds.actor_names
    links = ds.event_actors[on_rows(event_mask(ds, events), prep.link_event)]
    base = events.reset_index(drop=True)
    if lanes == "actor":
        rows = base.merge(links.rename(columns={"event_id": "id"}), on="id", how="left", sort=False)
        rows["actor_id"] = rows["actor_id"].fillna("")
        rows["lane"] = lookup(rows["actor_id"], names, NO_ACTOR)
    else:
        lead = links.assign(_lead=links["role"].ne("actor")).sort_values("_lead", kind="stable")
        lead = lead.drop_duplicates("event_id").set_index("event_id")["actor_id"]
        rows = base.copy()
        rows["actor_id"] = lookup(rows["id"], lead)
        category_names = dict(zip(ds.categories["id"], ds.categories["name"], strict=True))
        rows["lane"] = (
            rows["id"]
            if lanes == "event"
            else lookup(rows["category"], category_names).where(
                among(rows["category"], category_names), rows["category"]
            )
        )
        if lanes == "category":
            rows.loc[rows["category"].eq(""), "lane"] = NO_CATEGORY
    if by_category(ds, lanes):  # no actors: each category its colour
        rows["family"] = rows["category"].astype("str")
        rows["colour"] = lookup(rows["category"], colours, OTHER_COLOUR)
    else:
        rows["family"] = lookup(rows["actor_id"], root)
        rows["colour"] = lookup(rows["actor_id"], colours, OTHER_COLOUR)
    rows["kind"] = _kinds(rows)
    return rows


def by_category(ds: DataSet, lanes: Lane) -> bool:
    """Whether marks are coloured by category: lanes by category or a row per event, and no
    actors to colour by."""
    return lanes in ("category", "event") and ds.actors.empty


def all_cited(ds: DataSet) -> bool:
    """Whether every event of the data set is citation only (an import): then the marks are
    drawn solid, since hollow would tell nothing apart, and the page says so once."""
    return bool(len(ds.events)) and bool(ds.events["evidence"].eq("citation only").all())


def mark_count(ds: DataSet, events: pd.DataFrame, lanes: Lane = "actor") -> int:
    """How many marks :func:`timeline_figure` would draw (without building them)."""
    if lanes in ("category", "event"):
        return len(events)
    prep = prepared(ds)
    chosen = event_mask(ds, events)
    links = int(on_rows(chosen, prep.link_event).sum())
    return links + int((chosen & ~prep.has_actor).sum())


def timeline_chart(
    ds: DataSet,
    events: pd.DataFrame,
    lanes: Lane = "actor",
    colours: dict[str, str] | None = None,
    window: Window = "story",
    current: str | None = None,
) -> tuple[int, go.Figure]:
    """How many marks the events make, and the Timeline's figure: one mark per event and
    lane (:func:`timeline_figure`), or counts per lane and period above :data:`MAX_MARKS`
    (:func:`density_figure`). A row per event (``lanes="event"``) for at most
    :data:`EVENT_ROWS_MAX` events; more: a lane per actor (``layout.meta["lanes"]`` says which)."""
    if lanes == "event" and len(events) > EVENT_ROWS_MAX:
        lanes = "actor"
    marks = mark_count(ds, events, lanes)
    if marks > MAX_MARKS:
        return marks, density_figure(ds, events, lanes, window=window, current=current)
    return marks, timeline_figure(ds, events, lanes, colours, window=window, current=current)


def counts_caption(marks: int, fig: go.Figure) -> str:
    """What a counts chart (:func:`density_figure`) shows, and how to get single events."""
    cut = fig.layout.meta["lanes_cut"]
    busiest = f", in the {len(fig.data[0].y)} busiest lanes ({cut:,} more not drawn)" if cut else ""
    return (
        f"{marks:,} marks are too many to draw one by one: the chart counts the events starting "
        f"in each lane and period{busiest}. Narrow the filters to see single events."
    )


def _lane_order(ds: DataSet, rows: pd.DataFrame, lanes: Lane) -> list[str]:
    """Lanes top to bottom: actors grouped by parent, categories in their table order, or the
    events in date order."""
    if lanes == "event":
        return list(dict.fromkeys(rows["lane"]))
    present = set(rows["lane"].unique())
    if lanes == "actor":
        names = ds.actor_names
        order = [names[a] for a in prepared(ds).actor_order] + [NO_ACTOR]
    else:
        order = list(ds.categories["name"]) + sorted(present - set(ds.categories["name"]))
    return [lane for lane in order if lane in present]


EVIDENCE = {"excerpt": "backed by an excerpt", "citation only": "citation only (no excerpt)"}
"""How a mark's hover names its evidence (the same for every mark of a trace)."""


def _hover(ds: DataSet, events: pd.DataFrame, chosen: np.ndarray, third: pd.Series) -> np.ndarray:
    """Escaped hover text of each event: title, the date as the source gives it (and how
    precisely it is known), and ``third`` (its category, or its leading actor). A trace's
    template adds the lane and the evidence, which every mark of it shares (``_template``)."""
    phrases = lookup(events["id"], _first_phrases(ds, chosen))
    said = ("<br>as the source puts it: ‘" + esc_plotly_series(phrases) + "’").where(
        phrases.ne(""), ""
    )
    uncertain = pd.Series("", index=events.index, dtype="str")
    spans = _kinds(events).eq("span")
    uncertain[spans] = (
        "<br><i>date known only to the "
        + events.loc[spans, "precision"]
        + ": drawn over the whole "
        + events.loc[spans, "precision"]
        + "</i>"
    )
    text = (
        "<b>"
        + esc_plotly_series(events["title"])
        + "</b><br>"
        + esc_plotly_series(events["date_display"])
        + said
        + uncertain
        + "<br>"
        + esc_plotly_series(third)
    )
    return text.to_numpy(dtype=object)


def _template(evidence: str, lane: bool = True) -> str:
    """A marks trace's hover: the event's text, its lane (the actor, or the category; not the
    row of an event), the evidence."""
    return (
        "%{hovertext}<br>"
        + ("%{y}<br>" if lane else "")
        + EVIDENCE.get(evidence, EVIDENCE["citation only"])
        + "<extra></extra>"
    )


def timeline_figure(
    ds: DataSet,
    events: pd.DataFrame,
    lanes: Lane = "actor",
    colours: dict[str, str] | None = None,
    milestones: Sequence[tuple[str, str]] | None = None,
    window: Window = "story",
    current: str | None = None,
) -> go.Figure:
    """Events on one lane per actor (or category): points, periods as bars, and month- or
    year-precision dates as hatched bars over the whole month or year.

    Citation-only events are hollow (points) or light with an outline (bars). Each trace's
    ``customdata`` holds the event ids, so a selection names the events clicked; its ``meta``
    says which colour, kind and evidence it draws, and for which families (``family``: the
    one family of that colour, or "" for the grey of several). One trace per colour, kind and
    evidence, not per family: at most a few dozen, however many actors the events involve.
    The axis shows ``window`` (see :func:`time_window`), moved to the ``current`` event (an
    id), which a band marks. ``layout.meta["legend"]`` lists the colours, for the page's
    legend (:func:`families_drawn`); the chart draws no trace without data.
    """
    if by_category(ds, lanes):
        colours = category_colours(ds)
    colours = colours if colours is not None else actor_colours(ds)
    rows = marks(ds, events, lanes, colours)
    traces: list[dict] = []  # built as dicts and validated once, by the figure
    legend: list[dict] = []
    order = _lane_order(ds, rows, lanes) if len(rows) else []
    if len(rows):
        traces, legend = _mark_traces(ds, events, rows, lanes, colours)
        traces += _disputed_trace(rows)
    now = current_row(ds, current)
    titled = lanes == "event"
    layout = base_layout(
        ds,
        order,
        (rows["start"].min(), rows["end"].max() + DAY) if len(rows) else None,
        milestones_of(ds) if milestones is None else milestones,
        window=time_window(events, window, now),
        current=now,
        titled=titled,
    )
    if len(rows):
        layout["xaxis2"] = marks_axis()
        if titled:
            shown = tuple(pd.Timestamp(v) for v in layout["xaxis"]["range"])
            traces.append(_titles(rows, shown, current, solid=all_cited(ds)))
        traces.append(with_overview(layout, events["start"]))
    else:
        layout.setdefault("annotations", []).append(
            dict(
                text="No events match the filters",
                showarrow=False,
                xref="paper",
                yref="paper",
                x=0.5,
                y=0.5,
                font=dict(size=16),
            )
        )
    # No legend in the chart: the page draws it under the chart in HTML, which wraps at any
    # width, so the plot keeps its width on a phone (render.timeline_legend_html, from
    # meta["legend"]); legend entries as traces cost a trace each in every draw.
    layout["legend"] = dict(visible=False)
    layout["meta"] = {
        "lanes": lanes,
        "mode": "detail",
        "marks": len(rows),
        "legend": legend,
        "solid": all_cited(ds),  # every event citation only: drawn solid
    }
    return figure(traces, layout)


def _mark_traces(
    ds: DataSet, events: pd.DataFrame, rows: pd.DataFrame, lanes: Lane, colours: dict[str, str]
) -> tuple[list[dict], list[dict]]:
    """The marks, one trace per colour, kind and evidence; and the legend's entries, one per
    colour (its name, escaped: the family's, or "other actors" for the grey of several)."""
    names = ds.actor_names
    chosen = event_mask(ds, events)
    if lanes == "actor":  # the lane names the actor; the text names the category
        base = events.reset_index(drop=True)
        text = _hover(ds, base, chosen, _category_names(ds, base["category"]))
        hover = text[pd.Index(base["id"].to_numpy(dtype=object)).get_indexer(rows["id"])]
    elif lanes == "category":  # one mark per event: the lane names the category
        hover = _hover(ds, rows, chosen, lookup(rows["actor_id"], names, NO_ACTOR))
    else:  # a row per event: the text names its category and leading actor
        lead = lookup(rows["actor_id"], names, NO_ACTOR)
        hover = _hover(ds, rows, chosen, _category_names(ds, rows["category"]) + " · " + lead)
    present = set(rows["family"].unique())
    coloured = by_category(ds, lanes)
    if coloured:
        names = dict(zip(ds.categories["id"], ds.categories["name"], strict=True))
        names[""] = NO_CATEGORY
        families = [c for c in ds.categories["id"] if c in present]
    else:
        families = [a for a in prepared(ds).actor_order if a in present]
    if "" in present:
        families.append("")
    by_colour: dict[str, list[str]] = {}
    for family in families:
        by_colour.setdefault(colours.get(family, OTHER_COLOUR), []).append(family)
    if len(by_colour.get(OTHER_COLOUR, [])) > 1:  # "other actors": last in the legend
        by_colour[OTHER_COLOUR] = by_colour.pop(OTHER_COLOUR)

    # Columns as numpy arrays, sorted by trace once; each trace takes a slice.
    group = rows.groupby(["colour", "kind", "evidence"], sort=False).ngroup().to_numpy()
    at = np.argsort(group, kind="stable")
    starts = rows["start"].to_numpy("datetime64[ns]")[at]
    ends = rows["end"].to_numpy("datetime64[ns]")[at]
    columns = {
        "y": esc_plotly_series(rows["lane"]).to_numpy(dtype=object)[at],
        "id": rows["id"].to_numpy(dtype=object)[at],
        "hover": hover[at],
        "day": starts.astype("datetime64[D]").astype(str).astype(object),
        "ms": (ends + np.timedelta64(1, "D") - starts) / np.timedelta64(1, "ms"),
    }
    keys = rows[["colour", "kind", "evidence"]].to_numpy(dtype=object)[at]
    solid = all_cited(ds)
    bounds = np.flatnonzero(np.diff(group[at])) + 1
    traces = [
        _trace(
            {k: v[lo:hi] for k, v in columns.items()},
            by_colour.get(key[0], [""]),
            key[0],
            key[1],
            key[2],
            solid=solid,
            lane=lanes != "event",
        )
        for lo, hi in zip(np.r_[0, bounds].tolist(), np.r_[bounds, len(rows)].tolist(), strict=True)
        for key in [keys[lo]]
    ]
    legend = [
        {
            "name": esc_plotly(
                names.get(members[0], NO_ACTOR)
                if len(members) == 1
                else ("other categories" if coloured else "other actors")
            ),
            "colour": colour,
            "family": members[0] if len(members) == 1 else "",
            "families": members,
        }
        for colour, members in by_colour.items()
    ]
    return traces, legend


DISPUTED_MARK = "?"
"""Drawn above the mark of an event whose date or end date a source gives otherwise."""


def _disputed_trace(rows: pd.DataFrame) -> list[dict]:
    """A '?' above each mark whose date (or end date) is disputed: one trace, or none."""
    if "disputed" not in rows:
        return []
    fields = rows["disputed"].str.split(";")
    on = fields.map(lambda f: "date" in f or "end_date" in f).to_numpy(dtype=bool)
    if not on.any():
        return []
    chosen = rows[on]
    return [
        dict(
            type="scatter",
            xaxis=MARKS_AXIS,
            yaxis=MARKS_LANES,
            x=chosen["start"].dt.strftime("%Y-%m-%d").to_numpy(dtype=object),
            y=esc_plotly_series(chosen["lane"]).to_numpy(dtype=object),
            customdata=chosen["id"].to_numpy(dtype=object),
            mode="text",
            text=[DISPUTED_MARK] * len(chosen),
            textposition="top right",
            cliponaxis=False,  # a mark at the window's edge keeps its '?'
            textfont=dict(size=18, color="#D55E00", family="sans-serif", weight="bold"),
            hovertext=("Disputed: " + esc_plotly_series(chosen["title"])).to_numpy(dtype=object),
            hovertemplate="%{hovertext}<br>A source gives another date: see the details"
            "<extra></extra>",
            name="disputed date",
            meta={"role": "disputed", "events": chosen["id"].tolist()},
        )
    ]


TITLE_PLOT_PX = 330
"""The titles beside the marks are shortened to fit a plot this wide: a phone's (390 px)."""
TITLE_CHAR_PX = 6.0  # the widest a character of a title is drawn, on average (11 px font)
TITLE_MIN_CHARS = 16
TITLE_PAD_PX = 14  # between a mark and its title: an invisible marker this wide holds it off
TITLE_OVER_SHARE = 0.4  # less room than this share of the plot on either side: over the bar


def shorten(text: str, chars: int) -> str:
    """``text`` in at most ``chars`` characters: cut at a word, ending in "…"."""
    if len(text) <= chars:
        return text
    cut = text[: max(chars - 1, 1)]
    at = cut.rfind(" ")
    if text[len(cut)] != " " and at >= chars // 2:  # not within a word
        cut = cut[:at]
    return cut.rstrip(" ,;:—–-") + "…"


def _titles(
    rows: pd.DataFrame,
    shown: tuple[pd.Timestamp, pd.Timestamp],
    current: str | None,
    solid: bool = False,
) -> dict:
    """The events' titles on the chart, a row per event: each beside its mark, on the side
    with more room in the range ``shown`` (written from the mark outwards, so no title crosses
    its own mark), shortened to fit that room on a phone's plot (:data:`TITLE_PLOT_PX`); the
    current event's in bold. A long period with little room on either side has its title over
    its bar: white with a halo of the bar's colour where the bar is solid (``solid``: every
    event citation only, all drawn solid), so it reads on the bar and past its end. A tap on a
    title picks its event (``customdata``, like the marks)."""
    lo, hi = shown
    width = (hi - lo).value
    start = rows["start"].clip(lo, hi)
    end = (rows["end"] + DAY).where(rows["kind"].ne("point"), rows["start"]).clip(lo, hi)
    left = ((start - lo).to_numpy("timedelta64[ns]").astype("int64")) / width
    right = ((hi - end).to_numpy("timedelta64[ns]").astype("int64")) / width
    rightwards = right >= left
    share = np.where(rightwards, right, left)
    over = share < TITLE_OVER_SHARE  # a long period, little room on either side: over it
    rightwards |= over
    x = np.where(rightwards, end, start)
    x[over] = start[over]
    share[over] = 1 - left[over]
    room = share * TITLE_PLOT_PX - TITLE_PAD_PX / 2
    chars = np.maximum((room / TITLE_CHAR_PX).astype(int), TITLE_MIN_CHARS)
    # an event wholly outside the range: its title at the edge, with an arrow to it
    before = ((rows["end"] + DAY) <= lo).to_numpy()
    after = (rows["start"] >= hi).to_numpy()
    arrows = np.where(before, "← ", "").astype(object), np.where(after, " →", "").astype(object)
    on_bar = over & rows["kind"].eq("period").to_numpy()
    if not solid:
        on_bar &= rows["evidence"].ne("citation only").to_numpy()
    wraps = np.where(on_bar, rows["colour"].map(_on_bar), "{}").astype(object)
    text = [
        wrap.format(
            ("<b>{}</b>" if eid == current else "{}").format(
                a + esc_plotly(shorten(title, n - 2)) + b
                if a or b
                else esc_plotly(shorten(title, n))
            )
        )
        for eid, title, n, a, b, wrap in zip(
            rows["id"], rows["title"], chars.tolist(), *arrows, wraps, strict=True
        )
    ]
    return dict(
        type="scatter",
        xaxis=MARKS_AXIS,
        yaxis=MARKS_LANES,
        x=x.astype("datetime64[s]").astype(str).astype(object),
        y=esc_plotly_series(rows["lane"]).to_numpy(dtype=object),
        mode="markers+text",
        text=text,
        textposition=np.where(rightwards, "middle right", "middle left").astype(object),
        textfont=dict(size=11),
        marker=dict(size=TITLE_PAD_PX, opacity=0),
        customdata=rows["id"].to_numpy(dtype=object),
        hoverinfo="none",  # no hover box, but a click (a tap) selects the event
        showlegend=False,
        cliponaxis=True,
        name="titles",
        meta={"role": "titles"},
    )


def _on_bar(colour: str) -> str:
    """A title written over a solid bar of ``colour``: white, with a halo of that colour."""
    halo = f"0 0 2px {colour},0 0 3px {colour},0 0 4px {colour}"
    return f'<span style="color:#ffffff;text-shadow:{halo}">{{}}</span>'


def _category_names(ds: DataSet, categories: pd.Series) -> pd.Series:
    """Category ids → their names (an id the table does not have stays as it is)."""
    names = dict(zip(ds.categories["id"], ds.categories["name"], strict=True))
    return lookup(categories, names).where(among(categories, names), categories)


def _trace(
    cols: dict[str, np.ndarray],
    families: list[str],
    colour: str,
    kind: str,
    evidence: str,
    solid: bool = False,
    lane: bool = True,
) -> dict:
    """One trace (as a dict) of the marks of one colour (one family, or the grey of several),
    kind and evidence, on the marks' axis (:data:`MARKS_AXIS`). ``cols``: its slice of the
    columns, as numpy arrays, which Plotly takes without converting. ``solid``: citation-only
    marks drawn as the others (every event of the data set is citation only). ``lane``: the
    hover names the lane (not with a row per event)."""
    cited = evidence == "citation only" and not solid
    common = dict(
        xaxis=MARKS_AXIS,
        yaxis=MARKS_LANES,
        y=cols["y"],
        customdata=cols["id"],
        hovertext=cols["hover"],
        hovertemplate=_template(evidence, lane),
        name=f"{kind} ({evidence})",
        meta={
            "role": "marks",
            "family": families[0] if len(families) == 1 else "",
            "families": families,
            "colour": colour,
            "kind": kind,
            "evidence": evidence,
        },
    )
    if kind == "point":
        return dict(
            type="scatter",
            x=cols["day"],
            mode="markers",
            marker=dict(
                symbol="circle-open" if cited else "circle",
                color=colour,
                size=12,
                line=dict(width=2, color=colour if cited else "rgba(255,255,255,0.7)"),
            ),
            **common,
        )
    span = kind == "span"
    marker: dict = dict(
        color=rgba(colour, 0.25) if cited else colour,
        line=dict(color=colour, width=1.5),
    )
    if span:
        marker["pattern"] = dict(shape="/", fgcolor=colour, solidity=0.35 if cited else 0.6)
        marker["color"] = rgba(colour, 0.12 if cited else 0.3)
    return dict(
        type="bar",
        x=cols["ms"],
        base=cols["day"],
        orientation="h",
        width=0.4 if span else 0.6,
        marker=marker,
        **common,
    )


def families_drawn(fig: go.Figure) -> list[tuple[str, str]]:
    """The legend of a timeline: (name, colour) of each top-level actor it colours (or of
    'other actors', sharing a grey), in the legend's order."""
    meta = fig.layout.meta or {}
    return [(html.unescape(entry["name"]), entry["colour"]) for entry in meta.get("legend", [])]


def selected_event_ids(state: Mapping[str, Any] | None) -> list[str]:
    """Event ids of the points in a chart selection (``st.plotly_chart``'s on_select state)."""
    points = state["selection"]["points"] if state else []
    ids = []
    for point in points:
        data = point.get("customdata")
        data = data[0] if isinstance(data, list) and data else data
        if isinstance(data, str):
            ids.append(data)
    return ids
