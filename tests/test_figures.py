"""Figure builders, read through their traces and layout (no Streamlit, no browser)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import pytest

import chronology
from chronology.data.query import actor_tree
from chronology.views import actor_figures, figures, palette, render, summaries, timeline_layout

PAYLOADS = Path(__file__).resolve().parent / "fixtures" / "payloads"
SCRIPT = "<script>alert(1)</script>"
MS_PER_DAY = 86_400_000


@pytest.fixture(scope="module")
def ds() -> chronology.DataSet:
    return chronology.load()


@pytest.fixture(scope="module")
def payloads() -> chronology.DataSet:
    return chronology.load(PAYLOADS)


def mark_traces(fig: go.Figure) -> list:
    return [t for t in fig.data if t.meta and t.meta.get("role") == "marks"]


def where(fig: go.Figure, event_id: str) -> list[tuple[object, int]]:
    """(trace, index) of every mark of an event."""
    return [
        (t, i) for t in mark_traces(fig) for i, eid in enumerate(t.customdata) if eid == event_id
    ]


def all_text(fig: go.Figure) -> str:
    """Every string Plotly could render: hover, names, ticks, annotations, titles."""
    return json.dumps(json.loads(fig.to_json()), ensure_ascii=False)


def lane_axis(fig: go.Figure) -> Any:
    """The axis of the lanes: ``yaxis2`` over the range slider's overview, else ``yaxis``."""
    return fig.layout.yaxis2 if fig.layout.yaxis2.overlaying else fig.layout.yaxis


# --- the timeline --------------------------------------------------------------------------


def test_one_lane_per_taking_part_actor_grouped_by_parent(ds: chronology.DataSet) -> None:
    fig = figures.timeline_figure(ds, ds.events)
    lanes = list(lane_axis(fig).categoryarray)
    in_events = set(ds.event_actors["actor_id"])
    names = ds.actor_names
    assert lanes == [names[a] for a in actor_tree.actor_order(ds) if a in in_events]
    assert lanes.index("United States") < lanes.index("US armed forces")
    assert lanes.index("US armed forces") < lanes.index("US Africa Command")
    assert lane_axis(fig).autorange == "reversed"
    assert fig.layout.meta["marks"] == len(ds.event_actors)


def test_the_range_slider_shows_where_the_events_are_without_the_marks(
    ds: chronology.DataSet,
) -> None:
    fig = figures.timeline_figure(ds, ds.events)
    on_x = [t for t in fig.data if (t.xaxis or "x") == "x" and t.x is not None and len(t.x) > 1]
    assert [t.meta["role"] for t in on_x] == ["overview"]  # the slider draws this trace alone
    (overview,) = on_x
    assert sum(overview.y[:-1]) == len(ds.events)  # every event counted once, by its start
    assert all(t.yaxis == "y2" for t in mark_traces(fig))
    assert fig.layout.yaxis.range[1] < 0 <= min(overview.y)  # out of the plot's view
    top = fig.layout.xaxis.rangeslider.yaxis.range[1]
    assert max(overview.y) <= top  # in the slider's view
    slider = fig.layout.xaxis.rangeslider.range
    assert overview.x[0] == str(slider[0])[:10] and overview.x[-1] == str(slider[1])[:10]


@pytest.mark.parametrize("lanes", ["actor", "category"])
def test_every_trace_draws_data(ds: chronology.DataSet, lanes: str) -> None:
    """No trace without data (each costs Plotly a pass in every draw): the marks and the
    slider's overview; the legend's colours travel in the layout's meta."""
    fig = figures.timeline_figure(ds, ds.events, lanes=lanes)
    # the marks, the slider's overview, and the '?' over disputed dates (issue 21)
    assert {t.meta["role"] for t in fig.data} == {"marks", "overview", "disputed"}
    assert all(len(t.x) and len(t.y) for t in fig.data)
    assert [c for _, c in figures.families_drawn(fig)] == [
        e["colour"] for e in fig.layout.meta["legend"]
    ]
    assert {e["colour"] for e in fig.layout.meta["legend"]} == {
        t.meta["colour"] for t in mark_traces(fig)
    }


def titles(fig: go.Figure) -> Any:
    """The trace of the events' titles (a row per event)."""
    (trace,) = [t for t in fig.data if t.meta["role"] == "titles"]
    return trace


def test_a_row_per_event_names_each_event_by_its_title(ds: chronology.DataSet) -> None:
    """Issue 19: a row per event, in date order, its title beside its mark, shortened with "…"
    to fit a phone's plot; no lane names left of the plot (the plot keeps the width); the
    current event's title in bold."""
    fig = figures.timeline_figure(ds, ds.events, lanes="event", current="coup")
    assert list(lane_axis(fig).categoryarray) == list(ds.events["id"])
    assert lane_axis(fig).showticklabels is False
    assert fig.layout.margin.l == 10
    trace = titles(fig)
    assert list(trace.customdata) == list(ds.events["id"])  # a tap on a title picks its event
    assert trace.hoverinfo == "none"
    by_id = dict(zip(ds.events["id"], ds.events["title"], strict=True))
    lo, hi = (pd.Timestamp(v) for v in fig.layout.xaxis.range)
    shown = 0
    for eid, text, side in zip(trace.customdata, trace.text, trace.textposition, strict=True):
        plain = re.sub(r"<[^>]+>", "", text).strip("← →")
        title = by_id[eid]
        assert plain == title or (plain.endswith("…") and title.startswith(plain[:-1])), text
        assert side in ("middle left", "middle right")
        event = ds.events.set_index("id").loc[eid]
        if event["start"] <= hi and event["end"] >= lo:
            shown += 1
            assert not text.startswith(("← ", "<b>← ")) and not text.endswith(" →")
        if side == "middle right":  # room for it on a phone's plot, from where it starts
            start = max(pd.Timestamp(trace.x[list(trace.customdata).index(eid)]), lo)
            room = (hi - start) / (hi - lo) * figures.TITLE_PLOT_PX
            assert len(plain) * figures.TITLE_CHAR_PX <= max(room, 16 * figures.TITLE_CHAR_PX)
    assert shown >= 20
    assert [t for t in trace.text if t.startswith("<b>")] == [
        "<b>Military coup ousts President Bazoum</b>"
    ]
    # the hover names the event's category and leading actor, not its row (an id)
    assert all("%{y}" not in t.hovertemplate for t in mark_traces(fig))


def test_a_title_over_its_own_solid_bar_is_white_with_a_halo_of_the_bars_colour(
    ds: chronology.DataSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Grey on orange could not be read (the surveillance hub's period, current and in bold,
    titled over its bar). Over a solid bar a title is white, haloed in the bar's colour so that
    it reads past the bar's end too; beside its mark, or over a light (citation-only) bar, a
    title keeps the chart's own colour (and so follows a dark theme)."""
    fig = figures.timeline_figure(ds, ds.events, lanes="event", current="us-surveillance-hub")
    trace = titles(fig)
    text = dict(zip(trace.customdata, trace.text, strict=True))
    ((mark, _),) = where(fig, "us-surveillance-hub")
    assert mark.meta["kind"] == "period" and mark.meta["evidence"] != "citation only"
    colour = mark.meta["colour"]
    assert text["us-surveillance-hub"] == (
        f'<span style="color:#ffffff;text-shadow:0 0 2px {colour},0 0 3px {colour},'
        f'0 0 4px {colour}"><b>Niger serves as a hub for US surveillance and…</b></span>'
    )
    for eid, shown in text.items():
        ((mark, _),) = where(fig, eid)
        if shown.startswith("<span"):  # only over a solid bar, in that bar's colour
            assert mark.meta["kind"] == "period" and mark.meta["evidence"] != "citation only"
            assert f"0 0 2px {mark.meta['colour']}," in shown
        elif mark.meta["kind"] == "point":
            assert "<span" not in shown
    # a light (citation-only) bar keeps the chart's colour; drawn solid (an import), white
    light = ds.events.assign(
        evidence=ds.events["evidence"].mask(
            ds.events["id"].eq("us-surveillance-hub"), "citation only"
        )
    )
    hub = dict(zip(ds.events["id"], range(len(ds.events)), strict=True))["us-surveillance-hub"]
    fig = figures.timeline_figure(ds, light, lanes="event", current="us-surveillance-hub")
    assert titles(fig).text[hub] == "<b>Niger serves as a hub for US surveillance and…</b>"
    monkeypatch.setattr(figures, "all_cited", lambda _: True)
    fig = figures.timeline_figure(ds, light, lanes="event", current="us-surveillance-hub")
    assert titles(fig).text[hub] == text["us-surveillance-hub"]


def test_a_row_per_event_for_a_few_events_else_a_lane_per_actor(
    ds: chronology.DataSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    marks, fig = figures.timeline_chart(ds, ds.events, lanes="event")
    assert fig.layout.meta["lanes"] == "event" and marks == len(ds.events)
    monkeypatch.setattr(figures, "EVENT_ROWS_MAX", len(ds.events) - 1)
    _, fig = figures.timeline_chart(ds, ds.events, lanes="event")
    assert fig.layout.meta["lanes"] == "actor"
    assert not [t for t in fig.data if t.meta["role"] == "titles"]


@pytest.mark.parametrize(
    ("text", "chars", "short"),
    [
        ("Military coup ousts President Bazoum", 40, "Military coup ousts President Bazoum"),
        ("Military coup ousts President Bazoum", 20, "Military coup ousts…"),
        ("US tries to keep its forces in Niger", 28, "US tries to keep its forces…"),
        ("Mali, Burkina Faso and Niger form", 12, "Mali, Burki…"),  # no word in half of it
        ("Supercalifragilistic", 8, "Superca…"),
    ],
)
def test_shorten_cuts_at_a_word(text: str, chars: int, short: str) -> None:
    assert figures.shorten(text, chars) == short
    assert len(figures.shorten(text, chars)) <= chars


def test_the_lanes_axis_has_a_theme_of_its_own(ds: chronology.DataSet) -> None:
    """The marks' lanes sit on ``yaxis2``, whose template entry (Streamlit's colours, no title
    standoff) takes the place of the ``yaxis`` one Streamlit's front end fills for every y axis:
    with a standoff, Plotly measures every lane's label in the page on every draw."""
    fig = figures.timeline_figure(ds, ds.events)
    assert {t.yaxis for t in mark_traces(fig)} == {timeline_layout.MARKS_LANES}
    own = json.loads(fig.to_json())["layout"]["template"]["layout"]["yaxis2"]
    assert own == json.loads(json.dumps(timeline_layout.LANES_THEME))
    assert "standoff" not in own.get("title", {})
    assert own["tickfont"]["color"] == "#000036"  # Streamlit's placeholder: the text colour


def test_lanes_by_category(ds: chronology.DataSet) -> None:
    fig = figures.timeline_figure(ds, ds.events, lanes="category")
    used = set(ds.events["category"])
    want = [n for c, n in zip(ds.categories["id"], ds.categories["name"], strict=True) if c in used]
    assert list(lane_axis(fig).categoryarray) == want
    ids = [eid for t in mark_traces(fig) for eid in t.customdata]
    assert sorted(ids) == sorted(ds.events["id"])  # each event once


def test_an_event_appears_on_every_actors_lane(ds: chronology.DataSet) -> None:
    fig = figures.timeline_figure(ds, ds.events)
    lanes = {trace.y[i] for trace, i in where(fig, "coup")}
    assert lanes == {"CNSP (military junta)", "Mohamed Bazoum"}


def test_a_day_is_a_marker(ds: chronology.DataSet) -> None:
    fig = figures.timeline_figure(ds, ds.events)
    marks = where(fig, "withdrawal-begins")
    assert marks
    for trace, i in marks:
        assert trace.type == "scatter" and trace.mode == "markers"
        assert pd.Timestamp(trace.x[i]).date() == date(2024, 6, 7)


@pytest.mark.parametrize(
    ("data", "event_id", "start", "days"),
    [
        pytest.param("minimal", "coup", "2023-07-01", 31, id="month"),
        pytest.param("bundled", "us-presence-begins", "2012-01-01", 366, id="year"),
        pytest.param(
            "minimal", "withdrawal-agreement", "2024-05-01", 31, id="month, excerpt-dated"
        ),
    ],
)
def test_a_month_or_year_is_a_hatched_span_over_all_of_it(
    ds: chronology.DataSet,
    minimal: chronology.DataSet,
    data: str,
    event_id: str,
    start: str,
    days: int,
) -> None:
    ds = minimal if data == "minimal" else ds  # the bundled milestones are dated to the day
    fig = figures.timeline_figure(ds, ds.events)
    marks = where(fig, event_id)
    assert marks
    for trace, i in marks:
        assert trace.type == "bar" and trace.orientation == "h"
        assert trace.meta["kind"] == "span"
        assert trace.base[i] == start
        assert trace.x[i] == days * MS_PER_DAY
        assert trace.marker.pattern.shape == "/"


def test_a_period_is_a_solid_bar_from_start_to_end(ds: chronology.DataSet) -> None:
    fig = figures.timeline_figure(ds, ds.events)
    (trace, i), *_ = where(fig, "bazoum-presidency")
    assert trace.type == "bar" and trace.meta["kind"] == "period"
    assert trace.base[i] == "2021-04-02"
    days = (date(2023, 7, 26) - date(2021, 4, 2)).days + 1
    assert trace.x[i] == days * MS_PER_DAY
    assert not trace.marker.pattern.shape


def test_citation_only_marks_are_hollow_or_light_and_the_legend_says_so(
    ds: chronology.DataSet,
) -> None:
    fig = figures.timeline_figure(ds, ds.events)
    cited = set(ds.events.loc[ds.events["evidence"] == "citation only", "id"])
    for trace in mark_traces(fig):
        is_cited = trace.meta["evidence"] == "citation only"
        assert is_cited == all(eid in cited for eid in trace.customdata)
        if trace.type == "scatter":
            assert trace.marker.symbol == ("circle-open" if is_cited else "circle")
        elif is_cited:  # a light fill, outlined in the full colour
            assert trace.marker.color.startswith("rgba(")
            assert float(trace.marker.color.rsplit(",", 1)[1].rstrip(")")) <= 0.25
            assert trace.marker.line.color.startswith("#")
    legend = render.timeline_legend_html(figures.families_drawn(fig))
    assert "citation only" in legend and "month or year" in legend and "Niger" in legend


def test_one_colour_per_family_children_inherit(ds: chronology.DataSet) -> None:
    colours = palette.actor_colours(ds)
    assert colours["us-africom"] == colours["us-military"] == colours["united-states"]
    assert colours["cnsp"] == colours["niger"]
    tops = [a for a, p in zip(ds.actors["id"], ds.actors["parent"], strict=True) if not p]
    assert len({colours[a] for a in tops}) == len(tops)  # ten families, ten colours
    fig = figures.timeline_figure(ds, ds.events, colours=colours)
    for trace in mark_traces(fig):
        family_colour = colours.get(trace.meta["family"], palette.OTHER_COLOUR)
        assert family_colour in (trace.marker.color, trace.marker.line.color)


def test_the_milestones_are_marked_on_the_axis(ds: chronology.DataSet) -> None:
    fig = figures.timeline_figure(ds, ds.events)
    shapes = {s.name.split(":", 1)[1]: s for s in fig.layout.shapes}
    assert set(shapes) == {
        "us-presence-begins",
        "coup",
        "defense-agreement-terminated",
        "withdrawal-deadline",
    }
    coup = shapes["coup"]  # dated to the day of its citation
    assert coup.type == "line"
    assert pd.Timestamp(coup.x0).date() == date(2023, 7, 26)
    deadline = shapes["withdrawal-deadline"]
    assert deadline.type == "line"
    assert pd.Timestamp(deadline.x0).date() == date(2024, 9, 15)
    assert shapes["us-presence-begins"].type == "rect"  # the whole of 2012
    labels = {a.name.split(":", 1)[1]: a for a in fig.layout.annotations}
    assert set(labels) == set(shapes)
    assert labels["coup"].text == "Coup Jul 2023"
    assert "Military coup ousts President Bazoum" in labels["coup"].hovertext  # the title
    assert "July 2023" in labels["coup"].hovertext


def test_milestone_labels_are_short_and_staggered(ds: chronology.DataSet) -> None:
    """The coup, the end of the agreement and the deadline, on the whole 2012–2024 axis, are
    close: each label gets its own row, on a leader above its milestone, inside the top margin.
    """
    fig = figures.timeline_figure(ds, ds.events, window="all")
    notes = {a.name.split(":", 1)[1]: a for a in fig.layout.annotations}
    assert all(len(a.text) <= 25 for a in notes.values())
    close = [notes[m] for m in ("coup", "defense-agreement-terminated", "withdrawal-deadline")]
    assert len({a.ay for a in close}) == 3
    for a in notes.values():
        assert a.showarrow and a.ax == 0 and a.ay < 0 and a.ayref == "pixel"
        assert -a.ay + 8 <= fig.layout.margin.t  # the label fits above the plot
        # written towards the middle of the axis, so it stays over the plot
        lo, hi = x_range(fig)
        middle = pd.Timestamp(a.x) < lo + (hi - lo) / 2
        assert a.xanchor == ("left" if middle else "right")


def test_milestone_labels_do_not_overlap_on_a_phone(ds: chronology.DataSet) -> None:
    """Laid out for the range shown, on a phone's plot area: no two labels in a row overlap."""
    for window in ("story", "all"):
        fig = figures.timeline_figure(ds, ds.events, window=window)
        lo, hi = x_range(fig)
        boxes = []
        for a in fig.layout.annotations:
            at = (pd.Timestamp(a.x) - lo) / (hi - lo) * timeline_layout.NOMINAL_PLOT_PX
            if not 0 <= at <= timeline_layout.NOMINAL_PLOT_PX:
                continue  # outside the range shown: Plotly hides it
            width = timeline_layout.LABEL_CHAR_PX * len(a.text)
            left = at - width if a.xanchor == "right" else at
            boxes.append((a.ay, left, left + width))
        assert len(boxes) >= 3
        for i, (row, left, right) in enumerate(boxes):
            for other, lo2, hi2 in boxes[i + 1 :]:
                assert row != other or right < lo2 or left > hi2, (window, boxes)


def test_labels_in_a_row_do_not_overlap_and_leaders_cross_no_label() -> None:
    # (leader, left, right) as shares of the axis
    labels = [(0.0, 0.0, 0.2), (0.85, 0.6, 0.85), (0.9, 0.6, 0.9), (0.95, 0.6, 0.95)]
    assert timeline_layout._label_rows(labels) == [0, 0, 1, 2]
    rising = [(0.1, 0.1, 0.3), (0.15, 0.15, 0.35), (0.2, 0.2, 0.4)]  # written rightwards
    assert timeline_layout._label_rows(rising) == [2, 1, 0]  # the later leaders stay clear


def test_a_data_set_without_milestone_labels_marks_none(payloads: chronology.DataSet) -> None:
    assert figures.milestones_of(payloads) == []
    fig = figures.timeline_figure(payloads, payloads.events)
    assert not fig.layout.shapes


def test_milestones_come_from_the_events_table(ds: chronology.DataSet) -> None:
    assert ("coup", "Coup Jul 2023") in figures.milestones_of(ds)
    fig = figures.timeline_figure(ds, ds.events, milestones=[("lavrov-burkina", "Lavrov")])
    assert [s.name.split(":", 1)[1] for s in fig.layout.shapes] == ["lavrov-burkina"]


def test_a_range_slider_and_a_date_axis(ds: chronology.DataSet) -> None:
    fig = figures.timeline_figure(ds, ds.events)
    assert fig.layout.xaxis.type == "date"
    assert fig.layout.xaxis.rangeslider.visible is True


def x_range(fig: go.Figure) -> tuple[pd.Timestamp, pd.Timestamp]:
    lo, hi = fig.layout.xaxis.range
    return pd.Timestamp(lo), pd.Timestamp(hi)


def autorange_to(fig: go.Figure) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Where autorange ('all', a double click) goes: at least and at most the given range."""
    options = fig.layout.xaxis.autorangeoptions
    lo, hi = (pd.Timestamp(x) for x in options.include)
    assert (pd.Timestamp(options.clipmin), pd.Timestamp(options.clipmax)) == (lo, hi)
    return lo, hi


def test_the_time_axis_fits_the_events_shown(ds: chronology.DataSet) -> None:
    """Russia's events run from July 2023 to June 2024: the axis does too, padded by a month,
    and the 2012 deployment and the September 2024 deadline are left out of it."""
    russia = chronology.filter_events(ds, chronology.Query(actors=("russia",)))
    fig = figures.timeline_figure(ds, russia)
    first, last = russia["start"].min(), russia["end"].max() + pd.Timedelta(days=1)
    lo, hi = x_range(fig)
    assert (lo, hi) == figures.x_range(first, last)
    assert (
        first - lo == hi - last == timeline_layout.MIN_PAD
    )  # the span is short: a month each side
    assert fig.layout.xaxis.autorange is False
    # 'all' (autorange) and the slider keep to the same range, whatever the milestones
    axis = fig.layout.xaxis
    assert autorange_to(fig) == (lo, hi)
    assert tuple(pd.Timestamp(x) for x in axis.rangeslider.range) == (lo, hi)
    shown = {s.name.split(":", 1)[1] for s in fig.layout.shapes}
    assert shown == {"coup", "defense-agreement-terminated"}
    assert {a.name.split(":", 1)[1] for a in fig.layout.annotations} == shown
    for s in fig.layout.shapes:
        assert pd.Timestamp(s.x1) >= lo and pd.Timestamp(s.x0) <= hi


def test_the_whole_data_set_is_padded_by_a_share_of_its_span(ds: chronology.DataSet) -> None:
    fig = figures.timeline_figure(ds, ds.events, window="all")
    lo, hi = x_range(fig)
    first, last = ds.events["start"].min(), ds.events["end"].max() + pd.Timedelta(days=1)
    pad = (last - first) * timeline_layout.PAD_SHARE
    assert pad > timeline_layout.MIN_PAD
    assert (lo, hi) == (first - pad, last + pad)
    assert len(fig.layout.shapes) == len(figures.milestones_of(ds)) == 4


def test_the_default_window_is_where_most_events_are(ds: chronology.DataSet) -> None:
    """Most events fall between July 2023 and September 2024: the first view shows those
    months (padded), the slider and a double click the whole span."""
    lo, hi = figures.default_window(ds.events)
    assert (lo, hi) == (pd.Timestamp("2023-07-01"), pd.Timestamp("2024-09-17"))
    starts = ds.events["start"]
    assert starts.between(lo, hi).equals(starts >= pd.Timestamp("2023-07-01"))
    assert starts.between(lo, hi).mean() > 0.8  # most of them; the 2012–2021 context is not
    fig = figures.timeline_figure(ds, ds.events)
    assert x_range(fig) == figures.x_range(lo, hi)
    whole = figures.x_range(starts.min(), ds.events["end"].max() + pd.Timedelta(days=1))
    assert autorange_to(fig) == whole  # a double click: the whole span
    slider = fig.layout.xaxis.rangeslider
    assert tuple(pd.Timestamp(x) for x in slider.range) == whole
    assert figures.x_range(*figures.time_window(ds.events, "all")) == whole


def _events(dates: list[str]) -> pd.DataFrame:
    starts = pd.to_datetime(pd.Series(dates))
    return pd.DataFrame(
        {"id": [f"e{i}" for i in range(len(dates))], "start": starts, "end": starts}
    )


def test_the_default_window_comes_from_the_data_not_a_constant() -> None:
    day = pd.Timedelta(days=1)
    # a few early outliers, then a busy year: the busy year
    busy = [f"2020-{m:02d}-10" for m in range(1, 13)]
    lo, hi = figures.default_window(_events(["1990-01-01", "2001-05-05", *busy]))
    assert (lo, hi) == (pd.Timestamp("2020-01-10"), pd.Timestamp("2020-12-10") + day)
    # the same shape forty years later: the same kind of window
    later = [f"2060-{m:02d}-10" for m in range(1, 13)]
    assert figures.default_window(_events(["2030-01-01", *later]))[0] == pd.Timestamp("2060-01-10")
    # events spread evenly: all of them
    even = [f"{y}-06-01" for y in range(2000, 2020)]
    assert figures.default_window(_events(even)) == figures.time_window(_events(even), "all")
    # few events: all of them; none: no window
    few = ["1990-01-01", "2020-01-01", "2020-02-01"]
    assert figures.default_window(_events(few)) == (
        pd.Timestamp("1990-01-01"),
        pd.Timestamp("2020-02-02"),
    )
    assert figures.default_window(_events([])) is None
    # an event just beyond the busy year is the story's end: it is kept
    assert figures.default_window(_events([*busy, "2021-01-20", "1980-01-01"]))[1] == pd.Timestamp(
        "2021-01-21"
    )


def test_the_window_moves_to_the_current_event(ds: chronology.DataSet) -> None:
    story = figures.default_window(ds.events)
    width = story[1] - story[0]
    by_id = ds.events.set_index("id", drop=False)
    inside = figures.time_window(ds.events, "story", by_id.loc["withdrawal-begins"])
    assert inside == story  # the current event is in view: the view stays
    chad = by_id.loc["us-personnel-reported-2013"]  # a day in 2013: centred, the same width
    lo, hi = figures.time_window(ds.events, "story", chad)
    assert hi - lo == width and lo + width / 2 == chad["start"] + pd.Timedelta(hours=12)
    bazoum = by_id.loc["bazoum-presidency"]  # April 2021 to July 2023, longer: all of it
    lo, hi = figures.time_window(ds.events, "story", bazoum)
    assert (lo, hi) == (bazoum["start"], bazoum["end"] + pd.Timedelta(days=1))
    first = by_id.loc["us-presence-begins"]  # 2012: kept within the data's span
    assert figures.time_window(ds.events, "story", first)[0] == ds.events["start"].min()
    fig = figures.timeline_figure(ds, ds.events, current="bazoum-presidency")
    band = [s for s in fig.layout.shapes if s.name == "current:bazoum-presidency"]
    assert len(band) == 1 and pd.Timestamp(band[0].x0) == bazoum["start"]
    assert x_range(fig) == figures.x_range(lo, hi)
    whole = figures.timeline_figure(ds, ds.events, window="all", current="bazoum-presidency")
    assert x_range(whole) == x_range(figures.timeline_figure(ds, ds.events, window="all"))


def lanes_of(fig: go.Figure) -> int:
    return len(lane_axis(fig).categoryarray)


def test_the_height_grows_with_the_lanes(ds: chronology.DataSet) -> None:
    everything = figures.timeline_figure(ds, ds.events)
    russia = chronology.filter_events(ds, chronology.Query(actors=("russia",)))
    few = figures.timeline_figure(ds, russia)
    assert lanes_of(everything) > lanes_of(few) >= 8
    more = lanes_of(everything) - lanes_of(few)
    assert everything.layout.height - few.layout.height >= timeline_layout.LANE_PX * more
    for fig in (everything, few):
        margin = fig.layout.margin
        plot = fig.layout.height - margin.t - margin.b  # the lanes' area
        assert plot >= 26 * lanes_of(fig)
        # every margin is ours (none pushed by Plotly, which would draw the chart twice): the
        # bottom one holds two lines of date ticks, the range slider and Plotly's pad round it
        assert margin.autoexpand is False
        slider = fig.layout.xaxis.rangeslider.thickness * plot
        assert margin.b >= timeline_layout.AXIS_PX + slider + timeline_layout.SLIDER_PAD
        assert slider >= timeline_layout.SLIDER_PX
    one = ds.events[ds.events["id"] == "coup"]
    assert figures.timeline_figure(ds, one).layout.height >= 300  # a sensible minimum


def test_the_legend_is_not_beside_the_plot(ds: chronology.DataSet) -> None:
    """No legend beside the plot (on a phone it took half the width): the page draws the
    actors' colours and the key under the chart, in HTML that wraps; long lane names take
    two short lines."""
    fig = figures.timeline_figure(ds, ds.events)
    assert fig.layout.legend.visible is False
    assert "legend2" not in fig.layout.to_plotly_json()
    assert fig.layout.xaxis.rangeselector.to_plotly_json() == {}  # replaced by the page's choice
    assert fig.layout.margin.r <= 10
    drawn = figures.families_drawn(fig)
    colours = palette.actor_colours(ds)
    assert drawn[:2] == [("United States", colours["united-states"]), ("Niger", colours["niger"])]
    html = render.timeline_legend_html(drawn)
    assert html.count('class="swatch"') == len(drawn)
    assert html.count('class="key"') == len(render.MARKS_KEY)
    ticks = dict(zip(lane_axis(fig).tickvals, lane_axis(fig).ticktext, strict=True))
    assert ticks["Niger"] == "Niger"
    assert ticks["Nigerien armed forces"] == "Nigerien<br>armed forces"
    for text in ticks.values():
        assert all(len(line) <= timeline_layout.LANE_LINE_CHARS for line in text.split("<br>"))


def test_hover_has_the_title_and_the_date_as_the_source_gives_it(
    ds: chronology.DataSet, minimal: chronology.DataSet
) -> None:
    fig = figures.timeline_figure(minimal, minimal.events)  # its agreement is dated to the month
    trace, i = where(fig, "withdrawal-agreement")[0]
    hover = trace.hovertext[i]
    assert "May 2024" in hover
    assert "as the source puts it: ‘last month’" in hover
    assert "date known only to the month" in hover
    # the lane (here: the actor) and the evidence, the same for every mark of the trace, come
    # from the trace's template; the text names the category
    evidence = figures.EVIDENCE[trace.meta["evidence"]]
    assert trace.hovertemplate == f"%{{hovertext}}<br>%{{y}}<br>{evidence}<extra></extra>"
    category = minimal.events.set_index("id").loc["withdrawal-agreement", "category"]
    names = dict(zip(minimal.categories["id"], minimal.categories["name"], strict=True))
    assert hover.endswith("<br>" + names.get(category, category))
    by_category = figures.timeline_figure(minimal, minimal.events, lanes="category")
    trace, i = where(by_category, "withdrawal-agreement")[0]  # the text names the lead actor
    lead = minimal.event_actors[minimal.event_actors["event_id"] == "withdrawal-agreement"]
    assert minimal.actor_names[lead["actor_id"].iloc[0]] in trace.hovertext[i]
    fig = figures.timeline_figure(ds, ds.events)  # the bundled one, to the day of its citation
    trace, i = where(fig, "withdrawal-agreement")[0]
    hover = trace.hovertext[i]
    assert "US and Niger agree the terms of the withdrawal" in hover
    assert "19 May 2024" in hover
    assert "as the source puts it: ‘last month’" in hover
    assert "known only to the month" not in hover


def test_hostile_text_is_escaped_everywhere(payloads: chronology.DataSet) -> None:
    for lanes in ("actor", "category", "event"):
        fig = figures.timeline_figure(payloads, payloads.events, lanes=lanes)
        text = all_text(fig)
        assert SCRIPT not in text
        assert "<img" not in text and "<b>Bold</b>" not in text and "<i>italic" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    fig = figures.timeline_figure(payloads, payloads.events)
    lanes = list(lane_axis(fig).categoryarray)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; State" in lanes
    names = [entry["name"] for entry in fig.layout.meta["legend"]]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; State" in names
    # families_drawn gives the names as text: the page's HTML legend escapes them itself
    assert "<script>alert(1)</script> State" in [name for name, _ in figures.families_drawn(fig)]
    trace, i = where(fig, "period-event")[0]
    assert "-1+1 period &amp; &lt;i&gt;italic&lt;/i&gt;" in trace.hovertext[i]


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(lambda ds: figures.timeline_figure(ds, ds.events), id="by actor"),
        pytest.param(
            lambda ds: figures.timeline_figure(ds, ds.events, lanes="category"), id="by category"
        ),
        pytest.param(
            lambda ds: figures.timeline_figure(ds, ds.events, window="all", current="coup"),
            id="current event",
        ),
        pytest.param(
            lambda ds: figures.timeline_figure(ds, ds.events, lanes="event", current="coup"),
            id="a row per event",
        ),
        pytest.param(lambda ds: figures.timeline_figure(ds, ds.events.iloc[:0]), id="empty"),
        pytest.param(lambda ds: figures.density_figure(ds, ds.events), id="density"),
        pytest.param(
            lambda ds: figures.density_figure(ds, ds.events, lanes="category", current="coup"),
            id="density by category",
        ),
    ],
)
def test_the_charts_are_valid_plotly_figures(ds: chronology.DataSet, build) -> None:
    """The charts skip Plotly's validation (``timeline_layout.figure``): validating them
    changes nothing, and a misspelt property would raise here."""
    fig = build(ds)
    assert json.loads(go.Figure(fig.to_dict()).to_json()) == json.loads(fig.to_json())


def test_hostile_text_is_escaped_in_the_other_figures(payloads: chronology.DataSet) -> None:
    built = [
        figures.density_figure(payloads, payloads.events),
        actor_figures.relations_figure(payloads, payloads.events, "actor"),
        actor_figures.activity_figure(payloads, payloads.events, "evil-state"),
        actor_figures.partners_figure(payloads, "plain"),
    ]
    for fig in built:
        text = all_text(fig)
        assert SCRIPT not in text and "<img" not in text


def test_no_events_draws_an_empty_chart_that_says_so(ds: chronology.DataSet) -> None:
    fig = figures.timeline_figure(ds, ds.events.iloc[:0])
    assert not mark_traces(fig)
    assert "No events" in fig.layout.annotations[-1].text


def test_the_figure_does_not_change_the_data(ds: chronology.DataSet) -> None:
    before = ds.events.copy()
    figures.timeline_figure(ds, ds.events)
    figures.timeline_figure(ds, ds.events, lanes="category")
    pd.testing.assert_frame_equal(ds.events, before)


def test_mark_count_matches_the_drawing(ds: chronology.DataSet) -> None:
    for lanes in ("actor", "category"):
        some = ds.events.iloc[::3]
        fig = figures.timeline_figure(ds, some, lanes=lanes)
        n = sum(len(t.customdata) for t in mark_traces(fig))
        assert figures.mark_count(ds, some, lanes) == n


# --- many events ---------------------------------------------------------------------------


def test_the_density_figure_counts_every_mark(ds: chronology.DataSet) -> None:
    fig = figures.density_figure(ds, ds.events)
    (heat,) = fig.data
    assert heat.type == "heatmap"
    assert heat.z.sum() == figures.mark_count(ds, ds.events)
    assert list(heat.y) == list(fig.layout.yaxis.categoryarray)
    assert fig.layout.meta["mode"] == "density"
    assert fig.layout.meta["unit"] == "month"  # 2012–2024 fits in 15 years
    assert fig.layout.xaxis.rangeslider.visible is True
    # the colour bar at the plot's right edge, in a margin of its own (autoexpand is off)
    bar = heat.colorbar
    assert fig.layout.margin.autoexpand is False and bar.x == 1
    assert fig.layout.margin.r >= bar.xpad + bar.thickness + 7 * len(str(heat.z.max()))


def test_the_density_figure_fits_its_axis_to_the_events(ds: chronology.DataSet) -> None:
    russia = chronology.filter_events(ds, chronology.Query(actors=("russia",)))
    fig = figures.density_figure(ds, russia)
    lo, hi = x_range(fig)
    (heat,) = fig.data
    assert lo < pd.Timestamp(min(heat.x)) and pd.Timestamp(max(heat.x)) < hi
    assert lo > pd.Timestamp("2023-05-01") and hi < pd.Timestamp("2024-09-01")
    shown = {s.name.split(":", 1)[1] for s in fig.layout.shapes}
    assert "us-presence-begins" not in shown and "withdrawal-deadline" not in shown
    assert fig.layout.height >= timeline_layout.LANE_PX * len(heat.y)


# --- actors ----------------------------------------------------------------------------------


def test_activity_counts_each_event_once_per_role(ds: chronology.DataSet) -> None:
    fig = actor_figures.activity_figure(ds, ds.events, "united-states")
    family = ds.descendants("united-states")
    links = ds.event_actors[ds.event_actors["actor_id"].isin(family)]
    want = len(links.drop_duplicates(["event_id", "role"]))
    assert sum(int(sum(t.y)) for t in fig.data) == want
    assert {t.name for t in fig.data} <= {"as actor", "as participant", "as target"}


def test_relations_go_from_actor_to_target(ds: chronology.DataSet) -> None:
    table = summaries.relations(ds, ds.events, "actor")
    pair = table[(table["source"] == "cnsp") & (table["target"] == "mohamed-bazoum")]
    assert int(pair["events"].iloc[0]) == 1  # the coup
    fig = actor_figures.relations_figure(ds, ds.events, "actor")
    (heat,) = fig.data
    row = list(heat.y).index("CNSP (military junta)")
    col = list(heat.x).index("Mohamed Bazoum")
    assert heat.z[row][col] == 1
    assert heat.z.sum() == table["events"].sum()


def test_partners_shift_from_the_us_and_france_to_russia(ds: chronology.DataSet) -> None:
    table = summaries.partner_relations(ds, "niger")
    france = table[table["partner"] == "france"]
    assert set(france["relation"]) == {"against"}  # the expulsion of French troops
    russia = table[table["partner"] == "russia"]
    assert set(russia["relation"]) == {"together"}
    assert russia["start"].min() >= pd.Timestamp("2023-07-01")
    us = table[table["partner"] == "united-states"]
    assert us["start"].min() < pd.Timestamp("2013-01-01")
    fig = actor_figures.partners_figure(ds, "niger")
    partners = fig.layout.meta["partners"]
    assert {"united-states", "france", "russia"} <= set(partners)
    assert "sahel-jihadist-groups" not in partners  # armed groups are not partners
    against = [t for t in fig.data if t.meta["relation"] == "against"]
    assert all(v < 0 for t in against for v in t.y)


def test_the_density_figure_keeps_the_busiest_lanes(ds: chronology.DataSet) -> None:
    fig = figures.density_figure(ds, ds.events, max_lanes=3)
    (heat,) = fig.data
    assert len(heat.y) == 3
    busiest = ds.event_actors["actor_id"].value_counts().head(3).index
    assert set(heat.y) == {ds.actor_names[a] for a in busiest}
    lanes = ds.event_actors["actor_id"].nunique()
    assert fig.layout.meta["lanes_cut"] == lanes - 3


def test_the_timeline_chart_counts_above_max_marks(
    ds: chronology.DataSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    marks, fig = figures.timeline_chart(ds, ds.events)
    assert marks == figures.mark_count(ds, ds.events) <= figures.MAX_MARKS
    assert fig.layout.meta["mode"] != "density"
    monkeypatch.setattr(figures, "MAX_MARKS", marks - 1)
    same, counted = figures.timeline_chart(ds, ds.events)
    assert same == marks
    assert counted.layout.meta["mode"] == "density"
    assert counted.data[0].z.sum() == marks
    caption = figures.counts_caption(marks, counted)
    assert caption.startswith(f"{marks:,} marks are too many")
    assert "busiest" not in caption  # every lane drawn


def test_the_counts_caption_names_the_lanes_left_out(ds: chronology.DataSet) -> None:
    fig = figures.density_figure(ds, ds.events, max_lanes=3)
    left_out = fig.layout.meta["lanes_cut"]
    caption = figures.counts_caption(1234, fig)
    assert f"in the 3 busiest lanes ({left_out:,} more not drawn)" in caption
    assert caption.endswith("Narrow the filters to see single events.")


@pytest.mark.parametrize(
    ("state", "ids"),
    [
        pytest.param(None, [], id="no state"),
        pytest.param({"selection": {"points": []}}, [], id="nothing selected"),
        pytest.param(
            {"selection": {"points": [{"customdata": ["coup"]}, {"customdata": "deadline"}]}},
            ["coup", "deadline"],
            id="list and plain customdata",
        ),
        pytest.param(
            {"selection": {"points": [{"x": 1}, {"customdata": [3]}]}}, [], id="no event id"
        ),
    ],
)
def test_selected_event_ids(state: dict | None, ids: list[str]) -> None:
    assert figures.selected_event_ids(state) == ids


def test_relations_and_partners_say_when_they_have_nothing(ds: chronology.DataSet) -> None:
    none = ds.events.iloc[:0]
    relations = actor_figures.relations_figure(ds, none)
    assert relations.layout.annotations[0].text == "No actor acted on a target in these events"
    assert relations.layout.meta["pairs"] == 0
    partners = actor_figures.partners_figure(ds, "niger", events=none)
    assert partners.layout.annotations[0].text == "No events shared with partners"
    assert not partners.layout.xaxis.visible


def test_the_relations_matrix_writes_counts_and_leaves_empty_cells_empty(
    ds: chronology.DataSet,
) -> None:
    fig = actor_figures.relations_figure(ds, ds.events)
    heat = fig.data[0]
    for z_row, text_row in zip(heat.z, heat.text, strict=True):
        for z, text in zip(z_row, text_row, strict=True):
            assert text == ("" if z == 0 else str(int(z)))
    assert any(t == "" for row in heat.text for t in row)
    assert any(t == "3" for row in heat.text for t in row)
