"""Events: reading them, and every change a person makes to one (add, edit, the
editor's save, a passage from the reader, move, delete)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tracker.db import StoreError
from tracker.models import STATUSES, Change, Event
from tracker.store.connection import Connection, now_iso
from tracker.store.rows import (SOURCE_EVENT_IDS, clean_tag, ensure_excerpt, events_where, get_case, get_event, link_tag,
                                refresh_conflict, remove_event, snapshot, sort_key)
from tracker.text import clean_line, clean_note


class Events:
    NOTE_MAX = 10_000

    def __init__(self, db: Connection) -> None:
        self.db = db

    # -- reading ------------------------------------------------------------------

    def get_event(self, event_id: int) -> Event:
        return get_event(self.db, event_id)

    def list_events(self, case_id: int, status: str | None = None) -> list[Event]:
        """A case's events in time order; undated ones last."""
        if status:
            return events_where(self.db, "e.case_id = ? AND e.status = ?", [case_id, status])
        return events_where(self.db, "e.case_id = ?", [case_id])

    def all_events(self) -> list[Event]:
        return events_where(self.db, "1", [])

    def source_events(self, source_id: int) -> list[Event]:
        """The events a source supports (through any of its excerpts), in time order."""
        return events_where(
            self.db,
            f"e.id IN ({SOURCE_EVENT_IDS})",
            [source_id],
        )

    # -- reports: what to verify, what is coming, the record as it stood -----------

    def single_source_events(self, case_id: int) -> list[Event]:
        """Events only one source supports: the ones to verify."""
        return [e for e in events_where(self.db, "e.case_id = ? AND e.status != 'rejected'", [case_id])
                if e.source_count <= 1]

    def agenda(self, start: str, end: str) -> list[tuple[Event, str]]:
        """Scheduled events across all cases whose period starts in [start, end]."""
        events = events_where(self.db, "e.kind = 'scheduled' AND e.status != 'rejected' "
                              "AND e.sort_date BETWEEN ? AND ?", [start, end])
        titles = {r["id"]: r["title"] for r in self.db.rows("SELECT id, title FROM cases")}
        return [(e, titles.get(e.case_id, "")) for e in events]

    def as_known_on(self, case_id: int, day: str) -> list[tuple[Event, str]]:
        """The case as the record stood on `day`: events that sources published by then
        support, each with the date it was first reported."""
        rows = self.db.rows(
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

    def why_unknown(self, case_id: int, day: str) -> str:
        """Why `as_known_on(case_id, day)` is empty, in one line."""
        row = self.db.one(
            "SELECT count(*) AS n, count(published) AS dated, min(substr(published, 1, 10)) AS first, "
            "sum(substr(published, 1, 10) <= ?) AS by_then FROM sources WHERE case_id = ?", [day, case_id])
        if not row or not row["n"]:
            return "the case has no source"
        if not row["dated"]:
            return "no source of this case has a publication date (tracker source set ID published DATE)"
        if not row["by_then"]:
            return f"no source of this case was published by {day} (the first was published {row['first']})"
        return f"the sources published by {day} support no event that is not rejected"

    # -- writing ------------------------------------------------------------------

    def _insert(self, db: Connection, case_id: int, value: str | None, granularity: str, date_text: str, title: str,
                *, status: str, origin: str, note: str, stamp: str) -> int:
        return db.insert("events", {
            "case_id": case_id, "date": value, "granularity": granularity, "sort_date": sort_key(value, granularity),
            "date_text": clean_line(date_text), "title": title, "note": note, "status": status, "origin": origin,
            "created_at": stamp, "updated_at": stamp,
        })

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
        get_case(self.db, case_id)
        with self.db.write() as db:
            event_id = self._insert(db, case_id, value, granularity, date_text, title, status=status, origin=origin,
                                    note=note, stamp=now_iso())
            for tag in tags:
                link_tag(db, event_id, tag)
            db.audit("add", event_id, None, snapshot(db, event_id))
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
            "date": value, "granularity": granularity, "sort_date": sort_key(value, granularity),
            "date_text": clean_line(date_text), "title": title, "updated_at": now_iso(),
        }
        if note is not None:
            changes["note"] = note
        with self.db.write() as db:
            before = snapshot(db, event_id)
            db.update("events", event_id, changes)
            db.audit("edit", event_id, before, snapshot(db, event_id))
        return self.get_event(event_id)

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
        kind: str | None = None,
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
        get_case(self.db, case_id)
        stamp = now_iso()
        fields = {"date": value, "granularity": granularity, "sort_date": sort_key(value, granularity),
                  "date_text": clean_line(date_text), "title": title, "note": note, "updated_at": stamp}
        if kind is not None:
            if kind not in ("occurred", "scheduled"):
                raise StoreError(f"an event's kind is occurred or scheduled, not {kind!r}")
            fields["kind"] = kind
        with self.db.write() as db:
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
                event_id = db.insert("events", {**fields, "case_id": case_id, "status": "confirmed",
                                                "origin": "manual", "created_at": stamp})
                before = None
            else:
                before = snapshot(db, event_id)
                if before is None:
                    raise StoreError(f"no event with id {event_id}")
                if before["event"]["case_id"] != case_id:
                    raise StoreError(f"event {event_id} is not in this case")
                db.update("events", event_id, fields)
                db.execute("DELETE FROM event_tags WHERE event_id = ?", [event_id])
                keep = f" AND excerpt_id NOT IN ({', '.join('?' for _ in links)})" if links else ""
                db.execute(f"DELETE FROM event_excerpts WHERE event_id = ?{keep}", [event_id, *links])
            for name in names:
                link_tag(db, event_id, name)
            for excerpt_id in links:
                db.insert("event_excerpts", {"event_id": event_id, "excerpt_id": excerpt_id, "value": value,
                                             "granularity": granularity, "date_text": clean_line(date_text)},
                          ignore=True)
            refresh_conflict(db, event_id)
            db.audit("add" if before is None else "edit", event_id, before, snapshot(db, event_id))
        return self.get_event(event_id)

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
        row = self.db.one("SELECT case_id, text FROM sources WHERE id = ?", [source_id])
        if row is None:
            raise StoreError(f"no source with id {source_id}")
        case_id, text = row["case_id"], row["text"]
        if case_id is None:
            raise StoreError("this source is not filed in a case; file it first")
        if not 0 <= start < end <= len(text):
            raise StoreError("the passage is outside the source text")
        with self.db.write() as db:
            event_id = self._insert(db, case_id, value, granularity, date_text, title, status="confirmed",
                                    origin="manual", note="", stamp=now_iso())
            excerpt_id = ensure_excerpt(db, source_id, start, end, text)
            inside = phrase is not None and start <= phrase[0] < phrase[1] <= end
            db.insert("event_excerpts", {
                "event_id": event_id, "excerpt_id": excerpt_id,
                "phrase_start": phrase[0] - start if inside and phrase else None,
                "phrase_end": phrase[1] - start if inside and phrase else None,
                "value": value, "granularity": granularity, "date_text": clean_line(date_text),
            }, ignore=True)
            db.audit("add", event_id, None, snapshot(db, event_id))
        return self.get_event(event_id)

    def move_event(self, event_id: int, case_id: int) -> Event:
        get_case(self.db, case_id)
        self.get_event(event_id)
        with self.db.write() as db:
            before = snapshot(db, event_id)
            db.update("events", event_id, {"case_id": case_id, "updated_at": now_iso()})
            db.audit("move", event_id, before, snapshot(db, event_id))
        return self.get_event(event_id)

    def delete_event(self, event_id: int) -> Change:
        """Remove an event and its links; excerpts stay, they belong to the source."""
        event = self.get_event(event_id)
        with self.db.write() as db:
            before = snapshot(db, event_id)
            remove_event(db, event_id)
            db.audit("delete", event_id, before, None)
        return Change(removed=(event_id,), cases=(event.case_id,))
