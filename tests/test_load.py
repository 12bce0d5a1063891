"""Loading a data directory: every kind of problem, reported with its place and its fix.

Each broken directory is a copy of ``tests/fixtures/minimal/`` with one thing changed.
Rows count like a spreadsheet: the header is row 1, the first record row 2.
"""

from __future__ import annotations

import builtins
import csv
import gc
import io
import os
import random
import re
import string
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from data_edits import (
    SENTENCE,
    Mutation,
    add_line_cells,
    copy_row,
    delete,
    delete_rows,
    drop_column,
    edit_text,
    escaping_text_file,
    find,
    problems_of,
    read_csv,
    rename_column,
    set_cell,
    write_bytes,
    write_csv,
)

import chronology
from chronology import DataError, Problem
from chronology.data.load import load_files
from chronology.data.read.table import MAX_PROBLEMS_PER_FILE
from chronology.data.schema import load_schema

# --- the valid fixture -------------------------------------------------------------------------


def test_minimal_fixture_is_valid(fixtures_dir: Path) -> None:
    ds = chronology.load(fixtures_dir / "minimal")
    assert len(ds.events) == 5


def test_a_fresh_copy_is_valid(make_data_dir: Callable[..., Path]) -> None:
    """The broken cases below fail because of their one change, not because of the copy."""
    ds = chronology.load(make_data_dir())
    assert list(ds.events["id"])[-1] == "withdrawal-complete"


# --- every kind of problem ---------------------------------------------------------------------

CASES = [
    # files and structure
    pytest.param(
        drop_column("events.csv", "status"),
        "events.csv", 1, "status", "required column 'status' is missing", "add a column",
        id="missing column",
    ),
    pytest.param(
        rename_column("events.csv", "summary", "sumary"),
        "events.csv", 1, "sumary", "unknown column 'sumary'", "did you mean 'summary'?",
        id="unknown column",
    ),
    pytest.param(
        delete("actors.csv"),
        "actors.csv", None, None, "the file is missing",
        "create actors.csv with the header: id,name,kind,parent,description",
        id="missing file",
    ),
    pytest.param(
        delete_rows("sources.csv"),
        "sources.csv", 2, None, "the table has no rows", "add at least one row",
        id="empty table",
    ),
    pytest.param(  # categories may be empty (an import that names none), not when referred to
        delete_rows("categories.csv"),
        "events.csv", None, "category", "rows refer to categories.csv, which has no rows",
        "fix categories.csv first",
        id="empty categories referred to",
    ),
    pytest.param(
        write_bytes("categories.csv", b"\n \n"),
        "categories.csv", 1, None, "the file is empty", "add the header: id,name,description",
        id="empty file",
    ),
    pytest.param(
        edit_text("events.csv", lambda t: t.replace("agree the", "agreé the"), "latin-1"),
        "events.csv", 4, None, "not UTF-8 text (byte 0xe9", "save the file as UTF-8",
        id="events.csv latin-1",
    ),
    pytest.param(
        write_bytes("events.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
        "events.csv", None, None, "the file is binary", "UTF-8 CSV",
        id="binary events.csv",
    ),
    pytest.param(
        edit_text("events.csv", add_line_cells(5, ",extra")),
        "events.csv", 5, None, "the row has 11 cells but the header has 10", "extra comma",
        id="too many cells",
    ),
    pytest.param(
        edit_text("events.csv", add_line_cells(3, '"unclosed')),
        "events.csv", None, None, "not valid CSV", "quotes",
        id="unclosed quote",
    ),
    # values
    pytest.param(
        copy_row("events.csv", 2),
        "events.csv", 7, "id", "duplicate id 'coup' (first on row 2)", "its own id",
        id="duplicate id",
    ),
    pytest.param(
        copy_row("event_actors.csv", 4),
        "event_actors.csv", 10, None, "this row repeats row 4", "delete one",
        id="duplicate composite key",
    ),
    pytest.param(
        set_cell("events.csv", 3, "status", "rumoured"),
        "events.csv", 3, "status", "'rumoured' is not an allowed value",
        "happened, announced, planned",
        id="bad enum",
    ),
    pytest.param(
        set_cell("sources.csv", 2, "date_estimated", "yes"),
        "sources.csv", 2, "date_estimated", "not a boolean", "true or false",
        id="boolean not true/false",
    ),
    pytest.param(
        set_cell("events.csv", 3, "title", ""),
        "events.csv", 3, "title", "a value is required", "Short title",
        id="required value empty",
    ),
    pytest.param(
        set_cell("categories.csv", 2, "id", "Military Affairs"),
        "categories.csv", 2, "id", "does not have the expected form", "lower-case",
        id="id not a slug",
    ),
    # references
    pytest.param(
        set_cell("event_actors.csv", 7, "actor_id", "us-afrcom"),
        "event_actors.csv", 7, "actor_id", "unknown actor 'us-afrcom'", "did you mean 'us-africom'",
        id="unknown actor in event_actors",
    ),
    pytest.param(
        set_cell("excerpts.csv", 4, "source_id", "wire-apirl"),
        "excerpts.csv", 4, "source_id", "unknown source 'wire-apirl'", "did you mean 'wire-april'",
        id="unknown source in excerpts",
    ),
    pytest.param(
        set_cell("actors.csv", 6, "parent", "nigr"),
        "actors.csv", 6, "parent", "unknown actor 'nigr'", "did you mean 'niger'",
        id="unknown parent actor",
    ),
    pytest.param(
        set_cell("events.csv", 2, "category", "politics"),
        "events.csv", 2, "category", "unknown category 'politics'", "did you mean 'political'",
        id="unknown category",
    ),
    pytest.param(
        set_cell("actors.csv", 2, "parent", "us-africom"),
        "actors.csv", 2, "parent",
        "cycle: united-states → us-africom → us-military → united-states", "empty one parent",
        id="cycle in the actor tree",
    ),
    # dates
    pytest.param(
        set_cell("events.csv", 4, "date", "2024-13"),
        "events.csv", 4, "date", "'2024-13' has no month 13", "YYYY-MM",
        id="malformed date",
    ),
    pytest.param(
        set_cell("events.csv", 2, "date", "2023-02-29"),
        "events.csv", 2, "date", "2023 is not a leap year", "YYYY-MM-DD",
        id="impossible date",
    ),
    pytest.param(
        set_cell("events.csv", 3, "end_date", "2024-02"),
        "events.csv", 3, "end_date", "end 2024-02 is before start 2024-03", "on or after",
        id="end before start",
    ),
    pytest.param(
        set_cell("citations.csv", 2, "date", "2024-09-20"),
        "citations.csv", 2, "date", "falls outside event 'withdrawal-complete'", "correct the date",
        id="citation date outside its event",
    ),
    # sources and their stored texts
    pytest.param(
        set_cell("sources.csv", 3, "estimate_basis", ""),
        "sources.csv", 3, "estimate_basis", "an estimated date needs its basis", "estimate_basis",
        id="estimated date without basis",
    ),
    pytest.param(
        set_cell("sources.csv", 3, "estimate_latest", ""),
        "sources.csv", 3, "estimate_latest", "an estimated date needs its window", "latest",
        id="estimated date without window",
    ),
    pytest.param(
        set_cell("sources.csv", 3, "published", "2024-07-01"),
        "sources.csv", 3, "published", "lies outside its window 8–10 June 2024", "correct",
        id="estimate outside its window",
    ),
    pytest.param(
        delete("sources/wire-june.txt"),
        "sources.csv", 3, "text_file", "the text file sources/wire-june.txt is missing",
        "add the file",
        id="missing source text",
    ),
    pytest.param(
        write_bytes("sources/wire-april.txt", f"Caf\u00e9. {SENTENCE}".encode("latin-1")),
        "sources.csv", 2, "text_file", "sources/wire-april.txt is not UTF-8 text", "UTF-8",
        id="source text not UTF-8",
    ),
    pytest.param(
        escaping_text_file,
        "sources.csv", 2, "text_file", "outside the data directory", "inside the data directory",
        id="text_file escapes the directory",
    ),
    pytest.param(
        set_cell("sources.csv", 2, "text_file", ""),
        "sources.csv", 2, "text_file", "an article needs its stored text", "text_file",
        id="article without text",
    ),
    pytest.param(
        set_cell("excerpts.csv", 6, "source_id", "record-2024-09"),
        "excerpts.csv", 6, "source_id", "source 'record-2024-09' is a citation", "citations.csv",
        id="citation linked as an excerpt source",
    ),
    pytest.param(
        set_cell("citations.csv", 2, "source_id", "wire-june"),
        "citations.csv", 2, "source_id", "source 'wire-june' is an article", "excerpts.csv",
        id="article linked in citations",
    ),
    pytest.param(
        delete_rows("citations.csv", 2),
        "events.csv", 6, "id", "event 'withdrawal-complete' has no source", "add an excerpt",
        id="event with no source",
    ),
    pytest.param(
        set_cell("events.csv", 5, "date_note", ""),
        "events.csv", 5, "date_note", "nothing says where the date of event 'withdrawal-begins'",
        "date_note",
        id="event date with no basis",
    ),
    # excerpts and dating phrases
    pytest.param(
        set_cell("excerpts.csv", 4, "quote", SENTENCE.replace("defence", "defense")),
        "excerpts.csv", 4, "quote", "does not occur verbatim in source 'wire-april'", SENTENCE,
        id="quote not verbatim",
    ),
    pytest.param(
        set_cell("excerpts.csv", 5, "dating_phrase", "this month"),
        "excerpts.csv", 5, "dating_phrase", "the dating phrase is not in the quote", "exactly",
        id="dating phrase not in its excerpt",
    ),
    pytest.param(
        set_cell("events.csv", 4, "date", "2024-04"),
        "excerpts.csv", 5, "dating_phrase",
        "contradicts the event's date: 'last month' in a text of 8–10 June 2024 → May 2024",
        "correct the event's date",
        id="dating phrase contradicts the event date",
    ),
    pytest.param(
        set_cell("excerpts.csv", 6, "dating_phrase", "recently"),
        "excerpts.csv", 6, "dating_phrase", "no rule reads the dating phrase 'recently'",
        "last month",
        id="unknown dating phrase",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("mutate", "file", "row", "column", "message", "fix"), CASES)
def test_each_kind_of_problem(
    make_data_dir: Callable[..., Path],
    mutate: Mutation,
    file: str,
    row: int | None,
    column: str | None,
    message: str,
    fix: str,
) -> None:
    directory = make_data_dir()
    mutate(directory)
    problem = find(problems_of(directory), file, row, column, message)
    assert problem.fix.strip()
    assert fix in problem.fix


def test_problems_in_several_files_are_all_reported(make_data_dir: Callable[..., Path]) -> None:
    directory = make_data_dir()
    set_cell("events.csv", 4, "date", "2024-13")(directory)
    set_cell("actors.csv", 2, "parent", "us-africom")(directory)
    set_cell("sources.csv", 3, "estimate_basis", "")(directory)
    delete("sources/wire-april.txt")(directory)
    with pytest.raises(DataError) as info:
        chronology.load(directory)
    problems = info.value.problems
    assert len(problems) >= 4
    assert {"events.csv", "actors.csv", "sources.csv"} <= {p.file for p in problems}
    report = info.value.report()
    for p in problems:
        assert f"- {p}" in report


# --- messages that name the cause (issue 12) ---------------------------------------------------


@pytest.mark.parametrize("separator", [";", "\t"])
def test_a_file_with_another_separator_says_so(
    make_data_dir: Callable[..., Path], separator: str
) -> None:
    directory = make_data_dir()
    edit_text("events.csv", lambda t: t.replace(",", separator))(directory)
    problems = _listed(problems_of(directory), "events.csv")
    [problem] = problems
    assert (problem.row, problem.column) == (1, None)
    assert problem.message == f"the file seems to use {separator!r} as separator, not ','"
    assert "comma-separated" in problem.fix
    assert "unknown column" not in "\n".join(map(str, problems))


def test_an_oversized_cell_gives_its_row(make_data_dir: Callable[..., Path]) -> None:
    directory = make_data_dir()
    edit_text("events.csv", add_line_cells(4, ',"' + "x" * 1_100_000))(directory)
    problem = find(problems_of(directory), "events.csv", 4, None, "a cell is longer than")
    assert "1,000,000 characters" in problem.message
    assert "quote" in problem.fix


def test_a_header_only_events_file_reports_the_cause_first(
    make_data_dir: Callable[..., Path],
) -> None:
    directory = make_data_dir()
    delete_rows("events.csv")(directory)
    problems = problems_of(directory)
    assert problems[0] == find(problems, "events.csv", 2, None, "the table has no rows")
    assert len(problems) <= 4, "\n".join(map(str, problems))
    for file in ("event_actors.csv", "excerpts.csv", "citations.csv"):
        [summary] = _listed(problems, file)
        assert summary.column == "event_id"
        assert re.fullmatch(r"\d+ rows? refers? to events.csv, which has no rows", summary.message)
        assert "events.csv first" in summary.fix


# --- bounded reports ---------------------------------------------------------------------------


def _listed(problems: list[Problem], file: str) -> list[Problem]:
    return [p for p in problems if p.file == file]


def test_problems_per_file_are_capped(make_data_dir: Callable[..., Path]) -> None:
    directory = make_data_dir()
    edit_text("events.csv", lambda t: t + "garbage,row\n" * 200)(directory)
    events = _listed(problems_of(directory), "events.csv")
    assert len(events) == MAX_PROBLEMS_PER_FILE + 1
    assert (
        events[-1].message == f"more than {MAX_PROBLEMS_PER_FILE} problems; the rest are not listed"
    )
    assert events[-1].fix


def test_the_cap_covers_checks_of_meaning(make_data_dir: Callable[..., Path]) -> None:
    """Rows well-formed as CSV but with bad dates and no source are capped too."""
    directory = make_data_dir()
    rows = "".join(f"bad-{i},T,S,2024-{13 + i % 80},,military,happened,,\n" for i in range(300))
    edit_text("events.csv", lambda t: t + rows)(directory)
    events = _listed(problems_of(directory), "events.csv")
    assert len(events) == MAX_PROBLEMS_PER_FILE + 1
    assert "more than" in events[-1].message


def _junk_text(size: int) -> str:
    rng = random.Random(20240915)
    block = "".join(rng.choices(string.ascii_letters + string.digits + " ,;-\n", k=65_536))
    return (block * (size // len(block) + 1))[:size]


def _junk_rows(size: int) -> str:
    header = "id,title,summary,date,end_date,category,status,place,date_note\n"
    rng = random.Random(7)
    lines = [",".join(rng.choices(["x", "2024-99", "??", "rumoured", ""], k=12)) for _ in range(64)]
    block = "".join(f"{line} {'z' * 150}\n" for line in lines)
    return header + block * (size // len(block) + 1)


TWENTY_MB = 20 * 1024 * 1024


@pytest.mark.parametrize(
    "garbage",
    [
        pytest.param(lambda: os.urandom(TWENTY_MB), id="random bytes"),
        pytest.param(lambda: _junk_text(TWENTY_MB).encode(), id="random text"),
        pytest.param(lambda: _junk_rows(TWENTY_MB).encode(), id="header then junk rows"),
    ],
)
def test_twenty_megabytes_of_garbage_give_a_bounded_report(
    make_data_dir: Callable[..., Path], garbage: Callable[[], bytes]
) -> None:
    directory = make_data_dir()
    (directory / "events.csv").write_bytes(garbage())
    started = time.perf_counter()
    with pytest.raises(DataError) as info:
        chronology.load(directory)
    elapsed = time.perf_counter() - started
    problems = info.value.problems
    assert 1 <= len(_listed(problems, "events.csv")) <= MAX_PROBLEMS_PER_FILE + 1
    assert len(problems) <= 7 * (MAX_PROBLEMS_PER_FILE + 1)
    assert len(info.value.report()) < 100_000
    assert elapsed < 10, f"took {elapsed:.1f} s"


# --- the error types ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("problem", "text"),
    [
        pytest.param(
            Problem(
                "events.csv", "bad date", "write YYYY-MM", row=4, column="date", value="2024-13"
            ),
            "events.csv, row 4, column date: bad date (value: '2024-13'). Fix: write YYYY-MM",
            id="full place and value",
        ),
        pytest.param(
            Problem("actors.csv", "the file is missing", "create it"),
            "actors.csv: the file is missing. Fix: create it",
            id="file only",
        ),
        pytest.param(
            Problem("events.csv", "not UTF-8", "save as UTF-8", row=3),
            "events.csv, row 3: not UTF-8. Fix: save as UTF-8",
            id="row without column",
        ),
        pytest.param(
            Problem("sources.csv", "needs a basis", "say why", row=2, column="b", value=""),
            "sources.csv, row 2, column b: needs a basis. Fix: say why",
            id="empty value not shown",
        ),
    ],
)
def test_problem_text(problem: Problem, text: str) -> None:
    assert str(problem) == text


def test_problem_text_clips_a_long_value() -> None:
    text = str(Problem("excerpts.csv", "m", "f", row=2, column="quote", value="x" * 500))
    assert "x" * 119 + "…'" in text
    assert "x" * 120 not in text


def test_data_error_report() -> None:
    one = Problem("events.csv", "bad date", "fix it", row=4, column="date")
    two = Problem("actors.csv", "the file is missing", "create it")
    error = DataError([one, two], "my-data")
    assert error.report() == (
        "2 problems in my-data:\n"
        "- events.csv, row 4, column date: bad date. Fix: fix it\n"
        "- actors.csv: the file is missing. Fix: create it"
    )
    assert str(error) == error.report()
    assert error.problems == [one, two]
    assert (
        DataError([two]).report() == "1 problem:\n- actors.csv: the file is missing. Fix: create it"
    )


@pytest.mark.parametrize(
    "name", [pytest.param("nowhere", id="absent"), pytest.param("f", id="a file")]
)
def test_a_directory_that_does_not_exist(tmp_path: Path, name: str) -> None:
    (tmp_path / "f").write_text("not a directory", encoding="utf-8")
    with pytest.raises(DataError) as info:
        chronology.load(tmp_path / name)
    [problem] = info.value.problems
    assert "does not exist" in problem.message
    assert problem.file == str(tmp_path / name)
    assert "events.csv" in problem.fix


# --- the DataSet a valid directory builds ------------------------------------------------------


def test_events_come_in_date_order(minimal: chronology.DataSet) -> None:
    assert list(minimal.events["id"]) == [
        "coup",
        "pact-ended",
        "withdrawal-agreement",
        "withdrawal-begins",
        "withdrawal-complete",
    ]
    assert minimal.events["start"].is_monotonic_increasing


def test_event_detail(minimal: chronology.DataSet) -> None:
    ev = minimal.event("withdrawal-agreement")
    assert isinstance(ev, chronology.EventDetail)
    assert (ev.start, ev.end, ev.precision) == (date(2024, 5, 1), date(2024, 5, 31), "month")
    assert ev.date_display == "May 2024"
    assert ev.actors == (
        ("united-states", "United States", "actor"),
        ("niger", "Niger", "actor"),
    )
    [excerpt] = ev.excerpts
    assert excerpt == chronology.ExcerptView(
        source_id="wire-june",
        source_title="The withdrawal has begun",
        quote="A withdrawal agreement was reached last month between the two governments.",
        dating_phrase="last month",
        basis="'last month' in an article of ~8 June 2024 (estimated) → May 2024",
        supports="summary;date",  # no supports column: the summary, and the date of its phrase
        number=4,  # the fourth row of excerpts.csv: its highlight in the source reader
    )
    assert ev.citations == ()
    assert not ev.citation_only
    assert ev.date_basis == [excerpt.basis]


def test_basis_of_an_article_with_a_printed_date(minimal: chronology.DataSet) -> None:
    [excerpt] = minimal.event("pact-ended").excerpts
    assert excerpt.basis == "'in March' in an article of 20 April 2024 → March 2024"


def test_event_known_only_from_a_citation(minimal: chronology.DataSet) -> None:
    ev = minimal.event("withdrawal-complete")
    assert ev.citation_only
    assert ev.excerpts == ()
    assert ev.citations == (
        chronology.CitationView(
            source_id="record-2024-09",
            title="[Joint statement on the completed withdrawal]",
            publisher="Example Ministry",
            published="2024-09-16",
            address="https://example.org/statement",
            date="2024-09-16",
            note="Joint statement of both governments.",
            supports="summary;date",  # no supports column: what the row says, summary and date
        ),
    )
    assert ev.date_basis == [
        "16 September 2024 per Example Ministry, [Joint statement on the completed withdrawal]"
    ]


def test_date_basis_falls_back_to_the_date_note(minimal: chronology.DataSet) -> None:
    ev = minimal.event("withdrawal-begins")
    assert ev.excerpts[0].basis == ""
    assert ev.date_basis == [ev.date_note]
    assert ev.date_note.startswith("Article wire-june says only 'recently'")


def test_unknown_event_is_a_key_error(minimal: chronology.DataSet) -> None:
    with pytest.raises(KeyError, match="no-such-event"):
        minimal.event("no-such-event")


@pytest.mark.parametrize(
    ("actor", "family"),
    [
        pytest.param(
            "united-states", {"united-states", "us-military", "us-africom"}, id="grandchildren"
        ),
        pytest.param("us-military", {"us-military", "us-africom"}, id="child"),
        pytest.param("us-africom", {"us-africom"}, id="leaf"),
        pytest.param("niger", {"niger", "cnsp"}, id="other tree"),
        pytest.param("nobody", {"nobody"}, id="unknown id"),
    ],
)
def test_descendants(minimal: chronology.DataSet, actor: str, family: set[str]) -> None:
    assert minimal.descendants(actor) == family


def test_summary(minimal: chronology.DataSet) -> None:
    text = minimal.summary()
    assert text.startswith("5 events (4 excerpt-backed, 1 citation only), 6 actors, 3 sources")
    assert "5 excerpts" in text
    assert text.endswith("July 2023 … 16 September 2024")


def test_derived_event_columns(minimal: chronology.DataSet) -> None:
    ev = minimal.events.set_index("id")
    assert ev.loc["withdrawal-begins", "actor_ids"] == ("us-africom",)
    assert ev.loc["withdrawal-complete", "evidence"] == "citation only"
    assert ev.loc["coup", "evidence"] == "excerpt"
    assert "c-17" in ev.loc["withdrawal-begins", "search_text"]
    assert ev.loc["coup", "date_display"] == "July 2023"


def test_loading_does_not_write_to_the_directory(make_data_dir: Callable[..., Path]) -> None:
    directory = make_data_dir()
    before = sorted((p.relative_to(directory), p.stat().st_mtime_ns) for p in directory.rglob("*"))
    chronology.load(directory)
    after = sorted((p.relative_to(directory), p.stat().st_mtime_ns) for p in directory.rglob("*"))
    assert after == before


def test_csv_helpers_round_trip(tmp_path: Path) -> None:
    """The editing helpers above keep a file the loader reads the same."""
    path = tmp_path / "t.csv"
    path.write_text('a,b\n1,"x, y"\n', encoding="utf-8")
    header, rows = read_csv(path)
    write_csv(path, header, rows)
    assert list(csv.reader(io.StringIO(path.read_text(encoding="utf-8")))) == [
        ["a", "b"],
        ["1", "x, y"],
    ]


@pytest.mark.parametrize(
    ("insert", "expected_row"),
    [
        pytest.param("\n", 4, id="after a blank line"),
        pytest.param("only,three,cells\n", 4, id="after a malformed line"),
    ],
)
def test_row_numbers_count_every_line_as_a_spreadsheet_does(
    make_data_dir: Callable[..., Path], insert: str, expected_row: int
) -> None:
    directory = make_data_dir()
    path = directory / "events.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2:2] = [insert]  # a line between row 2 and the old row 3
    lines[3] = lines[3].replace(",2024-03,", ",2024-13,")  # the old row 3 is now row 4
    path.write_text("".join(lines), encoding="utf-8")
    problem = find(problems_of(directory), "events.csv", expected_row, "date", "month 13")
    assert problem.value == "2024-13"


# --- a data package held in memory (load_files) ------------------------------------------------


def files_of(directory: Path) -> dict[str, bytes]:
    """Every file under a directory, by POSIX path relative to it."""
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def test_in_memory_load_equals_the_disk_load(data_dir: Path, bundled: chronology.DataSet) -> None:
    ds = load_files(files_of(data_dir), name="bundled")
    for table in ("events", "actors", "sources", "categories", "event_actors", "excerpts"):
        pd.testing.assert_frame_equal(getattr(ds, table), getattr(bundled, table), obj=table)
    pd.testing.assert_frame_equal(ds.citations, bundled.citations)
    assert dict(ds.texts) == dict(bundled.texts)
    assert ds.summary() == bundled.summary()
    assert str(ds.directory) == "bundled"


@pytest.mark.parametrize(("mutate", "file", "row", "column", "message", "fix"), CASES)
def test_a_broken_package_in_memory_gives_the_same_problems(
    make_data_dir: Callable[..., Path],
    mutate: Mutation,
    file: str,
    row: int | None,
    column: str | None,
    message: str,
    fix: str,
) -> None:
    directory = make_data_dir()
    mutate(directory)
    with pytest.raises(DataError) as info:
        load_files(files_of(directory), name="my-upload")
    assert info.value.problems == problems_of(directory)
    assert info.value.directory == "my-upload"
    find(info.value.problems, file, row, column, message)


@pytest.mark.parametrize(
    ("text_file", "message"),
    [
        pytest.param("../x.txt", "outside the data directory", id="parent"),
        pytest.param("sources/../../x.txt", "outside the data directory", id="parent inside"),
        pytest.param("/etc/passwd", "outside the data directory", id="absolute"),
        pytest.param("C:\\x.txt", "outside the data directory", id="drive letter"),
        pytest.param("sources/nope.txt", "the text file sources/nope.txt is missing", id="missing"),
        pytest.param("sources", "cannot be read (Is a directory)", id="a folder"),
    ],
)
def test_in_memory_text_file_paths_are_refused(
    fixtures_dir: Path, text_file: str, message: str
) -> None:
    files = files_of(fixtures_dir / "minimal")
    files["../x.txt"] = b"Niger announced in March."  # present, but never reachable
    header, rows = read_csv_bytes(files["sources.csv"])
    rows[0]["text_file"] = text_file
    files["sources.csv"] = csv_bytes(header, rows)
    with pytest.raises(DataError) as info:
        load_files(files)
    problem = find(info.value.problems, "sources.csv", 2, "text_file", message)
    assert problem.value == text_file


def test_in_memory_paths_may_be_written_with_dot_slash(fixtures_dir: Path) -> None:
    files = {f"./{k}": v for k, v in files_of(fixtures_dir / "minimal").items()}
    assert len(load_files(files).events) == 5


def test_load_files_touches_no_disk(
    fixtures_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = files_of(fixtures_dir / "minimal")
    schema = load_schema()
    monkeypatch.chdir(tmp_path)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"disk access: {args!r}")

    for module, name in [
        (builtins, "open"), (io, "open"), (os, "open"), (os, "stat"), (os, "lstat"),
        (os, "scandir"), (os, "listdir"),
    ]:  # fmt: skip
        monkeypatch.setattr(module, name, refuse)
    ds = load_files(files, name=str(tmp_path / "upload"), schema=schema)
    broken = {**files, "events.csv": files["events.csv"] + b"bad,row\n"}
    with pytest.raises(DataError):
        load_files(broken, name="upload", schema=schema)
    monkeypatch.undo()
    assert len(ds.events) == 5
    assert list(tmp_path.iterdir()) == []


def read_csv_bytes(data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of CSV bytes."""
    reader = csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""))
    return list(reader.fieldnames or []), list(reader)


def csv_bytes(header: list[str], rows: list[dict[str, str]]) -> bytes:
    """Rows under header, as CSV bytes."""
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize("enabled", [True, False], ids=["collector on", "collector off"])
def test_a_load_leaves_the_cycle_collector_as_it_found_it(
    make_data_dir: Callable[..., Path], enabled: bool
) -> None:
    """A load, passing or failing, leaves the collector on or off as it was (the library never
    switches it: tests/test_loading.py looks during the load too)."""
    good, bad = make_data_dir(), make_data_dir()
    (bad / "events.csv").write_text("id,title\n", encoding="utf-8")
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        chronology.load(good)
        assert gc.isenabled() is enabled
        with pytest.raises(DataError):
            chronology.load(bad)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
