"""The checks of sources and excerpts (chronology.data.validate.sources): stored texts inside the
data directory, verbatim quotes and the fix that offers the closest sentence.

More of their problems are in test_load.py's table of every kind of problem (CASES).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from data_edits import SENTENCE, find, problems_of, set_cell

import chronology


def test_quote_fix_offers_the_closest_sentence(make_data_dir: Callable[..., Path]) -> None:
    directory = make_data_dir()
    set_cell("excerpts.csv", 4, "quote", "Niger said in March it would end its defence pact.")(
        directory
    )
    problem = find(problems_of(directory), "excerpts.csv", 4, "quote", "verbatim")
    assert f"the closest sentence is: {SENTENCE!r}" in problem.fix
    assert problem.value == "Niger said in March it would end its defence pact."


@pytest.mark.parametrize(
    ("make", "message"),
    [
        pytest.param(lambda d: (d / "sources" / "x.txt").symlink_to(d.parent / "x.txt"),
                     "outside the data directory", id="link out"),
        pytest.param(lambda d: (d / "sources" / "x.txt").symlink_to("/dev/zero"),
                     "outside the data directory", id="link to /dev/zero"),
        pytest.param(lambda d: (d / "linked").symlink_to(d.parent, target_is_directory=True),
                     "outside the data directory", id="folder link out"),
        pytest.param(lambda d: (d / "sources" / "x.txt").mkdir(),
                     "cannot be read (Is a directory)", id="a folder"),
    ],
)  # fmt: skip
def test_stored_texts_stay_inside_the_directory(
    make_data_dir: Callable[..., Path], make: Callable[[Path], object], message: str
) -> None:
    directory = make_data_dir()
    (directory.parent / "x.txt").write_text("Niger announced in March.", encoding="utf-8")
    make(directory)
    name = "linked/x.txt" if (directory / "linked").exists() else "sources/x.txt"
    set_cell("sources.csv", 2, "text_file", name)(directory)
    problem = find(problems_of(directory), "sources.csv", 2, "text_file", message)
    assert problem.value == name


def test_a_link_inside_the_directory_is_followed(make_data_dir: Callable[..., Path]) -> None:
    directory = make_data_dir()
    (directory / "sources" / "alias.txt").symlink_to(directory / "sources" / "wire-april.txt")
    set_cell("sources.csv", 2, "text_file", "sources/alias.txt")(directory)
    ds = chronology.load(directory)
    assert ds.texts["wire-april"] == (directory / "sources" / "wire-april.txt").read_text("utf-8")
