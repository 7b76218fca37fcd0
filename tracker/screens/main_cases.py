"""The main screen's case actions (new, rename, close or reopen, move an event, merge)
and its import, kept apart from the event actions in main.py.

`CaseActions` is mixed into `MainScreen`; it uses the screen's panes, its `write()`
error path and `changed()`/`reload()` to show what a write did.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text

from tracker.models import Case, Change, ImportReport
from tracker.store import Store, StoreError
from tracker.widgets.safe_text import plain, say

if TYPE_CHECKING:
    from tracker.screens.prompt import PromptScreen
    from tracker.widgets.case_list import CaseList
    from tracker.widgets.import_panel import ImportJob, ImportPanel, Progress
    from tracker.widgets.timeline import Timeline


class CaseActions:
    """n, R, C, m, M and i on the main screen."""

    store: Store
    today: Callable[[], date]

    if TYPE_CHECKING:  # provided by MainScreen and Screen
        cases: CaseList
        timeline: Timeline
        app: Any

        def notify(self, message: str, *, severity: str = ...) -> None: ...
        def query_one(self, selector: Any) -> Any: ...
        def query(self, selector: Any) -> Any: ...
        async def mount(self, *widgets: Any, before: Any = ...) -> Any: ...
        def add_class(self, name: str) -> Any: ...
        def remove_class(self, name: str) -> Any: ...
        def reload(self, select_case: int | None = None) -> None: ...
        def write(self, do: Callable[[], Any], then: Callable[[Any], None] | None = None) -> None: ...
        def changed(self, change: Change | None) -> None: ...
        def _selected_event(self) -> Any: ...

    # -- cases --------------------------------------------------------------------------

    def _pick_case(self, heading: Text, submit: Callable[[str], Case], *, writes: bool = False) -> PromptScreen:
        """A title prompt completing from the case titles (any number of cases)."""
        from tracker.screens.prompt import CaseTitleSuggester, PromptScreen, case_matches

        return PromptScreen(heading=heading, submit=submit, placeholder="case title (→ completes)",
                            suggester=CaseTitleSuggester(self.store), input_id="case-title",
                            matches=case_matches(self.store), writes=writes)

    def _case_or_warn(self) -> Case | None:
        case = self.cases.current
        if case is None:
            self.notify("no case selected", severity="warning")
        return case

    def action_new_case(self) -> None:
        from tracker.screens.prompt import PromptScreen

        def submit(title: str) -> int:
            if self.store.case_title_taken(title):
                raise StoreError(f"a case called {title!r} exists already")
            return self.store.ensure_case(title)

        def done(case_id: int | None) -> None:
            if case_id is not None:
                self.reload(case_id)
                self.cases.focus()
                say(self, f"New case: {self.store.get_case(case_id).title}")

        self.app.push_screen(PromptScreen(heading="New case", submit=submit, placeholder="Title of the case",
                                          input_id="case-title", writes=True), done)

    def action_rename_case(self) -> None:
        case = self._case_or_warn()
        if case is None:
            return

        def submit(title: str) -> int:
            self.store.rename_case(case.id, title)
            return case.id

        def done(case_id: int | None) -> None:
            if case_id is not None:
                self.reload(case_id)

        from tracker.screens.prompt import PromptScreen

        about = Text.assemble("Now: ", plain(case.title, "bold"))
        self.app.push_screen(PromptScreen(heading="Rename case", submit=submit, value=case.title, about=about,
                                          input_id="case-title", writes=True), done)

    def action_close_case(self) -> None:
        """Close an open case (it stays, dimmed) or reopen a closed one."""
        case = self._case_or_warn()
        if case is None:
            return
        state = "open" if case.state == "closed" else "closed"

        def then(_: Case) -> None:
            self.reload(case.id)
            say(self, f"{'Closed' if state == 'closed' else 'Reopened'}: {case.title}")

        self.write(lambda: self.store.set_case_state(case.id, state), then)

    def action_move_event(self) -> None:
        """Move the selected event to another case, chosen by title with completion."""
        current = self._selected_event()
        if current is None:
            return

        def submit(title: str) -> Case:
            target = self.store.resolve_case(title)
            if target.id == current.case_id:
                raise StoreError("the event is in that case already")
            self.store.move_event(current.id, target.id)
            return target

        def done(target: Case | None) -> None:
            if target is None:
                return
            self.changed(Change(removed=(current.id,), cases=(current.case_id, target.id)))
            say(self, f"Moved to {target.title} (u undoes)")

        heading = Text.assemble("Move ", plain(current.title, "bold"), " to case")
        self.app.push_screen(self._pick_case(heading, submit, writes=True), done)

    def action_merge_case(self) -> None:
        """Merge the selected case into another one (asks to confirm; u undoes)."""
        case = self._case_or_warn()
        if case is None:
            return

        def submit(title: str) -> Case:
            target = self.store.resolve_case(title)
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

            def merged(_: None) -> None:
                self.reload(target.id)
                say(self, f"Merged into {target.title}")

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self.write(lambda: self.store.merge_cases(case.id, target.id), merged)

            from tracker.screens.confirm import ConfirmModal

            self.app.push_screen(ConfirmModal(question, yes="Merge"), confirmed)

        heading = Text.assemble("Merge ", plain(case.title, "bold"), " into case")
        self.app.push_screen(self._pick_case(heading, submit), picked)

    # -- import -------------------------------------------------------------------------

    @property
    def import_panel(self) -> ImportPanel | None:
        """The import strip, once an import has been started (None before)."""
        from tracker.widgets.import_panel import ImportPanel

        found = self.query(ImportPanel)
        return found.first() if found else None

    async def _mounted_import_panel(self) -> ImportPanel:
        """The import strip, mounted above the footer by the first import: start-up does
        without it (its six widgets, their styles and the progress bar's module were 4%
        of the instructions to a settled first screen)."""
        from tracker.widgets.import_panel import ImportPanel
        from tracker.widgets.key_footer import KeyFooter

        panel = self.import_panel
        if panel is None:
            panel = ImportPanel(id="import-panel")
            await self.mount(panel, before=self.query_one(KeyFooter))
        return panel

    def action_import(self) -> None:
        """Ask for a file or folder, then import it in a worker; the app stays usable."""
        panel = self.import_panel
        if panel is not None and panel.running:
            self.notify("an import is already running", severity="warning")
            return

        def submit(text: str) -> Path:
            path = Path(os.path.expanduser(text))
            if not path.exists():
                raise StoreError(f"no such file or folder: {text}")
            return path

        async def done(path: Path | None) -> None:
            if path is None:
                return
            panel = await self._mounted_import_panel()
            if panel.start(path, self._import_job(path)):
                self.add_class("-importing")

        from tracker.screens.prompt import PathSuggester, PromptScreen

        about = Text("A .txt/.md/.html file, a JSON or CSV export, or a folder of them", style="dim")
        self.app.push_screen(PromptScreen(heading="Import", submit=submit, about=about, placeholder="path",
                                          suggester=PathSuggester(), input_id="import-path"), done)

    def _import_job(self, path: Path) -> ImportJob:
        """The import of `path`, to run in the panel's worker thread on a Store of its own;
        the documents are read by a process a core (tracker/readers.py)."""
        db_path, today = self.store.path, self.today()

        def job(progress: Progress) -> ImportReport:
            from tracker.importer import import_paths

            store = Store(db_path)
            try:
                return import_paths(store, [path], today=today, progress=progress, jobs=None)
            finally:
                store.close()

        return job

    def on_import_panel_finished(self, message: ImportPanel.Finished) -> None:
        self.reload()
        report = message.report
        if report is not None:
            severity = "warning" if report.failed else "information"
            say(self, f"Import: {len(report.imported)} imported, {len(report.skipped)} skipped, "
                      f"{len(report.failed)} failed", severity)

    def action_hide_import(self) -> None:
        panel = self.import_panel
        if panel is not None and not panel.running:
            panel.hide()
            self.remove_class("-importing")
