"""The dashboard through its entrypoint, with Streamlit's AppTest: every page, the filters, the URL.

Each test builds a fresh AppTest of ``dashboard.py``; ``at.query_params`` set before the first
run stand for the link the reader opened.
"""

from __future__ import annotations

import html
import json
import sys
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import chronology
from chronology import ui

ROOT = Path(__file__).resolve().parent.parent
ENTRY = ROOT / "dashboard.py"
PAYLOADS = ROOT / "tests" / "fixtures" / "payloads"
PAGES = ["pages/timeline.py", "pages/actors.py", "pages/sources.py", "pages/data.py"]
SCRIPT = "<script>alert(1)</script>"


pytestmark = pytest.mark.usefixtures("app_env")


def make(**params: str | list[str]) -> AppTest:
    """A fresh app, opened at a link carrying ``params`` (not run yet)."""
    at = AppTest.from_file(str(ENTRY), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at


def opened(**params: str | list[str]) -> AppTest:
    """A fresh app after opening the link (one run), ready for interaction."""
    return make(**params).run()


def ready(at: AppTest) -> str:
    """The page's readiness marker (the last html element), as HTML."""
    marks = [h.value for h in at.html if 'id="chronology-ready"' in h.value]
    assert marks, "the page did not finish rendering"
    return marks[-1]


def shown(at: AppTest) -> str:
    """The 'Events shown' metric, e.g. '4 / 30'."""
    return next(m.value for m in at.metric if m.label == "Events shown")


def listed(at: AppTest) -> str:
    """The HTML of the chronological list under the chart."""
    return next(h.value for h in at.html if 'class="chronology event-list"' in h.value)


def warnings(at: AppTest) -> str:
    return "\n".join(w.value for w in at.warning)


def expected_ids(**query: object) -> set[str]:
    ds = chronology.load()
    return set(chronology.filter_events(ds, chronology.Query(**query))["id"])


# --- every page ---------------------------------------------------------------------------


def test_the_timeline_is_the_default_page() -> None:
    at = make().run()
    assert not at.exception
    assert 'data-page="timeline"' in ready(at)
    total = len(chronology.load().events)
    assert shown(at) == f"{total} / {total}"
    assert at.get("plotly_chart")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_an_exception(page: str) -> None:
    at = make().run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    name = Path(page).stem
    assert f'data-page="{name}"' in ready(at)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_keeps_the_filters_after_a_switch(page: str) -> None:
    at = make(actors="Russia").run()
    at.switch_page(page).run()
    assert not at.exception
    assert at.multiselect(key="actors").value == ["russia"]
    assert at.query_params.get("actors") == "Russia"


# --- filters --------------------------------------------------------------------------------


def test_the_actor_filter_changes_the_events_shown() -> None:
    at = opened()
    at.multiselect(key="actors").set_value(["russia"]).run()
    assert not at.exception
    want = expected_ids(actors=("russia",))
    assert shown(at) == f"{len(want)} / {len(chronology.load().events)}"
    html = listed(at)
    for eid in want:
        assert f'data-event="{eid}"' in html
    assert 'data-event="us-presence-begins"' not in html
    # The browser writes a widget's new value to the URL; the browser tests check that.


def test_the_chart_is_the_one_its_filters_make_after_a_change_and_back() -> None:
    """The page reuses a view's figure (selection.remembered): each view still gets its own."""
    from chronology.views import figures, palette

    ds = chronology.load()
    colours = palette.actor_colours(ds)

    def built(at: AppTest, **query: object) -> dict:
        events = chronology.filter_events(ds, chronology.Query(**query))
        everything = at.radio(key="range").value == "all"
        window = figures.time_window(events, "all") if everything else None
        lanes = at.radio(key="lanes").value  # a row per event, by default
        fig = figures.timeline_figure(
            ds, events, lanes, colours, window=window or figures.default_window(events)
        )
        return json.loads(fig.to_json())

    def drawn(at: AppTest) -> dict:
        return json.loads(at.get("plotly_chart")[0].proto.spec)

    at = opened()
    everything = built(at)
    assert drawn(at) == everything
    at.multiselect(key="actors").set_value(["russia"]).run()
    assert drawn(at) == built(at, actors=("russia",)) != everything
    at.multiselect(key="actors").set_value([]).run()
    assert drawn(at) == built(at)
    assert drawn(opened()) == everything  # another session, the same view
    at.radio(key="range").set_value("most events").run()
    assert drawn(at) == everything
    at.multiselect(key="status").set_value(["happened"]).run()  # the same time shown
    assert drawn(at) == built(at, statuses=("happened",)) != everything


def test_all_match_needs_every_actor() -> None:
    at = make(actors=["Russia", "Niger"], match="all").run()
    assert not at.exception
    want = expected_ids(actors=("russia", "niger"), actor_match="all")
    assert shown(at).startswith(f"{len(want)} /")


@pytest.mark.parametrize(
    ("params", "query"),
    [
        pytest.param({"actors": "Russia"}, {"actors": ("russia",)}, id="actor"),
        pytest.param({"cat": "Diplomatic"}, {"categories": ("diplomatic",)}, id="category"),
        pytest.param({"status": "planned"}, {"statuses": ("planned",)}, id="status"),
        pytest.param({"citations": "false"}, {"citation_only": False}, id="no citations"),
        pytest.param({"q": "withdrawal"}, {"text": "withdrawal"}, id="text"),
        pytest.param(
            {"from": "2024-05-01", "to": "2024-06-30"},
            {"start": date(2024, 5, 1), "end": date(2024, 6, 30)},
            id="dates",
        ),
    ],
)
def test_query_parameters_seed_the_filters(params: dict, query: dict) -> None:
    at = make(**params).run()
    assert not at.exception
    assert not at.warning, warnings(at)
    want = expected_ids(**query)
    assert shown(at).startswith(f"{len(want)} /")
    for eid in want:
        assert f'data-event="{eid}"' in listed(at)


def test_dates_in_a_link_fill_the_date_widgets() -> None:
    at = opened(**{"from": "2023-01-01", "to": "2024-02-29"})
    assert at.date_input(key="from").value == date(2023, 1, 1)
    assert at.date_input(key="to").value == date(2024, 2, 29)
    assert at.query_params["from"] == "2023-01-01"


@pytest.mark.parametrize(
    ("params", "named"),
    [
        pytest.param({"actors": ["Russia", "Atlantis"]}, "Atlantis", id="unknown actor"),
        pytest.param({"from": "2024-13-45"}, "2024-13-45", id="malformed date"),
        pytest.param({"to": "last tuesday"}, "last tuesday", id="words for a date"),
        pytest.param({"from": "2023-07"}, "2023-07", id="month for a date"),
        pytest.param({"cat": "Sport"}, "Sport", id="unknown category"),
        pytest.param({"match": "some"}, "some", id="bad match"),
        pytest.param({"citations": "maybe"}, "maybe", id="bad boolean"),
        pytest.param({"lanes": "country"}, "country", id="bad lanes"),
        pytest.param({"range": "forever"}, "forever", id="bad range"),
        pytest.param({"event": "no-such-event"}, "no-such-event", id="unknown event"),
    ],
)
def test_a_bad_parameter_is_dropped_with_a_notice(params: dict, named: str) -> None:
    at = make(**params).run()
    assert not at.exception
    assert named in warnings(at)
    assert 'data-page="timeline"' in ready(at)


def test_the_good_part_of_a_link_survives_a_bad_part() -> None:
    at = make(actors=["Russia", "Atlantis"], **{"from": "nonsense"}).run()
    assert at.multiselect(key="actors").value == ["russia"]
    assert at.date_input(key="from").value is None
    assert "Atlantis" in warnings(at) and "nonsense" in warnings(at)


def test_reset_clears_the_filters_and_the_url() -> None:
    at = opened(actors="Russia", q="air", citations="false")
    assert at.query_params.get("actors") == "Russia"
    at.button(key="reset").click().run()
    assert not at.exception
    assert at.multiselect(key="actors").value == []
    assert at.text_input(key="q").value == ""
    assert at.toggle(key="citations").value is True
    for key in ("actors", "q", "citations"):
        assert key not in at.query_params
    total = len(chronology.load().events)
    assert shown(at) == f"{total} / {total}"


def test_the_sidebar_says_which_filters_are_on_while_they_sit_in_a_popover() -> None:
    at = opened()
    captions = [c.value for c in at.sidebar.caption]
    assert "No filter: every event is shown." in captions
    assert not [b for b in at.button if b.key == "reset"]  # nothing to reset
    at = opened(actors=["Russia", "Niger"], q="a `tick`", citations="false")
    line = next(c.value for c in at.sidebar.caption if c.value.startswith("Filtered by"))
    assert "actors: ` Russia `, ` Niger `" in line
    assert "search: `` a `tick` ``" in line  # the reader's words quoted literally
    assert "citation-only events left out" in line
    assert at.button(key="reset").label == "Reset filters"


def test_the_sidebar_names_the_data_without_the_servers_path() -> None:
    at = opened()
    data = next(c.value for c in at.sidebar.caption if c.value.startswith("Data:"))
    title = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))["title"]
    assert data.removeprefix("Data:").strip(" `") == title  # its name in datapackage.json
    assert str(ROOT) not in data  # a visitor never reads where the server keeps its files


def test_dates_given_the_wrong_way_round_are_swapped_with_a_notice() -> None:
    at = opened(**{"from": "2024-06-01", "to": "2023-01-01"})
    assert not at.exception
    assert any("dates were swapped" in w.value for w in at.sidebar.warning)
    swapped = chronology.Query(start=date(2023, 1, 1), end=date(2024, 6, 1))
    total = len(chronology.load().events)
    assert shown(at) == f"{len(chronology.filter_events(chronology.load(), swapped))} / {total}"


def test_an_empty_result_says_so_and_offers_the_reset() -> None:
    at = opened(q="zzzz-nothing-matches")
    assert not at.exception
    assert any("No events match" in i.value for i in at.info)
    at.button(key="reset_empty").click().run()
    assert at.text_input(key="q").value == ""
    assert not at.info


# --- the timeline's event details ---------------------------------------------------------------


def test_an_event_in_the_link_opens_its_details() -> None:
    at = make(event="withdrawal-agreement").run()
    assert not at.exception
    detail = next(h.value for h in at.html if 'class="chronology event-detail"' in h.value)
    assert "US and Niger agree the terms of the withdrawal" in detail
    assert "&#x27;last month&#x27; in an article of ~8 June 2024 (estimated) → May–June 2024" in (
        detail
    )  # article B's window runs to 6 July 2024 (issue 21)
    # the card's heading is the event's title (issue 19: no "Event details" heading above it)
    assert '<h3 class="event-title">US and Niger agree the terms of the withdrawal' in detail
    links = [p for p in at.get("page_link")]
    assert links, "each excerpt links to its source"


def test_the_withdrawal_period_details_run_from_the_agreement_not_the_article() -> None:
    """Issue 7: 'four months' is not counted from article B's publication (8–10 June 2024)."""
    at = make(event="withdrawal-period").run()
    assert not at.exception
    detail = next(h.value for h in at.html if 'class="chronology event-detail"' in h.value)
    assert "<strong>Date:</strong> 19 May 2024 – 15 September 2024" in detail
    assert "&#x27;last month&#x27; in an article of ~8 June 2024 (estimated) → May–June 2024" in (
        detail
    )
    assert "→ 15 September 2024" in detail
    assert "October 2024" not in detail and "8 June–" not in detail


def test_the_details_say_field_by_field_what_backs_it() -> None:
    """Issue 21: date, end date, place, actors and summary, each with its sources."""
    at = make(event="bazoum-presidency").run()
    assert not at.exception
    detail = next(h.value for h in at.html if 'class="chronology event-detail"' in h.value)
    backing = detail.split('<ul class="backing">', 1)[1].split("</ul>", 1)[0]
    fields = [li.split('data-field="', 1)[1].split('"', 1)[0] for li in backing.split("<li ")[1:]]
    assert fields == ["date", "end_date", "place", "actors", "summary"]
    line = {f: li for f, li in zip(fields, backing.split("<li ")[1:], strict=True)}
    assert "Associated Press" in line["date"] and "News Central" in line["date"]
    assert "Congressional Research Service" in line["end_date"]
    assert "News Central" in line["place"] and "Associated Press" not in line["place"]
    assert "(excerpt)" in line["summary"]
    assert "Disputed" not in detail


def test_a_disputed_date_shows_both_values_and_both_sources() -> None:
    """Issue 21: article A's 'since 2012' is kept as a dispute of the hub's February 2013."""
    at = make(event="us-surveillance-hub").run()
    assert not at.exception
    detail = next(h.value for h in at.html if 'class="chronology event-detail"' in h.value)
    assert '<span class="badge disputed">Disputed</span>' in detail
    date_line = detail.split('<li data-field="date">', 1)[1].split("</li>", 1)[0]
    assert "Disputed" in date_line
    assert "we give (February 2013)" in date_line and "PJ Media" in date_line  # ours
    assert "<q>2012</q>" in date_line and "The United States is preparing" in date_line  # theirs
    # the disputed event stays in the list and the filters
    assert "us-surveillance-hub" in listed(at)


def test_choosing_an_event_puts_it_in_the_url() -> None:
    at = opened()
    at.selectbox(key="event_pick").set_value("coup").run()
    assert at.query_params["event"] == "coup"
    at.button(key="close_detail").click().run()
    assert "event" not in at.query_params


def test_lanes_by_category() -> None:
    at = make(lanes="category").run()
    assert not at.exception
    assert at.radio(key="lanes").value == "category"


# --- data directories ---------------------------------------------------------------------------


def _broken(tmp_path: Path) -> Path:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "events.csv").write_text("id,title\nx,<b>X</b>\n", encoding="utf-8")
    return bad


def _assert_problem_list(at: AppTest, directory: Path) -> None:
    assert not at.exception
    assert any("problem" in e.value for e in at.error)
    problems = at.dataframe[0].value
    assert len(problems) > 1
    assert problems["where"].str.contains("actors.csv").any()
    assert str(directory) in at.error[0].value


def test_an_invalid_directory_from_the_environment_shows_the_problem_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = _broken(tmp_path)
    monkeypatch.setenv(ui.ENV_VAR, str(bad))
    _assert_problem_list(make().run(), bad)


def test_an_invalid_directory_from_the_argument_shows_the_problem_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = _broken(tmp_path)
    monkeypatch.setattr(sys, "argv", ["dashboard.py", "--data", str(bad)])
    _assert_problem_list(make().run(), bad)


def test_a_missing_directory_shows_the_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(ui.ENV_VAR, str(tmp_path / "nowhere"))
    at = make().run()
    assert not at.exception
    assert "does not exist" in at.dataframe[0].value["problem"].iloc[0]


def test_the_argument_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ui.ENV_VAR, "/nowhere")
    assert ui.data_dir(["--data", "here"]) == Path("here")
    assert ui.data_dir([], {}) == chronology.DEFAULT_DATA_DIR
    assert ui.data_dir([]) == Path("/nowhere")


def test_the_cache_sees_a_changed_file(tmp_path: Path) -> None:
    import shutil

    copy = Path(shutil.copytree(PAYLOADS, tmp_path / "p"))
    first = ui.fingerprint(copy)
    assert ("events.csv" in {name for name, _, _ in first}) and len(first) > 5
    events = copy / "events.csv"
    events.write_text(events.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    second = ui.fingerprint(copy)
    assert second != first
    text = next((copy / "sources").iterdir())  # a stored text, one folder down
    text.write_text(text.read_text(encoding="utf-8") + " ", encoding="utf-8")
    third = ui.fingerprint(copy)
    assert third != second
    (copy / "sources" / "new.txt").write_text("x", encoding="utf-8")
    assert ui.fingerprint(copy) != third
    assert ui.fingerprint(copy / "missing") == ()


# --- hostile text ---------------------------------------------------------------------------


@pytest.fixture
def payload_app(app_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The payloads data set (after ``app_env``, which clears the variable)."""
    monkeypatch.setenv(ui.ENV_VAR, str(PAYLOADS))


def _markdown_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [w.value for w in at.warning] + [i.value for i in at.info]
    parts += [s.value for s in at.subheader] + [t.value for t in at.title]
    return "\n".join(parts)


@pytest.mark.usefixtures("payload_app")
@pytest.mark.parametrize("page", PAGES)
def test_hostile_text_is_shown_literally(page: str) -> None:
    at = make(event="script-event", source="article-x").run()
    at.switch_page(page).run()
    assert not at.exception
    html = "\n".join(h.value for h in at.html)
    assert SCRIPT not in html and "<img src=x" not in html
    if page in ("pages/timeline.py", "pages/sources.py"):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html.lower()
    markdown = _markdown_text(at)
    assert "![x](" not in markdown and "](javascript:" not in markdown
    assert SCRIPT not in markdown


@pytest.mark.usefixtures("payload_app")
def test_hostile_actor_names_work_as_filters() -> None:
    name = '=HYPERLINK("http://example.invalid","click")'
    at = make(actors=name).run()
    assert not at.exception
    assert not at.warning, warnings(at)
    assert at.multiselect(key="actors").value == ["evil-child"]
    assert 'data-event="formula-event"' in listed(at)


# --- the other pages ---------------------------------------------------------------------------


def on_page(page: str, **params: str | list[str]) -> AppTest:
    """A fresh app opened on ``page`` with ``params`` in the link."""
    at = make(**params).run()
    return at.switch_page(page).run()


def test_a_source_opens_with_its_excerpts_highlighted() -> None:
    ds = chronology.load()
    numbers = [i + 1 for i, s in enumerate(ds.excerpts["source_id"]) if s == "article-b"]
    named = numbers[1]  # not the first: the link picks one
    at = on_page("pages/sources.py", source="article-b", excerpt=str(named))
    assert not at.exception
    html = "\n".join(h.value for h in at.html)
    for n in numbers:
        assert f'<mark id="x-{n}" class="excerpt' in html
    assert f'<mark id="x-{named}" class="excerpt current"' in html
    assert f'data-excerpt="{named}"' in html  # the excerpt the link named, above the text
    assert "scrollIntoView" in html
    assert f'data-page="sources" data-source="article-b" data-excerpt="{named}"' in ready(at)


def test_an_excerpt_alone_opens_its_source() -> None:
    at = on_page("pages/sources.py", excerpt="1")
    assert at.selectbox(key="source_pick").value == "article-a"
    assert at.query_params["source"] == "article-a"


@pytest.mark.parametrize(
    ("params", "named"),
    [
        pytest.param({"source": "no-such-source"}, "no-such-source", id="unknown source"),
        pytest.param({"excerpt": "abc"}, "abc", id="malformed excerpt"),
        pytest.param({"excerpt": "9999"}, "9999", id="unknown excerpt"),
    ],
)
def test_a_bad_source_link_is_dropped_with_a_notice(params: dict, named: str) -> None:
    at = on_page("pages/sources.py", **params)
    assert not at.exception
    assert named in warnings(at)
    assert 'data-page="sources"' in ready(at)


def test_a_citation_source_shows_its_record() -> None:
    at = on_page("pages/sources.py", source="crs-if12464")
    assert not at.exception
    assert any("no stored text" in i.value for i in at.info)
    header = next(h.value for h in at.html if "source-header" in h.value)
    assert 'href="https://' in header


def test_the_actor_page_follows_the_link() -> None:
    at = on_page("pages/actors.py", actor="russia")
    assert not at.exception
    assert at.selectbox(key="actor_pick").value == "russia"
    bad = on_page("pages/actors.py", actor="atlantis")
    assert "atlantis" in warnings(bad)


def test_the_data_page_tables_and_downloads_follow_the_filters() -> None:
    at = on_page("pages/data.py", actors="Russia")
    assert not at.exception
    want = expected_ids(actors=("russia",))
    assert set(at.dataframe[0].value["id"]) == want
    keys = {b.key for b in at.get("download_button")}
    assert {"download_csv", "download_json", "download_timelinejs"} <= keys
    assert any("validates" in s.value for s in at.success)


# --- reading the timeline in order -------------------------------------------------------------


def detail_title(at: AppTest) -> str:
    """The HTML of the open event's details ('' when closed)."""
    return next((h.value for h in at.html if 'class="chronology event-detail"' in h.value), "")


def test_next_and_previous_step_through_the_events_in_date_order() -> None:
    ids = chronology.load().events["id"].tolist()
    at = opened()
    assert at.button(key="step_prev").disabled and not at.button(key="step_next").disabled
    assert not detail_title(at)
    at.button(key="step_next").click().run()
    assert at.query_params["event"] == ids[0]
    assert "US–Niger status-of-forces accord" in detail_title(at)  # issue 21
    assert at.button(key="step_prev").disabled  # the first event
    for expected in ids[1:]:
        at.button(key="step_next").click().run()
        assert not at.exception
        assert at.query_params["event"] == expected
        assert at.selectbox(key="event_pick").value == expected
    assert at.button(key="step_next").disabled  # the last event
    assert "US and Niger declare the withdrawal complete" in detail_title(at)
    at.button(key="step_prev").click().run()
    assert at.query_params["event"] == ids[-2]
    assert f"Event {len(ids) - 1} of {len(ids)}" in step_line(at)
    assert "15 September 2024 — Deadline for the US withdrawal" in step_line(at)


def step_line(at: AppTest) -> str:
    """The line under the step buttons (HTML since it names the event: issue 19)."""
    (line,) = [h.value for h in at.html if 'class="chronology step-line"' in h.value]
    return html.unescape(line)


def test_a_link_opens_at_its_step_and_the_chart_follows() -> None:
    ds = chronology.load()
    ids = ds.events["id"].tolist()
    at = opened(event="bazoum-presidency")
    i = ids.index("bazoum-presidency")
    assert f"Event {i + 1} of {len(ids)}" in step_line(at)
    assert "presidency" in detail_title(at)
    fig = at.get("plotly_chart")[0].proto.spec
    assert "current:bazoum-presidency" in fig  # the band behind the current event
    at.button(key="step_next").click().run()
    assert at.query_params["event"] == ids[i + 1]


def test_the_steps_follow_the_filters() -> None:
    russia = sorted(expected_ids(actors=("russia",)))
    ds = chronology.load()
    order = [e for e in ds.events["id"] if e in russia]
    at = opened(actors="Russia")
    at.button(key="step_next").click().run()
    assert at.query_params["event"] == order[0]
    at.button(key="step_next").click().run()
    assert at.query_params["event"] == order[1]


def test_the_time_shown_is_where_the_events_are_and_all_is_one_click_away() -> None:
    at = opened()
    assert at.radio(key="range").value == "most events"
    assert chart_range(at)[0].year == 2023  # Jul 2023, padded by a month
    at.radio(key="range").set_value("all").run()
    assert not at.exception
    assert chart_range(at)[0].year == 2011  # 2012, padded
    assert opened(range="all").radio(key="range").value == "all"  # a link keeps it


def test_a_filter_that_narrows_nothing_leaves_the_time_shown_as_chosen() -> None:
    """Where most events fill the whole span, the choice is disabled, not changed to 'all'."""
    at = opened()
    at.multiselect(key="actors").set_value(["russia"]).run()
    assert at.radio(key="range").disabled
    assert at.radio(key="range").value == "most events"
    at.multiselect(key="actors").set_value([]).run()
    assert not at.radio(key="range").disabled
    assert at.radio(key="range").value == "most events"
    assert chart_range(at)[0].year == 2023  # the opening view again, not the whole span


def chart_range(at: AppTest) -> tuple[date, date]:
    """The first and last day the timeline shows."""
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    lo, hi = spec["layout"]["xaxis"]["range"]
    return date.fromisoformat(lo[:10]), date.fromisoformat(hi[:10])


def test_the_picker_ships_a_few_hundred_options_at_most() -> None:
    at = opened()
    assert len(at.selectbox(key="event_pick").options) <= 200


def test_the_actor_tables_read_well() -> None:
    """The partner table writes a dash for a missing date, never 'None'; the directory puts
    the counts before the long descriptions."""
    at = on_page("pages/actors.py")
    partners = at.dataframe[-1].value
    dates = [c for c in partners.columns if c.startswith(("first ", "last "))]
    values = partners[dates].to_numpy().ravel().tolist()
    assert "—" in values and None not in values and "None" not in values
    directory = at.dataframe[0]
    order = list(directory.proto.column_order)
    assert order.index("events") < order.index("description")
