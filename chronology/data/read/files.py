"""Where a data package's files come from: a directory on disk, or files held in memory.

The loader asks a package for the bytes of a path relative to its root; both kinds answer
with the same exceptions, so every check and message is the same for both.
"""

from __future__ import annotations

import errno
import os
import posixpath
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

__all__ = ["MAX_TEXT_BYTES", "DirectoryPackage", "MemoryPackage", "NotAFile", "Outside", "Package"]

MAX_TEXT_BYTES = 10 * 1024 * 1024
"""Size of one stored text: an article, not a book or a disk image (more is refused)."""


BINARY_PEEK = 65536
"""Bytes of a table looked at for a NUL before the rest is read (the loader's binary test)."""


class Outside(Exception):
    """A path that would leave the package's root (absolute, '..', or a link out)."""


class NotAFile(OSError):
    """A path that exists but is neither a regular file nor a folder: a pipe, a device."""


class Package(Protocol):
    """The files of a data package, by POSIX path relative to its root."""

    name: str

    def read_table(self, relative: str) -> bytes:
        """A table's bytes; Outside, NotAFile, FileNotFoundError, or OSError if unreadable."""
        ...

    def read_contained(self, relative: str) -> bytes:
        """A stored text's bytes; Outside when the path leaves the root, NotAFile, OSError."""
        ...


class DirectoryPackage:
    """A data directory on disk (its real path is worked out once).

    Nothing outside it is ever opened: a link out is refused before reading, so is anything
    that is not a regular file (a pipe would block, /dev/zero never ends), and a stored text
    is read no further than MAX_TEXT_BYTES + 1, whatever its size claims.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._root = os.fspath(root)
        self.name = str(root)
        self._real = root.resolve()
        self._folders: dict[str, bool] = {}  # folder → a real folder, not a link (checked once)

    def _regular(self, relative: str) -> Path:
        """The real path of a regular file inside the directory, or Outside / an OSError."""
        try:
            path = (self.root / relative).resolve()
        except (OSError, RuntimeError, ValueError):  # a link loop, an over-long name, a NUL
            raise Outside(relative) from None
        if not path.is_relative_to(self._real):
            raise Outside(relative)
        if not path.is_file():
            if path.is_dir():
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), relative)
            if path.exists():
                raise NotAFile(errno.EINVAL, "not a regular file", relative)
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), relative)
        return path

    def read_table(self, relative: str) -> bytes:
        """A table's bytes; Outside for a link out, NotAFile, FileNotFoundError.

        A file whose first BINARY_PEEK bytes hold a NUL is binary whatever follows: only those
        are read (a 2 GB disk image is refused at once, not after reading it all).
        """
        with self._regular(relative).open("rb") as f:
            head = f.read(BINARY_PEEK)
            if b"\x00" in head or len(head) < BINARY_PEEK:
                return head
            f.seek(0)
            return f.read()

    def read_contained(self, relative: str) -> bytes:
        """A stored text's bytes (at most MAX_TEXT_BYTES + 1); Outside when it leaves the root."""
        if self._plain(relative):  # no link on the way: inside without resolving the path
            try:
                # the path as pathlib joins it, without a Path per file (a third of the time)
                path = f"{self._root}/{posixpath.normpath(relative)}"
                fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
            except ValueError:  # a NUL in the name
                raise Outside(relative) from None
            except OSError as exc:
                if exc.errno != errno.ELOOP:  # ELOOP: the file itself is a link (below)
                    raise
            else:
                try:
                    size = os.fstat(fd)
                    if stat.S_ISREG(size.st_mode):
                        return _read_up_to(fd, size.st_size, MAX_TEXT_BYTES + 1)
                finally:
                    os.close(fd)
        with self._regular(relative).open("rb") as f:  # a link, a folder, a pipe, a device …
            return f.read(MAX_TEXT_BYTES + 1)

    def _plain(self, relative: str) -> bool:
        """Relative, without '..', and every folder on the way a real folder (not a link)."""
        if _escapes(relative):
            return False
        parts = relative.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            folder = "/".join(parts[:depth])
            known = self._folders.get(folder)
            if known is None:
                try:
                    mode = os.lstat(self.root / folder).st_mode
                except OSError:
                    mode = 0
                known = self._folders[folder] = stat.S_ISDIR(mode)
            if not known:
                return False
        return True


def _read_up_to(fd: int, size: int, limit: int) -> bytes:
    """At most ``limit`` bytes of an open file whose size claims ``size``.

    One read of the claimed size (plus one byte, to see the end): a buffer of ``limit`` bytes
    per file would cost more than the reading of a short text. A file longer than it claims
    is read on, still no further than ``limit``.
    """
    data = os.read(fd, min(size, limit - 1) + 1)
    if len(data) <= size or len(data) >= limit:  # the whole file, or enough to refuse it
        return data
    parts, total = [data], len(data)
    while total < limit:
        chunk = os.read(fd, limit - total)
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
    return b"".join(parts)


def _escapes(relative: str) -> bool:
    """Absolute, drive-lettered, or climbing out with '..' (either slash)."""
    parts = relative.replace("\\", "/").split("/")
    return (
        relative.startswith(("/", "\\"))
        or ".." in parts
        or (len(relative) > 1 and relative[1] == ":")
    )


class MemoryPackage:
    """A data package held in memory: POSIX relative path → bytes. Never touches disk."""

    def __init__(self, files: Mapping[str, bytes], name: str = "upload") -> None:
        self.name = name
        self._files = {
            posixpath.normpath(key): bytes(value)
            for key, value in files.items()
            if not _escapes(key)
        }
        self._dirs: set[str] = {"."}  # every folder that holds a file, for 'Is a directory'
        for key in self._files:
            folder = posixpath.dirname(key)
            while folder and folder not in self._dirs:
                self._dirs.add(folder)
                folder = posixpath.dirname(folder)

    def read_table(self, relative: str) -> bytes:
        """A table's bytes; FileNotFoundError when the mapping does not hold it."""
        try:
            return self._files[posixpath.normpath(relative)]
        except KeyError:
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), relative) from None

    def read_contained(self, relative: str) -> bytes:
        """A stored text's bytes; Outside for an absolute path or one with '..'."""
        if _escapes(relative):
            raise Outside(relative)
        key = posixpath.normpath(relative)
        if key in self._files:
            return self._files[key]
        if key in self._dirs:
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), relative)
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), relative)
