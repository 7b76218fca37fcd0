"""Exporting from the app with keys only."""

from __future__ import annotations

import os
from pathlib import Path

from markdown_it import MarkdownIt

from tests.conftest import build_db
from tracker.app import make_app
from tracker.screens.export import ExportScreen


async def test_export_key_writes_the_case_in_the_chosen_format(tmp_path: Path) -> None:
    db = tmp_path / "e.db"
    build_db(db)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        app = make_app(db)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("E")
            assert isinstance(app.screen, ExportScreen)
            await pilot.press("enter")  # Markdown, the default choice
            await pilot.press("enter")  # the suggested file name, written by a worker
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert not isinstance(app.screen, ExportScreen)
            await pilot.press("E", "down", "enter", "enter")  # the next format: iCalendar
            await app.workers.wait_for_complete()
            await pilot.pause()
    finally:
        os.chdir(cwd)
    written = tmp_path / "acme-v-widgets.md"
    tokens = MarkdownIt().parse(written.read_text(encoding="utf-8"))
    assert tokens[0].type == "heading_open"
    assert (tmp_path / "acme-v-widgets.ics").read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")
