"""Cached loading of the configured data directory, and its problem list.

The app owns its process, so the process settings a long-running server with a large data set
gains from live here, not in the library (which leaves the process as it found it):
:func:`load_cached` loads with the cycle collector paused, hands the freed heap back to the
system after, and freezes the loaded data set out of the collector's walks (:func:`settle`);
importing this module makes Arrow's default memory pool the system allocator's and fixes the C
heap's thresholds (:func:`fix_heap_thresholds`).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gc
import hashlib
import json
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import streamlit as st

from ..data.dataset import DataSet
from ..data.errors import DataError, Problem
from ..data.load import DEFAULT_DATA_DIR, load
from ..data.query.selection import prepared
from ..views.escape import md_code
from ..views.palette import actor_colours

ENV_VAR = "CHRONOLOGY_DATA"

# Arrow's default pool (mimalloc) keeps freed memory for reuse; the system allocator's gives it
# back (with :func:`release_memory`). The loader passes this pool to its own Arrow calls;
# pandas' Arrow calls take the default. 100,000 generated events, a load alone
# (bench/README.md, "The app's process settings"): peak ~50 MB lower.
pa.set_memory_pool(pa.system_memory_pool())
_MALLOC_TRIM = None
_MALLOPT = None
with contextlib.suppress(OSError, AttributeError):  # glibc only: elsewhere a no-op
    _LIBC = ctypes.CDLL("libc.so.6")
    _MALLOC_TRIM, _MALLOPT = _LIBC.malloc_trim, _LIBC.mallopt

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters (malloc.h)
MMAP_THRESHOLD = 1 << 20
"""Blocks this large or larger are mapped on their own, and unmapped when freed."""
TRIM_THRESHOLD = 4 << 20
"""Free memory at the top of a heap beyond this much goes back to the system at a free."""


def fix_heap_thresholds() -> bool:
    """Fix glibc's mmap and trim thresholds (:data:`MMAP_THRESHOLD`, :data:`TRIM_THRESHOLD`).

    By default glibc raises both each time a large mapped block is freed (up to 32 and 64
    MB), so once an upload's buffers have come and gone, the next ones are carved from the
    threads' heaps, whose free tops ``malloc_trim`` does not give back. Fixed, a large block is
    always mapped alone and unmapped when freed. Ten sessions uploading hostile files at once,
    then gone: ~100 MB above idle after without this, ~50 with it; twenty: ~200 → ~60 MB
    (bench/README.md, "Hostile uploads"). True when set (glibc), else False.
    """
    if _MALLOPT is None:
        return False
    return bool(_MALLOPT(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        _MALLOPT(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )


fix_heap_thresholds()


def data_dir(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """The data directory: ``--data DIR`` (after ``--``), else $CHRONOLOGY_DATA, else bundled."""
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--data")
    args, _ = parser.parse_known_args(list(sys.argv[1:] if argv is None else argv))
    if args.data:
        return Path(args.data)
    env = (os.environ if environ is None else environ).get(ENV_VAR, "").strip()
    return Path(env) if env else DEFAULT_DATA_DIR


def dataset_name(directory: str | Path) -> str:
    """A data directory's name for the pages: its ``datapackage.json`` title, else the folder's
    name (never its path on the server)."""
    try:
        with (Path(directory) / "datapackage.json").open(encoding="utf-8") as file:
            title = json.loads(file.read(1_000_000)).get("title", "")
    except (OSError, ValueError, AttributeError):
        title = ""
    return title.strip() if isinstance(title, str) and title.strip() else Path(directory).name


def fingerprint(directory: Path, limit: int = 10_000) -> tuple[tuple[str, int, int], ...]:
    """(path, mtime, size) of the files in the directory: a cache key that sees every edit.

    Taken on every rerun, so it walks with ``os.scandir`` (about a quarter of the time of
    ``Path.rglob`` + ``stat`` on the 4,000 files of the 100,000-event benchmark data).
    """
    root = str(directory)
    cut = len(root) + 1
    found: list[tuple[str, int, int]] = []
    todo = [root]
    try:
        while todo:
            with os.scandir(todo.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        todo.append(entry.path)
                    elif entry.is_file():
                        stat = entry.stat()
                        found.append((entry.path[cut:], stat.st_mtime_ns, stat.st_size))
    except OSError:
        return ()
    found.sort()
    return tuple(found[:limit])


def stamp(directory: Path) -> str:
    """A short digest of :func:`fingerprint`: the cache key of the loaded data set.

    Streamlit hashes a cached function's arguments on every call; a 32-character string costs
    nothing, where the 4,000-entry fingerprint of the 100,000-event benchmark took ~70 ms.
    """
    return hashlib.blake2b(repr(fingerprint(directory)).encode(), digest_size=16).hexdigest()


@dataclass(frozen=True)
class Loaded:
    """A data directory as loaded: the data set, or the problems that stop it loading."""

    directory: str
    ds: DataSet | None
    problems: tuple[Problem, ...] = ()
    colours: dict[str, str] = field(default_factory=dict)

    @property
    def report(self) -> str:
        """Every problem, one per line."""
        return DataError(list(self.problems), self.directory).report()


def release_memory() -> None:
    """Hand the C heap's free pages back to the system (glibc keeps them after large frees).

    Called once a load is over: the server then holds the data set, not the load's freed
    buffers too (100,000 events: ~70 MB less held after the load).
    """
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off for the while (process-wide: other sessions' threads too).

    A load makes millions of objects and no cycles, and each of the collector's passes would
    walk them all (100,000 events: ~0.15 s of CPU). A load is rare; the pause is short.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def settle() -> None:
    """Collect, then freeze what is alive (modules, the cached data sets) out of the collector.

    Streamlit runs a full garbage collection after every script run (``runner.postScriptGC``),
    and Python runs one now and then as a run allocates; each walked every object of the
    process: 40–70 ms per rerun with a data set loaded (CHANGELOG.md, 0.3.0, "Rerun").
    Frozen objects are never walked again, so a collection only looks at what the runs made.
    :func:`load_cached` calls :func:`thaw` before loading, so a data set it lets go of can
    still be collected. The freeze is process-wide: anything else alive at that moment (a
    session's upload, say) that is later dropped while holding a reference cycle waits for the
    next load to be collected; objects without cycles are freed by reference counting as ever.
    """
    gc.collect()
    gc.freeze()


def thaw() -> None:
    """Give the frozen objects back to the collector (see :func:`settle`)."""
    gc.unfreeze()


@st.cache_resource(max_entries=4, show_spinner="Loading the data set…")
def load_cached(directory: str, stamp: str) -> Loaded:
    """Load and validate once per directory and file state (``stamp``: :func:`stamp`).

    Cached as a resource: the data set is shared, read-only, between sessions. What the pages
    need that does not depend on the filters is prepared here too, once
    (:func:`chronology.data.query.selection.prepared`), with the collector paused
    (:func:`collector_paused`); then the heap is trimmed (:func:`release_memory`) and the
    long-lived objects are frozen out of the garbage collector's walks (:func:`settle`).
    """
    thaw()
    try:
        with collector_paused():
            ds = load(directory)
    except DataError as exc:
        loaded = Loaded(directory, None, tuple(exc.problems))
    else:
        prepared(ds)
        loaded = Loaded(directory, ds, (), actor_colours(ds))
    finally:
        release_memory()  # the load's freed buffers, back to the system
    settle()
    return loaded


def show_problems(loaded: Loaded) -> None:
    """The full problem list of a data directory that does not validate."""
    n = len(loaded.problems)
    st.title("The data set cannot be used", anchor=False)
    st.error(
        f"{n} problem{'s' if n != 1 else ''} in {md_code(loaded.directory)}. Fix them and "
        "rerun the app (press R): it reloads the files when they change.",
        icon=":material/error:",
    )
    table = pd.DataFrame(
        {
            "where": [p.where for p in loaded.problems],
            "problem": [p.message for p in loaded.problems],
            "value": [p.value or "" for p in loaded.problems],
            "fix": [p.fix for p in loaded.problems],
        }
    )
    st.dataframe(table, hide_index=True)
    with st.expander("As text"):
        st.code(loaded.report, language=None)
