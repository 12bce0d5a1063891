"""An uploaded data set: read in memory, held in this browser session's state only."""

from __future__ import annotations

import gc
import hashlib
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from .. import formats
from ..data.dataset import DataSet
from ..data.errors import DataError, Problem
from ..formats import remote
from ..views.escape import md_code, md_text
from ..views.figures import EVENT_ROWS_MAX
from ..views.palette import actor_colours
from .links import notice, shown
from .loading import Loaded, release_memory
from .navigation import PAGES
from .sidebar import reset_filters
from .state import (
    PAGE_KEYS,
    REMOTE_KEY,
    RESULT_KEY,
    SHOWN_KEY,
    SKIP_KEY,
    UPLOAD_KEY,
    UPLOADER_KEY,
)


@dataclass(frozen=True)
class ImportResult:
    """What the Import page shows about the last upload: the layout seen, columns, problems."""

    file: str
    signature: str
    label: str = ""
    name: str = ""
    columns: tuple[tuple[str, str], ...] = ()
    problems: tuple[Problem, ...] = ()
    summary: str = ""
    good: int = 0  # rows that would load when the listed ones are skipped (0: no such offer)
    skipped: tuple[Problem, ...] = ()  # loaded without these rows, at the user's choice
    total: int = 0  # problems found; the first few hundred are listed

    @property
    def ok(self) -> bool:
        """True when the upload became this session's data set."""
        return not self.problems

    @property
    def bad_rows(self) -> int:
        """How many rows of the upload the problems (or the skipped rows) name."""
        return len(formats.skipped_rows(self.problems or self.skipped, self.file))


def upload() -> Loaded | None:
    """This session's uploaded data set, or None (held in ``st.session_state`` only)."""
    found = st.session_state.get(UPLOAD_KEY)
    return found if isinstance(found, Loaded) and found.ds is not None else None


def take_upload(
    file: str,
    data: bytes,
    layout: str | None = None,
    *,
    skip_invalid: bool | None = None,
    day_order: str | None = None,
) -> ImportResult:
    """Import an upload; on success it becomes this session's data set (on the next run).

    Never cached across sessions, never written to disk: the bytes are read in memory and the
    data set lives in this session's state. The same upload is read once, not on every rerun.
    ``skip_invalid``: load the rows without problems and list the others (None: as the user
    chose on the Import page, with its "load the good rows" button); ``day_order``: how dates
    like 03/04/2024 are written (``formats.DAY_ORDERS``), else such dates are listed.
    """
    base = hashlib.sha256(data).hexdigest() + f":{file}:{layout}:{day_order}"
    if skip_invalid is None:
        skip_invalid = st.session_state.get(SKIP_KEY) == base
    signature = base + (":skip" if skip_invalid else "")
    previous = st.session_state.get(RESULT_KEY)
    if isinstance(previous, ImportResult) and previous.signature == signature:
        return previous
    imported = None
    st.session_state.pop(RESULT_KEY, None)  # the last upload's problems, if any: let go now
    try:
        imported = formats.read_file(data, file, layout, day_order=day_order)
        if skip_invalid:
            imported, ds = formats.good_rows(imported)
        else:
            ds = formats.to_dataset(imported)
    except DataError as exc:
        result = ImportResult(
            file,
            signature,
            imported.label if imported else "",
            imported.name if imported else "",
            imported.columns if imported else (),
            tuple(exc.problems),
            good=_good(imported, exc.problems) if not skip_invalid else 0,
            total=exc.total,
        )
    else:
        result = ImportResult(
            file,
            signature,
            imported.label,
            imported.name,
            imported.columns,
            (),
            ds.summary(),
            skipped=imported.problems,
        )
        st.session_state[UPLOAD_KEY] = Loaded(imported.name, ds, (), actor_colours(ds))
    st.session_state[RESULT_KEY] = result
    del imported  # the reading's tables and text, and a data set replaced: given back now
    gc.collect()
    release_memory()
    if result.ok:
        st.rerun()  # the sidebar and the banner were drawn for the data set before
    return result


def _good(imported: formats.Imported | None, problems: list[Problem]) -> int:
    """How many rows would load with the listed ones skipped: 0 when a problem is not one of
    a row (the whole file must be fixed) or no row would be left."""
    if imported is None or imported.builder is None:
        return 0
    if any(p.file != imported.file or not p.row or p.row < 2 for p in problems):
        return 0
    bad = set(formats.skipped_rows(problems, imported.file))
    return sum(1 for row in imported.builder.origin.values() if row not in bad)


def _skip_rows(signature: str) -> None:
    """Callback of "load the good rows": the next run loads this upload without its bad rows."""
    st.session_state[SKIP_KEY] = signature
    st.session_state.pop(RESULT_KEY, None)


def drop_upload() -> None:
    """Callback: back to the bundled data (the upload is forgotten, the uploader emptied)."""
    st.session_state.pop(UPLOAD_KEY, None)
    st.session_state.pop(RESULT_KEY, None)
    st.session_state[UPLOADER_KEY] = st.session_state.get(UPLOADER_KEY, 0) + 1


def upload_key() -> str:
    """The Import page's file uploader key (``import_file``, a new one after going back)."""
    n = st.session_state.get(UPLOADER_KEY, 0)
    return "import_file" if not n else f"import_file_{n}"


def show_import(result: ImportResult) -> None:
    """The Import page's report: the layout seen, what each column became, the problems."""
    if result.ok:
        skipped = result.bad_rows if result.skipped else 0
        rows = "1 row with problems was" if skipped == 1 else f"{skipped} rows with problems were"
        left_out = f" {rows} skipped, as you chose: they are listed below." if skipped else ""
        st.success(
            f"Read {md_code(result.file)} as a {result.label}: {result.summary}. Every page now "
            f"shows {md_code(result.name)}, in this browser session only.{left_out}",
            icon=":material/check_circle:",
        )
        st.page_link(PAGES[0][0], label="See it on the timeline", icon=":material/timeline:")
        if result.skipped:
            _problem_table(result.skipped, result.file, "import_skipped")
    else:
        n = max(result.total, len(result.problems))
        seen = f" (read as a {result.label})" if result.label else ""
        st.error(
            f"{n:,} problem{'s' if n != 1 else ''} in {md_code(result.file)}{seen}: nothing was "
            f"loaded. Fix {'it' if n == 1 else 'them'} in your file and upload it again"
            + (", or load the rows without problems." if result.good else "."),
            icon=":material/error:",
        )
        if result.good:
            m = result.bad_rows
            st.button(
                f"Load the {result.good} good row{'s' if result.good != 1 else ''}, skip the "
                f"{m} listed",
                key="import_skip",
                on_click=_skip_rows,
                args=(result.signature,),
                icon=":material/playlist_add_check:",
                type="primary",
            )
        _problem_table(result.problems, result.file, "import_problems", n)
    if result.columns:
        st.caption("What each column of the file became")
        st.dataframe(
            pd.DataFrame(result.columns, columns=["column in the file", "became"]),
            hide_index=True,
            key="import_columns",
        )


def _problem_table(problems: tuple[Problem, ...], file: str, key: str, total: int = 0) -> None:
    """The problems as a table (file, row, column, value, problem, fix) and as text."""
    st.dataframe(
        pd.DataFrame(
            {
                "file": [p.file for p in problems],
                "row": [str(p.row) if p.row is not None else "" for p in problems],
                "column": [p.column or "" for p in problems],
                "value": [p.value or "" for p in problems],
                "problem": [p.message for p in problems],
                "fix": [p.fix for p in problems],
            }
        ),
        hide_index=True,
        key=key,
    )
    with st.expander("As text"):
        st.code(DataError(list(problems), file, total).report(), language=None)


def upload_banner(loaded: Loaded, address: str | None = None) -> None:
    """The banner every page shows while the session looks at its upload (or ``?data=``)."""
    left, right = st.columns([3, 1], vertical_alignment="center")
    if address:
        left.info(
            f"Showing **the timeline at** {md_code(address)}, loaded from the link for this "
            "browser session: nothing was stored. Copy the address to share it.",
            icon=":material/link:",
        )
    else:
        left.info(
            f"Showing **your uploaded timeline** {md_code(loaded.directory)}: in this browser "
            "session only; nothing was stored, and nobody else sees it.",
            icon=":material/upload_file:",
        )
    right.button(
        "Back to the bundled data",
        key="drop_upload",
        on_click=drop_upload,
        icon=":material/undo:",
        width="stretch",
    )


def switched(shown: str, ds: DataSet) -> None:
    """When the session moves to another data set: filters to defaults, page choices dropped.

    A data set of a few events opens with a row per event; more, one lane per actor, or per
    category when it names no actors (a TimelineJS sheet).
    """
    before = st.session_state.get(SHOWN_KEY)
    st.session_state[SHOWN_KEY] = shown
    if before is None or before == shown:
        return
    reset_filters()
    st.session_state["lanes"] = (
        "event"
        if len(ds.events) <= EVENT_ROWS_MAX
        else ("category" if ds.actors.empty else "actor")
    )
    for key in PAGE_KEYS:
        st.session_state.pop(key, None)
    for param in ("event", "actor", "source", "excerpt"):
        st.query_params.pop(param, None)


def remote_address() -> str | None:
    """The ``?data=`` address this session's data set came from, while it is shown.

    Back to the bundled data, or a file uploaded since, ends it (and ``data`` leaves the URL).
    """
    held = st.session_state.get(REMOTE_KEY)
    if not held:
        return None
    result = st.session_state.get(RESULT_KEY)
    if upload() is not None and isinstance(result, ImportResult) and result.ok:
        if not held[1]:  # loaded on the run before: the upload it became is this one
            held = st.session_state[REMOTE_KEY] = (held[0], result.signature)
        if result.signature == held[1]:
            return held[0]
    st.session_state.pop(REMOTE_KEY, None)
    st.query_params.pop("data", None)
    return None


def take_remote(address: str) -> None:
    """Load ``?data=<address>`` for this session, as an upload would be (reruns on success).

    The fetch is :func:`chronology.formats.remote.fetch` (https, public addresses only, capped,
    cached). A refused address or a file with problems leaves the data set as it was: the
    reason is shown, and ``data`` leaves the URL.
    """
    try:
        with st.spinner("Fetching the timeline the link names…"):
            fetched = remote.fetch(address)
    except remote.RemoteError as exc:
        notice(
            f"The link's {shown('data=' + address)} was not loaded: {md_text(str(exc))} "
            "The bundled data is shown."
        )
        st.query_params.pop("data", None)
        return
    st.session_state[REMOTE_KEY] = (address, "")  # its upload signature: on the next run
    result = take_upload(fetched.file, fetched.data)  # reruns when it loads
    if result.ok:  # the same file as the session's upload: nothing read again
        st.session_state[REMOTE_KEY] = (address, result.signature)
        return
    st.session_state.pop(REMOTE_KEY, None)
    n = len(result.problems)
    st.error(
        f"The file at {md_code(address)} has {n} problem{'s' if n != 1 else ''}: nothing "
        "was loaded. The list is on the Import page.",
        icon=":material/error:",
    )
    st.query_params.pop("data", None)
