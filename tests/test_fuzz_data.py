"""Property-based data fuzzing (issue 11): random mutations of a valid data directory.

A copy of ``tests/fixtures/minimal`` gets a few random changes — cells, rows, columns,
encodings, deleted and truncated files, stray bytes — and then either loads, or raises DataError
whose every problem names its file and a fix, and its row (and column) when it concerns a cell.
Never another exception, never a hang (per-test timeout). The examples are derandomised, so CI
sees the same ones every run; set HYPOTHESIS_EXPLORE=1 to draw new ones (and
HYPOTHESIS_EXAMPLES=1000 for more of them).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import chronology
from chronology import DataError
from chronology.data.load import load_files
from chronology.data.schema import load_schema
from chronology.views import palette, summaries

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

MINIMAL = Path(__file__).resolve().parent / "fixtures" / "minimal"
TABLES = [res.path for res in load_schema().resources]
TEXTS = sorted(str(p.relative_to(MINIMAL)) for p in (MINIMAL / "sources").iterdir())
FILES = [*TABLES, *TEXTS]
EXPLORE = bool(os.environ.get("HYPOTHESIS_EXPLORE"))
FUZZ = settings(
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "50")),
    deadline=None,
    database=None,
    derandomize=not EXPLORE,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

Mutation = Callable[[Path], None]

# Values worth trying in a cell: ids of other tables, dates near the edges, paths out, junk.
CELL_VALUES = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "coup",
            "niger",
            "us-africom",
            "united-states",
            "wire-april",
            "record-2024-09",
            "military",
            "true",
            "false",
            "article",
            "citation",
            "2024",
            "2024-02-30",
            "2024-13",
            "0000-01-01",
            "9999-12-31",
            "last month",
            "in March",
            "../x.txt",
            "/etc/passwd",
            "sources",
            "sources/wire-june.txt",
            '=HYPERLINK("http://x")',
            "<script>alert(1)</script>",
            "x" * 5000,
        ]
    ),
    st.text(max_size=40),
)


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def _write_rows(path: Path, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _table_edit(edit: Callable[[list[list[str]]], None]) -> Callable[[str], Mutation]:
    """A mutation that edits a table as rows of cells (skipped when it no longer parses)."""

    def on(file: str) -> Mutation:
        def mutate(directory: Path) -> None:
            path = directory / file
            try:
                rows = _rows(path)
            except (OSError, UnicodeDecodeError, csv.Error):
                return
            if rows:
                edit(rows)
                _write_rows(path, rows)

        return mutate

    return on


@st.composite
def cell_edits(draw: st.DrawFn) -> Mutation:
    file = draw(st.sampled_from(TABLES))
    row, col, value = draw(st.integers(1, 12)), draw(st.integers(0, 12)), draw(CELL_VALUES)

    def edit(rows: list[list[str]]) -> None:
        if len(rows) > 1:
            cells = rows[1 + (row - 1) % (len(rows) - 1)]
            if cells:
                cells[col % len(cells)] = value

    return _table_edit(edit)(file)


@st.composite
def row_edits(draw: st.DrawFn) -> Mutation:
    file, row = draw(st.sampled_from(TABLES)), draw(st.integers(0, 12))
    kind = draw(st.sampled_from(["drop", "duplicate", "drop all", "header only twice"]))

    def edit(rows: list[list[str]]) -> None:
        i = row % len(rows)
        if kind == "drop":
            del rows[i]
        elif kind == "duplicate":
            rows.append(list(rows[i]))
        elif kind == "drop all":
            del rows[1:]
        else:
            rows.insert(1, list(rows[0]))

    return _table_edit(edit)(file)


@st.composite
def column_edits(draw: st.DrawFn) -> Mutation:
    file, col = draw(st.sampled_from(TABLES)), draw(st.integers(0, 12))
    kind = draw(st.sampled_from(["drop", "rename", "duplicate", "swap"]))
    name = draw(st.sampled_from(["id", "Date", "", "parent", "text_file", "extra", "date "]))

    def edit(rows: list[list[str]]) -> None:
        j = col % max(len(rows[0]), 1)
        if not rows[0]:
            return
        if kind == "drop":
            for cells in rows:
                del cells[j : j + 1]
        elif kind == "rename":
            rows[0][j] = name
        elif kind == "duplicate":
            for cells in rows:
                cells.append(cells[j] if j < len(cells) else "")
        else:
            rows[0][0], rows[0][j] = rows[0][j], rows[0][0]

    return _table_edit(edit)(file)


@st.composite
def file_edits(draw: st.DrawFn) -> Mutation:
    file = draw(st.sampled_from(FILES))
    kind = draw(
        st.sampled_from(["delete", "truncate", "encode", "bytes", "empty", "folder", "bom"])
    )
    fraction = draw(st.floats(0, 1))
    encoding = draw(st.sampled_from(["latin-1", "utf-16", "utf-16-be", "cp1252", "utf-8-sig"]))
    junk = draw(st.binary(min_size=1, max_size=8))

    def mutate(directory: Path) -> None:
        path = directory / file
        if not path.is_file():
            return
        data = path.read_bytes()
        at = int(len(data) * fraction)
        if kind == "delete":
            path.unlink()
        elif kind == "truncate":
            path.write_bytes(data[:at])
        elif kind == "encode":
            path.write_bytes(data.decode("utf-8", "replace").encode(encoding, "replace"))
        elif kind == "bytes":
            path.write_bytes(data[:at] + junk + data[at:])
        elif kind == "empty":
            path.write_bytes(b"")
        elif kind == "folder":
            path.unlink()
            path.mkdir()
        else:
            path.write_bytes(b"\xef\xbb\xbf" + data)

    return mutate


MUTATIONS = st.lists(
    st.one_of(cell_edits(), row_edits(), column_edits(), file_edits()), min_size=1, max_size=4
)


def _assert_contract(directory: Path) -> None:
    """Loads, or raises DataError whose every problem is placed and has a fix."""
    try:
        ds = chronology.load(directory)
    except DataError as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.file in FILES or p.file == str(directory), p
            assert p.message.strip() and p.fix.strip(), p
            if p.value not in (None, ""):  # about a cell: say which
                assert p.row is not None and p.row >= 1 and p.column, p
            if p.row is not None:
                assert p.row >= 1, p
            assert str(p)
        assert exc.report().count("\n") == len(exc.problems)
        return
    assert len(ds.events) >= 1
    assert ds.summary()
    palette.actor_colours(ds)
    summaries.actor_directory(ds)
    for sid in ds.sources["id"]:
        ds.source_rows[sid]


@FUZZ
@given(MUTATIONS)
def test_mutated_data_loads_or_is_refused_with_placed_problems(
    mutations: list[Mutation],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(shutil.copytree(MINIMAL, Path(tmp) / "data"))
        for mutate in mutations:
            mutate(directory)
        _assert_contract(directory)


@FUZZ
@given(st.sampled_from(FILES), st.binary(max_size=2000))
def test_any_bytes_in_any_file(file: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(shutil.copytree(MINIMAL, Path(tmp) / "data"))
        (directory / file).write_bytes(data)
        _assert_contract(directory)


@FUZZ
@given(
    st.sampled_from(TABLES),
    st.lists(st.lists(CELL_VALUES, min_size=0, max_size=12), min_size=0, max_size=8),
)
def test_any_rows_under_the_real_header(file: str, rows: list[list[str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(shutil.copytree(MINIMAL, Path(tmp) / "data"))
        path = directory / file
        _write_rows(path, [_rows(path)[0], *rows])
        _assert_contract(directory)


def _outcome(load: Callable[[], object]) -> list[tuple[object, ...]]:
    """The problems of a load, by place and message ([] when it loads)."""
    try:
        load()
    except DataError as exc:
        return [(p.file, p.row, p.column, p.message, p.fix, p.value) for p in exc.problems]
    return []


@FUZZ
@given(MUTATIONS)
def test_an_upload_is_checked_as_the_same_files_on_disk(mutations: list[Mutation]) -> None:
    """load_files on the mutated files reports exactly what load reports on the directory."""
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(shutil.copytree(MINIMAL, Path(tmp) / "data"))
        for mutate in mutations:
            mutate(directory)
        folders = [p for p in directory.rglob("*") if p.is_dir()]
        assume(folders == [directory / "sources"])  # a folder in place of a file: disk only
        files = {
            p.relative_to(directory).as_posix(): p.read_bytes()
            for p in directory.rglob("*")
            if p.is_file()
        }
        on_disk = _outcome(lambda: chronology.load(directory))
        _assert_contract(directory)
        assert _outcome(lambda: load_files(files, name=str(directory))) == on_disk
