"""The only module that speaks SQL. It returns dataclasses from `tracker.models`.

Every write goes through `Store._write()`, which holds one lock and one transaction, so
the app's worker threads and the UI thread never interleave half-done changes on the
shared connection, and a failed write leaves nothing behind.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlite_utils

from tracker import dates
from tracker.db import StoreError, connect
from tracker.models import STATUSES, Case, Event, Excerpt, SearchHit, Source

if TYPE_CHECKING:
    from tracker.extract import ProposedEvent
    from tracker.merge import Group, Known

_GRAIN_ORDER = ("day", "week", "month", "quarter", "year")

__all__ = ["Store", "StoreError"]

_EVENT_COLUMNS = (
    "e.id, e.case_id, e.date, e.granularity, e.date_text, e.title, e.status, e.origin, "
    "e.created_at, e.updated_at, e.note, e.conflict"
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
        """The one door for writes: serialised by a lock, all-or-nothing."""
        with self._lock:
            try:
                with self.db.atomic():
                    yield self.db
            except sqlite3.OperationalError as exc:
                raise StoreError(f"database write failed: {exc}") from None

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
        """Every case with its event count and latest event date, by title."""
        rows = self._rows(
            """
            SELECT c.id, c.title, c.created_at, c.filed_reason,
              (SELECT count(*) FROM events e WHERE e.case_id = c.id
                 AND e.status != 'rejected') AS event_count,
              (SELECT count(*) FROM sources s WHERE s.case_id = c.id) AS source_count,
              (SELECT e.date FROM events e WHERE e.case_id = c.id AND e.status != 'rejected'
                 AND e.sort_date IS NOT NULL ORDER BY e.sort_date DESC, e.id DESC LIMIT 1)
                 AS latest_date
            FROM cases c ORDER BY c.title COLLATE NOCASE
            """
        )
        return [Case(**row) for row in rows]

    def get_case(self, case_id: int) -> Case:
        for case in self.list_cases():
            if case.id == case_id:
                return case
        raise StoreError(f"no case with id {case_id}")

    def find_case(self, ref: str) -> Case:
        """A case by id (digits) or by title, case-insensitively."""
        ref = ref.strip()
        cases = self.list_cases()
        if ref.isdigit():
            for case in cases:
                if case.id == int(ref):
                    return case
        for case in cases:
            if case.title.casefold() == ref.casefold():
                return case
        raise StoreError(f"no case {ref!r} (see `tracker cases`)")

    def ensure_case(self, title: str, filed_reason: str | None = None) -> int:
        """The id of the case with this title, created if missing."""
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
                {"title": title, "created_at": stamp, "updated_at": stamp, "filed_reason": filed_reason}
            )
            return int(table.last_pk)

    def case_sources(self, case_id: int) -> list[Source]:
        rows = self._rows(
            "SELECT id, case_id, path, title, sha256, published, published_basis, imported_at, text "
            "FROM sources WHERE case_id = ? ORDER BY published, id",
            [case_id],
        )
        return [Source(**row) for row in rows]

    # -- sources and excerpts -----------------------------------------------------

    def source_by_sha(self, sha256: str) -> Source | None:
        row = self._one(
            "SELECT id, case_id, path, title, sha256, published, published_basis, imported_at, text "
            "FROM sources WHERE sha256 = ?",
            [sha256],
        )
        return Source(**row) if row else None

    def all_sources(self) -> list[Source]:
        rows = self._rows(
            "SELECT id, case_id, path, title, sha256, published, published_basis, imported_at, text "
            "FROM sources ORDER BY id"
        )
        return [Source(**row) for row in rows]

    def source_count(self) -> int:
        row = self._one("SELECT count(*) AS n FROM sources")
        return int(row["n"]) if row else 0

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
    ) -> tuple[int, int]:
        """Store a source and the events proposed from it in one transaction.

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
            inserted = db["sources"].insert(
                {
                    "case_id": case_id,
                    "path": path,
                    "title": title,
                    "sha256": sha256,
                    "text": text,
                    "published": published,
                    "published_basis": published_basis,
                    "imported_at": stamp,
                }
            )
            source_id = int(inserted.last_pk)
            created = self._insert_events(db, case_id, source_id, text, proposals, groups, stamp)
            db["cases"].update(case_id, {"updated_at": stamp})
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
        """Create or extend events from grouped proposals; returns how many are new."""
        created = 0
        for group in groups:
            members = [proposals[i] for i in group.members]
            if group.existing_id is not None:
                event_id = group.existing_id
                changes: dict[str, Any] = {"updated_at": stamp}
                if group.conflict:
                    changes["conflict"] = 1
                db["events"].update(event_id, changes)
            else:
                best = min(members, key=lambda p: (_GRAIN_ORDER.index(p.granularity), p.quoted, -p.confidence, p.start))
                inserted = db["events"].insert(
                    {
                        "case_id": case_id,
                        "date": best.value,
                        "granularity": best.granularity,
                        "sort_date": dates.period_start(best.value),
                        "date_text": best.date_text,
                        "title": best.title,
                        "note": "",
                        "status": "suggested",
                        "origin": "extracted",
                        "conflict": int(group.conflict),
                        "created_at": stamp,
                        "updated_at": stamp,
                    }
                )
                event_id = int(inserted.last_pk)
                created += 1
            for proposal in members:
                excerpt_id = self._ensure_excerpt(db, source_id, proposal.start, proposal.end, text)
                db["event_excerpts"].insert(
                    {
                        "event_id": event_id,
                        "excerpt_id": excerpt_id,
                        "phrase_start": proposal.phrase_start - proposal.start,
                        "phrase_end": proposal.phrase_end - proposal.start,
                        "value": proposal.value,
                        "granularity": proposal.granularity,
                        "date_text": proposal.date_text,
                    },
                    ignore=True,
                )
        return created

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
                db.execute("DELETE FROM event_tags WHERE event_id = ?", [event_id])
                db.execute("DELETE FROM event_excerpts WHERE event_id = ?", [event_id])
                db.execute("DELETE FROM events WHERE id = ?", [event_id])
            # Links from this source to events other sources also back are re-made below.
            db.execute(
                "DELETE FROM event_excerpts WHERE excerpt_id IN (SELECT id FROM excerpts WHERE source_id = ?) "
                "AND event_id IN (SELECT id FROM events WHERE status = 'suggested' AND origin = 'extracted')",
                [source_id],
            )
            db["sources"].update(source_id, {"published": published, "published_basis": basis})
            created = self._insert_events(db, case_id, source_id, text, proposals, groups, stamp)
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
        return [
            Known(event_id, values[event_id], content_words(" ".join(parts)), " ".join(parts[1:]) or parts[0])
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
        inserted = db["excerpts"].insert({"source_id": source_id, "start": start, "end": end, "text": text[start:end]})
        return int(inserted.last_pk)

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
            db["events"].update(event_id, changes)
        return self.get_event(event_id)

    def set_status(self, event_ids: int | Iterable[int], status: str) -> None:
        if status not in STATUSES:
            raise StoreError(f"unknown status {status!r}")
        ids = [event_ids] if isinstance(event_ids, int) else list(event_ids)
        for event_id in ids:
            self.get_event(event_id)
        with self._write() as db:
            for event_id in ids:
                db["events"].update(event_id, {"status": status, "updated_at": now_iso()})

    def delete_event(self, event_id: int) -> None:
        """Remove an event and its links; excerpts stay, they belong to the source."""
        self.get_event(event_id)
        with self._write() as db:
            db.execute("DELETE FROM event_tags WHERE event_id = ?", [event_id])
            db.execute("DELETE FROM event_excerpts WHERE event_id = ?", [event_id])
            db.execute("DELETE FROM events WHERE id = ?", [event_id])

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
        self.get_event(event_id)
        cleaned = [clean_tag(n) for n in names]
        with self._write() as db:
            for name in cleaned:
                self._link_tag(db, event_id, name)
        return self.get_event(event_id)

    def remove_tags(self, event_id: int, names: Iterable[str]) -> Event:
        self.get_event(event_id)
        with self._write() as db:
            for name in names:
                db.execute(
                    "DELETE FROM event_tags WHERE event_id = ? AND tag_id IN "
                    "(SELECT id FROM tags WHERE name = ?)",
                    [event_id, name.strip()],
                )
        return self.get_event(event_id)

    def list_tags(self) -> list[str]:
        return [row["name"] for row in self._rows("SELECT name FROM tags ORDER BY name COLLATE NOCASE")]

    # -- search -------------------------------------------------------------------

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Events, excerpts and sources matching `query`, best first within each kind.

        Any input is accepted: it is reduced to quoted words, so FTS5 syntax in it can
        never raise. Matches in snippets are wrapped in \\x02 ... \\x03 so the caller
        can highlight them without interpreting markup.
        """
        match = fts_query(query)
        if match is None:
            return []
        hits: list[SearchHit] = []
        for row in self._rows(
            """
            SELECT e.id AS event_id, e.case_id, c.title AS case_title, e.date, e.title,
                   snippet(events_fts, 0, char(2), char(3), '…', 12) AS snip
            FROM events_fts JOIN events e ON e.rowid = events_fts.rowid
            JOIN cases c ON c.id = e.case_id
            WHERE events_fts MATCH ? ORDER BY rank LIMIT ?
            """,
            [match, limit],
        ):
            hits.append(
                SearchHit("event", row["case_id"], row["case_title"], row["event_id"], None,
                          f"{row['date'] or 'undated'}  {row['title']}", row["snip"])
            )
        for row in self._rows(
            """
            SELECT x.source_id, s.case_id, c.title AS case_title, s.title AS source_title,
                   (SELECT l.event_id FROM event_excerpts l WHERE l.excerpt_id = x.id LIMIT 1) AS event_id,
                   snippet(excerpts_fts, 0, char(2), char(3), '…', 16) AS snip
            FROM excerpts_fts JOIN excerpts x ON x.rowid = excerpts_fts.rowid
            JOIN sources s ON s.id = x.source_id LEFT JOIN cases c ON c.id = s.case_id
            WHERE excerpts_fts MATCH ? ORDER BY rank LIMIT ?
            """,
            [match, limit],
        ):
            hits.append(
                SearchHit("excerpt", row["case_id"], row["case_title"] or "", row["event_id"],
                          row["source_id"], row["source_title"], row["snip"])
            )
        for row in self._rows(
            """
            SELECT s.id AS source_id, s.case_id, c.title AS case_title, s.title AS source_title,
                   snippet(sources_fts, 1, char(2), char(3), '…', 16) AS snip
            FROM sources_fts JOIN sources s ON s.rowid = sources_fts.rowid
            LEFT JOIN cases c ON c.id = s.case_id
            WHERE sources_fts MATCH ? ORDER BY rank LIMIT ?
            """,
            [match, limit],
        ):
            hits.append(
                SearchHit("source", row["case_id"], row["case_title"] or "", None,
                          row["source_id"], row["source_title"], row["snip"])
            )
        hits.sort(key=lambda h: (h.case_title.casefold(), ("event", "excerpt", "source").index(h.kind)))
        return hits


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_line(text: str) -> str:
    """One line of user text: control characters removed, whitespace folded."""
    return " ".join(_CONTROL.sub(" ", text).split())


def clean_tag(name: str) -> str:
    name = clean_line(name)
    if not name:
        raise StoreError("a tag needs a name")
    if len(name) > 64:
        raise StoreError("a tag name is at most 64 characters")
    return name
