"""The only module that speaks SQL. It returns dataclasses from `tracker.models`.

Every write goes through `Store._write()`, which holds one lock and one transaction, so
the app's worker threads and the UI thread never interleave half-done changes on the
shared connection, and a failed write leaves nothing behind.
"""

from __future__ import annotations

import getpass
import json
import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlite_utils

from tracker import dates
from tracker.db import StoreError, connect
from tracker.models import STATUSES, AuditEntry, Case, CaseFact, Event, Excerpt, SearchHit, Source

if TYPE_CHECKING:
    from tracker.cases import Profile
    from tracker.extract import ProposedEvent
    from tracker.facts import Fact
    from tracker.merge import Group, Known

_GRAIN_ORDER = ("day", "week", "month", "quarter", "year")
WRITE_RETRIES = 20

__all__ = ["Store", "StoreError"]

_EVENT_COLUMNS = (
    "e.id, e.case_id, e.date, e.granularity, e.date_text, e.title, e.status, e.origin, "
    "e.created_at, e.updated_at, e.note, e.conflict, e.kind"
)


def now_iso() -> str:
    """UTC timestamp with seconds, the form every created/updated column uses."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def fts_query(text: str) -> str | None:
    """Turn anything a user types into a safe FTS5 query: every word quoted, ANDed.

    Quoting each token means FTS5 operators and punctuation in the input are searched
    for as words instead of raising syntax errors; the last word matches as a prefix so
    results come while typing.
    """
    words = re.findall(r"\w+", text, flags=re.UNICODE)
    if not words:
        return None
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


class Store:
    """Cases, sources, excerpts, events and tags in one SQLite file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.db: sqlite_utils.Database = connect(self.path)
        self._lock = threading.RLock()

    def close(self) -> None:
        self.db.conn.close()

    # -- plumbing -----------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[sqlite_utils.Database]:
        """The one door for writes: serialised by a lock, all-or-nothing.

        BEGIN IMMEDIATE takes the database's write lock up front, so another process
        writing at the same time makes us wait (busy timeout, then a few retries)
        instead of failing half-way; nested writes become savepoints.
        """
        with self._lock:
            conn = self.db.conn
            if conn.in_transaction:
                with self.db.atomic():
                    yield self.db
                return
            self._begin_immediate()
            try:
                yield self.db
            except BaseException:
                conn.rollback()
                raise
            try:
                conn.commit()
            except sqlite3.OperationalError as exc:
                conn.rollback()
                raise StoreError(f"database write failed: {exc}") from None

    def _begin_immediate(self) -> None:
        for attempt in range(WRITE_RETRIES):
            try:
                self.db.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise StoreError(f"database write failed: {exc}") from None
                time.sleep(0.05 * (attempt + 1))
        raise StoreError("the database is busy: another tracker has been writing for too long; try again")

    def data_version(self) -> int:
        """Changes when another connection commits: the app polls it to refresh."""
        with self._lock:
            return int(self.db.conn.execute("PRAGMA data_version").fetchone()[0])

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        with self._lock:
            cursor = self.db.conn.execute(sql, tuple(params))
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]

    def _one(self, sql: str, params: Iterable[Any] = ()) -> dict[str, Any] | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    # -- cases --------------------------------------------------------------------

    def list_cases(self) -> list[Case]:
        """Every case with its event count and latest event date, by title.

        The counts come from case_stats (kept by triggers, db.m004_scale), not from
        counting each case's events on every call.
        """
        rows = self._rows(
            """
            SELECT c.id, c.title, c.created_at, c.filed_reason, ifnull(st.live, 0) AS event_count,
                   ifnull(st.sources, 0) AS source_count, st.latest_date,
                   ifnull(st.suggested, 0) AS suggested, ifnull(st.confirmed, 0) AS confirmed,
                   ifnull(st.rejected, 0) AS rejected, st.first_date, c.state
            FROM cases c LEFT JOIN case_stats st ON st.case_id = c.id
            ORDER BY c.title COLLATE NOCASE, c.id
            """
        )
        return [Case(**row) for row in rows]

    def _case_where(self, where: str, params: Iterable[Any]) -> Case | None:
        row = self._one(
            "SELECT c.id, c.title, c.created_at, c.filed_reason, ifnull(st.live, 0) AS event_count, "
            "ifnull(st.sources, 0) AS source_count, st.latest_date, "
            "ifnull(st.suggested, 0) AS suggested, ifnull(st.confirmed, 0) AS confirmed, "
            "ifnull(st.rejected, 0) AS rejected, st.first_date, c.state "
            f"FROM cases c LEFT JOIN case_stats st ON st.case_id = c.id WHERE {where} ORDER BY c.id LIMIT 1",
            params,
        )
        return Case(**row) if row else None

    def get_case(self, case_id: int) -> Case:
        case = self._case_where("c.id = ?", [case_id])
        if case is None:
            raise StoreError(f"no case with id {case_id}")
        return case

    def find_case(self, ref: str) -> Case:
        """A case by id (digits) or by title, case-insensitively."""
        ref = ref.strip()
        case = self._case_where("c.id = ?", [int(ref)]) if ref.isdigit() else None
        case = case or self._case_where("c.title = ? COLLATE NOCASE", [ref])
        if case is None:
            raise StoreError(f"no case {ref!r} (see `tracker cases`)")
        return case

    def ensure_case(self, title: str, filed_reason: str | None = None, title_origin: str = "user") -> int:
        """The id of the case with this title, created if missing.

        `title_origin` says how the title was made (user, caption, names) so that a
        better one found later may replace a guessed one, but never a user's.
        """
        title = clean_line(title)
        if not title:
            raise StoreError("a case needs a title")
        row = self._one("SELECT id FROM cases WHERE title = ? COLLATE NOCASE", [title])
        if row:
            return int(row["id"])
        stamp = now_iso()
        with self._write() as db:
            table = db["cases"]
            table.insert(
                {"title": title, "created_at": stamp, "updated_at": stamp, "filed_reason": filed_reason,
                 "title_origin": title_origin}
            )
            case_id = int(table.last_pk)
            self._audit(db, "new-case", None, None, {"title": title, "origin": title_origin}, entity="case",
                        entity_id=case_id)
            return case_id

    def case_sources(self, case_id: int) -> list[Source]:
        return self._sources("case_id = ? ORDER BY published, id", [case_id])

    def _sources(self, where: str, params: Iterable[Any]) -> list[Source]:
        rows = self._rows(
            "SELECT id, case_id, path, title, sha256, published, published_basis, imported_at, text "
            f"FROM sources WHERE {where}",
            params,
        )
        return [Source(**row) for row in rows]

    # -- sources and excerpts -----------------------------------------------------

    def source_by_sha(self, sha256: str) -> Source | None:
        found = self._sources("sha256 = ?", [sha256])
        return found[0] if found else None

    def all_sources(self) -> list[Source]:
        return self._sources("1 ORDER BY id", [])

    def source_count(self) -> int:
        row = self._one("SELECT count(*) AS n FROM sources")
        return int(row["n"]) if row else 0

    # -- case profiles for filing (issue 5) ---------------------------------------

    def stale_profile_cases(self, skip_title: str) -> list[int]:
        """Cases with sources whose kept profile is missing or stale (an older database,
        a source moved by hand), except the case titled `skip_title` (Unfiled)."""
        rows = self._rows(
            """
            SELECT c.id FROM cases c
            WHERE c.title != ? COLLATE NOCASE
              AND NOT EXISTS (SELECT 1 FROM case_profiles p WHERE p.case_id = c.id AND p.stale = 0)
              AND EXISTS (SELECT 1 FROM sources s WHERE s.case_id = c.id)
            ORDER BY c.id
            """,
            [skip_title],
        )
        return [int(r["id"]) for r in rows]

    def case_texts(self, case_id: int) -> Iterator[tuple[str, str]]:
        """(title, text) of each source of a case, oldest first, one at a time: a big
        case's texts need not all be in memory to profile it."""
        after = 0
        while True:
            rows = self._rows("SELECT id, title, text FROM sources WHERE case_id = ? AND id > ? ORDER BY id LIMIT 200",
                              [case_id, after])
            if not rows:
                return
            for row in rows:
                yield row["title"] or "", row["text"] or ""
            after = rows[-1]["id"]

    def save_case_profiles(self, profiles: dict[int, Profile]) -> None:
        """Replace the kept profiles of these cases with ones built from all their sources."""
        with self._write() as db:
            for case_id, profile in profiles.items():
                db.execute("DELETE FROM case_terms WHERE case_id = ?", [case_id])
                db.execute("INSERT OR REPLACE INTO case_profiles(case_id, top, stale) VALUES (?, 0, 0)", [case_id])
                self._write_terms(db, case_id, profile)

    def _add_to_profile(self, db: sqlite_utils.Database, case_id: int, source_id: int, profile: Profile) -> None:
        """Add one new source's terms, when the case's profile is current (or this is
        the case's first source); a stale or missing profile is rebuilt whole later."""
        row = db.execute("SELECT stale FROM case_profiles WHERE case_id = ?", [case_id]).fetchone()
        if row is None:
            others = db.execute("SELECT 1 FROM sources WHERE case_id = ? AND id != ? LIMIT 1",
                                [case_id, source_id]).fetchone()
            if others:
                return
            db.execute("INSERT INTO case_profiles(case_id, top, stale) VALUES (?, 0, 0)", [case_id])
        elif row[0]:
            return
        self._write_terms(db, case_id, profile)

    @staticmethod
    def _write_terms(db: sqlite_utils.Database, case_id: int, profile: Profile) -> None:
        """Merge terms the way cases.merge does: a name keeps its heaviest weight and its
        first spelling; docket numbers and judges are a union."""
        db.conn.executemany(
            "INSERT INTO case_terms(case_id, kind, key, weight, display) VALUES (?, 'name', ?, ?, ?) "
            "ON CONFLICT(case_id, kind, key) DO UPDATE SET weight = max(weight, excluded.weight)",
            [(case_id, key, weight, profile.display.get(key)) for key, weight in profile.names.items()],
        )
        marks = [(case_id, "docket", d) for d in profile.dockets] + [(case_id, "judge", j) for j in profile.judges]
        marks += [(case_id, "role", r) for r in profile.roles]
        db.conn.executemany(
            "INSERT OR IGNORE INTO case_terms(case_id, kind, key, weight) VALUES (?, ?, ?, 0)", marks
        )
        db.execute(
            "UPDATE case_profiles SET top = (SELECT coalesce(sum(weight), 0) FROM (SELECT weight FROM case_terms "
            "WHERE case_id = ? AND kind = 'name' ORDER BY weight DESC LIMIT 12)) WHERE case_id = ?",
            [case_id, case_id],
        )

    def profile_candidates(self, doc: Profile, floor: float = 0.0) -> dict[int, Profile]:
        """The cases that could hold a story: those sharing a docket number with it, and
        those whose name overlap scores at least `floor` (as cases.similarity scores it,
        before the judge check, which only lowers a score). Each comes as a Profile of
        the shared terms only, with its judges and `top`. The overlap is summed in SQL,
        so a story naming a party common to a thousand cases reads the terms of the few
        that score, not of all of them. CROSS JOIN keeps the story's names outermost:
        left to itself the planner sometimes walked every name of every case (70 ms)."""
        from tracker.cases import Profile

        names = json.dumps(doc.names)
        dockets = json.dumps(sorted(doc.dockets))
        chosen = [r["case_id"] for r in self._rows(
            """
            SELECT t.case_id FROM json_each(?) d
            CROSS JOIN case_terms t ON t.kind = 'name' AND t.key = d.key
            JOIN case_profiles p ON p.case_id = t.case_id AND p.stale = 0
            GROUP BY t.case_id
            HAVING sum(min(t.weight, d.value)) / max(1e-9, min(?, max(p.top))) >= ?
            UNION
            SELECT t.case_id FROM case_terms t JOIN case_profiles p ON p.case_id = t.case_id AND p.stale = 0
            WHERE t.kind = 'docket' AND t.key IN (SELECT value FROM json_each(?))
            """,
            [names, doc.top_weight(), floor - 1e-9, dockets],
        )]
        if not chosen:
            return {}
        wanted = json.dumps(chosen)
        found: dict[int, tuple[dict[str, float], set[str]]] = {}
        rows = self._rows(
            """
            SELECT t.case_id, t.kind, t.key, t.weight FROM json_each(?) w CROSS JOIN case_terms t
            ON t.case_id = w.value AND t.kind = 'name' AND t.key IN (SELECT key FROM json_each(?))
            UNION ALL
            SELECT t.case_id, t.kind, t.key, t.weight FROM json_each(?) w CROSS JOIN case_terms t
            ON t.case_id = w.value AND t.kind = 'docket' AND t.key IN (SELECT value FROM json_each(?))
            """,
            [wanted, names, wanted, dockets],
        )
        for row in rows:
            case_id, kind, key, weight = row["case_id"], row["kind"], row["key"], row["weight"]
            shared_names, shared_dockets = found.setdefault(case_id, ({}, set()))
            if kind == "name":
                shared_names[key] = weight
            else:
                shared_dockets.add(key)
        ids = json.dumps(sorted(found))
        judges: dict[int, set[str]] = {}
        roles: dict[int, set[str]] = {}
        for row in self._rows(
            "SELECT case_id, kind, key FROM case_terms WHERE kind IN ('judge', 'role') "
            "AND case_id IN (SELECT value FROM json_each(?))",
            [ids],
        ):
            (judges if row["kind"] == "judge" else roles).setdefault(row["case_id"], set()).add(row["key"])
        tops = {row["case_id"]: row["top"] for row in self._rows(
            "SELECT case_id, top FROM case_profiles WHERE case_id IN (SELECT value FROM json_each(?))", [ids])}
        return {
            case_id: Profile(shared_names, frozenset(shared_dockets), {}, frozenset(judges.get(case_id, ())),
                             top=float(tops.get(case_id, 0.0)), roles=frozenset(roles.get(case_id, ())))
            for case_id, (shared_names, shared_dockets) in found.items()
        }

    def dispute_marks(self) -> dict[int, tuple[set[str], set[str]]]:
        """(roles, docket numbers) of every case whose filing profile states a dispute:
        what possible duplicates are told from (cases.duplicates)."""
        marks: dict[int, tuple[set[str], set[str]]] = {}
        for row in self._rows(
            "SELECT case_id, kind, key FROM case_terms WHERE kind IN ('role', 'docket') "
            "AND case_id IN (SELECT case_id FROM case_terms WHERE kind = 'role')", [],
        ):
            roles, dockets = marks.setdefault(row["case_id"], (set(), set()))
            (roles if row["kind"] == "role" else dockets).add(row["key"])
        return marks

    def case_title_taken(self, title: str) -> bool:
        return self._one("SELECT 1 AS x FROM cases WHERE title = ? COLLATE NOCASE", [clean_line(title)]) is not None

    def undated_sources(self, case_id: int) -> list[Source]:
        """Sources of a case with no publication date yet (usually few)."""
        return self._sources("case_id = ? AND published_basis = 'unknown' ORDER BY published, id", [case_id])

    def add_source_with_events(
        self,
        *,
        case_id: int,
        path: str,
        title: str,
        sha256: str,
        text: str,
        published: str | None,
        published_basis: str,
        proposals: list[ProposedEvent],
        groups: list[Group] | None = None,
        filed_reason: str | None = None,
        facts: Iterable[Fact] = (),
        profile: Profile | None = None,
    ) -> tuple[int, int]:
        """Store a source and the events proposed from it in one transaction.

        `profile` (what the story is about) is added to its case's kept profile, which
        filing compares later stories with; None leaves the profile alone (Unfiled).

        `groups` (from `tracker.merge.plan`) say which proposals are one event and which
        restate an event already stored; without them every proposal is its own event.
        Either the whole source with all its events lands or nothing does, so an
        interrupted import never leaves a half-imported source. Returns (source id,
        number of new events).
        """
        from tracker.merge import Group

        if groups is None:
            groups = [Group(None, [i]) for i in range(len(proposals))]
        stamp = now_iso()
        created = 0
        with self._write() as db:
            source_id = _insert(
                db,
                "sources",
                {
                    "case_id": case_id,
                    "path": path,
                    "title": title,
                    "sha256": sha256,
                    "text": text,
                    "published": published,
                    "published_basis": published_basis,
                    "imported_at": stamp,
                    "filed_reason": filed_reason,
                },
            )
            created = self._insert_events(db, case_id, source_id, text, proposals, groups, stamp)
            for fact in facts:
                _insert(db, "case_facts", {"case_id": case_id, "field": fact.field, "value": fact.value,
                                         "source_id": source_id, "start": fact.start, "end": fact.end,
                                         "origin": "extracted", "created_at": stamp})
            self._audit(db, "import", None, None, {"source_id": source_id, "path": path, "case_id": case_id},
                        entity="source", entity_id=source_id)
            db["cases"].update(case_id, {"updated_at": stamp})
            if profile is not None:
                self._add_to_profile(db, case_id, source_id, profile)
        return source_id, created

    def _insert_events(
        self,
        db: sqlite_utils.Database,
        case_id: int,
        source_id: int,
        text: str,
        proposals: list[ProposedEvent],
        groups: list[Group],
        stamp: str,
    ) -> int:
        """Create or extend events from grouped proposals; returns how many are new.

        Each table gets one statement for the whole document. Row by row, every insert
        into events or excerpts fires its FTS5 trigger inside a statement savepoint, and
        FTS5 writes a new index segment at each savepoint: 0.45 ms a row on a million
        events (measured), against a few microseconds when one statement adds them all.
        """
        groups = _live_groups(db, groups)
        fresh = [g for g in groups if g.existing_id is None]
        rows = []
        for group in fresh:
            members = [proposals[i] for i in group.members]
            best = min(members, key=lambda p: (_GRAIN_ORDER.index(p.granularity), p.quoted, -p.confidence, p.start))
            rows.append({
                "case_id": case_id, "date": best.value, "granularity": best.granularity,
                "sort_date": dates.period_start(best.value), "date_text": best.date_text, "title": best.title,
                "note": "", "status": "suggested", "origin": "extracted", "conflict": int(group.conflict),
                "kind": best.kind, "created_at": stamp, "updated_at": stamp,
            })
        new_ids = iter(_insert_many(db, "events", rows))
        event_of: list[int] = []
        for group in groups:
            event_of.append(group.existing_id if group.existing_id is not None else next(new_ids))
        extended = [g.existing_id for g in groups if g.existing_id is not None]
        if extended:
            db.execute("UPDATE events SET updated_at = ? WHERE id IN (SELECT value FROM json_each(?))",
                       [stamp, json.dumps(extended)])
            conflicting = [g.existing_id for g in groups if g.existing_id is not None and g.conflict]
            if conflicting:
                db.execute("UPDATE events SET conflict = 1 WHERE id IN (SELECT value FROM json_each(?))",
                           [json.dumps(conflicting)])
        spans = sorted({(proposals[i].start, proposals[i].end) for g in groups for i in g.members})
        excerpt_of = {
            (start, end): excerpt_id
            for excerpt_id, start, end in db.execute(
                "SELECT id, start, end FROM excerpts WHERE source_id = ?", [source_id]).fetchall()
        }
        missing = [span for span in spans if span not in excerpt_of]
        ids = _insert_many(db, "excerpts", [{"source_id": source_id, "start": start, "end": end,
                                             "text": text[start:end]} for start, end in missing])
        excerpt_of.update(zip(missing, ids))
        links = []
        for group, event_id in zip(groups, event_of):
            for i in group.members:
                p = proposals[i]
                links.append((event_id, excerpt_of[(p.start, p.end)], p.phrase_start - p.start,
                              p.phrase_end - p.start, p.value, p.granularity, p.date_text))
        db.conn.executemany(
            "INSERT OR IGNORE INTO event_excerpts (event_id, excerpt_id, phrase_start, phrase_end, value, "
            "granularity, date_text) VALUES (?, ?, ?, ?, ?, ?, ?)",
            links,
        )
        return len(fresh)

    def redate_source(
        self, source_id: int, published: str | None, basis: str, proposals: list[ProposedEvent], groups: list[Group]
    ) -> int:
        """Give a source a publication date found later and re-read its events.

        Only what the import itself made is replaced: suggested, extracted events that
        rest on this source alone and were never edited. Anything a person touched
        stays as it is.
        """
        stamp = now_iso()
        with self._write() as db:
            row = db.execute("SELECT case_id, text FROM sources WHERE id = ?", [source_id]).fetchone()
            if row is None:
                raise StoreError(f"no source with id {source_id}")
            case_id, text = int(row[0]), row[1]
            untouched = [
                r[0]
                for r in db.execute(
                    """
                    SELECT e.id FROM events e
                    WHERE e.status = 'suggested' AND e.origin = 'extracted' AND e.updated_at = e.created_at
                      AND EXISTS (SELECT 1 FROM event_excerpts l JOIN excerpts x ON x.id = l.excerpt_id
                                  WHERE l.event_id = e.id AND x.source_id = ?)
                      AND NOT EXISTS (SELECT 1 FROM event_excerpts l JOIN excerpts x ON x.id = l.excerpt_id
                                      WHERE l.event_id = e.id AND x.source_id != ?)
                    """,
                    [source_id, source_id],
                ).fetchall()
            ]
            for event_id in untouched:
                _remove_event(db, event_id)
            # Links from this source to events other sources also back are re-made below.
            db.execute(
                "DELETE FROM event_excerpts WHERE excerpt_id IN (SELECT id FROM excerpts WHERE source_id = ?) "
                "AND event_id IN (SELECT id FROM events WHERE status = 'suggested' AND origin = 'extracted')",
                [source_id],
            )
            db["sources"].update(source_id, {"published": published, "published_basis": basis})
            created = self._insert_events(db, case_id, source_id, text, proposals, groups, stamp)
            self._audit(db, "redate", None, None, {"source_id": source_id, "published": published, "basis": basis},
                        entity="source", entity_id=source_id)
        return created

    def known_events(self, case_id: int, since: str, until: str) -> list[Known]:
        """Events of a case whose period starts in [since, until], with the words of the
        clauses that state them, for recognising restatements at import."""
        from tracker.merge import Known, content_words
        from tracker.sentences import segment_bounds

        rows = self._rows(
            """
            SELECT e.id, e.date, e.title, x.text, l.phrase_start, l.phrase_end
            FROM events e
            LEFT JOIN event_excerpts l ON l.event_id = e.id
            LEFT JOIN excerpts x ON x.id = l.excerpt_id
            WHERE e.case_id = ? AND e.sort_date BETWEEN ? AND ? AND e.status != 'rejected'
            ORDER BY e.id
            """,
            [case_id, since, until],
        )
        texts: dict[int, list[str]] = {}
        values: dict[int, str | None] = {}
        for row in rows:
            parts = texts.setdefault(row["id"], [row["title"]])
            values[row["id"]] = row["date"]
            passage = row["text"]
            if passage and row["phrase_start"] is not None:
                begin, finish = segment_bounds(passage, row["phrase_start"], row["phrase_end"])
                parts.append(passage[begin:finish])
            elif passage:
                parts.append(passage)
        # Restatements are recognised by the stories' own words; the title (ours, a headline
        # with names resolved) counts only for an event no passage states (one added by hand).
        return [
            Known(event_id, values[event_id], content_words(" ".join(parts[1:]) or parts[0]),
                  " ".join(parts[1:]) or parts[0])
            for event_id, parts in texts.items()
        ]

    @staticmethod
    def _ensure_excerpt(db: sqlite_utils.Database, source_id: int, start: int, end: int, text: str) -> int:
        row = db.execute(
            "SELECT id FROM excerpts WHERE source_id = ? AND start = ? AND end = ?",
            [source_id, start, end],
        ).fetchone()
        if row:
            return int(row[0])
        return _insert(db, "excerpts", {"source_id": source_id, "start": start, "end": end, "text": text[start:end]})

    def event_excerpts(self, event_id: int) -> list[Excerpt]:
        """The passages behind an event, with their source's title and date."""
        rows = self._rows(
            """
            SELECT x.id, x.source_id, x.start, x.end, x.text, s.title AS source_title,
                   s.published AS source_published, l.phrase_start, l.phrase_end, l.value
            FROM event_excerpts l
            JOIN excerpts x ON x.id = l.excerpt_id
            JOIN sources s ON s.id = x.source_id
            WHERE l.event_id = ? ORDER BY s.published, x.source_id, x.start
            """,
            [event_id],
        )
        return [Excerpt(**row) for row in rows]

    def source_readings(self, source_id: int) -> list[dict[str, Any]]:
        """Every (event, passage) link of a source with the date that passage gives:
        what the source itself says, for measuring extraction."""
        return self._rows(
            """
            SELECT l.event_id, l.value, l.granularity, l.date_text, x.start, x.end,
                   x.start + l.phrase_start AS phrase_start, x.start + l.phrase_end AS phrase_end
            FROM event_excerpts l JOIN excerpts x ON x.id = l.excerpt_id
            WHERE x.source_id = ? ORDER BY x.start, l.phrase_start
            """,
            [source_id],
        )

    # -- events -------------------------------------------------------------------

    def _events_where(self, where: str, params: Iterable[Any]) -> list[Event]:
        rows = self._rows(
            f"""
            SELECT {_EVENT_COLUMNS},
              (SELECT group_concat(name, char(31)) FROM
                 (SELECT t.name FROM event_tags et JOIN tags t ON t.id = et.tag_id
                  WHERE et.event_id = e.id ORDER BY t.name)) AS tag_names,
              (SELECT count(DISTINCT x.source_id) FROM event_excerpts l
                 JOIN excerpts x ON x.id = l.excerpt_id WHERE l.event_id = e.id) AS source_count
            FROM events e WHERE {where}
            ORDER BY e.sort_date IS NULL, e.sort_date, e.id
            """,
            params,
        )
        events = []
        for row in rows:
            names = row.pop("tag_names")
            row["conflict"] = bool(row["conflict"])
            events.append(Event(**row, tags=tuple(names.split("\x1f")) if names else ()))
        return events

    def list_events(self, case_id: int, status: str | None = None) -> list[Event]:
        """A case's events in time order; undated ones last."""
        if status:
            return self._events_where("e.case_id = ? AND e.status = ?", [case_id, status])
        return self._events_where("e.case_id = ?", [case_id])

    def all_events(self) -> list[Event]:
        return self._events_where("1", [])

    def get_event(self, event_id: int) -> Event:
        found = self._events_where("e.id = ?", [event_id])
        if not found:
            raise StoreError(f"no event with id {event_id}")
        return found[0]

    def add_event(
        self,
        case_id: int,
        value: str | None,
        granularity: str,
        date_text: str,
        title: str,
        *,
        status: str = "confirmed",
        origin: str = "manual",
        note: str = "",
        tags: Iterable[str] = (),
    ) -> Event:
        """A hand-made event; what the user typed is what they mean, so it is confirmed."""
        title = clean_line(title)
        if not title:
            raise StoreError("an event needs a title")
        if status not in STATUSES:
            raise StoreError(f"unknown status {status!r}")
        self.get_case(case_id)
        stamp = now_iso()
        with self._write() as db:
            inserted = db["events"].insert(
                {
                    "case_id": case_id,
                    "date": value,
                    "granularity": granularity,
                    "sort_date": dates.period_start(value),
                    "date_text": clean_line(date_text),
                    "title": title,
                    "note": note,
                    "status": status,
                    "origin": origin,
                    "created_at": stamp,
                    "updated_at": stamp,
                }
            )
            event_id = int(inserted.last_pk)
            for tag in tags:
                self._link_tag(db, event_id, tag)
            self._audit(db, "add", event_id, None, _snapshot(db, event_id))
        return self.get_event(event_id)

    def update_event(
        self,
        event_id: int,
        *,
        value: str | None,
        granularity: str,
        date_text: str,
        title: str,
        note: str | None = None,
    ) -> Event:
        title = clean_line(title)
        if not title:
            raise StoreError("an event needs a title")
        self.get_event(event_id)
        changes: dict[str, Any] = {
            "date": value,
            "granularity": granularity,
            "sort_date": dates.period_start(value),
            "date_text": clean_line(date_text),
            "title": title,
            "updated_at": now_iso(),
        }
        if note is not None:
            changes["note"] = note
        with self._write() as db:
            before = _snapshot(db, event_id)
            db["events"].update(event_id, changes)
            self._audit(db, "edit", event_id, before, _snapshot(db, event_id))
        return self.get_event(event_id)

    def set_status(self, event_ids: int | Iterable[int], status: str) -> None:
        """Confirm or reject events that must exist (a missing one is an error here,
        where `review_events` skips it); one undoable batch."""
        ids = [event_ids] if isinstance(event_ids, int) else list(event_ids)
        for event_id in ids:
            self.get_event(event_id)
        self.review_events(ids, status)

    def delete_event(self, event_id: int) -> None:
        """Remove an event and its links; excerpts stay, they belong to the source."""
        self.get_event(event_id)
        with self._write() as db:
            before = _snapshot(db, event_id)
            _remove_event(db, event_id)
            self._audit(db, "delete", event_id, before, None)

    # -- tags ---------------------------------------------------------------------

    @staticmethod
    def _link_tag(db: sqlite_utils.Database, event_id: int, name: str) -> None:
        name = clean_tag(name)
        row = db.execute("SELECT id FROM tags WHERE name = ?", [name]).fetchone()
        if row:
            tag_id = int(row[0])
        else:
            inserted = db["tags"].insert({"name": name})
            tag_id = int(inserted.last_pk)
        db["event_tags"].insert({"event_id": event_id, "tag_id": tag_id}, ignore=True)

    def add_tags(self, event_id: int, names: Iterable[str]) -> Event:
        """Tag one event (that must exist); `tag_events` does the work, audited and undoable."""
        self.get_event(event_id)
        self.tag_events([event_id], add=names)
        return self.get_event(event_id)

    def remove_tags(self, event_id: int, names: Iterable[str]) -> Event:
        self.get_event(event_id)
        self.tag_events([event_id], remove=names)
        return self.get_event(event_id)

    def list_tags(self) -> list[str]:
        return [row["name"] for row in self._rows("SELECT name FROM tags ORDER BY name COLLATE NOCASE")]

    # -- case facts, filing, agenda, as known on ----------------------------------------

    def case_title_origin(self, case_id: int) -> str:
        row = self._one("SELECT title_origin FROM cases WHERE id = ?", [case_id])
        if row is None:
            raise StoreError(f"no case with id {case_id}")
        return str(row["title_origin"] or "user")

    def rename_case(self, case_id: int, title: str, origin: str = "user") -> None:
        """Give a case a new title; a title someone typed is never replaced by a guess."""
        title = clean_line(title)
        if not title:
            raise StoreError("a case needs a title")
        self.get_case(case_id)
        clash = self._one("SELECT id FROM cases WHERE title = ? COLLATE NOCASE AND id != ?", [title, case_id])
        if clash:
            raise StoreError(f"another case is already called {title!r}")
        before = self.get_case(case_id).title
        with self._write() as db:
            db["cases"].update(case_id, {"title": title, "title_origin": origin, "updated_at": now_iso()})
            self._audit(db, "rename", None, {"title": before}, {"title": title, "origin": origin}, entity="case",
                        entity_id=case_id)

    def case_facts(self, case_id: int) -> list[CaseFact]:
        """Facts of a case: typed ones first, then proposals with the passage behind each."""
        rows = self._rows(
            """
            SELECT f.id, f.field, f.value, f.origin, f.source_id, s.title AS source_title,
                   CASE WHEN f.source_id IS NULL THEN NULL ELSE substr(s.text, f.start + 1, f.end - f.start) END
                     AS passage
            FROM case_facts f LEFT JOIN sources s ON s.id = f.source_id
            WHERE f.case_id = ? ORDER BY f.origin = 'extracted', s.published DESC, f.id
            """,
            [case_id],
        )
        return [CaseFact(**row) for row in rows]

    def set_case_fact(self, case_id: int, field: str, value: str) -> None:
        """A fact typed by the user; it replaces earlier typed values of the field."""
        from tracker.facts import FIELDS, STATUSES as CASE_STATUSES

        if field not in FIELDS:
            raise StoreError(f"unknown fact {field!r} (one of {', '.join(FIELDS)})")
        value = clean_line(value)
        if field == "status" and value not in CASE_STATUSES:
            raise StoreError(f"status is one of {', '.join(CASE_STATUSES)}")
        self.get_case(case_id)
        with self._write() as db:
            db.execute("DELETE FROM case_facts WHERE case_id = ? AND field = ? AND origin = 'manual'", [case_id, field])
            if value:
                db["case_facts"].insert({"case_id": case_id, "field": field, "value": value, "source_id": None,
                                         "start": None, "end": None, "origin": "manual", "created_at": now_iso()})

    def source_filing(self, source_id: int) -> tuple[int | None, str | None]:
        row = self._one("SELECT case_id, filed_reason FROM sources WHERE id = ?", [source_id])
        if row is None:
            raise StoreError(f"no source with id {source_id}")
        return row["case_id"], row["filed_reason"]

    def move_source(self, source_id: int, case_id: int, reason: str = "moved by hand") -> int:
        """File a source into another case, with the events that rest on it alone.

        Events other sources also support stay where they are and lose this source's
        passages. Returns how many events moved.
        """
        self.get_case(case_id)
        self.source_filing(source_id)
        with self._write() as db:
            own = [r[0] for r in db.execute(
                """
                SELECT e.id FROM events e WHERE EXISTS (
                    SELECT 1 FROM event_excerpts l JOIN excerpts x ON x.id = l.excerpt_id
                    WHERE l.event_id = e.id AND x.source_id = ?)
                AND NOT EXISTS (
                    SELECT 1 FROM event_excerpts l JOIN excerpts x ON x.id = l.excerpt_id
                    WHERE l.event_id = e.id AND x.source_id != ?)
                """, [source_id, source_id])]
            for event_id in own:
                before = _snapshot(db, event_id)
                db["events"].update(event_id, {"case_id": case_id, "updated_at": now_iso()})
                self._audit(db, "move", event_id, before, _snapshot(db, event_id))
            db.execute("DELETE FROM event_excerpts WHERE excerpt_id IN (SELECT id FROM excerpts WHERE source_id = ?) "
                       "AND event_id IN (SELECT id FROM events WHERE case_id != ?)", [source_id, case_id])
            db.execute("UPDATE case_facts SET case_id = ? WHERE source_id = ?", [case_id, source_id])
            db["sources"].update(source_id, {"case_id": case_id, "filed_reason": reason})
            self._audit(db, "move-source", None, None, {"source_id": source_id, "case_id": case_id},
                        entity="source", entity_id=source_id)
        return len(own)

    def move_event(self, event_id: int, case_id: int) -> Event:
        self.get_case(case_id)
        self.get_event(event_id)
        with self._write() as db:
            before = _snapshot(db, event_id)
            db["events"].update(event_id, {"case_id": case_id, "updated_at": now_iso()})
            self._audit(db, "move", event_id, before, _snapshot(db, event_id))
        return self.get_event(event_id)

    def single_source_events(self, case_id: int) -> list[Event]:
        """Events only one source supports: the ones to verify."""
        return [e for e in self._events_where("e.case_id = ? AND e.status != 'rejected'", [case_id])
                if e.source_count <= 1]

    def agenda(self, start: str, end: str) -> list[tuple[Event, str]]:
        """Scheduled events across all cases whose period starts in [start, end]."""
        events = self._events_where("e.kind = 'scheduled' AND e.status != 'rejected' AND e.sort_date BETWEEN ? AND ?",
                                    [start, end])
        titles = {c.id: c.title for c in self.list_cases()}
        return [(e, titles.get(e.case_id, "")) for e in events]

    def as_known_on(self, case_id: int, day: str) -> list[tuple[Event, str]]:
        """The case as the record stood on `day`: events that sources published by then
        support, each with the date it was first reported."""
        rows = self._rows(
            """
            SELECT l.event_id, min(s.published) AS first
            FROM event_excerpts l JOIN excerpts x ON x.id = l.excerpt_id JOIN sources s ON s.id = x.source_id
            JOIN events e ON e.id = l.event_id
            WHERE e.case_id = ? AND s.published IS NOT NULL AND substr(s.published, 1, 10) <= ?
              AND e.status != 'rejected'
            GROUP BY l.event_id
            """,
            [case_id, day],
        )
        first = {r["event_id"]: r["first"] for r in rows}
        return [(e, first[e.id]) for e in self.list_events(case_id) if e.id in first]

    # -- tracker.v1 import ------------------------------------------------------------

    def import_v1_case(self, title: str, sources: list[dict[str, Any]], events: list[dict[str, Any]]) -> tuple[int, int]:
        """One case of a tracker.v1 export, in one transaction. Returns (sources, events) added.

        The export carries excerpts, not whole texts, so a source that is new here gets a
        text holding its excerpts at their offsets (blanks between): offsets, search and
        `check` stay right, and the sha256 still recognises the original file later.
        """
        case_id = self.ensure_case(title, "imported from tracker.v1", "user")
        stamp = now_iso()
        added_sources = added_events = 0
        with self._write() as db:
            source_ids: dict[int, int] = {}
            for source in sources:
                row = db.execute("SELECT id FROM sources WHERE sha256 = ?", [source["sha256"]]).fetchone()
                if row:
                    source_ids[source["id"]] = int(row[0])
                    continue
                pieces = [x for e in events for x in e.get("excerpts", []) if x["source_id"] == source["id"]]
                chars = [" "] * max([x["end"] for x in pieces] + [0])
                for piece in pieces:
                    chars[piece["start"]:piece["end"]] = list(piece["text"])
                inserted = db["sources"].insert({
                    "case_id": case_id, "path": source.get("path") or "", "title": source.get("title") or "",
                    "sha256": source["sha256"], "text": "".join(chars), "published": source.get("published"),
                    "published_basis": source.get("published_basis") or "unknown", "imported_at": stamp,
                    "filed_reason": "imported from tracker.v1"})
                source_ids[source["id"]] = int(inserted.last_pk)
                added_sources += 1
            if added_sources:  # the case's kept filing profile lacks these: rebuilt at the next filing
                db.execute("UPDATE case_profiles SET stale = 1 WHERE case_id = ?", [case_id])
            for event in events:
                same = db.execute(
                    "SELECT 1 FROM events WHERE case_id = ? AND date IS ? AND title = ?",
                    [case_id, event.get("date"), clean_line(event.get("title") or "")],
                ).fetchone()
                if same:
                    continue  # importing the same export twice adds nothing
                inserted = db["events"].insert({
                    "case_id": case_id, "date": event.get("date"), "granularity": event.get("granularity") or "day",
                    "sort_date": dates.period_start(event.get("date")), "date_text": event.get("date_text") or "",
                    "title": clean_line(event.get("title") or "") or "untitled", "note": "",
                    "status": event.get("status") if event.get("status") in STATUSES else "suggested",
                    "origin": event.get("origin") if event.get("origin") in ("extracted", "manual") else "manual",
                    "conflict": 0, "kind": "occurred", "created_at": stamp, "updated_at": stamp})
                event_id = int(inserted.last_pk)
                added_events += 1
                for tag in event.get("tags") or []:
                    self._link_tag(db, event_id, tag)
                for piece in event.get("excerpts") or []:
                    source_id = source_ids.get(piece["source_id"])
                    if source_id is None:
                        continue
                    text = db.execute("SELECT text FROM sources WHERE id = ?", [source_id]).fetchone()[0]
                    if text[piece["start"]:piece["end"]] != piece["text"]:
                        continue  # the stored source says something else there; do not invent a link
                    excerpt_id = self._ensure_excerpt(db, source_id, piece["start"], piece["end"], text)
                    db["event_excerpts"].insert({"event_id": event_id, "excerpt_id": excerpt_id,
                                                 "value": event.get("date"), "granularity": event.get("granularity"),
                                                 "date_text": event.get("date_text")}, ignore=True)
                self._audit(db, "add", event_id, None, _snapshot(db, event_id))
        return added_sources, added_events

    # -- audit log, undo, maintenance ------------------------------------------------

    def _audit(
        self,
        db: sqlite_utils.Database,
        action: str,
        event_id: int | None,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        *,
        entity: str = "event",
        entity_id: int | None = None,
        batch: int | None = None,
    ) -> None:
        """Record one change inside the transaction that makes it; changes that share a
        `batch` (a bulk confirm, reject or tag) are undone together."""
        _insert(
            db,
            "audit",
            {
                "at": now_iso(),
                "user": os_user(),
                "action": action,
                "entity": entity,
                "entity_id": event_id if entity_id is None else entity_id,
                "before": json.dumps(before, ensure_ascii=False) if before is not None else None,
                "after": json.dumps(after, ensure_ascii=False) if after is not None else None,
                "undone": 0,
                "batch": batch,
            },
        )

    def history(self, event_id: int) -> list[AuditEntry]:
        """The story of one event, oldest first, including undone changes."""
        rows = self._rows(
            "SELECT id, at, user, action, entity_id, before, after, undone FROM audit "
            "WHERE entity = 'event' AND entity_id = ? ORDER BY id",
            [event_id],
        )
        if not rows:
            raise StoreError(f"no history for event {event_id}")
        return [_entry(row) for row in rows]

    def last_change(self) -> AuditEntry | None:
        """The newest change to an event that has not been undone."""
        row = self._one(
            "SELECT id, at, user, action, entity_id, before, after, undone FROM audit "
            "WHERE entity = 'event' AND undone = 0 ORDER BY id DESC LIMIT 1"
        )
        return _entry(row) if row else None

    def undo_last(self) -> AuditEntry:
        """Undo the newest change to an event (add, edit, status, tags, delete, move), a
        merge of two cases (`merge_cases`), a case's close or reopen, or a rename someone
        typed (an import's automatic renames are not taken back by mistake).

        A change made to several events at once (one `batch`: a bulk confirm, reject or
        tag) is undone as a whole, newest first. The undo is itself a change in the log,
        and works across restarts because the log lives in the database.
        """
        names = ("id", "at", "user", "action", "entity_id", "before", "after", "undone", "batch")
        select = f"SELECT {', '.join(names)} FROM audit WHERE entity = 'event' AND undone = 0 AND action != 'undo' "
        newest = self._one(
            f"SELECT {', '.join(names)} FROM audit WHERE (entity = 'event' OR action = 'merge-cases' "
            "OR (entity = 'case' AND (action IN ('close', 'reopen') "
            "    OR (action = 'rename' AND json_extract(after, '$.origin') = 'user')))) "
            "AND undone = 0 AND action != 'undo' ORDER BY id DESC LIMIT 1"
        )
        if newest is None:
            raise StoreError("nothing to undo")
        try:
            return self._undo(names, select, tuple(newest[n] for n in names))
        except (sqlite3.IntegrityError, _CannotUndo) as exc:
            # What it would restore no longer fits (its case is gone, say). Set it aside
            # so that the next undo reaches the change before it instead of failing again.
            with self._write() as db:
                db.execute("UPDATE audit SET undone = -1 WHERE id = ?", [newest["id"]])
            raise StoreError(f"cannot undo {newest['action']} (change {newest['id']}): {exc}; "
                             "set aside, undo again for the change before it") from None

    def _undo(self, names: tuple[str, ...], select: str, row: tuple[Any, ...]) -> AuditEntry:
        with self._write() as db:
            first = _entry(dict(zip(names, row)))
            if first.action == "merge-cases":
                self._unmerge(db, first)
                return first
            if first.action in ("rename", "close", "reopen"):
                self._undo_case_change(db, first)
                return first
            rows = [row]
            if row[-1] is not None:
                rows = db.execute(select + "AND batch = ? ORDER BY id DESC", [row[-1]]).fetchall()
            entries = [_entry(dict(zip(names, r))) for r in rows]
            for entry in entries:
                current = _snapshot(db, entry.entity_id)
                _restore(db, entry.entity_id, entry.before)
                db.execute("UPDATE audit SET undone = 1 WHERE id = ?", [entry.id])
                self._audit(db, "undo", entry.entity_id, current, entry.before)
        return entries[0]

    def _undo_case_change(self, db: sqlite_utils.Database, entry: AuditEntry) -> None:
        """Take back a rename typed by a person, or a close or reopen."""
        before = entry.before or {}
        if entry.action == "rename":
            changed = db.execute("UPDATE cases SET title = ?, title_origin = 'user', updated_at = ? WHERE id = ?",
                                 [before.get("title"), now_iso(), entry.entity_id])
        else:
            changed = db.execute("UPDATE cases SET state = ?, updated_at = ? WHERE id = ?",
                                 [before.get("state", "open"), now_iso(), entry.entity_id])
        if not changed.rowcount:
            raise _CannotUndo(f"case {entry.entity_id} no longer exists")
        db.execute("UPDATE audit SET undone = 1 WHERE id = ?", [entry.id])
        self._audit(db, "undo", None, entry.after, before, entity="case", entity_id=entry.entity_id)

    def backup(self, dest: Path) -> None:
        """A consistent copy made while others may be writing (SQLite's online backup)."""
        dest = Path(dest)
        if dest.exists():
            raise StoreError(f"{dest} exists; choose a new file name")
        try:
            os.close(os.open(dest, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))
            target = sqlite3.connect(str(dest))
        except OSError as exc:
            raise StoreError(f"cannot write {dest}: {exc.strerror or exc}") from None
        try:
            with self._lock:
                self.db.conn.backup(target, pages=256)
        finally:
            target.close()

    def check(self) -> list[str]:
        """Problems found: integrity, foreign keys, FTS indexes, orphan rows. Empty is healthy."""
        problems: list[str] = []
        integrity = [r[0] for r in self.db.conn.execute("PRAGMA integrity_check").fetchall()]
        if integrity != ["ok"]:
            problems += [f"integrity: {line}" for line in integrity]
        for table, rowid, parent, _ in self.db.conn.execute("PRAGMA foreign_key_check").fetchall():
            problems.append(f"foreign key: {table} row {rowid} points to a missing {parent}")
        for fts in ("events_fts", "excerpts_fts", "sources_fts"):
            try:
                self.db.conn.execute(f"INSERT INTO {fts}({fts}, rank) VALUES('integrity-check', 1)")
            except sqlite3.DatabaseError as exc:
                problems.append(f"search index {fts}: {exc}")
        orphans = {
            "events without a case": "SELECT count(*) FROM events WHERE case_id NOT IN (SELECT id FROM cases)",
            "excerpts without a source": "SELECT count(*) FROM excerpts WHERE source_id NOT IN (SELECT id FROM sources)",
            "event links to missing events or excerpts": (
                "SELECT count(*) FROM event_excerpts WHERE event_id NOT IN (SELECT id FROM events) "
                "OR excerpt_id NOT IN (SELECT id FROM excerpts)"),
            "tag links to missing events or tags": (
                "SELECT count(*) FROM event_tags WHERE event_id NOT IN (SELECT id FROM events) "
                "OR tag_id NOT IN (SELECT id FROM tags)"),
            "excerpts outside their source text": (
                "SELECT count(*) FROM excerpts x JOIN sources s ON s.id = x.source_id "
                "WHERE x.start < 0 OR x.end > length(s.text) OR substr(s.text, x.start + 1, x.end - x.start) != x.text"),
        }
        for label, sql in orphans.items():
            count = self.db.conn.execute(sql).fetchone()[0]
            if count:
                problems.append(f"{count} {label}")
        return problems

    # -- search -------------------------------------------------------------------

    # Above this many matches of a kind, the first page shows the newest ones instead of
    # the best-ranked: bm25 first counts every match of the query (20-80 ms per index for
    # a common word on a million events), while walking the newest matches by rowid stops
    # after one page.
    SEARCH_CANDIDATES = 200

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Events, excerpts and sources matching `query`, best first within each kind
        (newest first for a kind with very many matches).

        Any input is accepted: it is reduced to quoted words, so FTS5 syntax in it can
        never raise. Matches in snippets are wrapped in \\x02 ... \\x03 so the caller
        can highlight them without interpreting markup. A kind with more than
        SEARCH_CANDIDATES matches lists its newest `limit` matches instead (bm25 over
        that many costs more than a first page may), so the first page stays fast on
        a large database.
        """
        match = fts_query(query)
        if match is None:
            return []
        hits: list[SearchHit] = []
        for row in self._ranked(
            """
            SELECT e.id AS event_id, e.case_id, c.title AS case_title, e.date, e.title,
                   snippet(events_fts, 0, char(2), char(3), '…', 12) AS snip
            FROM events_fts JOIN events e ON e.rowid = events_fts.rowid
            JOIN cases c ON c.id = e.case_id
            WHERE events_fts MATCH ? ORDER BY {order} LIMIT ?
            """,
            "events_fts", match, limit,
        ):
            hits.append(
                SearchHit("event", row["case_id"], row["case_title"], row["event_id"], None,
                          f"{row['date'] or 'undated'}  {row['title']}", row["snip"])
            )
        for row in self._ranked(
            """
            SELECT x.source_id, s.case_id, c.title AS case_title, s.title AS source_title,
                   (SELECT l.event_id FROM event_excerpts l WHERE l.excerpt_id = x.id LIMIT 1) AS event_id,
                   snippet(excerpts_fts, 0, char(2), char(3), '…', 16) AS snip
            FROM excerpts_fts JOIN excerpts x ON x.rowid = excerpts_fts.rowid
            JOIN sources s ON s.id = x.source_id LEFT JOIN cases c ON c.id = s.case_id
            WHERE excerpts_fts MATCH ? ORDER BY {order} LIMIT ?
            """,
            "excerpts_fts", match, limit,
        ):
            hits.append(
                SearchHit("excerpt", row["case_id"], row["case_title"] or "", row["event_id"],
                          row["source_id"], row["source_title"], row["snip"])
            )
        for row in self._ranked(
            """
            SELECT s.id AS source_id, s.case_id, c.title AS case_title, s.title AS source_title,
                   snippet(sources_fts, 1, char(2), char(3), '…', 16) AS snip
            FROM sources_fts JOIN sources s ON s.rowid = sources_fts.rowid
            LEFT JOIN cases c ON c.id = s.case_id
            WHERE sources_fts MATCH ? ORDER BY {order} LIMIT ?
            """,
            "sources_fts", match, limit,
        ):
            hits.append(
                SearchHit("source", row["case_id"], row["case_title"] or "", None,
                          row["source_id"], row["source_title"], row["snip"])
            )
        hits.sort(key=lambda h: (h.case_title.casefold(), ("event", "excerpt", "source").index(h.kind)))
        return hits

    def _ranked(self, sql: str, fts: str, match: str, limit: int) -> list[dict[str, Any]]:
        """The best-ranked `limit` rows when there are at most SEARCH_CANDIDATES
        matches; else the newest `limit` (see SEARCH_CANDIDATES)."""
        cap = max(limit, self.SEARCH_CANDIDATES)
        newest = self._rows(sql.format(order=f"{fts}.rowid DESC"), [match, cap + 1])
        if len(newest) > cap:
            return newest[:limit]
        return self._rows(sql.format(order=f"{fts}.rank"), [match, limit])

    # -- issue 5: paging and counts ---------------------------------------------------
    #
    # The app never reads a whole table: the lists ask for one page of rows at a time
    # (by position, or by keyset from a row they hold), counts come from case_stats
    # (kept by triggers, see db.m004_scale), and a row's position is a range count over
    # the index that orders the list. Every query here was checked with EXPLAIN QUERY
    # PLAN (tests/test_scale.py keeps them on their indexes).

    _CASE_ROW = (
        "SELECT c.id, c.title, c.created_at, c.filed_reason, ifnull(st.live, 0) AS event_count, "
        "ifnull(st.sources, 0) AS source_count, st.latest_date, "
        "ifnull(st.suggested, 0) AS suggested, ifnull(st.confirmed, 0) AS confirmed, "
        "ifnull(st.rejected, 0) AS rejected, st.first_date, c.state "
        "FROM cases c LEFT JOIN case_stats st ON st.case_id = c.id "
    )
    # The timeline order as one expression, matching the index events_timeline.
    _EVENT_KEY = "ifnull(e.sort_date, '~')"

    # -- review, notes and tag filters (issue 4) --
    #
    # The review flow pages a case's timeline filtered by status and/or tag with the
    # same keyset/position scheme as the unfiltered timeline: a status filter walks
    # events_status_timeline (case_id, status, timeline key, id), a tag filter walks the
    # timeline index and probes event_tags by its primary key, so no page reads more
    # than the index range it shows (and a rare tag at worst walks one case's index).
    # Bulk changes share an audit `batch`, so one undo reverts them all.

    NOTE_MAX = 10_000

    def _filter(self, status: str | None, tag: str | None) -> tuple[str, list[Any]]:
        """Extra WHERE terms (starting with AND) and their parameters for a filter."""
        clauses: list[str] = []
        params: list[Any] = []
        if status is not None:
            if status not in STATUSES:
                raise StoreError(f"unknown status {status!r}")
            clauses.append("e.status = ?")
            params.append(status)
        if tag is not None:
            row = self._one("SELECT id FROM tags WHERE name = ?", [tag])
            if row is None:
                clauses.append("0")
            else:
                clauses.append("EXISTS (SELECT 1 FROM event_tags et WHERE et.event_id = e.id AND et.tag_id = ?)")
                params.append(int(row["id"]))
        return "".join(f" AND {c}" for c in clauses), params

    def filtered_total(self, case_id: int, status: str | None = None, tag: str | None = None) -> int:
        """How many events of a case pass the filter: a kept count for a status alone,
        else a count driven by the tag's links (event_tags(tag_id)), not the case."""
        if tag is None:
            if status is None:
                return self.case_event_total(case_id)
            if status not in STATUSES:
                raise StoreError(f"unknown status {status!r}")
            row = self._one(f"SELECT {status} AS n FROM case_stats WHERE case_id = ?", [case_id])
            return int(row["n"]) if row else 0
        extra = " AND e.status = ?" if status is not None else ""
        row = self._one(
            # CROSS JOIN fixes the order: from the tag's links to their events, never
            # a walk over the case.
            "SELECT count(*) AS n FROM tags t CROSS JOIN event_tags et ON et.tag_id = t.id "
            f"CROSS JOIN events e ON e.id = et.event_id WHERE t.name = ? AND e.case_id = ?{extra}",
            [tag, case_id, *([status] if status is not None else [])],
        )
        return int(row["n"]) if row else 0

    def filtered_page(
        self, case_id: int, offset: int, limit: int, status: str | None = None, tag: str | None = None,
        total: int | None = None,
    ) -> list[Event]:
        """`limit` events of a case that pass the filter, from filtered position `offset`
        (a page past the middle is read from the far end, as in events_page). `total`:
        the filtered count when the caller holds it (a tag's count walks its links)."""
        if status is None and tag is None:
            return self.events_page(case_id, offset, limit)
        offset = max(0, offset)
        extra, params = self._filter(status, tag)
        where = f"e.case_id = ?{extra}"
        key = self._EVENT_KEY
        if total is None:
            total = self.filtered_total(case_id, status, tag)
        if total and offset + limit // 2 > total // 2:
            back = total - offset - limit
            take = limit + min(0, back)
            if take <= 0:
                return []
            return self._event_page(where, f"{key} DESC, e.id DESC LIMIT ? OFFSET ?",
                                    [case_id, *params, take, max(0, back)])
        return self._event_page(where, f"{key}, e.id LIMIT ? OFFSET ?", [case_id, *params, limit, offset])

    def _filtered_step(
        self, case_id: int, event_id: int, limit: int, status: str | None, tag: str | None, *, after: bool
    ) -> list[Event]:
        extra, params = self._filter(status, tag)
        key = self._EVENT_KEY
        anchor = "(SELECT ifnull(sort_date, '~') FROM events WHERE id = ?)"
        cmp, strict, order = (">=", ">", "") if after else ("<=", "<", " DESC")
        where = (f"e.case_id = ?{extra} AND {key} {cmp} {anchor} "
                 f"AND ({key} {strict} {anchor} OR e.id {strict} ?)")
        return self._event_page(where, f"{key}{order}, e.id{order} LIMIT ?",
                                [case_id, *params, event_id, event_id, event_id, limit])

    def filtered_after(
        self, case_id: int, event_id: int, limit: int, status: str | None = None, tag: str | None = None
    ) -> list[Event]:
        """The `limit` filtered events after event `event_id` in timeline order (keyset)."""
        return self._filtered_step(case_id, event_id, limit, status, tag, after=True)

    def filtered_before(
        self, case_id: int, event_id: int, limit: int, status: str | None = None, tag: str | None = None
    ) -> list[Event]:
        """The `limit` filtered events just before event `event_id`, in timeline order."""
        return self._filtered_step(case_id, event_id, limit, status, tag, after=False)

    def filtered_position(
        self, case_id: int, event_id: int, status: str | None = None, tag: str | None = None
    ) -> int | None:
        """Where event `event_id` stands among the case's filtered events, None if it
        does not pass the filter (or is not in the case)."""
        extra, params = self._filter(status, tag)
        key = self._EVENT_KEY
        row = self._one(
            f"""
            SELECT (SELECT count(*) FROM events e
                    WHERE e.case_id = k.case_id{extra} AND {key} <= ifnull(k.sort_date, '~')
                      AND ({key} < ifnull(k.sort_date, '~') OR e.id < k.id)) AS n,
                   (SELECT count(*) FROM events e WHERE e.id = k.id{extra}) AS passes
            FROM events k WHERE k.id = ? AND k.case_id = ?
            """,
            [*params, *params, event_id, case_id],
        )
        if row is None or not row["passes"]:
            return None
        return int(row["n"])

    def _review_probes(self) -> dict[str, tuple[str, list[Any]]]:
        """The filtered paged queries for `query_plans` (tag id 1, status suggested)."""
        key = self._EVENT_KEY
        tag = "EXISTS (SELECT 1 FROM event_tags et WHERE et.event_id = e.id AND et.tag_id = 1)"
        return {
            "status_page": (f"SELECT e.id FROM events e WHERE e.case_id = 1 AND e.status = 'suggested' "
                            f"ORDER BY {key}, e.id LIMIT 50 OFFSET 10", []),
            "status_after": (
                f"SELECT e.id FROM events e WHERE e.case_id = 1 AND e.status = 'suggested' AND {key} >= '2020' "
                f"AND ({key} > '2020' OR e.id > 5) ORDER BY {key}, e.id LIMIT 50", []),
            "status_position": (
                f"SELECT count(*) FROM events e WHERE e.case_id = 1 AND e.status = 'confirmed' AND {key} <= '2020' "
                f"AND ({key} < '2020' OR e.id < 5)", []),
            "tag_page": (f"SELECT e.id FROM events e WHERE e.case_id = 1 AND {tag} "
                         f"ORDER BY {key}, e.id LIMIT 50 OFFSET 10", []),
            "tag_status_page": (f"SELECT e.id FROM events e WHERE e.case_id = 1 AND e.status = 'suggested' "
                                f"AND {tag} ORDER BY {key}, e.id LIMIT 50", []),
            "tag_total": ("SELECT count(*) FROM tags t CROSS JOIN event_tags et ON et.tag_id = t.id "
                          "CROSS JOIN events e ON e.id = et.event_id WHERE t.name = 'x' AND e.case_id = 1", []),
        }

    def _next_batch(self, db: sqlite_utils.Database) -> int:
        row = db.execute("SELECT ifnull(max(batch), 0) + 1 FROM audit").fetchone()
        return int(row[0])

    def _existing(self, db: sqlite_utils.Database, event_ids: Iterable[int]) -> list[int]:
        """The ids (in the order given, once each) of events that still exist."""
        found: list[int] = []
        for event_id in dict.fromkeys(event_ids):
            if db.execute("SELECT 1 FROM events WHERE id = ?", [event_id]).fetchone():
                found.append(int(event_id))
        return found

    def review_events(self, event_ids: Iterable[int], status: str) -> list[int]:
        """Give several events one status in one transaction and one undoable batch.

        Events deleted meanwhile (by another process) are skipped rather than failing
        the whole review; events already at that status are left alone. Returns the
        ids changed.
        """
        if status not in STATUSES:
            raise StoreError(f"unknown status {status!r}")
        changed: list[int] = []
        stamp = now_iso()
        with self._write() as db:
            batch = self._next_batch(db)
            for event_id in self._existing(db, event_ids):
                before = _snapshot(db, event_id)
                if before is None or before["event"]["status"] == status:
                    continue
                db["events"].update(event_id, {"status": status, "updated_at": stamp})
                self._audit(db, status, event_id, before, _snapshot(db, event_id), batch=batch)
                changed.append(event_id)
        return changed

    def tag_events(self, event_ids: Iterable[int], add: Iterable[str] = (), remove: Iterable[str] = ()) -> list[int]:
        """Add and remove tags on several events as one undoable batch; returns the ids
        whose tags changed (missing events are skipped)."""
        adding = [clean_tag(n) for n in add]
        removing = [clean_line(n) for n in remove if clean_line(n)]
        changed: list[int] = []
        with self._write() as db:
            batch = self._next_batch(db)
            for event_id in self._existing(db, event_ids):
                before = _snapshot(db, event_id)
                for name in removing:
                    db.execute("DELETE FROM event_tags WHERE event_id = ? AND tag_id IN "
                               "(SELECT id FROM tags WHERE name = ?)", [event_id, name])
                for name in adding:
                    self._link_tag(db, event_id, name)
                after = _snapshot(db, event_id)
                if before is not None and after is not None and before["tags"] != after["tags"]:
                    db["events"].update(event_id, {"updated_at": now_iso()})
                    self._audit(db, "tag" if adding else "untag", event_id, before, _snapshot(db, event_id),
                                batch=batch)
                    changed.append(event_id)
        return changed

    def case_excerpts(self, case_id: int, limit: int = 200) -> list[Excerpt]:
        """Passages of the case's sources an event may be linked to (the editor's list),
        in the order they were imported, at most `limit` (an order the indexes give: a
        big case has 100,000 passages, not to be sorted each time the editor opens)."""
        rows = self._rows(
            """
            SELECT x.id, x.source_id, x.start, x.end, x.text, s.title AS source_title,
                   s.published AS source_published
            FROM sources s JOIN excerpts x ON x.source_id = s.id
            WHERE s.case_id = ? ORDER BY s.id, x.start LIMIT ?
            """,
            [case_id, limit],
        )
        return [Excerpt(**row) for row in rows]

    def save_event(
        self,
        case_id: int,
        event_id: int | None,
        *,
        value: str | None,
        granularity: str,
        date_text: str,
        title: str,
        note: str,
        tags: Iterable[str],
        excerpt_ids: Iterable[int],
    ) -> Event:
        """Add (event_id None) or edit an event with everything the editor holds, in one
        transaction and one audit entry, so one undo reverts the whole edit.

        `tags` and `excerpt_ids` are the complete new sets: names not listed are
        untagged, passages not listed are unlinked. A passage must come from a source of
        the event's case. A new event is confirmed and manual (typed by a person).
        """
        title = clean_line(title)
        if not title:
            raise StoreError("an event needs a title")
        note = clean_note(note)
        if len(note) > self.NOTE_MAX:
            raise StoreError(f"a note is at most {self.NOTE_MAX:,} characters")
        names = list(dict.fromkeys(clean_tag(n) for n in tags))
        links = list(dict.fromkeys(int(i) for i in excerpt_ids))
        self.get_case(case_id)
        stamp = now_iso()
        fields = {"date": value, "granularity": granularity, "sort_date": dates.period_start(value),
                  "date_text": clean_line(date_text), "title": title, "note": note, "updated_at": stamp}
        with self._write() as db:
            # Only new links must come from this case's sources: an event moved from
            # another case keeps the passages it was read from, and stays editable.
            linked = set() if event_id is None else {r[0] for r in db.execute(
                "SELECT excerpt_id FROM event_excerpts WHERE event_id = ?", [event_id])}
            added = [i for i in links if i not in linked]
            if added:
                marks = ", ".join("?" for _ in added)
                ok = {r[0] for r in db.execute(
                    f"SELECT x.id FROM excerpts x JOIN sources s ON s.id = x.source_id "
                    f"WHERE x.id IN ({marks}) AND s.case_id = ?", [*added, case_id])}
                missing = [i for i in added if i not in ok]
                if missing:
                    raise StoreError(f"passage {missing[0]} is not from a source of this case")
            if event_id is None:
                inserted = db["events"].insert({**fields, "case_id": case_id, "status": "confirmed",
                                                "origin": "manual", "created_at": stamp})
                event_id = int(inserted.last_pk)
                before = None
            else:
                before = _snapshot(db, event_id)
                if before is None:
                    raise StoreError(f"no event with id {event_id}")
                if before["event"]["case_id"] != case_id:
                    raise StoreError(f"event {event_id} is not in this case")
                db["events"].update(event_id, fields)
                db.execute("DELETE FROM event_tags WHERE event_id = ?", [event_id])
                keep = f" AND excerpt_id NOT IN ({', '.join('?' for _ in links)})" if links else ""
                db.execute(f"DELETE FROM event_excerpts WHERE event_id = ?{keep}", [event_id, *links])
            for name in names:
                self._link_tag(db, event_id, name)
            for excerpt_id in links:
                db["event_excerpts"].insert(
                    {"event_id": event_id, "excerpt_id": excerpt_id, "value": value, "granularity": granularity,
                     "date_text": clean_line(date_text)},
                    ignore=True,
                )
            self._audit(db, "add" if before is None else "edit", event_id, before, _snapshot(db, event_id))
        return self.get_event(event_id)

    def case_total(self) -> int:
        """How many cases there are (a count over the cases table: thousands, not millions)."""
        row = self._one("SELECT count(*) AS n FROM cases")
        return int(row["n"]) if row else 0

    def cases_page(self, offset: int, limit: int) -> list[Case]:
        """`limit` cases from position `offset` in the case list's order (title, then id)."""
        rows = self._rows(
            self._CASE_ROW + "ORDER BY c.title COLLATE NOCASE, c.id LIMIT ? OFFSET ?", [limit, max(0, offset)]
        )
        return [Case(**row) for row in rows]

    def cases_after(self, case_id: int, limit: int) -> list[Case]:
        """The `limit` cases that follow case `case_id` in list order (keyset paging)."""
        return self._cases_step(case_id, limit, after=True)

    def cases_before(self, case_id: int, limit: int) -> list[Case]:
        """The `limit` cases just before case `case_id`, in list order."""
        return self._cases_step(case_id, limit, after=False)

    def _cases_step(self, case_id: int, limit: int, *, after: bool) -> list[Case]:
        cmp, strict, order = (">=", ">", "") if after else ("<=", "<", " DESC")
        rows = self._rows(
            self._CASE_ROW
            + f"""
            JOIN cases k ON k.id = ?
            WHERE c.title COLLATE NOCASE {cmp} k.title COLLATE NOCASE
              AND (c.title COLLATE NOCASE {strict} k.title COLLATE NOCASE OR c.id {strict} k.id)
            ORDER BY c.title COLLATE NOCASE{order}, c.id{order} LIMIT ?
            """,
            [case_id, limit],
        )
        return [Case(**row) for row in (rows if after else reversed(rows))]  # list order either way

    def case_position(self, case_id: int) -> int | None:
        """Where case `case_id` stands in the case list (0-based), None if it is gone."""
        row = self._one(
            """
            SELECT (SELECT count(*) FROM cases c
                    WHERE c.title COLLATE NOCASE <= k.title COLLATE NOCASE
                      AND (c.title COLLATE NOCASE < k.title COLLATE NOCASE OR c.id < k.id)) AS n
            FROM cases k WHERE k.id = ?
            """,
            [case_id],
        )
        return int(row["n"]) if row else None

    def case_event_total(self, case_id: int) -> int:
        """Every event of a case, rejected ones too (the timeline's rows), from case_stats."""
        row = self._one("SELECT events FROM case_stats WHERE case_id = ?", [case_id])
        return int(row["events"]) if row else 0

    def _event_page(self, where: str, order: str, params: list[Any]) -> list[Event]:
        """Events in timeline order: the ids are chosen on the index first, so tags and
        source counts are computed for the page's rows only."""
        rows = self._rows(
            f"""
            WITH page AS (SELECT e.id, {self._EVENT_KEY} AS k FROM events e WHERE {where} ORDER BY {order})
            SELECT {_EVENT_COLUMNS},
              (SELECT group_concat(name, char(31)) FROM
                 (SELECT t.name FROM event_tags et JOIN tags t ON t.id = et.tag_id
                  WHERE et.event_id = e.id ORDER BY t.name)) AS tag_names,
              (SELECT count(DISTINCT x.source_id) FROM event_excerpts l
                 JOIN excerpts x ON x.id = l.excerpt_id WHERE l.event_id = e.id) AS source_count
            FROM page JOIN events e ON e.id = page.id
            ORDER BY page.k, page.id
            """,
            params,
        )
        events = []
        for row in rows:
            names = row.pop("tag_names")
            row["conflict"] = bool(row["conflict"])
            events.append(Event(**row, tags=tuple(names.split("\x1f")) if names else ()))
        return events

    def events_page(self, case_id: int, offset: int, limit: int) -> list[Event]:
        """`limit` events of a case from timeline position `offset`.

        OFFSET walks the index, so a page past the middle is read from the far end
        (descending), which bounds the walk by half the case.
        """
        offset = max(0, offset)
        total = self.case_event_total(case_id)
        asc, desc = f"{self._EVENT_KEY}, e.id", f"{self._EVENT_KEY} DESC, e.id DESC"
        if total and offset + limit // 2 > total // 2:
            back = total - offset - limit
            take = limit + min(0, back)
            if take <= 0:
                return []
            return self._event_page("e.case_id = ?", f"{desc} LIMIT ? OFFSET ?", [case_id, take, max(0, back)])
        return self._event_page("e.case_id = ?", f"{asc} LIMIT ? OFFSET ?", [case_id, limit, offset])

    def events_after(self, case_id: int, event_id: int, limit: int) -> list[Event]:
        """The `limit` events after event `event_id` in its case's timeline (keyset)."""
        key = self._EVENT_KEY
        return self._event_page(
            f"e.case_id = ?1 AND {key} >= (SELECT ifnull(sort_date, '~') FROM events WHERE id = ?2) "
            f"AND ({key} > (SELECT ifnull(sort_date, '~') FROM events WHERE id = ?2) OR e.id > ?2)",
            f"{key}, e.id LIMIT ?3",
            [case_id, event_id, limit],
        )

    def events_before(self, case_id: int, event_id: int, limit: int) -> list[Event]:
        """The `limit` events just before event `event_id`, in timeline order."""
        key = self._EVENT_KEY
        return self._event_page(
            f"e.case_id = ?1 AND {key} <= (SELECT ifnull(sort_date, '~') FROM events WHERE id = ?2) "
            f"AND ({key} < (SELECT ifnull(sort_date, '~') FROM events WHERE id = ?2) OR e.id < ?2)",
            f"{key} DESC, e.id DESC LIMIT ?3",
            [case_id, event_id, limit],
        )

    def event_position(self, case_id: int, event_id: int) -> int | None:
        """Where event `event_id` stands in its case's timeline (0-based), None if it is
        not in that case. A range count over events_timeline: cost grows with the
        position, about 1 ms per 20k rows."""
        key = self._EVENT_KEY
        row = self._one(
            f"""
            SELECT (SELECT count(*) FROM events e
                    WHERE e.case_id = ?1 AND {key} <= ifnull(k.sort_date, '~')
                      AND ({key} < ifnull(k.sort_date, '~') OR e.id < k.id)) AS n
            FROM events k WHERE k.id = ?2 AND k.case_id = ?1
            """,
            [case_id, event_id],
        )
        return int(row["n"]) if row else None

    # -- palette (issue 4) -------------------------------------------------------------
    #
    # The command palette and the case strip ask on every keystroke or case change, so
    # each query is bounded: a LIMIT on an index walk, or one grouped scan of a single
    # case's range of the covering index events_strip (db.m008_case_strip). None reads
    # a whole table of events (see query_plans and tests/test_look.py).

    PALETTE_RECENT_WINDOW = 200
    """How many of the newest audit entries and newest events `recent_events` looks at."""

    def palette_cases(self, query: str, limit: int = 20) -> list[Case]:
        """Cases whose title starts with, then contains, `query` (case-insensitive).

        The prefix half is a range on cases_title_nocase; the substring half is a LIKE
        that stops at `limit` rows, over the cases table (thousands of rows, never the
        events). An empty query gives the first `limit` cases in list order.
        """
        text = " ".join(query.split())
        if not text:
            return self.cases_page(0, limit)
        prefix = self._rows(
            self._CASE_ROW
            + "WHERE c.title COLLATE NOCASE >= ?1 AND c.title COLLATE NOCASE < ?1 || char(1114111) "
            "ORDER BY c.title COLLATE NOCASE, c.id LIMIT ?2",
            [text, limit],
        )
        found = [Case(**row) for row in prefix]
        if len(found) < limit:
            like = "%" + re.sub(r"([\\%_])", r"\\\1", text) + "%"
            seen = {case.id for case in found}
            rows = self._rows(
                self._CASE_ROW + "WHERE c.title LIKE ? ESCAPE '\\' ORDER BY c.title COLLATE NOCASE, c.id LIMIT ?",
                [like, limit + len(seen)],
            )
            found += [Case(**row) for row in rows if row["id"] not in seen][: limit - len(found)]
        return found

    def recent_events(self, limit: int = 20) -> list[tuple[Event, str]]:
        """The most recently changed or added events, newest first, with their case title.

        Candidates are the events named by the newest audit entries (edits, tags,
        status changes; by the audit's primary key) and the newest event ids (imports
        write no per-event audit), each a bounded walk from the end of a b-tree; only
        those are read and ordered by updated_at.
        """
        window = self.PALETTE_RECENT_WINDOW
        rows = self._rows(
            f"""
            WITH touched AS (
              SELECT entity_id AS id FROM (SELECT entity, entity_id FROM audit ORDER BY id DESC LIMIT ?1)
              WHERE entity = 'event' AND entity_id IS NOT NULL
              UNION
              SELECT id FROM (SELECT id FROM events ORDER BY id DESC LIMIT ?1)
            ),
            recent AS (SELECT e.id FROM touched JOIN events e ON e.id = touched.id
                       ORDER BY e.updated_at DESC, e.id DESC LIMIT ?2)
            SELECT {_EVENT_COLUMNS}, c.title AS case_title
            FROM recent JOIN events e ON e.id = recent.id JOIN cases c ON c.id = e.case_id
            ORDER BY e.updated_at DESC, e.id DESC
            """,
            [window, limit],
        )
        found: list[tuple[Event, str]] = []
        for row in rows:
            case_title = row.pop("case_title")
            row["conflict"] = bool(row["conflict"])
            found.append((Event(**row), case_title))
        return found

    STRIP_DAYS_BELOW = 183
    """Cases spanning fewer days than this are counted per day (the strip draws weeks)."""

    def case_activity(self, case_id: int) -> tuple[str, list[tuple[str, int, int]]]:
        """("day" or "month", [(period start, confirmed, suggested)]) for a case's dated,
        not rejected events, in order: per day when the case spans under
        STRIP_DAYS_BELOW days, else per month (a few hundred rows at most).

        One query: the inner GROUP BY walks the case's range of the covering index
        events_strip (case_id, sort_date, status) in order, so no table row is read and
        nothing is sorted but the (at most a few thousand) days. About 16 ms for a
        case of 100k events.
        """
        rows = self._rows(
            """
            WITH days AS (
              SELECT sort_date AS day, sum(status = 'confirmed') AS confirmed, sum(status = 'suggested') AS suggested
              FROM events WHERE case_id = ?1 AND sort_date IS NOT NULL AND status != 'rejected'
              GROUP BY sort_date
            ),
            span AS (SELECT julianday(max(day)) - julianday(min(day)) < ?2 AS short FROM days)
            SELECT span.short AS short, CASE WHEN span.short THEN day ELSE substr(day, 1, 7) || '-01' END AS period,
                   sum(confirmed) AS confirmed, sum(suggested) AS suggested
            FROM days, span GROUP BY period ORDER BY period
            """,
            [case_id, self.STRIP_DAYS_BELOW],
        )
        grain = "day" if rows and rows[0]["short"] else "month"
        return grain, [(row["period"], int(row["confirmed"]), int(row["suggested"])) for row in rows]

    def palette_query_plans(self) -> dict[str, list[str]]:
        """EXPLAIN QUERY PLAN of the palette's and the strip's queries (tests keep them indexed)."""
        probes = {
            "palette_cases_prefix": (
                self._CASE_ROW + "WHERE c.title COLLATE NOCASE >= 'a' AND c.title COLLATE NOCASE < 'a' || char(1114111) "
                "ORDER BY c.title COLLATE NOCASE, c.id LIMIT 20"
            ),
            "recent_audit": (
                "SELECT entity_id FROM (SELECT entity, entity_id FROM audit ORDER BY id DESC LIMIT 200) "
                "WHERE entity = 'event'"
            ),
            "recent_events": "SELECT id FROM events ORDER BY id DESC LIMIT 200",
            "case_activity": (
                "SELECT sort_date, sum(status = 'confirmed'), sum(status = 'suggested') FROM events "
                "WHERE case_id = 1 AND sort_date IS NOT NULL AND status != 'rejected' GROUP BY sort_date"
            ),  # the inner part of case_activity: the only part that touches events
        }
        with self._lock:
            return {
                name: [r[3] for r in self.db.conn.execute("EXPLAIN QUERY PLAN " + sql)] for name, sql in probes.items()
            }

    def query_plans(self) -> dict[str, list[str]]:
        """EXPLAIN QUERY PLAN of each paged query, for tests and the benchmark notes."""
        key = self._EVENT_KEY
        probes = {
            "cases_page": (self._CASE_ROW + "ORDER BY c.title COLLATE NOCASE, c.id LIMIT 50 OFFSET 10", []),
            "events_page": (f"SELECT e.id FROM events e WHERE e.case_id = 1 ORDER BY {key}, e.id LIMIT 50 OFFSET 10",
                            []),
            "events_after": (
                f"SELECT e.id FROM events e WHERE e.case_id = 1 AND {key} >= '2020' AND ({key} > '2020' OR e.id > 5) "
                f"ORDER BY {key}, e.id LIMIT 50", []),
            "event_position": (
                f"SELECT count(*) FROM events e WHERE e.case_id = 1 AND {key} <= '2020' AND ({key} < '2020' OR e.id < 5)",
                []),
            "case_stats": ("SELECT events FROM case_stats WHERE case_id = 1", []),
            "latest_date": (
                "SELECT e.date FROM events e WHERE e.case_id = 1 AND e.status != 'rejected' "
                "AND e.sort_date IS NOT NULL ORDER BY e.sort_date DESC, e.id DESC LIMIT 1", []),
            **self._review_probes(),
        }
        plans: dict[str, list[str]] = {}
        with self._lock:
            for name, (sql, params) in probes.items():
                plans[name] = [r[3] for r in self.db.conn.execute("EXPLAIN QUERY PLAN " + sql, params)]
        return plans

    def rebuild_case_stats(self) -> None:
        """Recount case_stats from the tables and put its triggers back as this version
        writes them (a repair: the counts are a cache of the tables)."""
        from tracker.db import CASE_STATS_REBUILD, CASE_STATS_TRIGGERS, REVIEW_STATS_REBUILD, REVIEW_STATS_TRIGGERS

        with self._write() as db:
            for name, sql in {**CASE_STATS_TRIGGERS, **REVIEW_STATS_TRIGGERS}.items():
                db.execute(f'DROP TRIGGER IF EXISTS "{name}"')
                db.execute(sql)
            db.execute("DELETE FROM case_stats")
            db.execute(CASE_STATS_REBUILD)
            db.execute(REVIEW_STATS_REBUILD)

    class BulkLoader:
        """executemany into the tables `Store.bulk_loading()` has prepared; counts the rows."""

        TABLES = ("cases", "sources", "excerpts", "events", "tags", "event_tags", "event_excerpts", "case_facts")

        def __init__(self, conn: sqlite3.Connection) -> None:
            self.conn = conn
            self.counts: dict[str, int] = {}

        def insert(self, table: str, columns: Iterable[str], rows: Iterable[tuple[Any, ...]]) -> None:
            if table not in self.TABLES:
                raise StoreError(f"bulk loading does not write {table!r}")
            names = list(columns)
            if not all(re.fullmatch(r"[a-z_][a-z0-9_]*", n) for n in names):
                raise StoreError(f"bad column name in {names}")
            cursor = self.conn.executemany(
                f"INSERT INTO {table} ({', '.join(f'[{n}]' for n in names)}) VALUES ({', '.join('?' for _ in names)})",
                rows,
            )
            self.counts[table] = self.counts.get(table, 0) + max(cursor.rowcount, 0)

    @contextmanager
    def bulk_loading(self) -> Iterator[Store.BulkLoader]:
        """Load many rows into a database nobody else is using (the benchmark generator).

        Row-by-row inserts through the ordinary methods fire the FTS and case_stats
        triggers and the audit log for every row: hours for a million events. Here the
        triggers are set aside for the duration, rows go in with executemany, and then
        the FTS indexes are rebuilt and case_stats recounted in one pass each, and the
        triggers put back exactly as they were, all in one transaction: either
        everything is loaded, or nothing is. Not for a database others are writing to
        (their changes would miss the indexes while the triggers are away).
        """
        with self._write() as db:
            conn = db.conn
            triggers = conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN "
                f"({', '.join('?' for _ in self.BulkLoader.TABLES)})",
                self.BulkLoader.TABLES,
            ).fetchall()
            for name, _ in triggers:
                conn.execute(f'DROP TRIGGER "{name}"')
            loader = self.BulkLoader(conn)
            yield loader
            for fts in ("events_fts", "excerpts_fts", "sources_fts"):
                conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
            from tracker.db import CASE_STATS_REBUILD, REVIEW_STATS_REBUILD

            conn.execute("DELETE FROM case_stats")
            conn.execute(CASE_STATS_REBUILD)
            conn.execute(REVIEW_STATS_REBUILD)
            for _, sql in triggers:
                conn.execute(sql)

    # -- issue 7: export/import queries

    def has_event(self, case_id: int, value: str | None, title: str) -> bool:
        """An event with this date and title is already in the case: a re-imported sheet
        of hand-made events adds nothing twice."""
        return self._one(
            "SELECT 1 AS found FROM events WHERE case_id = ? AND date IS ? AND title = ? COLLATE NOCASE LIMIT 1",
            [case_id, value, clean_line(title)],
        ) is not None

    def add_source_with_url(self, url: str | None, **source: Any) -> tuple[int, int]:
        """`add_source_with_events` plus where the story was published, in the same
        transaction (the outer write makes the inner one a savepoint)."""
        with self._write() as db:
            source_id, created = self.add_source_with_events(**source)
            if url:
                db["sources"].update(source_id, {"url": clean_line(url)})
        return source_id, created

    def set_source_url(self, source_id: int, url: str) -> None:
        """Record a URL learnt later (the same story imported again, now with one)."""
        with self._write() as db:
            db["sources"].update(source_id, {"url": clean_line(url)})

    def source_urls(self, case_id: int) -> dict[int, str]:
        """Source id to URL, for the sources of a case that have one."""
        rows = self._rows("SELECT id, url FROM sources WHERE case_id = ? AND url IS NOT NULL AND url != ''",
                          [case_id])
        return {int(r["id"]): str(r["url"]) for r in rows}


    # -- reader and case state (issue 4) ------------------------------------------------
    #
    # What the source reader, the case actions and the in-app merge need. Closing a case
    # only marks it (cases.state, db.m008_case_state): the case list keeps its title
    # order, so paging stays on cases_title_nocase.

    def set_case_state(self, case_id: int, state: str) -> Case:
        """Close or reopen a case; audited like any other change to a case."""
        from tracker.models import CASE_STATES

        if state not in CASE_STATES:
            raise StoreError(f"a case is {' or '.join(CASE_STATES)}, not {state!r}")
        before = self.get_case(case_id)
        with self._write() as db:
            db["cases"].update(case_id, {"state": state, "updated_at": now_iso()})
            self._audit(db, "close" if state == "closed" else "reopen", None, {"state": before.state},
                        {"state": state}, entity="case", entity_id=case_id)
        return self.get_case(case_id)

    def case_titles_from(self, prefix: str, limit: int = 8) -> list[str]:
        """Case titles starting with `prefix` (any case), for completing a title as it is
        typed; a range on cases_title_nocase, so it costs the same with 5,000 cases."""
        prefix = clean_line(prefix)
        if not prefix:
            return []
        rows = self._rows(
            "SELECT title FROM cases WHERE title COLLATE NOCASE >= ?1 AND title COLLATE NOCASE < ?1 || char(1114111) "
            "ORDER BY title COLLATE NOCASE, id LIMIT ?2",
            [prefix, limit * 4],
        )
        folded = prefix.casefold()
        return [r["title"] for r in rows if r["title"].casefold().startswith(folded)][:limit]

    def get_source(self, source_id: int) -> Source:
        """One source with its whole text (the reader shows a window of it)."""
        found = self._sources("id = ?", [source_id])
        if not found:
            raise StoreError(f"no source with id {source_id}")
        return found[0]

    def source_excerpts(self, source_id: int) -> list[Excerpt]:
        """Every excerpt of a source in text order, linked to an event or not."""
        rows = self._rows(
            """
            SELECT x.id, x.source_id, x.start, x.end, x.text, s.title AS source_title,
                   s.published AS source_published
            FROM excerpts x JOIN sources s ON s.id = x.source_id
            WHERE x.source_id = ? ORDER BY x.start, x.end
            """,
            [source_id],
        )
        return [Excerpt(**row) for row in rows]

    def source_events(self, source_id: int) -> list[Event]:
        """The events a source supports (through any of its excerpts), in time order."""
        return self._events_where(
            "e.id IN (SELECT l.event_id FROM event_excerpts l JOIN excerpts x ON x.id = l.excerpt_id "
            "WHERE x.source_id = ?)",
            [source_id],
        )

    def add_event_from_passage(
        self,
        source_id: int,
        start: int,
        end: int,
        *,
        value: str | None,
        granularity: str,
        date_text: str,
        title: str,
        phrase: tuple[int, int] | None = None,
    ) -> Event:
        """A confirmed event made by hand from a passage the user selected in the reader.

        The passage becomes an excerpt of the source (or the existing one with the same
        offsets) linked to the new event, in the same transaction, so the event always
        cites what it was read from. `phrase` is the date phrase's offsets in the
        source, if the date came from one. Undo removes the event and its link.
        """
        title = clean_line(title)
        if not title:
            raise StoreError("an event needs a title")
        source = self.get_source(source_id)
        if source.case_id is None:
            raise StoreError("this source is not filed in a case; file it first")
        if not 0 <= start < end <= len(source.text):
            raise StoreError("the passage is outside the source text")
        stamp = now_iso()
        with self._write() as db:
            inserted = db["events"].insert(
                {
                    "case_id": source.case_id, "date": value, "granularity": granularity,
                    "sort_date": dates.period_start(value), "date_text": clean_line(date_text), "title": title,
                    "note": "", "status": "confirmed", "origin": "manual", "created_at": stamp, "updated_at": stamp,
                }
            )
            event_id = int(inserted.last_pk)
            excerpt_id = self._ensure_excerpt(db, source_id, start, end, source.text)
            inside = phrase is not None and start <= phrase[0] < phrase[1] <= end
            db["event_excerpts"].insert(
                {
                    "event_id": event_id, "excerpt_id": excerpt_id,
                    "phrase_start": phrase[0] - start if inside and phrase else None,
                    "phrase_end": phrase[1] - start if inside and phrase else None,
                    "value": value, "granularity": granularity, "date_text": clean_line(date_text),
                },
                ignore=True,
            )
            self._audit(db, "add", event_id, None, _snapshot(db, event_id))
        return self.get_event(event_id)

    def merge_cases(self, from_id: int, into_id: int) -> None:
        """Everything of case `from_id` into `into_id`; the emptied case is removed.

        The audit entry keeps the removed case's row and the ids of the events, sources
        and facts that moved, so `undo_last` can take the merge back (from the app, the
        CLI or the facts screen alike).
        """
        if from_id == into_id:
            raise StoreError("a case cannot be merged into itself")
        self.get_case(from_id)
        target = self.get_case(into_id)
        with self._write() as db:
            cursor = db.execute("SELECT * FROM cases WHERE id = ?", [from_id])
            names = [d[0] for d in cursor.description]
            case_row = dict(zip(names, cursor.fetchone()))
            moved = {
                table: [r[0] for r in db.execute(f"SELECT id FROM {table} WHERE case_id = ? ORDER BY id", [from_id])]
                for table in ("events", "sources", "case_facts")
            }
            for table in moved:
                db.execute(f"UPDATE {table} SET case_id = ? WHERE case_id = ?", [into_id, from_id])
            db.execute("DELETE FROM cases WHERE id = ?", [from_id])
            self._audit(db, "merge-cases", None, {"case": case_row, "moved": moved}, {"into": into_id,
                        "title": target.title}, entity="case", entity_id=from_id)

    def _unmerge(self, db: sqlite_utils.Database, entry: AuditEntry) -> None:
        """Undo a `merge_cases`: the case comes back with what it held. Its id or title
        may have been taken since (ids are reused, a case may have been created with
        that title): then it comes back under a new id or as "TITLE (restored)"."""
        before, after = entry.before or {}, entry.after or {}
        row, moved = before.get("case"), before.get("moved") or {}
        if not row:
            raise _CannotUndo("that merge was recorded without what undoing it needs")
        row = dict(row)
        if db.execute("SELECT 1 FROM cases WHERE id = ?", [row["id"]]).fetchone():
            row.pop("id")
        base, n = row["title"], 1
        while db.execute("SELECT 1 FROM cases WHERE title = ? COLLATE NOCASE", [row["title"]]).fetchone():
            row["title"] = f"{base} (restored{'' if n == 1 else f' {n}'})"
            n += 1
        row["id"] = _insert(db, "cases", row)
        for table in ("events", "sources", "case_facts"):
            ids = moved.get(table) or []
            if ids:
                db.execute(
                    f"UPDATE {table} SET case_id = ? WHERE case_id = ? AND id IN (SELECT value FROM json_each(?))",
                    [row["id"], after.get("into"), json.dumps(ids)],
                )
        db.execute("UPDATE audit SET undone = 1 WHERE id = ?", [entry.id])
        self._audit(db, "undo", None, None, {"undid": entry.id, "case_id": row["id"]}, entity="case",
                    entity_id=row["id"])


def _insert(db: sqlite_utils.Database, table: str, row: dict[str, Any], *, ignore: bool = False) -> int:
    """INSERT one row and return its rowid.

    The import path inserts thousands of rows; sqlite-utils' `insert` looks up the
    table's schema on every call (a third of the store's share of an import), and these
    tables and columns are ours, known to exist.
    """
    columns = ", ".join(f"[{name}]" for name in row)
    marks = ", ".join("?" for _ in row)
    verb = "INSERT OR IGNORE" if ignore else "INSERT"
    cursor = db.execute(f"{verb} INTO [{table}] ({columns}) VALUES ({marks})", list(row.values()))
    return int(cursor.lastrowid or 0)


def _insert_many(db: sqlite_utils.Database, table: str, rows: list[dict[str, Any]], chunk: int = 200) -> list[int]:
    """INSERT rows (all with the same columns) in as few statements as possible and
    return their rowids in the order given. Within one statement SQLite hands out
    rowids in the order of the VALUES (max + 1 each); RETURNING's own order is not
    promised, so the ids are sorted."""
    ids: list[int] = []
    for begin in range(0, len(rows), chunk):
        part = rows[begin:begin + chunk]
        columns = list(part[0])
        values = ", ".join("(" + ", ".join("?" for _ in columns) + ")" for _ in part)
        params = [row[c] for row in part for c in columns]
        names = ", ".join(f"[{c}]" for c in columns)
        cursor = db.execute(f"INSERT INTO [{table}] ({names}) VALUES {values} RETURNING rowid", params)
        ids += sorted(int(r[0]) for r in cursor.fetchall())
    return ids


class _CannotUndo(StoreError):
    """What an audit entry would restore no longer exists (a case removed since)."""


def describe_undo(entry: AuditEntry) -> str:
    """What an undo took back, in words: "merge-cases (case 7)", "confirmed (event 12)"."""
    thing = "case" if entry.action in ("merge-cases", "rename", "close", "reopen") else "event"
    return f"{entry.action} ({thing} {entry.entity_id})"


def os_user() -> str:
    """Who made a change: the OS user, as a shared host knows them."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"


def _snapshot(db: sqlite_utils.Database, event_id: int | None) -> dict[str, Any] | None:
    """Everything that makes up an event: its row, tag names and passage links."""
    if event_id is None:
        return None
    cursor = db.execute("SELECT * FROM events WHERE id = ?", [event_id])
    row = cursor.fetchone()
    if row is None:
        return None
    names = [d[0] for d in cursor.description]
    tags = [r[0] for r in db.execute(
        "SELECT t.name FROM event_tags et JOIN tags t ON t.id = et.tag_id WHERE et.event_id = ? ORDER BY t.name",
        [event_id])]
    link_cursor = db.execute("SELECT * FROM event_excerpts WHERE event_id = ? ORDER BY excerpt_id", [event_id])
    link_names = [d[0] for d in link_cursor.description]
    links = [dict(zip(link_names, r)) for r in link_cursor.fetchall()]
    return {"event": dict(zip(names, row)), "tags": tags, "links": links}


def _remove_event(db: sqlite_utils.Database, event_id: int) -> None:
    db.execute("DELETE FROM event_tags WHERE event_id = ?", [event_id])
    db.execute("DELETE FROM event_excerpts WHERE event_id = ?", [event_id])
    db.execute("DELETE FROM events WHERE id = ?", [event_id])


def _restore(db: sqlite_utils.Database, event_id: int | None, state: dict[str, Any] | None) -> None:
    """Put an event back as a snapshot had it (None: the event did not exist)."""
    if event_id is None:
        raise StoreError("that change cannot be undone")
    _remove_event(db, event_id)
    if state is None:
        return
    db["events"].insert(state["event"], replace=True)
    for name in state["tags"]:
        Store._link_tag(db, event_id, name)
    for link in state["links"]:
        if db.execute("SELECT 1 FROM excerpts WHERE id = ?", [link["excerpt_id"]]).fetchone():
            db["event_excerpts"].insert(link, replace=True)


def _entry(row: dict[str, Any]) -> AuditEntry:
    return AuditEntry(
        id=row["id"], at=row["at"], user=row["user"], action=row["action"], entity_id=row["entity_id"],
        before=json.loads(row["before"]) if row["before"] else None,
        after=json.loads(row["after"]) if row["after"] else None,
        undone=bool(row["undone"]),
    )


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_line(text: str) -> str:
    """One line of user text: control characters removed, whitespace folded."""
    return " ".join(_CONTROL.sub(" ", text).split())


def clean_note(text: str) -> str:
    """A free-text note: control characters removed but line breaks kept, ends trimmed."""
    return re.sub(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]", " ", text.replace("\r\n", "\n")).strip()


def clean_tag(name: str) -> str:
    name = clean_line(name)
    if not name:
        raise StoreError("a tag needs a name")
    if len(name) > 64:
        raise StoreError("a tag name is at most 64 characters")
    return name


def _live_groups(db: sqlite_utils.Database, groups: list[Group]) -> list[Group]:
    """The groups with each one that restates an event no longer stored made a new event.

    Groups are planned before the write transaction opens, against the events the case
    had then; re-dating a source removes the events that rested on it alone, and another
    process may have deleted or merged one meanwhile. A reading of an event that is gone
    starts a new event instead of linking to a row that does not exist.
    """
    from tracker.merge import Group

    wanted = sorted({g.existing_id for g in groups if g.existing_id is not None})
    if not wanted:
        return groups
    alive = {row[0] for row in db.execute(
        "SELECT id FROM events WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(wanted)]).fetchall()}
    return [g if g.existing_id is None or g.existing_id in alive else Group(None, list(g.members))
            for g in groups]
