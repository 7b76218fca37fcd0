"""A one-line prompt (a case title, a path) with completion, and the two suggesters it uses.

The answer goes through a `submit` callback, like the event form: a StoreError (a
title already taken, no such case) is shown in place and the user keeps what they
typed; the prompt closes only on success, with the callback's result.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label, Static

from tracker.store import Store, StoreError
from tracker.widgets.safe_text import plain, scrub


class CaseTitleSuggester(Suggester):
    """Completes a case title from the store (a range on the title index, any size)."""

    def __init__(self, store: Store) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.store = store

    async def get_suggestion(self, value: str) -> str | None:
        if not value.strip():
            return None
        try:
            titles = self.store.case_titles_from(value, limit=1)
        except StoreError:
            return None
        if titles and titles[0] != value:
            # Keep what was typed (its letter case), complete the rest.
            return value + titles[0][len(value):]
        return None


class PathSuggester(Suggester):
    """Completes the last part of a file system path; a leading ~ is the home folder."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        expanded = os.path.expanduser(value)
        folder, _, stem = expanded.rpartition(os.sep)
        where = Path(folder or ("/" if expanded.startswith(os.sep) else "."))
        try:
            names = sorted(entry.name for entry in os.scandir(where) if entry.name.startswith(stem)
                           and (stem.startswith(".") or not entry.name.startswith(".")))
        except OSError:
            return None
        if not names or names[0] == stem:
            return None
        done = names[0][len(stem):]
        if (where / names[0]).is_dir():
            done += os.sep
        return value + done


class PromptScreen(ModalScreen[Any]):
    """Heading, a hint line, one Input; Enter submits, Escape cancels (dismisses None)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        *,
        heading: Text | str,
        submit: Callable[[str], Any],
        value: str = "",
        placeholder: str = "",
        about: Text | None = None,
        suggester: Suggester | None = None,
        input_id: str = "prompt-input",
    ) -> None:
        super().__init__()
        self.heading = heading if isinstance(heading, Text) else Text(heading)
        self.submit = submit
        self.value = scrub(value)
        self.placeholder = placeholder
        self.about = about
        self.suggester = suggester
        self.input_id = input_id

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt", classes="dialog"):
            yield Label(self.heading, classes="dialog-title")
            if self.about is not None:
                yield Static(self.about, id="prompt-about")
            yield Input(value=self.value, placeholder=self.placeholder, id=self.input_id, suggester=self.suggester)
            yield Static("", id="prompt-error", classes="error")
            hint = "Enter ok · → complete · Esc cancel" if self.suggester else "Enter ok · Esc cancel"
            yield Static(hint, classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_changed(self, message: Input.Changed) -> None:
        self.query_one("#prompt-error", Static).update("")

    def on_input_submitted(self, message: Input.Submitted) -> None:
        message.stop()
        text = message.value.strip()
        if not text:
            self.query_one("#prompt-error", Static).update(Text("Type something first (Esc cancels)"))
            return
        try:
            result = self.submit(text)
        except (StoreError, ValueError) as err:
            self.query_one("#prompt-error", Static).update(plain(f"✗ {err}", multiline=True))
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)
