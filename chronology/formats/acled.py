"""ACLED exports (Armed Conflict Location & Event Data): read one into our data package.

Per ACLED's codebook: ``time_precision`` 1 means the source gives the day; 2 that it gives only
a week or weekend (ACLED codes a day inside it), drawn here as the week around that day; 3 that
it gives only the month. ``actor1``/``actor2`` are the two sides; ACLED's codebook says their
order implies no direction, so the roles come from the event type, as analysts read it: in
Battles, Explosions/Remote violence and Violence against civilians (and the one-sided strategic
developments: arrests, looting, disrupted weapons use) ``actor1`` acts on ``actor2``; in
agreements, transfers of territory, bases established, changes to a group and other strategic
developments both take part; in Protests and Riots the crowd acts and ``actor2`` is who it faces.
The associated actors, several names separated by ';', take part ('participant').
``inter1``/``inter2`` (a code 1–8, or its name as in the 2023+ exports) give each side's kind.
A title says what, who and where ("Armed clash: Military Forces of Niger and JNIM near Tera").
``notes`` is the summary, followed by ACLED's coding: fatalities, civilian targeting, tags (so
that they show on the event and the text search finds them); ``fatalities`` is also kept as a
number, summed in the headline. ``source`` is the citation, ``timestamp`` ACLED's date for it.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from ..data.dates.partial import MAX_YEAR, MIN_YEAR, DateError
from .build import Builder, Sheet, day_of, partial_date

__all__ = ["COLUMNS", "KINDS", "LABEL", "LAYOUT", "matches", "read", "roles", "title_of"]

LAYOUT = "acled"
LABEL = "ACLED export"
COLUMNS = {
    "event_id_cnty": "event id",
    "event_date": "date (its precision from time_precision)",
    "time_precision": "date precision: 1 day, 2 week around the date, 3 month",
    "event_type": "category; the roles of actor1 and actor2",
    "sub_event_type": "title (what, who and where)",
    "actor1": "actor (its role from the event type)",
    "assoc_actor_1": "actors (role: participant; several separated by ';')",
    "inter1": "kind of actor1",
    "actor2": "actor (its role from the event type)",
    "assoc_actor_2": "actors (role: participant; several separated by ';')",
    "inter2": "kind of actor2",
    "civilian_targeting": "summary (ACLED's coding line: searchable)",
    "location": "place; title",
    "admin1": "place",
    "country": "place",
    "geo_precision": "title: 'in' (1) or 'near' (2, 3) the location",
    "latitude": "latitude",
    "longitude": "longitude",
    "source": "source title (the citation)",
    "notes": "summary",
    "fatalities": "fatalities (shown on the event, summed in the headline)",
    "tags": "summary (ACLED's coding line: searchable; several separated by ';')",
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
ONE_SIDED = frozenset(
    {
        "battles",
        "explosions/remote violence",
        "violence against civilians",
    }
)
"""Event types in which actor1 acts on actor2."""
ONE_SIDED_DEVELOPMENTS = frozenset(
    {"arrests", "looting/property destruction", "disrupted weapons use"}
)
"""Strategic developments (by sub-event type) in which actor1 acts on actor2."""
CROWDS = frozenset({"protests", "riots"})
"""Event types in which actor1 is the crowd and actor2 (if any) whom it faces."""
PRECISION_FIX = "use 1 (the day is known), 2 (the week) or 3 (the month), as ACLED codes it"


def matches(header: set[str]) -> bool:
    """True for an ACLED export's header."""
    return {"event_date", "actor1", "event_type"} <= header


def _dates(text: str, precision: str, order: str | None = None) -> tuple[str, str, str]:
    """(date, end date, date note) for an ACLED date and its time_precision."""
    day = partial_date(text, order)
    if len(day) != 10:
        raise DateError(f"{text!r} is not a day", "write event_date as a day, e.g. 2024-03-16")
    code = precision.split(".")[0] if precision else "1"
    if code == "1":
        return day, "", ""
    if code == "2":
        mid = day_of(day)
        outside = DateError(
            f"the week around {day} runs past the years {MIN_YEAR} to {MAX_YEAR}",
            "check event_date, or use time_precision 1 (the day)",
        )
        try:
            first, last = mid - timedelta(days=3), mid + timedelta(days=3)
        except OverflowError:
            raise outside from None
        if first.year < MIN_YEAR:
            raise outside
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


def roles(event_type: str, sub_event_type: str) -> tuple[str, str]:
    """The roles of actor1 and actor2 in an event of this type, as analysts read ACLED."""
    kind, sub = event_type.strip().lower(), sub_event_type.strip().lower()
    if kind in ONE_SIDED or kind in CROWDS or sub in ONE_SIDED_DEVELOPMENTS:
        return "actor", "target"
    return "participant", "participant"  # agreements, transfers, bases, other developments


def _short(name: str) -> str:
    """An actor's name for a title: 'Military Forces of Niger (2023-)' → 'Military Forces of
    Niger' (the period in brackets is ACLED's, the actor table keeps it)."""
    return re.sub(r"\s*\((?:\d{4})?-?(?:\d{4})?\)$", "", name).strip() or name


def title_of(cells: dict[str, str]) -> str:
    """'Armed clash: Military Forces of Niger and JNIM near Tera' — what, who and where."""
    what = cells.get("sub_event_type") or cells.get("event_type") or "Event"
    one, two = (_short(cells.get(k, "")) for k in ("actor1", "actor2"))
    kind = cells.get("event_type", "").strip().lower()
    if two and kind in CROWDS:
        who = f"{one} facing {two}"
    elif (
        two and kind != "battles" and (kind in ONE_SIDED or what.lower() in ONE_SIDED_DEVELOPMENTS)
    ):
        who = f"{one} against {two}"
    elif two:
        who = f"{one} and {two}"
    else:
        who = one
    place = cells.get("location", "")
    near = cells.get("geo_precision", "").split(".")[0] in ("2", "3")
    where = f" {'near' if near else 'in'} {place}" if place else ""
    return f"{what}: {who}{where}" if who else f"{what}{where}"


def _coding(cells: dict[str, str]) -> str:
    """ACLED's coding of the event in one line: fatalities, civilian targeting, tags."""
    parts = []
    deaths = cells.get("fatalities", "")
    if deaths.isdigit():
        parts.append(f"{deaths} reported fatalit{'y' if deaths == '1' else 'ies'}")
    if cells.get("civilian_targeting"):
        parts.append(cells["civilian_targeting"])
    tags = _names(cells.get("tags", ""))
    if tags:
        parts.append(f"tags: {'; '.join(tags)}")
    return f"ACLED: {' · '.join(parts)}" if parts else ""


def read(sheet: Sheet, out: Builder) -> None:
    """Rows of an ACLED export into ``out``; rows that cannot be dated become problems."""
    countries: set[str] = set()
    for number, cells in sheet.rows:
        try:
            start, end, note = _dates(
                cells.get("event_date", ""), cells.get("time_precision", ""), out.day_order
            )
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
        summary = " — ".join(p for p in (cells.get("notes", ""), _coding(cells)) if p)  # one line
        deaths = cells.get("fatalities", "")
        eid = out.event(
            number,
            cells.get("event_id_cnty", "") or f"row-{number}",
            title=title_of(cells),
            summary=summary,
            date=start,
            end_date=end,
            category=out.category(cells["event_type"]) if cells.get("event_type") else "",
            place=place,
            date_note=note,
            latitude=cells.get("latitude", ""),
            longitude=cells.get("longitude", ""),
            fatalities=deaths if deaths.isdigit() else "",
        )
        first, second = roles(cells.get("event_type", ""), cells.get("sub_event_type", ""))
        sides = [(actor1, cells.get("inter1", ""), first)]
        if cells.get("actor2"):
            sides.append((cells["actor2"], cells.get("inter2", ""), second))
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
        note = f"{deaths} reported fatalities (ACLED)" if deaths.isdigit() else ""
        out.cite_row(eid, sid, _cited(start, end), note)
    named = sorted(c for c in countries if c)
    if not out.title and named:
        out.title = f"ACLED events: {', '.join(named[:3])}" + (" …" if len(named) > 3 else "")
