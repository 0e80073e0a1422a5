"""Filling a DataTable so that showing the same rows again costs nothing.

A DataTable renders each cell through Rich once and keeps the lines; `clear()` throws them
away. A screen opened again (or a list read again) mostly shows what it showed, so `show_rows`
clears and adds only when the rows differ from those it added last.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from weakref import WeakKeyDictionary

from textual.widgets import DataTable

#: A row: its key, its cells and its height in lines.
Row = tuple[str, tuple[Any, ...], int]

_drawn: WeakKeyDictionary[DataTable[Any], list[Row]] = WeakKeyDictionary()


def show_rows(table: DataTable[Any], rows: Iterable[Row]) -> bool:
    """Make `table` show `rows`; False (and nothing done) when it already shows just them."""
    wanted = list(rows)
    if table.row_count == len(wanted) and _drawn.get(table) == wanted:
        return False
    _drawn[table] = wanted
    table.clear()
    for key, cells, height in wanted:
        table.add_row(*cells, key=key, height=height)
    return True


def rows_changed(table: DataTable[Any]) -> None:
    """The table was changed by other means (a cell updated): the next `show_rows` adds all."""
    _drawn.pop(table, None)
