"""Sources page (placeholder)."""

import streamlit as st

from chronology import ui

app = ui.app()
st.title("Sources", anchor=False)
ui.ready("sources")
