"""Our own error types: a data problem names its file, row, column, value and fix."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DataError", "Problem"]

TEXT_LIMIT = 1000
"""Characters kept of a problem's message, fix, column and value (cut short with '…')."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a data directory, and how to fix it.

    ``row`` counts like a spreadsheet: the header is row 1, the first record row 2.
    """

    file: str
    message: str
    fix: str
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def __post_init__(self) -> None:
        # a problem quotes the data, and the data may hold a cell of a million characters
        for name in ("message", "fix", "column", "value"):
            text = getattr(self, name)
            if text is not None and len(text) > TEXT_LIMIT:
                object.__setattr__(self, name, _clip(text, TEXT_LIMIT))

    @property
    def where(self) -> str:
        """'events.csv, row 4, column date' — as much of the place as is known."""
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        value = f" (value: {_clip(self.value)!r})" if self.value not in (None, "") else ""
        return f"{self.where}: {self.message}{value}. Fix: {self.fix}"


class DataError(Exception):
    """A data directory that cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem], directory: str = "", total: int = 0) -> None:
        self.problems = list(problems)
        self.directory = directory
        self.total = max(total, len(self.problems))
        """Problems found, listed or not (a long list ends with a line counting the rest)."""
        super().__init__(self.report())

    def report(self) -> str:
        """All problems as a readable list, one per line."""
        where = f" in {self.directory}" if self.directory else ""
        n = self.total
        head = f"{n:,} problem{'s' if n != 1 else ''}{where}:"
        return "\n".join([head, *(f"- {p}" for p in self.problems)])


def _clip(value: str | None, limit: int = 120) -> str:
    """Shorten a long value for a message."""
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
