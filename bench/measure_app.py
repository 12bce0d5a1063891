"""Script-run and figure measurements in a fresh process, printed as JSON (run by bench/run.py).

Usage::

    python bench/measure_app.py DATA_DIR RUNS

- ``first_run_s``: Streamlit's AppTest running ``dashboard.py`` (the Timeline page) once,
  loading the data set into the cache on the way;
- ``rerun_s``: the median of RUNS further runs, the data set cached (what a widget change costs
  on the server, without the browser), and ``rerun_cpu_s``, the CPU time of those runs (the
  script runs in a thread of this process), which a busy machine inflates less;
- ``figure_bytes``: the Timeline chart's Plotly JSON as the page builds it for all events
  (what ``st.plotly_chart`` sends), and ``figure_s``, the median time to build it.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import chronology  # noqa: E402
from chronology.views import figures  # noqa: E402


def _figure(ds: chronology.DataSet) -> tuple[str, object]:
    events = chronology.filter_events(ds, chronology.Query())
    if figures.mark_count(ds, events, "actor") > figures.MAX_MARKS:
        return "density", figures.density_figure(ds, events, "actor")
    return "detail", figures.timeline_figure(ds, events, "actor")


def main(argv: list[str]) -> int:
    """Measure and print one JSON line."""
    directory, runs = argv[0], int(argv[1])
    os.environ["CHRONOLOGY_DATA"] = directory
    sys.argv = [sys.argv[0]]  # the app reads --data from argv: leave it none
    os.chdir(ROOT)
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
    start = time.perf_counter()
    at.run()
    first = time.perf_counter() - start
    if at.exception:
        print(json.dumps({"error": [e.value for e in at.exception]}))
        return 1
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        at.run()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)

    ds = chronology.load(directory)
    build = []
    for _ in range(max(1, min(runs, 3))):
        start = time.perf_counter()
        mode, fig = _figure(ds)
        payload = fig.to_json()  # type: ignore[attr-defined]
        build.append(time.perf_counter() - start)
    out = {
        "first_run_s": first,
        "rerun_s": statistics.median(times),
        "rerun_cpu_s": statistics.median(cpu),
        "reruns": times,
        "figure_mode": mode,
        "figure_bytes": len(payload.encode()),
        "figure_s": statistics.median(build),
    }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
