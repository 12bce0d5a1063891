"""One colour per actor, the same on every page: top-level actors get a colour, children inherit it.

The colours are Okabe & Ito's colour-blind-safe set (black left out, so marks stay visible on a
dark background; yellow moved to the end, since it is faint on white), extended with Paul Tol's
"muted" colours for data sets with many top-level actors. All are mid-tones that read on both
Streamlit's light and dark themes.
"""

from __future__ import annotations

import pandas as pd

from ..data.dataset import DataSet
from ..data.query.actor_tree import actor_order, roots

__all__ = ["OTHER_COLOUR", "PALETTE", "actor_colours", "category_colours"]

PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue (Okabe–Ito)
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#882255",  # wine (Tol muted)
    "#44AA99",  # teal
    "#999933",  # olive
    "#AA4499",  # purple
    "#F0E442",  # yellow (Okabe–Ito)
)
OTHER_COLOUR = "#888888"
"""For top-level actors beyond the palette: grey rather than a reused, ambiguous colour."""


def actor_colours(ds: DataSet) -> dict[str, str]:
    """Actor id → hex colour: the most active top-level actors get the first colours.

    Activity counts the events of the whole family (the actor and its descendants), over the
    whole data set, so the colours do not change with the filters.
    """
    root = roots(ds)
    families = ds.event_actors["actor_id"].map(root).astype("str")
    pairs = pd.DataFrame({"event": ds.event_actors["event_id"], "family": families})
    activity = pairs.drop_duplicates()["family"].value_counts()
    tops = list(dict.fromkeys(root[a] for a in actor_order(ds)))
    rank = sorted(tops, key=lambda a: (-int(activity.get(a, 0)), tops.index(a)))
    colour_of_root = {
        a: PALETTE[i] if i < len(PALETTE) else OTHER_COLOUR for i, a in enumerate(rank)
    }
    return {a: colour_of_root[root[a]] for a in root}


def category_colours(ds: DataSet) -> dict[str, str]:
    """Category id → hex colour, in the categories' table order (the file's groups, for a
    timeline that names no actors); an event without a category is grey."""
    ids = list(ds.categories["id"])
    return {c: PALETTE[i] if i < len(PALETTE) else OTHER_COLOUR for i, c in enumerate(ids)}
