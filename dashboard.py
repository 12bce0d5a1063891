"""Entrypoint and router: ``streamlit run dashboard.py [-- --data DIR]``.

Order matters: ``st.navigation`` comes before any widget. With page files in a folder named
``pages/``, a widget created before ``st.navigation`` loses its value and its URL parameter on
the first page switch after a server start (verified on Streamlit 1.67). So: page config,
navigation, then the shared sidebar (``chronology.ui.start``), then the page.
"""

import streamlit as st

from chronology import ui

st.set_page_config(page_title="Niger chronology", page_icon=":material/timeline:", layout="wide")
page = st.navigation(
    [
        st.Page("pages/timeline.py", title="Timeline", icon=":material/timeline:", default=True),
        st.Page("pages/actors.py", title="Actors", icon=":material/groups:"),
        st.Page("pages/sources.py", title="Sources", icon=":material/article:"),
        st.Page("pages/data.py", title="Data", icon=":material/table_view:"),
    ]
)
if ui.start() is None:  # the data set does not validate: its problems are on the page
    st.stop()
page.run()
