"""The timeline as counts, for selections too large to draw one mark per event: how many events
start per lane and month (or year), as a heatmap, with the timeline's layout.

No Streamlit here. Usage::

    fig = density_figure(ds, events, lanes="actor")
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sequential

from ..data.dataset import DataSet
from ..data.query.selection import event_mask, on_rows, prepared
from .escape import esc_plotly
from .timeline_layout import (
    NO_ACTOR,
    Lane,
    Window,
    base_layout,
    current_row,
    figure,
    milestones_of,
    time_window,
)

__all__ = ["density_figure"]

CIVIDIS = [[i / (len(sequential.Cividis) - 1), c] for i, c in enumerate(sequential.Cividis)]
"""The colour scale, as Plotly's validation would spell it out (the figure is not validated)."""


def _bin_array(starts: np.ndarray, monthly_up_to_years: int = 15) -> tuple[str, np.ndarray]:
    """Bin start dates (datetime64) by month, or by year when they span over ``monthly_up_to_years``
    years: the first day of each bin."""
    if len(starts):
        days = (starts.max() - starts.min()) / np.timedelta64(1, "D")
        if days > monthly_up_to_years * 366:
            return "year", starts.astype("datetime64[Y]")
    return "month", starts.astype("datetime64[M]")


COLORBAR_PX, COLORBAR_GAP = 16, 8  # the colour bar's width, and its gap to the plot
DIGIT_PX, TITLE_PX = 7, 44  # a tick label's digit; the title "events" (12 px font)


def _colorbar_margin(most: int) -> int:
    """Room right of the plot for the colour bar, its tick labels (up to ``most``) and title."""
    return COLORBAR_GAP + max(COLORBAR_PX + 4 + DIGIT_PX * len(f"{most}"), TITLE_PX) + 10


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
        y=[esc_plotly(lane) for lane in order],
        z=cells[keep],
        colorscale=CIVIDIS,
        colorbar=dict(
            title=dict(text="events"),
            len=min(1.0, 400 / (140 + 28 * len(order))),
            x=1,  # at the plot's right edge (the default 1.02 moves with the width)
            thickness=COLORBAR_PX,
            xpad=COLORBAR_GAP,
        ),
        hovertemplate=(
            "%{y}<br>%{x|" + ("%B %Y" if unit == "month" else "%Y") + "}: %{z} events"
            "<extra></extra>"
        ),
        xgap=1,
        ygap=1,
    )
    half = pd.Timedelta(days=16 if unit == "month" else 183)  # a cell spans its bin's middle
    extent = (columns.min() - half, columns.max() + half) if len(columns) else None
    now = current_row(ds, current)
    layout = base_layout(
        ds,
        order,
        extent,
        milestones_of(ds) if milestones is None else milestones,
        window=time_window(events, window, now),
        current=now,
    )
    # the colour bar's room, right of the plot: Plotly's autoexpand is off (see base_layout)
    layout["margin"]["r"] = _colorbar_margin(int(cells.max(initial=0)))
    layout["meta"] = {
        "lanes": lanes,
        "mode": "density",
        "unit": unit,
        "marks": len(codes),
        "lanes_cut": len(used) - len(order),
    }
    return figure([heatmap], layout)
