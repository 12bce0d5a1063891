"""The CSV reader: pyarrow's reading of a plain file gives what the csv module's gives."""

from __future__ import annotations

import pytest

from chronology.data.csvfile import _WHITESPACE, parse_csv


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
