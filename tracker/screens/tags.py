"""The modal that adds and removes tags on the selected event or on every marked one.

One input takes comma-separated names: plain names are added, names prefixed with '-'
are removed. The tags the events have and the other known tags are shown above it, and
the last name being typed is completed from the known tags (Right arrow accepts).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label, Static

from tracker.models import Event
from tracker.screens.writes import FormSave
from tracker.store import StoreError
from tracker.widgets.safe_text import plain, show_error


def split_names(text: str) -> list[str]:
    """Names from "a, b, ,c": stripped, empty ones dropped, each once, in order."""
    return list(dict.fromkeys(name.strip() for name in text.split(",") if name.strip()))


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


class TagForm(ModalScreen[Any]):
    """Enter applies the changes (to every event given), Escape cancels.

    `save(add, remove)` does the writing, through the app's write queue; what it
    returns is what the screen is dismissed with, so the caller decides how to refresh.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        target: Event | Sequence[Event],
        *,
        known: list[str],
        save: Callable[[list[str], list[str]], Any],
    ) -> None:
        super().__init__()
        self.events: list[Event] = [target] if isinstance(target, Event) else list(target)
        self.event = self.events[0] if self.events else None
        self.known = known
        self.save = save
        self.saving = FormSave(self)

    def _has(self) -> Text:
        """The tags the events carry; with several events, how many have each."""
        counts = Counter(name for event in self.events for name in event.tags)
        if not counts:
            return Text("none", style="dim")
        if len(self.events) == 1:
            return plain(", ".join(self.events[0].tags), "cyan")
        return plain(", ".join(f"{name} ({n})" for name, n in sorted(counts.items())), "cyan")

    def compose(self) -> ComposeResult:
        having = {name for event in self.events for name in event.tags}
        others = [t for t in self.known if t not in having]
        if len(self.events) == 1:
            heading = plain(self.events[0].title, "bold")
        else:
            heading = Text(f"{len(self.events)} marked events", style="bold")
        with Vertical(id="tag-form", classes="dialog"):
            yield Label("Tags", classes="dialog-title")
            yield Static(heading, id="tag-event")
            yield Static(Text.assemble("Has: ", self._has()), id="tag-current")
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
        def refused(err: StoreError) -> None:
            self.query_one("#tag-error", Static).update(plain(f"Not saved: {err}", multiline=True))
            show_error(self, err)

        self.saving.start(lambda: self.save(add, remove), refused)

    def action_cancel(self) -> None:
        self.saving.cancel()
        self.dismiss(None)
