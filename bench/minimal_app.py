"""The floor the dashboard is measured against: a minimal Streamlit + Plotly app (4 points).

Run by bench/run.py side by side with the dashboard (``streamlit run bench/minimal_app.py``);
it marks itself ready the way the dashboard's pages do, so the same wait applies.
"""

import plotly.graph_objects as go
import streamlit as st

st.title("Minimal app", anchor=False)
fig = go.Figure(go.Scatter(x=[1, 2, 3, 4], y=[10, 11, 12, 13], mode="markers"))
st.plotly_chart(fig, key="timeline")
st.html('<span id="chronology-ready" data-page="minimal" hidden></span>')
