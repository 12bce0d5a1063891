"""Picking events from a loaded data set: filters, the prepared selection, the actor tree."""
