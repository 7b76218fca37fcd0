"""Full-text search over events, excerpts and sources (the three FTS5 indexes)."""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tracker.db import StoreError, connect
from tracker.models import SearchHit
from tracker.store.connection import Connection


SEARCH_WORDS = 12


def fts_query(text: str) -> str | None:
    """Turn anything a user types into a safe FTS5 query: every word quoted, ANDed.

    Quoting each token means FTS5 operators and punctuation in the input are searched
    for as words instead of raising syntax errors; the last word matches as a prefix so
    results come while typing.

    Bounded: the first SEARCH_WORDS distinct words (each cut to 64 characters) are
    searched for, so a pasted paragraph costs what a short query does (200 words took
    13 s on 200,000 events: FTS5 intersects every word's postings).
    """
    words = list(dict.fromkeys(w[:64] for w in re.findall(r"\w+", text[:4096], flags=re.UNICODE)))
    if len(words) > SEARCH_WORDS:
        words = words[:SEARCH_WORDS - 1] + [words[-1]]  # the last word stays: it is the one being typed
    if not words:
        return None
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


_EVENTS = """
    SELECT e.id AS event_id, e.case_id, c.title AS case_title, e.date, e.title,
           snippet(events_fts, 0, char(2), char(3), '…', 12) AS snip
    FROM events_fts JOIN events e ON e.rowid = events_fts.rowid
    JOIN cases c ON c.id = e.case_id
    WHERE events_fts MATCH ? ORDER BY {order} LIMIT ?
"""
_EXCERPTS = """
    SELECT x.source_id, s.case_id, c.title AS case_title, s.title AS source_title,
           (SELECT l.event_id FROM event_excerpts l WHERE l.excerpt_id = x.id LIMIT 1) AS event_id,
           snippet(excerpts_fts, 0, char(2), char(3), '…', 16) AS snip
    FROM excerpts_fts JOIN excerpts x ON x.rowid = excerpts_fts.rowid
    JOIN sources s ON s.id = x.source_id LEFT JOIN cases c ON c.id = s.case_id
    WHERE excerpts_fts MATCH ? ORDER BY {order} LIMIT ?
"""
_SOURCES = """
    SELECT s.id AS source_id, s.case_id, c.title AS case_title, s.title AS source_title,
           snippet(sources_fts, 1, char(2), char(3), '…', 16) AS snip
    FROM sources_fts JOIN sources s ON s.rowid = sources_fts.rowid
    LEFT JOIN cases c ON c.id = s.case_id
    WHERE sources_fts MATCH ? ORDER BY {order} LIMIT ?
"""


class Search:
    # Above this many matches of a kind, the first page shows the newest ones instead of
    # the best-ranked: bm25 first counts every match of the query (20-80 ms per index for
    # a common word on a million events), while walking the newest matches by rowid stops
    # after one page.
    SEARCH_CANDIDATES = 200

    # From this size a search asks for the excerpts on a second, read-only connection,
    # in a thread of its own, while this one asks for the events and the sources. A
    # word typed as a prefix ("court") makes each index gather every term it starts
    # with: 10-30 ms an index on a million events, which SQLite spends without holding
    # Python's lock, so a second core shortens the wait by about a third (a third
    # connection does not: the merges contend for memory). A small database answers
    # in a millisecond, on one connection.
    BESIDE_MIN_BYTES = 64 * 1024 * 1024

    def __init__(self, db: Connection) -> None:
        self.db = db
        self._beside: Connection | None = None
        self._beside_lock = threading.Lock()
        self._closed = False

    def close(self) -> None:
        """Close the second connection, if a search opened one."""
        with self._beside_lock:
            if self._beside is not None:
                self._beside.close()
                self._beside = None
            self._closed = True

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Events, excerpts and sources matching `query`, best first within each kind
        (newest first for a kind with very many matches).

        Any input is accepted: it is reduced to quoted words, so FTS5 syntax in it can
        never raise. Matches in snippets are wrapped in \\x02 ... \\x03 so the caller
        can highlight them without interpreting markup. A kind with more than
        SEARCH_CANDIDATES matches lists its newest `limit` matches instead (bm25 over
        that many costs more than a first page may), so the first page stays fast on
        a large database. On a large database the excerpts are asked on a second
        connection meanwhile (BESIDE_MIN_BYTES): each kind is then read as the database
        is when it is asked, as when the three are asked one after another.
        """
        match = fts_query(query)
        if match is None:
            return []
        excerpts = self._asked_beside(_EXCERPTS, "excerpts_fts", match, limit)
        hits: list[SearchHit] = []
        for row in self._ranked(self.db, _EVENTS, "events_fts", match, limit):
            hits.append(SearchHit("event", row["case_id"], row["case_title"], row["event_id"], None,
                                  f"{row['date'] or 'undated'}  {row['title']}", row["snip"]))
        sources = self._ranked(self.db, _SOURCES, "sources_fts", match, limit)
        for row in excerpts():
            hits.append(SearchHit("excerpt", row["case_id"], row["case_title"] or "", row["event_id"],
                                  row["source_id"], row["source_title"], row["snip"]))
        for row in sources:
            hits.append(SearchHit("source", row["case_id"], row["case_title"] or "", None,
                                  row["source_id"], row["source_title"], row["snip"]))
        hits.sort(key=lambda h: (h.case_title.casefold(), ("event", "excerpt", "source").index(h.kind)))
        return hits

    def _asked_beside(self, sql: str, fts: str, match: str, limit: int) -> Callable[[], list[dict[str, Any]]]:
        """The rows of one kind: asked now on the second connection, in a thread, on a
        large database; else on this connection when the result is called."""
        beside = self._beside_connection()
        if beside is None:
            return lambda: self._ranked(self.db, sql, fts, match, limit)
        answer: list[list[dict[str, Any]]] = []
        failed: list[BaseException] = []

        def ask() -> None:
            try:
                answer.append(self._ranked(beside, sql, fts, match, limit))
            except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
                failed.append(exc)

        thread = threading.Thread(target=ask, name="search-beside", daemon=True)
        thread.start()

        def rows() -> list[dict[str, Any]]:
            thread.join()
            if failed:
                raise failed[0]
            return answer[0]

        return rows

    def _beside_connection(self) -> Connection | None:
        """The second connection (read-only, opened when first needed), or None: a small
        database, one in a write transaction here (whose changes only this connection
        sees), or one that cannot be opened again."""
        if self._closed or self.db.conn.in_transaction:
            return None
        row = self.db.one("SELECT p.page_count * s.page_size AS size, d.file FROM pragma_page_count() p, "
                          "pragma_page_size() s, pragma_database_list d WHERE d.name = 'main'")
        if row is None or not row["file"] or row["size"] < self.BESIDE_MIN_BYTES:
            return None
        with self._beside_lock:
            if self._beside is None and not self._closed:
                try:
                    conn = connect(Path(row["file"]), create=False)
                    conn.execute("PRAGMA query_only = ON")
                except (StoreError, sqlite3.Error):
                    self._closed = True  # not again
                    return None
                self._beside = Connection(conn)
            return self._beside

    def _ranked(self, db: Connection, sql: str, fts: str, match: str, limit: int) -> list[dict[str, Any]]:
        """The best-ranked `limit` rows when there are at most SEARCH_CANDIDATES
        matches; else the newest `limit` (see SEARCH_CANDIDATES)."""
        cap = max(limit, self.SEARCH_CANDIDATES)
        newest = db.rows(sql.format(order=f"{fts}.rowid DESC"), [match, cap + 1])
        if len(newest) > cap:
            return newest[:limit]
        return db.rows(sql.format(order=f"{fts}.rank"), [match, limit])
