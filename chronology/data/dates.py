"""Partial ISO dates (2012, 2023-07, 2024-03-16) and relative dating phrases ("last month")."""

from __future__ import annotations

import calendar
import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

from dateutil.relativedelta import relativedelta

__all__ = [
    "DURATION_FIX",
    "PARTIAL_DATE_FIX",
    "PHRASE_FIX",
    "PHRASE_RULES",
    "PRECISIONS",
    "DateError",
    "Interval",
    "PartialDate",
    "PhraseReading",
    "PhraseRule",
    "Precision",
    "Resolution",
    "interval_of",
    "is_duration",
    "known_phrases",
    "parse_partial",
    "read_phrase",
    "resolve_phrase",
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
PHRASE_FIX = (
    "use one of: last year, last month, in March, last July, since 2012, September 15, "
    "… (see `python -m chronology resolve --help`)"
)
DURATION_FIX = (
    "mark the words that say when instead (e.g. 'last month', 'September 15'), or leave "
    "dating_phrase empty and date the span's start and end in events.csv from their own "
    "excerpts, citations or date_note: a duration is never counted from the publication date"
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
def _days_in_month(year: int, month: int) -> int:
    """Number of days in the given month (memoised: a load asks for the same few many times)."""
    return calendar.monthrange(year, month)[1]


def _day_text(day: date) -> str:
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
        return cls(date(year, month, 1), date(year, month, _days_in_month(year, month)), "month")

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
        if rank >= 1 and s.day == 1 and e.day == _days_in_month(e.year, e.month):
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
            return _day_text(s)
        if (s.year, s.month) == (e.year, e.month):
            return f"{s.day}–{e.day} {sm} {s.year}"
        if s.year == e.year:
            return f"{s.day} {sm}–{e.day} {em} {s.year}"
        return f"{_day_text(s)}–{_day_text(e)}"


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
    last = _days_in_month(year, month)
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


# --- dating phrases ------------------------------------------------------------------------


class _Unreadable(Exception):
    """A phrase matched a rule but names no real date; the text says why."""


_MONTH_NUMBERS: dict[str, int] = {}
for _number, _name in enumerate(MONTH_NAMES, start=1):
    _MONTH_NUMBERS[_name.lower()] = _number
    _MONTH_NUMBERS[_name[:3].lower()] = _number
_MONTH_NUMBERS["sept"] = 9

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip

_MONTH = r"(?P<month>{})\.?".format("|".join(sorted(_MONTH_NUMBERS, key=len, reverse=True)))
_YEAR = r"(?P<year>\d{4})"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_COUNT = r"(?P<count>\d+|{})".format("|".join(_NUMBER_WORDS))
_UNIT = r"(?P<unit>day|week|month|year)s?"

_DURATION = re.compile(
    rf"(?:(?:for|within|after|over|in|about|nearly|almost|some) )?"
    rf"(?:{_COUNT}|a|an|a few|a couple of|several|few) (?:more |full |further |other )?"
    rf"{_UNIT}(?: later| earlier| long)?",
    re.ASCII,
)
"""A length of time ("four months", "for two weeks", "90 days"): not a date."""

Resolver = Callable[[re.Match[str], date], Interval]


def _year_of(match: re.Match[str]) -> int:
    """The year group, checked against the supported range."""
    year = int(match["year"])
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _Unreadable(f"names year {year}: years run from {MIN_YEAR} to {MAX_YEAR}")
    return year


def _month_of(match: re.Match[str]) -> int:
    """The month group as a number."""
    return _MONTH_NUMBERS[match["month"]]


def _named_year(match: re.Match[str], _anchor: date) -> Interval:
    """The year written in the phrase."""
    return Interval.for_year(_year_of(match))


def _named_month(match: re.Match[str], _anchor: date) -> Interval:
    """The month and year written in the phrase."""
    return Interval.for_month(_year_of(match), _month_of(match))


def _named_day(match: re.Match[str], _anchor: date) -> Interval:
    """The day, month and year written in the phrase."""
    year, month, day = _year_of(match), _month_of(match), int(match["day"])
    last = _days_in_month(year, month)
    if not 1 <= day <= last:
        raise _Unreadable(f"names no day: {MONTH_NAMES[month - 1]} {year} has {last} days")
    return Interval.for_day(date(year, month, day))


def _year_offset(offset: int) -> Resolver:
    """The calendar year offset years from the anchor's."""
    return lambda _match, anchor: Interval.for_year(anchor.year + offset)


def _month_offset(offset: int) -> Resolver:
    """The calendar month offset months from the anchor's."""

    step = relativedelta(months=offset)  # made once: relativedelta is slow to make

    def resolve(_match: re.Match[str], anchor: date) -> Interval:
        first = anchor.replace(day=1) + step
        return Interval.for_month(first.year, first.month)

    return resolve


def _day_offset(offset: int) -> Resolver:
    """The day offset days from the anchor."""
    return lambda _match, anchor: Interval.for_day(anchor + timedelta(days=offset))


def _last_week(_match: re.Match[str], anchor: date) -> Interval:
    """The Monday–Sunday week before the anchor's week."""
    monday = anchor - timedelta(days=anchor.weekday() + 7)
    return Interval(monday, monday + timedelta(days=6), "day")


def _recent_month(strictly_before: bool) -> Resolver:
    """The most recent named month on (or strictly before) the anchor's month."""

    def resolve(match: re.Match[str], anchor: date) -> Interval:
        month = _month_of(match)
        late = month > anchor.month or (strictly_before and month == anchor.month)
        return Interval.for_month(anchor.year - 1 if late else anchor.year, month)

    return resolve


def _nearest_day(match: re.Match[str], anchor: date) -> Interval:
    """The named day-of-year in the year (anchor's, or one either side) nearest the anchor."""
    month, day = _month_of(match), int(match["day"])
    longest = 29 if month == 2 else _days_in_month(2001, month)
    if not 1 <= day <= longest:
        raise _Unreadable(f"names no day: {MONTH_NAMES[month - 1]} never has day {day}")
    years = range(anchor.year - 1, anchor.year + 2)
    candidates = [date(y, month, day) for y in years if day <= _days_in_month(y, month)]
    if not candidates:
        raise _Unreadable(
            f"names no day within a year of {_day_text(anchor)}: "
            f"none of {years[0]}–{years[-1]} is a leap year"
        )
    # Nearest to the anchor; a tie goes to the earlier (already reported) date.
    return Interval.for_day(min(candidates, key=lambda c: (abs((c - anchor).days), c)))


@dataclass(frozen=True, slots=True)
class PhraseRule:
    """One way of reading a dating phrase: a pattern, its resolver and a description."""

    pattern: re.Pattern[str]
    resolve: Resolver
    rule: str
    examples: tuple[str, ...]


def _rule(pattern: str, resolve: Resolver, rule: str, *examples: str) -> PhraseRule:
    """A PhraseRule from an uncompiled pattern (matched whole, lower-case, ASCII digits)."""
    return PhraseRule(re.compile(pattern, re.ASCII), resolve, rule, examples)


# fmt: off
PHRASE_RULES: tuple[PhraseRule, ...] = (
    # Absolute dates: the anchor plays no part.
    _rule(rf"(?:in )?{_YEAR}", _named_year, "the named year", "2012", "in 2012"),
    _rule(rf"since {_YEAR}", _named_year, "the named year, as the start of a span", "since 2012"),
    _rule(rf"(?:in )?{_MONTH},? {_YEAR}", _named_month, "the named month", "July 2023",
          "in July 2023"),
    _rule(rf"since {_MONTH},? {_YEAR}", _named_month, "the named month, as the start of a span",
          "since July 2023"),
    _rule(rf"(?:on )?{_DAY} {_MONTH},? {_YEAR}", _named_day, "the named day", "16 March 2024"),
    _rule(rf"(?:on )?{_MONTH} {_DAY},? {_YEAR}", _named_day, "the named day", "March 16, 2024",
          "on March 16, 2024"),
    _rule(rf"since {_DAY} {_MONTH},? {_YEAR}", _named_day,
          "the named day, as the start of a span", "since 16 March 2024"),
    _rule(rf"since {_MONTH} {_DAY},? {_YEAR}", _named_day,
          "the named day, as the start of a span", "since March 16, 2024"),
    # Calendar units relative to the publication date.
    _rule(r"this year", _year_offset(0), "the calendar year of publication", "this year"),
    _rule(r"last year", _year_offset(-1), "the calendar year before publication", "last year"),
    _rule(r"next year", _year_offset(1), "the calendar year after publication", "next year"),
    _rule(r"this month", _month_offset(0), "the calendar month of publication", "this month"),
    _rule(r"last month", _month_offset(-1), "the calendar month before publication",
          "last month"),
    _rule(r"next month", _month_offset(1), "the calendar month after publication", "next month"),
    _rule(r"last week", _last_week, "the Monday–Sunday week before the week of publication",
          "last week"),
    _rule(r"today", _day_offset(0), "the day of publication", "today"),
    _rule(r"yesterday", _day_offset(-1), "the day before publication", "yesterday"),
    # Named months and days placed relative to the publication date.
    _rule(rf"in {_MONTH}", _recent_month(strictly_before=False),
          "the most recent such month up to and including the month of publication", "in March"),
    _rule(rf"last {_MONTH}", _recent_month(strictly_before=True),
          "the most recent such month before the month of publication", "last July"),
    _rule(rf"(?:on )?{_MONTH} {_DAY}", _nearest_day,
          "that day in the year nearest the publication date", "September 15", "Sept. 15"),
    _rule(rf"(?:on )?{_DAY} {_MONTH}", _nearest_day,
          "that day in the year nearest the publication date", "15 September"),
)
# fmt: on
"""The rules, tried in order; the first whose pattern matches the whole phrase is used."""

_ABSOLUTE = frozenset({_named_year, _named_month, _named_day})
"""The resolvers that ignore the publication date."""


def known_phrases() -> list[tuple[str, str]]:
    """(example phrase, rule) pairs for help text, one per example."""
    return [(example, rule.rule) for rule in PHRASE_RULES for example in rule.examples]


_EDGE_PUNCTUATION = string.punctuation + "“”‘’«»–—…"


def _normalise(phrase: str) -> str:
    """Lower-case, collapse whitespace and strip punctuation from both ends."""
    return " ".join(phrase.lower().split()).strip(_EDGE_PUNCTUATION + " ")


@dataclass(frozen=True, slots=True)
class Resolution:
    """A dating phrase read against a publication date."""

    phrase: str
    interval: Interval
    rule: str

    def describe(self, published: Interval) -> str:
        """e.g. "'last month' in a text of 8–10 June 2024 → May 2024"."""
        return f"{self.phrase!r} in a text of {published.display()} → {self.interval.display()}"


def is_duration(phrase: str) -> bool:
    """True when the phrase is a length of time ("four months", "90 days"), not a date."""
    return isinstance(phrase, str) and _DURATION.fullmatch(_normalise(phrase)) is not None


def resolve_phrase(phrase: str, published: Interval) -> Resolution:
    """Read a dating phrase against the publication interval; raise DateError if no rule fits.

    A duration ("four months") is refused: it says how long, not when, and counting it from
    the day the text appeared would date what the text does not say.
    """
    return read_phrase(phrase).against(published)


@dataclass(frozen=True, slots=True)
class PhraseReading:
    """A dating phrase matched to its rule once, to be read against many publication dates."""

    written: str
    rule: PhraseRule
    match: re.Match[str]

    @property
    def absolute(self) -> bool:
        """Whether the phrase names its date outright: the publication date plays no part."""
        return self.rule.resolve in _ABSOLUTE

    def on(self, day: date) -> Interval:
        """The phrase read against one publication day; raise DateError if it names no date."""
        try:
            return self.rule.resolve(self.match, day)
        except _Unreadable as problem:
            raise DateError(f"the dating phrase {self.written!r} {problem}", PHRASE_FIX) from None
        except (ValueError, OverflowError):  # date arithmetic past year 9999
            raise DateError(
                f"the dating phrase {self.written!r} reaches beyond the calendar we support",
                PHRASE_FIX,
            ) from None

    def against(self, published: Interval) -> Resolution:
        """The phrase read against the publication interval (its first and its last day)."""
        early = self.on(published.start)
        late = early if published.end == published.start else self.on(published.end)
        return Resolution(self.written, early.hull(late), self.rule.rule)


def read_phrase(phrase: str) -> PhraseReading:
    """Match a dating phrase to the first rule that reads it; raise DateError if none does."""
    if not isinstance(phrase, str):
        raise DateError(f"the dating phrase {phrase!r} is not text", PHRASE_FIX)
    written = " ".join(phrase.split())
    if not written:
        raise DateError(f"the dating phrase {written!r} is empty", PHRASE_FIX)
    key = _normalise(written)
    if _DURATION.fullmatch(key):
        raise DateError(
            f"the dating phrase {written!r} is a duration, not a date: it says how long, not when",
            DURATION_FIX,
        )
    for rule in PHRASE_RULES:
        match = rule.pattern.fullmatch(key)
        if match is not None:
            return PhraseReading(written, rule, match)
    raise DateError(f"no rule reads the dating phrase {written!r}", PHRASE_FIX)
