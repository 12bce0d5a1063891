"""The run of every page: the data set, the sidebar and the selection, handed to the page."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st

from ..data.dataset import DataSet
from ..data.query.filters import filter_events
from ..views.escape import esc_html, md_code
from . import expiry
from .links import notice
from .loading import data_dir, dataset_name, load_cached, show_problems, stamp
from .navigation import close_sidebar_on_pick, legacy_pages_run, page_config, pages
from .sidebar import Filters, sidebar
from .state import APP_KEY, NOTICES_KEY, RESULT_KEY
from .uploads import (
    ImportResult,
    remote_address,
    switched,
    take_remote,
    upload,
    upload_banner,
)

SHOWN_ROWS = 10_000
"""Rows of a table sent to the browser (the Data and Sources pages); the downloads have them all."""


@dataclass(frozen=True)
class App:
    """What every page gets: the data set, its colours, the filters and the events they select."""

    ds: DataSet
    colours: dict[str, str]
    filters: Filters
    events: pd.DataFrame
    directory: str
    name: str = ""
    """The data set's name: its title in datapackage.json, or the uploaded file's timeline."""


def start() -> App | None:
    """Load the data (cached), build the sidebar and filter; None after showing the problems.

    The data set is this session's upload when there is one (see :func:`take_upload`), else
    the bundled or configured directory. Call after ``st.navigation`` and before the page runs.
    A link's ``?data=<address>`` is fetched and loaded as an upload would be
    (:func:`~chronology.ui.uploads.take_remote`), and kept in the URL across page switches.
    """
    expiry.watch()  # ended sessions let go of once they cannot come back (once per server)
    address, held = st.query_params.get("data"), remote_address()
    if address and address != held:
        take_remote(address)
        held = remote_address()
    loaded = upload()
    if loaded is None:
        directory = data_dir()
        loaded = load_cached(str(directory), stamp(directory))
        if loaded.ds is None:
            show_problems(loaded)
            return None
        shown = f"dir:{loaded.directory}"
        name = dataset_name(loaded.directory)
    else:
        upload_banner(loaded, held)
        result = st.session_state.get(RESULT_KEY)
        shown = f"upload:{result.signature if isinstance(result, ImportResult) else ''}"
        name = loaded.directory  # the imported timeline's name
    st.set_page_config(page_title=name)  # the browser tab names the data set shown
    assert loaded.ds is not None
    switched(shown, loaded.ds)
    shared = [("data", held)] if held else []
    filters = sidebar(loaded.ds, shared if "data" not in st.query_params else ())
    filters = replace(filters, params=(*filters.params, *shared))  # links within pages keep it
    events = filter_events(loaded.ds, filters.query)
    with st.sidebar:
        st.caption(f"Data: {md_code(name)}")  # a name, never a server path
    close_sidebar_on_pick()
    current = App(loaded.ds, loaded.colours, filters, events, loaded.directory, name)
    st.session_state[APP_KEY] = current
    return current


def app() -> App:
    """The state :func:`start` prepared for this run; pages call this once, first.

    A page can also run without the entrypoint: on the first run after a server start, and in
    AppTest after ``switch_page``, Streamlit runs a file of the ``pages/`` folder directly. Then
    the page builds the sidebar itself (still after the navigation, which Streamlit set up).
    """
    current = st.session_state.pop(APP_KEY, None)
    if current is None:
        if legacy_pages_run():  # run directly by the wrapper: set up ours and start over
            st.navigation(pages())
            st.rerun()
        page_config()
        current = start()
        st.session_state.pop(APP_KEY, None)
        if current is None:
            st.stop()
    for message in st.session_state.get(NOTICES_KEY, []):
        notice(message)
    return current


def ready(page: str, **data: object) -> None:
    """The hidden marker browser tests wait for: the page has rendered."""
    attrs = " ".join(f'data-{esc_html(k)}="{esc_html(v)}"' for k, v in data.items())
    st.html(f'<span id="chronology-ready" data-page="{esc_html(page)}" {attrs} hidden></span>')
