"""Review: giving events a status and tags, one event or a marked batch at a time.

A batch shares one audit `batch` number, so one undo takes it back whole. Events gone
meanwhile (deleted by another process) are skipped rather than failing the batch.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from tracker.db import StoreError
from tracker.models import STATUSES, Change, Event
from tracker.store.connection import Connection, now_iso
from tracker.store.rows import clean_tag, events_where, get_event, link_tag, snapshot
from tracker.text import clean_line


class Review:
    def __init__(self, db: Connection) -> None:
        self.db = db

    def list_tags(self) -> list[str]:
        return [row["name"] for row in self.db.rows("SELECT name FROM tags ORDER BY name COLLATE NOCASE")]

    def _changed(self, ids: list[int], asked: int, *, reorder: bool) -> Change:
        """The Change for events `ids`, read back in one statement."""
        order = {event_id: i for i, event_id in enumerate(ids)}
        found = events_where(self.db, "e.id IN (SELECT value FROM json_each(?))", [json.dumps(ids)]) if ids else []
        events = sorted(found, key=lambda e: order[e.id])
        return Change(events=tuple(events), cases=tuple(dict.fromkeys(e.case_id for e in events)), reorder=reorder,
                      asked=asked)

    def mark(self, event_ids: Iterable[int], status: str, *, must_exist: bool = False) -> Change:
        """Give events one status in one transaction and one undoable batch; events
        already at that status are left alone, missing ones skipped (or, `must_exist`,
        an error that writes nothing). The Change holds the events changed."""
        if status not in STATUSES:
            raise StoreError(f"unknown status {status!r}")
        asked = list(dict.fromkeys(event_ids))
        changed: list[int] = []
        stamp = now_iso()
        with self.db.write() as db:
            batch = db.next_batch()
            for event_id in asked:
                before = snapshot(db, event_id)
                if before is None and must_exist:
                    raise StoreError(f"no event with id {event_id}")
                if before is None or before["event"]["status"] == status:
                    continue
                db.update("events", event_id, {"status": status, "updated_at": stamp})
                after = {**before, "event": {**before["event"], "status": status, "updated_at": stamp}}
                db.audit(status, event_id, before, after, batch=batch)
                changed.append(event_id)
        return self._changed(changed, len(asked), reorder=False)

    def review_events(self, event_ids: Iterable[int], status: str) -> list[int]:
        """`mark`, answering the ids changed."""
        return self.mark(event_ids, status).changed_ids

    def set_status(self, event_ids: int | Iterable[int], status: str) -> Change:
        """Confirm or reject events that must exist (a missing one is an error here,
        where `mark` skips it); one undoable batch."""
        ids = [event_ids] if isinstance(event_ids, int) else list(event_ids)
        return self.mark(ids, status, must_exist=True)

    def tag(self, event_ids: Iterable[int], add: Iterable[str] = (), remove: Iterable[str] = ()) -> Change:
        """Add and remove tags on several events as one undoable batch; the Change holds
        the events whose tags changed (missing events are skipped)."""
        adding = [clean_tag(n) for n in add]
        removing = [clean_line(n) for n in remove if clean_line(n)]
        asked = list(dict.fromkeys(event_ids))
        changed: list[int] = []
        with self.db.write() as db:
            batch = db.next_batch()
            for event_id in asked:
                before = snapshot(db, event_id)
                if before is None:
                    continue
                for name in removing:
                    db.execute("DELETE FROM event_tags WHERE event_id = ? AND tag_id IN "
                               "(SELECT id FROM tags WHERE name = ?)", [event_id, name])
                for name in adding:
                    link_tag(db, event_id, name)
                after = snapshot(db, event_id)
                if after is not None and before["tags"] != after["tags"]:
                    db.update("events", event_id, {"updated_at": now_iso()})
                    db.audit("tag" if adding else "untag", event_id, before, snapshot(db, event_id), batch=batch)
                    changed.append(event_id)
        return self._changed(changed, len(asked), reorder=False)

    def tag_events(self, event_ids: Iterable[int], add: Iterable[str] = (), remove: Iterable[str] = ()) -> list[int]:
        """`tag`, answering the ids whose tags changed."""
        return self.tag(event_ids, add, remove).changed_ids

    def add_tags(self, event_id: int, names: Iterable[str]) -> Event:
        """Tag one event (that must exist); `tag` does the work, audited and undoable."""
        get_event(self.db, event_id)
        self.tag([event_id], add=names)
        return get_event(self.db, event_id)

    def remove_tags(self, event_id: int, names: Iterable[str]) -> Event:
        get_event(self.db, event_id)
        self.tag([event_id], remove=names)
        return get_event(self.db, event_id)
