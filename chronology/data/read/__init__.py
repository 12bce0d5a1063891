"""Bytes → tables: where a package's files come from, parsing one CSV, the Table, reading them all.

``files`` (a directory on disk, or files in memory) → ``csvfile`` (one CSV into stripped strings)
→ ``table`` (the checked table and its column helpers) → ``read_tables`` (every table of a
package, its header and rows, then the schema's structure through ``validate.fields``).
"""
