"""The excerpts pane: the passages of source documents behind the selected event.

Each excerpt shows its source title and published date, then the passage with the date
phrase highlighted (the store gives the phrase offsets inside the passage). Everything
here is untrusted document text, so it is built as inert `Text`, never markup.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.selection import Selection
from textual.strip import Strip

from tracker.models import Change, Event, Excerpt, RowSource
from tracker.widgets.safe_text import plain, read_or_say, scrub
from tracker.widgets.table import LineView

PHRASE_STYLE = "bold black on yellow"


def render_excerpt(excerpt: Excerpt, event_date: str | None = None) -> Text:
    """One excerpt as Text: a source line, then the passage with its date phrase marked.

    When this passage dates the event differently from the event itself (a conflict
    between sources), its own reading is shown on the source line.
    """
    published = excerpt.source_published or "date unknown"
    text = Text.assemble(
        plain(excerpt.source_title or "untitled source", "bold"),
        Text(f"  ({published})", style="dim"),
        end="",
    )
    if excerpt.value is not None and excerpt.value != event_date:
        text.append(f"  says {excerpt.value}", style="bold red")
    text.append("\n")
    passage = scrub(excerpt.text, multiline=True)
    offset = len(text)
    text.append(passage)
    start, end = excerpt.phrase_start, excerpt.phrase_end
    if start is not None and end is not None and 0 <= start < end <= len(passage):
        text.stylize(PHRASE_STYLE, offset + start, offset + end)
    return text


def render_event(event: Event, excerpts: list[Excerpt]) -> Text:
    """Everything the pane shows for one event."""
    if not excerpts:
        note = "Added by hand; no source excerpt." if event.origin == "manual" else "No excerpt."
        body = Text(note, style="dim italic", end="")
        if event.note:
            body.append("\n")
            body.append(plain(event.note, multiline=True))
        return body
    parts = [render_excerpt(x, event.date) for x in excerpts]
    if event.note:  # the editor's free-text note, above the passages
        parts.insert(0, Text.assemble(Text("Note: ", style="bold"), plain(event.note, multiline=True), end=""))
    return Text("\n\n", end="").join(parts)


class ExcerptsPane(LineView, can_focus=True):
    """A scrollable, focusable view of the excerpts of one event.

    The passages are wrapped to the pane's width once, when shown (and again when the
    pane is resized), and drawn a line at a time. A pane of a child `Static` drew each
    new event twice: once laid out, then again when the `Static` was told its new size,
    a frame later. Without the second drawing a cursor move settles a frame sooner and
    writes a seventh (80x24) to a quarter (200x50) fewer bytes (`benchmarks.keys`)."""

    DEFAULT_CSS = """
    ExcerptsPane {
        overflow-x: hidden;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "scroll_down", "Scroll down", show=False),
        Binding("k,up", "scroll_up", "Scroll up", show=False),
        Binding("left,h", "app.focus_previous", "Previous pane", show=False),
        Binding("right,l", "app.focus_next", "Next pane", show=False),
    ]

    def __init__(self, store: RowSource, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.store = store
        self.event_id: int | None = None
        self.excerpts: list[Excerpt] = []
        self.border_title = "Excerpts"
        self.shown = Text("No event selected.", style="dim")
        """What the pane shows, before wrapping."""
        self._lines: list[Text] = []  # `shown` wrapped to the pane
        self._wrapped_for: tuple[int, int] | None = None  # the (width, height) the lines were wrapped for

    # -- drawing ------------------------------------------------------------------------

    def _show_text(self, text: Text) -> None:
        self.shown = text
        self._lines, self._wrapped_for = [], None  # before its first layout the pane waits for its size
        self._wrap()
        self.refresh()

    def _wrap(self) -> None:
        """Wrap `shown` to the pane: at its full width, or one scrollbar narrower when
        the passages are longer than the pane is high."""
        inner = self.region.shrink(self.styles.gutter)
        size = (inner.width, inner.height)
        if inner.width <= 0 or size == self._wrapped_for:
            return
        self._wrapped_for = size
        width = inner.width
        lines = self.shown.wrap(self.app.console, width)
        scrollbar = self.styles.scrollbar_size_vertical
        if len(lines) > inner.height and width > scrollbar:
            width -= scrollbar
            lines = self.shown.wrap(self.app.console, width)
        self._lines = list(lines)
        self.virtual_size = Size(width, len(self._lines))

    def on_resize(self) -> None:
        self._wrap()

    def render_line(self, y: int) -> Strip:
        index = round(self.scroll_y) + y
        width = self.scrollable_content_region.width
        style = self.rich_style
        if not 0 <= index < len(self._lines):
            return Strip.blank(width, style)
        line = self._lines[index]
        selection = self.text_selection
        span = selection.get_span(index) if selection is not None else None
        if span is not None:  # text selected with the mouse, to be copied
            start, end = span
            line = line.copy()
            line.stylize(self.screen.get_component_rich_style("screen--selection"), start,
                         len(line) if end == -1 else end)
        strip = Strip(line.render(self.app.console), line.cell_len)
        return strip.crop_extend(0, width, style).apply_style(style).apply_offsets(0, index)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The text selected with the mouse, as the pane shows it (Textual's copy)."""
        return selection.extract("\n".join(line.plain for line in self._lines)), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self.refresh()

    # -- what is shown ------------------------------------------------------------------

    def apply(self, change: Change, current: Event | None) -> None:
        """Show a write: the passages are read again when the event under the cursor
        changed or may have new links (an edit); a status or tag change only redraws."""
        if current is None or current.id != self.event_id or change.reorder:
            self.show(current, force=True)
        elif any(event.id == current.id for event in change.events):
            self._show_text(render_event(current, self.excerpts))

    def show(self, event: Event | None, *, force: bool = False) -> None:
        """Load and show the excerpts of `event` (nothing when None)."""
        if not force and event is not None and event.id == self.event_id:
            return
        self.event_id = event.id if event else None
        if event is None:
            self._show_text(Text("No event selected.", style="dim"))
            self.border_title = "Excerpts"
            return
        event_id = event.id
        excerpts = read_or_say(self, lambda: self.store.event_excerpts(event_id)) or []
        self.excerpts = excerpts
        self._show_text(render_event(event, excerpts))
        self.border_title = f"Excerpts ({len(excerpts)})"
        self.scroll_home(animate=False)
