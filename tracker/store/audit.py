"""The audit log: every change is recorded in the transaction that makes it
(`Connection.audit`); here it is read back and undone.

The entries' shape is read by undo across versions: `before`/`after` of an event are
its snapshot (row, tags, links); a case's rename, close and reopen keep the old and new
values; a merge keeps the removed case's row and the ids of what moved.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from tracker.db import StoreError
from tracker.models import AuditEntry, Change
from tracker.store.connection import Connection, now_iso, os_user
from tracker.store.rows import events_where, restore, revert, snapshot

_NAMES = ("id", "at", "user", "action", "entity_id", "before", "after", "undone", "batch")


class CannotUndo(StoreError):
    """What an audit entry would restore no longer exists (a case removed since)."""


def to_entry(row: dict[str, Any]) -> AuditEntry:
    return AuditEntry(
        id=row["id"], at=row["at"], user=row["user"], action=row["action"], entity_id=row["entity_id"],
        before=json.loads(row["before"]) if row["before"] else None,
        after=json.loads(row["after"]) if row["after"] else None,
        undone=bool(row["undone"]),
    )


def describe_undo(entry: AuditEntry) -> str:
    """What an undo took back, in words: "merge-cases (case 7)", "confirmed (event 12)"."""
    thing = ("case" if entry.action in ("merge-cases", "rename", "close", "reopen", "split-case", "delete-case")
             else "source" if entry.action in ("move-source", "source-edit") else "event")
    return f"{entry.action} ({thing} {entry.entity_id})"


class Audit:
    def __init__(self, db: Connection) -> None:
        self.db = db

    # -- reading ------------------------------------------------------------------

    def history(self, event_id: int) -> list[AuditEntry]:
        """The story of one event, oldest first, including undone changes."""
        rows = self.db.rows(
            "SELECT id, at, user, action, entity_id, before, after, undone FROM audit "
            "WHERE entity = 'event' AND entity_id = ? ORDER BY id",
            [event_id],
        )
        if not rows:
            raise StoreError(f"no history for event {event_id}")
        return [to_entry(row) for row in rows]

    def last_change(self) -> AuditEntry | None:
        """The newest change to an event that has not been undone."""
        row = self.db.one(
            "SELECT id, at, user, action, entity_id, before, after, undone FROM audit "
            "WHERE entity = 'event' AND undone = 0 ORDER BY id DESC LIMIT 1"
        )
        return to_entry(row) if row else None

    # -- undo ---------------------------------------------------------------------

    def undo_last(self, anyone: bool = False) -> AuditEntry:
        """Undo the newest change (see `undo`) and answer its entry."""
        return self.undo(anyone)[0]

    def undo(self, anyone: bool = False) -> tuple[AuditEntry, Change]:
        """Undo the newest change to an event (add, edit, status, tags, delete, move), a
        merge of two cases (`merge_cases`), a case's close or reopen, or a rename someone
        typed (an import's automatic renames are not taken back by mistake).

        Only your own changes (the OS user's) unless `anyone`: the entry returned names
        whose change it was. The change is chosen and marked undone in the transaction
        that undoes it, so two undos at once never take back the same change. A change
        made to several events at once (one `batch`: a bulk confirm, reject or tag) is
        undone as a whole, newest first; what a change changed is put back, not the
        whole event (`rows.revert`). The undo is itself a change in the log, and works
        across restarts because the log lives in the database.

        The `Change` says what the undo restored, for the app's panes: the events put
        back (as they are now), the ids of events it removed (an add undone) and the
        cases it touched. Undoing a change to the cases themselves (a merge, a rename,
        a close, a split, a move of a source, a removal) marks every case it touched
        and `reorder`: the case list's order or membership may have changed.
        """
        user = None if anyone else os_user()
        chosen: list[dict[str, Any]] = []
        try:
            with self.db.write() as db:
                newest = db.one(
                    f"SELECT {', '.join(_NAMES)} FROM audit WHERE (entity = 'event' OR action = 'merge-cases' "
                    "OR (action = 'move-source' AND before IS NOT NULL) OR action = 'split-case' "
                    "OR action IN ('delete-case', 'source-edit') "
                    "OR (entity = 'case' AND (action IN ('close', 'reopen') "
                    "    OR (action = 'rename' AND json_extract(after, '$.origin') = 'user')))) "
                    "AND undone = 0 AND action != 'undo' " + ("AND user = ? " if user else "")
                    + "ORDER BY id DESC LIMIT 1", [user] if user else [])
                if newest is None:
                    raise StoreError("nothing to undo" + (f" by {user} (tracker undo --anyone undoes "
                                                          "the latest change of anyone)" if user else ""))
                chosen.append(newest)
                return self._undo(tuple(newest[n] for n in _NAMES))
        except (sqlite3.IntegrityError, CannotUndo) as exc:
            newest = chosen[0]
            # What it would restore no longer fits (its case is gone, say). Set it aside
            # so that the next undo reaches the change before it instead of failing again.
            with self.db.write() as db:
                db.execute("UPDATE audit SET undone = -1 WHERE id = ? AND undone = 0", [newest["id"]])
            raise StoreError(f"cannot undo {newest['action']} (change {newest['id']}): {exc}; "
                             "set aside, undo again for the change before it") from None

    def _undo(self, row: tuple[Any, ...]) -> tuple[AuditEntry, Change]:
        select = f"SELECT {', '.join(_NAMES)} FROM audit WHERE entity = 'event' AND undone = 0 AND action != 'undo' "
        with self.db.write() as db:
            first = to_entry(dict(zip(_NAMES, row)))
            if first.action == "merge-cases":
                restored = self._unmerge(db, first)
                return first, self._case_change(first, (restored,))
            if first.action in ("rename", "close", "reopen"):
                self._undo_case_change(db, first)
                return first, self._case_change(first)
            rows = [row]
            if first.action == "delete-case":
                self._undelete_case(db, first)
                return first, self._case_change(first)
            if first.action == "source-edit":
                self._undo_source_edit(db, first, row[-1])
                return first, self._case_change(first)
            if first.action in ("move-source", "split-case"):
                self._undo_filing(db, row[-1])
                return first, self._case_change(first)
            if row[-1] is not None:
                rows = db.execute(select + "AND batch = ? ORDER BY id DESC", [row[-1]]).fetchall()
            entries = [to_entry(dict(zip(_NAMES, r))) for r in rows]
            touched: dict[int, None] = {}
            cases: dict[int, None] = {}
            for entry in entries:
                current = snapshot(db, entry.entity_id)
                try:
                    revert(db, entry.entity_id, entry.before, entry.after)
                except StoreError as exc:
                    raise CannotUndo(str(exc)) from None
                db.execute("UPDATE audit SET undone = 1 WHERE id = ?", [entry.id])
                now = snapshot(db, entry.entity_id)
                db.audit("undo", entry.entity_id, current, now)
                if entry.entity_id is not None:
                    touched[entry.entity_id] = None
                for state in (current, now):
                    if state is not None and state["event"].get("case_id") is not None:
                        cases[state["event"]["case_id"]] = None
            events = events_where(db, "e.id IN (SELECT value FROM json_each(?))", [json.dumps(list(touched))])
            removed = tuple(i for i in touched if i not in {e.id for e in events})
            # An undone edit or add may move an event in its timeline (a date put back).
            change = Change(events=tuple(events), removed=removed, cases=tuple(cases), reorder=True,
                            asked=len(entries))
        return entries[0], change

    def _case_change(self, entry: AuditEntry, also: tuple[int, ...] = ()) -> Change:
        """What undoing a change to cases or sources touched: the cases named in its
        entry (and `also`), every one marked; the case list may have changed shape."""
        cases: dict[int, None] = {}
        if entry.action in ("rename", "close", "reopen", "delete-case"):
            cases[entry.entity_id or 0] = None
        for state in (entry.before or {}, entry.after or {}):
            for key in ("case_id", "into"):
                if isinstance(state.get(key), int):
                    cases[state[key]] = None
        for case_id in also:
            cases[case_id] = None
        return Change(cases=tuple(c for c in cases if c), reorder=True, asked=1)

    def _undelete_case(self, db: Connection, entry: AuditEntry) -> None:
        """Bring back a case removed while empty, with its facts."""
        before = entry.before or {}
        row = before.get("case")
        if not row:
            raise CannotUndo("that removal was recorded without the case")
        if db.execute("SELECT 1 FROM cases WHERE id = ? OR title = ? COLLATE NOCASE",
                      [row["id"], row["title"]]).fetchone():
            raise CannotUndo(f"a case with id {row['id']} or title {row['title']!r} exists")
        db.insert("cases", row)
        for fact in before.get("facts") or []:
            db.insert("case_facts", fact)
        db.execute("UPDATE audit SET undone = 1 WHERE id = ?", [entry.id])
        db.audit("undo", None, None, before, entity="case", entity_id=entry.entity_id)

    def _undo_source_edit(self, db: Connection, entry: AuditEntry, batch: int | None) -> None:
        """Take back a source's corrected facts and the re-reading of its events."""
        before = entry.before or {}
        fields = {k: before[k] for k in ("title", "url", "outlet", "published", "published_basis") if k in before}
        if not db.update("sources", entry.entity_id or 0, fields):
            raise CannotUndo(f"source {entry.entity_id} no longer exists")
        if batch is not None:
            rows = db.execute(f"SELECT {', '.join(_NAMES)} FROM audit WHERE entity = 'event' AND undone = 0 "
                              "AND action != 'undo' AND batch = ? ORDER BY id DESC", [batch]).fetchall()
            for r in rows:
                event = to_entry(dict(zip(_NAMES, r)))
                current = snapshot(db, event.entity_id)
                restore(db, event.entity_id, event.before)
                db.execute("UPDATE audit SET undone = 1 WHERE id = ?", [event.id])
                db.audit("undo", event.entity_id, current, event.before)
        db.execute("UPDATE audit SET undone = 1 WHERE id = ?", [entry.id])
        db.audit("undo", None, entry.after, before, entity="source", entity_id=entry.entity_id)

    def _undo_filing(self, db: Connection, batch: int) -> None:
        """Take back a move-source or a split as a whole (one batch): each source goes back
        to its case with its reason, facts and the passages it lent to events that
        stayed; each event moved goes back; a case the split made is removed once empty."""
        rows = db.execute(f"SELECT {', '.join(_NAMES)} FROM audit WHERE batch = ? AND undone = 0 "
                          "AND action != 'undo' ORDER BY id DESC", [batch]).fetchall()
        entries = [to_entry(dict(zip(_NAMES, r))) for r in rows]
        entries.sort(key=lambda e: e.action == "split-case")  # the case a split made goes last, once empty
        for entry in entries:
            before, after = entry.before or {}, entry.after or {}
            if entry.action == "move-source":
                if not db.execute("UPDATE sources SET case_id = ?, filed_reason = ? WHERE id = ?",
                                  [before.get("case_id"), before.get("filed_reason"), entry.entity_id]).rowcount:
                    raise CannotUndo(f"source {entry.entity_id} no longer exists")
                facts = before.get("facts") or []
                if facts:
                    db.execute("UPDATE case_facts SET case_id = ? WHERE id IN (SELECT value FROM json_each(?))",
                               [before.get("case_id"), json.dumps(facts)])
                for link in before.get("links") or []:
                    if db.execute("SELECT 1 FROM events WHERE id = ?", [link["event_id"]]).fetchone() and \
                            db.execute("SELECT 1 FROM excerpts WHERE id = ?", [link["excerpt_id"]]).fetchone():
                        db.insert("event_excerpts", link, ignore=True)
                db.audit("undo", None, after, before, entity="source", entity_id=entry.entity_id)
            elif entry.action == "split-case":
                case_id = after.get("case_id")
                left = db.execute("SELECT (SELECT count(*) FROM events WHERE case_id = ?) + "
                                  "(SELECT count(*) FROM sources WHERE case_id = ?)", [case_id, case_id]).fetchone()[0]
                if not left:
                    db.execute("DELETE FROM case_facts WHERE case_id = ?", [case_id])
                    db.execute("DELETE FROM cases WHERE id = ?", [case_id])
                db.audit("undo", None, after, None, entity="case", entity_id=case_id)
            elif entry.action != "import":
                current = snapshot(db, entry.entity_id)
                try:
                    revert(db, entry.entity_id, entry.before, entry.after)
                except StoreError as exc:
                    raise CannotUndo(str(exc)) from None
                db.audit("undo", entry.entity_id, current, snapshot(db, entry.entity_id))
            db.execute("UPDATE audit SET undone = 1 WHERE id = ?", [entry.id])

    def _undo_case_change(self, db: Connection, entry: AuditEntry) -> None:
        """Take back a rename typed by a person, or a close or reopen."""
        before = entry.before or {}
        if entry.action == "rename":
            changed = db.execute("UPDATE cases SET title = ?, title_origin = 'user', updated_at = ? WHERE id = ?",
                                 [before.get("title"), now_iso(), entry.entity_id])
        else:
            changed = db.execute("UPDATE cases SET state = ?, updated_at = ? WHERE id = ?",
                                 [before.get("state", "open"), now_iso(), entry.entity_id])
        if not changed.rowcount:
            raise CannotUndo(f"case {entry.entity_id} no longer exists")
        db.execute("UPDATE audit SET undone = 1 WHERE id = ?", [entry.id])
        db.audit("undo", None, entry.after, before, entity="case", entity_id=entry.entity_id)

    def _unmerge(self, db: Connection, entry: AuditEntry) -> int:
        """Undo a `merge_cases`: the case comes back with what it held. Its id or title
        may have been taken since (ids are reused, a case may have been created with
        that title): then it comes back under a new id or as "TITLE (restored)"."""
        before, after = entry.before or {}, entry.after or {}
        row, moved = before.get("case"), before.get("moved") or {}
        if not row:
            raise CannotUndo("that merge was recorded without what undoing it needs")
        row = dict(row)
        if db.execute("SELECT 1 FROM cases WHERE id = ?", [row["id"]]).fetchone():
            row.pop("id")
        base, n = row["title"], 1
        while db.execute("SELECT 1 FROM cases WHERE title = ? COLLATE NOCASE", [row["title"]]).fetchone():
            row["title"] = f"{base} (restored{'' if n == 1 else f' {n}'})"
            n += 1
        row["id"] = db.insert("cases", row)
        for table in ("events", "sources", "case_facts"):
            ids = moved.get(table) or []
            if ids:
                db.execute(
                    f"UPDATE {table} SET case_id = ? WHERE case_id = ? AND id IN (SELECT value FROM json_each(?))",
                    [row["id"], after.get("into"), json.dumps(ids)],
                )
        db.execute("UPDATE audit SET undone = 1 WHERE id = ?", [entry.id])
        db.audit("undo", None, None, {"undid": entry.id, "case_id": row["id"]}, entity="case", entity_id=row["id"])
        return int(row["id"])
