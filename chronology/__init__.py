"""Chronology: load, validate, date, filter and draw a source-grounded events table."""
