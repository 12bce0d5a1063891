"""A timeline opened from a link: ``?data=<address>`` in a real browser (issue 20, item 6).

The file is served by a local HTTP server, which the app fetches only because these tests
start it with the tests-only setting ``CHRONOLOGY_FETCH_ALLOW_LOCAL=1``; a server started
without it refuses the same address.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from browser_harness import StreamlitServer, open_app, wait_ready
from playwright.sync_api import Browser, Page, expect

import chronology
from chronology import formats
from chronology.formats import remote

FIXTURES = Path(__file__).parents[1] / "fixtures" / "imports"
SHEET = "timelinejs-sheet.csv"


@pytest.fixture(scope="module")
def files() -> Iterator[str]:
    """The base address of a local HTTP server serving tests/fixtures/imports."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(FIXTURES))
    handler.log_message = lambda *a: None  # type: ignore[attr-defined]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def sheet() -> chronology.DataSet:
    """The fixture sheet as the Import page would read it."""
    return formats.to_dataset(formats.read_file((FIXTURES / SHEET).read_bytes(), SHEET))


def _events(page: Page, name: str) -> int:
    ready = page.locator(f'#chronology-ready[data-page="{name}"]')
    expect(ready).to_be_attached()
    return int(ready.get_attribute("data-events") or -1)


def test_a_link_opens_a_timeline_from_an_address_with_its_filters(
    page: Page,
    serve: Callable[..., StreamlitServer],
    browser: Browser,
    files: str,
    sheet: chronology.DataSet,
) -> None:
    server = serve(env={**os.environ, remote.ALLOW_LOCAL_ENV: "1"})
    cats = dict(zip(sheet.categories["name"], sheet.categories["id"], strict=True))
    name = next(n for n in cats if n == "Military")
    want = len(chronology.filter_events(sheet, chronology.Query(categories=(cats[name],))))
    assert 0 < want < len(sheet.events)
    address = f"{files}/{SHEET}"
    open_app(page, f"{server.url}/?data={quote(address, safe='')}&cat={name}")
    expect(page.get_by_text("the timeline at", exact=False).first).to_be_visible()
    title = formats.read_file((FIXTURES / SHEET).read_bytes(), SHEET).name
    expect(page).to_have_title(title)  # the data set's name, not the bundled one's
    assert _events(page, "timeline") == want

    for title in ("Actors", "Data", "Sources"):
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
        wait_ready(page)
        assert _events(page, title.lower()) == want
        query = parse_qs(urlsplit(page.url).query)
        assert query.get("data") == [address] and query.get("cat") == [name], page.url

    other = browser.new_context()
    try:
        again = open_app(other.new_page(), page.url)
        assert _events(again, "sources") == want
    finally:
        other.close()

    # back to the bundled data: the address leaves the URL
    page.get_by_role("button", name="Back to the bundled data").click()
    expect(page).not_to_have_url(re.compile(r"[?&]data="))


def test_without_the_setting_a_local_address_is_refused_with_a_message(
    page: Page, app: StreamlitServer, files: str
) -> None:
    open_app(page, f"{app.url}/?data={quote(f'{files}/{SHEET}', safe='')}")
    expect(page.get_by_text("was not loaded: Only https addresses are fetched")).to_be_visible()
    assert _events(page, "timeline") == len(chronology.load().events)
    expect(page).not_to_have_url(re.compile(r"[?&]data="))
    open_app(page, f"{app.url}/?data=https://169.254.169.254/latest/meta-data/")
    expect(page.get_by_text("link-local address", exact=False)).to_be_visible()
