"""Imports keep what the file says: nothing invented, ACLED and TimelineJS as their users write
them, readable imported pages, partial loads.

Fixtures in tests/fixtures/imports, one per edge case.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import chronology
from chronology import formats
from chronology.cli import main
from chronology.data.dataset import publication_label
from chronology.data.errors import DataError
from chronology.data.query.filters import by_text
from chronology.views import figures, render, summaries

IMPORTS = Path(__file__).resolve().parent / "fixtures" / "imports"


def load(name: str, **options: object) -> chronology.DataSet:
    path = IMPORTS / name
    return formats.to_dataset(formats.read_file(path.read_bytes(), name, **options))


def event(ds: chronology.DataSet, title: str) -> chronology.EventDetail:
    rows = ds.events[ds.events["title"] == title]
    assert len(rows) == 1, (title, list(ds.events["title"]))
    return ds.event(rows.iloc[0]["id"])


def labels(ds: chronology.DataSet) -> dict[str, str]:
    return {r["title"]: publication_label(r) for r in ds.sources.to_dict("records")}


# --- 1. unknown stays unknown ---------------------------------------------------------------


def test_a_plain_tables_source_has_no_invented_date() -> None:
    """Before: "[no source named in the row], unknown, ~26 July 2023 (estimated)"."""
    ds = load("plain-table.csv")
    assert labels(ds) == {"[no source named in the row]": "date unknown"}
    assert set(ds.sources["published"]) == {""}
    assert set(ds.sources["date_estimated"]) == {"false"}
    assert not ds.sources["estimate_basis"].ne("").any()


def test_knight_labs_sample_sources_are_undated_not_estimated() -> None:
    """Before: "Wikimedia Commons, ~10 December 1815 (estimated)"."""
    ds = load("knightlab-women-in-computing.csv")
    assert labels(ds)["Wikimedia Commons"] == "date unknown"
    assert all(label == "date unknown" for label in labels(ds).values())
    ada = event(ds, "Ada Lovelace")
    html = render.citations_html(ada.citations) + render.event_list_html(ds, ds.events, {})
    assert "1815 (estimated)" not in html and "(estimated)" not in html


def test_a_source_date_the_file_gives_is_kept_as_given() -> None:
    ds = load("plain-source-published.csv")
    assert labels(ds) == {
        "Niger ends military accord with US": "17 March 2024",
        "US completes withdrawal": "date unknown",
    }


def test_nothing_the_file_does_not_say_is_filled_in() -> None:
    ds = load("plain-table.csv")
    assert set(ds.events["category"]) == {""} and ds.categories.empty
    assert set(ds.events["summary"]) == {""}  # not the title again
    assert set(ds.events["place"]) == {""} and ds.actors.empty
    sheet = load("knightlab-women-in-computing.csv")
    assert "No group" not in set(sheet.categories["name"])
    assert set(sheet.events["category"]) == {""}


def test_check_refuses_a_dating_phrase_whose_source_has_no_date(
    make_data_dir: Callable[..., Path],
) -> None:
    directory = make_data_dir()
    path = directory / "sources.csv"
    text = path.read_text(encoding="utf-8").replace(",2024-04-20,false,", ",,false,", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as info:
        chronology.load(directory)
    found = [p for p in info.value.problems if p.file == "excerpts.csv"]
    assert found, info.value.report()
    first = found[0]
    assert (first.row, first.column, first.value) == (2, "dating_phrase", "in July 2023")
    assert "has none" in first.message and "published" in first.fix
    assert all(p.column == "dating_phrase" for p in found)


def test_check_allows_an_undated_source_no_phrase_needs(
    make_data_dir: Callable[..., Path],
) -> None:
    directory = make_data_dir()
    path = directory / "sources.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",2024-09-16,false,", ",,false,", 1), encoding="utf-8")
    ds = chronology.load(directory)
    row = ds.source_rows["record-2024-09"]
    assert publication_label(row) == "date unknown"


# --- 2. ACLED as analysts read it -------------------------------------------------------------


def roles_of(detail: chronology.EventDetail) -> dict[str, str]:
    return {name: role for _, name, role in detail.actors}


def test_acled_roles_come_from_the_event_type() -> None:
    ds = load("acled-roles-and-titles.csv")
    agreement = ds.event("nig9201")
    assert set(roles_of(agreement).values()) == {"participant"}  # both take part
    base = ds.event("nig9202")
    assert set(roles_of(base).values()) == {"participant"}
    clash = ds.event("nig9101")
    assert roles_of(clash) == {
        "Military Forces of Niger (2023-)": "actor",
        "JNIM: Group for Support of Islam and Muslims": "target",
    }
    protest = ds.event("nig9203")
    assert roles_of(protest) == {
        "Protesters (Niger)": "actor",
        "Military Forces of the United States": "target",  # whom they face
    }
    attack = ds.event("nig9204")
    assert roles_of(attack)["Civilians (Niger)"] == "target"
    numeric = load("acled-numeric-inter.csv")
    assert roles_of(numeric.event("nig9301"))["Military Forces of Niger (2023-)"] == "target"
    assert roles_of(numeric.event("nig9302"))["Rioters (Niger)"] == "actor"
    kinds = dict(zip(numeric.actors["name"], numeric.actors["kind"], strict=True))
    assert (
        kinds["Rioters (Niger)"] == "rioters"
        and kinds["JNIM: Group for Support of Islam and Muslims"] == "armed group"
    )


def test_acled_titles_say_what_who_and_where() -> None:
    """Before: eight events titled "Armed clash in Tera", "Agreement in Niamey"."""
    ds = load("acled-roles-and-titles.csv")
    titles = dict(zip(ds.events["id"], ds.events["title"], strict=True))
    assert titles["nig9101"] == (
        "Armed clash: Military Forces of Niger and JNIM: Group for Support of Islam and Muslims "
        "near Tera"
    )
    assert titles["nig9201"] == (
        "Agreement: Government of Niger and Military Forces of the United States in Niamey"
    )
    assert titles["nig9203"] == (
        "Peaceful protest: Protesters (Niger) facing Military Forces of the United States in Niamey"
    )
    assert titles["nig9204"] == "Attack: Islamic State (Sahel) against Civilians (Niger) in Ouallam"
    assert not any(
        t.endswith(" in Tera") and t.startswith("Armed clash in") for t in titles.values()
    )


def test_acled_notes_fatalities_targeting_and_tags_show_and_are_found() -> None:
    ds = load("acled-roles-and-titles.csv")
    attack = ds.event("nig9204")
    assert attack.summary.startswith("Armed men attacked farmers near Ouallam, killing several.")
    assert "4 reported fatalities" in attack.summary
    assert "Civilian targeting" in attack.summary
    assert "tags: women targeted: girls; local administrators" in attack.summary
    assert by_text(ds, "civilian targeting").sum() == 1
    assert by_text(ds, "local administrators").sum() == 1
    assert by_text(ds, "crowd size=thousands").sum() == 1
    listed = render.event_list_html(ds, ds.events, {})
    assert "Armed men attacked farmers" in listed and "4 reported fatalities" in listed
    head = summaries.headline(ds, ds.events)
    assert head.fatalities == 5 + 0 + 12 + 3 + 0 + 7 + 1 + 2 + 4
    assert summaries.headline(chronology.load(), chronology.load().events).fatalities is None


# --- 3. TimelineJS as its users write it -------------------------------------------------------


def test_a_v1_sheet_with_start_date_and_tag() -> None:
    ds = load("timelinejs-v1-headers.csv")
    drones = event(ds, "US drones based in Niamey")
    assert (drones.start.isoformat(), drones.precision) == ("2013-02-22", "day")
    names = dict(zip(ds.categories["id"], ds.categories["name"], strict=True))
    assert names[drones.category] == "Military"
    assert names[event(ds, "Coup in Niamey").category] == "Politics"
    path = IMPORTS / "timelinejs-v1-headers.csv"
    imported = formats.read_file(path.read_bytes(), path.name)
    assert imported.name == "US forces in Niger"  # the title row
    assert dict(imported.columns)["Tag"].startswith("category")


def test_text_is_the_summary_and_its_links_are_citations() -> None:
    ds = load("knightlab-women-in-computing.csv")
    ada = event(ds, "Ada Lovelace")
    assert ada.summary.startswith("Women have been programming since before it was a thing.")
    addresses = {c.address for c in ada.citations}
    assert "https://en.wikipedia.org/wiki/Ada_Lovelace" in addresses
    assert "https://en.wikipedia.org/wiki/Analytical_Engine" in addresses
    linked = next(c for c in ada.citations if c.address.endswith("/Ada_Lovelace"))
    assert linked.title.startswith("[") and "Ada Lovelace" in linked.title  # described
    listed = render.event_list_html(ds, ds.events, {})
    assert "Women have been programming" in listed and "<a href" not in ada.summary
    shown = render.event_detail_html(ds, ada, {})
    assert '<p class="summary">Women have been programming' in shown
    assert shown.count("<p><strong>Date:</strong>") == 1  # once, not the backing list


def test_a_quote_in_media_is_a_quote_with_who_said_it() -> None:
    ds = load("knightlab-women-in-computing.csv")
    clarke = event(ds, "Edith Clarke: Bucking the Trend")
    (cite,) = clarke.citations
    assert cite.quote.startswith("There is no demand for women engineers")
    assert "Edith Clarke" not in cite.quote  # the <cite> names the source, not the quote
    assert "Edith Clarke, first female professor" in cite.title
    listed = render.event_list_html(ds, ds.events, {})
    assert "There is no demand for women engineers" in listed


def test_alt_text_caption_and_credit_are_kept() -> None:
    ds = load("timelinejs-alt-text.csv")
    coup = event(ds, "Coup in Niamey")
    (cite,) = coup.citations
    assert (cite.title, cite.address) == ("Reuters", "https://example.org/coup.jpg")
    assert "Soldiers on state TV" in cite.note and "Nine officers seated" in cite.note
    accord = event(ds, "Accord ended")
    assert accord.citations[0].quote == "The presence of American troops is illegal."


def test_negative_years_are_refused_with_the_fix() -> None:
    path = IMPORTS / "timelinejs-negative-year.csv"
    with pytest.raises(DataError) as info:
        formats.to_dataset(formats.read_file(path.read_bytes(), path.name))
    (problem,) = info.value.problems
    assert (problem.row, problem.column, problem.value) == (2, "Year", "-44")
    assert "before the common era" in problem.message and "leave the row out" in problem.fix


# --- 4. readable imported pages ---------------------------------------------------------------


def test_groups_are_lanes_with_colours_of_their_own() -> None:
    ds = load("timelinejs-alt-text.csv")
    fig = figures.timeline_figure(ds, ds.events, "category")
    legend = figures.families_drawn(fig)
    assert [name for name, _ in legend] == ["Politics", "Military"]
    assert len({colour for _, colour in legend}) == 2 and "#888888" not in dict(legend).values()
    lanes = {y for trace in fig.data if (trace.meta or {}).get("role") == "marks" for y in trace.y}
    assert lanes == {"Politics", "Military"}


def test_events_without_a_category_share_a_no_category_lane() -> None:
    ds = load("plain-table.csv")
    rows = figures.marks(ds, ds.events, "category")
    assert set(rows["lane"]) == {"(no category)"}


def test_all_citation_only_marks_are_drawn_solid_and_said_once() -> None:
    ds = load("knightlab-women-in-computing.csv")
    fig = figures.timeline_figure(ds, ds.events, "category")
    assert fig.layout.meta["solid"] is True
    points = [t for t in fig.data if (t.meta or {}).get("kind") == "point"]
    assert points and all(t.marker.symbol == "circle" for t in points)
    legend = render.timeline_legend_html(figures.families_drawn(fig), solid=True)
    assert "hollow: citation only" not in legend and "dot: day known" in legend
    bundled = chronology.load()
    assert figures.timeline_figure(bundled, bundled.events).layout.meta["solid"] is False


def test_the_opening_window_covers_knight_labs_sample() -> None:
    """Before: the first view showed 1943–1972, leaving out the 1815 and 1985 events."""
    ds = load("knightlab-women-in-computing.csv")
    lo, hi = figures.default_window(ds.events)
    assert lo <= pd.Timestamp("1815-12-10") and hi >= pd.Timestamp("1985-12-31")


# --- 5. partial loads -------------------------------------------------------------------------


def test_a_day_first_date_that_reads_one_way_imports() -> None:
    path = IMPORTS / "plain-day-first.csv"
    imported = formats.read_file(path.read_bytes(), path.name)
    (problem,) = imported.problems
    assert (problem.row, problem.column, problem.value) == (3, "date", "03/04/2024")
    assert "--dayfirst" in problem.fix and "3 April 2024" in problem.message
    ds = load("plain-day-first.csv", day_order="dayfirst")
    assert list(ds.events["date"]) == ["2024-03-15", "2024-04-03", "2024-05-19"]
    ds = load("plain-day-first.csv", day_order="monthfirst")
    assert list(ds.events["date"]) == ["2024-03-04", "2024-03-15", "2024-05-19"]


def test_good_rows_load_and_the_others_are_listed() -> None:
    path = IMPORTS / "plain-some-bad-rows.csv"
    imported = formats.read_file(path.read_bytes(), path.name)
    kept, ds = formats.good_rows(imported)
    assert list(ds.events["title"]) == ["Junta ends the accord", "Last US troops leave"]
    assert formats.skipped_rows(kept.problems, path.name) == [3, 4, 5]
    assert {(p.row, p.column) for p in kept.problems} == {
        (3, "date"),
        (4, "date"),
        (5, "source_address"),
    }


def test_cli_skip_invalid_writes_the_good_rows_and_lists_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = IMPORTS / "plain-some-bad-rows.csv"
    assert main(["import", str(path), str(tmp_path / "all")]) == 1
    assert not (tmp_path / "all").exists()
    capsys.readouterr()
    assert main(["import", str(path), str(tmp_path / "good"), "--skip-invalid"]) == 0
    out, err = capsys.readouterr()
    assert "ok: wrote" in out and "2 events" in out
    assert "skipped 3 rows of plain-some-bad-rows.csv (--skip-invalid): 3, 4, 5" in err
    assert "row 3, column date" in err and "'03/04/2024'" in err and "--dayfirst" in err
    assert "row 5, column source_address" in err and "javascript:alert(1)" in err
    assert main(["check", str(tmp_path / "good")]) == 0
    capsys.readouterr()
    target = tmp_path / "dayfirst"
    assert main(["import", str(path), str(target), "--skip-invalid", "--dayfirst"]) == 0
    out, err = capsys.readouterr()
    assert "3 events" in out and "rows of plain-some-bad-rows.csv (--skip-invalid): 4, 5" in err


@pytest.mark.parametrize(
    "name",
    [
        "acled-export.csv",
        "acled-numeric-inter.csv",
        "acled-roles-and-titles.csv",
        "knightlab-women-in-computing.csv",
        "plain-source-published.csv",
        "plain-table.csv",
        "timelinejs-alt-text.csv",
        "timelinejs-sheet.csv",
        "timelinejs-v1-headers.csv",
    ],
)
def test_every_field_an_imported_event_shows_is_backed_by_its_rows_source(name: str) -> None:
    """What the row gives (date, end date, place, actors, summary) is what the row says of its
    source: the details' "What backs each field" names that source for each (periods' end
    dates, ACLED's places and actors were "no source")."""
    ds = load(name)
    for detail in ds.details(list(ds.events["id"])):
        for field, backers, _ in detail.backing():
            assert backers, (detail.id, field)


def test_a_periods_end_date_is_cited_as_the_row_gives_it() -> None:
    """A second citation of the row's source, dated with the end (the first keeps the start)."""
    ds = load("timelinejs-sheet.csv")
    detail = event(ds, "US military presence")
    assert (detail.date, detail.end_date) == ("2012", "2023-07")
    assert [(c.date, c.supports) for c in detail.citations] == [
        ("2012", "summary;date"),
        ("2023-07", "end_date"),
    ]
    assert len({c.title for c in detail.citations}) == 1
    assert detail.date_basis == [
        "2012 per [no source named in the row]",
        "July 2023 per [no source named in the row]",
    ]


@pytest.mark.parametrize("name", ["knightlab-women-in-computing.csv", "timelinejs-sheet.csv"])
def test_a_few_imported_events_get_a_row_each_coloured_by_category(name: str) -> None:
    """A row per event (the opening view of a small upload): events without a category were
    all drawn in one '(no category)' row, their titles over one another; with no actors to
    colour by, the marks take their category's colour, as the category lanes do."""
    ds = load(name)
    fig = figures.timeline_figure(ds, ds.events, lanes="event")
    marks = [t for t in fig.data if t.meta["role"] == "marks"]
    drawn = {eid: y for t in marks for eid, y in zip(t.customdata, t.y, strict=True)}
    assert sorted(drawn) == sorted(ds.events["id"])
    assert len(set(drawn.values())) == len(ds.events)  # a row each
    (titles,) = [t for t in fig.data if t.meta["role"] == "titles"]
    assert len(set(titles.y)) == len(ds.events)
    by_lanes = figures.timeline_figure(ds, ds.events, lanes="category")
    assert fig.layout.meta["legend"] == by_lanes.layout.meta["legend"]


def test_a_citation_reads_as_the_details_write_dates_without_an_unknown_publisher() -> None:
    """Was "[no source named in the row], unknown, 1943-06-05"."""
    ds = load("knightlab-women-in-computing.csv")
    html = render.citations_html(event(ds, "The First Computer").citations)
    assert "unknown" not in html and "1943-06-05" not in html
    assert "no source named in the row" in html and ", 5 June 1943</li>" in html
