"""The cases pane: every case with its event count and latest event date.

All data loading happens in `load()`, the one place to add paging if there are ever
many cases.
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


class CaseList(PaneTable):
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
        self.cases: list[Case] = []
        self.border_title = "Cases"

    @property
    def current(self) -> Case | None:
        """The case under the cursor, if any."""
        if not 0 <= self.cursor_row < len(self.cases):
            return None
        return self.cases[self.cursor_row]

    def load(self, select: int | None = None) -> None:
        """(Re)read all cases, keeping the cursor on case `select` (or the current one)."""
        if select is None and self.current is not None:
            select = self.current.id
        try:
            cases = self.store.list_cases()
        except StoreError as err:
            show_error(self, err)
            return
        self.cases = cases
        width = self.reset_columns()
        for case in cases:
            self.add_row(
                fit(plain(case.title), width),
                Text(str(case.event_count), justify="right"),
                Text(dates.display(case.latest_date) if case.latest_date else "—", style="dim"),
                key=str(case.id),
            )
        self.border_title = f"Cases ({len(cases)})"
        self.select(select)

    def select(self, case_id: int | None) -> None:
        """Put the cursor on `case_id` if listed (else the first row) and announce it."""
        row = next((i for i, c in enumerate(self.cases) if c.id == case_id), 0)
        if self.cases:
            self.move_cursor(row=row, animate=False)
        self.row_changed()

    def row_changed(self) -> None:
        self.post_message(self.Moved(self.current))
