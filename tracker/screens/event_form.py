"""The modal editor that adds or edits an event: date, title, note, tags and passages.

The date is typed in natural language and read with `dates.parse_user_date` against a
base date the form shows: today, or the publication date of the source behind the
selected event ("last Friday" in an article means the Friday before it was published);
ctrl+t (or F2) switches between them, and the normalised value is shown live under the
field. Tags complete from the known tags. The passages list holds the excerpts linked to
the event (ticked) and the other passages of the case's sources; space links or unlinks.
Saving goes through a `save` callback, made by the app's write queue (screens/writes.py):
the form closes once the store accepted it; a refusal is shown in place and the user
keeps what they typed. Every field is one line so the form fits 80x24.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tracker import dates
from tracker.models import Event, Excerpt
from tracker.screens.tags import LastTagSuggester, split_names
from tracker.screens.writes import FormSave
from tracker.store import StoreError
from tracker.widgets.safe_text import plain, scrub, show_error


@dataclass(frozen=True)
class EventDraft:
    """What the form collected, already parsed and checked."""

    value: str | None
    granularity: str
    date_text: str
    title: str
    note: str = ""
    tags: tuple[str, ...] = ()
    excerpt_ids: tuple[int, ...] = field(default_factory=tuple)
    kind: str = "occurred"


@dataclass(frozen=True)
class Base:
    """A date relative phrases are read against, with what it is (shown to the user)."""

    label: str
    day: date


def preview(text: str, base: date) -> tuple[Text, bool]:
    """The live line under the date field and whether the date is acceptable."""
    try:
        parsed = dates.parse_user_date(text, base)
    except ValueError as err:
        return plain(f"✗ {err}", "red", multiline=True), False
    return Text(f"→ {dates.display(parsed.value, parsed.granularity)} ({parsed.granularity})", style="green"), True


def source_bases(excerpts: list[Excerpt]) -> list[Base]:
    """The publication dates of the sources behind an event, as bases (first source first)."""
    bases: list[Base] = []
    for excerpt in excerpts:
        if not excerpt.source_published:
            continue
        try:
            day = dates.parse_iso_day(excerpt.source_published[:10])
        except ValueError:
            continue
        if all(b.day != day for b in bases):
            bases.append(Base("the source's date", day))
    return bases


def excerpt_prompt(excerpt: Excerpt, linked: bool) -> Text:
    """One line for a passage: [x] when linked (readable without colour), the date it
    gives, its source (shortened) and as much of its text as fits, never markup: two
    passages of one source are told apart by their words."""
    reading = f"{excerpt.value} " if excerpt.value else ""
    source = excerpt.source_title if len(excerpt.source_title) <= 24 else excerpt.source_title[:23] + "…"
    text = Text.assemble(
        Text("[x] " if linked else "[ ] ", style="bold green" if linked else "dim"),
        (reading, "cyan"), plain(source, "dim"), ": ", plain(" ".join(excerpt.text.split())),
    )
    text.no_wrap = True
    text.overflow = "ellipsis"
    return text


class PassageList(OptionList):
    """A checklist of passages: space links or unlinks the highlighted one; Enter saves
    the form as in every other field."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle", "Link", show=False),
        Binding("enter", "screen.submit", "Save", show=False),
    ]

    def __init__(self, excerpts: list[Excerpt], linked: set[int], *, id: str | None = None) -> None:
        super().__init__(*[Option(excerpt_prompt(x, x.id in linked), id=str(x.id)) for x in excerpts], id=id)
        self.excerpts = excerpts
        self.linked = set(linked)

    @property
    def selected(self) -> list[int]:
        """The passages ticked now, in list order."""
        return [x.id for x in self.excerpts if x.id in self.linked]

    def action_toggle(self) -> None:
        index = self.highlighted
        if index is None:
            return
        excerpt = self.excerpts[index]
        self.linked.symmetric_difference_update({excerpt.id})
        self.replace_option_prompt_at_index(index, excerpt_prompt(excerpt, excerpt.id in self.linked))
        self.post_message(self.Toggled(self))

    class Toggled(Message):
        """A passage was linked or unlinked."""

        def __init__(self, passages: PassageList) -> None:
            super().__init__()
            self.passages = passages


class EventForm(ModalScreen[Event | None]):
    """Tab moves between the fields, Enter saves, Escape cancels, ctrl+t switches base."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+t,f2", "switch_base", "Base", show=False),
        Binding("ctrl+o,f3", "switch_kind", "Kind", show=False),
    ]

    def __init__(
        self,
        *,
        heading: str,
        base: date,
        save: Callable[[EventDraft], Event],
        event: Event | None = None,
        sources: list[Base] | None = None,
        linked: list[Excerpt] | None = None,
        candidates: list[Excerpt] | None = None,
        known_tags: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.heading = heading
        self.bases = [Base("today", base), *(sources or [])]
        self.base_index = 0
        self.save = save
        self.saving = FormSave(self)
        self.event = event
        self.linked = linked or []
        linked_ids = {x.id for x in self.linked}
        self.candidates = [x for x in candidates or [] if x.id not in linked_ids]
        self.known_tags = known_tags or []
        self.kind = event.kind if event is not None else "occurred"
        # Editing: the date field starts with the stored value, which parses back exactly.
        if event is None:
            self.initial_date = ""
        else:
            self.initial_date = event.date or "undated"

    @property
    def base(self) -> date:
        return self.bases[self.base_index].day

    def compose(self) -> ComposeResult:
        event = self.event
        with Vertical(id="form", classes="dialog"):
            yield Label(self.heading, classes="dialog-title")
            yield Static(self._base_line(), id="base")
            with Horizontal(classes="form-row"):
                yield Label("Date", classes="form-label")
                yield Input(value=self.initial_date, placeholder="March 12, 2021 · last Friday · Q1 2021", id="date")
            yield Static("", id="preview")
            with Horizontal(classes="form-row"):
                yield Label("Title", classes="form-label")
                yield Input(value=scrub(event.title) if event else "", placeholder="What happened", id="title")
            with Horizontal(classes="form-row"):
                yield Label("Note", classes="form-label")
                yield Input(value=scrub(event.note) if event else "", placeholder="Free text (optional)", id="note")
            with Horizontal(classes="form-row"):
                yield Label("Tags", classes="form-label")
                yield Input(
                    value=scrub(", ".join(event.tags)) if event else "",
                    placeholder="none yet; comma-separated, → completes a known tag",
                    id="tags",
                    suggester=LastTagSuggester(self.known_tags),
                )
            yield Static(self._passages_line(len(self.linked)), id="passages-label")
            yield PassageList([*self.linked, *self.candidates], {x.id for x in self.linked}, id="passages")
            yield Static("", id="form-error", classes="error")
            yield Static("Enter save · Tab next field · ctrl+t base · Esc cancel", classes="hint")

    def _passages_line(self, count: int) -> Text:
        line = Text(f"Passages: {count} linked · space links/unlinks · ", style="dim")
        line.append(self.kind, style="bold magenta" if self.kind == "scheduled" else "bold")
        line.append(" (ctrl+o)", style="dim")
        return line

    def _base_line(self) -> Text:
        current = self.bases[self.base_index]
        line = Text(f"Relative to {current.label}, {current.day:%a %Y-%m-%d}", style="bold")
        if len(self.bases) > 1:
            following = self.bases[(self.base_index + 1) % len(self.bases)]
            other = "today" if following.label == "today" else f"{following.day:%Y-%m-%d}"
            line.append(f" · ctrl+t: {other}", style="dim")
        return line

    def on_mount(self) -> None:
        self.query_one("#date", Input).focus()
        self.query_one("#passages", PassageList).display = bool(self.linked or self.candidates)
        self._update_preview()

    def _update_preview(self) -> bool:
        text = self.query_one("#date", Input).value
        line, ok = preview(text, self.base) if text.strip() else (Text("type a date", style="dim"), False)
        self.query_one("#preview", Static).update(line)
        return ok

    def action_switch_kind(self) -> None:
        """Occurred ↔ scheduled: a scheduled event (a hearing, a deadline) is on the agenda."""
        self.kind = "scheduled" if self.kind == "occurred" else "occurred"
        self.query_one("#passages-label", Static).update(
            self._passages_line(len(self.query_one("#passages", PassageList).selected)))

    def action_switch_base(self) -> None:
        """Read the date against the next base (today ↔ the source's publication date)."""
        if len(self.bases) < 2:
            self.notify("no source date to switch to: the base stays today", markup=False)
            return
        self.base_index = (self.base_index + 1) % len(self.bases)
        self.query_one("#base", Static).update(self._base_line())
        self._update_preview()

    def on_input_changed(self, message: Input.Changed) -> None:
        if message.input.id == "date":
            self._update_preview()
        self.query_one("#form-error", Static).update("")

    def on_passage_list_toggled(self, message: PassageList.Toggled) -> None:
        self.query_one("#passages-label", Static).update(self._passages_line(len(message.passages.selected)))

    def on_input_submitted(self, message: Input.Submitted) -> None:
        message.stop()
        self.submit()

    def _refuse(self, why: Text | str, field_id: str) -> None:
        self.query_one("#form-error", Static).update(why if isinstance(why, Text) else plain(why))
        self.query_one(f"#{field_id}", Input).focus()

    def action_submit(self) -> None:
        self.submit()

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
        tags = tuple(split_names(self.query_one("#tags", Input).value))
        linked = tuple(self.query_one("#passages", PassageList).selected)
        note = self.query_one("#note", Input).value
        draft = EventDraft(parsed.value, parsed.granularity, date_text, title, note, tags, linked, self.kind)
        def refused(err: StoreError) -> None:
            self._refuse(plain(f"Not saved: {err}", multiline=True), "tags" if "tag" in str(err) else "title")
            show_error(self, err)

        self.saving.start(lambda: self.save(draft), refused)

    def action_cancel(self) -> None:
        self.saving.cancel()
        self.dismiss(None)
