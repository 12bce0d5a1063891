"""Hostile data directories: deep or cyclic actor trees, links out of the directory, special
files, oversized and malformed inputs.

Each case goes through the public contract — ``chronology.load(dir)`` gives a DataSet or raises
DataError whose problems name file, row, column and fix — so it holds whatever the loader's
insides become. Work is bounded by a per-test timeout (the old actor check took minutes) and,
for the actor tree, by counting the lines of the package that run.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import threading
import tracemalloc
from collections.abc import Callable, Iterable
from pathlib import Path
from types import FrameType
from typing import Any

import pandas as pd
import pytest

import chronology
from chronology import DataError, Problem
from chronology.data.load import load_files
from chronology.data.query import actor_tree, filters
from chronology.data.read.table import MAX_PROBLEMS_PER_FILE
from chronology.data.validate.meaning import MAX_ACTOR_DEPTH, MAX_TEXT_BYTES
from chronology.views import palette, summaries

PACKAGE = Path(chronology.__file__).resolve().parent
ACTOR_ROWS = 6  # records in the minimal fixture's actors.csv (header on row 1)
SECRET = "TOP SECRET: this line lives outside the data directory."


def problems_of(directory: Path) -> list[Problem]:
    """The problems load() reports for a directory (it must raise DataError)."""
    with pytest.raises(DataError) as info:
        chronology.load(directory)
    problems = info.value.problems
    assert problems
    for p in problems:
        assert p.file and p.message and p.fix, p
    return problems


def only(problems: list[Problem], file: str, message: str) -> Problem:
    """The single problem of ``file`` whose message contains ``message``."""
    hits = [p for p in problems if p.file == file and message in p.message]
    listed = "\n".join(map(str, problems))
    assert len(hits) == 1, f"{len(hits)} problems in {file} with {message!r}:\n{listed}"
    return hits[0]


def add_actors(directory: Path, rows: Iterable[tuple[str, str]]) -> None:
    """Append actors (id, parent) to actors.csv."""
    with (directory / "actors.csv").open("a", encoding="utf-8", newline="") as f:
        f.writelines(f"{aid},Actor {aid},person,{parent},Made up.\n" for aid, parent in rows)


def chain(n: int, prefix: str = "link", top: str = "") -> list[tuple[str, str]]:
    """n actors, each the parent of the next: link-0 (under ``top``) → link-1 → …"""
    return [(f"{prefix}-{k}", f"{prefix}-{k - 1}" if k else top) for k in range(n)]


def ring(n: int) -> list[tuple[str, str]]:
    """n actors whose parents go round: ring-0 → ring-1 → … → ring-(n-1) → ring-0."""
    return [(f"ring-{k}", f"ring-{(k + 1) % n}") for k in range(n)]


def set_text_file(directory: Path, row: int, value: str) -> None:
    """Set sources.csv text_file on a spreadsheet row (2 = first record: wire-april)."""
    path = directory / "sources.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = lines[row - 1].split(",")
    assert cells[10].startswith("sources/"), "fixture layout changed"
    cells[10] = value
    lines[row - 1] = ",".join(cells)
    path.write_text("".join(lines), encoding="utf-8")


# --- the actor tree ----------------------------------------------------------------------------


@pytest.mark.timeout(60)
def test_a_two_thousand_deep_chain_is_one_clear_problem(make_data_dir: Callable[..., Path]) -> None:
    directory = make_data_dir()
    add_actors(directory, chain(2000))
    problem = only(problems_of(directory), "actors.csv", f"more than {MAX_ACTOR_DEPTH} levels")
    first_row = ACTOR_ROWS + 2  # link-0
    deep = MAX_ACTOR_DEPTH + 1
    assert (problem.row, problem.column, problem.value) == (
        first_row + deep,
        "parent",
        f"link-{deep - 1}",
    )
    assert f"'link-{deep}'" in problem.message and "'link-0'" in problem.message
    assert f"at most {MAX_ACTOR_DEPTH}" in problem.fix


def test_a_chain_as_deep_as_allowed_loads_and_renders(make_data_dir: Callable[..., Path]) -> None:
    directory = make_data_dir()
    add_actors(directory, chain(MAX_ACTOR_DEPTH + 1, top="niger"))  # link-k is k+1 below niger
    with pytest.raises(DataError):
        chronology.load(directory)
    directory = make_data_dir()
    add_actors(directory, chain(MAX_ACTOR_DEPTH, top="niger"))
    ds = chronology.load(directory)
    order = actor_tree.actor_order(ds)
    links = [f"link-{k}" for k in range(MAX_ACTOR_DEPTH)]
    assert order[order.index("niger") + 2 :][: len(links)] == links  # niger, cnsp, then the chain
    assert {actor_tree.roots(ds)[a] for a in links} == {"niger"}
    directory_table = summaries.actor_directory(ds)
    assert len(directory_table) == ACTOR_ROWS + MAX_ACTOR_DEPTH


@pytest.mark.timeout(60)
def test_a_cycle_of_21_actors_is_one_clear_problem(make_data_dir: Callable[..., Path]) -> None:
    directory = make_data_dir()
    add_actors(directory, ring(21))
    problem = only(problems_of(directory), "actors.csv", "the parents form a cycle")
    names = " → ".join([*(f"ring-{k}" for k in range(21)), "ring-0"])
    assert problem.message == f"the parents form a cycle: {names}"
    assert (problem.row, problem.column, problem.value) == (ACTOR_ROWS + 2, "parent", "ring-1")
    assert "empty one parent" in problem.fix


@pytest.mark.timeout(60)
def test_a_long_chain_hanging_from_a_cycle_reports_the_cycle_once(
    make_data_dir: Callable[..., Path],
) -> None:
    directory = make_data_dir()
    add_actors(directory, [*ring(3), *chain(2000, top="ring-2")])
    problems = [p for p in problems_of(directory) if p.file == "actors.csv"]
    assert [p.message for p in problems] == [
        "the parents form a cycle: ring-0 → ring-1 → ring-2 → ring-0"
    ]


@pytest.mark.timeout(60)
def test_an_actor_that_is_its_own_parent(make_data_dir: Callable[..., Path]) -> None:
    directory = make_data_dir()
    add_actors(directory, [("selfish", "selfish")])
    problem = only(problems_of(directory), "actors.csv", "cycle: selfish → selfish")
    assert (problem.row, problem.column, problem.value) == (ACTOR_ROWS + 2, "parent", "selfish")


@pytest.mark.timeout(60)
def test_a_thousand_cycles_give_a_capped_report(make_data_dir: Callable[..., Path]) -> None:
    directory = make_data_dir()
    add_actors(directory, [(f"a-{k}", f"b-{k}") for k in range(1000)])
    add_actors(directory, [(f"b-{k}", f"a-{k}") for k in range(1000)])
    actors = [p for p in problems_of(directory) if p.file == "actors.csv"]
    assert len(actors) == MAX_PROBLEMS_PER_FILE + 1
    assert actors[0].message == "the parents form a cycle: a-0 → b-0 → a-0"
    assert [p.row for p in actors[:-1]] == sorted(p.row for p in actors[:-1])


def _lines_run(directory: Path) -> int:
    """Lines of the package's Python that run while loading ``directory``."""
    count = 0

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def call(frame: FrameType, event: str, arg: Any) -> Any:
        return local if frame.f_code.co_filename.startswith(str(PACKAGE)) else None

    sys.settrace(call)
    threading.settrace(call)
    try:
        chronology.load(directory)
    except DataError:
        pass
    finally:
        sys.settrace(None)
        threading.settrace(None)  # type: ignore[arg-type]
    return count


@pytest.mark.timeout(120)
@pytest.mark.parametrize("shape", ["chain", "cycle"])
def test_checking_the_actor_tree_is_linear(make_data_dir: Callable[..., Path], shape: str) -> None:
    """Four times the actors cost about four times the work (a quadratic walk: sixteen)."""

    def lines(n: int) -> int:
        directory = make_data_dir()
        add_actors(directory, chain(n) if shape == "chain" else ring(n))
        return _lines_run(directory)

    small, large = lines(1000), lines(4000)
    assert large <= 5 * small, f"{small} lines for 1,000 actors, {large} for 4,000"


@pytest.mark.timeout(120)
def test_check_command_reports_a_deep_chain(make_data_dir: Callable[..., Path]) -> None:
    directory = make_data_dir()
    add_actors(directory, [*chain(2000), *ring(21)])
    done = subprocess.run(
        [sys.executable, "-m", "chronology", "check", str(directory)],
        capture_output=True,
        text=True,
        timeout=100,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    deep_row = ACTOR_ROWS + 2 + MAX_ACTOR_DEPTH + 1
    assert f"actors.csv, row {deep_row}, column parent: actor 'link-21'" in done.stderr
    assert f"actors.csv, row {ACTOR_ROWS + 2002}, column parent: the parents form a cycle" in (
        done.stderr
    )


@pytest.fixture
def deep_data_set(minimal: chronology.DataSet) -> chronology.DataSet:
    """The minimal data set with a 3,000-deep chain of actors under 'niger' (no load check)."""
    rows = chain(3000, top="niger")
    extra = pd.DataFrame(
        {
            "id": [a for a, _ in rows],
            "name": [f"Actor {a}" for a, _ in rows],
            "kind": "person",
            "parent": [p for _, p in rows],
            "description": "",
        },
        dtype="str",
    )
    actors = pd.concat([minimal.actors, extra], ignore_index=True)
    return dataclasses.replace(minimal, actors=actors)


@pytest.mark.timeout(60)
def test_walks_of_the_actor_tree_survive_any_depth(deep_data_set: chronology.DataSet) -> None:
    """The pages' walks (order, colours, families, filters) neither recurse nor go quadratic."""
    ds = deep_data_set
    order = actor_tree.actor_order(ds)
    assert sorted(order) == sorted(ds.actors["id"])
    niger = order.index("niger")
    assert order[niger + 2 : niger + 5] == ["link-0", "link-1", "link-2"]
    root = actor_tree.roots(ds)
    assert root["link-2999"] == "niger" and root["us-africom"] == "united-states"
    assert palette.actor_colours(ds)["link-2999"] == palette.actor_colours(ds)["niger"]
    assert len(ds.descendants("niger")) == 3002  # niger, cnsp and the chain
    assert filters.by_actors(ds, ["niger"]).equals(filters.by_actors(ds, ["niger", "link-5"]))


# --- a data directory never reaches outside itself ---------------------------------------------


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file outside every data directory made by make_data_dir (which copies into tmp_path)."""
    path = tmp_path / "elsewhere" / "secret.txt"
    path.parent.mkdir()
    path.write_text(f"{SECRET} Niger announced in March.", encoding="utf-8")
    return path


def _refused_text_file(directory: Path, message: str) -> Problem:
    problems = problems_of(directory)
    report = "\n".join(map(str, problems))
    assert "TOP SECRET" not in report
    problem = only(problems, "sources.csv", message)
    assert (problem.row, problem.column) == (2, "text_file")
    return problem


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("../elsewhere/secret.txt", id="dot-dot"),
        pytest.param("sources/../../elsewhere/secret.txt", id="dot-dot after a folder"),
        pytest.param("ABSOLUTE", id="absolute path"),
    ],
)
def test_text_file_paths_that_leave_the_directory_are_refused(
    make_data_dir: Callable[..., Path], outside: Path, value: str
) -> None:
    directory = make_data_dir()
    assert (directory.parent / "elsewhere" / "secret.txt").exists()
    value = str(outside) if value == "ABSOLUTE" else value
    set_text_file(directory, 2, value)
    problem = _refused_text_file(directory, "outside the data directory")
    assert problem.value == value
    assert "inside the data directory" in problem.fix


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    "target",
    [
        pytest.param("SECRET", id="a file outside"),
        pytest.param("/dev/zero", id="/dev/zero"),
        pytest.param("/etc", id="a folder outside"),
        pytest.param("FIFO", id="a named pipe outside (reading it would hang)"),
    ],
)
def test_links_out_of_the_directory_are_refused(
    make_data_dir: Callable[..., Path], outside: Path, target: str
) -> None:
    directory = make_data_dir()
    if target == "FIFO":
        os.mkfifo(outside.parent / "pipe")
        target = str(outside.parent / "pipe")
    elif target == "SECRET":
        target = str(outside)
    link = directory / "sources" / "wire-april.txt"
    link.unlink()
    link.symlink_to(target)
    problem = _refused_text_file(directory, "outside the data directory")
    assert problem.value == "sources/wire-april.txt"


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    ("make", "message"),
    [
        pytest.param(lambda p: p.mkdir(), "cannot be read (Is a directory)", id="a folder"),
        pytest.param(os.mkfifo, "is not a regular file", id="a named pipe"),
        pytest.param(lambda p: p.symlink_to(p.name), "outside the data directory", id="link loop"),
        pytest.param(
            lambda p: p.symlink_to("missing.txt"), "is missing", id="link to a missing file"
        ),
    ],
)
def test_a_stored_text_that_is_not_a_file(
    make_data_dir: Callable[..., Path], make: Callable[[Path], None], message: str
) -> None:
    directory = make_data_dir()
    path = directory / "sources" / "wire-april.txt"
    path.unlink()
    make(path)
    problem = _refused_text_file(directory, message)
    assert problem.value == "sources/wire-april.txt"


def test_the_data_folder_itself_as_a_text_file(make_data_dir: Callable[..., Path]) -> None:
    directory = make_data_dir()
    set_text_file(directory, 2, ".")
    assert _refused_text_file(directory, "cannot be read (Is a directory)").value == "."


def test_links_inside_the_directory_are_followed(make_data_dir: Callable[..., Path]) -> None:
    directory = make_data_dir()
    (directory / "texts").mkdir()
    (directory / "sources" / "wire-april.txt").rename(directory / "texts" / "april.txt")
    (directory / "sources" / "wire-april.txt").symlink_to("../texts/april.txt")
    ds = chronology.load(directory)
    assert "defence pact" in ds.texts["wire-april"]


def test_a_data_directory_reached_through_a_link_loads(
    make_data_dir: Callable[..., Path], tmp_path: Path
) -> None:
    (tmp_path / "alias").symlink_to(make_data_dir())
    assert len(chronology.load(tmp_path / "alias").events) == 5


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    ("target", "message"),
    [
        pytest.param("COPY", "a link that leads outside the data directory", id="a copy outside"),
        pytest.param("/dev/zero", "a link that leads outside the data directory", id="/dev/zero"),
        pytest.param("FIFO", "not a regular file", id="a named pipe inside"),
        pytest.param("DIR", "the file is a folder", id="a folder"),
    ],
)
def test_a_table_that_is_not_a_file_inside(
    make_data_dir: Callable[..., Path], tmp_path: Path, target: str, message: str
) -> None:
    """events.csv as a link out (even to valid CSV: it is not shown), a device, a pipe, a folder."""
    directory = make_data_dir()
    events = directory / "events.csv"
    copy = tmp_path / "events-outside.csv"
    copy.write_text(events.read_text(encoding="utf-8").replace("coup", "secret-coup"))
    events.unlink()
    if target == "FIFO":
        os.mkfifo(events)
    elif target == "DIR":
        events.mkdir()
    else:
        events.symlink_to(copy if target == "COPY" else target)
    problems = problems_of(directory)
    problem = only(problems, "events.csv", message)
    assert "header" in problem.fix
    assert "secret-coup" not in "\n".join(map(str, problems))


# --- bounded inputs ----------------------------------------------------------------------------


@pytest.mark.timeout(60)
def test_a_fifty_megabyte_stored_text_is_refused_in_bounded_memory(
    make_data_dir: Callable[..., Path],
) -> None:
    directory = make_data_dir()
    path = directory / "sources" / "wire-april.txt"
    text = path.read_text(encoding="utf-8")
    with path.open("a", encoding="utf-8") as f:
        block = "Nothing happened on that day, the wire said once more. " * 20_000
        while f.tell() < 50 * 1024 * 1024:
            f.write(block)
    assert path.stat().st_size > 50 * 1024 * 1024 and text
    tracemalloc.start()
    try:
        problem = _refused_text_file(directory, f"larger than {MAX_TEXT_BYTES // 1024 // 1024} MB")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "UTF-8" in problem.fix
    assert peak < 3 * MAX_TEXT_BYTES, f"peak {peak / 1e6:.0f} MB"


@pytest.mark.timeout(60)
def test_many_misquotes_of_a_large_text_give_a_bounded_report(
    make_data_dir: Callable[..., Path],
) -> None:
    """The closest-sentence hint is the slow part: it runs on a budget."""
    directory = make_data_dir()
    path = directory / "sources" / "wire-april.txt"
    sentences = "".join(f"Item {k} of the long wire was filed at noon. " for k in range(70_000))
    path.write_text(path.read_text(encoding="utf-8") + sentences, encoding="utf-8")
    assert 2_000_000 < path.stat().st_size < 4_000_000
    with (directory / "excerpts.csv").open("a", encoding="utf-8") as f:
        f.writelines(f"pact-ended,wire-april,Item {k} was filed at dusk.,\n" for k in range(60))
    excerpts = [p for p in problems_of(directory) if p.file == "excerpts.csv"]
    assert len(excerpts) == MAX_PROBLEMS_PER_FILE + 1
    assert all("verbatim" in p.message for p in excerpts[:-1])
    assert "the closest sentence is: 'Item 0 of the long wire was filed at noon.'" in (
        excerpts[0].fix
    )


@pytest.mark.timeout(60)
def test_thousands_of_misquotes_of_a_ten_megabyte_text(make_data_dir: Callable[..., Path]) -> None:
    """Each scan of 10 MB takes ~15 ms: past the cap of listed problems none is made."""
    directory = make_data_dir()
    path = directory / "sources" / "wire-april.txt"
    filler = "Item of the long wire was filed at noon. " * (MAX_TEXT_BYTES // 42)
    path.write_text(path.read_text(encoding="utf-8") + filler, encoding="utf-8")
    assert 9_000_000 < path.stat().st_size <= MAX_TEXT_BYTES
    with (directory / "excerpts.csv").open("a", encoding="utf-8") as f:
        f.writelines(f"pact-ended,wire-april,Item {k} was filed at dusk.,\n" for k in range(6000))
    excerpts = [p for p in problems_of(directory) if p.file == "excerpts.csv"]
    assert len(excerpts) == MAX_PROBLEMS_PER_FILE + 1
    assert (excerpts[0].row, excerpts[0].column) == (7, "quote")
    assert excerpts[0].fix == "quote the stored text exactly"  # no hint: over the budget


@pytest.mark.timeout(60)
def test_thousands_of_unknown_ids_among_thousands_of_actors(
    make_data_dir: Callable[..., Path],
) -> None:
    """Did-you-mean hints over 9,000 ids took about a second each: they share a budget."""
    directory = make_data_dir()
    add_actors(directory, [(f"actor-{k}", "") for k in range(9000)])
    with (directory / "event_actors.csv").open("a", encoding="utf-8") as f:
        f.writelines(f"coup,actr-{k}x,actor\n" for k in range(3000))
    links = [p for p in problems_of(directory) if p.file == "event_actors.csv"]
    assert len(links) == MAX_PROBLEMS_PER_FILE + 1
    assert (links[0].row, links[0].column, links[0].value) == (10, "actor_id", "actr-0x")
    assert "did you mean 'actor-0'?" in links[0].fix
    assert all("use an id from actors.csv" in p.fix for p in links[:-1])


@pytest.mark.timeout(60)
@pytest.mark.parametrize("rows", [0, 200], ids=["header only", "with rows"])
def test_a_csv_of_a_thousand_columns(make_data_dir: Callable[..., Path], rows: int) -> None:
    directory = make_data_dir()
    path = directory / "events.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    extra = ",".join(f"col{k}" for k in range(1000))
    body = [f"{line},{','.join('x' * 1000)}" for line in lines[1:]] if rows else lines[1:]
    body += [",".join(["y"] * 1010)] * rows
    path.write_text("\n".join([f"{lines[0]},{extra}", *body]) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        chronology.load(directory)
    events = [p for p in info.value.problems if p.file == "events.csv"]
    assert len(events) == MAX_PROBLEMS_PER_FILE + 1
    assert events[0].message == "unknown column 'col0'"
    assert (events[0].row, events[0].column) == (1, "col0")
    assert len(info.value.report()) < 50_000


@pytest.mark.parametrize(
    ("data", "row"),
    [
        pytest.param(b"\xc3", 7, id="cut off in a character"),
        pytest.param(b"\xed\xa0\x80", 7, id="a surrogate"),
        pytest.param(b"\xc0\xaf", 7, id="an overlong slash"),
    ],
)
def test_invalid_utf8_in_a_table(make_data_dir: Callable[..., Path], data: bytes, row: int) -> None:
    directory = make_data_dir()
    path = directory / "events.csv"
    path.write_bytes(path.read_bytes() + data)
    problem = only(problems_of(directory), "events.csv", "not UTF-8 text")
    assert problem.row == row
    assert "save the file as UTF-8" in problem.fix


def test_a_byte_order_mark_is_not_part_of_the_data(make_data_dir: Callable[..., Path]) -> None:
    directory = make_data_dir()
    for name in ("events.csv", "actors.csv", "sources/wire-april.txt"):
        path = directory / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    ds = chronology.load(directory)
    assert ds.events.columns[0] == "id" and ds.actors["id"].iloc[0] == "united-states"
    assert not ds.texts["wire-april"].startswith("\ufeff")


def test_a_utf16_table_says_so(make_data_dir: Callable[..., Path]) -> None:
    directory = make_data_dir()
    path = directory / "events.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    problem = only(problems_of(directory), "events.csv", "UTF-16")
    assert "UTF-8" in problem.fix


def test_a_nul_byte_deep_in_a_table_is_found(make_data_dir: Callable[..., Path]) -> None:
    """A stray NUL after the first 64 KB, in the text_file cell the loader would open."""
    directory = make_data_dir()
    path = directory / "sources.csv"
    long_notes = "n" * 70_000
    text = path.read_text(encoding="utf-8").replace(",No date", f",No date{long_notes}", 1)
    path.write_text(text.replace("sources/wire-june.txt", "sources/wire-june\x00.txt"))
    problem = only(problems_of(directory), "sources.csv", "NUL byte")
    assert problem.row == 3
    assert "NUL" in problem.fix


def test_nul_bytes_in_a_stored_text(make_data_dir: Callable[..., Path]) -> None:
    directory = make_data_dir()
    path = directory / "sources" / "wire-april.txt"
    path.write_bytes(path.read_bytes() + b"\x00\x00\x00")
    problem = _refused_text_file(directory, "holds NUL bytes")
    assert problem.value == "sources/wire-april.txt"


@pytest.mark.timeout(60)
def test_huge_cells_give_a_report_of_bounded_size(make_data_dir: Callable[..., Path]) -> None:
    """Messages quote the data: a cell of 500,000 characters is cut short in the problem."""
    directory = make_data_dir()
    path = directory / "events.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] += "," + "c" * 500_000
    lines[1:] = [line + ",x" for line in lines[1:]]
    lines[2] = lines[2].replace("2024-03", "2024-" + "3" * 500_000)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    phrase_path = directory / "excerpts.csv"
    rows = phrase_path.read_text(encoding="utf-8") + "coup,wire-april,x,in " + "9" * 500_000 + "\n"
    phrase_path.write_text(rows, encoding="utf-8")
    with pytest.raises(DataError) as info:
        chronology.load(directory)
    for p in info.value.problems:
        assert max(len(p.message), len(p.fix), len(p.value or ""), len(p.where)) <= 1100, p
    assert "unknown column 'ccc" in info.value.report()
    assert len(info.value.report()) < 20_000


# --- the same limits for a data package held in memory (an upload) -----------------------------


def _files(directory: Path) -> dict[str, bytes]:
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in directory.rglob("*")
        if p.is_file()
    }


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("edit", "file", "message"),
    [
        pytest.param(
            lambda f: f.update({"sources/wire-april.txt": b"x. " * (MAX_TEXT_BYTES // 3 + 1)}),
            "sources.csv",
            "larger than 10 MB",
            id="an oversized text",
        ),
        pytest.param(
            lambda f: f.update({"sources/wire-april.txt": b"Niger\x00announced."}),
            "sources.csv",
            "holds NUL bytes",
            id="NUL in a text",
        ),
        pytest.param(
            lambda f: f.update({"actors.csv": f["actors.csv"] + _chain_csv(2000)}),
            "actors.csv",
            "more than 20 levels",
            id="a deep chain",
        ),
        pytest.param(
            lambda f: f.update({"events.csv": f["events.csv"].decode().encode("utf-16")}),
            "events.csv",
            "UTF-16",
            id="a UTF-16 table",
        ),
    ],
)
def test_an_upload_meets_the_same_limits(
    make_data_dir: Callable[..., Path],
    edit: Callable[[dict[str, bytes]], None],
    file: str,
    message: str,
) -> None:
    files = _files(make_data_dir())
    edit(files)
    with pytest.raises(DataError) as info:
        load_files(files, name="upload")
    problem = only(info.value.problems, file, message)
    assert problem.fix


def _chain_csv(n: int) -> bytes:
    return "".join(f"{a},Actor {a},person,{p},Made up.\n" for a, p in chain(n)).encode()


def test_an_upload_with_a_byte_order_mark_loads(make_data_dir: Callable[..., Path]) -> None:
    files = _files(make_data_dir())
    files["sources/wire-april.txt"] = b"\xef\xbb\xbf" + files["sources/wire-april.txt"]
    files["events.csv"] = b"\xef\xbb\xbf" + files["events.csv"]
    ds = load_files(files)
    assert ds.texts["wire-april"].startswith("Niger announced")
