"""The main screen: cases, the timeline of the selected case, the excerpts of the event.

It owns the review actions (add, edit, tag, confirm, reject, delete, search) because
they need all three panes. Every write takes one path: `write()` hands it to the app's
queue (screens/writes.py), which never blocks the UI thread and says a StoreError in one
line instead of crashing; the `Change` the write returns is posted as one
`StoreChanged`, and `on_store_changed` hands it to each pane, which applies what
concerns it (a row replaced or dropped, one case row re-read, the strip redrawn).

Review: space marks events in the timeline; c, x and t then act on every marked event at
once (one undoable batch), escape clears the marks; s cycles the status filter and T
picks a tag filter, both paged from SQL by the timeline. The case actions (n, R, C, m,
M) and the import (i) are in main_cases.py.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, ClassVar, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen

from tracker.messages import StoreChanged
from tracker.models import Change, Event, Excerpt
from tracker.screens.main_cases import CaseActions
from tracker.screens.main_review import ReviewActions
from tracker.screens.writes import writes_of
from tracker.store import Store
from tracker.widgets.case_header import CaseHeader
from tracker.widgets.case_list import CaseList
from tracker.widgets.case_strip import CaseStrip
from tracker.widgets.excerpts import ExcerptsPane
from tracker.widgets.key_footer import KeyFooter
from tracker.widgets.safe_text import plain, read_or_say, say
from tracker.widgets.table import PaneTable
from tracker.widgets.timeline import Timeline

if TYPE_CHECKING:
    from tracker.screens.event_form import EventDraft, EventForm

T = TypeVar("T")


class MainScreen(CaseActions, ReviewActions, Screen[None]):
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
        Binding("space", "mark", "Mark", show=False),
        Binding("escape", "clear_marks", "Clear marks / hide import", show=False),
        Binding("s", "status_filter", "Filter status", show=False),
        Binding("T", "tag_filter", "Filter tag", show=False),
        Binding("o", "open_source", "Read source", show=False),
        Binding("i", "import", "Import", show=False),
        Binding("n", "new_case", "New case", show=False),
        Binding("R", "rename_case", "Rename case", show=False),
        Binding("C", "close_case", "Close/reopen case", show=False),
        Binding("m", "move_event", "Move event", show=False),
        Binding("M", "merge_case", "Merge case", show=False),
        Binding("J", "join_events", "Join marked events", show=False),
        Binding("D", "delete_case", "Delete empty case", show=False),
        Binding("S", "toggle_step", "Step after c/x on/off", show=False),
        Binding("U", "undated_filter", "Only undated events", show=False),
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
        # The import strip is mounted by the first import (`CaseActions.action_import`).
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
        strip = self.query_one(CaseStrip)
        strip.held = True  # the first frame does not wait for the strip's counts
        self.reload()
        self.cases.focus()
        self.call_after_refresh(lambda: strip.release(self.timeline.case_id, self.timeline.current))

    def on_resize(self) -> None:
        # Side by side when there is room; stacked (full width for each pane) at 80x24.
        self.set_class(self.size.width >= 120, "-wide")
        # Short terminals give the rows to the timeline (see tracker.tcss, -short/-tiny).
        self.set_class(self.size.height < 30, "-short")
        self.set_class(self.size.height < 22, "-tiny")

    # -- keeping the panes in step ----------------------------------------------------

    def reload(self, select_case: int | None = None) -> None:
        """Re-read everything from the store (after an import, another process's write,
        a case renamed or merged), with the cursor on `select_case` or where it was."""
        self.cases.load(select=select_case)
        case = self.cases.current
        if case is None:
            self.timeline.clear_case()
        else:
            self.timeline.load(case.id, title=case.title)
        self.query_one(CaseHeader).show(case.id if case else None)
        self.excerpts.show(self.timeline.current, force=True)
        self.query_one(CaseStrip).show(self.timeline.case_id, self.timeline.current, force=True)

    def read(self, do: Callable[[], T]) -> T | None:
        """The error path for the reads an action makes first: a StoreError is said in
        one line, never raised; None then."""
        return read_or_say(self, do)

    def write(self, do: Callable[[], T], then: Callable[[T], None] | None = None) -> None:
        """The one path for writes (screens/writes.py): `do()` now, or once another
        process has finished writing, in the order asked, never blocking the UI thread;
        then `then(result)`, or the StoreError said in one line."""
        writes_of(self.app).run(do, then)

    def changed(self, change: Change | None) -> None:
        """Tell the panes what a write changed."""
        if change is not None:
            self.post_message(StoreChanged(change))

    def facts_changed(self, case_id: int) -> None:
        """A case's facts were set: its row and, when it is shown, the header."""
        self.changed(Change(cases=(case_id,)))
        if self.timeline.case_id == case_id:
            self.query_one(CaseHeader).show(case_id)

    def on_store_changed(self, message: StoreChanged) -> None:
        change = message.change
        self.timeline.apply(change)
        self.cases.apply(change)
        current = self.timeline.current
        self.excerpts.apply(change, current)
        self.query_one(CaseStrip).apply(change, self.timeline.case_id, current)

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

    def _marked_or_current(self) -> list[int]:
        """The marked events of the shown case, else the event under the cursor."""
        if self.timeline.marked:
            return sorted(self.timeline.marked)
        current = self._selected_event()
        return [current.id] if current is not None else []

    def _after_bulk(self, what: str, change: Change) -> None:
        """Clear the marks, show the change and say what happened."""
        self.timeline.clear_marks()
        self.changed(change)
        skipped = change.asked - len(change.events)
        extra = f" ({skipped} unchanged or gone)" if skipped else ""
        count = len(change.events)
        say(self, f"{what} {count} event{'s' if count != 1 else ''}{extra} · u undoes")

    # -- actions ------------------------------------------------------------------------

    def action_reload(self) -> None:
        self.reload()

    def _editor(self, heading: str, case_id: int, current: Event | None, *, editing: bool) -> EventForm | None:
        """The editor with its bases (today, the sources of `current`), the passages of
        `current` when editing, the case's other passages and the known tags."""
        from tracker.screens.event_form import EventForm, source_bases

        store = self.store
        found = self.read(lambda: (store.event_excerpts(current.id) if current is not None else [],
                                   store.case_excerpts(case_id), store.list_tags()))
        if found is None:
            return None
        around, candidates, known = found

        def save(draft: EventDraft) -> Event:
            return store.save_event(
                case_id, current.id if editing and current is not None else None,
                value=draft.value, granularity=draft.granularity, date_text=draft.date_text, title=draft.title,
                note=draft.note, tags=draft.tags, excerpt_ids=draft.excerpt_ids, kind=draft.kind,
            )

        return EventForm(
            heading=heading, base=self.today(), save=save, event=current if editing else None,
            sources=source_bases(around), linked=around if editing else [], candidates=candidates,
            known_tags=known,
        )

    def _saved(self, event: Event | None, message: str | None = None) -> None:
        """An event the editor added or changed: its position may have moved."""
        if event is not None:
            self.changed(Change(events=(event,), cases=(event.case_id,), reorder=True))
            if message:
                say(self, message)

    def action_add(self) -> None:
        case_id = self._selected_case()
        if case_id is None:
            return
        form = self._editor("New event", case_id, self.timeline.current, editing=False)
        if form is not None:
            self.app.push_screen(form, lambda event: self._saved(event, event and f"Added: {event.title}"))

    def action_edit(self) -> None:
        current = self._selected_event()
        if current is None:
            return
        form = self._editor("Edit event", current.case_id, current, editing=True)
        if form is not None:
            self.app.push_screen(form, self._saved)

    def action_tags(self) -> None:
        ids = self._marked_or_current()
        if not ids:
            return
        held = [e for e in self.timeline.events if e.id in ids]
        targets = held if len(held) == len(ids) else self.read(lambda: [self.store.get_event(i) for i in ids])
        known = self.read(self.store.list_tags)
        if targets is None or known is None:
            return
        bulk = bool(self.timeline.marked)

        def save(add: list[str], remove: list[str]) -> Change:
            if not bulk:
                self.store.get_event(ids[0])
            return self.store.tag(ids, add, remove)

        def done(change: Change | None) -> None:
            if change is not None:
                self._after_bulk("Tagged", change) if bulk else self.changed(change)

        from tracker.screens.tags import TagForm

        self.app.push_screen(TagForm(targets if bulk else targets[0], known=known, save=save), done)

    def _set_status(self, status: str) -> None:
        bulk = bool(self.timeline.marked)
        ids = self._marked_or_current()
        if not ids:
            return
        # A single event must exist (another process may have deleted it): set_status
        # says so; marked events gone meanwhile are skipped.

        def then(change: Change) -> None:
            if bulk:
                self._after_bulk("Confirmed" if status == "confirmed" else "Rejected", change)
            else:
                self.changed(change)
                current = self.timeline.current
                if current is not None and current.id == ids[0]:  # not when it landed after a move
                    self.step_down()

        self.write(lambda: self.store.mark(ids, status) if bulk else self.store.set_status(ids[0], status), then)

    def action_confirm(self) -> None:
        self._set_status("confirmed")

    def action_reject(self) -> None:
        self._set_status("rejected")

    def action_delete(self) -> None:
        current = self._selected_event()
        if current is None:
            return

        def done(yes: bool | None) -> None:
            if yes:
                self.write(lambda: self.store.delete_event(current.id), self.changed)

        from tracker.screens.confirm import ConfirmModal

        question = Text.assemble("Delete event ", plain(current.title, "bold"), "?")
        self.app.push_screen(ConfirmModal(question, yes="Delete"), done)

    def action_search(self) -> None:
        from tracker.screens.search import SearchScreen

        def done(target: tuple[int, int | None] | None) -> None:
            if target is not None:
                self.jump_to(*target)

        self.app.push_screen(SearchScreen(self.store, today=self.today), done)

    # -- review: marks and filters -------------------------------------------------------

    def action_mark(self) -> None:
        """Mark or unmark the event under the cursor and step to the next one."""
        current = self._selected_event()
        if current is None:
            return
        self.timeline.toggle_mark(current.id)
        self.timeline.action_cursor_down()

    def action_clear_marks(self) -> None:
        """Escape: clear the marks if there are any, else hide a finished import's summary."""
        if self.timeline.marked:
            self.timeline.clear_marks()
            say(self, "Marks cleared")
        else:
            self.action_hide_import()

    def action_status_filter(self) -> None:
        """Cycle the timeline through all → suggested → confirmed → rejected."""
        if self.timeline.case_id is None:
            self.notify("no case selected", severity="warning")
            return
        cycled = self.read(lambda: (self.timeline.cycle_status(),))
        if cycled is None:
            return
        (shown,) = cycled
        self.excerpts.show(self.timeline.current, force=True)
        say(self, f"Showing {shown or 'all'} events")

    def action_tag_filter(self) -> None:
        """Pick a tag to show only its events (empty: every event again)."""
        known = self.read(self.store.list_tags)
        if known is None:
            return

        def done(name: str | None) -> None:
            if name is None:
                return
            self.timeline.set_filter(status=self.timeline.status_filter, tag=name or None)
            self.excerpts.show(self.timeline.current, force=True)
            say(self, f"Showing events tagged {name}" if name else "Showing events with any tag")

        from tracker.screens.tag_filter import TagFilterPicker

        self.app.push_screen(TagFilterPicker(known, self.timeline.tag_filter), done)

    # -- source reader ------------------------------------------------------------------

    def action_open_source(self) -> None:
        """Read the source behind the selected event's excerpt (asks which, if several)."""
        current = self._selected_event()
        if current is None:
            return
        excerpts = self.read(lambda: self.store.event_excerpts(current.id))
        if excerpts is None:
            return
        if not excerpts:
            self.notify("this event has no source excerpt to read", severity="warning")
            return
        first_of_each: dict[int, Excerpt] = {}
        for excerpt in excerpts:
            first_of_each.setdefault(excerpt.source_id, excerpt)
        if len(first_of_each) == 1:
            self._read(excerpts[0])
        else:
            from tracker.screens.reader import SourcePicker

            self.app.push_screen(SourcePicker(list(first_of_each.values())), self._read)

    def _read(self, excerpt: Excerpt | None) -> None:
        if excerpt is None:
            return

        from tracker.screens.reader import ReaderScreen

        current = self.timeline.current
        reader = ReaderScreen(self.store, excerpt.source_id, excerpt_id=excerpt.id, today=self.today,
                              event_id=current.id if current else None)
        self.app.push_screen(reader)
