"""Actors: who is who, one actor's activity, who acted on whom, and how Niger's partners shifted."""

from typing import Literal

import streamlit as st

from chronology import ui
from chronology.data import frames
from chronology.data.query import actor_tree
from chronology.views import actor_figures, render, summaries

app = ui.app()
ds, events, colours = app.ds, app.events, app.colours
names = ds.actor_names

st.title("Actors", anchor=False)
if ds.actors.empty:  # e.g. an imported TimelineJS sheet: it has no actor column
    st.info("This data set names no actors.", icon=":material/groups:")
    ui.ready("actors", events=len(events))
    st.stop()
st.html(render.swatches_html(ds, colours))
st.caption("One colour per top-level actor, on every page; actors inside it share its colour.")

st.subheader("Directory", anchor=False)
directory = summaries.actor_directory(ds)
st.dataframe(
    directory,
    hide_index=True,
    # the counts before the long descriptions, so they are not cut off at the right
    column_order=("name", "events", "events_with_children", "kind", "parent", "id", "description"),
    column_config={
        "id": st.column_config.TextColumn("id", help="Use it in links: ?actor=<id>"),
        "events": st.column_config.NumberColumn("events", help="Events it takes part in itself"),
        "events_with_children": st.column_config.NumberColumn(
            "with children", help="Events of the actor or any actor inside it"
        ),
    },
)

if events.empty:  # the charts below count the events the filters select
    ui.empty_state()
    ui.ready("actors", events=0)
    st.stop()

st.subheader("Activity over time", anchor=False)
order = actor_tree.actor_order(ds)
chosen_filter = [a for a in app.filters.query.actors if a in names]
busiest = directory.sort_values("events_with_children", ascending=False)["id"].iloc[0]
left, right = st.columns([3, 1])
with left:
    actor = ui.url_choice(
        "actor",
        order,
        label="Actor",
        key="actor_pick",
        format_func=lambda a: names.get(a, a),
        default=chosen_filter[0] if chosen_filter else busiest,
        what="actor",
    )
children = right.toggle("Include the actors inside it", value=True, key="actor_children")
if actor:
    st.plotly_chart(
        actor_figures.activity_figure(ds, events, actor, children, colours),
        key="activity",
        config={"displaylogo": False},
    )
    st.caption("Among the events the sidebar filters select.")

st.subheader("Who acted on whom", anchor=False)
level_options: list[Literal["actor", "family"]] = ["family", "actor"]
level = st.radio(
    "Count",
    level_options,
    format_func=lambda v: {"family": "top-level actors", "actor": "each actor"}[v],
    horizontal=True,
    key="relations_level",
)
table = summaries.relations(ds, events, level)
relations_fig = actor_figures.relations_figure(ds, events, level, table=table)
st.plotly_chart(relations_fig, key="relations", config={"displaylogo": False})
if relations_fig.layout.meta["pairs"] and relations_fig.layout.meta["cut"]:
    st.caption("The matrix shows the 30 actors and the 30 targets in the most relations.")
st.caption(
    "A cell counts the events in which the row's actor (role 'actor') acted on the column's "
    "(role 'target'), among the events the filters select."
)
if len(table):
    with st.expander("The relations as a table"):
        st.dataframe(
            table.assign(
                source=frames.lookup(table["source"], names),
                target=frames.lookup(table["target"], names),
            ).rename(columns={"source": "actor"}),
            hide_index=True,
        )

st.subheader("Partners over time", anchor=False)
top_of = actor_tree.roots(ds)
tops = [a for a in order if top_of[a] == a]
focal_default = "niger" if "niger" in tops else busiest
focal = st.selectbox(
    "Whose partners",
    tops,
    index=tops.index(focal_default) if focal_default in tops else 0,
    format_func=lambda a: names.get(a, a),
    key="focal",
)
shared = summaries.partner_relations(ds, focal, events)
st.plotly_chart(
    actor_figures.partners_figure(ds, focal, colours=colours, table=shared),
    key="partners",
    config={"displaylogo": False},
)
st.caption(
    "Events shared with each other top-level actor, per year: above the line when both act "
    "or take part, below when one is the target of the other. Armed groups are left out."
)
partners = actor_figures.default_partners(ds, focal, table=shared)
summary = summaries.partner_summary(ds, focal, table=shared)
dates = [c for c in summary.columns if c.startswith(("first ", "last "))]
st.dataframe(
    # no date (nothing together, or nothing against each other): a dash, not 'None'
    summary[summary["id"].isin(partners)].assign(
        **{c: summary[c].map(lambda d: d or "—") for c in dates}
    ),
    hide_index=True,
)
ui.ready("actors", actor=actor or "", events=len(events))
