"""Evidence per field (issue 21): which excerpt or citation backs each field, and `check` finding
a field with nothing behind it or a row backing a date it does not give."""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

import chronology
from chronology.data.validate.backing import FIELDS


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, fields: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def copy(tmp_path: Path, data_dir: Path) -> Path:
    """A copy of the bundled data, free to break."""
    return Path(shutil.copytree(data_dir, tmp_path / "data"))


def _edit(directory: Path, name: str, pick: Callable[[dict[str, str]], bool], **values: str) -> int:
    """Set ``values`` on the one row of ``name`` that ``pick`` chooses; its spreadsheet row."""
    path = directory / name
    fields, rows = _rows(path)
    [at] = [i for i, r in enumerate(rows) if pick(r)]
    rows[at].update(values)
    _write(path, fields, rows)
    return at + 2


def _problems(directory: Path) -> list[chronology.Problem]:
    with pytest.raises(chronology.DataError) as caught:
        chronology.load(directory)
    return caught.value.problems


def _where(problem: chronology.Problem) -> tuple:
    return (problem.file, problem.row, problem.column, problem.value)


def test_every_row_of_the_bundled_data_says_what_it_backs(data_dir: Path) -> None:
    for name in ("excerpts.csv", "citations.csv"):
        _, rows = _rows(data_dir / name)
        for row in rows:
            backs = row["supports"].split(";")
            assert row["supports"] and set(backs) <= set(FIELDS), (name, row)


def test_the_bundled_data_passes_the_checks(data_dir: Path) -> None:
    assert chronology.load(data_dir).events["evidence"].isin(["excerpt", "citation only"]).all()


def _event_row(directory: Path, event_id: str) -> int:
    _, rows = _rows(directory / "events.csv")
    return next(i for i, r in enumerate(rows) if r["id"] == event_id) + 2


def test_a_date_nothing_backs(copy: Path) -> None:
    """The 2019 ISR flights: its one citation stops backing the date."""
    cite = "defensepost-2019-11-01"
    _edit(copy, "citations.csv", lambda r: r["source_id"] == cite, supports="summary;place;actors")
    [problem] = _problems(copy)
    assert _where(problem) == (
        "events.csv",
        _event_row(copy, "air-base-201-isr"),
        "date",
        "2019-11-01",
    )
    assert "nothing backs the date of event 'air-base-201-isr'" in problem.message
    assert "supports" in problem.fix


def test_an_end_date_nothing_backs(copy: Path) -> None:
    _edit(
        copy,
        "citations.csv",
        lambda r: r["event_id"] == "bazoum-presidency" and r["source_id"] == "crs-if12464",
        supports="summary",
    )
    [problem] = _problems(copy)
    assert _where(problem) == (
        "events.csv",
        _event_row(copy, "bazoum-presidency"),
        "end_date",
        "2023-07-26",
    )
    assert "nothing backs the end date" in problem.message


def test_a_place_nothing_backs(copy: Path) -> None:
    _edit(
        copy,
        "citations.csv",
        lambda r: r["event_id"] == "air-base-101-handover",
        supports="summary;date;actors",
    )
    [problem] = _problems(copy)
    assert _where(problem) == (
        "events.csv",
        _event_row(copy, "air-base-101-handover"),
        "place",
        "Niamey (Air Base 101)",
    )


def test_a_row_backing_a_field_its_event_lacks(copy: Path) -> None:
    row = _edit(
        copy,
        "citations.csv",
        lambda r: r["event_id"] == "air-base-201-handover",
        supports="summary;date;end_date;place;actors",
    )
    [problem] = _problems(copy)
    assert _where(problem) == (
        "citations.csv",
        row,
        "supports",
        "summary;date;end_date;place;actors",
    )
    assert "which has none" in problem.message


def test_an_excerpt_backing_the_date_with_a_phrase_that_dates_the_end(copy: Path) -> None:
    """'September 15' is the end of withdrawal-period, not its start (19 May 2024)."""
    row = _edit(
        copy,
        "excerpts.csv",
        lambda r: r["event_id"] == "withdrawal-period" and r["dating_phrase"] == "September 15",
        supports="summary;date",
    )
    [problem] = _problems(copy)
    assert _where(problem) == ("excerpts.csv", row, "dating_phrase", "September 15")
    assert "reads as 15 September 2024" in problem.message
    assert "(19 May 2024)" in problem.message


def test_an_undated_excerpt_backing_a_date_speaks_as_of_its_publication(copy: Path) -> None:
    """Article B (~8–10 June 2024) says the withdrawal 'has begun': not that it began on 7 June."""
    row = _edit(
        copy,
        "excerpts.csv",
        lambda r: r["event_id"] == "withdrawal-begins" and r["quote"].startswith("The US has"),
        supports="summary;date",
    )
    [problem] = _problems(copy)
    assert _where(problem) == ("excerpts.csv", row, "supports", "summary;date")
    assert "as of its source's publication" in problem.message


def test_partial_precision_is_minded(copy: Path) -> None:
    """'in July 2023' (a month) backs the coup's day, 26 July 2023: the month holds it."""
    _edit(
        copy,
        "excerpts.csv",
        lambda r: r["event_id"] == "coup" and r["dating_phrase"] == "in July 2023",
        supports="summary;date",
    )
    assert chronology.load(copy)


def test_a_citation_backing_the_date_with_its_own_date_elsewhere(copy: Path) -> None:
    row = _edit(
        copy,
        "citations.csv",
        lambda r: r["event_id"] == "bazoum-presidency" and r["source_id"] == "crs-if12464",
        supports="date;end_date",
    )
    [problem] = _problems(copy)
    assert _where(problem) == ("citations.csv", row, "date", "2023-07-26")
    assert "backs the date of event 'bazoum-presidency' (2 April 2021)" in problem.message
    assert "its own date is 26 July 2023" in problem.message


def test_a_supports_value_that_is_not_a_field(copy: Path) -> None:
    row = _edit(
        copy, "citations.csv", lambda r: r["event_id"] == "air-base-201-handover", supports="datum"
    )
    problems = _problems(copy)
    assert _where(problems[0]) == ("citations.csv", row, "supports", "datum")
    assert "summary, date, end_date, place, actors" in problems[0].fix


def test_an_event_is_excerpt_backed_only_when_an_excerpt_backs_its_summary(copy: Path) -> None:
    assert chronology.load(copy).event("coup").citation_only is False
    for quote in ("However, his rule", "The military government", "Niger had previously"):
        _edit(
            copy,
            "excerpts.csv",
            lambda r, q=quote: r["event_id"] == "coup" and r["quote"].startswith(q),
            supports="date;place",
        )
    ds = chronology.load(copy)
    assert ds.event("coup").citation_only is True
    assert ds.events.set_index("id").loc["coup", "evidence"] == "citation only"


def test_a_data_set_without_supports_loads_with_its_defaults(minimal: chronology.DataSet) -> None:
    """An older or imported package (the minimal fixture has no supports column) loads: an
    excerpt backs its summary (and the date of its phrase), a citation summary and date."""
    assert set(minimal.excerpts["supports"]) <= {"summary", "summary;date"}
    assert set(minimal.citations["supports"]) <= {"summary;date", "summary;end_date"}
    assert not minimal.events["evidence"].eq("").any()


def test_rows_without_supports_back_the_date_they_give(copy: Path) -> None:
    """A row whose supports is empty backs the summary and the date it gives: the event's date,
    or its end date when that is the one the date falls in."""
    for name in ("excerpts.csv", "citations.csv"):
        fields, rows = _rows(copy / name)
        for row in rows:
            backs = set(row["supports"].split(";"))
            if backs & {"date", "end_date"} and backs <= {"summary", "date", "end_date"}:
                row["supports"] = ""
        _write(copy / name, fields, rows)
    ds = chronology.load(copy)
    cites = ds.citations.set_index(["event_id", "source_id"])["supports"]
    assert cites.loc[("bazoum-presidency", "crs-if12464")] == "summary;end_date"
    period = ds.citations[ds.citations["event_id"] == "withdrawal-period"]
    assert dict(zip(period["date"], period["supports"], strict=True)) == {
        "2024-05-19": "summary;date",
        "2024-09-15": "summary;end_date",
    }
    exs = ds.excerpts.set_index(["event_id", "dating_phrase"])["supports"]
    assert exs.loc[("withdrawal-period", "September 15")] == "summary;end_date"
    assert exs.loc[("coup", "in July 2023")] == "summary;date"


# --- disputes: in the data, the exports and the data package ------------------------------------


def test_a_disputed_event_stays_filterable(bundled: chronology.DataSet) -> None:
    """Disputed events answer the filters like any other, by the values we took."""
    from chronology.data.query.filters import Query, filter_events

    assert bundled.events.set_index("id").loc["us-surveillance-hub", "disputed"] == "date"
    shown = filter_events(bundled, Query(actors=("us-military",), text="surveillance"))
    assert "us-surveillance-hub" in set(shown["id"])
    in_2013 = filter_events(bundled, Query(start=date(2013, 2, 1), end=date(2013, 2, 28)))
    assert "us-surveillance-hub" in set(in_2013["id"])
    before = filter_events(bundled, Query(end=date(2013, 1, 31)))
    assert "us-surveillance-hub" not in set(before["id"])  # by our February 2013, not 2012


def test_the_downloads_carry_supports_and_disputes(bundled: chronology.DataSet) -> None:
    from chronology.views import export

    table = export.events_table(bundled, bundled.events).set_index("id")
    assert table.loc["us-surveillance-hub", "disputes"] == "date: 2012 per article-a"
    assert table.loc["coup", "disputes"] == ""
    records = {r["id"]: r for r in json.loads(export.to_json(bundled, bundled.events))["events"]}
    hub = records["us-surveillance-hub"]
    assert hub["disputes"] == [
        {
            "field": "date",
            "value": "2012",
            "source_id": "article-a",
            "source_title": bundled.source_rows["article-a"]["title"],
            "note": hub["disputes"][0]["note"],
        }
    ]
    assert {tuple(c["supports"]) for c in hub["citations"]} == {("date", "place"), ("end_date",)}
    assert all(x["supports"] for x in hub["excerpts"])


def test_the_data_package_round_trips_supports_and_disputes(data_dir: Path) -> None:
    """A .zip of the data folder (the package import) keeps both as they are."""
    from chronology.data.load import load_files
    from chronology.formats.package import read_zip, to_zip

    files = {
        p.relative_to(data_dir).as_posix(): p.read_bytes()
        for p in data_dir.rglob("*")
        if p.is_file()
    }
    ds = load_files(read_zip(to_zip(files), "data.zip"), "data.zip")
    here = chronology.load(data_dir)
    assert ds.disputes.equals(here.disputes)
    assert list(ds.citations["supports"]) == list(here.citations["supports"])
    assert list(ds.excerpts["supports"]) == list(here.excerpts["supports"])


def test_a_package_without_disputes_loads(copy: Path) -> None:
    (copy / "disputes.csv").unlink()
    ds = chronology.load(copy)
    assert ds.disputes.empty and not ds.events["disputed"].ne("").any()
    assert ds.event("us-surveillance-hub").disputes == ()


def test_a_disputed_date_must_be_a_date(copy: Path) -> None:
    row = _edit(copy, "disputes.csv", lambda r: r["source_id"] == "article-a", value="since 2012")
    [problem] = _problems(copy)
    assert _where(problem) == ("disputes.csv", row, "value", "since 2012")
    assert "the disputed date is not a date" in problem.message


def test_the_event_list_marks_a_disputed_event(bundled: chronology.DataSet) -> None:
    from chronology.views import render

    html = render.event_list_html(bundled, bundled.events, {})
    items = {
        part.split('"', 1)[0]: part for part in html.split('data-event="')[1:]
    }  # event id → its item
    assert (
        'class="badge disputed" title="A source gives another date"' in items["us-surveillance-hub"]
    )
    assert "Disputed" not in items["coup"]
