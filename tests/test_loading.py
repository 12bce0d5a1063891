"""The cached loading of a data directory: what it keeps out of the garbage collector's walks,
and what it still lets go of."""

from __future__ import annotations

import gc
import shutil
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

import chronology
from chronology import ui


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    """An empty loading cache and nothing frozen, before and after (an AppTest run earlier in
    the process loads and freezes too: a freeze count seen here is this test's)."""
    ui.load_cached.clear()
    gc.unfreeze()
    yield
    ui.load_cached.clear()
    gc.unfreeze()


def _tracked(obj: object) -> bool:
    """True when the collector walks ``obj`` (frozen objects are not among its generations)."""
    return any(o is obj for o in gc.get_objects())


@pytest.mark.usefixtures("fresh_cache")
def test_the_loaded_data_set_is_frozen_out_of_the_collector(data_dir: Path) -> None:
    loaded = ui.load_cached(str(data_dir), ui.stamp(data_dir))
    assert loaded.ds is not None and len(loaded.ds.events)
    assert gc.get_freeze_count() > 0
    assert not _tracked(loaded.ds.events)  # walked by no collection
    later = [object()]  # made after the load: still collected as usual
    assert _tracked(later)


@pytest.mark.usefixtures("fresh_cache")
def test_a_data_set_let_go_of_is_still_collected(data_dir: Path, tmp_path: Path) -> None:
    copy = Path(shutil.copytree(data_dir, tmp_path / "copy"))
    first = ui.load_cached(str(copy), ui.stamp(copy))
    assert first.ds is not None
    first.ds.__dict__["_cycle"] = first.ds  # a cycle: only the collector can free it
    gone = weakref.ref(first.ds)
    del first
    ui.load_cached.clear()
    assert gone() is not None  # frozen, in a cycle: kept until the next load thaws it
    second = ui.load_cached(str(data_dir), ui.stamp(data_dir))
    assert gone() is None
    assert second.ds is not None and isinstance(second.ds, chronology.DataSet)


@pytest.mark.usefixtures("fresh_cache")
def test_a_directory_with_problems_is_cached_and_frozen_too(tmp_path: Path) -> None:
    loaded = ui.load_cached(str(tmp_path / "nowhere"), "x")
    assert loaded.ds is None and loaded.problems
    assert ui.load_cached(str(tmp_path / "nowhere"), "x") is loaded
    assert gc.get_freeze_count() > 0
