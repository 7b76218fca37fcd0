"""Screens about a case as a whole: its facts and filing, the record as known on a date,
the events to verify, and the agenda across all cases.

Each is a read-mostly report with one command line at the bottom, so everything stays
reachable from the keyboard without a form per action.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, ClassVar, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from tracker.dates import parse_iso_day, period_start
from tracker.models import Case, Change
from tracker.screens.background import in_background
from tracker.screens.writes import writes_of
from tracker.store import Store
from tracker.widgets.safe_text import plain

T = TypeVar("T")


Target = tuple[str, int, int | None]
"""What a report row leads to: ("event", case id, event id) or ("source", source id, None)."""
ROW_KEYS = frozenset("jkgG:")


class Rows:
    """The rows of a report that lead somewhere, by line, recorded while it is written."""

    def __init__(self) -> None:
        self.lines: list[tuple[int, Target]] = []

    def add(self, out: Text, target: Target) -> None:
        """The line about to be appended to `out` leads to `target`."""
        self.lines.append((out.plain.count("\n"), target))


class ReportScreen(Screen[bool]):
    """A scrollable report with a command line; dismisses True when it changed data.

    It opens with the focus on the report: j/k (or the arrows) move between the rows that
    lead somewhere (an event, a source), enter goes there; `:` or tab reaches the
    command line, and typing any other letter starts a command there.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back"),
        Binding("j,down", "row(1)", "Next row", show=False),
        Binding("k,up", "row(-1)", "Previous row", show=False),
        Binding("enter", "open_row", "Open", show=False),
        Binding("colon", "command", "Command", show=False),
    ]
    PLACEHOLDER = ""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.changed = False
        self.rows = Rows()
        self.shown: list[tuple[int, Target]] = []
        self.row = 0
        self.body = Text()

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="report-scroll"):
            yield Static(id="report")
        yield Static(id="report-message")
        yield Input(placeholder=self.PLACEHOLDER, id="report-command", select_on_focus=False)
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_report()
        self.query_one("#report-scroll", VerticalScroll).focus()

    def refresh_report(self) -> None:
        """Build the report in a thread (see screens/background.py); a loading
        indicator shows meanwhile."""
        self.query_one("#report", Static).loading = True
        in_background(self, self.store.path, self._render_rows, self._show,
                      lambda exc: self._show((plain(str(exc) or exc.__class__.__name__), [])), group="report")

    def _render_rows(self, store: Store) -> tuple[Text, list[tuple[int, Target]]]:
        rows = self.rows = Rows()
        return self.render_report(store), rows.lines

    def _show(self, result: tuple[Text, list[tuple[int, Target]]]) -> None:
        self.body, self.shown = result
        self.row = min(self.row, max(0, len(self.shown) - 1))
        self._draw_rows()
        self.query_one("#report", Static).loading = False

    def _draw_rows(self) -> None:
        """The report with the row under the cursor in reverse."""
        body = self.body
        if self.shown:
            body = body.copy()
            line = self.shown[self.row][0]
            plain_text = body.plain
            start = 0
            for _ in range(line):
                start = plain_text.index("\n", start) + 1
            end = plain_text.find("\n", start)
            body.stylize("reverse", start, end if end >= 0 else len(plain_text))
            scroll = self.query_one("#report-scroll", VerticalScroll)
            if not scroll.scroll_y + 1 <= line <= scroll.scroll_y + scroll.size.height - 2:
                scroll.scroll_to(y=max(0, line - scroll.size.height // 3), animate=False)
        self.query_one("#report", Static).update(body)

    def action_row(self, step: int) -> None:
        if self.shown:
            self.row = max(0, min(len(self.shown) - 1, self.row + step))
            self._draw_rows()

    def action_open_row(self) -> None:
        """Enter: to the event in its timeline, or the source in the reader."""
        if not self.shown:
            return
        kind, first, second = self.shown[self.row][1]
        if kind == "source":
            from tracker.screens.reader import ReaderScreen

            def read(changed: bool | None) -> None:
                if changed:
                    self.changed = True
                    self.refresh_report()

            self.app.push_screen(ReaderScreen(self.store, first), read)
            return
        app = self.app
        self.dismiss(self.changed)
        app.call_later(app.main.jump_to, first, second)

    def action_command(self) -> None:
        self.query_one("#report-command", Input).focus()

    def on_key(self, event: Any) -> None:
        """A letter typed on the report starts a command in the command line."""
        command = self.query_one("#report-command", Input)
        if self.focused is command or not event.character or not event.is_printable:
            return
        if event.character in ROW_KEYS or event.character == " ":
            return
        event.stop()
        event.prevent_default()
        command.value += event.character
        command.cursor_position = len(command.value)
        command.focus()

    def render_report(self, store: Store) -> Text:
        raise NotImplementedError

    def say(self, message: str, error: bool = False) -> None:
        self.query_one("#report-message", Static).update(plain(message, "bold red" if error else "green"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        command = event.value.strip()
        event.input.value = ""
        if not command:
            return
        try:
            message = self.run_command(command)
        except ValueError as exc:  # what was typed is not a command this view knows
            self.say(str(exc), error=True)
            return
        if message is not None:
            self.say(message)
            self.refresh_report()

    def run_command(self, command: str) -> str | None:
        """Act on `command`: a message to show (the report is built again), or None
        when a write was handed to `write`, which says what it did once it landed."""
        raise ValueError("this view takes no commands")

    def write(self, do: Callable[[], T], landed: Callable[[T], str]) -> None:
        """Write through the app's queue (screens/writes.py); once it landed, `landed`
        tells the main screen's panes and answers what to say, and the report is built
        again. A refusal is said on the message line."""

        def done(result: T) -> None:
            self.changed = True
            self.say(landed(result))
            self.refresh_report()

        writes_of(self.app).run(do, done, lambda error: self.say(str(error), error=True))

    def action_close(self) -> None:
        self.dismiss(self.changed)


def _heading(text: str) -> Text:
    return Text(text + "\n", style="bold underline")


MAX_ROWS = 500
"""Lines a report lists; laying out a Static of 100,000 lines would take the UI seconds."""


def _more(out: Text, total: int, hint: str) -> None:
    if total > MAX_ROWS:
        out.append(f"  … and {total - MAX_ROWS:,} more; {hint}\n", style="dim italic")


class CaseFactsScreen(ReportScreen):
    """Facts of a case with the passage behind each, and why each source is in it."""

    PLACEHOLDER = "status=settled · judge=… · rename TITLE · move SOURCE CASE · merge INTO · split SOURCE… as TITLE"

    def __init__(self, store: Store, case_id: int) -> None:
        super().__init__(store)
        self.case_id = case_id

    def render_report(self, store: Store) -> Text:
        case = store.get_case(self.case_id)
        out = Text()
        out.append_text(_heading(case.title))
        from tracker.cases import duplicates

        for twin in duplicates(self.case_id, store.dispute_marks()):
            out.append(f"possible duplicate of case {twin} ", style="yellow")
            out.append_text(plain(store.get_case(twin).title))
            out.append(f"  (type: merge {twin})\n", style="dim")
        out.append("Facts\n", style="bold")
        facts = store.case_facts(self.case_id)
        if not facts:
            out.append("  none proposed yet; type field=value below\n", style="dim")
        for fact in facts:
            out.append(f"  {fact.field:<8} ", style="cyan")
            out.append_text(plain(fact.value))
            origin = "typed" if fact.origin == "manual" else f"from {fact.source_title or 'a source'}"
            out.append(f"  ({origin})\n", style="dim")
            if fact.passage:
                out.append("           “")
                out.append_text(plain(fact.passage))
                out.append("”\n")
        out.append("\nSources\n", style="bold")
        sources = store.case_sources(self.case_id)
        for source in sources[:MAX_ROWS]:
            _, reason = store.source_filing(source.id)
            self.rows.add(out, ("source", source.id, None))
            out.append(f"  {source.id:>4} ", style="cyan")
            out.append_text(plain(source.title))
            out.append(f"  ({source.published or 'date unknown'})\n", style="dim")
            out.append("       filed because: ", style="dim")
            out.append_text(plain(reason or "not recorded"))
            out.append("\n")
        _more(out, len(sources), "`tracker case show CASE --json` lists them all")
        return out

    def run_command(self, command: str) -> str | None:
        word, _, rest = command.partition(" ")
        case_id, store, main = self.case_id, self.store, self.app.main
        if "=" in command and word.split("=")[0] in {"parties", "court", "docket", "judge", "status"}:
            field, _, value = (part.strip() for part in command.partition("="))

            def fact_set(_: None) -> str:
                main.facts_changed(case_id)
                return f"{field} set"

            self.write(lambda: store.set_case_fact(case_id, field, value), fact_set)
            return None
        if word == "rename" and rest:

            def renamed(_: None) -> str:
                main.reload(case_id)  # the case list's order may change
                return "renamed"

            self.write(lambda: store.rename_case(case_id, rest), renamed)
            return None
        if word == "move":
            source, _, target = rest.partition(" ")
            source_id = int(source)
            into: list[int] = []

            def move() -> int:
                into.append(store.find_case(target).id)
                return store.move_source(source_id, into[0])

            def moved(count: int) -> str:
                main.changed(Change(cases=(case_id, into[0]), reorder=True))
                return f"moved source {source} with {count} events"

            self.write(move, moved)
            return None
        if word == "merge" and rest:

            def merge() -> Case:
                target = store.find_case(rest)
                store.merge_cases(case_id, target.id)
                return target

            def merged(target: Case) -> str:
                self.case_id = target.id
                main.reload(target.id)  # the merged case left the list
                return f"merged into {target.title}"

            self.write(merge, merged)
            return None
        if word == "split" and " as " in rest:
            ids, _, title = rest.partition(" as ")
            source_ids = [int(s) for s in ids.split()]

            def split(result: tuple[int, int]) -> str:
                main.reload(case_id)  # a new case joined the list
                return f"split into {title.strip()} ({result[1]} events)"

            self.write(lambda: store.split_case(case_id, source_ids, title.strip()), split)
            return None
        raise ValueError("try: status=settled · rename TITLE · move SOURCE CASE · merge INTO · split 3 4 as TITLE")


class AsOfScreen(ReportScreen):
    """The case as the public record stood on a day, and how late each event was reported."""

    PLACEHOLDER = "a date (YYYY-MM-DD): show the case as known on that day"

    def __init__(self, store: Store, case_id: int, today: Callable[[], date]) -> None:
        super().__init__(store)
        self.case_id = case_id
        self.day = today()

    def render_report(self, store: Store) -> Text:
        case = store.get_case(self.case_id)
        out = _heading(f"{case.title} as known on {self.day.isoformat()}")
        rows = store.as_known_on(self.case_id, self.day.isoformat())
        if not rows:
            out.append(f"  {store.why_unknown(self.case_id, self.day.isoformat())}\n", style="dim")
        for event, first in rows[:MAX_ROWS]:
            try:  # a date stored before the gate refused it shows without a lag
                start = period_start(event.date)
                lag = (date.fromisoformat(first[:10]) - date.fromisoformat(start)).days \
                    if start and len(first) >= 10 else None
            except ValueError:
                lag = None
            self.rows.add(out, ("event", event.case_id, event.id))
            out.append(f"  {event.date or 'undated':<11}", style="cyan")
            out.append(f" reported {first:<10} ", style="dim")
            out.append(f"{'' if lag is None else f'{lag:+d} d':>7}  ", style="yellow" if lag and lag > 7 else "")
            out.append_text(plain(event.title))
            out.append("\n")
        _more(out, len(rows), "`tracker asof CASE DAY --json` lists them all")
        return out

    def run_command(self, command: str) -> str:
        self.day = parse_iso_day(command)
        return f"as known on {self.day.isoformat()}"


class VerifyScreen(ReportScreen):
    """Events only one source supports: the ones to check before they go in a story."""

    def __init__(self, store: Store, case_id: int) -> None:
        super().__init__(store)
        self.case_id = case_id

    def render_report(self, store: Store) -> Text:
        case = store.get_case(self.case_id)
        events = store.single_source_events(self.case_id)
        out = _heading(f"{case.title}: {len(events)} events with a single source")
        for event in events[:MAX_ROWS]:
            self.rows.add(out, ("event", event.case_id, event.id))
            out.append(f"  {event.id:>5} {event.date or 'undated':<11} {event.status:<10} ", style="cyan")
            out.append_text(plain(event.title))
            out.append("\n")
        _more(out, len(events), "`tracker case verify CASE --json` lists them all")
        return out


class AgendaScreen(ReportScreen):
    """What is scheduled across all cases in the next days."""

    PLACEHOLDER = "number of days ahead (default 30)"

    def __init__(self, store: Store, today: Callable[[], date]) -> None:
        super().__init__(store)
        self.start = today()
        self.days = 30

    def render_report(self, store: Store) -> Text:
        end = self.start + timedelta(days=self.days)
        out = _heading(f"Scheduled {self.start.isoformat()} – {end.isoformat()}")
        items = store.agenda(self.start.isoformat(), end.isoformat())
        if not items:
            out.append("  nothing scheduled\n", style="dim")
        for event, case_title in items[:MAX_ROWS]:
            self.rows.add(out, ("event", event.case_id, event.id))
            out.append(f"  {event.date or '':<11}", style="cyan")
            out.append_text(plain(case_title, "bold"))
            out.append("  ")
            out.append_text(plain(event.title))
            out.append("\n")
        _more(out, len(items), "`tracker agenda --json` lists them all")
        return out

    def run_command(self, command: str) -> str:
        self.days = max(1, int(command))
        return f"next {self.days} days"
