"""Checks: each field against the schema, then what the tables mean together.

``fields`` checks a table's columns a column at a time (required values, enums, patterns, keys,
references); ``meaning`` checks real dates, the actor tree, citations and what each event rests
on; ``backing`` which excerpt or citation backs each of an event's fields; ``sources`` the
sources, their stored texts and the excerpts; ``results`` is what the checks work out on the
way and hand on to build the data set.
"""
