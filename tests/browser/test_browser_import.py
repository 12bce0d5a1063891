"""Uploading one's own timeline in a real browser: every page shows it, for this session only."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from pathlib import Path

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
from playwright.sync_api import Browser, Locator, Page, expect

import chronology
from chronology import formats

IMPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "imports"
SHEET = IMPORTS / "timelinejs-sheet.csv"
ACLED = IMPORTS / "acled-export.csv"
NAME = "Niger and its partners, 2012–2024"
SLOW = 60_000  # ms: an upload is read, checked and drawn in one rerun on a busy machine
MALFORMED = {
    "timelinejs": (
        "sheet.csv",
        SHEET.read_bytes().replace(b"\r\n2013,", b"\r\n-44,", 1),
        "sheet.csv, row 5, column Year",
    ),
    "acled": (
        "acled.csv",
        ACLED.read_bytes().replace(b"26 July 2023", b"late July", 1),
        "acled.csv, row 2, column event_date",
    ),
    "plain": (
        "plain.csv",
        b"date,title\n2024-01-01,Fine\nsoon,Undated\n",
        "plain.csv, row 3, column date",
    ),
    "package": ("pkg.zip", b"PK\x03\x04 not really a zip", "pkg.zip: the file is not a readable"),
}


def imported_ids(path: Path) -> list[str]:
    ds = formats.to_dataset(formats.read_file(path.read_bytes(), path.name))
    return sorted(ds.events["id"])


def upload(page: Page, name: str, data: bytes, mime: str = "text/csv") -> None:
    """Open the Import page through the navigation and upload a file, as a reader would."""
    go(page, "Import", "upload")
    page.locator(".st-key-import_file input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": data}]
    )


def go(page: Page, title: str, name: str) -> None:
    """Follow the navigation link to a page (same session: no reload) and wait for it."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    expect(page.locator(f'#chronology-ready[data-page="{name}"]')).to_be_attached(timeout=SLOW)
    wait_ready(page)


def banner(page: Page) -> Locator:
    return page.get_by_test_id("stAlert").filter(has_text="your uploaded timeline")


def test_an_uploaded_sheet_shows_on_every_page(page: Page, app: StreamlitServer) -> None:
    open_app(page, app.url)
    upload(page, "sheet.csv", SHEET.read_bytes())
    expect(page.get_by_text(re.compile(r"as a TimelineJS sheet: 7 events"))).to_be_visible(
        timeout=SLOW
    )
    expect(banner(page)).to_contain_text(NAME, timeout=SLOW)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    save_screenshot(page, "import-done")
    go(page, "Timeline", "timeline")
    wait_chart_events(page, imported_ids(SHEET), timeout=SLOW)
    expect(banner(page)).to_contain_text(NAME)
    expect(page.locator('article.event-item[data-event="coup-in-niamey"]')).to_have_count(1)
    for title, name in (("Actors", "actors"), ("Sources", "sources"), ("Data", "data")):
        go(page, title, name)
        expect(banner(page)).to_contain_text(NAME)
        expect(page.get_by_test_id("stException")).to_have_count(0)
    page.get_by_role("button", name="Back to the bundled data").click()
    expect(banner(page)).to_have_count(0)
    go(page, "Timeline", "timeline")
    wait_chart_events(page, sorted(chronology.load().events["id"]), timeout=SLOW)


def test_the_category_filter_works_on_an_acled_upload(page: Page, app: StreamlitServer) -> None:
    open_app(page, app.url)
    upload(page, "acled.csv", ACLED.read_bytes())
    expect(banner(page)).to_be_visible(timeout=SLOW)
    go(page, "Timeline", "timeline")
    wait_chart_events(page, imported_ids(ACLED), timeout=SLOW)
    box = filters(page).get_by_role("combobox", name="Categories")
    box.click()
    page.get_by_role("option", name="Battles", exact=True).click()
    page.keyboard.press("Escape")
    wait_chart_events(page, ["nig9002"], timeout=SLOW)


@pytest.mark.parametrize("layout", list(MALFORMED))
def test_a_malformed_upload_shows_its_problem_list(
    page: Page, app: StreamlitServer, layout: str
) -> None:
    name, data, where = MALFORMED[layout]
    open_app(page, app.url)
    upload(page, name, data)
    error = page.get_by_test_id("stAlert").filter(has_text="nothing was loaded")
    expect(error).to_contain_text(name, timeout=SLOW)
    page.get_by_test_id("stExpander").filter(has_text="As text").click()
    expect(page.get_by_test_id("stCode")).to_contain_text(where)
    expect(banner(page)).to_have_count(0)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_another_browser_session_does_not_see_the_upload(
    browser: Browser, page: Page, app: StreamlitServer
) -> None:
    open_app(page, app.url)
    upload(page, "sheet.csv", SHEET.read_bytes())
    expect(banner(page)).to_contain_text(NAME, timeout=SLOW)
    other = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        second = open_app(other.new_page(), app.url)
        wait_chart_events(second, sorted(chronology.load().events["id"]), timeout=SLOW)
        expect(banner(second)).to_have_count(0)
        go(second, "Import", "upload")
        expect(second.get_by_text("as a TimelineJS sheet")).to_have_count(0)
    finally:
        other.close()
    go(page, "Timeline", "timeline")  # the first session still has its upload
    wait_chart_events(page, imported_ids(SHEET), timeout=SLOW)


def test_the_timelinejs_sheet_download_imports_back(page: Page, app: StreamlitServer) -> None:
    open_app(page, f"{app.url}/data")
    name, body = download(page, "download_timelinejs_sheet")
    assert name == "timeline-sheet.csv"
    back = formats.to_dataset(formats.read_file(body, name))
    ds = chronology.load()
    columns = ["title", "date", "end_date", "precision"]
    assert sorted(map(tuple, back.events[columns].to_numpy().tolist())) == sorted(
        map(tuple, ds.events[columns].to_numpy().tolist())
    )


def test_an_upload_session_is_shut_down_once_its_tab_is_gone_for_good(
    browser: Browser, serve: Callable[..., StreamlitServer]
) -> None:
    """Streamlit keeps a closed tab's session for its reconnect window, then holds it (and its
    upload) until another tab closes, and never shuts it down: the app does (issue 23)."""
    env = {**os.environ, "STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": "2"}
    server = serve(env=env)
    context = browser.new_context()
    page = context.new_page()
    open_app(page, server.url)
    upload(page, "sheet.csv", SHEET.read_bytes())
    expect(banner(page)).to_contain_text(NAME, timeout=SLOW)
    context.close()
    deadline = time.monotonic() + 60
    while "ended session" not in server.log() and time.monotonic() < deadline:
        time.sleep(0.5)
    log = server.log()
    assert re.search(r"shut down \d+ ended session\(s\) and gave their memory back", log), log
    assert "Traceback" not in log and "was not found" not in log, log
