"""The import strip at the bottom of the main screen: progress while files are read, then
a summary (imported / skipped / failed, with reasons).

The import runs in a thread worker: the screen hands `start` a job that opens its own
Store (its own SQLite connection, so the UI's connection is never used from two threads
at once) and runs the same `importer.import_paths` the CLI uses, whose
`progress(done, total, path)` callback moves the bar. The UI stays usable meanwhile: the strip is not modal. Escape hides it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import ProgressBar, Static
from textual.worker import get_current_worker

from tracker.models import ImportReport
from tracker.widgets.safe_text import plain

SHOWN_FAILURES = 2

Progress = Callable[[int, int, str], None]
ImportJob = Callable[[Progress], ImportReport]


def summary_text(report: ImportReport) -> Text:
    """One line of counts, then up to SHOWN_FAILURES failures with their reasons."""
    text = Text(end="")
    text.append(f"Imported {len(report.imported)}", style="bold green" if report.imported else "bold")
    text.append(f" · skipped {len(report.skipped)} already imported")
    text.append(f" · failed {len(report.failed)}", style="bold red" if report.failed else "")
    text.append(f" · {report.events} new events", style="dim")
    # The strip has room for three lines at 80x24: the counts and two more.
    shown = report.failed if len(report.failed) <= SHOWN_FAILURES else report.failed[:SHOWN_FAILURES - 1]
    for path, reason in shown:
        text.append("\n  ✗ ", style="red")
        text.append_text(plain(f"{Path(path).name}: {reason}"))
    if len(report.failed) > len(shown):
        text.append(f"\n  … and {len(report.failed) - len(shown)} more (tracker import lists them all)", style="dim")
    for path, note in report.notes[:max(0, SHOWN_FAILURES - len(shown))]:
        text.append("\n  ℹ ", style="dim")
        text.append_text(plain(f"{Path(path).name}: {note}"))
    return text


class ImportPanel(Vertical):
    """Hidden until an import starts; `running` says whether one is under way."""

    class Finished(Message):
        """The import is over (report None: it stopped on an error, already shown)."""

        def __init__(self, report: ImportReport | None) -> None:
            super().__init__()
            self.report = report

    class Progress(Message):
        """Posted from the worker thread: posting never waits for the UI, which may
        itself be waiting for the import's write lock (a confirm pressed meanwhile)."""

        def __init__(self, done: int, total: int, path: str) -> None:
            super().__init__()
            self.done, self.total, self.path = done, total, path

    class Cancelled(Exception):
        """Raised inside the import when its worker was cancelled (the app is quitting):
        the open batch is rolled back, every file committed before stays whole."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.running = False
        self.report: ImportReport | None = None
        self.border_title = "Import"

    def compose(self) -> ComposeResult:
        with Horizontal(id="import-row"):
            yield ProgressBar(id="import-bar", show_eta=False)
            yield Static("", id="import-file")
        yield Static("", id="import-summary")

    def start(self, path: Path, job: ImportJob) -> bool:
        """Show the import of `path` (a file or a folder) that `job(progress)` runs."""
        if self.running:
            return False
        self.running = True
        self.report = None
        self.display = True
        self.border_title = plain(f"Importing {path}")  # a folder may be named "[b]x": never markup
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.query_one("#import-file", Static).update(Text("reading the file list…", style="dim"))
        self.query_one("#import-summary", Static).update("")
        self.run_worker(lambda: self._run(job), thread=True, exclusive=True, group="import",
                        name="import", exit_on_error=False)
        return True

    def _run(self, job: ImportJob) -> None:
        """In the worker thread: everything UI goes back through call_from_thread."""
        report: ImportReport | None = None
        error: str | None = None
        try:
            report = job(self._from_thread)
        except self.Cancelled:
            return
        except Exception as exc:  # noqa: BLE001 - any failure is one line, never a traceback
            error = str(exc) or exc.__class__.__name__
        try:
            self.app.call_from_thread(self._finish, report, error)
        except RuntimeError:
            pass  # the app was closed during the import; every file stored is complete

    def _from_thread(self, done: int, total: int, path: str) -> None:
        if get_current_worker().is_cancelled:
            raise self.Cancelled()
        self.post_message(self.Progress(done, total, path))

    def on_import_panel_progress(self, message: ImportPanel.Progress) -> None:
        message.stop()
        done, total, path = message.done, message.total, message.path
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)
        line = Text(f"{done}/{total} ", style="bold", end="")
        line.append_text(plain(Path(path).name or path))
        self.query_one("#import-file", Static).update(line)

    def _finish(self, report: ImportReport | None, error: str | None) -> None:
        self.running = False
        self.report = report
        bar = self.query_one(ProgressBar)
        bar.update(total=max(bar.total or 1, 1), progress=max(bar.total or 1, 1))
        self.border_title = "Import finished (Esc hides)"
        if report is None:
            self.query_one("#import-summary", Static).update(plain(f"✗ import stopped: {error}", "red"))
        else:
            self.query_one("#import-summary", Static).update(summary_text(report))
        self.post_message(self.Finished(report))

    def hide(self) -> None:
        if not self.running:
            self.display = False
