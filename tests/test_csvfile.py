"""The CSV reader: pyarrow's reading of a plain file gives what the csv module's gives."""

from __future__ import annotations

import random

import pytest

from chronology.data.read.csvfile import _WHITESPACE, CsvError, _fast, parse_csv


def _both(data: bytes) -> tuple[list[list[str]], list[list[str]]]:
    """The rows read by the fast path (pyarrow) and by the csv module."""
    fast = parse_csv(data, lambda _header: True)
    slow = parse_csv(data, lambda _header: False)  # a refused header: the csv module only
    assert fast is not None and slow is not None
    assert fast.frame is not None, "a plain file is read by pyarrow"
    assert slow.records is not None and slow.frame is None
    fast_rows = fast.frame.astype(object).values.tolist()
    slow_rows = [[c.strip() for c in cells] for _, cells in slow.records]
    return fast_rows, slow_rows


# a line break inside a value needs quotes, and the file is then read by the csv module
_SPACES = [c for c in _WHITESPACE if c not in "\r\n"]


@pytest.mark.parametrize("space", _SPACES, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("edge", ["start", "end", "both"])
def test_every_whitespace_character_is_stripped_at_a_cell_edge(space: str, edge: str) -> None:
    value = {"start": f"{space}x", "end": f"x{space}", "both": f"{space}x{space}"}[edge]
    data = f"a,b\nplain,{value}\nnext,y\n".encode()
    fast, slow = _both(data)
    assert fast == slow == [["plain", "x"], ["next", "y"]]


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("…", id="ellipsis shares a first byte with U+2000"),
        pytest.param("x\u2030", id="per mille shares the first two bytes"),
        pytest.param("\u00e0x\u00c0", id="Latin letters, lead byte C3"),
        pytest.param("\u1681x", id="Ogham letter beside the Ogham space mark"),
        pytest.param("\u3001", id="ideographic comma beside the ideographic space"),
        pytest.param("x\u200b", id="zero width space is not whitespace to str.strip"),
    ],
)
def test_characters_near_whitespace_are_kept(value: str) -> None:
    fast, slow = _both(f"a,b\nplain,{value}\n".encode())
    assert fast == slow == [["plain", value]]


def test_whitespace_inside_a_value_is_kept_and_empty_cells_pass() -> None:
    fast, slow = _both("a,b\n,x\u3000y\n z ,\n".encode())
    assert fast == slow == [["", "x\u3000y"], ["z", ""]]


def test_bytes_that_are_not_utf8_leave_the_fast_path_and_raise() -> None:
    data = b"a,b\nok,caf\xc3\n"
    with pytest.raises(UnicodeDecodeError) as caught:
        parse_csv(data, lambda _header: True)
    assert caught.value.start == data.index(b"\xc3")


_CELLS = [b"a", b" a ", b"", b'"a,b"', b'"a""b"', b'""', b'"a"b', b'a"b', b'"x\ny"', b"\xc3\xa9"]


def _random_body(rng: random.Random) -> bytes:
    """Rows of random cells (quoted, doubled quotes, bad quoting, values spanning lines), or
    random bytes of the characters that matter to CSV."""
    if rng.random() < 0.3:
        pieces = [b'"', b",", b"\n", b"\r\n", b"a", b" ", b'""', b"\xc3\xa9"]
        return b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 16)))
    rows = []
    for _ in range(rng.randint(0, 4)):
        width = rng.choice([2, 2, 2, 1, 3])
        rows.append(b",".join(rng.choice(_CELLS) for _ in range(width)))
    end = rng.choice([b"\n", b"\r\n"])
    return end.join(rows) + rng.choice([end, b""])


def test_a_file_pyarrow_reads_gives_the_csv_module_s_rows() -> None:
    """Random quoting, separators and line ends: whenever the fast path takes a file, its rows
    are the csv module's, and a file the csv module refuses never takes it."""
    rng = random.Random(8)
    taken = quoted = 0
    for _ in range(6_000):
        data = b"a,b\n" + _random_body(rng)
        fast = _fast(data, lambda _header: True)
        try:
            slow = parse_csv(data, lambda _header: False)
        except CsvError:
            assert fast is None, data
            continue
        if fast is None:
            continue
        taken += 1
        quoted += b'"' in data
        assert slow is not None and slow.records is not None, data
        rows = [[c.strip() for c in cells] for _, cells in slow.records]
        wide = [(n, r) for (n, _), r in zip(slow.records, rows, strict=True) if len(r) == 2]
        assert len(wide) == len(rows), data  # the fast path takes only rows of the header's width
        assert fast.frame is not None and fast.numbers is not None
        assert fast.frame.astype(object).values.tolist() == rows, data
        assert fast.numbers.tolist() == [n for n, _ in wide], data
    assert taken > 300 and quoted > 100  # the comparison ran on many files, quoted ones too
