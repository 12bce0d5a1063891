"""Hostile uploads: a corpus of files within the Import page's 10 MB cap, and their cost.

Usage::

    .venv/bin/python bench/hostile.py                     # every file of the corpus
    .venv/bin/python bench/hostile.py --only same-title-4000,tiny-rows
    .venv/bin/python bench/hostile.py --write DIR         # the corpus as files (for the load test)

Each file is read as the Import page reads an upload (``formats.read_file`` then
``formats.to_dataset``, the report built as the page shows it), in a fresh process: printed are
the server CPU seconds it took, the growth of the peak resident set over the idle process
(VmHWM − VmRSS before), and the size of the report the page would show.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

MB = 2**20


def _tiny_rows() -> bytes:
    """A 3 MB CSV of 1,000,000 tiny invalid rows (the issue's 2.6 GB upload)."""
    return b"date,title\n" + b"x,\n" * 1_000_000


def _same_title(rows: int) -> Callable[[], bytes]:
    def make() -> bytes:
        return b"date,title\n" + b"2024-01-01,Same\n" * rows

    return make


def _empty_objects() -> bytes:
    """A 3 MB TimelineJS JSON of 10^6 empty events."""
    return b'{"events": [' + b",".join([b"{}"] * 1_000_000) + b"]}"


# The browser's widget counts a MB as 10^6 bytes (1024^2 on Windows): the large files stay
# under 10,000,000 bytes so that every browser sends them.
CAP = 10_000_000 - 1000


def _one_column() -> bytes:
    """A 9.5 MiB one-column CSV (the issue's 9.9 MB file made a 205.9 MB message)."""
    return b"date\n" + b"x\n" * (CAP // 2)


def _wide() -> bytes:
    """A header of 100,000 columns above 90 rows of commas (9 MB of empty cells)."""
    header = b"date,title," + b",".join(b"c%d" % i for i in range(100_000)) + b"\n"
    return header + (b"2024," + b"," * 100_001 + b"\n") * 90


def _valid(rows: int) -> Callable[[], bytes]:
    """A valid plain table of ``rows`` rows (100,000: 7.6 MB): what a big honest upload costs."""

    def make() -> bytes:
        row = b"2024-03-%02d,Event %d,Routine report of a patrol near the border,Army;Police\n"
        return b"date,title,summary,actors\n" + b"".join(row % (n % 28 + 1, n) for n in range(rows))

    return make


def _same_title_cap() -> bytes:
    """9.5 MiB of rows all titled 'Same' (hours of CPU with quadratic ids)."""
    return b"date,title\n" + b"2024-01-01,Same\n" * (CAP // 16 - 1)


def _deep_json() -> bytes:
    return b'{"events": ' + b"[" * 4_000_000 + b"]" * 4_000_000 + b"}"


def _many_problems() -> bytes:
    """9.5 MiB of rows that cannot be dated, each with a long value (a large report)."""
    cell = b"not a date " * 80
    return b"date,title\n" + (cell + b",Title\n") * (CAP // (len(cell) + 7) - 1)


def _zip_bomb() -> bytes:
    """Our data package as a .zip, with a stored text of 150 MB of spaces (150 KB zipped)."""
    import io
    import zipfile

    root = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "minimal"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                archive.writestr(path.relative_to(root).as_posix(), path.read_bytes())
        archive.writestr("sources/huge.txt", b" " * (150 * MB))
    return buffer.getvalue()


CORPUS: dict[str, Callable[[], bytes]] = {
    "zip-bomb": _zip_bomb,
    "tiny-rows": _tiny_rows,
    "empty-objects": _empty_objects,
    "one-column": _one_column,
    "wide": _wide,
    "deep-json": _deep_json,
    "many-problems": _many_problems,
    "same-title-1000": _same_title(1000),
    "same-title-2000": _same_title(2000),
    "same-title-4000": _same_title(4000),
    "same-title-8000": _same_title(8000),
    "same-title-cap": _same_title_cap,
    "valid-100000": _valid(100_000),
    "valid-134000": _valid(134_000),
}
SUFFIX = {"empty-objects": ".json", "deep-json": ".json", "zip-bomb": ".zip"}


def name_of(key: str) -> str:
    """The file name a corpus entry is uploaded as."""
    return key + SUFFIX.get(key, ".csv")


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def measure_one(key: str) -> dict:
    """In this process: read the entry as the Import page does; CPU, peak growth, report size."""
    from chronology import formats
    from chronology.data.errors import DataError

    data = CORPUS[key]()
    with contextlib.suppress(OSError):  # the peak so far (making the file) forgotten: Linux
        Path("/proc/self/clear_refs").write_text("5")
    idle = _status("VmRSS")
    cpu = time.process_time()
    wall = time.perf_counter()
    try:
        ds = formats.to_dataset(formats.read_file(data, name_of(key)))
        outcome, report = f"loaded {len(ds.events):,} events", ""
    except DataError as exc:
        outcome = f"refused: {exc.total:,} problems, {len(exc.problems):,} listed"
        report = exc.report() + "".join(f"{p.value}{p.fix}{p.message}" for p in exc.problems)
    except BaseException as exc:
        outcome, report = f"TRACEBACK {type(exc).__name__}", ""
    return {
        "file": name_of(key),
        "size_mb": round(len(data) / MB, 1),
        "cpu_s": round(time.process_time() - cpu, 2),
        "wall_s": round(time.perf_counter() - wall, 2),
        "peak_mb": round((_status("VmHWM") - idle) / MB),
        "report_kb": round(len(report.encode("utf-8", "replace")) / 1024),
        "outcome": outcome,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated corpus entries")
    parser.add_argument("--write", default="", help="write the corpus to this folder and stop")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per file")
    parser.add_argument("--one", default="", help=argparse.SUPPRESS)  # the child's entry
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.one)))
        return
    keys = [k for k in args.only.split(",") if k] or list(CORPUS)
    if args.write:
        out = Path(args.write)
        out.mkdir(parents=True, exist_ok=True)
        for key in keys:
            (out / name_of(key)).write_bytes(CORPUS[key]())
        return
    print("| file | size | server CPU | peak RSS growth | report | outcome |")
    print("|---|---:|---:|---:|---:|---|")
    for key in keys:
        try:
            done = subprocess.run(
                [sys.executable, __file__, "--one", key],
                capture_output=True,
                text=True,
                timeout=args.timeout,
                check=False,
            )
            row = json.loads(done.stdout.strip().splitlines()[-1])
        except (subprocess.TimeoutExpired, IndexError, ValueError) as exc:
            print(f"| {name_of(key)} | | | | | no result ({type(exc).__name__}) |")
            continue
        print(
            f"| {row['file']} | {row['size_mb']} MB | {row['cpu_s']} s | {row['peak_mb']} MB "
            f"| {row['report_kb']} KB | {row['outcome']} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
