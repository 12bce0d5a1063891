"""Publishing a view, in a real browser: the "Download HTML" file opened from disk with the
network blocked (the chart draws, a click on a mark goes to its event, no payload runs), at a
desktop's and a phone's width; and Streamlit's embed mode for an iframe.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from browser_harness import MARK_IDS, ROOT, StreamlitServer, download, open_app, save_screenshot
from playwright.sync_api import Browser, Page, Request, Route, expect
from test_browser_safety import DOM_OFFENCES, PROBE

import chronology

PAYLOADS = ROOT / "tests" / "fixtures" / "payloads"
SIZES = {"desktop": (1440, 900), "phone": (390, 844)}


@pytest.fixture(scope="module")
def payload_server() -> Iterator[StreamlitServer]:
    with StreamlitServer(PAYLOADS).start() as server:
        yield server


class Offline:
    """A page in a context of its own that can reach nothing but files: every other request
    is aborted and recorded, every dialog and call of alert & co. counted."""

    def __init__(self, browser: Browser, width: int, height: int) -> None:
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.context.add_init_script(PROBE)
        self.context.route("**/*", self._guard)
        self.page = self.context.new_page()
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _guard(self, route: Route, request: Request) -> None:
        if request.url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            self.outside.append(request.url)
            route.abort()

    def open(self, path: Path) -> Page:
        self.page.goto(path.as_uri())
        expect(self.page.locator("#chart .main-svg").first).to_be_visible()
        return self.page

    def assert_harmless(self) -> None:
        assert self.outside == [], f"the file asked the network for: {self.outside}"
        assert self.page.evaluate("window.__pwned") is False, "a payload called alert & co."
        assert self.dialogs == [], self.dialogs
        assert self.errors == [], self.errors
        assert self.page.evaluate(DOM_OFFENCES) == []


@pytest.fixture
def offline(browser: Browser) -> Iterator[Callable[[str], Offline]]:
    opened: list[Offline] = []

    def make(size: str) -> Offline:
        opened.append(Offline(browser, *SIZES[size]))
        return opened[-1]

    yield make
    for o in opened:
        o.context.close()


def _saved(tmp_path: Path, name: str, body: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(body)
    return path


@pytest.mark.parametrize("size", SIZES)
def test_the_html_download_runs_no_payload_offline(
    page: Page,
    payload_server: StreamlitServer,
    track: Callable[[StreamlitServer], StreamlitServer],
    offline: Callable[[str], Offline],
    tmp_path: Path,
    size: str,
) -> None:
    track(payload_server)
    open_app(page, payload_server.url)
    name, body = download(page, "download_html")
    assert name == "chronology.html"
    view = offline(size)
    shown = view.open(_saved(tmp_path, name, body))
    ids = sorted(chronology.load(PAYLOADS).events["id"])
    assert shown.evaluate(MARK_IDS, "#chart.js-plotly-plot") == ids
    view.assert_harmless()
    # the text is there as written
    expect(shown.locator("#event-script-event h3")).to_contain_text("<script>alert(1)</script>")
    expect(shown.locator("#event-script-event")).to_contain_text("<img src=x onerror=alert(1)>")
    expect(shown.locator("#event-markdown-event h3")).to_contain_text(
        "![x](http://example.invalid/x.png) [click](javascript:alert(1))"
    )
    expect(shown.locator("article.card")).to_have_count(len(ids))
    width = SIZES[size][0]
    assert shown.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll
    save_screenshot(shown, f"publish-payloads-{size}")
    view.assert_harmless()
    # the guard sees what it must: a request off the machine is caught and counted
    shown.evaluate("() => fetch('https://cdn.plot.ly/plotly.min.js').catch(() => null)")
    assert view.outside == ["https://cdn.plot.ly/plotly.min.js"]


@pytest.mark.parametrize("size", SIZES)
def test_the_data_pages_html_is_the_filtered_view_and_its_chart_answers_a_click(
    page: Page,
    app: StreamlitServer,
    offline: Callable[[str], Offline],
    tmp_path: Path,
    size: str,
) -> None:
    ds = chronology.load()
    expected = chronology.filter_events(ds, chronology.Query(actors=("russia",)))
    open_app(page, f"{app.url}/data?actors=Russia")
    expect(page.locator(".st-key-download_html")).to_contain_text("HTML")
    name, body = download(page, "download_html")
    assert name == "chronology-of-the-us-military-withdrawal-from-niger.html"
    text = body.decode()
    assert re.findall(r'<article class="card" id="event-([^"]+)"', text) == list(expected["id"])
    view = offline(size)
    shown = view.open(_saved(tmp_path, name, body))
    expect(shown.locator("h1")).to_have_text(ds.title)
    expect(shown.locator("#view")).to_have_text("Filtered by actors: Russia")
    assert shown.evaluate(MARK_IDS, "#chart.js-plotly-plot") == sorted(expected["id"])
    width = SIZES[size][0]
    assert shown.evaluate("document.documentElement.scrollWidth") <= width
    # the chart is live: a click on a mark brings its event's card into view
    point = shown.locator("#chart .scatterlayer .point").first
    point.scroll_into_view_if_needed()
    point.click(force=True)
    card = shown.locator("article.card:focus")
    expect(card).to_have_count(1)
    expect(card).to_be_in_viewport()
    assert card.get_attribute("id", timeout=5_000).removeprefix("event-") in set(expected["id"])
    shown.evaluate("window.scrollTo(0, 0)")
    save_screenshot(shown, f"publish-russia-{size}")
    view.assert_harmless()


def test_the_timelines_html_download_is_the_whole_view(
    page: Page, app: StreamlitServer, tmp_path: Path
) -> None:
    ds = chronology.load()
    open_app(page, f"{app.url}/?lanes=category")
    button = page.locator(".st-key-download_html")
    expect(button).to_contain_text("Download HTML")
    _, body = download(page, "download_html")
    text = body.decode()
    assert text.count('<article class="card"') == len(ds.events)
    assert "one lane per category" in text
    assert f"<title>{html.escape(ds.title)}</title>" in text


@pytest.mark.parametrize("size", SIZES)
def test_embed_mode_is_a_clean_page(page: Page, app: StreamlitServer, size: str) -> None:
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    russia = chronology.filter_events(chronology.load(), chronology.Query(actors=("russia",)))
    open_app(page, f"{app.url}/?actors=Russia")  # as a visitor sees it: the app's menu
    expect(page.get_by_test_id("stMainMenu")).to_have_count(1)
    open_app(page, f"{app.url}/?embed=true&actors=Russia")
    expect(page.locator("#chronology-ready")).to_have_attribute("data-events", str(len(russia)))
    expect(page.get_by_test_id("stMainMenu")).to_have_count(0)  # no menu, no deploy button
    expect(page.get_by_test_id("stSidebarContent")).not_to_be_in_viewport()  # closed
    expect(page.locator(".st-key-timeline .main-svg").first).to_be_in_viewport()
    save_screenshot(page, f"publish-embed-{size}")
