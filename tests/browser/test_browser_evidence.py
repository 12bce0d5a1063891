"""Evidence per field in a real browser (issue 21): the timeline marks a disputed date with a
visible '?', and the details of a disputed event say "Disputed" with both values.

Screenshots: test-artifacts/screenshots/disputed-{1440,390}.png (the chart) and
disputed-details-{1440,390}.png (the details' backing, field by field).
"""

from __future__ import annotations

import pytest
from browser_harness import StreamlitServer, open_app, save_screenshot
from playwright.sync_api import Page, expect

DISPUTED = """() => {
  const gd = document.querySelector('.st-key-timeline .js-plotly-plot');
  if (!gd || !gd.data) return null;
  const trace = gd.data.find(t => t.meta && t.meta.role === 'disputed');
  const plot = gd.querySelector('.main-svg').getBoundingClientRect();
  const marks = Array.from(gd.querySelectorAll('.cartesianlayer .textpoint text'))
    .filter(t => t.textContent === '?')
    .map(t => { const r = t.getBoundingClientRect();
                const s = getComputedStyle(t);
                return {w: r.width, h: r.height, x: r.left, y: r.top, fill: s.fill,
                        inside: r.left >= plot.left - 1 && r.right <= plot.right + 1 &&
                                r.top >= plot.top && r.bottom <= plot.bottom}; });
  return {events: trace ? trace.meta.events : [], marks};
}"""


@pytest.mark.parametrize(("width", "height"), [(1440, 1000), (390, 844)])
def test_a_disputed_date_is_marked_on_the_timeline(
    page: Page, app: StreamlitServer, width: int, height: int
) -> None:
    page.set_viewport_size({"width": width, "height": height})
    open_app(page, f"{app.url}/?event=us-surveillance-hub&window=all")
    page.wait_for_function(f"() => {{ const r = ({DISPUTED})(); return r && r.marks.length; }}")
    found = page.evaluate(DISPUTED)
    assert {"us-presence-begins", "us-surveillance-hub"} <= set(found["events"])
    visible = [m for m in found["marks"] if m["w"] > 3 and m["h"] > 5 and m["inside"]]
    assert visible, found["marks"]
    assert all(m["fill"] == "rgb(213, 94, 0)" for m in visible)  # the key's colour
    detail = page.locator(".event-detail")
    expect(detail.locator(".badge.disputed").first).to_be_visible()
    expect(detail.locator('li[data-field="date"]')).to_contain_text("2012")
    expect(page.locator('.legend [data-mark="disputed"]')).to_contain_text("another date")
    save_screenshot(page, f"disputed-{width}")
    detail.locator("ul.backing").scroll_into_view_if_needed()
    save_screenshot(page, f"disputed-details-{width}")
