"""Where the server's part of a filter change goes: a real ``streamlit run``, instrumented.

Usage::

    python bench/profile_rerun.py [--sizes bundled,100000] [--runs 5] [--floor] [--profile]

Starts the dashboard (and with ``--floor`` bench/minimal_filter_app.py) through a launcher that
times, in the server process itself, each rerun a click causes: the rerun request arriving →
the script thread starting → the script finished, the CPU seconds of the script thread, and
every message sent (its kind, its bytes, the time its protobuf took to serialise). Then picks
an actor on a fresh page ``--runs`` times (as bench/measure_filter.py does) and prints the
medians, one JSON line per data set. ``--profile`` also runs cProfile in the script thread and
prints its top functions (cumulative; cProfile's overhead inflates these, so read them as shares).

A measurement, not a test: run it on an idle machine, old and new code alternately.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def serve(out: str, profile: bool, argv: list[str]) -> None:
    """The launcher: patch Streamlit's session, script runner and websocket, then run it."""
    import cProfile
    import pstats
    import threading

    from streamlit.runtime import app_session
    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.web.server.starlette import starlette_websocket

    lock = threading.Lock()
    run: dict = {}

    def write() -> None:
        if run:
            with Path(out).open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(run) + "\n")

    handle = app_session.AppSession.handle_backmsg

    def handle_backmsg(self, msg):  # type: ignore[no-untyped-def]
        if msg.WhichOneof("type") == "rerun_script":
            with lock:
                write()
                run.clear()
                widgets = len(msg.rerun_script.widget_states.widgets)
                run.update(t0=time.perf_counter(), widgets=widgets, messages=[], scripts=[])
        return handle(self, msg)

    app_session.AppSession.handle_backmsg = handle_backmsg

    run_script = script_runner.ScriptRunner._run_script

    def _run_script(self, rerun_data):  # type: ignore[no-untyped-def]
        start, cpu = time.perf_counter(), time.thread_time()
        prof = cProfile.Profile() if profile else None
        if prof:
            prof.enable()
        try:
            return run_script(self, rerun_data)
        finally:
            if prof:
                prof.disable()
            end, used = time.perf_counter(), time.thread_time() - cpu
            with lock:
                if run:
                    entry = {"start": start - run["t0"], "end": end - run["t0"], "cpu": used}
                    package = sys.modules.get("chronology")
                    entry["package"] = getattr(package, "__file__", None)
                    if prof:
                        path = f"{out}.{len(run['scripts'])}.{int(end * 1000)}.prof"
                        pstats.Stats(prof).dump_stats(path)
                        entry["prof"] = path
                    run["scripts"].append(entry)

    script_runner.ScriptRunner._run_script = _run_script

    serialize = starlette_websocket.serialize_forward_msg

    def serialize_forward_msg(msg):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        payload = serialize(msg)
        spent = time.perf_counter() - t
        kind = msg.WhichOneof("type")
        if kind == "delta":
            delta = msg.delta
            what = delta.WhichOneof("type")
            if what == "new_element":
                what = delta.new_element.WhichOneof("type")
            kind = f"delta.{what}"
        with lock:
            if run:
                run["messages"].append([t - run["t0"], kind, len(payload), spent])
        return payload

    starlette_websocket.serialize_forward_msg = serialize_forward_msg

    from streamlit.web.cli import main as streamlit_main

    sys.argv = ["streamlit", *argv]
    try:
        streamlit_main()
    finally:
        with lock:
            write()


def _summary(runs: list[dict]) -> dict:
    """Medians over the clicks' reruns (the last rerun of each click)."""

    def med(values: list[float]) -> float:
        return round(statistics.median(values), 1) if values else float("nan")

    rows = []
    for r in runs:
        scripts, msgs = r["scripts"], r["messages"]
        if not scripts:
            continue
        kinds: dict[str, list[int]] = {}
        for _, kind, size, _ in msgs:
            kinds.setdefault(kind, []).append(size)
        rows.append(
            {
                "to_script_start_ms": scripts[0]["start"] * 1000,
                "script_ms": sum(s["end"] - s["start"] for s in scripts) * 1000,
                "script_cpu_ms": sum(s["cpu"] for s in scripts) * 1000,
                "to_last_message_ms": max((m[0] for m in msgs), default=0) * 1000,
                "messages": len(msgs),
                "kb": sum(m[2] for m in msgs) / 1024,
                "serialise_ms": sum(m[3] for m in msgs) * 1000,
                "kinds": {k: [len(v), round(sum(v) / 1024, 1)] for k, v in sorted(kinds.items())},
            }
        )
    keys = [k for k in rows[0] if k != "kinds"]
    out: dict = {k: med([row[k] for row in rows]) for k in keys}
    out["kinds (count, KB) of the last click"] = rows[-1]["kinds"]
    return out


def _top(paths: list[str], limit: int) -> list[str]:
    """The top functions by cumulative time over the profiled reruns."""
    import io
    import pstats

    stream = io.StringIO()
    stats = pstats.Stats(*paths, stream=stream)
    stats.sort_stats("cumulative").print_stats(limit)
    return stream.getvalue().splitlines()


def main(argv: list[str] | None = None) -> int:
    """Start, click, print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="bundled")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--floor", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=60)
    parser.add_argument(
        "--against", help="another checkout of the app: its server runs too, clicks alternate"
    )
    parser.add_argument(
        "--actors", help="actors to pick, one per run in turn (default: bench/run.py's choice)"
    )
    args = parser.parse_args(argv)

    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(ROOT / "harness"))  # the browser harness, shared with tests/
    from browser_harness import StreamlitServer, launch_chromium
    from measure_filter import one
    from playwright.sync_api import sync_playwright
    from run import ACTOR, _chart_drawn, _open_timeline, data_for, serving

    class Instrumented(StreamlitServer):
        def __init__(self, log: str, *a, **kw) -> None:  # type: ignore[no-untyped-def]
            super().__init__(*a, **kw)
            self.out = log

        def command(self) -> list[str]:
            cmd = super().command()
            run_at = cmd.index("run")
            flags = ["--profile"] if args.profile else []
            return [self.python, __file__, "--serve", self.out, *flags, "--", *cmd[run_at:]]

    apps = [("new", ROOT)] + ([("old", Path(args.against).resolve())] if args.against else [])
    targets: list[tuple[str, Path | None, str]] = []
    if args.floor:
        targets.append(("floor", None, "bench/minimal_filter_app.py"))
    for size in (s.strip() for s in args.sizes.split(",") if s.strip()):
        targets.append((size, None if size == "bundled" else data_for(size), "dashboard.py"))
    tmp = Path(tempfile.mkdtemp(prefix="profile-rerun-"))
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        for name, data, script in targets:
            chosen = args.actors if name != "floor" else None  # the floor has its own four
            actors = (chosen or ACTOR.get(name, "State 0")).split(",")
            servers: dict[str, tuple[StreamlitServer, Path, list[dict]]] = {}
            for label, root in apps if name != "floor" else apps[:1]:
                log = tmp / f"{name}-{label}.jsonl"
                servers[label] = (Instrumented(str(log), data, script=script, cwd=root), log, [])
            with serving(*(server for server, _, _ in servers.values())):
                for server, _, _ in servers.values():
                    server.start(timeout=600)
                    _chart_drawn(_open_timeline(browser, server.url)[0])  # warm the cache
                for i in range(args.runs):
                    for server, _, seen in servers.values():
                        seen.append(one(browser, server.url, actors[i % len(actors)]))
                for server, _, _ in servers.values():  # a record is written on the next request
                    _chart_drawn(_open_timeline(browser, server.url)[0])
            for label, (_, log, seen) in servers.items():
                runs = [json.loads(line) for line in log.read_text().splitlines()]
                click_runs = [r for r in runs if r["widgets"]][-args.runs :]  # opens have none
                out = {"data": name, "app": label, **_summary(click_runs)}
                out["package"] = click_runs[-1]["scripts"][-1].get("package")
                out["browser_server_ms"] = round(statistics.median(b["server"] for b in seen), 1)
                out["browser_total_ms"] = round(statistics.median(b["total"] for b in seen), 1)
                print(json.dumps(out), flush=True)
                if args.profile:
                    paths = [s["prof"] for r in click_runs for s in r["scripts"]]
                    print("\n".join(_top(paths, args.top)), flush=True)
        browser.close()
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--serve":
        rest = sys.argv[2:]
        out_path = rest.pop(0)
        prof = bool(rest and rest[0] == "--profile")
        if prof:
            rest.pop(0)
        serve(out_path, prof, rest[1:] if rest and rest[0] == "--" else rest)
    else:
        sys.exit(main())
