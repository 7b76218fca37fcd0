"""Opening a database file and bringing its schema up to date.

Schema changes are numbered sqlite-utils migrations; `PRAGMA user_version` mirrors the
count so that a database written by a newer tracker is refused before anything touches it.
Opening a database whose schema is current reads that version and nothing else, so
sqlite-utils (slow to import) loads only when a migration has to run.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.models import StoreError

if TYPE_CHECKING:
    import sqlite_utils
    from sqlite_utils import Migrations

BUSY_TIMEOUT_MS = 10_000
MIGRATIONS_TABLE = "_sqlite_migrations"
"""Where sqlite-utils records the migrations applied (its Migrations.migrations_table)."""

Migration = Callable[["sqlite_utils.Database"], None]
_STEPS: list[Migration] = []


def _migration(step: Migration) -> Migration:
    """Register a schema step under its function name, in the order of this file."""
    _STEPS.append(step)
    return step


@functools.cache
def _migration_set() -> Migrations:
    from sqlite_utils import Migrations

    found = Migrations("tracker")
    for step in _STEPS:
        found()(step)
    return found


def __getattr__(name: str) -> Any:
    """`migrations`, the sqlite-utils set of the steps below, is built on first use."""
    if name == "migrations":
        return _migration_set()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# StoreError lives with the boundary types (every layer catches it); db re-exports it.


@_migration
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


@_migration
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


@_migration
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


# Kept per-case counts: the case list shows them for every visible row on
# every frame, so they are maintained by triggers on each write instead of counted from
# a million events. `events` counts every event of the case (the timeline's rows),
# `live` those not rejected (the case list's count), `latest_date` is the date of the
# newest dated, non-rejected event (found through events(case_id, sort_date, id)).
# No OR IGNORE in the triggers: a statement's own conflict policy overrides a trigger's,
# so `INSERT OR REPLACE INTO events` (undo) would turn it into a REPLACE that zeroes the
# case's row; the stats row is created only where it is missing instead.
_LATEST = (
    "(SELECT e.date FROM events e WHERE e.case_id = {case} AND e.status != 'rejected' "
    "AND e.sort_date IS NOT NULL ORDER BY e.sort_date DESC, e.id DESC LIMIT 1)"
)
CASE_STATS_TRIGGERS = {
    "case_stats_case_ai": """
        CREATE TRIGGER case_stats_case_ai AFTER INSERT ON cases BEGIN
          INSERT INTO case_stats(case_id) SELECT new.id
            WHERE NOT EXISTS (SELECT 1 FROM case_stats WHERE case_id = new.id);
        END""",
    "case_stats_case_ad": """
        CREATE TRIGGER case_stats_case_ad AFTER DELETE ON cases BEGIN
          DELETE FROM case_stats WHERE case_id = old.id;
        END""",
    "case_stats_event_ai": f"""
        CREATE TRIGGER case_stats_event_ai AFTER INSERT ON events BEGIN
          INSERT INTO case_stats(case_id) SELECT new.case_id
            WHERE NOT EXISTS (SELECT 1 FROM case_stats WHERE case_id = new.case_id);
          UPDATE case_stats SET events = events + 1, live = live + (new.status != 'rejected')
            WHERE case_id = new.case_id;
          UPDATE case_stats SET latest_date = {_LATEST.format(case="new.case_id")}
            WHERE case_id = new.case_id AND new.status != 'rejected' AND new.sort_date IS NOT NULL;
        END""",
    "case_stats_event_ad": f"""
        CREATE TRIGGER case_stats_event_ad AFTER DELETE ON events BEGIN
          UPDATE case_stats SET events = events - 1, live = live - (old.status != 'rejected'),
            latest_date = {_LATEST.format(case="old.case_id")}
            WHERE case_id = old.case_id;
        END""",
    "case_stats_event_au": f"""
        CREATE TRIGGER case_stats_event_au AFTER UPDATE OF case_id, status, sort_date, date ON events BEGIN
          INSERT INTO case_stats(case_id) SELECT new.case_id
            WHERE NOT EXISTS (SELECT 1 FROM case_stats WHERE case_id = new.case_id);
          UPDATE case_stats SET events = events - 1, live = live - (old.status != 'rejected')
            WHERE case_id = old.case_id;
          UPDATE case_stats SET events = events + 1, live = live + (new.status != 'rejected')
            WHERE case_id = new.case_id;
          UPDATE case_stats SET latest_date = {_LATEST.format(case="old.case_id")} WHERE case_id = old.case_id;
          UPDATE case_stats SET latest_date = {_LATEST.format(case="new.case_id")}
            WHERE case_id = new.case_id AND new.case_id != old.case_id;
        END""",
    "case_stats_source_ai": """
        CREATE TRIGGER case_stats_source_ai AFTER INSERT ON sources WHEN new.case_id IS NOT NULL BEGIN
          INSERT INTO case_stats(case_id) SELECT new.case_id
            WHERE NOT EXISTS (SELECT 1 FROM case_stats WHERE case_id = new.case_id);
          UPDATE case_stats SET sources = sources + 1 WHERE case_id = new.case_id;
        END""",
    "case_stats_source_ad": """
        CREATE TRIGGER case_stats_source_ad AFTER DELETE ON sources WHEN old.case_id IS NOT NULL BEGIN
          UPDATE case_stats SET sources = sources - 1 WHERE case_id = old.case_id;
        END""",
    "case_stats_source_au": """
        CREATE TRIGGER case_stats_source_au AFTER UPDATE OF case_id ON sources BEGIN
          INSERT INTO case_stats(case_id) SELECT new.case_id
            WHERE new.case_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM case_stats WHERE case_id = new.case_id);
          UPDATE case_stats SET sources = sources - 1 WHERE case_id = old.case_id;
          UPDATE case_stats SET sources = sources + 1 WHERE case_id = new.case_id;
        END""",
}
FTS_COLUMNS = {"events": '"title", "note"', "excerpts": '"text"', "sources": '"title", "text"'}
CASE_STATS_REBUILD = f"""
    INSERT OR REPLACE INTO case_stats(case_id, events, live, sources, latest_date)
    SELECT c.id,
      (SELECT count(*) FROM events e WHERE e.case_id = c.id),
      (SELECT count(*) FROM events e WHERE e.case_id = c.id AND e.status != 'rejected'),
      (SELECT count(*) FROM sources s WHERE s.case_id = c.id),
      {_LATEST.format(case="c.id")}
    FROM cases c
"""


@_migration
def m004_scale(db: sqlite_utils.Database) -> None:
    """Indexes that fit the paged queries of the app, and kept per-case counts.

    - events(case_id, ifnull(sort_date, '~'), id): the timeline order (dated events by
      date, undated last, ties by id) as one index, so a page, a keyset step and a row's
      position are range scans of it ('~' sorts after every ISO date).
    - cases(title COLLATE NOCASE, id): the case list order.
    - case_stats, kept by triggers (see CASE_STATS_TRIGGERS).
    - the FTS5 indexes rebuilt with prefix indexes for one and two characters: the
      search matches the last word typed as a prefix, and "a*" without one merges the
      postings of every word starting with a (150 ms per index on a million events).
      Same columns, tokenizer and content tables as m001, so m001's triggers keep them.
    """
    for table, columns in FTS_COLUMNS.items():
        fts = f"{table}_fts"
        db.execute(f"DROP TABLE IF EXISTS {fts}")
        db.execute(
            f"CREATE VIRTUAL TABLE {fts} USING FTS5 ({columns}, tokenize='porter', content=\"{table}\", prefix='1 2')"
        )
        db.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
    db.execute("CREATE INDEX IF NOT EXISTS events_timeline ON events(case_id, ifnull(sort_date, '~'), id)")
    db.execute("CREATE INDEX IF NOT EXISTS cases_title_nocase ON cases(title COLLATE NOCASE, id)")
    db.execute(
        "CREATE TABLE IF NOT EXISTS case_stats (case_id INTEGER PRIMARY KEY, events INTEGER NOT NULL DEFAULT 0, "
        "live INTEGER NOT NULL DEFAULT 0, sources INTEGER NOT NULL DEFAULT 0, latest_date TEXT)"
    )
    for sql in CASE_STATS_TRIGGERS.values():
        db.execute(sql)
    db.execute(CASE_STATS_REBUILD)


@_migration
def m006_views(db: sqlite_utils.Database) -> None:
    """Flat views for sqlite-utils, Datasette and spreadsheets: one row an event, with its
    case, tags and sources joined, so a newsroom can browse the file read-only."""
    db.create_view(
        "event_list",
        """
        SELECT e.id, c.title AS case_title, e.date, e.granularity, e.kind, e.status, e.origin, e.title,
          e.date_text, e.conflict,
          (SELECT group_concat(name, '; ') FROM (SELECT t.name FROM event_tags et JOIN tags t ON t.id = et.tag_id
             WHERE et.event_id = e.id ORDER BY t.name)) AS tags,
          (SELECT count(DISTINCT x.source_id) FROM event_excerpts l JOIN excerpts x ON x.id = l.excerpt_id
             WHERE l.event_id = e.id) AS sources,
          (SELECT group_concat(DISTINCT s.title) FROM event_excerpts l JOIN excerpts x ON x.id = l.excerpt_id
             JOIN sources s ON s.id = x.source_id WHERE l.event_id = e.id) AS source_titles
        FROM events e JOIN cases c ON c.id = e.case_id
        """,
    )
    db.create_view(
        "case_list",
        """
        SELECT c.id, c.title,
          (SELECT count(*) FROM events e WHERE e.case_id = c.id AND e.status != 'rejected') AS events,
          (SELECT count(*) FROM sources s WHERE s.case_id = c.id) AS sources,
          (SELECT min(e.sort_date) FROM events e WHERE e.case_id = c.id) AS first_date,
          (SELECT max(e.sort_date) FROM events e WHERE e.case_id = c.id) AS last_date
        FROM cases c
        """,
    )


@_migration
def m007_source_url(db: sqlite_utils.Database) -> None:
    """Where a source was published (front matter `url:`, a page's canonical URL), so a
    brief can cite it; `path` keeps where the file was read from."""
    db["sources"].add_column("url", str)



# What each case is about, kept for filing: the names and docket numbers of
# its stories (cases.Profile summed over its sources). Filing a story compares it with
# every case; reading every source to profile them took minutes on 200,000 sources.
# A story's terms are added as it is stored; a source leaving or joining a case by hand
# (move, merge, delete) marks the case's profile stale, and the next filing rebuilds it
# from that case's sources only.
CASE_TERMS_TRIGGERS = {
    "case_terms_source_au": """
        CREATE TRIGGER case_terms_source_au AFTER UPDATE OF case_id ON sources
        WHEN old.case_id IS NOT new.case_id BEGIN
          UPDATE case_profiles SET stale = 1 WHERE case_id IN (old.case_id, new.case_id);
        END""",
    "case_terms_source_ad": """
        CREATE TRIGGER case_terms_source_ad AFTER DELETE ON sources BEGIN
          UPDATE case_profiles SET stale = 1 WHERE case_id = old.case_id;
        END""",
    "case_terms_case_ad": """
        CREATE TRIGGER case_terms_case_ad AFTER DELETE ON cases BEGIN
          DELETE FROM case_terms WHERE case_id = old.id;
          DELETE FROM case_profiles WHERE case_id = old.id;
        END""",
}


@_migration
def m009_case_terms(db: sqlite_utils.Database) -> None:
    """case_terms(case_id, kind, key, weight, display): kind is name, docket or judge;
    case_profiles(case_id, top, stale): the sum of the 12 heaviest name weights (what a
    story's overlap is measured against) and whether the terms must be rebuilt. Cases of
    an older database have no row yet and are profiled at the next filing import."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS case_terms (case_id INTEGER NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, "
        "weight REAL NOT NULL DEFAULT 0, display TEXT, PRIMARY KEY (case_id, kind, key)) WITHOUT ROWID"
    )
    db.execute("CREATE INDEX IF NOT EXISTS case_terms_key ON case_terms(kind, key, case_id)")
    db.execute(
        "CREATE TABLE IF NOT EXISTS case_profiles (case_id INTEGER PRIMARY KEY, top REAL NOT NULL DEFAULT 0, "
        "stale INTEGER NOT NULL DEFAULT 0)"
    )
    for sql in CASE_TERMS_TRIGGERS.values():
        db.execute(sql)


# Kept review counts and span: the case list shows "3 sugg · 5 conf" and the
# first–last event dates of every visible case. Separate triggers from m004's (which stay
# as they were written): each creates the case's stats row if missing, because SQLite
# does not promise which of two triggers on the same statement fires first.
# `first_date` is the date of the oldest dated, non-rejected event (the span's start;
# `latest_date` is its end), found through events(case_id, sort_date, id).
_FIRST = (
    "(SELECT e.date FROM events e WHERE e.case_id = {case} AND e.status != 'rejected' "
    "AND e.sort_date IS NOT NULL ORDER BY e.sort_date, e.id LIMIT 1)"
)
_ENSURE_STATS = (
    "INSERT INTO case_stats(case_id) SELECT {case} "
    "WHERE {case} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM case_stats WHERE case_id = {case});"
)


def _status_delta(row: str, sign: str) -> str:
    return ", ".join(f"{s} = {s} {sign} ({row}.status = '{s}')" for s in ("suggested", "confirmed", "rejected"))


REVIEW_STATS_TRIGGERS = {
    "case_stats_review_ai": f"""
        CREATE TRIGGER case_stats_review_ai AFTER INSERT ON events BEGIN
          {_ENSURE_STATS.format(case="new.case_id")}
          UPDATE case_stats SET {_status_delta("new", "+")} WHERE case_id = new.case_id;
          UPDATE case_stats SET first_date = {_FIRST.format(case="new.case_id")}
            WHERE case_id = new.case_id AND new.status != 'rejected' AND new.sort_date IS NOT NULL;
        END""",
    "case_stats_review_ad": f"""
        CREATE TRIGGER case_stats_review_ad AFTER DELETE ON events BEGIN
          UPDATE case_stats SET {_status_delta("old", "-")}, first_date = {_FIRST.format(case="old.case_id")}
            WHERE case_id = old.case_id;
        END""",
    "case_stats_review_au": f"""
        CREATE TRIGGER case_stats_review_au AFTER UPDATE OF case_id, status, sort_date, date ON events BEGIN
          {_ENSURE_STATS.format(case="new.case_id")}
          UPDATE case_stats SET {_status_delta("old", "-")} WHERE case_id = old.case_id;
          UPDATE case_stats SET {_status_delta("new", "+")} WHERE case_id = new.case_id;
          UPDATE case_stats SET first_date = {_FIRST.format(case="old.case_id")} WHERE case_id = old.case_id;
          UPDATE case_stats SET first_date = {_FIRST.format(case="new.case_id")}
            WHERE case_id = new.case_id AND new.case_id != old.case_id;
        END""",
}
# Fills the review columns of rows CASE_STATS_REBUILD has just (re)made; run after it.
REVIEW_STATS_REBUILD = f"""
    UPDATE case_stats SET
      suggested = (SELECT count(*) FROM events e WHERE e.case_id = case_stats.case_id AND e.status = 'suggested'),
      confirmed = (SELECT count(*) FROM events e WHERE e.case_id = case_stats.case_id AND e.status = 'confirmed'),
      rejected = (SELECT count(*) FROM events e WHERE e.case_id = case_stats.case_id AND e.status = 'rejected'),
      first_date = {_FIRST.format(case="case_stats.case_id")}
"""


@_migration
def m007_review(db: sqlite_utils.Database) -> None:
    """The review flow: per-status counts and the first event date kept in
    case_stats (by REVIEW_STATS_TRIGGERS), an index that pages one status of a case in
    timeline order, and a batch number in the audit log so one undo reverts a bulk
    confirm, reject or tag as a whole."""
    for column in ("suggested", "confirmed", "rejected"):
        db.execute(f"ALTER TABLE case_stats ADD COLUMN {column} INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE case_stats ADD COLUMN first_date TEXT")
    db.execute(
        "CREATE INDEX IF NOT EXISTS events_status_timeline ON events(case_id, status, ifnull(sort_date, '~'), id)"
    )
    db.execute("ALTER TABLE audit ADD COLUMN batch INTEGER")
    db.execute("CREATE INDEX IF NOT EXISTS audit_batch ON audit(batch)")
    for sql in REVIEW_STATS_TRIGGERS.values():
        db.execute(sql)
    db.execute(REVIEW_STATS_REBUILD)


@_migration
def m008_case_state(db: sqlite_utils.Database) -> None:
    """Whether a case is open or closed: a closed case stays searchable and
    keeps its place in the title order (so paging stays on cases_title_nocase), and
    the case list shows it dimmed."""
    db["cases"].add_column("state", str, not_null_default="open")


@_migration
def m008_case_strip(db: sqlite_utils.Database) -> None:
    """The case strip counts a case's events per day and status on every case
    change; with status in the index that is an index-only range scan (15 ms for 100k
    events instead of 110 ms reading every row)."""
    db.execute("CREATE INDEX IF NOT EXISTS events_strip ON events(case_id, sort_date, status)")


@_migration
def m010_source_outlet(db: sqlite_utils.Database) -> None:
    """Who published a source (a newspaper, a wire), set by hand when the import could
    not tell; shown in the reader and the brief. The column is added only where it is
    missing: a migration record lost (a copy restored from before it was written) must
    not stop the database from opening."""
    if "outlet" not in db["sources"].columns_dict:
        db["sources"].add_column("outlet", str)


@_migration
def m011_fts_automerge(db: sqlite_utils.Database) -> None:
    """The full-text indexes merge their segments eight at a time instead of FTS5's
    four. Each imported document adds a small segment to each index; at four, the
    merges reached the big segments of a large database every few documents and
    rewrote their pages (commit and index writes 18 ms a document on a million events,
    7.7 ms at eight, measured by replaying an import's rows). Searches read a few more
    small segments. The setting is kept in each index's own config table, so a rebuild
    keeps it."""
    for fts in ("events_fts", "excerpts_fts", "sources_fts"):
        db.execute(f"INSERT INTO {fts}({fts}, rank) VALUES ('automerge', 8)")


@_migration
def m012_case_terms_weight(db: sqlite_utils.Database) -> None:
    """The filing query sums, for each case sharing a story's names, the weights of the
    shared names: an index holding the weight too answers it from the index alone, where
    case_terms_key sent every matching row back to the table for its weight (11.6 to
    4.0 ms for a story whose names recur in 2,400 cases of the million-event database).
    case_terms_key stays: other queries and tools may name it."""
    db.execute("CREATE INDEX IF NOT EXISTS case_terms_weight ON case_terms(kind, key, case_id, weight)")


# The full-text tables' update triggers, as sqlite-utils writes them but firing only when
# an indexed column (or the row's id) changes.
FTS_UPDATE_TRIGGERS = {
    "events": ("title", "note"),
    "excerpts": ("text",),
    "sources": ("title", "text"),
}


def _fts_update_trigger(table: str, columns: tuple[str, ...]) -> str:
    old = ", ".join(f'old."{c}"' for c in columns)
    new = ", ".join(f'new."{c}"' for c in columns)
    names = ", ".join(f'"{c}"' for c in columns)
    return (
        f'CREATE TRIGGER "{table}_au" AFTER UPDATE OF id, {", ".join(columns)} ON "{table}" BEGIN\n'
        f'  INSERT INTO "{table}_fts" ("{table}_fts", rowid, {names}) VALUES(\'delete\', old.rowid, {old});\n'
        f'  INSERT INTO "{table}_fts" (rowid, {names}) VALUES (new.rowid, {new});\n'
        "END"
    )


@_migration
def m013_fts_update_triggers(db: sqlite_utils.Database) -> None:
    """A row's full-text entry is rewritten only when what is indexed changes.

    sqlite-utils' update triggers fire on any UPDATE: confirming an event, stamping it
    as restated by a new story, or moving a source to another case deleted and re-added
    the row's whole text in the index (a source's is the whole article). On a million
    events the importer's restatement stamps alone cost 0.6 ms a document, and each
    rewrite adds index pages that later merges copy again."""
    for table, columns in FTS_UPDATE_TRIGGERS.items():
        db.execute(f'DROP TRIGGER IF EXISTS "{table}_au"')
        db.execute(_fts_update_trigger(table, columns))


@_migration
def m014_case_profiles_top(db: sqlite_utils.Database) -> None:
    """Filing a story asks for the smallest `top` among current profiles (what a
    story's common names are measured against); an index answers it at once where the
    table was scanned, 0.6 ms a document with 5,000 cases."""
    db.execute("CREATE INDEX IF NOT EXISTS case_profiles_top ON case_profiles(stale, top)")


SCHEMA_VERSION = len(_STEPS)


def connect(path: Path, *, create: bool = True) -> sqlite3.Connection:
    """Open (creating if needed, unless `create` is False) and migrate the database at `path`.

    The connection may be used from worker threads (`check_same_thread=False`); the
    store serialises writes itself. WAL and a busy timeout let a second process read
    and write the same file.

    Refused untouched: a missing file when `create` is False, a file written by a newer
    tracker, and a SQLite file of another program (tables, but none of tracker's).
    Several processes may open a new or older database at once: the migration runs
    inside BEGIN IMMEDIATE after reading user_version again, so exactly one of them
    migrates and the others find it done.
    """
    path = Path(path)
    if path.exists() and path.is_dir():
        raise StoreError(f"{path} is a directory, not a database file")
    if not create and not path.exists():
        raise StoreError(f"{path}: no such database file")
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
        version = _check_version(conn, path)
        _refuse_foreign(conn, path)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA cache_size = -32768")
        # As sqlite-utils sets it on every connection it wraps (the store's always was):
        # a REPLACE fires the delete triggers that keep the indexes and counts.
        conn.execute("PRAGMA recursive_triggers = ON")
        if version < SCHEMA_VERSION:
            _migrate(conn, path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{path} is not a usable tracker database: {exc}") from None
    except StoreError:
        conn.close()
        raise
    return conn


def _check_version(conn: sqlite3.Connection, path: Path) -> int:
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer tracker (schema {version}; this one knows "
            f"{SCHEMA_VERSION}); upgrade tracker to open it"
        )
    return version


def _refuse_foreign(conn: sqlite3.Connection, path: Path) -> None:
    """A SQLite file that holds tables but neither tracker's migrations nor its cases
    belongs to another program: it is not converted."""
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if names and not names & {MIGRATIONS_TABLE, "cases"}:
        raise StoreError(f"{path} is a SQLite database of another program (no tracker tables); "
                         "it was left untouched")


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Bring the schema up to date in one write transaction; the version is read again
    once the write lock is held, so a process that lost the race finds the work done."""
    for attempt in range(50):
        try:
            conn.execute("BEGIN IMMEDIATE")
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            time.sleep(0.05 * (attempt + 1))
    else:
        raise StoreError(f"{path}: the database is busy; another tracker is upgrading it, try again")
    try:
        version = _check_version(conn, path)
        if version < SCHEMA_VERSION:
            import sqlite_utils

            _migration_set().apply(sqlite_utils.Database(conn))
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.rollback()
        raise
