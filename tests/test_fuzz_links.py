"""Property-based test of shared links (issue 11): any query string on any page renders it.

A link may be mangled on the way (cut, doubled, re-encoded) or written by hand. Whatever its
query string, every page must render with at most notices: no exception element, no error box,
the page's ready marker, and the numbers the sidebar's own filters give. The known parts of a
link survive the unknown ones.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

import chronology
from chronology import ui
from chronology.views import render

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
ENTRY = ROOT / "dashboard.py"
PAGES = ["pages/timeline.py", "pages/actors.py", "pages/sources.py", "pages/data.py"]
DS = chronology.load()
ACTOR_IDS = {name: aid for aid, name in DS.actor_names.items()}
N_EXCERPTS = len(render.excerpt_numbers(DS))

# --- link parts ---------------------------------------------------------------------------------

hostile = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "../",
        "../../etc/passwd",
        "%00",
        "%2e%2e%2f",
        "<script>alert(1)</script>",
        "`code`",
        "**bold** [x](javascript:alert(1))",
        ":material/error:",
        "$x^2$",
        "9" * 5000,
        "x" * 3000,
        "Россия 中国 🇳🇪",
        "\u202eevil",
        "-1",
        "0",
        "1e9",
        "NaN",
        "null",
        "true",
    ]
)
days = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(
        ["2024-02-30", "2023-02-29", "2024-13-01", "2024-00-10", "0000-01-01", "99999-01-01",
         "2024-3-5", "2024", "2024-03", "2024-03-16T10:00", "16/03/2024", "2030-01-01"]
    ),
)  # fmt: skip
actor_names = st.sampled_from(sorted(ACTOR_IDS))
values = {
    "actors": st.one_of(actor_names, actor_names.map(str.upper), hostile),
    "match": st.sampled_from(["any", "all", "ALL", "both", ""]),
    "cat": st.one_of(st.sampled_from(list(DS.categories["name"])), hostile),
    "status": st.one_of(st.sampled_from(sorted(set(DS.events["status"]))), hostile),
    "from": st.one_of(days, hostile),
    "to": st.one_of(days, hostile),
    "q": st.one_of(st.text(max_size=30), st.sampled_from(["C-17", "coup", "zzzzqqq"]), hostile),
    "citations": st.sampled_from(["true", "false", "False", "0", "yes", ""]),
    "lanes": st.sampled_from(["actor", "category", "lane", ""]),
    "event": st.one_of(st.sampled_from(list(DS.events["id"])), hostile),
    "actor": st.one_of(st.sampled_from(sorted(DS.actor_names)), hostile),
    "source": st.one_of(st.sampled_from(sorted(DS.source_rows)), hostile),
    "excerpt": st.one_of(st.integers(-3, N_EXCERPTS + 3).map(str), st.integers().map(str), hostile),
    "list_page": st.one_of(st.integers(-2, 5).map(str), hostile),
}
unknown_keys = st.one_of(
    st.sampled_from(["embed", "embed_options", "page", "", "../", "a\x00", "FROM", "Actors"]),
    st.text(min_size=1, max_size=12),
)


@st.composite
def links(draw: st.DrawFn) -> dict[str, str | list[str]]:
    """A query string: some known parameters, maybe repeated, maybe unknown ones besides."""
    keys = draw(st.lists(st.sampled_from(sorted(values)), max_size=6, unique=True))
    keys += draw(st.lists(unknown_keys, max_size=2, unique=True))
    out: dict[str, str | list[str]] = {}
    for key in keys:
        strategy = values.get(key, st.one_of(st.text(max_size=20), hostile))
        many = draw(st.lists(strategy, min_size=1, max_size=4))
        out[key] = many[0] if len(many) == 1 else many
    return out


# --- the check ----------------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def _argv() -> Iterator[None]:
    """The bundled data, no stray argv (module-wide: Hypothesis reruns the test body)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(ui.ENV_VAR, raising=False)
        mp.setattr(sys, "argv", ["dashboard.py"])
        yield


def sidebar_query(at: AppTest) -> chronology.Query:
    """The query the sidebar's widgets stand for, read from the rendered widgets."""
    start, end = at.date_input(key="from").value, at.date_input(key="to").value
    if start and end and start > end:
        start, end = end, start
    return chronology.Query(
        actors=tuple(at.multiselect(key="actors").value),
        actor_match=at.radio(key="match").value,
        categories=tuple(at.multiselect(key="cat").value),
        statuses=tuple(at.multiselect(key="status").value),
        citation_only=at.toggle(key="citations").value,
        start=start,
        end=end,
        text=at.text_input(key="q").value or "",
    )


def opens(page: str, link: dict[str, str | list[str]]) -> None:
    """Open ``page`` at ``link``: it renders, with at most notices, and counts what it shows."""
    at = AppTest.from_file(str(ENTRY), default_timeout=60)
    for key, value in link.items():
        at.query_params[key] = value
    at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    marks = [h.value for h in at.html if 'id="chronology-ready"' in h.value]
    assert marks and f'data-page="{Path(page).stem}"' in marks[-1], "the page did not render"
    want = len(chronology.filter_events(DS, sidebar_query(at)))
    assert f'data-events="{want}"' in marks[-1]
    asked = link.get("actors", [])
    known = {ACTOR_IDS[a] for a in ([asked] if isinstance(asked, str) else asked) if a in ACTOR_IDS}
    assert known <= set(at.multiselect(key="actors").value), "a known actor was dropped"


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(page=st.sampled_from(PAGES), link=links())
@example(page="pages/actors.py", link={"q": "zzzzqqq"})
@example(page="pages/actors.py", link={"from": "2030-01-01"})
@example(page="pages/sources.py", link={"excerpt": "9" * 5000})
@example(page="pages/sources.py", link={"excerpt": "٣", "source": "../../etc/passwd"})
@example(page="pages/timeline.py", link={"from": "2024-02-30", "to": "2023-02-29"})
@example(page="pages/timeline.py", link={"from": "2024-01-01", "to": "2013-01-01"})
@example(page="pages/timeline.py", link={"event": ["coup", "no-such-event"], "lanes": "x"})
@example(page="pages/data.py", link={"actors": ["Russia", "Russia", "\x00"], "match": "all"})
@example(page="pages/actors.py", link={"actor": "x" * 3000, "actors": ["France", "Chad"]})
@example(page="pages/sources.py", link={"source": "crs-if12464", "excerpt": "1"})
def test_any_link_renders_every_page_with_at_most_notices(
    page: str, link: dict[str, str | list[str]]
) -> None:
    opens(page, link)
