"""Dating phrases ("last month", "in March", "16 March 2024") read against a publication date.

Each phrase is matched whole, lower-cased, to the first of ``PHRASE_RULES`` that reads it;
a duration ("four months") is refused: it says how long, not when.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from .partial import (
    MAX_YEAR,
    MIN_YEAR,
    MONTH_NAMES,
    DateError,
    Interval,
    Precision,
    day_text,
    days_in_month,
)

__all__ = [
    "DURATION",
    "DURATION_FIX",
    "MONTH_NUMBERS",
    "PHRASE_FIX",
    "PHRASE_RULES",
    "PhraseReading",
    "PhraseRule",
    "Resolution",
    "Shift",
    "is_duration",
    "known_phrases",
    "read_phrase",
    "resolve_phrase",
]

PHRASE_FIX = (
    "use one of: last year, last month, in March, last July, since 2012, September 15, "
    "… (see `python -m chronology resolve --help`)"
)
DURATION_FIX = (
    "mark the words that say when instead (e.g. 'last month', 'September 15'), or leave "
    "dating_phrase empty and date the span's start and end in events.csv from their own "
    "excerpts, citations or date_note: a duration is never counted from the publication date"
)


class _Unreadable(Exception):
    """A phrase matched a rule but names no real date; the text says why."""


MONTH_NUMBERS: dict[str, int] = {}
for _number, _name in enumerate(MONTH_NAMES, start=1):
    MONTH_NUMBERS[_name.lower()] = _number
    MONTH_NUMBERS[_name[:3].lower()] = _number
MONTH_NUMBERS["sept"] = 9

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip

_MONTH = r"(?P<month>{})\.?".format("|".join(sorted(MONTH_NUMBERS, key=len, reverse=True)))
_YEAR = r"(?P<year>\d{4})"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_COUNT = r"(?P<count>\d+|{})".format("|".join(_NUMBER_WORDS))
_UNIT = r"(?P<unit>day|week|month|year)s?"

DURATION = re.compile(
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
    return MONTH_NUMBERS[match["month"]]


def _named_year(match: re.Match[str], _anchor: date) -> Interval:
    """The year written in the phrase."""
    return Interval.for_year(_year_of(match))


def _named_month(match: re.Match[str], _anchor: date) -> Interval:
    """The month and year written in the phrase."""
    return Interval.for_month(_year_of(match), _month_of(match))


def _named_day(match: re.Match[str], _anchor: date) -> Interval:
    """The day, month and year written in the phrase."""
    year, month, day = _year_of(match), _month_of(match), int(match["day"])
    last = days_in_month(year, month)
    if not 1 <= day <= last:
        raise _Unreadable(f"names no day: {MONTH_NAMES[month - 1]} {year} has {last} days")
    return Interval.for_day(date(year, month, day))


@dataclass(frozen=True, slots=True)
class Shift:
    """The calendar year, month or day ``offset`` units from the anchor's ("last month")."""

    unit: Precision
    offset: int

    def __call__(self, _match: re.Match[str], anchor: date) -> Interval:
        """The unit of the anchor, moved by python-dateutil's calendar arithmetic (the reference
        the column-wise reading in datecols is tested against); past the calendar: ValueError
        or OverflowError."""
        if self.unit == "day":
            return Interval.for_day(anchor + relativedelta(days=self.offset))
        if self.unit == "year":
            return Interval.for_year(
                (anchor.replace(day=1) + relativedelta(years=self.offset)).year
            )
        moved = anchor.replace(day=1) + relativedelta(months=self.offset)
        return Interval.for_month(moved.year, moved.month)


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
    longest = 29 if month == 2 else days_in_month(2001, month)
    if not 1 <= day <= longest:
        raise _Unreadable(f"names no day: {MONTH_NAMES[month - 1]} never has day {day}")
    years = range(anchor.year - 1, anchor.year + 2)
    candidates = [date(y, month, day) for y in years if day <= days_in_month(y, month)]
    if not candidates:
        raise _Unreadable(
            f"names no day within a year of {day_text(anchor)}: "
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

    @property
    def names(self) -> Precision | None:
        """The precision of the date the rule names outright; None: read against publication."""
        return _ABSOLUTE.get(self.resolve)

    @property
    def shift(self) -> Shift | None:
        """The calendar unit and offset of a rule that moves the publication date's own."""
        return self.resolve if isinstance(self.resolve, Shift) else None


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
    _rule(r"this year", Shift("year", 0), "the calendar year of publication", "this year"),
    _rule(r"last year", Shift("year", -1), "the calendar year before publication", "last year"),
    _rule(r"next year", Shift("year", 1), "the calendar year after publication", "next year"),
    _rule(r"this month", Shift("month", 0), "the calendar month of publication", "this month"),
    _rule(r"last month", Shift("month", -1), "the calendar month before publication",
          "last month"),
    _rule(r"next month", Shift("month", 1), "the calendar month after publication", "next month"),
    _rule(r"last week", _last_week, "the Monday–Sunday week before the week of publication",
          "last week"),
    _rule(r"today", Shift("day", 0), "the day of publication", "today"),
    _rule(r"yesterday", Shift("day", -1), "the day before publication", "yesterday"),
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

_ABSOLUTE: dict[Resolver, Precision] = {
    _named_year: "year",
    _named_month: "month",
    _named_day: "day",
}
"""The resolvers that ignore the publication date, and the precision of the date they name."""


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
    return isinstance(phrase, str) and DURATION.fullmatch(_normalise(phrase)) is not None


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
    if DURATION.fullmatch(key):
        raise DateError(
            f"the dating phrase {written!r} is a duration, not a date: it says how long, not when",
            DURATION_FIX,
        )
    for rule in PHRASE_RULES:
        match = rule.pattern.fullmatch(key)
        if match is not None:
            return PhraseReading(written, rule, match)
    raise DateError(f"no rule reads the dating phrase {written!r}", PHRASE_FIX)
