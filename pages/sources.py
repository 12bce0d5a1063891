"""Sources: where each event comes from, the articles with their excerpts highlighted,
the cited records, and which events rest on one source or several.
"""

import streamlit as st

from chronology import ui
from chronology.views import render, summaries

app = ui.app()
ds, events = app.ds, app.events
sources = ds.source_rows
names = ds.actor_names

st.title("Sources", anchor=False)
table = summaries.source_table(ds)
st.dataframe(
    table,
    hide_index=True,
    column_config={
        "published": st.column_config.TextColumn(
            "published", help="An estimated date is marked '~ … (estimated)'"
        ),
        "estimated": st.column_config.CheckboxColumn("estimated"),
        "estimate_window": st.column_config.TextColumn("window"),
        "estimate_basis": st.column_config.TextColumn("basis of the estimate", width="large"),
        "address": st.column_config.LinkColumn("address", help="Only http(s) addresses"),
    },
)

# --- the reader ------------------------------------------------------------------------------

st.subheader("Reader", anchor=False)
numbers = render.excerpt_numbers(ds)
source_of = dict(zip(numbers, ds.excerpts["source_id"], strict=True))
current = ui.url_excerpt(source_of)

with_text = [s for s in sources if s in ds.texts]
ids = with_text + [s for s in sources if s not in ds.texts]
chosen = ui.url_choice(
    "source",
    ids[: ui.MAX_OPTIONS],
    valid=sources,
    label="Source",
    key="source_pick",
    format_func=lambda s: (
        sources[s]["title"] if s in ds.texts else f"{sources[s]['title']} (cited)"
    ),
    default=with_text[0] if with_text else None,
    what="source",
)
if current is not None and chosen != source_of[current]:
    current = None  # the excerpt belongs to another source than the one now chosen

if chosen:
    row = sources[chosen]
    st.html(render.source_header_html(row, table.set_index("id").loc[chosen]))
    if chosen in ds.texts:
        marks = render.source_marks(ds, chosen)
        params = list(app.filters.params)
        if current is not None:
            mark = next(m for m in marks if m.number == current)
            st.html(
                render.current_excerpt_html(
                    mark, render.href("", [*params, ("event", mark.event_id)])
                )
            )
        st.html(
            render.reader_html(
                ds.texts[chosen],
                marks,
                lambda eid: render.href("", [*params, ("event", eid)]),
                current,
            )
        )
        scroll_to = f"x-{current}" if current is not None else None
        if st.session_state.get(ui.state.SCROLLED_KEY) != (chosen, scroll_to):
            st.session_state[ui.state.SCROLLED_KEY] = (chosen, scroll_to)
            st.html(render.scroll_script(scroll_to), unsafe_allow_javascript=True)
        st.caption(
            f"{len(marks)} excerpt{'s' if len(marks) != 1 else ''} highlighted; the number after "
            "each opens its event on the Timeline."
        )
    else:
        cited = ds.citations[ds.citations["source_id"] == chosen]
        st.info(
            "A cited public record: no stored text. "
            f"It documents {len(cited)} event{'s' if len(cited) != 1 else ''}.",
            icon=":material/link:",
        )

# --- citations, corroboration ---------------------------------------------------------------

st.subheader("Cited records (citation only)", anchor=False)
st.dataframe(
    summaries.cited_records(ds, table),
    hide_index=True,
    column_config={"address": st.column_config.LinkColumn("address")},
)

st.subheader("Corroboration", anchor=False)
if events.empty:
    ui.empty_state()
    ui.ready("sources", source=chosen or "", excerpt=current or "", events=0)
    st.stop()
counts = summaries.source_counts(ds, events)
single = int((counts == 1).sum())
left, right = st.columns(2)
left.metric("Events on one source", f"{single:,}")
right.metric("Events on several sources", f"{int((counts > 1).sum()):,}")
st.dataframe(summaries.corroboration(ds, events.head(ui.SHOWN_ROWS)), hide_index=True)
st.caption(
    "Among the events the sidebar filters select; a source counts once per event."
    + (f" The table shows the first {ui.SHOWN_ROWS:,}." if len(events) > ui.SHOWN_ROWS else "")
)
ui.ready("sources", source=chosen or "", excerpt=current or "", events=len(events))
