"""The search text is what Python's str.lower makes of 'title summary quote…', in any script."""

from __future__ import annotations

import importlib

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

load = importlib.import_module("chronology.data.load")

SAMPLES = [
    "Plain ASCII, UPPER and lower",
    "Tillabéri, ÉLYSÉE, Ærø, Łódź, Ğ",
    "İSTANBUL and İzmir",  # U+0130 lowers to 'i' + combining dot in Python
    "ΟΔΟΣ ΣΟΦΟΣ Σ",  # the final sigma depends on the letters around it
    "Москва, КИЕВ",
    "北京 ＡＢＣ",  # fullwidth letters
    "Ǆemal ǅ ǆ",  # titlecase digraphs
    "ẞ STRASSE",
    "",
    "\U00010400\U00010401",  # Deseret capitals, outside the basic plane
]


@pytest.mark.parametrize("text", SAMPLES)
def test_lower_is_python_lower(text: str) -> None:
    values = [text, "ASCII", text.upper(), f"{text} and more"]
    lowered = load._lower(pa.array(values, pa.large_string())).to_pylist()
    assert lowered == [v.lower() for v in values]


def test_search_text_joins_title_summary_and_every_quote_in_chunks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(load, "_SEARCH_ROWS", 2)  # three chunks of events
    events = pd.DataFrame(
        {
            "title": ["A", "ΟΔΟΣ", "C", "D", "E"],
            "summary": ["one", "two", "Three", "four", "FIVE"],
        },
        dtype="str",
    )
    excerpts = pd.DataFrame({"quote": ["q0", "Q1", "q2", "İq3"]}, dtype="str")
    positions = np.array([4, 1, 4, 0])  # excerpt row → event row
    got = load._search_text(events, excerpts, positions).tolist()
    assert got == ["a one i̇q3", "οδος two q1", "c three ", "d four ", "e five q0 q2"]
