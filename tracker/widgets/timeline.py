"""The timeline pane: the events of one case in time order.

Each row shows the date at its granularity (`dates.display`, with a red '!' when the
sources give conflicting dates), the title, tags, review status and how many sources
back the event. Rows are read in `load()` only, so paging
(a case may one day hold 100k events) can be added there without touching callers;
single-row changes go through `replace()` / `drop()` to avoid reloading everything.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.message import Message

from tracker import dates
from tracker.models import Event
from tracker.store import Store, StoreError
from tracker.widgets.safe_text import plain, show_error
from tracker.widgets.table import ColumnSpec, PaneTable, fit

STATUS_STYLES = {"suggested": "yellow", "confirmed": "green", "rejected": "red dim strike"}


class Timeline(PaneTable):
    """Events of the case set by `load(case_id)`; the cursor picks the shown event."""

    COLUMNS: ClassVar[list[ColumnSpec]] = [
        ("Date", "date", 11),
        ("Title", "title", None),
        ("Tags", "tags", 14),
        ("Status", "status", 9),
        ("Src", "sources", 3),
    ]

    class Moved(Message):
        """The event under the cursor changed (None when the timeline is empty)."""

        def __init__(self, event: Event | None) -> None:
            super().__init__()
            self.event = event

    def __init__(self, store: Store, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.store = store
        self.case_id: int | None = None
        self.case_title = ""
        self.events: list[Event] = []
        self.border_title = "Timeline"

    @property
    def current(self) -> Event | None:
        """The event under the cursor, if any."""
        if not 0 <= self.cursor_row < len(self.events):
            return None
        return self.events[self.cursor_row]

    def load(self, case_id: int | None = None, select: int | None = None, *, title: str | None = None) -> None:
        """Show the events of `case_id` (default: the case already shown).

        The cursor goes to event `select`, else stays on the current event when the
        case is unchanged, else goes to the first row.
        """
        same_case = case_id is None or case_id == self.case_id
        if select is None and same_case and self.current is not None:
            select = self.current.id
        if case_id is not None:
            self.case_id = case_id
        if title is not None:
            self.case_title = title
        events: list[Event] = []
        if self.case_id is not None:
            try:
                events = self.store.list_events(self.case_id)
            except StoreError as err:
                show_error(self, err)
        self.events = events
        self.reset_columns()
        for event in events:
            self.add_row(*self._cells(event), key=str(event.id))
        self._retitle()
        self.select(select)

    def clear_case(self) -> None:
        """Show nothing (there is no case)."""
        self.case_id = None
        self.case_title = ""
        self.load()

    def _retitle(self) -> None:
        if self.case_id is None:
            self.border_title = "Timeline"
            return
        count = len(self.events)
        self.border_title = Text.assemble(
            "Timeline: ", plain(self.case_title), f" ({count} event{'s' if count != 1 else ''})"
        )

    def _cells(self, event: Event) -> tuple[Text, Text, Text, Text, Text]:
        return (
            self._date_cell(event),
            fit(plain(event.title), self._flex),
            fit(plain(", ".join(event.tags), "cyan"), 14),
            Text(event.status, style=STATUS_STYLES.get(event.status, "")),
            Text(str(event.source_count) if event.source_count else "—", justify="right"),
        )

    @staticmethod
    def _date_cell(event: Event) -> Text:
        """The date at its granularity; '!' in red when sources disagree on it."""
        text = Text(dates.display(event.date, event.granularity), style="" if event.date else "dim italic", end="")
        if event.conflict:
            text.append("!", style="bold red")
        return text

    def select(self, event_id: int | None) -> None:
        """Put the cursor on `event_id` if listed (else keep the index) and announce it."""
        row = next((i for i, e in enumerate(self.events) if e.id == event_id), None)
        if row is None:
            row = min(self.cursor_row, len(self.events) - 1)
        if self.events:
            self.move_cursor(row=max(row, 0), animate=False)
        self.row_changed()

    def replace(self, event: Event) -> None:
        """Redraw one event's row in place (after a status or tag change)."""
        for index, old in enumerate(self.events):
            if old.id == event.id:
                self.events[index] = event
                for (_, key, _), cell in zip(self.COLUMNS, self._cells(event)):
                    self.update_cell(str(event.id), key, cell)
                break

    def drop(self, event_id: int) -> None:
        """Remove one event's row, leaving the cursor on the next one."""
        index = next((i for i, e in enumerate(self.events) if e.id == event_id), None)
        if index is None:
            return
        del self.events[index]
        self.remove_row(str(event_id))
        self._retitle()
        self.select(self.events[min(index, len(self.events) - 1)].id if self.events else None)

    def row_changed(self) -> None:
        self.post_message(self.Moved(self.current))
