"""Publishing a view: the data set's own title, the TimelineJS sheet as the template expects it,
and the view as one self-contained HTML page whose data never runs as code.

The browser half (the page opened from disk with the network blocked) is in
``tests/browser/test_browser_publish.py``.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

import chronology
from chronology import formats
from chronology.data.query.filters import Query
from chronology.formats import timelinejs
from chronology.views import html_page, render
from chronology.views.palette import actor_colours

PAYLOADS = Path(__file__).resolve().parent / "fixtures" / "payloads"
BUNDLED_TITLE = "Chronology of the US military withdrawal from Niger"


@pytest.fixture(scope="module")
def bundled() -> chronology.DataSet:
    return chronology.load()


@pytest.fixture(scope="module")
def payloads() -> chronology.DataSet:
    return chronology.load(PAYLOADS)


def sheet_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def payload_cells() -> set[str]:
    """Every cell of the payload fixture's tables that holds markup."""
    cells: set[str] = set()
    for path in PAYLOADS.glob("*.csv"):
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))):
            cells.update(c for c in row if "<" in c)
    return cells


# --- the data set's own title ------------------------------------------------------------------


def test_the_title_comes_from_datapackage_json(
    bundled: chronology.DataSet, payloads: chronology.DataSet
) -> None:
    assert bundled.title == BUNDLED_TITLE
    assert payloads.title == ""  # a directory without a descriptor: no title, no error


@pytest.mark.parametrize(
    "descriptor", [b"not json {", b'{"title": 42}', b"[1, 2]", b"\xff\xfe", b'{"title": "  "}']
)
def test_a_broken_descriptor_gives_no_title_and_loads(tmp_path: Path, descriptor: bytes) -> None:
    shutil.copytree(PAYLOADS, tmp_path / "d")
    (tmp_path / "d" / "datapackage.json").write_bytes(descriptor)
    assert chronology.load(tmp_path / "d").title == ""


def test_a_title_is_one_line(tmp_path: Path) -> None:
    shutil.copytree(PAYLOADS, tmp_path / "d")
    (tmp_path / "d" / "datapackage.json").write_text(json.dumps({"title": " Two\nlines\t "}))
    assert chronology.load(tmp_path / "d").title == "Two lines"


def test_an_imported_timeline_is_titled_by_its_name() -> None:
    doc = {
        "title": {"text": {"headline": "Sahel <b>watch</b>"}},
        "events": [{"start_date": {"year": 2020}, "text": {"headline": "One"}}],
    }
    result = formats.read_file(json.dumps(doc).encode(), "sahel.json")
    assert formats.to_dataset(result).title == "Sahel watch"


# --- the TimelineJS sheet ------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["bundled", "payloads"])
def test_the_sheet_never_writes_none(where: str, request: pytest.FixtureRequest) -> None:
    ds = request.getfixturevalue(where)
    for lanes in ("actor", "category"):
        rows = sheet_rows(timelinejs.to_sheet(ds, ds.events, lanes=lanes))
        assert [r for r in rows if "None" in r.values()] == []
    with_address = {
        e
        for e, s in zip(ds.citations["event_id"], ds.citations["source_id"], strict=True)
        if ds.source_rows[s]["address"].startswith("http")
    }
    rows = sheet_rows(timelinejs.to_sheet(ds, ds.events))[1:]
    assert len(rows) == len(ds.events)
    # rows follow the events' date order: Media is empty exactly where no address backs it
    for row, eid in zip(rows, ds.events["id"], strict=True):
        if eid not in with_address:
            assert row["Media"] == "", eid


def test_the_sheet_holds_text_as_written_not_entities(bundled: chronology.DataSet) -> None:
    data = timelinejs.to_sheet(bundled, bundled.events).decode("utf-8-sig")
    data = re.sub(r'href=""[^"]*""', "", data)  # an address's '&' is '&amp;' in HTML, rightly
    for entity in ("&#x27;", "&#39;", "&quot;", "&amp;"):
        assert entity not in data, entity
    rows = sheet_rows(timelinejs.to_sheet(bundled, bundled.events))[1:]
    with_quote = [t for t in bundled.events["summary"] if "'" in t]
    assert with_quote, "the bundled summaries have apostrophes to check"
    texts = "".join(r["Text"] for r in rows)
    for summary in with_quote:
        assert summary in texts


def test_the_sheet_escapes_what_timelinejs_would_read_as_markup(
    payloads: chronology.DataSet,
) -> None:
    rows = sheet_rows(timelinejs.to_sheet(payloads, payloads.events))
    cells = [c for r in rows for c in r.values()]
    joined = "".join(cells)
    assert "<script" not in joined and "<img" not in joined and "<i>" not in joined
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in joined
    assert "&#x27;" not in joined  # an apostrophe is text, in a cell as in a page
    script = next(r for r in rows if r["Headline"].startswith("&lt;script"))
    assert html.unescape(script["Headline"]) == "<script>alert(1)</script>"


@pytest.mark.parametrize(
    ("address", "media"),
    [
        ("https://www.state.gov/foreign-assistance-niger/", ""),  # a web page: a broken image
        ("https://www.youtube.com/watch?v=abc", "https://www.youtube.com/watch?v=abc"),
        ("https://example.org/photo.JPG?size=2", "https://example.org/photo.JPG?size=2"),
        ("https://en.wikipedia.org/wiki/Niger", "https://en.wikipedia.org/wiki/Niger"),
        ("https://example.org/report.pdf", "https://example.org/report.pdf"),
        ("javascript:alert(1)//x.png", ""),
        ("https://example.org/blockquote.png", ""),  # TimelineJS would put it in as HTML
        ("https://example.org/a<img src=x onerror=alert(1)>.png", ""),
        ('https://example.org/a".png', ""),
        ("", ""),
        (None, ""),
    ],
)
def test_media_is_an_address_timelinejs_shows_as_media(address: object, media: str) -> None:
    assert timelinejs.media_address(address) == media


def test_a_sheet_of_web_page_citations_has_no_media(bundled: chronology.DataSet) -> None:
    rows = sheet_rows(timelinejs.to_sheet(bundled, bundled.events))[1:]
    credited = [r for r in rows if r["Media Credit"]]
    assert credited, "the bundled citations are credited"
    assert {r["Media"] for r in rows} == {""}  # every bundled citation is a web page
    assert all("Citation only: " in r["Text"] for r in credited)  # the citation: in the text
    assert any('Citation only: <a href="https://' in r["Text"] for r in credited)  # linked


def test_markup_text_escapes_only_what_could_become_markup() -> None:
    assert timelinejs.markup_text('Niger\'s "junta" & the US') == 'Niger\'s "junta" & the US'
    assert timelinejs.markup_text("<b>") == "&lt;b&gt;"
    assert (
        timelinejs.markup_text("AT&T &amp; &#39; &copy") == "AT&amp;T &amp;amp; &amp;#39; &amp;copy"
    )
    for text in ("AT&T &amp; &#39; &copy <x>", "a & b", "&", "&&#", "'\"<>"):
        assert html.unescape(timelinejs.markup_text(text)) == text
    assert timelinejs.markup_text(None) == ""


def test_the_sheet_and_the_json_carry_the_data_sets_title(
    bundled: chronology.DataSet, payloads: chronology.DataSet
) -> None:
    assert sheet_rows(timelinejs.to_sheet(bundled, bundled.events))[0]["Headline"] == (
        BUNDLED_TITLE
    )
    doc = json.loads(timelinejs.to_timelinejs(bundled, bundled.events))
    assert doc["title"]["text"]["headline"] == BUNDLED_TITLE
    # no title of its own: the old default; a title given: that one
    assert sheet_rows(timelinejs.to_sheet(payloads, payloads.events))[0]["Headline"] == (
        "Chronology"
    )
    assert sheet_rows(timelinejs.to_sheet(bundled, bundled.events, title="Mine"))[0][
        "Headline"
    ] == ("Mine")


def test_an_imported_timelines_name_goes_out_with_its_sheet(tmp_path: Path) -> None:
    sheet = (
        b"Year,Month,Day,Headline,Text,Type,Group\r\n"
        b",,,Sahel watch: Niger's year,,title,\r\n"
        b"2023,7,26,Coup in Niamey,The guard holds the president.,,Politics\r\n"
    )
    ds = formats.to_dataset(formats.read_file(sheet, "sahel.csv"))
    assert ds.title == "Sahel watch: Niger's year"
    out = sheet_rows(timelinejs.to_sheet(ds, ds.events))
    assert out[0]["Headline"] == "Sahel watch: Niger's year"


@pytest.mark.parametrize("where", ["bundled", "payloads"])
@pytest.mark.parametrize("lanes", ["category", "actor"])
def test_the_sheet_read_back_gives_the_same_events(
    where: str, lanes: str, request: pytest.FixtureRequest
) -> None:
    ds = request.getfixturevalue(where)
    data = timelinejs.to_sheet(ds, ds.events, lanes=lanes)
    result = formats.read_file(data, "sheet.csv")
    back = formats.to_dataset(result)
    assert result.name == (ds.title or "Chronology") == back.title
    groups = {
        s["unique_id"]: html.unescape(s["group"])
        for s in timelinejs.timelinejs(ds, ds.events, lanes=lanes)["events"]
    }

    def neutral(text: str) -> str:  # a spreadsheet's guard stays on a formula-like title
        return "'" + text if text.startswith(("=", "+", "-", "@")) else text

    ours = sorted(
        (
            neutral(r.title),
            r.date,
            r.end_date,
            r.precision,
            neutral(groups[r.id]),
            " ".join(r.summary.split()),
        )
        for r in ds.events.itertuples()
    )
    names = dict(zip(back.categories["id"], back.categories["name"], strict=True))
    theirs = sorted(
        (r.title, r.date, r.end_date, r.precision, names[r.category], r.summary)
        for r in back.events.itertuples()
    )
    assert theirs == ours


# --- the view as one HTML page -------------------------------------------------------------------


def page_of(ds: chronology.DataSet, query: Query | None = None, **options: object) -> str:
    events = chronology.filter_events(ds, query or Query())
    return html_page.html_page(ds, events, actor_colours(ds), query, **options).decode()


def outside_plotly(page: str) -> str:
    """The page without the inlined plotly.js (whose code names map tile servers it never
    loads for a timeline: the browser test checks that nothing is requested)."""
    js = html_page._plotly_js()
    assert page.count(js) == 1
    return page.replace(js, "")


def test_the_page_is_one_file_that_loads_nothing_from_elsewhere(
    bundled: chronology.DataSet,
) -> None:
    page = page_of(bundled)
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    rest = outside_plotly(page)
    assert not re.search(r"<(script|img|iframe|link|source|video|audio|object|embed)\b[^>]*"
                         r"\b(src|href|data)\s*=", rest, re.I)  # fmt: skip
    assert "@import" not in rest and "url(" not in rest and "@font-face" not in rest
    # every web address left is a link a reader may follow: a citation
    for match in re.finditer(r"https?://", rest):
        before = rest[max(0, match.start() - 6) : match.start()]
        assert before == 'href="', rest[match.start() - 80 : match.end() + 40]
    assert "Plotly.newPlot" in rest


def test_the_page_has_the_title_the_filters_and_every_event_in_date_order(
    bundled: chronology.DataSet,
) -> None:
    query = Query(actors=("russia",), start=date(2024, 1, 1), text="troops")
    events = chronology.filter_events(bundled, query)
    assert 0 < len(events) < len(bundled.events)
    page = page_of(bundled, query)
    assert f"<title>{BUNDLED_TITLE}</title>" in page
    assert f'<h1 id="title">{BUNDLED_TITLE}</h1>' in page
    line = re.search(r'<p class="view" id="view">(.*?)</p>', page).group(1)
    assert html.unescape(line) == "Filtered by actors: Russia · from 2024-01-01 · search: “troops”"
    cards = re.findall(r'<article class="card" id="event-([^"]+)"', page)
    assert cards == events["id"].tolist()
    assert list(events["start"]) == sorted(events["start"])
    first = bundled.event(cards[0])
    assert html.escape(first.title) in page and html.escape(first.summary) in page
    assert "Date basis:" in page and "Excerpts" in page
    assert page_of(bundled).count('<article class="card"') == len(bundled.events)
    assert html.unescape(re.search(r'id="view">(.*?)</p>', page_of(bundled)).group(1)) == (
        "Every event: no filter."
    )


def test_every_citation_of_the_view_is_a_link(bundled: chronology.DataSet) -> None:
    page = page_of(bundled)
    for address in {r["address"] for r in bundled.source_rows.values() if r["address"]}:
        if any(
            bundled.source_rows[s]["address"] == address for s in bundled.citations["source_id"]
        ):
            assert f'href="{html.escape(address)}"' in page, address


def test_the_figure_is_the_timelines_and_travels_as_data(bundled: chronology.DataSet) -> None:
    import base64

    page = page_of(bundled, lanes="category")
    encoded = re.search(r'data-figure="([A-Za-z0-9+/=]+)"', page).group(1)
    fig = json.loads(base64.b64decode(encoded))
    ids = {
        i
        for trace in fig["data"]
        if (trace.get("meta") or {}).get("role") == "marks"
        for i in trace["customdata"]
    }
    assert ids == set(bundled.events["id"])
    assert fig["layout"]["meta"]["lanes"] == "category"


def test_payloads_stay_text_in_the_page(payloads: chronology.DataSet) -> None:
    page = page_of(payloads)
    rest = outside_plotly(page)
    markup = payload_cells()
    assert markup, "the payload fixture carries markup"
    for cell in markup:
        assert cell not in rest, cell
    assert "alert(1)" in html.unescape(rest)  # the text is there, as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rest
    # one script of data-free code of ours besides plotly.js; no handler attributes
    assert len(re.findall(r"<script\b", rest)) == 2
    assert not re.search(r"<[a-z]+[^>]*\son[a-z]+\s*=", rest, re.I)
    assert 'href="javascript' not in rest.lower()


def test_file_name_is_a_slug_of_the_title(
    bundled: chronology.DataSet, payloads: chronology.DataSet
) -> None:
    assert html_page.file_name(bundled) == (
        "chronology-of-the-us-military-withdrawal-from-niger.html"
    )
    assert html_page.file_name(payloads) == "chronology.html"


@pytest.mark.parametrize("where", ["bundled", "payloads"])
def test_details_of_many_events_are_each_events_own(
    where: str, request: pytest.FixtureRequest
) -> None:
    ds = request.getfixturevalue(where)
    ids = list(reversed(ds.events["id"].tolist()))
    details = ds.details(ids)
    assert [d.id for d in details] == ids  # in the order asked
    for detail in details:  # each the event's own rows, read from the tables themselves
        row = ds.events.set_index("id").loc[detail.id]
        assert (detail.title, detail.date, detail.end_date, detail.place) == (
            row["title"],
            row["date"],
            row["end_date"],
            row["place"],
        )
        for table, got in (
            (ds.excerpts, [x.quote for x in detail.excerpts]),
            (ds.citations, [c.source_id for c in detail.citations]),
            (ds.disputes, [d.value for d in detail.disputes]),
            (ds.event_actors, [a for a, _, _ in detail.actors]),
        ):
            column = {"excerpts": "quote", "citations": "source_id", "disputes": "value"}
            mine = table[table["event_id"] == detail.id]
            name = next((k for k in column if table is getattr(ds, k)), "actors")
            assert got == mine[column.get(name, "actor_id")].tolist(), (detail.id, name)
    assert ds.event(ids[0]) == details[0]
    assert ds.details([]) == []
    with pytest.raises(KeyError):
        ds.details([ids[0], "no-such-event"])


def test_a_long_view_writes_the_first_cards_and_says_so(
    bundled: chronology.DataSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(html_page, "MAX_CARDS", 3)
    page = page_of(bundled)
    assert page.count('<article class="card"') == 3
    assert f"The first 3 of {len(bundled.events)} events are written out here" in page


# --- the buttons ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("app_env")
@pytest.mark.parametrize("page", ["pages/timeline.py", "pages/data.py"])
def test_the_pages_offer_the_html_and_build_it_only_when_asked(
    page: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    from chronology.ui import publish

    built: list[int] = []
    monkeypatch.setattr(publish, "html_page", lambda *a, **k: built.append(1) or b"")
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "dashboard.py"))
    at.query_params["actors"] = "Russia"
    at = at.run(timeout=60).switch_page(page).run(timeout=60)
    assert not at.exception
    (button,) = [b for b in at.get("download_button") if b.key == "download_html"]
    assert "HTML" in button.proto.label
    assert built == []  # the page opened without building the file


def test_an_excerpts_number_names_its_highlight_in_the_source_reader(
    bundled: chronology.DataSet,
) -> None:
    """The details number each excerpt as the Sources page's highlights do (its row in
    excerpts.csv from 1): the Timeline's "Open excerpt n in its source" links take it."""
    ds = bundled
    numbers = render.excerpt_numbers(ds)
    details = ds.details(list(ds.events["id"]))
    for detail in details:
        rows = ds.excerpts.index[ds.excerpts["event_id"] == detail.id]
        assert [x.number for x in detail.excerpts] == [int(numbers[i]) for i in rows]
    assert sum(len(d.excerpts) for d in details) == len(ds.excerpts)
