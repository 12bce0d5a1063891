"""One colour per actor, the same on every page: top-level actors get a colour, children inherit it.

The colours are Okabe & Ito's colour-blind-safe set (black left out, so marks stay visible on a
dark background; yellow moved to the end, since it is faint on white), extended with Paul Tol's
"muted" colours for data sets with many top-level actors. All are mid-tones that read on both
Streamlit's light and dark themes.
"""

from __future__ import annotations

import pandas as pd

from .dataset import DataSet

__all__ = ["OTHER_COLOUR", "PALETTE", "actor_colours", "actor_order", "roots"]

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


def roots(ds: DataSet) -> dict[str, str]:
    """Actor id → id of its top-level ancestor (itself for a top-level actor).

    Each actor is walked once (memoised), so a deep chain costs linear time; on a cycle, the
    actor where the walk came back round stands for the top.
    """
    parent = dict(zip(ds.actors["id"], ds.actors["parent"], strict=True))
    out: dict[str, str] = {}
    for aid in parent:
        path, seen, node = [], set(), aid
        while node not in out:
            path.append(node)
            seen.add(node)
            up = parent.get(node, "")
            if not up or up not in parent or up in seen:
                out[node] = node
                break
            node = up
        top = out[node]
        for member in path:
            out.setdefault(member, top)
    return out


def actor_order(ds: DataSet) -> list[str]:
    """Actor ids grouped by parent: each top-level actor followed by its descendants, depth first.

    Within a level, actors keep their order in actors.csv. The walk keeps its own stack, so a
    chain of any depth cannot exhaust Python's recursion limit.
    """
    top = [a for a, p in zip(ds.actors["id"], ds.actors["parent"], strict=True) if not p]
    out: list[str] = []
    seen: set[str] = set()
    for aid in top:
        stack = [aid]
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            out.append(node)
            stack.extend(reversed(ds.children.get(node, [])))
    out += [a for a in ds.actors["id"] if a not in seen]  # only on a cyclic tree
    return out


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
