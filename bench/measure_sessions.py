"""Many readers at once: time to chart and to each page, and the server's memory per session.

Usage::

    python bench/measure_sessions.py                 # 20 sessions on the bundled data
    python bench/measure_sessions.py --sessions 5 --data DIR --json

One server (``streamlit run dashboard.py``) and one headless Chromium; after a warm-up reader
(the data loaded, every page run once), N browser contexts open N links at once, each with its
own filter (harness/sessions.py picks them), and switch through the four pages together.
Times are taken in each page (``performance.now()``): from the start of the navigation to the
Timeline's chart drawn and to its ready marker, and from each navigation click to the next
page's ready marker. Memory is the server's resident set (/proc, Linux): after the warm-up,
with every session open, and just after they closed. Figures, not assertions: the test
tests/browser/test_concurrency.py checks correctness.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "harness"))  # the browser harness, shared with tests/
sys.path.insert(0, str(ROOT))

from browser_harness import StreamlitServer, launch_chromium, wait_ready  # noqa: E402
from sessions import (  # noqa: E402
    NAV,
    close_sessions,
    distinct_visits,
    open_sessions,
    percentile,
    rss_mb,
    switch_all,
)

import chronology  # noqa: E402


def measure(sessions: int, data: str | None) -> dict:
    """Run the sessions once; the figures as a dict."""
    from playwright.sync_api import sync_playwright

    ds = chronology.load(data) if data else chronology.load()
    visits = distinct_visits(ds, sessions)
    with StreamlitServer(data).start() as server, sync_playwright() as pw:
        browser = launch_chromium(pw)
        pid = server.proc.pid
        started = rss_mb(pid)
        warm = browser.new_context()
        warm.set_default_timeout(180_000)
        page = warm.new_page()
        page.goto(server.url)
        wait_ready(page, timeout=180_000)
        for name in NAV[1:]:
            page.get_by_test_id("stSidebarNav").get_by_role("link", name=name).click()
            page.locator(f'#chronology-ready[data-page="{name.lower()}"]').wait_for(
                state="attached", timeout=120_000
            )
        warm.close()
        baseline = rss_mb(pid)
        wall = time.perf_counter()
        runs = open_sessions(browser, server.url, visits, timeout=600_000, chart=True)
        for name in NAV[1:]:
            switch_all(runs, name, timeout=600_000)
        wall = time.perf_counter() - wall
        busy = rss_mb(pid)
        close_sessions(runs)
        closed = rss_mb(pid)
        browser.close()
        tracebacks = server.log(limit=10**9).count("Traceback")

    def stats(key: str) -> dict[str, float]:
        values = [r.seconds[key] for r in runs if key in r.seconds]
        return {
            "p50_s": round(percentile(values, 50), 2),
            "p95_s": round(percentile(values, 95), 2),
            "max_s": round(max(values, default=float("nan")), 2),
        }

    return {
        "sessions": sessions,
        "events": len(ds.events),
        "cpus": os.cpu_count(),
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "platform": platform.platform(),
        "wall_s": round(wall, 1),
        "chart": stats("chart"),
        "pages": {name: stats(name) for name in NAV},
        "rss_mb": {
            "server_started": round(started, 1),
            "after_warm_up": round(baseline, 1),
            "sessions_open": round(busy, 1),
            "after_close": round(closed, 1),
        },
        "mb_per_session": round((busy - baseline) / sessions, 2),
        "wrong_counts": sum(1 for r in runs if set(r.shown.values()) != {len(r.visit.expected)}),
        "tracebacks": tracebacks,
    }


def table(result: dict) -> str:
    """The figures as the Markdown rows of bench/README.md."""
    rows = ["| measure | p50 | p95 | max |", "|---|---:|---:|---:|"]
    rows.append(
        "| open link → chart drawn | {p50_s:.2f} s | {p95_s:.2f} s | {max_s:.2f} s |".format(
            **result["chart"]
        )
    )
    for name, s in result["pages"].items():
        what = "open link → Timeline ready" if name == NAV[0] else f"click → {name} ready"
        rows.append(f"| {what} | {s['p50_s']:.2f} s | {s['p95_s']:.2f} s | {s['max_s']:.2f} s |")
    m = result["rss_mb"]
    rows += [
        "",
        "| server memory (RSS) | MB |",
        "|---|---:|",
        f"| started | {m['server_started']:.0f} |",
        f"| after one warm-up reader | {m['after_warm_up']:.0f} |",
        f"| {result['sessions']} sessions open | {m['sessions_open']:.0f} |",
        f"| just after they closed | {m['after_close']:.0f} |",
        f"| per open session | {result['mb_per_session']:.1f} |",
    ]
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--data", help="data directory (default: the bundled data)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    result = measure(args.sessions, args.data)
    print(json.dumps(result, indent=2) if args.json else table(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
