"""Streamlit glue: cached loading, the session's upload, the shared sidebar, URL state.

The one module using streamlit. The bundled (or configured) data set is cached and shared by
every session; an uploaded one (the Import page) is held in that session's state only.

URL parameters
--------------
The sidebar filters are bound to the URL (``bind="query-params"``; the widget key is the
parameter name), so a copied link reopens the same view on any page. Lists repeat the parameter.

=============  =================================================================================
``actors``     actor display names, e.g. ``?actors=Russia&actors=United%20States``; a parent
               actor includes its children. Unknown names are dropped with a notice.
``match``      ``any`` (default: at least one of the actors) or ``all`` (every one of them)
``cat``        category display names, e.g. ``?cat=Military``
``status``     event statuses, e.g. ``?status=happened&status=planned``
``from``       first day shown, ``YYYY-MM-DD``: events that end on or after it
``to``         last day shown, ``YYYY-MM-DD``: events that start on or before it
``q``          text search: every word must occur in the title, summary or excerpts
``citations``  ``false`` leaves out events known only from citations (default ``true``)
=============  =================================================================================

Page parameters (kept by the page, not the sidebar; ids, not display names):

- Timeline: ``lanes=actor|category`` (bound); ``event=<event id>`` opens that event's details
  (clicking a mark on the chart, or choosing in the picker, sets it).
- Actors: ``actor=<actor id>`` chooses the actor whose activity is drawn.
- Sources: ``source=<source id>`` opens that source; ``excerpt=<n>`` marks excerpt n (its row in
  excerpts.csv, counting from 1) as the current one and scrolls to it (opening its source when
  ``source`` is not given); an anchor ``#x-<n>`` scrolls to that excerpt too.

A malformed or unknown value is dropped with a visible notice (``st.warning``), never an error.

Test hooks
----------
- Sidebar widget keys equal the parameter names above (``actors``, ``match``, ``cat``, ``status``,
  ``from``, ``to``, ``q``, ``citations``); the reset button has key ``reset``.
- Timeline: radio ``lanes``; event picker ``event_pick``; chart ``timeline`` (each trace's
  ``customdata`` holds event ids, ``meta.role`` is "marks", "legend" or "key"; one "marks" trace
  per colour, kind and evidence, its ``meta.families`` the actor families drawn in it); the
  detail panel is a container with key ``event_detail`` (CSS class ``st-key-event_detail``), headed
  "Event details", closed by button ``close_detail``; the list is headed "Events in date order",
  100 events a page (number input ``list_page``), each an
  ``<article class="event-item" id="event-<id>" data-event="<id>">`` with an ``<h4>`` title.
- Every page: when the filters select no events, an info box "No events match these filters."
  and the button ``reset_empty`` (:func:`empty_state`) stand where the filtered part would be.
- Actors: ``actor_pick``, ``actor_children``, ``relations_level``, ``focal``; charts
  ``activity``, ``relations``, ``partners``.
- Sources: picker ``source_pick``; the reader marks every excerpt as
  ``<mark id="x-<n>" class="excerpt" data-event="<event id>">`` (class ``excerpt current`` for
  the one the link names).
- Data: download buttons ``download_csv``, ``download_json``, ``download_timelinejs``,
  ``download_timelinejs_sheet`` (they do
  not rerun the script: ``on_click="ignore"``); radio ``timelinejs_lanes``.
- Import (``/upload``): select box ``import_layout``; file uploader ``import_file`` (a new key,
  ``import_file_<n>``, after going back to the bundled data); on success an ``st.success`` and,
  on every page, an ``st.info`` banner containing "your uploaded timeline" with the button
  ``drop_upload``; on failure an ``st.error`` ("nothing was loaded"), the problem table (columns
  file, row, column, value, problem, fix) and an "As text" expander; the column table has the
  columns "column in the file" and "became". The upload lives in ``st.session_state`` only.
- Every page ends with a hidden ``<span id="chronology-ready" data-page="<page>">`` once it has
  rendered (``timeline``, ``actors``, ``sources``, ``data``, ``upload``); ``data-events`` is
  the number of events the filters select.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import os
import re
import sys
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from . import formats
from .dataset import DataSet
from .errors import DataError, Problem
from .filters import Query, filter_events
from .load import DEFAULT_DATA_DIR, load
from .palette import actor_colours
from .render import esc, md_code
from .schema import load_schema
from .selection import prepared

__all__ = [
    "ENV_VAR",
    "FILTER_DEFAULTS",
    "ICON",
    "PAGES",
    "App",
    "Filters",
    "ImportResult",
    "Loaded",
    "app",
    "check_choice",
    "data_dir",
    "drop_upload",
    "empty_state",
    "fingerprint",
    "legacy_pages_run",
    "load_cached",
    "notice",
    "page_config",
    "pages",
    "ready",
    "reset_filters",
    "set_choice",
    "show_import",
    "show_problems",
    "shown",
    "sidebar",
    "stamp",
    "start",
    "take_upload",
    "upload",
    "upload_key",
    "url_choice",
    "url_excerpt",
]

ENV_VAR = "CHRONOLOGY_DATA"
ICON = Path(__file__).with_name("icon.png")
"""The favicon, served by the app itself (a Material icon would be fetched from Google)."""
QP = "query-params"
MIN_DATE, MAX_DATE = date(1000, 1, 1), date(9999, 12, 31)
MAX_OPTIONS = 5000
"""At most this many options in a page's picker (a selectbox ships all of them to the browser)."""
FILTER_DEFAULTS: dict[str, object] = {
    "actors": [],
    "match": "any",
    "cat": [],
    "status": [],
    "from": None,
    "to": None,
    "q": "",
    "citations": True,
}
"""Each sidebar widget's key (= URL parameter) and its default value."""

SHOWN_CHARS = 80
"""A value from the link is quoted in a notice up to this many characters."""
_EXCERPT_NUMBER = re.compile(r"[0-9]{1,9}", re.ASCII)
_APP_KEY = "_chronology_app"
_CHECKED_KEY = "_chronology_url_checked"
_NOTICES_KEY = "_chronology_notices"
_UPLOAD_KEY = "_chronology_upload"  # this session's uploaded data set (a Loaded), if any
_RESULT_KEY = "_chronology_import"  # the last upload's ImportResult, for the Import page
_SHOWN_KEY = "_chronology_shown"  # which data set the session's widgets were made for
_UPLOADER_KEY = "_chronology_uploader"  # a counter: a new uploader widget after "back"
PAGE_KEYS = ("event_pick", "actor_pick", "source_pick", "actor_children", "focal", "list_page")
"""Widget keys holding ids of one data set: dropped when the session switches data sets."""


# --- data ------------------------------------------------------------------------------------


def data_dir(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """The data directory: ``--data DIR`` (after ``--``), else $CHRONOLOGY_DATA, else bundled."""
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--data")
    args, _ = parser.parse_known_args(list(sys.argv[1:] if argv is None else argv))
    if args.data:
        return Path(args.data)
    env = (os.environ if environ is None else environ).get(ENV_VAR, "").strip()
    return Path(env) if env else DEFAULT_DATA_DIR


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


@st.cache_resource(max_entries=4, show_spinner="Loading the data set…")
def load_cached(directory: str, stamp: str) -> Loaded:
    """Load and validate once per directory and file state (``stamp``: :func:`stamp`).

    Cached as a resource: the data set is shared, read-only, between sessions. What the pages
    need that does not depend on the filters is prepared here too, once
    (:func:`chronology.selection.prepared`).
    """
    try:
        ds = load(directory)
    except DataError as exc:
        return Loaded(directory, None, tuple(exc.problems))
    prepared(ds)
    return Loaded(directory, ds, (), actor_colours(ds))


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


# --- URL state and the sidebar ---------------------------------------------------------------


def shown(value: str, limit: int = SHOWN_CHARS) -> str:
    """A value from the link, quoted literally for a notice and cut to ``limit`` characters."""
    value = value.replace("\x00", "\N{SYMBOL FOR NULL}")
    return md_code(value if len(value) <= limit else value[: limit - 1] + "…")


def empty_state() -> None:
    """No events match the filters: an info box that says so and a button that resets them."""
    st.info("No events match these filters.", icon=":material/filter_alt_off:")
    st.button(
        "Reset filters", icon=":material/restart_alt:", key="reset_empty", on_click=reset_filters
    )


def notice(message: str) -> None:
    """A visible notice about the link (message is trusted Markdown; quote values with shown)."""
    st.warning(message, icon=":material/link_off:")


def _check_url(ds: DataSet, labels: dict[str, list[str]]) -> list[str]:
    """The unknown or malformed filter values in the link, as notices.

    Streamlit drops such values from a bound widget silently; this says so.
    """
    qp = st.query_params
    out: list[str] = []
    for key, what in (("actors", "actor"), ("cat", "category"), ("status", "status")):
        unknown = [v for v in qp.get_all(key) if v and v not in labels[key]]
        if unknown:
            unknown = list(dict.fromkeys(unknown))
            listed = ", ".join(shown(v) for v in unknown[:10])
            if len(unknown) > 10:
                listed += f" and {len(unknown) - 10:,} more"
            out.append(
                f"The link names {what} values this data set does not have: {listed}. "
                "They were dropped from the filter."
            )
    for key, allowed in (("match", ("any", "all")), ("citations", ("true", "false"))):
        raw = qp.get_all(key)
        if raw and raw[-1].lower() not in allowed:
            out.append(
                f"The link's {shown(key + '=' + raw[-1])} is not one of "
                f"{', '.join(md_code(a) for a in allowed)}; the default is used."
            )
    for key in ("from", "to"):
        raw = qp.get_all(key)
        if not raw or not raw[-1]:
            continue
        value = raw[-1]
        try:
            date.fromisoformat(value)
            ok = len(value) == 10
        except ValueError:
            ok = False
        if not ok:
            out.append(
                f"The link's date {shown(key + '=' + value)} is not a day written "
                "YYYY-MM-DD (e.g. 2024-03-16); it was dropped."
            )
    return out


@dataclass(frozen=True)
class Filters:
    """The sidebar's choices: the query, and the same choices as URL parameters for links."""

    query: Query
    params: tuple[tuple[str, str], ...] = ()


def _params(values: dict[str, object], labels: Mapping[str, Callable[[str], str]]) -> list:
    """Filter values as (parameter, text) pairs, defaults left out."""
    out: list[tuple[str, str]] = []
    for key, default in FILTER_DEFAULTS.items():
        value = values[key]
        if value == default or value is None:
            continue
        if isinstance(value, list):
            out += [(key, labels.get(key, str)(v)) for v in value]
        elif isinstance(value, bool):
            out.append((key, str(value).lower()))
        elif isinstance(value, date):
            out.append((key, value.isoformat()))
        else:
            out.append((key, str(value)))
    return out


def reset_filters() -> None:
    """Callback: every sidebar filter back to its default (and out of the URL)."""
    for key, default in FILTER_DEFAULTS.items():
        st.session_state[key] = list(default) if isinstance(default, list) else default


@functools.cache
def _status_enum() -> tuple[str, ...]:
    """The statuses the schema allows, in its order."""
    try:
        return load_schema().resource("events").field("status").enum
    except (StopIteration, OSError, ValueError):
        return ()


def _statuses(ds: DataSet) -> list[str]:
    """The statuses in the data, in the schema's order."""
    enum = list(_status_enum())
    present = list(prepared(ds).statuses)
    return [s for s in enum if s in present] + [s for s in present if s not in enum]


def sidebar(ds: DataSet) -> Filters:
    """The shared filters, bound to the URL; call after ``st.navigation`` (see dashboard.py)."""
    names = ds.actor_names
    actor_ids = list(prepared(ds).actor_order)
    cat_names = dict(zip(ds.categories["id"], ds.categories["name"], strict=True))
    statuses = _statuses(ds)
    labels = {
        "actors": [names[a] for a in actor_ids],
        "cat": list(cat_names.values()),
        "status": statuses,
    }
    if not st.session_state.get(_CHECKED_KEY):
        st.session_state[_CHECKED_KEY] = True
        st.session_state[_NOTICES_KEY] = _check_url(ds, labels)
    else:
        st.session_state[_NOTICES_KEY] = []  # shown once, on the run that read the link

    def actor_label(aid: str) -> str:
        return names.get(aid, aid)

    def cat_label(cid: str) -> str:
        return cat_names.get(cid, cid)

    with st.sidebar:
        st.header("Filters", anchor=False)
        actors = st.multiselect(
            "Actors",
            actor_ids,
            format_func=actor_label,
            key="actors",
            bind=QP,
            placeholder="All actors",
            help="Listed by family: each actor is followed by those inside it. "
            "A parent includes its children (United States includes US armed forces).",
        )
        match = st.radio(
            "Events with",
            ["any", "all"],
            format_func=lambda m: m,
            key="match",
            bind=QP,
            horizontal=True,
            help="any: at least one of the chosen actors; all: every one of them.",
        )
        cats = st.multiselect(
            "Categories",
            list(cat_names),
            format_func=cat_label,
            key="cat",
            bind=QP,
            placeholder="All categories",
        )
        status = st.multiselect(
            "Statuses", statuses, key="status", bind=QP, placeholder="All statuses"
        )
        left, right = st.columns(2)
        start = left.date_input(
            "From",
            value=None,
            min_value=MIN_DATE,
            max_value=MAX_DATE,
            key="from",
            bind=QP,
            format="YYYY-MM-DD",
        )
        end = right.date_input(
            "To",
            value=None,
            min_value=MIN_DATE,
            max_value=MAX_DATE,
            key="to",
            bind=QP,
            format="YYYY-MM-DD",
        )
        text = st.text_input(
            "Search", key="q", bind=QP, placeholder="words in titles, summaries, excerpts"
        )
        citations = st.toggle(
            "Include citation-only events",
            value=True,
            key="citations",
            bind=QP,
            help="Events known only from a cited public record, with no stored article quoting "
            "them. Drawn hollow on the timeline.",
        )
        if start and end and start > end:
            st.warning(
                "*From* is after *To*: the dates were swapped.", icon=":material/swap_horiz:"
            )
            start, end = end, start
        st.button(
            "Reset filters",
            icon=":material/restart_alt:",
            key="reset",
            on_click=reset_filters,
            width="stretch",
        )
    values = {
        "actors": list(actors),
        "match": match,
        "cat": list(cats),
        "status": list(status),
        "from": start,
        "to": end,
        "q": text,
        "citations": citations,
    }
    query = Query(
        actors=tuple(actors),
        actor_match="all" if match == "all" else "any",
        categories=tuple(cats),
        statuses=tuple(status),
        citation_only=bool(citations),
        start=start,
        end=end,
        text=text or "",
    )
    params = _params(values, {"actors": actor_label, "cat": cat_label})
    return Filters(query, tuple(params))


# --- an uploaded data set: this browser session only -------------------------------------


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

    @property
    def ok(self) -> bool:
        """True when the upload became this session's data set."""
        return not self.problems


def upload() -> Loaded | None:
    """This session's uploaded data set, or None (held in ``st.session_state`` only)."""
    found = st.session_state.get(_UPLOAD_KEY)
    return found if isinstance(found, Loaded) and found.ds is not None else None


def take_upload(file: str, data: bytes, layout: str | None = None) -> ImportResult:
    """Import an upload; on success it becomes this session's data set (on the next run).

    Never cached across sessions, never written to disk: the bytes are read in memory and the
    data set lives in this session's state. The same upload is read once, not on every rerun.
    """
    signature = hashlib.sha256(data).hexdigest() + f":{file}:{layout}"
    previous = st.session_state.get(_RESULT_KEY)
    if isinstance(previous, ImportResult) and previous.signature == signature:
        return previous
    imported = None
    try:
        imported = formats.read_file(data, file, layout)
        ds = formats.to_dataset(imported)
    except DataError as exc:
        result = ImportResult(
            file,
            signature,
            imported.label if imported else "",
            imported.name if imported else "",
            imported.columns if imported else (),
            tuple(exc.problems),
        )
    else:
        result = ImportResult(
            file, signature, imported.label, imported.name, imported.columns, (), ds.summary()
        )
        st.session_state[_UPLOAD_KEY] = Loaded(imported.name, ds, (), actor_colours(ds))
    st.session_state[_RESULT_KEY] = result
    if result.ok:
        st.rerun()  # the sidebar and the banner were drawn for the data set before
    return result


def drop_upload() -> None:
    """Callback: back to the bundled data (the upload is forgotten, the uploader emptied)."""
    st.session_state.pop(_UPLOAD_KEY, None)
    st.session_state.pop(_RESULT_KEY, None)
    st.session_state[_UPLOADER_KEY] = st.session_state.get(_UPLOADER_KEY, 0) + 1


def upload_key() -> str:
    """The Import page's file uploader key (``import_file``, a new one after going back)."""
    n = st.session_state.get(_UPLOADER_KEY, 0)
    return "import_file" if not n else f"import_file_{n}"


def show_import(result: ImportResult) -> None:
    """The Import page's report: the layout seen, what each column became, the problems."""
    if result.ok:
        st.success(
            f"Read {md_code(result.file)} as a {result.label}: {result.summary}. Every page now "
            f"shows {md_code(result.name)}, in this browser session only.",
            icon=":material/check_circle:",
        )
        st.page_link(PAGES[0][0], label="See it on the timeline", icon=":material/timeline:")
    else:
        n = len(result.problems)
        seen = f" (read as a {result.label})" if result.label else ""
        st.error(
            f"{n} problem{'s' if n != 1 else ''} in {md_code(result.file)}{seen}: nothing was "
            f"loaded. Fix {'it' if n == 1 else 'them'} in your file and upload it again.",
            icon=":material/error:",
        )
        problems = result.problems
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
            key="import_problems",
        )
        with st.expander("As text"):
            st.code(DataError(list(problems), result.file).report(), language=None)
    if result.columns:
        st.caption("What each column of the file became")
        st.dataframe(
            pd.DataFrame(result.columns, columns=["column in the file", "became"]),
            hide_index=True,
            key="import_columns",
        )


def _upload_banner(loaded: Loaded) -> None:
    """The banner every page shows while the session looks at its upload."""
    left, right = st.columns([3, 1], vertical_alignment="center")
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


def _switched(shown: str, ds: DataSet) -> None:
    """When the session moves to another data set: filters to defaults, page choices dropped.

    A data set that names no actors (a TimelineJS sheet) opens with one lane per category.
    """
    before = st.session_state.get(_SHOWN_KEY)
    st.session_state[_SHOWN_KEY] = shown
    if before is None or before == shown:
        return
    reset_filters()
    st.session_state["lanes"] = "category" if ds.actors.empty else "actor"
    for key in PAGE_KEYS:
        st.session_state.pop(key, None)
    for param in ("event", "actor", "source", "excerpt"):
        st.query_params.pop(param, None)


# --- the app's state for the pages ----------------------------------------------------------


@dataclass(frozen=True)
class App:
    """What every page gets: the data set, its colours, the filters and the events they select."""

    ds: DataSet
    colours: dict[str, str]
    filters: Filters
    events: pd.DataFrame
    directory: str


def start() -> App | None:
    """Load the data (cached), build the sidebar and filter; None after showing the problems.

    The data set is this session's upload when there is one (see :func:`take_upload`), else
    the bundled or configured directory. Call after ``st.navigation`` and before the page runs.
    """
    loaded = upload()
    if loaded is None:
        directory = data_dir()
        loaded = load_cached(str(directory), stamp(directory))
        if loaded.ds is None:
            show_problems(loaded)
            return None
        shown = f"dir:{loaded.directory}"
    else:
        _upload_banner(loaded)
        result = st.session_state.get(_RESULT_KEY)
        shown = f"upload:{result.signature if isinstance(result, ImportResult) else ''}"
    assert loaded.ds is not None
    _switched(shown, loaded.ds)
    filters = sidebar(loaded.ds)
    events = filter_events(loaded.ds, filters.query)
    with st.sidebar:
        st.caption(f"Data: {md_code(loaded.directory)}")
    current = App(loaded.ds, loaded.colours, filters, events, loaded.directory)
    st.session_state[_APP_KEY] = current
    return current


PAGES: tuple[tuple[str, str, str], ...] = (
    ("pages/timeline.py", "Timeline", ":material/timeline:"),
    ("pages/actors.py", "Actors", ":material/groups:"),
    ("pages/sources.py", "Sources", ":material/article:"),
    ("pages/data.py", "Data", ":material/table_view:"),
    ("pages/upload.py", "Import", ":material/upload_file:"),
)
"""The pages (file, title, icon), in the navigation's order; the first is the default."""


def pages() -> list[st.Page]:
    """The pages for ``st.navigation``."""
    return [
        st.Page(path, title=title, icon=icon, default=i == 0)
        for i, (path, title, icon) in enumerate(PAGES)
    ]


def legacy_pages_run() -> bool:
    """True on a run Streamlit makes through its old ``pages/``-folder wrapper.

    With a folder named ``pages/``, the first run after a server start (and every AppTest run)
    goes through that wrapper: it runs the entrypoint, or a page file directly, under other
    script ids, so widgets made then get other ids and lose their values on the next run.
    Read this before ``st.navigation`` (which ends the wrapper mode) and rerun at once if true.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # pragma: no cover - a Streamlit without the wrapper
        return False
    return bool(PagesManager.uses_pages_directory)


def page_config() -> None:
    """Title, icon and wide layout (the entrypoint's first call)."""
    st.set_page_config(
        page_title="Niger chronology", page_icon=str(ICON), layout="wide"
    )


def app() -> App:
    """The state :func:`start` prepared for this run; pages call this once, first.

    A page can also run without the entrypoint: on the first run after a server start, and in
    AppTest after ``switch_page``, Streamlit runs a file of the ``pages/`` folder directly. Then
    the page builds the sidebar itself (still after the navigation, which Streamlit set up).
    """
    current = st.session_state.pop(_APP_KEY, None)
    if current is None:
        if legacy_pages_run():  # run directly by the wrapper: set up ours and start over
            st.navigation(pages())
            st.rerun()
        page_config()
        current = start()
        st.session_state.pop(_APP_KEY, None)
        if current is None:
            st.stop()
    for message in st.session_state.get(_NOTICES_KEY, []):
        notice(message)
    return current


def url_excerpt(source_of: Mapping[int, str]) -> int | None:
    """The excerpt number a link names (``?excerpt=<n>``), opening its source if none is named.

    A number that names no excerpt is dropped from the URL with a notice.
    """
    raw = st.query_params.get("excerpt")
    if raw is None:
        return None
    # The shape first: int() refuses over 4,300 digits and takes non-ASCII digits such as '٣'.
    number = int(raw) if _EXCERPT_NUMBER.fullmatch(raw) else None
    if number is not None and number in source_of:
        if st.query_params.get("source") is None:
            st.query_params["source"] = source_of[number]
        return number
    notice(
        f"The link's {shown('excerpt=' + raw)} names no excerpt of this data set; "
        "it was dropped."
    )
    del st.query_params["excerpt"]
    return None


def url_choice(
    param: str,
    options: Sequence[str],
    *,
    label: str,
    key: str,
    format_func: Callable[[str], str] = str,
    default: str | None = None,
    placeholder: str = "Choose…",
    what: str = "value",
    valid: Collection[str] | None = None,
) -> str | None:
    """A selectbox kept in the URL as ``?<param>=<id>`` (ids in the URL, labels on screen).

    Unlike ``bind="query-params"``, which puts the label in the URL, this keeps the stable id.
    An id not in ``valid`` (default: the options) is dropped with a notice; a valid id that is
    not among the options is added to them.
    """
    qp = st.query_params
    raw = qp.get(param)
    options = list(options)
    if raw is not None and raw not in (options if valid is None else valid):
        notice(f"The link's {what} {shown(raw)} is not in this data set; it was dropped.")
        del qp[param]
        raw = None
    if raw is not None and st.session_state.get(key) != raw:
        st.session_state[key] = raw  # the URL changed (a link, a page switch): it wins
    elif raw is None and key not in st.session_state:
        st.session_state[key] = default
    current = st.session_state.get(key)
    if current is not None and current not in options:
        if valid is None or current in valid:
            options.insert(0, current)
        else:
            st.session_state[key] = None

    def changed() -> None:
        value = st.session_state.get(key)
        if value is None or value == default:
            qp.pop(param, None)
        else:
            qp[param] = value

    return st.selectbox(
        label,
        options,
        index=None,
        format_func=format_func,
        key=key,
        on_change=changed,
        placeholder=placeholder,
    )


def set_choice(param: str, key: str, value: str | None) -> None:
    """From a callback: choose ``value`` in a :func:`url_choice` box and in the URL."""
    st.session_state[key] = value
    if value is None:
        st.query_params.pop(param, None)
    else:
        st.query_params[param] = value


def check_choice(param: str, allowed: Collection[str]) -> None:
    """Before a bound single-choice widget: a notice if the link's value is not allowed."""
    raw = st.query_params.get_all(param)
    if raw and raw[-1] not in allowed:
        notice(
            f"The link's {shown(param + '=' + raw[-1])} is not one of "
            f"{', '.join(md_code(a) for a in allowed)}; the default is used."
        )


def ready(page: str, **data: object) -> None:
    """The hidden marker browser tests wait for: the page has rendered."""
    attrs = " ".join(f'data-{esc(k)}="{esc(v)}"' for k, v in data.items())
    st.html(f'<span id="chronology-ready" data-page="{esc(page)}" {attrs} hidden></span>')
