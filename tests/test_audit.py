"""The audit log: every change kept with who and when, undo across restarts, history,
backup while writing, and the health check."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tracker.store import Store, StoreError, os_user


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "a.db"
    store = Store(path)
    case_id = store.ensure_case("Acme v. Widgets")
    store.add_event(case_id, "2021-03-12", "day", "March 12, 2021", "Injunction granted", status="suggested",
                    origin="extracted")
    store.close()
    return path


def test_each_change_is_logged_and_undone_in_reverse_across_restarts(db: Path) -> None:
    store = Store(db)
    (event,) = store.list_events(1)
    store.update_event(event.id, value="2021-03-13", granularity="day", date_text="", title="Injunction")
    store.set_status(event.id, "confirmed")
    store.add_tags(event.id, ["court"])
    store.remove_tags(event.id, ["court"])
    store.delete_event(event.id)
    store.close()
    store = Store(db)  # a restart: undo reads the log in the database
    assert [e.action for e in store.history(event.id)] == ["add", "edit", "confirmed", "tag", "untag", "delete"]
    assert all(e.user == os_user() and e.at for e in store.history(event.id))
    expected = [
        ("delete", None),
        ("untag", ("Injunction", "confirmed", ("court",))),
        ("tag", ("Injunction", "confirmed", ())),
        ("confirmed", ("Injunction", "suggested", ())),
        ("edit", ("Injunction granted", "suggested", ())),
    ]
    for action, _ in expected:
        assert store.undo_last().action == action
    restored = store.get_event(event.id)
    assert (restored.title, restored.date, restored.status, restored.tags) == (
        "Injunction granted", "2021-03-12", "suggested", ())
    store.undo_last()  # undoing the add removes the event
    with pytest.raises(StoreError):
        store.get_event(event.id)
    with pytest.raises(StoreError, match="nothing to undo"):
        store.undo_last()


def test_undo_restores_links_to_sources(tmp_path: Path) -> None:
    from datetime import date

    from tracker.importer import import_paths

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Acme sues\n\nPublished: May 2, 2021\n\nAcme sued Widgets on May 1, 2021.",
                                encoding="utf-8")
    store = Store(tmp_path / "l.db")
    import_paths(store, [docs], today=date(2026, 1, 1))
    (event,) = store.list_events(store.list_cases()[0].id)
    store.delete_event(event.id)
    store.undo_last()
    assert [x.text for x in store.event_excerpts(event.id)] == ["Acme sued Widgets on May 1, 2021."]


def test_history_and_undo_commands(db: Path) -> None:
    assert run_cli(db, "tag", "1", "court").returncode == 0
    history = json.loads(run_cli(db, "history", "1", "--json").stdout)
    assert [h["action"] for h in history] == ["add", "tag"]
    assert history[1]["after"]["tags"] == ["court"]
    table = run_cli(db, "history", "1")
    assert "tags: - → court" in table.stdout
    undone = run_cli(db, "undo")
    assert undone.returncode == 0 and "undid tag (event 1)" in undone.stdout
    assert run_cli(db, "history", "999").returncode == 1


def test_backup_while_another_thread_writes_is_consistent(db: Path, tmp_path: Path) -> None:
    writer = Store(db)
    stop = threading.Event()

    def keep_writing() -> None:
        n = 0
        while not stop.is_set():
            writer.add_event(1, None, "day", "", f"busy {n}")
            n += 1

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        result = run_cli(db, "backup", str(tmp_path / "copy.db"))
    finally:
        stop.set()
        thread.join()
    assert result.returncode == 0, result.stderr
    copy = tmp_path / "copy.db"
    assert copy.stat().st_mode & 0o077 == 0
    assert run_cli(copy, "check").returncode == 0
    assert Store(copy).list_events(1)
    assert run_cli(db, "backup", str(copy)).returncode == 1  # never overwrites


def test_check_finds_damage(db: Path) -> None:
    assert run_cli(db, "check").returncode == 0
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("INSERT INTO event_tags (event_id, tag_id) VALUES (999, 999)")
    conn.execute("UPDATE excerpts SET text = 'tampered'")
    conn.commit()
    conn.close()
    result = run_cli(db, "check", "--json")
    assert result.returncode == 1
    problems = json.loads(result.stdout)["problems"]
    assert any("tag links" in p for p in problems)


def test_undo_answers_what_it_restored_as_a_change(db: Path) -> None:
    """The app's panes apply an undo as they apply any write: the events put back, the
    ids of events it removed, the cases it touched."""
    store = Store(db)
    try:
        (event,) = store.list_events(1)
        store.tag([event.id], add=["urgent"])
        entry, change = store.undo()
        assert entry.action == "tag" and entry.entity_id == event.id
        assert [e.id for e in change.events] == [event.id] and change.events[0].tags == ()
        assert change.cases == (event.case_id,) and not change.removed and change.reorder

        added = store.add_event(event.case_id, "2021-04-01", "day", "April 1, 2021", "Added then undone")
        _, change = store.undo()
        assert change.removed == (added.id,) and not change.events and change.cases == (event.case_id,)

        other = store.ensure_case("Other matter")
        store.move_event(event.id, other)
        _, change = store.undo()
        assert change.events[0].case_id == event.case_id
        assert set(change.cases) == {event.case_id, other}

        store.rename_case(other, "Other matter, renamed")
        entry, change = store.undo()
        assert entry.action == "rename" and change.cases == (other,) and not change.events
        assert store.get_case(other).title == "Other matter"
    finally:
        store.close()
