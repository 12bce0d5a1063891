"""Timeline: headline figures, the chart, the chosen event's details, and the list in date order."""

import math

import streamlit as st

from chronology import figures, render, selection, summaries, ui

LIST_PAGE = 100  # events per page of the list below the chart

app = ui.app()
ds, events, colours = app.ds, app.events, app.colours

st.title("Timeline", anchor=False)
head = summaries.headline(ds, events)
cols = st.columns([3, 3, 2, 2])
cols[0].metric("Events shown", f"{head.shown:,} / {head.total:,}")
cols[1].metric("Span", head.span if len(head.span) <= 22 else head.span_years, help=head.span)
cols[2].metric("Actors", f"{head.actors:,}")
cols[3].metric("Sources", f"{head.sources:,}")

if events.empty:
    ui.empty_state()
    ui.ready("timeline", events=0)
    st.stop()

ui.check_choice("lanes", ("actor", "category"))
left, right = st.columns([1, 2])
lanes = left.radio(
    "One lane per", ["actor", "category"], key="lanes", bind="query-params", horizontal=True
)


def _picked() -> None:
    """Chart selection → the event whose details are shown (and ?event= in the URL)."""
    ids = figures.selected_event_ids(st.session_state.get("timeline"))
    if ids:
        ui.set_choice("event", "event_pick", ids[0])


labels = summaries.event_labels(events.head(ui.MAX_OPTIONS))
options = list(labels)


def _label(eid: str) -> str:
    """'July 2023 — Military coup ousts President Bazoum' for the event picker."""
    if eid not in labels:  # an event from the link, beyond the first options
        row = ds.events.loc[ds.events["id"] == eid].iloc[0]
        labels[eid] = f"{row['date_display']} — {row['title']}"
    return labels[eid]


with right:
    chosen = ui.url_choice(
        "event",
        options,
        valid=selection.prepared(ds).event_ids,
        label="Event details",
        key="event_pick",
        format_func=_label,
        placeholder="Click an event on the chart, or choose one here",
        what="event",
    )

n_marks = figures.mark_count(ds, events, lanes)
if n_marks > figures.MAX_MARKS:
    fig = figures.density_figure(ds, events, lanes)
    cut = fig.layout.meta["lanes_cut"]
    st.caption(
        f"{n_marks:,} marks are too many to draw one by one: the chart counts the events "
        "starting in each lane and period"
        + (f", in the {len(fig.data[0].y)} busiest lanes ({cut:,} more not drawn)" if cut else "")
        + ". Narrow the filters to see single events."
    )
else:
    fig = figures.timeline_figure(ds, events, lanes, colours)
st.plotly_chart(
    fig,
    key="timeline",
    on_select=_picked,
    selection_mode="points",
    config={"displaylogo": False},
)
if n_marks <= figures.MAX_MARKS:
    st.caption(
        "A dot is an event known to the day; a bar a period; a hatched bar a date known only "
        "to the month or year, drawn over all of it. Hollow or light marks are citation only. "
        "Grey lines and bands mark the key milestones (hover a label for the event). The "
        "buttons above the legend zoom to the last months or years shown, the slider below "
        "pans. Click a mark for its details."
    )

if chosen:
    detail = ds.event(chosen)
    with st.container(border=True, key="event_detail"):
        st.subheader("Event details", anchor=False)
        st.html(render.event_detail_html(ds, detail, colours))
        if chosen not in set(events["id"]):
            st.caption("This event is not among those the current filters show.")
        numbers = render.excerpt_numbers(ds)
        xs = ds.excerpts[ds.excerpts["event_id"] == chosen]
        if len(xs):
            st.markdown("**Excerpts**")
        for idx, x in xs.iterrows():
            n = int(numbers[idx])
            st.html(render.excerpt_html(ds, x["source_id"], x["quote"], x["basis"]))
            st.page_link(
                "pages/sources.py",
                label=f"Open excerpt {n} in its source",
                icon=":material/format_quote:",
                # the sidebar's bound parameters follow on their own
                query_params={"source": x["source_id"], "excerpt": str(n)},
            )
        if detail.citations:
            st.markdown("**Citations** (no stored text: *citation only*)")
            st.html(render.citations_html(detail.citations))
        st.button(
            "Close details",
            icon=":material/close:",
            key="close_detail",
            on_click=ui.set_choice,
            args=("event", "event_pick", None),
        )

st.subheader("Events in date order", anchor=False)
pages = math.ceil(len(events) / LIST_PAGE)
page_no = 1
if pages > 1:
    page_no = int(st.number_input("List page", 1, pages, 1, key="list_page"))
    first = (page_no - 1) * LIST_PAGE
    st.caption(
        f"Events {first + 1}–{min(first + LIST_PAGE, len(events))} of {len(events):,}; "
        "the Data page downloads them all."
    )
first = (page_no - 1) * LIST_PAGE
st.html(
    render.event_list_html(ds, events.iloc[first : first + LIST_PAGE], colours, app.filters.params)
)
ui.ready("timeline", events=len(events))
