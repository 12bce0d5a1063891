"""The bundled data set, tested like code: it loads, it quotes verbatim, its milestones hold.

Several checks read the files directly rather than through the loader, so that a loader bug
cannot hide a data error.
"""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest

import chronology
from chronology.data.dates.partial import parse_partial
from chronology.data.dates.phrases import DURATION_FIX, is_duration
from chronology.views import render

REPO = Path(__file__).resolve().parents[1]

# --- reading the files directly ----------------------------------------------------------------


def rows(data_dir: Path, name: str) -> list[dict[str, str]]:
    """A bundled table as a list of dicts, read with the csv module only."""
    with (data_dir / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_quote_occurs_verbatim_in_its_stored_text(data_dir: Path) -> None:
    texts = {
        s["id"]: (data_dir / s["text_file"]).read_text(encoding="utf-8")
        for s in rows(data_dir, "sources.csv")
        if s["kind"] == "article"
    }
    excerpts = rows(data_dir, "excerpts.csv")
    assert excerpts
    missing = [
        f"{x['event_id']} / {x['source_id']}: {x['quote']!r}"
        for x in excerpts
        if x["quote"] not in texts.get(x["source_id"], "")
    ]
    assert not missing, "quotes not in their stored text:\n" + "\n".join(missing)


def test_every_dating_phrase_occurs_in_its_quote(data_dir: Path) -> None:
    wrong = [x for x in rows(data_dir, "excerpts.csv") if x["dating_phrase"] not in x["quote"]]
    assert not wrong


def test_excerpts_quote_articles_and_citations_cite_citations(data_dir: Path) -> None:
    kinds = {s["id"]: s["kind"] for s in rows(data_dir, "sources.csv")}
    assert {kinds[x["source_id"]] for x in rows(data_dir, "excerpts.csv")} == {"article"}
    assert {kinds[c["source_id"]] for c in rows(data_dir, "citations.csv")} == {"citation"}


def test_every_stored_text_is_a_source(data_dir: Path) -> None:
    named = {s["text_file"] for s in rows(data_dir, "sources.csv") if s["text_file"]}
    stored = {
        p.relative_to(data_dir).as_posix()
        for p in (data_dir / "sources").iterdir()
        if p.name != "README.md"
    }
    assert stored == named


def test_every_article_has_an_estimated_date_with_window_and_basis(data_dir: Path) -> None:
    articles = [s for s in rows(data_dir, "sources.csv") if s["kind"] == "article"]
    assert {a["id"] for a in articles} == {"article-a", "article-b"}
    for a in articles:
        assert a["date_estimated"] == "true", a["id"]
        assert a["estimate_basis"].strip(), a["id"]
        earliest = parse_partial(a["estimate_earliest"]).interval
        latest = parse_partial(a["estimate_latest"]).interval
        window = earliest.hull(latest)
        assert earliest.start <= latest.end, a["id"]
        assert parse_partial(a["published"]).interval.overlaps(window), a["id"]


def test_article_publication_windows(bundled: chronology.DataSet) -> None:
    src = bundled.sources.set_index("id")
    assert src.loc["article-b", "pub_start"].date() == date(2024, 6, 8)
    assert src.loc["article-b", "pub_end"].date() == date(2024, 7, 6)  # issue 21: argued
    assert src.loc["article-a", "pub_start"].date() == date(2024, 4, 19)  # issue 21
    assert src.loc["article-a", "pub_end"].date() == date(2024, 5, 2)


# --- the repository stays self-contained -------------------------------------------------------

_OUTSIDE = re.compile(r"(?:\.\.|/work)/shared\b")
_SKIP_DIRS = {".git", ".venv", "node_modules", "test-artifacts", "__pycache__", "build"}
_TEXT_SUFFIXES = {".py", ".json", ".toml", ".cfg", ".ini", ".sh", ".csv", ".yml", ".yaml", ""}


def _repo_files() -> list[Path]:
    out = []
    for path in REPO.rglob("*"):
        parts = path.relative_to(REPO).parts
        if any(p in _SKIP_DIRS or p.endswith((".egg-info", "_cache")) for p in parts):
            continue
        if path.is_file() and path.suffix in _TEXT_SUFFIXES:
            out.append(path)
    return out


def test_no_code_or_test_reads_outside_the_repo() -> None:
    files = _repo_files()
    assert REPO / "chronology" / "data" / "load.py" in files
    assert Path(__file__) in files
    offenders = [
        str(p.relative_to(REPO))
        for p in files
        if _OUTSIDE.search(p.read_text(encoding="utf-8", errors="replace"))
    ]
    assert not offenders


def test_the_data_lives_in_the_repo(data_dir: Path) -> None:
    assert data_dir.resolve().is_relative_to(REPO)
    for s in rows(data_dir, "sources.csv"):
        if s["text_file"]:
            path = (data_dir / s["text_file"]).resolve()
            assert path.is_relative_to(data_dir.resolve()), s["id"]
            assert path.is_file(), s["id"]


# --- through the loader ------------------------------------------------------------------------


def test_the_bundled_data_loads_without_problems(data_dir: Path) -> None:
    ds = chronology.load(data_dir)  # raises DataError listing every problem otherwise
    assert len(ds.events) >= 25


def test_at_least_twenty_events_rest_on_an_excerpt(bundled: chronology.DataSet) -> None:
    backed = set(bundled.excerpts["event_id"])
    assert len(backed) >= 20
    assert (bundled.events["evidence"] == "excerpt").sum() == len(backed)


@pytest.mark.parametrize(
    ("event_id", "written", "precision", "status"),
    [
        pytest.param("us-presence-begins", "2012", "year", "happened", id="presence 2012"),
        pytest.param("coup", "2023-07-26", "day", "happened", id="coup 26 July 2023"),
        pytest.param(
            "defense-agreement-terminated", "2024-03-16", "day", "announced", id="agreement ended"
        ),
        pytest.param("withdrawal-agreement", "2024-05-19", "day", "happened", id="terms 19 May"),
        pytest.param("withdrawal-deadline", "2024-09-15", "day", "planned", id="deadline"),
    ],
)
def test_milestones(
    bundled: chronology.DataSet, event_id: str, written: str, precision: str, status: str
) -> None:
    ev = bundled.events.set_index("id").loc[event_id]
    assert (ev["date"], ev["end_date"]) == (written, "")
    assert ev["precision"] == precision
    assert ev["status"] == status
    detail = bundled.event(event_id)
    span = parse_partial(written).interval
    assert (detail.start, detail.end) == (span.start, span.end)


def test_the_key_milestones_are_labelled_for_the_axis(bundled: chronology.DataSet) -> None:
    labelled = bundled.events.loc[bundled.events["milestone"] != "", "id"]
    assert set(labelled) == {
        "us-presence-begins",
        "coup",
        "defense-agreement-terminated",
        "withdrawal-deadline",
    }


def test_withdrawal_agreement_is_dated_by_last_month_in_article_b(
    bundled: chronology.DataSet,
) -> None:
    ev = bundled.event("withdrawal-agreement")
    phrased = [x for x in ev.excerpts if x.dating_phrase == "last month"]
    assert [x.source_id for x in phrased] == ["article-b"]
    assert phrased[0].basis == (  # the window runs to 6 July (issue 21): May or June
        "'last month' in an article of ~8 June 2024 (estimated) → May–June 2024, "
        "which agrees with 19 May 2024"
    )
    assert ev.date_display == "19 May 2024"


@pytest.mark.parametrize(
    "event_id",
    [
        "coup",
        "defense-agreement-terminated",
        "withdrawal-agreement",
        "withdrawal-deadline",
        "french-troops-leave",
        "russian-instructors-niamey",
        "chad-halts-us-activity",
        "withdrawal-begins",
        "russian-forces-air-base-101",
        "lavrov-burkina",
    ],
)
def test_key_events_rest_on_an_excerpt(bundled: chronology.DataSet, event_id: str) -> None:
    ev = bundled.event(event_id)
    assert ev.excerpts, f"{event_id} has no excerpt"
    assert not ev.citation_only


def test_withdrawal_begins_quotes_the_c17_flights(bundled: chronology.DataSet) -> None:
    quotes = [x.quote for x in bundled.event("withdrawal-begins").excerpts]
    assert any("C-17" in q for q in quotes)


def test_the_coup_is_told_by_both_articles(bundled: chronology.DataSet) -> None:
    sources = {x.source_id for x in bundled.event("coup").excerpts}
    assert {"article-a", "article-b"} <= sources


def test_events_after_the_articles_rest_on_citations_only(bundled: chronology.DataSet) -> None:
    """Nothing that happened after the articles is attributed to them (a planned date may be)."""
    last_published = bundled.sources.loc[bundled.sources["kind"] == "article", "pub_end"].max()
    ev = bundled.events
    later = ev.loc[(ev["start"] > last_published) & (ev["status"] == "happened"), "id"]
    assert {"air-base-101-handover", "air-base-201-handover", "withdrawal-complete"} <= set(later)
    for event_id in later:
        assert bundled.event(event_id).citation_only, event_id


def test_citation_only_events_cite_a_titled_public_record(bundled: chronology.DataSet) -> None:
    only = bundled.events.loc[bundled.events["evidence"] == "citation only", "id"].tolist()
    assert {"air-base-101-handover", "air-base-201-handover", "withdrawal-complete"} <= set(only)
    kinds = dict(zip(bundled.sources["id"], bundled.sources["kind"], strict=True))
    for event_id in only:
        ev = bundled.event(event_id)
        assert ev.citation_only
        assert ev.citations, event_id
        for c in ev.citations:
            assert kinds[c.source_id] == "citation"
            assert c.title.strip() and c.publisher.strip(), event_id


def test_every_citation_date_lies_inside_its_event(bundled: chronology.DataSet) -> None:
    """At the citation's own precision (issue 21): 'May 2024' (clearances agreed 'last month')
    ends a delay on 19 May 2024."""
    spans = bundled.events.set_index("id")[["start", "end"]]
    outside = []
    for c in bundled.citations.itertuples(index=False):
        cited = parse_partial(c.date).interval
        start, end = (t.date() for t in spans.loc[c.event_id])
        if not (start <= cited.end and cited.start <= end):
            outside.append(f"{c.event_id}: {c.date} not in {start}…{end}")
    assert not outside


def test_every_event_has_actors_and_every_actor_takes_part(bundled: chronology.DataSet) -> None:
    assert all(bundled.events["actor_ids"].map(len) > 0)
    used = set(bundled.event_actors["actor_id"])
    for actor in bundled.actors["id"]:
        assert bundled.descendants(actor) & used, f"{actor} takes part in nothing"


def test_the_actor_tree(bundled: chronology.DataSet) -> None:
    assert {"us-military", "us-africom", "us-government"} <= bundled.descendants("united-states")
    assert "cnsp" in bundled.descendants("niger")
    assert "united-states" not in bundled.descendants("us-africom")


def test_summary_counts(bundled: chronology.DataSet) -> None:
    n = len(bundled.events)
    n_only = int((bundled.events["evidence"] == "citation only").sum())
    assert bundled.summary().startswith(
        f"{n} events ({n - n_only} excerpt-backed, {n_only} citation only)"
    )
    assert bundled.summary().endswith("2012 … 16 September 2024")


# --- the audit of issue 7 ----------------------------------------------------------------------


def test_no_dating_phrase_is_a_duration(data_dir: Path) -> None:
    durations = [x for x in rows(data_dir, "excerpts.csv") if is_duration(x["dating_phrase"])]
    assert not durations


def test_the_old_withdrawal_period_row_is_refused(old_withdrawal_period: tuple[Path, int]) -> None:
    """'four months' used to resolve to 8 June – 9 October 2024, from article B's publication."""
    directory, row = old_withdrawal_period
    with pytest.raises(chronology.DataError) as caught:
        chronology.load(directory)
    [problem] = caught.value.problems
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "excerpts.csv",
        row,
        "dating_phrase",
        "four months",
    )
    assert "'four months' is a duration, not a date" in problem.message
    assert problem.fix == DURATION_FIX


def test_the_withdrawal_period_runs_from_the_agreement_to_the_deadline(
    bundled: chronology.DataSet,
) -> None:
    ev = bundled.event("withdrawal-period")
    assert (ev.start, ev.end) == (date(2024, 5, 19), date(2024, 9, 15))
    assert {x.dating_phrase for x in ev.excerpts} == {"last month", "September 15"}
    published = bundled.sources.set_index("id").loc["article-b", "pub_start"].date()
    assert published == date(2024, 6, 8)
    resolved = [line.split(" → ", 1)[1] for line in ev.date_basis if " → " in line]
    assert resolved == ["May–June 2024", "15 September 2024"]  # article B's window (issue 21)
    assert not any(part.startswith("8 June") for part in resolved)


def test_the_withdrawal_period_details_show_no_range_from_publication(
    bundled: chronology.DataSet,
) -> None:
    html = render.event_detail_html(bundled, bundled.event("withdrawal-period"), {})
    basis = html.split('<ul class="date-basis">', 1)[1].split("</ul>", 1)[0]
    assert "→ May–June 2024" in basis and "→ 15 September 2024" in basis
    assert "8 June–" not in basis and "8–10 June 2024 →" not in basis
    assert "October 2024" not in html
    assert "&#x27;four months&#x27; in an article" not in basis
    assert "<strong>Date:</strong> 19 May 2024 – 15 September 2024" in html


def test_events_with_an_excerpt_take_the_day_of_their_citation(
    bundled: chronology.DataSet,
) -> None:
    """As precise as the sources allow: a dated citation beats a coarser phrase."""
    ev = bundled.events.set_index("id")
    first_cited = bundled.citations.groupby("event_id")["date"].min()
    quoted = set(bundled.excerpts["event_id"])
    checked = [e for e in first_cited.index if e in quoted and not ev.loc[e, "end_date"]]
    assert {"coup", "defense-agreement-terminated", "withdrawal-agreement"} <= set(checked)
    wrong = [f"{e}: {ev.loc[e, 'date']} ≠ {first_cited[e]}" for e in checked
             if ev.loc[e, "date"] != first_cited[e]]  # fmt: skip
    assert not wrong


@pytest.mark.parametrize(
    ("event_id", "date_", "end", "place"),
    [
        pytest.param("us-agrees-to-withdraw", "2024-04-19", "", "Washington", id="washington"),
        pytest.param("russian-forces-air-base-101", "2024-05-02", "", "", id="first reported"),
        pytest.param("flight-clearance-delay", "2023-07", "2024-05-19", "", id="before the deal"),
        pytest.param("us-delegation-niamey", "2024-03-12", "2024-03-14", "Niamey", id="delegation"),
        pytest.param("us-surveillance-hub", "2013-02", "2023-07", "", id="hub until July 2023"),
        pytest.param("us-warns-russia-africa", "2024-03-07", "2024-03-21", "", id="hearings"),
        pytest.param("commercial-flight-departures", "2023-09", "2024-05-19", "", id="commercial"),
        pytest.param("us-diplomacy-to-stay", "2024-03", "2024-04-19", "", id="until 19 April"),
    ],
)
def test_corrected_dates_and_places(
    bundled: chronology.DataSet, event_id: str, date_: str, end: str, place: str
) -> None:
    ev = bundled.events.set_index("id").loc[event_id]
    assert (ev["date"], ev["end_date"]) == (date_, end)
    if place:
        assert ev["place"] == place


def test_corrected_titles_and_notes(bundled: chronology.DataSet) -> None:
    ev = bundled.events.set_index("id")
    assert ev.loc["french-troops-leave", "title"] == "Last French troops leave Niger"
    assert "compound on Air Base 101" in ev.loc["air-base-101-handover", "title"]
    assert "move-in" not in ev.loc["russian-forces-air-base-101", "title"]
    assert "not on record" in ev.loc["russian-forces-air-base-101", "date_note"]
    assert "protection of US personnel" in ev.loc["us-halts-cooperation", "summary"]
    assert "just before" in ev.loc["flight-clearance-delay", "date_note"]
    assert "19 May 2024" in ev.loc["flight-clearance-delay", "date_note"]
    basis = bundled.sources.set_index("id").loc["article-a", "estimate_basis"]
    assert "2 May 2024" in basis and "25 April" in basis and "stale" in basis


def test_citations_name_real_publishers_and_official_hosts(bundled: chronology.DataSet) -> None:
    src = bundled.sources.set_index("id")
    assert not {"RT and Burkinabè press", "Cameroon Tribune and others"} & set(src["publisher"])
    cited = {c.source_id for c in bundled.event("us-agrees-to-withdraw").citations}
    assert {src.loc[s, "publisher"] for s in cited} >= {"CBS News"}
    cited = {c.source_id for c in bundled.event("defense-agreement-terminated").citations}
    assert "Reuters" in {src.loc[s, "publisher"] for s in cited}
    assert not src["address"].str.contains("azurewebsites", regex=False).any()
    africom = src.loc[src["publisher"] == "US Africa Command", "address"]
    assert all(a.startswith("https://www.africom.mil/") for a in africom if a)


def test_africa_corps_is_part_of_the_russian_armed_forces(bundled: chronology.DataSet) -> None:
    actor = bundled.actors.set_index("id").loc["africa-corps"]
    assert (actor["kind"], actor["parent"]) == ("armed forces", "russian-military")


@pytest.mark.parametrize(
    ("event_id", "words"),
    [
        pytest.param("defense-agreement-terminated", "not sharing military intelligence",
                     id="intelligence"),
        pytest.param("defense-agreement-terminated", "unequal terms in the Status of Forces",
                     id="unequal terms"),
        pytest.param("us-warns-russia-africa", "aggressive efforts to expand its footing",
                     id="warnings"),
        pytest.param("withdrawal-period", "The withdrawal deadline of September 15",
                     id="deadline"),
    ],
)  # fmt: skip
def test_the_missing_excerpts_are_quoted(
    bundled: chronology.DataSet, event_id: str, words: str
) -> None:
    assert any(words in x.quote for x in bundled.event(event_id).excerpts)


def test_the_warnings_to_congress_rest_on_a_citation(bundled: chronology.DataSet) -> None:
    """Issue 21: CNN's 'in early March' is the Senate hearing of 7 March; 21 March the House's."""
    ev = bundled.event("us-warns-russia-africa")
    assert sorted(c.date for c in ev.citations) == ["2024-03-07", "2024-03-07", "2024-03-21"]
    assert ev.date_display == "7 March 2024 – 21 March 2024"
    [quote] = [x.quote for x in ev.excerpts]
    assert "some expressing doubt" not in quote  # June 2024, not this event
