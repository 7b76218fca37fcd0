"""The form that corrects a source's facts from the reader (`e`): its publication
date, title, URL and outlet. A new date is recorded with basis "user" and the source's
events are read again against it (`importer.correct_source`); one `u` takes it back."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tracker.screens.writes import FormSave
from tracker.widgets.safe_text import plain, scrub

FIELDS = (("published", "Published", "YYYY-MM-DD, YYYY-MM or YYYY"), ("title", "Title", "the headline"),
          ("url", "URL", "where it was published"), ("outlet", "Outlet", "the newspaper, the wire"))


def read_published(text: str) -> str:
    """A publication date typed as a day, a month or a year; ValueError otherwise."""
    from tracker.dates import parse_iso_day

    text = text.strip()
    if re.fullmatch(r"\d{4}(-(0[1-9]|1[0-2]))?", text):
        return text
    return parse_iso_day(text).isoformat()


class SourceForm(ModalScreen[Any]):
    """Enter saves what changed, Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, facts: dict[str, Any], save: Callable[[dict[str, str]], Any]) -> None:
        super().__init__()
        self.facts = facts
        self.save = save
        self.saving = FormSave(self)

    def compose(self) -> ComposeResult:
        basis = self.facts.get("published_basis") or "unknown"
        with Vertical(id="source-form", classes="dialog"):
            yield Label("Source facts", classes="dialog-title")
            yield Static(Text(f"Publication date read from: {basis}; a date typed here re-reads the events",
                              style="dim"), id="source-basis")
            for name, label, hint in FIELDS:
                with Horizontal(classes="form-row"):
                    yield Label(label, classes="form-label")
                    yield Input(value=scrub(str(self.facts.get(name) or "")), placeholder=hint, id=f"source-{name}")
            yield Static("", id="source-error", classes="error")
            yield Static("Enter save · Tab next field · Esc cancel", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#source-published", Input).focus()

    def on_input_submitted(self, message: Input.Submitted) -> None:
        message.stop()
        changes: dict[str, str] = {}
        for name, _, _ in FIELDS:
            value = self.query_one(f"#source-{name}", Input).value.strip()
            if value != str(self.facts.get(name) or ""):
                changes[name] = value
        if not changes:
            self.dismiss(None)
            return
        try:
            if "published" in changes:
                changes["published"] = read_published(changes["published"])
        except ValueError as err:
            self._refuse(err)
            return
        self.saving.start(lambda: self.save(changes), self._refuse)

    def _refuse(self, err: Exception) -> None:
        self.query_one("#source-error", Static).update(plain(f"Not saved: {err}", multiline=True))

    def action_cancel(self) -> None:
        self.saving.cancel()
        self.dismiss(None)
