"""Ended sessions, shut down and let go of once Streamlit's reconnect window is over.

Streamlit keeps a closed tab's session for ``server.disconnectedSessionTTL`` seconds (120) in
case the browser reconnects, in a TTL cache that lets an expired entry go only at its next write
(the next tab that closes), and then without shutting the session down (streamlit/streamlit
issue 12506). Until then an expired session holds all it had: its state, its upload and what was
made of it, its last messages; and one let go of that way leaves its uploaded files and media in
the runtime's managers for good. So a thread of the app's, started by the first run, looks every
few seconds and, on Streamlit's event loop (where the session storage lives), takes the expired
sessions out of the storage and shuts each down as Streamlit shuts down a closed one, and gives
back the files of any session the app has run for that is neither connected nor stored; then it
hands the freed memory back to the system. An expired session can no longer be resumed (a
reconnect gets a new session), so nothing a visitor could come back to is lost.

Ten sessions uploading hostile files at once, then closed: the server ended 143 MB above idle
without this, ~50–70 MB with it (bench/README.md, "Hostile uploads").

The storage is reached through Streamlit's private attributes (``Runtime._session_mgr``,
``._session_storage._cache``, ``Runtime._get_async_objs``); ``tests/test_session_expiry.py``
fails when an upgrade moves them, and until then the app says so once in the server's log and
leaves the sessions to Streamlit.
"""

from __future__ import annotations

import concurrent.futures
import functools
import gc
import threading
import time
from collections.abc import Callable
from typing import Any

import streamlit as st
from streamlit.logger import get_logger
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from .loading import release_memory

_LOGGER = get_logger(__name__)
_lock = threading.Lock()
_sweeper: threading.Thread | None = None
_seen: set[str] = set()  # sessions the app has run for, until they are let go of


def interval(ttl: float) -> float:
    """Seconds between two looks: a quarter of the reconnect window, from 1 to 10."""
    return min(10.0, max(1.0, ttl / 4))


def watch() -> None:
    """Note this run's session, and start the thread that lets ended sessions go (once per
    server; a no-op in bare mode and in AppTest, whose runtime is a stand-in)."""
    global _sweeper
    ctx = get_script_run_ctx()
    if ctx is None or not Runtime.exists():
        return
    with _lock:
        if _sweeper is None or not _sweeper.is_alive():
            runtime = Runtime.instance()
            if type(runtime) is not Runtime:  # AppTest's: nothing outlives the test
                return
            storage = _storage(runtime)
            if storage is None:
                if _sweeper is None:  # said once
                    _LOGGER.warning(
                        "Streamlit's session storage was not found (Streamlit %s): ended "
                        "sessions are let go of at Streamlit's own pace",
                        st.__version__,
                    )
                    _sweeper = threading.Thread()  # never started: not tried again
                return
            _sweeper = threading.Thread(
                target=_run, args=(runtime, storage), name="chronology-expiry", daemon=True
            )
            _sweeper.start()
        _seen.add(ctx.session_id)


def _run(runtime: Runtime, storage: Any) -> None:
    """Every few seconds while ``runtime`` serves: the ended sessions let go of."""
    while Runtime.exists() and Runtime.instance() is runtime:
        time.sleep(interval(float(st.get_option("server.disconnectedSessionTTL"))))
        try:
            ended = on_loop(_event_loop(runtime), functools.partial(forget_ended, runtime, storage))
        except Exception:  # never let the watch stop on a surprise; say it in the server log
            _LOGGER.exception("shutting down ended sessions failed")
            continue
        if ended:
            gc.collect()  # a session's objects hold reference cycles
            release_memory()
            _LOGGER.info("shut down %d ended session(s) and gave their memory back", ended)


def _event_loop(runtime: Runtime) -> Any:
    get = getattr(runtime, "_get_async_objs", None)
    return getattr(get(), "eventloop", None) if callable(get) else None


def _storage(runtime: Runtime) -> Any:
    """Streamlit's cache of disconnected sessions (a TTL cache with ``expire()``), or None."""
    manager = getattr(runtime, "_session_mgr", None)
    cache = getattr(getattr(manager, "_session_storage", None), "_cache", None)
    return cache if callable(getattr(cache, "expire", None)) else None


def on_loop(loop: Any, call: Callable[[], int], timeout: float = 30.0) -> int:
    """Run ``call`` on the event loop's thread and wait for its result."""
    done: concurrent.futures.Future[int] = concurrent.futures.Future()

    def run() -> None:
        try:
            done.set_result(call())
        except BaseException as exc:
            done.set_exception(exc)

    loop.call_soon_threadsafe(run)
    return done.result(timeout=timeout)


def forget_ended(runtime: Any, storage: Any, seen: set[str] | None = None) -> int:
    """Let go of the sessions that ended; return how many (on the event loop: neither the
    storage nor a session is thread-safe).

    The sessions past their reconnect window are taken out of ``storage`` and shut down (their
    files, media and dataframe sources given back, their script stopped). A session of ``seen``
    (default: those the app has run for) that is neither connected nor stored was let go of by
    Streamlit without a shutdown: what the shutdown would have given back is given back.
    """
    seen = _seen if seen is None else seen
    ended = 0
    for session_id, info in storage.expire():
        session = getattr(info, "session", None)
        if session is not None:
            try:
                session.shutdown()
            except Exception:
                _LOGGER.exception("shutting down the ended session %s failed", session_id)
        with _lock:
            seen.discard(session_id)
        ended += 1
    with _lock:
        gone = [s for s in seen if not runtime.is_active_session(s) and s not in storage]
        seen.difference_update(gone)
    for session_id in gone:
        release(runtime, session_id)
    return ended + len(gone)


def release(runtime: Any, session_id: str) -> None:
    """What Streamlit's shutdown of a session gives back: its uploaded files, its media and its
    dataframes' sources (each manager is thread-safe; a session without any: nothing)."""
    runtime.uploaded_file_mgr.remove_session_files(session_id)
    runtime.media_file_mgr.clear_session_refs(session_id)
    runtime.media_file_mgr.remove_orphaned_files()
    runtime.dataframe_source_mgr.clear_all_for_session(session_id)
