"""The pages, their navigation, and the page setup every run starts with."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

ICON = Path(__file__).parent.parent / "icon.png"
"""The favicon, served by the app itself (a Material icon would be fetched from Google)."""

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
    """Title, icon and wide layout (the entrypoint's first call; the data set's name follows).
    Embedded (``?embed=true``, in an iframe) the sidebar starts closed: the view is the page's,
    its filters the URL's."""
    st.set_page_config(
        page_title="Chronology",
        page_icon=str(ICON),
        layout="wide",
        initial_sidebar_state="collapsed" if st.context.is_embedded else "auto",
    )


SIDEBAR_CLOSER = """<script>(() => {
  if (window.__chronologySidebarCloser) return;
  window.__chronologySidebarCloser = true;
  document.addEventListener('click', (event) => {
    const link = event.target.closest && event.target.closest('[data-testid="stSidebarNavLink"]');
    if (!link || !window.matchMedia('(max-width: 767px)').matches) return;
    setTimeout(() => {
      const close = document.querySelector(
        '[data-testid="stSidebarCollapseButton"] button[aria-expanded="true"]');
      if (close) close.click();
    }, 0);
  }, true);
  // Plotly picks the point under the last hover: a tap, with no hover before it, picked
  // nothing the first time. A touch on a chart hovers where it lands first.
  document.addEventListener('touchstart', (event) => {
    const drag = event.target.closest && event.target.closest('.js-plotly-plot .nsewdrag');
    const touch = event.touches && event.touches[0];
    if (!drag || !touch || event.touches.length > 1) return;
    drag.dispatchEvent(new MouseEvent('mousemove', {
      clientX: touch.clientX, clientY: touch.clientY, bubbles: true, cancelable: true}));
  }, {capture: true, passive: true});
})();</script>"""
"""On a narrow screen, where the sidebar lies over the page, picking a page in it closes it
(Streamlit does so only for a phone's user agent, not a narrow window or a tablet); and one tap
on a chart's mark picks it (Plotly took two: the first one only hovered)."""


def close_sidebar_on_pick() -> None:
    """Add :data:`SIDEBAR_CLOSER` to the page (once per browser tab; it holds no data)."""
    with st.sidebar:
        st.html(SIDEBAR_CLOSER, unsafe_allow_javascript=True)


SHARED_PARAMS: tuple[str, ...] = (
    "actors", "match", "cat", "status", "from", "to", "q", "citations", "data",
)  # fmt: skip
"""The URL parameters every page shares: the sidebar's filters and the remote data set.

Page-own parameters (``event``, ``range``, ``lanes``, ``actor``, ``source``, ``excerpt``) stay
behind on a page switch, as Streamlit leaves them; a link that names them keeps them.
"""

_KEEP_SCRIPT = """<script>(() => {
  if (window.__chronologyKeep) return;
  window.__chronologyKeep = true;
  const keys = %s, push = window.history.pushState.bind(window.history);
  window.history.pushState = function (state, title, url) {
    try {
      const now = new URL(window.location.href), next = new URL(url, now);
      if (url != null && next.pathname !== now.pathname) {
        for (const key of keys) {
          if (next.searchParams.has(key)) continue;
          for (const value of now.searchParams.getAll(key)) next.searchParams.append(key, value);
        }
        url = next.pathname + next.search + next.hash;
      }
    } catch (e) { /* an address we cannot read: pushed as it is */ }
    return push(state, title, url);
  };
})();</script>"""


def keep_shared_params(missing: list[tuple[str, str]]) -> None:
    """Keep the shared parameters in the address across page switches (Streamlit 1.67).

    Streamlit 1.67's front end, on a page switch, keeps only the parameters of the bound widgets
    it has drawn: the filters sit in a popover drawn only while open, so a switch made without
    opening it (a link just opened, a fresh session) pushed the new page's address without any
    filter, and ``data`` (bound to no widget) was always dropped. The widgets kept their values,
    so the page looked right while the address lost the view (issue 18: 12 of 12 switches).

    Two parts, both needed: ``missing`` — the shared parameters the session holds but the URL
    Streamlit handed this run lacks — are written back into ``st.query_params`` in one message,
    so the server's copy of the URL is whole again (a later URL write does not drop them); and
    a script in the page carries the shared parameters over when the front end pushes another
    page's address, so that history entry is whole too and Back / Forward return to the view
    (one message per parameter, or a whole address pushed after a bare one, would leave entries
    without the filters, where Back would reset them).
    """
    import json
    from urllib.parse import parse_qsl

    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    script = _KEEP_SCRIPT % json.dumps(list(SHARED_PARAMS))
    st.sidebar.html(script, unsafe_allow_javascript=True)
    ctx = get_script_run_ctx()
    if ctx is None:
        return
    if getattr(ctx, "is_history_navigation", False):
        # Back / Forward: the entry's address is the view. Streamlit still drops from it the
        # parameters of widgets it last saw on another page (the filters, made on every page):
        # take them back from the address the browser sent, never from the session.
        raw = parse_qsl(getattr(ctx, "query_string", "") or "", keep_blank_values=True)
        missing = [(k, v) for k, v in raw if k in SHARED_PARAMS and k not in st.query_params]
    if not missing:
        return
    grouped: dict[str, list[str]] = {}
    for key, value in missing:
        grouped.setdefault(key, []).append(value)
    with ctx.session_state.query_params() as qp:
        for key, values in grouped.items():
            qp.set_with_no_forward_msg(key, values if len(values) > 1 else values[0])
        qp._send_query_param_msg()  # one message: one history entry, with every parameter
