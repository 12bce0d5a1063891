"""A plain events table, one row per event, as anyone keeps one in a spreadsheet.

Columns (names compared loosely: case, spaces and '_' do not matter): ``date``, ``end date``
(optional), ``title``, ``summary``, ``actors`` (several separated by ';'), ``category``,
``source title``, ``source address``, ``source published`` (optional: the source's publication
date; without it the source has none), ``quote`` (optional: shown as the row's quote, never as a
verified excerpt). Dates are YYYY, YYYY-MM or YYYY-MM-DD (or '16 March 2024', 'March 2024',
'15/03/2024'; one that reads two ways, '03/04/2024', only with the day order chosen).
Nothing is filled in that the row does not say: no summary, category, actor or source date.
"""

from __future__ import annotations

from ..data.dates.partial import DateError
from ..views.escape import safe_url
from .build import Builder, Sheet, partial_date

__all__ = ["ALIASES", "COLUMNS", "HEADER", "LABEL", "LAYOUT", "matches", "read"]

LAYOUT = "plain"
LABEL = "plain events table"
HEADER = (
    "date",
    "end_date",
    "title",
    "summary",
    "actors",
    "category",
    "source_title",
    "source_address",
    "source_published",
    "quote",
)
ALIASES = {
    "end": "end_date",
    "source": "source_title",
    "url": "source_address",
    "link": "source_address",
    "address": "source_address",
    "source_url": "source_address",
    "description": "summary",
    "headline": "title",
    "published": "source_published",
    "source_date": "source_published",
    "publication_date": "source_published",
}
COLUMNS = {
    "date": "date (at the precision written)",
    "end_date": "end date (a period)",
    "title": "title",
    "summary": "summary",
    "actors": "actors (several separated by ';'; role: actor)",
    "category": "category",
    "source_title": "source title (the citation)",
    "source_address": "source address",
    "source_published": "source publication date",
    "quote": "the row's quote (not verified against a stored text)",
}


def matches(header: set[str]) -> bool:
    """True for a plain events table's header."""
    names = {ALIASES.get(h, h) for h in header}
    return {"date", "title"} <= names


def read(sheet: Sheet, out: Builder) -> None:
    """Rows of a plain events table into ``out``; rows that cannot be dated become problems."""
    for number, raw in sheet.rows:
        cells = {ALIASES.get(k, k): v for k, v in raw.items()}
        try:
            start = partial_date(cells.get("date", ""), out.day_order)
        except DateError as exc:
            out.problem(
                number,
                "date",
                f"the row cannot be dated: {exc.message}",
                exc.fix,
                cells.get("date", ""),
            )
            continue
        end = ""
        if cells.get("end_date"):
            try:
                end = partial_date(cells["end_date"], out.day_order)
            except DateError as exc:
                out.problem(number, "end_date", exc.message, exc.fix, cells["end_date"])
                continue
        title = cells.get("title", "")
        if not title:
            out.problem(number, "title", "the row has no title", "give the event a short title")
            continue
        address = cells.get("source_address", "")
        if address and not safe_url(address):
            out.problem(
                number,
                "source_address",
                "the source address is not a web address",
                "write an address starting with https:// or http://, or leave it empty",
                address,
            )
            continue
        published = ""
        if cells.get("source_published"):
            try:
                published = partial_date(cells["source_published"], out.day_order)
            except DateError as exc:
                out.problem(
                    number, "source_published", exc.message, exc.fix, cells["source_published"]
                )
                continue
        eid = out.event(
            number,
            title,
            title=title,
            summary=cells.get("summary", ""),
            date=start,
            end_date=end,
            category=out.category(cells["category"]) if cells.get("category") else "",
        )
        for name in (n.strip() for n in cells.get("actors", "").split(";")):
            if name:
                out.link(eid, out.actor(name), "actor")
        source = out.source(
            cells.get("source_title", "") or address or "[no source named in the row]",
            address,
            published=published,
        )
        out.cite_row(eid, source, start, "", cells.get("quote", ""))
