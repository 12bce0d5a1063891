"""Imports: TimelineJS sheets and JSON, ACLED exports, plain tables and zipped data packages.

The fixtures under ``tests/fixtures/imports/`` were written for these tests: a BOM, Windows line
endings, quotes, commas and new lines inside cells, empty cells, a title row, era rows, HTML,
and all three ACLED time precisions.
"""

from __future__ import annotations

import csv
import io
import json
import random
import zipfile
from pathlib import Path

import pytest

import chronology
from chronology import formats
from chronology.data.errors import DataError
from chronology.data.load import load_files
from chronology.formats import acled, package, timelinejs
from chronology.formats.build import html_text, partial_date
from chronology.views import export, render

IMPORTS = Path(__file__).resolve().parent / "fixtures" / "imports"
SHEET = IMPORTS / "timelinejs-sheet.csv"
ACLED = IMPORTS / "acled-export.csv"
PAYLOADS = Path(__file__).resolve().parent / "fixtures" / "payloads"


def imported(path: Path, layout: str | None = None) -> tuple[formats.Imported, chronology.DataSet]:
    result = formats.read_file(path.read_bytes(), path.name, layout)
    return result, formats.to_dataset(result)


def row_of(ds: chronology.DataSet, title: str) -> dict:
    rows = ds.events[ds.events["title"] == title]
    assert len(rows) == 1, title
    return rows.iloc[0].to_dict()


def problems_of(data: bytes, name: str, layout: str | None = None) -> list[chronology.Problem]:
    with pytest.raises(DataError) as caught:
        formats.to_dataset(formats.read_file(data, name, layout))
    return caught.value.problems


# --- TimelineJS sheet ----------------------------------------------------------------------------


def test_fixture_files_are_as_realistic_as_promised() -> None:
    for path in (SHEET, ACLED):
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
        assert b'"' in raw and b"\n" in raw.replace(b"\r\n", b"")  # a new line inside a cell


def test_timelinejs_sheet_is_detected_and_named_by_its_title_row() -> None:
    result, ds = imported(SHEET)
    assert (result.layout, result.label) == ("timelinejs", "TimelineJS sheet")
    assert result.name == "Niger and its partners, 2012–2024"
    became = dict(result.columns)
    assert became["Group"].startswith("category") and became["Headline"].startswith("title")
    assert became["Background"] == "not used"
    assert len(ds.events) == 7  # 8 rows, one of them the title row
    assert (ds.events["evidence"] == "citation only").all()
    assert ds.excerpts.empty


def test_timelinejs_dates_keep_their_precision() -> None:
    _, ds = imported(SHEET)
    drones = row_of(ds, "US drones arrive in Niamey")
    assert (drones["date"], drones["precision"], drones["date_display"]) == ("2013", "year", "2013")
    base = row_of(ds, "Air Base 201 under construction")
    assert (base["date"], base["precision"]) == ("2016-04", "month")
    coup = row_of(ds, "Coup in Niamey")
    assert (coup["date"], coup["precision"], coup["end_date"]) == ("2023-07-26", "day", "")
    assert coup["date_note"] == "Displayed as: 26 July 2023"


def test_timelinejs_era_rows_are_periods() -> None:
    _, ds = imported(SHEET)
    era = ds.events[ds.events["category"] == "era"]
    assert set(era["title"]) == {"US military presence", "Transition under the CNSP"}
    presence = row_of(ds, "US military presence")
    assert (presence["date"], presence["end_date"]) == ("2012", "2023-07")
    assert presence["date_display"] == "2012 – July 2023"


def test_timelinejs_text_keeps_the_words_never_the_markup() -> None:
    _, ds = imported(SHEET)
    for text in [*ds.events["summary"], *ds.events["title"], *ds.citations["quote"]]:
        assert "<" not in text and "&amp;" not in text, text
    base = row_of(ds, "Air Base 201 under construction")["summary"]
    assert base.splitlines() == [
        'Work starts near Agadez, "the largest" US-built base in Africa, costing about '
        "$110 million.",
        "Second paragraph, with a comma, and an inline link.",
    ]
    accord = row_of(ds, "Niger ends the military accord with the US")["summary"]
    assert accord == "The spokesman reads a statement on television."  # the script is gone
    assert row_of(ds, "Coup in Niamey")["summary"].endswith("Bazoum & declares the CNSP.")


def test_timelinejs_media_credit_is_the_citation_and_a_quote_stays_the_rows_quote() -> None:
    _, ds = imported(SHEET)
    coup = ds.event(row_of(ds, "Coup in Niamey")["id"])
    assert coup.citation_only
    (cite,) = coup.citations
    assert (cite.title, cite.address, cite.note) == (
        "Reuters, Niamey bureau",
        "https://example.org/coup",
        "Soldiers on state TV",
    )
    assert cite.quote == ""
    accord = ds.event(row_of(ds, "Niger ends the military accord with the US")["id"])
    (cite,) = accord.citations
    assert cite.quote == '"The presence of American troops is illegal."'
    assert cite.address == "" and accord.excerpts == ()  # a quote, never a verified excerpt
    deadline = ds.event(row_of(ds, "Withdrawal deadline")["id"])
    assert deadline.citations[0].title == timelinejs.NO_SOURCE
    # no Group, no Text: no category and no summary claimed (the lane says "(no category)")
    assert deadline.category == "" and deadline.summary == ""


def test_timelinejs_negative_and_missing_years_are_listed_per_row() -> None:
    text = SHEET.read_bytes().decode("utf-8-sig").replace("\r\n2013,", "\r\n-500,", 1)
    text += ",,,,,,,,,Undated row,Some text,,,,,,,\r\n"
    problems = problems_of(text.encode(), "sheet.csv")
    assert [(p.file, p.row, p.column) for p in problems] == [
        ("sheet.csv", 5, "Year"),
        ("sheet.csv", 10, "Year"),
    ]
    assert "before the common era" in problems[0].message and problems[0].value == "-500"
    assert "cannot be dated" in problems[1].message and "has no year" in problems[1].message


def test_a_sheet_with_an_era_without_end_is_refused_on_its_row() -> None:
    data = b"Year,Month,Day,Headline,Type\n2012,,,Open era,era\n2013,,,Event,\n"
    (problem,) = problems_of(data, "e.csv")
    assert (problem.row, problem.column) == (2, "End Year") and "period" in problem.message


# --- TimelineJS3 JSON: the round trip ----------------------------------------------------------


@pytest.mark.parametrize("where", ["bundled", "payloads"])
def test_our_timelinejs_export_imported_back_gives_the_same_events(where: str) -> None:
    ds = chronology.load() if where == "bundled" else chronology.load(PAYLOADS)
    data = timelinejs.to_timelinejs(ds, ds.events, title="Round trip")
    result, back = imported_bytes(data, "timeline.json")
    assert result.label == "TimelineJS3 JSON" and result.name == "Round trip"
    columns = ["id", "title", "date", "end_date", "precision", "start", "end"]
    ours = ds.events[columns].sort_values("id").reset_index(drop=True)
    theirs = back.events[columns].sort_values("id").reset_index(drop=True)
    assert theirs.to_dict("records") == ours.to_dict("records")
    summaries = dict(zip(back.events["id"], back.events["summary"], strict=True))
    for eid, summary in zip(ds.events["id"], ds.events["summary"], strict=True):
        assert summaries[eid] == " ".join(summary.split()), eid


def imported_bytes(data: bytes, name: str) -> tuple[formats.Imported, chronology.DataSet]:
    result = formats.read_file(data, name)
    return result, formats.to_dataset(result)


def test_timelinejs_json_slides_without_a_date_are_listed() -> None:
    doc = {
        "events": [
            {"text": {"headline": "No date"}},
            {"start_date": {"year": "2020"}, "text": {"headline": "Dated"}},
        ]
    }
    (problem,) = problems_of(json.dumps(doc).encode(), "t.json")
    assert (problem.row, problem.column) == (1, "start_date")


# --- ACLED ---------------------------------------------------------------------------------------


def test_acled_export_is_detected_with_its_three_precisions() -> None:
    result, ds = imported(ACLED)
    assert result.layout == "acled" and result.name == "ACLED events: Niger"
    assert dict(result.columns)["time_precision"].startswith("date precision")
    by_id = ds.events.set_index("id")
    assert (by_id.loc["nig9001", "date"], by_id.loc["nig9001", "precision"]) == (
        "2023-07-26",
        "day",
    )
    week = by_id.loc["nig9002"]  # time_precision 2: the week around 9 August 2023
    assert (week["date"], week["end_date"]) == ("2023-08-06", "2023-08-12")
    assert "time_precision 2" in week["date_note"] and "2023-08-09" in week["date_note"]
    month = by_id.loc["nig9003"]  # time_precision 3: the month only
    assert (month["date"], month["end_date"], month["precision"]) == ("2023-09", "", "month")
    assert month["date_display"] == "September 2023"


def test_acled_actors_roles_kinds_place_and_coordinates() -> None:
    _, ds = imported(ACLED)
    coup = ds.event("nig9001")
    assert [(name, role) for _, name, role in coup.actors] == [
        ("Military Forces of Niger (2023-)", "participant"),  # a transfer: both take part
        ("Government of Niger (2021-2023)", "participant"),
        ("Presidential Guard of Niger", "participant"),
    ]
    protest = ds.event("nig9003")
    assert {name for _, name, _ in protest.actors} == {
        "Protesters (Niger)",
        "Students (Niger)",
        "Labor Group (Niger)",
    }
    kinds = dict(zip(ds.actors["name"], ds.actors["kind"], strict=True))
    assert kinds["Military Forces of Niger (2023-)"] == "armed forces"
    assert kinds["JNIM: Group for Support of Islam and Muslims"] == "armed group"
    assert kinds["Protesters (Niger)"] == "protesters"
    assert kinds["Civilians (Niger)"] == "civilians"
    assert kinds["Military Forces of the United States"] == "other"
    assert kinds["Students (Niger)"] == "unspecified"
    assert coup.place == "Niamey, Niamey, Niger"
    row = ds.events.set_index("id").loc["nig9001"]
    assert (row["latitude"], row["longitude"]) == ("13.5127", "2.1128")
    assert set(ds.categories["name"]) == {
        "Strategic developments",
        "Battles",
        "Protests",
        "Violence against civilians",
    }


def test_acled_source_and_notes() -> None:
    _, ds = imported(ACLED)
    clash = ds.event("nig9002")
    assert clash.summary.startswith("Around the week of 9 August 2023, JNIM militants clashed")
    assert '"heavy losses"\non both sides.' in clash.summary
    (cite,) = clash.citations
    assert cite.title == "Actu Niger (as coded by ACLED)" and cite.publisher == "ACLED"
    assert cite.published == "2023-08-14"  # ACLED's timestamp 1692000000
    assert cite.note == "17 reported fatalities (ACLED)"
    assert ds.event("nig9004").citations[0].note == ""  # fatalities left empty
    assert cite.quote == ""


def test_acled_older_exports_numeric_codes_and_day_month_year() -> None:
    data = (
        b"event_id_cnty,event_date,time_precision,event_type,actor1,inter1,actor2,inter2,"
        b"location,country,source,notes\n"
        b"NIG1,15-03-2012,1,Battles,Rebels,2,Soldiers,1,Agadez,Niger,AFP,Clash.\n"
        b"NIG2,2012-04-02,3,Protests,Crowd,6,,,Niamey,Niger,RFI,March.\n"
    )
    result, ds = imported_bytes(data, "old.csv")
    assert result.layout == "acled"
    assert list(ds.events["date"]) == ["2012-03-15", "2012-04"]
    assert dict(zip(ds.actors["name"], ds.actors["kind"], strict=True)) == {
        "Rebels": "armed group",
        "Soldiers": "armed forces",
        "Crowd": "protesters",
    }


def test_acled_rows_that_cannot_be_dated_are_listed() -> None:
    text = ACLED.read_bytes().decode("utf-8-sig")
    text = text.replace("26 July 2023", "sometime in July", 1).replace(",2023,3,", ",2023,5,", 1)
    problems = problems_of(text.encode("utf-8"), "acled.csv")
    assert [(p.row, p.column) for p in problems] == [(2, "event_date"), (4, "time_precision")]
    assert problems[1].fix == acled.PRECISION_FIX


# --- the plain table -----------------------------------------------------------------------------


PLAIN = (
    "Date,End date,Title,Summary,Actors,Category,Source title,Source address,Quote\r\n"
    '2024-03-16,,Accord ended,"The junta ends the accord, citing law.",Niger; United States,'
    'Diplomacy,RTN,https://example.org/rtn,"""Illegal,"" he said."\r\n'
    "2024-05,2024-09-15,Withdrawal,US troops leave.,United States,Military,,,\r\n"
    "16 March 2023,,Older event,,,,Le Monde,,\r\n"
)


def test_plain_table_rows_become_events() -> None:
    result, ds = imported_bytes(PLAIN.encode("utf-8"), "events.csv")
    assert result.layout == "plain"
    assert dict(result.columns)["Quote"].startswith("the row's quote")
    accord = ds.event("accord-ended")
    assert [(n, r) for _, n, r in accord.actors] == [("Niger", "actor"), ("United States", "actor")]
    (cite,) = accord.citations
    assert (cite.title, cite.address, cite.quote) == (
        "RTN",
        "https://example.org/rtn",
        '"Illegal," he said.',
    )
    withdrawal = ds.event("withdrawal")
    assert (withdrawal.precision, withdrawal.date_display) == (
        "month",
        "May 2024 – 15 September 2024",
    )
    older = ds.event("older-event")
    assert (older.start.isoformat(), older.summary, older.category) == ("2023-03-16", "", "")


def test_plain_table_problems_name_the_row_of_the_upload() -> None:
    bad = PLAIN.replace("2024-05,2024-09-15", "2024-09,2024-05", 1).replace(
        "https://example.org/rtn", "javascript:alert(1)", 1
    )
    problems = problems_of(bad.encode(), "mine.csv")
    assert [(p.file, p.row, p.column) for p in problems] == [("mine.csv", 2, "source_address")]
    problems = problems_of(
        PLAIN.replace("2024-05,2024-09-15", "2024-09,2024-05", 1).encode(), "m.csv"
    )
    assert [(p.file, p.row, p.column) for p in problems] == [("m.csv", 3, "events.end_date")]
    assert "before start" in problems[0].message


# --- detection and unusable files ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(b"name,when\nx,2020\n", "matches no layout", id="unknown header"),
        pytest.param(b"\xff\xfeY\x00", "binary", id="binary"),
        pytest.param(b"date,title\n\xe9t\xe9,x\n", "not UTF-8", id="latin-1"),
        pytest.param(b'date,title\n"2020,x\n', "not valid CSV", id="open quote"),
        pytest.param(b"\r\n\r\n", "empty", id="empty"),
        pytest.param(b"date,title\n", "no rows to import", id="header only"),
        pytest.param(b"PK\x03\x04broken", "not a readable .zip", id="broken zip"),
    ],
)
def test_unusable_files_say_why(data: bytes, message: str) -> None:
    with pytest.raises(DataError) as caught:
        formats.to_dataset(formats.read_file(data, "up.csv"))
    assert message in caught.value.report()
    assert all(p.file == "up.csv" for p in caught.value.problems)


def test_a_forced_format_needs_its_columns() -> None:
    with pytest.raises(DataError, match="needs the column 'event_date'"):
        formats.read_file(SHEET.read_bytes(), "sheet.csv", "acled")


def test_the_size_limit() -> None:
    big = b"date,title\n" + b"2024,x\n" * (formats.MAX_UPLOAD // 7 + 1)
    with pytest.raises(DataError, match="more than 10 MB"):
        formats.read_file(big, "big.csv")
    with pytest.raises(DataError, match="is 101 bytes, more than 100 bytes"):
        formats.read_file(b"x" * 101, "big.csv", limit=100)
    assert formats.read_file(big[:1000].rsplit(b"\n", 1)[0], "ok.csv", limit=None).rows > 100


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2024", "2024"),
        ("2024-3", "2024-03"),
        ("2024-03-16", "2024-03-16"),
        ("16 March 2024", "2024-03-16"),
        ("March 16, 2024", "2024-03-16"),
        ("Sept 2023", "2023-09"),
        ("16-03-2024", "2024-03-16"),
        ("16-Mar-2024", "2024-03-16"),
    ],
)
def test_written_dates(text: str, iso: str) -> None:
    assert partial_date(text) == iso


def test_html_text() -> None:
    markup = '<p>A &amp; B</p><script>x()</script><style>p{}</style><p>C <a href="y">d</a></p>'
    assert html_text(markup) == "A & B\nC d"
    assert html_text("plain < text") == "plain < text"


# --- our own package as a .zip -------------------------------------------------------------------


def zipped(directory: Path, prefix: str = "my-data/") -> bytes:
    files = {
        f"{prefix}{p.relative_to(directory).as_posix()}": p.read_bytes()
        for p in directory.rglob("*")
        if p.is_file()
    }
    return package.to_zip(files)


def test_a_zipped_package_loads_in_memory(data_dir: Path, bundled: chronology.DataSet) -> None:
    result, ds = imported_bytes(zipped(data_dir), "my-data.zip")
    assert result.layout == "package" and result.name == bundled_title(data_dir)
    assert list(ds.events["id"]) == list(bundled.events["id"])
    assert ds.texts == bundled.texts  # the stored articles came from the archive


def bundled_title(data_dir: Path) -> str:
    return json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))["title"]


def test_a_zip_that_climbs_out_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../events.csv", "id\n")
    with pytest.raises(DataError, match="outside its folder"):
        formats.read_file(buffer.getvalue(), "evil.zip")


def test_a_zipped_package_with_problems_lists_them(data_dir: Path) -> None:
    files = {p.name: p.read_bytes() for p in data_dir.glob("*.csv")}
    files["events.csv"] = files["events.csv"].replace(b",2023-07,", b",2023-13,", 1)
    problems = problems_of(package.to_zip(files), "broken.zip")
    texts = [str(p) for p in problems]
    assert any("events.csv, row" in t and "no month 13" in t for t in texts), texts
    assert any("sources.csv" in t and "text file" in t for t in texts), texts  # no sources/


def test_memory_paths_cannot_leave_the_package(data_dir: Path) -> None:
    files = {
        p.relative_to(data_dir).as_posix(): p.read_bytes()
        for p in data_dir.rglob("*")
        if p.is_file()
    }
    sources = files["sources.csv"].decode()
    for escape in ("../secret.txt", "/etc/passwd"):
        changed = dict(
            files, **{"sources.csv": sources.replace("sources/article-a.txt", escape).encode()}
        )
        with pytest.raises(DataError, match="outside the data directory"):
            load_files(changed, "pkg")


def test_a_rows_quote_is_shown_as_the_rows_quote_never_as_an_excerpt() -> None:

    data = (
        b"date,title,source_title,source_address,quote\n"
        b'2024-03-16,Accord ended,RTN,https://example.org/rtn,"<b>Illegal</b>, he said & left"\n'
    )
    _, ds = imported_bytes(data, "q.csv")
    detail = ds.event("accord-ended")
    assert detail.excerpts == () and detail.citation_only
    html = render.citations_html(detail.citations)
    assert '<q class="row-quote">&lt;b&gt;Illegal&lt;/b&gt;, he said &amp; left</q>' in html
    assert "not checked against a stored text" in html
    assert "<blockquote" not in html  # excerpts are blockquotes; this is not one
    (record,) = json.loads(export.to_json(ds, ds.events))["events"]
    assert record["excerpts"] == []
    assert record["citations"][0]["quote"] == "<b>Illegal</b>, he said & left"


@pytest.mark.parametrize(
    "document",
    [
        {"events": 5},
        [1, 2],
        {"title": 3, "events": [{"start_date": {"year": "inf"}, "text": {"headline": "h"}}]},
        {"events": [{"start_date": {"year": 2020, "month": 13}, "text": "x"}]},
        {"events": [{"start_date": {"year": 2020}, "end_date": {"year": 2019}, "group": {}}]},
    ],
)
def test_odd_timelinejs_json_is_a_problem_list_never_a_crash(document: object) -> None:
    with pytest.raises(DataError):
        formats.to_dataset(formats.read_file(json.dumps(document).encode(), "odd.json"))


def test_mangled_uploads_load_or_list_problems() -> None:
    """Seeded random edits of the fixtures: each one loads or raises DataError, nothing else."""
    rng = random.Random(9)
    bases = [SHEET.read_bytes(), ACLED.read_bytes()]
    inserts = [b'"', b",", b"\n", b"-99", b"<script>", b"2024-02-30", b";;", b"\r\n,,,,"]
    outcomes = {"loaded": 0, "refused": 0}
    for _ in range(150):
        data = bytearray(rng.choice(bases))
        for _ in range(rng.randint(1, 6)):
            i = rng.randrange(len(data))
            if rng.random() < 0.5:
                del data[i : i + rng.randint(1, 20)]
            else:
                data[i:i] = rng.choice(inserts)
        try:
            formats.to_dataset(formats.read_file(bytes(data), "mangled.csv"))
        except DataError as exc:
            assert exc.problems and all(p.message and p.fix for p in exc.problems)
            outcomes["refused"] += 1
        else:
            outcomes["loaded"] += 1
    assert outcomes["loaded"] and outcomes["refused"], outcomes


@pytest.mark.parametrize("separator", [";", "\t"])
def test_a_spreadsheet_saved_with_another_separator(separator: str) -> None:
    rows = [
        ["date", "title", "summary", "actors", "source_title"],
        ["2024-03-16", "Accord ended", "Ends it, citing law.", '"Niger; United States"', "RTN"],
        ["2024-05", "Withdrawal", "US troops leave.", "United States", ""],
    ]
    data = "\r\n".join(separator.join(row) for row in rows).encode("utf-8")
    result, ds = imported_bytes(data, "events.csv")
    assert result.layout == "plain" and len(ds.events) == 2
    accord = ds.event("accord-ended")
    assert accord.summary == "Ends it, citing law."
    assert [name for _, name, _ in accord.actors] == ["Niger", "United States"]


def test_our_timelinejs_sheet_imported_back_gives_the_same_dates_and_precisions(
    bundled: chronology.DataSet,
) -> None:
    data = timelinejs.to_sheet(bundled, bundled.events, title="Sheet & round trip")
    assert data.startswith(b"\xef\xbb\xbfYear,Month,Day,") and b".0," not in data
    result, back = imported_bytes(data, "sheet.csv")
    assert (result.layout, result.name) == ("timelinejs", "Sheet & round trip")
    columns = ["title", "date", "end_date", "precision", "start", "end"]

    def rows(ds: chronology.DataSet) -> list[dict]:
        return ds.events[columns].sort_values(columns).to_dict("records")

    assert rows(back) == rows(bundled)
    names = dict(zip(bundled.categories["id"], bundled.categories["name"], strict=True))
    used = {names[c] for c in bundled.events["category"]}
    assert set(back.categories["name"]) == used  # Group: the lanes


def test_a_sheet_neutralises_formulas(payloads_dir: Path = PAYLOADS) -> None:
    ds = chronology.load(payloads_dir)
    cells = [
        c
        for row in csv.reader(io.StringIO(timelinejs.to_sheet(ds, ds.events).decode("utf-8-sig")))
        for c in row
    ]
    assert cells and not any(c.startswith(("=", "+", "@")) for c in cells)
    assert "<script>" not in "".join(cells)


@pytest.mark.parametrize(
    ("latitude", "message"), [("north", "not a number"), ("91.5", "out of range"), ("inf", "not")]
)
def test_coordinates_are_checked_on_the_row_of_the_upload(latitude: str, message: str) -> None:
    data = ACLED.read_bytes().replace(b",13.5127,2.1128,", f",{latitude},2.1128,".encode(), 1)
    (problem,) = problems_of(data, "acled.csv")
    assert (problem.file, problem.row, problem.column) == ("acled.csv", 2, "events.latitude")
    assert problem.message.startswith(message) and problem.value == latitude
