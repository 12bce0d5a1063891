"""The floor of a filter change: a sidebar multiselect that redraws a small Plotly chart.

Run by bench/run.py and bench/measure_filter.py beside the dashboard (``streamlit run
bench/minimal_filter_app.py``): picking an actor in the sidebar reruns the script and the
chart (keyed ``timeline``, 4 points, the names in its layout's ``meta``) changes, as on the
Timeline. It marks itself ready the way the dashboard's pages do, so the same waits apply.
"""

import plotly.graph_objects as go
import streamlit as st

ACTORS = ["Russia", "State 0", "France", "Niger"]
picked = st.sidebar.multiselect("Actors", ACTORS, key="actors")
st.title("Minimal filter app", anchor=False)
y = [10 + len(picked), 11, 12, 13]
fig = go.Figure(go.Scatter(x=[1, 2, 3, 4], y=y, mode="markers", name=", ".join(picked) or "all"))
fig.update_layout(meta={"picked": picked})
st.plotly_chart(fig, key="timeline")
st.html(
    f'<span id="chronology-ready" data-page="minimal" data-events="{4 - len(picked)}" hidden>'
    "</span>"
)
