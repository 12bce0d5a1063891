"""Fixtures for the browser tests: a Streamlit server, one Chromium per session, a page per test.

Every test here is marked ``browser``. With no browser found, the tests FAIL with directions:
they are part of ``make test`` and never skipped. When a test fails, the output of every
server it used is printed under the failure, and a screenshot of its page is saved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from browser_harness import (
    ARTIFACTS,
    NoBrowserError,
    StreamlitServer,
    find_chromium,
    launch_chromium,
    slug,
)
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

# A rerun on a busy two-core CI machine can take seconds: wait up to 15 s, still without sleeps.
expect.set_options(timeout=15_000)

SERVERS = pytest.StashKey[list[StreamlitServer]]()
PAGES = pytest.StashKey[list[Page]]()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


def _uses(item: pytest.Item, server: StreamlitServer) -> None:
    item.stash.setdefault(SERVERS, []).append(server)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> pytest.TestReport:
    """On failure: print each server's log and save a screenshot of each open page."""
    report: pytest.TestReport = yield
    if report.failed and report.when in ("setup", "call"):
        for server in item.stash.get(SERVERS, []):
            report.sections.append((f"streamlit server log ({server.url})", server.log()))
        for i, page in enumerate(item.stash.get(PAGES, [])):
            if page.is_closed():
                continue
            shot = ARTIFACTS / "failures" / f"{slug(item.name)}-{i}.png"
            shot.parent.mkdir(parents=True, exist_ok=True)
            try:
                page.screenshot(path=shot, full_page=True, timeout=10_000)
            except Exception as exc:  # the page may be what broke; keep the report
                report.sections.append(("screenshot", f"failed: {exc}"))
            else:
                report.sections.append(("screenshot", str(shot)))
    return report


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """The browser to drive; fails (never skips) when there is none."""
    try:
        return find_chromium()
    except NoBrowserError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Browser]:
    """One headless Chromium for the whole session."""
    with sync_playwright() as pw:
        browser = launch_chromium(pw, chromium_path)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def app_server() -> Iterator[StreamlitServer]:
    """The dashboard on the bundled data, shared by the tests that only read."""
    with StreamlitServer().start() as server:
        yield server


@pytest.fixture
def app(app_server: StreamlitServer, request: pytest.FixtureRequest) -> StreamlitServer:
    """The shared server, registered so its log is printed if the test fails."""
    _uses(request.node, app_server)
    assert app_server.healthy(), f"the shared server is down:\n{app_server.log()}"
    return app_server


@pytest.fixture
def track(request: pytest.FixtureRequest) -> Callable[[StreamlitServer], StreamlitServer]:
    """Register a server of a wider scope, so its log is printed if the test fails."""

    def register(server: StreamlitServer) -> StreamlitServer:
        _uses(request.node, server)
        return server

    return register


@pytest.fixture
def serve(request: pytest.FixtureRequest) -> Iterator[Callable[..., StreamlitServer]]:
    """Start a server of the test's own (``serve(data_dir)``); stopped when the test ends."""
    started: list[StreamlitServer] = []

    def start(data_dir: str | Path | None = None, **kwargs: object) -> StreamlitServer:
        server = StreamlitServer(data_dir, **kwargs)  # type: ignore[arg-type]
        started.append(server)
        _uses(request.node, server)
        return server.start()

    yield start
    for server in started:
        server.cleanup()


@pytest.fixture
def context(browser: Browser, request: pytest.FixtureRequest) -> Iterator[BrowserContext]:
    """A fresh browser context (cookies, storage) per test; it records external requests."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    ctx.set_default_timeout(20_000)
    yield ctx
    ctx.close()


@pytest.fixture
def new_page(context: BrowserContext, request: pytest.FixtureRequest) -> Callable[[], Page]:
    """Open another page in the test's context (registered for failure screenshots)."""

    def open_page() -> Page:
        page = context.new_page()
        request.node.stash.setdefault(PAGES, []).append(page)
        return page

    return open_page


@pytest.fixture
def page(new_page: Callable[[], Page]) -> Page:
    """A page in the test's context."""
    return new_page()
