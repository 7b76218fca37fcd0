"""The reader's corrections: the source's facts (e), the selection linked to an event
that exists (L), the passage under the cursor split off its event (S), and every event
of the source confirmed at once (C). Mixed into `ReaderScreen`.

Each correction is written through the app's write queue (screens/writes.py) and its
`Change` is handed to the main screen's panes as it lands."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text

from tracker import dates
from tracker.models import Change, Event, Excerpt, Source
from tracker.screens.prompt import PromptScreen, fuzzy_titles
from tracker.screens.source_form import SourceForm
from tracker.screens.writes import writes_of
from tracker.store import Store, StoreError
from tracker.widgets.safe_text import plain, read_or_say, say

if TYPE_CHECKING:
    from tracker.extract import ProposedEvent
    from tracker.timex import Anchor


def event_label(event: Event) -> str:
    return f"#{event.id} {dates.display(event.date)} {event.title}"


class ReaderFixes:
    """e, L, S and C in the source reader."""

    store: Store
    source: Source | None
    source_id: int
    excerpts: list[Excerpt]
    changed: bool
    from_event: int | None = None

    if TYPE_CHECKING:
        app: Any
        text: str

        def notify(self, message: str, *, severity: str = ...) -> None: ...
        def selection(self) -> tuple[int, int]: ...
        def refresh_from_store(self) -> None: ...
        def _reload_source(self) -> None: ...

    def _done(self, message: str, change: Change) -> None:
        """A correction landed: the main screen's panes apply it, the reader re-reads
        the source and its marks."""
        self.changed = True
        self.app.main.changed(change)
        self._reload_source()
        say(self, message)

    def action_source_facts(self) -> None:
        """Correct the source's publication date, title, URL or outlet."""
        facts = read_or_say(self, lambda: self.store.source_facts(self.source_id))
        if facts is None:
            return

        def save(changes: dict[str, str]) -> Change:
            from tracker.importer import correct_source

            return correct_source(self.store, self.source_id, **changes)

        def done(change: Change | None) -> None:
            if change is not None:
                moved = len(change.events)
                self._done(f"Source corrected; {moved} event{'s' if moved != 1 else ''} read again · u undoes", change)

        self.app.push_screen(SourceForm(facts, save), done)

    def action_confirm_source(self) -> None:
        """Confirm every suggested event this source supports (one undo)."""

        def confirm() -> Change:
            ids = [e.id for e in self.store.source_events(self.source_id) if e.status == "suggested"]
            if not ids:
                raise StoreError("no suggested event rests on this source")
            return self.store.mark(ids, "confirmed")

        def done(change: Change) -> None:
            count = len(change.events)
            self._done(f"Confirmed {count} event{'s' if count != 1 else ''} of this source · u undoes", change)

        writes_of(self.app).run(confirm, done)

    def action_link_event(self) -> None:
        """Link the selected passage to an event of the case, picked as you type."""
        source = self.source
        if source is None or source.case_id is None:
            self.notify("this source is not filed in a case", severity="warning")
            return
        start, end = self.selection()
        if end <= start:
            self.notify("select a passage first (j/k, shift+j/k or v)", severity="warning")
            return
        case_id = source.case_id
        events = read_or_say(self, lambda: self.store.list_events(case_id))
        if events is None:
            return
        labels = {event_label(e): e for e in events}
        proposal = self._proposal(start, end)

        def matches(query: str) -> list[tuple[str, Text]]:
            return fuzzy_titles(query, list(labels))

        def submit(label: str) -> Change:
            event = labels.get(label)
            if event is None:
                raise StoreError("choose an event from the list")
            phrase = None
            if proposal is not None:
                phrase = (start + proposal.phrase_start, start + proposal.phrase_end)
            return self.store.link_passage(
                event.id, source.id, start, end, value=proposal.value if proposal else event.date,
                granularity=proposal.granularity if proposal else event.granularity,
                date_text=proposal.date_text if proposal else "", phrase=phrase)

        def done(change: Change | None) -> None:
            if change is not None and change.events:
                flag = " (its date disagrees: !)" if change.events[0].conflict else ""
                self._done(f"Linked to {change.events[0].title}{flag} · u undoes", change)

        self.app.push_screen(PromptScreen(heading="Link the passage to which event?", submit=submit,
                                          placeholder="type words of its title or date", matches=matches,
                                          input_id="link-event", writes=True), done)

    def _proposal(self, start: int, end: int) -> ProposedEvent | None:
        from tracker.screens.reader import passage_proposal, source_anchor

        assert self.source is not None
        anchor: Anchor | None = source_anchor(self.source)
        return passage_proposal(self.text[start:end], anchor)

    def action_split_passage(self) -> None:
        """Split the passage under the cursor off its event into an event of its own."""
        start, end = self.selection()
        here = [x for x in self.excerpts if x.start < end and x.end > start]
        if not here:
            self.notify("put the cursor on a marked passage (n goes to the next)", severity="warning")
            return
        excerpt = here[0]
        readings = read_or_say(self, lambda: self.store.source_readings(self.source_id))
        if readings is None:
            return
        linked = [r["event_id"] for r in readings if (r["start"], r["end"]) == (excerpt.start, excerpt.end)]
        if not linked:
            self.notify("this passage is linked to no event", severity="warning")
            return
        event_id = self.from_event if self.from_event in linked else linked[0]

        def done(change: Change) -> None:
            new = [e for e in change.events if e.id != event_id]
            title = new[0].title if new else ""
            self._done(Text.assemble("Split off into a new event: ", plain(title)).plain + " · u undoes", change)

        writes_of(self.app).run(lambda: self.store.split_passage(event_id, excerpt.id), done)
