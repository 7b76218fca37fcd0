"""The store on a real SQLite file in a temp directory."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tracker.db import SCHEMA_VERSION
from tracker.importer import import_paths
from tracker.store import Store, StoreError


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "s.db")


def write_stories(folder: Path, texts: dict[str, str]) -> None:
    """A folder of stories: each file name with its text."""
    folder.mkdir()
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")


def test_new_database_is_versioned_wal_and_private(store: Store) -> None:
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"cases", "sources", "excerpts", "events", "tags", "event_tags", "event_excerpts",
            "events_fts", "excerpts_fts", "sources_fts"} <= tables
    assert store.path.stat().st_mode & 0o077 == 0


def test_reopening_keeps_data(tmp_path: Path) -> None:
    first = Store(tmp_path / "r.db")
    case_id = first.ensure_case("A v. B")
    first.add_event(case_id, "2021-03", "month", "March 2021", "Filed")
    first.close()
    again = Store(tmp_path / "r.db")
    assert [e.title for e in again.list_events(case_id)] == ["Filed"]


def test_a_read_only_store_reads_one_state_and_writes_nothing(tmp_path: Path) -> None:
    """A reader process's store: it sees what was committed when its read began, however
    many commits follow within it, and any write it tries is refused untouched."""
    writer = Store(tmp_path / "r.db")
    writer.ensure_case("A v. B")
    reader = Store.read_only(tmp_path / "r.db")
    try:
        with reader.one_state():
            assert [c.title for c in reader.list_cases()] == ["A v. B"]
            writer.ensure_case("C v. D")
            assert [c.title for c in reader.list_cases()] == ["A v. B"]
        assert {c.title for c in reader.list_cases()} == {"A v. B", "C v. D"}
        with pytest.raises((StoreError, sqlite3.Error)):
            reader.ensure_case("E v. F")
    finally:
        reader.close()
    assert {c.title for c in writer.list_cases()} == {"A v. B", "C v. D"}
    writer.close()


def test_events_sort_by_period_start_with_undated_last(store: Store) -> None:
    case_id = store.ensure_case("Case")
    store.add_event(case_id, None, "day", "", "Undated")
    store.add_event(case_id, "2021", "year", "2021", "Year")
    store.add_event(case_id, "2021-03-12", "day", "", "Day")
    store.add_event(case_id, "2021-Q1", "quarter", "", "Quarter")
    assert [e.title for e in store.list_events(case_id)] == ["Year", "Quarter", "Day", "Undated"]


def test_status_tags_delete(store: Store) -> None:
    case_id = store.ensure_case("Case")
    event = store.add_event(case_id, "2021-03-12", "day", "", "E", status="suggested", origin="extracted")
    store.set_status(event.id, "confirmed")
    store.add_tags(event.id, ["court", "key"])
    store.remove_tags(event.id, ["key"])
    updated = store.get_event(event.id)
    assert (updated.status, updated.tags) == ("confirmed", ("court",))
    store.delete_event(event.id)
    with pytest.raises(StoreError):
        store.get_event(event.id)


def test_bad_values_raise_store_errors(store: Store) -> None:
    case_id = store.ensure_case("Case")
    with pytest.raises(StoreError):
        store.add_event(case_id, None, "day", "", "   ")
    event = store.add_event(case_id, None, "day", "", "ok")
    with pytest.raises(StoreError):
        store.add_tags(event.id, [""])
    with pytest.raises(StoreError):
        store.set_status(event.id, "maybe")


def test_import_merges_restatements_across_sources(store: Store, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write_stories(docs, {
        "a.txt": "Judge blocks Acme ban\n\nA federal judge on Friday (March 12, 2021) blocked the Acme Widgets ban, "
                 "ruling that the agency acted arbitrarily.\n",
        "b.txt": "Acme Widgets wins round\n\nPublished: April 2, 2021\n\nOn March 12, 2021, the court blocked the "
                 "agency's ban on Acme Widgets. Acme Widgets said it was pleased.\n",
    })
    report = import_paths(store, [docs], today=date(2026, 1, 1))
    assert len(report.imported) == 2 and report.failed == []
    (case,) = store.list_cases()
    events = store.list_events(case.id)
    assert [(e.date, e.source_count) for e in events] == [("2021-03-12", 2)]
    excerpts = store.event_excerpts(events[0].id)
    assert {x.source_title for x in excerpts} == {"Judge blocks Acme ban", "Acme Widgets wins round"}
    for x in excerpts:
        assert x.phrase_start is not None and x.text[x.phrase_start:x.phrase_end].startswith(("Friday", "March 12"))


def test_search_marks_matches_and_tolerates_syntax(store: Store) -> None:
    case_id = store.ensure_case("Case")
    store.add_event(case_id, None, "day", "", "Injunction granted")
    (hit,) = store.search("injunction")
    assert "\x02Injunction\x03" in hit.snippet
    assert store.search('"unbalanced AND (') == []


def _court_stories(store: Store, folder: Path) -> None:
    """Stories whose events, excerpts and sources all say "court" (three kinds of hits)."""
    folder.mkdir()
    for i in range(6):
        (folder / f"{i}.txt").write_text(
            f"Court rules for Acme, part {i}\n\nPublished: April {i + 2}, 2021\n\nOn March {i + 1}, 2021, the court "
            f"blocked the agency's ban on Acme Widgets in courtroom {i}. Acme Widgets said the court was right.\n",
            encoding="utf-8")
    import_paths(store, [folder], today=date(2026, 1, 1), jobs=1)


def test_on_a_large_database_search_asks_a_second_connection_and_finds_the_same(store: Store,
                                                                               tmp_path: Path) -> None:
    """The excerpts asked beside, on a connection of their own, give the hits one
    connection gives; the second connection is closed with the store."""
    _court_stories(store, tmp_path / "court")
    alone = {q: store.search(q) for q in ("court", "acme widgets", "cour", "blocked")}
    assert {h.kind for h in alone["court"]} == {"event", "excerpt", "source"}
    store.search_index.BESIDE_MIN_BYTES = 0  # type: ignore[misc]
    beside = {q: store.search(q) for q in alone}
    assert beside == alone
    assert store.search_index._beside is not None  # it was asked
    store.close()
    assert store.search_index._beside is None


def test_search_inside_a_read_transaction_asks_its_own_connection_only(store: Store, tmp_path: Path) -> None:
    """Inside a transaction of the store's connection (one state read, or a write whose
    changes only it sees) every kind is asked there."""
    _court_stories(store, tmp_path / "court")
    store.search_index.BESIDE_MIN_BYTES = 0  # type: ignore[misc]
    with store.one_state():
        hits = store.search("court")
    assert hits and store.search_index._beside is None


def test_a_failure_on_the_second_connection_is_the_search_s_failure(store: Store, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    _court_stories(store, tmp_path / "court")
    search = store.search_index
    search.BESIDE_MIN_BYTES = 0  # type: ignore[misc]
    ranked = search._ranked

    def broken(db, *args):  # type: ignore[no-untyped-def]
        if db is not search.db:
            raise StoreError("the second connection broke")
        return ranked(db, *args)

    monkeypatch.setattr(search, "_ranked", broken)
    with pytest.raises(StoreError, match="second connection broke"):
        store.search("court")


def test_an_undated_story_imported_first_is_dated_when_its_case_gets_dates(store: Store, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "undated.txt").write_text(
        "Acme Widgets trial set\n\nA Delaware judge on Tuesday ordered a five-day expedited trial over the Acme "
        "Widgets warehouse contract. Acme Widgets said it was pleased.\n", encoding="utf-8")
    (second / "dated.txt").write_text(
        "Acme Widgets case timeline\n\nPublished: April 1, 2022\n\nOn March 8, 2022, the judge ordered a five-day "
        "expedited trial over the Acme Widgets warehouse contract. Acme Widgets had sued on Feb. 14, 2022.\n",
        encoding="utf-8")
    import_paths(store, [first], today=date(2026, 1, 1))
    (case,) = store.list_cases()
    assert [e.date for e in store.list_events(case.id)] == [None]
    import_paths(store, [second], today=date(2026, 1, 1))
    undated = next(s for s in store.case_sources(case.id) if s.path.endswith("undated.txt"))
    assert (undated.published, undated.published_basis) == ("2022-03-08", "case-context")
    events = store.list_events(case.id)
    assert [(e.date, e.source_count) for e in events] == [("2022-02-14", 1), ("2022-03-08", 2)]


def test_an_undated_story_is_not_read_again_against_the_events_it_was_read_against(
        store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An undated story is read against its case's dated events when it is stored; once
    all are stored, it is read again only if its case's dated events changed since."""
    from tracker import analysis, importer

    folder = tmp_path / "news"
    write_stories(folder, {
        "1.txt": "Acme Widgets sues Borealis\n\nPublished: April 1, 2022\n\nAcme Widgets sued Borealis on March 8, "
                 "2022 over the warehouse contract.\n",
        "2.txt": "Acme Widgets and Borealis talk\n\nAcme Widgets and Borealis met on Tuesday to talk about the "
                 "warehouse contract, Acme Widgets said.\n",
    })
    read: list[str] = []
    real = importer.from_case_events

    def counted(text: str, *args: Any, **kwargs: Any) -> Any:
        read.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(importer, "from_case_events", counted)
    monkeypatch.setattr(analysis, "from_case_events", counted)
    import_paths(store, [folder], case_title="Acme v. Borealis", today=date(2026, 1, 1))
    (case,) = store.list_cases()
    undated = next(s for s in store.case_sources(case.id) if s.path.endswith("2.txt"))
    assert undated.published_basis == "unknown"
    assert sum("met on Tuesday" in text for text in read) == 1
    (folder / "3.txt").write_text(
        "Borealis answers\n\nPublished: May 2, 2022\n\nBorealis answered the complaint on April 28, 2022.\n",
        encoding="utf-8")
    import_paths(store, [folder / "3.txt"], case_title="Acme v. Borealis", today=date(2026, 1, 1))
    assert sum("met on Tuesday" in text for text in read) == 2  # the case has a new dated event


def test_a_folder_where_a_later_story_redates_an_earlier_undated_one_imports_whole(
        store: Store, tmp_path: Path) -> None:
    """The undated story's own dated event is read again when the story is re-dated;
    its new reading must not link to the event the re-dating replaced."""
    folder = tmp_path / "news"
    write_stories(folder, {
        "1.txt": "Acme takes the agency to court\n\nAcme Corp. sued the Widget Agency over the widget export ban on "
                 "Wednesday in federal court in Washington.\n\nThe agency first warned Acme about its suppliers on "
                 "November 2, 2020, the company said.\n",
        "2.txt": "Widget makers watch the Acme lawsuit\n\nAcme Corp. sued the Widget Agency over the widget export "
                 "ban on February 3, 2021 in federal court in Washington.\n\nOther makers have said little so far.\n",
    })
    report = import_paths(store, [folder], case_title="Acme v. Widget Agency", today=date(2026, 1, 1))
    assert report.failed == [] and len(report.imported) == 2
    (case,) = store.list_cases()
    first = next(s for s in store.case_sources(case.id) if s.path.endswith("1.txt"))
    assert first.published_basis == "case-context" and first.published.startswith("2021-02")
    dates = sorted(e.date for e in store.list_events(case.id) if e.date)
    assert dates == ["2020-11-02", "2021-02-03"]
    assert store.check() == []


def test_a_document_cut_short_leaves_no_empty_case(store: Store, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Filing (a new case), the source and its events are one transaction: when storing
    the events fails, the case made for the story is not left behind, and a second run
    stores everything."""
    story = tmp_path / "story.txt"
    story.write_text("Acme Widgets sues Borealis\n\nAcme Widgets sued Borealis on March 3, 2021.\n", encoding="utf-8")
    real = store.imports._insert_events

    def killed(*args: object, **kwargs: object) -> int:
        raise StoreError("killed")

    monkeypatch.setattr(store.imports, "_insert_events", killed)
    report = import_paths(store, [story], today=date(2026, 1, 1))
    assert report.failed and report.imported == []
    assert store.list_cases() == [] and store.all_sources() == []
    monkeypatch.setattr(store.imports, "_insert_events", real)
    report = import_paths(store, [story], today=date(2026, 1, 1))
    assert len(report.imported) == 1
    assert [c.event_count for c in store.list_cases()] == [1]


def test_re_dating_a_story_re_reads_its_own_dated_events(store: Store, tmp_path: Path) -> None:
    """An undated story that also gives a full date: when its case later dates it, the
    re-read finds that date's event among the case's events, but it is the story's own
    (about to be replaced), so the reading makes a new event instead of linking to the
    removed one (which failed with a foreign key error)."""
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "undated.txt").write_text(
        "Acme Widgets trial set\n\nA Delaware judge on Tuesday ordered a five-day expedited trial over the Acme "
        "Widgets warehouse contract, which Acme Widgets signed on Jan. 5, 2021.\n", encoding="utf-8")
    (second / "dated.txt").write_text(
        "Acme Widgets case timeline\n\nPublished: April 1, 2022\n\nOn March 8, 2022, the judge ordered a five-day "
        "expedited trial over the Acme Widgets warehouse contract. Acme Widgets had sued on Feb. 14, 2022.\n",
        encoding="utf-8")
    import_paths(store, [first], today=date(2026, 1, 1))
    report = import_paths(store, [second], today=date(2026, 1, 1))
    assert report.failed == []
    (case,) = store.list_cases()
    undated = next(s for s in store.case_sources(case.id) if s.path.endswith("undated.txt"))
    assert undated.published_basis == "case-context"
    dates = [e.date for e in store.list_events(case.id)]
    assert "2021-01-05" in dates and len(dates) == len(set(dates))
    assert store.check() == []


def test_a_long_import_copies_the_log_into_the_database_once_at_its_end(store: Store, tmp_path: Path) -> None:
    """During an import of many documents the log is not copied into the database every
    thousand pages, and statement journals are held in memory; afterwards the usual
    settings are back."""
    conn = store.connection.conn
    seen: list[int] = []
    held: list[int] = []
    real = store.upkeep.few_checkpoints

    def watched():  # type: ignore[no-untyped-def]
        with real():
            seen.append(conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
            held.append(conn.execute("PRAGMA temp_store").fetchone()[0])
            yield

    from contextlib import contextmanager

    store.upkeep.few_checkpoints = contextmanager(watched)  # type: ignore[method-assign]
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(10):
        (folder / f"{i:02}.txt").write_text(
            f"Acme sues Borealis, part {i}\n\nPublished: March {i + 1}, 2024\n\nAcme Corp. sued Borealis "
            f"Ltd. on March {i + 1}, 2024 over unpaid invoice number {i}.\n", encoding="utf-8")
    report = import_paths(store, [folder], today=date(2026, 1, 1), case_title="Acme v. Borealis", jobs=1)
    assert len(report.imported) == 10
    assert seen == [store.upkeep.IMPORT_CHECKPOINT_PAGES]
    assert conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
    assert held == [2]  # MEMORY
    assert conn.execute("PRAGMA temp_store").fetchone()[0] == 0  # DEFAULT


def test_the_log_copier_copies_the_log_into_the_database_while_the_writer_goes_on(tmp_path: Path) -> None:
    """During a long import the log reaches the database file by the copier's own
    connection, not by the writer's commits."""
    import time as _time

    store = Store(tmp_path / "copy.db")
    try:
        store.upkeep.COPY_EVERY = 0.02  # type: ignore[misc]
        before = (tmp_path / "copy.db").stat().st_size
        with store.few_checkpoints():
            for i in range(30):
                with store.transaction() as db:
                    db.execute("INSERT INTO cases (title, created_at, updated_at) VALUES (?, '', '')",
                               [f"Case {i} " + "x" * 3000])
            deadline = _time.monotonic() + 5
            while (tmp_path / "copy.db").stat().st_size == before and _time.monotonic() < deadline:
                _time.sleep(0.02)
            # The writer's own commits never copy the log meanwhile (its threshold is high),
            # so a bigger database file is the copier's doing.
            assert (tmp_path / "copy.db").stat().st_size > before
        assert len(store.list_cases()) >= 30
    finally:
        store.close()


def test_an_import_may_ask_for_the_log_to_be_copied_now(tmp_path: Path) -> None:
    """`copy_now` wakes the copier at once, not at its next turn: the log reaches the
    database file long before COPY_EVERY."""
    import time as _time

    store = Store(tmp_path / "now.db")
    try:
        store.upkeep.COPY_EVERY = 60.0  # type: ignore[misc]
        before = (tmp_path / "now.db").stat().st_size
        with store.few_checkpoints() as copies:
            for i in range(30):
                with store.transaction() as db:
                    db.execute("INSERT INTO cases (title, created_at, updated_at) VALUES (?, '', '')",
                               [f"Case {i} " + "x" * 3000])
            _time.sleep(0.2)
            assert (tmp_path / "now.db").stat().st_size == before  # the copier waits for its turn
            copies.copy_now()
            deadline = _time.monotonic() + 10
            while (tmp_path / "now.db").stat().st_size == before and _time.monotonic() < deadline:
                _time.sleep(0.02)
            assert (tmp_path / "now.db").stat().st_size > before
    finally:
        store.close()
