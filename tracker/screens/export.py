"""Exporting the selected case from the app: pick a format, confirm the file, write.
An existing file is replaced only when Enter is pressed again on its name.

A big case takes seconds to render, so the file is written by a worker (the recipe in
screens/background.py) while the picker says so; the file name defaults to the case
title in the current directory and can be edited first.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tracker.export import FORMATS, SUFFIXES, render
from tracker.screens.background import in_background
from tracker.store import Store
from tracker.widgets.safe_text import plain

LABELS = {
    "json": "JSON (tracker.v1, for other tools)",
    "jsonl": "JSON Lines (one event a line)",
    "csv": "CSV (a spreadsheet)",
    "markdown": "Markdown (a chronology for a brief)",
    "ics": "iCalendar (a calendar)",
    "timelinejs": "TimelineJS (Knight Lab timeline)",
}


def default_path(title: str, fmt: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "case"
    return f"{slug}.{SUFFIXES[fmt]}" if fmt != "timelinejs" else f"{slug}.timeline.json"


class ExportScreen(ModalScreen[str | None]):
    """Choose a format with the arrows, Enter; edit the file name, Enter writes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, store: Store, case_id: int) -> None:
        super().__init__()
        self.store = store
        self.case = store.get_case(case_id)
        self.fmt = "markdown"
        self.overwrite: Path | None = None  # the existing file a second Enter replaces

    def compose(self) -> ComposeResult:
        with Vertical(id="export-form"):
            yield Static(plain(f"Export {self.case.title}", "bold"))
            yield OptionList(*[Option(LABELS[f], id=f) for f in FORMATS], id="export-formats")
            yield Input(default_path(self.case.title, self.fmt), id="export-path")
            yield Static("Enter chooses · Enter writes · Esc cancels", id="export-message")

    def on_mount(self) -> None:
        formats = self.query_one(OptionList)
        formats.highlighted = FORMATS.index(self.fmt)
        formats.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.fmt = str(event.option.id)
        path = self.query_one("#export-path", Input)
        path.value = default_path(self.case.title, self.fmt)
        path.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        target = Path(event.value.strip()).expanduser()
        message = self.query_one("#export-message", Static)
        if not event.value.strip():
            message.update(plain("type a file name", "bold red"))
            return
        if target.exists() and self.overwrite != target:
            self.overwrite = target
            message.update(plain(f"{target} exists: Enter again replaces it, or type another name", "bold red"))
            return
        case_id, fmt = self.case.id, self.fmt

        def build(store: Store) -> str:
            target.write_text(render(store, [store.get_case(case_id)], fmt), encoding="utf-8", newline="")
            return str(target)

        def failed(exc: Exception) -> None:
            message.update(plain(f"not written: {exc}", "bold red"))

        message.update(plain(f"writing {target}…", "dim"))
        in_background(self, self.store.path, build, self.dismiss, failed, group="export")

    def action_cancel(self) -> None:
        self.dismiss(None)
