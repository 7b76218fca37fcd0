"""The modal form that adds or edits an event by hand.

The date is typed in natural language and read with `dates.parse_user_date` against a
base date the form shows (today), so "last Friday" is never ambiguous; the normalised
value is shown live under the field. Saving goes through a `save` callback so a store
refusal is shown in place and the user keeps what they typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tracker import dates
from tracker.models import Event
from tracker.store import StoreError
from tracker.widgets.safe_text import plain, scrub, show_error


@dataclass(frozen=True)
class EventDraft:
    """What the form collected, already parsed and checked."""

    value: str | None
    granularity: str
    date_text: str
    title: str


def preview(text: str, base: date) -> tuple[Text, bool]:
    """The live line under the date field and whether the date is acceptable."""
    try:
        parsed = dates.parse_user_date(text, base)
    except ValueError as err:
        return plain(f"✗ {err}", "red", multiline=True), False
    return Text(f"→ {dates.display(parsed.value, parsed.granularity)} ({parsed.granularity})", style="green"), True


class EventForm(ModalScreen[Event | None]):
    """Date and title; Tab moves between them, Enter saves, Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        *,
        heading: str,
        base: date,
        save: Callable[[EventDraft], Event],
        event: Event | None = None,
    ) -> None:
        super().__init__()
        self.heading = heading
        self.base = base
        self.save = save
        self.event = event
        # Editing: the date field starts with the stored value, which parses back exactly.
        if event is None:
            self.initial_date = ""
        else:
            self.initial_date = event.date or "undated"

    def compose(self) -> ComposeResult:
        with Vertical(id="form", classes="dialog"):
            yield Label(self.heading, classes="dialog-title")
            yield Label(Text(f"Date (relative to today, {self.base:%a %Y-%m-%d})"))
            yield Input(
                value=self.initial_date,
                placeholder="March 12, 2021 · last Friday · Q1 2021",
                id="date",
            )
            yield Static("", id="preview")
            yield Label("Title")
            yield Input(value=scrub(self.event.title) if self.event else "", placeholder="What happened", id="title")
            yield Static("", id="form-error", classes="error")
            yield Static("Enter save · Tab next field · Esc cancel", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#date", Input).focus()
        self._update_preview()

    def _update_preview(self) -> bool:
        text = self.query_one("#date", Input).value
        line, ok = preview(text, self.base) if text.strip() else (Text("type a date", style="dim"), False)
        self.query_one("#preview", Static).update(line)
        return ok

    def on_input_changed(self, message: Input.Changed) -> None:
        if message.input.id == "date":
            self._update_preview()
        self.query_one("#form-error", Static).update("")

    def on_input_submitted(self, message: Input.Submitted) -> None:
        message.stop()
        self.submit()

    def _refuse(self, why: Text | str, field: str) -> None:
        self.query_one("#form-error", Static).update(why if isinstance(why, Text) else plain(why))
        self.query_one(f"#{field}", Input).focus()

    def submit(self) -> None:
        """Check, save through the callback, and close only when the store accepted it."""
        date_text = self.query_one("#date", Input).value.strip()
        title = self.query_one("#title", Input).value.strip()
        try:
            parsed = dates.parse_user_date(date_text, self.base)
        except ValueError as err:
            self._refuse(plain(f"Not saved: {err}", multiline=True), "date")
            return
        if not title:
            self._refuse("Not saved: type a title", "title")
            return
        if self.event is not None and date_text == self.initial_date:
            date_text = self.event.date_text  # unchanged: keep the phrase it came from
        draft = EventDraft(parsed.value, parsed.granularity, date_text, title)
        try:
            saved = self.save(draft)
        except StoreError as err:
            self._refuse(plain(f"Not saved: {err}", multiline=True), "title")
            show_error(self, err)
            return
        self.dismiss(saved)

    def action_cancel(self) -> None:
        self.dismiss(None)
