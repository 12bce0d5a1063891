"""A view published as one HTML file: it opens from disk with no network at all.

Usage::

    page = html_page(ds, events, colours, query=filters.query, lanes="actor")  # bytes

The file holds the data set's title, a line naming the filters that made the view, the
Timeline's chart (interactive: plotly.js, which the plotly package ships, is inlined), its
legend, then every event in view as a card in date order, rendered by the same functions as the
Timeline's details (:mod:`chronology.views.render`): title, summary, date and its basis,
actors, excerpts with their source, citations with links. Every text from the data goes
through :func:`~chronology.views.escape.esc_html`; the figure travels as base64 of its JSON, read
by the page's own script, so no data text stands in a script. Nothing in it loads from
elsewhere: no CDN script, web font or remote image (citations are links a reader may follow).
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Mapping
from datetime import UTC, datetime

import pandas as pd
import plotly.io as pio
from plotly.offline import get_plotlyjs

from ..data.dataset import DataSet, EventDetail
from ..data.query.filters import Query
from . import figures
from .escape import esc_html
from .render import (
    STYLE,
    citations_html,
    event_detail_html,
    excerpt_html,
    timeline_legend_html,
)
from .timeline_layout import Lane, Window

__all__ = ["MAX_CARDS", "file_name", "filters_line", "html_page"]

MAX_CARDS = 2_000
"""Events written as cards at most (the chart shows them all; the Data page downloads all)."""

PAGE_CSS = """
:root { color-scheme: light dark; --rule: rgba(128, 128, 128, 0.35); }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 70rem; padding: 1rem clamp(0.75rem, 3vw, 2rem) 3rem;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  overflow-wrap: anywhere; }
h1 { font-size: clamp(1.35rem, 4vw, 2rem); line-height: 1.2; margin: 0.5rem 0; }
h2 { font-size: 1.2rem; margin: 2rem 0 0.75rem; }
.view { opacity: 0.85; margin: 0.25rem 0; }
#chart { width: 100%; }
.cards { display: grid; gap: 1rem; }
.card { border: 1px solid var(--rule); border-radius: 0.5rem; padding: 0.75rem 1rem;
  scroll-margin-top: 1rem; }
.card:target { outline: 3px solid #0072B2; }
.card h3 { margin: 0 0 0.4rem; font-size: 1.1rem; }
.card h4 { margin: 0.75rem 0 0.25rem; font-size: 0.95rem; }
.card ul { padding-left: 1.2rem; margin: 0.25rem 0; }
.card a { display: inline-block; min-height: 24px; }
body .chronology.legend .swatch { white-space: normal; }
footer { margin-top: 2rem; font-size: 0.85rem; opacity: 0.8; }
@media (max-width: 700px) {
  body { font-size: 15px; }
  .card { padding: 0.6rem 0.7rem; }
}
"""

SCRIPT = """
(() => {
  const node = document.getElementById("figure");
  const bytes = Uint8Array.from(atob(node.dataset.figure), (c) => c.charCodeAt(0));
  const fig = JSON.parse(new TextDecoder().decode(bytes));
  const layout = Object.assign({}, fig.layout, {autosize: true});
  delete layout.width;
  Plotly.newPlot("chart", fig.data, layout,
    {displaylogo: false, responsive: true, scrollZoom: false}).then((gd) => {
    gd.on("plotly_click", (ev) => {
      const point = ev && ev.points && ev.points[0];
      let id = point && point.customdata;
      if (Array.isArray(id)) id = id[0];
      if (typeof id !== "string") return;
      const card = document.getElementById("event-" + id);
      if (card) { card.scrollIntoView({behavior: "smooth", block: "start"}); card.focus(); }
    });
  });
})();
"""


@functools.cache
def _plotly_js() -> str:
    """plotly.js as the installed plotly package ships it (about 4.8 MB), read once."""
    return get_plotlyjs()


def filters_line(ds: DataSet, query: Query) -> str:
    """The filters that made the view, in words (plain text): 'Every event: no filter.' or
    e.g. 'Filtered by actors: Russia, Niger (any of them) · from 2024-01-01 · search: "base"'."""
    names = ds.actor_names
    categories = dict(zip(ds.categories["id"], ds.categories["name"], strict=True))
    parts = []
    if query.actors:
        match = "all of them" if query.actor_match == "all" else "any of them"
        listed = ", ".join(names.get(a, a) for a in query.actors)
        parts.append(f"actors: {listed}" + (f" ({match})" if len(query.actors) > 1 else ""))
    if query.categories:
        parts.append("categories: " + ", ".join(categories.get(c, c) for c in query.categories))
    if query.statuses:
        parts.append("statuses: " + ", ".join(query.statuses))
    if query.start:
        parts.append(f"from {query.start.isoformat()}")
    if query.end:
        parts.append(f"to {query.end.isoformat()}")
    if query.text.strip():
        parts.append(f"search: “{' '.join(query.text.split())}”")
    if not query.citation_only:
        parts.append("citation-only events left out")
    return ("Filtered by " + " · ".join(parts)) if parts else "Every event: no filter."


def file_name(ds: DataSet) -> str:
    """A file name for the page: the data set's title as a slug, '.html'."""
    words = "".join(c if c.isalnum() else " " for c in (ds.title or "chronology").lower())
    return "-".join(words.split()[:8])[:80].strip("-") + ".html" if words.split() else "view.html"


def _inner(fragment: str) -> str:
    """A render.py block without its style sheet (the page carries :data:`STYLE` once)."""
    return fragment.removeprefix(STYLE)


def _card(ds: DataSet, detail: EventDetail, colours: dict[str, str]) -> str:
    """One event as the Timeline's details draw it: details, excerpts, citations."""
    parts = [_inner(event_detail_html(ds, detail, colours))]
    if detail.excerpts:
        parts.append("<h4>Excerpts</h4>")
        parts += [_inner(excerpt_html(ds, x.source_id, x.quote, x.basis)) for x in detail.excerpts]
    if detail.citations:
        parts.append("<h4>Citations (no stored text: citation only)</h4>")
        parts.append(_inner(citations_html(detail.citations)))
    return (
        f'<article class="card" id="event-{esc_html(detail.id)}" tabindex="-1">'
        + "".join(parts)
        + "</article>"
    )


def _figure_data(fig: object) -> str:
    """The figure's JSON as base64: an attribute value with nothing in it to interpret."""
    text = pio.to_json(fig, validate=False, engine="json")
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def html_page(
    ds: DataSet,
    events: pd.DataFrame,
    colours: Mapping[str, str],
    query: Query | None = None,
    lanes: Lane = "actor",
    window: Window = "story",
    made: datetime | None = None,
) -> bytes:
    """The view as one self-contained HTML page (UTF-8 bytes); see the module's docstring.

    ``events`` are the events in view, in date order (as the filters select them); ``query``
    the filters that selected them, named in a line under the title.
    """
    title = ds.title or "Chronology"
    n_marks, fig = figures.timeline_chart(ds, events, lanes, dict(colours), window=window)
    fig.update_layout(width=None, autosize=True)
    legend = (
        _inner(timeline_legend_html(figures.families_drawn(fig)))
        if n_marks <= figures.MAX_MARKS
        else f"<p>{esc_html(figures.counts_caption(n_marks, fig))}</p>"
    )
    shown = events.head(MAX_CARDS)
    palette = dict(colours)
    cards = "".join(_card(ds, d, palette) for d in ds.details(shown["id"].tolist()))
    more = (
        f'<p class="view">The first {MAX_CARDS:,} of {len(events):,} events are written out '
        "here; the chart shows them all.</p>"
        if len(events) > MAX_CARDS
        else ""
    )
    when = (made or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    view = filters_line(ds, query or Query())
    lane_words = "one lane per actor" if lanes == "actor" else "one lane per category"
    hint = (
        ". Click a mark to go to its event."
        if n_marks <= figures.MAX_MARKS
        else f", as counts ({n_marks:,} marks are too many to draw one by one)."
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc_html(title)}</title>\n"
        f"<style>{PAGE_CSS}</style>\n{STYLE}\n"
        f"<script>{_plotly_js()}</script>\n"
        "</head>\n<body>\n"
        f'<header><h1 id="title">{esc_html(title)}</h1>'
        f'<p class="view" id="view">{esc_html(view)}</p>'
        f'<p class="view">{len(events):,} of {len(ds.events):,} events; the chart: '
        f"{lane_words}{hint}</p></header>\n"
        f'<main><div id="figure" data-figure="{_figure_data(fig)}" hidden></div>'
        f'<div id="chart" role="figure" aria-label="Timeline chart of the events"></div>\n'
        f'<div class="chronology">{legend}</div>\n'
        f'<h2>Events in date order</h2>{more}<div class="chronology cards">{cards}</div>'
        "</main>\n"
        f"<footer>Made {esc_html(when)} from the data set “{esc_html(title)}”. Excerpts are quoted "
        "verbatim from their sources, with attribution; citations link to the public "
        "records.</footer>\n"
        f"<script>{SCRIPT}</script>\n</body>\n</html>\n"
    ).encode()
