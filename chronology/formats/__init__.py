"""Formats: read other people's timelines into our data package, and write ours out.

One module per format, reading and writing side by side: ``timelinejs`` (Knight Lab's sheet CSV
and TimelineJS3 JSON), ``acled`` (ACLED exports), ``plain`` (a plain events table), ``package``
(our own data package as a .zip). The layout of a CSV is detected from its header.

Usage::

    imported = read_file(data, "my-sheet.csv")        # layout detected; DataError if unusable
    imported.label, imported.columns                  # what was seen, what each column became
    ds = to_dataset(imported)                         # the same checks as `chronology check`
    kept, ds = good_rows(imported)                    # or: the good rows, the others listed

A reader turns the file into our data package in memory (``{relative path: bytes}``): every row
an event citing what the row says of its source (citation only), dates at their own precision.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath
from types import ModuleType

from ..data.dataset import DataSet
from ..data.errors import DataError, Problem
from ..data.load import load_files
from . import acled, plain, timelinejs
from .build import DAY_ORDERS, Builder, norm, read_sheet
from .package import is_zip, read_zip

__all__ = [
    "DAY_ORDERS",
    "LAYOUTS",
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MAX_UNPACKED",
    "MAX_UPLOAD",
    "Imported",
    "detect",
    "good_rows",
    "read_file",
    "skipped_rows",
    "to_dataset",
]

_READERS: dict[str, ModuleType] = {m.LAYOUT: m for m in (timelinejs, acled, plain)}
LAYOUTS = (*_READERS, "package")
"""The layouts a file can be read as (``package``: our own data package as a .zip)."""
MAX_UPLOAD = 10 * 1024 * 1024
"""The largest file read, in bytes (``server.maxUploadSize`` in .streamlit/config.toml too)."""
MAX_ROWS = 100_000
"""The most rows (or TimelineJS3 events) an upload may hold: the Import page keeps the data set
in the server's memory for the browser session; the command line takes more."""
MAX_CELLS = 4_000_000
"""The most cells of an uploaded CSV (100,000 rows of an ACLED export's 31 columns fit)."""
MAX_COLUMNS = 1_000
"""The most columns of an uploaded CSV (the page lists what each became)."""
MAX_UNPACKED = 3 * MAX_UPLOAD
"""The most bytes an uploaded .zip may unpack to (a zip bomb stops here)."""
_MAX_BRACKETS = 10 * MAX_ROWS
"""The most objects and arrays a JSON upload may open (each costs memory once parsed)."""
_HINT = (
    "use one of the layouts: TimelineJS sheet (Year, Month, Day, Headline, Text, …), "
    "ACLED export (event_date, time_precision, event_type, actor1, …) or a plain events table "
    "(date, end_date, title, summary, actors, category, source_title, source_address, quote)"
)
_NEEDED = {"timelinejs": ("year",), "acled": ("event_date", "actor1"), "plain": ("date", "title")}


@dataclass(frozen=True)
class Imported:
    """A file read into our data package (in memory), with what the reader saw and did."""

    file: str
    layout: str
    label: str
    name: str
    files: Mapping[str, bytes]
    columns: tuple[tuple[str, str], ...] = ()  # (column in the file, what it became)
    rows: int = 0  # data rows read
    problems: tuple[Problem, ...] = ()  # rows that could not be imported (the first ones)
    problem_total: int = 0  # problems found, listed or not
    origin: Mapping[tuple[str, int], int] = field(default_factory=dict, repr=False)
    builder: Builder | None = field(default=None, repr=False, compare=False)

    @property
    def events(self) -> int:
        """How many events the rows without problems make."""
        return len(self.builder.events) if self.builder else 0

    @property
    def summary(self) -> str:
        """'TimelineJS sheet: 12 rows' — the layout seen, and how much of it."""
        return f"{self.label}: {self.rows} row{'s' if self.rows != 1 else ''}"


def detect(header: set[str]) -> str | None:
    """The layout a CSV header (normalised names) belongs to, or None."""
    return next((name for name, m in _READERS.items() if m.matches(header)), None)


def _size(n: int) -> str:
    """'20 MB', '21.2 MB', '100 bytes'."""
    return f"{n / 2**20:.1f} MB".replace(".0 MB", " MB") if n >= 2**20 else f"{n:,} bytes"


def _stem(file: str) -> str:
    return PurePosixPath(file.replace("\\", "/")).stem or "upload"


def _package(data: bytes, file: str, max_rows: int | None) -> Imported:
    files = read_zip(data, file) if max_rows is None else read_zip(data, file, MAX_UNPACKED)
    lines = files["events.csv"].count(b"\n")
    if max_rows is not None and lines > max_rows + 1:
        raise DataError(
            [
                Problem(
                    file,
                    f"events.csv has more than {max_rows:,} rows: the Import page reads up to "
                    "that in the browser",
                    "check the folder on the command line (python -m chronology check FOLDER), "
                    "which takes more, and open it with --data FOLDER",
                )
            ],
            file,
        )
    name = _stem(file)
    with contextlib.suppress(ValueError, AttributeError, RecursionError):
        name = json.loads(files.get("datapackage.json", b"{}")).get("title") or name
    return Imported(
        file,
        "package",
        "data package (.zip)",
        str(name),
        files,
        tuple((p, "as it is") for p in sorted(files)),
        len(files),
    )


def _origin(out: Builder, files: Mapping[str, bytes]) -> dict[tuple[str, int], int]:
    """(table, row) of the built package → row of the upload, for the rows built from one."""
    origin: dict[tuple[str, int], int] = {}
    for number, row in enumerate(out.events, start=2):
        origin[("events.csv", number)] = out.origin[row["id"]]
    for path, rows in (("citations.csv", out.citations), ("event_actors.csv", out.event_actors)):
        for number, row in enumerate(rows, start=2):
            origin[(path, number)] = out.origin[row["event_id"]]
    return origin


def read_file(
    data: bytes,
    file: str,
    layout: str | None = None,
    limit: int | None = MAX_UPLOAD,
    max_rows: int | None = MAX_ROWS,
    day_order: str | None = None,
) -> Imported:
    """Read an upload (CSV, TimelineJS3 JSON or a .zip of our package); DataError if unusable.

    ``limit``: the largest file read, in bytes; ``max_rows``: the most rows (and, for a CSV,
    ``MAX_CELLS`` cells) — both refused before the rest is read (None: any size, as on the
    command line). ``day_order``: how dates like 03/04/2024 are written (:data:`DAY_ORDERS`);
    without it such a date is listed with its fix (15/03/2024 reads one way only and needs none).
    """
    if limit is not None and len(data) > limit:
        raise DataError(
            [
                Problem(
                    file,
                    f"the file is {_size(len(data))}, more than {_size(limit)}",
                    "split it, or import it on the command line",
                )
            ],
            file,
        )
    if layout == "package" or (layout is None and is_zip(data)):
        return _package(data, file, max_rows)
    out = Builder(file, day_order=day_order if day_order in DAY_ORDERS else None)
    if layout in (None, "timelinejs") and data.lstrip(b"\xef\xbb\xbf \r\n\t")[:1] == b"{":
        document = _json(data, file, max_rows)
        timelinejs.read_json(document, out)
        rows = sum(
            len(v) for v in (document.get("events"), document.get("eras")) if isinstance(v, list)
        )
        columns: tuple[tuple[str, str], ...] = (
            ("events", "events (eras: periods)"),
            ("title", "the timeline's name"),
        )
        return _finish(out, "timelinejs", "TimelineJS3 JSON", columns, rows)
    cells = None if max_rows is None else MAX_CELLS
    sheet = read_sheet(data, file, max_rows, cells)
    if max_rows is not None and len(sheet.header) > MAX_COLUMNS:
        raise DataError(
            [
                Problem(
                    file,
                    f"the header has {len(sheet.header):,} columns: the Import page reads up to "
                    f"{MAX_COLUMNS:,}",
                    "keep the columns of one of the layouts, or import the file on the command "
                    "line (python -m chronology import FILE OUTDIR)",
                    row=1,
                )
            ],
            file,
        )
    header = {norm(h) for h in sheet.header if h}
    found = layout or detect(header)
    if found is None or found not in _READERS:
        raise DataError(
            [
                Problem(
                    file,
                    "the header matches no layout this import reads",
                    _HINT,
                    row=1,
                    value=", ".join(sheet.header[:12]),
                )
            ],
            file,
        )
    module = _READERS[found]
    needed = ("start_date",) if found == "timelinejs" and "start_date" in header else _NEEDED[found]
    missing = [c for c in needed if c not in {plain.ALIASES.get(h, h) for h in header}]
    if missing:
        raise DataError(
            [Problem(file, f"a {module.LABEL} needs the column {missing[0]!r}", _HINT, row=1)], file
        )
    module.read(sheet, out)
    columns = tuple(
        (name, module.COLUMNS.get(plain.ALIASES.get(n, n) if found == "plain" else n, "not used"))
        for name, n in ((h, norm(h)) for h in sheet.header)
    )
    return _finish(out, found, module.LABEL, columns, len(sheet.rows))


def _json_fail(
    file: str, message: str, fix: str = "export the TimelineJS3 JSON again"
) -> DataError:
    return DataError([Problem(file, message, fix)], file)


def _json(data: bytes, file: str, max_rows: int | None) -> dict:
    """A TimelineJS3 document: a JSON object of text, within the limits; DataError otherwise."""
    if max_rows is not None and data.count(b"{") + data.count(b"[") > _MAX_BRACKETS:
        raise _json_fail(
            file,
            f"the JSON holds more than {_MAX_BRACKETS:,} objects and lists: the Import page "
            "reads up to that in the browser",
            "split the file, or import it on the command line (python -m chronology import "
            "FILE OUTDIR), which takes more",
        )
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except RecursionError:
        raise _json_fail(
            file,
            "the JSON is nested too deeply (lists or objects inside each other thousands of "
            "levels down)",
            "give a TimelineJS3 document: an object with 'events', each event an object",
        ) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise _json_fail(file, f"the file is not valid JSON ({exc})") from None
    if not isinstance(document, dict):
        raise _json_fail(
            file, "the JSON is not a TimelineJS3 document", "give an object with 'events'"
        )
    broken = _lone_surrogate(document)
    if broken is not None:
        raise DataError(
            [
                Problem(
                    file,
                    "the JSON holds half of a character (a lone surrogate, \\ud800–\\udfff), "
                    "which is not text",
                    "export the JSON again from the program that made it, or remove that "
                    "\\u escape",
                    value=broken.encode("utf-8", "backslashreplace").decode("ascii", "replace"),
                )
            ],
            file,
        )
    events = document.get("events")
    if max_rows is not None and isinstance(events, list) and len(events) > max_rows:
        raise _json_fail(
            file,
            f"the file has {len(events):,} events: the Import page reads up to {max_rows:,} "
            "in the browser",
            "split the file, or import it on the command line (python -m chronology import "
            "FILE OUTDIR), which takes more",
        )
    return document


def _lone_surrogate(document: object) -> str | None:
    """The first string of a parsed JSON document that cannot be written as UTF-8, or None."""
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return item
        elif isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def _finish(
    out: Builder, layout: str, label: str, columns: tuple[tuple[str, str], ...], rows: int
) -> Imported:
    if not out.events and not out.problems:
        out.problems.append(
            Problem(
                out.file,
                "the file has no rows to import",
                "add one row per event under the header",
                row=2,
            )
        )
    name = out.title or _stem(out.file)
    files = out.files(name)
    return Imported(
        out.file,
        layout,
        label,
        name,
        files,
        columns,
        rows,
        tuple(out.listed_problems()),
        len(out.problems) + out.more_problems,
        _origin(out, files),
        out,
    )


def to_dataset(imported: Imported) -> DataSet:
    """Check the package with the same rules as ``chronology check`` and build the data set.

    Raises DataError listing the rows that could not be imported and every problem of the
    package; a problem with a table built from a row names that row of the upload.
    """
    if imported.problems:
        raise DataError(list(imported.problems), imported.file, imported.problem_total)
    try:
        return load_files(imported.files, imported.name)
    except DataError as exc:
        raise DataError([_back(p, imported) for p in exc.problems], imported.file) from None


def skipped_rows(problems: tuple[Problem, ...] | list[Problem], file: str) -> list[int]:
    """The rows of the upload ``file`` that these problems name (each once, in order)."""
    return sorted({p.row for p in problems if p.file == file and p.row and p.row > 1})


def good_rows(imported: Imported) -> tuple[Imported, DataSet]:
    """The rows without problems as a data set; the others skipped, every problem listed.

    Returns the package of the good rows (its ``problems``: every problem of the rows left
    out, each naming file, row, column, value and fix) and its data set. Raises DataError when
    a problem is not one of a row (the file as a whole) or no row is left.
    """
    if imported.builder is None:  # a data package: no rows to skip
        return imported, to_dataset(imported)
    problems = list(imported.problems)
    out = imported.builder
    out.drop_rows(set(skipped_rows(problems, imported.file)))
    for _ in range(5):  # each round drops the rows the package checks found wanting
        if not out.events:
            raise DataError(problems or [Problem(imported.file, "no row is left", "fix the rows")])
        files = out.files(imported.name)
        kept = replace(imported, files=files, origin=_origin(out, files), problems=())
        try:
            ds = load_files(files, imported.name)
        except DataError as exc:
            found = [_back(p, kept) for p in exc.problems]
            rows = set(skipped_rows(found, imported.file))
            if not rows or any(p.file != imported.file or not p.row for p in found):
                raise DataError(problems + found, imported.file) from None
            problems += found
            out.drop_rows(rows)
            continue
        return replace(kept, problems=tuple(problems)), ds
    raise DataError(problems, imported.file)


def _back(problem: Problem, imported: Imported) -> Problem:
    """A problem with a built table, placed on the row of the upload it was built from."""
    row = imported.origin.get((problem.file, problem.row or 0))
    if row is None:
        return problem
    column = f"{problem.file.removesuffix('.csv')}.{problem.column}" if problem.column else None
    return Problem(imported.file, problem.message, problem.fix, row, column, problem.value)
