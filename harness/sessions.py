"""Many reader sessions at once against one server: shared by the concurrency test and the bench.

Each session is a browser context of its own (its own cookies, its own Streamlit session) that
opens a link carrying its filter, then switches through every page with the sidebar's
navigation. Timings are taken in the page itself (``performance.now()``, by a script added to
every context), so twenty sessions waited for one after the other are each timed as if alone.

Usage::

    visits = distinct_visits(chronology.load(), 20)
    with StreamlitServer().start() as server, sync_playwright() as pw:
        browser = launch_chromium(pw)
        runs = open_sessions(browser, server.url, visits)
        for name in NAV[1:]:
            switch_all(runs, name)
        close_sessions(runs)
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import chronology

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

__all__ = [
    "NAV",
    "TIMER",
    "Run",
    "Visit",
    "close_sessions",
    "distinct_visits",
    "open_sessions",
    "percentile",
    "rss_mb",
    "switch_all",
]

NAV = ("Timeline", "Actors", "Sources", "Data")
"""The pages, in the navigation's order; a session starts on the first."""

TIMER = """
window.__chron = {marks: {}, switch: {}};
const seen = () => {
  const marks = window.__chron.marks;
  for (const el of document.querySelectorAll('#chronology-ready')) {
    const page = el.dataset.page;
    if (!(page in marks)) marks[page] = performance.now();
  }
  if (!('chart' in marks) && document.querySelector('.st-key-timeline .js-plotly-plot .main-svg'))
    marks.chart = performance.now();
};
new MutationObserver(seen).observe(document, {childList: true, subtree: true});
"""
"""Added to every page of a session: when each page's ready marker (and the chart) first shows."""


@dataclass(frozen=True)
class Visit:
    """A reader's link: its filter as URL parameters, and the events it selects."""

    label: str
    params: tuple[tuple[str, str], ...]
    expected: tuple[str, ...]

    @property
    def query(self) -> str:
        """The query string of the link."""
        return urlencode(self.params)


@dataclass
class Run:
    """One session under way: its visit, its context and page, what it showed, when."""

    visit: Visit
    context: BrowserContext
    page: Page
    shown: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def _candidates(ds: chronology.DataSet) -> list[tuple[str, tuple, chronology.Query]]:
    """Links of several kinds (actor, text, date, category), each with the query it means."""
    out: list[tuple[str, tuple, chronology.Query]] = []
    for aid, name in ds.actor_names.items():
        out.append((f"actor {name}", (("actors", name),), chronology.Query(actors=(aid,))))
    for word in ("coup", "withdrawal", "drone", "Russia", "zzzzqqq"):
        out.append((f"q {word}", (("q", word),), chronology.Query(text=word)))
    for year in (2013, 2020, 2023, 2024, 2030):
        day = date(year, 1, 1)
        out.append((f"from {year}", (("from", day.isoformat()),), chronology.Query(start=day)))
    for cid, name in zip(ds.categories["id"], ds.categories["name"], strict=True):
        out.append((f"cat {name}", (("cat", name),), chronology.Query(categories=(cid,))))
    return out


def distinct_visits(ds: chronology.DataSet, n: int) -> list[Visit]:
    """``n`` links whose filters select different sets of events (at most one empty set).

    Different sets make a session that shows another's events detectable. Kinds alternate
    (actor, text, date, category) so the sessions run different code paths at once.
    """
    by_kind: dict[str, list] = {}
    for cand in _candidates(ds):
        by_kind.setdefault(cand[0].split()[0], []).append(cand)
    order = []
    while any(by_kind.values()):
        for kind in list(by_kind):
            if by_kind[kind]:
                order.append(by_kind[kind].pop(0))
    seen: set[frozenset[str]] = set()
    visits: list[Visit] = []
    for label, params, query in order:
        ids = frozenset(chronology.filter_events(ds, query)["id"])
        if ids in seen:
            continue
        seen.add(ids)
        visits.append(Visit(label, params, tuple(sorted(ids))))
        if len(visits) == n:
            return visits
    raise ValueError(f"only {len(visits)} links with distinct selections, {n} wanted")


def rss_mb(pid: int) -> float:
    """The resident set size of a process, in MB (from /proc: Linux only)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def _marker(page_name: str) -> str:
    return f'#chronology-ready[data-page="{page_name.lower()}"]'


def _record(run: Run, name: str, timeout: float) -> None:
    """Wait for page ``name`` of the session to render; keep its count and its time."""
    marker = run.page.locator(_marker(name))
    marker.wait_for(state="attached", timeout=timeout)
    run.shown[name] = int(marker.get_attribute("data-events") or -1)
    marks = run.page.evaluate("() => window.__chron")
    start = marks["switch"].get(name, 0.0)  # the first page: since the navigation started
    run.seconds[name] = (marks["marks"][name.lower()] - start) / 1000


def _record_chart(run: Run, timeout: float) -> None:
    """Wait for the Timeline's chart (Plotly draws it after the script ends); keep its time."""
    if run.shown.get(NAV[0], 0) <= 0:
        return  # no events, no chart
    chart = run.page.locator(".st-key-timeline .js-plotly-plot .main-svg").first
    chart.wait_for(state="attached", timeout=timeout)
    run.seconds["chart"] = run.page.evaluate("() => window.__chron.marks.chart") / 1000


def open_sessions(
    browser: Browser,
    url: str,
    visits: list[Visit],
    timeout: float = 60_000,
    chart: bool = False,
) -> list[Run]:
    """Open every visit's link in a context of its own, all at once; wait for each Timeline.

    ``chart``: also wait for each Timeline's chart to be drawn, and time it.
    """
    runs = []
    for visit in visits:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(timeout)
        context.add_init_script(TIMER)
        runs.append(Run(visit, context, context.new_page()))
    for run in runs:  # start every navigation before waiting for any
        run.page.goto(f"{url}/?{run.visit.query}", wait_until="commit")
    for run in runs:
        _record(run, NAV[0], timeout)
    for run in runs if chart else ():
        _record_chart(run, timeout)
    return runs


def switch_all(runs: list[Run], name: str, timeout: float = 60_000) -> None:
    """Every session clicks page ``name`` in the navigation; wait until each has rendered it."""
    for run in runs:
        run.page.evaluate("(name) => { window.__chron.switch[name] = performance.now(); }", name)
        run.page.get_by_test_id("stSidebarNav").get_by_role("link", name=name).click()
    for run in runs:
        _record(run, name, timeout)


def close_sessions(runs: list[Run]) -> None:
    """Close every session's context (the browser disconnects each websocket)."""
    for run in runs:
        run.context.close()


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) of the values, interpolated (NaN for none)."""
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1]
