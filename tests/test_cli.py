"""The command line: ``python -m chronology check [DIR]`` and ``… resolve PHRASE --published``."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from chronology.cli import main

REPO = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m chronology ARGS`` in a fresh interpreter, from the repository root."""
    return subprocess.run(
        [sys.executable, "-m", "chronology", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


def broken(make_data_dir: Callable[..., Path]) -> Path:
    """A copy of the minimal fixture with a bad month (events.csv row 4) and no actors.csv."""
    directory = make_data_dir()
    path = directory / "events.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(",2024-05,", ",2024-13,"), encoding="utf-8"
    )
    (directory / "actors.csv").unlink()
    return directory


# --- in a subprocess, as people run it ---------------------------------------------------------


def test_check_the_bundled_data() -> None:
    result = run("check")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("ok: ")
    assert "events (" in lines[0] and "excerpt-backed" in lines[0]
    assert result.stderr == ""


def test_check_a_broken_directory(make_data_dir: Callable[..., Path]) -> None:
    directory = broken(make_data_dir)
    result = run("check", str(directory))
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert f"problems in {directory}:" in result.stderr
    assert "- events.csv, row 4, column date: '2024-13' has no month 13" in result.stderr
    assert "- actors.csv: the file is missing" in result.stderr


def test_resolve_a_phrase() -> None:
    result = run("resolve", "last month", "--published", "2024-06-08")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "'last month' in a text of 8 June 2024 → May 2024"


def test_an_unknown_phrase_is_a_clear_error() -> None:
    result = run("resolve", "recently", "--published", "2024-06-08")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: no rule reads the dating phrase 'recently'. Fix: ")
    assert "Traceback" not in result.stderr


def test_check_reports_a_duration_used_as_a_dating_phrase(
    old_withdrawal_period: tuple[Path, int],
) -> None:
    """The old withdrawal-period row: file, row, column, value and a fix, no traceback."""
    directory, row = old_withdrawal_period
    result = run("check", str(directory))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == f"1 problem in {directory}:"
    line = result.stderr.splitlines()[1]
    assert line.startswith(
        f"- excerpts.csv, row {row}, column dating_phrase: the dating phrase 'four months' is a "
        "duration, not a date: it says how long, not when (value: 'four months'). Fix: "
    )
    assert "'last month'" in line and "publication date" in line


def test_resolve_refuses_a_duration() -> None:
    result = run("resolve", "four months", "--published", "2024-06-08")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(
        "error: the dating phrase 'four months' is a duration, not a date"
    )
    assert "Traceback" not in result.stderr


# --- in process --------------------------------------------------------------------------------


def test_main_check_ok(fixtures_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = fixtures_dir / "minimal"
    assert main(["check", str(directory)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"ok: {directory}: 5 events (4 excerpt-backed, 1 citation only), ")
    assert out.endswith("; July 2023 … 16 September 2024\n")
    assert out.count("\n") == 1
    assert err == ""


def test_main_check_broken(
    make_data_dir: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    directory = broken(make_data_dir)
    assert main(["check", str(directory)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert lines[0] == f"{len(lines) - 1} problems in {directory}:"
    assert all(line.startswith("- ") for line in lines[1:])
    assert any(line.startswith("- events.csv, row 4, column date: ") for line in lines)


def test_main_check_missing_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path / "nowhere")]) == 1
    assert "the data directory does not exist" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "lines"),
    [
        pytest.param(
            ["last month", "--published", "2024-06-08"],
            [
                "'last month' in a text of 8 June 2024 → May 2024",
                "rule: the calendar month before publication",
                "interval: 2024-05-01 … 2024-05-31 (month)",
            ],
            id="day",
        ),
        pytest.param(
            ["last month", "--published", "2024-05-25", "--published-latest", "2024-06-05"],
            [
                "'last month' in a text of 25 May–5 June 2024 → April–May 2024",
                "rule: the calendar month before publication",
                "interval: 2024-04-01 … 2024-05-31 (month)",
            ],
            id="window straddling a month",
        ),
        pytest.param(
            ["last month", "--published", "2024-06-08", "--published-latest", "2024-06-10"],
            [
                "'last month' in a text of 8–10 June 2024 → May 2024",
                "rule: the calendar month before publication",
                "interval: 2024-05-01 … 2024-05-31 (month)",
            ],
            id="window within a month",
        ),
        pytest.param(
            ["September 15", "--published", "2024-06-08"],
            [
                "'September 15' in a text of 8 June 2024 → 15 September 2024",
                "rule: that day in the year nearest the publication date",
                "interval: 2024-09-15 … 2024-09-15 (day)",
            ],
            id="named day",
        ),
    ],
)
def test_main_resolve(
    args: list[str], lines: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["resolve", *args]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == lines
    assert err == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["recently", "--published", "2024-06-08"], "no rule reads", id="phrase"),
        pytest.param(["last month", "--published", "2024-13"], "no month 13", id="bad date"),
        pytest.param(
            ["last month", "--published", "2024-06-08", "--published-latest", "2024-06-01"],
            "before start",
            id="window backwards",
        ),
    ],
)
def test_main_resolve_errors(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["resolve", *args]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("error: ") and message in err and ". Fix: " in err


@pytest.mark.parametrize(
    "args",
    [
        pytest.param([], id="no command"),
        pytest.param(["resolve", "last month"], id="no publication date"),
        pytest.param(["frobnicate"], id="unknown command"),
    ],
)
def test_usage_errors_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == 2
    assert "usage: python -m chronology" in capsys.readouterr().err


def test_resolve_help_lists_the_phrases(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["resolve", "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "phrases understood:" in out
    assert "last month" in out and "since 2012" in out


# --- import ------------------------------------------------------------------------------------

IMPORTS = REPO / "tests" / "fixtures" / "imports"


@pytest.mark.parametrize("name", ["timelinejs-sheet.csv", "acled-export.csv"])
def test_import_writes_a_package_that_check_passes(tmp_path: Path, name: str) -> None:
    out = tmp_path / "mine"
    result = run("import", str(IMPORTS / name), str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"read {name} as a ")
    assert f"ok: wrote {out}: " in result.stdout
    assert sorted(p.name for p in out.iterdir()) == [
        "actors.csv",
        "categories.csv",
        "citations.csv",
        "datapackage.json",
        "event_actors.csv",
        "events.csv",
        "excerpts.csv",
        "sources.csv",
    ]
    check = run("check", str(out))
    assert check.returncode == 0, check.stderr
    assert "citation only" in check.stdout


def test_import_with_a_forced_format_and_a_listed_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"date,title\n2024-02-30,Not a day\n2024,Fine\n")
    out = tmp_path / "out"
    assert main(["import", str(bad), str(out), "--format", "plain"]) == 1
    assert not out.exists()  # nothing written when the checks fail
    result = run("import", str(bad), str(out))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "- bad.csv, row 2, column date: the row cannot be dated: '2024-02-30' is not a day" in (
        result.stderr
    )


def test_import_refuses_a_folder_in_use(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    result = run("import", str(IMPORTS / "acled-export.csv"), str(tmp_path))
    assert result.returncode == 2 and "is not an empty folder" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]
