"""A DataTable whose columns all have a set width."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.geometry import Size
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey


class FixedWidthTable(DataTable[Text]):
    """Rows of one line in columns of set widths: new rows need no measuring.

    DataTable measures every cell of every new row to size its auto-width
    columns, even when there are none: two seconds of a 5,000-asset briefing's
    start, with nothing to show for it. Here, when no column sizes itself and
    every new row is one line high, only the scroll size is updated.
    Overrides a private DataTable method: Textual is pinned below 8.3 and the
    tests open a 5,000-row table.
    """

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        new_rows = list(new_rows)
        if any(column.auto_width for column in self.columns.values()) or any(
            (row := self.rows.get(key)) is not None and (row.auto_height or row.label is not None) for key in new_rows
        ):
            super()._update_dimensions(new_rows)
            return
        width = sum(column.get_render_width(self) for column in self.columns.values())
        header_height = self.header_height if self.show_header else 0
        self.virtual_size = Size(width + self._row_label_column_width, self._total_row_height + header_height)
