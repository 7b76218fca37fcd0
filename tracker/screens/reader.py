"""The source reader: a whole source with its excerpts marked, and events made from it.

`o` on the main screen opens it on the source of the selected event's excerpt, with that
excerpt under the cursor. Every excerpt of the source is underlined (the one you came
from is highlighted), and the events the source supports are listed below the text.

The cursor moves a sentence at a time (j/k); shift+j/k (or v, then j/k, like a pager's
visual mode) extends the selection; `a` makes the selected passage an event: the date is
read from any date phrase in it (tracker.extract, anchored on the source's publication
date, as the importer does) and the event form opens prefilled to confirm.

A source may be tens of megabytes, so only a window of WINDOW characters around the
cursor is split into sentences and drawn; moving past its edge moves the window. All
of it is untrusted text: it is scrubbed and drawn as inert `Text`, never markup.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from tracker import dates
from tracker.extract import TITLE_MAX, ProposedEvent, propose_events
from tracker.models import Change, Event, Excerpt, Source
from tracker.published import guess_from_value
from tracker.screens.event_form import EventDraft, EventForm
from tracker.screens.reader_fixes import ReaderFixes
from tracker.sentences import sentence_spans
from tracker.store import Store, StoreError
from tracker.text import clean_line
from tracker.timex import Anchor
from tracker.widgets.safe_text import plain, read_or_say, say, scrub, show_error

EXCERPT_STYLE = "underline"
FOCUS_STYLE = "bold black on yellow"
SELECTION_STYLE = "reverse"
WINDOW = 6000
"""Characters of the source split into sentences and drawn at a time."""

Span = tuple[int, int]


def passage_proposal(passage: str, anchor: Anchor | None) -> ProposedEvent | None:
    """The first event the importer would read from `passage` (offsets in the passage)."""
    try:
        found = propose_events(passage, anchor)
    except Exception:  # noqa: BLE001 - a date we cannot read must not stop the user
        return None
    return found[0] if found else None


def source_anchor(source: Source) -> Anchor | None:
    """The publication date as the anchor for relative dates ("last Friday")."""
    if not source.published:
        return None
    try:
        return guess_from_value(source.published, source.published_basis).anchor
    except ValueError:
        return None


class _TextPane(VerticalScroll, can_focus=False):
    """Scrolls the text; not focusable so that j/k and the arrows reach the screen."""


class ReaderScreen(ReaderFixes, Screen[bool]):
    """Dismisses True when it changed anything; each change reached the main screen's
    panes as it landed (a `Change` each)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("j,down", "move(1)", "Next sentence", show=False),
        Binding("k,up", "move(-1)", "Previous sentence", show=False),
        Binding("J,shift+down", "extend(1)", "Extend", show=False),
        Binding("K,shift+up", "extend(-1)", "Extend up", show=False),
        Binding("v", "visual", "Select"),
        Binding("a", "add", "Event from selection"),
        Binding("n", "next_excerpt(1)", "Next excerpt"),
        Binding("N", "next_excerpt(-1)", "Prev excerpt", show=False),
        Binding("pagedown,space", "page(1)", "Page down", show=False),
        Binding("pageup,b", "page(-1)", "Page up", show=False),
        Binding("g,home", "edge(0)", "Start", show=False),
        Binding("G,end", "edge(1)", "End", show=False),
        Binding("e", "source_facts", "Facts"),
        Binding("L", "link_event", "Link to event", show=False),
        Binding("S", "split_passage", "Split off", show=False),
        Binding("C", "confirm_source", "Confirm all", show=False),
    ]

    def __init__(self, store: Store, source_id: int, *, excerpt_id: int | None = None,
                 today: Callable[[], date] = date.today, event_id: int | None = None) -> None:
        super().__init__()
        self.from_event = event_id
        self.store = store
        self.source_id = source_id
        self.focus_excerpt = excerpt_id
        self.today = today
        self.changed = False
        self.source: Source | None = None
        self.outlet = ""
        self.excerpts: list[Excerpt] = []
        self.window: Span = (0, 0)
        self.spans: list[Span] = []
        self.cursor: Span = (0, 0)
        self.anchor: Span | None = None
        self.visual = False

    def compose(self) -> ComposeResult:
        yield Static("", id="reader-head")
        with _TextPane(id="reader-body"):
            yield Static("", id="reader-text")
        yield Static("", id="reader-status")
        yield Static("", id="reader-events")
        yield Footer()

    def on_mount(self) -> None:
        try:
            self.source = self.store.get_source(self.source_id)
        except StoreError as err:
            show_error(self, err)
            self.query_one("#reader-text", Static).update(Text("This source is no longer in the database.", "dim"))
            return
        self._load_marks()
        focus = next((x for x in self.excerpts if x.id == self.focus_excerpt), None)
        start = focus.start if focus else 0
        self._set_window(start)
        if focus is not None:
            self.cursor = (focus.start, focus.end)
        else:
            self.cursor = self.spans[0] if self.spans else (0, 0)
        self._draw()

    # -- the window and the cursor ----------------------------------------------------

    @property
    def text(self) -> str:
        return self.source.text if self.source else ""

    def _load_marks(self) -> None:
        """The excerpts to mark and the events to list (after opening and after `a`)."""
        store, source_id = self.store, self.source_id
        found = read_or_say(self, lambda: (store.source_excerpts(source_id), store.source_events(source_id),
                                           store.source_facts(source_id).get("outlet") or ""))
        self.excerpts, events, self.outlet = found or ([], [], self.outlet)
        self._show_events(events)

    def _set_window(self, around: int) -> None:
        """Split the WINDOW characters around `around` into sentences (absolute offsets)."""
        text = self.text
        lo = max(0, around - WINDOW // 2)
        if lo:
            newline = text.rfind("\n", max(0, lo - 400), lo)
            lo = newline + 1 if newline >= 0 else lo
        hi = min(len(text), lo + WINDOW)
        if hi < len(text):
            newline = text.find("\n", hi, hi + 400)
            hi = newline if newline >= 0 else hi
        self.window = (lo, hi)
        self.spans = [(lo + a, lo + b) for a, b in sentence_spans(text[lo:hi])]

    def selection(self) -> Span:
        """The selected passage: the cursor sentence, or from the mark to the cursor."""
        if self.anchor is None:
            return self.cursor
        return min(self.anchor[0], self.cursor[0]), max(self.anchor[1], self.cursor[1])

    def _step(self, direction: int) -> bool:
        """Put the cursor on the next (1) or previous (-1) sentence; False at the edge.

        The window's first and last sentences may be cut by its edge, so stepping onto
        one moves the window first (centred on the cursor) and looks again.
        """
        start, end = self.cursor

        def find() -> Span | None:
            if direction > 0:
                return next((s for s in self.spans if s[0] >= end), None)
            return (next((s for s in reversed(self.spans) if s[1] <= start), None)
                    or next((s for s in reversed(self.spans) if s[0] < start), None))

        found = find()
        lo, hi = self.window
        more = hi < len(self.text) if direction > 0 else lo > 0
        at_edge = found is None or found == (self.spans[-1] if direction > 0 else self.spans[0])
        if more and at_edge:
            self._set_window(end if direction > 0 else start)
            found = find()
        if found is None:
            return False
        self.cursor = found
        return True

    def action_move(self, direction: int) -> None:
        if not self.visual:
            self.anchor = None
        self._step(direction)
        self._draw()

    def action_extend(self, direction: int) -> None:
        if self.anchor is None:
            self.anchor = self.cursor
        self._step(direction)
        self._draw()

    def action_visual(self) -> None:
        """Like a pager's visual mode: j/k extend the selection until v again."""
        self.visual = not self.visual
        self.anchor = self.cursor if self.visual else None
        self._draw()

    def action_page(self, direction: int) -> None:
        """About a screen of text at a time, sentence by sentence."""
        pane = self.query_one("#reader-body").size
        reach = max(200, pane.height * pane.width * 3 // 4)
        if not self.visual:
            self.anchor = None
        origin = self.cursor[0]
        while abs(self.cursor[0] - origin) < reach and self._step(direction):
            pass
        self._draw()

    def action_edge(self, end: int) -> None:
        if not self.visual:
            self.anchor = None
        self._set_window(len(self.text) if end else 0)
        if self.spans:
            self.cursor = self.spans[-1] if end else self.spans[0]
        self._draw()

    def action_next_excerpt(self, direction: int) -> None:
        """Jump to the next (or previous) excerpt of the source."""
        if not self.excerpts:
            self.notify("this source has no excerpts yet", severity="warning")
            return
        starts = [x.start for x in self.excerpts]
        if direction > 0:
            index = bisect_left(starts, self.cursor[0] + 1)
            chosen = self.excerpts[index % len(self.excerpts)]
        else:
            index = bisect_left(starts, self.cursor[0]) - 1
            chosen = self.excerpts[index]
        if not self.visual:
            self.anchor = None
        if not self.window[0] <= chosen.start < self.window[1]:
            self._set_window(chosen.start)
        self.cursor = (chosen.start, chosen.end)
        self.focus_excerpt = chosen.id
        self._draw()

    # -- drawing ----------------------------------------------------------------------

    def _draw(self) -> None:
        if self.source is None:
            return
        lo, hi = self.window
        body = Text(scrub(self.text[lo:hi], multiline=True), end="")
        for x in self.excerpts:
            if x.start < hi and x.end > lo:
                style = FOCUS_STYLE if x.id == self.focus_excerpt else EXCERPT_STYLE
                body.stylize(style, max(0, x.start - lo), min(hi, x.end) - lo)
        sel_start, sel_end = self.selection()
        body.stylize(SELECTION_STYLE, max(0, sel_start - lo), max(0, min(hi, sel_end) - lo))
        self.query_one("#reader-text", Static).update(body)
        self._draw_head()
        self._draw_status()
        self.call_after_refresh(self._scroll_to_cursor)

    def _draw_head(self) -> None:
        source = self.source
        assert source is not None
        lo, hi = self.window
        total = len(self.text)
        where = f"  chars {lo:,}–{hi:,} of {total:,}" if lo or hi < total else ""
        outlet = self.outlet
        head = Text.assemble(
            plain(source.title or "untitled source", "bold"),
            plain(f"  {outlet}" if outlet else "", "dim"),
            (f"  ({source.published or 'date unknown'}{', typed' if source.published_basis == 'user' else ''})", "dim"),
            (f"  {len(self.excerpts)} excerpts{where}", "dim"),
        )
        self.query_one("#reader-head", Static).update(head)

    def _draw_status(self) -> None:
        start, end = self.selection()
        mode = "VISUAL  " if self.visual else ""
        line = Text(f"{mode}selected {end - start:,} chars · a event from it · v select · n next excerpt · "
                    "Esc back", style="dim")
        self.query_one("#reader-status", Static).update(line)

    def _scroll_to_cursor(self) -> None:
        """Bring the selection into view: count the wrapped lines before it."""
        pane = self.query_one("#reader-body", VerticalScroll)
        text = self.query_one("#reader-text", Static)
        width = text.content_region.width or text.size.width
        if width <= 0:
            return
        lo = self.window[0]
        prefix = Text(scrub(self.text[lo:self.cursor[0]], multiline=True), end="")
        line = len(prefix.wrap(self.app.console, width)) - 1 if prefix else 0
        height = pane.size.height
        if not pane.scroll_y + 1 <= line <= pane.scroll_y + height - 3:
            pane.scroll_to(y=max(0, line - height // 3), animate=False)

    def _show_events(self, events: list[Event]) -> None:
        if not events:
            body = Text("No events cite this source yet.", style="dim")
        else:
            body = Text(f"Events from this source ({len(events)})\n", style="bold", end="")
            for event in events:
                body.append(f"{dates.display(event.date):<10} ", style="cyan")
                body.append_text(plain(event.title))
                body.append(f"  {event.status}\n", style="dim")
            body.rstrip()
        self.query_one("#reader-events", Static).update(body)

    # -- making an event --------------------------------------------------------------

    def action_add(self) -> None:
        """An event from the selected passage, via the event form prefilled from it."""
        source = self.source
        if source is None:
            return
        start, end = self.selection()
        if end <= start:
            self.notify("select a passage first (j/k, shift+j/k or v)", severity="warning")
            return
        passage = self.text[start:end]
        proposal = passage_proposal(passage, source_anchor(source))
        title = proposal.title if proposal else clean_line(passage)[:TITLE_MAX]
        prefill = Event(
            id=0, case_id=source.case_id or 0, date=proposal.value if proposal else None,
            granularity=proposal.granularity if proposal else "day",
            date_text=proposal.date_text if proposal else "", title=title, status="confirmed",
            origin="manual", created_at="", updated_at="",
        )

        def save(draft: EventDraft) -> Event:
            phrase = None
            if proposal is not None and draft.value == proposal.value:
                phrase = (start + proposal.phrase_start, start + proposal.phrase_end)
            return self.store.add_event_from_passage(
                source.id, start, end, value=draft.value, granularity=draft.granularity,
                date_text=draft.date_text, title=draft.title, phrase=phrase,
            )

        def done(event: Event | None) -> None:
            if event is None:
                return
            self.changed = True
            self.app.main.changed(Change(events=(event,), cases=(event.case_id,), reorder=True))
            self.anchor, self.visual = None, False
            self._load_marks()
            self._draw()
            say(self, f"Added: {event.title}")

        self.app.push_screen(EventForm(heading="New event from the passage", base=self.today(), save=save,
                                       event=prefill), done)

    def _reload_source(self) -> None:
        """The source, its marks and its events read again after a correction."""
        source = read_or_say(self, lambda: self.store.get_source(self.source_id))
        if source is None:
            return
        self.source = source
        self._load_marks()
        self._draw()

    def refresh_from_store(self) -> None:
        """Marks and events read again (after `u`, or a change another process made);
        the cursor and the selection stay where they are."""
        if self.source is None:
            return
        self.changed = True
        self._load_marks()
        self._draw()

    def action_back(self) -> None:
        self.dismiss(self.changed)


class SourcePicker(ModalScreen[Excerpt | None]):
    """Which source to read when an event rests on several: one row per source."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, excerpts: list[Excerpt]) -> None:
        super().__init__()
        self.excerpts = excerpts

    def compose(self) -> ComposeResult:
        options = [
            Option(Text.assemble(plain(x.source_title or "untitled source"),
                                 (f"  ({x.source_published or 'date unknown'})", "dim")), id=str(i))
            for i, x in enumerate(self.excerpts)
        ]
        with VerticalScroll(id="source-picker", classes="dialog"):
            yield Static(Text("Read which source?", style="bold"), classes="dialog-title")
            yield OptionList(*options, id="source-options")
            yield Static("Enter open · Esc cancel", classes="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, message: OptionList.OptionSelected) -> None:
        message.stop()
        self.dismiss(self.excerpts[int(message.option.id or 0)])

    def action_cancel(self) -> None:
        self.dismiss(None)
