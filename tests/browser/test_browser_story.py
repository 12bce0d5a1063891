"""Reading the timeline in a real browser: the first screen at 1440 px and on a phone (390 px),
and the step-through from the first event to the last, and back from a shared link.

Screenshots are saved under test-artifacts/screenshots/ (timeline-1440*, timeline-390*) for
a reviewer to look at.
"""

from __future__ import annotations

import re

import pytest
from browser_harness import (
    ARTIFACTS,
    StreamlitServer,
    filters,
    open_app,
    save_screenshot,
    slug,
    wait_ready,
)
from playwright.sync_api import Page, expect

import chronology

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}

CHART = """() => {
  const gd = document.querySelector('.st-key-timeline .js-plotly-plot');
  if (!gd || !gd._fullLayout) return null;
  const plot = gd.querySelector('.nsewdrag').getBoundingClientRect();
  const labels = [...gd.querySelectorAll('g.annotation')].map(a => {
    const r = (a.querySelector('.annotation-text-g') || a).getBoundingClientRect();
    return {text: a.textContent, left: r.left, top: r.top, right: r.right, bottom: r.bottom};
  }).filter(r => r.right - r.left > 0 && r.bottom - r.top > 0);
  const current = (gd._fullLayout.shapes || []).map(s => s.name || '')
    .filter(n => n.startsWith('current:')).map(n => n.slice(8));
  return {plot: {left: plot.left, width: plot.width, height: plot.height},
          figure: gd.getBoundingClientRect().width, range: gd._fullLayout.xaxis.range,
          labels, current};
}"""
"""JS: the plot area's box, the time range shown, the visible milestone labels' boxes and the
current event's band, as drawn."""


@pytest.fixture(scope="module")
def ds() -> chronology.DataSet:
    return chronology.load()


def _chart(page: Page, labels: int = 0) -> dict:
    """The chart as drawn, once it shows at least ``labels`` milestone labels."""
    page.wait_for_function(
        f"(n) => {{ const c = ({CHART})(); return c !== null && c.labels.length >= n; }}",
        arg=labels,
    )
    return page.evaluate(CHART)


def _overlaps(labels: list[dict]) -> list[tuple[str, str]]:
    """The pairs of label boxes that overlap."""
    out = []
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            if (
                a["left"] < b["right"]
                and b["left"] < a["right"]
                and a["top"] < b["bottom"]
                and b["top"] < a["bottom"]
            ):
                out.append((a["text"], b["text"]))
    return out


def _shot_chart(page: Page, name: str) -> None:
    """Save the chart alone as NAME-chart.png (the app scrolls inside its own pane)."""
    chart = page.locator(".st-key-timeline")
    # centred: scrolled to the top, Streamlit's fixed header would cover the labels
    chart.evaluate("e => e.scrollIntoView({block: 'center'})")
    path = ARTIFACTS / "screenshots" / f"{slug(name)}-chart.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    chart.screenshot(path=path)


def test_the_first_screen_at_1440_shows_where_the_events_are(
    page: Page, app: StreamlitServer, ds: chronology.DataSet
) -> None:
    page.set_viewport_size(DESKTOP)
    open_app(page, app.url)
    chart = _chart(page, labels=3)
    save_screenshot(page, "timeline-1440")
    lo, hi = chart["range"]
    # July 2023 to September 2024, padded by a month or so
    assert "2023-05-15" < lo[:10] < "2023-07-01" < "2024-09-16" < hi[:10] < "2024-11-01", (lo, hi)
    assert chart["plot"]["width"] >= 0.8 * chart["figure"]  # no legend beside it
    texts = {label["text"] for label in chart["labels"]}
    assert {"Coup Jul 2023", "Agreement ended Mar 2024", "Deadline 15 Sep 2024"} <= texts
    assert not _overlaps(chart["labels"])
    # the chart starts on the first screen, and the legend wraps under it
    box = page.locator(".st-key-timeline").bounding_box()
    assert box and box["y"] < DESKTOP["height"] * 0.6
    legend = page.locator(".chronology.legend")
    expect(legend).to_contain_text("Niger")
    expect(legend).to_contain_text("citation only")
    _shot_chart(page, "timeline-1440")
    # all of it, two clicks away: Chart view, then Time shown: all
    page.locator(".st-key-view_menu").get_by_role("button").first.click()
    page.get_by_test_id("stRadio").filter(has_text="Time shown").get_by_text("all").click()
    expect(page).to_have_url(re.compile(r"[?&]range=all(&|$)"))
    wait_ready(page)
    page.wait_for_function(
        f"() => {{ const c = ({CHART})(); return c && c.range[0].startsWith('2011'); }}"
    )
    everything = _chart(page, labels=4)  # 2012 too
    assert not _overlaps(everything["labels"])
    _shot_chart(page, "timeline-1440-all")


def test_on_a_phone_the_chart_keeps_its_width_and_labels_stay_apart(
    page: Page, app: StreamlitServer
) -> None:
    page.set_viewport_size(PHONE)
    open_app(page, app.url)
    chart = _chart(page, labels=3)
    save_screenshot(page, "timeline-390")
    assert chart["figure"] <= PHONE["width"]
    assert chart["plot"]["width"] >= 0.6 * chart["figure"], chart["plot"]  # was 64 px of 358
    assert not _overlaps(chart["labels"]), chart["labels"]
    # the headline figures are compact: two rows at most, not a screenful
    headline = page.locator(".st-key-headline").bounding_box()
    assert headline and headline["height"] < 160, headline
    _shot_chart(page, "timeline-390")


def test_on_a_phone_the_filters_open_from_the_sidebar_and_every_one_is_reachable(
    page: Page, app: StreamlitServer
) -> None:
    page.set_viewport_size(PHONE)
    open_app(page, app.url)
    page.get_by_test_id("stExpandSidebarButton").click()
    body = filters(page)
    box = body.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    for label in ("Actors", "Categories", "Statuses", "From", "To", "Search"):
        field = body.get_by_label(label, exact=True).first
        field.scroll_into_view_if_needed()
        expect(field).to_be_in_viewport()
    toggle = body.get_by_text("Include citation-only events")
    toggle.scroll_into_view_if_needed()
    expect(toggle).to_be_in_viewport()
    save_screenshot(page, "timeline-390-filters")
    toggle.click()
    expect(page).to_have_url(re.compile(r"[?&]citations=false(&|$)"))
    wait_ready(page)
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("stSidebar")).to_contain_text("citation-only events left out")


def test_step_from_the_first_event_to_the_last_and_open_a_shared_step(
    page: Page, app: StreamlitServer, ds: chronology.DataSet, new_page
) -> None:
    page.set_viewport_size(DESKTOP)
    open_app(page, app.url)
    ids = ds.events["id"].tolist()
    previous = page.get_by_role("button", name=re.compile(r"^Previous"))
    following = page.get_by_role("button", name=re.compile(r"^Next"))
    expect(previous).to_be_disabled()
    detail = page.locator(".st-key-event_detail")
    for i, eid in enumerate(ids):
        if i == 1:  # the keyboard works too: → is Next
            page.keyboard.press("ArrowRight")
        else:
            following.click()
        expect(page).to_have_url(re.compile(rf"[?&]event={re.escape(eid)}(&|$)"))
        wait_ready(page)
        expect(detail).to_contain_text(ds.event(eid).title)
        page.wait_for_function(
            f"(id) => {{ const c = ({CHART})(); return c && c.current[0] === id; }}", arg=eid
        )
        chart = page.evaluate(CHART)
        lo, hi = chart["range"]
        event = ds.events.iloc[i]
        assert (
            lo[:10] <= event["end"].strftime("%Y-%m-%d")
            and event["start"].strftime("%Y-%m-%d") <= hi[:10]
        ), (eid, chart["range"])  # the window follows the event
        assert not _overlaps(chart["labels"]), (eid, chart["labels"])
        if eid in ("bazoum-presidency", "us-personnel-reported-2013", "coup"):
            _chart(page, labels=1)  # drawn, labels and all
            save_screenshot(page, f"timeline-1440-step-{eid}")
            _shot_chart(page, f"timeline-1440-step-{eid}")
    expect(following).to_be_disabled()
    expect(previous).to_be_enabled()
    stepped = page.evaluate(CHART)["range"]
    # a shared link opens at that step: the same event, the same window
    other = new_page()
    other.set_viewport_size(PHONE)
    open_app(other, page.url)
    expect(other.locator(".st-key-event_detail")).to_contain_text(ds.event(ids[-1]).title)
    assert _chart(other)["range"] == stepped
    _shot_chart(other, "timeline-390-shared-step")
