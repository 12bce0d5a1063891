"""Loading leaves the process as it found it, in threads at once too; a data set let go of is
collected; the app's cached loading still lets go of what it drops."""

from __future__ import annotations

import csv
import gc
import shutil
import threading
import weakref
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import pyarrow as pa
import pytest

import chronology
from chronology import ui
from chronology.data.query.selection import prepared, remembered


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    """An empty loading cache, before and after (an AppTest run earlier in the process loads
    and freezes too)."""
    ui.load_cached.clear()
    gc.unfreeze()
    yield
    ui.load_cached.clear()
    gc.unfreeze()


@pytest.fixture
def awkward_dir(data_dir: Path, tmp_path: Path) -> Path:
    """The bundled data with a blank line and a 200,000-character summary in events.csv: read
    by the csv module (not pyarrow), with a cell over the csv module's default field limit."""
    directory = Path(shutil.copytree(data_dir, tmp_path / "awkward"))
    path = directory / "events.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows[0]["summary"] = "A long summary. " * 12_500
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows[:3])
        fh.write("\n")
        writer.writerows(rows[3:])
    return directory


def _process_state() -> tuple[object, ...]:
    return (
        gc.isenabled(),
        gc.get_freeze_count(),
        gc.get_threshold(),
        csv.field_size_limit(),
        pa.default_memory_pool().backend_name,
    )


def test_a_load_leaves_the_process_as_it_found_it(awkward_dir: Path) -> None:
    """Not only after the load: a thread looking meanwhile sees nothing change either."""
    before = _process_state()
    seen: set[tuple[object, ...]] = set()
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            seen.add((gc.isenabled(), csv.field_size_limit()))

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for _ in range(3):
            ds = chronology.load(awkward_dir)
            assert len(ds.events[ds.events["summary"].str.len() > 190_000]) == 1
    finally:
        done.set()
        watcher.join()
    assert _process_state() == before
    assert seen == {(before[0], before[3])}


def test_loads_in_threads_at_once_give_the_right_tables(awkward_dir: Path, data_dir: Path) -> None:
    expected = {
        d: chronology.load(d).events[["id", "summary", "date_display"]]
        for d in (awkward_dir, data_dir)
    }
    dirs = [awkward_dir, data_dir] * 4
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(chronology.load, dirs))
    for directory, ds in zip(dirs, results, strict=True):
        assert ds.events[["id", "summary", "date_display"]].equals(expected[directory])


def test_a_data_set_let_go_of_is_collected(data_dir: Path) -> None:
    ds = chronology.load(data_dir)
    assert prepared(ds).event_ids and ds.actor_names and ds.children is not None
    remembered(ds, "a chart", partial(list, [ds]))  # a result that refers back: a cycle
    gone = weakref.ref(ds)
    del ds
    gc.collect()
    assert gone() is None


def test_what_is_derived_is_built_once_in_threads_at_once(data_dir: Path) -> None:
    ds = chronology.load(data_dir)
    with ThreadPoolExecutor(max_workers=4) as pool:
        found = list(pool.map(lambda _: prepared(ds), range(8)))
    assert all(p is found[0] for p in found)
    assert prepared(chronology.load(data_dir)) is not found[0]  # another data set: its own


@pytest.mark.usefixtures("fresh_cache")
def test_the_app_s_loading_restores_the_collector(data_dir: Path) -> None:
    loaded = ui.load_cached(str(data_dir), ui.stamp(data_dir))
    assert loaded.ds is not None and len(loaded.ds.events)
    assert gc.isenabled()


@pytest.mark.usefixtures("fresh_cache")
def test_a_data_set_the_app_lets_go_of_is_still_collected(data_dir: Path, tmp_path: Path) -> None:
    copy = Path(shutil.copytree(data_dir, tmp_path / "copy"))
    first = ui.load_cached(str(copy), ui.stamp(copy))
    ds = first.ds
    assert ds is not None
    remembered(ds, "cycle", partial(list, [ds]))  # a cycle: only the collector frees it
    gone = weakref.ref(ds)
    del first, ds
    ui.load_cached.clear()
    second = ui.load_cached(str(data_dir), ui.stamp(data_dir))
    gc.collect()
    assert gone() is None
    assert second.ds is not None and isinstance(second.ds, chronology.DataSet)


@pytest.mark.usefixtures("fresh_cache")
def test_a_directory_with_problems_is_cached_too(tmp_path: Path) -> None:
    loaded = ui.load_cached(str(tmp_path / "nowhere"), "x")
    assert loaded.ds is None and loaded.problems
    assert ui.load_cached(str(tmp_path / "nowhere"), "x") is loaded


HEAP_PROBE = """
import sys, threading
def rss_mb():
    return int([l for l in open("/proc/self/status") if l.startswith("VmRSS")][0].split()[1]) >> 10
if sys.argv[1] == "app":
    import chronology.ui.loading  # the app's process settings, set on import
big = b"x" * (16 << 20)
del big  # a large mapped block freed: by default glibc then raises its thresholds
before = rss_mb()
def upload():  # 48 MB in blocks of 2 MB, made and dropped in a thread of its own
    blocks = [b"y" * (2 << 20) for _ in range(24)]
    del blocks
thread = threading.Thread(target=upload)
thread.start()
thread.join()
print(rss_mb() - before)
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc (Linux)")
def test_the_app_gives_back_the_large_blocks_a_thread_freed() -> None:
    """A session's large buffers, once freed, go back to the system in the app's process
    (issue 23: memory given back); without its settings glibc keeps them at the top of the
    thread's heap (the control, so that this test can fail)."""
    import subprocess
    import sys

    def kept(mode: str) -> int:
        out = subprocess.run(
            [sys.executable, "-c", HEAP_PROBE, mode], capture_output=True, text=True, check=True
        )
        return int(out.stdout)

    if ui.loading.fix_heap_thresholds() is False:
        pytest.skip("not glibc: the thresholds are glibc's")
    assert kept("library") >= 8  # the case the app's settings are for
    assert kept("app") <= 2
