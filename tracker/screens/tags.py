"""The modal that adds and removes an event's tags.

One input takes comma-separated names: plain names are added, names prefixed with '-'
are removed. The event's tags and the known tags are shown above it, and the last name
being typed is completed from the known tags (Right arrow accepts).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label, Static

from tracker.models import Event
from tracker.store import StoreError
from tracker.widgets.safe_text import plain, show_error


def parse_tag_input(text: str) -> tuple[list[str], list[str]]:
    """(names to add, names to remove) from "a, b, -c"."""
    add: list[str] = []
    remove: list[str] = []
    for part in text.split(","):
        name = part.strip()
        if name.startswith("-"):
            name = name[1:].strip()
            if name:
                remove.append(name)
        elif name:
            add.append(name)
    return add, remove


class LastTagSuggester(Suggester):
    """Completes the name after the last comma from the known tags."""

    def __init__(self, known: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.known = known

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(",")
        stripped = last.lstrip()
        prefix = stripped[1:].lstrip() if stripped.startswith("-") else stripped
        if not prefix:
            return None
        for name in self.known:
            if name.casefold().startswith(prefix.casefold()) and name != prefix:
                return value[: len(value) - len(prefix)] + name
        return None


class TagForm(ModalScreen[Event | None]):
    """Enter applies the changes, Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, event: Event, *, known: list[str], save: Callable[[list[str], list[str]], Event]) -> None:
        super().__init__()
        self.event = event
        self.known = known
        self.save = save

    def compose(self) -> ComposeResult:
        tags = plain(", ".join(self.event.tags), "cyan") if self.event.tags else Text("none", style="dim")
        others = [t for t in self.known if t not in self.event.tags]
        with Vertical(id="tag-form", classes="dialog"):
            yield Label("Tags", classes="dialog-title")
            yield Static(plain(self.event.title, "bold"), id="tag-event")
            yield Static(Text.assemble("Has: ", tags), id="tag-current")
            if others:
                yield Static(Text.assemble("Known: ", plain(", ".join(others), "dim", multiline=True)), id="tag-known")
            yield Input(placeholder="add, names  ·  -name removes", id="tag-input", suggester=LastTagSuggester(self.known))
            yield Static("", id="tag-error", classes="error")
            yield Static("Enter apply · → complete · Esc cancel", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#tag-input", Input).focus()

    def on_input_submitted(self, message: Input.Submitted) -> None:
        message.stop()
        add, remove = parse_tag_input(message.value)
        if not add and not remove:
            self.query_one("#tag-error", Static).update(Text("Type tag names, e.g. hearing, -draft"))
            return
        try:
            event = self.save(add, remove)
        except StoreError as err:
            self.query_one("#tag-error", Static).update(plain(f"Not saved: {err}", multiline=True))
            show_error(self, err)
            return
        self.dismiss(event)

    def action_cancel(self) -> None:
        self.dismiss(None)
