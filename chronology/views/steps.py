"""Reading the timeline in order: the step-through's position and the event picker's options.

No Streamlit here: the Timeline page keeps the current event in ``?event=``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = [
    "PICKER_OPTIONS",
    "Step",
    "caption",
    "picker_rows",
    "range_label",
    "step_of",
]

PICKER_OPTIONS = 200
"""At most this many events in the picker (a selectbox ships every option to the browser)."""


@dataclass(frozen=True)
class Step:
    """Where the current event stands among the events shown (in date order).

    ``index`` counts from 0 (None: no current event, or one the filters leave out);
    ``previous`` and ``next`` are the ids to step to (None at either end).
    """

    index: int | None
    total: int
    previous: str | None
    next: str | None


def _position(events: pd.DataFrame, current: pd.Series) -> int:
    """Where an event left out by the filters would stand among ``events``: how many start
    before it (ties broken by end and id, as the data set is sorted)."""
    key = (current["start"], current["end"], current["id"])
    before = (
        (events["start"] < key[0])
        | ((events["start"] == key[0]) & (events["end"] < key[1]))
        | ((events["start"] == key[0]) & (events["end"] == key[1]) & (events["id"] < key[2]))
    )
    return int(before.sum())


def step_of(events: pd.DataFrame, current: str | None, all_events: pd.DataFrame) -> Step:
    """The step-through at ``current`` (an id) among ``events`` (filtered, in date order).

    With no current event, next is the first event. An event the filters leave out
    (``all_events`` holds it) steps to its nearest neighbours among those shown.
    """
    ids = events["id"]  # no list of every id: this runs on each rerun, at any size
    total = len(ids)
    if not total:
        return Step(None, 0, None, None)
    if current is None:
        return Step(None, total, None, ids.iloc[0])
    where = (ids == current).to_numpy().nonzero()[0]
    if len(where):
        i = int(where[0])
    else:
        row = all_events.loc[all_events["id"] == current]
        if row.empty:
            return Step(None, total, None, ids.iloc[0])
        i = _position(events, row.iloc[0])
    found = len(where) > 0
    after = i + 1 if found else i
    return Step(
        i if found else None,
        total,
        ids.iloc[i - 1] if i > 0 else None,
        ids.iloc[after] if after < total else None,
    )


def caption(step: Step, current: str | None, offered: int) -> str:
    """The line under the step buttons: where the current event stands, how to move on."""
    if step.index is not None:
        text = f"Event {step.index + 1:,} of {step.total:,} in date order."
    elif current:
        text = f"This event is not among the {step.total:,} the filters show."
    else:
        text = f"{step.total:,} events: *Next* (or →) steps through them in date order."
    if step.total > offered:
        text += (
            f" The list offers the {offered:,} events around the current one; search, "
            "click the chart or step to reach the others."
        )
    return text


def picker_rows(
    events: pd.DataFrame, index: int | None, size: int = PICKER_OPTIONS
) -> pd.DataFrame:
    """The events offered by the event picker: ``size`` events around the one at ``index``
    (the first ones when None), in date order; a slice, no search among every id."""
    total = len(events)
    centre = 0 if index is None else index
    first = max(0, min(centre - size // 2, total - size))
    return events.iloc[first : first + size]


def range_label(window: tuple[pd.Timestamp, pd.Timestamp], whole: bool) -> str:
    """'Jul 2023 – Sep 2024', or '2012 – 2024' for the whole span (years)."""
    lo, hi = window
    last = hi - pd.Timedelta(days=1)
    if whole and last.year != lo.year:
        return f"{lo:%Y} – {last:%Y}"
    if (lo.year, lo.month) == (last.year, last.month):
        return f"{lo:%b %Y}"
    return f"{lo:%b %Y} – {last:%b %Y}"
