"""Command line: ``python -m chronology check [DIR]``, ``… resolve PHRASE --published DATE``
and ``… import FILE OUTDIR [--format timelinejs|acled|plain|package] [--skip-invalid]
[--dayfirst | --monthfirst]``."""

from __future__ import annotations

import argparse
import errno
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Mapping, Sequence
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
    refused = _unusable_output(outdir)
    if refused:
        print(
            f"error: {outdir}: {refused}. Fix: name a new folder for the data package",
            file=sys.stderr,
        )
        return 2
    try:
        data = _read_input(source)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        print(
            f"error: {source}: cannot be read ({reason}). Fix: give a readable file",
            file=sys.stderr,
        )
        return 2
    try:
        imported = formats.read_file(
            data, source.name, args.format, limit=None, max_rows=None, day_order=args.day_order
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
    try:
        _write(imported.files, outdir)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        print(
            f"error: {outdir}: cannot be written ({reason}); nothing was written there. "
            "Fix: name a new folder in a place you can write to",
            file=sys.stderr,
        )
        return 2
    print(f"ok: wrote {outdir}: {ds.summary()}")
    print(f"open it: streamlit run dashboard.py -- --data {outdir}")
    return 0


def _read_input(source: Path) -> bytes:
    """The bytes of a regular file; ValueError for a folder, a pipe or a device.

    Opened without blocking (a FIFO would wait for a writer) and looked at before reading
    (``/dev/zero`` never ends).
    """
    fd = os.open(source, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as f:
        mode = os.fstat(f.fileno()).st_mode
        if stat.S_ISDIR(mode):
            raise ValueError("it is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise ValueError("it is not a regular file but a pipe, a socket or a device")
        return f.read()


def _unusable_output(outdir: Path) -> str:
    """Why ``outdir`` cannot take a new data package ('' when it can).

    It must be a new name, or an empty folder that is not a link, in a folder that exists
    (or can be made) and is not itself a file.
    """
    try:
        info = outdir.lstat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        return _path_error(exc)
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            try:
                outdir.stat()
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    return "it is a link that loops back on itself"
                return f"it is a link to {str(outdir.readlink())!r}, which does not exist"
            return f"it is a link to {str(outdir.readlink())!r}: name the folder itself, not a link"
        if not stat.S_ISDIR(info.st_mode):
            return "it is a file, not a folder"
        try:
            if any(outdir.iterdir()):
                return "it is not an empty folder"
        except OSError as exc:
            return _path_error(exc)
    parent = outdir.absolute().parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        return f"{parent} is a file, not a folder"
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"{parent} cannot be written to"
    return ""


def _path_error(exc: OSError) -> str:
    if exc.errno == errno.ENAMETOOLONG:
        return "a name in the path is too long (at most 255 bytes per name)"
    if exc.errno == errno.ELOOP:
        return "a link on the way loops back on itself"
    if exc.errno == errno.ENOTDIR:
        return "a part of the path is a file, not a folder"
    return f"it cannot be used ({exc.strerror or exc})"


def _write(files: Mapping[str, bytes], outdir: Path) -> None:
    """Write the package to a temporary folder beside ``outdir``, then rename it into place.

    Nothing appears at ``outdir`` unless every file was written; on any error the temporary
    folder is removed and the OSError raised.
    """
    parent = outdir.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=".chronology-import-", dir=parent))
    try:
        for relative, content in files.items():
            target = temporary / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("xb") as f:  # never through a link, never over a file
                f.write(content)
        umask = os.umask(0)
        os.umask(umask)
        temporary.chmod(0o777 & ~umask)  # mkdtemp's folder is private; the package is not
        temporary.rename(outdir)  # an empty folder there is replaced, a full one refused
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


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
