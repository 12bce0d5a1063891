"""Editing a copy of a fixture data directory, and finding the problems its load reports.

Shared by the tests of the loader (test_load.py) and of the checks (test_validate_*.py). Rows
count like a spreadsheet: the header is row 1, the first record row 2.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

import chronology
from chronology import DataError, Problem

SENTENCE = "Niger announced in March that it was ending its defence pact with the US."
"""A sentence of the minimal fixture's stored text sources/wire-april.txt."""

Mutation = Callable[[Path], None]


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a CSV file."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    """Write rows under header (extra keys in a row are dropped)."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, header, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def set_cell(file: str, row: int, column: str, value: str) -> Mutation:
    """Set one cell; ``row`` is the spreadsheet row (2 = first record)."""

    def mutate(directory: Path) -> None:
        header, rows = read_csv(directory / file)
        rows[row - 2][column] = value
        write_csv(directory / file, header, rows)

    return mutate


def drop_column(file: str, column: str) -> Mutation:
    def mutate(directory: Path) -> None:
        header, rows = read_csv(directory / file)
        write_csv(directory / file, [h for h in header if h != column], rows)

    return mutate


def rename_column(file: str, old: str, new: str) -> Mutation:
    def mutate(directory: Path) -> None:
        header, rows = read_csv(directory / file)
        for row in rows:
            row[new] = row.pop(old)
        write_csv(directory / file, [new if h == old else h for h in header], rows)

    return mutate


def copy_row(file: str, row: int) -> Mutation:
    """Append a copy of a row at the end."""

    def mutate(directory: Path) -> None:
        header, rows = read_csv(directory / file)
        write_csv(directory / file, header, [*rows, dict(rows[row - 2])])

    return mutate


def delete_rows(file: str, *numbers: int) -> Mutation:
    """Delete rows by spreadsheet number (all of them when none is given)."""

    def mutate(directory: Path) -> None:
        header, rows = read_csv(directory / file)
        kept = [r for i, r in enumerate(rows, start=2) if numbers and i not in numbers]
        write_csv(directory / file, header, kept)

    return mutate


def delete(relative: str) -> Mutation:
    def mutate(directory: Path) -> None:
        (directory / relative).unlink()

    return mutate


def write_bytes(relative: str, data: bytes) -> Mutation:
    def mutate(directory: Path) -> None:
        (directory / relative).write_bytes(data)

    return mutate


def edit_text(relative: str, edit: Callable[[str], str], encoding: str = "utf-8") -> Mutation:
    """Rewrite a file's text, optionally in another encoding."""

    def mutate(directory: Path) -> None:
        path = directory / relative
        path.write_bytes(edit(path.read_text(encoding="utf-8")).encode(encoding))

    return mutate


def add_line_cells(line: int, extra: str) -> Callable[[str], str]:
    """Append text to one line (1 = the header) of a file."""

    def edit(text: str) -> str:
        lines = text.splitlines(keepends=True)
        lines[line - 1] = lines[line - 1].rstrip("\n") + extra + "\n"
        return "".join(lines)

    return edit


def escaping_text_file(directory: Path) -> None:
    """Point a source at a file that exists, but outside the data directory."""
    (directory.parent / "x.txt").write_text("Niger announced in March.", encoding="utf-8")
    set_cell("sources.csv", 2, "text_file", "../x.txt")(directory)


def problems_of(directory: Path) -> list[Problem]:
    """The problems load() reports for a directory (it must raise)."""
    with pytest.raises(DataError) as info:
        chronology.load(directory)
    return info.value.problems


def find(
    problems: list[Problem], file: str, row: int | None, column: str | None, message: str
) -> Problem:
    """The one reported problem at that place whose message contains ``message``."""
    hits = [
        p
        for p in problems
        if (p.file, p.row, p.column) == (file, row, column) and message in p.message
    ]
    listed = "\n".join(map(str, problems))
    assert hits, f"no problem at {file}/{row}/{column} with {message!r}; got:\n{listed}"
    assert len(hits) == 1, f"reported {len(hits)} times:\n{listed}"
    return hits[0]
