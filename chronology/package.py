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

__all__ = ["DirectoryPackage", "MemoryPackage", "Outside", "Package"]


class Outside(Exception):
    """A path that would leave the package's root (absolute, '..', or a link out)."""


class Package(Protocol):
    """The files of a data package, by POSIX path relative to its root."""

    name: str

    def read_table(self, relative: str) -> bytes:
        """A table's bytes; FileNotFoundError unless it is a regular file, OSError if unreadable."""
        ...

    def read_contained(self, relative: str) -> bytes:
        """A stored text's bytes; Outside when the path leaves the root, OSError otherwise."""
        ...


class DirectoryPackage:
    """A data directory on disk (its real path is worked out once)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.name = str(root)
        self._real = root.resolve()
        self._folders: dict[str, bool] = {}  # folder → a real folder, not a link (checked once)

    def read_table(self, relative: str) -> bytes:
        """A table's bytes; FileNotFoundError unless it is a regular file."""
        path = self.root / relative
        if not path.is_file():
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), relative)
        return path.read_bytes()

    def read_contained(self, relative: str) -> bytes:
        """A stored text's bytes; Outside when the path, links followed, leaves the directory."""
        if self._plain(relative):  # no link on the way: inside without resolving the path
            try:
                fd = os.open(self.root / relative, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
            except OSError as exc:
                if exc.errno != errno.ELOOP:  # ELOOP: the file itself is a link (below)
                    raise
            else:
                with os.fdopen(fd, "rb") as f:
                    if stat.S_ISREG(os.fstat(fd).st_mode):
                        return f.read()
        try:
            path = (self.root / relative).resolve()
        except (OSError, RuntimeError, ValueError):  # a link loop, an over-long name, a NUL
            raise Outside(relative) from None
        if not path.is_relative_to(self._real):
            raise Outside(relative)
        return path.read_bytes()

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
