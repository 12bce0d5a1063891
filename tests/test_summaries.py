"""Tables the pages show, built by the package: picker labels, reader marks, cited records."""

from __future__ import annotations

import chronology
from chronology import render, summaries


def test_event_labels_give_date_and_title(bundled: chronology.DataSet) -> None:
    labels = summaries.event_labels(bundled.events)
    assert list(labels) == list(bundled.events["id"])
    assert labels["coup"] == "July 2023 — Military coup ousts President Bazoum"


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
