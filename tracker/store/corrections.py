"""Corrections a person makes to what an import got wrong: two events that are one
(merge), a passage that tells of another event (split), a passage linked to an event
that exists, an event's kind, a source's facts (its publication date re-reads its
events), an empty case removed.

Each is one transaction. The changes to events are audited as event snapshots sharing
one batch, so the generic undo (`Audit.undo_last`) restores them as a whole; a source's
facts and a removed case have their own entries that undo reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from tracker.db import StoreError
from tracker.models import Change
from tracker.store.connection import Connection, now_iso
from tracker.store.rows import ensure_excerpt, get_case, get_event, refresh_conflict, remove_event, snapshot
from tracker.text import clean_line

if TYPE_CHECKING:
    from tracker import merge
    from tracker.extract import ProposedEvent
    from tracker.store.imports import Imports

KINDS = ("occurred", "scheduled")
SOURCE_FIELDS = ("title", "url", "outlet", "published", "published_basis")


class Corrections:
    def __init__(self, db: Connection, imports: Imports) -> None:
        self.db, self.imports = db, imports

    def _audit_all(self, db: Connection, action: str, befores: dict[int, Any], ids: Iterable[int]) -> int:
        """One audit entry per event whose snapshot changed, all in one batch."""
        batch = db.next_batch()
        for event_id in dict.fromkeys([*befores, *ids]):
            after = snapshot(db, event_id)
            before = befores.get(event_id)
            if before != after:
                db.audit(action, event_id, before, after, batch=batch)
        return batch

    def _change(self, ids: Iterable[int], removed: Iterable[int] = (), cases: Iterable[int] = ()) -> Change:
        events = []
        for event_id in ids:
            try:
                events.append(get_event(self.db, event_id))
            except StoreError:
                pass
        return Change(events=tuple(events), removed=tuple(removed),
                      cases=tuple(dict.fromkeys([*cases, *(e.case_id for e in events)])), reorder=True)

    # -- events -------------------------------------------------------------------

    def merge_events(self, keep_id: int, others: int | Iterable[int]) -> Change:
        """Make the `others` part of `keep_id`: their passages, tags and notes join the
        kept event, and they are removed. All must be in one case. One undo (`u`)
        brings them all back."""
        other_ids = [others] if isinstance(others, int) else list(dict.fromkeys(others))
        if not other_ids or keep_id in other_ids:
            raise StoreError("choose other events to merge into this one")
        keep = get_event(self.db, keep_id)
        merged = [get_event(self.db, i) for i in other_ids]
        if any(e.case_id != keep.case_id for e in merged):
            raise StoreError("events of different cases cannot be merged; move them first")
        with self.db.write() as db:
            befores = {i: snapshot(db, i) for i in [keep_id, *other_ids]}
            for other_id in other_ids:
                db.execute("INSERT OR IGNORE INTO event_excerpts (event_id, excerpt_id, phrase_start, phrase_end, "
                           "value, granularity, date_text) SELECT ?, excerpt_id, phrase_start, phrase_end, value, "
                           "granularity, date_text FROM event_excerpts WHERE event_id = ?", [keep_id, other_id])
                db.execute("INSERT OR IGNORE INTO event_tags (event_id, tag_id) SELECT ?, tag_id FROM event_tags "
                           "WHERE event_id = ?", [keep_id, other_id])
            notes = [n for n in (keep.note.strip(), *(e.note.strip() for e in merged)) if n]
            changes: dict[str, Any] = {"note": "\n\n".join(dict.fromkeys(notes)), "updated_at": now_iso()}
            dated = next((e for e in merged if e.date is not None), None)
            if keep.date is None and dated is not None:
                changes.update(date=dated.date, granularity=dated.granularity, date_text=dated.date_text,
                               sort_date=_sort_date(dated.date))
            db.update("events", keep_id, changes)
            for other_id in other_ids:
                remove_event(db, other_id)
            refresh_conflict(db, keep_id)
            self._audit_all(db, "merge-events", befores, [keep_id])
        return self._change([keep_id], removed=other_ids, cases=[keep.case_id])

    def split_passage(self, event_id: int, excerpt_id: int) -> Change:
        """Take one passage off an event into a new event of its own, dated by that
        passage's reading, with the event's title and status."""
        event = get_event(self.db, event_id)
        link = self.db.one("SELECT * FROM event_excerpts WHERE event_id = ? AND excerpt_id = ?", [event_id, excerpt_id])
        if link is None:
            raise StoreError(f"passage {excerpt_id} is not linked to event {event_id}")
        count = self.db.one("SELECT count(*) AS n FROM event_excerpts WHERE event_id = ?", [event_id])
        if count and count["n"] < 2:
            raise StoreError("the event has only this passage; nothing to split off")
        value = link["value"] if link["value"] is not None else event.date
        granularity = link["granularity"] or event.granularity
        with self.db.write() as db:
            befores = {event_id: snapshot(db, event_id)}
            stamp = now_iso()
            new_id = db.insert("events", {
                "case_id": event.case_id, "date": value, "granularity": granularity, "sort_date": _sort_date(value),
                "date_text": clean_line(link["date_text"] or event.date_text), "title": event.title, "note": "",
                "status": event.status, "origin": event.origin, "conflict": 0, "kind": event.kind,
                "created_at": stamp, "updated_at": stamp})
            db.execute("UPDATE event_excerpts SET event_id = ? WHERE event_id = ? AND excerpt_id = ?",
                       [new_id, event_id, excerpt_id])
            db.update("events", event_id, {"updated_at": stamp})
            refresh_conflict(db, event_id)
            self._audit_all(db, "split", befores, [event_id, new_id])
        return self._change([event_id, new_id], cases=[event.case_id])

    def link_passage(self, event_id: int, source_id: int, start: int, end: int, *, value: str | None = None,
                     granularity: str | None = None, date_text: str = "",
                     phrase: tuple[int, int] | None = None) -> Change:
        """Link a passage of a source (selected in the reader) to an event that exists.
        The passage keeps its own reading (`value`), so a disagreeing one flags `!`."""
        event = get_event(self.db, event_id)
        row = self.db.one("SELECT case_id, text FROM sources WHERE id = ?", [source_id])
        if row is None:
            raise StoreError(f"no source with id {source_id}")
        if row["case_id"] != event.case_id:
            raise StoreError(f"source {source_id} is not in the event's case")
        if not 0 <= start < end <= len(row["text"]):
            raise StoreError("the passage is outside the source text")
        inside = phrase is not None and start <= phrase[0] < phrase[1] <= end
        with self.db.write() as db:
            befores = {event_id: snapshot(db, event_id)}
            excerpt_id = ensure_excerpt(db, source_id, start, end, row["text"])
            db.insert("event_excerpts", {
                "event_id": event_id, "excerpt_id": excerpt_id,
                "phrase_start": phrase[0] - start if inside and phrase else None,
                "phrase_end": phrase[1] - start if inside and phrase else None,
                "value": value, "granularity": granularity or event.granularity,
                "date_text": clean_line(date_text)}, ignore=True)
            db.update("events", event_id, {"updated_at": now_iso()})
            refresh_conflict(db, event_id)
            self._audit_all(db, "link", befores, [event_id])
        return self._change([event_id], cases=[event.case_id])

    def set_kind(self, event_id: int, kind: str) -> Change:
        """Occurred or scheduled: the agenda lists scheduled events."""
        if kind not in KINDS:
            raise StoreError(f"an event's kind is one of {', '.join(KINDS)}, not {kind!r}")
        event = get_event(self.db, event_id)
        with self.db.write() as db:
            before = snapshot(db, event_id)
            db.update("events", event_id, {"kind": kind, "updated_at": now_iso()})
            db.audit("kind", event_id, before, snapshot(db, event_id))
        return Change(events=(get_event(self.db, event_id),), cases=(event.case_id,))

    # -- a source's facts ----------------------------------------------------------

    def source_facts(self, source_id: int) -> dict[str, Any]:
        row = self.db.one(f"SELECT id, case_id, {', '.join(SOURCE_FIELDS)} FROM sources WHERE id = ?", [source_id])
        if row is None:
            raise StoreError(f"no source with id {source_id}")
        return row

    def correct_source(
        self,
        source_id: int,
        *,
        title: str | None = None,
        url: str | None = None,
        outlet: str | None = None,
        published: str | None = None,
        proposals: list[ProposedEvent] | None = None,
        groups: list[merge.Group] | None = None,
        readings: Iterable[tuple[int, int, str | None, str, str]] = (),
    ) -> Change:
        """Set a source's title, URL, outlet or publication date (basis "user").

        With a date, its events are read again (the importer passes `proposals` and
        `groups` read against it): suggested readings the import made are replaced,
        events a person touched stay and their passages of this source take the new
        reading (`readings`: event id, excerpt id, value, granularity, date text),
        flagged `!` when it now disagrees. One undo restores the source and its events.
        """
        before_row = self.source_facts(source_id)
        changes: dict[str, Any] = {}
        if title is not None:
            if not clean_line(title):
                raise StoreError("a source needs a title")
            changes["title"] = clean_line(title)
        if url is not None:
            changes["url"] = clean_line(url) or None
        if outlet is not None:
            changes["outlet"] = clean_line(outlet) or None
        if published is not None:
            changes["published"], changes["published_basis"] = published, "user"
        if not changes:
            raise StoreError("nothing to set")
        case_id = before_row["case_id"]
        with self.db.write() as db:
            linked = self._source_event_ids(db, source_id)
            befores = {i: snapshot(db, i) for i in linked}
            if published is not None and case_id is not None:
                self.imports.redate_source(source_id, published, "user", proposals or [], groups or [])
                for event_id, excerpt_id, value, granularity, date_text in readings:
                    db.execute("UPDATE event_excerpts SET value = ?, granularity = ?, date_text = ? "
                               "WHERE event_id = ? AND excerpt_id = ?",
                               [value, granularity, clean_line(date_text), event_id, excerpt_id])
            db.update("sources", source_id, changes)
            now = self._source_event_ids(db, source_id)
            for event_id in dict.fromkeys([*linked, *now]):
                if db.execute("SELECT 1 FROM events WHERE id = ?", [event_id]).fetchone():
                    refresh_conflict(db, event_id)
            batch = self._audit_all(db, "reread", befores, now)
            after_row = {k: v for k, v in zip(("id", "case_id", *SOURCE_FIELDS), db.execute(
                f"SELECT id, case_id, {', '.join(SOURCE_FIELDS)} FROM sources WHERE id = ?", [source_id]).fetchone())}
            db.audit("source-edit", None, before_row, after_row, entity="source", entity_id=source_id, batch=batch)
        removed = [i for i in linked if i not in now and not self.db.one("SELECT 1 AS x FROM events WHERE id = ?", [i])]
        return self._change([i for i in now], removed=removed, cases=[case_id] if case_id is not None else [])

    @staticmethod
    def _source_event_ids(db: Connection, source_id: int) -> list[int]:
        return [r[0] for r in db.execute(
            "SELECT DISTINCT l.event_id FROM event_excerpts l JOIN excerpts x ON x.id = l.excerpt_id "
            "WHERE x.source_id = ? ORDER BY l.event_id", [source_id])]

    # -- cases --------------------------------------------------------------------

    def delete_case(self, case_id: int) -> Change:
        """Remove a case that holds no event and no source (an empty "Unfiled", a test
        case). `u` brings it back."""
        case = get_case(self.db, case_id)
        with self.db.write() as db:
            if db.execute("SELECT 1 FROM events WHERE case_id = ? UNION ALL SELECT 1 FROM sources WHERE case_id = ?",
                          [case_id, case_id]).fetchone():
                raise StoreError(f"case {case.title!r} is not empty: move or delete its events and sources first")
            cursor = db.execute("SELECT * FROM cases WHERE id = ?", [case_id])
            row = dict(zip([d[0] for d in cursor.description], cursor.fetchone()))
            cursor = db.execute("SELECT * FROM case_facts WHERE case_id = ?", [case_id])
            facts = [dict(zip([d[0] for d in cursor.description], r)) for r in cursor.fetchall()]
            # case_stats and case_terms follow the case by trigger
            db.execute("DELETE FROM case_facts WHERE case_id = ?", [case_id])
            db.execute("DELETE FROM case_profiles WHERE case_id = ?", [case_id])
            db.execute("DELETE FROM cases WHERE id = ?", [case_id])
            db.audit("delete-case", None, {"case": row, "facts": facts}, None, entity="case", entity_id=case_id)
        return Change(cases=(case_id,), reorder=True)


def _sort_date(value: str | None) -> str | None:
    from tracker.dates import period_start

    return period_start(value)
