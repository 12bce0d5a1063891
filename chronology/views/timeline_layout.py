"""The timeline charts' shared layout: the time shown, the date axis and its range slider, the
lanes' names, the milestones and the current event's band. Every string drawn is escaped with
:func:`~chronology.views.escape.esc_plotly`, since Plotly renders a subset of HTML in them.

Used by :mod:`chronology.views.figures` (single marks) and :mod:`chronology.views.density`
(counts); no Streamlit here.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..data.dataset import DataSet
from .escape import esc_plotly

__all__ = [
    "DAY",
    "EVENT_ROWS_MAX",
    "MARKS_AXIS",
    "MARKS_LANES",
    "NO_ACTOR",
    "OVERVIEW_BINS",
    "Lane",
    "Window",
    "base_layout",
    "current_row",
    "default_window",
    "figure",
    "marks_axis",
    "milestones_of",
    "rgba",
    "time_window",
    "with_overview",
    "x_range",
]

Lane = Literal["event", "actor", "category"]
"""A row per event (titled, for a few events), or a lane per actor or per category."""


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
STORY_DENSER = 6.0
"""...and only when the events it holds lie at least this many times closer together than
over the whole span: a few events spread thin over centuries (Knight Lab's sample, 1815 to 1985)
open on all of them, none left out of the first view."""
STORY_MIN_EVENTS = 8  # fewer events than this: the whole span

Window = Literal["story", "all"] | tuple[pd.Timestamp, pd.Timestamp]
"""The time range to show: the default window, the whole span, or (first, last) days."""

LANE_PX = 28  # height of a lane
EVENT_ROW_PX = 22  # height of a row, with a row per event
EVENT_ROWS_MAX = 60
"""A row per event for up to this many events; more: a lane per actor."""
PLOT_MIN_PX = 220
AXIS_PX = 40  # the date ticks under the plot: room for two lines ("Mar 5" over "2024")
SLIDER_PX = 44  # the range slider, for up to 60 lanes
SLIDER_PAD = 15  # Plotly's room around the range slider (its ``extraPad``)
LABEL_FIRST_PX, LABEL_ROW_PX = 12, 19  # milestone labels: the first row's height, the next
LABEL_CHAR_PX = 6.2  # to guess when two labels would overlap...
NOMINAL_PLOT_PX = 240  # ...on the narrowest plot area: a phone's (390 px wide screen)
LANE_LINE_CHARS = 18  # a lane's name on the axis: two lines of at most this many characters
LANE_CHAR_PX = 6.6  # the widest a character of a lane's name is drawn, on average (11 px font)
MILESTONE_COLOUR = "rgba(128,128,128,0.9)"
CURRENT_COLOUR = "rgba(230,159,0,0.35)"  # the band behind the current event
CURRENT_WIDE = "rgba(230,159,0,0.1)"  # ... when it is a long period
CURRENT_LINE = "rgba(213,94,0,0.9)"

NO_ACTOR = "(no actor)"
NO_CATEGORY = "(no category)"  # the lane of events whose file names no category
DAY = pd.Timedelta(days=1)


def rgba(colour: str, alpha: float) -> str:
    """'#0072B2' → 'rgba(0,114,178,alpha)'."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def x_range(first: pd.Timestamp, last: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The time axis's initial range: ``first`` to ``last``, padded by 2% of the span on each
    side (at least :data:`MIN_PAD`)."""
    pad = max((last - first) * PAD_SHARE, MIN_PAD)
    return first - pad, last + pad


def _extent(events: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and the day after the last day of the events."""
    return events["start"].min(), events["end"].max() + DAY


def default_window(events: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """Where the events are: the first view of the timeline (None for no events).

    The shortest window holding :data:`STORY_SHARE` of the event starts, widened to the
    events starting within :data:`STORY_REACH` of its width beyond either end (the end of a
    story is rarely an outlier) and to the ends of the events it holds, up to that reach. When
    that is more than :data:`STORY_MAX` of the whole span, when its events are not
    :data:`STORY_DENSER` times denser than the whole span's (spread thin), or the events are
    few: the whole span.
    """
    if events.empty:
        return None
    whole = _extent(events)
    # in the columns' own unit (seconds): no conversion of 100,000 dates on every rerun
    column = events["start"].to_numpy()
    unit = np.datetime_data(column.dtype)[0]
    ticks = pd.Timedelta(1, unit=unit).value  # nanoseconds per unit
    day, pad = DAY.value // ticks, MIN_PAD.value // ticks
    first = column.view("int64")
    starts = np.sort(first)
    n = len(starts)
    if n < STORY_MIN_EVENTS:
        return whole
    k = math.ceil(STORY_SHARE * n)
    widths = starts[k - 1 :] - starts[: n - k + 1]
    i = int(np.argmin(widths))
    lo, hi = int(starts[i]), int(starts[i + k - 1])
    reach = max(hi - lo, pad) * STORY_REACH
    # widened over every gap between neighbours no longer than the reach
    wide = np.flatnonzero(np.diff(starts) > reach)  # gap g lies between g and g + 1
    j = i + k - 1
    before, after = wide[wide < i], wide[wide >= j]
    lo = int(starts[before[-1] + 1 if len(before) else 0])
    hi = int(starts[after[0] if len(after) else n - 1])
    held = (first >= lo) & (first <= hi)
    ends = events["end"].to_numpy().astype(column.dtype).view("int64")[held] + day
    hi = max(hi + day, int(ends[ends <= hi + reach].max(initial=hi)))
    lo, hi = lo * ticks, hi * ticks
    window = pd.Timestamp(lo), pd.Timestamp(hi)
    width, span = window[1] - window[0], whole[1] - whole[0]
    if width > STORY_MAX * span:
        return whole
    inside = int(((first >= lo // ticks) & (first < hi // ticks)).sum())
    if inside / max(width / span, 1e-12) < STORY_DENSER * n:  # spread thin: all of them
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
    start, end = current["start"], current["end"] + DAY
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
        end = start if day else ev["end"] + DAY
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
                text=esc_plotly(label),
                hovertext=f"<b>{esc_plotly(ev['title'])}</b><br>{esc_plotly(ev['date_display'])}",
                font=dict(size=11),
                name=f"milestone:{eid}",
            )
        )
    rows = _label_rows(extents)
    for i, row in zip(placed, rows, strict=True):
        notes[i]["ay"] -= LABEL_ROW_PX * row
    return shapes, notes, max(rows, default=-1) + 1


def current_row(ds: DataSet, current: str | None) -> pd.Series | None:
    """The current event's row of ds.events (None: no such event)."""
    if current is None:
        return None
    found = ds.events.index[ds.events["id"] == current]
    return ds.events.loc[found[0]] if len(found) else None


def _current_shape(current: pd.Series, shown: tuple[pd.Timestamp, pd.Timestamp]) -> dict:
    """A band behind the current event (of step-through), over all lanes: lighter when it
    fills much of the range ``shown``."""
    start = current["start"]
    end = current["end"] + DAY
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
        return esc_plotly(lane)
    spaces = [i for i, c in enumerate(lane) if c == " "]
    if not spaces:
        return esc_plotly(cut(lane))
    at = min(spaces, key=lambda i: abs(i - len(lane) / 2))
    return esc_plotly(cut(lane[:at])) + "<br>" + esc_plotly(cut(lane[at + 1 :]))


def _lane_margin(lanes_order: list[str]) -> int:
    """Room for the lanes' names left of the plot, as :func:`_lane_name` writes them."""
    lines = [line for lane in lanes_order for line in _lane_name(lane).split("<br>")]
    longest = max((len(html.unescape(line)) for line in lines), default=0)
    return math.ceil(longest * LANE_CHAR_PX) + 14


def _lane_ticks(lanes_order: list[str]) -> dict:
    """The lanes' names on the axis (see :func:`_lane_name`)."""
    return dict(
        tickmode="array",
        tickvals=[esc_plotly(lane) for lane in lanes_order],
        ticktext=[_lane_name(lane) for lane in lanes_order],
        tickfont=dict(size=11),
    )


def base_layout(
    ds: DataSet,
    lanes_order: list[str],
    extent: tuple[pd.Timestamp, pd.Timestamp] | None,
    milestones: Sequence[tuple[str, str]],
    window: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    current: pd.Series | None = None,
    titled: bool = False,
) -> dict:
    """The shared layout, as a dict for the figure's constructor: lanes, a date axis showing
    ``window`` (default: all of ``extent``, the data's first and last day) with a range slider
    over the whole extent, the milestones, the current event's band, and a height that grows
    with the lanes (and the legend, which sits under the chart, across, so the plot keeps the
    width on a phone). ``titled``: a row per event, which the chart names by a text beside its
    mark, not on the axis: no lane names left of the plot, lower rows."""
    if extent is None:  # nothing drawn: the whole data set's span
        extent = (ds.events["start"].min(), ds.events["end"].max() + DAY)
    lo, hi = x_range(*extent)
    shown = x_range(*window) if window is not None else (lo, hi)
    shapes, notes, label_rows = _milestone_layout(ds, milestones, shown, (lo, hi))
    if current is not None:
        shapes.append(_current_shape(current, shown))
    top = LABEL_FIRST_PX + LABEL_ROW_PX * label_rows + 12 if label_rows else 16
    plot = max((EVENT_ROW_PX if titled else LANE_PX) * len(lanes_order), PLOT_MIN_PX)
    slider = SLIDER_PX + SLIDER_PX * len(lanes_order) // 60  # a little taller for many lanes
    bottom = AXIS_PX + slider + SLIDER_PAD + 10
    return dict(
        height=top + plot + bottom,
        # Every margin is set here, none left to Plotly (``autoexpand``): the left one holds
        # the lanes' names, the bottom one the date ticks and the range slider. When a part
        # pushes a margin (an axis's automargin, the slider), Plotly draws the whole chart a
        # second time with the margin it measured: that was half of every draw.
        margin=dict(
            l=10 if titled else _lane_margin(lanes_order), r=10, t=top, b=bottom, autoexpand=False
        ),
        hovermode="closest",
        hoverlabel=dict(align="left"),
        barmode="overlay",
        **({"shapes": shapes} if shapes else {}),  # none: left out, as Plotly's validation does
        **({"annotations": notes} if notes else {}),
        xaxis=dict(
            type="date",
            range=list(shown),
            autorange=False,
            automargin=False,
            # a double click autoranges: to the whole extent, whatever the milestones
            # (not minallowed/maxallowed: plotly.js 3 takes those as axis units, not dates)
            autorangeoptions=dict(include=[lo, hi], clipmin=lo, clipmax=hi),
            rangeslider=dict(
                visible=True,
                range=[lo, hi],
                autorange=False,
                thickness=slider / plot,  # of the plot area's height
            ),
        ),
        yaxis=dict(
            type="category",
            categoryorder="array",
            categoryarray=[esc_plotly(lane) for lane in lanes_order],
            autorange="reversed",
            automargin=False,
            **(dict(showticklabels=False) if titled else _lane_ticks(lanes_order)),
        ),
    )


MARKS_AXIS = "x2"
"""The single marks are drawn against a hidden x axis that follows the visible one (``matches``):
the range slider redraws every trace of its own axis, which doubled the chart's drawing time;
this way it shows the range and an overview (:func:`with_overview`), not the marks, and
zooming and panning work as before."""


MARKS_LANES = "y2"
"""The lanes axis of the single marks: ``y`` is left to the overview the range slider draws."""

OVERVIEW_BINS = 120
"""Stretches of time the range slider's overview counts events in, over the whole extent."""


def marks_axis() -> dict:
    """The hidden date axis the marks use: the visible one's range, always."""
    return dict(type="date", matches="x", overlaying="x", visible=False)


def with_overview(layout: dict, starts: pd.Series) -> dict:
    """An overview for the range slider, as a trace: the events starting in each of
    :data:`OVERVIEW_BINS` stretches of the slider's extent, one filled line.

    It is the only trace on the visible x axis, so the slider draws it and no mark. ``layout``
    is changed in place: the lanes move to :data:`MARKS_LANES`, overlaying a hidden ``y`` whose
    range in the plot is below zero, so the overview shows in the slider only."""
    lo, hi = (pd.Timestamp(v).as_unit("ns").value for v in layout["xaxis"]["rangeslider"]["range"])
    ns = starts.to_numpy().astype("datetime64[ns]").astype("int64")
    counts, edges = np.histogram(ns, bins=OVERVIEW_BINS, range=(lo, hi))
    x = np.datetime_as_string(edges.astype("datetime64[ns]"), unit="D")  # short in the JSON
    layout["yaxis2"] = {**layout["yaxis"], "overlaying": "y"}
    layout["yaxis"] = dict(visible=False, range=[-2, -1], fixedrange=True)
    layout["xaxis"]["rangeslider"]["yaxis"] = dict(
        rangemode="fixed", range=[0, max(int(counts.max()), 1) * 1.1]
    )
    return dict(
        type="scatter",
        x=x,
        y=np.append(counts, counts[-1]),
        mode="lines",
        fill="tozeroy",
        line=dict(width=1, color="#888888", shape="hv"),  # a step per stretch
        fillcolor="rgba(136,136,136,0.35)",
        hoverinfo="skip",
        showlegend=False,
        name="events over time",
        meta={"role": "overview"},
    )


def figure(data: list[dict], layout: dict) -> go.Figure:
    """The figure of these traces and layout (dicts), without Plotly's validation, which took
    about half the time of building a chart on every rerun; tests validate every kind of chart
    these modules build (``go.Figure(fig.to_dict())`` gives the same JSON).

    The lanes' axis (:data:`MARKS_LANES`) gets its theme from a template entry of its own
    (:data:`LANES_THEME`), in place of the theme Streamlit's front end gives every y axis."""
    fig = go.Figure(data=data, layout=layout, _validate=False)
    if "yaxis2" in layout and fig.layout.template is not None:
        fig.layout.template.layout.yaxis2 = LANES_THEME
    return fig


LANES_THEME = dict(
    ticklabelposition="outside",
    tickcolor="#000035",
    tickfont=dict(color="#000036"),
    gridcolor="#000035",
    minor=dict(gridcolor="#000035"),
    zerolinecolor="#000035",
    title=dict(font=dict(color="#000036")),
    automargin=False,
)
"""The theme of the lanes' axis: Streamlit's front end puts its own under the template's
``yaxis`` for every y axis, with a title ``standoff``; with a standoff, Plotly measures every
tick label's box in the page (``getBoundingClientRect``, a layout of the page each time) on
every draw: ~55 ms a filter change at 240 lanes. An axis's own template entry (``yaxis2``)
takes the place of ``yaxis``'s, so this one is the same theme without the standoff: the colours
are Streamlit's placeholders, which its front end replaces with the theme's (``#000035`` the
grid and ticks, ``#000036`` the text)."""
