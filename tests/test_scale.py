"""Scale at CI size: a generated database with a big case, opened by the app without
reading whole tables; paged queries that agree with the full listings and stay on their
indexes; kept counts that follow every kind of write. Nothing here is timed."""

from __future__ import annotations

import re
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from benchmarks.generate import Plan, generate
from tests.conftest import build_db
from tracker.app import TrackerApp, make_app
from tracker.db import CASE_STATS_REBUILD, REVIEW_STATS_REBUILD
from tracker.store import Store
from tracker.widgets.case_strip import CaseStrip
from tracker.widgets.table import PaneTable

# 200 cases, 4,000 sources, 24,000 events; the case first by title holds 8,000.
PLAN = dict(cases=200, sources=4_000, events=24_000, big_cases=1, big_size=8_000)


@pytest.fixture(scope="module")
def big_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scale") / "scale.db"
    generate(path, Plan(**PLAN))
    return path


@pytest.fixture
def store(big_db: Path) -> Iterator[Store]:
    opened = Store(big_db)
    yield opened
    opened.close()


class Meter:
    """Counts the rows SQLite hands back and the VM instructions it runs, for every
    query on one connection (the app's), whoever issues it."""

    STEP = 1000

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.rows = 0
        self.steps = 0
        conn.row_factory = self._row
        conn.set_progress_handler(self._tick, self.STEP)

    def _row(self, cursor: sqlite3.Cursor, row: tuple) -> tuple:
        self.rows += 1
        return row

    def _tick(self) -> int:
        self.steps += self.STEP
        return 0

    def reset(self) -> None:
        self.rows = self.steps = 0


def scan_steps(path: Path, sql: str) -> int:
    """VM instructions one query takes: the yardstick for 'reads a whole table'."""
    conn = sqlite3.connect(path)
    meter = Meter(conn)
    conn.execute(sql).fetchall()
    conn.close()
    return meter.steps


def recount(store: Store) -> list[tuple]:
    """case_stats as it should be, counted from the tables."""
    conn = store.db.conn
    columns = "case_id, events, live, sources, latest_date, suggested, confirmed, rejected, first_date"
    kept = conn.execute(f"SELECT {columns} FROM case_stats ORDER BY case_id").fetchall()
    conn.execute("SAVEPOINT recount")
    conn.execute("DELETE FROM case_stats")
    conn.execute(CASE_STATS_REBUILD)
    conn.execute(REVIEW_STATS_REBUILD)
    fresh = conn.execute(f"SELECT {columns} FROM case_stats ORDER BY case_id").fetchall()
    conn.execute("ROLLBACK TO recount")
    conn.execute("RELEASE recount")
    assert kept == fresh
    return kept


# -- the app on a big database ---------------------------------------------------------


async def test_app_opens_a_big_database_without_reading_whole_tables(big_db: Path) -> None:
    events_scan = scan_steps(big_db, "SELECT count(*) FROM events WHERE status != 'rejected'")
    app = make_app(big_db)
    meter = Meter(app.store.db.conn)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.main
        assert main.cases.row_count == PLAN["cases"]
        assert main.cases.current is not None and main.cases.current.event_count > 7_000
        assert main.timeline.row_count == PLAN["big_size"]
        assert "(8,000 events)" in str(main.timeline.border_title)
        # Opening read a few pages, not the 24,000 events nor the 200 cases' counts.
        assert meter.rows < 3 * PaneTable.PAGE
        # The case strip is one grouped pass over the case's range of a
        # covering index: counted on its own, and bounded by that range, not the table.
        strip = Store(big_db)
        strip_meter = Meter(strip.db.conn)
        strip.case_activity(main.cases.current.id)
        strip.close()
        whole = scan_steps(
            big_db,
            "SELECT sort_date, sum(status = 'confirmed'), sum(status = 'suggested') FROM events "
            "WHERE sort_date IS NOT NULL AND status != 'rejected' GROUP BY sort_date",
        )
        assert strip_meter.steps < whole / 2, (strip_meter.steps, whole)  # the case holds a third of the events
        assert meter.steps - strip_meter.steps < events_scan / 4, (meter.steps, strip_meter.steps, events_scan)
        held = len(main.timeline.events) + len(main.cases.cases)
        assert held <= 2 * PaneTable.KEEP
        # Walking the big timeline end to end reads only the pages it shows.
        meter.reset()
        main.timeline.focus()
        await pilot.press("G")
        await pilot.press("pageup", "pageup", "k", "k", "g", "pagedown", "j")
        await pilot.pause()
        assert meter.rows < 6 * PaneTable.PAGE
        assert meter.steps < events_scan / 2, (meter.steps, events_scan)
        assert len(main.timeline.events) <= PaneTable.KEEP


async def test_case_reports_on_the_big_case_are_built_in_a_worker_and_capped(big_db: Path) -> None:
    """V (single-source events) on the 8,000-event case: the screen shows a loading
    indicator while a thread reads the case, keys still work, and the report lists at
    most MAX_ROWS lines and says how many more there are."""
    import threading

    app = make_app(big_db)
    readers: list[tuple[str, bool]] = []
    read = Store.single_source_events

    def spy(self: Store, case_id: int) -> list:
        readers.append((threading.current_thread().name, self is app.store))
        return read(self, case_id)

    Store.single_source_events = spy  # type: ignore[method-assign]
    try:
        await _verify_report(app, readers)
    finally:
        Store.single_source_events = read  # type: ignore[method-assign]


async def _verify_report(app, readers: list[tuple[str, bool]]) -> None:  # type: ignore[no-untyped-def]
    import threading

    from textual.widgets import Static

    from tracker.screens.case_views import MAX_ROWS, VerifyScreen

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("V")
        screen = app.screen
        assert isinstance(screen, VerifyScreen)
        report = screen.query_one("#report", Static)
        await app.workers.wait_for_complete()
        # Read off the UI thread, through a connection of its own (not the app's store).
        assert readers and all(name != threading.main_thread().name and not own for name, own in readers)
        await pilot.pause()
        assert not report.loading
        text = str(report.render())
        shown = [line for line in text.splitlines() if re.match(r"\s+\d+ ", line)]
        assert len(shown) == MAX_ROWS
        assert re.search(r"… and [\d,]+ more", text)
        await pilot.press("escape")
        assert not isinstance(app.screen, VerifyScreen)


async def test_timeline_rows_match_the_full_listing_while_walking(big_db: Path) -> None:
    with_store = Store(big_db)
    try:
        first_case = with_store.cases_page(0, 1)[0]
        everything = with_store.list_events(first_case.id)
    finally:
        with_store.close()
    app = make_app(big_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        timeline = app.main.timeline
        timeline.focus()
        await pilot.press("G")
        assert timeline.current == everything[-1] and timeline.cursor_row == len(everything) - 1
        await pilot.press("pageup", "pageup", "k")
        await pilot.pause()
        assert timeline.current == everything[timeline.cursor_row]
        # A jump into the middle (a search result) lands on the event and shows its row.
        middle = everything[len(everything) // 2]
        app.main.jump_to(first_case.id, middle.id)
        await pilot.pause()
        assert timeline.current == middle and timeline.cursor_row == len(everything) // 2
        screen = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        assert middle.title[:20] in screen
        await pilot.press("j", "j", "k")
        assert timeline.current == everything[len(everything) // 2 + 1]
        # Every row on screen is the one the full listing has at that position.
        top = round(timeline.scroll_y)
        for index in range(top, top + timeline.visible_rows()):
            assert timeline.get_row_at(index)[1].plain.rstrip("…") in everything[index].title


async def test_a_cursor_move_repaints_two_lines(big_db: Path) -> None:
    app = make_app(big_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        timeline = app.main.timeline
        timeline.focus()
        await pilot.pause()
        refreshed: list[object] = []
        original = timeline.refresh

        def spy(*regions: object, **kwargs: object) -> object:
            refreshed.append(regions)
            return original(*regions, **kwargs)

        timeline.refresh = spy  # type: ignore[method-assign]
        await pilot.press("j")
        assert [len(r) == 1 and r[0].height == 1 for r in refreshed] == [True, True]
        refreshed.clear()
        for _ in range(timeline.visible_rows()):
            await pilot.press("j")
        assert any(r == () for r in refreshed)  # leaving the screen scrolls: a full repaint


# -- paged queries -----------------------------------------------------------------------


def test_pages_keysets_and_positions_agree_with_the_full_listing(store: Store) -> None:
    case = store.cases_page(0, 1)[0]
    everything = store.list_events(case.id)
    ids = [e.id for e in everything]
    assert store.case_event_total(case.id) == len(everything) == PLAN["big_size"]
    assert any(e.date is None for e in everything)  # undated ones sort last
    for offset in (0, 1, 999, len(ids) // 2, len(ids) - 60, len(ids) - 1):
        assert [e.id for e in store.events_page(case.id, offset, 60)] == ids[offset:offset + 60]
    assert store.events_page(case.id, len(ids), 60) == []
    at = len(ids) // 3
    assert [e.id for e in store.events_after(case.id, ids[at], 50)] == ids[at + 1:at + 51]
    assert [e.id for e in store.events_before(case.id, ids[at], 50)] == ids[at - 50:at]
    for index in (0, 17, len(ids) // 2, len(ids) - 1):
        assert store.event_position(case.id, ids[index]) == index
    assert store.event_position(case.id + 1, ids[0]) is None
    assert store.events_page(case.id, 5, 3) == everything[5:8]  # tags, sources, conflicts alike
    cases = store.list_cases()
    assert store.case_total() == len(cases)
    assert store.cases_page(37, 20) == cases[37:57]
    assert store.cases_after(cases[10].id, 5) == cases[11:16]
    assert store.cases_before(cases[10].id, 5) == cases[5:10]
    assert all(store.case_position(c.id) == i for i, c in enumerate(cases[:30]))
    assert store.get_case(case.id) == cases[0] and store.find_case(case.title.upper()) == cases[0]


def test_paged_queries_stay_on_their_indexes(store: Store) -> None:
    for name, plan in store.query_plans().items():
        text = " ".join(plan)
        assert "USING INDEX" in text or "PRIMARY KEY" in text, (name, plan)
        assert "TEMP B-TREE" not in text, (name, plan)
        assert not re.search(r"\bSCAN (e|events)\b(?! USING)", text), (name, plan)


def test_filtered_pages_on_a_big_case_stay_on_indexes_and_agree(big_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    with_store = Store(big_db)
    try:
        with_store.backup(copy)
    finally:
        with_store.close()
    store = Store(copy)
    try:
        case = store.cases_page(0, 1)[0]
        everything = store.list_events(case.id)
        store.tag_events([e.id for e in everything[::97]], ["sampled"])
        everything = store.list_events(case.id)
        for status, tag in (("suggested", None), ("confirmed", None), (None, "sampled"), ("suggested", "sampled")):
            want = [e.id for e in everything if (status is None or e.status == status)
                    and (tag is None or tag in e.tags)]
            assert want and store.filtered_total(case.id, status, tag) == len(want)
            for offset in (0, len(want) // 2, len(want) - 3):
                assert [e.id for e in store.filtered_page(case.id, offset, 20, status, tag)] == want[offset:offset + 20]
            middle = len(want) // 2
            assert store.filtered_position(case.id, want[middle], status, tag) == middle
            assert [e.id for e in store.filtered_after(case.id, want[middle], 5, status, tag)] == \
                want[middle + 1:middle + 6]
        # Every filtered query the app pages with is a search of an index, never a sort.
        plans = store.query_plans()
        for name in ("status_page", "status_after", "status_position", "tag_page", "tag_status_page", "tag_total"):
            text = " ".join(plans[name])
            assert "USING" in text and "TEMP B-TREE" not in text, (name, plans[name])
        assert "events_status_timeline" in " ".join(plans["status_page"])
        assert "idx_event_tags_tag_id" in " ".join(plans["tag_total"])
    finally:
        store.close()


async def test_status_filter_on_a_big_case_reads_pages_not_the_case(big_db: Path) -> None:
    app = make_app(big_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        meter = Meter(app.store.db.conn)
        main = app.main
        main.timeline.focus()
        await pilot.press("s")  # suggested only
        await pilot.pause()
        assert 0 < main.timeline.row_count < PLAN["big_size"]
        assert all(e.status == "suggested" for e in main.timeline.events)
        await pilot.press("G", "pageup", "g", "j")
        await pilot.pause()
        assert meter.rows < 6 * PaneTable.PAGE
        assert len(main.timeline.events) <= PaneTable.KEEP


def test_search_ranks_a_bounded_set_and_still_finds(store: Store) -> None:
    hits = store.search("injunction")
    assert 0 < len([h for h in hits if h.kind == "event"]) <= 50
    assert all("\x02" in h.snippet for h in hits)
    assert store.search("o")  # a one-letter prefix (prefix index) answers too


# -- kept counts -------------------------------------------------------------------------


def test_case_stats_follow_every_kind_of_write(tmp_path: Path) -> None:
    db = tmp_path / "stats.db"
    build_db(db)
    store = Store(db)
    try:
        acme, other = store.find_case("Acme v. Widgets").id, store.find_case("Other matter").id
        first = store.list_events(acme)[0]
        steps = [
            lambda: store.add_event(acme, "2030-01-01", "day", "", "Later"),
            lambda: store.add_event(other, None, "day", "", "Undated"),
            lambda: store.set_status(first.id, "rejected"),
            lambda: store.update_event(first.id, value="2031", granularity="year", date_text="", title="Moved on"),
            lambda: store.move_event(first.id, other),
            lambda: store.undo_last(),
            lambda: store.delete_event(store.list_events(acme)[-1].id),
            lambda: store.undo_last(),
            lambda: store.review_events([e.id for e in store.list_events(acme)], "confirmed"),
            lambda: store.review_events([e.id for e in store.list_events(acme)[:2]], "rejected"),
            lambda: store.tag_events([e.id for e in store.list_events(acme)], ["court"]),
            lambda: store.undo_last(),
            lambda: store.undo_last(),
            lambda: store.save_event(acme, None, value="2019-05", granularity="month", date_text="May 2019",
                                     title="Earliest", note="n", tags=["t"], excerpt_ids=[]),
            lambda: store.save_event(acme, store.list_events(acme)[0].id, value="2032", granularity="year",
                                     date_text="2032", title="Latest", note="", tags=[], excerpt_ids=[]),
            lambda: store.undo_last(),
            lambda: store.move_source(store.case_sources(acme)[0].id, other),
            lambda: store.merge_cases(other, acme),
            lambda: store.ensure_case("Fresh"),
        ]
        for step in steps:
            step()
            recount(store)
        assert store.get_case(acme).event_count == len([e for e in store.list_events(acme) if e.status != "rejected"])
        # The counts are a cache: a damaged one is repaired from the tables.
        store.db.conn.execute("UPDATE case_stats SET events = 99, latest_date = NULL, suggested = 7, first_date = NULL")
        store.db.conn.commit()
        store.rebuild_case_stats()
        recount(store)
        assert store.case_event_total(acme) == len(store.list_events(acme))
    finally:
        store.close()


def test_generated_database_is_consistent(store: Store, big_db: Path) -> None:
    conn = sqlite3.connect(big_db)
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("cases", "sources", "events")}
    assert counts == {"cases": PLAN["cases"], "sources": PLAN["sources"], "events": PLAN["events"]}
    triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert {"events_ai", "excerpts_ai", "sources_ai", "case_stats_event_ai", "case_stats_source_au"} <= triggers
    conn.close()
    assert store.check() == []
    recount(store)
    first = store.cases_page(0, 1)[0]
    assert store.case_event_total(first.id) == PLAN["big_size"]


def test_generator_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "there.db"
    path.write_text("x")
    with pytest.raises(SystemExit):
        generate(path, Plan(cases=2, sources=2, events=4, big_cases=0))



def test_a_cursor_move_sends_a_fraction_of_the_screen(big_db: Path) -> None:
    """The real command in a pseudo-terminal: what a cursor move writes to the terminal is
    the two timeline rows and the excerpts pane, not the screen."""
    from benchmarks.perf import PtyApp

    app = PtyApp(big_db, 80, 24)
    try:
        app.wait_for(re.compile(r"Cases \(200\)"))
        app.settle()
        whole = app.screen_bytes
        app.key(b"\t")
        app.settle()
        sizes = [app.key(b"j" if i % 2 == 0 else b"k")[2] for i in range(6)]
    finally:
        app.close()
    assert all(0 < size < whole / 3 for size in sizes), (sizes, whole)


async def test_clicking_a_row_moves_the_cursor_and_a_second_click_enters(db_path: Path) -> None:
    from tracker.widgets.timeline import Timeline

    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        timeline = app.main.timeline
        # The pane's top border is line 0 and its header line 1: line 3 is the second event.
        await pilot.click(Timeline, offset=(5, 3))
        await pilot.pause()
        assert timeline.cursor_row == 1 and timeline.current.title == "The hearing was held"
        await pilot.click(Timeline, offset=(5, 3))
        await pilot.pause()
        assert app.focused is app.main.excerpts


async def test_the_first_frame_is_drawn_before_the_strip_reads_its_counts(big_db: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The strip's counts walk the first case's events (16-35 ms on a case of 100,000):
    the first frame goes out without them, and they are read once, right after."""
    from textual.app import App

    order: list[str] = []
    display, activity = App._display, Store.case_activity

    def drawn(self: App[None], *args: object) -> None:
        order.append("frame")
        display(self, *args)  # type: ignore[arg-type]

    def counted(self: Store, case_id: int) -> object:
        order.append("strip")
        return activity(self, case_id)

    monkeypatch.setattr(App, "_display", drawn)
    monkeypatch.setattr(Store, "case_activity", counted)
    app = make_app(big_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()  # the big case's counts are read in a thread
        await pilot.pause()
        strip = app.main.query_one("CaseStrip")
        assert strip.days and strip.case_id == app.main.cases.current.id
    assert "frame" in order and order.count("strip") == 1
    assert order.index("frame") < order.index("strip")


class HeldCounts:
    """Store.case_activity made to wait, for the cases in `held`, until `go` is set
    (`patch`); records the thread each call ran on."""

    def __init__(self, held: set[int]) -> None:
        self.held = held
        self.go = threading.Event()
        self.threads: dict[int, list[str]] = {}

    def patch(self, monkeypatch: pytest.MonkeyPatch) -> None:
        real = Store.case_activity

        def case_activity(store: Store, case_id: int) -> tuple[str, list[tuple[str, int, int]]]:
            self.threads.setdefault(case_id, []).append(threading.current_thread().name)
            if case_id in self.held:
                assert self.go.wait(10)
            return real(store, case_id)

        monkeypatch.setattr(Store, "case_activity", case_activity)


def app_with_held_counts(db: Path, monkeypatch: pytest.MonkeyPatch, held: set[int]) -> tuple[TrackerApp, HeldCounts]:
    """The app on `db`, its strip's counts of the cases in `held` waiting for `go`."""
    counts = HeldCounts(held)
    counts.patch(monkeypatch)
    return make_app(db), counts


async def test_a_big_cases_timeline_is_drawn_while_its_strip_counts(big_db: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The strip's counts of a case of 8,000 events are read in a thread: the case's
    timeline and excerpts are on screen before they come, the strip blank meanwhile."""
    with closing(Store(big_db)) as store:
        big = store.cases_page(0, 1)[0].id
        assert store.case_event_total(big) >= CaseStrip.READ_APART_FROM
        expected = store.case_activity(big)
    app, counts = app_with_held_counts(big_db, monkeypatch, {big})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        strip = app.main.query_one(CaseStrip)
        assert strip.case_id == big and strip.counting and strip.days == []
        assert str(strip.render()) == ""
        timeline = app.main.timeline
        assert timeline.case_id == big and timeline.row_count == 8_000
        assert app.main.excerpts.event_id == timeline.current.id
        counts.go.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not strip.counting and (strip.grain, strip.days) == expected
        assert "✓" in str(strip.render())
    assert counts.threads[big] and all(name != threading.main_thread().name for name in counts.threads[big])


async def test_a_strip_count_that_comes_after_the_case_changed_is_dropped(big_db: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    with closing(Store(big_db)) as store:
        big, small = (case.id for case in store.cases_page(0, 2))
        assert store.case_event_total(small) < CaseStrip.READ_APART_FROM
        expected = store.case_activity(small)
    app, counts = app_with_held_counts(big_db, monkeypatch, {big})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        strip = app.main.query_one(CaseStrip)
        assert strip.counting
        await pilot.press("j")  # to the next case, read at once (it is small)
        await pilot.pause()
        assert strip.case_id == small and not strip.counting and (strip.grain, strip.days) == expected
        counts.go.set()  # the big case's answer comes now: too late
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert strip.case_id == small and not strip.counting and (strip.grain, strip.days) == expected
    assert counts.threads[small] == [threading.main_thread().name]


async def test_a_strip_count_that_fails_in_its_thread_is_said_in_one_line(big_db: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(store: Store, case_id: int) -> object:
        raise RuntimeError("disk went away")

    monkeypatch.setattr(Store, "case_activity", broken)
    app = make_app(big_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        strip = app.main.query_one(CaseStrip)
        assert not strip.counting and strip.days == []
        said = [n.message for n in app._notifications]
        assert said == ["the case's events could not be counted (RuntimeError: disk went away)"]
        assert app.main.timeline.row_count == 8_000  # the rest of the case is shown


async def test_a_write_to_a_big_case_keeps_its_bars_until_the_new_counts_come(big_db: Path, tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "copy.db"
    shutil.copyfile(big_db, db)
    app, counts = app_with_held_counts(db, monkeypatch, set())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        strip = app.main.query_one(CaseStrip)
        before = strip.days
        assert before and not strip.counting
        timeline = app.main.timeline
        timeline.focus()
        for _ in range(50):
            if timeline.current.status == "suggested" and timeline.current.date:
                break
            await pilot.press("j")
        assert timeline.current.status == "suggested" and timeline.current.date
        counts.held = {strip.case_id}
        await pilot.press("c")  # confirm it: the case's counts are read again
        for _ in range(100):
            if strip.counting:
                break
            await pilot.pause(0.02)
        assert strip.counting and strip.days == before and "✓" in str(strip.render())
        counts.go.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not strip.counting
        assert sum(c for _, c, _ in strip.days) == sum(c for _, c, _ in before) + 1
        assert sum(s for _, _, s in strip.days) == sum(s for _, _, s in before) - 1


async def test_the_lists_scrollbars_follow_their_rows_and_are_not_redrawn_for_nothing(big_db: Path) -> None:
    """A list's scrollbar is told of a new row count (another case) and a new size, and
    is not redrawn when the screen is laid out again for another pane's sake."""
    with closing(Store(big_db)) as store:
        big, small = (case.id for case in store.cases_page(0, 2))
        small_total = store.case_event_total(small)
    app = make_app(big_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        timeline = app.main.timeline
        bar = timeline.vertical_scrollbar
        assert timeline.case_id == big and bar.window_virtual_size == 8_000 + 1
        await pilot.press("j")  # the next case
        await pilot.pause()
        assert timeline.case_id == small and bar.window_virtual_size == small_total + 1
        await pilot.press("k")
        await pilot.pause()
        assert bar.window_virtual_size == 8_000 + 1
        await pilot.resize_terminal(200, 50)
        await pilot.pause()
        assert bar.window_size == timeline.scrollable_content_region.height
        redrawn: list[str] = []
        for list_bar in (bar, app.main.cases.vertical_scrollbar):
            real = list_bar.refresh

            def counted(*args: object, _real=real, _name=type(list_bar.parent).__name__, **kwargs: object) -> object:
                redrawn.append(_name)
                return _real(*args, **kwargs)

            list_bar.refresh = counted  # type: ignore[method-assign]
        app.screen.refresh(layout=True)  # another pane's sake: the lists' sizes are the same
        await pilot.pause()
        assert redrawn == []
