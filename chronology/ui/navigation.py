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
    """Title, icon and wide layout (the entrypoint's first call). Embedded (``?embed=true``,
    in an iframe) the sidebar starts closed: the view is the page's, its filters the URL's."""
    st.set_page_config(
        page_title="Niger chronology",
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
