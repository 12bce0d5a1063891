"""Data: the filtered events as a table, downloads, the validation status, the data dictionary."""

from typing import Literal

import streamlit as st

from chronology import ui
from chronology.data.schema import load_schema
from chronology.formats import timelinejs
from chronology.views import export, summaries
from chronology.views.escape import md_code

app = ui.app()
ds, events = app.ds, app.events

st.title("Data", anchor=False)
st.success(
    f"The data set validates: {ds.summary()}.",
    icon=":material/verified:",
)
st.caption(f"Data set: {md_code(app.name)}, checked against the schema in datapackage.json.")

st.subheader("Events", anchor=False)
st.caption(
    f"{len(events):,} of {len(ds.events):,} events, as the sidebar filters select them"
    + (f"; the first {ui.SHOWN_ROWS:,} are shown here." if len(events) > ui.SHOWN_ROWS else ".")
)
if events.empty:
    ui.empty_state()
else:
    st.dataframe(
        # start and end (the first and last day a date covers) stay in the downloads, beside
        # precision: on screen "2012-01-01" would read as a day the sources never gave
        export.events_table(ds, events.head(ui.SHOWN_ROWS)).drop(columns=["start", "end"]),
        hide_index=True,
        column_config={
            "summary": st.column_config.TextColumn("summary", width="large"),
            "excerpts": st.column_config.TextColumn("excerpts", width="large"),
        },
    )

st.subheader("Download", anchor=False)
lane_options: list[Literal["actor", "category"]] = ["actor", "category"]
lanes = st.radio(
    "TimelineJS groups the events by",
    lane_options,
    format_func=lambda v: {"actor": "leading actor", "category": "category"}[v],
    horizontal=True,
    key="timelinejs_lanes",
)
cols = st.columns(4)
cols[0].download_button(
    "Download CSV",
    data=lambda: export.to_csv(export.events_table(ds, events)),
    file_name="events.csv",
    mime="text/csv",
    icon=":material/table_view:",
    key="download_csv",
    on_click="ignore",
    help="Spreadsheet-safe: cells that would start a formula begin with '",
)
cols[1].download_button(
    "Download JSON",
    data=lambda: export.to_json(ds, events),
    file_name="events.json",
    mime="application/json",
    icon=":material/data_object:",
    key="download_json",
    on_click="ignore",
    help="Each event with its actors, excerpts and citations",
)
cols[2].download_button(
    "Download TimelineJS3",
    data=lambda: timelinejs.to_timelinejs(ds, events, lanes=lanes),
    file_name="timeline.json",
    mime="application/json",
    icon=":material/view_timeline:",
    key="download_timelinejs",
    on_click="ignore",
    help="Knight Lab's TimelineJS format; one group per lane",
)
cols[3].download_button(
    "Download TimelineJS sheet",
    data=lambda: timelinejs.to_sheet(ds, events, lanes=lanes),
    file_name="timeline-sheet.csv",
    mime="text/csv",
    icon=":material/grid_on:",
    key="download_timelinejs_sheet",
    on_click="ignore",
    help="The rows of Knight Lab's Google Sheets template (paste them in), title row first",
)
ui.html_download(app, lanes)  # the view as one web page: the chart and every event

st.subheader("Data dictionary", anchor=False)
schema = load_schema()
st.caption("The tables and fields every data set here is read into (datapackage.json).")
for resource in schema.resources:
    with st.expander(f"{resource.path} — {resource.title}"):
        st.write(resource.description)
        st.dataframe(summaries.data_dictionary(resource), hide_index=True)
        if keys := summaries.key_summary(resource):
            st.caption(keys)
ui.ready("data", events=len(events))
