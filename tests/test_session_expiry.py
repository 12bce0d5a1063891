"""Ended sessions let go of once their reconnect window is over (issue 23: memory given back).

Streamlit's own session storage and manager are used, so the private attributes the app reaches
through are pinned: an upgrade that moves them fails here. The running server is tested in
``tests/browser/test_browser_import.py`` (an upload's session shut down after its tab closed).
"""

from __future__ import annotations

import asyncio
import gc
import threading
import time
import weakref

import pytest
from streamlit.runtime import Runtime
from streamlit.runtime.memory_session_storage import MemorySessionStorage
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.scriptrunner.script_cache import ScriptCache
from streamlit.runtime.session_manager import SessionInfo
from streamlit.runtime.websocket_session_manager import WebsocketSessionManager
from streamlit.testing.v1 import AppTest

from chronology.ui import expiry

TTL = 0.2


class Session:
    """What the storage keeps of a closed tab's session, and whether it was shut down."""

    def __init__(self, session_id: str, log: list[str]) -> None:
        self.id, self.log = session_id, log

    def shutdown(self) -> None:
        self.log.append(f"shutdown:{self.id}")


class Managers:
    """The runtime's file, media and dataframe managers, recording what is given back."""

    def __init__(self, log: list[str]) -> None:
        self.log = log

    def remove_session_files(self, session_id: str) -> None:
        self.log.append(f"files:{session_id}")

    def clear_session_refs(self, session_id: str) -> None:
        self.log.append(f"media:{session_id}")

    def remove_orphaned_files(self) -> None:
        pass

    def clear_all_for_session(self, session_id: str) -> None:
        self.log.append(f"frames:{session_id}")


class FakeRuntime:
    """A runtime around Streamlit's real session manager and storage."""

    def __init__(self, log: list[str]) -> None:
        self._session_mgr = WebsocketSessionManager(
            session_storage=MemorySessionStorage(ttl_seconds=TTL),  # type: ignore[arg-type]
            uploaded_file_manager=MemoryUploadedFileManager("/upload"),
            script_cache=ScriptCache(),
            message_enqueued_callback=None,
        )
        self.uploaded_file_mgr = self.media_file_mgr = self.dataframe_source_mgr = Managers(log)
        self.active: set[str] = set()

    def is_active_session(self, session_id: str) -> bool:
        return session_id in self.active


def _closed(runtime: FakeRuntime, session_id: str, log: list[str]) -> Session:
    """A session whose tab closed: kept in storage for the reconnect window."""
    session = Session(session_id, log)
    runtime._session_mgr._session_storage.save(SessionInfo(client=None, session=session))  # type: ignore[arg-type]
    return session


def test_a_closed_session_is_shut_down_and_let_go_of_after_its_reconnect_window() -> None:
    log: list[str] = []
    runtime = FakeRuntime(log)
    storage = expiry._storage(runtime)  # type: ignore[arg-type]
    assert storage is not None  # Streamlit's storage as the app reaches it
    seen = {"open", "closed"}
    runtime.active = {"open"}
    closed = weakref.ref(_closed(runtime, "closed", log))
    assert expiry.forget_ended(runtime, storage, seen) == 0  # it may still reconnect
    assert closed() is not None and log == []
    time.sleep(TTL * 1.5)
    # Streamlit hides it from reads now, but still holds it: nothing else would let it go.
    assert runtime._session_mgr.get_session_info("closed") is None and closed() is not None
    assert expiry.forget_ended(runtime, storage, seen) == 1
    assert log == ["shutdown:closed"]  # files, media and dataframes go with the shutdown
    gc.collect()
    assert closed() is None, "the storage still holds the ended session"
    assert seen == {"open"}  # the connected session is left alone
    assert expiry.forget_ended(runtime, storage, seen) == 0


def test_a_session_streamlit_let_go_of_without_a_shutdown_gives_its_files_back() -> None:
    """Streamlit reaps an expired session when the next one is stored, without shutting it
    down: its uploaded files and media would stay in the runtime's managers for good."""
    log: list[str] = []
    runtime = FakeRuntime(log)
    storage = expiry._storage(runtime)  # type: ignore[arg-type]
    seen = {"first", "second"}
    _closed(runtime, "first", log)
    time.sleep(TTL * 1.5)
    _closed(runtime, "second", log)  # Streamlit's write reaps "first", silently
    assert "first" not in storage and log == []
    assert expiry.forget_ended(runtime, storage, seen) == 1
    assert log == ["files:first", "media:first", "frames:first"]
    assert seen == {"second"}  # still within its window


def test_the_storage_is_reached_on_the_event_loops_thread() -> None:
    """Streamlit's storage and sessions are not thread-safe: the work runs on its loop."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        ran_on: list[threading.Thread] = []

        def call() -> int:
            ran_on.append(threading.current_thread())
            return 3

        assert expiry.on_loop(loop, call) == 3 and ran_on == [thread]

        def fails() -> int:
            raise ValueError("surprise")

        with pytest.raises(ValueError, match="surprise"):
            expiry.on_loop(loop, fails)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()


def test_streamlits_runtime_has_what_the_app_reaches_for() -> None:
    """``Runtime._session_mgr`` (set in ``__init__``) and ``Runtime._get_async_objs``."""
    import inspect

    assert callable(getattr(Runtime, "_get_async_objs", None))
    assert "self._session_mgr = " in inspect.getsource(Runtime.__init__)


def test_the_interval_follows_the_reconnect_window() -> None:
    assert expiry.interval(120) == 10 and expiry.interval(2) == 1 and expiry.interval(20) == 5


def test_without_a_server_nothing_is_watched(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bare run has no runtime, AppTest a stand-in: no thread, no session noted."""
    monkeypatch.setattr(expiry, "_seen", set())
    monkeypatch.setattr(expiry, "_sweeper", None)
    expiry.watch()
    assert expiry._sweeper is None and expiry._seen == set()

    def page() -> None:
        from chronology.ui import expiry

        expiry.watch()

    AppTest.from_function(page).run()
    assert expiry._sweeper is None and expiry._seen == set()
