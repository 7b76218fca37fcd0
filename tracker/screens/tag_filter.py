"""The picker that filters the timeline by one tag.

Type a tag name (completed from the known tags, Right arrow accepts) and press Enter to
show only the events that carry it; Enter on an empty field shows every event again.
A name that is no tag is refused in place. The filter itself is paged from SQL by the
timeline (`Store.filtered_page`); this screen only picks the name.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Static

from tracker.widgets.safe_text import plain, scrub


class TagFilterPicker(ModalScreen[str | None]):
    """Dismissed with the tag name, "" to clear the filter, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, known: list[str], current: str | None = None) -> None:
        super().__init__()
        self.known = known
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="tag-filter", classes="dialog"):
            yield Label("Show only events tagged", classes="dialog-title")
            if self.known:
                yield Static(Text.assemble("Tags: ", plain(", ".join(self.known), "dim", multiline=True)),
                             id="tag-filter-known")
            else:
                yield Static(Text("No event has a tag yet (t tags the selected event).", style="dim"))
            yield Input(value=scrub(self.current or ""), placeholder="tag name  (empty: all events)",
                        id="tag-filter-input", suggester=SuggestFromList(self.known, case_sensitive=False))
            yield Static("", id="tag-filter-error", classes="error")
            yield Static("Enter filter · empty Enter shows all · → complete · Esc cancel", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#tag-filter-input", Input).focus()

    def on_input_changed(self, message: Input.Changed) -> None:
        self.query_one("#tag-filter-error", Static).update("")

    def on_input_submitted(self, message: Input.Submitted) -> None:
        message.stop()
        name = message.value.strip()
        if not name:
            self.dismiss("")
            return
        if name not in self.known:
            folded = [t for t in self.known if t.casefold() == name.casefold()]
            if not folded:
                self.query_one("#tag-filter-error", Static).update(plain(f"No tag named {name!r}", multiline=True))
                return
            name = folded[0]
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)
