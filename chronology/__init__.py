"""Chronology: load, validate, date, filter and draw a source-grounded events table.

Usage::

    import chronology
    ds = chronology.load("data")            # raises chronology.DataError listing every problem
    shown = chronology.filter_events(ds, chronology.Query(actors=("russia",)))
"""

from .data.dataset import CitationView, DataSet, DisputeView, EventDetail, ExcerptView
from .data.dates.partial import DateError, Interval, PartialDate, parse_partial
from .data.dates.phrases import Resolution, resolve_phrase
from .data.errors import DataError, Problem
from .data.load import DEFAULT_DATA_DIR, load
from .data.query.filters import Query, filter_events

__all__ = [
    "DEFAULT_DATA_DIR",
    "CitationView",
    "DataError",
    "DataSet",
    "DateError",
    "DisputeView",
    "EventDetail",
    "ExcerptView",
    "Interval",
    "PartialDate",
    "Problem",
    "Query",
    "Resolution",
    "filter_events",
    "load",
    "parse_partial",
    "resolve_phrase",
]
