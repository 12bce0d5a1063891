"""The facts prepared once per data set, and the selections and counts built on them, agree
with the same things computed the plain way (by comparing ids)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import chronology
from chronology.data import actor_tree, selection
from chronology.views import figures, palette, summaries

ROOT = Path(__file__).resolve().parent.parent
QUERIES = [
    pytest.param(chronology.Query(), id="everything"),
    pytest.param(chronology.Query(actors=("russia",)), id="one actor"),
    pytest.param(chronology.Query(actors=("united-states",), citation_only=False), id="family"),
    pytest.param(chronology.Query(text="no such words anywhere"), id="nothing"),
]


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> chronology.DataSet:
    """A generated data set with more top-level actors than the palette has colours."""
    out = tmp_path_factory.mktemp("generated") / "data-3000"
    generate = ROOT / "bench" / "generate.py"
    subprocess.run([sys.executable, str(generate), "3000", str(out)], check=True)
    return chronology.load(out)


def test_the_prepared_facts_match_the_tables(bundled: chronology.DataSet) -> None:
    prep = selection.prepared(bundled)
    assert prep is selection.prepared(bundled)  # built once, kept with the data set
    assert prep.event_ids == frozenset(bundled.events["id"])
    assert list(prep.statuses) == list(dict.fromkeys(bundled.events["status"]))
    assert list(prep.actor_order) == actor_tree.actor_order(bundled)
    assert prep.roots == actor_tree.roots(bundled)
    events = bundled.events["id"].to_numpy()
    assert list(events[prep.link_event]) == list(bundled.event_actors["event_id"])
    assert list(events[prep.excerpt_event]) == list(bundled.excerpts["event_id"])
    assert list(events[prep.citation_event]) == list(bundled.citations["event_id"])
    with_actors = set(bundled.event_actors["event_id"])
    assert list(prep.has_actor) == [e in with_actors for e in events]


@pytest.mark.parametrize("query", QUERIES)
def test_event_mask_selects_the_same_rows_however_the_frame_is_given(
    bundled: chronology.DataSet, query: chronology.Query
) -> None:
    shown = chronology.filter_events(bundled, query)
    want = list(bundled.events["id"].isin(set(shown["id"])))
    assert list(selection.event_mask(bundled, shown)) == want
    shuffled = shown.sample(frac=1, random_state=1).reset_index(drop=True)  # ids, not positions
    assert list(selection.event_mask(bundled, shuffled)) == want


@pytest.mark.parametrize("query", QUERIES)
def test_headline_counts_match_counting_by_id(
    bundled: chronology.DataSet, query: chronology.Query
) -> None:
    shown = chronology.filter_events(bundled, query)
    head = summaries.headline(bundled, shown)
    ids = set(shown["id"])
    links = bundled.event_actors[bundled.event_actors["event_id"].isin(ids)]
    sources = pd.concat(
        [
            bundled.excerpts.loc[bundled.excerpts["event_id"].isin(ids), "source_id"],
            bundled.citations.loc[bundled.citations["event_id"].isin(ids), "source_id"],
        ]
    )
    assert (head.shown, head.actors, head.sources) == (
        len(shown),
        links["actor_id"].nunique(),
        sources.nunique(),
    )


@pytest.mark.parametrize("lanes", ["actor", "category"])
def test_density_counts_match_a_plain_group_by(
    many: chronology.DataSet, lanes: figures.Lane
) -> None:
    fig = figures.density_figure(many, many.events, lanes, max_lanes=1000)
    (heat,) = fig.data
    if lanes == "actor":
        links = many.event_actors.merge(
            many.events[["id", "start"]], left_on="event_id", right_on="id"
        )
        lane = links["actor_id"].map(many.actor_names)
        start = links["start"]
    else:
        names = dict(zip(many.categories["id"], many.categories["name"], strict=True))
        lane, start = many.events["category"].map(names), many.events["start"]
    unit = fig.layout.meta["unit"]
    period = start.dt.to_period("M" if unit == "month" else "Y").dt.to_timestamp()
    want = pd.DataFrame({"lane": lane, "bin": period}).value_counts()
    got = {
        (y, pd.Timestamp(x)): int(z)
        for y, row in zip(heat.y, heat.z, strict=True)
        for x, z in zip(heat.x, row, strict=True)
        if z
    }
    assert got == {k: int(v) for k, v in want.items()}
    assert fig.layout.meta["marks"] == figures.mark_count(many, many.events, lanes)


def test_one_trace_per_colour_kind_and_evidence(many: chronology.DataSet) -> None:
    colours = palette.actor_colours(many)
    fig = figures.timeline_figure(many, many.events.iloc[::3], colours=colours)
    marks = [t for t in fig.data if t.meta and t.meta["role"] == "marks"]
    keys = [(t.meta["colour"], t.meta["kind"], t.meta["evidence"]) for t in marks]
    assert len(keys) == len(set(keys))
    assert len(marks) <= len(set(colours.values())) * 3 * 2
    families = {f for t in marks for f in t.meta["families"]}
    assert len(families) > len(palette.PALETTE)  # more families than colours: some share grey
    legend = fig.layout.meta["legend"]
    assert len({e["colour"] for e in legend}) == len(legend)  # one entry per colour
    grey = [e for e in legend if e["colour"] == palette.OTHER_COLOUR]
    assert [e["name"] for e in grey] == ["other actors"]
    assert {e["colour"] for e in legend} == {t.meta["colour"] for t in marks}
    for trace in marks:  # each mark in its actor's colour
        for family in trace.meta["families"]:
            assert colours.get(family, palette.OTHER_COLOUR) == trace.meta["colour"]
