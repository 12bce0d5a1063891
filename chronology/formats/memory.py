"""Load a data package held in memory (``{relative path: bytes}``), never touching the disk.

The loader reads through a path object; :class:`MemoryPath` is one over the mapping, so the
same reading, the same checks and the same problem messages apply as for a directory.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath

from ..dataset import DataSet
from ..errors import DataError, Problem

__all__ = ["MemoryPath", "load_files"]


class MemoryPath:
    """A path inside an in-memory package: what the loader asks of a path, and no more."""

    def __init__(self, files: Mapping[str, bytes], name: str, parts: tuple[str, ...] = ()) -> None:
        self._files, self._name, self.parts = files, name, parts

    def __truediv__(self, other: str) -> MemoryPath:
        return MemoryPath(self._files, self._name, self.parts + PurePosixPath(other).parts)

    def __str__(self) -> str:
        return "/".join((self._name, *self.parts))

    __fspath__ = __str__

    @property
    def key(self) -> str:
        """The mapping key this path names."""
        return "/".join(self.parts)

    def resolve(self) -> MemoryPath:
        """'..' and '.' worked out; a path that leaves the root keeps a '/..' marker."""
        out: list[str] = []
        for part in self.parts:
            if part in ("", "."):
                continue
            if part == ".." or part.startswith("/"):
                if part == ".." and out:
                    out.pop()
                else:
                    return MemoryPath(self._files, self._name, ("/..",))
            else:
                out.append(part)
        return MemoryPath(self._files, self._name, tuple(out))

    def is_relative_to(self, other: MemoryPath) -> bool:
        """True unless the path left the root."""
        return self.parts[:1] != ("/..",) and self.parts[: len(other.parts)] == other.parts

    def is_dir(self) -> bool:
        """Only the root is a folder."""
        return not self.parts

    def is_file(self) -> bool:
        """True when the mapping holds this path."""
        return self.resolve().key in self._files

    def read_bytes(self) -> bytes:
        """The file's bytes; FileNotFoundError when the mapping lacks it."""
        try:
            return self._files[self.resolve().key]
        except KeyError:
            raise FileNotFoundError(str(self)) from None

    def read_text(self, encoding: str = "utf-8") -> str:
        """The file decoded (UnicodeDecodeError when it is not)."""
        return self.read_bytes().decode(encoding)


def load_files(files: Mapping[str, bytes], name: str = "upload") -> DataSet:
    """Read and validate a data package held in memory; raise DataError listing every problem."""
    from ..checks import check_meaning
    from ..load import _build
    from ..schema import load_schema
    from ..tables import cap_per_file, read_tables

    if not isinstance(files, Mapping):
        raise DataError([Problem(name, "not a data package", "give {path: bytes}")], name)
    root = MemoryPath(dict(files), name)
    tables, problems = read_tables(root, load_schema())  # type: ignore[arg-type]
    checked = check_meaning(root, tables)  # type: ignore[arg-type]
    problems = cap_per_file([*problems, *checked.problems])
    if problems:
        raise DataError(problems, name)
    return _build(root, tables, checked)  # type: ignore[arg-type]
