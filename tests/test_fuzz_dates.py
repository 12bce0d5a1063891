"""Property-based tests of the date readers (issue 11): our own error, or a sound answer.

- Any string given as a partial ISO date either parses to an interval whose display reads back
  (through the phrase reader) to the same interval, or is refused with :class:`DateError`.
- Any dating phrase, against any publication interval, resolves or raises :class:`DateError`.
"""

from __future__ import annotations

import string
from datetime import date, timedelta

from hypothesis import example, given, settings
from hypothesis import strategies as st

from chronology import DateError, Interval, parse_partial, resolve_phrase
from chronology.data.dates.partial import MAX_YEAR, MIN_YEAR, MONTH_NAMES, PRECISIONS

FIRST, LAST = date(MIN_YEAR, 1, 1), date(MAX_YEAR, 12, 31)
days = st.dates(min_value=FIRST, max_value=LAST)

# Text shaped like a partial date (digits anywhere in Unicode, any month and day numbers) ...
iso_shaped = st.from_regex(r"\A\s?\d{1,5}(-\d{1,3}(-\d{1,3})?)?\s?\Z")
# ... near misses built from the right alphabet ...
iso_alphabet = st.text(alphabet="0123456789-T:/. ", max_size=14)
# ... and anything at all.
any_text = st.text(max_size=40)


@st.composite
def written_dates(draw: st.DrawFn) -> str:
    """A real day written at a random precision: YYYY, YYYY-MM or YYYY-MM-DD."""
    day = draw(days)
    return day.isoformat()[: draw(st.sampled_from([4, 7, 10]))]


@st.composite
def intervals(draw: st.DrawFn) -> Interval:
    """A publication interval: a day, or a span of days, at any precision."""
    start = draw(days)
    length = draw(st.integers(0, 800))
    end = start + timedelta(days=min(length, (LAST - start).days))
    return Interval(start, end, draw(st.sampled_from(PRECISIONS)))


def check_partial(text: str) -> None:
    """Parsed: the interval is sound and its display reads back; else our own error."""
    try:
        parsed = parse_partial(text)
    except DateError as exc:
        assert exc.message and exc.fix
        return
    interval = parsed.interval
    assert FIRST <= interval.start <= interval.end <= LAST
    assert parsed.text == text.strip()
    assert parse_partial(interval.start.isoformat()[: len(parsed.text)]) == parsed
    shown = parsed.display()
    back = resolve_phrase(shown, Interval.for_day(date(2000, 1, 1)))
    assert back.interval == interval, (text, shown, back)


@settings(max_examples=300)
@given(st.one_of(iso_shaped, iso_alphabet, any_text))
@example("2024-02-30")
@example("2023-02-29")
@example("2024-00")
@example("2024-13-01")
@example("0999")
@example("10000")
@example("２０２４")
@example("٢٠٢٤-٠٣")
@example("2024-03-16T00:00")
@example("2024-3-16")
@example("\x00")
def test_any_partial_iso_string_parses_soundly_or_is_refused(text: str) -> None:
    check_partial(text)


@settings(max_examples=200)
@given(written_dates())
def test_every_real_day_at_every_precision_parses_and_reads_back(text: str) -> None:
    parsed = parse_partial(text)  # never refused
    assert parsed.precision == {4: "year", 7: "month", 10: "day"}[len(text)]
    check_partial(text)


# --- dating phrases ------------------------------------------------------------------------------

numbers = st.one_of(
    st.integers(-5, 40).map(str),
    st.integers(0, 10**30).map(str),
    st.sampled_from(["one", "four", "twelve", "0", "00", "9" * 5000, "٣"]),
)
months = st.sampled_from([m.lower() for m in MONTH_NAMES] + ["sept", "sept.", "feb", "MARCH"])
templates = st.sampled_from(
    [
        "{n} {unit}",
        "for {n} {unit}s",
        "within {n} {unit}s",
        "{month} {n}",
        "{n} {month}",
        "on {month} {n}, {y}",
        "{n} {month} {y}",
        "since {y}",
        "in {y}",
        "since {month} {y}",
        "in {month}",
        "last {month}",
        "{p}last month{p}",
        "{p}next year{p}",
        "yesterday",
        "today",
        "last week",
    ]
)


@st.composite
def phrases(draw: st.DrawFn) -> str:
    """A phrase shaped like one the rules read, with numbers that may be absurd."""
    return draw(templates).format(
        n=draw(numbers),
        unit=draw(st.sampled_from(["day", "week", "month", "year"])),
        month=draw(months),
        y=draw(st.one_of(st.integers(0, 12_000).map(str), st.just("0000"))),
        p=draw(st.sampled_from(["", '"', "“", "…", "  ", "\t", string.punctuation])),
    )


@settings(max_examples=400)
@given(st.one_of(phrases(), st.text(max_size=40)), intervals())
@example("february 29", Interval.for_year(2001))
@example("9999 years", Interval.for_day(LAST))
@example("next month", Interval.for_month(MAX_YEAR, 12))
@example("last month", Interval.for_month(MIN_YEAR, 1))
@example("yesterday", Interval.for_day(FIRST))
@example("december 31", Interval.for_day(LAST))
@example("1" * 5000 + " days", Interval.for_day(date(2024, 6, 8)))
def test_phrase_resolution_raises_nothing_but_our_own_error(
    phrase: str, published: Interval
) -> None:
    try:
        resolved = resolve_phrase(phrase, published)
    except DateError as exc:
        assert exc.message and exc.fix
        return
    assert resolved.interval.start <= resolved.interval.end
    assert resolved.rule
    assert resolved.describe(published)  # the text the app shows never fails either
