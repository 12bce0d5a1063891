"""Plotly figures built by pure functions of a data set and a selection of its events.

No Streamlit here: each function takes DataFrames and returns a ``go.Figure``. Every string
drawn (hover text, lane names, legend entries, labels) is HTML-escaped first, since Plotly
renders a subset of HTML in them.

Usage::

    fig = timeline_figure(ds, filter_events(ds, Query()), lanes="actor")
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .dataset import DataSet
from .frames import among, lookup
from .palette import OTHER_COLOUR, actor_colours
from .selection import event_mask, on_rows, prepared
from .summaries import partner_relations, relations

__all__ = [
    "MAX_MARKS",
    "ZOOMS",
    "Lane",
    "activity_figure",
    "default_partners",
    "density_figure",
    "mark_count",
    "marks",
    "milestones_of",
    "partners_figure",
    "relations_figure",
    "selected_event_ids",
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


ZOOMS: tuple[tuple[str, int, str], ...] = (
    ("6m", 6, "month"),
    ("1y", 1, "year"),
    ("2y", 2, "year"),
    ("5y", 5, "year"),
)
"""Zoom buttons (label, count, step) counting back from the end of the range shown; only
those well shorter than the data's span are offered, next to 'all' (the initial view)."""

PAD_SHARE = 0.02
MIN_PAD = pd.Timedelta(days=31)
"""The initial time range pads the events' span by this share on each side, at least this."""

LANE_PX = 28  # height of a lane
LEGEND_ENTRY_PX = 22  # height of an entry of the legend on the right
PLOT_MIN_PX = 220
TOP_MIN_PX = 60  # room for the zoom buttons above the legend, under the mode bar
AXIS_PX = 30  # the date ticks under the plot
SLIDER_PX = 44  # the range slider, for up to 60 lanes
KEY_PX = 64  # the key of the marks under the slider (up to two rows)
LABEL_FIRST_PX, LABEL_ROW_PX = 12, 16  # milestone labels: the first row's height, the next
LABEL_CHAR_PX, NOMINAL_PLOT_PX = 6.2, 500  # to guess when two labels would overlap
MILESTONE_COLOUR = "rgba(128,128,128,0.9)"

NO_ACTOR = "(no actor)"
_DAY = pd.Timedelta(days=1)


def _rgba(colour: str, alpha: float) -> str:
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


def _hover(ds: DataSet, rows: pd.DataFrame, chosen: np.ndarray) -> pd.Series:
    """Escaped hover text: title, the date as the source gives it, lane, category, evidence."""
    phrases = lookup(rows["id"], _first_phrases(ds, chosen))
    said = ("<br>as the source puts it: ‘" + esc_series(phrases) + "’").where(phrases.ne(""), "")
    uncertain = pd.Series("", index=rows.index, dtype="str")
    spans = rows["kind"].eq("span")
    uncertain[spans] = (
        "<br><i>date known only to the "
        + rows.loc[spans, "precision"]
        + ": drawn over the whole "
        + rows.loc[spans, "precision"]
        + "</i>"
    )
    evidence = lookup(
        rows["evidence"],
        {"excerpt": "backed by an excerpt", "citation only": "citation only (no excerpt)"},
        "citation only (no excerpt)",
    )
    category_names = dict(zip(ds.categories["id"], ds.categories["name"], strict=True))
    category = lookup(rows["category"], category_names).where(
        among(rows["category"], category_names), rows["category"]
    )
    return (
        "<b>"
        + esc_series(rows["title"])
        + "</b><br>"
        + esc_series(rows["date_display"])
        + said
        + uncertain
        + "<br>"
        + esc_series(lookup(rows["actor_id"], ds.actor_names, NO_ACTOR))
        + " · "
        + esc_series(category)
        + "<br>"
        + evidence
    )


def x_range(first: pd.Timestamp, last: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The time axis's initial range: ``first`` to ``last``, padded by 2% of the span on each
    side (at least :data:`MIN_PAD`)."""
    pad = max((last - first) * PAD_SHARE, MIN_PAD)
    return first - pad, last + pad


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
) -> tuple[list[dict], list[dict], int]:
    """Shapes (a line on a day, a band over a month or year), labels and the number of label
    rows for the milestones within the ``shown`` range; those outside it are left out.

    Each label hangs on a short leader above its milestone, written towards the middle of the
    axis, in the lowest row where it overlaps no other label (at the initial range); hovering
    it gives the event's title and date.
    """
    shapes: list[dict] = []
    notes: list[dict] = []
    extents: list[tuple[float, float, float]] = []
    lo, hi = shown
    by_id = ds.events.set_index("id")
    present = sorted(
        (m for m in milestones if m[0] in by_id.index), key=lambda m: by_id.loc[m[0], "start"]
    )
    for eid, label in present:
        ev = by_id.loc[eid]
        start = ev["start"]
        day = ev["precision"] == "day"
        end = start if day else ev["end"] + _DAY
        if end < lo or start > hi:
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
        middle = max(start, lo) + (min(end, hi) - max(start, lo)) / 2
        at = (middle - lo) / (hi - lo)
        width = (LABEL_CHAR_PX * len(label) + 8) / NOMINAL_PLOT_PX
        leftwards = at > 0.5  # written towards the middle, so it stays over the plot
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
    for note, row in zip(notes, rows, strict=True):
        note["ay"] -= LABEL_ROW_PX * row
    return shapes, notes, max(rows, default=-1) + 1


def _base_layout(
    fig: go.Figure,
    ds: DataSet,
    lanes_order: list[str],
    extent: tuple[pd.Timestamp, pd.Timestamp] | None,
    milestones: Sequence[tuple[str, str]],
    legend_entries: int = 0,
    key_px: int = 0,
) -> None:
    """The shared layout: lanes, a date axis fitted to ``extent`` (the data's first and last
    day) with zoom buttons and a range slider, the milestones in that range, and a height that
    grows with the lanes (and the legend entries on the right)."""
    if extent is None:  # nothing drawn: the whole data set's span
        extent = (ds.events["start"].min(), ds.events["end"].max() + _DAY)
    lo, hi = x_range(*extent)
    shapes, notes, label_rows = _milestone_layout(ds, milestones, (lo, hi))
    top = max(TOP_MIN_PX, LABEL_FIRST_PX + LABEL_ROW_PX * label_rows + 12)
    plot = max(LANE_PX * len(lanes_order), LEGEND_ENTRY_PX * legend_entries + 40, PLOT_MIN_PX)
    slider = SLIDER_PX + SLIDER_PX * len(lanes_order) // 60  # a little taller for many lanes
    height = top + plot + AXIS_PX + slider + key_px + 10
    span = hi - lo
    zooms = [
        dict(label=label, count=count, step=step, stepmode="backward")
        for label, count, step in ZOOMS
        if hi - pd.DateOffset(**{f"{step}s": count}) > lo + span * 0.25
    ]
    fig.update_layout(
        height=height,
        margin=dict(l=10, r=10, t=top, b=10),
        hovermode="closest",
        hoverlabel=dict(align="left"),
        barmode="overlay",
        shapes=shapes,
        annotations=notes,
        xaxis=dict(
            type="date",
            range=[lo, hi],
            autorange=False,
            # 'all' and a double click autorange: to the same range, whatever the milestones
            # (not minallowed/maxallowed: plotly.js 3 takes those as axis units, not dates)
            autorangeoptions=dict(include=[lo, hi], clipmin=lo, clipmax=hi),
            rangeslider=dict(
                visible=True,
                range=[lo, hi],
                autorange=False,
                thickness=slider / (height - top - 10),
            ),
            rangeselector=dict(
                buttons=[*zooms, dict(label="all", step="all")],
                x=1.02,
                xanchor="left",
                y=1,
                yanchor="bottom",
                bgcolor="rgba(128,128,128,0.15)",
                activecolor="rgba(128,128,128,0.45)",
                font=dict(size=11),
            ),
        ),
        yaxis=dict(
            type="category",
            categoryorder="array",
            categoryarray=[esc(lane) for lane in lanes_order],
            autorange="reversed",
            automargin=True,
        ),
    )


_KEY = (
    ("point", "excerpt", "day known, excerpt-backed"),
    ("point", "citation only", "hollow: citation only"),
    ("period", "excerpt", "period (start to end)"),
    ("span", "excerpt", "hatched: known only to the month or year"),
    ("period", "citation only", "light bar: citation only"),
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
                legend="legend2",
                legendgroup=f"key:{kind}:{evidence}",
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
) -> go.Figure:
    """Events on one lane per actor (or category): points, periods as bars, and month- or
    year-precision dates as hatched bars over the whole month or year.

    Citation-only events are hollow (points) or light with an outline (bars). Each trace's
    ``customdata`` holds the event ids, so a selection names the events clicked; its ``meta``
    says which colour, kind and evidence it draws, and for which families (``family``: the
    one family of that colour, or "" for the grey of several). One trace per colour, kind and
    evidence, not per family: at most a few dozen, however many actors the events involve.
    """
    colours = colours if colours is not None else actor_colours(ds)
    rows = marks(ds, events, lanes, colours)
    traces: list[dict] = []  # built as dicts and validated once, by the figure
    order = _lane_order(ds, rows, lanes) if len(rows) else []
    if len(rows):
        rows["y"] = esc_series(rows["lane"])
        rows["hover"] = _hover(ds, rows, event_mask(ds, events))
        names = ds.actor_names
        present = set(rows["family"].unique())
        families = [a for a in prepared(ds).actor_order if a in present]
        if "" in present:
            families.append("")
        by_colour: dict[str, list[str]] = {}
        for family in families:
            by_colour.setdefault(colours.get(family, OTHER_COLOUR), []).append(family)
        if len(by_colour.get(OTHER_COLOUR, [])) > 1:  # "other actors": last in the legend
            by_colour[OTHER_COLOUR] = by_colour.pop(OTHER_COLOUR)
        for (colour, kind, evidence), group in rows.groupby(
            ["colour", "kind", "evidence"], sort=False
        ):
            traces.append(_trace(group, by_colour.get(colour, [""]), kind, evidence))
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
        traces += _key_traces()
    fig = go.Figure(data=traces)
    extent = (rows["start"].min(), rows["end"].max() + _DAY) if len(rows) else None
    _base_layout(
        fig,
        ds,
        order,
        extent,
        milestones_of(ds) if milestones is None else milestones,
        legend_entries=sum(1 for t in traces if t["meta"]["role"] == "legend"),
        key_px=KEY_PX if len(rows) else 0,
    )
    if not len(rows):
        fig.add_annotation(
            text="No events match the filters",
            showarrow=False,
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            font=dict(size=16),
        )
    fig.update_layout(
        legend=dict(
            title=dict(text="Actor (colour)" if lanes == "actor" else "Leading actor (colour)"),
            groupclick="togglegroup",
            x=1.02,
            xanchor="left",
            y=1,
            yanchor="top",
            tracegroupgap=4,
        ),
        # the key under the plot, across: it never covers the actors, however many
        legend2=dict(
            title=dict(text="Marks", side="left"),
            orientation="h",
            xref="paper",
            x=0,
            xanchor="left",
            yref="container",
            y=0,
            yanchor="bottom",
            tracegroupgap=0,
        ),
        meta={"lanes": lanes, "mode": "detail", "marks": len(rows)},
    )
    return fig


def _trace(group: pd.DataFrame, families: list[str], kind: str, evidence: str) -> dict:
    """One trace (as a dict): the marks of one colour (one family, or the grey of several),
    kind and evidence. Columns go in as numpy arrays, which Plotly takes without converting."""
    cited = evidence == "citation only"
    colour = group["colour"].iloc[0]
    common = dict(
        y=group["y"].to_numpy(dtype=object),
        customdata=group["id"].to_numpy(dtype=object),
        hovertext=group["hover"].to_numpy(dtype=object),
        hovertemplate="%{hovertext}<extra></extra>",
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
            x=group["start"].dt.strftime("%Y-%m-%d").to_numpy(dtype=object),
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
    length = (group["end"] + _DAY - group["start"]).dt.total_seconds() * 1000
    marker: dict = dict(
        color=_rgba(colour, 0.25) if cited else colour,
        line=dict(color=colour, width=1.5),
    )
    if span:
        marker["pattern"] = dict(shape="/", fgcolor=colour, solidity=0.35 if cited else 0.6)
        marker["color"] = _rgba(colour, 0.12 if cited else 0.3)
    return dict(
        type="bar",
        x=length.to_numpy(),
        base=group["start"].dt.strftime("%Y-%m-%d").to_numpy(dtype=object),
        orientation="h",
        width=0.4 if span else 0.6,
        marker=marker,
        **common,
    )


def _period_bins(starts: pd.Series, months_up_to: int = 15) -> tuple[str, pd.Series]:
    """Bin start dates by month (spans up to ``months_up_to`` years) or by year."""
    if starts.empty or (starts.max() - starts.min()).days <= months_up_to * 366:
        return "month", starts.dt.to_period("M").dt.to_timestamp()
    return "year", starts.dt.to_period("Y").dt.to_timestamp()


def _bin_array(starts: np.ndarray, months_up_to: int = 15) -> tuple[str, np.ndarray]:
    """:func:`_period_bins` over a numpy array of datetimes (the first day of each bin)."""
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
) -> go.Figure:
    """For very many events: how many start per lane and month (or year), as a heatmap.

    At most ``max_lanes`` lanes, the busiest; ``meta["lanes_cut"]`` counts those left out.
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
    grid = pd.DataFrame(cells[keep], index=order, columns=columns)
    fig = go.Figure(
        go.Heatmap(
            x=list(grid.columns),
            y=[esc(lane) for lane in grid.index],
            z=grid.to_numpy(),
            colorscale="Cividis",
            colorbar=dict(title=dict(text="events"), len=min(1.0, 400 / (140 + 28 * len(order)))),
            hovertemplate=(
                "%{y}<br>%{x|" + ("%B %Y" if unit == "month" else "%Y") + "}: %{z} events"
                "<extra></extra>"
            ),
            xgap=1,
            ygap=1,
        )
    )
    half = pd.Timedelta(days=16 if unit == "month" else 183)  # a cell spans its bin's middle
    extent = (grid.columns.min() - half, grid.columns.max() + half) if len(grid.columns) else None
    _base_layout(
        fig, ds, list(grid.index), extent, milestones_of(ds) if milestones is None else milestones
    )
    fig.layout.meta = {  # set alone: cheaper than a second update_layout pass
        "lanes": lanes,
        "mode": "density",
        "unit": unit,
        "marks": len(codes),
        "lanes_cut": len(used) - len(order),
    }
    return fig


def activity_figure(
    ds: DataSet,
    events: pd.DataFrame,
    actor_id: str,
    include_children: bool = True,
    colours: dict[str, str] | None = None,
) -> go.Figure:
    """One actor's events per year (or month, for a short span), stacked by role."""
    colours = colours if colours is not None else actor_colours(ds)
    family = ds.descendants(actor_id) if include_children else frozenset({actor_id})
    links = ds.event_actors[
        among(ds.event_actors["actor_id"], family)
        & among(ds.event_actors["event_id"], events["id"])
    ]
    links = links.drop_duplicates(["event_id", "role"])
    name = esc(ds.actor_names.get(actor_id, actor_id))
    if links.empty:  # an empty map would give float64, not dates: say why the chart is empty
        fig = _empty_figure(f"No events of {name} among those the filters select")
        fig.update_layout(height=240, meta={"actor": actor_id, "unit": None, "events": 0})
        return fig
    starts = events.set_index("id")["start"]
    rows = pd.DataFrame(
        {"role": links["role"].to_numpy(), "start": links["event_id"].map(starts).to_numpy()}
    )
    unit, rows["bin"] = _period_bins(rows["start"], months_up_to=4)
    colour = colours.get(actor_id, OTHER_COLOUR)
    fig = go.Figure()
    style = {"actor": (1.0, ""), "participant": (0.55, ""), "target": (0.3, "x")}
    for role in ("actor", "participant", "target"):
        sub = rows[rows["role"] == role].groupby("bin").size()
        if sub.empty:
            continue
        alpha, shape = style[role]
        fig.add_trace(
            go.Bar(
                x=list(sub.index),
                y=sub.to_numpy(),
                name=f"as {role}",
                marker=dict(
                    color=_rgba(colour, alpha),
                    line=dict(color=colour, width=1),
                    pattern=dict(shape=shape),
                ),
                hovertemplate=(
                    "%{x|"
                    + ("%B %Y" if unit == "month" else "%Y")
                    + "}: %{y} events as "
                    + role
                    + "<extra></extra>"
                ),
                xperiod="M1" if unit == "month" else "M12",
                xperiodalignment="middle",
            )
        )
    fig.update_layout(
        barmode="stack",
        height=320,
        margin=dict(l=10, r=10, t=30, b=10),
        title=dict(text=f"{name}: events per {unit}"),
        xaxis=dict(type="date"),
        yaxis=dict(title=dict(text="events"), rangemode="tozero"),
        meta={"actor": actor_id, "unit": unit, "events": int(links["event_id"].nunique())},
    )
    return fig


def _empty_figure(message: str) -> go.Figure:
    """A figure with no axes that says why it is empty."""
    fig = go.Figure()
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.add_annotation(text=message, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5)
    return fig


def relations_figure(
    ds: DataSet,
    events: pd.DataFrame,
    level: Literal["actor", "family"] = "family",
    max_actors: int = 30,
    table: pd.DataFrame | None = None,
) -> go.Figure:
    """Who acted on whom: a matrix of events, from each actor (role 'actor') to each target.

    At most ``max_actors`` rows and columns: the actors (and targets) in the most relations;
    ``meta["cut"]`` says whether some were left out. ``table``: the :func:`relations` of the
    same events and level, when the caller already has it.
    """
    table = relations(ds, events, level) if table is None else table
    names = ds.actor_names
    if table.empty:
        fig = _empty_figure("No actor acted on a target in these events")
        fig.update_layout(height=240, meta={"level": level, "pairs": 0})
        return fig
    order = prepared(ds).actor_order
    busiest_sources = set(table.groupby("source")["events"].sum().nlargest(max_actors).index)
    busiest_targets = set(table.groupby("target")["events"].sum().nlargest(max_actors).index)
    shown = table[among(table["source"], busiest_sources) & among(table["target"], busiest_targets)]
    sources = [a for a in order if a in busiest_sources]
    targets = [a for a in order if a in busiest_targets]
    grid = shown.pivot_table(index="source", columns="target", values="events", fill_value=0)
    grid = grid.reindex(index=sources, columns=targets, fill_value=0)
    y = [esc(names[a]) for a in sources]
    x = [esc(names[a]) for a in targets]
    fig = go.Figure(
        go.Heatmap(
            x=x,
            y=y,
            z=grid.to_numpy(),
            colorscale="Cividis",
            xgap=2,
            ygap=2,
            colorbar=dict(title=dict(text="events")),
            hovertemplate="%{y} → %{x}: %{z} events<extra></extra>",
            text=grid.to_numpy(),
            texttemplate="%{text}",
        )
    )
    fig.update_layout(
        height=max(320, 120 + 30 * len(y)),
        margin=dict(l=10, r=10, t=30, b=10),
        xaxis=dict(title=dict(text="target"), side="top", tickangle=-30, automargin=True),
        yaxis=dict(title=dict(text="actor"), autorange="reversed", automargin=True),
        meta={
            "level": level,
            "pairs": len(table),
            "shown_pairs": len(shown),
            "cut": len(shown) < len(table),
        },
    )
    return fig


def default_partners(
    ds: DataSet,
    focal: str,
    events: pd.DataFrame | None = None,
    table: pd.DataFrame | None = None,
) -> list[str]:
    """The top-level actors sharing events with the focal actor, armed groups left out.

    ``table``: :func:`~chronology.summaries.partner_relations`, when already computed.
    """
    kinds = dict(zip(ds.actors["id"], ds.actors["kind"], strict=True))
    table = partner_relations(ds, focal, events) if table is None else table
    return [p for p in dict.fromkeys(table["partner"]) if kinds.get(p) != "armed group"]


def partners_figure(
    ds: DataSet,
    focal: str,
    partners: Sequence[str] | None = None,
    colours: dict[str, str] | None = None,
    events: pd.DataFrame | None = None,
    table: pd.DataFrame | None = None,
) -> go.Figure:
    """How the focal actor's partners shifted: per partner and year, the events they share,
    acting together (above the line) or one against the other (below). Whole families count:
    Niger stands for the junta and the armed forces too.
    """
    colours = colours if colours is not None else actor_colours(ds)
    table = partner_relations(ds, focal, events) if table is None else table
    partners = default_partners(ds, focal, table=table) if partners is None else list(partners)
    table = table[among(table["partner"], partners)]
    names = ds.actor_names
    fig = _empty_figure("No events shared with partners") if table.empty else go.Figure()
    table = table.assign(year=table["start"].dt.year)
    order = list(dict.fromkeys(table.sort_values("start")["partner"]))
    for partner in order:
        sub = table[table["partner"] == partner]
        colour = colours.get(partner, OTHER_COLOUR)
        name = esc(names.get(partner, partner))
        for relation, sign in (("together", 1), ("against", -1)):
            counts = sub[sub["relation"] == relation].groupby("year").size()
            if counts.empty:
                continue
            fig.add_trace(
                go.Bar(
                    x=list(counts.index),
                    y=sign * counts.to_numpy(),
                    name=f"{name}: {'together' if sign > 0 else 'against each other'}",
                    legendgroup=partner,
                    marker=dict(
                        color=colour if sign > 0 else _rgba(colour, 0.25),
                        line=dict(color=colour, width=1.5),
                        pattern=dict(shape="" if sign > 0 else "x"),
                    ),
                    customdata=counts.to_numpy(),
                    hovertemplate=f"{name}<br>%{{x}}: %{{customdata}} events "
                    + ("together" if sign > 0 else "against each other")
                    + "<extra></extra>",
                    meta={"partner": partner, "relation": relation},
                )
            )
    fig.update_layout(
        barmode="relative",
        height=420,
        margin=dict(l=10, r=10, t=40, b=10),
        title=dict(text=f"{esc(names.get(focal, focal))} and its partners, per year"),
        xaxis=dict(title=dict(text="year"), dtick=1),
        yaxis=dict(title=dict(text="events: together ↑ · against each other ↓"), zeroline=True),
        meta={"focal": focal, "partners": order},
    )
    return fig


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
