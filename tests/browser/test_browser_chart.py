"""The Timeline chart's range slider in a real browser: it zooms the marks it no longer draws.

The marks sit on a hidden x axis that follows the visible one (``timeline_layout.MARKS_AXIS``),
so the slider does not draw them a second time; dragging its handle must still move both.
"""

from __future__ import annotations

from browser_harness import StreamlitServer, open_app, save_screenshot
from playwright.sync_api import Page

RANGES = """() => {
  const gd = document.querySelector('.st-key-timeline .js-plotly-plot');
  const L = gd._fullLayout;
  const ms = (r) => r.map(d => Date.parse(String(d).replace(' ', 'T')));
  return {shown: ms(L.xaxis.range), marks: ms(L.xaxis2.range),
          slider: gd.querySelectorAll('.rangeslider-rangeplot .point').length,
          drawn: gd.querySelectorAll('.cartesianlayer .point').length};
}"""


def test_the_slider_zooms_the_marks_without_drawing_them(page: Page, app: StreamlitServer) -> None:
    open_app(page, app.url)
    page.wait_for_function(  # the chart drawn, its slider too
        "() => { const gd = document.querySelector('.st-key-timeline .js-plotly-plot');"
        " return gd && gd._fullLayout && gd.querySelector('.rangeslider-grabber-min'); }"
    )
    before = page.evaluate(RANGES)
    assert before["shown"] == before["marks"]
    assert before["drawn"] > 0 and before["slider"] == 0  # the marks once, not in the slider

    handle = page.locator(".st-key-timeline .rangeslider-grabber-min").first
    handle.scroll_into_view_if_needed()
    box = handle.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 120, y, steps=6)
    page.mouse.up()
    page.wait_for_function(
        f"(before) => {{ const r = ({RANGES})(); return r.shown[0] !== before; }}",
        arg=before["shown"][0],
    )
    after = page.evaluate(RANGES)
    assert after["shown"][0] > before["shown"][0]  # narrowed from the left
    assert after["marks"] == after["shown"]  # and the marks followed
    save_screenshot(page, "timeline-slider-dragged")


FIT = """() => {
  const gd = document.querySelector('.st-key-timeline .js-plotly-plot');
  const box = (s) => gd.querySelector(s).getBoundingClientRect();
  const ticks = Array.from(gd.querySelectorAll('.xtick text'));
  return {svg: box('.main-svg').bottom, slider: [box('.rangeslider-bg').top,
          box('.rangeslider-bg').bottom], ticks: Math.max(...ticks.map(t =>
          t.getBoundingClientRect().bottom)), lines: Math.max(...ticks.map(t =>
          t.querySelectorAll('tspan.line').length || 1))};
}"""


def test_the_ticks_and_slider_fit_the_margin_we_set(page: Page, app: StreamlitServer) -> None:
    """Plotly no longer grows the margins (that drew the chart twice): ours must hold the date
    ticks, two lines of them when zoomed to days, and the range slider under them."""
    open_app(page, app.url)
    page.wait_for_function(
        "() => { const gd = document.querySelector('.st-key-timeline .js-plotly-plot');"
        " return gd && gd._fullLayout && gd.querySelector('.rangeslider-grabber-min'); }"
    )
    fit = page.evaluate(FIT)
    assert fit["ticks"] <= fit["slider"][0] < fit["slider"][1] <= fit["svg"]
    low = page.locator(".st-key-timeline .rangeslider-grabber-min").first
    high = page.locator(".st-key-timeline .rangeslider-grabber-max").first
    low.scroll_into_view_if_needed()
    a, b = low.bounding_box(), high.bounding_box()
    assert a is not None and b is not None
    y = a["y"] + a["height"] / 2
    page.mouse.move(a["x"] + a["width"] / 2, y)
    page.mouse.down()
    page.mouse.move(b["x"] - 4, y, steps=8)  # weeks of 13 years: ticks on two lines
    page.mouse.up()
    page.wait_for_function(f"() => ({FIT})().lines >= 2")
    fit = page.evaluate(FIT)
    assert fit["ticks"] <= fit["slider"][0] < fit["slider"][1] <= fit["svg"]
    save_screenshot(page, "timeline-slider-days")


LANES_THEME = """() => {
  const gd = document.querySelector('.st-key-timeline .js-plotly-plot');
  const pick = (a) => ({tick: a.tickfont.color, standoff: (a.title || {}).standoff});
  return {lanes: pick(gd._fullLayout.yaxis2), themed: pick(gd.layout.template.layout.yaxis),
          labels: gd.querySelectorAll('.y2tick text').length};
}"""


def test_the_lanes_axis_has_streamlits_theme_without_its_standoff(
    page: Page, app: StreamlitServer
) -> None:
    """The lanes' axis has its own template entry (``timeline_layout.LANES_THEME``): the same
    colours Streamlit's front end gives every y axis (its theme, merged into the template's
    ``yaxis``, with the theme's colours in place of the placeholders), but no title standoff,
    with which Plotly measured every lane's label in the page on every draw. By actor: a row per
    event (the default since issue 19) names its events beside the marks, not on this axis."""
    open_app(page, f"{app.url}/?lanes=actor")
    page.wait_for_function(
        "() => { const gd = document.querySelector('.st-key-timeline .js-plotly-plot');"
        " return gd && gd._fullLayout && gd._fullLayout.yaxis2; }"
    )
    got = page.evaluate(LANES_THEME)
    assert got["themed"]["standoff"] is not None  # Streamlit's theme for every y axis
    assert got["lanes"]["standoff"] is None
    # the labels' colour, the only one this axis shows (no ticks, grid or zero line)
    assert got["lanes"]["tick"] == got["themed"]["tick"]
    assert got["labels"] > 0
