"""Upkeep: a backup while others write, the health check, recounting case_stats,
bulk loading for the benchmark generator, and the query plans tests keep indexed."""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tracker.db import CASE_STATS_REBUILD, CASE_STATS_TRIGGERS, REVIEW_STATS_REBUILD, REVIEW_STATS_TRIGGERS, StoreError
from tracker.store.connection import Connection
from tracker.store.rows import CASE_ROW, EVENT_KEY


class BulkLoader:
    """executemany into the tables `Upkeep.bulk_loading()` has prepared; counts the rows."""

    TABLES = ("cases", "sources", "excerpts", "events", "tags", "event_tags", "event_excerpts", "case_facts")

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.counts: dict[str, int] = {}

    def insert(self, table: str, columns: Iterable[str], rows: Iterable[tuple[Any, ...]]) -> None:
        if table not in self.TABLES:
            raise StoreError(f"bulk loading does not write {table!r}")
        names = list(columns)
        if not all(re.fullmatch(r"[a-z_][a-z0-9_]*", n) for n in names):
            raise StoreError(f"bad column name in {names}")
        cursor = self.conn.executemany(
            f"INSERT INTO {table} ({', '.join(f'[{n}]' for n in names)}) VALUES ({', '.join('?' for _ in names)})",
            rows,
        )
        self.counts[table] = self.counts.get(table, 0) + max(cursor.rowcount, 0)


class Upkeep:
    def __init__(self, db: Connection) -> None:
        self.db = db

    def backup(self, dest: Path) -> float:
        """A consistent copy made while others may be writing; returns the seconds it took.

        `VACUUM INTO` a temporary file next to `dest` reads one snapshot of the database
        (it does not start over when others commit, as the online backup API does), and
        the file gets its name only once it is complete: a killed backup leaves no file
        that looks like a backup. An existing `dest` is never overwritten.
        """
        dest = Path(dest)
        if dest.exists() or dest.is_symlink():
            raise StoreError(f"{dest} exists; choose a new file name")
        started = time.monotonic()
        try:
            handle, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".partial", dir=dest.parent or ".")
            os.close(handle)  # mkstemp: mode 0600, empty, which VACUUM INTO accepts
        except OSError as exc:
            raise StoreError(f"cannot write {dest}: {exc.strerror or exc}") from None
        partial = Path(name)
        try:
            with self.db.lock:
                self.db.conn.execute("VACUUM INTO ?", [str(partial)])
            try:
                os.link(partial, dest)  # fails if dest appeared meanwhile: never overwrite
            except FileExistsError:
                raise StoreError(f"{dest} exists; choose a new file name") from None
            except OSError:
                if dest.exists():
                    raise StoreError(f"{dest} exists; choose a new file name") from None
                os.rename(partial, dest)
        except sqlite3.Error as exc:
            raise StoreError(f"backup failed: {exc}") from None
        except OSError as exc:
            raise StoreError(f"cannot write {dest}: {exc.strerror or exc}") from None
        finally:
            partial.unlink(missing_ok=True)
        return time.monotonic() - started

    def check(self) -> list[str]:
        """Problems found: integrity, foreign keys, FTS indexes, orphan rows. Empty is healthy."""
        problems: list[str] = []
        integrity = [r[0] for r in self.db.conn.execute("PRAGMA integrity_check").fetchall()]
        if integrity != ["ok"]:
            problems += [f"integrity: {line}" for line in integrity]
        for table, rowid, parent, _ in self.db.conn.execute("PRAGMA foreign_key_check").fetchall():
            problems.append(f"foreign key: {table} row {rowid} points to a missing {parent}")
        for fts in ("events_fts", "excerpts_fts", "sources_fts"):
            problems += self._check_index(fts)
        orphans = {
            "events without a case": "SELECT count(*) FROM events WHERE case_id NOT IN (SELECT id FROM cases)",
            "excerpts without a source": "SELECT count(*) FROM excerpts WHERE source_id NOT IN (SELECT id FROM sources)",
            "event links to missing events or excerpts": (
                "SELECT count(*) FROM event_excerpts WHERE event_id NOT IN (SELECT id FROM events) "
                "OR excerpt_id NOT IN (SELECT id FROM excerpts)"),
            "tag links to missing events or tags": (
                "SELECT count(*) FROM event_tags WHERE event_id NOT IN (SELECT id FROM events) "
                "OR tag_id NOT IN (SELECT id FROM tags)"),
            "excerpts outside their source text": (
                "SELECT count(*) FROM excerpts x JOIN sources s ON s.id = x.source_id "
                "WHERE x.start < 0 OR x.end > length(s.text) OR substr(s.text, x.start + 1, x.end - x.start) != x.text"),
        }
        for label, sql in orphans.items():
            count = self.db.conn.execute(sql).fetchone()[0]
            if count:
                problems.append(f"{count} {label}")
        return problems

    def _check_index(self, fts: str) -> list[str]:
        """FTS5's own integrity check of one index. It is an INSERT, so it takes the
        write lock: each index is checked in its own short transaction, rolled back, and
        the rest of the check only reads (others can write meanwhile)."""
        with self.db.lock:
            conn = self.db.conn
            self.db._begin_immediate()  # waits its turn like any write (busy timeout, retries)
            try:
                conn.execute(f"INSERT INTO {fts}({fts}, rank) VALUES('integrity-check', 1)")
            except sqlite3.DatabaseError as exc:
                return [f"search index {fts}: {exc}"]
            finally:
                if conn.in_transaction:
                    conn.rollback()
        return []

    def rebuild_case_stats(self) -> None:
        """Recount case_stats from the tables and put its triggers back as this version
        writes them (a repair: the counts are a cache of the tables)."""
        with self.db.write() as db:
            for name, sql in {**CASE_STATS_TRIGGERS, **REVIEW_STATS_TRIGGERS}.items():
                db.execute(f'DROP TRIGGER IF EXISTS "{name}"')
                db.execute(sql)
            db.execute("DELETE FROM case_stats")
            db.execute(CASE_STATS_REBUILD)
            db.execute(REVIEW_STATS_REBUILD)

    # Pages the log may hold before a commit copies it into the database, during an
    # import (SQLite's default is 1,000: 4 MB).
    IMPORT_CHECKPOINT_PAGES = 16_384
    # Seconds between two copies of the log into the database by the import's own
    # copier (`few_checkpoints`).
    COPY_EVERY = 1.0

    @contextmanager
    def few_checkpoints(self) -> Iterator[LogCopies]:
        """Many small transactions in a row (an import: one a document), the log copied
        into the database by a thread of its own, about once a second, instead of by the
        commit that fills 1,000 pages.

        Each stored document rewrites the same pages (the full-text indexes' segment
        pages, the tables' upper b-tree pages); a checkpoint copies every page the log
        holds and waits for the disk, so at SQLite's default a large database paid it
        inside a commit every dozen documents (8 ms a document of commit time on a
        million events). Copied once a second, a page rewritten many times meanwhile
        costs one write, and the wait for the disk is the copier's, on its own
        connection, while the writer goes on (SQLite lets one checkpoint run beside one
        writer; the copier's checkpoints are PASSIVE, never waiting for a reader or the
        writer). The log may grow to 64 MB before a commit copies it itself. At the end
        what is left is copied, so the import leaves the database as a checkpoint would.
        The caller may ask for a copy sooner (`LogCopies.copy_now`): when what comes next
        leaves a core idle, the end then has less to copy.

        Meanwhile the connection keeps its statement journals in memory (`temp_store`).
        A write inside a transaction journals the pages it changes, so that it, or the
        savepoint it runs in, can be undone alone; a story's writes run under a savepoint,
        so the journal holds every page its transaction has changed, and past 64 KB SQLite
        writes it to a temporary file. A story's multi-row inserts, with the full-text
        merges they set off, change hundreds of pages: on a million events those writes
        were a tenth of the writer's time (9-10% more documents a second without them,
        `benchmarks.ab`). One story's journal holds a few megabytes at most; outside an
        import the setting is SQLite's default, so a statement rewriting a whole table
        (a rebuild, a migration) journals to disk."""
        conn = self.db.conn
        path = next((row[2] for row in conn.execute("PRAGMA database_list").fetchall() if row[1] == "main"), "")
        copier = _LogCopier(path, self.COPY_EVERY) if path else None
        conn.execute(f"PRAGMA wal_autocheckpoint = {self.IMPORT_CHECKPOINT_PAGES}")
        _set_temp_store(conn, "MEMORY")
        if copier:
            copier.start()
        try:
            yield LogCopies(copier)
        finally:
            if copier:
                copier.stop()
            _set_temp_store(conn, "DEFAULT")
            conn.execute("PRAGMA wal_autocheckpoint = 1000")
            try:
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            except sqlite3.Error:
                pass  # a busy log is copied by a later commit

    @contextmanager
    def bulk_loading(self) -> Iterator[BulkLoader]:
        """Load many rows into a database nobody else is using (the benchmark generator).

        Row-by-row inserts through the ordinary methods fire the FTS and case_stats
        triggers and the audit log for every row: hours for a million events. Here the
        triggers are set aside for the duration, rows go in with executemany, and then
        the FTS indexes are rebuilt and case_stats recounted in one pass each, and the
        triggers put back exactly as they were, all in one transaction: either
        everything is loaded, or nothing is. Not for a database others are writing to
        (their changes would miss the indexes while the triggers are away).
        """
        with self.db.write() as db:
            conn = db.conn
            triggers = conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN "
                f"({', '.join('?' for _ in BulkLoader.TABLES)})",
                BulkLoader.TABLES,
            ).fetchall()
            for name, _ in triggers:
                conn.execute(f'DROP TRIGGER "{name}"')
            loader = BulkLoader(conn)
            yield loader
            for fts in ("events_fts", "excerpts_fts", "sources_fts"):
                conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
            conn.execute("DELETE FROM case_stats")
            conn.execute(CASE_STATS_REBUILD)
            conn.execute(REVIEW_STATS_REBUILD)
            for _, sql in triggers:
                conn.execute(sql)

    # -- query plans ----------------------------------------------------------------

    def palette_query_plans(self) -> dict[str, list[str]]:
        """EXPLAIN QUERY PLAN of the palette's and the strip's queries (tests keep them indexed)."""
        probes = {
            "palette_cases_prefix": (
                CASE_ROW + "WHERE c.title COLLATE NOCASE >= 'a' AND c.title COLLATE NOCASE < 'a' || char(1114111) "
                "ORDER BY c.title COLLATE NOCASE, c.id LIMIT 20"
            ),
            "recent_audit": (
                "SELECT entity_id FROM (SELECT entity, entity_id FROM audit ORDER BY id DESC LIMIT 200) "
                "WHERE entity = 'event'"
            ),
            "recent_events": "SELECT id FROM events ORDER BY id DESC LIMIT 200",
            "case_activity": (
                "SELECT sort_date, sum(status = 'confirmed'), sum(status = 'suggested') FROM events "
                "WHERE case_id = 1 AND sort_date IS NOT NULL AND status != 'rejected' GROUP BY sort_date"
            ),  # the inner part of case_activity: the only part that touches events
        }
        with self.db.lock:
            return {
                name: [r[3] for r in self.db.conn.execute("EXPLAIN QUERY PLAN " + sql)] for name, sql in probes.items()
            }

    def query_plans(self) -> dict[str, list[str]]:
        """EXPLAIN QUERY PLAN of each paged query, for tests and the benchmark notes."""
        key = EVENT_KEY
        probes = {
            "cases_page": (CASE_ROW + "ORDER BY c.title COLLATE NOCASE, c.id LIMIT 50 OFFSET 10", []),
            "events_page": (f"SELECT e.id FROM events e WHERE e.case_id = 1 ORDER BY {key}, e.id LIMIT 50 OFFSET 10",
                            []),
            "events_after": (
                f"SELECT e.id FROM events e WHERE e.case_id = 1 AND {key} >= '2020' AND ({key} > '2020' OR e.id > 5) "
                f"ORDER BY {key}, e.id LIMIT 50", []),
            "event_position": (
                f"SELECT count(*) FROM events e WHERE e.case_id = 1 AND {key} <= '2020' AND ({key} < '2020' OR e.id < 5)",
                []),
            "case_stats": ("SELECT events FROM case_stats WHERE case_id = 1", []),
            "latest_date": (
                "SELECT e.date FROM events e WHERE e.case_id = 1 AND e.status != 'rejected' "
                "AND e.sort_date IS NOT NULL ORDER BY e.sort_date DESC, e.id DESC LIMIT 1", []),
            **self._review_probes(),
        }
        plans: dict[str, list[str]] = {}
        with self.db.lock:
            for name, (sql, params) in probes.items():
                plans[name] = [r[3] for r in self.db.conn.execute("EXPLAIN QUERY PLAN " + sql, params)]
        return plans

    def _review_probes(self) -> dict[str, tuple[str, list[Any]]]:
        """The filtered paged queries for `query_plans` (tag id 1, status suggested)."""
        key = EVENT_KEY
        tag = "EXISTS (SELECT 1 FROM event_tags et WHERE et.event_id = e.id AND et.tag_id = 1)"
        return {
            "status_page": (f"SELECT e.id FROM events e WHERE e.case_id = 1 AND e.status = 'suggested' "
                            f"ORDER BY {key}, e.id LIMIT 50 OFFSET 10", []),
            "status_after": (
                f"SELECT e.id FROM events e WHERE e.case_id = 1 AND e.status = 'suggested' AND {key} >= '2020' "
                f"AND ({key} > '2020' OR e.id > 5) ORDER BY {key}, e.id LIMIT 50", []),
            "status_position": (
                f"SELECT count(*) FROM events e WHERE e.case_id = 1 AND e.status = 'confirmed' AND {key} <= '2020' "
                f"AND ({key} < '2020' OR e.id < 5)", []),
            "tag_page": (f"SELECT e.id FROM events e WHERE e.case_id = 1 AND {tag} "
                         f"ORDER BY {key}, e.id LIMIT 50 OFFSET 10", []),
            "tag_status_page": (f"SELECT e.id FROM events e WHERE e.case_id = 1 AND e.status = 'suggested' "
                                f"AND {tag} ORDER BY {key}, e.id LIMIT 50", []),
            "tag_total": ("SELECT count(*) FROM tags t CROSS JOIN event_tags et ON et.tag_id = t.id "
                          "CROSS JOIN events e ON e.id = et.event_id WHERE t.name = 'x' AND e.case_id = 1", []),
        }


class _LogCopier(threading.Thread):
    """Copies the write-ahead log of the database at `path` into the database every
    `every` seconds, on its own connection, until stopped (see `few_checkpoints`)."""

    def __init__(self, path: str, every: float) -> None:
        super().__init__(name="log-copier", daemon=True)
        self.path, self.every = path, every
        self.stopped = False
        self.wake = threading.Event()  # set: copy now (or stop)

    def run(self) -> None:
        try:
            conn = sqlite3.connect(self.path, check_same_thread=False)
        except sqlite3.Error:
            return
        try:
            conn.execute("PRAGMA busy_timeout = 0")
            while True:
                self.wake.wait(self.every)
                self.wake.clear()
                if self.stopped:
                    return
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error:
                    continue  # busy or locked this time: the next turn copies it
        finally:
            conn.close()

    def copy_now(self) -> None:
        self.wake.set()

    def stop(self) -> None:
        self.stopped = True
        self.wake.set()
        self.join()


class LogCopies:
    """What an import holds of `Upkeep.few_checkpoints`: a way to ask for a copy of the
    log now, on the copier's own connection and thread (nothing when there is none)."""

    def __init__(self, copier: _LogCopier | None) -> None:
        self._copier = copier

    def copy_now(self) -> None:
        if self._copier is not None:
            self._copier.copy_now()


def _set_temp_store(conn: sqlite3.Connection, where: str) -> None:
    """`PRAGMA temp_store`, where SQLite allows it: not inside a transaction (one left
    open by a failure is the caller's to end; the setting then stays until the next)."""
    try:
        conn.execute(f"PRAGMA temp_store = {where}")
    except sqlite3.Error:
        pass
