"""Cases: finding, making, renaming, closing and merging them, and their facts."""

from __future__ import annotations

import json
from collections.abc import Iterable

from tracker.db import StoreError
from tracker.models import CASE_STATES, Case, CaseFact
from tracker.store.connection import Connection, now_iso
from tracker.store.rows import cases_where, get_case
from tracker.text import clean_line


class Cases:
    def __init__(self, db: Connection) -> None:
        self.db = db

    # -- reading ------------------------------------------------------------------

    def list_cases(self) -> list[Case]:
        """Every case with its event count and latest event date, by title.

        The counts come from case_stats (kept by triggers, db.m004_scale), not from
        counting each case's events on every call.
        """
        return cases_where(self.db, "1", [], "ORDER BY c.title COLLATE NOCASE, c.id")

    def get_case(self, case_id: int) -> Case:
        return get_case(self.db, case_id)

    def case_titles_of(self, case_ids: Iterable[int]) -> dict[int, str]:
        """The titles of those of these cases that exist (another process may have merged
        one away meanwhile), in one query: an import asks it of every case it touched."""
        rows = self.db.rows("SELECT id, title FROM cases WHERE id IN (SELECT value FROM json_each(?))",
                            [json.dumps(sorted(set(case_ids)))])
        return {int(r["id"]): str(r["title"]) for r in rows}

    def find_case(self, ref: str) -> Case:
        """A case by id (digits) or by title, case-insensitively."""
        ref = ref.strip()
        found = cases_where(self.db, "c.id = ?", [int(ref)], "LIMIT 1") if ref.isdigit() else []
        found = found or cases_where(self.db, "c.title = ? COLLATE NOCASE", [ref], "ORDER BY c.id LIMIT 1")
        if not found:
            raise StoreError(f"no case {ref!r} (see `tracker cases`)")
        return found[0]

    def resolve_case(self, text: str) -> Case:
        """The case someone typed: its id or exact title, else the one title it begins,
        else the one title that has it as a word ("Xiaomi", "DoD"); when several do,
        the error names them (the CLI's CASE arguments, the app's case prompts)."""
        try:
            return self.find_case(text)
        except StoreError:
            starting = self.case_titles_from(text, 6)
            if len(starting) == 1:
                return self.find_case(starting[0])
            found = starting or self._titles_with_word(text, 6)
            if len(found) == 1:
                return self.find_case(found[0])
            if found:
                more = "…" if len(found) > 5 else ""
                named = "; ".join(f"{t} ({self.case_id_titled(t)})" for t in found[:5])
                raise StoreError(f"{text!r} matches several cases: {named}{more}; type more or give the id") from None
            raise

    def _titles_with_word(self, text: str, limit: int) -> list[str]:
        """Titles that contain `text` as a whole word (or words), any case."""
        import re

        words = clean_line(text)
        if not words:
            return []
        pattern = re.compile(rf"(?<!\w){re.escape(words)}(?!\w)", re.IGNORECASE)
        rows = self.db.rows("SELECT title FROM cases WHERE instr(lower(title), lower(?)) > 0 "
                            "ORDER BY title COLLATE NOCASE, id LIMIT ?", [words, limit * 20])
        return [r["title"] for r in rows if pattern.search(r["title"])][:limit]

    def case_id_titled(self, title: str) -> int | None:
        """The id of the case with this title (as `ensure_case` compares titles), if any."""
        row = self.db.one("SELECT id FROM cases WHERE title = ? COLLATE NOCASE", [clean_line(title)])
        return int(row["id"]) if row else None

    def case_title_taken(self, title: str) -> bool:
        return self.db.one("SELECT 1 AS x FROM cases WHERE title = ? COLLATE NOCASE", [clean_line(title)]) is not None

    def case_title_origin(self, case_id: int) -> str:
        row = self.db.one("SELECT title_origin FROM cases WHERE id = ?", [case_id])
        if row is None:
            raise StoreError(f"no case with id {case_id}")
        return str(row["title_origin"] or "user")

    def case_titles_from(self, prefix: str, limit: int = 8) -> list[str]:
        """Case titles starting with `prefix` (any case), for completing a title as it is
        typed; a range on cases_title_nocase, so it costs the same with 5,000 cases."""
        prefix = clean_line(prefix)
        if not prefix:
            return []
        rows = self.db.rows(
            "SELECT title FROM cases WHERE title COLLATE NOCASE >= ?1 AND title COLLATE NOCASE < ?1 || char(1114111) "
            "ORDER BY title COLLATE NOCASE, id LIMIT ?2",
            [prefix, limit * 4],
        )
        folded = prefix.casefold()
        return [r["title"] for r in rows if r["title"].casefold().startswith(folded)][:limit]

    def case_facts(self, case_id: int) -> list[CaseFact]:
        """Facts of a case: typed ones first, then proposals with the passage behind each."""
        rows = self.db.rows(
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

    # -- writing ------------------------------------------------------------------

    def ensure_case(self, title: str, filed_reason: str | None = None, title_origin: str = "user") -> int:
        """The id of the case with this title, created if missing.

        `title_origin` says how the title was made (user, caption, names) so that a
        better one found later may replace a guessed one, but never a user's.
        """
        title = clean_line(title)
        if not title:
            raise StoreError("a case needs a title")
        found = self.case_id_titled(title)
        if found is not None:
            return found
        stamp = now_iso()
        with self.db.write() as db:
            case_id = db.insert("cases", {"title": title, "created_at": stamp, "updated_at": stamp,
                                          "filed_reason": filed_reason, "title_origin": title_origin})
            db.audit("new-case", None, None, {"title": title, "origin": title_origin}, entity="case",
                     entity_id=case_id)
            return case_id

    def rename_case(self, case_id: int, title: str, origin: str = "user") -> None:
        """Give a case a new title; a title someone typed is never replaced by a guess."""
        title = clean_line(title)
        if not title:
            raise StoreError("a case needs a title")
        before = self.get_case(case_id).title
        clash = self.db.one("SELECT id FROM cases WHERE title = ? COLLATE NOCASE AND id != ?", [title, case_id])
        if clash:
            raise StoreError(f"another case is already called {title!r}")
        with self.db.write() as db:
            db.update("cases", case_id, {"title": title, "title_origin": origin, "updated_at": now_iso()})
            db.audit("rename", None, {"title": before}, {"title": title, "origin": origin}, entity="case",
                     entity_id=case_id)

    def set_case_state(self, case_id: int, state: str) -> Case:
        """Close or reopen a case; audited like any other change to a case. Closing only
        marks it: the case list keeps its title order."""
        if state not in CASE_STATES:
            raise StoreError(f"a case is {' or '.join(CASE_STATES)}, not {state!r}")
        before = self.get_case(case_id)
        with self.db.write() as db:
            db.update("cases", case_id, {"state": state, "updated_at": now_iso()})
            db.audit("close" if state == "closed" else "reopen", None, {"state": before.state}, {"state": state},
                     entity="case", entity_id=case_id)
        return self.get_case(case_id)

    def set_case_fact(self, case_id: int, field: str, value: str) -> None:
        """A fact typed by the user; it replaces earlier typed values of the field."""
        from tracker.facts import FIELDS as FACT_FIELDS, STATUSES as CASE_STATUSES  # the case-reading rules load on first use, not when the store opens

        if field not in FACT_FIELDS:
            raise StoreError(f"unknown fact {field!r} (one of {', '.join(FACT_FIELDS)})")
        value = clean_line(value)
        if field == "status" and value not in CASE_STATUSES:
            raise StoreError(f"status is one of {', '.join(CASE_STATUSES)}")
        self.get_case(case_id)
        with self.db.write() as db:
            db.execute("DELETE FROM case_facts WHERE case_id = ? AND field = ? AND origin = 'manual'", [case_id, field])
            if value:
                db.insert("case_facts", {"case_id": case_id, "field": field, "value": value, "source_id": None,
                                         "start": None, "end": None, "origin": "manual", "created_at": now_iso()})

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
        with self.db.write() as db:
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
            db.audit("merge-cases", None, {"case": case_row, "moved": moved}, {"into": into_id, "title": target.title},
                     entity="case", entity_id=from_id)
