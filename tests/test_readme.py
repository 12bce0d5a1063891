"""The README's promises about running the app and its links hold against the code."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from chronology.ui.navigation import SHARED_PARAMS
from chronology.ui.sidebar import FILTER_DEFAULTS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _make_run(*args: str) -> str:
    if shutil.which("make") is None:
        pytest.fail("make is needed: the README's two commands are make targets")
    out = subprocess.run(  # under `make test` too, where make also says which folder it is in
        ["make", "--no-print-directory", "-n", "run", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return next(line for line in out.stdout.splitlines() if "streamlit run" in line)


def test_make_run_opens_where_the_readme_says_and_takes_a_port() -> None:
    assert "--server.port 8501" in _make_run()
    assert "--server.port 8600" in _make_run("PORT=8600")
    assert "http://localhost:8501" in README and "make run PORT=8600" in README


def test_the_parameter_table_lists_every_shared_parameter_and_what_a_switch_keeps() -> None:
    table = {m.group(1) for m in re.finditer(r"^\| `([a-z]+)`", README, re.MULTILINE)}
    table |= {m.group(1) for m in re.finditer(r"^\| `[a-z]+`, `([a-z]+)`", README, re.MULTILINE)}
    assert set(FILTER_DEFAULTS) <= set(SHARED_PARAMS)
    missing = set(SHARED_PARAMS) - table
    assert not missing, f"not in the README's parameter table: {missing}"
    for param in ("event", "range", "source", "excerpt"):
        row = next(
            line for line in README.splitlines() if line.startswith("|") and f"`{param}`" in line
        )
        assert re.search(r"(?i)stays|kept|dropped|left behind|goes", row), row
