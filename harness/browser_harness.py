"""The dashboard in a real server, driven in Chromium: shared by the browser tests and the bench.

Usage::

    with StreamlitServer(data_dir="data").start() as server, sync_playwright() as pw:
        browser = launch_chromium(pw)
        page = browser.new_page()
        page.goto(server.url)
        wait_ready(page)
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Self

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page, Playwright

__all__ = [
    "ARTIFACTS",
    "CHART_EVENT_IDS",
    "CHART_TEXT",
    "CHROMIUM_ARGS",
    "MARK_IDS",
    "READY",
    "ROOT",
    "NoBrowserError",
    "StreamlitServer",
    "chart",
    "chart_event_ids",
    "download",
    "filters",
    "find_chromium",
    "launch_chromium",
    "names",
    "open_app",
    "overlaps",
    "save_screenshot",
    "slug",
    "wait_chart_events",
    "wait_ready",
]

ROOT = Path(__file__).resolve().parents[1]  # the repository: this file is in harness/
ARTIFACTS = ROOT / "test-artifacts"

# Without the background-networking flags Chromium keeps calling Google's hosts, which a closed
# network refuses (or stalls on); --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
_CANDIDATES = (
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
)
NO_BROWSER_HELP = """\
No Chromium-family browser was found for the browser tests, which are never skipped.
Either
  - run `make browser` (as root on Debian/Ubuntu it installs Debian's chromium), or
  - install one yourself (Debian/Ubuntu: sudo apt-get install chromium), or
  - point the tests at one: CHROMIUM_PATH=/path/to/chromium make test"""

READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'
"""The app has connected and its script has finished running."""


class NoBrowserError(RuntimeError):
    """No Chromium-family browser to drive."""


def find_chromium() -> str:
    """The browser to drive: ``$CHROMIUM_PATH`` if set, else the first Chromium found."""
    override = os.environ.get("CHROMIUM_PATH", "")
    if override:
        path = shutil.which(override)
        if path is None:
            raise NoBrowserError(f"CHROMIUM_PATH={override!r} is not an executable.\n")
        return path
    for candidate in (*_CANDIDATES, shutil.which("chromium"), shutil.which("google-chrome")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise NoBrowserError(NO_BROWSER_HELP)


def launch_chromium(pw: Playwright, executable: str | None = None) -> Browser:
    """Launch headless Chromium (Playwright gives it a fresh, temporary user-data-dir)."""
    return pw.chromium.launch(
        executable_path=executable or find_chromium(), headless=True, args=CHROMIUM_ARGS
    )


def wait_ready(page: Page, timeout: float = 30_000) -> None:
    """Wait until the app is connected, its script has run, and no skeleton is left."""
    from playwright.sync_api import expect

    app = page.get_by_test_id("stApp")
    expect(app).to_have_attribute("data-test-connection-state", "CONNECTED", timeout=timeout)
    expect(page.locator(READY)).to_have_count(1, timeout=timeout)
    expect(page.get_by_test_id("stAppSkeleton")).to_have_count(0, timeout=timeout)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=timeout)


def filters(page: Page) -> Locator:
    """The sidebar's filters: open their popover (unless open) and return its body.

    The popover's content is drawn only while it is open, in a layer outside the sidebar.
    """
    from playwright.sync_api import expect

    body = page.get_by_test_id("stPopoverBody").filter(
        has=page.get_by_role("combobox", name="Actors")
    )
    if not body.is_visible():
        page.get_by_test_id("stSidebar").get_by_role(
            "button", name="Filters", exact=True
        ).first.click()
    expect(body).to_be_visible()
    return body


def open_app(page: Page, url: str) -> Page:
    """Go to ``url`` and wait until the app has finished its first run."""
    page.goto(url)
    wait_ready(page)
    return page


MARK_IDS = """(selector) => {
  const gd = document.querySelector(selector);
  if (!gd || !gd.data) return null;
  const ids = new Set();
  for (const trace of gd.data) {
    if (!trace.meta || trace.meta.role !== "marks") continue;
    for (const id of trace.customdata || []) ids.add(Array.isArray(id) ? id[0] : id);
  }
  return [...ids].sort();
}"""
"""JS: the ids of the events the Plotly chart at ``selector`` draws (from each trace's data)."""

CHART_EVENT_IDS = f"(key) => ({MARK_IDS})(`.st-key-${{key}} .js-plotly-plot`)"
"""JS: the same for the app's chart with widget key ``key``."""


CHART_TEXT = """(key) => {
  const gd = document.querySelector(`.st-key-${key} .js-plotly-plot`);
  if (!gd || !gd._fullLayout) return null;
  const svg = gd.getBoundingClientRect();
  const texts = [...gd.querySelectorAll('.main-svg text')].map(t => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, left: r.left, top: r.top, right: r.right, bottom: r.bottom,
            cls: [t, t.parentNode].map(e => e.getAttribute('class') || '').join(' ')};
  }).filter(r => r.right - r.left > 0 && r.bottom - r.top > 0
                 && r.left >= svg.left - 1 && r.right <= svg.right + 1);
  const drag = gd.querySelector('.nsewdrag').getBoundingClientRect();
  const current = (gd._fullLayout.shapes || []).map(s => s.name || '')
    .filter(n => n.startsWith('current:')).map(n => n.slice(8));
  return {range: gd._fullLayout.xaxis.range, texts, plot: drag.width, figure: svg.width,
          current};
}"""
"""JS: every text drawn on a chart (box and class), its time range, plot and figure widths, and
the current event's band."""


def names(text: str, title: str) -> bool:
    """Whether a text on the chart names the event of this title (whole, or cut with "…")."""
    text = text.strip()
    return text == title or (
        text.endswith("…") and len(text) > 8 and title.startswith(text[:-1].rstrip())
    )


def overlaps(boxes: list[dict]) -> list[tuple[str, str]]:
    """The pairs of boxes (``left``, ``top``, ``right``, ``bottom``) that overlap by more than
    a pixel, as their ``text``."""
    out = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if (
                a["left"] + 1 < b["right"]
                and b["left"] + 1 < a["right"]
                and a["top"] + 1 < b["bottom"]
                and b["top"] + 1 < a["bottom"]
            ):
                out.append((a["text"], b["text"]))
    return out


def chart(page: Page, key: str = "timeline") -> dict:
    """The chart with widget key ``key`` as drawn (:data:`CHART_TEXT`), once it is drawn."""
    page.wait_for_function(f"(k) => ({CHART_TEXT})(k) !== null", arg=key)
    return page.evaluate(CHART_TEXT, key)


def chart_event_ids(page: Page, key: str = "timeline") -> list[str] | None:
    """The ids of the events drawn on the chart (None while it is not drawn)."""
    return page.evaluate(CHART_EVENT_IDS, key)


def wait_chart_events(
    page: Page, expected: list[str], key: str = "timeline", timeout: float = 30_000
) -> None:
    """Wait until the chart draws exactly the events ``expected`` (auto-retrying, no sleep)."""
    page.wait_for_function(
        f"([key, want]) => JSON.stringify(({CHART_EVENT_IDS})(key)) === JSON.stringify(want)",
        arg=[key, sorted(expected)],
        timeout=timeout,
    )


def download(page: Page, key: str) -> tuple[str, bytes]:
    """Click the download button with widget key ``key``; the file's name and bytes."""
    button = page.locator(f".st-key-{key}").get_by_role("button", name=re.compile("Download"))
    wait_ready(page)
    with page.expect_download() as info:
        button.click()
    file = info.value
    wait_ready(page)
    return file.suggested_filename, Path(file.path()).read_bytes()


def slug(text: str) -> str:
    """``text`` as a file name."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")


def save_screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as test-artifacts/screenshots/NAME.png."""
    path = ARTIFACTS / "screenshots" / f"{slug(name)}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path, full_page=True)
    return path


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StreamlitServer:
    """``streamlit run dashboard.py`` on a free loopback port, its output kept in a log file."""

    def __init__(
        self,
        data_dir: str | Path | None = None,
        *,
        python: str | Path = sys.executable,
        cwd: str | Path = ROOT,
        script: str = "dashboard.py",
        env: dict[str, str] | None = None,
    ) -> None:
        self.data_dir = Path(data_dir) if data_dir is not None else None
        self.python = str(python)
        self.cwd = Path(cwd)
        self.script = script
        self.env = env
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self._log_dir = Path(tempfile.mkdtemp(prefix="streamlit-log-"))
        self.log_path = self._log_dir / "server.log"

    @property
    def url(self) -> str:
        """The app's address, without a trailing slash."""
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        """The command line the server runs."""
        cmd = [
            self.python, "-m", "streamlit", "run", self.script,
            "--server.headless", "true",
            "--server.address", "127.0.0.1",
            "--server.port", str(self.port),
            "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none",
        ]  # fmt: skip
        if self.data_dir is not None:
            cmd += ["--", "--data", str(self.data_dir)]
        return cmd

    def start(self, timeout: float = 60) -> Self:
        """Start the server; wait until `/_stcore/health` answers ok, or raise with the log."""
        self.port = free_port()
        env = dict(os.environ if self.env is None else self.env)
        env.setdefault("PYTHONUNBUFFERED", "1")
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(
                self.command(), cwd=self.cwd, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"the server exited with code {self.proc.returncode}:\n{self.log()}"
                )
            if self.healthy(timeout=1):
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the server was not healthy within {timeout:.0f} s:\n{self.log()}")

    def healthy(self, timeout: float = 5) -> bool:
        """True when the health endpoint answers 200 ok."""
        try:
            with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=timeout) as resp:
                return resp.status == 200 and resp.read().strip() == b"ok"
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            return False

    def log(self, limit: int = 20_000) -> str:
        """The end of the server's output."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""
        return text if len(text) <= limit else "…" + text[-limit:]

    def stop(self) -> None:
        """Terminate the server (kill it if it does not stop within 10 s)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)

    def cleanup(self) -> None:
        """Stop, and delete the log."""
        self.stop()
        with contextlib.suppress(OSError):
            shutil.rmtree(self._log_dir)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cleanup()
