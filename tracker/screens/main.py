"""The main screen: cases, the timeline of the selected case, the excerpts of the event.

It owns the review actions (add, edit, tag, confirm, reject, delete, search) because
they need all three panes: each action writes through the Store, shows a StoreError as
a notification instead of crashing, then refreshes only what changed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen

from tracker.models import Event
from tracker.screens.confirm import ConfirmModal
from tracker.screens.event_form import EventDraft, EventForm
from tracker.screens.search import SearchScreen
from tracker.screens.tags import TagForm
from tracker.store import Store, StoreError
from tracker.widgets.case_header import CaseHeader
from tracker.widgets.case_list import CaseList
from tracker.widgets.case_strip import CaseStrip
from tracker.widgets.excerpts import ExcerptsPane
from tracker.widgets.key_footer import KeyFooter
from tracker.widgets.safe_text import plain, say, show_error
from tracker.widgets.table import PaneTable
from tracker.widgets.timeline import Timeline


class MainScreen(Screen[None]):
    """Three panes and the keys that act on the selected event."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add"),
        Binding("e", "edit", "Edit"),
        Binding("t", "tags", "Tags"),
        Binding("c", "confirm", "Confirm"),
        Binding("x", "reject", "Reject"),
        Binding("d", "delete", "Delete"),
        Binding("slash", "search", "Search", key_display="/"),
        Binding("r", "reload", "Reload", show=False),
    ]

    def __init__(self, store: Store, today: Callable[[], date]) -> None:
        super().__init__()
        self.store = store
        self.today = today

    def compose(self) -> ComposeResult:
        yield CaseList(self.store, id="cases")
        yield CaseHeader(self.store, id="case-header")
        yield CaseStrip(self.store, id="case-strip")
        yield Timeline(self.store, id="timeline")
        yield ExcerptsPane(self.store, id="excerpts")
        yield KeyFooter()

    @property
    def cases(self) -> CaseList:
        return self.query_one(CaseList)

    @property
    def timeline(self) -> Timeline:
        return self.query_one(Timeline)

    @property
    def excerpts(self) -> ExcerptsPane:
        return self.query_one(ExcerptsPane)

    def on_mount(self) -> None:
        self.reload()
        self.cases.focus()

    def on_resize(self) -> None:
        # Side by side when there is room; stacked (full width for each pane) at 80x24.
        self.set_class(self.size.width >= 140, "-wide")
        # Short terminals give the rows to the timeline (see tracker.tcss, -short/-tiny).
        self.set_class(self.size.height < 30, "-short")
        self.set_class(self.size.height < 22, "-tiny")

    # -- keeping the panes in step ----------------------------------------------------

    def reload(self) -> None:
        """Re-read everything from the store (after an import, say), keeping the selection."""
        self.cases.load()
        case = self.cases.current
        if case is None:
            self.timeline.clear_case()
        else:
            self.timeline.load(case.id, title=case.title)
        self.query_one(CaseHeader).show(case.id if case else None)
        self.excerpts.show(self.timeline.current, force=True)
        self.query_one(CaseStrip).show(self.timeline.case_id, self.timeline.current, force=True)

    def on_case_list_moved(self, message: CaseList.Moved) -> None:
        case = message.case
        self.query_one(CaseHeader).show(case.id if case else None)
        if case is None:
            if self.timeline.case_id is not None:
                self.timeline.clear_case()
        elif case.id != self.timeline.case_id:
            self.timeline.load(case.id, title=case.title)

    def on_timeline_moved(self, message: Timeline.Moved) -> None:
        self.excerpts.show(message.event)
        self.query_one(CaseStrip).show(self.timeline.case_id, message.event)

    def on_pane_table_selected(self, message: PaneTable.Selected) -> None:
        """Enter walks right: from a case into its timeline, from an event to its excerpts."""
        if message.table is self.cases:
            self.timeline.focus()
        elif message.table is self.timeline:
            self.excerpts.focus()

    def jump_to(self, case_id: int, event_id: int | None) -> None:
        """Show `case_id` with the cursor on `event_id` (a search result)."""
        self.cases.load(select=case_id)
        case = self.cases.current
        if case is None or case.id != case_id:
            self.notify("that case no longer exists", severity="warning")
            return
        self.timeline.load(case_id, select=event_id, title=case.title)
        self.timeline.focus()
        if event_id is not None and (self.timeline.current is None or self.timeline.current.id != event_id):
            self.notify("that event no longer exists", severity="warning")

    def _changed(self, event: Event, *, reorder: bool) -> None:
        """Show a changed event: redraw its row, or reload when its position may move."""
        if reorder:
            self.timeline.load(select=event.id)
        else:
            self.timeline.replace(event)
        self.cases.load()
        self.excerpts.show(event, force=True)
        self.query_one(CaseStrip).show(self.timeline.case_id, event, force=True)

    def _selected_case(self) -> int | None:
        case = self.cases.current
        if case is None or self.timeline.case_id != case.id:
            self.notify("no case selected", severity="warning")
            return None
        return case.id

    def _selected_event(self) -> Event | None:
        event = self.timeline.current
        if event is None:
            self.notify("no event selected", severity="warning")
        return event

    # -- actions ------------------------------------------------------------------------

    def action_reload(self) -> None:
        self.reload()

    def action_add(self) -> None:
        case_id = self._selected_case()
        if case_id is None:
            return

        def save(draft: EventDraft) -> Event:
            return self.store.add_event(case_id, draft.value, draft.granularity, draft.date_text, draft.title)

        def done(event: Event | None) -> None:
            if event is not None:
                self._changed(event, reorder=True)
                say(self, f"Added: {event.title}")

        self.app.push_screen(EventForm(heading="New event", base=self.today(), save=save), done)

    def action_edit(self) -> None:
        current = self._selected_event()
        if current is None:
            return

        def save(draft: EventDraft) -> Event:
            return self.store.update_event(
                current.id, value=draft.value, granularity=draft.granularity,
                date_text=draft.date_text, title=draft.title,
            )

        def done(event: Event | None) -> None:
            if event is not None:
                self._changed(event, reorder=True)

        form = EventForm(heading="Edit event", base=self.today(), save=save, event=current)
        self.app.push_screen(form, done)

    def action_tags(self) -> None:
        current = self._selected_event()
        if current is None:
            return

        def save(add: list[str], remove: list[str]) -> Event:
            event = current
            if remove:
                event = self.store.remove_tags(current.id, remove)
            if add:
                event = self.store.add_tags(current.id, add)
            return event

        def done(event: Event | None) -> None:
            if event is not None:
                self._changed(event, reorder=False)

        try:
            known = self.store.list_tags()
        except StoreError as err:
            show_error(self, err)
            return
        self.app.push_screen(TagForm(current, known=known, save=save), done)

    def _set_status(self, status: str) -> None:
        current = self._selected_event()
        if current is None:
            return
        try:
            # set_status does not check the event exists (it may have been deleted by
            # another process); get_event does, with a StoreError fit to show.
            self.store.get_event(current.id)
            self.store.set_status(current.id, status)
            event = self.store.get_event(current.id)
        except StoreError as err:
            show_error(self, err)
            return
        self._changed(event, reorder=False)

    def action_confirm(self) -> None:
        self._set_status("confirmed")

    def action_reject(self) -> None:
        self._set_status("rejected")

    def action_delete(self) -> None:
        current = self._selected_event()
        if current is None:
            return

        def done(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.store.delete_event(current.id)
            except StoreError as err:
                show_error(self, err)
                return
            self.timeline.drop(current.id)
            self.cases.load()
            self.query_one(CaseStrip).show(self.timeline.case_id, self.timeline.current, force=True)

        question = Text.assemble("Delete event ", plain(current.title, "bold"), "?")
        self.app.push_screen(ConfirmModal(question, yes="Delete"), done)

    def action_search(self) -> None:
        def done(target: tuple[int, int | None] | None) -> None:
            if target is not None:
                self.jump_to(*target)

        self.app.push_screen(SearchScreen(self.store), done)
