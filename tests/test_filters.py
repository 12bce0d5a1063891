"""Filters over the events: actors (with their children), categories, statuses, evidence,
date ranges at the edges, and text search over titles, summaries and excerpt quotes.

Most run on ``tests/fixtures/minimal/``, whose events in date order are:

====================  ==========  ==========  =========  ==============================
id                    date        category    status     actors (evidence)
====================  ==========  ==========  =========  ==============================
coup                  2023-07     political   happened   cnsp
pact-ended            2024-03     diplomatic  announced  cnsp, united-states
withdrawal-agreement  2024-05     diplomatic  happened   united-states, niger
withdrawal-begins     2024-06-07  military    happened   us-africom (a grandchild of US)
withdrawal-complete   2024-09-16  military    happened   us-military, niger (citation)
====================  ==========  ==========  =========  ==============================
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from chronology import DataSet, Query, filter_events
from chronology.data.query.filters import (
    by_actors,
    by_categories,
    by_date_range,
    by_evidence,
    by_statuses,
    by_text,
)

ALL = ["coup", "pact-ended", "withdrawal-agreement", "withdrawal-begins", "withdrawal-complete"]


def ids(ds: DataSet, mask: pd.Series) -> list[str]:
    """The ids a mask selects, in the data set's (date) order."""
    assert mask.dtype == bool
    assert mask.index.equals(ds.events.index)
    return ds.events.loc[mask, "id"].tolist()


def shown(ds: DataSet, **query: object) -> list[str]:
    return filter_events(ds, Query(**query))["id"].tolist()  # type: ignore[arg-type]


# --- actors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actors", "match", "expected"),
    [
        pytest.param((), "any", ALL, id="none given"),
        pytest.param(("cnsp",), "any", ["coup", "pact-ended"], id="leaf"),
        pytest.param(
            ("united-states",),
            "any",
            ["pact-ended", "withdrawal-agreement", "withdrawal-begins", "withdrawal-complete"],
            id="parent includes grandchild",
        ),
        pytest.param(
            ("us-military",), "any", ["withdrawal-begins", "withdrawal-complete"], id="child"
        ),
        pytest.param(("us-africom",), "any", ["withdrawal-begins"], id="not its parent"),
        pytest.param(
            ("niger",),
            "any",
            ["coup", "pact-ended", "withdrawal-agreement", "withdrawal-complete"],
            id="parent includes child",
        ),
        pytest.param(("russia",), "any", [], id="actor in no event"),
        pytest.param(("nobody",), "any", [], id="unknown actor"),
        pytest.param(("cnsp", "us-africom"), "any", ["coup", "pact-ended", "withdrawal-begins"],
                     id="any of two"),
        pytest.param(
            ("united-states", "niger"),
            "all",
            ["pact-ended", "withdrawal-agreement", "withdrawal-complete"],
            id="all of two, through children",
        ),
        pytest.param(("us-africom", "niger"), "all", [], id="all of two, never together"),
        pytest.param(("cnsp",), "all", ["coup", "pact-ended"], id="all of one"),
    ],
)  # fmt: skip
def test_by_actors(
    minimal: DataSet, actors: tuple[str, ...], match: str, expected: list[str]
) -> None:
    assert ids(minimal, by_actors(minimal, actors, match)) == expected  # type: ignore[arg-type]


def test_by_actors_takes_any_iterable(minimal: DataSet) -> None:
    assert ids(minimal, by_actors(minimal, iter(["us-africom"]))) == ["withdrawal-begins"]


# --- categories, statuses, evidence ------------------------------------------------------------


@pytest.mark.parametrize(
    ("categories", "expected"),
    [
        pytest.param([], ALL, id="none given"),
        pytest.param(["diplomatic"], ["pact-ended", "withdrawal-agreement"], id="one"),
        pytest.param(["political", "military"], ["coup", *ALL[3:]], id="two"),
        pytest.param(["economic"], [], id="unused"),
    ],
)
def test_by_categories(minimal: DataSet, categories: list[str], expected: list[str]) -> None:
    assert ids(minimal, by_categories(minimal, categories)) == expected


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        pytest.param([], ALL, id="none given"),
        pytest.param(["announced"], ["pact-ended"], id="announced"),
        pytest.param(["happened"], [e for e in ALL if e != "pact-ended"], id="happened"),
        pytest.param(["planned"], [], id="none planned"),
        pytest.param(["planned", "announced"], ["pact-ended"], id="two"),
    ],
)
def test_by_statuses(minimal: DataSet, statuses: list[str], expected: list[str]) -> None:
    assert ids(minimal, by_statuses(minimal, statuses)) == expected


def test_by_evidence(minimal: DataSet) -> None:
    assert ids(minimal, by_evidence(minimal, citation_only=True)) == ALL
    assert ids(minimal, by_evidence(minimal, citation_only=False)) == ALL[:4]


# --- dates -------------------------------------------------------------------------------------

D = date


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        pytest.param(None, None, ALL, id="open"),
        pytest.param(D(2024, 5, 31), None, ALL[2:], id="starts on the month's last day"),
        pytest.param(D(2024, 6, 1), None, ALL[3:], id="starts the day after the month"),
        pytest.param(D(2024, 5, 1), D(2024, 5, 1), ["withdrawal-agreement"],
                     id="one day inside the month"),
        pytest.param(None, D(2024, 6, 6), ALL[:3], id="ends the day before an event"),
        pytest.param(None, D(2024, 6, 7), ALL[:4], id="ends on the event's day"),
        pytest.param(D(2024, 6, 7), D(2024, 6, 7), ["withdrawal-begins"], id="that very day"),
        pytest.param(None, D(2023, 6, 30), [], id="ends before everything"),
        pytest.param(D(2023, 7, 31), D(2024, 3, 1), ["coup", "pact-ended"], id="both edges"),
        pytest.param(D(2024, 9, 17), None, [], id="starts after everything"),
    ],
)  # fmt: skip
def test_by_date_range(
    minimal: DataSet, start: date | None, end: date | None, expected: list[str]
) -> None:
    assert ids(minimal, by_date_range(minimal, start, end)) == expected


def test_a_period_overlaps_at_both_edges(bundled: DataSet) -> None:
    """us-surveillance-hub runs from February 2013 to July 2023 (issue 21)."""
    for start, end in [(D(2013, 2, 28), D(2013, 2, 28)), (D(2023, 7, 31), D(2023, 9, 30))]:
        assert "us-surveillance-hub" in ids(bundled, by_date_range(bundled, start, end))
    assert "us-surveillance-hub" not in ids(bundled, by_date_range(bundled, D(2023, 8, 1)))
    assert "us-surveillance-hub" not in ids(bundled, by_date_range(bundled, None, D(2013, 1, 31)))


# --- text --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("", ALL, id="empty"),
        pytest.param("   ", ALL, id="blank"),
        pytest.param("coup", ["coup"], id="title"),
        pytest.param("status-of-forces", ["pact-ended"], id="summary"),
        pytest.param("C-17", ["withdrawal-begins"], id="excerpt quote"),
        pytest.param("c-17", ["withdrawal-begins"], id="any case"),
        pytest.param("MILITARY", ["coup"], id="upper case"),
        pytest.param("withdrawal agreement", ["withdrawal-agreement"], id="every word"),
        pytest.param("capital cargo", ["withdrawal-begins"], id="words in any order"),
        pytest.param("niamey begins", ["withdrawal-begins"], id="words across fields"),
        pytest.param("coup cargo", [], id="words in different events"),
        pytest.param("uranium", [], id="absent word"),
    ],
)
def test_by_text(minimal: DataSet, text: str, expected: list[str]) -> None:
    assert ids(minimal, by_text(minimal, text)) == expected


def test_text_search_does_not_read_regular_expressions(minimal: DataSet) -> None:
    assert ids(minimal, by_text(minimal, "c.17")) == []
    assert ids(minimal, by_text(minimal, "(")) == []


# --- filter_events -----------------------------------------------------------------------------


def test_the_empty_query_shows_everything_in_date_order(minimal: DataSet) -> None:
    result = filter_events(minimal, Query())
    assert result["id"].tolist() == ALL
    assert result["start"].is_monotonic_increasing
    assert list(result.columns) == list(minimal.events.columns)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param(
            {"actors": ("united-states",), "categories": ("military",), "citation_only": False},
            ["withdrawal-begins"],
            id="actor, category, excerpts only",
        ),
        pytest.param(
            {"actors": ("united-states",), "statuses": ("happened",), "start": D(2024, 5, 31),
             "end": D(2024, 6, 6)},
            ["withdrawal-agreement"],
            id="actor, status, dates",
        ),
        pytest.param({"actors": ("niger",), "text": "junta"}, ["coup", "pact-ended"],
                     id="actor and text"),
        pytest.param({"actors": ("united-states", "niger"), "actor_match": "all",
                      "citation_only": False},
                     ["pact-ended", "withdrawal-agreement"], id="all actors, excerpts only"),
        pytest.param({"categories": ("military",), "text": "coup"}, [], id="nothing matches"),
    ],
)  # fmt: skip
def test_filter_events(minimal: DataSet, query: dict, expected: list[str]) -> None:
    assert shown(minimal, **query) == expected


def test_query_with_returns_a_changed_copy() -> None:
    query = Query(actors=("niger",))
    changed = query.with_(text="coup", citation_only=False)
    assert changed == Query(actors=("niger",), text="coup", citation_only=False)
    assert query == Query(actors=("niger",))


def test_filtering_does_not_change_the_data_set(minimal: DataSet) -> None:
    before = minimal.events.copy()
    filter_events(minimal, Query(actors=("niger",), text="coup", start=D(2023, 1, 1)))
    pd.testing.assert_frame_equal(minimal.events, before)


# --- on the bundled data -----------------------------------------------------------------------


def test_united_states_includes_events_of_africom_alone(bundled: DataSet) -> None:
    links = bundled.event_actors
    only_africom = [
        e
        for e, group in links.groupby("event_id")["actor_id"]
        if "us-africom" in set(group) and not {"united-states", "us-military"} & set(group)
    ]
    assert "air-base-201-isr" in only_africom
    shown_ids = shown(bundled, actors=("united-states",))
    assert set(only_africom) <= set(shown_ids)
    assert "coup" not in shown_ids


def test_bundled_text_search_reaches_excerpts(bundled: DataSet) -> None:
    # "frontline" is only in a quote of article A (us-agrees-to-withdraw), not in our words.
    row = bundled.events.set_index("id").loc["us-agrees-to-withdraw"]
    assert "frontline" not in f"{row['title']} {row['summary']}".lower()
    assert shown(bundled, text="Frontline") == ["us-agrees-to-withdraw"]


def test_bundled_excerpts_only(bundled: DataSet) -> None:
    result = shown(bundled, citation_only=False)
    assert len(result) == len(set(bundled.excerpts["event_id"]))
    assert "withdrawal-complete" not in result
    assert "withdrawal-complete" in shown(bundled)


def test_bundled_coup_day_edge(bundled: DataSet) -> None:
    assert "coup" in shown(bundled, start=D(2023, 7, 26), end=D(2023, 7, 26))
    assert "coup" not in shown(bundled, start=D(2023, 7, 27), end=D(2023, 7, 31))
    assert "coup" not in shown(bundled, end=D(2023, 7, 25))


def test_bundled_results_in_date_order(bundled: DataSet) -> None:
    result = filter_events(bundled, Query(categories=("military", "diplomatic")))
    assert len(result) > 10
    assert result["start"].is_monotonic_increasing
