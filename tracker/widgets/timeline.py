"""The timeline pane: the events of one case in time order.

Each row shows the date at its granularity (`dates.display`, with a red '!' when the
sources give conflicting dates), the title, tags, review status and how many sources
back the event. A case may hold 100k events, so rows are paged from the store
(`Store.events_page` / `events_after` / `events_before`, on the index that orders the
timeline) and only a window around the screen is held (see `PaneTable`); the row count
in the title is the kept count of the case. Single-row changes go through `replace()`;
`drop()` and `load()` re-read the count and the rows on screen only.

Review: a status and/or tag filter pages from the store the same way
(`Store.filtered_*`), marked rows (space) carry a `*` before the title so a bulk action's
targets are visible without colour, and each tag is drawn in a colour of the theme chosen
from its name, the same on every row and every run.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.color import Color as TextualColor
from textual.message import Message

from tracker import dates
from tracker.models import Change, Event, RowSource
from tracker.widgets.safe_text import plain, read_or_say
from tracker.widgets.table import ColumnSpec, PaneTable, fit

STATUS_STYLES = {"suggested": "yellow", "confirmed": "green", "rejected": "red dim strike"}
# Theme variables tags are coloured from: each is readable on the theme's background and
# maps to a distinct ANSI colour in a 16-colour terminal (error red is left to rejected).
TAG_PALETTE = ("text-primary", "text-secondary", "text-accent", "text-warning", "text-success")
FILTERS: tuple[str | None, ...] = (None, "suggested", "confirmed", "rejected")
MARK = "* "


def _rich_colour(value: str) -> str:
    """A theme colour as Rich reads it: the ANSI themes (16-colour terminals) give names
    like "ansi_cyan" that only Textual knows; Rich would refuse them when drawing."""
    try:
        return TextualColor.parse(value).rich_color.name
    except Exception:  # a colour Textual cannot read either: plain cyan still marks a tag
        return "cyan"


def tag_colour_name(name: str) -> str:
    """The palette variable of a tag: a stable hash of the name (not Python's hash(),
    which changes every run)."""
    return TAG_PALETTE[zlib.crc32(name.encode("utf-8")) % len(TAG_PALETTE)]


class Timeline(PaneTable[Event]):
    """Events of the case set by `load(case_id)`; the cursor picks the shown event."""

    WIDE: ClassVar[list[ColumnSpec]] = [
        ("Date", "date", 11),
        ("Title", "title", None),
        ("Tags", "tags", 14),
        ("Status", "status", 9),
        ("Src", "sources", 3),
    ]
    # Under 76 columns (60x20) the title keeps room: tags narrower, status abbreviated.
    NARROW: ClassVar[list[ColumnSpec]] = [
        ("Date", "date", 11),
        ("Title", "title", None),
        ("Tags", "tags", 8),
        ("St.", "status", 4),
        ("Src", "sources", 3),
    ]
    WIDE_FROM = 76

    @property  # type: ignore[override]
    def COLUMNS(self) -> list[ColumnSpec]:  # noqa: N802 - the name PaneTable reads
        return self.WIDE if self._content_width() >= self.WIDE_FROM else self.NARROW

    class Moved(Message):
        """The event under the cursor changed (None when the timeline is empty)."""

        def __init__(self, event: Event | None) -> None:
            super().__init__()
            self.event = event

    def __init__(self, store: RowSource, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.store = store
        self.case_id: int | None = None
        self.case_title = ""
        self.border_title = "Timeline"
        self.status_filter: str | None = None
        self.tag_filter: str | None = None
        self.marked: set[int] = set()

    @property
    def filtered(self) -> bool:
        return self.status_filter is not None or self.tag_filter is not None

    # -- rows from the store ----------------------------------------------------------

    def count(self) -> int:
        if self.case_id is None:
            return 0
        if self.filtered:
            return self.store.filtered_total(self.case_id, self.status_filter, self.tag_filter)
        return self.store.case_event_total(self.case_id)

    def fetch(self, offset: int, limit: int) -> list[Event]:
        if self.filtered:
            return self._safely(lambda case_id: self.store.filtered_page(
                case_id, offset, limit, self.status_filter, self.tag_filter, total=self.row_count))
        return self._safely(lambda case_id: self.store.events_page(case_id, offset, limit))

    def fetch_after(self, item: Event, limit: int) -> list[Event]:
        if self.filtered:
            return self._safely(lambda case_id: self.store.filtered_after(
                case_id, item.id, limit, self.status_filter, self.tag_filter))
        return self._safely(lambda case_id: self.store.events_after(case_id, item.id, limit))

    def fetch_before(self, item: Event, limit: int) -> list[Event]:
        if self.filtered:
            return self._safely(lambda case_id: self.store.filtered_before(
                case_id, item.id, limit, self.status_filter, self.tag_filter))
        return self._safely(lambda case_id: self.store.events_before(case_id, item.id, limit))

    def position(self, key: int) -> int | None:
        if self.case_id is None:
            return None
        case_id = self.case_id
        if self.filtered:
            return read_or_say(self, lambda: self.store.filtered_position(case_id, key, self.status_filter,
                                                                          self.tag_filter))
        return read_or_say(self, lambda: self.store.event_position(case_id, key))

    def _safely(self, read: Callable[[int], list[Event]]) -> list[Event]:
        case_id = self.case_id
        if case_id is None:
            return []
        return read_or_say(self, lambda: read(case_id)) or []

    def key(self, item: Event) -> int:
        return item.id

    # -- the pane ---------------------------------------------------------------------

    @property
    def events(self) -> list[Event]:
        """The events held now: all of a small case, a window around the screen of a big one."""
        return self.window

    @property
    def current(self) -> Event | None:
        """The event under the cursor, if any."""
        return self.item_at(self.cursor_row)

    def load(self, case_id: int | None = None, select: int | None = None, *, title: str | None = None) -> None:
        """Show the events of `case_id` (default: the case already shown).

        The cursor goes to event `select`, else stays on the current event when the
        case is unchanged, else goes to the first row.
        """
        same_case = case_id is None or case_id == self.case_id
        if not same_case:
            self.marked.clear()  # marks belong to one case's review
        if select is None and same_case:
            current = self._held_current()
            select = current.id if current is not None else None
        if case_id is not None:
            self.case_id = case_id
        if title is not None:
            self.case_title = title
        total = read_or_say(self, self.count) or 0
        self.reset(total, top=not same_case)
        self._retitle()
        self.select(select)

    def _held_current(self) -> Event | None:
        """The event under the cursor if it is held (no fetch: the rows may be stale)."""
        offset = self.cursor_row - self.window_start
        rows = self._rows
        return rows[offset] if 0 <= offset < len(rows) else None

    def clear_case(self) -> None:
        """Show nothing (there is no case)."""
        self.case_id = None
        self.case_title = ""
        self.load()

    def _retitle(self) -> None:
        if self.case_id is None:
            self.border_title = "Timeline"
            return
        count = self.row_count
        title = Text.assemble(
            "Timeline: ", plain(self.case_title), f" ({count:,} event{'s' if count != 1 else ''})"
        )
        if self.filtered:
            title.append(" · only ")
            if self.status_filter is not None:
                title.append(self.status_filter, style="bold")
            if self.tag_filter is not None:
                if self.status_filter is not None:
                    title.append(" + ")
                title.append_text(plain(f"#{self.tag_filter}", "bold"))
        if self.marked:
            title.append(f" · {len(self.marked)} marked", style="bold")
        self.border_title = title

    def tag_styles(self) -> dict[str, str]:
        """Palette variable name to its colour in the current theme."""
        try:
            variables = self.app.theme_variables
        except Exception:  # no app yet (a unit test): fall back to plain cyan
            variables = {}
        return {name: _rich_colour(variables.get(name, "cyan")) for name in TAG_PALETTE}

    def tags_cell(self, tags: tuple[str, ...], width: int = 14) -> Text:
        """Tag names, each in its colour; literal text whatever the names contain."""
        styles = self.tag_styles()
        text = Text(no_wrap=True, end="")
        for index, name in enumerate(tags):
            if index:
                text.append(", ")
            text.append_text(plain(name, styles[tag_colour_name(name)]))
        return fit(text, width)

    def cells(self, event: Event) -> tuple[Text, Text, Text, Text, Text]:
        wide = self.COLUMNS is self.WIDE
        title = plain(event.title)
        if event.id in self.marked:
            title = Text.assemble(Text(MARK, style="bold reverse"), title)
        return (
            self._date_cell(event),
            fit(title, self.flex_width()),
            self.tags_cell(event.tags, 14 if wide else 8),
            Text(event.status if wide else event.status[:4], style=STATUS_STYLES.get(event.status, "")),
            Text(str(event.source_count) if event.source_count else "—", justify="right"),
        )

    # -- review: marks and filters ------------------------------------------------------

    def toggle_mark(self, event_id: int) -> bool:
        """Mark or unmark one event; True if it is now marked."""
        if event_id in self.marked:
            self.marked.discard(event_id)
        else:
            self.marked.add(event_id)
        self._strips.clear()
        self.refresh()
        self._retitle()
        return event_id in self.marked

    def clear_marks(self) -> None:
        self.marked.clear()
        self._strips.clear()
        self.refresh()
        self._retitle()

    def set_filter(self, *, status: str | None = None, tag: str | None = None) -> None:
        """Show only events with this status and/or tag (None: any), paged from SQL."""
        self.status_filter, self.tag_filter = status, tag
        self.load(select=None)

    def cycle_status(self) -> str | None:
        """all → suggested → confirmed → rejected → all (from undated: all); returns the new filter."""
        current = self.status_filter if self.status_filter in FILTERS else FILTERS[-1]
        following = FILTERS[(FILTERS.index(current) + 1) % len(FILTERS)]
        self.set_filter(status=following, tag=self.tag_filter)
        return following

    @staticmethod
    def _date_cell(event: Event) -> Text:
        """The date at its granularity; '!' in red when sources disagree on it."""
        text = Text(dates.display(event.date, event.granularity), style="" if event.date else "dim italic", end="")
        if event.conflict:
            text.append("!", style="bold red")
        return text

    def select(self, event_id: int | None) -> None:
        """Put the cursor on `event_id` if listed (else keep the index) and announce it."""
        row = self.position(event_id) if event_id is not None else None
        if row is None:
            row = min(self.cursor_row, self.row_count - 1)
        if self.row_count:
            self.move_cursor(row=max(row, 0), quiet=True)
        self.row_changed()

    def replace(self, event: Event) -> None:
        """Redraw one event's row in place (after a status or tag change)."""
        self.put(event)

    def apply(self, change: Change) -> None:
        """Show a write: rows dropped or replaced in place, or the window re-read when
        the order (or a filter's membership) may have changed."""
        if self.case_id is None:
            return
        if change.reorder or (self.filtered and change.events):
            shown = [e.id for e in change.events if e.case_id == self.case_id]
            self.load(select=shown[0] if shown and change.reorder else None)
            return
        for event_id in change.removed:
            self.drop(event_id)
        for event in change.events:
            if event.case_id == self.case_id:
                self.replace(event)

    def drop(self, event_id: int) -> None:
        """Remove one event's row (deleted, or moved to another case), leaving the cursor
        on the next one; a mark on it goes too, or a bulk action would reach it there."""
        self.marked.discard(event_id)
        self.reset(self.count() if self.case_id is not None else 0)
        self._retitle()
        self.select(None)

    def row_changed(self) -> None:
        self.post_message(self.Moved(self.current))
