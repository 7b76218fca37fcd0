"""Snapshots at 80x24 of the main screen, the event editor, search results and the source reader.

Each test compares the plain text of the screen (what `Compositor.render_strips` draws,
styles stripped) with tests/snapshots/NAME.txt. Text rather than SVG so that a textual
patch release that changes a colour or an SVG detail on a CI machine installing fresh
from pyproject does not fail the suite, while any change of layout, wording or columns
does. After a deliberate change of the screen, rewrite the files and review the diff:

    TRACKER_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_snapshots.py

(The SVG pictures in docs/screenshots/ come from scripts/screenshots.py.)
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from textual.pilot import Pilot

from tracker.app import TrackerApp, make_app

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("TRACKER_UPDATE_SNAPSHOTS") == "1"
SIZE = (80, 24)
TODAY = date(2024, 5, 15)


def screen_text(app: TrackerApp) -> str:
    lines = [strip.text.rstrip() for strip in app.screen._compositor.render_strips()]
    return "\n".join(lines) + "\n"


def check(name: str, text: str) -> None:
    path = SNAPSHOTS / f"{name}.txt"
    if UPDATE or not path.exists():
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if not UPDATE:
            raise AssertionError(f"wrote a new snapshot {path.name}; check it and commit it")
        return
    expected = path.read_text(encoding="utf-8")
    assert text == expected, (
        f"{name} changed at 80x24 (TRACKER_UPDATE_SNAPSHOTS=1 rewrites it):\n--- now\n{text}--- was\n{expected}"
    )


async def settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.pause(0.3)


async def test_main_screen(db_path: Path) -> None:
    app = make_app(db_path, today=lambda: TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main.timeline.focus()
        await pilot.press("j")
        await settle(pilot)
        check("main", screen_text(app))


async def test_event_editor(db_path: Path) -> None:
    app = make_app(db_path, today=lambda: TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a", *"last Friday", "tab", *"Hearing moved")
        await settle(pilot)
        check("editor", screen_text(app))


async def test_search_results(db_path: Path) -> None:
    app = make_app(db_path, today=lambda: TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"hearing")
        await pilot.pause(0.6)
        await settle(pilot)
        check("search", screen_text(app))


async def test_source_reader(db_path: Path) -> None:
    app = make_app(db_path, today=lambda: TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main.timeline.focus()
        await pilot.press("j", "o")
        await settle(pilot)
        await pilot.press("J")
        await settle(pilot)
        check("reader", screen_text(app))
