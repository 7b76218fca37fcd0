"""Opening databases written by other schema versions."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from tracker.db import SCHEMA_VERSION, StoreError
from tracker.store import Store

FIXTURE = Path(__file__).parent / "fixtures" / "schema_v1.db"


def test_schema_v1_fixture_migrates_without_loss(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    shutil.copy(FIXTURE, db)
    store = Store(db)
    assert sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    (case,) = store.list_cases()
    (event,) = store.list_events(case.id)
    assert (case.title, event.date, event.title, event.tags, event.status) == (
        "Acme v. Widgets", "2021-03-03", "Acme sued Widgets", ("filing",), "confirmed")
    (excerpt,) = store.event_excerpts(event.id)
    assert excerpt.text[excerpt.phrase_start:excerpt.phrase_end] == "March 3, 2021"
    assert [h.event_id for h in store.search("sued") if h.kind == "event"] == [event.id]
    store.set_status(event.id, "rejected")  # the new audit log works on old data
    assert [e.action for e in store.history(event.id)] == ["rejected"]
    store.undo_last()
    assert store.get_event(event.id).status == "confirmed"
    assert store.check() == []


def test_migrating_twice_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "twice.db"
    shutil.copy(FIXTURE, db)
    Store(db).close()
    before = sqlite3.connect(db).execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
    Store(db).close()
    assert sqlite3.connect(db).execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == before


def test_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    db = tmp_path / "future.db"
    shutil.copy(FIXTURE, db)
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = db.read_bytes()
    with pytest.raises(StoreError, match="newer tracker"):
        Store(db)
    assert db.read_bytes() == before


def test_not_a_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "notes.db"
    db.write_text("just some notes", encoding="utf-8")
    with pytest.raises(StoreError, match="not a usable tracker database"):
        Store(db)
    assert db.read_text(encoding="utf-8") == "just some notes"


def test_full_text_indexes_merge_eight_segments_at_a_time_new_or_migrated(tmp_path: Path) -> None:
    """Each imported document adds a segment to each full-text index; merging eight
    at a time keeps the merges off a large index's big segments most of the time."""
    old = tmp_path / "old.db"
    shutil.copy(FIXTURE, old)
    for path in (tmp_path / "new.db", old):
        Store(path).close()
        with sqlite3.connect(path) as conn:
            for fts in ("events_fts", "excerpts_fts", "sources_fts"):
                assert conn.execute(f"SELECT v FROM {fts}_config WHERE k = 'automerge'").fetchone() == (8,)


def _index_pages(conn: sqlite3.Connection, fts: str) -> tuple[int, int]:
    return conn.execute(f"SELECT count(*), sum(length(block)) FROM {fts}_data").fetchone()


def test_full_text_entries_are_rewritten_only_when_indexed_text_changes(tmp_path: Path) -> None:
    """Reviewing an event or moving a source leaves the search indexes as they were;
    editing a title re-indexes it (the old words no longer find it, the new ones do)."""
    db = tmp_path / "old.db"
    shutil.copy(FIXTURE, db)
    store = Store(db)
    (case,) = store.list_cases()
    (event,) = store.list_events(case.id)
    source_id = store.event_excerpts(event.id)[0].source_id
    other = store.ensure_case("Elsewhere")
    with sqlite3.connect(db) as conn:
        before = {fts: _index_pages(conn, fts) for fts in ("events_fts", "sources_fts")}
    store.set_status(event.id, "rejected")
    store.move_source(source_id, other)
    with sqlite3.connect(db) as conn:
        assert {fts: _index_pages(conn, fts) for fts in ("events_fts", "sources_fts")} == before
    moved = store.get_event(event.id)
    store.update_event(moved.id, value=moved.date, granularity=moved.granularity, date_text=moved.date_text,
                       title="Acme appealed the ruling")
    assert [h.event_id for h in store.search("appealed") if h.kind == "event"] == [moved.id]
    assert [h for h in store.search("sued") if h.kind == "event"] == []
    store.close()
    with sqlite3.connect(db) as conn:
        for fts in ("events_fts", "excerpts_fts", "sources_fts"):
            conn.execute(f"INSERT INTO {fts}({fts}, rank) VALUES ('integrity-check', 1)")
        triggers = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall())
    assert "AFTER UPDATE OF id, title, note ON" in triggers["events_au"]
    assert "AFTER UPDATE OF id, title, text ON" in triggers["sources_au"]
    assert "AFTER UPDATE OF id, text ON" in triggers["excerpts_au"]
