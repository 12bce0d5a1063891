"""Links that once crashed a page, and what a visitor sees when one does.

Every page handles filters that select no events like the Timeline: an info box and a reset
button. A malformed ``excerpt`` gets the usual notice. Tracebacks stay out of a deployed page.
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import chronology
from chronology.views import actor_figures

ROOT = Path(__file__).resolve().parent.parent
ENTRY = ROOT / "dashboard.py"
PAGES = ["pages/timeline.py", "pages/actors.py", "pages/sources.py", "pages/data.py"]
EMPTY_LINKS = [
    pytest.param({"q": "zzzzqqq"}, id="no word matches"),
    pytest.param({"from": "2030-01-01"}, id="after the last event"),
    pytest.param({"to": "1900-01-01"}, id="before the first event"),
    pytest.param({"actors": ["Russia", "France"], "match": "all"}, id="no shared event"),
]


pytestmark = pytest.mark.usefixtures("app_env")


def on_page(page: str, **params: str | list[str]) -> AppTest:
    """A fresh app opened at a link to ``page`` carrying ``params``."""
    at = AppTest.from_file(str(ENTRY), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    return at.switch_page(page).run()


def ready(at: AppTest) -> str:
    marks = [h.value for h in at.html if 'id="chronology-ready"' in h.value]
    assert marks, "the page did not finish rendering"
    return marks[-1]


def selects_nothing(params: dict) -> bool:
    """True when the link's filters select no event of the bundled data."""
    ds = chronology.load()
    names = {v: k for k, v in ds.actor_names.items()}
    query = chronology.Query(
        actors=tuple(names[a] for a in params.get("actors", [])),
        actor_match=params.get("match", "any"),
        text=params.get("q", ""),
        start=date.fromisoformat(params["from"]) if "from" in params else None,
        end=date.fromisoformat(params["to"]) if "to" in params else None,
    )
    return chronology.filter_events(ds, query).empty


# --- an empty selection ------------------------------------------------------------------------


@pytest.mark.parametrize("params", EMPTY_LINKS)
@pytest.mark.parametrize("page", PAGES)
def test_an_empty_selection_says_so_on_every_page(page: str, params: dict) -> None:
    assert selects_nothing(params)  # the link is what the test says it is
    at = on_page(page, **params)
    assert not at.exception, at.exception
    name = Path(page).stem
    assert f'data-page="{name}"' in ready(at) and 'data-events="0"' in ready(at)
    assert any(i.value == "No events match these filters." for i in at.info)
    assert at.button(key="reset_empty")


@pytest.mark.parametrize("page", PAGES)
def test_the_empty_state_resets_the_filters(page: str) -> None:
    at = on_page(page, q="zzzzqqq")
    at.button(key="reset_empty").click().run()
    assert not at.exception
    assert at.text_input(key="q").value == ""
    assert "q" not in at.query_params
    assert not any(i.value == "No events match these filters." for i in at.info)
    total = len(chronology.load().events)
    assert f'data-events="{total}"' in ready(at)


def test_the_activity_chart_of_no_events_says_so() -> None:
    ds = chronology.load()
    fig = actor_figures.activity_figure(ds, ds.events.iloc[:0], "united-states")
    assert not fig.data
    assert "No events of United States" in fig.layout.annotations[0].text
    assert fig.layout.meta["events"] == 0


def test_the_activity_chart_of_an_actor_outside_the_selection_says_so() -> None:
    ds = chronology.load()
    russia = chronology.filter_events(ds, chronology.Query(actors=("russia",)))
    family = ds.descendants("france")
    linked = set(ds.event_actors.loc[ds.event_actors["actor_id"].isin(family), "event_id"])
    outside = russia[~russia["id"].isin(linked)]
    assert len(outside)
    fig = actor_figures.activity_figure(ds, outside, "france")
    assert not fig.data and fig.layout.meta["events"] == 0


# --- the excerpt number --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("9" * 5000, id="5000 nines"),
        pytest.param("1" + "0" * 4300, id="4301 digits"),
        pytest.param("٣", id="an Arabic-Indic digit"),
        pytest.param("²", id="a superscript two"),
        pytest.param("0", id="zero"),
        pytest.param("-1", id="negative"),
        pytest.param(" 1", id="a leading space"),
        pytest.param("1e3", id="exponent"),
    ],
)
def test_a_malformed_excerpt_number_gets_a_notice(raw: str) -> None:
    at = on_page("pages/sources.py", excerpt=raw)
    assert not at.exception, at.exception
    text = "\n".join(w.value for w in at.warning)
    assert "names no excerpt of this data set" in text
    assert len(text) < 400, "the notice quotes a long value cut short"
    assert "excerpt" not in at.query_params
    assert 'data-page="sources"' in ready(at) and 'data-excerpt=""' in ready(at)


def test_a_long_value_is_quoted_cut_short() -> None:
    at = AppTest.from_file(str(ENTRY), default_timeout=60)
    at.query_params["actors"] = "x" * 10_000
    at.run()  # the notices show on the run that reads the link
    assert not at.exception
    (warning,) = [w.value for w in at.warning if "actor values" in w.value]
    assert "x" * 70 in warning and "x" * 100 not in warning and "…" in warning


# --- what a visitor sees when a page does crash --------------------------------------------------


def test_a_deployed_app_shows_no_error_details() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"


def test_make_run_keeps_the_full_details_for_local_development() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "streamlit run dashboard.py --client.showErrorDetails=full" in run
