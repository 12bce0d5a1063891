"""Reading the story: what the Timeline shows of the events, and how fast *Next* brings the next
one's title onto the screen (run by bench/run.py, or alone).

Usage::

    python bench/measure_story.py [--data DIR] [--runs 5] [--against CHECKOUT]

Prints one JSON line:

- ``next_title_ms``: on an open Timeline at 1440×900, from pressing *Next* until the next
  event's title is drawn inside the viewport (the median of ``--runs`` presses, each on the page
  as the last one left it; ``next_title_dom_ms``: until it is anywhere in the page);
- ``window_events`` / ``named_events``: the events in the chart's opening time range, and how
  many of them the chart names by their title (a text drawn on the chart: the title, or its
  start ending in "…");
- ``title_top_px``: after one *Next*, how far down the page (from the top, unscrolled) the
  current event's title is drawn; ``viewport_px``: the window's height;
- ``plot_px_390``: the plot area's width at 390×844 (a phone).

``--against`` runs the app from another checkout instead (for the figures before a change, for
example ``git archive main | tar -x -C /tmp/main``). A measurement, not a test: the browser
tests assert the same things.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "harness"))  # the browser harness, shared with tests/

from browser_harness import (  # noqa: E402
    StreamlitServer,
    chart,
    launch_chromium,
    names,
    open_app,
    overlaps,
    wait_ready,
)
from playwright.sync_api import Browser, sync_playwright  # noqa: E402

import chronology  # noqa: E402

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


# In the page: the top of the event title (h3.event-title) naming ``title``, inside the viewport.
TITLE_SHOWN = """(title) => {
  for (const e of document.querySelectorAll('.st-key-event_detail .event-title')) {
    if (!e.textContent.trim().startsWith(title)) continue;
    const r = e.getBoundingClientRect();
    if (r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight) return r.top;
  }
  return null;
}"""
TITLE_IN_DOM = """(title) => [...document.querySelectorAll('.st-key-event_detail .event-title')]
  .some(e => e.textContent.trim().startsWith(title))"""
TIMED_NEXT = """async ([shown, inDom, title]) => {
  const visible = eval(shown), present = eval(inDom);
  const button = [...document.querySelectorAll('button')]
    .find(b => /^\\s*(arrow_forward)?\\s*Next/.test(b.textContent));
  const t0 = performance.now();
  button.click();
  let dom = null;
  return await new Promise(resolve => {
    const loop = () => {
      const now = performance.now();
      if (dom === null && present(title)) dom = now - t0;
      if (visible(title) !== null) return resolve({shown: now - t0, dom});
      if (now - t0 > 20000) return resolve({shown: null, dom});
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  });
}"""


def opening_view(ds: chronology.DataSet, chart: dict) -> dict:
    """The events in the chart's time range, those named on it, and overlapping texts."""
    import pandas as pd

    lo, hi = (pd.Timestamp(v) for v in chart["range"])
    ev = ds.events
    inside = ev[(ev["start"] <= hi) & (ev["end"] + pd.Timedelta(days=1) >= lo)]
    texts = chart["texts"]
    named = [t for t in inside["title"] if any(names(x["text"], t) for x in texts)]
    return {
        "window_events": len(inside),
        "named_events": len(named),
        "overlaps": overlaps(texts),
    }


def measure(browser: Browser, url: str, ds: chronology.DataSet, runs: int) -> dict:
    """The figures above, on a running server at ``url``."""
    out: dict = {}
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    open_app(page, url)
    out.update(opening_view(ds, chart(page)))
    titles = ds.events["title"].tolist()  # the page opens with no current event; Next: the first
    shown, dom = [], []
    for i in range(min(runs + 1, len(titles))):
        got = page.evaluate(TIMED_NEXT, [f"({TITLE_SHOWN})", f"({TITLE_IN_DOM})", titles[i]])
        wait_ready(page)
        if i == 0:
            out["title_top_px"] = page.evaluate(
                """(title) => {
                   for (const e of document.querySelectorAll(
                       '.st-key-event_detail .event-title')) {
                     if (e.textContent.trim().startsWith(title))
                       return e.getBoundingClientRect().top + document.querySelector(
                         '[data-testid="stMain"]').scrollTop; } return null; }""",
                titles[i],
            )
            continue  # the first press also builds the first card: not timed
        shown.append(got["shown"])
        dom.append(got["dom"])
    out["viewport_px"] = DESKTOP["height"]
    seen = [s for s in shown if s is not None]
    out["next_title_ms"] = round(statistics.median(seen)) if len(seen) == len(shown) else None
    out["next_title_dom_ms"] = round(statistics.median(d for d in dom if d is not None))
    out["next_title_runs"] = shown
    context.close()
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    open_app(page, url)
    out["plot_px_390"] = round(chart(page)["plot"])
    context.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--against", type=Path, default=None, help="the app of this checkout")
    args = parser.parse_args(argv)
    ds = chronology.load(args.data) if args.data else chronology.load()
    server = StreamlitServer(args.data, cwd=args.against or HERE.parent)
    with sync_playwright() as pw, server.start(timeout=600):
        browser = launch_chromium(pw)
        print(json.dumps(measure(browser, server.url, ds, args.runs)), flush=True)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
