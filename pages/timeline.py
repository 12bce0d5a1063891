"""Timeline: headline figures, the chart, the chosen event's details, and the list in date order."""

import math

import streamlit as st

from chronology import ui
from chronology.data.query import selection
from chronology.views import figures, render, steps, summaries

LIST_PAGE = 100  # events per page of the list below the chart

app = ui.app()
ds, events, colours = app.ds, app.events, app.colours

# The current event's card: compact, and never taller than the screen below the step buttons
# (it scrolls inside), so it is all on the first screen beside the chart (issue 19).
# Below ~700 px (a phone): the headline figures small, side by side; less room above the title.
PHONE_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 3rem; }
.st-key-event_detail, .st-key-story_intro {
  max-height: max(300px, calc(100dvh - 390px)); overflow-y: auto; gap: 0.5rem;
}
.st-key-event_detail, .st-key-event_detail p, .st-key-event_detail li { font-size: 0.9rem; }
.st-key-event_detail h3.event-title { font-size: 1.25rem; padding-top: 0; }
.st-key-event_detail p, .st-key-event_detail ul { margin-bottom: 0.35rem; }
.st-key-event_detail li { margin-bottom: 0; line-height: 1.4; }
@media (max-width: 640px) {  /* the columns stacked: the chart right under the step buttons */
  .st-key-story_intro { display: none; }
}
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
    if head.fatalities is not None:
        st.metric(
            "Fatalities reported",
            f"{head.fatalities:,}",
            help="The sum of the fatalities the imported file reports for the events shown "
            "(ACLED's counts are conservative estimates).",
            width="content",
        )

if events.empty:
    ui.empty_state()
    ui.ready("timeline", events=0)
    st.stop()

ui.check_choice("lanes", ("event", "actor", "category"))
ui.check_choice("range", ("most events", "all"))
story = figures.default_window(events)
whole = figures.time_window(events, "all")
assert story is not None and whole is not None  # both None only for no events (stopped above)
narrowed = story != whole


def _picked() -> None:
    """Chart selection → the event whose details are shown (and ?event= in the URL)."""
    ids = figures.selected_event_ids(st.session_state.get("timeline"))
    if ids:
        ui.set_choice("event", "event_pick", ids[0])


# The picker sits in a popover, drawn only when opened: the link's unknown event is said here.
linked = st.query_params.get("event")
if linked is not None and linked not in selection.prepared(ds).event_ids:
    ui.notice(f"The link's event {ui.shown(linked)} is not in this data set; it was dropped.")
    del st.query_params["event"]
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
# opens without the front end loading the select box and radio widgets (CHANGELOG.md, 0.3.0).
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
current = None if chosen is None else ds.event(chosen)
if current is None:
    st.caption(steps.caption(step, chosen, len(options)), width="stretch")
else:  # the line names the event (plain text then: no Markdown)
    st.html(
        render.step_line_html(
            steps.caption(step, chosen, len(options)), f"{current.date_display} — {current.title}"
        )
    )

# The current event's card beside the chart (under the step buttons on a phone, the chart
# under it): the card first, so its title is on screen before the chart is drawn.
card, chart_slot = st.columns([2, 3], gap="medium")
with card:
    if current is None:
        with st.container(border=True, key="story_intro"):
            st.markdown(
                "**The current event shows here**, with its date, summary, excerpts and "
                "sources: press *Next* (or →), or click a mark or a title on the chart."
            )
    else:
        with st.container(border=True, key="event_detail"):
            st.html(render.event_detail_html(ds, current, colours))
            if step.index is None:  # the filters leave it out
                st.caption("This event is not among those the current filters show.")
            if current.excerpts:
                st.markdown("**Excerpts**")
            for x in current.excerpts:
                st.html(render.excerpt_html(ds, x.source_id, x.quote, x.basis))
                st.page_link(
                    "pages/sources.py",
                    label=f"Open excerpt {x.number} in its source",
                    icon=":material/format_quote:",
                    # the sidebar's bound parameters follow on their own
                    query_params={"source": x.source_id, "excerpt": str(x.number)},
                )
            if current.citations:
                st.markdown(
                    "**Also cited**" if current.excerpts else "**Citations** (*citation only*)"
                )
                st.html(render.citations_html(current.citations))
            st.button(
                "Close details",
                icon=":material/close:",
                key="close_detail",
                on_click=ui.set_choice,
                args=("event", "event_pick", None),
            )

with chart_slot:
    plot_slot = st.container()  # the chart first; the choices that shape it under it
with (
    chart_slot,
    st.container(key="view_controls"),
    st.popover("Chart view", icon=":material/tune:", key="view_menu"),
):
    lane_choices: list[figures.Lane] = ["event", "actor", "category"]
    lanes = st.radio(
        "One lane per",
        lane_choices,
        format_func=lambda lane: {"event": "event (titled)"}.get(lane, lane),
        key="lanes",
        bind="query-params",
        horizontal=True,
        help=f"A row per event, titled on the chart (up to {figures.EVENT_ROWS_MAX:,} events), "
        "or a lane per actor or per category.",
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
with plot_slot:
    if n_marks > figures.MAX_MARKS:
        st.caption(figures.counts_caption(n_marks, fig))
    elif lanes == "event" and fig.layout.meta["lanes"] != "event":
        st.caption(
            f"{len(events):,} events are too many for a row each: one lane per actor. "
            "Narrow the filters for a row per event."
        )
    st.plotly_chart(
        fig,
        key="timeline",
        on_select=_picked,
        selection_mode="points",
        config={"displaylogo": False},
    )
    if n_marks <= figures.MAX_MARKS:
        solid = bool((fig.layout.meta or {}).get("solid"))
        st.html(render.timeline_legend_html(figures.families_drawn(fig), solid=solid))
        cited = (
            "Every event here is citation only (no stored article quotes it), so all are "
            "drawn solid. "
            if solid
            else "Hollow or light marks are citation only. "
        )
        st.caption(
            "A dot is an event known to the day; a bar a period; a hatched bar a date known only "
            "to the month or year, drawn over all of it. "
            + cited
            + "Grey lines and bands mark the key milestones (hover a label for the event); an "
            "orange band the current event. Drag the slider under the chart to pan, or its "
            "handles to zoom; double-click the chart for the whole span. Click a mark for its "
            "details."
        )

st.subheader("Events in date order", anchor=False)
ui.html_download(app, lanes, window)
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
