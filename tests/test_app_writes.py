"""Writes never block the UI thread: while another process holds the database's write
lock, the app keeps answering keys, and each write lands once, in the order made, when
the lock is free (or fails with one line when it stays taken too long).

A real second process holds the lock (`BEGIN IMMEDIATE`, then sleeps) on a real file.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Static

from tests.test_app import SIZE, app_for, goto_event, opened, type_text
from tracker.app import TrackerApp
from tracker.models import Event
from tracker.screens.event_form import EventForm
from tracker.screens.prompt import PromptScreen
from tracker.screens.tags import TagForm

HOLD_SECONDS = 1.5
ANSWER_SECONDS = 0.3
"""How soon a key must be answered while a write waits (a blocked UI takes the whole hold)."""

_HOLDER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], timeout=10)
conn.execute("BEGIN IMMEDIATE")
print("held", flush=True)
time.sleep(float(sys.argv[2]))
conn.rollback()
conn.close()
"""


@contextmanager
def lock_held(db: Path, seconds: float = HOLD_SECONDS) -> Iterator[None]:
    """Another process holding the write lock for `seconds` (from when it says so)."""
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(db), str(seconds)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        yield
    finally:
        holder.wait(timeout=30)


async def answers_at_once(pilot: Pilot[None], *keys: str) -> float:
    """Press `keys` and answer how long the app took to handle them."""
    app = pilot.app
    assert isinstance(app, TrackerApp) and app.writes.waiting, "no write is waiting for the lock"
    started = time.monotonic()
    await pilot.press(*keys)
    await pilot.pause()
    return time.monotonic() - started


async def settle(pilot: Pilot[None], app: TrackerApp, seconds: float = 15) -> None:
    """Wait until no write waits in the queue."""
    deadline = time.monotonic() + seconds
    while (app.writes.pending or app.writes.waiting) and time.monotonic() < deadline:
        await pilot.pause(0.05)
    await pilot.pause()
    assert not app.writes.pending, "a write never landed"


async def tag_typed(pilot: Pilot[None], app: TrackerApp, tag: str) -> Event:
    """The seeded "Acme Inc was sued" event, its tag form open with `tag` typed (not
    yet saved)."""
    await goto_event(pilot, app, "Acme Inc was sued")
    event = app.main.timeline.current
    await pilot.press("t")
    assert isinstance(app.screen, TagForm)
    await type_text(pilot, tag)
    return event


async def test_an_event_saved_while_another_process_writes(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await goto_event(pilot, app, "Acme Inc was sued")
        await pilot.press("a")
        form = app.screen
        assert isinstance(form, EventForm)
        await type_text(pilot, "2024-05-01")
        await pilot.press("tab")
        await type_text(pilot, "Filed while busy")
        with lock_held(db_path):
            await pilot.press("enter")
            # The form stays open while the save waits, and keeps taking keys.
            assert app.screen is form
            await pilot.press("tab")
            took = await answers_at_once(pilot, "x")
            assert took < ANSWER_SECONDS, took
            assert form.query_one("#note", Input).value.endswith("x")
            await pilot.press("enter")  # Enter again does not save twice
            with opened(db_path) as store:
                assert "Filed while busy" not in {e.title for e in store.all_events()}
        await settle(pilot, app)
        assert app.screen is app.main  # closed once the save landed
        with opened(db_path) as store:
            assert [e.title for e in store.all_events()].count("Filed while busy") == 1
        assert app.main.timeline.current.title == "Filed while busy"


async def test_a_tag_a_rename_and_an_undo_while_another_process_writes(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        event = await tag_typed(pilot, app, "busy-tag")  # a tag
        with lock_held(db_path):
            await pilot.press("enter")
            assert isinstance(app.screen, TagForm)
            took = await answers_at_once(pilot, "z")
            assert took < ANSWER_SECONDS, took
            with opened(db_path) as store:
                assert "busy-tag" not in store.get_event(event.id).tags
        await settle(pilot, app)
        assert app.screen is app.main
        with opened(db_path) as store:
            assert store.get_event(event.id).tags == ("busy-tag",)
        assert app.main.timeline.current.tags == ("busy-tag",)
        # a case renamed
        app.main.cases.focus()
        await pilot.press("R")
        assert isinstance(app.screen, PromptScreen)
        await pilot.press("ctrl+u", *"Acme renamed while busy")
        with lock_held(db_path):
            await pilot.press("enter")
            took = await answers_at_once(pilot, "end")
            assert took < ANSWER_SECONDS, took
            with opened(db_path) as store:
                assert store.get_case(event.case_id).title == "Acme v. Widgets"
        await settle(pilot, app)
        assert app.screen is app.main
        assert app.main.cases.current.title == "Acme renamed while busy"
        # undo (the rename), on the main screen: j keeps moving meanwhile
        with lock_held(db_path):
            await pilot.press("u")
            took = await answers_at_once(pilot, "j")
            assert took < ANSWER_SECONDS, took
            with opened(db_path) as store:
                assert store.get_case(event.case_id).title == "Acme renamed while busy"
        await settle(pilot, app)
        with opened(db_path) as store:
            assert store.get_case(event.case_id).title == "Acme v. Widgets"
        assert any(c.title == "Acme v. Widgets" for c in app.main.cases.window)


async def test_writes_made_while_one_waits_land_in_order_once(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await goto_event(pilot, app, "Acme Inc was sued")
        app.main.step_after_review = False
        event = app.main.timeline.current
        with lock_held(db_path):
            await pilot.press("x")  # waits for the lock
            await pilot.press("c")  # queues behind it
            took = await answers_at_once(pilot, "u")  # undoes the c, not something older
            assert took < ANSWER_SECONDS, took
            assert len(app.writes.pending) == 3
            await pilot.press("q")  # a quit while changes wait asks for a second q
            assert app.is_running and len(app.writes.pending) == 3
        await settle(pilot, app)
        with opened(db_path) as store:
            assert store.get_event(event.id).status == "rejected"
            actions = [r["action"] for r in store._rows("SELECT action FROM audit WHERE entity_id = ? "
                                                        "AND entity = 'event' ORDER BY id", [event.id])]
        assert actions[-3:] == ["rejected", "confirmed", "undo"]
        assert app.main.timeline.current.status == "rejected"
        assert app.main.timeline.get_row_at(app.main.timeline.cursor_row)[3].plain == "rejected"


async def test_a_write_that_waits_too_long_is_not_made_and_says_so(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        app.writes.WAIT_SECONDS = 0.3
        event = await tag_typed(pilot, app, "never")
        with lock_held(db_path):
            await pilot.press("enter")
            await settle(pilot, app, seconds=5)
            # The form stays open with the reason, what was typed kept.
            form = app.screen
            assert isinstance(form, TagForm)
            assert "busy" in form.query_one("#tag-error", Static).content.plain
            assert form.query_one("#tag-input", Input).value == "never"
        await pilot.pause(0.2)
        with opened(db_path) as store:
            assert store.get_event(event.id).tags == ()


async def test_escape_takes_back_a_save_that_waits(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        event = await tag_typed(pilot, app, "taken-back")
        with lock_held(db_path):
            await pilot.press("enter")
            await pilot.press("escape")
            assert app.screen is app.main
        await settle(pilot, app)
        with opened(db_path) as store:
            assert store.get_event(event.id).tags == ()


async def test_the_reader_and_undo_hand_a_change_to_the_panes_without_a_reload(db_path: Path) -> None:
    """A fix made in the source reader, and an undo, reach the main screen's rows as a
    `Change`: no pane is re-read as a whole."""
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await goto_event(pilot, app, "Acme Inc was sued")
        main = app.main
        reloads: list[int | None] = []
        reload = main.reload

        def counted(select_case: int | None = None) -> None:
            reloads.append(select_case)
            reload(select_case)

        main.reload = counted  # type: ignore[method-assign]
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("C")  # every suggested event of the source confirmed
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is main
        rows = main.timeline.row_count
        assert [main.timeline.get_row_at(i)[3].plain for i in range(rows)] == ["confirmed"] * rows
        assert main.cases.current.confirmed == rows
        await pilot.press("u")
        await pilot.pause()
        assert [main.timeline.get_row_at(i)[3].plain for i in range(rows)] == ["suggested"] * rows
        assert main.cases.current.confirmed == 0
        assert reloads == []
