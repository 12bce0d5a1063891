"""Reading a stored text: its whole bytes, never more than the limit, whatever its size claims."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from chronology.data.read.files import _read_up_to


def _pipe(data: bytes) -> int:
    """A file descriptor that reads ``data`` and then ends; its size claims nothing."""
    read, write = os.pipe()
    os.write(write, data)
    os.close(write)
    return read


@pytest.mark.parametrize(
    ("data", "claimed", "limit", "expected"),
    [
        pytest.param(b"hello", 5, 100, b"hello", id="as claimed"),
        pytest.param(b"", 0, 100, b"", id="empty"),
        pytest.param(b"hello world", 0, 100, b"hello world", id="longer than claimed"),
        pytest.param(b"hello world", 3, 6, b"hello ", id="longer than claimed and the limit"),
        pytest.param(b"hello", 50, 100, b"hello", id="shorter than claimed"),
        pytest.param(b"hello world", 11, 4, b"hell", id="stops at the limit"),
        pytest.param(b"hello", 5, 5, b"hello", id="limit reached exactly"),
    ],
)
def test_read_up_to(data: bytes, claimed: int, limit: int, expected: bytes) -> None:
    fd = _pipe(data)
    try:
        assert _read_up_to(fd, claimed, limit) == expected
    finally:
        os.close(fd)


def test_read_up_to_a_regular_file(tmp_path: Path) -> None:
    path = tmp_path / "text.txt"
    path.write_bytes(b"x" * 70_000)
    fd = os.open(path, os.O_RDONLY)
    try:
        assert _read_up_to(fd, os.fstat(fd).st_size, 1_000_000) == b"x" * 70_000
    finally:
        os.close(fd)
