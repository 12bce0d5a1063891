"""Import: upload your own timeline; every page then shows it, in this browser session only."""

import streamlit as st

from chronology import formats, ui

app = ui.app()

st.title("Import your own timeline", anchor=False)
st.markdown(
    "Upload a table of events and every page shows **your** timeline, with the filters "
    "working on it. It stays **in this browser session only**: it is read in the server's "
    "memory and never written to disk by this app, nobody else sees it, and closing the tab "
    "forgets it. The layout is recognised from the header row:\n"
    "- **TimelineJS sheet** (Knight Lab's Google Sheets template, *File → Download → CSV*): "
    "`Year, Month, Day, …, Headline, Text, Media, Media Credit, …, Alt Text, Type, Group` "
    "(or a v1 sheet's `Start Date, End Date, …, Tag`). Or a TimelineJS3 `.json` file.\n"
    "- **ACLED export** (acleddata.com's export tool, CSV): `event_date, time_precision, "
    "event_type, actor1, assoc_actor_1, inter1, actor2, …, location, source, notes, "
    "fatalities, tags, …` (the 31-column export); roles follow the event type.\n"
    "- **Plain events table**, one row per event: `date, end_date, title, summary, actors` "
    "(separated by `;`), `category, source_title, source_address, source_published, quote`.\n"
    "- **This dashboard's data package** as a `.zip` of its folder (the CSV tables and "
    "`sources/`).\n\n"
    "Each row becomes a *citation only* event citing what the row says of its source; a "
    "quote in the row is shown as the row's quote, never as a verified excerpt. Dates keep "
    "their precision (a year stays a year); rows that cannot be dated are listed, not guessed, "
    "and you may load the good rows and skip those. Nothing the file does not say is filled "
    "in: a source without a publication date in the file shows *date unknown*. "
    f"Files up to {formats.MAX_UPLOAD // 2**20} MB and {formats.MAX_ROWS:,} rows; the command "
    "line (`python -m chronology import FILE FOLDER`) takes larger files."
)
layout = st.selectbox(
    "Layout",
    [None, *formats.LAYOUTS],
    format_func=lambda v: "recognise it from the header" if v is None else v,
    key="import_layout",
)
day_order = st.radio(
    "Dates like 03/04/2024 are",
    [None, *formats.DAY_ORDERS],
    format_func=lambda v: {
        None: "not said: list them to fix",
        "dayfirst": "day first (3 April 2024)",
        "monthfirst": "month first (March 4, 2024)",
    }[v],
    horizontal=True,
    key="import_day_order",
    help="A date such as 15/03/2024 reads one way only and is always imported.",
)
upload = st.file_uploader(
    "Your file: CSV, TimelineJS3 JSON, or a .zip of a data package",
    type=["csv", "json", "zip"],
    key=ui.upload_key(),
    max_upload_size=formats.MAX_UPLOAD // 2**20,
)
if upload is not None:
    ui.show_import(ui.take_upload(upload.name, upload.getvalue(), layout, day_order=day_order))
ui.ready("upload", events=len(app.ds.events))
