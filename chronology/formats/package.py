"""Our own data package as a .zip: the seven CSV tables and the stored texts under sources/.

Usage::

    files = read_zip(data, "my-data.zip")   # {relative path: bytes}, bounded and path-checked
    data = to_zip(files)                    # the same mapping as a .zip
"""

from __future__ import annotations

import io
import stat
import zipfile
from collections.abc import Mapping
from pathlib import PurePosixPath

from ..data.errors import DataError, Problem

__all__ = ["LABEL", "LAYOUT", "MAX_FILES", "MAX_UNPACKED", "is_zip", "read_zip", "to_zip"]

LAYOUT = "package"
LABEL = "data package (.zip)"
MAX_FILES = 2_000
MAX_UNPACKED = 200 * 1024 * 1024
"""At most this many bytes unpacked, whatever the archive claims (a zip bomb stops here)."""


def is_zip(data: bytes) -> bool:
    """True when the bytes are a zip archive."""
    return data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06"


def _fail(file: str, message: str, fix: str) -> DataError:
    return DataError([Problem(file, message, fix)], file)


def read_zip(data: bytes, file: str, max_unpacked: int = MAX_UNPACKED) -> dict[str, bytes]:
    """The archive's files by relative path; one folder around them all is taken off.

    Paths that are absolute or climb out with '..' are refused, and so is an archive that
    unpacks to more than ``max_unpacked`` bytes or holds more than :data:`MAX_FILES` files;
    links, and a name that is both a file and a folder, are refused too.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _fail(
            file, f"the file is not a readable .zip ({exc})", "zip the data folder again"
        ) from None
    if len(infos) > MAX_FILES:
        raise _fail(
            file,
            f"the archive holds {len(infos)} files (at most {MAX_FILES})",
            "zip only the data folder: the CSV tables and sources/",
        )
    names = []
    for info in infos:
        path = PurePosixPath(info.filename.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or info.filename.startswith("/"):
            raise _fail(
                file,
                f"the archive holds a path outside its folder: {info.filename!r}",
                "zip the data folder with relative paths",
            )
        if stat.S_ISLNK(info.external_attr >> 16):
            raise _fail(
                file,
                f"the archive holds a link, not a file: {info.filename!r}",
                "zip the data folder with its files themselves (zip without --symlinks)",
            )
        names.append(path)
    folders = {str(p) for path in names for p in path.parents}
    clash = next((str(p) for p in names if str(p) in folders), None)
    if clash is not None:
        raise _fail(
            file,
            f"the archive holds {clash!r} both as a file and as a folder",
            "zip the data folder again: each name is either a file or a folder",
        )
    parts = {p.parts[0] for p in names if len(p.parts) > 1}
    strip = len(parts) == 1 and all(len(p.parts) > 1 for p in names)
    out: dict[str, bytes] = {}
    total = 0
    for info, path in zip(infos, names, strict=True):
        if path.name.startswith(".") or "__MACOSX" in path.parts:
            continue
        relative = PurePosixPath(*path.parts[1:]) if strip else path
        try:
            with archive.open(info) as stream:
                content = stream.read(max_unpacked - total + 1)
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
            raise _fail(
                file,
                f"{info.filename} cannot be unpacked ({exc})",
                "zip the data folder again, without a password",
            ) from None
        total += len(content)
        if total > max_unpacked:
            raise _fail(
                file,
                f"the archive unpacks to more than {max_unpacked // 2**20} MB",
                "upload a smaller data package, or check it on the command line "
                "(python -m chronology check FOLDER), which takes more",
            )
        out[relative.as_posix()] = content
    if "events.csv" not in out:
        raise _fail(
            file,
            "the archive has no events.csv",
            "zip the folder that holds events.csv, actors.csv, sources.csv, …",
        )
    return out


def to_zip(files: Mapping[str, bytes]) -> bytes:
    """A mapping of relative paths to bytes as a .zip archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, content in sorted(files.items()):
            archive.writestr(path, content)
    return buffer.getvalue()
