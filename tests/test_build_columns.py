"""The data set's per-event columns, made a column at a time, are the row-by-row ones (issue 8)."""

from __future__ import annotations

import importlib

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

load = importlib.import_module("chronology.data.load")


def reference(names: list[str], rows: np.ndarray, positions: np.ndarray, n: int) -> list:
    """Each event's names, in row order, one event at a time."""
    return [
        tuple(names[r] for r, p in zip(rows, positions, strict=True) if p == e) for e in range(n)
    ]


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 6).flatmap(
        lambda names: st.integers(0, 12).flatmap(
            lambda n: st.tuples(
                st.just(names),
                st.just(n),
                st.lists(
                    st.tuples(st.integers(0, names - 1), st.integers(0, max(n - 1, 0))),
                    max_size=40 if n else 0,
                ),
            )
        )
    )
)
@example((3, 4, [(0, 3), (1, 3), (2, 0), (0, 3), (2, 3)]))  # counts 1, 0, 0, 4
@example((2, 0, []))
def test_actor_ids_per_event_are_the_row_by_row_ones(case: tuple[int, int, list]) -> None:
    size, n, links = case
    names = [f"actor-{i}" for i in range(size)]
    rows = np.array([r for r, _ in links], dtype=np.int64)
    positions = np.array([p for _, p in links], dtype=np.int64)
    got = load._per_event(names, rows, positions, n)
    assert got == reference(names, rows, positions, n)
    assert all(type(t) is tuple for t in got)
