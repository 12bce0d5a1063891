"""Knight Lab's TimelineJS: write TimelineJS3 JSON; read its Google-Sheets CSV and its JSON.

Usage::

    tl = timelinejs(ds, shown)           # TimelineJS3 data, text HTML-escaped, ds.title
    data = to_timelinejs(ds, shown)      # the same as JSON bytes (the Data page's download)

Reading, as TimelineJS3 reads a sheet (``ConfigFactory.extractEventFromCSVObject``): a ``title``
row names the timeline; ``era`` rows are periods; a year-only row is a year; the v1 headers
``Start Date``/``End Date`` and ``Tag`` (for ``Group``) are read too. ``Text`` is HTML: its text
is the summary and each of its links a further citation. ``Media Credit`` (and ``Media`` when it
is a web address) is the row's citation, ``Media Caption`` and ``Alt Text`` its note; ``Media``
holding a ``<blockquote>`` is a quote (TimelineJS shows it as one), its ``<cite>`` the source
named. ``Group`` is the category, one lane each; a row without one has no category.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from html.parser import HTMLParser
from typing import Any, Literal

import pandas as pd

from ..data.dataset import DataSet
from ..data.dates.partial import DateError
from ..data.frames import among
from ..views.escape import esc_html, safe_url
from ..views.export import event_records, neutralise
from .build import Builder, Sheet, html_text, iso, partial_date

__all__ = [
    "COLUMNS",
    "LABEL",
    "LAYOUT",
    "SHEET_HEADER",
    "date_parts",
    "markup_text",
    "matches",
    "media_address",
    "read",
    "read_json",
    "timeline_title",
    "timelinejs",
    "to_sheet",
    "to_timelinejs",
]

LAYOUT = "timelinejs"
LABEL = "TimelineJS sheet"
COLUMNS = {
    "year": "start date (year)",
    "month": "start date (month)",
    "day": "start date (day)",
    "time": "not used: dates are kept to the day",
    "end_year": "end date (year)",
    "end_month": "end date (month)",
    "end_day": "end date (day)",
    "end_time": "not used: dates are kept to the day",
    "start_date": "start date (a v1 sheet)",
    "end_date": "end date (a v1 sheet)",
    "display_date": "date note (the date as displayed)",
    "headline": "title (the title row: the timeline's name)",
    "text": "summary (HTML: its text only; each link a further citation)",
    "media": "source address (a web address), or the row's quote (a blockquote)",
    "media_credit": "source title (the citation)",
    "media_caption": "citation note",
    "media_thumbnail": "not used",
    "alt_text": "citation note (the media's description)",
    "type": "title row / era (a period) / event",
    "group": "category (one lane each)",
    "tag": "category (one lane each; a v1 sheet's Group)",
    "background": "not used",
}
NO_SOURCE = "[no source named in the row]"


def matches(header: set[str]) -> bool:
    """True for a TimelineJS sheet's header."""
    if "headline" not in header:
        return False
    if "year" in header:
        return "month" in header or "text" in header
    return "start_date" in header  # a v1 sheet


# --- writing ---------------------------------------------------------------------------------


def date_parts(text: str) -> dict[str, int]:
    """A partial ISO date as TimelineJS date parts: only those the date has.

    '2012' → {'year': 2012}; '2023-07' → {'year': 2023, 'month': 7}; '2024-03-16' → all three.
    """
    parts = text.split("-")
    return dict(zip(("year", "month", "day"), (int(p) for p in parts), strict=False))


def _lead(ds: DataSet, ids: Iterable[str]) -> dict[str, str]:
    """Event id → its leading actor (first with role 'actor', else first listed)."""
    links = ds.event_actors[among(ds.event_actors["event_id"], ids)]
    links = links.assign(_later=links["role"].ne("actor")).sort_values("_later", kind="stable")
    first = links.drop_duplicates("event_id")
    return dict(zip(first["event_id"], first["actor_id"], strict=True))


_REFERENCE = re.compile(r"&(?=[#A-Za-z])")
"""An ampersand that could start a character reference ('&amp;', '&#39;', '&copy')."""


def markup_text(text: object) -> str:
    """Text for a TimelineJS cell that TimelineJS puts into the page as HTML (``innerHTML``:
    headline, text, display date, group, media credit and caption).

    Only what could become markup is escaped: ``<`` and ``>``, and an ``&`` that could start a
    character reference. Quotes and apostrophes stay as written (they are plain text in element
    content), so a sheet reads as the words a person typed: ``Niger's junta``, not
    ``Niger&#x27;s junta``.
    """
    value = "" if text is None else str(text)
    value = _REFERENCE.sub("&amp;", value)
    return value.replace("<", "&lt;").replace(">", "&gt;")


_SHOWN_MEDIA = re.compile(
    r"^https?://(www\.|m\.|player\.)?("
    r"youtube\.com/|youtu\.be/|vimeo\.com/|dailymotion\.com/|dai\.ly/|soundcloud\.com/|"
    r"(twitter|x)\.com/|flickr\.com/photos|flic\.kr/|instagram\.com/p/|"
    r"[a-z-]+\.wikipedia\.org/|commons\.wikimedia\.org/wiki/File:|open\.spotify\.com/|"
    r"(www\.)?documentcloud\.org/)"
    r"|\.(jpe?g|png|gif|svg|webp|pdf|mp4|webm|mp3|wav|m4a)(\?[^#]*)?$",
    re.IGNORECASE,
)
"""Addresses TimelineJS3 shows as the media they are (``src/js/media/MediaType.js``): video and
sound sites, Wikipedia, images, PDF. It draws any other address as an image: a broken one."""


def media_address(address: object) -> str:
    """A citation's address for a slide's Media: only when TimelineJS shows it as media, else ''.

    A web page (most citations) would show as a broken image; its link is in the slide's text.
    An address that holds markup characters, or the words TimelineJS takes for embed code
    (``iframe``, ``blockquote``, whose Media it puts into the page as HTML), is never written.
    """
    url = safe_url(address) or ""
    if not url or any(c in url for c in "<>\"'`") or re.search("iframe|blockquote", url, re.I):
        return ""
    return url if _SHOWN_MEDIA.search(url) else ""


def _slide_text(
    summary: str, quotes: list[dict], cites: list[dict], escape: Callable[[object], str] = esc_html
) -> str:
    """A slide's text as escaped HTML: summary, excerpts with their sources, citations."""
    parts = [f"<p>{escape(summary)}</p>"] if summary else []
    parts += [
        f"<blockquote>“{escape(q['quote'])}”</blockquote><p>— {escape(q['source_title'])}</p>"
        for q in quotes
    ]
    for c in cites:
        url = safe_url(c["address"])
        title = (
            f'<a href="{esc_html(url)}" target="_blank" rel="noopener noreferrer">'
            f"{escape(c['title'])}</a>"
            if url
            else escape(c["title"])
        )
        parts.append(f"<p>Citation only: {title}, {escape(c['publisher'])}</p>")
    return "".join(parts)


def timelinejs(
    ds: DataSet,
    events: pd.DataFrame,
    lanes: Literal["actor", "category"] = "actor",
    title: str | None = None,
    description: str = "",
    *,
    escape: Callable[[object], str] = esc_html,
) -> dict[str, Any]:
    """Knight Lab TimelineJS3 data: one slide per event, ``group`` its lane, ``unique_id`` its id.

    Dates keep only the parts their precision has; headline, text and group are HTML-escaped
    (TimelineJS renders them as HTML); ``autolink`` is off. The title is the data set's own
    (:attr:`DataSet.title`) unless ``title`` names another.
    """
    records = event_records(ds, events)
    lead = _lead(ds, events["id"])
    names = ds.actor_names
    categories = dict(zip(ds.categories["id"], ds.categories["name"], strict=True))
    slides = []
    for r in records:
        group = (
            names.get(lead.get(r["id"], ""), "(no actor)")
            if lanes == "actor"
            else categories.get(r["category"], r["category"])
        )
        slide: dict[str, Any] = {
            "unique_id": r["id"],
            "start_date": date_parts(r["date"]),
            "display_date": escape(r["date_display"]),
            "text": {
                "headline": escape(r["title"]),
                "text": _slide_text(r["summary"], r["excerpts"], r["citations"], escape),
            },
            "group": escape(group),
            "autolink": False,
        }
        if r["end_date"]:
            slide["end_date"] = date_parts(r["end_date"])
        slides.append(slide)
    return {
        "title": {"text": {"headline": escape(timeline_title(ds, title)),
                           "text": escape(description)}},
        "events": slides,
        "scale": "human",
    }  # fmt: skip


def timeline_title(ds: DataSet, title: str | None = None) -> str:
    """``title`` when given, else the data set's own title, else 'Chronology'."""
    return title if title is not None else (ds.title or "Chronology")


def to_timelinejs(ds: DataSet, events: pd.DataFrame, **options: Any) -> bytes:
    """:func:`timelinejs` as JSON bytes."""
    return json.dumps(timelinejs(ds, events, **options), ensure_ascii=False, indent=1).encode(
        "utf-8"
    )


SHEET_HEADER = (
    "Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time",
    "Display Date", "Headline", "Text", "Media", "Media Credit", "Media Caption",
    "Media Thumbnail", "Type", "Group", "Background",
)  # fmt: skip
"""The columns of Knight Lab's TimelineJS Google Sheets template, in its order."""


def to_sheet(
    ds: DataSet,
    events: pd.DataFrame,
    lanes: Literal["actor", "category"] = "category",
    title: str | None = None,
    description: str = "",
) -> bytes:
    """The events as a TimelineJS sheet (CSV, UTF-8 with BOM) to paste into the template.

    A title row first (the data set's own title unless ``title`` names another); dates keep
    only the parts their precision has. TimelineJS puts a sheet's cells into the page as HTML
    as they stand, so the cells it renders hold text with only ``<``, ``>`` and a
    reference-like ``&`` escaped (:func:`markup_text`), never ``&#x27;``; Text is the slide's
    HTML (summary, excerpts, citations). The first citation is the slide's media credit;
    its address is the slide's Media only when TimelineJS shows it as media
    (:func:`media_address`; else empty, never ``None``). Cells that a spreadsheet would read
    as a formula get a leading '.
    """
    data = timelinejs(ds, events, lanes, title, description, escape=markup_text)
    cites = {r["id"]: r["citations"][:1] for r in event_records(ds, events)}
    rows = [{"Headline": data["title"]["text"]["headline"], "Text": markup_text(description),
             "Type": "title"}]  # fmt: skip
    for slide in data["events"]:
        start, end = slide["start_date"], slide.get("end_date", {})
        first = cites[slide["unique_id"]][0] if cites[slide["unique_id"]] else {}
        rows.append(
            {
                "Year": start.get("year", ""), "Month": start.get("month", ""),
                "Day": start.get("day", ""), "End Year": end.get("year", ""),
                "End Month": end.get("month", ""), "End Day": end.get("day", ""),
                "Display Date": slide["display_date"], "Headline": slide["text"]["headline"],
                "Text": slide["text"]["text"], "Media": media_address(first.get("address")),
                "Media Credit": markup_text(first.get("title", "")),
                "Media Caption": markup_text(first.get("note", "")), "Group": slide["group"],
            }
        )  # fmt: skip
    cells = [{k: "" if v is None else str(v) for k, v in row.items()} for row in rows]
    table = pd.DataFrame(cells, columns=list(SHEET_HEADER), dtype="str").fillna("")
    for column in table.columns:
        table[column] = neutralise(table[column])
    return table.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


# --- reading ---------------------------------------------------------------------------------


def _int(text: str) -> int:
    """A whole number as a sheet writes it ('2024', '2024.0', '-500')."""
    value = float(text)
    if value != int(value):
        raise ValueError(text)
    return int(value)


def _date(year: str, month: str, day: str, which: str) -> str:
    """Year, month and day cells as a partial ISO date at the precision they have."""
    if not year:
        raise DateError(f"the {which} has no year", "fill in the Year (and Month, Day if known)")
    try:
        parts = [_int(year)] + [_int(p) for p in (month, day) if p]
    except (ValueError, OverflowError):
        raise DateError(
            f"the {which} is not written in numbers", "write Year, Month and Day as numbers"
        ) from None
    if day and not month:
        raise DateError(f"the {which} has a day but no month", "fill in the Month")
    return iso(*parts)


def _event(
    out: Builder,
    row: int,
    *,
    uid: str,
    headline: str,
    text: str,
    start: str,
    end: str,
    kind: str,
    group: str,
    credit: str,
    media: str,
    caption: str,
    display: str,
    alt: str = "",
) -> None:
    """One slide or row as an event with its citations: the media's, and each link of the
    text's."""
    title = html_text(headline)
    summary = html_text(text)
    if not title:
        title = summary.split("\n")[0][:120]
    if not title:
        out.problem(row, "Headline", "the row has neither a headline nor a text", "add a Headline")
        return
    if kind == "era" and not end:
        out.problem(row, "End Year", "an era is a period and needs an end date", "fill in End Year")
        return
    lane = "Era" if kind == "era" else html_text(group)
    eid = out.event(
        row,
        uid or title,
        title=title,
        summary=summary,
        date=start,
        end_date=end,
        category=out.category(lane) if lane else "",
        date_note=f"Displayed as: {html_text(display)}" if display else "",
    )
    address = (safe_url(media) or "") if media else ""
    quote, cited = ("", "") if address or not media else _quote(media)
    note = "; ".join(
        p for p in (html_text(caption), f"media: {html_text(alt)}" if alt.strip() else "") if p
    )
    said_by = f"[quote attributed to {cited}]" if cited else ""
    source = out.source(html_text(credit) or said_by or NO_SOURCE, address)
    out.cite_row(eid, source, start, note, quote)
    for url, words in links(text):  # the link's words are not the page's title: described
        if url != address:
            title = (
                f"[linked in the row's text as ‘{words}’]"
                if words
                else "[linked in the row's text]"
            )
            out.cite(eid, out.source(title, url), start, "a link in the row's text")


class _Links(HTMLParser):
    """The http(s) links of HTML, with their words."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self._open: list[str] | None = None
        self._url = ""

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "a":
            url = safe_url(dict(attrs).get("href") or "")
            self._open, self._url = ([], url) if url else (None, "")

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open is not None:
            self.found.append((self._url, " ".join("".join(self._open).split())))
            self._open = None


def links(markup: str) -> list[tuple[str, str]]:
    """(address, words) of each http(s) link in an HTML fragment, each address once."""
    if "<a" not in markup.lower():
        return []
    parser = _Links()
    parser.feed(markup)
    parser.close()
    first: dict[str, str] = {}
    for url, words in parser.found:
        first.setdefault(url, words)
    return list(first.items())


def _quote(media: str) -> tuple[str, str]:
    """(quote, who it cites) of a Media cell that is not a web address.

    TimelineJS shows Media holding a ``<blockquote>`` as a quote; its ``<cite>`` names who said
    it. Other text is kept as the row's quote as well, never as a verified excerpt.
    """
    match = re.search(r"<cite\b[^>]*>(.*?)</cite\s*>", media, re.IGNORECASE | re.DOTALL)
    if not match:
        return html_text(media), ""
    said = html_text(media[: match.start()] + media[match.end() :])
    return said, html_text(match[1])


def _v1_date(text: str, which: str, order: str | None) -> str:
    """A v1 sheet's Start Date or End Date: '1815,12,10' (TimelineJS's own form) or a written
    date ('1815-12-10', '10/12/1815' read as :func:`~.build.partial_date` reads it)."""
    value = text.strip()
    if re.fullmatch(r"-?\d+(\s*,\s*\d+){0,2}", value):
        year, month, day = [*value.split(","), "", ""][:3]
        return _date(year, month, day, which)
    if re.fullmatch(r"-\d+", value):
        return _date(value, "", "", which)
    return partial_date(value, order)


def read(sheet: Sheet, out: Builder) -> None:
    """Rows of a TimelineJS sheet into ``out``; rows that cannot be dated become problems."""
    v1 = "year" not in sheet.rows[0][1] if sheet.rows else False
    for number, cells in sheet.rows:
        kind = cells.get("type", "").strip().lower()
        if kind == "title":
            out.title = html_text(cells.get("headline", "")) or out.title
            continue
        if v1:
            try:
                start = _v1_date(cells.get("start_date", ""), "date", out.day_order)
                end = (
                    _v1_date(cells["end_date"], "end date", out.day_order)
                    if cells.get("end_date")
                    else ""
                )
            except DateError as exc:
                column = "End Date" if "end date" in exc.message else "Start Date"
                key = "end_date" if column == "End Date" else "start_date"
                out.problem(
                    number,
                    column,
                    f"the row cannot be dated: {exc.message}",
                    exc.fix,
                    cells.get(key, ""),
                )
                continue
            _row_event(out, number, cells, kind, start, end)
            continue
        try:
            start = _date(
                cells.get("year", ""), cells.get("month", ""), cells.get("day", ""), "date"
            )
        except DateError as exc:
            out.problem(
                number,
                "Year",
                f"the row cannot be dated: {exc.message}",
                exc.fix,
                cells.get("year", ""),
            )
            continue
        end = ""
        if cells.get("end_year") or cells.get("end_month") or cells.get("end_day"):
            try:
                end = _date(
                    cells.get("end_year", ""),
                    cells.get("end_month", ""),
                    cells.get("end_day", ""),
                    "end date",
                )
            except DateError as exc:
                out.problem(number, "End Year", exc.message, exc.fix, cells.get("end_year", ""))
                continue
        _row_event(out, number, cells, kind, start, end)


def _row_event(out: Builder, number: int, cells: dict[str, str], kind: str, start: str, end: str):
    """A sheet's row as an event (``Group``, or a v1 sheet's ``Tag``, its category)."""
    _event(
        out,
        number,
        uid="",
        headline=cells.get("headline", ""),
        text=_summary_part(cells.get("text", "")),  # our own sheet: its summary
        start=start,
        end=end,
        kind=kind,
        group=cells.get("group", "") or cells.get("tag", ""),
        credit=cells.get("media_credit", ""),
        media=cells.get("media", ""),
        caption=cells.get("media_caption", ""),
        display=cells.get("display_date", ""),
        alt=cells.get("alt_text", ""),
    )


def _json_date(value: object, which: str) -> str:
    """A TimelineJS3 date object as a partial ISO date."""
    if not isinstance(value, Mapping):
        raise DateError(f"the {which} is missing", "give start_date with at least a year")
    year, month, day = (str(value.get(k, "") or "").strip() for k in ("year", "month", "day"))
    return _date(year, month, day, which)


def _mapping(value: object) -> Mapping[str, Any]:
    """``value`` when it is a JSON object, else an empty one."""
    return value if isinstance(value, Mapping) else {}


def read_json(data: Mapping[str, Any], out: Builder) -> None:
    """A TimelineJS3 JSON document into ``out``; slide n is reported as row n."""
    title = data.get("title")
    if isinstance(title, Mapping):
        text = title.get("text") or {}
        out.title = html_text(str(text.get("headline", "") if isinstance(text, Mapping) else ""))
    slides = [(s, "event") for s in _list(data.get("events")) if isinstance(s, Mapping)]
    slides += [(s, "era") for s in _list(data.get("eras")) if isinstance(s, Mapping)]
    for number, (slide, kind) in enumerate(slides, start=1):
        try:
            start = _json_date(slide.get("start_date"), "start date")
            end = _json_date(slide["end_date"], "end date") if slide.get("end_date") else ""
        except DateError as exc:
            out.problem(number, "start_date", f"the slide cannot be dated: {exc.message}", exc.fix)
            continue
        text = _mapping(slide.get("text"))
        media = _mapping(slide.get("media"))
        _event(
            out,
            number,
            uid=str(slide.get("unique_id", "") or ""),
            headline=str(text.get("headline", "") or ""),
            text=_summary_part(str(text.get("text", "") or "")),
            start=start,
            end=end,
            kind=kind,
            group=str(slide.get("group", "") or ""),
            credit=str(media.get("credit", "") or ""),
            media=str(media.get("url", "") or ""),
            caption=str(media.get("caption", "") or ""),
            display="",
            alt=str(media.get("alt", "") or ""),
        )


def _list(value: object) -> list:
    """``value`` when it is a list, else an empty one."""
    return value if isinstance(value, list) else []


def _summary_part(markup: str) -> str:
    """A slide's text; for our own export only its first paragraph (the summary)."""
    if markup.startswith("<p>") and ("<blockquote>" in markup or "Citation only:" in markup):
        return markup[: markup.index("</p>") + 4]
    return markup
