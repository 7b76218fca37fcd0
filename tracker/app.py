"""The Textual app: stylesheet, global keys, and the factory the CLI and tests share.

`make_app(path).run()` is all the CLI needs. After anything else changes the database
(an import), call `app.reload()` on the UI thread (`app.call_from_thread(app.reload)`
from a worker thread) to refresh the panes.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.screen import Screen

from tracker.models import AuditEntry, Change
from tracker.screens.main import MainScreen
from tracker.screens.writes import Writes
from tracker.store import Store, StoreError, describe_undo
from tracker.widgets.safe_text import say

# The first frame shows the main screen only: the palette's provider and every other
# screen are imported when first opened, so start-up does not pay for them.


def _tracker_commands() -> type[Provider]:
    """The palette's provider, imported when the palette first opens."""
    from tracker.commands import TrackerCommands

    return TrackerCommands


def _css_path() -> Path:
    """The repo's top-level tracker.tcss, else the copy shipped inside the package."""
    top = Path(__file__).parent.parent / "tracker.tcss"
    return top if top.is_file() else Path(__file__).parent / "tracker.tcss"


class TrackerApp(App[None]):
    """Owns the Store for the session and closes it on exit."""

    CSS_PATH = _css_path()
    TITLE = "tracker"
    # ctrl+p: cases, recent events and every action by name (tracker.commands builds the
    # actions from the BINDINGS, so there is no second list to keep in step; it also
    # offers Textual's system commands, such as Theme, so it replaces their provider).
    ENABLE_COMMAND_PALETTE = True
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {_tracker_commands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
        Binding("u", "undo", "Undo", show=False),
        Binding("f", "case_facts", "Facts", show=False),
        Binding("K", "as_known", "As known on", show=False),
        Binding("V", "verify", "Verify", show=False),
        Binding("A", "agenda", "Agenda", show=False),
        Binding("E", "export", "Export", show=False),
    ]
    WATCH_SECONDS = 1.5
    """How often to look for changes other processes committed to the database."""

    def __init__(self, store: Store, *, today: Callable[[], date] | None = None) -> None:
        super().__init__()
        self.store = store
        self.today: Callable[[], date] = today or date.today
        self.writes = Writes(self, store)
        """Every write of the session, one after another, never blocking the UI thread."""
        self._quit_asked = False
        self._terminal: int | None = None  # the terminal's descriptor, once running on one

    def on_mount(self) -> None:
        # 16-colour terminals: the ANSI theme uses the terminal's own palette, where a
        # truecolor theme would be rounded to whatever of the 16 colours is nearest.
        if self.console.color_system == "standard":
            self.theme = "ansi-dark"
        self._seen_version = self.store.data_version()
        self._terminal = None if self.is_headless else _terminal_fd()
        self.set_interval(self.WATCH_SECONDS, self._watch_database)

    def on_ready(self) -> None:
        # The first frame is on screen: garbage collection, paused for start-up by the
        # command that opened the app (tracker.launch.open_app), resumes. What start-up
        # made (modules, classes, styles, widgets: some hundred thousand objects, nearly
        # all kept for the session) is frozen first, out of every later collection's
        # walk: on the million-event database every 19th cursor move at 200x50 had paid
        # 50-90 ms for such a walk.
        gc.freeze()
        gc.enable()

    def _watch_database(self) -> None:
        """Refresh when someone else (another app, the CLI) has committed a change; quit
        once the terminal is gone."""
        if self._terminal is not None and not os.isatty(self._terminal) and not self.writes.pending:
            # The terminal hung up without a SIGHUP reaching the app (it runs outside the
            # terminal's session, or SIGHUP is ignored): Textual's input thread would
            # read end-of-file in a loop, a core at 100% until someone kills the process.
            # What was written is committed; the app ends as q ends it.
            self.exit()
            return
        try:
            version = self.store.data_version()
        except StoreError:
            return
        if version != self._seen_version:
            self._seen_version = version
            self.reload()

    def action_undo(self) -> None:
        """Undo the latest change (an event, a bulk review, a merge, a case rename or close),
        even one made before a restart. The panes apply what it restored; an undo that
        changed the cases themselves (a merge, a rename, a split) re-reads them."""

        def done(undone: tuple[AuditEntry, Change]) -> None:
            entry, change = undone
            if change.events or change.removed:
                self.main.changed(change)
            else:
                self.main.reload()
            on_top = getattr(self.screen, "refresh_from_store", None)
            if callable(on_top):
                on_top()
            say(self, f"Undid {describe_undo(entry)}")

        self.writes.run(self.store.undo, done, lambda error: say(self, str(error), "warning"))

    def _current_case_id(self) -> int | None:
        case = self.main.cases.current
        if case is None:
            self.notify("select a case first", severity="warning", markup=False)
            return None
        return case.id

    def action_case_facts(self) -> None:
        """Facts and filing of the selected case; edit, move, merge, split from there."""
        from tracker.screens.case_views import CaseFactsScreen

        case_id = self._current_case_id()
        if case_id is not None and isinstance(self.screen, MainScreen):
            self.push_screen(CaseFactsScreen(self.store, case_id))

    def action_as_known(self) -> None:
        from tracker.screens.case_views import AsOfScreen

        case_id = self._current_case_id()
        if case_id is not None and isinstance(self.screen, MainScreen):
            self.push_screen(AsOfScreen(self.store, case_id, self.today))

    def action_verify(self) -> None:
        from tracker.screens.case_views import VerifyScreen

        case_id = self._current_case_id()
        if case_id is not None and isinstance(self.screen, MainScreen):
            self.push_screen(VerifyScreen(self.store, case_id))

    def action_agenda(self) -> None:
        from tracker.screens.case_views import AgendaScreen

        if isinstance(self.screen, MainScreen):
            self.push_screen(AgendaScreen(self.store, self.today))

    def action_export(self) -> None:
        """Export the selected case with a format picker."""
        from tracker.screens.export import ExportScreen

        case_id = self._current_case_id()
        if case_id is not None and isinstance(self.screen, MainScreen):
            self.push_screen(ExportScreen(self.store, case_id), self._after_export)

    def _after_export(self, path: str | None) -> None:
        if path:
            self.notify(f"wrote {path}", markup=False)

    def get_default_screen(self) -> Screen[None]:
        return MainScreen(self.store, self.today)

    @property
    def main(self) -> MainScreen:
        """The main screen (always at the bottom of the screen stack)."""
        screen = self.screen_stack[0]
        assert isinstance(screen, MainScreen)
        return screen

    def reload(self) -> None:
        """Re-read the panes from the database, and the screen on top if it shows stored
        data (the source reader); call on the UI thread."""
        self.main.reload()
        on_top = getattr(self.screen, "refresh_from_store", None)
        if callable(on_top):
            on_top()

    async def action_quit(self) -> None:
        """Quit; while a change still waits for another tracker to finish writing, the
        first q says so and a second one quits without it."""
        if self.writes.pending and not self._quit_asked:
            self._quit_asked = True
            say(self, "a change still waits for another tracker to finish writing: q again quits without it",
                "warning")
            return
        self.exit()

    def action_help(self) -> None:
        from tracker.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def on_unmount(self) -> None:
        self.store.close()


def _terminal_fd() -> int | None:
    """The descriptor of the terminal the app reads its keys from; None when it does not
    read a terminal (its input is redirected)."""
    try:
        fd = sys.__stdin__.fileno() if sys.__stdin__ is not None else -1
    except (AttributeError, OSError, ValueError):
        return None
    return fd if fd >= 0 and os.isatty(fd) else None


def make_app(db_path: str | Path, *, today: Callable[[], date] | None = None) -> TrackerApp:
    """An app on the database at `db_path`; raises StoreError if it cannot be opened.

    `today` supplies the base date for relative dates in the event form (tests pin it).
    """
    return TrackerApp(Store(db_path), today=today)
