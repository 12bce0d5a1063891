"""Untrusted text made safe to show: every escape the views use, in one place (no Streamlit here).

Every title, summary, quote, name and address in a data set is untrusted. Which to use where:

- :func:`esc_html`: text put in HTML, in element content or in a quoted attribute value
  (``st.html``, the exported HTML page, TimelineJS3 JSON text). Escapes <, >, & and both quotes.
- :func:`esc_plotly` (and :func:`esc_plotly_series`): text in a Plotly figure (hover text,
  names, tick labels, annotations). Plotly draws a subset of HTML there but shows ``&quot;``
  and ``&#x27;`` as typed, so only <, > and & are escaped: no tag or link can form.
- :func:`md_code`: text in Markdown (``st.caption``, ``st.error``, …), as a code span shown
  literally (no links, images, HTML, maths or icons); :func:`md_text` for text from outside
  that should read as prose (an error message naming a host), every Markdown character escaped.
- :func:`safe_url`: an address made a link only when it is an absolute http(s) URL (never a
  ``javascript:`` one); escape it with :func:`esc_html` too when it goes into HTML.

A TimelineJS sheet's cells follow that format's own rule
(:func:`chronology.formats.timelinejs.markup_text`: quotes kept as typed).
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import pandas as pd

__all__ = [
    "esc_html",
    "esc_plotly",
    "esc_plotly_series",
    "md_code",
    "md_text",
    "safe_url",
]


def esc_html(text: object) -> str:
    """Text as HTML: <, >, &, quotes escaped (safe in element content and attribute values)."""
    return html.escape("" if text is None else str(text), quote=True)


def esc_plotly(text: object) -> str:
    """Text for Plotly's HTML-like labels: <, > and & escaped, so no tag or link can form.

    Not quotes: Plotly decodes &lt; &gt; &amp; but shows &quot; and &#x27; as typed.
    """
    return html.escape("" if text is None else str(text), quote=False)


def esc_plotly_series(values: pd.Series) -> pd.Series:
    """:func:`esc_plotly`, vectorised over a column of strings."""
    text = values.fillna("").astype("str")
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        text = text.str.replace(char, entity, regex=False)
    return text


def md_code(text: object) -> str:
    """Text as a Markdown code span: shown literally (no links, images, HTML, maths, icons)."""
    value = " ".join(("" if text is None else str(text)).split()) or " "
    longest = run = 0
    for char in value:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    return f"{fence} {value} {fence}"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~$])")


def md_text(text: str) -> str:
    """Text from outside (an error message naming a host) shown as text, not Markdown."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def safe_url(address: object) -> str | None:
    """The address when it is an absolute http(s) URL, else None (never a javascript: link)."""
    text = ("" if address is None else str(address)).strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if (
        parts.scheme.lower() in ("http", "https")
        and parts.netloc
        and not any(c.isspace() or ord(c) < 32 for c in text)
    ):
        return text
    return None
