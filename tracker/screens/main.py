"""The main screen: cases, the timeline of the selected case, the excerpts of the event.

It owns the review actions (add, edit, tag, confirm, reject, delete, search) because
they need all three panes: each action writes through the Store, shows a StoreError as
a notification instead of crashing, then refreshes only what changed.

Review (issue 4): space marks events in the timeline; c, x and t then act on every
marked event at once (one undoable batch), escape clears the marks; s cycles the status
filter and T picks a tag filter, both paged from SQL by the timeline.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen

from tracker.models import Case, Event, Excerpt
from tracker.screens.confirm import ConfirmModal
from tracker.screens.event_form import EventDraft, EventForm, source_bases
from tracker.screens.prompt import CaseTitleSuggester, PathSuggester, PromptScreen
from tracker.screens.reader import ReaderScreen, SourcePicker
from tracker.screens.search import SearchScreen
from tracker.screens.tag_filter import TagFilterPicker
from tracker.screens.tags import TagForm
from tracker.store import Store, StoreError
from tracker.widgets.case_header import CaseHeader
from tracker.widgets.case_list import CaseList
from tracker.widgets.case_strip import CaseStrip
from tracker.widgets.excerpts import ExcerptsPane
from tracker.widgets.import_panel import ImportPanel
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
        yield ImportPanel(id="import-panel")
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
        """Show a changed event: redraw its row, or reload when its position may move
        (or when a filter may now hide it)."""
        if reorder or self.timeline.filtered:
            self.timeline.load(select=event.id)
        else:
            self.timeline.replace(event)
        self._after_write(event)

    def _after_write(self, event: Event | None) -> None:
        """What every write changes besides the timeline rows: the case list's counts,
        the excerpts of the event under the cursor and the case strip."""
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

    def _editor(self, heading: str, case_id: int, current: Event | None, *, editing: bool) -> EventForm | None:
        """The editor with its bases (today, the sources of `current`), the passages of
        `current` when editing, the case's other passages and the known tags."""
        try:
            around = self.store.event_excerpts(current.id) if current is not None else []
            candidates = self.store.case_excerpts(case_id)
            known = self.store.list_tags()
        except StoreError as err:
            show_error(self, err)
            return None

        def save(draft: EventDraft) -> Event:
            return self.store.save_event(
                case_id, current.id if editing and current is not None else None,
                value=draft.value, granularity=draft.granularity, date_text=draft.date_text, title=draft.title,
                note=draft.note, tags=draft.tags, excerpt_ids=draft.excerpt_ids,
            )

        return EventForm(
            heading=heading, base=self.today(), save=save, event=current if editing else None,
            sources=source_bases(around), linked=around if editing else [], candidates=candidates,
            known_tags=known,
        )

    def action_add(self) -> None:
        case_id = self._selected_case()
        if case_id is None:
            return

        def done(event: Event | None) -> None:
            if event is not None:
                self._changed(event, reorder=True)
                say(self, f"Added: {event.title}")

        form = self._editor("New event", case_id, self.timeline.current, editing=False)
        if form is not None:
            self.app.push_screen(form, done)

    def action_edit(self) -> None:
        current = self._selected_event()
        if current is None:
            return

        def done(event: Event | None) -> None:
            if event is not None:
                self._changed(event, reorder=True)

        form = self._editor("Edit event", current.case_id, current, editing=True)
        if form is not None:
            self.app.push_screen(form, done)

    def _marked_or_current(self) -> list[int]:
        """The marked events of the shown case, else the event under the cursor."""
        if self.timeline.marked:
            return sorted(self.timeline.marked)
        current = self._selected_event()
        return [current.id] if current is not None else []

    def _after_bulk(self, what: str, changed: list[int], asked: int) -> None:
        """Clear the marks, re-read the panes and say what happened."""
        self.timeline.marked.clear()
        self.timeline.load()
        self._after_write(self.timeline.current)
        skipped = asked - len(changed)
        extra = f" ({skipped} unchanged or gone)" if skipped else ""
        say(self, f"{what} {len(changed)} event{'s' if len(changed) != 1 else ''}{extra} · u undoes")

    def action_tags(self) -> None:
        if self.timeline.marked:
            ids = sorted(self.timeline.marked)
            targets = [e for e in self.timeline.events if e.id in self.timeline.marked]
            if len(targets) < len(ids):  # marked rows outside the held window
                try:
                    targets = [self.store.get_event(i) for i in ids]
                except StoreError as err:
                    show_error(self, err)
                    return

            def save_all(add: list[str], remove: list[str]) -> tuple[list[int], int]:
                return self.store.tag_events(ids, add, remove), len(ids)

            def done_all(result: tuple[list[int], int] | None) -> None:
                if result is not None:
                    self._after_bulk("Tagged", *result)

            try:
                known = self.store.list_tags()
            except StoreError as err:
                show_error(self, err)
                return
            self.app.push_screen(TagForm(targets, known=known, save=save_all), done_all)
            return
        current = self._selected_event()
        if current is None:
            return

        def save(add: list[str], remove: list[str]) -> Event:
            self.store.tag_events([current.id], add, remove)
            return self.store.get_event(current.id)

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
        if self.timeline.marked:
            ids = sorted(self.timeline.marked)
            try:
                changed = self.store.review_events(ids, status)
            except StoreError as err:
                show_error(self, err)
                return
            self._after_bulk("Confirmed" if status == "confirmed" else "Rejected", changed, len(ids))
            return
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
            self._after_write(self.timeline.current)

        question = Text.assemble("Delete event ", plain(current.title, "bold"), "?")
        self.app.push_screen(ConfirmModal(question, yes="Delete"), done)

    def action_search(self) -> None:
        def done(target: tuple[int, int | None] | None) -> None:
            if target is not None:
                self.jump_to(*target)

        self.app.push_screen(SearchScreen(self.store), done)

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
        try:
            shown = self.timeline.cycle_status()
        except StoreError as err:
            show_error(self, err)
            return
        self.excerpts.show(self.timeline.current, force=True)
        say(self, f"Showing {shown or 'all'} events")

    def action_tag_filter(self) -> None:
        """Pick a tag to show only its events (empty: every event again)."""
        try:
            known = self.store.list_tags()
        except StoreError as err:
            show_error(self, err)
            return

        def done(name: str | None) -> None:
            if name is None:
                return
            self.timeline.set_filter(status=self.timeline.status_filter, tag=name or None)
            self.excerpts.show(self.timeline.current, force=True)
            say(self, f"Showing events tagged {name}" if name else "Showing events with any tag")

        self.app.push_screen(TagFilterPicker(known, self.timeline.tag_filter), done)

    # -- source reader (issue 4) ----------------------------------------------------------

    def action_open_source(self) -> None:
        """Read the source behind the selected event's excerpt (asks which, if several)."""
        current = self._selected_event()
        if current is None:
            return
        try:
            excerpts = self.store.event_excerpts(current.id)
        except StoreError as err:
            show_error(self, err)
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
            self.app.push_screen(SourcePicker(list(first_of_each.values())), self._read)

    def _read(self, excerpt: Excerpt | None) -> None:
        if excerpt is None:
            return

        def done(changed: bool | None) -> None:
            if changed:
                self.reload()

        reader = ReaderScreen(self.store, excerpt.source_id, excerpt_id=excerpt.id, today=self.today)
        self.app.push_screen(reader, done)

    # -- cases (issue 4) ----------------------------------------------------------------

    def _case_changed(self, case_id: int | None) -> None:
        """Show the case list again with the cursor on `case_id`, and its timeline."""
        self.cases.load(select=case_id)
        case = self.cases.current
        if case is None:
            self.timeline.clear_case()
        else:
            self.timeline.load(case.id, title=case.title)
        self.query_one(CaseHeader).show(case.id if case else None)
        self.excerpts.show(self.timeline.current, force=True)

    def _typed_case(self, text: str) -> Case:
        """The case the user means: the exact title or id, else the one title it begins."""
        try:
            return self.store.find_case(text)
        except StoreError:
            starting = self.store.case_titles_from(text, 3)
            if len(starting) == 1:
                return self.store.find_case(starting[0])
            if starting:
                raise StoreError(f"{text!r} begins several cases ({', '.join(starting)}…); type more") from None
            raise

    def _pick_case(self, heading: Text, submit: Callable[[str], Case]) -> PromptScreen:
        """A title prompt completing from the case titles (any number of cases)."""
        return PromptScreen(heading=heading, submit=submit, placeholder="case title (→ completes)",
                            suggester=CaseTitleSuggester(self.store), input_id="case-title")

    def action_new_case(self) -> None:
        def submit(title: str) -> int:
            if self.store.case_title_taken(title):
                raise StoreError(f"a case called {title!r} exists already")
            return self.store.ensure_case(title)

        def done(case_id: int | None) -> None:
            if case_id is not None:
                self._case_changed(case_id)
                self.cases.focus()
                say(self, f"New case: {self.store.get_case(case_id).title}")

        self.app.push_screen(PromptScreen(heading="New case", submit=submit, placeholder="Title of the case",
                                          input_id="case-title"), done)

    def _case_or_warn(self) -> Case | None:
        case = self.cases.current
        if case is None:
            self.notify("no case selected", severity="warning")
        return case

    def action_rename_case(self) -> None:
        case = self._case_or_warn()
        if case is None:
            return

        def submit(title: str) -> int:
            self.store.rename_case(case.id, title)
            return case.id

        def done(case_id: int | None) -> None:
            if case_id is not None:
                self._case_changed(case_id)

        about = Text.assemble("Now: ", plain(case.title, "bold"))
        self.app.push_screen(PromptScreen(heading="Rename case", submit=submit, value=case.title, about=about,
                                          input_id="case-title"), done)

    def action_close_case(self) -> None:
        """Close an open case (it stays, dimmed) or reopen a closed one."""
        case = self._case_or_warn()
        if case is None:
            return
        state = "open" if case.state == "closed" else "closed"
        try:
            self.store.set_case_state(case.id, state)
        except StoreError as err:
            show_error(self, err)
            return
        self._case_changed(case.id)
        say(self, f"{'Closed' if state == 'closed' else 'Reopened'}: {case.title}")

    def action_move_event(self) -> None:
        """Move the selected event to another case, chosen by title with completion."""
        current = self._selected_event()
        if current is None:
            return

        def submit(title: str) -> Case:
            target = self._typed_case(title)
            if target.id == current.case_id:
                raise StoreError("the event is in that case already")
            self.store.move_event(current.id, target.id)
            return target

        def done(target: Case | None) -> None:
            if target is None:
                return
            self.timeline.drop(current.id)
            self._after_write(self.timeline.current)
            say(self, f"Moved to {target.title} (u undoes)")

        heading = Text.assemble("Move ", plain(current.title, "bold"), " to case")
        self.app.push_screen(self._pick_case(heading, submit), done)

    def action_merge_case(self) -> None:
        """Merge the selected case into another one (asks to confirm; u undoes)."""
        case = self._case_or_warn()
        if case is None:
            return

        def submit(title: str) -> Case:
            target = self._typed_case(title)
            if target.id == case.id:
                raise StoreError("choose another case to merge into")
            return target

        def picked(target: Case | None) -> None:
            if target is None:
                return
            question = Text.assemble(
                "Merge ", plain(case.title, "bold"), f" ({case.event_count} events, {case.source_count} sources) "
                "into ", plain(target.title, "bold"), "? The first case is removed; u undoes.",
            )

            def confirmed(yes: bool | None) -> None:
                if not yes:
                    return
                try:
                    self.store.merge_cases(case.id, target.id)
                except StoreError as err:
                    show_error(self, err)
                    return
                self._case_changed(target.id)
                say(self, f"Merged into {target.title}")

            self.app.push_screen(ConfirmModal(question, yes="Merge"), confirmed)

        heading = Text.assemble("Merge ", plain(case.title, "bold"), " into case")
        self.app.push_screen(self._pick_case(heading, submit), picked)

    # -- import (issue 4) ---------------------------------------------------------------

    @property
    def import_panel(self) -> ImportPanel:
        return self.query_one(ImportPanel)

    def action_import(self) -> None:
        """Ask for a file or folder, then import it in a worker; the app stays usable."""
        if self.import_panel.running:
            self.notify("an import is already running", severity="warning")
            return

        def submit(text: str) -> Path:
            path = Path(os.path.expanduser(text))
            if not path.exists():
                raise StoreError(f"no such file or folder: {text}")
            return path

        def done(path: Path | None) -> None:
            if path is not None and self.import_panel.start(path, self.store.path, self.today):
                self.add_class("-importing")

        about = Text("A .txt/.md/.html file, a JSON or CSV export, or a folder of them", style="dim")
        self.app.push_screen(PromptScreen(heading="Import", submit=submit, about=about, placeholder="path",
                                          suggester=PathSuggester(), input_id="import-path"), done)

    def on_import_panel_finished(self, message: ImportPanel.Finished) -> None:
        self.reload()
        report = message.report
        if report is not None:
            severity = "warning" if report.failed else "information"
            say(self, f"Import: {len(report.imported)} imported, {len(report.skipped)} skipped, "
                      f"{len(report.failed)} failed", severity)

    def action_hide_import(self) -> None:
        if not self.import_panel.running:
            self.import_panel.hide()
            self.remove_class("-importing")
