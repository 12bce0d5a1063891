"""Plotly figures built by pure functions of a data set and a selection of its events.

No Streamlit here: each function takes DataFrames and returns a ``go.Figure``. Every string
drawn (hover text, lane names, legend entries, labels) is HTML-escaped first, since Plotly
renders a subset of HTML in them.

Usage::

    fig = timeline_figure(ds, filter_events(ds, Query()), lanes="actor")
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..data.dataset import DataSet
from ..data.frames import among, lookup
from ..data.selection import event_mask, on_rows, prepared
from .palette import OTHER_COLOUR, actor_colours

__all__ = [
    "MAX_MARKS",
    "Lane",
    "Window",
    "default_window",
    "density_figure",
    "families_drawn",
    "mark_count",
    "marks",
    "milestones_of",
    "selected_event_ids",
    "time_window",
    "timeline_figure",
    "x_range",
]


def esc(text: object) -> str:
    """Text for Plotly's HTML-like labels: <, > and & escaped, so no tag or link can form.

    Not quotes: Plotly decodes &lt; &gt; &amp; but shows &quot; and &#x27; as typed.
    """
    return html.escape("" if text is None else str(text), quote=False)


def esc_series(values: pd.Series) -> pd.Series:
    """:func:`esc`, vectorised over a column of strings."""
    text = values.fillna("").astype("str")
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        text = text.str.replace(char, entity, regex=False)
    return text


Lane = Literal["actor", "category"]

MAX_MARKS = 3000
"""Above this many marks the timeline is drawn as counts per lane and period instead."""


def milestones_of(ds: DataSet) -> list[tuple[str, str]]:
    """Key events (id, short label): those with a ``milestone`` label in events.csv.

    They are marked on the time axis when they fall in the range shown; hovering a label gives
    the event's title and date.
    """
    ev = ds.events
    marked = ev[ev["milestone"] != ""]
    return list(zip(marked["id"], marked["milestone"], strict=True))


PAD_SHARE = 0.02
MIN_PAD = pd.Timedelta(days=31)
"""The time range shown pads the window by this share of its span on each side, at least this."""
STORY_SHARE = 0.8
"""The default window is the shortest that holds at least this share of the events..."""
STORY_REACH = 0.25
"""...widened to the events that lie within this share of its width beyond either end..."""
STORY_MAX = 0.6
"""...and used only when it is at most this share of the whole span (else: all of it)."""
STORY_MIN_EVENTS = 8  # fewer events than this: the whole span

Window = Literal["story", "all"] | tuple[pd.Timestamp, pd.Timestamp]
"""The time range to show: the default window, the whole span, or (first, last) days."""

LANE_PX = 28  # height of a lane
PLOT_MIN_PX = 220
AXIS_PX = 30  # the date ticks under the plot
SLIDER_PX = 44  # the range slider, for up to 60 lanes
LABEL_FIRST_PX, LABEL_ROW_PX = 12, 19  # milestone labels: the first row's height, the next
LABEL_CHAR_PX = 6.2  # to guess when two labels would overlap...
NOMINAL_PLOT_PX = 240  # ...on the narrowest plot area: a phone's (390 px wide screen)
LANE_LINE_CHARS = 18  # a lane's name on the axis: two lines of at most this many characters
MILESTONE_COLOUR = "rgba(128,128,128,0.9)"
CURRENT_COLOUR = "rgba(230,159,0,0.35)"  # the band behind the current event
CURRENT_WIDE = "rgba(230,159,0,0.1)"  # ... when it is a long period
CURRENT_LINE = "rgba(213,94,0,0.9)"

NO_ACTOR = "(no actor)"
_DAY = pd.Timedelta(days=1)


def rgba(colour: str, alpha: float) -> str:
    """'#0072B2' → 'rgba(0,114,178,alpha)'."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


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

    By actor, an event appears on the lane of every actor taking part; by category, once, in
    the colour of its leading actor (the first with the role 'actor', else the first listed).
    """
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
        rows["lane"] = lookup(rows["category"], category_names).where(
            among(rows["category"], category_names), rows["category"]
        )
    rows["family"] = lookup(rows["actor_id"], root)
    rows["colour"] = lookup(rows["actor_id"], colours, OTHER_COLOUR)
    rows["kind"] = _kinds(rows)
    return rows


def mark_count(ds: DataSet, events: pd.DataFrame, lanes: Lane = "actor") -> int:
    """How many marks :func:`timeline_figure` would draw (without building them)."""
    if lanes == "category":
        return len(events)
    prep = prepared(ds)
    chosen = event_mask(ds, events)
    links = int(on_rows(chosen, prep.link_event).sum())
    return links + int((chosen & ~prep.has_actor).sum())


def _lane_order(ds: DataSet, rows: pd.DataFrame, lanes: Lane) -> list[str]:
    """Lanes top to bottom: actors grouped by parent, or categories in their table order."""
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
    said = ("<br>as the source puts it: ‘" + esc_series(phrases) + "’").where(phrases.ne(""), "")
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
        + esc_series(events["title"])
        + "</b><br>"
        + esc_series(events["date_display"])
        + said
        + uncertain
        + "<br>"
        + esc_series(third)
    )
    return text.to_numpy(dtype=object)


def _template(evidence: str) -> str:
    """A marks trace's hover: the event's text, its lane (the actor, or the category), the
    evidence."""
    return (
        "%{hovertext}<br>%{y}<br>"
        + EVIDENCE.get(evidence, EVIDENCE["citation only"])
        + "<extra></extra>"
    )


def x_range(first: pd.Timestamp, last: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The time axis's initial range: ``first`` to ``last``, padded by 2% of the span on each
    side (at least :data:`MIN_PAD`)."""
    pad = max((last - first) * PAD_SHARE, MIN_PAD)
    return first - pad, last + pad


def _extent(events: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and the day after the last day of the events."""
    return events["start"].min(), events["end"].max() + _DAY


def default_window(events: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """Where the events are: the first view of the timeline (None for no events).

    The shortest window holding :data:`STORY_SHARE` of the event starts, widened to the
    events starting within :data:`STORY_REACH` of its width beyond either end (the end of a
    story is rarely an outlier) and to the ends of the events it holds, up to that reach. When
    that is more than :data:`STORY_MAX` of the whole span, or the events are few: the whole span.
    """
    if events.empty:
        return None
    whole = _extent(events)
    starts = np.sort(events["start"].to_numpy("datetime64[ns]").astype("int64"))
    n = len(starts)
    if n < STORY_MIN_EVENTS:
        return whole
    k = math.ceil(STORY_SHARE * n)
    widths = starts[k - 1 :] - starts[: n - k + 1]
    i = int(np.argmin(widths))
    lo, hi = int(starts[i]), int(starts[i + k - 1])
    reach = max(hi - lo, MIN_PAD.value) * STORY_REACH
    # widened over every gap between neighbours no longer than the reach
    wide = np.flatnonzero(np.diff(starts) > reach)  # gap g lies between g and g + 1
    j = i + k - 1
    before, after = wide[wide < i], wide[wide >= j]
    lo = int(starts[before[-1] + 1 if len(before) else 0])
    hi = int(starts[after[0] if len(after) else n - 1])
    held = events["start"].between(pd.Timestamp(lo), pd.Timestamp(hi))
    ends = events.loc[held, "end"].to_numpy("datetime64[ns]").astype("int64") + _DAY.value
    hi = max(hi + _DAY.value, int(ends[ends <= hi + reach].max(initial=hi)))
    window = pd.Timestamp(lo), pd.Timestamp(hi)
    if window[1] - window[0] > STORY_MAX * (whole[1] - whole[0]):
        return whole
    return window


def time_window(
    events: pd.DataFrame, window: Window = "story", current: pd.Series | None = None
) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The days to show (before padding): the default window, all of it, or the given range;
    moved, keeping its width, to centre the ``current`` event (a row of ds.events) if it lies
    outside, as far as the events reach; widened to all of it if it is longer."""
    if events.empty:
        return None
    whole = _extent(events)
    if window == "all":
        shown = whole
    elif window == "story":
        shown = default_window(events) or whole
    else:
        shown = (pd.Timestamp(window[0]), pd.Timestamp(window[1]))
    if current is None:
        return shown
    start, end = current["start"], current["end"] + _DAY
    lo, hi = shown
    if start >= lo and end <= hi:
        return shown
    width = hi - lo
    if end - start >= width:  # longer than the window: all of it
        return start, end
    lo = start + (end - start) / 2 - width / 2  # centred on it, within the events' span
    lo = max(min(lo, max(whole[1], end) - width), min(whole[0], start))
    return lo, lo + width


def _label_rows(labels: list[tuple[float, float, float]]) -> list[int]:
    """A row for each label (leader, left, right: shares of the axis), the lowest where its
    text overlaps no other label in that row, crosses no leader rising to a higher row, and
    its own leader crosses no label in a lower row. Labels nearest the middle go first."""
    placed: list[tuple[int, float, float, float]] = []  # row, leader, left, right
    rows = [0] * len(labels)
    gap = 0.01
    for i in sorted(range(len(labels)), key=lambda i: abs(labels[i][0] - 0.5)):
        at, left, right = labels[i]

        def fits(row: int, at: float = at, left: float = left, right: float = right) -> bool:
            for r, a, lo, hi in placed:
                if r == row and not (right + gap < lo or left - gap > hi):
                    return False
                if r > row and left - gap <= a <= right + gap:
                    return False
                if r < row and lo - gap <= at <= hi + gap:
                    return False
            return True

        top = max((r for r, *_ in placed), default=-1) + 1
        rows[i] = next((r for r in range(top + 1) if fits(r)), top)
        placed.append((rows[i], at, left, right))
    return rows


def _milestone_layout(
    ds: DataSet,
    milestones: Sequence[tuple[str, str]],
    shown: tuple[pd.Timestamp, pd.Timestamp],
    extent: tuple[pd.Timestamp, pd.Timestamp] | None = None,
) -> tuple[list[dict], list[dict], int]:
    """Shapes (a line on a day, a band over a month or year), labels and the number of label
    rows for the milestones within ``extent`` (default: the ``shown`` range); those outside it
    are left out.

    Each label hangs on a short leader above its milestone, written towards the middle of the
    ``shown`` range, in the lowest row where it overlaps no other label shown there, even on a
    phone's narrow plot (:data:`NOMINAL_PLOT_PX`); hovering it gives the event's title and date.
    """
    shapes: list[dict] = []
    notes: list[dict] = []
    extents: list[tuple[float, float, float]] = []
    placed: list[int] = []  # the notes laid out in rows: those in the shown range
    lo, hi = shown
    first, last = extent or shown
    by_id = ds.events.set_index("id")
    present = sorted(
        (m for m in milestones if m[0] in by_id.index), key=lambda m: by_id.loc[m[0], "start"]
    )
    for eid, label in present:
        ev = by_id.loc[eid]
        start = ev["start"]
        day = ev["precision"] == "day"
        end = start if day else ev["end"] + _DAY
        if end < first or start > last:
            continue
        common = dict(xref="x", yref="paper", x0=start, x1=end, y0=0, y1=1, name=f"milestone:{eid}")
        if day:
            line = dict(color=MILESTONE_COLOUR, width=1.5, dash="dot")
            shapes.append(dict(type="line", line=line, layer="below", **common))
        else:
            fill = "rgba(128,128,128,0.18)"
            shapes.append(
                dict(type="rect", fillcolor=fill, line=dict(width=0), layer="below", **common)
            )
        inside = not (end < lo or start > hi)
        middle = max(start, lo) + (min(end, hi) - max(start, lo)) / 2 if inside else start
        at = (middle - lo) / (hi - lo)
        width = (LABEL_CHAR_PX * len(label) + 8) / NOMINAL_PLOT_PX
        leftwards = at > 0.5  # written towards the middle, so it stays over the plot
        if inside:
            placed.append(len(notes))
            extents.append((at, at - width, at) if leftwards else (at, at, at + width))
        notes.append(
            dict(
                x=middle,
                xref="x",
                y=1,
                yref="paper",
                showarrow=True,
                arrowhead=0,
                arrowwidth=1,
                arrowcolor=MILESTONE_COLOUR,
                ax=0,
                ay=-LABEL_FIRST_PX,
                axref="pixel",
                ayref="pixel",
                xanchor="right" if leftwards else "left",
                yanchor="middle",
                text=esc(label),
                hovertext=f"<b>{esc(ev['title'])}</b><br>{esc(ev['date_display'])}",
                font=dict(size=11),
                name=f"milestone:{eid}",
            )
        )
    rows = _label_rows(extents)
    for i, row in zip(placed, rows, strict=True):
        notes[i]["ay"] -= LABEL_ROW_PX * row
    return shapes, notes, max(rows, default=-1) + 1


def _current_row(ds: DataSet, current: str | None) -> pd.Series | None:
    """The current event's row of ds.events (None: no such event)."""
    if current is None:
        return None
    found = ds.events.index[ds.events["id"] == current]
    return ds.events.loc[found[0]] if len(found) else None


def _current_shape(current: pd.Series, shown: tuple[pd.Timestamp, pd.Timestamp]) -> dict:
    """A band behind the current event (of step-through), over all lanes: lighter when it
    fills much of the range ``shown``."""
    start = current["start"]
    end = current["end"] + _DAY
    wide = end - start > (shown[1] - shown[0]) / 4
    return dict(
        type="rect",
        xref="x",
        yref="paper",
        x0=start,
        x1=end,
        y0=0,
        y1=1,
        fillcolor=CURRENT_WIDE if wide else CURRENT_COLOUR,
        line=dict(color=CURRENT_LINE, width=1.5),
        layer="below",
        name=f"current:{current['id']}",
    )


def _lane_name(lane: str) -> str:
    """A lane's name for the axis: a long one on two lines, split at the space nearest its
    middle, each line cut at :data:`LANE_LINE_CHARS` (the plot keeps its width on a phone)."""

    def cut(text: str) -> str:
        return text if len(text) <= LANE_LINE_CHARS else text[: LANE_LINE_CHARS - 1] + "…"

    if len(lane) <= LANE_LINE_CHARS:
        return esc(lane)
    spaces = [i for i, c in enumerate(lane) if c == " "]
    if not spaces:
        return esc(cut(lane))
    at = min(spaces, key=lambda i: abs(i - len(lane) / 2))
    return esc(cut(lane[:at])) + "<br>" + esc(cut(lane[at + 1 :]))


def _lane_ticks(lanes_order: list[str]) -> dict:
    """The lanes' names on the axis (see :func:`_lane_name`)."""
    return dict(
        tickmode="array",
        tickvals=[esc(lane) for lane in lanes_order],
        ticktext=[_lane_name(lane) for lane in lanes_order],
        tickfont=dict(size=11),
    )


def _base_layout(
    ds: DataSet,
    lanes_order: list[str],
    extent: tuple[pd.Timestamp, pd.Timestamp] | None,
    milestones: Sequence[tuple[str, str]],
    window: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    current: pd.Series | None = None,
) -> dict:
    """The shared layout, as a dict for the figure's constructor: lanes, a date axis showing
    ``window`` (default: all of ``extent``, the data's first and last day) with a range slider
    over the whole extent, the milestones, the current event's band, and a height that grows
    with the lanes (and the legend, which sits under the chart, across, so the plot keeps the
    width on a phone)."""
    if extent is None:  # nothing drawn: the whole data set's span
        extent = (ds.events["start"].min(), ds.events["end"].max() + _DAY)
    lo, hi = x_range(*extent)
    shown = x_range(*window) if window is not None else (lo, hi)
    shapes, notes, label_rows = _milestone_layout(ds, milestones, shown, (lo, hi))
    if current is not None:
        shapes.append(_current_shape(current, shown))
    top = LABEL_FIRST_PX + LABEL_ROW_PX * label_rows + 12 if label_rows else 16
    plot = max(LANE_PX * len(lanes_order), PLOT_MIN_PX)
    slider = SLIDER_PX + SLIDER_PX * len(lanes_order) // 60  # a little taller for many lanes
    height = top + plot + AXIS_PX + slider + 10
    return dict(
        height=height,
        margin=dict(l=10, r=10, t=top, b=10),
        hovermode="closest",
        hoverlabel=dict(align="left"),
        barmode="overlay",
        shapes=shapes,
        annotations=notes,
        xaxis=dict(
            type="date",
            range=list(shown),
            autorange=False,
            # a double click autoranges: to the whole extent, whatever the milestones
            # (not minallowed/maxallowed: plotly.js 3 takes those as axis units, not dates)
            autorangeoptions=dict(include=[lo, hi], clipmin=lo, clipmax=hi),
            rangeslider=dict(
                visible=True,
                range=[lo, hi],
                autorange=False,
                thickness=slider / (height - top - 10),
            ),
        ),
        yaxis=dict(
            type="category",
            categoryorder="array",
            categoryarray=[esc(lane) for lane in lanes_order],
            autorange="reversed",
            automargin=True,
            **_lane_ticks(lanes_order),
        ),
    )


MARKS_AXIS = "x2"
"""The single marks are drawn against a hidden x axis that follows the visible one (``matches``):
the range slider redraws every trace of its own axis, which doubled the chart's drawing time;
this way it shows the range without the marks, and zooming and panning work as before."""


def _marks_axis() -> dict:
    """The hidden date axis the marks use: the visible one's range, always."""
    return dict(type="date", matches="x", overlaying="x", visible=False)


_KEY = (
    ("point", "excerpt", "day known, excerpt-backed"),
    ("point", "citation only", "hollow: citation only"),
    ("period", "excerpt", "period (start to end)"),
    ("span", "excerpt", "hatched: known only to the month or year"),
    ("period", "citation only", "light bar: citation only"),
)


def _legend_layout(title: str) -> dict:
    """The legend, kept in the figure (clicking an actor hides its family) but not shown: the
    page draws it under the chart in HTML, which wraps at any width, so the plot keeps its
    width on a phone (:func:`chronology.views.render.timeline_legend_html`)."""
    return dict(
        title=dict(text=title + ":", side="left"),
        orientation="h",
        groupclick="togglegroup",
        visible=False,
    )


def _key_traces() -> list[dict]:
    """Legend entries explaining the marks (no data)."""
    symbols = {
        ("point", "excerpt"): ("circle", "#777777"),
        ("point", "citation only"): ("circle-open", "#777777"),
        ("period", "excerpt"): ("square", "#777777"),
        ("span", "excerpt"): ("square-x-open", "#777777"),
        ("period", "citation only"): ("square-open", "#777777"),
    }
    out = []
    for kind, evidence, label in _KEY:
        symbol, colour = symbols[(kind, evidence)]
        out.append(
            dict(
                type="scatter",
                x=[None],
                y=[None],
                mode="markers",
                name=label,
                legendgroup=f"key:{kind}:{evidence}",
                legendrank=2000,  # after the actors
                hoverinfo="skip",
                marker=dict(symbol=symbol, color=colour, size=11, line=dict(width=2)),
                meta={"role": "key", "kind": kind, "evidence": evidence},
            )
        )
    return out


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
    id), which a band marks.
    """
    colours = colours if colours is not None else actor_colours(ds)
    rows = marks(ds, events, lanes, colours)
    traces: list[dict] = []  # built as dicts and validated once, by the figure
    order = _lane_order(ds, rows, lanes) if len(rows) else []
    if len(rows):
        traces += _mark_traces(ds, events, rows, lanes, colours)
    now = _current_row(ds, current)
    layout = _base_layout(
        ds,
        order,
        (rows["start"].min(), rows["end"].max() + _DAY) if len(rows) else None,
        milestones_of(ds) if milestones is None else milestones,
        window=time_window(events, window, now),
        current=now,
    )
    if len(rows):
        layout["xaxis2"] = _marks_axis()
    else:
        layout["annotations"].append(
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
    layout["legend"] = _legend_layout(
        "Actor (colour)" if lanes == "actor" else "Leading actor (colour)"
    )
    layout["meta"] = {"lanes": lanes, "mode": "detail", "marks": len(rows)}
    return go.Figure(data=traces, layout=layout)


def _mark_traces(
    ds: DataSet, events: pd.DataFrame, rows: pd.DataFrame, lanes: Lane, colours: dict[str, str]
) -> list[dict]:
    """The marks, one trace per colour, kind and evidence, then the legend's entries (one per
    colour) and the key explaining the marks."""
    names = ds.actor_names
    chosen = event_mask(ds, events)
    if lanes == "actor":  # the lane names the actor; the text names the category
        base = events.reset_index(drop=True)
        text = _hover(ds, base, chosen, _category_names(ds, base["category"]))
        hover = text[pd.Index(base["id"].to_numpy(dtype=object)).get_indexer(rows["id"])]
    else:  # one mark per event: the lane names the category; the text the leading actor
        hover = _hover(ds, rows, chosen, lookup(rows["actor_id"], names, NO_ACTOR))
    present = set(rows["family"].unique())
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
        "y": esc_series(rows["lane"]).to_numpy(dtype=object)[at],
        "id": rows["id"].to_numpy(dtype=object)[at],
        "hover": hover[at],
        "day": starts.astype("datetime64[D]").astype(str).astype(object),
        "ms": (ends + np.timedelta64(1, "D") - starts) / np.timedelta64(1, "ms"),
    }
    keys = rows[["colour", "kind", "evidence"]].to_numpy(dtype=object)[at]
    bounds = np.flatnonzero(np.diff(group[at])) + 1
    traces = [
        _trace({k: v[lo:hi] for k, v in columns.items()}, by_colour.get(key[0], [""]), *key)
        for lo, hi in zip(np.r_[0, bounds].tolist(), np.r_[bounds, len(rows)].tolist(), strict=True)
        for key in [keys[lo]]
    ]
    for colour, members in by_colour.items():
        name = names.get(members[0], NO_ACTOR) if len(members) == 1 else "other actors"
        traces.append(
            dict(
                type="scatter",
                x=[None],
                y=[None],
                mode="markers",
                legendgroup=f"colour:{colour}",
                name=esc(name),
                hoverinfo="skip",
                marker=dict(symbol="circle", color=colour, size=11),
                meta={
                    "role": "legend",
                    "family": members[0] if len(members) == 1 else "",
                    "families": members,
                },
            )
        )
    return traces + _key_traces()


def _category_names(ds: DataSet, categories: pd.Series) -> pd.Series:
    """Category ids → their names (an id the table does not have stays as it is)."""
    names = dict(zip(ds.categories["id"], ds.categories["name"], strict=True))
    return lookup(categories, names).where(among(categories, names), categories)


def _trace(
    cols: dict[str, np.ndarray], families: list[str], colour: str, kind: str, evidence: str
) -> dict:
    """One trace (as a dict) of the marks of one colour (one family, or the grey of several),
    kind and evidence, on the marks' axis (:data:`MARKS_AXIS`). ``cols``: its slice of the
    columns, as numpy arrays, which Plotly takes without converting."""
    cited = evidence == "citation only"
    common = dict(
        xaxis=MARKS_AXIS,
        y=cols["y"],
        customdata=cols["id"],
        hovertext=cols["hover"],
        hovertemplate=_template(evidence),
        legendgroup=f"colour:{colour}",
        showlegend=False,
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


def _bin_array(starts: np.ndarray, months_up_to: int = 15) -> tuple[str, np.ndarray]:
    """Bin start dates (datetime64) by month, or by year when they span over ``months_up_to``
    years: the first day of each bin."""
    if len(starts):
        days = (starts.max() - starts.min()) / np.timedelta64(1, "D")
        if days > months_up_to * 366:
            return "year", starts.astype("datetime64[Y]")
    return "month", starts.astype("datetime64[M]")


def density_figure(
    ds: DataSet,
    events: pd.DataFrame,
    lanes: Lane = "actor",
    milestones: Sequence[tuple[str, str]] | None = None,
    max_lanes: int = 40,
    window: Window = "story",
    current: str | None = None,
) -> go.Figure:
    """For very many events: how many start per lane and month (or year), as a heatmap.

    At most ``max_lanes`` lanes, the busiest; ``meta["lanes_cut"]`` counts those left out.
    ``window`` and ``current`` as for :func:`timeline_figure`.
    """
    prep = prepared(ds)
    chosen = event_mask(ds, events)
    starts = ds.events["start"].to_numpy()
    if lanes == "actor":
        on = on_rows(chosen, prep.link_event)
        actor = prep.link_actor[on]
        # lane codes: the place in actor_order; an unknown actor after all of them
        codes = np.where(actor >= 0, prep.actor_rank[actor], len(prep.actor_order))
        start = starts[prep.link_event[on]]
        names = ds.actor_names
        lane_names = [names[a] for a in prep.actor_order] + [NO_ACTOR]
    else:
        cat_ids = list(ds.categories["id"])
        names = dict(zip(ds.categories["id"], ds.categories["name"], strict=True))
        cats = ds.events["category"][chosen]
        others = sorted(set(cats.unique()) - set(cat_ids), key=lambda c: names.get(c, c))
        lane_names = [names[c] for c in cat_ids] + others
        codes = pd.Index(cat_ids + others).get_indexer(pd.Index(cats.to_numpy(dtype=object)))
        start = starts[chosen]
    unit, bins = _bin_array(start)
    bin_index, bin_code = np.unique(bins, return_inverse=True)
    n_bins = max(len(bin_index), 1)
    cells = np.bincount(codes * n_bins + bin_code.reshape(-1), minlength=len(lane_names) * n_bins)
    cells = cells.reshape(len(lane_names), n_bins)[:, : len(bin_index)]
    totals = cells.sum(axis=1)
    used = np.flatnonzero(totals)
    busiest = used[np.argsort(-totals[used], kind="stable")[:max_lanes]]
    keep = np.sort(busiest)  # back in lane order
    order = [lane_names[i] for i in keep]
    columns = pd.DatetimeIndex(bin_index.astype("datetime64[ns]"))
    heatmap = dict(
        type="heatmap",
        x=columns.to_numpy(),
        y=[esc(lane) for lane in order],
        z=cells[keep],
        colorscale="Cividis",
        colorbar=dict(title=dict(text="events"), len=min(1.0, 400 / (140 + 28 * len(order)))),
        hovertemplate=(
            "%{y}<br>%{x|" + ("%B %Y" if unit == "month" else "%Y") + "}: %{z} events"
            "<extra></extra>"
        ),
        xgap=1,
        ygap=1,
    )
    half = pd.Timedelta(days=16 if unit == "month" else 183)  # a cell spans its bin's middle
    extent = (columns.min() - half, columns.max() + half) if len(columns) else None
    now = _current_row(ds, current)
    layout = _base_layout(
        ds,
        order,
        extent,
        milestones_of(ds) if milestones is None else milestones,
        window=time_window(events, window, now),
        current=now,
    )
    layout["meta"] = {
        "lanes": lanes,
        "mode": "density",
        "unit": unit,
        "marks": len(codes),
        "lanes_cut": len(used) - len(order),
    }
    return go.Figure(data=[heatmap], layout=layout)


def families_drawn(fig: go.Figure) -> list[tuple[str, str]]:
    """The legend of a timeline: (name, colour) of each top-level actor it colours (or of
    'other actors', sharing a grey), in the legend's order."""
    return [
        (html.unescape(t.name or ""), t.marker.color)
        for t in fig.data
        if t.meta and t.meta.get("role") == "legend"
    ]


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
