"""Shared by the readers: read an uploaded CSV, read dates and HTML, build a data package.

A reader turns each row of a foreign file into citation-only events of our data package, held
in memory as ``{relative path: bytes}`` with the seven tables of ``data/datapackage.json``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser

from ..data.dates.partial import MIN_YEAR, MONTH_NAMES, DateError, parse_partial
from ..data.errors import DataError, Problem
from ..data.read.csvfile import CsvError, TooLarge, read_records
from ..data.schema import SCHEMA_FILE, load_schema

__all__ = [
    "MAX_PROBLEMS",
    "Builder",
    "Sheet",
    "html_text",
    "iso",
    "norm",
    "partial_date",
    "read_sheet",
    "slug",
]

MAX_PROBLEMS = 200
"""Problems with the rows of an upload kept for the report; the rest are only counted."""
_MONTHS = {name.lower(): i for i, name in enumerate(MONTH_NAMES, start=1)}
_MONTHS.update({name[:3].lower(): i for i, name in enumerate(MONTH_NAMES, start=1)})
_MONTHS["sept"] = 9
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[ -]([A-Za-z]+)\.?,?[ -](\d{4})")
_MONTH_DAY_YEAR = re.compile(r"([A-Za-z]+)\.? (\d{1,2}),? (\d{4})")
_MONTH_YEAR = re.compile(r"([A-Za-z]+)\.? (\d{4})")
_NUMERIC_DAY = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})")
DATE_FIX = "write the date as YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2024-03-16), or as '16 March 2024'"
DAY_ORDERS = ("dayfirst", "monthfirst")
"""How a user may say dates like 03/04/2024 are written: day first (3 April) or month first."""
ORDER_FIX = (
    "write it as YYYY-MM-DD, or say how the file writes its dates (on the Import page: 'Dates "
    "like 03/04/2024 are'; on the command line: --dayfirst or --monthfirst)"
)


def norm(header: str) -> str:
    """A column name compared loosely: lower case, BOM and spaces out, '_' for separators."""
    text = header.replace("\ufeff", "").strip().lower()
    return re.sub(r"[\s_-]+", "_", text)


@dataclass(slots=True)
class Sheet:
    """An uploaded CSV table: its header and its rows with their spreadsheet row numbers."""

    file: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (row number, normalised column → cell)


def _separator(text: str) -> str:
    """',' — or ';' or a tab when the header row has more of those (a spreadsheet's locale)."""
    first = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=lambda c: (first.count(c), c == ","))


def read_sheet(
    data: bytes, file: str, max_rows: int | None = None, max_cells: int | None = None
) -> Sheet:
    """The CSV as a :class:`Sheet`; raise DataError when it is not readable CSV text.

    ``max_rows`` / ``max_cells``: refuse a file of more records (blank ones included) or more
    cells, before the rest is read (None: any number, as on the command line).
    """

    def fail(message: str, fix: str, row: int | None = None) -> DataError:
        return DataError([Problem(file, message, fix, row=row)], file)

    if b"\x00" in data[:65536]:
        raise fail("the file is binary, not CSV text", "upload a CSV file saved as UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise fail(
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x})",
            "save the file as UTF-8 (in a spreadsheet: CSV UTF-8)",
            line,
        ) from None
    try:
        records = read_records(
            text,
            delimiter=_separator(text),
            max_records=None if max_rows is None else max_rows + 1,  # and the header
            max_cells=max_cells,
        )
    except TooLarge as exc:
        raise fail(*_too_big(str(exc)), exc.row) from None
    except CsvError as exc:
        raise fail(f"the file is not valid CSV ({exc})", "check quotes and separators") from None
    numbered = [(n, r) for n, r in enumerate(records, start=1) if any(c.strip() for c in r)]
    if not numbered:
        raise fail("the file is empty", "upload a CSV file with a header row and rows", 1)
    (_, first), body = numbered[0], numbered[1:]
    header = [norm(h) for h in first]
    rows = []
    for number, record in body:
        cells = [c.strip() for c in record] + [""] * (len(header) - len(record))
        rows.append((number, dict(zip(header, cells, strict=False))))
    return Sheet(file, [h.replace("\ufeff", "").strip() for h in first], rows)


def _too_big(what: str) -> tuple[str, str]:
    """(message, fix) for an upload over the Import page's limits."""
    return (
        f"the file has {what}: the Import page reads up to that in the browser",
        "split the file, or import it on the command line (python -m chronology import FILE "
        "OUTDIR), which takes more, and open the folder it writes",
    )


def slug(text: str, fallback: str = "item") -> str:
    """'Military Forces of Niger (2023-)' → 'military-forces-of-niger-2023'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")
    return out or fallback


class _Text(HTMLParser):
    """Collects the text of HTML: tags dropped, entities decoded, script and style skipped."""

    _BREAKS = frozenset({"br", "p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "tr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in self._BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in self._BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(" ".join(data.split("\n")))  # in HTML a new line is a space


def html_text(markup: str) -> str:
    """The text of an HTML fragment, never its markup: paragraphs kept as single new lines."""
    if "<" not in markup and "&" not in markup:
        return markup.strip()
    parser = _Text()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def iso(year: int, month: int | None = None, day: int | None = None) -> str:
    """Parts as a partial ISO date, checked: raise DateError when they name no real date."""
    if year < MIN_YEAR:
        raise DateError(
            f"the year {year} is before {MIN_YEAR}"
            + (" (a year before the common era)" if year <= 0 else ""),
            f"this timeline's dates hold years {MIN_YEAR} to 9999; leave the row out or "
            "keep it elsewhere",
        )
    text = f"{year:04d}"
    if month is not None:
        text += f"-{month:02d}"
        if day is not None:
            text += f"-{day:02d}"
    return parse_partial(text).text


def partial_date(text: str, order: str | None = None) -> str:
    """A written date as a partial ISO date, at the precision written; raise DateError.

    A date in numbers with the year last ('15/03/2024', '15-03-2024') is read the one way it
    can be; one that reads both ways ('03/04/2024') needs ``order`` (:data:`DAY_ORDERS`).
    """
    value = " ".join(text.replace(",", " ").split())
    if re.fullmatch(r"\d{1,4}(-\d{1,2}(-\d{1,2})?)?", value):
        return iso(*(int(p) for p in value.split("-")))
    if re.fullmatch(r"-\d+", value):
        return iso(int(value))
    for pattern, parts in ((_DAY_MONTH_YEAR, "dmy"), (_MONTH_DAY_YEAR, "mdy")):
        match = pattern.fullmatch(value)
        if match and _MONTHS.get(match[parts.index("m") + 1].lower()):
            d, m, y = (match[parts.index(k) + 1] for k in "dmy")
            return iso(int(y), _MONTHS[m.lower()], int(d))
    match = _MONTH_YEAR.fullmatch(value)
    if match and match[1].lower() in _MONTHS:
        return iso(int(match[2]), _MONTHS[match[1].lower()])
    match = _NUMERIC_DAY.fullmatch(value)
    if match:
        first, second, year = int(match[1]), int(match[3]), int(match[4])
        if first > 12 >= second or order == "dayfirst":
            return iso(year, second, first)
        if second > 12 >= first or order == "monthfirst":
            return iso(year, first, second)
        if first == second:
            return iso(year, first, first)
        if first <= 12 and second <= 12:
            raise DateError(
                f"{text!r} reads two ways: {first} {MONTH_NAMES[second - 1]} {year} (day "
                f"first) or {second} {MONTH_NAMES[first - 1]} {year} (month first)",
                ORDER_FIX,
            )
    raise DateError(f"{text!r} is not a date this import reads", DATE_FIX)


def _quoting_cr(columns: list[str], rows: list[dict[str, str]]) -> str:
    """The table as CSV with '\\n' line ends, a cell holding a CR quoted like one holding LF.

    A writer ending lines with '\\n' quotes cells with '\\n' but leaves a lone CR bare, which
    a reader takes for a line end: rows with one are written by a writer ending lines with
    '\\r\\n' (which quotes both), that ending then put back to '\\n'.
    """
    buffer = io.StringIO()
    plain = csv.DictWriter(buffer, columns, extrasaction="ignore", lineterminator="\n")
    plain.writeheader()
    one = io.StringIO()
    quoting = csv.DictWriter(one, columns, extrasaction="ignore", lineterminator="\r\n")
    for row in rows:
        values = {c: row.get(c, "") for c in columns}
        if not any("\r" in v for v in values.values()):
            plain.writerow(values)
            continue
        one.seek(0)
        one.truncate()
        quoting.writerow(values)
        buffer.write(one.getvalue()[:-2] + "\n")
    return buffer.getvalue()


def day_of(iso: str) -> date:
    """The date of a full ISO day."""
    return date.fromisoformat(iso)


@dataclass(slots=True)
class Builder:
    """Collects events, actors, categories and citation sources; writes the seven tables."""

    file: str
    title: str = ""
    day_order: str | None = None  # how numeric dates like 03/04/2024 are written (DAY_ORDERS)
    events: list[dict[str, str]] = field(default_factory=list)
    actors: dict[str, dict[str, str]] = field(default_factory=dict)  # name → row
    categories: dict[str, dict[str, str]] = field(default_factory=dict)  # name → row
    sources: dict[tuple[str, str, str], dict[str, str]] = field(default_factory=dict)
    event_actors: list[dict[str, str]] = field(default_factory=list)
    citations: list[dict[str, str]] = field(default_factory=list)
    origin: dict[str, int] = field(default_factory=dict)  # event id → row in the upload
    problems: list[Problem] = field(default_factory=list)
    more_problems: int = 0  # problems past MAX_PROBLEMS: counted, not kept
    _taken: dict[str, set[str]] = field(default_factory=dict)  # table → ids given out
    _next: dict[tuple[str, str], int] = field(default_factory=dict)  # (table, base) → next n
    _links: set[tuple[str, str]] = field(default_factory=set)
    _linked: set[str] = field(default_factory=set)  # events with an actor

    def problem(self, row: int, column: str, message: str, fix: str, value: str = "") -> None:
        """Record a problem with a row of the upload (past MAX_PROBLEMS, only counted)."""
        if len(self.problems) >= MAX_PROBLEMS:
            self.more_problems += 1
            return
        self.problems.append(Problem(self.file, message, fix, row, column, value or None))

    def listed_problems(self) -> list[Problem]:
        """The problems kept, then one line counting the rest (if any)."""
        if not self.more_problems:
            return list(self.problems)
        more = Problem(
            self.file,
            f"{self.more_problems:,} more row{'s' if self.more_problems != 1 else ''} with "
            f"problems, not listed (the first {MAX_PROBLEMS} are above)",
            "fix the problems above and upload the file again: the same kinds of mistake "
            "are usually repeated",
        )
        return [*self.problems, more]

    def _unique(self, base: str, table: str) -> str:
        """``base``, or ``base-2``, ``base-3``… : an id not yet taken in ``table``.

        Each base remembers the next number to try, so a thousand rows with one title cost a
        thousand steps, not half a million: every number tried is taken by an id made earlier.
        """
        used = self._taken.setdefault(table, set())
        if base not in used:
            used.add(base)
            return base
        n = self._next.get((table, base), 2)
        while f"{base}-{n}" in used:
            n += 1
        out = f"{base}-{n}"
        self._next[(table, base)] = n + 1
        used.add(out)
        return out

    def category(self, name: str, description: str = "") -> str:
        """The id of the category called ``name`` (made on first use)."""
        if name not in self.categories:
            cid = self._unique(slug(name, "category"), "categories")
            self.categories[name] = {"id": cid, "name": name, "description": description}
        return self.categories[name]["id"]

    def actor(self, name: str, kind: str = "unspecified", description: str = "") -> str:
        """The id of the actor called ``name`` (made on first use, with its first kind)."""
        if name not in self.actors:
            aid = self._unique(slug(name, "actor"), "actors")
            self.actors[name] = {
                "id": aid,
                "name": name,
                "kind": kind,
                "parent": "",
                "description": description,
            }
        return self.actors[name]["id"]

    def source(
        self, title: str, address: str = "", publisher: str = "unknown", published: str = ""
    ) -> str:
        """The id of the citation source with this title, address and publisher.

        ``published``: its publication date where the file gives one in a column of its own;
        else none (the dates of the events it reports are not its date).
        """
        key = (title, address, publisher)
        if key not in self.sources:
            sid = self._unique(slug(title, "source"), "sources")
            self.sources[key] = {
                "id": sid,
                "title": title,
                "address": address,
                "publisher": publisher,
                "published": published,
            }
        return self.sources[key]["id"]

    def event(self, row: int, base_id: str, **values: str) -> str:
        """Add an event from upload row ``row``; returns its id (``base_id`` made unique)."""
        eid = self._unique(slug(base_id, f"row-{row}"), "events")
        self.events.append({"id": eid, "status": "happened", **values})
        self.origin[eid] = row
        return eid

    def link(self, event_id: str, actor_id: str, role: str) -> None:
        """Actor ``actor_id`` took part in the event (its first role is kept)."""
        if (event_id, actor_id) not in self._links:
            self._links.add((event_id, actor_id))
            self._linked.add(event_id)
            self.event_actors.append({"event_id": event_id, "actor_id": actor_id, "role": role})

    def cite(
        self,
        event_id: str,
        source_id: str,
        date_text: str,
        note: str = "",
        quote: str = "",
        **more: str,
    ) -> None:
        """The source gives ``date_text`` for the event (what the row says of its source).

        ``more``: other columns of citations.csv the file fills (e.g. which of the event's
        fields the citation backs, where a reader knows it); a column the schema does not
        have is not written.
        """
        self.citations.append(
            {
                "event_id": event_id,
                "source_id": source_id,
                "date": date_text,
                "note": note,
                "quote": quote,
                **more,
            }
        )

    def cite_row(
        self,
        event_id: str,
        source_id: str,
        date_text: str | None = None,
        note: str = "",
        quote: str = "",
    ) -> None:
        """Cite the row's own source for what the row gives: its date (``date_text``: as the
        source gives it, default the event's), the summary, and the end date, place and actors
        where the row has them (so each field the pages show is backed, and nothing more): call
        it after linking the row's actors. An end date the cited date does not cover is a second
        citation of the same source, dated so."""
        event = next(e for e in reversed(self.events) if e["id"] == event_id)
        given = event["date"] if date_text is None else date_text
        end = event.get("end_date", "")
        covered = bool(end and given) and end.startswith(given)
        fields = ["summary", "date", *(["end_date"] if covered else [])]
        fields += ["place"] if event.get("place") else []
        fields += ["actors"] if event_id in self._linked else []
        self.cite(event_id, source_id, given, note, quote, supports=";".join(fields))
        if end and not covered:
            self.cite(event_id, source_id, end, "the end date the row gives", supports="end_date")

    def drop_rows(self, rows: set[int]) -> None:
        """Leave out the events built from these rows of the upload (and their links)."""
        gone = {eid for eid, row in self.origin.items() if row in rows}
        self.events = [e for e in self.events if e["id"] not in gone]
        self.event_actors = [r for r in self.event_actors if r["event_id"] not in gone]
        self.citations = [r for r in self.citations if r["event_id"] not in gone]
        used_sources = {r["source_id"] for r in self.citations}
        self.sources = {k: v for k, v in self.sources.items() if v["id"] in used_sources}
        used_actors = {r["actor_id"] for r in self.event_actors}
        self.actors = {k: v for k, v in self.actors.items() if v["id"] in used_actors}
        used = {e["category"] for e in self.events}
        self.categories = {k: v for k, v in self.categories.items() if v["id"] in used}

    def files(self, name: str) -> dict[str, bytes]:
        """The data package as ``{path: bytes}``: the seven tables and a datapackage.json."""
        schema = load_schema()
        self._date_sources()
        tables = {
            "categories": list(self.categories.values()),
            "actors": list(self.actors.values()),
            "sources": list(self.sources.values()),
            "events": self.events,
            "event_actors": self.event_actors,
            "excerpts": [],
            "citations": self.citations,
        }
        out: dict[str, bytes] = {}
        for res in schema.resources:
            if res.optional_file and res.name not in tables:
                continue  # e.g. disputes.csv: an import records none
            rows = tables[res.name]
            columns = [
                c for c in res.columns if c in res.core_columns or any(r.get(c) for r in rows)
            ]
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, columns, extrasaction="ignore", lineterminator="\n")
            writer.writeheader()
            writer.writerows({c: r.get(c, "") for c in columns} for r in rows)
            text = buffer.getvalue()
            if "\r" in text:  # a lone CR in a cell: the writer quotes only what ends its lines
                text = _quoting_cr(columns, rows)
            out[res.path] = text.encode("utf-8")
        descriptor = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
        descriptor["name"] = slug(name, "imported-timeline")
        descriptor["title"] = name
        descriptor["description"] = (
            f"Imported from {self.file}: citation-only events. Nothing the file does not say "
            "was filled in: a source without a publication date in the file has none."
        )
        descriptor.pop("sources", None)
        descriptor.pop("chronology:quotedMaterial", None)
        descriptor["licenses"] = []
        out["datapackage.json"] = (
            json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"
        ).encode()
        return out

    def _date_sources(self) -> None:
        """Sources are citations; one the file gives no date for has none (never estimated)."""
        for row in self.sources.values():
            row["kind"] = "citation"
            row["date_estimated"] = "false"
