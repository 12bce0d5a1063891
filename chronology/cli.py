"""Command line: ``python -m chronology check [DIR]``, ``… resolve PHRASE --published DATE``
and ``… import FILE OUTDIR [--format timelinejs|acled|plain|package] [--skip-invalid]
[--dayfirst | --monthfirst]``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import formats
from .data.dates.partial import DateError, interval_of
from .data.dates.phrases import known_phrases, resolve_phrase
from .data.errors import DataError
from .data.load import DEFAULT_DATA_DIR, load

__all__ = ["main"]


def _check(args: argparse.Namespace) -> int:
    try:
        ds = load(args.data_dir)
    except DataError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    print(f"ok: {args.data_dir}: {ds.summary()}")
    return 0


def _import(args: argparse.Namespace) -> int:
    source, outdir = Path(args.file), Path(args.outdir)
    try:
        data = source.read_bytes()
    except OSError as exc:
        message = f"error: {source}: cannot be read ({exc.strerror}). Fix: give a readable file"
        print(message, file=sys.stderr)
        return 2
    if outdir.exists() and (not outdir.is_dir() or any(outdir.iterdir())):
        print(
            f"error: {outdir} is not an empty folder. Fix: name a new folder for the data package",
            file=sys.stderr,
        )
        return 2
    try:
        imported = formats.read_file(
            data, source.name, args.format, limit=None, day_order=args.day_order
        )
        print(f"read {source.name} as a {imported.summary}; named {imported.name!r}")
        for column, became in imported.columns:
            print(f"  {column} → {became}")
        if args.skip_invalid:
            imported, ds = formats.good_rows(imported)
        else:  # the checks of `check`, before anything is written
            ds = formats.to_dataset(imported)
    except DataError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    if imported.problems:
        skipped = formats.skipped_rows(imported.problems, imported.file)
        print(
            f"skipped {len(skipped)} row{'s' if len(skipped) != 1 else ''} of {source.name} "
            f"(--skip-invalid): {', '.join(map(str, skipped))}",
            file=sys.stderr,
        )
        print(DataError(list(imported.problems), imported.file).report(), file=sys.stderr)
    for relative, content in imported.files.items():
        target = outdir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    print(f"ok: wrote {outdir}: {ds.summary()}")
    print(f"open it: streamlit run dashboard.py -- --data {outdir}")
    return 0


def _resolve(args: argparse.Namespace) -> int:
    try:
        published = interval_of(args.published, args.published_latest)
        resolution = resolve_phrase(args.phrase, published)
    except DateError as exc:
        print(f"error: {exc.message}. Fix: {exc.fix}", file=sys.stderr)
        return 2
    print(resolution.describe(published))
    print(f"rule: {resolution.rule}")
    iv = resolution.interval
    print(f"interval: {iv.start.isoformat()} … {iv.end.isoformat()} ({iv.precision})")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m chronology",
        description="Check a chronology data directory, or see how a dating phrase resolves.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser(
        "check",
        help="validate a data directory and list every problem",
        description="Validate a data directory; exit 1 and list every problem if any.",
    )
    check.add_argument(
        "data_dir", nargs="?", default=str(DEFAULT_DATA_DIR), help="default: the bundled data"
    )
    check.set_defaults(run=_check)
    phrases = "\n".join(f"  {example:<22} {rule}" for example, rule in known_phrases())
    resolve = sub.add_parser(
        "resolve",
        help="resolve a dating phrase against a publication date",
        description="Resolve a dating phrase ('last month', 'in March', …) against a "
        "publication date or window.",
        epilog=f"phrases understood:\n{phrases}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    resolve.add_argument("phrase", help="e.g. 'last month'")
    resolve.add_argument(
        "--published", required=True, help="publication date: YYYY, YYYY-MM or YYYY-MM-DD"
    )
    resolve.add_argument(
        "--published-latest",
        default=None,
        help="latest possible publication date, when the date is an estimate window",
    )
    resolve.set_defaults(run=_resolve)
    imp = sub.add_parser(
        "import",
        help="turn a TimelineJS sheet, an ACLED export or a plain events table into a data package",
        description="Read FILE (CSV: TimelineJS sheet, ACLED export or plain events table; "
        "TimelineJS3 JSON; or our data package as a .zip), check it with the rules of `check`, "
        "and write the data package to OUTDIR (a new or empty folder). The layout is detected "
        "from the header unless --format names it.",
    )
    imp.add_argument("file", help="the file to import")
    imp.add_argument("outdir", help="a new or empty folder for the data package")
    imp.add_argument("--format", choices=formats.LAYOUTS, default=None, help="default: detected")
    imp.add_argument(
        "--skip-invalid",
        action="store_true",
        help="write the rows without problems and list every row left out (file, row, column, "
        "value, fix); exit 0 if any row is written",
    )
    order = imp.add_mutually_exclusive_group()
    order.add_argument(
        "--dayfirst",
        dest="day_order",
        action="store_const",
        const="dayfirst",
        help="dates like 03/04/2024 are day first (3 April 2024)",
    )
    order.add_argument(
        "--monthfirst",
        dest="day_order",
        action="store_const",
        const="monthfirst",
        help="dates like 03/04/2024 are month first (March 4, 2024)",
    )
    imp.set_defaults(run=_import)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    return args.run(args)
