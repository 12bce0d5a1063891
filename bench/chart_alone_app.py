"""The Timeline's chart alone: the app's sidebar and the chart it draws, nothing else.

Run by bench/run.py (the pick-actor column) and bench/measure_filter.py (``--chart-alone``)
beside the dashboard, with the same data:
picking an actor in the sidebar redraws the same figure the Timeline draws (its default view),
but no headline, step buttons, legend or list. The time a filter change takes here is what
Streamlit and the browser take to draw that figure; the Timeline's own time above it is the
rest of the page.
"""

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from bench/: the package

from chronology import ui
from chronology.data.query import selection
from chronology.views import figures


def chart_alone() -> None:
    """The Timeline's chart of the filtered events, in its default view."""
    app = ui.app()
    ds, events = app.ds, app.events
    story = figures.default_window(events)
    whole = figures.time_window(events, "all")
    window = story if story is not None and story != whole else whole
    _, fig = selection.remembered(
        ds,
        ("chart alone", app.filters.query, window),
        lambda: figures.timeline_chart(ds, events, "actor", app.colours, window=window),
    )
    st.plotly_chart(
        fig,
        key="timeline",
        on_select=lambda: None,  # a selectable chart, as on the Timeline
        selection_mode="points",
        config={"displaylogo": False},
    )
    ui.ready("timeline", events=len(events))


ui.page_config()
page = st.navigation([st.Page(chart_alone, title="Timeline", default=True)])
if ui.start() is None:
    st.stop()
page.run()
