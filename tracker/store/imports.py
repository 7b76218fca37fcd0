"""Imports: a document's source with the events read from it, a source re-dated
later, and the cases of a tracker.v1 export.

The importer decides (which case, which proposals are one event, which restate an
event already stored); this module stores what it decided, each document in one
transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from tracker import dates
from tracker.db import StoreError
from tracker.models import STATUSES
from tracker.store.cases import Cases
from tracker.store.connection import Connection, now_iso
from tracker.store.profiles import Profiles
from tracker.store.rows import (NO_OTHER_SOURCE, SOURCE_EVENT_IDS, ensure_excerpt, link_tag, remove_event, snapshot,
                                sort_key)
from tracker.text import clean_line

if TYPE_CHECKING:
    from tracker.cases import Profile
    from tracker.extract import ProposedEvent
    from tracker.facts import Fact
    from tracker.merge import Group

_GRAIN_ORDER = ("day", "week", "month", "quarter", "year")

# An event (`e`) a person has touched: reviewed, written or moved by hand, edited since
# the import made it (its stamps differ), or changed by a person at all, as the audit
# log tells (a change still in effect: not undone, set aside as one that cannot be
# undone counts; other than an undo or a re-reading of its source).
# The stamps have whole seconds: a kind set, a merge or a split in the second the event
# was imported leaves them equal, and only the log tells.
TOUCHED = """(e.status != 'suggested' OR e.origin != 'extracted' OR e.updated_at != e.created_at
    OR EXISTS (SELECT 1 FROM audit a WHERE a.entity = 'event' AND a.entity_id = e.id AND a.undone != 1
               AND a.action NOT IN ('undo', 'reread')))"""

# Re-dating a source: the untouched events that rest on it alone, and the unlinking of
# its passages from untouched events. Both start from the source's own passages and
# look each event up by id: asked of every event (as they were), each walked the whole
# events table, 1.4-1.9 s apiece on a million events.
UNTOUCHED_OF_SOURCE = f"""
    SELECT e.id FROM events e
    WHERE e.id IN ({SOURCE_EVENT_IDS})
      AND NOT {TOUCHED}
      AND {NO_OTHER_SOURCE}
"""
UNLINK_UNTOUCHED = f"""
    DELETE FROM event_excerpts WHERE excerpt_id IN (SELECT id FROM excerpts WHERE source_id = ?)
      AND EXISTS (SELECT 1 FROM events e WHERE e.id = event_excerpts.event_id AND NOT {TOUCHED})
"""


class Imports:
    def __init__(self, db: Connection, cases: Cases, profiles: Profiles) -> None:
        self.db, self.cases, self.profiles = db, cases, profiles

    # -- reading ------------------------------------------------------------------

    def event_passages(self, case_id: int, since: str, until: str) -> list[dict[str, Any]]:
        """Events of a case whose period starts in [since, until] (not rejected), one row
        per passage behind each (id, date, sort_date, title, text, phrase_start,
        phrase_end), for recognising restatements at import."""
        return self.db.rows(
            """
            SELECT e.id, e.date, e.sort_date, e.title, x.text, l.phrase_start, l.phrase_end
            FROM events e
            LEFT JOIN event_excerpts l ON l.event_id = e.id
            LEFT JOIN excerpts x ON x.id = l.excerpt_id
            WHERE e.case_id = ? AND e.sort_date BETWEEN ? AND ? AND e.status != 'rejected'
            ORDER BY e.id
            """,
            [case_id, since, until],
        )

    def has_event(self, case_id: int, value: str | None, title: str) -> bool:
        """An event with this date and title is already in the case: a re-imported sheet
        of hand-made events adds nothing twice."""
        return self.db.one(
            "SELECT 1 AS found FROM events WHERE case_id = ? AND date IS ? AND title = ? COLLATE NOCASE LIMIT 1",
            [case_id, value, clean_line(title)],
        ) is not None

    # -- a document ---------------------------------------------------------------

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
        url: str | None = None,
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
        if groups is None:
            from tracker.merge import Group  # the case-reading rules load on first use, not when the store opens

            groups = [Group(None, [i]) for i in range(len(proposals))]
        stamp = now_iso()
        with self.db.write() as db:
            row = {"case_id": case_id, "path": path, "title": title, "sha256": sha256, "text": text,
                   "published": published, "published_basis": published_basis, "imported_at": stamp,
                   "filed_reason": filed_reason}
            if url:
                row["url"] = clean_line(url)
            source_id = db.insert("sources", row)
            created = self._insert_events(db, case_id, source_id, text, proposals, groups, stamp)
            for fact in facts:
                db.insert("case_facts", {"case_id": case_id, "field": fact.field, "value": fact.value,
                                         "source_id": source_id, "start": fact.start, "end": fact.end,
                                         "origin": "extracted", "created_at": stamp})
            db.audit("import", None, None, {"source_id": source_id, "path": path, "case_id": case_id},
                     entity="source", entity_id=source_id)
            db.update("cases", case_id, {"updated_at": stamp})
            if profile is not None:
                self.profiles.add_to_profile(db, case_id, source_id, profile)
        return source_id, created

    def add_source_with_url(self, url: str | None, **source: Any) -> tuple[int, int]:
        """`add_source_with_events` plus where the story was published."""
        return self.add_source_with_events(url=url, **source)

    def _insert_events(self, db: Connection, case_id: int, source_id: int, text: str,
                       proposals: list[ProposedEvent], groups: list[Group], stamp: str) -> int:
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
        new_ids = iter(db.insert_many("events", rows))
        event_of = [group.existing_id if group.existing_id is not None else next(new_ids) for group in groups]
        extended = [g.existing_id for g in groups if g.existing_id is not None]
        _refine_dates(db, proposals, groups)
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
        ids = db.insert_many("excerpts", [{"source_id": source_id, "start": start, "end": end,
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

    def touched_events(self, source_id: int) -> set[int]:
        """The events backed by this source that a person has touched (`TOUCHED`)."""
        return {row["id"] for row in self.db.rows(
            f"""
            SELECT e.id FROM events e
            WHERE e.id IN ({SOURCE_EVENT_IDS}) AND {TOUCHED}
            """,
            [source_id],
        )}

    def redate_source(
        self, source_id: int, published: str | None, basis: str, proposals: list[ProposedEvent], groups: list[Group]
    ) -> int:
        """Give a source a publication date found later and re-read its events.

        Only what the import itself made is replaced: suggested, extracted events that
        rest on this source alone and were never edited. Anything a person touched
        (`TOUCHED`) stays as it is, with its passages of this source.
        """
        stamp = now_iso()
        with self.db.write() as db:
            row = db.execute("SELECT case_id, text FROM sources WHERE id = ?", [source_id]).fetchone()
            if row is None:
                raise StoreError(f"no source with id {source_id}")
            case_id, text = int(row[0]), row[1]
            untouched = [r[0] for r in db.execute(UNTOUCHED_OF_SOURCE, [source_id, source_id]).fetchall()]
            for event_id in untouched:
                remove_event(db, event_id)
            # Links from this source to untouched events other sources also back are re-made
            # below; a touched event keeps its passages (the caller gives them new readings).
            db.execute(UNLINK_UNTOUCHED, [source_id])
            db.update("sources", source_id, {"published": published, "published_basis": basis})
            created = self._insert_events(db, case_id, source_id, text, proposals, groups, stamp)
            db.audit("redate", None, None, {"source_id": source_id, "published": published, "basis": basis},
                     entity="source", entity_id=source_id)
        return created

    # -- a tracker.v1 export ------------------------------------------------------

    def import_v1_case(self, title: str, sources: list[dict[str, Any]], events: list[dict[str, Any]]) -> tuple[int, int]:
        """One case of a tracker.v1 export, in one transaction. Returns (sources, events) added.

        The export carries excerpts, not whole texts, so a source that is new here gets a
        text holding its excerpts at their offsets (blanks between): offsets, search and
        `check` stay right, and the sha256 still recognises the original file later.
        """
        stamp = now_iso()
        added_sources = added_events = 0
        with self.db.write() as db:
            case_id = self.cases.ensure_case(title, "imported from tracker.v1", "user")
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
                source_ids[source["id"]] = db.insert("sources", {
                    "case_id": case_id, "path": source.get("path") or "", "title": source.get("title") or "",
                    "sha256": source["sha256"], "text": "".join(chars), "published": source.get("published"),
                    "published_basis": source.get("published_basis") or "unknown", "imported_at": stamp,
                    "filed_reason": "imported from tracker.v1"})
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
                event_id = db.insert("events", {
                    "case_id": case_id, "date": event.get("date"), "granularity": event.get("granularity") or "day",
                    "sort_date": sort_key(event.get("date"), event.get("granularity") or "day"), "date_text": event.get("date_text") or "",
                    "title": clean_line(event.get("title") or "") or "untitled", "note": "",
                    "status": event.get("status") if event.get("status") in STATUSES else "suggested",
                    "origin": event.get("origin") if event.get("origin") in ("extracted", "manual") else "manual",
                    "conflict": 0, "kind": "occurred", "created_at": stamp, "updated_at": stamp})
                added_events += 1
                for tag in event.get("tags") or []:
                    link_tag(db, event_id, tag)
                for piece in event.get("excerpts") or []:
                    source_id = source_ids.get(piece["source_id"])
                    if source_id is None:
                        continue
                    text = db.execute("SELECT text FROM sources WHERE id = ?", [source_id]).fetchone()[0]
                    if text[piece["start"]:piece["end"]] != piece["text"]:
                        continue  # the stored source says something else there; do not invent a link
                    excerpt_id = ensure_excerpt(db, source_id, piece["start"], piece["end"], text)
                    # An excerpt's own "date", where the file gives one, is that story's reading.
                    value = piece["date"] if "date" in piece else event.get("date")
                    db.insert("event_excerpts", {"event_id": event_id, "excerpt_id": excerpt_id, "value": value,
                                                 "granularity": dates.granularity_of(value) if value
                                                 else event.get("granularity"),
                                                 "date_text": event.get("date_text")}, ignore=True)
                db.audit("add", event_id, None, snapshot(db, event_id))
        return added_sources, added_events


def _live_groups(db: Connection, groups: list[Group]) -> list[Group]:
    """The groups with each one that restates an event no longer stored made a new event.

    Groups are planned before the write transaction opens, against the events the case
    had then; re-dating a source removes the events that rested on it alone (its own
    first reading, which its new reading restates), and another process may have
    deleted or merged one meanwhile. A reading of an event that is gone starts a new
    event instead of linking to a row that does not exist.
    """
    from tracker.merge import Group  # the case-reading rules load on first use, not when the store opens

    wanted = sorted({g.existing_id for g in groups if g.existing_id is not None})
    if not wanted:
        return groups
    alive = {row[0] for row in db.execute(
        "SELECT id FROM events WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(wanted)]).fetchall()}
    return [g if g.existing_id is None or g.existing_id in alive else Group(None, list(g.members))
            for g in groups]


def _refine_dates(db: Connection, proposals: list[ProposedEvent], groups: list[Group]) -> None:
    """An event a story dates more precisely than the stories before it ("March 12" for
    "in March") takes the precise date, while each excerpt keeps its own reading; only
    while the event is still the import's suggestion with a date some passage gave."""
    for group in groups:
        if group.existing_id is None or group.conflict:
            continue
        best = min((proposals[i] for i in group.members if proposals[i].value),
                   key=lambda p: _GRAIN_ORDER.index(p.granularity), default=None)
        if best is None:
            continue
        row = db.execute(
            "SELECT date, granularity FROM events WHERE id = ? AND status = 'suggested' AND origin = 'extracted' "
            "AND date IN (SELECT value FROM event_excerpts WHERE event_id = ?)",
            [group.existing_id, group.existing_id]).fetchone()
        if row is None or _GRAIN_ORDER.index(best.granularity) >= _GRAIN_ORDER.index(row[1]):
            continue
        first, last = dates.period_bounds(row[0])
        inner_first, inner_last = dates.period_bounds(best.value)
        if first <= inner_first and inner_last <= last:
            db.execute("UPDATE events SET date = ?, granularity = ?, sort_date = ?, date_text = ? WHERE id = ?",
                       [best.value, best.granularity, dates.period_start(best.value), best.date_text,
                        group.existing_id])
