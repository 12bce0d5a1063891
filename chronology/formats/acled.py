"""ACLED exports (Armed Conflict Location & Event Data): read one into our data package.

Per ACLED's codebook: ``time_precision`` 1 means the source gives the day; 2 that it gives only
a week or weekend (ACLED codes a day inside it), drawn here as the week around that day; 3 that
it gives only the month. ``actor1``/``actor2`` are the two sides (no direction implied: the
first is kept as 'actor', the second as 'target'); the associated actors, several names
separated by ';', take part ('participant'). ``inter1``/``inter2`` (a code 1–8, or its name in
newer exports) give each side's kind. ``source`` is the citation, ``notes`` the summary.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ..data.dates.partial import MAX_YEAR, MIN_YEAR, DateError
from .build import Builder, Sheet, day_of, partial_date

__all__ = ["COLUMNS", "KINDS", "LABEL", "LAYOUT", "matches", "read"]

LAYOUT = "acled"
LABEL = "ACLED export"
COLUMNS = {
    "event_id_cnty": "event id",
    "event_date": "date (its precision from time_precision)",
    "time_precision": "date precision: 1 day, 2 week around the date, 3 month",
    "event_type": "category",
    "sub_event_type": "title (with the location)",
    "actor1": "actor (role: actor)",
    "assoc_actor_1": "actors (role: participant; several separated by ';')",
    "inter1": "kind of actor1",
    "actor2": "actor (role: target)",
    "assoc_actor_2": "actors (role: participant; several separated by ';')",
    "inter2": "kind of actor2",
    "location": "place",
    "admin1": "place",
    "country": "place",
    "latitude": "latitude",
    "longitude": "longitude",
    "source": "source title (the citation)",
    "notes": "summary",
    "fatalities": "citation note (reported fatalities)",
    "timestamp": "source publication date (when ACLED last updated the event)",
}
KINDS = {
    "1": "armed forces",
    "2": "armed group",
    "3": "militia",
    "4": "militia",
    "5": "rioters",
    "6": "protesters",
    "7": "civilians",
    "8": "other",
    "state forces": "armed forces",
    "rebel group": "armed group",
    "rebel groups": "armed group",
    "political militia": "militia",
    "political militias": "militia",
    "identity militia": "militia",
    "identity militias": "militia",
    "rioters": "rioters",
    "protesters": "protesters",
    "civilians": "civilians",
    "external/other forces": "other",
}
"""ACLED's inter codes (numbers in older exports, names in newer ones) → our actor kinds."""
PRECISION_FIX = "use 1 (the day is known), 2 (the week) or 3 (the month), as ACLED codes it"


def matches(header: set[str]) -> bool:
    """True for an ACLED export's header."""
    return {"event_date", "actor1", "event_type"} <= header


def _dates(text: str, precision: str) -> tuple[str, str, str]:
    """(date, end date, date note) for an ACLED date and its time_precision."""
    day = partial_date(text)
    if len(day) != 10:
        raise DateError(f"{text!r} is not a day", "write event_date as a day, e.g. 2024-03-16")
    code = precision.split(".")[0] if precision else "1"
    if code == "1":
        return day, "", ""
    if code == "2":
        mid = day_of(day)
        try:
            first, last = mid - timedelta(days=3), mid + timedelta(days=3)
        except OverflowError:
            first = last = None
        if first is None or last is None or first.year < MIN_YEAR:
            raise DateError(
                f"the week around {day} runs past the years {MIN_YEAR} to {MAX_YEAR}",
                "check event_date, or use time_precision 1 (the day)",
            )
        note = (
            f"ACLED time_precision 2: the source gives only the week; ACLED codes {day}, "
            "drawn here as the week around it"
        )
        return first.isoformat(), last.isoformat(), note
    if code == "3":
        note = f"ACLED time_precision 3: the source gives only the month (ACLED codes {day})"
        return day[:7], "", note
    raise DateError(f"time_precision {precision!r} is not 1, 2 or 3", PRECISION_FIX)


def _cited(start: str, end: str) -> str:
    """The date the source gives: the day or month; for a week, its month (or year)."""
    if not end:
        return start
    return start[:7] if start[:7] == end[:7] else start[:4]


def _names(cell: str) -> list[str]:
    """Actor names in a cell; associated actors are separated by ';'."""
    return [n.strip() for n in cell.split(";") if n.strip()]


def _published(timestamp: str) -> str:
    """ACLED's timestamp (Unix seconds) as the day it was published, or ''."""
    try:
        seconds = int(float(timestamp))
        return datetime.fromtimestamp(seconds, tz=UTC).date().isoformat()
    except (ValueError, OverflowError, OSError):
        return ""


def read(sheet: Sheet, out: Builder) -> None:
    """Rows of an ACLED export into ``out``; rows that cannot be dated become problems."""
    countries: set[str] = set()
    for number, cells in sheet.rows:
        try:
            start, end, note = _dates(cells.get("event_date", ""), cells.get("time_precision", ""))
        except DateError as exc:
            column = "time_precision" if "time_precision" in exc.message else "event_date"
            out.problem(
                number,
                column,
                f"the row cannot be dated: {exc.message}",
                exc.fix,
                cells.get(column, ""),
            )
            continue
        actor1 = cells.get("actor1", "")
        if not actor1:
            out.problem(number, "actor1", "the row names no actor", "fill in actor1")
            continue
        place = ", ".join(
            p for p in (cells.get(k, "") for k in ("location", "admin1", "country")) if p
        )
        countries.add(cells.get("country", ""))
        kind = cells.get("sub_event_type") or cells.get("event_type") or "Event"
        title = f"{kind} in {cells['location']}" if cells.get("location") else kind
        summary = cells.get("notes", "") or title
        eid = out.event(
            number,
            cells.get("event_id_cnty", "") or f"row-{number}",
            title=title,
            summary=summary,
            date=start,
            end_date=end,
            category=out.category(cells.get("event_type") or "Other"),
            place=place,
            date_note=note,
            latitude=cells.get("latitude", ""),
            longitude=cells.get("longitude", ""),
        )
        sides = [(actor1, cells.get("inter1", ""), "actor")]
        if cells.get("actor2"):
            sides.append((cells["actor2"], cells.get("inter2", ""), "target"))
        for name, inter, role in sides:
            code = inter.strip().lower().split(".")[0]
            out.link(eid, out.actor(name, KINDS.get(code, "unspecified")), role)
        for column in ("assoc_actor_1", "assoc_actor_2"):
            for name in _names(cells.get(column, "")):
                out.link(eid, out.actor(name), "participant")
        reported = cells.get("source", "") or "source not named"
        title = f"{reported} (as coded by ACLED)"
        sid = out.source(title, publisher="ACLED")
        published = _published(cells.get("timestamp", ""))
        row = out.sources[(title, "", "ACLED")]
        if published and published > row["published"]:
            row["published"] = published
        deaths = cells.get("fatalities", "")
        note = f"{deaths} reported fatalities (ACLED)" if deaths.isdigit() else ""
        out.cite(eid, sid, _cited(start, end), note)
    named = sorted(c for c in countries if c)
    if not out.title and named:
        out.title = f"ACLED events: {', '.join(named[:3])}" + (" …" if len(named) > 3 else "")
