"""Streamlit glue: cached loading, the session's upload, the shared sidebar, URL state.

The one part of the package using streamlit, a module per concern: ``loading`` (the cached
data directory), ``links`` (notices and choices kept in the URL), ``sidebar`` (the filters),
``uploads`` (an imported data set), ``navigation`` (the pages), ``session`` (what each page
run gets) and ``state`` (every key kept in ``st.session_state``). The bundled (or configured)
data set is cached and shared by every session; an uploaded one (the Import page) is held in
that session's state only.

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
``data``       the ``https://`` address of a timeline (CSV, TimelineJS3 JSON, published Google
               Sheet) loaded for this session as an upload would be
               (:mod:`chronology.formats.remote` fetches it, with its guards)
=============  =================================================================================

These shared parameters stay in the address across page switches (``navigation.
keep_shared_params`` works around Streamlit 1.67 dropping them); the page parameters below
are left behind on a switch.

Page parameters (kept by the page, not the sidebar; ids, not display names):

- Timeline: ``lanes=event|actor|category`` and ``range=most events|all`` (bound; the time shown);
  ``event=<event id>`` opens that event's details and moves the chart to it (clicking a mark
  on the chart, choosing in the picker, or stepping with Previous / Next sets it).
- Actors: ``actor=<actor id>`` chooses the actor whose activity is drawn.
- Sources: ``source=<source id>`` opens that source; ``excerpt=<n>`` marks excerpt n (its row in
  excerpts.csv, counting from 1) as the current one and scrolls to it (opening its source when
  ``source`` is not given); an anchor ``#x-<n>`` scrolls to that excerpt too.

A malformed or unknown value is dropped with a visible notice (``st.warning``), never an error.

Test hooks
----------
- Sidebar widget keys equal the parameter names above (``actors``, ``match``, ``cat``, ``status``,
  ``from``, ``to``, ``q``, ``citations``); they sit in the sidebar's popover "Filters", whose
  content the browser draws only while it is open (``browser_harness.filters`` opens it).
  Under it a caption "No filter: every event is shown." or "Filtered by …", and the reset
  button (key ``reset``) when a filter is on.
- Timeline: radios ``lanes`` and ``range`` in the popover ``view_menu`` ("Chart view"); event
  picker ``event_pick`` (at most 200 options, around the current event) in the popover
  ``event_menu`` ("Choose an event"); step buttons ``step_prev`` and ``step_next`` (keys ← →); the
  headline figures in a container with key ``headline``; chart ``timeline`` (each trace's
  ``customdata`` holds event ids, ``meta.role`` is "marks" or "overview" (the range slider's
  trace); one "marks" trace per colour, kind and evidence, its ``meta.families`` the actor
  families drawn in it; the
  legend is drawn under it as ``<p class="chronology legend">``); the detail panel is a
  container with key ``event_detail`` (CSS class ``st-key-event_detail``), headed
  "Event details", closed by button ``close_detail``; the list is headed "Events in date order",
  under it the button ``download_html`` (the view as one HTML file), 100 events a page (number
  input ``list_page``), each an
  ``<article class="event-item" id="event-<id>" data-event="<id>">`` with an ``<h4>`` title.
- Every page: when the filters select no events, an info box "No events match these filters."
  and the button ``reset_empty`` (:func:`empty_state`) stand where the filtered part would be.
- Actors: ``actor_pick``, ``actor_children``, ``relations_level``, ``focal``; charts
  ``activity``, ``relations``, ``partners``.
- Sources: picker ``source_pick``; the reader marks every excerpt as
  ``<mark id="x-<n>" class="excerpt" data-event="<event id>">`` (class ``excerpt current`` for
  the one the link names).
- Data: download buttons ``download_csv``, ``download_json``, ``download_timelinejs``,
  ``download_timelinejs_sheet``, ``download_html`` (they do
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

from . import state
from .links import (
    MAX_OPTIONS,
    check_choice,
    notice,
    set_choice,
    shown,
    url_choice,
    url_excerpt,
)
from .loading import ENV_VAR, Loaded, data_dir, fingerprint, load_cached, show_problems, stamp
from .navigation import ICON, PAGES, legacy_pages_run, page_config, pages
from .publish import html_download
from .session import SHOWN_ROWS, App, app, ready, start
from .sidebar import (
    FILTER_DEFAULTS,
    Filters,
    empty_state,
    reset_filters,
    sidebar,
)
from .uploads import (
    ImportResult,
    drop_upload,
    show_import,
    take_upload,
    upload,
    upload_key,
)

__all__ = [
    "ENV_VAR",
    "FILTER_DEFAULTS",
    "ICON",
    "MAX_OPTIONS",
    "PAGES",
    "SHOWN_ROWS",
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
    "html_download",
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
    "state",
    "take_upload",
    "upload",
    "upload_key",
    "url_choice",
    "url_excerpt",
]
