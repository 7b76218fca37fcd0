"""The shared connection: one lock, one door for writes, plain SQL helpers.

Every write goes through `Connection.write()`, which holds one lock and one
transaction, so the app's worker threads and the UI thread never interleave half-done
changes on the shared connection, and a failed write leaves nothing behind. Inserts and
updates are plain SQL on tables and columns the schema owns: sqlite-utils' table API
looks the schema up on every call (eight look-ups for one UPDATE of an event).
"""

from __future__ import annotations

import functools
import getpass
import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any


from tracker.db import BUSY_TIMEOUT_MS, StoreError

WRITE_RETRIES = 20


class Busy(StoreError):
    """Another process holds the write lock and the caller asked not to wait."""


def wait_until_writable(path: str, seconds: float) -> bool:
    """Wait (on a connection of its own, so nothing else is held meanwhile) until no
    other process holds the database's write lock; False after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            conn = sqlite3.connect(path, timeout=max(0.05, min(2.0, deadline - time.monotonic())))
            try:
                conn.execute("BEGIN IMMEDIATE")
                conn.rollback()
                return True
            finally:
                conn.close()
        except sqlite3.OperationalError:
            if time.monotonic() >= deadline:
                return False


def now_iso() -> str:
    """UTC timestamp with seconds, the form every created/updated column uses."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def os_user() -> str:
    """Who made a change: the OS user, as a shared host knows them."""
    # getpass reads these variables, then the password database (a file read): asked
    # for every audited change, the answer is kept while they stay the same.
    return _os_user(tuple(os.environ.get(name) for name in ("LOGNAME", "USER", "LNAME", "USERNAME")))


@functools.lru_cache(maxsize=4)
def _os_user(_environment: tuple[str | None, ...]) -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"


class Connection:
    """The database connection every part of the store is handed."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.lock = threading.RLock()
        self._savepoints = 0
        self._no_wait = 0
        self.commits = 0
        """Writes committed on this connection (the app's write queue tells a write
        refused before anything was written from one refused half-way)."""

    def close(self) -> None:
        self.conn.close()

    # -- reading ------------------------------------------------------------------

    def rows(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        with self.lock:
            cursor = self.conn.execute(sql, tuple(params))
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]

    def one(self, sql: str, params: Iterable[Any] = ()) -> dict[str, Any] | None:
        rows = self.rows(sql, params)
        return rows[0] if rows else None

    def data_version(self) -> int:
        """Changes when another connection commits: the app polls it to refresh."""
        with self.lock:
            return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    # -- the write door -----------------------------------------------------------

    @contextmanager
    def write(self, wait: bool = True) -> Iterator[Connection]:
        """The one door for writes: serialised by a lock, all-or-nothing.

        BEGIN IMMEDIATE takes the database's write lock up front, so another process
        writing at the same time makes us wait (busy timeout, then a few retries)
        instead of failing half-way; a write inside a write is a savepoint, so the
        outer one (one imported document, say) commits or rolls back as a whole.
        """
        with self.lock:
            conn = self.conn
            if conn.in_transaction:
                self._savepoints += 1
                name = f"w{self._savepoints}"
                conn.execute(f"SAVEPOINT {name}")
                try:
                    yield self
                except BaseException:
                    if conn.in_transaction:
                        conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                        conn.execute(f"RELEASE SAVEPOINT {name}")
                    raise
                finally:
                    self._savepoints -= 1
                conn.execute(f"RELEASE SAVEPOINT {name}")
                return
            if wait and not self._no_wait:
                self._begin_immediate()
            else:
                self._begin_now()
            try:
                yield self
            except BaseException:
                conn.rollback()
                raise
            try:
                conn.commit()
            except sqlite3.OperationalError as exc:
                conn.rollback()
                raise StoreError(f"database write failed: {exc}") from None
            self.commits += 1

    @contextmanager
    def without_waiting(self) -> Iterator[None]:
        """Writes begun inside take the write lock without waiting: `Busy` at once,
        before anything is written, when another process is writing (the app then
        waits for it off the UI thread and tries again)."""
        with self.lock:
            self._no_wait += 1
            try:
                yield
            finally:
                self._no_wait -= 1

    def _begin_now(self) -> None:
        """BEGIN IMMEDIATE without waiting: Busy when another process is writing."""
        conn = self.conn
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise Busy("another tracker is writing; this change waits its turn") from None
            raise StoreError(f"database write failed: {exc}") from None
        finally:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    def _begin_immediate(self) -> None:
        for attempt in range(WRITE_RETRIES):
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise StoreError(f"database write failed: {exc}") from None
                time.sleep(0.05 * (attempt + 1))
        raise StoreError("the database is busy: another tracker has been writing for too long; try again")

    # -- writing (inside `write()`) -------------------------------------------------

    def execute(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, tuple(params))

    def insert(self, table: str, row: dict[str, Any], *, ignore: bool = False, replace: bool = False) -> int:
        """INSERT one row and return its rowid."""
        columns = ", ".join(f"[{name}]" for name in row)
        marks = ", ".join("?" for _ in row)
        verb = "INSERT OR IGNORE" if ignore else "INSERT OR REPLACE" if replace else "INSERT"
        cursor = self.conn.execute(f"{verb} INTO [{table}] ({columns}) VALUES ({marks})", list(row.values()))
        return int(cursor.lastrowid or 0)

    def insert_many(self, table: str, rows: list[dict[str, Any]], chunk: int = 200) -> list[int]:
        """INSERT rows (all with the same columns) in as few statements as possible and
        return their rowids in the order given.

        Row by row, every insert into a table with an FTS5 trigger writes a new index
        segment at its statement savepoint; one statement for many rows does not.
        Within one statement SQLite hands out rowids in the order of the VALUES (max + 1
        each); RETURNING's own order is not promised, so the ids are sorted.
        """
        ids: list[int] = []
        for begin in range(0, len(rows), chunk):
            part = rows[begin:begin + chunk]
            columns = list(part[0])
            values = ", ".join("(" + ", ".join("?" for _ in columns) + ")" for _ in part)
            params = [row[c] for row in part for c in columns]
            names = ", ".join(f"[{c}]" for c in columns)
            cursor = self.conn.execute(f"INSERT INTO [{table}] ({names}) VALUES {values} RETURNING rowid", params)
            ids += sorted(int(r[0]) for r in cursor.fetchall())
        return ids

    def update(self, table: str, row_id: int, changes: dict[str, Any]) -> int:
        """UPDATE one row by id; returns how many rows changed (0 if it is gone)."""
        sets = ", ".join(f"[{name}] = ?" for name in changes)
        cursor = self.conn.execute(f"UPDATE [{table}] SET {sets} WHERE id = ?", [*changes.values(), row_id])
        return cursor.rowcount

    def audit(
        self,
        action: str,
        event_id: int | None,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        *,
        entity: str = "event",
        entity_id: int | None = None,
        batch: int | None = None,
    ) -> None:
        """Record one change inside the transaction that makes it; changes that share a
        `batch` (a bulk confirm, reject or tag) are undone together."""
        self.insert("audit", {
            "at": now_iso(),
            "user": os_user(),
            "action": action,
            "entity": entity,
            "entity_id": event_id if entity_id is None else entity_id,
            "before": json.dumps(before, ensure_ascii=False) if before is not None else None,
            "after": json.dumps(after, ensure_ascii=False) if after is not None else None,
            "undone": 0,
            "batch": batch,
        })

    def next_batch(self) -> int:
        row = self.conn.execute("SELECT ifnull(max(batch), 0) + 1 FROM audit").fetchone()
        return int(row[0])
