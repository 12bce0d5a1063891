"""Data page (placeholder)."""

import streamlit as st

from chronology import ui

app = ui.app()
st.title("Data", anchor=False)
ui.ready("data")
