"""One load measurement in a fresh process, printed as JSON (run by bench/run.py).

Usage::

    python bench/measure_load.py DATA_DIR [--trace] [--app]

Without ``--trace``: the seconds ``chronology.load`` takes (wall clock, and the CPU seconds of
all its threads), and the process's peak resident memory (VmHWM) before it (interpreter and
imports) and after it. With ``--trace``: the peak of Python allocations during the load
(tracemalloc slows the load down: a run of its own). With ``--app``: with the process settings
the app's loading adds (chronology.ui.loading: Arrow's system pool, the cycle collector paused,
the heap trimmed after); without it, the library's load alone, which changes none of them.
"""

from __future__ import annotations

import contextlib
import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import chronology


def _reset_peak() -> None:
    """Forget the peak inherited from the parent process (Linux keeps it across fork and exec)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _rss_bytes() -> int:
    """The peak resident set size so far."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: kilobytes


def _cpu() -> float:
    """CPU seconds of this process so far, every thread (robust on a machine shared with others)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str]) -> int:
    """Measure and print one JSON line."""
    directory, trace = argv[0], "--trace" in argv
    paused, release = contextlib.nullcontext, lambda: None
    if "--app" in argv:
        from chronology.ui import loading  # sets Arrow's default pool on import

        paused, release = loading.collector_paused, loading.release_memory
    _reset_peak()
    out: dict[str, float | int] = {"rss_before_bytes": _rss_bytes()}
    if trace:
        tracemalloc.start()
    cpu, start = _cpu(), time.perf_counter()
    with paused():
        ds = chronology.load(directory)
    release()
    out["seconds"] = time.perf_counter() - start
    out["cpu_seconds"] = _cpu() - cpu
    if trace:
        out["traced_peak_bytes"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    out["rss_after_bytes"] = _rss_bytes()
    out["events"] = len(ds.events)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
