"""Tests for chronology.data.dates.partial and .phrases: partial dates, intervals, phrases."""

from __future__ import annotations

from datetime import date

import pytest

from chronology.data.dates.partial import (
    PARTIAL_DATE_FIX,
    DateError,
    Interval,
    PartialDate,
    interval_of,
    parse_partial,
)
from chronology.data.dates.phrases import (
    DURATION_FIX,
    PHRASE_FIX,
    PHRASE_RULES,
    Resolution,
    is_duration,
    known_phrases,
    resolve_phrase,
)

D = date


def days(start: str, end: str | None = None) -> Interval:
    """A day-precision interval from ISO day strings."""
    first = date.fromisoformat(start)
    return Interval(first, date.fromisoformat(end) if end else first, "day")


# --- parse_partial -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "precision", "start", "end"),
    [
        pytest.param("2024", "year", D(2024, 1, 1), D(2024, 12, 31), id="year"),
        pytest.param("2012", "year", D(2012, 1, 1), D(2012, 12, 31), id="year-2012"),
        pytest.param("2023-07", "month", D(2023, 7, 1), D(2023, 7, 31), id="month-31-days"),
        pytest.param("2024-04", "month", D(2024, 4, 1), D(2024, 4, 30), id="month-30-days"),
        pytest.param("2024-02", "month", D(2024, 2, 1), D(2024, 2, 29), id="feb-leap"),
        pytest.param("2023-02", "month", D(2023, 2, 1), D(2023, 2, 28), id="feb-common"),
        pytest.param("2100-02", "month", D(2100, 2, 1), D(2100, 2, 28), id="feb-century-common"),
        pytest.param("2000-02", "month", D(2000, 2, 1), D(2000, 2, 29), id="feb-400-leap"),
        pytest.param("2024-03-16", "day", D(2024, 3, 16), D(2024, 3, 16), id="day"),
        pytest.param("2024-02-29", "day", D(2024, 2, 29), D(2024, 2, 29), id="leap-day"),
        pytest.param("1000", "year", D(1000, 1, 1), D(1000, 12, 31), id="min-year"),
        pytest.param("9999-12-31", "day", D(9999, 12, 31), D(9999, 12, 31), id="max-day"),
    ],
)
def test_parse_partial_reads_good_values(text: str, precision: str, start: date, end: date) -> None:
    parsed = parse_partial(text)
    assert parsed == PartialDate(text, Interval(start, end, precision))  # type: ignore[arg-type]
    assert (parsed.precision, parsed.start, parsed.end) == (precision, start, end)


def test_parse_partial_strips_surrounding_whitespace() -> None:
    parsed = parse_partial("  2024-03 \n")
    assert parsed.text == "2024-03"
    assert parsed.interval == Interval.for_month(2024, 3)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("2024-13", "'2024-13' has no month 13", id="month-13"),
        pytest.param("2024-00", "'2024-00' has no month 0", id="month-0"),
        pytest.param(
            "2023-02-29", "'2023-02-29' is not a day: 2023 is not a leap year", id="feb-29-common"
        ),
        pytest.param(
            "2100-02-29", "'2100-02-29' is not a day: 2100 is not a leap year", id="feb-29-2100"
        ),
        pytest.param(
            "2024-04-31", "'2024-04-31' is not a day: April 2024 has 30 days", id="april-31"
        ),
        pytest.param(
            "2024-02-30", "'2024-02-30' is not a day: February 2024 has 29 days", id="feb-30-leap"
        ),
        pytest.param("2024-03-00", "'2024-03-00' is not a day", id="day-0"),
        pytest.param("", "'' is empty", id="empty"),
        pytest.param("   ", "'' is empty", id="blank"),
        pytest.param("24-03", "'24-03' is not a partial ISO date", id="two-digit-year"),
        pytest.param("2024/03", "'2024/03' is not a partial ISO date", id="slash"),
        pytest.param("2024-3", "'2024-3' is not a partial ISO date", id="one-digit-month"),
        pytest.param("2024-03-5", "'2024-03-5' is not a partial ISO date", id="one-digit-day"),
        pytest.param("March 2024", "'March 2024' is not a partial ISO date", id="month-name"),
        pytest.param(
            "2024-03-16T10:00", "'2024-03-16T10:00' is not a partial ISO date", id="with-time"
        ),
        pytest.param("20240316", "'20240316' is not a partial ISO date", id="basic-format"),
        pytest.param("2024-03-16-01", "'2024-03-16-01' is not a partial ISO date", id="too-long"),
        pytest.param("२०२४", "'२०२४' is not a partial ISO date", id="non-ascii-digits"),
        pytest.param("0999", "'0999' is out of range", id="year-below-1000"),
    ],
)
def test_parse_partial_names_the_problem(text: str, message: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_partial(text)
    assert message in str(caught.value)
    assert caught.value.message == str(caught.value)
    assert caught.value.fix == PARTIAL_DATE_FIX


def test_parse_partial_rejects_non_text() -> None:
    with pytest.raises(DateError, match="is not text"):
        parse_partial(None)  # type: ignore[arg-type]


def test_date_error_is_a_value_error_with_fix() -> None:
    error = DateError("bad", fix="do better")
    assert isinstance(error, ValueError)
    assert (str(error), error.message, error.fix) == ("bad", "bad", "do better")


# --- Interval ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("interval", "text"),
    [
        pytest.param(Interval.for_year(2012), "2012", id="one-year"),
        pytest.param(Interval.for_month(2023, 7), "July 2023", id="one-month"),
        pytest.param(days("2024-03-16"), "16 March 2024", id="one-day"),
        pytest.param(interval_of("2023", "2024"), "2023–2024", id="years"),
        pytest.param(interval_of("2024-03", "2024-04"), "March–April 2024", id="months-same-year"),
        pytest.param(
            interval_of("2023-12", "2024-01"),
            "December 2023–January 2024",
            id="months-across-years",
        ),
        pytest.param(days("2024-06-08", "2024-06-10"), "8–10 June 2024", id="days-same-month"),
        pytest.param(days("2024-04-30", "2024-05-02"), "30 April–2 May 2024", id="days-same-year"),
        pytest.param(
            days("2023-12-31", "2024-01-02"),
            "31 December 2023–2 January 2024",
            id="days-across-years",
        ),
        pytest.param(
            interval_of("2023", "2024-03"),
            "January 2023–March 2024",
            id="year-hull-not-whole-years",
        ),
        pytest.param(
            interval_of("2024-03", "2024-04-10"),
            "1 March–10 April 2024",
            id="month-hull-not-whole-months",
        ),
        pytest.param(days("2024-06-01", "2024-09-30"), "1 June–30 September 2024", id="day-span"),
    ],
)
def test_interval_display(interval: Interval, text: str) -> None:
    assert interval.display() == text


def test_partial_date_display_matches_interval() -> None:
    assert parse_partial("2023-07").display() == "July 2023"


def test_interval_rejects_reversed_bounds_and_unknown_precision() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        Interval(D(2024, 2, 1), D(2024, 1, 1), "day")
    with pytest.raises(ValueError, match="precision"):
        Interval(D(2024, 1, 1), D(2024, 1, 1), "week")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("a", "b", "overlaps", "contains"),
    [
        pytest.param(Interval.for_year(2024), Interval.for_month(2024, 3), True, True, id="inside"),
        pytest.param(
            Interval.for_month(2024, 3), Interval.for_year(2024), True, False, id="around"
        ),
        pytest.param(
            Interval.for_month(2024, 3), Interval.for_month(2024, 4), False, False, id="adjacent"
        ),
        pytest.param(
            days("2024-03-01", "2024-03-10"),
            days("2024-03-10", "2024-03-20"),
            True,
            False,
            id="share-one-day",
        ),
        pytest.param(days("2024-03-05"), days("2024-03-05"), True, True, id="same-day"),
    ],
)
def test_interval_overlaps_and_contains(
    a: Interval, b: Interval, overlaps: bool, contains: bool
) -> None:
    assert a.overlaps(b) is overlaps
    assert b.overlaps(a) is overlaps
    assert a.contains(b) is contains


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        pytest.param(
            Interval.for_month(2024, 3),
            Interval.for_month(2024, 4),
            Interval(D(2024, 3, 1), D(2024, 4, 30), "month"),
            id="months",
        ),
        pytest.param(
            Interval.for_year(2023),
            days("2024-03-16"),
            Interval(D(2023, 1, 1), D(2024, 3, 16), "year"),
            id="coarser-precision-wins",
        ),
        pytest.param(
            days("2024-06-10"),
            days("2024-06-08"),
            days("2024-06-08", "2024-06-10"),
            id="order-free",
        ),
    ],
)
def test_interval_hull(a: Interval, b: Interval, expected: Interval) -> None:
    assert a.hull(b) == expected
    assert b.hull(a) == expected


# --- interval_of -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        pytest.param("2024-03", None, Interval.for_month(2024, 3), id="no-end"),
        pytest.param("2024-03", "", Interval.for_month(2024, 3), id="blank-end"),
        pytest.param("2024-03", "2024-03", Interval.for_month(2024, 3), id="end-equals-start"),
        pytest.param(
            "2024-03", "2024-03-20", Interval.for_month(2024, 3), id="end-inside-start-month"
        ),
        pytest.param(
            "2024-03-20",
            "2024-03",
            Interval(D(2024, 3, 1), D(2024, 3, 31), "month"),
            id="end-month-around-start-day",
        ),
        pytest.param(
            "2023-08-06",
            "2024-09-15",
            days("2023-08-06", "2024-09-15"),
            id="days",
        ),
        pytest.param(
            "2024-03",
            "2024-09",
            Interval(D(2024, 3, 1), D(2024, 9, 30), "month"),
            id="months",
        ),
    ],
)
def test_interval_of(start: str, end: str | None, expected: Interval) -> None:
    assert interval_of(start, end) == expected


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        pytest.param("2024-03", "2023-01", "end 2023-01 is before start 2024-03", id="months"),
        pytest.param(
            "2024-03-16", "2024-03-15", "end 2024-03-15 is before start 2024-03-16", id="days"
        ),
        pytest.param("2024-03", "2024-02-29", "end 2024-02-29 is before start 2024-03", id="mixed"),
    ],
)
def test_interval_of_rejects_end_before_start(start: str, end: str, message: str) -> None:
    with pytest.raises(DateError) as caught:
        interval_of(start, end)
    assert str(caught.value) == message
    assert caught.value.fix


def test_interval_of_passes_parse_errors_through() -> None:
    with pytest.raises(DateError, match="has no month 13"):
        interval_of("2024-01", "2024-13")


# --- resolve_phrase ----------------------------------------------------------------------------

JUNE_8 = days("2024-06-08")
WINDOW = days("2024-04-20", "2024-05-02")  # an estimate straddling the April/May boundary
JUNE_8_TO_10 = days("2024-06-08", "2024-06-10")


@pytest.mark.parametrize(
    ("phrase", "published", "expected"),
    [
        # (a) a single publication day, 2024-06-08
        pytest.param("last year", JUNE_8, Interval.for_year(2023), id="day-last-year"),
        pytest.param("last month", JUNE_8, Interval.for_month(2024, 5), id="day-last-month"),
        pytest.param("in March", JUNE_8, Interval.for_month(2024, 3), id="day-in-march"),
        pytest.param("last July", JUNE_8, Interval.for_month(2023, 7), id="day-last-july"),
        pytest.param("since 2012", JUNE_8, Interval.for_year(2012), id="day-since-2012"),
        pytest.param("September 15", JUNE_8, days("2024-09-15"), id="day-september-15"),
        pytest.param("in July 2023", JUNE_8, Interval.for_month(2023, 7), id="day-in-july-2023"),
        # (b) an estimated window, 2024-04-20 .. 2024-05-02
        pytest.param("last year", WINDOW, Interval.for_year(2023), id="window-last-year"),
        pytest.param(
            "last month",
            WINDOW,
            Interval(D(2024, 3, 1), D(2024, 4, 30), "month"),
            id="window-last-month-straddles",
        ),
        pytest.param("in March", WINDOW, Interval.for_month(2024, 3), id="window-in-march"),
        pytest.param("last July", WINDOW, Interval.for_month(2023, 7), id="window-last-july"),
        pytest.param("since 2012", WINDOW, Interval.for_year(2012), id="window-since-2012"),
        pytest.param("September 15", WINDOW, days("2024-09-15"), id="window-september-15"),
        pytest.param("in July 2023", WINDOW, Interval.for_month(2023, 7), id="window-july-2023"),
        # the other rules
        pytest.param("2012", JUNE_8, Interval.for_year(2012), id="bare-year"),
        pytest.param("in 2012", JUNE_8, Interval.for_year(2012), id="in-year"),
        pytest.param("July 2023", JUNE_8, Interval.for_month(2023, 7), id="month-year"),
        pytest.param("since Jul 2023", JUNE_8, Interval.for_month(2023, 7), id="since-month"),
        pytest.param("16 March 2024", JUNE_8, days("2024-03-16"), id="day-month-year"),
        pytest.param("March 16, 2024", JUNE_8, days("2024-03-16"), id="month-day-comma-year"),
        pytest.param("on March 16, 2024", JUNE_8, days("2024-03-16"), id="on-month-day-year"),
        pytest.param("since 16 March 2024", JUNE_8, days("2024-03-16"), id="since-day"),
        pytest.param("this year", JUNE_8, Interval.for_year(2024), id="this-year"),
        pytest.param("next year", JUNE_8, Interval.for_year(2025), id="next-year"),
        pytest.param("this month", JUNE_8, Interval.for_month(2024, 6), id="this-month"),
        pytest.param("next month", JUNE_8, Interval.for_month(2024, 7), id="next-month"),
        pytest.param(
            "last week", JUNE_8, days("2024-05-27", "2024-06-02"), id="last-week-from-saturday"
        ),
        pytest.param(
            "last week", days("2024-06-10"), days("2024-06-03", "2024-06-09"), id="last-week-monday"
        ),
        pytest.param("today", JUNE_8, JUNE_8, id="today"),
        pytest.param("yesterday", days("2024-03-01"), days("2024-02-29"), id="yesterday-leap"),
        pytest.param("15 September", JUNE_8, days("2024-09-15"), id="day-first"),
        pytest.param("Sept. 15", JUNE_8, days("2024-09-15"), id="sept-abbreviation"),
        pytest.param("Sep 15th", JUNE_8, days("2024-09-15"), id="ordinal"),
        pytest.param("January 5", days("2024-12-20"), days("2025-01-05"), id="next-year-nearest"),
        pytest.param("December 20", days("2025-01-05"), days("2024-12-20"), id="prev-year-nearest"),
        pytest.param("September 15", days("2024-03-16"), days("2023-09-15"), id="tie-goes-back"),
        # edge cases
        pytest.param(
            "last month", days("2024-01-15"), Interval.for_month(2023, 12), id="january-last-month"
        ),
        pytest.param(
            "last year",
            days("2023-12-28", "2024-01-03"),
            Interval(D(2022, 1, 1), D(2023, 12, 31), "year"),
            id="last-year-across-new-year",
        ),
        pytest.param(
            "February 29", days("2023-06-01"), days("2024-02-29"), id="feb-29-only-leap-year"
        ),
        pytest.param(
            "in March", days("2024-03-31"), Interval.for_month(2024, 3), id="in-march-in-march"
        ),
        pytest.param(
            "in March", days("2024-02-10"), Interval.for_month(2023, 3), id="in-march-in-feb"
        ),
        pytest.param(
            "last March", days("2024-03-10"), Interval.for_month(2023, 3), id="last-march-in-march"
        ),
        pytest.param(
            "last July", days("2024-07-01"), Interval.for_month(2023, 7), id="last-july-in-july"
        ),
        pytest.param(
            "last July", days("2024-08-01"), Interval.for_month(2024, 7), id="last-july-in-august"
        ),
        pytest.param(
            "in March",
            days("2024-02-20", "2024-03-05"),
            Interval(D(2023, 3, 1), D(2024, 3, 31), "month"),
            id="in-march-window-across-march-1",
        ),
        pytest.param(
            "last month",
            Interval.for_month(2024, 6),
            Interval.for_month(2024, 5),
            id="month-precision-publication",
        ),
        # normalisation
        pytest.param("  LAST   Month. ", JUNE_8, Interval.for_month(2024, 5), id="case-space-dot"),
        pytest.param("“in march,”", JUNE_8, Interval.for_month(2024, 3), id="quotes-and-comma"),
    ],
)
def test_resolve_phrase(phrase: str, published: Interval, expected: Interval) -> None:
    resolution = resolve_phrase(phrase, published)
    assert resolution.interval == expected
    assert resolution.phrase == " ".join(phrase.split())
    assert resolution.rule


@pytest.mark.parametrize(
    ("phrase", "message"),
    [
        pytest.param("recently", "no rule reads the dating phrase 'recently'", id="recently"),
        pytest.param("soon", "no rule reads the dating phrase 'soon'", id="soon"),
        pytest.param("in Smarch", "no rule reads the dating phrase 'in Smarch'", id="smarch"),
        pytest.param("earlier this year", "'earlier this year'", id="no-guessing"),
        pytest.param("March", "no rule reads the dating phrase 'March'", id="bare-month"),
        pytest.param("February 30", "'February 30' names no day", id="february-30"),
        pytest.param("31 April", "'31 April' names no day", id="april-31"),
        pytest.param("September 0", "'September 0' names no day", id="day-zero"),
        pytest.param("30 February 2024", "'30 February 2024' names no day", id="absolute-feb-30"),
        pytest.param("thirteen months", "'thirteen months'", id="number-word-too-big"),
        pytest.param("since 0999", "'since 0999'", id="year-out-of-range"),
        pytest.param("", "the dating phrase '' is empty", id="empty"),
    ],
)
def test_resolve_phrase_rejects_unknown_phrases(phrase: str, message: str) -> None:
    with pytest.raises(DateError) as caught:
        resolve_phrase(phrase, JUNE_8)
    assert message in str(caught.value)
    assert caught.value.fix == PHRASE_FIX


def test_february_29_without_a_nearby_leap_year_is_an_error() -> None:
    with pytest.raises(DateError, match="'February 29' names no day within a year"):
        resolve_phrase("February 29", days("2026-06-01"))


def test_resolution_past_year_9999_is_a_date_error() -> None:
    with pytest.raises(DateError, match="beyond the calendar"):
        resolve_phrase("next year", Interval.for_year(9999))


def test_resolution_describe() -> None:
    resolution = resolve_phrase("last month", JUNE_8_TO_10)
    text = resolution.describe(JUNE_8_TO_10)
    assert "May 2024" in text
    assert text == "'last month' in a text of 8–10 June 2024 → May 2024"
    assert resolution == Resolution(
        "last month", Interval.for_month(2024, 5), "the calendar month before publication"
    )


@pytest.mark.parametrize(("example", "rule"), known_phrases(), ids=[e for e, _ in known_phrases()])
def test_every_listed_example_resolves_by_its_own_rule(example: str, rule: str) -> None:
    assert resolve_phrase(example, JUNE_8).rule == rule


def test_examples_match_exactly_one_rule() -> None:
    """No two rules claim the same example, so rule order never decides a reading."""
    for example, _ in known_phrases():
        key = example.lower()
        matching = [r for r in PHRASE_RULES if r.pattern.fullmatch(key)]
        assert len(matching) == 1, example


def test_known_phrases_cover_the_spec_phrases() -> None:
    listed = {example for example, _ in known_phrases()}
    required = {"last year", "last month", "in March", "last July", "since 2012"}
    assert required | {"September 15"} <= listed


def test_no_listed_example_is_a_duration() -> None:
    """The help lists only phrases that say when; a duration would be refused."""
    for example, _ in known_phrases():
        assert not is_duration(example), example


# --- durations are not dates (issue 7) ------------------------------------------------------


@pytest.mark.parametrize(
    "phrase",
    [
        "four months",  # the old withdrawal-period row: 8 June – 9 October 2024 from publication
        "Four Months",
        "4 months",
        "for four months",
        "within six weeks",
        "two weeks",
        "90 days",
        "ten days",
        "one month",
        "a year",
        "two years",
        "0 days",
        "a few weeks",
        "a year later",
    ],
)
@pytest.mark.parametrize("published", [JUNE_8, JUNE_8_TO_10, WINDOW], ids=["day", "june", "april"])
def test_a_duration_is_refused_not_counted_from_publication(
    phrase: str, published: Interval
) -> None:
    assert is_duration(phrase)
    with pytest.raises(DateError) as caught:
        resolve_phrase(phrase, published)
    written = " ".join(phrase.split())
    assert str(caught.value) == (
        f"the dating phrase {written!r} is a duration, not a date: it says how long, not when"
    )
    assert caught.value.fix == DURATION_FIX
    assert "last month" in DURATION_FIX and "publication date" in DURATION_FIX


@pytest.mark.parametrize(
    "phrase",
    ["last month", "in March", "last July", "since 2012", "September 15", "last year", "in 2012",
     "16 March 2024", "this month", "last week", "today", "recently", "March"],
)  # fmt: skip
def test_a_date_is_not_a_duration(phrase: str) -> None:
    assert not is_duration(phrase)
