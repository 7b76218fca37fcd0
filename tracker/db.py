"""Opening a database file and bringing its schema up to date.

Schema changes are numbered sqlite-utils migrations; `PRAGMA user_version` mirrors the
count so that a database written by a newer tracker is refused before anything touches it.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlite_utils
from sqlite_utils import Migrations

BUSY_TIMEOUT_MS = 10_000

migrations = Migrations("tracker")


class StoreError(Exception):
    """A failure the user should read as one line (bad database, missing case, ...)."""


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    """Cases, sources, excerpts, events, tags and their links, with FTS5 indexes."""
    db["cases"].create(
        {"id": int, "title": str, "created_at": str, "updated_at": str, "filed_reason": str},
        pk="id",
        not_null={"title", "created_at", "updated_at"},
    )
    db["cases"].create_index(["title"], unique=True)
    db["sources"].create(
        {
            "id": int,
            "case_id": int,
            "path": str,
            "title": str,
            "sha256": str,
            "text": str,
            "published": str,
            "published_basis": str,
            "imported_at": str,
        },
        pk="id",
        foreign_keys=[("case_id", "cases", "id")],
        not_null={"path", "title", "sha256", "text", "published_basis", "imported_at"},
    )
    db["sources"].create_index(["sha256"], unique=True)
    db["sources"].create_index(["case_id"])
    db["excerpts"].create(
        {"id": int, "source_id": int, "start": int, "end": int, "text": str},
        pk="id",
        foreign_keys=[("source_id", "sources", "id")],
        not_null={"source_id", "start", "end", "text"},
    )
    db["excerpts"].create_index(["source_id", "start", "end"], unique=True)
    db["events"].create(
        {
            "id": int,
            "case_id": int,
            "date": str,
            "granularity": str,
            "sort_date": str,
            "date_text": str,
            "title": str,
            "note": str,
            "status": str,
            "origin": str,
            "conflict": int,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[("case_id", "cases", "id")],
        not_null={"case_id", "granularity", "title", "status", "origin", "created_at", "updated_at"},
        defaults={"date_text": "", "note": "", "conflict": 0},
    )
    db["events"].create_index(["case_id", "sort_date", "id"])
    db["tags"].create({"id": int, "name": str}, pk="id", not_null={"name"})
    db["tags"].create_index(["name"], unique=True)
    db["event_tags"].create(
        {"event_id": int, "tag_id": int},
        pk=("event_id", "tag_id"),
        foreign_keys=[("event_id", "events", "id"), ("tag_id", "tags", "id")],
    )
    db["event_tags"].create_index(["tag_id"])
    db["event_excerpts"].create(
        # Each link keeps the date this passage gives, so sources that disagree on a
        # date keep their own readings and the event can be flagged as conflicting.
        {"event_id": int, "excerpt_id": int, "phrase_start": int, "phrase_end": int,
         "value": str, "granularity": str, "date_text": str},
        pk=("event_id", "excerpt_id"),
        foreign_keys=[("event_id", "events", "id"), ("excerpt_id", "excerpts", "id")],
    )
    db["event_excerpts"].create_index(["excerpt_id"])
    db["events"].enable_fts(["title", "note"], create_triggers=True, tokenize="porter")
    db["excerpts"].enable_fts(["text"], create_triggers=True, tokenize="porter")
    db["sources"].enable_fts(["title", "text"], create_triggers=True, tokenize="porter")


@migrations()
def m002_audit(db: sqlite_utils.Database) -> None:
    """The audit log: who changed what, when, with the state before and after.

    Undo and `tracker history` read it; it is written in the same transaction as the
    change it records, so the log and the data never disagree.
    """
    db["audit"].create(
        {"id": int, "at": str, "user": str, "action": str, "entity": str, "entity_id": int,
         "before": str, "after": str, "undone": int},
        pk="id",
        not_null={"at", "user", "action", "entity"},
        defaults={"undone": 0},
    )
    db["audit"].create_index(["entity", "entity_id"])


@migrations()
def m005_case_facts(db: sqlite_utils.Database) -> None:
    """Why each source is in its case, what each event is (occurred or scheduled), how a
    case got its title, and the facts proposed for a case with the passage behind each."""
    db["sources"].add_column("filed_reason", str)
    db["events"].add_column("kind", str, not_null_default="occurred")
    db["cases"].add_column("title_origin", str, not_null_default="user")
    db["case_facts"].create(
        {"id": int, "case_id": int, "field": str, "value": str, "source_id": int, "start": int, "end": int,
         "origin": str, "created_at": str},
        pk="id",
        foreign_keys=[("case_id", "cases", "id"), ("source_id", "sources", "id")],
        not_null={"case_id", "field", "value", "origin", "created_at"},
    )
    db["case_facts"].create_index(["case_id", "field"])
    db["events"].create_index(["kind", "sort_date"])


SCHEMA_VERSION = len(migrations._migrations)


def connect(path: Path) -> sqlite_utils.Database:
    """Open (creating if needed) and migrate the database at `path`.

    The connection may be used from worker threads (`check_same_thread=False`); the
    store serialises writes itself. WAL and a busy timeout let a second process read
    and write the same file.
    """
    path = Path(path)
    if path.exists() and path.is_dir():
        raise StoreError(f"{path} is a directory, not a database file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            # Created readable by the owner only: case notes are often confidential.
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        conn = sqlite3.connect(str(path), check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
    except OSError as exc:
        raise StoreError(f"cannot open database {path}: {exc.strerror or exc}") from None
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open database {path}: {exc}") from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            conn.close()
            raise StoreError(
                f"{path} was written by a newer tracker (schema {version}; this one knows "
                f"{SCHEMA_VERSION}); upgrade tracker to open it"
            )
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        db = sqlite_utils.Database(conn)
        if version < SCHEMA_VERSION:
            migrations.apply(db)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{path} is not a usable tracker database: {exc}") from None
    return db
