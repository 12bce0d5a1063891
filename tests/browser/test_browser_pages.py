"""What a reader sees in a real browser, on the bundled data.

Each test opens the running dashboard in headless Chromium and asserts on what is on the page,
with auto-retrying ``expect`` and the app's own readiness signals (no sleeps).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_harness import (
    StreamlitServer,
    download,
    filters,
    open_app,
    save_screenshot,
    wait_chart_events,
    wait_ready,
)
from playwright.sync_api import Locator, Page, expect

import chronology

PAGES = {"timeline": "", "actors": "actors", "sources": "sources", "data": "data"}


@pytest.fixture(scope="module")
def ds() -> chronology.DataSet:
    return chronology.load()


def _ids(ds: chronology.DataSet, query: chronology.Query) -> list[str]:
    return sorted(chronology.filter_events(ds, query)["id"])


def _choose_actor(page: Page, name: str) -> None:
    """Pick an actor in the sidebar's filters, as a reader would."""
    box = filters(page).get_by_role("combobox", name="Actors")
    box.click()
    box.press_sequentially(name)  # the list is virtualised: narrow it to the actor first
    page.get_by_role("option", name=name, exact=True).click()
    page.keyboard.press("Escape")


def _chosen_actors(page: Page) -> Locator:
    """The tags of the actors chosen in the sidebar's filters."""
    return filters(page).locator(".st-key-actors [data-tag]")


def _query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def _list_ids(page: Page) -> list[str]:
    return sorted(
        page.locator("article.event-item").evaluate_all("els => els.map(e => e.dataset.event)")
    )


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_renders_without_an_exception(
    page: Page, app: StreamlitServer, name: str
) -> None:
    open_app(page, f"{app.url}/{PAGES[name]}")
    expect(page.locator(f'#chronology-ready[data-page="{name}"]')).to_be_attached()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_role("heading", level=1).first).to_be_visible()
    save_screenshot(page, f"page-{name}")


def test_chart_draws_every_event(page: Page, app: StreamlitServer, ds: chronology.DataSet) -> None:
    open_app(page, app.url)
    chart = page.get_by_test_id("stPlotlyChart")
    expect(chart).to_have_count(1)
    expect(chart.locator(".main-svg").first).to_be_visible()
    wait_chart_events(page, sorted(ds.events["id"]))
    # Drawn, not only in the data: one SVG mark per point, and bars for periods and spans.
    assert chart.locator(".scatterlayer .trace .point").count() > 0
    assert chart.locator(".barlayer .trace .point").count() > 0
    expect(page.locator("article.event-item")).to_have_count(len(ds.events))


def test_choosing_an_actor_filters_chart_and_list_and_writes_the_url(
    page: Page, app: StreamlitServer, ds: chronology.DataSet, new_page: Callable[[], Page]
) -> None:
    open_app(page, app.url)
    wait_chart_events(page, sorted(ds.events["id"]))
    expected = _ids(ds, chronology.Query(actors=("russia",)))
    assert 0 < len(expected) < len(ds.events)

    _choose_actor(page, "Russia")
    expect(page).to_have_url(re.compile(r"[?&]actors=Russia(&|$)"))
    wait_chart_events(page, expected)
    expect(page.locator("article.event-item")).to_have_count(len(expected))
    assert _list_ids(page) == expected
    save_screenshot(page, "timeline-filtered-russia")

    # The URL alone restores the view, in a new page.
    url = page.url
    other = new_page()
    open_app(other, url)
    chosen = _chosen_actors(other)
    expect(chosen).to_have_count(1)
    expect(chosen).to_contain_text("Russia")
    wait_chart_events(other, expected)
    expect(other.locator("article.event-item")).to_have_count(len(expected))
    assert _list_ids(other) == expected
    assert _query(other)["actors"] == ["Russia"]


def test_switching_pages_on_a_fresh_server_keeps_the_filters(
    page: Page, serve: Callable[..., StreamlitServer], ds: chronology.DataSet
) -> None:
    server = serve()  # a freshly started server: the first page switch is the risky one
    open_app(page, server.url)
    _choose_actor(page, "Russia")
    expect(page).to_have_url(re.compile(r"actors=Russia"))
    expected = _ids(ds, chronology.Query(actors=("russia",)))
    wait_chart_events(page, expected)

    nav = page.get_by_test_id("stSidebarNav")
    for name in ("Actors", "Sources", "Data", "Timeline"):
        nav.get_by_role("link", name=name).click()
        expect(page.locator(f'#chronology-ready[data-page="{name.lower()}"]')).to_be_attached()
        wait_ready(page)
        expect(page).to_have_url(re.compile(r"[?&]actors=Russia(&|$)"))
        tags = _chosen_actors(page)
        expect(tags).to_have_count(1)
        expect(tags).to_contain_text("Russia")
    wait_chart_events(page, expected)
    expect(page.locator("article.event-item")).to_have_count(len(expected))


_ISOLATED_POINT = """() => {
  // The drawn point farthest from any other, with the event id it stands for (among those
  // in the time range shown: the others are clipped).
  const gd = document.querySelector('.st-key-timeline .js-plotly-plot');
  const area = gd.querySelector('.nsewdrag').getBoundingClientRect();
  const pts = [];
  for (const el of gd.querySelectorAll('.scatterlayer .trace .point')) {
    const cd = el.__data__, trace = el.closest('.trace').__data__[0].trace;
    if (!trace.meta || trace.meta.role !== 'marks') continue;
    const r = el.getBoundingClientRect();
    if (r.right < area.left || r.left > area.right) continue;
    pts.push({x: r.x + r.width / 2, y: r.y + r.height / 2, id: trace.customdata[cd.i]});
  }
  let best = null, bestGap = -1;
  for (const p of pts) {
    let gap = Infinity;
    for (const q of pts) if (q !== p) gap = Math.min(gap, Math.hypot(p.x - q.x, p.y - q.y));
    if (gap > bestGap) { best = p; bestGap = gap; }
  }
  return best;
}"""


def test_clicking_an_event_on_the_chart_opens_its_details(
    page: Page, app: StreamlitServer, ds: chronology.DataSet
) -> None:
    open_app(page, app.url)
    wait_chart_events(page, sorted(ds.events["id"]))
    point = page.evaluate(_ISOLATED_POINT)
    assert point and point["id"] in set(ds.events["id"]), point
    page.mouse.move(point["x"], point["y"])
    page.mouse.click(point["x"], point["y"])

    detail = page.locator(".st-key-event_detail")
    expect(detail).to_be_visible()
    title = ds.event(point["id"]).title
    expect(detail.get_by_role("heading", name=title)).to_be_visible()  # the card's heading
    expect(page).to_have_url(re.compile(rf"[?&]event={re.escape(point['id'])}(&|$)"))
    save_screenshot(page, "timeline-event-details")


def test_sources_page_highlights_an_excerpt(
    page: Page, app: StreamlitServer, ds: chronology.DataSet
) -> None:
    n = 1  # excerpt 1: the first row of excerpts.csv
    source = ds.excerpts["source_id"].iloc[0]
    quote = ds.excerpts["quote"].iloc[0]
    open_app(page, f"{app.url}/sources?source={source}&excerpt={n}")
    mark = page.locator(f"mark#x-{n}.excerpt")
    expect(mark).to_be_visible()
    expect(mark).to_have_class(re.compile(r"\bcurrent\b"))
    expect(mark).to_contain_text(quote[:60])
    expect(page.locator("mark.excerpt.current")).to_have_count(1)
    save_screenshot(page, "sources-highlight")


def test_each_download_returns_a_file_that_parses(
    page: Page, app: StreamlitServer, ds: chronology.DataSet
) -> None:
    every = sorted(ds.events["id"])
    open_app(page, f"{app.url}/data")

    name, body = download(page, "download_csv")
    assert name.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert sorted(r["id"] for r in rows) == every

    name, body = download(page, "download_json")
    assert name.endswith(".json")
    data = json.loads(body)
    assert data["count"] == len(every)
    assert sorted(e["id"] for e in data["events"]) == every

    name, body = download(page, "download_timelinejs")
    assert name.endswith(".json")
    slides = json.loads(body)["events"]
    assert len(slides) == len(every)
    assert all("year" in slide["start_date"] for slide in slides)

    # The downloads follow the filters.
    expected = _ids(ds, chronology.Query(actors=("russia",)))
    open_app(page, f"{app.url}/data?actors=Russia")
    _, body = download(page, "download_csv")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert sorted(r["id"] for r in rows) == expected
