"""Paging: the case list and every timeline (filtered or not) read a page at a time.

The app never reads a whole table: a list asks for one page of rows (by position, or
by keyset from a row it holds), counts come from case_stats (kept by triggers, see
db.m004_scale), and a row's position is a range count over the index that orders the
list. One `Keyset` does this for both lists; only the order differs (a case's title,
an event's timeline key). A status filter walks events_status_timeline (case_id,
status, timeline key, id); a tag filter walks the timeline index and probes
event_tags by its primary key, so no page reads more than the index range it shows.
Every query was checked with EXPLAIN QUERY PLAN (tests/test_scale.py keeps them so).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from tracker.db import StoreError
from tracker.models import STATUSES, Case, Event
from tracker.store.connection import Connection
from tracker.store.rows import EVENT_COLUMNS, EVENT_EXTRAS, EVENT_KEY, cases_where, to_event

T = TypeVar("T")
Fetch = Callable[[str, str, list[Any], bool], list[T]]


# The status filter's extra value: events with no date (the ones to date by hand).
UNDATED = "undated"

class Keyset(Generic[T]):
    """One ordered list: `key` then `ident` order it; `anchor` is the key of the row
    whose id is bound to it; `fetch(where, order, params, reversed)` reads rows and
    answers them in list order."""

    def __init__(self, table: str, key: str, ident: str, anchor: str, fetch: Fetch[T]) -> None:
        self.table, self.key, self.ident, self.anchor, self.fetch = table, key, ident, anchor, fetch

    def page(self, where: str, params: list[Any], offset: int, limit: int, total: int | None = None) -> list[T]:
        """`limit` rows from position `offset`. OFFSET walks the index, so when the
        total is known a page past the middle is read from the far end (descending),
        which bounds the walk by half the list."""
        offset = max(0, offset)
        if total and offset + limit // 2 > total // 2:
            back = total - offset - limit
            take = limit + min(0, back)
            if take <= 0:
                return []
            order = f"{self.key} DESC, {self.ident} DESC LIMIT ? OFFSET ?"
            return self.fetch(where, order, [*params, take, max(0, back)], True)
        return self.fetch(where, f"{self.key}, {self.ident} LIMIT ? OFFSET ?", [*params, limit, offset], False)

    def step(self, where: str, params: list[Any], row_id: int, limit: int, *, after: bool) -> list[T]:
        """The `limit` rows after (or just before) row `row_id`, in list order."""
        cmp, strict, order = (">=", ">", "") if after else ("<=", "<", " DESC")
        key, anchor = self.key, self.anchor
        clause = f"{where} AND {key} {cmp} {anchor} AND ({key} {strict} {anchor} OR {self.ident} {strict} ?)"
        return self.fetch(clause, f"{key}{order}, {self.ident}{order} LIMIT ?",
                          [*params, row_id, row_id, row_id, limit], not after)

    def position(self, db: Connection, where: str, params: list[Any], row_id: int) -> int | None:
        """Where row `row_id` stands in the list (0-based), None if it is not in it."""
        key, anchor = self.key, self.anchor
        row = db.one(
            f"SELECT (SELECT count(*) FROM {self.table} WHERE {where} AND {key} <= {anchor} "
            f"AND ({key} < {anchor} OR {self.ident} < ?)) AS n, "
            f"(SELECT count(*) FROM {self.table} WHERE {self.ident} = ? AND {where}) AS passes",
            [*params, row_id, row_id, row_id, row_id, *params],
        )
        if row is None or not row["passes"]:
            return None
        return int(row["n"])


class Lists:
    PALETTE_RECENT_WINDOW = 200
    """How many of the newest audit entries and newest events `recent_events` looks at."""

    STRIP_DAYS_BELOW = 183
    """Cases spanning fewer days than this are counted per day (the strip draws weeks)."""

    def __init__(self, db: Connection) -> None:
        self.db = db
        self.cases = Keyset[Case]("cases c", "c.title COLLATE NOCASE", "c.id",
                                  "(SELECT title FROM cases WHERE id = ?)", self._fetch_cases)
        self.events = Keyset[Event]("events e", EVENT_KEY, "e.id",
                                    "(SELECT ifnull(sort_date, '~') FROM events WHERE id = ?)", self._fetch_events)

    def _fetch_cases(self, where: str, order: str, params: list[Any], backwards: bool) -> list[Case]:
        found = cases_where(self.db, where, params, f"ORDER BY {order}")
        return found[::-1] if backwards else found

    def _fetch_events(self, where: str, order: str, params: list[Any], backwards: bool) -> list[Event]:
        """The ids are chosen on the index first, so tags and source counts are computed
        for the page's rows only; answered in timeline order either way."""
        rows = self.db.rows(
            f"""
            WITH page AS (SELECT e.id, {EVENT_KEY} AS k FROM events e WHERE {where} ORDER BY {order})
            SELECT {EVENT_COLUMNS}{EVENT_EXTRAS}
            FROM page JOIN events e ON e.id = page.id
            ORDER BY page.k, page.id
            """,
            params,
        )
        return [to_event(row) for row in rows]

    # -- the case list ------------------------------------------------------------

    def case_total(self) -> int:
        """How many cases there are (a count over the cases table: thousands, not millions)."""
        row = self.db.one("SELECT count(*) AS n FROM cases")
        return int(row["n"]) if row else 0

    def cases_page(self, offset: int, limit: int) -> list[Case]:
        """`limit` cases from position `offset` in the case list's order (title, then id)."""
        return self.cases.page("1", [], offset, limit)

    def cases_after(self, case_id: int, limit: int) -> list[Case]:
        """The `limit` cases that follow case `case_id` in list order (keyset paging)."""
        return self.cases.step("1", [], case_id, limit, after=True)

    def cases_before(self, case_id: int, limit: int) -> list[Case]:
        """The `limit` cases just before case `case_id`, in list order."""
        return self.cases.step("1", [], case_id, limit, after=False)

    def case_position(self, case_id: int) -> int | None:
        """Where case `case_id` stands in the case list (0-based), None if it is gone."""
        return self.cases.position(self.db, "1", [], case_id)

    def palette_cases(self, query: str, limit: int = 20) -> list[Case]:
        """Cases whose title starts with, then contains, `query` (case-insensitive).

        The prefix half is a range on cases_title_nocase; the substring half is a LIKE
        that stops at `limit` rows, over the cases table (thousands of rows, never the
        events). An empty query gives the first `limit` cases in list order.
        """
        text = " ".join(query.split())
        if not text:
            return self.cases_page(0, limit)
        found = cases_where(self.db, "c.title COLLATE NOCASE >= ?1 AND c.title COLLATE NOCASE < ?1 || char(1114111)",
                            [text, limit], "ORDER BY c.title COLLATE NOCASE, c.id LIMIT ?2")
        if len(found) < limit:
            like = "%" + re.sub(r"([\\%_])", r"\\\1", text) + "%"
            seen = {case.id for case in found}
            more = cases_where(self.db, "c.title LIKE ? ESCAPE '\\'", [like, limit + len(seen)],
                               "ORDER BY c.title COLLATE NOCASE, c.id LIMIT ?")
            found += [case for case in more if case.id not in seen][: limit - len(found)]
        return found

    # -- timelines ----------------------------------------------------------------

    def case_event_total(self, case_id: int) -> int:
        """Every event of a case, rejected ones too (the timeline's rows), from case_stats."""
        row = self.db.one("SELECT events FROM case_stats WHERE case_id = ?", [case_id])
        return int(row["events"]) if row else 0

    def _filter(self, case_id: int, status: str | None, tag: str | None) -> tuple[str, list[Any]]:
        """The WHERE clause and its parameters for a case's events passing a filter."""
        clauses, params = ["e.case_id = ?"], [case_id]
        if status == UNDATED:
            clauses.append("e.sort_date IS NULL")
        elif status is not None:
            if status not in STATUSES:
                raise StoreError(f"unknown status {status!r}")
            clauses.append("e.status = ?")
            params.append(status)
        if tag is not None:
            row = self.db.one("SELECT id FROM tags WHERE name = ?", [tag])
            if row is None:
                clauses.append("0")
            else:
                clauses.append("EXISTS (SELECT 1 FROM event_tags et WHERE et.event_id = e.id AND et.tag_id = ?)")
                params.append(int(row["id"]))
        return " AND ".join(clauses), params

    def filtered_total(self, case_id: int, status: str | None = None, tag: str | None = None) -> int:
        """How many events of a case pass the filter: a kept count for a status alone,
        else a count driven by the tag's links (event_tags(tag_id)), not the case."""
        if status == UNDATED:
            where, params = self._filter(case_id, status, tag)
            row = self.db.one(f"SELECT count(*) AS n FROM events e WHERE {where}", params)
            return int(row["n"]) if row else 0
        if tag is None:
            if status is None:
                return self.case_event_total(case_id)
            if status not in STATUSES:
                raise StoreError(f"unknown status {status!r}")
            row = self.db.one(f"SELECT {status} AS n FROM case_stats WHERE case_id = ?", [case_id])
            return int(row["n"]) if row else 0
        extra = " AND e.status = ?" if status is not None else ""
        row = self.db.one(
            # CROSS JOIN fixes the order: from the tag's links to their events, never
            # a walk over the case.
            "SELECT count(*) AS n FROM tags t CROSS JOIN event_tags et ON et.tag_id = t.id "
            f"CROSS JOIN events e ON e.id = et.event_id WHERE t.name = ? AND e.case_id = ?{extra}",
            [tag, case_id, *([status] if status is not None else [])],
        )
        return int(row["n"]) if row else 0

    def filtered_page(
        self, case_id: int, offset: int, limit: int, status: str | None = None, tag: str | None = None,
        total: int | None = None,
    ) -> list[Event]:
        """`limit` events of a case that pass the filter, from filtered position `offset`
        (a page past the middle is read from the far end). `total`: the filtered count
        when the caller holds it (a tag's count walks its links)."""
        where, params = self._filter(case_id, status, tag)
        if total is None:
            total = self.filtered_total(case_id, status, tag)
        return self.events.page(where, params, offset, limit, total)

    def filtered_after(
        self, case_id: int, event_id: int, limit: int, status: str | None = None, tag: str | None = None
    ) -> list[Event]:
        """The `limit` filtered events after event `event_id` in timeline order (keyset)."""
        where, params = self._filter(case_id, status, tag)
        return self.events.step(where, params, event_id, limit, after=True)

    def filtered_before(
        self, case_id: int, event_id: int, limit: int, status: str | None = None, tag: str | None = None
    ) -> list[Event]:
        """The `limit` filtered events just before event `event_id`, in timeline order."""
        where, params = self._filter(case_id, status, tag)
        return self.events.step(where, params, event_id, limit, after=False)

    def filtered_position(
        self, case_id: int, event_id: int, status: str | None = None, tag: str | None = None
    ) -> int | None:
        """Where event `event_id` stands among the case's filtered events, None if it
        does not pass the filter (or is not in the case). Cost grows with the position,
        about 1 ms per 20k rows."""
        where, params = self._filter(case_id, status, tag)
        return self.events.position(self.db, where, params, event_id)

    def events_page(self, case_id: int, offset: int, limit: int) -> list[Event]:
        """`limit` events of a case from timeline position `offset`."""
        return self.filtered_page(case_id, offset, limit)

    def events_after(self, case_id: int, event_id: int, limit: int) -> list[Event]:
        return self.filtered_after(case_id, event_id, limit)

    def events_before(self, case_id: int, event_id: int, limit: int) -> list[Event]:
        return self.filtered_before(case_id, event_id, limit)

    def event_position(self, case_id: int, event_id: int) -> int | None:
        return self.filtered_position(case_id, event_id)

    # -- the palette and the case strip -------------------------------------------
    #
    # Asked on every keystroke or case change, so each query is bounded: a LIMIT on an
    # index walk, or one grouped scan of a single case's range of the covering index
    # events_strip (db.m008_case_strip). None reads a whole table of events.

    def recent_events(self, limit: int = 20) -> list[tuple[Event, str]]:
        """The most recently changed or added events, newest first, with their case title.

        Candidates are the events named by the newest audit entries (edits, tags,
        status changes; by the audit's primary key) and the newest event ids (imports
        write no per-event audit), each a bounded walk from the end of a b-tree; only
        those are read and ordered by updated_at.
        """
        rows = self.db.rows(
            f"""
            WITH touched AS (
              SELECT entity_id AS id FROM (SELECT entity, entity_id FROM audit ORDER BY id DESC LIMIT ?1)
              WHERE entity = 'event' AND entity_id IS NOT NULL
              UNION
              SELECT id FROM (SELECT id FROM events ORDER BY id DESC LIMIT ?1)
            ),
            recent AS (SELECT e.id FROM touched JOIN events e ON e.id = touched.id
                       ORDER BY e.updated_at DESC, e.id DESC LIMIT ?2)
            SELECT {EVENT_COLUMNS}, c.title AS case_title
            FROM recent JOIN events e ON e.id = recent.id JOIN cases c ON c.id = e.case_id
            ORDER BY e.updated_at DESC, e.id DESC
            """,
            [self.PALETTE_RECENT_WINDOW, limit],
        )
        found: list[tuple[Event, str]] = []
        for row in rows:
            case_title = row.pop("case_title")
            found.append((to_event(row), case_title))
        return found

    def case_activity(self, case_id: int) -> tuple[str, list[tuple[str, int, int]]]:
        """("day" or "month", [(period start, confirmed, suggested)]) for a case's dated,
        not rejected events, in order: per day when the case spans under
        STRIP_DAYS_BELOW days, else per month (a few hundred rows at most).

        One query: the inner GROUP BY walks the case's range of the covering index
        events_strip (case_id, sort_date, status) in order, so no table row is read and
        nothing is sorted but the (at most a few thousand) days. About 16 ms for a
        case of 100k events.
        """
        rows = self.db.rows(
            """
            WITH days AS (
              SELECT sort_date AS day, sum(status = 'confirmed') AS confirmed, sum(status = 'suggested') AS suggested
              FROM events WHERE case_id = ?1 AND sort_date IS NOT NULL AND status != 'rejected'
              GROUP BY sort_date
            ),
            span AS (SELECT julianday(max(day)) - julianday(min(day)) < ?2 AS short FROM days)
            SELECT span.short AS short, CASE WHEN span.short THEN day ELSE substr(day, 1, 7) || '-01' END AS period,
                   sum(confirmed) AS confirmed, sum(suggested) AS suggested
            FROM days, span GROUP BY period ORDER BY period
            """,
            [case_id, self.STRIP_DAYS_BELOW],
        )
        grain = "day" if rows and rows[0]["short"] else "month"
        return grain, [(row["period"], int(row["confirmed"]), int(row["suggested"])) for row in rows]
