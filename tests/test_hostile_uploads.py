"""Hostile files through the Import page and ``chronology import``: a clear message, never a
traceback, bounded work, and nothing written unless the import succeeds (issue 23).

One small fixture per edge case under ``tests/fixtures/hostile/``; special files (a FIFO, links,
a sparse 2 GB table) are made by the test.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from chronology import formats
from chronology.cli import main
from chronology.data.errors import DataError
from chronology.formats.build import MAX_PROBLEMS, Builder

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
IMPORTS = ROOT / "tests" / "fixtures" / "imports"

REFUSED = {  # fixture → what the one problem says
    "acled-week-at-9999.csv": "the week around 9999-12-30 runs past the years 1000 to 9999",
    "acled-week-at-1000.csv": "the week around 1000-01-02 runs past the years 1000 to 9999",
    "deep-nesting.json": "the JSON is nested too deeply",
    "lone-surrogate.json": "the JSON holds half of a character (a lone surrogate",
    "package-events-file-and-folder.zip": "holds 'events.csv' both as a file and as a folder",
    "package-symlinked-folder.zip": "the archive holds a link, not a file: 'sources'",
}
LOADED = {  # fixture → events it loads as
    "lone-cr-in-a-cell.csv": 2,
    "package-deep-datapackage.zip": 5,
}


def run(*args: str, limit_memory: int | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m chronology ARGS`` in a fresh interpreter (its address space capped)."""

    def cap() -> None:
        if limit_memory:
            resource.setrlimit(resource.RLIMIT_AS, (limit_memory, limit_memory))

    return subprocess.run(
        [sys.executable, "-m", "chronology", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
        preexec_fn=cap,
    )


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


# --- the library, as both the page and the CLI call it -----------------------------------------


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_hostile_file_is_one_clear_problem(name: str) -> None:
    data = (HOSTILE / name).read_bytes()
    with pytest.raises(DataError) as caught:
        formats.to_dataset(formats.read_file(data, name))
    (problem,) = caught.value.problems
    assert problem.file == name
    assert REFUSED[name] in problem.message


def test_a_lone_cr_in_a_quoted_cell_is_kept_as_on_disk() -> None:
    """The cell keeps its CR, as the loader keeps it from a file on disk: not a row split in two
    and refused against our internal tables."""
    data = (HOSTILE / "lone-cr-in-a-cell.csv").read_bytes()
    ds = formats.to_dataset(formats.read_file(data, "lone-cr-in-a-cell.csv"))
    assert dict(zip(ds.events["id"], ds.events["summary"], strict=True)) == {
        "coup": "first\rsecond",
        "later": "Fine",
    }


def test_a_deeply_nested_datapackage_json_in_a_zip_is_not_a_traceback() -> None:
    """Only its title is read (the tables are checked against our own schema): the package
    loads under the file's name."""
    imported = formats.read_file(
        (HOSTILE / "package-deep-datapackage.zip").read_bytes(), "deep.zip"
    )
    assert imported.name == "deep"
    assert len(formats.to_dataset(imported).events) == 5


def test_ids_of_rows_sharing_a_title_are_made_in_linear_steps() -> None:
    """4,000 rows titled 'Same': each id is found in a step or two, not by trying every number
    from 2 (8 million look-ups, seconds of server CPU growing with the square of the rows)."""

    class Counting(set):
        looks = 0

        def __contains__(self, item: object) -> bool:
            Counting.looks += 1
            return super().__contains__(item)

    out = Builder("same.csv")
    out._taken["events"] = Counting()
    ids = [out.event(n, "Same") for n in range(4000)]
    assert ids[:3] == ["same", "same-2", "same-3"] and len(set(ids)) == 4000
    assert Counting.looks < 3 * 4000
    other = Builder("x.csv")  # a title whose slug is another row's id with a number
    assert [other.event(n, t) for n, t in enumerate(["A", "A 2", "A", "A"])] == [
        "a",
        "a-2",
        "a-3",
        "a-4",
    ]


def test_problems_stop_being_collected_after_a_few_hundred() -> None:
    rows = 5000
    data = b"date,title\n" + b"soon,Undated\n" * rows
    imported = formats.read_file(data, "undated.csv")
    assert len(imported.problems) == MAX_PROBLEMS + 1
    assert imported.problems[-1].message.startswith(f"{rows - MAX_PROBLEMS:,} more rows")
    report = DataError(list(imported.problems), "undated.csv").report()
    assert len(report) < 100_000


@pytest.mark.parametrize(
    ("data", "name", "says"),
    [
        (b"date,title\n" + b"x,\n" * 1_000_000, "tiny.csv", "more than 100,000 rows"),
        (b"date\n" + b"\n" * 2_000_000, "blank.csv", "more than 100,000 rows"),
        (b'{"events": [' + b",".join([b"{}"] * 1_000_000) + b"]}", "empty.json", "objects"),
        (b'{"events": [' + b",".join([b"1"] * 100_001) + b"]}", "many.json", "100,001 events"),
        (b"date,title," + b",".join(b"c%d" % i for i in range(2000)) + b"\n", "wide.csv", "2,002"),
        (b"date,title\n" + (b"2024" + b"," * 99 + b"\n") * 50_000, "cells.csv", "4,000,000 cells"),
    ],
    ids=["tiny-rows", "blank-lines", "empty-objects", "many-events", "columns", "cells"],
)
def test_an_upload_over_the_row_cap_is_refused_before_it_is_read(
    data: bytes, name: str, says: str
) -> None:
    with pytest.raises(DataError) as caught:
        formats.read_file(data, name)
    (problem,) = caught.value.problems
    assert says in problem.message
    assert "command line" in problem.fix


def test_an_uploaded_package_is_capped_too(tmp_path: Path) -> None:
    import io
    import zipfile

    def package(events: bytes, text: bytes = b"") -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("events.csv", events)
            archive.writestr("sources/a.txt", text)
        return buffer.getvalue()

    bomb = package(b"id,title\n", b" " * (40 * 2**20))  # 40 MB of spaces: 40 KB zipped
    with pytest.raises(DataError) as caught:
        formats.read_file(bomb, "bomb.zip")
    assert "unpacks to more than 30 MB" in caught.value.problems[0].message
    rows = package(b"id,title\n" + b"x,y\n" * 100_001)
    with pytest.raises(DataError) as caught:
        formats.read_file(rows, "rows.zip")
    assert "events.csv has more than 100,000 rows" in caught.value.problems[0].message
    assert len(formats.read_file(rows, "rows.zip", limit=None, max_rows=None).files) == 2


def test_the_command_line_takes_more_rows_than_the_page(tmp_path: Path) -> None:
    data = b"date,title\n" + b"2024-01-01,Same\n" * 100_001
    (tmp_path / "big.csv").write_bytes(data)
    with pytest.raises(DataError):
        formats.read_file(data, "big.csv")
    imported = formats.read_file(data, "big.csv", limit=None, max_rows=None)
    assert imported.rows == 100_001 and not imported.problems


def test_the_server_refuses_what_the_widget_would() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] * 2**20 == formats.MAX_UPLOAD


# --- the Import page --------------------------------------------------------------------------


@pytest.mark.usefixtures("app_env")
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_the_import_page_says_what_is_wrong(name: str) -> None:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("pages/upload.py").run()
    at.file_uploader[0].set_value((name, (HOSTILE / name).read_bytes(), "text/csv")).run()
    assert not at.exception, at.exception
    (error,) = at.error
    assert "nothing was loaded" in error.value
    problems = next(d.value for d in at.dataframe if list(d.value.columns)[:1] == ["file"])
    assert any(REFUSED[name] in p for p in problems["problem"])


@pytest.mark.usefixtures("app_env")
def test_the_import_page_lists_a_few_hundred_problems_and_counts_the_rest() -> None:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("pages/upload.py").run()
    data = b"date,title\n" + b"soon,Undated\n" * 3000
    at.file_uploader[0].set_value(("undated.csv", data, "text/csv")).run()
    assert not at.exception, at.exception
    problems = next(d.value for d in at.dataframe if list(d.value.columns)[:1] == ["file"])
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems["problem"].iloc[-1].startswith("2,800 more rows with problems")
    (error,) = at.error
    assert "3,000 problems" in error.value


# --- the command line -------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_import_of_a_hostile_file_writes_nothing(tmp_path: Path, name: str) -> None:
    out = tmp_path / "out"
    result = run("import", str(HOSTILE / name), str(out))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert REFUSED[name] in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", sorted(LOADED))
def test_import_of_an_odd_but_valid_file_passes_check(tmp_path: Path, name: str) -> None:
    out = tmp_path / "out"
    result = run("import", str(HOSTILE / name), str(out))
    assert result.returncode == 0, result.stderr
    check = run("check", str(out))
    assert check.returncode == 0, check.stderr
    assert f"{LOADED[name]} events" in check.stdout
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary folder left


def _outputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    target = tmp_path / "target"
    target.mkdir()
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    (tmp_path / "linked").symlink_to(target)
    return {
        "dangling symlink": (tmp_path / "dangling", "which does not exist"),
        "symlink loop": (tmp_path / "loop", "loops back on itself"),
        "inside a symlink loop": (tmp_path / "loop" / "out", "loops back on itself"),
        "folder that is a symlink": (tmp_path / "linked", "name the folder itself, not a link"),
        "name over 255 bytes": (tmp_path / ("é" * 130), "too long"),
        "under /proc": (Path("/proc/chronology-out"), "cannot be written"),
        "a file": (IMPORTS / "acled-export.csv", "a file, not a folder"),
        "under a file": (IMPORTS / "acled-export.csv" / "out", "a file, not a folder"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "dangling symlink",
        "symlink loop",
        "inside a symlink loop",
        "folder that is a symlink",
        "name over 255 bytes",
        "under /proc",
        "a file",
        "under a file",
    ],
)
def test_import_refuses_an_output_it_cannot_use(tmp_path: Path, case: str) -> None:
    out, says = _outputs(tmp_path)[case]
    before = sorted(p.name for p in tmp_path.iterdir())
    result = run("import", str(IMPORTS / "acled-export.csv"), str(out))
    assert result.returncode == 2, result.stdout + result.stderr
    line = one_line(result.stderr)
    assert line.startswith("error: ") and says in line, line
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert list((tmp_path / "target").iterdir()) == []  # never written through the link


def test_import_writes_nothing_when_writing_fails_half_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()  # an empty folder is fine, and stays empty on failure
    opened = Path.open
    count = 0

    def failing(self: Path, mode: str = "r", *args: object, **kwargs: object) -> object:
        nonlocal count
        if "x" in mode:
            count += 1
            if count == 3:
                raise OSError(28, "No space left on device")
        return opened(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", failing)
    assert main(["import", str(IMPORTS / "acled-export.csv"), str(out)]) == 2
    line = one_line(capsys.readouterr().err)
    assert "No space left on device" in line and "nothing was written there" in line
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    assert list(out.iterdir()) == []


def test_import_into_an_empty_folder_replaces_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    assert main(["import", str(IMPORTS / "acled-export.csv"), str(out)]) == 0
    assert (out / "events.csv").is_file()
    assert oct(out.stat().st_mode & 0o777) != oct(0o700)  # not mkdtemp's private mode
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_import_of_dev_zero_is_refused_at_once(tmp_path: Path) -> None:
    result = run("import", "/dev/zero", str(tmp_path / "out"), limit_memory=2 << 30)
    assert result.returncode == 2
    assert "not a regular file" in one_line(result.stderr)


def test_import_of_a_fifo_does_not_block(tmp_path: Path) -> None:
    fifo = tmp_path / "events.csv"
    os.mkfifo(fifo)
    result = run("import", str(fifo), str(tmp_path / "out"))  # timeout=120 if it blocked
    assert result.returncode == 2
    assert "not a regular file" in one_line(result.stderr)


def test_import_of_a_folder_is_refused(tmp_path: Path) -> None:
    result = run("import", str(tmp_path), str(tmp_path / "out"))
    assert result.returncode == 2
    assert "cannot be read (Is a directory)" in one_line(result.stderr)


def test_check_of_a_2_gb_sparse_table_says_binary_without_reading_it(
    make_data_dir: Callable[..., Path],
) -> None:
    """The process may not map 1 GB: reading the 2 GB file would end in a MemoryError."""
    directory = make_data_dir()
    with (directory / "events.csv").open("r+b") as f:
        f.truncate(2 << 30)  # sparse: 2 GB of NUL bytes that take no disk
    result = run("check", str(directory), limit_memory=1 << 30)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    assert "events.csv: the file is binary, not CSV text" in result.stderr
