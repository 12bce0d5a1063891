"""What every page says of the data set, through AppTest.

Dates at their precision in every table of every page; no server path; the data set's own
name; "citation only" only where an event has no excerpt.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import chronology
from chronology.views import render, summaries

ROOT = Path(__file__).resolve().parent.parent
ENTRY = ROOT / "dashboard.py"
PAGES = ["pages/timeline.py", "pages/actors.py", "pages/sources.py", "pages/data.py"]
SHEET = (ROOT / "tests" / "fixtures" / "imports" / "timelinejs-sheet.csv").read_bytes()
PLAIN = b"date,title,category\n2024-01-05,Quay closed,Works\n2024-02,Quay reopens,Works\n"
DAY = re.compile(r"\b[0-9]{4}-[0-9]{2}-[0-9]{2}\b")

pytestmark = pytest.mark.usefixtures("app_env")


def _page(page: str) -> AppTest:
    at = AppTest.from_file(str(ENTRY), default_timeout=60).run()
    if page != PAGES[0]:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _days_in_data(ds: chronology.DataSet) -> set[str]:
    """Every day (YYYY-MM-DD) the data set's tables write: the only days a page may show."""
    found: set[str] = set()
    for table in (ds.events, ds.sources, ds.citations, ds.excerpts):
        for column in table.columns:
            if table[column].dtype == object or str(table[column].dtype) == "str":
                for value in table[column].dropna().astype(str):
                    found.update(DAY.findall(value))
    return found


@pytest.mark.parametrize("page", PAGES)
def test_every_date_cell_of_every_page_is_at_its_precision(page: str) -> None:
    ds = chronology.load()
    allowed = _days_in_data(ds)
    at = _page(page)
    frames = [d.value for d in at.dataframe]
    assert frames or page == PAGES[0], "the page shows no table"
    for frame in frames:
        assert isinstance(frame, pd.DataFrame)
        for column in frame.columns:
            # a datetime column shows every date as a day (or a day and a time)
            assert not pd.api.types.is_datetime64_any_dtype(frame[column]), column
            for cell in frame[column].dropna().astype(str):
                made_up = [d for d in DAY.findall(cell) if d not in allowed]
                assert not made_up, f"{page}, column {column!r}: {cell!r}"


def test_the_partners_table_dates_events_at_their_precision() -> None:
    ds = chronology.load()
    table = summaries.partner_summary(ds, "niger").set_index("id")
    # the first US event with Niger is year-only (2012); Russia's first, a month (August 2023)
    assert table.loc["united-states", "first together"] == "2012"
    assert table.loc["russia", "first together"] == "August 2023"
    assert table.loc["russia", "last together"] == "2 May 2024"
    assert table.loc["france", "first together"] == ""  # none: no date, not a made-up one


def test_citation_only_is_said_only_of_events_without_an_excerpt() -> None:
    ds = chronology.load()
    quoted = set(ds.excerpts["event_id"])
    cited = set(ds.citations["event_id"])
    both, alone = sorted(quoted & cited), sorted(cited - quoted)
    assert "coup" in both and alone
    html = render.event_list_html(ds, ds.events[ds.events["id"].isin(both)], {}, ())
    assert "Citation only:" not in html
    assert html.count("Also cited:") == int(ds.citations["event_id"].isin(both).sum())
    html = render.event_list_html(ds, ds.events[ds.events["id"].isin(alone)], {}, ())
    assert "Also cited:" not in html
    assert html.count("Citation only:") == int(ds.citations["event_id"].isin(alone).sum())


def test_the_coups_details_do_not_call_its_citations_citation_only() -> None:
    at = AppTest.from_file(str(ENTRY), default_timeout=60)
    at.query_params["event"] = "coup"
    at.run()
    assert not at.exception, at.exception
    texts = [m.value for m in at.markdown]
    assert "**Also cited**" in texts
    assert not any("citation only" in t.lower() for t in texts if t.startswith("**Citations"))


def test_the_data_page_names_the_data_set_never_a_server_path() -> None:
    at = _page("pages/data.py")
    title = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))["title"]
    text = "\n".join(c.value for c in at.caption) + "\n".join(m.value for m in at.markdown)
    assert str(ROOT) not in text and "/data" not in text
    assert re.search(rf"Data set: `+ ?{re.escape(title)} ?`+", text), text


def test_an_imported_data_set_keeps_nothing_of_the_bundled_ones_text() -> None:
    at = AppTest.from_file(str(ENTRY), default_timeout=60).run()
    at.switch_page("pages/upload.py").run()
    at.file_uploader[0].set_value(("harbour-works.csv", PLAIN, "text/csv")).run()
    assert not at.exception, at.exception
    at.switch_page("pages/data.py").run()
    assert not at.exception, at.exception
    text = "\n".join(
        [c.value for c in at.caption]
        + [m.value for m in at.markdown]
        + [e.label for e in at.expander]
        + [c.value for c in at.sidebar.caption]
    )
    assert "Niger" not in text and "withdrawal" not in text, text
    assert re.search(r"Data set: `+ ?harbour-works ?`+", text), text
    assert str(ROOT) not in text
