"""Full-text search over events, excerpts and sources, with results grouped by case.

Queries run in a worker thread (the store serialises access) so typing stays smooth on
a large database; only the latest query's results are shown. Enter on a result closes
the screen with (case id, event id) for the main screen to jump to; Enter on a source
opens it in the reader.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content, Span
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tracker.models import SearchHit
from tracker.store import Store, StoreError
from tracker.widgets.safe_text import marked, say, scrub

KIND_STYLES = {"event": "green", "excerpt": "yellow", "source": "magenta"}

Target = tuple[int, int | None]


class ResultList(OptionList):
    """The results, also walkable with j/k."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]


def hit_prompt(hit: SearchHit) -> Content:
    """Two lines per hit: kind and label, then the snippet with matches highlighted.

    Both lines are cut with an ellipsis rather than wrapped (the list's style), so every
    hit takes two rows. Made as Textual's own `Content`, styled by spans over text that
    is never parsed: a list of 150 hits fills in about half the time Rich `Text` takes
    to be converted and measured.
    """
    kind = f"  {hit.kind:<7} "
    label = scrub(hit.label)
    snippet, matches = marked(hit.snippet)
    start = len(kind) + len(label) + 1 + len(_SNIPPET_INDENT)
    spans = [Span(0, len(kind), KIND_STYLES.get(hit.kind, ""))]
    spans += [Span(start + a, start + b, "bold reverse") for a, b in matches]
    spans.append(Span(start, start + len(snippet), "dim"))
    return Content(f"{kind}{label}\n{_SNIPPET_INDENT}{snippet}", spans)


_SNIPPET_INDENT = " " * 10


def case_heading(title: str) -> Content:
    """A case's heading in the list (a title is untrusted text: never parsed)."""
    title = scrub(title)
    return Content(title, [Span(0, len(title), "bold underline")])


class SearchScreen(Screen[Target | None]):
    """Type to search; Down moves to the results, Enter jumps, Escape goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("down", "results", "Results", show=False),
    ]

    def __init__(self, store: Store, query: str = "", today: Callable[[], date] = date.today) -> None:
        super().__init__()
        self.store = store
        self.today = today
        self.query_text = query
        self.hits: dict[str, SearchHit] = {}

    def compose(self) -> ComposeResult:
        yield Input(value=self.query_text, placeholder="Search events, excerpts, sources", id="query")
        yield Static(Text("Type to search.", style="dim"), id="search-status")
        yield ResultList(id="results")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#query", Input).focus()
        if self.query_text:
            self.run_search(self.query_text)

    def on_input_changed(self, message: Input.Changed) -> None:
        self.run_search(message.value)

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, query: str) -> None:
        """Query the store off the UI thread; drop the answer if a newer query started."""
        worker = get_current_worker()
        try:
            hits = self.store.search(query)
        except StoreError as err:
            self.app.call_from_thread(self.notify, scrub(str(err)), severity="error", markup=False)
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self.show_hits, query, hits)

    def show_hits(self, query: str, hits: list[SearchHit]) -> None:
        """Fill the result list, one heading per case."""
        if not self.is_attached:  # the screen closed while the query ran
            return
        results = self.query_one("#results", OptionList)
        results.clear_options()
        self.hits = {}
        options: list[Option] = []
        current_case: str | None = None
        for index, hit in enumerate(hits):
            case = hit.case_title or "(no case)"
            if case != current_case:
                current_case = case
                options.append(Option(case_heading(case), disabled=True))
            key = f"hit-{index}"
            self.hits[key] = hit
            options.append(Option(hit_prompt(hit), id=key))
        results.add_options(options)
        status = self.query_one("#search-status", Static)
        if not query.strip():
            status.update(Text("Type to search.", style="dim"))
        else:
            count = len(hits)
            status.update(Text(f"{count} result{'s' if count != 1 else ''} · ↓ to the list · Enter jumps", style="dim"))
        if hits:
            results.highlighted = next(i for i, o in enumerate(options) if not o.disabled)

    def on_input_submitted(self, message: Input.Submitted) -> None:
        message.stop()
        results = self.query_one("#results", OptionList)
        if results.highlighted is not None:
            self.jump(results.get_option_at_index(results.highlighted).id)

    def on_option_list_option_selected(self, message: OptionList.OptionSelected) -> None:
        message.stop()
        self.jump(message.option.id)

    def jump(self, key: str | None) -> None:
        hit = self.hits.get(key or "")
        if hit is None:
            return
        if hit.kind == "source" and hit.source_id is not None:
            self._read(hit)
            return
        if hit.case_id is None:
            say(self, "that source is not filed in a case", "warning")
            return
        self.dismiss((hit.case_id, hit.event_id))

    def _read(self, hit: SearchHit) -> None:
        """A source found: read it (escape comes back to the results; a change made
        there shows its case when the search closes)."""
        from tracker.screens.reader import ReaderScreen

        def done(changed: bool | None) -> None:
            if changed and hit.case_id is not None:
                self.dismiss((hit.case_id, None))

        self.app.push_screen(ReaderScreen(self.store, hit.source_id or 0, today=self.today), done)

    def action_results(self) -> None:
        results = self.query_one("#results", OptionList)
        if results.option_count:
            results.focus()

    def action_back(self) -> None:
        self.dismiss(None)
