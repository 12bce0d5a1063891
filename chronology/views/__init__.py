"""The views room: what a selection of events looks like — figures, summaries, rendered text,
exports.

Pure functions of a :class:`~chronology.data.dataset.DataSet` and a selection of its events; the
pages (through :mod:`chronology.ui`) show what they return. The Timeline chart: ``figures``
(single marks), ``density`` (counts) and the layout they share, ``timeline_layout``. Untrusted
text is escaped for HTML, Plotly and Markdown by ``escape`` only.
"""
