"""The base of the list panes: a row-cursor `DataTable` that fits the screen width.

Both lists (cases, timeline) need the same things: vim-style movement, left/right to
change pane, one flexible column (the title) that takes the width the fixed columns
leave so nothing important is cut off at 80 columns, and a notice when the row under
the cursor changes, including after a reload (DataTable itself stays silent when the
cursor lands on the same index of freshly loaded rows).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

LIST_BINDINGS: list[BindingType] = [
    Binding("j", "cursor_down", "Down", show=False),
    Binding("k", "cursor_up", "Up", show=False),
    Binding("g", "scroll_top", "First", show=False),
    Binding("G", "scroll_bottom", "Last", show=False),
    Binding("left,h", "app.focus_previous", "Previous pane", show=False),
    Binding("right,l", "app.focus_next", "Next pane", show=False),
]

# (header, key, width); width None marks the one flexible column.
ColumnSpec = tuple[str, str, int | None]


class PaneTable(DataTable[Text]):
    """A DataTable with a flexible column and a `row_changed()` hook for subclasses."""

    BINDINGS: ClassVar[list[BindingType]] = LIST_BINDINGS
    COLUMNS: ClassVar[list[ColumnSpec]] = []
    MIN_FLEX = 12

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self._flex = 0

    def flex_width(self) -> int:
        """Width left for the flexible column once the fixed ones are laid out."""
        width = self.size.width or self.app.size.width
        fixed = sum(w + 2 * self.cell_padding for _, _, w in self.COLUMNS if w is not None)
        gutter = self.styles.scrollbar_size_vertical
        return max(self.MIN_FLEX, width - fixed - 2 * self.cell_padding - gutter)

    def reset_columns(self) -> int:
        """Clear rows and columns and add the columns at the current width."""
        self.clear(columns=True)
        self._flex = self.flex_width()
        for header, key, width in self.COLUMNS:
            justify = "right" if key in {"count", "sources"} else "left"
            self.add_column(Text(header, justify=justify), key=key, width=width or self._flex)
        return self._flex

    def on_resize(self, event: events.Resize) -> None:
        if self.columns and self.flex_width() != self._flex:
            self.load()

    def load(self) -> None:  # pragma: no cover - subclasses define it
        raise NotImplementedError

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table is self:
            self.row_changed()

    def row_changed(self) -> None:
        """Called when the row under the cursor may be a different item."""


def fit(text: Text, width: int) -> Text:
    """`text` cut to `width` cells with an ellipsis, so a long title never widens a column."""
    text = text.copy()
    text.truncate(width, overflow="ellipsis")
    return text
