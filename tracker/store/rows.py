"""Rows shared by every subject: the event and case SELECTs with their mapping to
models, an event's snapshot (what the audit log keeps) and the small writes several
subjects make (linking a tag, removing an event, finding or making an excerpt)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tracker.db import StoreError
from tracker.models import Case, Event
from tracker.store.connection import Connection
from tracker.text import clean_line

EVENT_COLUMNS = (
    "e.id, e.case_id, e.date, e.granularity, e.date_text, e.title, e.status, e.origin, "
    "e.created_at, e.updated_at, e.note, e.conflict, e.kind"
)
# An event's tags (joined by \x1f) and how many sources back it, per row.
EVENT_EXTRAS = """,
  (SELECT group_concat(name, char(31)) FROM
     (SELECT t.name FROM event_tags et JOIN tags t ON t.id = et.tag_id
      WHERE et.event_id = e.id ORDER BY t.name)) AS tag_names,
  (SELECT count(DISTINCT x.source_id) FROM event_excerpts l
     JOIN excerpts x ON x.id = l.excerpt_id WHERE l.event_id = e.id) AS source_count"""

# The timeline order as one expression, matching the index events_timeline.
EVENT_KEY = "ifnull(e.sort_date, '~')"

# The ids of the events a source's passages back (one parameter: the source's id): where
# a query about one source's events starts, so that it never walks every event.
SOURCE_EVENT_IDS = ("SELECT l.event_id FROM event_excerpts l JOIN excerpts x ON x.id = l.excerpt_id "
                    "WHERE x.source_id = ?")
# An event (`e`) that no source but the given one backs (one parameter: that source's id):
# with SOURCE_EVENT_IDS, the events that rest on that source alone.
NO_OTHER_SOURCE = ("NOT EXISTS (SELECT 1 FROM event_excerpts l JOIN excerpts x ON x.id = l.excerpt_id "
                   "WHERE l.event_id = e.id AND x.source_id != ?)")

CASE_ROW = (
    "SELECT c.id, c.title, c.created_at, c.filed_reason, ifnull(st.live, 0) AS event_count, "
    "ifnull(st.sources, 0) AS source_count, st.latest_date, "
    "ifnull(st.suggested, 0) AS suggested, ifnull(st.confirmed, 0) AS confirmed, "
    "ifnull(st.rejected, 0) AS rejected, st.first_date, c.state "
    "FROM cases c LEFT JOIN case_stats st ON st.case_id = c.id "
)


def to_event(row: dict[str, Any]) -> Event:
    """An Event from a row of EVENT_COLUMNS (with or without EVENT_EXTRAS)."""
    names = row.pop("tag_names", None)
    row["conflict"] = bool(row["conflict"])
    return Event(**row, tags=tuple(names.split("\x1f")) if names else ())


def events_where(db: Connection, where: str, params: Iterable[Any]) -> list[Event]:
    """Events matching `where`, in timeline order (undated last), with tags and sources."""
    rows = db.rows(
        f"SELECT {EVENT_COLUMNS}{EVENT_EXTRAS} FROM events e WHERE {where} "
        "ORDER BY e.sort_date IS NULL, e.sort_date, e.id",
        params,
    )
    return [to_event(row) for row in rows]


def get_event(db: Connection, event_id: int) -> Event:
    found = events_where(db, "e.id = ?", [event_id])
    if not found:
        raise StoreError(f"no event with id {event_id}")
    return found[0]


def cases_where(db: Connection, where: str, params: Iterable[Any], tail: str = "") -> list[Case]:
    return [Case(**row) for row in db.rows(CASE_ROW + f"WHERE {where} {tail}", params)]


def get_case(db: Connection, case_id: int) -> Case:
    found = cases_where(db, "c.id = ?", [case_id])
    if not found:
        raise StoreError(f"no case with id {case_id}")
    return found[0]


def sort_key(value: str | None, granularity: str | None = None) -> str | None:
    """The sort date of a value about to be stored, after the gate's check (tracker.gate):
    no path, the app's editor included, stores a date a widget or an export cannot show."""
    from tracker import gate
    from tracker.dates import period_start

    try:
        gate.date_value(value, granularity)
    except ValueError as exc:
        raise StoreError(str(exc)) from None
    return period_start(value)


def clean_tag(name: str) -> str:
    name = clean_line(name)
    if not name:
        raise StoreError("a tag needs a name")
    if len(name) > 64:
        raise StoreError("a tag name is at most 64 characters")
    return name


# -- writes several subjects make (inside Connection.write) ---------------------------


def snapshot(db: Connection, event_id: int | None) -> dict[str, Any] | None:
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


def link_tag(db: Connection, event_id: int, name: str) -> None:
    name = clean_tag(name)
    row = db.execute("SELECT id FROM tags WHERE name = ?", [name]).fetchone()
    tag_id = int(row[0]) if row else db.insert("tags", {"name": name})
    db.insert("event_tags", {"event_id": event_id, "tag_id": tag_id}, ignore=True)


def remove_event(db: Connection, event_id: int) -> None:
    db.execute("DELETE FROM event_tags WHERE event_id = ?", [event_id])
    db.execute("DELETE FROM event_excerpts WHERE event_id = ?", [event_id])
    db.execute("DELETE FROM events WHERE id = ?", [event_id])


def restore(db: Connection, event_id: int | None, state: dict[str, Any] | None) -> None:
    """Put an event back as a snapshot had it (None: the event did not exist)."""
    if event_id is None:
        raise StoreError("that change cannot be undone")
    remove_event(db, event_id)
    if state is None:
        return
    db.insert("events", state["event"], replace=True)
    for name in state["tags"]:
        link_tag(db, event_id, name)
    for link in state["links"]:
        if db.execute("SELECT 1 FROM excerpts WHERE id = ?", [link["excerpt_id"]]).fetchone():
            db.insert("event_excerpts", link, replace=True)


def revert(db: Connection, event_id: int | None, before: dict[str, Any] | None,
           after: dict[str, Any] | None) -> None:
    """Take back one change to an event: what differs between `before` and `after` is put
    back as `before` had it, and nothing else. A tag or a passage linked since (by a
    later import, by someone else) stays; an event added is removed, one deleted returns."""
    if event_id is None:
        raise StoreError("that change cannot be undone")
    if before is None or after is None:
        restore(db, event_id, before)
        return
    if db.execute("SELECT 1 FROM events WHERE id = ?", [event_id]).fetchone() is None:
        raise StoreError(f"event {event_id} no longer exists")
    old, new = before.get("event") or {}, after.get("event") or {}
    fields = {k: old[k] for k in old if k in new and old[k] != new[k] and k not in ("id", "updated_at")}
    if fields:
        db.update("events", event_id, {**fields, "updated_at": now_stamp()})
    old_tags, new_tags = set(before.get("tags") or []), set(after.get("tags") or [])
    for name in new_tags - old_tags:
        db.execute("DELETE FROM event_tags WHERE event_id = ? AND tag_id = (SELECT id FROM tags WHERE name = ?)",
                   [event_id, name])
    for name in sorted(old_tags - new_tags):
        link_tag(db, event_id, name)
    old_links = {link["excerpt_id"]: link for link in before.get("links") or []}
    new_links = {link["excerpt_id"]: link for link in after.get("links") or []}
    for excerpt_id in new_links.keys() - old_links.keys():
        db.execute("DELETE FROM event_excerpts WHERE event_id = ? AND excerpt_id = ?", [event_id, excerpt_id])
    for excerpt_id, link in old_links.items():
        if new_links.get(excerpt_id) != link and db.execute(
                "SELECT 1 FROM excerpts WHERE id = ?", [excerpt_id]).fetchone():
            db.insert("event_excerpts", {**link, "event_id": event_id}, replace=True)


def now_stamp() -> str:
    from tracker.store.connection import now_iso

    return now_iso()


def ensure_excerpt(db: Connection, source_id: int, start: int, end: int, text: str) -> int:
    row = db.execute(
        "SELECT id FROM excerpts WHERE source_id = ? AND start = ? AND end = ?", [source_id, start, end]
    ).fetchone()
    if row:
        return int(row[0])
    return db.insert("excerpts", {"source_id": source_id, "start": start, "end": end, "text": text[start:end]})


def refresh_conflict(db: Connection, event_id: int) -> None:
    """Set the event's `!` from the readings of the passages it has now: the flag
    follows the evidence (unlinking the passage that disagreed clears it)."""
    from tracker import merge  # the date-agreement rules load on first use, not when the store opens

    values = [r[0] for r in db.execute("SELECT value FROM event_excerpts WHERE event_id = ?", [event_id])]
    db.execute("UPDATE events SET conflict = ? WHERE id = ?", [int(merge.disagree(values)), event_id])
