"""Kept case profiles for filing: the weighted names, docket numbers and judges of
each case's sources (case_terms, case_profiles), so that filing a story compares it
with the few cases that share its terms instead of re-reading every case."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING

from tracker.store.connection import Connection

if TYPE_CHECKING:
    from tracker.cases import Profile


# A name kept by this many cases is worth leaving out of the filing query when it can be.
COMMON_CASES = 50
# The rest of a filing query's HAVING clause: the overlap (summed before it) over the
# smaller of the story's and the case's top weights, at least the floor.
_SCORES = " / max(1e-9, min(?, max(p.top))) >= ?"
# Each case's overlap with the story's names (rows t of case_terms, d of the story's
# names), kept when it scores: the end of the by-name queries that sum row by row.
_SUMMED = """
            JOIN case_profiles p ON p.case_id = t.case_id AND p.stale = 0
            GROUP BY t.case_id
            HAVING sum(min(t.weight, d.value))""" + _SCORES


SMALLEST_TOP = "SELECT min(top) AS top FROM case_profiles WHERE stale = 0"
"""The smallest `top` of the current profiles, read from case_profiles_top at each filing."""


def in_filing_order(found: dict[int, Profile]) -> dict[int, Profile]:
    """Candidates sharing a name first, then those sharing only a docket number, each by
    case id: the order `cases.decide` sees them in (it keeps it between equal scores)."""
    return dict(sorted(found.items(), key=lambda item: (not item[1].names, item[0])))


class Profiles:
    def __init__(self, db: Connection) -> None:
        self.db = db

    def stale_profile_cases(self, skip_title: str) -> list[int]:
        """Cases with sources whose kept profile is missing or stale (an older database,
        a source moved by hand), except the case titled `skip_title` (Unfiled)."""
        rows = self.db.rows(
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
            rows = self.db.rows("SELECT id, title, text FROM sources WHERE case_id = ? AND id > ? ORDER BY id LIMIT 200",
                                [case_id, after])
            if not rows:
                return
            for row in rows:
                yield row["title"] or "", row["text"] or ""
            after = rows[-1]["id"]

    def save_case_profiles(self, profiles: dict[int, Profile]) -> None:
        """Replace the kept profiles of these cases with ones built from all their sources."""
        with self.db.write() as db:
            for case_id, profile in profiles.items():
                db.execute("DELETE FROM case_terms WHERE case_id = ?", [case_id])
                db.execute("INSERT OR REPLACE INTO case_profiles(case_id, top, stale) VALUES (?, 0, 0)", [case_id])
                self._write_terms(db, case_id, profile)

    def add_to_profile(self, db: Connection, case_id: int, source_id: int, profile: Profile) -> None:
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
    def _write_terms(db: Connection, case_id: int, profile: Profile) -> None:
        """Merge terms the way cases.merge does: a name keeps its heaviest weight and its
        first spelling; docket numbers and judges are a union."""
        db.conn.executemany(
            "INSERT INTO case_terms(case_id, kind, key, weight, display) VALUES (?, 'name', ?, ?, ?) "
            "ON CONFLICT(case_id, kind, key) DO UPDATE SET weight = max(weight, excluded.weight)",
            [(case_id, key, weight, profile.display.get(key)) for key, weight in profile.names.items()],
        )
        marks = [(case_id, "docket", d) for d in profile.dockets] + [(case_id, "judge", j) for j in profile.judges]
        marks += [(case_id, "role", r) for r in profile.roles]
        db.conn.executemany("INSERT OR IGNORE INTO case_terms(case_id, kind, key, weight) VALUES (?, ?, ?, 0)", marks)
        db.execute(
            "UPDATE case_profiles SET top = (SELECT coalesce(sum(weight), 0) FROM (SELECT weight FROM case_terms "
            "WHERE case_id = ? AND kind = 'name' ORDER BY weight DESC LIMIT 12)) WHERE case_id = ?",
            [case_id, case_id],
        )

    def profile_candidates(self, doc: Profile, floor: float = 0.0,
                           among: Collection[int] | None = None) -> dict[int, Profile]:
        """The cases that could hold a story: those sharing a docket number with it, and
        those whose name overlap scores at least `floor` (as cases.similarity scores it,
        before the judge check, which only lowers a score). Each comes as a Profile of
        the shared terms only, with its judges and `top`. The overlap is summed in SQL,
        so a story naming a party common to a thousand cases reads the terms of the few
        that score, not of all of them. CROSS JOIN keeps the story's names outermost:
        left to itself the planner sometimes walked every name of every case (70 ms).

        `among`: only these cases, looked up by id (what changed since the same query
        was answered on an earlier state; see store/ahead.py). The cases come in one
        order whatever the path: those sharing a name, then those sharing only a docket
        number, each by id (`cases.decide` keeps it between equal scores)."""
        from tracker.cases import Profile  # the case-reading rules load on first use, not when the store opens

        names = json.dumps(doc.names)
        dockets = json.dumps(sorted(doc.dockets))
        common = self._common_names(doc, floor) if among is None else set()
        only, restrict = "", []
        if among is not None:
            by_name = """
            SELECT t.case_id FROM json_each(?) c CROSS JOIN json_each(?) d
            CROSS JOIN case_terms t ON t.case_id = c.value AND t.kind = 'name' AND t.key = d.key""" + _SUMMED
            restrict = [json.dumps(sorted(among))]
            params = [*restrict, names]
            only = " AND t.case_id IN (SELECT value FROM json_each(?))"
        elif not common:
            by_name = """
            SELECT t.case_id FROM json_each(?) d
            CROSS JOIN case_terms t ON t.kind = 'name' AND t.key = d.key""" + _SUMMED
            params = [names]
        else:  # only cases sharing another name can score: the common names are summed for those alone
            by_name = """
            SELECT x.case_id FROM (
              WITH other AS MATERIALIZED (SELECT t.case_id, min(t.weight, d.value) AS w FROM json_each(?) d
                             CROSS JOIN case_terms t ON t.kind = 'name' AND t.key = d.key)
              SELECT case_id, w FROM other
              UNION ALL
              SELECT t.case_id, min(t.weight, d.value) FROM (SELECT DISTINCT case_id FROM other) c
              CROSS JOIN json_each(?) d
              CROSS JOIN case_terms t ON t.case_id = c.case_id AND t.kind = 'name' AND t.key = d.key
            ) x
            JOIN case_profiles p ON p.case_id = x.case_id AND p.stale = 0
            GROUP BY x.case_id
            HAVING sum(x.w)""" + _SCORES
            params = [json.dumps({k: v for k, v in doc.names.items() if k not in common}),
                      json.dumps({k: doc.names[k] for k in common})]
        chosen = [r["case_id"] for r in self.db.rows(
            by_name + """
            UNION
            SELECT t.case_id FROM case_terms t JOIN case_profiles p ON p.case_id = t.case_id AND p.stale = 0
            WHERE t.kind = 'docket' AND t.key IN (SELECT value FROM json_each(?))""" + only,
            [*params, doc.top_weight(), floor - 1e-9, dockets, *restrict],
        )]
        if not chosen:
            return {}
        wanted = json.dumps(chosen)
        found: dict[int, tuple[dict[str, float], set[str]]] = {}
        rows = self.db.rows(
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
        for row in self.db.rows(
            "SELECT case_id, kind, key FROM case_terms WHERE kind IN ('judge', 'role') "
            "AND case_id IN (SELECT value FROM json_each(?))",
            [ids],
        ):
            (judges if row["kind"] == "judge" else roles).setdefault(row["case_id"], set()).add(row["key"])
        tops = {row["case_id"]: row["top"] for row in self.db.rows(
            "SELECT case_id, top FROM case_profiles WHERE case_id IN (SELECT value FROM json_each(?))", [ids])}
        return in_filing_order({
            case_id: Profile(shared_names, frozenset(shared_dockets), {}, frozenset(judges.get(case_id, ())),
                             top=float(tops.get(case_id, 0.0)), roles=frozenset(roles.get(case_id, ())))
            for case_id, (shared_names, shared_dockets) in found.items()
        })

    def _common_names(self, doc: Profile, floor: float) -> set[str]:
        """The story's names common to many cases that cannot make a case score on
        their own (none, when none can be told so).

        A case scores overlap / min(story top, case top), the overlap summing, per shared
        name, the lighter of its two weights. A case sharing only the left-out names has
        an overlap of at most their weights in the story, kept below `floor` times the
        smallest top any case has (and the story's own): so it cannot reach `floor`, and
        only cases sharing a kept name need their names summed. The most common names go
        first: a byline or a regulator named in thousands of cases costs thousands of
        rows to sum, and weighs no more in the story than any other name."""
        if floor <= 0 or not doc.names:
            return set()
        counts = {row["key"]: row["n"] for row in self.db.rows(
            "SELECT key, count(*) AS n FROM case_terms WHERE kind = 'name' "
            "AND key IN (SELECT key FROM json_each(?)) GROUP BY key", [json.dumps(doc.names)])}
        if sum(counts.values()) < 2 * COMMON_CASES:
            return set()
        smallest = self.db.one(SMALLEST_TOP)
        if smallest is None or smallest["top"] is None:
            return set()
        # below the query's own floor, with a margin for summing in another order than SQLite does
        room = (floor - 1e-9) * min(doc.top_weight(), float(smallest["top"])) * (1 - 1e-6)
        left_out: set[str] = set()
        weight = 0.0
        for key in sorted(counts, key=lambda k: (-counts[k], k)):
            if counts[key] < COMMON_CASES:
                break
            if weight + doc.names[key] < room:
                weight += doc.names[key]
                left_out.add(key)
        # Each case sharing a kept name then looks its left-out names up one by one:
        # worth it only when that reads fewer rows than summing the left-out names does.
        kept = sum(n for key, n in counts.items() if key not in left_out)
        if kept * (1 + len(left_out)) >= sum(counts.values()):
            return set()
        return left_out

    def dispute_marks(self) -> dict[int, tuple[set[str], set[str]]]:
        """(roles, docket numbers) of every case whose filing profile states a dispute:
        what possible duplicates are told from (cases.duplicates)."""
        marks: dict[int, tuple[set[str], set[str]]] = {}
        for row in self.db.rows(
            "SELECT case_id, kind, key FROM case_terms WHERE kind IN ('role', 'docket') "
            "AND case_id IN (SELECT case_id FROM case_terms WHERE kind = 'role')", [],
        ):
            roles, dockets = marks.setdefault(row["case_id"], (set(), set()))
            (roles if row["kind"] == "role" else dockets).add(row["key"])
        return marks

