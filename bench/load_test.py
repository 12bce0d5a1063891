"""Hostile uploads under load: N sessions each uploading a different hostile file at once while
one more visitor opens the Timeline; the server's memory before, at peak and after.

Usage::

    .venv/bin/python bench/load_test.py --sessions 10
    .venv/bin/python bench/load_test.py --sessions 20 --root /path/to/another/checkout

One server (``streamlit run dashboard.py``, the checkout's own .streamlit/config.toml) with
``server.disconnectedSessionTTL`` set to ``--ttl`` seconds (20: Streamlit's 120 would make the
run long; the app watches the same setting) and one headless Chromium. Steps: a warm-up reader;
the Timeline opened ``--idle-runs`` times on the idle server (a fresh browser context each
time: from navigation to the ready marker); then N contexts open the Import page and are handed
one file each of bench/hostile.py's corpus (cycled), and while their uploads run the visitor
opens the Timeline once more; each uploader's page is waited on for its message (at most
``--wait`` seconds), then every uploader's tab is closed. The resident set of the server
(/proc, Linux) is sampled every 0.2 s throughout, and read again ``--ttl`` + 30 s after the
tabs closed, with no new visitor. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "harness"))  # the browser harness, shared with tests/
sys.path.insert(0, str(HERE))

from browser_harness import StreamlitServer, launch_chromium, wait_ready  # noqa: E402
from hostile import CORPUS, name_of  # noqa: E402

_READY = "#chronology-ready"
_MESSAGE = '[data-testid="stAlert"]:has-text("nothing was loaded"), ' + (
    '[data-testid="stAlert"]:has-text("your uploaded timeline")'
)


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _breakdown(pid: int) -> dict[str, int]:
    """Where the resident set is (MB): file-backed pages (code of the libraries imported),
    the main heap, the other anonymous mappings by size (glibc's thread arenas reserve 64 MB
    each; Python's object arenas are 1 MB; large buffers are mapped alone)."""
    out = {"file": 0, "heap": 0, "anon_arena_64M": 0, "anon_other": 0}
    size = 0
    name = ""
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        head = line.split()
        if "-" in head[0] and ":" not in head[0]:
            lo, hi = (int(x, 16) for x in head[0].split("-"))
            size = hi - lo
            name = head[5] if len(head) > 5 else ""
        elif head[0] == "Rss:":
            kb = int(head[1])
            if name == "[heap]":
                out["heap"] += kb
            elif name.startswith("/"):
                out["file"] += kb
            elif size >= 32 * 2**20 or name == "":
                key = "anon_arena_64M" if size >= 32 * 2**20 else "anon_other"
                out[key] += kb
    return {k: round(v / 1024) for k, v in out.items()}


class Sampler(threading.Thread):
    """The server's resident set every 0.2 s; ``peak`` since the last ``reset``."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, _rss_mb(self.pid))
            time.sleep(0.2)

    def reset(self) -> None:
        self.peak = _rss_mb(self.pid)


def _open_timeline(browser, url: str, timeout_s: float) -> float:
    """Seconds from a fresh context's navigation to the Timeline's ready marker."""
    context = browser.new_context()
    try:
        page = context.new_page()
        start = time.perf_counter()
        page.goto(url, timeout=timeout_s * 1000)
        wait_ready(page, timeout=timeout_s * 1000)
        return time.perf_counter() - start
    except Exception:
        return float("inf")
    finally:
        context.close()


def measure(
    sessions: int, root: Path, ttl: int, wait: float, idle_runs: int, env: dict[str, str]
) -> dict:
    from playwright.sync_api import sync_playwright

    keys = [k for k in CORPUS if not k.startswith("valid-")] + ["valid-100000"]
    files = [(name_of(k), CORPUS[k]()) for k in keys]
    server = StreamlitServer(python=sys.executable, cwd=root, env={**os.environ, **env})
    server.command = lambda base=server.command: [  # type: ignore[method-assign]
        *base(),
        "--server.disconnectedSessionTTL",
        str(ttl),
    ]
    with server.start() as srv, sync_playwright() as pw:
        pid = srv.proc.pid
        browser = launch_chromium(pw)
        sampler = Sampler(pid)
        sampler.start()
        _open_timeline(browser, srv.url, 180)  # warm-up: the data set loaded and cached
        time.sleep(2)
        idle_rss = _rss_mb(pid)
        idle_parts = _breakdown(pid)
        idle_open = [_open_timeline(browser, srv.url, 180) for _ in range(idle_runs)]
        sampler.reset()
        uploaders = []
        for i in range(sessions):
            name, data = files[i % len(files)]
            context = browser.new_context()
            page = context.new_page()
            page.goto(f"{srv.url}/upload", timeout=180_000)
            page.locator(f'{_READY}[data-page="upload"]').wait_for(
                state="attached", timeout=180_000
            )
            uploaders.append((name, context, page, data))
        started = time.perf_counter()
        for name, _, page, data in uploaders:
            page.locator(".st-key-import_file input[type=file]").set_input_files(
                files=[{"name": name, "mimeType": "text/csv", "buffer": data}]
            )
        busy_open = _open_timeline(browser, srv.url, wait)
        answered = {}
        for name, _, page, _ in uploaders:
            left = max(1.0, wait - (time.perf_counter() - started))
            try:
                page.locator(_MESSAGE).first.wait_for(timeout=left * 1000)
                answered[name] = round(time.perf_counter() - started, 1)
            except Exception:
                answered[name] = None
        all_answered = time.perf_counter() - started
        peak = sampler.peak
        for _, context, _, _ in uploaders:
            context.close()
        time.sleep(3)
        after_close = _rss_mb(pid)
        time.sleep(ttl + 30)  # the watcher looks every 10 s: gone for ttl, seen twice
        after_expiry = _rss_mb(pid)
        expiry_parts = _breakdown(pid)
        sampler.stop.set()
        browser.close()
        log = srv.log(limit=10**9)
    return {
        "sessions": sessions,
        "cpus": os.cpu_count(),
        "load_average_at_end": [round(x, 1) for x in os.getloadavg()],
        "idle_rss_mb": round(idle_rss),
        "timeline_open_idle_s": round(statistics.median(idle_open), 2),
        "timeline_open_during_uploads_s": round(busy_open, 2),
        "uploads_answered_s": answered,
        "all_answered_s": round(all_answered, 1),
        "peak_rss_mb": round(peak),
        "rss_after_close_mb": round(after_close),
        "rss_after_expiry_mb": round(after_expiry),
        "idle_parts_mb": idle_parts,
        "after_expiry_parts_mb": expiry_parts,
        "tracebacks_in_log": log.count("Traceback"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to serve")
    parser.add_argument("--ttl", type=int, default=20, help="server.disconnectedSessionTTL")
    parser.add_argument("--wait", type=float, default=180, help="seconds to wait for answers")
    parser.add_argument("--idle-runs", type=int, default=3)
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set in the server's environment (e.g. MALLOC_ARENA_MAX=2); repeatable",
    )
    args = parser.parse_args()
    env = dict(item.split("=", 1) for item in args.env)
    result = measure(args.sessions, args.root, args.ttl, args.wait, args.idle_runs, env)
    print(json.dumps({**result, "env": env}))


if __name__ == "__main__":
    main()
