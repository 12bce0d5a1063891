"""Reading the story as a reader does (issue 19), at 1440×900 and on a phone (390×844): the
current event's card on the first screen after *Next*, the events named on the chart, and the
phone's sizes (plot width, tap targets, labels apart, the sidebar out of the way).

Screenshots go to test-artifacts/screenshots/ (reading-*).
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from browser_harness import (
    CHART_TEXT,
    StreamlitServer,
    chart,
    names,
    open_app,
    overlaps,
    save_screenshot,
    wait_ready,
)
from playwright.sync_api import Page, expect

import chronology

SIZES = {"1440": {"width": 1440, "height": 900}, "390": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def ds() -> chronology.DataSet:
    return chronology.load()


def in_view(page: Page, box: dict | None, size: dict) -> bool:
    """Whether a bounding box lies wholly inside the viewport."""
    return bool(box) and box["y"] >= 0 and box["y"] + box["height"] <= size["height"] + 0.5


@pytest.mark.parametrize("size", list(SIZES))
def test_after_next_the_current_event_is_on_the_first_screen(
    page: Page, app: StreamlitServer, ds: chronology.DataSet, size: str
) -> None:
    """Issue 19: after *Next*, the event's card (title, date, summary ...) sits under the step
    buttons without scrolling; the step line names the event; the chart marks it."""
    viewport = SIZES[size]
    page.set_viewport_size(viewport)
    open_app(page, app.url)
    following = page.get_by_role("button", name=re.compile(r"^Next"))
    for i in range(7):  # to the seventh event
        following.click()
        eid = ds.events["id"].iloc[i]
        expect(page).to_have_url(re.compile(rf"[?&]event={re.escape(eid)}(&|$)"))
        wait_ready(page)
    event = ds.event(eid)
    card = page.locator(".st-key-event_detail")
    title = card.get_by_role("heading", name=event.title)
    expect(title).to_be_visible()
    assert in_view(page, title.bounding_box(), viewport), title.bounding_box()
    box = card.bounding_box()
    assert in_view(page, box, viewport), box  # all the card: it scrolls inside if it must
    for text in (event.summary, event.date_display):
        expect(card).to_contain_text(text)
    excerpts = card.get_by_role("link", name=re.compile(r"^Open excerpt \d+ in its source"))
    assert excerpts.count() >= 1
    # the step line names the event, not only its number
    step_line = page.get_by_text(re.compile(r"^Event 7 of \d+ in date order"))
    expect(step_line).to_contain_text(event.title)
    assert in_view(page, step_line.bounding_box(), viewport)
    # the chart marks it: the band, and its title in bold
    page.wait_for_function(
        f"(id) => {{ const c = ({CHART_TEXT})('timeline'); return c && c.current[0] === id; }}",
        arg=eid,
    )
    bold = page.locator(".st-key-timeline .main-svg text b, .st-key-timeline .main-svg text")
    assert bold.filter(has_text=event.title).count() >= 1
    save_screenshot(page, f"reading-{size}-after-next")


@pytest.mark.parametrize("size", list(SIZES))
def test_the_opening_chart_names_its_events_by_title_without_overlaps(
    page: Page, app: StreamlitServer, ds: chronology.DataSet, size: str
) -> None:
    """Issue 19: of the events in the opening window, at least 80 % are named on the chart (on
    main: 1 of 28, a milestone's label), no two texts overlap, and on a phone the plot keeps at
    least 280 px (on main: 221)."""
    page.set_viewport_size(SIZES[size])
    open_app(page, app.url)
    drawn = chart(page)
    if size == "390":
        assert drawn["plot"] >= 280, drawn["plot"]
    lo, hi = (pd.Timestamp(v) for v in drawn["range"])
    ev = ds.events
    inside = ev[(ev["start"] <= hi) & (ev["end"] + pd.Timedelta(days=1) >= lo)]
    assert len(inside) >= 20
    named = [t for t in inside["title"] if any(names(x["text"], t) for x in drawn["texts"])]
    assert len(named) >= 0.8 * len(inside), (len(named), len(inside))
    assert not overlaps(drawn["texts"]), overlaps(drawn["texts"])
    save_screenshot(page, f"reading-{size}-opening")


MARKS = """() => {
  const gd = document.querySelector('.st-key-timeline .js-plotly-plot');
  const out = [];
  gd.querySelectorAll('.scatterlayer .trace').forEach(t => {
    const tr = t.__data__ && t.__data__[0] && t.__data__[0].trace;
    if (!tr || !tr.meta || tr.meta.role !== 'marks') return;
    t.querySelectorAll('path.point').forEach((p, i) => {
      const r = p.getBoundingClientRect();
      const at = {x: r.x + r.width / 2, y: r.y + r.height / 2};
      if (r.width > 4) out.push({id: tr.customdata[i], ...at});
    });
  });
  return out;
}"""
"""JS: the centre of every dot drawn on the Timeline's chart, with its event's id."""


@pytest.fixture
def phone(new_page, context) -> Page:
    """A page in a touch-screen context 390×844 (a phone's, with a desktop browser's agent:
    Streamlit's own phone handling keys on the user agent, not the width)."""
    browser = context.browser
    assert browser is not None
    touch = browser.new_context(viewport=SIZES["390"], has_touch=True)
    page = touch.new_page()
    yield page
    touch.close()


def test_on_a_phone_one_tap_on_a_dot_opens_its_event(
    phone: Page, app: StreamlitServer, ds: chronology.DataSet
) -> None:
    """Issue 19: a mark took two taps (the first only showed its tooltip)."""
    open_app(phone, app.url)
    chart(phone)
    phone.locator(".st-key-timeline").evaluate("e => e.scrollIntoView({block: 'center'})")
    dots = [d for d in phone.evaluate(MARKS) if 0 < d["y"] < SIZES["390"]["height"]]
    assert dots
    dot = dots[len(dots) // 2]
    phone.touchscreen.tap(dot["x"], dot["y"])
    expect(phone).to_have_url(re.compile(rf"[?&]event={re.escape(dot['id'])}(&|$)"))
    wait_ready(phone)
    expect(phone.locator(".st-key-event_detail")).to_contain_text(ds.event(dot["id"]).title)


def test_on_a_phone_the_sidebar_closes_once_a_page_is_picked(
    page: Page, app: StreamlitServer
) -> None:
    page.set_viewport_size(SIZES["390"])
    open_app(page, app.url)
    page.get_by_test_id("stExpandSidebarButton").click()
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_be_in_viewport()
    sidebar.get_by_test_id("stSidebarNavLink").filter(has_text="Actors").click()
    expect(page).to_have_url(re.compile(r"/actors"))
    wait_ready(page)
    expect(sidebar).not_to_be_in_viewport()
    expect(page.get_by_role("heading", name="Actors", exact=True)).to_be_in_viewport()


def test_on_a_phone_tap_targets_are_24_px_at_least(page: Page, app: StreamlitServer) -> None:
    """WCAG 2.2 target size (minimum): the step buttons, and the reader's excerpt links (on
    main 16×13 px)."""
    page.set_viewport_size(SIZES["390"])
    open_app(page, app.url)
    for name in ("Previous", "Next"):
        box = page.get_by_role("button", name=re.compile(rf"^{name}")).bounding_box()
        assert box and box["width"] >= 24 and box["height"] >= 24, (name, box)
    open_app(page, f"{app.url}/sources")
    links = page.locator(".chronology .reader sup a")
    expect(links.first).to_be_visible()
    sizes = links.evaluate_all(
        "es => es.map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })"
    )
    assert sizes and all(w >= 24 and h >= 24 for w, h in sizes), sizes
    save_screenshot(page, "reading-390-sources")


def test_on_a_phone_the_actors_charts_keep_their_width_and_labels_apart(
    page: Page, app: StreamlitServer
) -> None:
    """Issue 19: the partners chart was squeezed to ~80 px by its legend, and the heatmap's
    column labels overlapped."""
    page.set_viewport_size(SIZES["390"])
    open_app(page, f"{app.url}/actors")
    for key in ("relations", "partners"):
        page.locator(f".st-key-{key}").evaluate("e => e.scrollIntoView({block: 'center'})")
        drawn = chart(page, key)
        if key == "partners":  # the heatmap keeps the actors' names beside its rows
            assert drawn["plot"] >= 280, (key, drawn["plot"])
        ticks = [t for t in drawn["texts"] if "tick" in t["cls"]]  # the axes' labels
        assert len(ticks) >= 5, (key, drawn["texts"])
        assert not overlaps(ticks), (key, overlaps(ticks))
    save_screenshot(page, "reading-390-actors")
