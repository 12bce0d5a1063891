"""Shared fixtures: the bundled data, the fixture directories, and copies to break."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import chronology

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The bundled data directory (``data/``)."""
    return Path(chronology.DEFAULT_DATA_DIR)


@pytest.fixture(scope="session")
def bundled(data_dir: Path) -> chronology.DataSet:
    """The bundled data set, loaded once per session (treat it as read-only)."""
    return chronology.load(data_dir)


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """``tests/fixtures/``: complete data directories named by role (``minimal/``, …)."""
    return FIXTURES


@pytest.fixture(scope="session")
def minimal(fixtures_dir: Path) -> chronology.DataSet:
    """The ``minimal`` fixture data set, loaded once per session (treat it as read-only)."""
    return chronology.load(fixtures_dir / "minimal")


@pytest.fixture
def make_data_dir(tmp_path: Path, fixtures_dir: Path) -> Callable[..., Path]:
    """A factory: a fresh copy of a fixture directory under ``tmp_path``, free to break.

    Usage: ``path = make_data_dir()`` (a copy of ``minimal/``) or ``make_data_dir("other")``.
    """
    count = 0

    def make(name: str = "minimal") -> Path:
        nonlocal count
        count += 1
        return Path(shutil.copytree(fixtures_dir / name, tmp_path / f"{name}-{count}"))

    return make


OLD_WITHDRAWAL_PERIOD = (
    'withdrawal-period,article-b,"A withdrawal agreement was reached last month between the US '
    "and Niger, giving the military four months to remove approximately 1,000 US personnel and "
    'military equipment from the country.",four months,summary;place'
)
"""The excerpts.csv row of withdrawal-period before issue 7: a duration used as a dating phrase."""


@pytest.fixture
def old_withdrawal_period(tmp_path: Path, data_dir: Path) -> tuple[Path, int]:
    """A copy of the bundled data with the old withdrawal-period row, and that row's number."""
    directory = Path(shutil.copytree(data_dir, tmp_path / "old-withdrawal-period"))
    path = directory / "excerpts.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith("withdrawal-period,")]
    at = next(i for i, line in enumerate(kept) if line.startswith("commercial-flight-departures,"))
    kept.insert(at, OLD_WITHDRAWAL_PERIOD)
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return directory, at + 1  # spreadsheet numbering: the header is row 1


@pytest.fixture(scope="session", autouse=True)
def _full_error_details() -> None:
    """AppTest reads .streamlit/config.toml, which hides error details from visitors: not here.

    A failing page then reports its exception's message and stack trace in ``at.exception``.
    """
    from streamlit import config

    config.set_option("client.showErrorDetails", "full")


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """For AppTest: empty Streamlit caches, the bundled data unless a test says otherwise, no
    stray argv (the data directory comes from ``--data`` or $CHRONOLOGY_DATA)."""
    import streamlit as st

    from chronology import ui

    st.cache_data.clear()
    st.cache_resource.clear()
    monkeypatch.delenv(ui.ENV_VAR, raising=False)
    monkeypatch.setattr(sys, "argv", ["dashboard.py"])
    yield
    st.cache_data.clear()
    st.cache_resource.clear()
