"""The base of the list panes: a virtual, row-cursor table paged from the store.

Both lists (cases, timeline) may be long (5,000 cases; a case with 100k events), so
nothing here holds a whole list. The table knows how many rows there are (a kept count)
and holds a window of at most KEEP rows around what is on screen; rows outside it are
fetched a page at a time, by keyset from the window's edge when the cursor walks
(`fetch_after` / `fetch_before`) and by position when it jumps (`fetch`). Only the
visible lines are rendered (Textual's line API), and a cursor move that does not
scroll repaints two lines: the row it leaves and the row it lands on.

Subclasses say what a row is: `count()`, `fetch(offset, limit)`, `fetch_after(item,
limit)`, `fetch_before(item, limit)`, `position(key)`, `key(item)` and `cells(item)`.
Besides that the table keeps what the old DataTable-based panes offered: vim-style
movement, left/right to change pane, one flexible column (the title) that takes the
width the fixed columns leave so nothing important is cut off at 80 columns, enter
posts `Selected`, and a `row_changed()` hook whenever the row under the cursor may be
a different item, including after a reload.
"""

from __future__ import annotations

from typing import ClassVar, Generic, TypeVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

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

T = TypeVar("T")


class LineView(ScrollView):
    """A view that draws its own lines (the lists, the excerpts), whose scrollbars are
    redrawn only when something they show changed.

    Textual's layout hands a line-drawn view the size of its viewport as its virtual
    size; the view keeps its own (every row of a list), so at every layout of the
    screen the two differ and Textual updates and redraws the view's scrollbars. A
    cursor move whose excerpts take a different number of lines lays the screen out,
    and both lists then repainted their scrollbar columns, unchanged: a frame and 432
    bytes more at 80x24. Here the scrollbars are updated when the view's size, its
    container or its own virtual size changed since they last were."""

    _shown_for: tuple[object, ...] | None = None

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, *args: object,
                      **kwargs: object) -> bool:
        now = (size, container_size, self.virtual_size)
        if now == self._shown_for:
            return False
        self._shown_for = now
        return super()._size_updated(size, virtual_size, container_size, *args, **kwargs)  # type: ignore[arg-type]


class PaneTable(LineView, Generic[T], can_focus=True):
    """A virtual table over a store-backed list, with a row cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *LIST_BINDINGS,
        Binding("down", "cursor_down", "Down", show=False),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("home,ctrl+home", "scroll_top", "First", show=False),
        Binding("end,ctrl+end", "scroll_bottom", "Last", show=False),
        Binding("enter", "select_cursor", "Select", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"pane-table--header", "pane-table--cursor"}
    DEFAULT_CSS = """
    PaneTable {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        & > .pane-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        & > .pane-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .pane-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """
    COLUMNS: ClassVar[list[ColumnSpec]] = []
    RIGHT: ClassVar[frozenset[str]] = frozenset({"count", "sources"})
    MIN_FLEX = 12
    CELL_PADDING = 1
    PAGE = 100
    """Rows fetched at a time."""
    KEEP = 400
    """Rows held at most (the window around the screen)."""

    class Selected(Message):
        """Enter (or a click on the cursor row) on a row of `table`."""

        def __init__(self, table: PaneTable, item: object) -> None:
            super().__init__()
            self.table = table
            self.item = item

        @property
        def control(self) -> PaneTable:
            return self.table

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._total = 0
        self._start = 0
        self._rows: list[T] = []
        self._cursor = 0
        self._strips: dict[tuple, Strip] = {}
        self.fetched = 0
        """Rows read from the store since the table was made (tests watch it)."""

    # -- what subclasses define -------------------------------------------------------

    def count(self) -> int:  # pragma: no cover - subclasses define it
        raise NotImplementedError

    def fetch(self, offset: int, limit: int) -> list[T]:  # pragma: no cover
        raise NotImplementedError

    def fetch_after(self, item: T, limit: int) -> list[T]:  # pragma: no cover
        raise NotImplementedError

    def fetch_before(self, item: T, limit: int) -> list[T]:  # pragma: no cover
        raise NotImplementedError

    def position(self, key: int) -> int | None:  # pragma: no cover
        raise NotImplementedError

    def key(self, item: T) -> int:  # pragma: no cover
        raise NotImplementedError

    def cells(self, item: T) -> tuple[Text, ...]:  # pragma: no cover
        raise NotImplementedError

    def row_changed(self) -> None:
        """Called when the row under the cursor may be a different item."""

    # -- the window of rows held ----------------------------------------------------------

    @property
    def row_count(self) -> int:
        """How many rows the list has (not how many are held)."""
        return self._total

    @property
    def cursor_row(self) -> int:
        return self._cursor

    @property
    def window(self) -> list[T]:
        """The rows held now: a window of at most KEEP rows around the screen, in order."""
        return list(self._rows)

    @property
    def window_start(self) -> int:
        return self._start

    def reset(self, total: int, *, top: bool = False) -> None:
        """Forget every held row; the list now has `total` rows. `top` puts the cursor
        and the view back at the first row (another list), without announcing it."""
        self._total = max(0, total)
        self._start, self._rows = 0, []
        self._strips.clear()
        self._cursor = 0 if top else min(self._cursor, max(0, self._total - 1))
        self.virtual_size = Size(self._content_width(), self._total + 1)
        if top:
            self.scroll_to(y=0, animate=False)
        self.refresh()

    def _took(self, rows: list[T]) -> list[T]:
        self.fetched += len(rows)
        return rows

    def ensure(self, lo: int, hi: int) -> None:
        """Hold rows lo..hi (inclusive, clipped to the list), fetching what is missing."""
        lo, hi = max(0, lo), min(hi, self._total - 1)
        if hi < lo:
            return
        end = self._start + len(self._rows)  # one past the last held row
        if self._rows and self._start <= lo and hi < end:
            return
        if self._rows and lo >= self._start and lo <= end + self.PAGE and hi >= end:
            more = self._took(self.fetch_after(self._rows[-1], max(self.PAGE, hi - end + 1)))
            self._rows.extend(more)
            if len(more) < hi - end + 1:  # the list changed under us: read by position
                self._jump(lo, hi)
        elif self._rows and hi < end and hi >= self._start - self.PAGE and lo < self._start:
            more = self._took(self.fetch_before(self._rows[0], max(self.PAGE, self._start - lo)))
            self._rows[:0] = more
            self._start -= len(more)
            if self._start > lo or self._start < 0:
                self._jump(lo, hi)
        else:
            self._jump(lo, hi)
        self._trim(lo, hi)

    def _jump(self, lo: int, hi: int) -> None:
        margin = self.PAGE // 4
        start = max(0, lo - margin)
        self._rows = self._took(self.fetch(start, max(self.PAGE, hi - start + 1 + margin)))
        self._start = start

    def _trim(self, lo: int, hi: int) -> None:
        """Drop held rows far from lo..hi so that at most KEEP are held."""
        if len(self._rows) <= self.KEEP:
            return
        spare = max(0, self.KEEP - (hi - lo + 1))
        first = max(self._start, lo - spare // 2)
        first = min(first, self._start + len(self._rows) - self.KEEP)
        cut = first - self._start
        self._rows = self._rows[cut:cut + self.KEEP]
        self._start = first

    def item_at(self, index: int) -> T | None:
        """The item at row `index`, fetched if not held; None past the end."""
        if not 0 <= index < self._total:
            return None
        if not self._start <= index < self._start + len(self._rows):
            self.ensure(index, index + self.visible_rows())
        offset = index - self._start
        return self._rows[offset] if 0 <= offset < len(self._rows) else None

    def get_row_at(self, index: int) -> list[Text]:
        """The cells of row `index` as shown (before cutting to width)."""
        item = self.item_at(index)
        if item is None:
            raise IndexError(f"no row {index}")
        return list(self.cells(item))

    def get_row(self, key: str | int) -> list[Text]:
        """The cells of the held row whose item has id `key`."""
        for item in self._rows:
            if str(self.key(item)) == str(key):
                return list(self.cells(item))
        raise KeyError(key)

    def put(self, item: T) -> bool:
        """Show a changed item in place if it is held (same id); True if it was."""
        for offset, old in enumerate(self._rows):
            if self.key(old) == self.key(item):
                self._rows[offset] = item
                self._strips.clear()
                self.refresh_line(self._start + offset + 1)
                return True
        return False

    # -- cursor -------------------------------------------------------------------------

    def visible_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def move_cursor(self, *, row: int, animate: bool = False, quiet: bool = False) -> None:
        """Put the cursor on `row` (clipped), scrolling only if it would leave the screen;
        `row_changed()` follows when the row changed, unless `quiet`."""
        del animate  # never animated: a slow link would carry every step
        row = max(0, min(row, self._total - 1)) if self._total else 0
        old = self._cursor
        self._cursor = row
        top, height = round(self.scroll_y), self.visible_rows()
        if row < top:
            top = row
        elif row >= top + height:
            top = row - height + 1
        self.ensure(top, top + height - 1)
        if top != round(self.scroll_y):
            self.scroll_to(y=top, animate=False)
            self.refresh()
        elif old != row:
            self.refresh_line(old + 1)
            self.refresh_line(row + 1)
        if old != row and not quiet:
            self.row_changed()

    def action_cursor_down(self) -> None:
        self.move_cursor(row=self._cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(row=self._cursor - 1)

    def action_page_down(self) -> None:
        self.move_cursor(row=self._cursor + self.visible_rows())

    def action_page_up(self) -> None:
        self.move_cursor(row=self._cursor - self.visible_rows())

    def action_scroll_top(self) -> None:
        self.move_cursor(row=0)

    def action_scroll_bottom(self) -> None:
        self.move_cursor(row=self._total - 1)

    def action_select_cursor(self) -> None:
        item = self.item_at(self._cursor)
        if item is not None:
            self.post_message(self.Selected(self, item))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        row = round(self.scroll_y) + offset.y - 1
        if row >= self._total:
            return
        if row == self._cursor:
            self.action_select_cursor()
        else:
            self.move_cursor(row=row)

    def on_focus(self) -> None:
        self._strips.clear()
        self.refresh_line(self._cursor + 1)

    def on_blur(self) -> None:
        self._strips.clear()
        self.refresh_line(self._cursor + 1)

    def on_resize(self, event: events.Resize) -> None:
        self._strips.clear()
        self.virtual_size = Size(self._content_width(), self._total + 1)
        self.move_cursor(row=self._cursor)

    # -- rendering ----------------------------------------------------------------------

    def _content_width(self) -> int:
        return max(1, (self.size.width or self.app.size.width) - self.styles.scrollbar_size_vertical)

    def flex_width(self) -> int:
        """Width left for the flexible column once the fixed ones are laid out."""
        fixed = sum(w + 2 * self.CELL_PADDING for _, _, w in self.COLUMNS if w is not None)
        return max(self.MIN_FLEX, self._content_width() - fixed - 2 * self.CELL_PADDING)

    def _widths(self) -> list[int]:
        flex = self.flex_width()
        return [w if w is not None else flex for _, _, w in self.COLUMNS]

    def _line(self, cells: tuple[Text, ...] | list[Text], style: Style) -> Strip:
        """One row: each cell cut to its column (ellipsis), padded, justified."""
        pad = " " * self.CELL_PADDING
        line = Text(no_wrap=True, end="")
        for (_, key, _), width, cell in zip(self.COLUMNS, self._widths(), cells):
            cell = cell.copy()
            cell.truncate(width, overflow="ellipsis")
            gap = " " * (width - cell.cell_len)
            line.append(pad)
            if key in self.RIGHT:
                line.append(gap)
                line.append_text(cell)
            else:
                line.append_text(cell)
                line.append(gap)
            line.append(pad)
        segments = list(line.render(self.app.console))
        width = self.scrollable_content_region.width or self._content_width()
        strip = Strip(segments).adjust_cell_length(width)
        return strip.apply_style(self.rich_style).apply_style(style) if style else strip.apply_style(self.rich_style)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width or self._content_width()
        if y == 0:
            key = ("header", width)
            if key not in self._strips:
                header = self.get_component_rich_style("pane-table--header")
                self._strips[key] = self._line([Text(h) for h, _, _ in self.COLUMNS], header)
            return self._strips[key]
        index = round(self.scroll_y) + y - 1
        item = self.item_at(index)
        if item is None:
            return Strip.blank(width, self.rich_style)
        cursor = index == self._cursor
        key = (index, self.key(item), cursor, self.has_focus, width)
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) > 4 * self.KEEP:
                self._strips.clear()
            style = self.get_component_rich_style("pane-table--cursor") if cursor else Style()
            strip = self._line(self.cells(item), style)
            if cursor:
                # The cursor's colours win over the cells' own (as DataTable's did).
                strip = Strip(Segment.apply_style(strip, post_style=style), strip.cell_length)
            self._strips[key] = strip
        return strip

    def render_lines(self, crop):  # type: ignore[no-untyped-def]
        top = round(self.scroll_y)
        self.ensure(top, top + self.visible_rows() - 1)
        return super().render_lines(crop)


def fit(text: Text, width: int) -> Text:
    """`text` cut to `width` cells with an ellipsis, so a long title never widens a column."""
    text = text.copy()
    text.truncate(width, overflow="ellipsis")
    return text
