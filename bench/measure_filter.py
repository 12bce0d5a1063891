"""Where a filter change's time goes: pick an actor in the sidebar → chart redrawn, in parts.

Usage::

    python bench/measure_filter.py [--sizes bundled,1000,10000,100000] [--runs 5] [--floor]
        [--against DIR] [--chart-alone]

For each data set (and with ``--floor`` for bench/minimal_filter_app.py, a multiselect that
changes a 4-point chart: what Streamlit and headless Chromium can do at all), in the page's
own clock (``performance.now``), medians over ``--runs`` clicks on an open page:

- ``request``: click → the browser sends the rerun request over the websocket;
- ``server``: request → the last message of the rerun received (the script has finished);
- ``chart_msg``: request → the message carrying the chart received (its bytes: ``chart_kb``);
- ``draw``: the chart's message → the chart shows the new figure, drawn and not hidden (parse,
  theme, Plotly's draws: Streamlit draws a new chart once hidden, before it knows its width);
- ``shown``: click → the chart shows the new figure;
- ``total``: click → chart redrawn and script finished (what bench/run.py times);
- ``cpu``: CPU seconds of the browser and the server meanwhile.

Each run opens a fresh page and picks the actor (bench/run.py's choice), so the chart goes from
all events to the actor's. ``--against DIR`` (another checkout of the app, for example
``git worktree add /tmp/old COMMIT``) runs a second server from DIR beside this checkout's and
alternates the clicks between the two, so old and new code share the machine's moments; each
line then says which (``code``: ``this`` or ``against``; with several ``--against``, each
one's directory). ``--chart-alone`` adds, the same way,
bench/chart_alone_app.py on the same data: the sidebar and the Timeline's chart, nothing else
(``code``: ``chart alone``), the cost of drawing that figure at all. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "harness"))  # the browser harness, shared with tests/

from browser_harness import READY, StreamlitServer, launch_chromium  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from run import (  # noqa: E402
    ACTOR,
    CHART_ALONE_APP,
    CHART_SIGNATURE,
    MINIMAL_FILTER_APP,
    _chart_drawn,
    _open_timeline,
    _tree_cpu,
    actor_option,
    data_for,
    serving,
)

# Timestamps in the page: every websocket message (time, bytes), every send, the first pointer
# press; a frame loop notes when the chart's signature changes and when the script is done.
PROBE = """
(() => {
  const t = (window.__probe = {recv: [], sent: [], click: null, chart: null, done: null});
  const Orig = window.WebSocket;
  window.WebSocket = class extends Orig {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        const d = e.data;
        t.recv.push([performance.now(), d.byteLength ?? d.size ?? d.length ?? 0]);
      });
    }
    send(data) { t.sent.push(performance.now()); return super.send(data); }
  };
  document.addEventListener('pointerdown', () => { if (t.click === null && t.armed) {
    t.click = performance.now(); } }, true);
})();
"""
WATCH = """([signature, ready, before]) => {
  const t = window.__probe;
  const sig = eval(signature);
  const loop = () => {
    const now = performance.now();
    if (t.chart === null) {
      const gd = document.querySelector('.st-key-timeline .js-plotly-plot');
      const s = sig();
      if (s && s !== before && gd.style.visibility !== 'hidden') t.chart = now;
    }
    if (t.chart !== null && document.querySelector(ready)) { t.done = now; return; }
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
}"""


def one(browser, url: str, actor: str) -> dict:
    """One filter change on a fresh page: the parts, in ms."""
    page, _ = _open_timeline(browser, url, init_script=PROBE)
    _chart_drawn(page)
    before = page.evaluate(CHART_SIGNATURE)
    option = actor_option(page, actor)
    page.evaluate("window.__probe.recv = []; window.__probe.sent = []; window.__probe.armed = 1")
    page.evaluate(WATCH, [f"({CHART_SIGNATURE})", READY, before])
    c0 = _tree_cpu(os.getpid())
    option.click()
    page.wait_for_function("window.__probe.done !== null", timeout=600_000)
    cpu = _tree_cpu(os.getpid()) - c0
    t = page.evaluate("window.__probe")
    page.context.close()
    click = t["click"]
    request = min(s for s in t["sent"] if s >= click)
    after = [(at, n) for at, n in t["recv"] if at >= request]
    chart_at, chart_bytes = max(after, key=lambda r: r[1])
    return {
        "request": request - click,
        "server": max(at for at, _ in after) - request,
        "chart_msg": chart_at - request,
        "chart_kb": chart_bytes / 1024,
        "draw": t["chart"] - chart_at,
        "shown": t["chart"] - click,
        "total": max(t["done"], t["chart"]) - click,
        "cpu": cpu * 1000,
        "messages": len(after),
        "received_kb": sum(n for _, n in after) / 1024,
    }


def measure(browser, servers: dict[str, StreamlitServer], actor: str, runs: int) -> dict:
    """Medians of ``runs`` filter changes per server, the servers taking turns click by click."""
    for server in servers.values():
        _chart_drawn(_open_timeline(browser, server.url)[0])  # warm the cache
    rows: dict[str, list[dict]] = {name: [] for name in servers}
    for run in range(runs):
        names = list(servers)[run % len(servers) :] + list(servers)[: run % len(servers)]
        for name in names:
            rows[name].append(one(browser, servers[name].url, actor))
    return {
        name: {k: round(statistics.median(r[k] for r in got), 1) for k in got[0]}
        | {"totals": [round(r["total"]) for r in got]}
        for name, got in rows.items()
    }


def main(argv: list[str] | None = None) -> int:
    """Print one JSON line per data set (and code, with ``--against``)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="bundled,1000,10000,100000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--floor", action="store_true", help="also the minimal filter app")
    parser.add_argument(
        "--against",
        type=Path,
        action="append",
        default=[],
        help="another checkout, measured alternately (repeatable)",
    )
    parser.add_argument(
        "--chart-alone",
        action="store_true",
        help="also the Timeline's chart alone (bench/chart_alone_app.py), with the same data",
    )
    args = parser.parse_args(argv)
    targets: list[tuple[str, Path | None, str]] = []
    if args.floor:
        targets.append(("floor", None, MINIMAL_FILTER_APP))
    for size in (s.strip() for s in args.sizes.split(",") if s.strip()):
        targets.append((size, None if size == "bundled" else data_for(size), "dashboard.py"))
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        for name, data, script in targets:
            servers = {"this": StreamlitServer(data, script=script)}
            for other in args.against if name != "floor" else ():
                label = "against" if len(args.against) == 1 else str(other)
                servers[label] = StreamlitServer(data, script=script, cwd=other)
            if args.chart_alone and name != "floor":
                servers["chart alone"] = StreamlitServer(data, script=CHART_ALONE_APP)
            with serving(*servers.values()):
                for server in servers.values():
                    server.start(timeout=600)
                t0 = time.perf_counter()
                out = measure(browser, servers, ACTOR.get(name, "State 0"), args.runs)
                wall = round(time.perf_counter() - t0, 1)
            for code, got in out.items():
                label = {"code": code} if len(out) > 1 else {}
                print(json.dumps({"data": name, **label, **got, "wall_s": wall}), flush=True)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
