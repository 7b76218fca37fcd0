"""A story's filing query answered early by a reader process, and checked by the writer.

Filing a story reads the kept case profiles (`Profiles.profile_candidates`): on a
million-event database a few milliseconds a story, inside the writer's transaction, on
the import's critical path. The reader processes (tracker/readers.py) answer it
instead, on a read-only connection of their own, when they finish reading the story
(`answer_early`); the writer takes the answer inside the story's transaction, where the
query would have run, when it is still the answer the query would give there
(`EarlyAnswers.take`):

- no other connection has committed since the import began, and every commit on the
  writer's own connection since was one of the import's stories (otherwise nothing is
  taken for the rest of the import);
- so what changed since the answer was read are the stories stored after it: the
  sources past the last one it saw. The cases they went into are asked again, by id,
  on the writer's connection, and replace what the answer said of them.

Every other case's kept terms are what the answer read, and the common names it left
out of the sum cannot make one of them score (the bound holds for any case that existed
when it was read; see `Profiles._common_names`): the candidates are the ones the query
would find. An answer too old (too many cases changed since) is not taken either: the
writer then runs the query itself.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from tracker.db import connect
from tracker.store.connection import Connection
from tracker.store.profiles import Profiles, in_filing_order

if TYPE_CHECKING:
    from tracker.cases import Profile

# Past this many cases changed since an answer was read, the writer asks the query
# itself: asking them again one by one would cost about as much.
MAX_CHANGED_CASES = 24


@dataclass(frozen=True)
class EarlyAnswer:
    """The filing query's answer and the last source stored when it was read."""

    last_source: int
    candidates: dict[int, Profile]


T = TypeVar("T")


class PerProcess(Generic[T]):
    """One read-only handle per database, opened on first use by the process that uses
    it: a worker's, or the importer's own while it reads a story ahead. A handle a forked
    worker inherited is not used (a connection is not to cross a fork); `close` closes
    what this process opened (the end of an import)."""

    def __init__(self, open_: Callable[[str], T], close: Callable[[T], None]) -> None:
        self._open, self._close = open_, close
        self._held: dict[str, tuple[int, T]] = {}

    def get(self, path: str) -> T:
        held = self._held.get(path)
        if held is not None and held[0] == os.getpid():
            return held[1]
        handle = self._open(path)
        self._held[path] = (os.getpid(), handle)
        return handle

    def close(self) -> None:
        for path, (pid, handle) in list(self._held.items()):
            if pid == os.getpid():
                self._close(handle)
                del self._held[path]


def _open_profiles(path: str) -> Profiles:
    conn = Connection(connect(Path(path), create=False))
    conn.conn.execute("PRAGMA query_only = ON")
    return Profiles(conn)


_READERS: PerProcess[Profiles] = PerProcess(_open_profiles, lambda profiles: profiles.db.close())


def answer_early(path: str, doc: Profile, floor: float) -> EarlyAnswer:
    """Ahead of the writer (in a worker, or in the importer's process while it waits):
    `profile_candidates(doc, floor)` and the last source id, in one read transaction
    (one state of the database)."""
    profiles = _READERS.get(path)
    db = profiles.db
    with db.lock:
        db.conn.execute("BEGIN")
        try:
            last = db.conn.execute("SELECT ifnull(max(id), 0) FROM sources").fetchone()[0]
            return EarlyAnswer(int(last), profiles.profile_candidates(doc, floor))
        finally:
            db.conn.execute("COMMIT")


def close_readers() -> None:
    """The connections this process opened to answer early, closed (the end of an import)."""
    _READERS.close()


class EarlyAnswers:
    """The writer's side: what the database was when the import began."""

    def __init__(self, writer: Connection, profiles: Profiles) -> None:
        self.writer = writer
        self.profiles = profiles
        self.version = writer.data_version()
        self.commits = writer.commits
        self.taken = self.dropped = 0

    def take(self, answer: EarlyAnswer, doc: Profile, floor: float, own_commits: int) -> dict[int, Profile] | None:
        """Inside the story's transaction: the candidates from `answer` when it still
        holds (see the module docstring), else None. `own_commits`: the import's story
        transactions committed since it began."""
        writer = self.writer
        if writer.data_version() != self.version or writer.commits != self.commits + own_commits:
            self.dropped += 1
            return None
        found = brought_up_to_date(self.profiles, answer, doc, floor)
        if found is None:
            self.dropped += 1
            return None
        self.taken += 1
        return found


def brought_up_to_date(profiles: Profiles, answer: EarlyAnswer, doc: Profile, floor: float) -> dict[int, Profile] | None:
    """`answer` as the filing query would give it on `profiles`' connection now, when
    only stories stored since it was read changed the kept profiles: the cases those
    went into asked again; None when too many did."""
    # The stories stored since, by id (a DISTINCT here walks the case index instead).
    changed = {row[0] for row in profiles.db.conn.execute(
        "SELECT case_id FROM sources WHERE id > ?", [answer.last_source]) if row[0] is not None}
    if len(changed) > MAX_CHANGED_CASES:
        return None
    if not changed:
        return answer.candidates
    found = {case_id: profile for case_id, profile in answer.candidates.items() if case_id not in changed}
    found.update(profiles.profile_candidates(doc, floor, among=changed))
    return in_filing_order(found)


class AnswersAhead:
    """A reader process's side, reading an undated story ahead of the writer
    (`importer.read_against_case`): the answer it was given, brought up to date on its
    own connection's state. It cannot tell whether another connection changed a
    profile meanwhile; it need not: the writer takes a reading ahead only when the
    case it files the story into itself, and what it reads there, are what the reading
    was made from."""

    def __init__(self, profiles: Profiles) -> None:
        self.profiles = profiles

    def take(self, answer: EarlyAnswer, doc: Profile, floor: float, own_commits: int) -> dict[int, Profile] | None:
        return brought_up_to_date(self.profiles, answer, doc, floor)
