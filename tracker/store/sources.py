"""Sources and their excerpts: reading them, where they are filed, moving them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tracker.db import StoreError
from tracker.models import Excerpt, Source
from tracker.store.cases import Cases
from tracker.store.connection import Connection, now_iso
from tracker.store.rows import NO_OTHER_SOURCE, SOURCE_EVENT_IDS, get_case, snapshot
from tracker.text import clean_line

_EXCERPT = ("SELECT x.id, x.source_id, x.start, x.end, x.text, s.title AS source_title, "
            "s.published AS source_published")


# Moving a source: the events that rest on it alone, and its passages' links to events
# of other cases (which stay where they are). Both start from the source's own passages
# and look each event up by id: asked of every event (as they were), they walked the
# whole events table, 5 s for a move on a million events.
OWN_EVENTS = f"""
    SELECT e.id FROM events e
    WHERE e.id IN ({SOURCE_EVENT_IDS})
      AND {NO_OTHER_SOURCE}
    ORDER BY e.id
"""
LINKS_LEFT_BEHIND = """
    FROM event_excerpts WHERE excerpt_id IN (SELECT id FROM excerpts WHERE source_id = ?)
      AND EXISTS (SELECT 1 FROM events e WHERE e.id = event_excerpts.event_id AND e.case_id != ?)
"""


class Sources:
    def __init__(self, db: Connection, cases: Cases) -> None:
        self.db, self.cases = db, cases

    # -- sources ------------------------------------------------------------------

    def _sources(self, where: str, params: Iterable[Any]) -> list[Source]:
        rows = self.db.rows(
            "SELECT id, case_id, path, title, sha256, published, published_basis, imported_at, text "
            f"FROM sources WHERE {where}",
            params,
        )
        return [Source(**row) for row in rows]

    def get_source(self, source_id: int) -> Source:
        """One source with its whole text (the reader shows a window of it)."""
        found = self._sources("id = ?", [source_id])
        if not found:
            raise StoreError(f"no source with id {source_id}")
        return found[0]

    def case_sources(self, case_id: int) -> list[Source]:
        return self._sources("case_id = ? ORDER BY published, id", [case_id])

    def undated_sources(self, case_id: int) -> list[Source]:
        """Sources of a case with no publication date yet (usually few)."""
        return self._sources("case_id = ? AND published_basis = 'unknown' ORDER BY published, id", [case_id])

    def source_by_sha(self, sha256: str) -> Source | None:
        found = self._sources("sha256 = ?", [sha256])
        return found[0] if found else None

    def source_place(self, sha256: str) -> tuple[int, int | None] | None:
        """The id and case of the source with this text, without reading the text: the
        importer asks it of every document (already imported?)."""
        row = self.db.one("SELECT id, case_id FROM sources WHERE sha256 = ?", [sha256])
        return (row["id"], row["case_id"]) if row else None

    def all_sources(self) -> list[Source]:
        return self._sources("1 ORDER BY id", [])

    def source_count(self) -> int:
        row = self.db.one("SELECT count(*) AS n FROM sources")
        return int(row["n"]) if row else 0

    def source_filing(self, source_id: int) -> tuple[int | None, str | None]:
        row = self.db.one("SELECT case_id, filed_reason FROM sources WHERE id = ?", [source_id])
        if row is None:
            raise StoreError(f"no source with id {source_id}")
        return row["case_id"], row["filed_reason"]

    def source_urls(self, case_id: int) -> dict[int, str]:
        """Source id to URL, for the sources of a case that have one."""
        rows = self.db.rows("SELECT id, url FROM sources WHERE case_id = ? AND url IS NOT NULL AND url != ''",
                            [case_id])
        return {int(r["id"]): str(r["url"]) for r in rows}

    def set_source_url(self, source_id: int, url: str) -> None:
        """Record a URL learnt later (the same story imported again, now with one)."""
        with self.db.write() as db:
            db.update("sources", source_id, {"url": clean_line(url)})

    # -- excerpts -----------------------------------------------------------------

    def event_excerpts(self, event_id: int) -> list[Excerpt]:
        """The passages behind an event, with their source's title and date."""
        rows = self.db.rows(
            f"""
            {_EXCERPT}, l.phrase_start, l.phrase_end, l.value
            FROM event_excerpts l
            JOIN excerpts x ON x.id = l.excerpt_id
            JOIN sources s ON s.id = x.source_id
            WHERE l.event_id = ? ORDER BY s.published, x.source_id, x.start
            """,
            [event_id],
        )
        return [Excerpt(**row) for row in rows]

    def source_excerpts(self, source_id: int) -> list[Excerpt]:
        """Every excerpt of a source in text order, linked to an event or not."""
        rows = self.db.rows(
            f"{_EXCERPT} FROM excerpts x JOIN sources s ON s.id = x.source_id "
            "WHERE x.source_id = ? ORDER BY x.start, x.end",
            [source_id],
        )
        return [Excerpt(**row) for row in rows]

    def case_excerpts(self, case_id: int, limit: int = 200) -> list[Excerpt]:
        """Passages of the case's sources an event may be linked to (the editor's list),
        in the order they were imported, at most `limit` (an order the indexes give: a
        big case has 100,000 passages, not to be sorted each time the editor opens)."""
        rows = self.db.rows(
            f"{_EXCERPT} FROM sources s JOIN excerpts x ON x.source_id = s.id "
            "WHERE s.case_id = ? ORDER BY s.id, x.start LIMIT ?",
            [case_id, limit],
        )
        return [Excerpt(**row) for row in rows]

    def source_readings(self, source_id: int) -> list[dict[str, Any]]:
        """Every (event, passage) link of a source with the date that passage gives:
        what the source itself says, for measuring extraction."""
        return self.db.rows(
            """
            SELECT l.event_id, l.value, l.granularity, l.date_text, x.start, x.end,
                   x.start + l.phrase_start AS phrase_start, x.start + l.phrase_end AS phrase_end
            FROM event_excerpts l JOIN excerpts x ON x.id = l.excerpt_id
            WHERE x.source_id = ? ORDER BY x.start, l.phrase_start
            """,
            [source_id],
        )

    # -- filing -------------------------------------------------------------------

    def split_case(self, case_id: int, source_ids: Iterable[int], title: str) -> tuple[int, int]:
        """Move sources of a case (with the events resting on them alone) into a new
        case called `title`, in one transaction. The sources must be the case's and the
        title new. Returns (new case id, events moved)."""
        ids = list(dict.fromkeys(source_ids))
        mine = {s.id for s in self.case_sources(case_id)}
        strangers = [str(s) for s in ids if s not in mine]
        if strangers:
            raise StoreError(f"sources {', '.join(strangers)} are not in {get_case(self.db, case_id).title!r}")
        if self.db.one("SELECT 1 AS x FROM cases WHERE title = ? COLLATE NOCASE", [clean_line(title)]):
            raise StoreError(f"a case called {clean_line(title)!r} exists")
        with self.db.write() as db:
            batch = db.next_batch()
            new_id = self.cases.ensure_case(title, "split by hand", "user")
            moved = sum(self.move_source(source_id, new_id, "split by hand", batch=batch) for source_id in ids)
            # Last in the batch, so one undo takes the whole split back and removes the case it made.
            db.audit("split-case", None, None, {"case_id": new_id, "from": case_id, "sources": ids},
                     entity="case", entity_id=new_id, batch=batch)
        return new_id, moved

    def move_source(self, source_id: int, case_id: int, reason: str = "moved by hand",
                    batch: int | None = None) -> int:
        """File a source into another case, with the events that rest on it alone.

        Events other sources also support stay where they are and lose this source's
        passages. Returns how many events moved. One transaction, and one undo: the
        events' moves and the source's (its old case, reason, the passages taken off the
        events that stay, the facts that moved) share one audit batch.
        """
        get_case(self.db, case_id)
        self.source_filing(source_id)
        with self.db.write() as db:
            batch = batch if batch is not None else db.next_batch()
            old = db.execute("SELECT case_id, filed_reason FROM sources WHERE id = ?", [source_id]).fetchone()
            own = [r[0] for r in db.execute(OWN_EVENTS, [source_id, source_id])]
            for event_id in own:
                before = snapshot(db, event_id)
                db.update("events", event_id, {"case_id": case_id, "updated_at": now_iso()})
                db.audit("move", event_id, before, snapshot(db, event_id), batch=batch)
            cursor = db.execute("SELECT * " + LINKS_LEFT_BEHIND, [source_id, case_id])
            names = [d[0] for d in cursor.description]
            dropped = [dict(zip(names, row)) for row in cursor.fetchall()]
            db.execute("DELETE " + LINKS_LEFT_BEHIND, [source_id, case_id])
            facts = [r[0] for r in db.execute("SELECT id FROM case_facts WHERE source_id = ?", [source_id])]
            db.execute("UPDATE case_facts SET case_id = ? WHERE source_id = ?", [case_id, source_id])
            db.update("sources", source_id, {"case_id": case_id, "filed_reason": reason})
            db.audit("move-source", None,
                     {"source_id": source_id, "case_id": old[0] if old else None,
                      "filed_reason": old[1] if old else None, "links": dropped, "facts": facts},
                     {"source_id": source_id, "case_id": case_id},
                     entity="source", entity_id=source_id, batch=batch)
        return len(own)
