"""Every view is a link: the filters stay in the address on every route between pages (issue 18).

Each test starts from a link carrying all eight filter parameters, in a fresh browser context
(a fresh session), and follows one route: a sidebar page link, a link inside a page, the
browser's back and forward, a reload. After it the address still holds every parameter, and
opening that address in another fresh context shows the same filtered view.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from browser_harness import StreamlitServer, filters, open_app, wait_ready
from playwright.sync_api import Browser, Page, expect

import chronology
from chronology.ui.sidebar import summary

PAGES = {"Timeline": "", "Actors": "actors", "Sources": "sources", "Data": "data"}
PARAMS: list[tuple[str, str]] = [
    ("actors", "Russia"),
    ("actors", "United States"),
    ("match", "all"),
    ("cat", "Military"),
    ("status", "happened"),
    ("from", "2023-01-01"),
    ("to", "2024-12-31"),
    ("q", "Russian"),
    ("citations", "false"),
]
"""Every filter parameter, together selecting two events of the bundled data."""
QUERY = urlencode(PARAMS)
WANT = {k: [v for key, v in PARAMS if key == k] for k, _ in PARAMS}


@pytest.fixture(scope="module")
def expected() -> list[str]:
    """The ids of the events these filters select."""
    query = chronology.Query(
        actors=("russia", "united-states"),
        actor_match="all",
        categories=("military",),
        statuses=("happened",),
        citation_only=False,
        start=date(2023, 1, 1),
        end=date(2024, 12, 31),
        text="Russian",
    )
    ids = sorted(chronology.filter_events(chronology.load(), query)["id"])
    assert 0 < len(ids) < 31, ids  # a filter that shows: some events, not all
    return ids


def _filters_of(url: str) -> dict[str, list[str]]:
    """The filter parameters of an address (page-own ones left out)."""
    query = parse_qs(urlsplit(url).query)
    return {k: v for k, v in query.items() if k in WANT}


def _path(url: str) -> str:
    return urlsplit(url).path.strip("/")


def _shows_the_filter(page: Page, name: str, n: int) -> None:
    """The page ``name`` has rendered with these filters on: n events, the filter line."""
    expect(page.locator(f'#chronology-ready[data-page="{name}"]')).to_have_attribute(
        "data-events", str(n)
    )
    line = re.sub(r"(`+) ?(.*?) ?\1", r"\2", summary(PARAMS))  # the Markdown code marks off
    expect(page.get_by_test_id("stSidebar")).to_contain_text(line)


def _same_view_elsewhere(browser: Browser, url: str, name: str, n: int) -> None:
    """Opening ``url`` in another fresh context shows the same page and filter."""
    other = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = open_app(other.new_page(), url)
        _shows_the_filter(page, name, n)
    finally:
        other.close()


def _switch(page: Page, title: str) -> None:
    """Follow the sidebar's link to page ``title`` and wait until it has rendered."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    expect(page.locator(f'#chronology-ready[data-page="{title.lower()}"]')).to_be_attached()
    wait_ready(page)


@pytest.mark.parametrize(
    ("start", "other"), [(s, o) for s in PAGES for o in PAGES if o != s], ids=lambda p: p
)
def test_a_sidebar_page_switch_keeps_every_filter_in_the_address(
    page: Page, app: StreamlitServer, browser: Browser, expected: list[str], start: str, other: str
) -> None:
    open_app(page, f"{app.url}/{PAGES[start]}?{QUERY}")
    _shows_the_filter(page, start.lower(), len(expected))
    _switch(page, other)  # the first switch of this session, the popover never opened
    expect(page).to_have_url(re.compile(rf"/{PAGES[other]}\?"))
    assert _filters_of(page.url) == WANT, page.url
    _shows_the_filter(page, other.lower(), len(expected))
    _same_view_elsewhere(browser, page.url, other.lower(), len(expected))


def test_back_forward_and_reload_keep_every_filter(
    page: Page, app: StreamlitServer, browser: Browser, expected: list[str]
) -> None:
    open_app(page, f"{app.url}/?{QUERY}")
    _switch(page, "Actors")
    _switch(page, "Sources")
    expect(page).to_have_url(re.compile(r"/sources\?"))
    page.go_back()
    expect(page).to_have_url(re.compile(r"/actors\?"))
    wait_ready(page)
    assert _filters_of(page.url) == WANT, page.url
    _shows_the_filter(page, "actors", len(expected))
    page.go_back()
    expect(page).to_have_url(re.compile(r"/\?"))
    wait_ready(page)
    assert _path(page.url) == "" and _filters_of(page.url) == WANT, page.url
    _shows_the_filter(page, "timeline", len(expected))
    page.go_forward()
    expect(page).to_have_url(re.compile(r"/actors\?"))
    wait_ready(page)
    assert _filters_of(page.url) == WANT, page.url
    _shows_the_filter(page, "actors", len(expected))
    page.reload()
    wait_ready(page)
    assert _path(page.url) == "actors" and _filters_of(page.url) == WANT, page.url
    _shows_the_filter(page, "actors", len(expected))
    # a page switch after the reload (a new session) keeps them too
    _switch(page, "Data")
    assert _filters_of(page.url) == WANT, page.url
    _shows_the_filter(page, "data", len(expected))


def test_links_inside_pages_keep_every_filter(
    page: Page, app: StreamlitServer, browser: Browser, expected: list[str]
) -> None:
    ds = chronology.load()
    event = next(e for e in expected if (ds.excerpts["event_id"] == e).any())
    open_app(page, f"{app.url}/?{QUERY}&event={event}")
    detail = page.locator(".st-key-event_detail")
    expect(detail).to_be_visible()
    # the details' "Open excerpt n in its source" link: to the Sources page
    detail.get_by_role("link", name=re.compile(r"^Open excerpt \d+ in its source")).first.click()
    expect(page.locator('#chronology-ready[data-page="sources"]')).to_be_attached()
    wait_ready(page)
    query = parse_qs(urlsplit(page.url).query)
    assert _filters_of(page.url) == WANT, page.url
    assert query.get("excerpt") and query.get("source"), page.url
    assert "event" not in query, page.url  # the Timeline's own parameter stays behind
    _shows_the_filter(page, "sources", len(expected))
    _same_view_elsewhere(browser, page.url, "sources", len(expected))

    # the reader's excerpt link: back to the timeline, on that excerpt's event
    n = query["excerpt"][0]
    expect(page.locator(f"mark#x-{n}.excerpt.current")).to_have_count(1)
    page.locator("sup a", has_text=f"[{n}]").first.click()
    expect(page.locator('#chronology-ready[data-page="timeline"]')).to_be_attached()
    wait_ready(page)
    query = parse_qs(urlsplit(page.url).query)
    assert _filters_of(page.url) == WANT, page.url
    assert query.get("event") == [event], page.url
    _shows_the_filter(page, "timeline", len(expected))


def test_back_to_a_view_without_filters_shows_it_without_them(
    page: Page, app: StreamlitServer
) -> None:
    every = len(chronology.load().events)
    open_app(page, app.url)
    _switch(page, "Actors")
    box = filters(page).get_by_role("combobox", name="Actors")
    box.click()
    box.press_sequentially("Russia")
    page.get_by_role("option", name="Russia", exact=True).click()
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"/actors\?actors=Russia$"))
    wait_ready(page)
    page.go_back()  # to the Timeline as it was: no filter
    expect(page).to_have_url(re.compile(r"/$"))
    wait_ready(page)
    expect(page.locator('#chronology-ready[data-page="timeline"]')).to_have_attribute(
        "data-events", str(every)
    )
    page.wait_for_timeout(1000)  # nothing writes the filter back afterwards
    assert "actors=" not in page.url, page.url


def test_a_links_unknown_event_is_said_on_the_page(page: Page, app: StreamlitServer) -> None:
    """The event picker sits in a popover drawn only when opened: the notice about a link's
    unknown event was drawn inside it, so nobody saw it."""
    open_app(page, f"{app.url}/?event=no-such-event")
    expect(page.get_by_test_id("stAlert").filter(has_text="no-such-event")).to_be_visible()
    expect(page.get_by_test_id("stAlert").filter(has_text="not in this data set")).to_be_visible()
    assert "event=" not in page.url
