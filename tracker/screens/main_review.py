"""The main screen's corrections: two or more events joined into one (J), an empty
case removed (D), and whether c and x step to the next row (S, or the palette).

`ReviewActions` is mixed into `MainScreen`, like `CaseActions`; it uses the screen's
panes, its `write()` path (screens/writes.py) and `changed()`/`reload()` to show what a write did.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text

from tracker.models import Change
from tracker.store import Store
from tracker.widgets.safe_text import plain, say

if TYPE_CHECKING:
    from tracker.widgets.case_list import CaseList
    from tracker.widgets.excerpts import ExcerptsPane
    from tracker.widgets.timeline import Timeline


class ReviewActions:
    """J, D and S on the main screen."""

    store: Store
    step_after_review: bool = True

    if TYPE_CHECKING:  # provided by MainScreen and Screen
        cases: CaseList
        timeline: Timeline
        excerpts: ExcerptsPane
        app: Any

        def notify(self, message: str, *, severity: str = ...) -> None: ...
        def reload(self, select_case: int | None = None) -> None: ...
        def read(self, do: Callable[[], Any]) -> Any: ...
        def write(self, do: Callable[[], Any], then: Callable[[Any], None] | None = None) -> None: ...
        def changed(self, change: Change | None) -> None: ...
        def _selected_event(self) -> Any: ...

    def action_toggle_step(self) -> None:
        """c and x step to the next row after acting (as space does), or stay."""
        self.step_after_review = not self.step_after_review
        say(self, "c and x step to the next event" if self.step_after_review else "c and x stay on the event")

    def step_down(self) -> None:
        """After c or x on one event: on to the next, unless a status filter already
        took the event out of the list (the next one is under the cursor then)."""
        if self.step_after_review and self.timeline.status_filter is None:
            self.timeline.action_cursor_down()

    def action_undated_filter(self) -> None:
        """Show only the events with no date (the ones to date by hand); again: all."""
        if self.timeline.case_id is None:
            self.notify("no case selected", severity="warning")
            return
        undated = self.timeline.status_filter != "undated"
        if self.read(lambda: self.timeline.set_filter(status="undated" if undated else None,
                                                       tag=self.timeline.tag_filter) or True) is None:
            return
        self.excerpts.show(self.timeline.current, force=True)
        say(self, "Showing undated events (U again: all)" if undated else "Showing all events")

    def action_join_events(self) -> None:
        """Join the marked events into the one under the cursor: their passages, tags
        and notes united, one event left (asks first; u undoes)."""
        current = self._selected_event()
        if current is None:
            return
        others = sorted(self.timeline.marked - {current.id})
        if not others:
            self.notify("mark the events to join (space), then J on the one to keep", severity="warning")
            return
        count = len(others)
        question = Text.assemble(f"Join {count} marked event{'s' if count != 1 else ''} into ",
                                 plain(current.title, "bold"), "? Their passages, tags and notes move to it; u undoes.")

        def joined(change: Change) -> None:
            self.timeline.clear_marks()
            self.changed(change)
            say(self, f"Joined {count} event{'s' if count != 1 else ''} into {current.title} · u undoes")

        def done(yes: bool | None) -> None:
            if yes:
                self.write(lambda: self.store.merge_events(current.id, others), joined)

        from tracker.screens.confirm import ConfirmModal

        self.app.push_screen(ConfirmModal(question, yes="Join"), done)

    def action_delete_case(self) -> None:
        """Remove the selected case when it holds no event and no source (u undoes)."""
        case = self.cases.current
        if case is None:
            self.notify("no case selected", severity="warning")
            return
        if case.suggested + case.confirmed + case.rejected or case.source_count:
            self.notify(f"{case.title} is not empty: move or delete its events and sources first",
                        severity="warning", markup=False)
            return

        def deleted(_: Change) -> None:
            self.reload()
            say(self, f"Deleted case {case.title} · u undoes")

        def done(yes: bool | None) -> None:
            if yes:
                self.write(lambda: self.store.delete_case(case.id), deleted)

        from tracker.screens.confirm import ConfirmModal

        self.app.push_screen(ConfirmModal(Text.assemble("Delete the empty case ", plain(case.title, "bold"), "?"),
                                          yes="Delete"), done)
