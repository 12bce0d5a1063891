"""The CSV reader: pyarrow's reading of a plain file gives what the csv module's gives."""

from __future__ import annotations

import csv
import io
import random
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chronology.data.read.csvfile import (
    _WHITESPACE,
    FIELD_LIMIT,
    CsvError,
    _fast,
    _read_by_hand,
    parse_csv,
    read_records,
)


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


# --- the field limit: read from the process, never set --------------------------------------

_ALPHABET = ',"\r\n ab\u00e9'


def _module_reading(text: str, delimiter: str = ",") -> list[list[str]] | str:
    """The csv module's strict reading with a limit above any test text, or its error."""
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        return str(exc)


def _hand_reading(text: str, delimiter: str = ",") -> list[list[str]] | str:
    try:
        return _read_by_hand(text, delimiter)
    except CsvError as exc:
        return str(exc)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40), st.sampled_from([",", ";", "\t"]))
def test_the_reading_by_hand_is_the_csv_module_s(text: str, delimiter: str) -> None:
    assert _hand_reading(text, delimiter) == _module_reading(text, delimiter)


def test_a_cell_over_the_process_limit_but_within_ours_is_read_and_the_limit_kept() -> None:
    before = csv.field_size_limit()
    assert before < 200_000 < FIELD_LIMIT, "the test needs the csv module's default limit"
    long = "x" * 200_000
    text = f'a,b\n\n"{long}",1\nc,"d\ne"\n'
    assert read_records(text) == [["a", "b"], [], [long, "1"], ["c", "d\ne"]]
    parsed = parse_csv(text.encode(), lambda _header: True)
    assert parsed is not None and parsed.records is not None
    assert parsed.records[0] == (3, [long, "1"])
    assert csv.field_size_limit() == before


@pytest.mark.parametrize("quoted", [True, False])
def test_a_cell_over_our_limit_gives_its_record(quoted: bool) -> None:
    cell = ('"' if quoted else "") + "x" * (FIELD_LIMIT + 1)  # quoted: never closed
    with pytest.raises(CsvError) as info:
        read_records(f"a,b\n\nc,d\ne,{cell}\n")
    assert info.value.row == 4
    assert "field limit" in str(info.value)


def test_a_process_limit_above_ours_still_holds_ours() -> None:
    before = csv.field_size_limit()
    csv.field_size_limit(FIELD_LIMIT * 2)
    try:
        with pytest.raises(CsvError) as info:
            read_records("a,b\nc,d\ne," + "x" * (FIELD_LIMIT + 1) + "\n")
    finally:
        csv.field_size_limit(before)
    assert info.value.row == 3


def test_readings_in_threads_at_once_do_not_disturb_each_other() -> None:
    """Two server threads used to race on the process's limit (set, then restored)."""
    long = "y" * 300_000
    texts = [f'id,v\n\n1,"{long}"\n', "id,v\n\n2,short\n"] * 8
    before = csv.field_size_limit()
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(read_records, texts))
    assert results == [[["id", "v"], [], ["1", long]], [["id", "v"], [], ["2", "short"]]] * 8
    assert csv.field_size_limit() == before
