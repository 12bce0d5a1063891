"""Issue 12 in a real browser: the links that crashed a page render, and a crash shows no code.

A page that renders shows no ``stException``; the control below proves the check sees one when
a script does fail, and that a visitor then reads a short message, not the code or its paths.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from browser_harness import StreamlitServer, open_app
from playwright.sync_api import Page, expect

PAGES = {"timeline": "", "actors": "actors", "sources": "sources", "data": "data"}
EMPTY = {"no word matches": "q=zzzzqqq", "after the last event": "from=2030-01-01"}


@pytest.mark.parametrize("link", list(EMPTY))
@pytest.mark.parametrize("name", list(PAGES))
def test_an_empty_selection_renders_every_page(
    page: Page, app: StreamlitServer, name: str, link: str
) -> None:
    open_app(page, f"{app.url}/{PAGES[name]}?{EMPTY[link]}")
    expect(page.locator(f'#chronology-ready[data-page="{name}"][data-events="0"]')).to_be_attached()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_test_id("stAlert").filter(has_text="No events match")).to_be_visible()
    page.locator(".st-key-reset_empty").get_by_role("button").click()
    expect(
        page.locator(f'#chronology-ready[data-page="{name}"]:not([data-events="0"])')
    ).to_be_attached()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert "q=" not in page.url and "from=" not in page.url


def test_a_huge_excerpt_number_gets_a_notice(page: Page, app: StreamlitServer) -> None:
    open_app(page, f"{app.url}/sources?excerpt={'9' * 5000}")
    expect(page.locator('#chronology-ready[data-page="sources"]')).to_be_attached()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_test_id("stAlert").filter(has_text="names no excerpt")).to_be_visible()


def test_a_crash_shows_a_short_message_without_code_or_paths(
    page: Page, serve: Callable[..., StreamlitServer], tmp_path: Path
) -> None:
    script = tmp_path / "crashing_app.py"
    script.write_text(
        "import streamlit as st\n"
        "st.title('About to fail')\n"
        "raise RuntimeError('secret detail at ' + __file__)\n",
        encoding="utf-8",
    )
    server = serve(script=str(script))  # run from the project, so it reads .streamlit/config.toml
    open_app(page, server.url)
    error = page.get_by_test_id("stException")
    expect(error).to_have_count(1)  # the check of the tests above does see a crash
    expect(error).to_contain_text("This app has encountered an error")
    text = error.inner_text()
    for leak in ("RuntimeError", "secret detail", str(tmp_path), "Traceback", "raise "):
        assert leak not in text, leak
    assert "RuntimeError: secret detail" in server.log(), "the details go to the server log"
