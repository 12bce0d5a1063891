"""Downloads: CSV safe in spreadsheets, JSON that round-trips, TimelineJS3 with partial dates."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest

import chronology
from chronology.formats import timelinejs as tljs
from chronology.views import export

PAYLOADS = Path(__file__).resolve().parent / "fixtures" / "payloads"
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def ds() -> chronology.DataSet:
    return chronology.load()


@pytest.fixture(scope="module")
def payloads() -> chronology.DataSet:
    return chronology.load(PAYLOADS)


def read_csv_cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# --- CSV -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        pytest.param('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")', id="equals"),
        pytest.param("+cmd", "'+cmd", id="plus"),
        pytest.param("-2+3", "'-2+3", id="minus"),
        pytest.param("@SUM(1)", "'@SUM(1)", id="at"),
        pytest.param("\tTAB", "'\tTAB", id="tab"),
        pytest.param("\rCR", "'\rCR", id="carriage return"),
        pytest.param("Plain text", "Plain text", id="plain"),
        pytest.param("2023-07", "2023-07", id="date"),
        pytest.param("a=b", "a=b", id="equals inside"),
        pytest.param("", "", id="empty"),
    ],
)
def test_neutralise(cell: str, safe: str) -> None:
    assert export.neutralise(pd.Series([cell], dtype="str")).iloc[0] == safe


def test_csv_neutralises_every_formula_cell(payloads: chronology.DataSet) -> None:
    rows = read_csv_cells(export.to_csv(export.events_table(payloads, payloads.events)))
    header, body = rows[0], rows[1:]
    assert len(body) == len(payloads.events)
    for row in body:
        for cell in row:
            assert not cell.startswith(export.FORMULA_STARTS), cell
    record = dict(zip(header, body[[r[0] for r in body].index("formula-event")], strict=True))
    assert record["title"] == '\'=HYPERLINK("http://example.invalid","click")'
    assert record["summary"] == "'+cmd|' /C calc'!A0"
    assert record["place"] == "'@SUM(1)"
    period = dict(zip(header, body[[r[0] for r in body].index("period-event")], strict=True))
    assert period["title"] == "'-1+1 period & <i>italic</i>"


def test_csv_keeps_the_text_otherwise(payloads: chronology.DataSet) -> None:
    table = export.events_table(payloads, payloads.events)
    back = pd.read_csv(
        io.BytesIO(export.to_csv(table)), dtype="str", keep_default_na=False, encoding="utf-8-sig"
    )
    unquoted = back.apply(lambda col: col.where(~col.str.startswith("'"), col.str.slice(1)))
    pd.testing.assert_frame_equal(unquoted, table.astype("str"), check_dtype=False)


def test_the_table_has_one_row_per_event_in_date_order(ds: chronology.DataSet) -> None:
    shown = chronology.filter_events(ds, chronology.Query(actors=("russia",)))
    table = export.events_table(ds, shown)
    assert list(table["id"]) == list(shown["id"])
    row = table.set_index("id").loc["russian-instructors-niamey"]
    assert row["actors"].startswith("Russian armed forces (actor)")
    assert row["category"] == "Military"
    assert row["start"] == "2024-04-10"


# --- JSON ----------------------------------------------------------------------------------


def test_json_round_trips(payloads: chronology.DataSet) -> None:
    data = json.loads(export.to_json(payloads, payloads.events))
    assert data["count"] == len(payloads.events)
    by_id = {e["id"]: e for e in data["events"]}
    assert list(by_id) == list(payloads.events["id"])
    for ev in payloads.events.itertuples(index=False):
        got = by_id[ev.id]
        assert (got["title"], got["summary"], got["date"]) == (ev.title, ev.summary, ev.date)
    script = by_id["script-event"]
    assert script["title"] == SCRIPT  # JSON is data: raw text, escaped by whoever renders it
    assert script["excerpts"][0]["quote"].startswith("Last month the <script>")
    assert script["excerpts"][0]["number"] == 1
    assert {a["id"]: a["role"] for a in script["actors"]} == {
        "evil-state": "actor",
        "md-group": "target",
    }
    assert by_id["formula-event"]["citations"][0]["address"] == "javascript:alert(1)"


def test_json_of_the_bundled_data_matches_the_event_details(ds: chronology.DataSet) -> None:
    data = json.loads(export.to_json(ds, ds.events))
    got = next(e for e in data["events"] if e["id"] == "withdrawal-agreement")
    detail = ds.event("withdrawal-agreement")
    assert got["date_display"] == detail.date_display
    assert [x["quote"] for x in got["excerpts"]] == [x.quote for x in detail.excerpts]
    assert [(a["id"], a["role"]) for a in got["actors"]] == [(a, r) for a, _, r in detail.actors]
    assert got["start"] == "2024-05-19" and got["end"] == "2024-05-19"


# --- TimelineJS ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        pytest.param("2012", {"year": 2012}, id="year"),
        pytest.param("2023-07", {"year": 2023, "month": 7}, id="month"),
        pytest.param("2024-03-16", {"year": 2024, "month": 3, "day": 16}, id="day"),
    ],
)
def test_date_parts_only_the_precision_has(text: str, parts: dict) -> None:
    assert tljs.date_parts(text) == parts


def test_timelinejs_dates_follow_the_precision(ds: chronology.DataSet) -> None:
    tl = json.loads(tljs.to_timelinejs(ds, ds.events))
    slides = {s["unique_id"]: s for s in tl["events"]}
    assert list(slides) == list(ds.events["id"])
    assert slides["us-presence-begins"]["start_date"] == {"year": 2012}
    assert slides["us-warns-russia-africa"]["start_date"] == {"year": 2024, "month": 3, "day": 7}
    assert slides["coup"]["start_date"] == {"year": 2023, "month": 7, "day": 26}
    assert slides["withdrawal-deadline"]["start_date"] == {"year": 2024, "month": 9, "day": 15}
    assert "end_date" not in slides["coup"]
    assert slides["us-surveillance-hub"]["end_date"] == {
        "year": 2023,
        "month": 7,
    }  # issue 21: suspended in July 2023
    assert slides["withdrawal-period"]["end_date"] == {"year": 2024, "month": 9, "day": 15}
    assert slides["coup"]["display_date"] == "26 July 2023"
    assert slides["us-presence-begins"]["display_date"] == "2012"
    assert tl["title"]["text"]["headline"]


def test_timelinejs_groups_by_lane(ds: chronology.DataSet) -> None:
    by_actor = {s["unique_id"]: s["group"] for s in tljs.timelinejs(ds, ds.events)["events"]}
    assert by_actor["coup"] == "CNSP (military junta)"  # the leading actor
    assert by_actor["ecowas-sanctions"] == "ECOWAS"
    by_category = tljs.timelinejs(ds, ds.events, lanes="category")["events"]
    assert {s["group"] for s in by_category} <= set(ds.categories["name"])


def test_timelinejs_escapes_every_text(payloads: chronology.DataSet) -> None:
    for lanes in ("actor", "category"):
        tl = tljs.timelinejs(payloads, payloads.events, lanes=lanes, title=SCRIPT)
        raw = json.dumps(tl, ensure_ascii=False)
        assert SCRIPT not in raw and "<img" not in raw and "<b>" not in raw
        assert tl["title"]["text"]["headline"] == "&lt;script&gt;alert(1)&lt;/script&gt;"
        slides = {s["unique_id"]: s for s in tl["events"]}
        assert slides["script-event"]["text"]["headline"] == "&lt;script&gt;alert(1)&lt;/script&gt;"
        assert all(s["autolink"] is False for s in tl["events"])
    slides = {s["unique_id"]: s for s in tljs.timelinejs(payloads, payloads.events)["events"]}
    assert slides["script-event"]["group"] == "&lt;script&gt;alert(1)&lt;/script&gt; State"
    cited = slides["formula-event"]["text"]["text"]
    assert 'href="javascript' not in cited
    linked = slides["period-event"]["text"]["text"]
    assert '<a href="https://example.org/record?a=1&amp;b=2"' in linked
    by_category = tljs.timelinejs(payloads, payloads.events, lanes="category")["events"]
    assert "&lt;b&gt;Bold&lt;/b&gt; category" in {s["group"] for s in by_category}


# --- helpers the exports rest on ---------------------------------------------------------------


def test_among_matches_isin() -> None:
    from chronology.data.frames import among

    column = pd.Series(["a", "b", None, "c", "a"], dtype="str")
    assert among(column, {"a", "c"}).tolist() == [True, False, False, True, True]
    assert among(column, []).tolist() == [False] * 5
    assert among(column.iloc[1:], ["b"]).index.tolist() == [1, 2, 3, 4]


def test_joined_keeps_the_order_of_appearance() -> None:
    from chronology.data.frames import joined

    keys = pd.Series(["x", "y", "x"], dtype="str")
    values = pd.Series(["1", "2", "3"], dtype="str")
    assert joined(keys, values, "; ").to_dict() == {"x": "1; 3", "y": "2"}


@pytest.mark.parametrize(
    ("address", "safe"),
    [
        pytest.param("https://example.org/a?b=1", True, id="https"),
        pytest.param("http://example.org", True, id="http"),
        pytest.param("javascript:alert(1)", False, id="javascript"),
        pytest.param("JaVaScRiPt:alert(1)", False, id="javascript, mixed case"),
        pytest.param("data:text/html,<b>x</b>", False, id="data"),
        pytest.param("//example.org", False, id="no scheme"),
        pytest.param("https://exa mple.org", False, id="space"),
        pytest.param("", False, id="empty"),
    ],
)
def test_only_http_addresses_become_links(address: str, safe: bool) -> None:
    from chronology.views.escape import safe_url

    assert (safe_url(address) is not None) == safe


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        "![x](http://example.invalid/x.png)",
        "[click](javascript:alert(1))",
        "a `b` c",
        "``",
        "$x^2$ :red[red] <b>",
        "",
    ],
)
def test_md_code_keeps_text_inside_one_code_span(text: str) -> None:
    from chronology.views.escape import md_code

    span = md_code(text)
    fence = span.split(" ", 1)[0]
    assert set(fence) == {"`"} and span.endswith(" " + fence)
    assert fence not in span[len(fence) : -len(fence)]  # nothing inside closes the span
