"""Plain dataclasses that cross the boundary between the store and everything else.

No SQL and no Textual here: the store returns these, the CLI and the widgets read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

STATUSES = ("suggested", "confirmed", "rejected")


class StoreError(Exception):
    """A failure the user should read as one line (bad database, missing case, ...)."""


CASE_STATES = ("open", "closed")
ORIGINS = ("extracted", "manual")
GRANULARITIES = ("day", "week", "month", "quarter", "year")
PUBLISHED_BASES = ("metadata", "date-line", "byline", "timestamp", "updated", "dateline", "weekday-anchor", "case-context",
                   "user", "unknown")


@dataclass(frozen=True)
class Case:
    """A matter followed as one timeline."""

    id: int
    title: str
    created_at: str
    event_count: int = 0
    source_count: int = 0
    latest_date: str | None = None
    filed_reason: str | None = None
    # Review counts per status and the first dated event (the span's start; latest_date
    # is its end), kept in case_stats (db.m007_review).
    suggested: int = 0
    confirmed: int = 0
    rejected: int = 0
    first_date: str | None = None
    # "open" or "closed" (db.m008_case_state); closed cases are shown dimmed.
    state: str = "open"


@dataclass(frozen=True)
class Source:
    """One imported document, kept whole so excerpts can always be re-read in context."""

    id: int
    case_id: int | None
    path: str
    title: str
    sha256: str
    published: str | None
    published_basis: str
    imported_at: str
    text: str = ""


@dataclass(frozen=True)
class Excerpt:
    """A passage of a source, by character offsets into the source text."""

    id: int
    source_id: int
    start: int
    end: int
    text: str
    source_title: str = ""
    source_published: str | None = None
    # Offsets of the date phrase inside `text` (not the source), when the link has one.
    phrase_start: int | None = None
    phrase_end: int | None = None
    # The date this passage gives for the event it is linked to.
    value: str | None = None


@dataclass(frozen=True)
class Event:
    """A dated happening in a case, with its provenance and review state."""

    id: int
    case_id: int
    date: str | None
    granularity: str
    date_text: str
    title: str
    status: str
    origin: str
    created_at: str
    updated_at: str
    note: str = ""
    tags: tuple[str, ...] = ()
    source_count: int = 0
    # Sources give incompatible dates for this event; each excerpt keeps its own reading.
    conflict: bool = False
    # "occurred" or "scheduled" (hearings, deadlines, effective dates).
    kind: str = "occurred"


@dataclass(frozen=True)
class SearchHit:
    """One search result; `kind` says which of event, excerpt or source matched."""

    kind: str
    case_id: int | None
    case_title: str
    event_id: int | None
    source_id: int | None
    label: str
    snippet: str


@dataclass
class ImportReport:
    """What one import run did, file by file, for the CLI and the app to summarise."""

    imported: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    events: int = 0
    cases: set[str] = field(default_factory=set)
    # What a person should know about a file that was imported (where reading stopped).
    notes: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class AuditEntry:
    """One recorded change: who, when, what, and the event before and after it."""

    id: int
    at: str
    user: str
    action: str
    entity_id: int | None
    before: dict | None
    after: dict | None
    undone: bool = False


@dataclass(frozen=True)
class CaseFact:
    """A fact of a case (parties, court, docket, judge, status) and the passage behind it."""

    id: int
    field: str
    value: str
    origin: str
    source_id: int | None = None
    source_title: str | None = None
    passage: str | None = None


@dataclass(frozen=True)
class Change:
    """What one write changed, for the panes to apply without re-reading their neighbours.

    `events`: the changed events as they are now (a row to redraw each); `removed`: ids
    of events that are gone (or left the case shown); `cases`: cases whose counts or
    title changed (one case row re-read each); `reorder`: the timeline order, or a
    filter's membership, may have changed (the timeline re-reads its window).
    """

    events: tuple[Event, ...] = ()
    removed: tuple[int, ...] = ()
    cases: tuple[int, ...] = ()
    reorder: bool = False
    asked: int = 0

    @property
    def changed_ids(self) -> list[int]:
        return [event.id for event in self.events]


class RowSource(Protocol):
    """What the panes read, a page or a row at a time; `tracker.store.Store` is one.
    The widgets are handed a row source, never the store's writes or its SQL."""

    # the case list
    def case_total(self) -> int: ...
    def cases_page(self, offset: int, limit: int) -> list[Case]: ...
    def cases_after(self, case_id: int, limit: int) -> list[Case]: ...
    def cases_before(self, case_id: int, limit: int) -> list[Case]: ...
    def case_position(self, case_id: int) -> int | None: ...
    def get_case(self, case_id: int) -> Case: ...

    # a timeline, filtered or not
    def case_event_total(self, case_id: int) -> int: ...
    def filtered_total(self, case_id: int, status: str | None = None, tag: str | None = None) -> int: ...
    def filtered_page(self, case_id: int, offset: int, limit: int, status: str | None = None,
                      tag: str | None = None, total: int | None = None) -> list[Event]: ...
    def filtered_after(self, case_id: int, event_id: int, limit: int, status: str | None = None,
                       tag: str | None = None) -> list[Event]: ...
    def filtered_before(self, case_id: int, event_id: int, limit: int, status: str | None = None,
                        tag: str | None = None) -> list[Event]: ...
    def filtered_position(self, case_id: int, event_id: int, status: str | None = None,
                          tag: str | None = None) -> int | None: ...
    def events_page(self, case_id: int, offset: int, limit: int) -> list[Event]: ...
    def events_after(self, case_id: int, event_id: int, limit: int) -> list[Event]: ...
    def events_before(self, case_id: int, event_id: int, limit: int) -> list[Event]: ...
    def event_position(self, case_id: int, event_id: int) -> int | None: ...

    # the header, the strip and the excerpts of the case and event shown
    def case_facts(self, case_id: int) -> list[CaseFact]: ...
    def case_activity(self, case_id: int) -> tuple[str, list[tuple[str, int, int]]]: ...
    def event_excerpts(self, event_id: int) -> list[Excerpt]: ...
