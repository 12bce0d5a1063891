"""Dates: partial ISO dates and dating phrases, one value at a time and a column at a time.

``partial`` (2012, 2023-07, 2024-03-16 and their intervals) and ``phrases`` ("last month" read
against a publication date) are the rules, one value at a time; ``columns`` reads many values at
once and is tested to agree with them; ``excerpts`` resolves every excerpt's phrase against its
source's publication window.
"""
