"""The benchmark generator writes valid data directories, so the figures measure real work."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import chronology

ROOT = Path(__file__).resolve().parent.parent
GENERATE = ROOT / "bench" / "generate.py"


def _generate(n: int, out: Path, *extra: str) -> None:
    subprocess.run([sys.executable, str(GENERATE), str(n), str(out), *extra], check=True)


def test_generated_data_passes_the_check(tmp_path: Path) -> None:
    out = tmp_path / "data-200"
    _generate(200, out)
    result = subprocess.run(
        [sys.executable, "-m", "chronology", "check", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"ok: {out}: 200 events")


def test_generated_data_exercises_every_kind_of_evidence(tmp_path: Path) -> None:
    out = tmp_path / "data"
    _generate(200, out)
    ds = chronology.load(out)
    assert len(ds.events) == 200
    assert set(ds.events["evidence"]) == {"excerpt", "citation only"}
    assert (ds.excerpts["dating_phrase"] != "").any()
    assert (ds.events["end_date"] != "").any()
    assert (ds.actors["parent"] != "").any()
    for quote, source in zip(ds.excerpts["quote"], ds.excerpts["source_id"], strict=True):
        assert quote in ds.texts[source]


def test_generator_is_deterministic(tmp_path: Path) -> None:
    _generate(50, tmp_path / "a")
    _generate(50, tmp_path / "b")
    for a in sorted((tmp_path / "a").rglob("*.*")):
        b = tmp_path / "b" / a.relative_to(tmp_path / "a")
        assert a.read_bytes() == b.read_bytes(), a.name
