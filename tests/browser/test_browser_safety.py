"""Hostile and broken data in a real browser: text stays text, and the app keeps serving.

``tests/fixtures/payloads/`` is a valid data directory whose titles, summaries, actor names,
sources and excerpts carry HTML, ``<script>``, ``<img onerror>``, Markdown images and links,
``javascript:`` links and spreadsheet formulas. Broken directories are made at test time.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from browser_harness import ROOT, StreamlitServer, download, open_app, save_screenshot
from playwright.sync_api import BrowserContext, Page, Request, Route, expect

import chronology
from chronology.views import timeline_layout

PAYLOADS = ROOT / "tests" / "fixtures" / "payloads"

# Counts every way a payload could run script: a dialog, or a call of the functions they use.
PROBE = """
window.__pwned = false;
for (const name of ["alert", "confirm", "prompt", "print", "open"]) {
  const original = window[name];
  window[name] = function (...args) { window.__pwned = true; return original.apply(this, args); };
}
"""

# What must not be in the DOM, whatever the data says.
DOM_OFFENCES = """() => {
  const out = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name)) out.push(`${el.tagName} ${attr.name}=${attr.value}`);
    }
  }
  for (const img of document.querySelectorAll("img")) {
    const src = img.getAttribute("src") || "";
    const url = new URL(src, location.href);
    if (!["data:", "blob:"].includes(url.protocol) && url.origin !== location.origin)
      out.push(`external img ${src}`);
    if (src === "x") out.push("injected img");
  }
  for (const a of document.querySelectorAll("a[href]")) {
    const href = a.getAttribute("href").replace(/\\s+/g, "").toLowerCase();
    if (/^(javascript|data|vbscript):/.test(href) || href.includes("example.invalid"))
      out.push(`link ${href}`);
  }
  for (const s of document.querySelectorAll("script")) {
    if (s.textContent.includes("alert(1)")) out.push("injected script");
  }
  return out;
}"""

# Pages to visit on the hostile data, with the URL parameters that open every part of them.
HOSTILE_VIEWS = {
    "timeline": "",
    "timeline-script-event": "?event=script-event",
    "timeline-markdown-event": "?event=markdown-event",
    "timeline-formula-event": "?event=formula-event",
    "actors": "actors",
    "sources": "sources?source=article-x&excerpt=1",
    "sources-citation": "sources?source=cite-js",
    "data": "data",
}


@pytest.fixture(scope="module")
def payload_server() -> Iterator[StreamlitServer]:
    with StreamlitServer(PAYLOADS).start() as server:
        yield server


@pytest.fixture
def hostile(
    payload_server: StreamlitServer,
    track: Callable[[StreamlitServer], StreamlitServer],
    context: BrowserContext,
) -> Iterator[tuple[StreamlitServer, list[str], list[str]]]:
    """The payload server, with every dialog and every off-machine request recorded."""
    track(payload_server)
    dialogs: list[str] = []
    outside: list[str] = []

    def guard(route: Route, req: Request) -> None:
        if re.match(r"^(https?|wss?)://127\.0\.0\.1(:\d+)?/", req.url) or req.url.startswith(
            ("data:", "blob:")
        ):
            route.continue_()
        else:
            outside.append(req.url)
            route.abort()

    context.add_init_script(PROBE)
    context.route("**/*", guard)
    context.on("page", lambda p: p.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss())))
    yield payload_server, dialogs, outside


def _assert_harmless(page: Page, dialogs: list[str], outside: list[str]) -> None:
    assert page.evaluate("window.__pwned") is False, "a payload called alert/confirm/prompt"
    assert dialogs == [], f"dialogs opened: {dialogs}"
    assert outside == [], f"requests left the machine: {outside}"
    assert page.evaluate(DOM_OFFENCES) == []


def test_hostile_text_runs_nothing_and_shows_literally(page: Page, hostile: tuple) -> None:
    server, dialogs, outside = hostile
    for name, path in HOSTILE_VIEWS.items():
        open_app(page, f"{server.url}/{path}")
        expect(page.locator("#chronology-ready")).to_be_attached()
        expect(page.get_by_test_id("stException")).to_have_count(0)
        _assert_harmless(page, dialogs, outside)
        save_screenshot(page, f"payloads-{name}")

    # The text is shown as written, not interpreted.
    open_app(page, server.url)
    titles = page.locator("article.event-item h4")
    expect(page.locator("#event-script-event h4")).to_have_text("<script>alert(1)</script>")
    expect(page.locator("#event-markdown-event h4")).to_have_text(
        "![x](http://example.invalid/x.png) [click](javascript:alert(1))"
    )
    expect(page.locator("#event-formula-event h4")).to_have_text(
        '=HYPERLINK("http://example.invalid","click")'
    )
    expect(titles).to_have_count(5)
    expect(page.locator("#event-script-event")).to_contain_text("<img src=x onerror=alert(1)>")

    # Chart labels too: the events' titles beside their marks (a row per event, the default),
    # as written
    chart_text = """(sel) => [...document.querySelectorAll(`.st-key-timeline ${sel}`)]
                               .map(t => t.textContent)"""
    page.wait_for_function(
        "() => document.querySelectorAll('.st-key-timeline .textpoint text').length > 0"
    )
    titled = page.evaluate(chart_text, ".textpoint text")
    assert any(t.startswith("<script>alert(1)") for t in titled), titled
    assert any(t.startswith("![x](http://example.invalid") for t in titled), titled
    _assert_harmless(page, dialogs, outside)
    # and by actor, lane names as written, quotes included (long ones on two lines, cut
    # short: the axis shows them as timeline_layout._lane_name writes them), and the legend
    # under it.
    open_app(page, f"{server.url}/?lanes=actor")
    page.wait_for_function(
        "() => document.querySelectorAll('.st-key-timeline .y2tick text').length > 0"
    )
    names = chronology.load(PAYLOADS).actors["name"]
    shown = {html.unescape(timeline_layout._lane_name(n).replace("<br>", "")): n for n in names}
    lanes = page.evaluate(chart_text, ".y2tick text")  # the lanes' axis (y: the slider's)
    assert lanes and set(lanes) <= set(shown), lanes
    formula = '=HYPERLINK("http://example.invalid","click")'
    assert {shown[lane] for lane in lanes} >= {formula, "<script>alert(1)</script> State"}
    legend = page.locator(".chronology.legend")
    expect(legend).to_contain_text("<script>alert(1)</script> State")

    open_app(page, f"{server.url}/?event=script-event")
    detail = page.locator(".st-key-event_detail")
    expect(detail).to_contain_text("<script>alert(1)</script>")
    expect(detail).to_contain_text("<img src=x onerror=alert(1)>")

    open_app(page, f"{server.url}/sources?source=article-x&excerpt=1")
    expect(page.locator("mark#x-1")).to_contain_text("<script>alert(1)</script> council")
    _assert_harmless(page, dialogs, outside)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def test_hostile_downloads_are_inert_and_keep_the_text(page: Page, hostile: tuple) -> None:
    server, dialogs, outside = hostile
    open_app(page, f"{server.url}/data")

    _, body = download(page, "download_csv")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert cells, "the CSV has no rows"
    risky = [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert risky == [], f"cells a spreadsheet would run as formulas: {risky}"
    assert '\'=HYPERLINK("http://example.invalid","click")' in cells
    assert "<script>alert(1)</script>" in cells  # text kept as written

    data = json.loads(download(page, "download_json")[1])
    titles = {e["id"]: e["title"] for e in data["events"]}
    assert titles["script-event"] == "<script>alert(1)</script>"
    slides = json.loads(download(page, "download_timelinejs")[1])["events"]
    assert len(slides) == len(titles)
    _assert_harmless(page, dialogs, outside)


# --- broken data directories ---------------------------------------------------------------


def _copy_data(tmp: Path) -> Path:
    out = tmp / "data"
    shutil.copytree(ROOT / "tests" / "fixtures" / "minimal", out)
    return out


def binary_events(tmp: Path) -> tuple[Path, str]:
    data = _copy_data(tmp)
    (data / "events.csv").write_bytes(bytes(range(256)) * 64)
    return data, "the file is binary"


def missing_column(tmp: Path) -> tuple[Path, str]:
    data = _copy_data(tmp)
    events = data / "events.csv"
    lines = events.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    at = header.index("title")
    kept = [",".join(c for i, c in enumerate(line.split(",")) if i != at) for line in lines]
    events.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return data, "required column 'title' is missing"


def huge_garbage(tmp: Path) -> tuple[Path, str]:
    """Forty megabytes of printable noise, commas, quotes and newlines: valid UTF-8, not a table."""
    data = _copy_data(tmp)
    alphabet = b'abcdefghijklmnopqrstuvwxyz0123456789 ,,,;"\n' + bytes(range(33, 127))
    table = bytes(alphabet[i % len(alphabet)] for i in range(256))
    (data / "events.csv").write_bytes(os.urandom(40 * 2**20).translate(table))
    return data, "events.csv"


@pytest.mark.parametrize("make", [binary_events, missing_column, huge_garbage])
def test_malformed_data_shows_the_problems_and_the_app_keeps_serving(
    page: Page,
    serve: Callable[..., StreamlitServer],
    tmp_path: Path,
    make: Callable[[Path], tuple[Path, str]],
) -> None:
    data, expected = make(tmp_path)
    server = serve(data)
    for attempt in range(2):  # the second load shows the server survived the first
        open_app(page, server.url)
        expect(page.get_by_role("heading", name="The data set cannot be used")).to_be_visible()
        expect(page.get_by_test_id("stException")).to_have_count(0)
        expect(page.get_by_test_id("stDataFrame")).to_be_visible()
        page.get_by_test_id("stExpander").get_by_text("As text").click()
        expect(page.get_by_test_id("stCode")).to_contain_text(expected)
        assert server.healthy(), f"health check failed after load {attempt + 1}"
    save_screenshot(page, f"malformed-{make.__name__}")
