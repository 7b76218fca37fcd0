"""The cases pane: every case with its event count and latest event date.

A newsroom database holds thousands of cases, so the list is paged from the store in
title order (`Store.cases_page` / `cases_after` / `cases_before`, on the index
cases(title COLLATE NOCASE, id)) and only a window around the screen is held (see
`PaneTable`). The counts and latest dates come from the kept case_stats, so drawing a
row never counts events.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.message import Message

from tracker import dates
from tracker.models import Case
from tracker.store import Store, StoreError
from tracker.widgets.safe_text import plain, show_error
from tracker.widgets.table import ColumnSpec, PaneTable, fit


class CaseList(PaneTable[Case]):
    """Cases by title; the highlighted row is the case whose timeline is shown."""

    COLUMNS: ClassVar[list[ColumnSpec]] = [("Case", "title", None), ("Events", "count", 6), ("Latest", "latest", 10)]

    class Moved(Message):
        """The case under the cursor changed (None when there are no cases)."""

        def __init__(self, case: Case | None) -> None:
            super().__init__()
            self.case = case

    def __init__(self, store: Store, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.store = store
        self.border_title = "Cases"

    # -- rows from the store ----------------------------------------------------------

    def count(self) -> int:
        return self.store.case_total()

    def fetch(self, offset: int, limit: int) -> list[Case]:
        return self._safely(lambda: self.store.cases_page(offset, limit))

    def fetch_after(self, item: Case, limit: int) -> list[Case]:
        return self._safely(lambda: self.store.cases_after(item.id, limit))

    def fetch_before(self, item: Case, limit: int) -> list[Case]:
        return self._safely(lambda: self.store.cases_before(item.id, limit))

    def position(self, key: int) -> int | None:
        try:
            return self.store.case_position(key)
        except StoreError as err:
            show_error(self, err)
            return None

    def _safely(self, read) -> list[Case]:  # type: ignore[no-untyped-def]
        try:
            return read()
        except StoreError as err:
            show_error(self, err)
            return []

    def key(self, item: Case) -> int:
        return item.id

    def cells(self, case: Case) -> tuple[Text, Text, Text]:
        if case.state == "closed":
            # Closed cases keep their place in the title order (paging stays on the
            # index) and are told apart by a mark and dim text, which NO_COLOR keeps.
            title = Text.assemble(plain(case.title), (" (closed)", "italic"), style="dim", end="")
            return (
                fit(title, self.flex_width()),
                Text(f"{case.event_count}", justify="right", style="dim"),
                Text(dates.display(case.latest_date) if case.latest_date else "—", style="dim"),
            )
        return (
            fit(plain(case.title), self.flex_width()),
            Text(f"{case.event_count}", justify="right"),
            Text(dates.display(case.latest_date) if case.latest_date else "—", style="dim"),
        )

    # -- the pane ---------------------------------------------------------------------

    @property
    def cases(self) -> list[Case]:
        """The cases held now: all of them when few, a window around the screen when many."""
        return self.window

    @property
    def current(self) -> Case | None:
        """The case under the cursor, if any."""
        return self.item_at(self.cursor_row)

    def load(self, select: int | None = None) -> None:
        """(Re)read the cases, keeping the cursor on case `select` (or the current one)."""
        if select is None:
            offset = self.cursor_row - self.window_start
            held = self._rows
            if 0 <= offset < len(held):
                select = held[offset].id
        try:
            total = self.count()
        except StoreError as err:
            show_error(self, err)
            return
        self.reset(total)
        self.border_title = f"Cases ({total:,})"
        self.select(select)

    def select(self, case_id: int | None) -> None:
        """Put the cursor on `case_id` if listed (else the first row) and announce it."""
        row = self.position(case_id) if case_id is not None else None
        if self.row_count:
            self.move_cursor(row=row or 0, quiet=True)
        self.row_changed()

    def row_changed(self) -> None:
        self.post_message(self.Moved(self.current))
