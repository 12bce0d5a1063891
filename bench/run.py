"""Benchmark the dashboard on the bundled data and on generated data sets (``make bench``).

Usage::

    python bench/run.py                          # bundled, 1,000 … 100,000 events (1,000,000: load)
    python bench/run.py --sizes bundled,1000 --runs 3
    python bench/run.py --record                 # also write the figures into bench/README.md

For each data set, as medians over ``--runs`` runs:

- load + validate (``chronology.load`` in a fresh process) and the memory it takes
  (growth of the peak resident set; one more run under tracemalloc for Python's own peak);
- one script run of the Timeline page in Streamlit's AppTest, data cached (the server-side
  cost of a widget change), and the size of the chart's Plotly JSON;
- in headless Chromium: server start to chart drawn (a fresh server each run, so the data is
  loaded each time), and choosing an actor in the sidebar to the chart redrawn, beside the same
  change on bench/minimal_filter_app.py (a multiselect and a 4-point chart: the floor);
- page open: a fresh browser context on a running server until the chart is drawn, for the
  dashboard and, side by side (interleaved), for a minimal Streamlit + Plotly app of 4 points
  (bench/minimal_app.py), the stack's own floor;
- the bytes the browser receives over the websocket for the first page;
- Next → title on screen: on an open Timeline at 1440×900, *Next* pressed until the next
  event's title is drawn inside the viewport (bench/measure_story.py).

Generated data sets are written once to bench/out/ (git-ignored) and reused while the
generator is unchanged. These are measurements, not tests: nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "harness"))  # the browser harness, shared with tests/

from browser_harness import (  # noqa: E402
    READY,
    StreamlitServer,
    find_chromium,
    launch_chromium,
    wait_ready,
)
from browser_harness import filters as filters_panel  # noqa: E402
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright  # noqa: E402

OUT = HERE / "out"
README = HERE / "README.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
CHART = ".st-key-timeline .js-plotly-plot .main-svg"
# What the chart draws, as a string that changes when the chart does.
CHART_SIGNATURE = """() => {
  const gd = document.querySelector('.st-key-timeline .js-plotly-plot');
  if (!gd || !gd.data) return null;
  return JSON.stringify([gd.layout.meta, gd.data.map(t => [t.name, (t.x || []).length,
    (t.customdata || []).length])]);
}"""
LOAD_ONLY = 1_000_000  # from this size on, only the load is measured (the app takes minutes)
ACTOR = {"bundled": "Russia"}  # the actor chosen for the filter change; generated: "State 0"


@dataclass
class Result:
    """The figures for one data set."""

    name: str
    events: int = 0
    data_bytes: int = 0
    load_s: float = 0.0
    load_rss_mb: float = 0.0
    traced_peak_mb: float | None = None
    first_run_s: float = 0.0
    rerun_s: float = 0.0
    rerun_cpu_s: float = 0.0
    figure_mode: str = ""
    figure_kb: float = 0.0
    start_to_chart_s: float = 0.0
    start_to_health_s: float = 0.0
    filter_to_chart_s: float = 0.0
    filtered_events: int = 0
    chart_alone_filter_s: float = 0.0
    minimal_filter_s: float = 0.0
    page_open_s: float = 0.0
    minimal_open_s: float = 0.0
    page_open_cpu_s: float = 0.0
    minimal_open_cpu_s: float = 0.0
    ws_first_page_kb: float = 0.0
    next_title_ms: float | None = None
    raw: dict = field(default_factory=dict)


@contextmanager
def serving(*servers: StreamlitServer) -> Iterator[None]:
    """Around a block using these servers: each one's log printed if the block fails, each
    one stopped and its log deleted after."""
    try:
        yield
    except Exception:
        for server in servers:
            print(server.log(), file=sys.stderr)
        raise
    finally:
        for server in servers:
            server.cleanup()


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _json_run(args: list[str], timeout: float = 900) -> dict:
    proc = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=timeout, cwd=ROOT
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{args[0]} failed:\n{proc.stdout}\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def data_for(size: str, regenerate: bool = False) -> Path:
    """The data directory for a size: the bundled data, or a generated one (cached)."""
    if size == "bundled":
        return ROOT / "data"
    n = int(size)
    out = OUT / f"data-{n}"
    stamp = out / ".generated"
    want = hashlib.sha256((HERE / "generate.py").read_bytes()).hexdigest() + f" {n}"
    if regenerate or not stamp.exists() or stamp.read_text() != want:
        print(f"  generating {n:,} events…", flush=True)
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(n), str(out)], check=True)
        check = subprocess.run(
            [sys.executable, "-m", "chronology", "check", str(out)],
            cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
        if check.returncode != 0:
            raise RuntimeError(f"generated data does not validate:\n{check.stderr[:2000]}")
        stamp.write_text(want)
    return out


def measure_load(result: Result, directory: Path, runs: int, trace: bool) -> None:
    """Load + validate in fresh processes, as the app loads (``--app``: with its process
    settings); memory from ru_maxrss (and tracemalloc once)."""
    command = [str(HERE / "measure_load.py"), str(directory), "--app"]
    loads = [_json_run(command) for _ in range(runs)]
    result.events = loads[0]["events"]
    result.load_s = _median([r["seconds"] for r in loads])
    result.load_rss_mb = _median(
        [(r["rss_after_bytes"] - r["rss_before_bytes"]) / 2**20 for r in loads]
    )
    result.raw["load_s"] = [r["seconds"] for r in loads]
    if trace:
        traced = _json_run([*command, "--trace"])
        result.traced_peak_mb = traced["traced_peak_bytes"] / 2**20


def measure_app(result: Result, directory: Path, runs: int) -> None:
    """AppTest script runs and the chart's payload."""
    app = _json_run([str(HERE / "measure_app.py"), str(directory), str(runs)])
    result.first_run_s = app["first_run_s"]
    result.rerun_s = app["rerun_s"]
    result.rerun_cpu_s = app.get("rerun_cpu_s", 0.0)
    result.figure_mode = app["figure_mode"]
    result.figure_kb = app["figure_bytes"] / 1024
    result.raw["reruns_s"] = app["reruns"]


def _open_timeline(
    browser: Browser, url: str, init_script: str | None = None
) -> tuple[Page, list[int]]:
    """A new page on the Timeline, counting the websocket bytes it receives (``init_script``:
    JavaScript run in the page before its own)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(600_000)
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    received: list[int] = []

    def on_ws(ws: object) -> None:
        ws.on("framereceived", lambda payload: received.append(len(payload)))  # type: ignore[attr-defined]

    page.on("websocket", on_ws)
    page.goto(url)
    return page, received


def _chart_drawn(page: Page) -> None:
    expect(page.locator(CHART).first).to_be_visible(timeout=600_000)
    wait_ready(page, timeout=600_000)


def _tree_cpu(root: int) -> float:
    """CPU seconds (user + system, children included) of a process and all its descendants."""
    tick = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    cpu: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(entry.name))
        cpu[int(entry.name)] = sum(int(f) for f in fields[11:15]) / tick
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += cpu.get(pid, 0.0)
        todo += children.get(pid, [])
    return total


def _page_open(browser: Browser, url: str) -> tuple[float, float]:
    """Seconds from a fresh context's first request to the chart drawn and the script done,
    wall clock and CPU (this process's tree: the browser, its driver and the servers)."""
    c0, t0 = _tree_cpu(os.getpid()), time.perf_counter()
    page, _ = _open_timeline(browser, url)
    _chart_drawn(page)
    took = time.perf_counter() - t0
    cpu = _tree_cpu(os.getpid()) - c0
    page.context.close()
    return took, cpu


MINIMAL_APP = "bench/minimal_app.py"


def measure_page_open(result: Result, browser: Browser, directory: Path, runs: int) -> None:
    """Page open on a running server, the dashboard and the minimal app interleaved."""
    data = None if result.name == "bundled" else directory
    app = StreamlitServer(data).start(timeout=600)
    minimal = StreamlitServer(script=MINIMAL_APP).start(timeout=600)
    opens, floors = [], []
    with serving(app, minimal):
        _page_open(browser, app.url)  # the first run loads the data set into the cache
        _page_open(browser, minimal.url)
        for _ in range(runs):
            floors.append(_page_open(browser, minimal.url))
            opens.append(_page_open(browser, app.url))
    result.page_open_s = _median([wall for wall, _ in opens])
    result.minimal_open_s = _median([wall for wall, _ in floors])
    result.page_open_cpu_s = _median([cpu for _, cpu in opens])
    result.minimal_open_cpu_s = _median([cpu for _, cpu in floors])
    result.raw.update(page_open=opens, minimal_open=floors)


MINIMAL_FILTER_APP = "bench/minimal_filter_app.py"
CHART_ALONE_APP = "bench/chart_alone_app.py"


def actor_option(page: Page, actor: str) -> Locator:
    """``actor``'s option in the Actors box, typed in and shown, ready to click. The box is in
    the sidebar's Filters popover (opened here), or in the sidebar itself (the minimal filter
    app)."""
    sidebar = page.get_by_test_id("stSidebar")
    if sidebar.get_by_role("button", name="Filters", exact=True).count():
        box = filters_panel(page).get_by_role("combobox", name="Actors")
    else:
        box = sidebar.get_by_role("combobox", name="Actors")
    box.click()
    box.press_sequentially(actor)
    option = page.get_by_role("option", name=actor, exact=True)
    option.wait_for()
    return option


def pick_actor(page: Page, actor: str) -> float:
    """On an open page: seconds from clicking ``actor`` in the Actors box (in the sidebar's
    Filters popover, or the sidebar itself) until the chart shows a different figure and the
    script has finished."""
    before = page.evaluate(CHART_SIGNATURE)
    option = actor_option(page, actor)
    t1 = time.perf_counter()
    option.click()
    page.wait_for_function(
        f"(before) => {{ const s = ({CHART_SIGNATURE})(); return s && s !== before; }}",
        arg=before,
        timeout=600_000,
    )
    expect(page.locator(READY)).to_have_count(1, timeout=600_000)
    return time.perf_counter() - t1


def measure_filter_floor(
    browser: Browser, runs: int, script: str = MINIMAL_FILTER_APP, data: Path | None = None
) -> float:
    """The same filter change on another app, on one warm server: by default
    bench/minimal_filter_app.py (a multiselect and a 4-point chart, what Streamlit and the
    browser take at all); or ``CHART_ALONE_APP`` on ``data`` (the sidebar and the Timeline's
    chart, nothing else). Median seconds."""
    server = StreamlitServer(data, script=script).start(timeout=600)
    actor = ACTOR["bundled"] if script == CHART_ALONE_APP and data is None else "State 0"
    took = []
    with serving(server):
        for _ in range(runs + 1):  # the first run warms the server
            page, _ = _open_timeline(browser, server.url)
            _chart_drawn(page)
            took.append(pick_actor(page, actor))
            page.context.close()
    return _median(took[1:])


def measure_next(result: Result, browser: Browser, directory: Path, runs: int) -> None:
    """On an open Timeline at 1440×900: *Next* pressed → the next event's title drawn inside
    the viewport (bench/measure_story.py), median ms; with the opening view's figures in raw."""
    from measure_story import measure as measure_story

    import chronology

    data = None if result.name == "bundled" else directory
    ds = chronology.load(directory)
    server = StreamlitServer(data).start(timeout=600)
    with serving(server):
        got = measure_story(browser, server.url, ds, runs)
    result.next_title_ms = got["next_title_ms"]
    result.raw["story"] = got


def measure_browser(result: Result, browser: Browser, directory: Path, runs: int) -> None:
    """Server start → chart drawn; actor chosen → chart redrawn; first-page websocket bytes."""
    actor = ACTOR.get(result.name, "State 0")
    starts, healthy, filters, ws = [], [], [], []
    data = None if result.name == "bundled" else directory
    for _ in range(runs):
        t0 = time.perf_counter()
        server = StreamlitServer(data).start(timeout=600)
        healthy.append(time.perf_counter() - t0)
        with serving(server):
            page, received = _open_timeline(browser, server.url)
            _chart_drawn(page)
            starts.append(time.perf_counter() - t0)
            ws.append(sum(received))
            page.context.close()

            # A filter change on a page already open (the page load itself is not timed).
            page, _ = _open_timeline(browser, server.url)
            _chart_drawn(page)
            filters.append(pick_actor(page, actor))
            shown = page.locator("#chronology-ready").get_attribute("data-events")
            result.filtered_events = int(shown or 0)
            page.context.close()
    result.start_to_chart_s = _median(starts)
    result.start_to_health_s = _median(healthy)
    result.filter_to_chart_s = _median(filters)
    result.ws_first_page_kb = _median(ws) / 1024
    result.raw.update(
        start_to_chart_s=starts, start_to_health_s=healthy, filter_to_chart_s=filters, ws_bytes=ws
    )


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    import pandas
    import plotly
    import streamlit

    mem = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    chromium = find_chromium()
    version = subprocess.run([chromium, "--version"], capture_output=True, text=True).stdout
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "memory": mem,
        "os": platform.platform(),
        "python": platform.python_version(),
        "streamlit": streamlit.__version__,
        "plotly": plotly.__version__,
        "pandas": pandas.__version__,
        "browser": version.strip() or chromium,
    }


def _label(r: Result) -> str:
    return "bundled" if r.name == "bundled" else f"{int(r.name):,} generated"


def _ratio(value: float, floor: float) -> str:
    """'1.23 s (1.00 s; ×1.23)'."""
    times = value / floor if floor else float("nan")
    return f"{value:.2f} s ({floor:.2f} s; ×{times:.2f})"


def table(results: list[Result], info: dict[str, str], runs: int) -> str:
    """The figures as Markdown."""
    lines = [
        f"Measured {info['date']} on {info['cpus']} CPUs ({info['cpu']}), {info['memory']}; "
        f"{info['os']}; Python {info['python']}, Streamlit {info['streamlit']}, "
        f"Plotly {info['plotly']}, pandas {info['pandas']}; {info['browser']}. "
        f"Medians of {runs} runs.",
        "",
        "| data set | events | load + validate | load memory (RSS / traced peak) | script run "
        "(cached; CPU) | chart JSON | server start → chart (server up) | page open: wall, CPU "
        "(minimal app; ratio) | pick actor → chart (events then; chart alone; minimal app) | "
        "websocket, first page | Next → title on screen |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        traced = f"{r.traced_peak_mb:.0f} MB" if r.traced_peak_mb is not None else "–"
        if not r.rerun_s:  # load only
            lines.append(
                f"| {_label(r)} | {r.events:,} | {r.load_s:.2f} s | {r.load_rss_mb:.0f} MB / "
                f"{traced} | – | – | – | – | – | – |"
            )
            continue
        lines.append(
            f"| {_label(r)} | {r.events:,} | {r.load_s:.2f} s | {r.load_rss_mb:.0f} MB / "
            f"{traced} | {r.rerun_s:.2f} s ({r.rerun_cpu_s:.2f} s) | "
            f"{r.figure_kb:,.0f} KB ({r.figure_mode}) | "
            f"{r.start_to_chart_s:.1f} s ({r.start_to_health_s:.1f} s) | "
            f"{_ratio(r.page_open_s, r.minimal_open_s)}, "
            f"{_ratio(r.page_open_cpu_s, r.minimal_open_cpu_s)} | "
            f"{r.filter_to_chart_s:.2f} s ({r.filtered_events:,}; {r.chart_alone_filter_s:.2f} s; "
            f"{r.minimal_filter_s:.2f} s) | "
            f"{r.ws_first_page_kb:,.0f} KB | "
            + (f"{r.next_title_ms:.0f} ms |" if r.next_title_ms is not None else "– |")
        )
    return "\n".join(lines)


def record(markdown: str) -> None:
    """Replace the figures between the markers in bench/README.md."""
    text = README.read_text(encoding="utf-8")
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    README.write_text(f"{head}{BEGIN}\n{markdown}\n{END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print (and with --record, write) the figures."""
    parser = argparse.ArgumentParser(description="Benchmark the dashboard (see bench/README.md).")
    parser.add_argument("--sizes", default="bundled,1000,10000,100000,1000000",
                        help="comma-separated: bundled and/or numbers of events")  # fmt: skip
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument("--browser-runs", type=int, default=None,
                        help="runs of the browser measurements (default: --runs, at most 3 "
                        "for 100,000 events or more)")  # fmt: skip
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc run")
    parser.add_argument("--no-browser", action="store_true", help="skip the browser figures")
    parser.add_argument("--regenerate", action="store_true", help="rewrite generated data")
    parser.add_argument("--record", action="store_true", help="write into bench/README.md")
    args = parser.parse_args(argv)

    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    info = machine()
    print(json.dumps(info, indent=1))
    results: list[Result] = []
    started = time.perf_counter()
    with sync_playwright() as pw:
        browser = None if args.no_browser else launch_chromium(pw)
        for size in sizes:
            print(f"{size}:", flush=True)
            directory = data_for(size, args.regenerate)
            result = Result(size)
            result.data_bytes = sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())
            measure_load(result, directory, args.runs, not args.no_trace)
            print(f"  load {result.load_s:.2f} s, +{result.load_rss_mb:.0f} MB", flush=True)
            if size != "bundled" and int(size) >= LOAD_ONLY:
                print("  (load only: the app is measured up to 100,000 events)", flush=True)
                results.append(result)
                continue
            measure_app(result, directory, args.runs)
            print(f"  script run {result.rerun_s:.2f} s (CPU {result.rerun_cpu_s:.2f} s), "
                  f"chart {result.figure_kb:.0f} KB",
                  flush=True)  # fmt: skip
            if browser is not None:
                big = size != "bundled" and int(size) >= 100_000
                runs = args.browser_runs or (min(args.runs, 3) if big else args.runs)
                measure_browser(result, browser, directory, runs)
                result.minimal_filter_s = measure_filter_floor(browser, runs)
                result.chart_alone_filter_s = measure_filter_floor(
                    browser, runs, CHART_ALONE_APP, None if size == "bundled" else directory
                )
                measure_page_open(result, browser, directory, runs)
                measure_next(result, browser, directory, runs)
                print(f"  start→chart {result.start_to_chart_s:.1f} s, "
                      f"filter→chart {result.filter_to_chart_s:.2f} s "
                      f"(chart alone {result.chart_alone_filter_s:.2f} s, "
                      f"minimal app {result.minimal_filter_s:.2f} s), "
                      f"page open {_ratio(result.page_open_s, result.minimal_open_s)} wall, "
                      f"{_ratio(result.page_open_cpu_s, result.minimal_open_cpu_s)} CPU, "
                      f"Next → title {result.next_title_ms} ms",
                      flush=True)  # fmt: skip
            results.append(result)
        if browser is not None:
            browser.close()
    markdown = table(results, info, args.runs)
    print()
    print(markdown)
    print(f"\n(total {time.perf_counter() - started:.0f} s)")
    OUT.mkdir(exist_ok=True)
    (OUT / "results.json").write_text(
        json.dumps({"machine": info, "results": [r.__dict__ for r in results]}, indent=1)
    )
    if args.record:
        record(markdown)
        print(f"recorded in {README.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
