"""The data room: the schema, reading and checking the tables, dates, and the loaded data set.

``load`` reads a directory (or files held in memory) into a :class:`~.dataset.DataSet`, or raises
a :class:`~.errors.DataError` naming each problem's file, row, column and fix; ``filters`` and
``selection`` pick events from it. Nothing here draws or imports streamlit.
"""
