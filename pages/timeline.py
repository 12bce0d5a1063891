"""Timeline: headline figures, the chart, the chosen event's details, and the list in date order."""

import math

import streamlit as st

from chronology import ui
from chronology.data.query import selection
from chronology.views import figures, render, steps, summaries

LIST_PAGE = 100  # events per page of the list below the chart

app = ui.app()
ds, events, colours = app.ds, app.events, app.colours

# Below ~700 px (a phone): the headline figures small, side by side; less room above the title.
PHONE_CSS = """<style>
@media (max-width: 700px) {
  [data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
  .st-key-headline { gap: 0.75rem; }
  .st-key-headline [data-testid="stMetric"] { min-width: 0; }
  .st-key-headline [data-testid="stMetricValue"] > div { font-size: 1.25rem; }
  .st-key-headline [data-testid="stMetricLabel"] p { font-size: 0.75rem; }
}
</style>"""

st.html(PHONE_CSS)
st.title("Timeline", anchor=False)
head = summaries.headline(ds, events)
with st.container(horizontal=True, key="headline", gap="medium"):
    st.metric("Events shown", f"{head.shown:,} / {head.total:,}", width="content")
    st.metric(
        "Span",
        head.span if len(head.span) <= 22 else head.span_years,
        help=head.span,
        width="content",
    )
    st.metric("Actors", f"{head.actors:,}", width="content")
    st.metric("Sources", f"{head.sources:,}", width="content")

if events.empty:
    ui.empty_state()
    ui.ready("timeline", events=0)
    st.stop()

ui.check_choice("lanes", ("actor", "category"))
ui.check_choice("range", ("most events", "all"))
story = figures.default_window(events)
whole = figures.time_window(events, "all")
narrowed = story is not None and whole is not None and story != whole


def _picked() -> None:
    """Chart selection → the event whose details are shown (and ?event= in the URL)."""
    ids = figures.selected_event_ids(st.session_state.get("timeline"))
    if ids:
        ui.set_choice("event", "event_pick", ids[0])


before = steps.step_of(events, st.query_params.get("event"), ds.events)
labels = summaries.event_labels(steps.picker_rows(events, before.index))
options = list(labels)


def _label(eid: str) -> str:
    """'July 2023 — Military coup ousts President Bazoum' for the event picker."""
    if eid not in labels:  # an event from the link, beyond the options
        row = ds.events.loc[ds.events["id"] == eid].iloc[0]
        labels[eid] = f"{row['date_display']} — {row['title']}"
    return labels[eid]


with st.container(horizontal=True, key="stepper", vertical_alignment="bottom"):
    step_buttons = st.container(horizontal=True, width="content", gap="small")
    picker = st.container(width="stretch")
# The picker and the chart's view choices sit in popovers, drawn only when opened: a page
# opens without the front end loading the select box and radio widgets (bench/README.md).
with picker, st.popover("Choose an event", icon=":material/search:", key="event_menu"):
    chosen = ui.url_choice(
        "event",
        options,
        valid=selection.prepared(ds).event_ids,
        label="Event details",
        key="event_pick",
        format_func=_label,
        placeholder="Click an event on the chart, step through them, or choose one here",
        what="event",
    )
step = steps.step_of(events, chosen, ds.events)
with step_buttons:
    for label, icon, target, shortcut, key, where in (
        ("Previous", "arrow_back", step.previous, "Left", "step_prev", "before, in date order (←)"),
        ("Next", "arrow_forward", step.next, "Right", "step_next", "after, in date order (→)"),
    ):
        st.button(
            label,
            icon=f":material/{icon}:",
            key=key,
            disabled=target is None,
            on_click=ui.set_choice,
            args=("event", "event_pick", target),
            shortcut=shortcut,
            help=f"The event {where}",
        )
st.caption(steps.caption(step, chosen, len(options)), width="stretch")

chart_slot = st.container()  # the chart first; the choices that shape it under it
with (
    st.container(key="view_controls"),
    st.popover("Chart view", icon=":material/tune:", key="view_menu"),
):
    lanes = st.radio(
        "One lane per", ["actor", "category"], key="lanes", bind="query-params", horizontal=True
    )
    # Both choices always, the radio disabled when most events already fill the whole span:
    # a filter that narrows nothing leaves the reader's choice as it was, for after it.
    shown = st.radio(
        "Time shown",
        ["most events", "all"],
        captions=[steps.range_label(story, whole=not narrowed), steps.range_label(whole, True)],
        key="range",
        bind="query-params",
        horizontal=True,
        disabled=not narrowed,
        help="The chart opens on the shortest period holding most events; the slider under "
        "it shows, and pans over, the whole span."
        + ("" if narrowed else " Here most events already fill the whole span."),
    )
window = story if narrowed and shown == "most events" else whole  # computed once, above


# The same view (the default one every visitor opens, a rerun that changes nothing on the
# chart) reuses its figure: the events follow from the data set and the query.
n_marks, fig = selection.remembered(
    ds,
    ("timeline", app.filters.query, lanes, window, chosen),
    lambda: figures.timeline_chart(ds, events, lanes, colours, window=window, current=chosen),
)
with chart_slot:
    if n_marks > figures.MAX_MARKS:
        st.caption(figures.counts_caption(n_marks, fig))
    st.plotly_chart(
        fig,
        key="timeline",
        on_select=_picked,
        selection_mode="points",
        config={"displaylogo": False},
    )
    if n_marks <= figures.MAX_MARKS:
        st.html(render.timeline_legend_html(figures.families_drawn(fig)))
        st.caption(
            "A dot is an event known to the day; a bar a period; a hatched bar a date known only "
            "to the month or year, drawn over all of it. Hollow or light marks are citation only. "
            "Grey lines and bands mark the key milestones (hover a label for the event); an orange "
            "band the current event. Drag the slider under the chart to pan, or its handles to "
            "zoom; double-click the chart for the whole span. Click a mark for its details."
        )

if chosen:
    detail = ds.event(chosen)
    with st.container(border=True, key="event_detail"):
        st.subheader("Event details", anchor=False)
        st.html(render.event_detail_html(ds, detail, colours))
        if step.index is None:  # the filters leave it out
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
            st.markdown("**Also cited**" if len(xs) else "**Citations** (*citation only*)")
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
