"""Page open of the Timeline against the minimal app, for variants of the app side by side.

Usage::

    python bench/spikes/measure_open.py [--runs 5] [--variant NAME=DIR ...] [--requests]
                                        [--data DIR]

Each variant is a directory holding a copy of the app (``dashboard.py``, ``pages/``,
``chronology/``); the current checkout is the variant ``app``. One server per variant and
one for ``bench/minimal_app.py`` run together; the runs are interleaved (minimal, then every
variant, in a rotating order), each from a fresh browser context until the chart is drawn and
the script has finished, as ``bench/run.py`` measures page open. Printed: medians of the wall
clock and of the CPU seconds of this process's tree (browser, driver, servers), their ratios
to the minimal app, the websocket bytes, and with ``--requests`` the scripts, styles and fonts
the browser fetched (the front end loads one chunk per kind of element). ``--data`` opens every
variant on that data directory (default: the bundled data). Not in ``make bench``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent  # bench/
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from playwright.sync_api import Browser, expect, sync_playwright  # noqa: E402
from run import (  # noqa: E402
    CHART,
    MINIMAL_APP,
    StreamlitServer,
    _tree_cpu,
    launch_chromium,
    wait_ready,
)

TIMEOUT = 120_000  # ms: a variant that never draws its chart fails instead of stalling the run


def _open(browser: Browser, url: str, server: int = 0) -> dict:
    """One page open: wall and CPU seconds (and the server's share), websocket bytes, and the
    fetched resources."""
    import os

    s0 = _tree_cpu(server) if server else 0.0
    c0, t0 = _tree_cpu(os.getpid()), time.perf_counter()
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    ws_bytes: list[int] = []
    fetched: list[tuple[str, str]] = []
    page.on(
        "websocket",
        lambda ws: ws.on("framereceived", lambda p: ws_bytes.append(len(p))),
    )
    page.on("requestfinished", lambda r: fetched.append((r.resource_type, r.url)))
    page.goto(url)
    expect(page.locator(CHART).first).to_be_visible(timeout=TIMEOUT)
    wait_ready(page, timeout=TIMEOUT)
    took = time.perf_counter() - t0
    cpu = _tree_cpu(os.getpid()) - c0
    server_cpu = _tree_cpu(server) - s0 if server else 0.0
    context.close()
    return {
        "wall": took,
        "cpu": cpu,
        "server_cpu": server_cpu,
        "ws": sum(ws_bytes),
        "fetched": fetched,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the comparison and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--variant", action="append", default=[], help="NAME=DIR")
    parser.add_argument("--requests", action="store_true")
    parser.add_argument("--data", type=Path, help="a data directory (default: the bundled data)")
    args = parser.parse_args(argv)
    variants = [("app", ROOT)] + [
        (v.split("=", 1)[0], Path(v.split("=", 1)[1]).resolve()) for v in args.variant
    ]
    servers = {"minimal": StreamlitServer(script=MINIMAL_APP)}
    for name, directory in variants:
        servers[name] = StreamlitServer(args.data and args.data.resolve(), cwd=directory)
    for server in servers.values():
        server.start(timeout=600)
    results: dict[str, list[dict]] = {name: [] for name in servers}
    names = list(servers)
    try:
        with sync_playwright() as pw:
            browser = launch_chromium(pw)
            for name in names:  # warm-up: data cached, code compiled
                _open(browser, servers[name].url)
            for run in range(args.runs):
                order = names[run % len(names) :] + names[: run % len(names)]
                for name in order:
                    server = servers[name]
                    pid = server.proc.pid if server.proc else 0
                    results[name].append(_open(browser, server.url, pid))
                    r = results[name][-1]
                    print(
                        f"  run {run + 1} {name}: {r['wall']:.2f} s, CPU {r['cpu']:.2f} s "
                        f"(server {r['server_cpu']:.2f} s)",
                        flush=True,
                    )
            browser.close()
    finally:
        for server in servers.values():
            server.cleanup()
    floor_wall = statistics.median(r["wall"] for r in results["minimal"])
    floor_cpu = statistics.median(r["cpu"] for r in results["minimal"])
    print("| variant | wall | CPU | ratio wall | ratio CPU | server CPU | websocket | requests |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name in names:
        wall = statistics.median(r["wall"] for r in results[name])
        cpu = statistics.median(r["cpu"] for r in results[name])
        ws = statistics.median(r["ws"] for r in results[name])
        server_cpu = statistics.median(r["server_cpu"] for r in results[name])
        n = len(results[name][-1]["fetched"])
        print(
            f"| {name} | {wall:.2f} s | {cpu:.2f} s | ×{wall / floor_wall:.2f} | "
            f"×{cpu / floor_cpu:.2f} | {server_cpu:.2f} s | {ws / 1024:.0f} KB | {n} |"
        )
    for name in names:
        raw = ", ".join(f"{r['wall']:.2f}/{r['cpu']:.2f}" for r in results[name])
        print(f"  {name}: {raw}")
    if args.requests:
        base = {u.split("/")[-1] for _, u in results["minimal"][-1]["fetched"]}
        for name in names[1:]:
            files = {(t, u.split("/")[-1]) for t, u in results[name][-1]["fetched"]}
            extra = sorted((t, f) for t, f in files if f not in base)
            print(f"  {name}: fetched beyond the minimal app ({len(base)} files):")
            for kind, what in extra:
                print(f"    {kind}: {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
