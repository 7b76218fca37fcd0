"""The help screen: every key the app answers to, in one scrollable list.

The table is written out here (rather than generated) so it can group and explain keys;
tests check that every binding of the app and main screen appears in it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Moving around",
        [
            ("tab / shift+tab", "Next / previous pane"),
            ("right l / left h", "Next / previous pane"),
            ("down j / up k", "Move in a list, scroll the excerpts"),
            ("g / G", "First / last row"),
            ("pageup / pagedown", "A page up / down"),
            ("enter", "Case → its timeline, event → its excerpts"),
        ],
    ),
    (
        "Events (main screen)",
        [
            ("a", "Add an event: date, title, note, tags, passages"),
            ("e", "Edit the selected event (same editor)"),
            ("t", "Tags of the event, or of every marked event"),
            ("c", "Confirm the selected event (then the next), or every marked one"),
            ("x", "Reject the selected event (then the next), or every marked one"),
            ("d", "Delete the selected event (asks first)"),
            ("/", "Search; enter jumps to the result"),
            ("r", "Reload everything from the database"),
            ("u", "Undo the latest change: to an event, a bulk review, a merge, a case rename or close"),
            ("f", "Facts of the case and why each source is in it; edit, move, merge, split"),
            ("K", "The case as known on a date, with how late each event was reported"),
            ("V", "Events only one source supports (to verify)"),
            ("A", "Agenda: what is scheduled across all cases"),
            ("E", "Export the case: JSON, JSON Lines, CSV, Markdown, iCalendar, TimelineJS"),
            ("o", "Read the source of the event's excerpt, excerpts marked"),
            ("m", "Move the selected event to another case (u undoes)"),
            ("J", "Join the marked events into the one under the cursor (u undoes)"),
            ("S", "c and x step to the next event, or stay (toggles)"),
            ("U", "Only the undated events (again: all)"),
        ],
    ),
    (
        "Cases and import (main screen)",
        [
            ("n", "New case"),
            ("R", "Rename the selected case"),
            ("C", "Close the selected case (shown dimmed), or reopen it"),
            ("M", "Merge the selected case into another (asks first; u undoes)"),
            ("D", "Delete the selected case if it is empty (u undoes)"),
            ("i", "Import a file or folder; keeps working while it runs"),
            ("escape", "Hide the import summary"),
        ],
    ),
    (
        "Source reader (o)",
        [
            ("j k / down up", "Next / previous sentence"),
            ("J K / shift+arrows", "Extend the selection by a sentence"),
            ("v", "Start / stop selecting; j k then extend it"),
            ("a", "New event from the selection, date read from it"),
            ("L", "Link the selection to an event that exists"),
            ("S", "Split the passage under the cursor off its event"),
            ("C", "Confirm every suggested event of the source"),
            ("e", "The source's date (its events are read again), title, URL, outlet"),
            ("n / N", "Next / previous excerpt of the source"),
            ("space / b", "A page down / up (also pgdn / pgup)"),
            ("g / G", "Start / end of the source"),
            ("escape", "Back"),
        ],
    ),
    (
        "Review (c, x and t act on every marked event)",
        [
            ("space", "Mark / unmark the event and go to the next"),
            ("escape", "Clear the marks"),
            ("s", "Show all / suggested / confirmed / rejected"),
            ("T", "Show only events with a tag (empty: all)"),
        ],
    ),
    (
        "Forms and dialogs",
        [
            ("tab", "Next field"),
            ("enter", "Save / apply"),
            ("escape", "Cancel, or go back"),
            ("y / n", "Answer a confirmation"),
            ("→", "Accept a suggested tag"),
            ("ctrl+t / F2", "Event editor: read the date against today or the source date"),
            ("ctrl+o / F3", "Event editor: occurred or scheduled (the agenda)"),
            ("j k, enter", "Reports (f K V A): select a row, jump to it; : the command line"),
            ("space", "Event editor: link / unlink a passage"),
        ],
    ),
    (
        "Anywhere",
        [
            ("?", "Help (this screen)"),
            ("ctrl+p", "Command palette: jump to a case or a recent event, run any action"),
            ("q", "Quit"),
        ],
    ),
]


def help_text() -> Text:
    """The key table as Text."""
    text = Text(end="")
    for heading, rows in KEYS:
        if text:
            text.append("\n")
        text.append(f"{heading}\n", style="bold underline")
        for keys, what in rows:
            text.append(f"  {keys:<18}", style="bold cyan")
            text.append(f" {what}\n")
    return text


class HelpScreen(ModalScreen[None]):
    """Escape, ? or q closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close"),
        Binding("j", "scroll_down", "Down", show=False),
        Binding("k", "scroll_up", "Up", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help", classes="dialog"):
            yield Static(Text("tracker keys", style="bold"), classes="dialog-title")
            yield Static(help_text(), id="help-keys")
            yield Static(Text("Esc, ? or q closes", style="dim"), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#help", VerticalScroll).focus()

    def action_scroll_down(self) -> None:
        self.query_one("#help", VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        self.query_one("#help", VerticalScroll).scroll_up()

    def action_close(self) -> None:
        self.dismiss(None)
