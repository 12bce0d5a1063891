"""Plotly figures of the Actors page: one actor's activity, who acted on whom, partners.

Pure functions of a data set and a selection of its events, like :mod:`chronology.views.figures`
(which holds the timeline): every string drawn is HTML-escaped first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import pandas as pd
import plotly.graph_objects as go

from ..data.dataset import DataSet
from ..data.frames import among
from ..data.query.selection import prepared
from .escape import esc_plotly
from .palette import OTHER_COLOUR, actor_colours
from .summaries import partner_relations, relations
from .timeline_layout import rgba

__all__ = ["activity_figure", "default_partners", "partners_figure", "relations_figure"]


def _period_bins(starts: pd.Series, monthly_up_to_years: int = 15) -> tuple[str, pd.Series]:
    """Bin start dates by month (spans up to ``monthly_up_to_years`` years) or by year."""
    if starts.empty or (starts.max() - starts.min()).days <= monthly_up_to_years * 366:
        return "month", starts.dt.to_period("M").dt.to_timestamp()
    return "year", starts.dt.to_period("Y").dt.to_timestamp()


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
    name = esc_plotly(ds.actor_names.get(actor_id, actor_id))
    if links.empty:  # an empty map would give float64, not dates: say why the chart is empty
        fig = _empty_figure(f"No events of {name} among those the filters select")
        fig.update_layout(height=240, meta={"actor": actor_id, "unit": None, "events": 0})
        return fig
    starts = events.set_index("id")["start"]
    rows = pd.DataFrame(
        {"role": links["role"].to_numpy(), "start": links["event_id"].map(starts).to_numpy()}
    )
    unit, rows["bin"] = _period_bins(rows["start"], monthly_up_to_years=4)
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
                    color=rgba(colour, alpha),
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
    y = [esc_plotly(names[a]) for a in sources]
    x = [esc_plotly(names[a]) for a in targets]
    fig = go.Figure(
        go.Heatmap(
            x=x,
            y=y,
            z=grid.to_numpy(),
            colorscale="Cividis",
            xgap=2,
            ygap=2,
            # under the matrix, across: on a phone the columns keep the width
            colorbar=dict(
                title=dict(text="events", side="top"),
                orientation="h",
                x=0,
                xanchor="left",
                y=-0.02,
                yanchor="top",
                len=min(1.0, 0.2 + 0.1 * len(x)),
                thickness=12,
            ),
            hovertemplate="%{y} → %{x}: %{z} events<extra></extra>",
            # a count in each cell that has one; the empty cells stay empty
            text=[[f"{n:,.0f}" if n else "" for n in row] for row in grid.to_numpy().tolist()],
            texttemplate="%{text}",
        )
    )
    fig.update_layout(
        height=max(320, 180 + 30 * len(y)),
        margin=dict(l=10, r=10, t=30, b=60),
        # the targets' names upright: apart however narrow the columns (a phone's)
        xaxis=dict(title=dict(text="target"), side="top", tickangle=-90, automargin=True),
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

    ``table``: :func:`~chronology.views.summaries.partner_relations`, when already computed.
    """
    kinds = dict(zip(ds.actors["id"], ds.actors["kind"], strict=True))
    table = partner_relations(ds, focal, events) if table is None else table
    return [p for p in dict.fromkeys(table["partner"]) if kinds.get(p) != "armed group"]


def _year_step(years: pd.Series) -> int:
    """Years between ticks: 1 over up to 6 years, then 2, then 5 (at most ~7 ticks)."""
    span = int(years.max() - years.min()) if len(years) else 0
    return 1 if span <= 6 else 2 if span <= 13 else 5


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
        name = esc_plotly(names.get(partner, partner))
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
                        color=colour if sign > 0 else rgba(colour, 0.25),
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
        height=480,
        margin=dict(l=10, r=10, t=40, b=10),
        title=dict(text=f"{esc_plotly(names.get(focal, focal))} and its partners, per year"),
        # the legend under the chart, across: beside it, it left a phone ~80 px of plot
        legend=dict(orientation="h", x=0, xanchor="left", y=-0.15, yanchor="top"),
        # a tick a year, or every 2 or 5 years over a long span: apart on a phone
        xaxis=dict(title=dict(text="year"), dtick=_year_step(table["year"]), tickformat="d"),
        yaxis=dict(title=dict(text="events: ↑ together · ↓ against"), zeroline=True),
        meta={"focal": focal, "partners": order},
    )
    return fig
