"""The facts prepared once per data set, and the selections and counts built on them, agree
with the same things computed the plain way (by comparing ids)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import chronology
from chronology.data.query import actor_tree, filters, selection
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


def _by_ids(ds: chronology.DataSet, actors: list[str], match: str) -> list[str]:
    """The events the actors (with their families) take part in, found by comparing ids."""
    links = ds.event_actors
    sets = [set(links.loc[links["actor_id"].isin(ds.descendants(a)), "event_id"]) for a in actors]
    hit = set.union(*sets) if match == "any" else set.intersection(*sets)
    return [e for e in ds.events["id"] if e in hit]


@pytest.mark.parametrize("match", ["any", "all"])
def test_the_actor_filter_matches_comparing_ids(many: chronology.DataSet, match: str) -> None:
    parents = sorted({p for p in many.actors["parent"] if isinstance(p, str) and p})
    leaves = [a for a in many.actors["id"] if a not in parents]
    for actors in ([parents[0]], [leaves[0]], [parents[0], parents[1]], [leaves[3], parents[2]]):
        mask = filters.by_actors(many, actors, match)  # type: ignore[arg-type]
        assert mask.index.equals(many.events.index)
        got = list(many.events.loc[mask, "id"])
        assert got == _by_ids(many, actors, match)
        assert got or match == "all"


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


# --- what a rerun reuses --------------------------------------------------------------------


def test_remembered_builds_once_per_key_and_data_set(
    bundled: chronology.DataSet, minimal: chronology.DataSet
) -> None:
    built: list[str] = []

    def build(name: str) -> object:
        built.append(name)
        return object()

    first = selection.remembered(bundled, ("test", 1), lambda: build("a"))
    assert selection.remembered(bundled, ("test", 1), lambda: build("b")) is first
    assert built == ["a"]
    other = selection.remembered(bundled, ("test", 2), lambda: build("c"))
    assert other is not first
    elsewhere = selection.remembered(minimal, ("test", 1), lambda: build("d"))
    assert elsewhere is not first  # another data set never sees this one's results
    assert built == ["a", "c", "d"]


def test_remembered_keeps_the_most_recently_used(bundled: chronology.DataSet) -> None:
    size = selection.MEMO_SIZE
    made = {i: selection.remembered(bundled, ("lru", i), object) for i in range(size)}
    assert selection.remembered(bundled, ("lru", 0), object) is made[0]  # used: now the newest
    selection.remembered(bundled, ("lru", "one more"), object)  # drops the oldest: 1
    assert selection.remembered(bundled, ("lru", 0), object) is made[0]
    assert selection.remembered(bundled, ("lru", 2), object) is made[2]
    assert selection.remembered(bundled, ("lru", 1), object) is not made[1]  # dropped, rebuilt
