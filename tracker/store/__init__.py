"""The only package that speaks SQL. It returns dataclasses from `tracker.models`.

`Store` is the facade the rest of the code uses. Behind it, one `Connection` (the lock
and the one door for writes, see connection.py) is handed to one small class per
subject: cases, events, review (status and tags), sources, lists (paging), search,
audit (history and undo), imports, profiles (filing) and upkeep. The table below says
which subject answers each method; a subject is also reachable by name
(`store.lists.cases_page(...)`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cached_property, wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.db import StoreError, connect
from tracker.store.ahead import EarlyAnswers
from tracker.store.audit import Audit, describe_undo
from tracker.store.cases import Cases
from tracker.store.connection import Busy, Connection, now_iso, os_user, wait_until_writable
from tracker.store.corrections import Corrections
from tracker.store.events import Events
from tracker.store.imports import Imports
from tracker.store.lists import Lists
from tracker.store.profiles import Profiles
from tracker.store.review import Review
from tracker.store.rows import clean_tag
from tracker.store.search import Search, fts_query
from tracker.store.sources import Sources
from tracker.store.upkeep import BulkLoader, Upkeep
from tracker.text import clean_line, clean_note

if TYPE_CHECKING:
    import sqlite_utils

__all__ = ["Busy", "Store", "StoreError", "describe_undo", "os_user", "now_iso", "fts_query", "clean_line", "clean_note",
           "clean_tag"]

# Which subject answers each of the facade's methods.
_SUBJECTS: dict[str, tuple[type, tuple[str, ...]]] = {
    "cases": (Cases, ("list_cases", "get_case", "find_case", "resolve_case", "case_id_titled", "case_title_taken", "case_title_origin",
                      "case_titles_from", "case_titles_of", "case_facts", "ensure_case", "rename_case", "set_case_state",
                      "set_case_fact", "merge_cases")),
    "events": (Events, ("get_event", "list_events", "all_events", "source_events", "single_source_events", "agenda",
                        "as_known_on", "why_unknown", "add_event", "update_event",
                        "save_event", "add_event_from_passage", "move_event", "delete_event")),
    "review": (Review, ("list_tags", "mark", "review_events", "set_status", "tag", "tag_events", "add_tags",
                        "remove_tags")),
    "sources": (Sources, ("get_source", "case_sources", "undated_sources", "source_by_sha", "source_place",
                          "all_sources", "source_count", "source_filing", "source_urls", "set_source_url", "event_excerpts",
                          "source_excerpts", "case_excerpts", "source_readings", "move_source", "split_case")),
    "lists": (Lists, ("case_total", "cases_page", "cases_after", "cases_before", "case_position", "palette_cases",
                      "case_event_total", "filtered_total", "filtered_page", "filtered_after", "filtered_before",
                      "filtered_position", "events_page", "events_after", "events_before", "event_position",
                      "recent_events", "case_activity")),
    "corrections": (Corrections, ("merge_events", "split_passage", "link_passage", "set_kind", "source_facts",
                                  "correct_source", "delete_case")),
    "search_index": (Search, ("search",)),
    "audit": (Audit, ("history", "last_change", "undo_last", "undo")),
    "imports": (Imports, ("event_passages", "has_event", "add_source_with_events", "add_source_with_url",
                          "touched_events", "redate_source", "import_v1_case")),
    "profiles": (Profiles, ("stale_profile_cases", "case_texts", "save_case_profiles", "profile_candidates",
                           "dispute_marks")),
    "upkeep": (Upkeep, ("backup", "check", "rebuild_case_stats", "bulk_loading", "few_checkpoints", "palette_query_plans",
                        "query_plans")),
}


def _forward(subject: str, cls: type, name: str) -> Callable[..., Any]:
    target = getattr(cls, name)

    @wraps(target)
    def method(self: Store, *args: Any, **kwargs: Any) -> Any:
        return getattr(getattr(self, subject), name)(*args, **kwargs)

    return method


class Store:
    """Cases, sources, excerpts, events and tags in one SQLite file."""

    BulkLoader = BulkLoader
    NOTE_MAX = Events.NOTE_MAX
    SEARCH_CANDIDATES = Search.SEARCH_CANDIDATES
    PALETTE_RECENT_WINDOW = Lists.PALETTE_RECENT_WINDOW
    STRIP_DAYS_BELOW = Lists.STRIP_DAYS_BELOW

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = Path(path)
        self.connection = Connection(connect(self.path, create=create))
        db = self.connection
        self.cases = Cases(db)
        self.events = Events(db)
        self.review = Review(db)
        self.sources = Sources(db, self.cases)
        self.lists = Lists(db)
        self.search_index = Search(db)
        self.audit = Audit(db)
        self.profiles = Profiles(db)
        self.imports = Imports(db, self.cases, self.profiles)
        self.upkeep = Upkeep(db)
        self.corrections = Corrections(db, self.imports)

    @classmethod
    def read_only(cls, path: str | Path) -> Store:
        """A store that can only read an existing database: a reader process's own
        connection beside the importer's writer (nothing it runs can write)."""
        store = cls(path, create=False)
        store.connection.conn.execute("PRAGMA query_only = ON")
        return store

    @contextmanager
    def one_state(self) -> Iterator[None]:
        """Several reads of one state of the database (one read transaction), however
        many other connections commit meanwhile."""
        db = self.connection
        with db.lock:
            db.conn.execute("BEGIN")
            try:
                yield
            finally:
                db.conn.execute("COMMIT")

    def close(self) -> None:
        self.search_index.close()
        self.connection.close()

    @cached_property
    def db(self) -> sqlite_utils.Database:
        """The connection as a sqlite-utils Database, for tools and tests that query it
        directly; made on first use, as sqlite-utils is slow to import."""
        import sqlite_utils

        return sqlite_utils.Database(self.connection.conn)

    def data_version(self) -> int:
        """Changes when another connection commits: the app polls it to refresh."""
        return self.connection.data_version()

    @contextmanager
    def transaction(self, wait: bool = True) -> Iterator[Connection]:
        """Several writes as one: each write inside becomes a savepoint, and either all
        of them land or none does (one imported document: its case, source, events).
        `wait=False` raises `Busy` at once when another process is writing."""
        with self.connection.write(wait) as db:
            yield db

    def early_answers(self) -> EarlyAnswers:
        """From now on, filing queries answered by reader processes (`answer_early`) can
        be taken by this connection's writer while they still hold (store/ahead.py)."""
        return EarlyAnswers(self.connection, self.profiles)

    @contextmanager
    def without_waiting(self) -> Iterator[None]:
        """Every write inside raises `Busy` at once, before writing anything, when
        another process is writing, instead of waiting for it."""
        with self.connection.without_waiting():
            yield

    def wait_until_writable(self, seconds: float) -> bool:
        """Block (call it off the UI thread) until no other process is writing."""
        return wait_until_writable(str(self.path), seconds)

    # The write door and plain reads, for tests and tools that need raw SQL.
    @property
    def _lock(self) -> Any:
        return self.connection.lock

    def _write(self) -> Any:
        return self.connection.write()

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        return self.connection.rows(sql, params)

    def _one(self, sql: str, params: Iterable[Any] = ()) -> dict[str, Any] | None:
        return self.connection.one(sql, params)


for _subject, (_cls, _names) in _SUBJECTS.items():
    for _name in _names:
        setattr(Store, _name, _forward(_subject, _cls, _name))
del _subject, _cls, _names, _name
