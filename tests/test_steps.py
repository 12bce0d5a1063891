"""The step-through's position and the event picker's options (no Streamlit)."""

from __future__ import annotations

import pandas as pd
import pytest

import chronology
from chronology.views import steps


@pytest.fixture(scope="module")
def ds() -> chronology.DataSet:
    return chronology.load()


def test_steps_go_through_the_events_in_date_order(ds: chronology.DataSet) -> None:
    events = ds.events
    ids = events["id"].tolist()
    assert events["start"].is_monotonic_increasing
    start = steps.step_of(events, None, ds.events)
    assert (start.index, start.previous, start.next) == (None, None, ids[0])
    seen, current = [], start.next
    while current is not None:
        step = steps.step_of(events, current, ds.events)
        assert step.index == len(seen) and step.total == len(ids)
        assert step.previous == (seen[-1] if seen else None)
        seen.append(current)
        current = step.next
    assert seen == ids  # first to last, each once
    back = steps.step_of(events, ids[-1], ds.events)
    assert back.next is None and back.previous == ids[-2]


def test_an_event_the_filters_leave_out_steps_to_its_neighbours(ds: chronology.DataSet) -> None:
    russia = chronology.filter_events(ds, chronology.Query(actors=("russia",)))
    left_out = ds.events.set_index("id").loc["us-agrees-to-withdraw"]  # 19 April 2024
    assert "us-agrees-to-withdraw" not in set(russia["id"])
    step = steps.step_of(russia, "us-agrees-to-withdraw", ds.events)
    assert step.index is None
    before = russia[russia["start"] < left_out["start"]]["id"].iloc[-1]
    after = russia[russia["start"] > left_out["start"]]["id"].iloc[0]
    assert (step.previous, step.next) == (before, after)


def test_no_events_no_steps(ds: chronology.DataSet) -> None:
    step = steps.step_of(ds.events.iloc[:0], "coup", ds.events)
    assert step == steps.Step(None, 0, None, None)


def _picker_ids(events: pd.DataFrame, index: int | None, size: int = steps.PICKER_OPTIONS) -> list:
    return steps.picker_rows(events, index, size)["id"].tolist()


def test_the_picker_offers_a_few_hundred_events_around_the_current_one() -> None:
    n = 100_000
    events = pd.DataFrame({"id": [f"e{i:06d}" for i in range(n)]})
    first = _picker_ids(events, None)
    assert first == [f"e{i:06d}" for i in range(steps.PICKER_OPTIONS)]
    middle = _picker_ids(events, 50_000)
    assert len(middle) == steps.PICKER_OPTIONS and "e050000" in middle
    assert middle.index("e050000") == steps.PICKER_OPTIONS // 2
    last = _picker_ids(events, n - 1)
    assert len(last) == steps.PICKER_OPTIONS and last[-1] == f"e{n - 1:06d}"
    assert _picker_ids(events.head(5), 3) == [f"e{i:06d}" for i in range(5)]


def test_the_picker_rows_are_the_events_own_rows(ds: chronology.DataSet) -> None:
    russia = chronology.filter_events(ds, chronology.Query(actors=("russia",)))
    for events in (ds.events, russia):
        for index in (None, 0, len(events) // 2, len(events) - 1):
            rows = steps.picker_rows(events, index, size=4)
            assert len(rows) == min(4, len(events))
            # every column and the index, in date order: what the page searched for before
            assert rows.equals(events[events["id"].isin(rows["id"])])
            if index is not None:
                assert events["id"].iloc[index] in set(rows["id"])


def test_range_labels() -> None:
    story = (pd.Timestamp("2023-07-01"), pd.Timestamp("2024-09-17"))
    assert steps.range_label(story, whole=False) == "Jul 2023 – Sep 2024"
    whole = (pd.Timestamp("2012-01-01"), pd.Timestamp("2024-09-17"))
    assert steps.range_label(whole, whole=True) == "2012 – 2024"


def test_the_caption_says_where_the_current_event_stands(ds: chronology.DataSet) -> None:
    events = ds.events
    first = steps.step_of(events, events["id"].iloc[0], events)
    assert steps.caption(first, events["id"].iloc[0], len(events)) == (
        f"Event 1 of {len(events)} in date order."
    )
    left_out = steps.step_of(events.iloc[1:], events["id"].iloc[0], events)
    assert steps.caption(left_out, events["id"].iloc[0], len(events)).startswith(
        f"This event is not among the {len(events) - 1}"
    )
    none = steps.step_of(events, None, events)
    text = steps.caption(none, None, 10)
    assert text.startswith(f"{len(events)} events: *Next*")
    assert "offers the 10 events around the current one" in text


def test_the_step_line_names_the_event(ds: chronology.DataSet) -> None:
    """Issue 19: not only 'Event 7 of 31': the event's date and title, escaped, in HTML (in
    Markdown an address in a title became a link, however escaped)."""
    from chronology.views import render

    events = ds.events
    at = steps.step_of(events, "coup", events)
    text = steps.caption(at, "coup", len(events))
    line = render.step_line_html(text, "26 July 2023 — Military coup ousts President Bazoum")
    n = events["id"].tolist().index("coup") + 1  # its place in date order
    assert (
        f"Event {n} of {len(events)} in date order: "
        "<strong>26 July 2023 — Military coup ousts President Bazoum</strong>." in line
    )
    hostile = render.step_line_html(text, "![x](http://example.invalid/x.png) <b>x</b>")
    assert "<b>x</b>" not in hostile and "&lt;b&gt;x&lt;/b&gt;" in hostile
    assert "<a " not in hostile
    many = steps.caption(at, "coup", 10)
    assert render.step_line_html(many, "x").endswith(
        "<strong>x</strong>. The list offers the 10 events around the current one; search, "
        "click the chart or step to reach the others.</p>"
    )
