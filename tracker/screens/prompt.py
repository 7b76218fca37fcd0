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
from textual.fuzzy import FuzzySearch
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tracker.screens.writes import FormSave
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


MATCHES_SHOWN = 6


def fuzzy_titles(query: str, titles: list[str], limit: int = MATCHES_SHOWN) -> list[tuple[str, Text]]:
    """`titles` that match `query` fuzzily (as the palette does), best first, each with
    the matched letters underlined (inert Text, never markup)."""
    scored = []
    search = FuzzySearch()
    for order, title in enumerate(dict.fromkeys(titles)):
        text = plain(title)
        if query.strip():
            score, offsets = search.match(query, title)
            if score <= 0:
                continue
            for offset in offsets:
                text.stylize("bold underline", offset, offset + 1)
        else:
            score = 1.0
        scored.append((-score, order, title, text))
    scored.sort(key=lambda item: (item[0], item[1]))
    return [(title, text) for _, _, title, text in scored[:limit]]


def case_matches(store: Store) -> Callable[[str], list[tuple[str, Text]]]:
    """The cases matching what is typed, fuzzily: those whose title contains it, then
    the first cases in list order, scored like the palette."""

    def matches(query: str) -> list[tuple[str, Text]]:
        try:
            titles = [c.title for c in store.palette_cases(query, 20)]
            titles += [c.title for c in store.palette_cases("", 200)]
        except StoreError:
            return []
        return fuzzy_titles(query, titles)

    return matches


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
    """Heading, a hint line, one Input; Enter submits, Escape cancels (dismisses None).

    With `writes`, `submit` writes: it runs through the app's write queue (it may wait
    for another process while the keys keep working) and the prompt closes once it
    landed; otherwise it only checks what was typed, at once."""

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
        matches: Callable[[str], list[tuple[str, Text]]] | None = None,
        writes: bool = False,
    ) -> None:
        super().__init__()
        self.writes = writes
        self.saving = FormSave(self)
        self.heading = heading if isinstance(heading, Text) else Text(heading)
        self.submit = submit
        self.value = scrub(value)
        self.placeholder = placeholder
        self.about = about
        self.suggester = suggester
        self.input_id = input_id
        self.matches = matches
        self.shown: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt", classes="dialog"):
            yield Label(self.heading, classes="dialog-title")
            if self.about is not None:
                yield Static(self.about, id="prompt-about")
            yield Input(value=self.value, placeholder=self.placeholder, id=self.input_id, suggester=self.suggester)
            if self.matches is not None:
                yield OptionList(id="prompt-matches")
            yield Static("", id="prompt-error", classes="error")
            hint = "Enter ok · → complete · Esc cancel" if self.suggester else "Enter ok · Esc cancel"
            if self.matches is not None:
                hint = "Enter takes the first match · ↓ choose another · Esc cancel"
            yield Static(hint, classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._show_matches(self.value)

    def _show_matches(self, query: str) -> None:
        if self.matches is None:
            return
        found = self.matches(query)
        self.shown = [title for title, _ in found]
        options = self.query_one("#prompt-matches", OptionList)
        options.clear_options()
        options.add_options([Option(text, id=str(i)) for i, (_, text) in enumerate(found)])
        options.display = bool(found)
        if found:
            options.highlighted = 0

    def on_input_changed(self, message: Input.Changed) -> None:
        self.query_one("#prompt-error", Static).update("")
        self._show_matches(message.value)

    def on_key(self, event: Any) -> None:
        if event.key == "down" and self.matches is not None and self.shown and isinstance(self.focused, Input):
            event.stop()
            self.query_one("#prompt-matches", OptionList).focus()

    def on_option_list_option_selected(self, message: OptionList.OptionSelected) -> None:
        message.stop()
        self._answer(self.shown[int(message.option.id or 0)])

    def on_input_submitted(self, message: Input.Submitted) -> None:
        message.stop()
        text = message.value.strip()
        if text and self.shown and text.casefold() not in (t.casefold() for t in self.shown):
            text = self.shown[0]  # what is typed names no case: the best match
        self._answer(text)

    def _answer(self, text: str) -> None:
        if not text:
            self.query_one("#prompt-error", Static).update(Text("Type something first (Esc cancels)"))
            return
        if self.writes:
            self.saving.start(lambda: self.submit(text), self._refuse)
            return
        try:
            result = self.submit(text)
        except (StoreError, ValueError) as err:
            self._refuse(err)
            return
        self.dismiss(result)

    def _refuse(self, err: Exception) -> None:
        self.query_one("#prompt-error", Static).update(plain(f"✗ {err}", multiline=True))

    def action_cancel(self) -> None:
        self.saving.cancel()
        self.dismiss(None)
