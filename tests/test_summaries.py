"""Tables the pages show, built by the package: picker labels, reader marks, cited records."""

from __future__ import annotations

import chronology
from chronology.data.schema import load_schema
from chronology.views import actor_figures, escape, render, summaries


def test_event_labels_give_date_and_title(bundled: chronology.DataSet) -> None:
    labels = summaries.event_labels(bundled.events)
    assert list(labels) == list(bundled.events["id"])
    assert labels["coup"] == "26 July 2023 — Military coup ousts President Bazoum"
    assert labels["us-presence-begins"] == "2012 — US–Niger status-of-forces accord"


def test_source_marks_number_the_excerpts_of_one_source(bundled: chronology.DataSet) -> None:
    marks = render.source_marks(bundled, "article-b")
    rows = bundled.excerpts.reset_index(drop=True)
    expected = [i + 1 for i in rows.index[rows["source_id"] == "article-b"]]
    assert [m.number for m in marks] == expected
    assert all(m.quote in bundled.texts["article-b"] for m in marks)
    deadline = next(m for m in marks if m.event_id == "withdrawal-deadline")
    assert deadline.event_title == "Deadline for the US withdrawal"
    assert render.source_marks(bundled, "crs-if12464") == []  # a citation has no text


def test_cited_records_list_each_citation_with_its_events(bundled: chronology.DataSet) -> None:
    records = summaries.cited_records(bundled).set_index("id")
    cited = set(bundled.sources.loc[bundled.sources["kind"] == "citation", "id"])
    assert set(records.index) == cited
    assert "article-a" not in records.index
    crs = records.loc["crs-if12464", "events"]
    assert "Military coup ousts President Bazoum" in crs
    assert "Mohamed Bazoum's presidency" in crs


def test_data_dictionary_and_keys_come_from_the_schema() -> None:
    events = load_schema().resource("events")
    table = summaries.data_dictionary(events)
    assert list(table["field"]) == events.columns
    status = table.set_index("field").loc["status"]
    assert status["allowed"] == "happened, announced, planned"
    assert bool(status["required"])
    assert summaries.key_summary(events) == "primary key: id · category → categories"
    assert summaries.key_summary(load_schema().resource("categories")) == "primary key: id"


def test_relations_figure_draws_the_table_it_is_given(bundled: chronology.DataSet) -> None:
    table = summaries.relations(bundled, bundled.events, "family")
    given = actor_figures.relations_figure(bundled, bundled.events, "family", table=table)
    built = actor_figures.relations_figure(bundled, bundled.events, "family")
    assert given.to_plotly_json() == built.to_plotly_json()
    empty = actor_figures.relations_figure(bundled, bundled.events, "family", table=table.iloc[:0])
    assert empty.layout.meta["pairs"] == 0


def test_the_event_list_shows_each_events_own_actors_excerpts_and_citations(
    bundled: chronology.DataSet,
) -> None:
    events = bundled.events.iloc[5:25]  # a page that does not start at the first event
    html = render.event_list_html(bundled, events, {}, (("actors", "Russia"),))
    items = html.split('<article class="event-item"')[1:]
    assert len(items) == len(events)
    numbers = render.excerpt_numbers(bundled)
    for eid, item in zip(events["id"], items, strict=True):
        assert f'data-event="{eid}"' in item
        links = bundled.event_actors[bundled.event_actors["event_id"] == eid]
        for aid in links["actor_id"]:
            assert escape.esc_html(bundled.actor_names[aid]) in item
        xs = bundled.excerpts[bundled.excerpts["event_id"] == eid]
        anchors = [f'#x-{int(numbers[i])}"' for i in xs.index]
        assert [a for a in anchors if a in item] == anchors
        assert item.count("#x-") == len(xs)
        assert item.count("actors=Russia") == len(xs)  # the filters follow into the reader
        cited = bundled.citations[bundled.citations["event_id"] == eid]
        assert item.count('class="citation meta"') == len(cited)
