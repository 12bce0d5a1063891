"""Actors page (placeholder)."""

import streamlit as st

from chronology import ui

app = ui.app()
st.title("Actors", anchor=False)
ui.ready("actors")
