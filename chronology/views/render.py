"""Untrusted text made safe to show, and the HTML blocks the pages render (no Streamlit here).

Every title, summary, quote, name and address in a data set is untrusted: it reaches the page
only through an escape of :mod:`chronology.views.escape` (HTML here) or a dataframe. Addresses
become links only when they are http(s) (:func:`~chronology.views.escape.safe_url`).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from urllib.parse import urlencode

import numpy as np
import pandas as pd

from ..data.dataset import FIELD_LABELS, CitationView, DataSet, EventDetail, publication_label
from ..data.dates.partial import DateError, parse_partial
from ..data.query.selection import event_mask, on_rows, prepared
from .escape import esc_html, safe_url
from .timeline_layout import NO_CATEGORY

__all__ = [
    "STYLE",
    "Mark",
    "backing_html",
    "citations_html",
    "current_excerpt_html",
    "event_detail_html",
    "event_list_html",
    "excerpt_html",
    "excerpt_numbers",
    "href",
    "reader_html",
    "scroll_script",
    "source_header_html",
    "source_marks",
    "swatches_html",
    "timeline_legend_html",
]

STYLE = """<style>
.chronology mark.excerpt { background: rgba(230, 159, 0, 0.35); color: inherit;
  padding: 0 0.1em; border-radius: 0.2em; }
.chronology mark.excerpt > mark.excerpt { background: none; padding: 0; }
.chronology mark.excerpt.current { background: rgba(86, 180, 233, 0.45);
  outline: 2px solid #0072B2; }
.chronology .badge { display: inline-block; border: 1px solid currentColor; border-radius: 0.6em;
  padding: 0 0.45em; font-size: 0.8em; opacity: 0.85; }
.chronology .event-item { margin: 0 0 1.1rem 0; padding-left: 0.7rem;
  border-left: 3px solid rgba(128, 128, 128, 0.35); }
.chronology .event-item h4 { margin: 0 0 0.15rem 0; padding: 0; font-size: 1.05rem; }
.chronology .meta { opacity: 0.8; font-size: 0.9em; margin: 0.1rem 0; }
.chronology blockquote { margin: 0.3rem 0 0.3rem 0.2rem; padding-left: 0.7rem;
  border-left: 3px solid rgba(230, 159, 0, 0.7); }
.chronology .dot { font-size: 1.1em; }
.chronology a { color: inherit; text-decoration: underline;
  text-decoration-color: rgba(86, 180, 233, 0.9); text-decoration-thickness: 2px; }
.chronology .swatch { white-space: nowrap; margin-right: 0.9em; }
.chronology.legend { display: flex; flex-wrap: wrap; gap: 0.2rem 0.9rem; font-size: 0.85rem;
  margin: 0; }
.chronology .key { white-space: nowrap; display: inline-flex; align-items: center; gap: 0.35em; }
.chronology .mark { display: inline-block; width: 0.8em; height: 0.8em; box-sizing: border-box;
  border: 2px solid #777; }
.chronology .mark.point { border-radius: 50%; background: #777; }
.chronology .mark.hollow { border-radius: 50%; }
.chronology .mark.period { width: 1.6em; height: 0.6em; background: #777; }
.chronology .mark.span { width: 1.6em; height: 0.6em; border-width: 1px;
  background: repeating-linear-gradient(-45deg, #777 0 2px, rgba(119,119,119,0.25) 2px 5px); }
.chronology .mark.light { width: 1.6em; height: 0.6em; border-width: 1px;
  background: rgba(119,119,119,0.25); }
.chronology .badge.disputed { color: #D55E00; }
.chronology ul.backing { margin-top: 0; }
.chronology .unbacked { color: #D55E00; }
.chronology .mark.disputed { border: none; width: auto; height: auto; color: #D55E00;
  font-weight: bold; }
.chronology .mark.disputed::before { content: "?"; }
.chronology.step-line { opacity: 0.65; font-size: 0.875rem; margin: 0; }
.chronology .reader { white-space: pre-wrap; line-height: 1.6; max-width: 55rem; }
.chronology .reader sup a { text-decoration: none; font-size: 0.75em; display: inline-block;
  min-width: 24px; min-height: 24px; line-height: 24px; text-align: center; }
</style>"""


def href(page: str, params: Iterable[tuple[str, str]] = (), anchor: str = "") -> str:
    """A relative link to a page of the app with query parameters (not yet HTML-escaped)."""
    query = urlencode(list(params))
    return f"./{page}" + (f"?{query}" if query else "") + (f"#{anchor}" if anchor else "")


def _link(url: str | None, text: object) -> str:
    """An escaped link, or the escaped text alone when there is no safe address."""
    if not url:
        return esc_html(text)
    return (
        f'<a href="{esc_html(url)}" target="_blank" rel="noopener noreferrer">{esc_html(text)}</a>'
    )


def _inner_link(url: str, text: object, title: str = "") -> str:
    """A link within the app (same tab)."""
    tip = f' title="{esc_html(title)}"' if title else ""
    return f'<a href="{esc_html(url)}"{tip}>{esc_html(text)}</a>'


def excerpt_numbers(ds: DataSet) -> pd.Series:
    """Excerpt number (1 = first row of excerpts.csv) for each row of ``ds.excerpts``.

    The number names the highlight ``<mark id="x-<n>">`` in the source reader.
    """
    return pd.Series(range(1, len(ds.excerpts) + 1), index=ds.excerpts.index)


def _source_link_params(
    params: Sequence[tuple[str, str]], source_id: str, number: int
) -> list[tuple[str, str]]:
    return [*params, ("source", source_id), ("excerpt", str(number))]


def _lists(frame: pd.DataFrame, *columns: str) -> list[list]:
    """Columns as Python lists: one conversion each, not one per value (Arrow strings)."""
    return [frame[c].tolist() for c in columns]


def _rows(frame: pd.DataFrame, columns: Sequence[str]) -> Iterator[SimpleNamespace]:
    """The rows of some columns, each with its fields as attributes (as ``itertuples``)."""
    for values in zip(*_lists(frame, *columns), strict=True):
        yield SimpleNamespace(**dict(zip(columns, values, strict=True)))


def event_list_html(
    ds: DataSet,
    events: pd.DataFrame,
    colours: dict[str, str],
    params: Sequence[tuple[str, str]] = (),
) -> str:
    """The events in date order as HTML: date, title, place, summary, actors, and each excerpt
    or citation (with the quote an imported row gives).

    ``params`` (the current filters as query parameters) are carried into the links to the
    source reader, so following one keeps the reader's view.
    """
    prep = prepared(ds)
    chosen = event_mask(ds, events)
    names = ds.actor_names
    roles = ds.event_actors[on_rows(chosen, prep.link_event)]
    actors_of: dict[str, list[tuple[str, str]]] = {}
    for eid, aid, role in zip(*_lists(roles, "event_id", "actor_id", "role"), strict=True):
        actors_of.setdefault(eid, []).append((aid, role))
    on_excerpts = on_rows(chosen, prep.excerpt_event)
    xs = ds.excerpts[on_excerpts]
    numbers = (np.flatnonzero(on_excerpts) + 1).tolist()  # as excerpt_numbers: row + 1
    excerpts_of: dict[str, list[tuple[int, str, str]]] = {}
    for n, eid, sid, quote in zip(
        numbers, *_lists(xs, "event_id", "source_id", "quote"), strict=True
    ):
        excerpts_of.setdefault(eid, []).append((n, sid, quote))
    cs = ds.citations[on_rows(chosen, prep.citation_event)]
    citations_of: dict[str, list[tuple[str, str]]] = {}
    quotes_of = cs["quote"] if "quote" in cs else pd.Series("", index=cs.index, dtype="str")
    for eid, sid, said in zip(
        *_lists(cs, "event_id", "source_id"), quotes_of.tolist(), strict=True
    ):
        citations_of.setdefault(eid, []).append((sid, said))
    sources = ds.source_rows
    category_names = dict(zip(ds.categories["id"], ds.categories["name"], strict=True))

    items = []
    fields = ("id", "evidence", "title", "summary", "date", "date_display", "category", "status")
    places = events["place"] if "place" in events else pd.Series("", index=events.index)
    disputed = events["disputed"].tolist() if "disputed" in events else [""] * len(events)
    for ev, place, contested in zip(_rows(events, fields), places.tolist(), disputed, strict=True):
        badge = (
            ' <span class="badge citation-only">citation only</span>'
            if ev.evidence == "citation only"
            else ""
        )
        if contested:  # the fields a source gives otherwise, e.g. 'date'
            badge += (
                f' <span class="badge disputed" title="A source gives another '
                f'{esc_html(contested.replace(";", ", ").replace("_", " "))}">Disputed</span>'
            )
        who = ", ".join(
            f'<span class="dot" style="color:{colours.get(aid, "#888888")}">●</span> '
            f"{esc_html(names.get(aid, aid))} <span class='meta'>({esc_html(role)})</span>"
            for aid, role in actors_of.get(ev.id, [])
        )
        quotes = "".join(
            f'<blockquote class="excerpt">“{esc_html(quote)}”<br><span class="meta">— '
            + _inner_link(
                href("sources", _source_link_params(params, sid, n), f"x-{n}"),
                sources[sid]["title"],
                "Open the source with this sentence highlighted",
            )
            + "</span></blockquote>"
            for n, sid, quote in excerpts_of.get(ev.id, [])
        )
        # "citation only" when the event has no excerpt; beside excerpts, further sources
        cited = "Also cited" if excerpts_of.get(ev.id) else "Citation only"
        cites = "".join(
            f'<p class="citation meta">{cited}: '
            + _link(safe_url(sources[sid]["address"]), sources[sid]["title"])
            + f", {esc_html(sources[sid]['publisher'])}, "
            + esc_html(publication_label(sources[sid]))
            + (f'<br><q class="row-quote">{esc_html(said)}</q>' if said else "")
            + "</p>"
            for sid, said in citations_of.get(ev.id, [])
        )
        summary = "<br>".join(esc_html(line) for line in ev.summary.split("\n") if line.strip())
        items.append(
            f'<article class="event-item" id="event-{esc_html(ev.id)}" '
            f'data-event="{esc_html(ev.id)}">'
            f'<h4 class="event-title">{esc_html(ev.title)}</h4>'
            f'<p class="meta"><time datetime="{esc_html(ev.date)}">'
            f"{esc_html(ev.date_display)}</time>"
            + (f" · {esc_html(place)}" if place else "")
            + f" · {esc_html(category_names.get(ev.category, ev.category) or NO_CATEGORY)}"
            + f" · {esc_html(ev.status)}{badge}</p>"
            + (f'<p class="summary">{summary}</p>' if summary else "")
            + (f'<p class="actors">{who}</p>' if who else "")
            + quotes
            + cites
            + "</article>"
        )
    return (
        f'{STYLE}<section class="chronology event-list" aria-label="Events in date order">'
        + "".join(items)
        + "</section>"
    )


def _written(value: str) -> str:
    """A partial date as the details show it ('February 2013'); '' when empty or unreadable."""
    try:
        return parse_partial(value).display() if value else ""
    except DateError:
        return ""


def _named(publisher: str, title: str) -> str:
    """'Publisher, Title', or the title alone when the publisher is not known."""
    return f"{publisher}, {title}" if publisher and publisher != "unknown" else title


def backing_html(detail: EventDetail) -> str:
    """Field by field, the sources that back it; a field a source gives otherwise is marked
    "Disputed", with both values and both sources."""
    items = []
    values = {
        "date": _written(detail.date) or detail.date_display,
        "end_date": _written(detail.end_date),
        "place": detail.place,
        "summary": "",
        "actors": "",
    }
    for name, backers, disputed in detail.backing():
        shown = "; ".join(esc_html(b) for b in backers) or '<span class="unbacked">no source</span>'
        line = f"<strong>{esc_html(FIELD_LABELS[name])}:</strong> {shown}"
        for d in disputed:
            ours = f" ({esc_html(values[name])})" if values[name] else ""
            line += (
                f'<br><span class="disputed"><span class="badge disputed">Disputed</span> '
                f"we give{ours} per {'; '.join(esc_html(b) for b in backers) or 'no source'}; "
                f"{esc_html(_named(d.publisher, d.source_title))} gives <q>{esc_html(d.value)}</q>"
                + (f" — {esc_html(d.note)}" if d.note else "")
                + "</span>"
            )
        items.append(f'<li data-field="{esc_html(name)}">{line}</li>')
    return f'<p class="meta">What backs each field:</p><ul class="backing">{"".join(items)}</ul>'


def event_detail_html(ds: DataSet, detail: EventDetail, colours: dict[str, str]) -> str:
    """One event: title, summary, date and its basis, place, actors with their roles, and what
    backs each field (with any dispute)."""
    basis = "".join(f"<li>{esc_html(line)}</li>" for line in detail.date_basis)
    who = "".join(
        f'<li><span class="dot" style="color:{colours.get(aid, "#888888")}">●</span> '
        f"{esc_html(name)} — {esc_html(role)}</li>"
        for aid, name, role in detail.actors
    )
    badge = (
        ' <span class="badge citation-only">citation only</span>' if detail.citation_only else ""
    )
    if detail.disputes:
        badge += ' <span class="badge disputed">Disputed</span>'
    names = dict(zip(ds.categories["id"], ds.categories["name"], strict=True))
    category = names.get(detail.category, detail.category) or NO_CATEGORY
    summary = "<br>".join(esc_html(line) for line in detail.summary.split("\n") if line.strip())
    return (
        f'{STYLE}<div class="chronology event-detail" data-event="{esc_html(detail.id)}">'
        f'<h3 class="event-title">{esc_html(detail.title)}{badge}</h3>'
        + (f'<p class="summary">{summary}</p>' if summary else "")
        + f"<p><strong>Date:</strong> {esc_html(detail.date_display)}</p>"
        + (f'<p class="meta">Date basis:</p><ul class="date-basis">{basis}</ul>' if basis else "")
        + f"<p><strong>Category:</strong> {esc_html(category)} · <strong>Status:</strong> "
        f"{esc_html(detail.status)}"
        + (f" · <strong>Place:</strong> {esc_html(detail.place)}" if detail.place else "")
        + "</p>"
        + (f'<p class="meta">Actors and roles:</p><ul class="actors">{who}</ul>' if who else "")
        + backing_html(detail)
        + "</div>"
    )


def swatches_html(ds: DataSet, colours: dict[str, str]) -> str:
    """The colour of each top-level actor (its children share it), as a compact legend."""
    tops = [a for a, p in zip(ds.actors["id"], ds.actors["parent"], strict=True) if not p]
    items = " ".join(
        f'<span class="swatch" data-actor="{esc_html(a)}"><span class="dot" '
        f'style="color:{colours.get(a, "#888888")}">●</span> {esc_html(ds.actor_names[a])}</span>'
        for a in tops
    )
    return f'{STYLE}<p class="chronology swatches">{items}</p>'


MARKS_KEY = (
    ("point", "dot: day known"),
    ("hollow", "hollow: citation only"),
    ("period", "bar: a period"),
    ("span", "hatched: month or year known"),
    ("light", "light bar: citation only"),
    ("disputed", "?: a source gives another date"),
)
"""The key of the timeline's marks: a CSS class of ``.mark`` and its words."""


def timeline_legend_html(entries: Sequence[tuple[str, str]], solid: bool = False) -> str:
    """The timeline's legend, under the chart and wrapping at any width: the colours
    (``entries``: name and colour, as :func:`chronology.views.figures.families_drawn` gives them),
    then the key of the marks (``solid``: every event citation only, drawn solid, so the
    hollow and light marks are not in the key)."""
    items = [
        f'<span class="swatch"><span class="dot" style="color:{esc_html(colour)}">●</span> '
        f"{esc_html(name)}</span>"
        for name, colour in entries
    ]
    items += [
        f'<span class="key" data-mark="{kind}"><span class="mark {kind}"></span>{words}</span>'
        for kind, words in MARKS_KEY
        if not (solid and kind in ("hollow", "light"))
    ]
    return f'{STYLE}<p class="chronology legend">{" ".join(items)}</p>'


def excerpt_html(ds: DataSet, source_id: str, quote: str, basis: str = "") -> str:
    """One excerpt as a quotation with its source (and how it dates the event)."""
    source = ds.source_rows[source_id]
    dating = f'<br><span class="meta">Dating: {esc_html(basis)}</span>' if basis else ""
    return (
        f'{STYLE}<div class="chronology">'
        f'<blockquote class="excerpt" data-source="{esc_html(source_id)}">'
        f'“{esc_html(quote)}”<br><span class="meta">— {esc_html(source["title"])} '
        f"({esc_html(source['publisher'])}, {esc_html(publication_label(source))})</span>{dating}"
        "</blockquote></div>"
    )


def citations_html(citations: Sequence[CitationView]) -> str:
    """Citations of public records: title (a link when the address is http(s)), publisher (when
    known), the date the source gives (as the details write dates: '5 June 1943')."""
    items = "".join(
        "<li>"
        + _link(safe_url(c.address), c.title)
        + (f", {esc_html(c.publisher)}" if c.publisher and c.publisher != "unknown" else "")
        + (f", {esc_html(_written(c.date) or c.date)}" if c.date else "")
        + (f' <span class="meta">({esc_html(c.note)})</span>' if c.note else "")
        + (
            f'<br><q class="row-quote">{esc_html(c.quote)}</q> <span class="meta">(the imported '
            "row's quote, as given: not checked against a stored text)</span>"
            if c.quote
            else ""
        )
        + "</li>"
        for c in citations
    )
    return f'{STYLE}<div class="chronology"><ul class="citations">{items}</ul></div>'


def source_header_html(row: dict[str, str], summary: pd.Series) -> str:
    """A source's title, publisher, kind, publication date (marked when estimated, with its
    window and basis), address (a link only when http(s)) and notes.
    """
    estimated = row["date_estimated"] == "true"
    when = esc_html(publication_label(row))
    if estimated:
        when = f"<strong>{when}</strong>"
        if summary.get("estimate_window"):
            when += f" — window {esc_html(summary['estimate_window'])}"
    url = safe_url(row["address"])
    parts = [
        f'<h3 class="source-title">{esc_html(row["title"])}</h3>',
        f"<p><strong>Publisher:</strong> {esc_html(row['publisher'])} · <strong>Kind:</strong> "
        f"{esc_html(row['kind'])} · <strong>Published:</strong> {when}</p>",
    ]
    if estimated and row["estimate_basis"]:
        parts.append(
            f'<p class="meta">Basis of the estimate: {esc_html(row["estimate_basis"])}</p>'
        )
    if row["address"]:
        parts.append(f"<p><strong>Address:</strong> {_link(url, row['address'])}</p>")
    if row["notes"]:
        parts.append(f'<p class="meta">Notes: {esc_html(row["notes"])}</p>')
    return (
        f'{STYLE}<div class="chronology source-header" data-source="{esc_html(row["id"])}">'
        + "".join(parts)
        + "</div>"
    )


def current_excerpt_html(mark: Mark, event_url: str) -> str:
    """The excerpt a link pointed at, above the text: its number, quote and event."""
    return (
        f'{STYLE}<div class="chronology current-excerpt" data-excerpt="{mark.number}">'
        f'<blockquote>“{esc_html(mark.quote)}”<br><span class="meta">Excerpt {mark.number}, for '
        + _inner_link(event_url, mark.event_title, "Open the event on the Timeline")
        + "</span></blockquote></div>"
    )


def scroll_script(target: str | None) -> str:
    """A script that brings the excerpt ``target`` (else the one the URL's #x-<n> names) into view.

    Only ids of the form x-<n> are followed, so nothing from the URL reaches the page unchecked.
    """
    wanted = json.dumps(target)
    return (
        "<script>(() => {"
        f"const want = {wanted} || decodeURIComponent((window.location.hash || '').slice(1));"
        "if (!/^x-[0-9]+$/.test(want)) return;"
        "let tries = 40;"
        "const go = () => { const el = document.getElementById(want);"
        "  if (el) { el.scrollIntoView({block: 'center'}); el.classList.add('current'); }"
        "  else if (tries-- > 0) setTimeout(go, 100); };"
        "go(); })();</script>"
    )


@dataclass(frozen=True, slots=True)
class Mark:
    """An excerpt to highlight in a stored text."""

    number: int
    quote: str
    event_id: str
    event_title: str


def source_marks(ds: DataSet, source_id: str) -> list[Mark]:
    """The excerpts of one stored source, numbered as in the reader, with their events' titles."""
    numbers = excerpt_numbers(ds)
    xs = ds.excerpts[ds.excerpts["source_id"] == source_id]
    titles = dict(zip(ds.events["id"], ds.events["title"], strict=True))
    return [
        Mark(int(numbers[i]), x.quote, x.event_id, titles.get(x.event_id, x.event_id))
        for i, x in zip(xs.index, xs.itertuples(index=False), strict=True)
    ]


def _spans(text: str, marks: Sequence[Mark]) -> list[tuple[int, int, Mark]]:
    """Where each quote first occurs in the text (quotes not found are left out)."""
    out = []
    for mark in marks:
        at = text.find(mark.quote) if mark.quote else -1
        if at >= 0:
            out.append((at, at + len(mark.quote), mark))
    return out


def reader_html(
    text: str,
    marks: Sequence[Mark],
    event_link: Callable[[str], str],
    current: int | None = None,
) -> str:
    """A stored text with every excerpt highlighted as ``<mark id="x-<n>" class="excerpt">``.

    Overlapping excerpts are split at every boundary; each excerpt's id sits on the mark where
    it starts, and a numbered link to its event follows where it ends. ``event_link`` turns an
    event id into the (unescaped) address of that event.
    """
    spans = _spans(text, marks)
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out: list[str] = []
    for lo, hi in itertools.pairwise(cuts):
        piece = esc_html(text[lo:hi])
        covering = [m for s, e, m in spans if s <= lo and hi <= e]
        starting = [m for s, _, m in spans if s == lo]
        ending = [m for _, e, m in spans if e == hi]
        if covering:
            for m in reversed(starting):
                cls = "excerpt current" if m.number == current else "excerpt"
                piece = (
                    f'<mark id="x-{m.number}" class="{cls}" data-event="{esc_html(m.event_id)}" '
                    f'title="{esc_html(m.event_title)}">{piece}</mark>'
                )
            if not starting:
                current_here = any(m.number == current for m in covering)
                cls = "excerpt current" if current_here else "excerpt"
                piece = f'<mark class="{cls}">{piece}</mark>'
        out.append(piece)
        for m in ending:
            out.append(
                "<sup>"
                + _inner_link(event_link(m.event_id), f"[{m.number}]", m.event_title)
                + "</sup>"
            )
    return f'{STYLE}<div class="chronology"><div class="reader">{"".join(out)}</div></div>'


def step_line_html(caption: str, label: str) -> str:
    """The line under the step buttons with the current event named: ``caption`` (plain text,
    :func:`~chronology.views.steps.caption` when an event is current) with ``label`` (its date
    and title) after its first sentence, both escaped. HTML, not Markdown: Markdown turns an
    address in a title into a link, escaped or not."""
    first, dot, rest = caption.partition(".")
    return (
        f'{STYLE}<p class="chronology step-line">{esc_html(first)}: '
        f"<strong>{esc_html(label)}</strong>{dot}{esc_html(rest)}</p>"
    )
