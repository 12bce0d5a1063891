"""Partial ISO dates (2012, 2023-07, 2024-03-16), the intervals of days they cover, and their text.

The dating phrases read against a publication date ("last month") are in ``phrases``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "MONTH_NAMES",
    "PARTIAL_DATE_FIX",
    "PRECISIONS",
    "DateError",
    "Interval",
    "PartialDate",
    "Precision",
    "day_text",
    "days_in_month",
    "interval_of",
    "parse_partial",
]

Precision = Literal["year", "month", "day"]

PRECISIONS: tuple[Precision, ...] = ("day", "month", "year")
"""The precisions from finest to coarsest."""

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

PARTIAL_DATE_FIX = (
    "write a partial ISO date: YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2012, 2023-07, 2024-03-16)"
)
MIN_YEAR, MAX_YEAR = 1000, 9999


class DateError(ValueError):
    """A date string or phrase we cannot read; .fix says how to write it."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix

    def __str__(self) -> str:
        return self.message


@lru_cache(maxsize=4096)
def days_in_month(year: int, month: int) -> int:
    """Number of days in the given month (memoised: a load asks for the same few many times)."""
    return calendar.monthrange(year, month)[1]


def day_text(day: date) -> str:
    """A day as '16 March 2024'."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


@dataclass(frozen=True, slots=True)
class Interval:
    """A closed span of days [start, end] counted in years, months or days."""

    start: date
    end: date
    precision: Precision

    def __post_init__(self) -> None:
        if self.precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {PRECISIONS}, not {self.precision!r}")
        if self.end < self.start:
            raise ValueError(f"interval ends ({self.end}) before it starts ({self.start})")

    @classmethod
    def for_year(cls, year: int) -> Interval:
        """The whole calendar year."""
        return cls(date(year, 1, 1), date(year, 12, 31), "year")

    @classmethod
    def for_month(cls, year: int, month: int) -> Interval:
        """The whole calendar month."""
        return cls(date(year, month, 1), date(year, month, days_in_month(year, month)), "month")

    @classmethod
    def for_day(cls, day: date) -> Interval:
        """A single day."""
        return cls(day, day, "day")

    def overlaps(self, other: Interval) -> bool:
        """True when the two intervals share at least one day."""
        return self.start <= other.end and other.start <= self.end

    def contains(self, other: Interval) -> bool:
        """True when every day of other lies within this interval."""
        return self.start <= other.start and other.end <= self.end

    def hull(self, other: Interval) -> Interval:
        """The smallest interval covering both, in the coarser of the two precisions."""
        coarser = max(self.precision, other.precision, key=PRECISIONS.index)
        return Interval(min(self.start, other.start), max(self.end, other.end), coarser)

    def _display_unit(self) -> Precision:
        """The coarsest unit, no coarser than the precision, whose boundaries the span fits."""
        rank = PRECISIONS.index(self.precision)
        s, e = self.start, self.end
        if rank >= 2 and (s.month, s.day, e.month, e.day) == (1, 1, 12, 31):
            return "year"
        if rank >= 1 and s.day == 1 and e.day == days_in_month(e.year, e.month):
            return "month"
        return "day"

    def display(self) -> str:
        """Human text: '2012', 'July 2023', '8–10 June 2024', 'December 2023–January 2024'."""
        s, e = self.start, self.end
        unit = self._display_unit()
        if unit == "year":
            return str(s.year) if s.year == e.year else f"{s.year}–{e.year}"
        sm, em = MONTH_NAMES[s.month - 1], MONTH_NAMES[e.month - 1]
        if unit == "month":
            if (s.year, s.month) == (e.year, e.month):
                return f"{sm} {s.year}"
            if s.year == e.year:
                return f"{sm}–{em} {s.year}"
            return f"{sm} {s.year}–{em} {e.year}"
        if s == e:
            return day_text(s)
        if (s.year, s.month) == (e.year, e.month):
            return f"{s.day}–{e.day} {sm} {s.year}"
        if s.year == e.year:
            return f"{s.day} {sm}–{e.day} {em} {s.year}"
        return f"{day_text(s)}–{day_text(e)}"


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date written as YYYY, YYYY-MM or YYYY-MM-DD, and the days it covers."""

    text: str
    interval: Interval

    @property
    def precision(self) -> Precision:
        """The unit the date is written in."""
        return self.interval.precision

    @property
    def start(self) -> date:
        """The first day covered."""
        return self.interval.start

    @property
    def end(self) -> date:
        """The last day covered."""
        return self.interval.end

    def display(self) -> str:
        """Human text for the covered interval."""
        return self.interval.display()


_PARTIAL_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)


def _partial_hint(text: str) -> str:
    """Why text is not a partial ISO date, as a short clause (or nothing)."""
    if ":" in text or re.search(r"\dT", text):
        return ": it carries a time; give the date only"
    if re.search(r"[A-Za-z]", text):
        return ": write the month as a number"
    if re.search(r"[/.]", text) or re.fullmatch(r"\d{6}|\d{8}", text, re.ASCII):
        return ": separate the parts with '-'"
    if re.fullmatch(r"\d{4}-\d{1,2}(-\d{1,2})?", text, re.ASCII):
        return ": months and days take two digits"
    if re.match(r"(\d{1,3}|\d{5,})(\D|$)", text, re.ASCII):
        return ": the year takes four digits"
    return ""


def parse_partial(text: str) -> PartialDate:
    """Read a partial ISO date (YYYY, YYYY-MM or YYYY-MM-DD); raise DateError otherwise."""
    if not isinstance(text, str):
        raise DateError(f"{text!r} is not text", PARTIAL_DATE_FIX)
    return _parse_partial(text)


@lru_cache(maxsize=65_536)
def _parse_partial(text: str) -> PartialDate:
    """parse_partial for text, cached: a large table repeats its dates (errors are not cached)."""
    written = text.strip()
    if not written:
        raise DateError(f"{written!r} is empty", PARTIAL_DATE_FIX)
    match = _PARTIAL_RE.fullmatch(written)
    if match is None:
        hint = _partial_hint(written)
        raise DateError(f"{written!r} is not a partial ISO date{hint}", PARTIAL_DATE_FIX)
    year = int(match[1])
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateError(
            f"{written!r} is out of range: years run from {MIN_YEAR} to {MAX_YEAR}",
            PARTIAL_DATE_FIX,
        )
    if match[2] is None:
        return PartialDate(written, Interval.for_year(year))
    month = int(match[2])
    if not 1 <= month <= 12:
        raise DateError(f"{written!r} has no month {month}", PARTIAL_DATE_FIX)
    if match[3] is None:
        return PartialDate(written, Interval.for_month(year, month))
    day = int(match[3])
    last = days_in_month(year, month)
    if day == 0:
        raise DateError(f"{written!r} is not a day: days start at 01", PARTIAL_DATE_FIX)
    if day > last:
        if month == 2 and day == 29:
            reason = f"{year} is not a leap year"
        else:
            reason = f"{MONTH_NAMES[month - 1]} {year} has {last} days"
        raise DateError(f"{written!r} is not a day: {reason}", PARTIAL_DATE_FIX)
    return PartialDate(written, Interval.for_day(date(year, month, day)))


def interval_of(start: str, end: str | None = None) -> Interval:
    """An event's span: its start date, widened to its end date when one is given."""
    first = parse_partial(start)
    if end is None or (isinstance(end, str) and not end.strip()):
        return first.interval
    last = parse_partial(end)
    if last.end < first.start:
        raise DateError(
            f"end {last.text} is before start {first.text}",
            "give an end on or after the start (swap them if they are the wrong way round)",
        )
    return first.interval.hull(last.interval)
