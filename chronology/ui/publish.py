"""The view as a page to publish: the "Download HTML" button of the Timeline and Data pages."""

from __future__ import annotations

import streamlit as st

from ..views.html_page import file_name, html_page
from ..views.timeline_layout import Lane, Window
from .session import App


def html_download(
    app: App, lanes: Lane = "actor", window: Window = "story", key: str = "download_html"
) -> None:
    """A button that downloads the current view (the filters in force) as one HTML file.

    The file is built only when the button is clicked (``data`` is a callable), so the page
    opens no slower; the click does not rerun the script (``on_click="ignore"``).
    """
    ds, events, colours, query = app.ds, app.events, app.colours, app.filters.query
    st.download_button(
        "Download HTML",
        data=lambda: html_page(ds, events, colours, query, lanes, window),
        file_name=file_name(ds),
        mime="text/html",
        icon=":material/public:",
        key=key,
        on_click="ignore",
        help="This view as one web page to publish or send: the chart and every event with its "
        "excerpts and citations; it opens from disk, without a network",
    )
