"""Entrypoint and router: ``streamlit run dashboard.py [-- --data DIR]``.

Order matters: ``st.navigation`` comes before any widget. With page files in a folder named
``pages/``, a widget created before ``st.navigation`` loses its value and its URL parameter on
the first page switch after a server start (verified on Streamlit 1.67). So: page config,
navigation, then the shared sidebar (``chronology.ui.start``), then the page.

On the first run after a server start Streamlit runs this script through its old
``pages/``-folder wrapper, under another script id; that run only sets up the navigation and
starts over, so every widget is made under the ids it keeps (see ``ui.legacy_pages_run``).
"""

import streamlit as st

from chronology import ui

ui.page_config()
legacy = ui.legacy_pages_run()
page = st.navigation(ui.pages())  # Timeline (default), Actors, Sources, Data
if legacy:
    st.rerun()
if ui.start() is None:  # the data set does not validate: its problems are on the page
    st.stop()
page.run()
