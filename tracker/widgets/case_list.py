"""The cases pane: every case with its event count and latest event date.

A newsroom database holds thousands of cases, so the list is paged from the store in
title order (`Store.cases_page` / `cases_after` / `cases_before`, on the index
cases(title COLLATE NOCASE, id)) and only a window around the screen is held (see
`PaneTable`). The counts and latest dates come from the kept case_stats, so drawing a
row never counts events.

Each row also shows the review state of the case ("3 sugg · 5 conf", kept per status in
case_stats by db.m007_review) and the span of its dates (first–last dated event). In a
narrow pane (the case list docked left in a wide terminal) the counts are abbreviated
("3s 5c", standing for the event count too) and only the latest date is shown, so the
title keeps its room.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.message import Message

from tracker import dates
from tracker.models import Case, Change, RowSource, StoreError
from tracker.widgets.safe_text import plain, read_or_say
from tracker.widgets.table import ColumnSpec, PaneTable, fit


def compact(count: int) -> str:
    """A count in at most four characters: 950, 9999, 12k, 1.2M (the review column fits
    three of them even for a case of 100,000 events)."""
    if count < 10_000:
        return str(count)
    if count < 1_000_000:
        return f"{count // 1000}k"
    return f"{count / 1_000_000:.1f}M"


class CaseList(PaneTable[Case]):
    """Cases by title; the highlighted row is the case whose timeline is shown."""

    FULL: ClassVar[list[ColumnSpec]] = [
        ("Case", "title", None), ("Events", "count", 6), ("Review", "review", 16), ("Span", "span", 21),
    ]
    NARROW: ClassVar[list[ColumnSpec]] = [("Case", "title", None), ("Review", "review", 9), ("Latest", "latest", 10)]
    FULL_FROM = 76
    """Content width from which the full columns fit beside a useful title."""

    @property  # type: ignore[override]
    def COLUMNS(self) -> list[ColumnSpec]:  # noqa: N802 - the name PaneTable reads
        """Chosen from the width at every use: a terminal's first resize can arrive
        before the pane has its size, and columns chosen then stayed wrong."""
        return self.FULL if self._content_width() >= self.FULL_FROM else self.NARROW

    class Moved(Message):
        """The case under the cursor changed (None when there are no cases)."""

        def __init__(self, case: Case | None) -> None:
            super().__init__()
            self.case = case

    def __init__(self, store: RowSource, *, id: str | None = None) -> None:
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
        return read_or_say(self, lambda: self.store.case_position(key))

    def _safely(self, read: Callable[[], list[Case]]) -> list[Case]:
        return read_or_say(self, read) or []

    def key(self, item: Case) -> int:
        return item.id

    @property
    def narrow(self) -> bool:
        return self.COLUMNS is self.NARROW

    @staticmethod
    def review_text(case: Case, *, short: bool = False) -> Text:
        """Events per status: "3 sugg · 5 conf · 1 rej" (short: "3s 5c 1r"); zeros left out."""
        parts = [(case.suggested, "sugg", "s", "yellow"), (case.confirmed, "conf", "c", "green"),
                 (case.rejected, "rej", "r", "red")]
        text = Text(no_wrap=True, end="")
        for count, word, letter, style in parts:
            if not count:
                continue
            if text:
                text.append(" " if short else " · ", style="dim")
            shown = compact(count)
            text.append(f"{shown}{letter}" if short else f"{shown} {word}", style=style)
        return text if text else Text("—", style="dim")

    @staticmethod
    def span_text(case: Case) -> Text:
        """First–last dated event (one date when they are the same), at their granularity."""
        if not case.latest_date:
            return Text("—", style="dim")
        last = dates.display(case.latest_date)
        first = dates.display(case.first_date) if case.first_date else last
        return Text(last if first == last else f"{first}–{last}", style="dim")

    def cells(self, case: Case) -> tuple[Text, ...]:
        closed = case.state == "closed"
        if closed:
            # Closed cases keep their place in the title order (paging stays on the
            # index) and are told apart by a mark and dim text, which NO_COLOR keeps.
            title = fit(Text.assemble(plain(case.title), (" (closed)", "italic"), style="dim", end=""),
                        self.flex_width())
        else:
            title = fit(plain(case.title), self.flex_width())
        count_style = "dim" if closed else ""
        if self.narrow:  # the short review counts stand for the event count
            latest = Text(dates.display(case.latest_date) if case.latest_date else "—", style="dim")
            return (title, self.review_text(case, short=True), latest)
        # every event, rejected ones too: the count the timeline's title gives
        total = case.suggested + case.confirmed + case.rejected
        return (title, Text(f"{total}", justify="right", style=count_style), self.review_text(case),
                self.span_text(case))

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
        total = read_or_say(self, self.count)
        if total is None:
            return
        self.reset(total)
        self.border_title = f"Cases ({total:,})"
        self.select(select)

    def apply(self, change: Change) -> None:
        """Re-read the rows of the cases a write touched, when they are held."""
        held = {case.id for case in self.window}
        for case_id in change.cases:
            if case_id not in held:
                continue
            try:
                self.put(self.store.get_case(case_id))
            except StoreError:  # gone meanwhile: the list is re-read
                self.load()
                return

    def select(self, case_id: int | None) -> None:
        """Put the cursor on `case_id` if listed (else the first row) and announce it."""
        row = self.position(case_id) if case_id is not None else None
        if self.row_count:
            self.move_cursor(row=row or 0, quiet=True)
        self.row_changed()

    def row_changed(self) -> None:
        self.post_message(self.Moved(self.current))
