"""Importing from the app: `i` asks for a path (with completion), the
import runs in a worker with a progress bar and a per-file line, keys keep working
meanwhile, and a summary lists what was imported, skipped and failed, with reasons."""

from __future__ import annotations

import multiprocessing
import os
import threading
from pathlib import Path

import pytest
from textual.widgets import Input, ProgressBar, Static

from tests.test_app import SIZE, app_for, opened
from tracker import importer, readers
from tracker.screens.prompt import PromptScreen

STORY = """---
title: {title}
date: 2023-07-19
case: Harbor v. City
---
The city was sued on July 3, 2023 over the harbor {what}. A hearing was held on July 12, 2023.
"""


def folder(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(STORY.format(title="Harbor suit", what="dredging"))
    (docs / "b.txt").write_text(STORY.format(title="Harbor hearing", what="fees"))
    (docs / "c.txt").write_text("")  # fails: empty file
    return docs


async def wait_for(pilot, condition, tries: int = 200) -> None:  # type: ignore[no-untyped-def]
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("timed out")


async def test_i_imports_a_folder_in_a_worker_with_progress_and_summary(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = folder(tmp_path)
    # Hold the import before storing the second file until the test has used the app meanwhile.
    gate, reached = threading.Event(), threading.Event()
    real = importer._store_read

    def held(run, read, *rest):  # type: ignore[no-untyped-def]
        if Path(read.doc.path).name == "b.txt":
            reached.set()
            gate.wait(10)
        return real(run, read, *rest)

    monkeypatch.setattr(importer, "_store_read", held)
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        main = app.main
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        # Path completion: the folder name completes with its trailing separator.
        await pilot.press(*str(tmp_path / "do"))
        await pilot.pause(0.1)
        assert app.screen.query_one(Input)._suggestion == str(docs) + "/"
        await pilot.press("right", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, PromptScreen)
        panel = main.import_panel
        assert panel.display and panel.running
        await wait_for(pilot, reached.is_set)
        await wait_for(pilot, lambda: panel.query_one(ProgressBar).progress == 1)
        assert panel.query_one(ProgressBar).total == 3
        assert "1/3 a.txt" in panel.query_one("#import-file", Static).content.plain
        # The app answers keys while the worker waits: move to the next case and back.
        assert main.cases.current.title == "Acme v. Widgets"
        await pilot.press("j")
        await pilot.pause()
        assert main.cases.current.title == "Harbor v. City" or main.cases.current.title == "Other matter"
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.press("escape")
        assert panel.running
        gate.set()
        await wait_for(pilot, lambda: not panel.running)
        await pilot.pause()
        summary = panel.query_one("#import-summary", Static).content.plain
        assert "Imported 2 · skipped 0 already imported · failed 1" in summary
        assert "c.txt: empty file" in summary
        assert panel.query_one(ProgressBar).progress == 3
        # The panes were refreshed: the new case is listed.
        assert "Harbor v. City" in [c.title for c in main.cases.cases]
        text = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        assert "c.txt: empty file" in text, text
        await pilot.press("escape")
        await pilot.pause()
        assert not panel.display
        # Importing the same folder again skips what is already in.
        await pilot.press("i", *str(docs), "enter")
        await wait_for(pilot, lambda: not panel.running and panel.report is not None)
        assert "Imported 0 · skipped 2 already imported · failed 1" in panel.query_one(
            "#import-summary", Static).content.plain
    with opened(db_path) as store:
        harbor = store.find_case("Harbor v. City")
        assert harbor.source_count == 2
        assert any(e.date == "2023-07-03" for e in store.list_events(harbor.id))


async def test_i_refuses_a_missing_path_in_place(db_path: Path, tmp_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("i", *str(tmp_path / "nothing-here"), "enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        assert "no such file or folder" in app.screen.query_one("#prompt-error", Static).content.plain
        await pilot.press("escape")
        await pilot.pause()
        assert app.main.import_panel is None  # no import started: no strip


async def test_i_reads_a_big_folder_with_worker_processes_started_from_its_thread(
    db_path: Path, tmp_path: Path
) -> None:
    """The import's thread starts the reading processes while Textual's threads run (so
    not by fork); they are gone when the import ends, and the app quits cleanly."""
    docs = tmp_path / "many"
    docs.mkdir()
    count = readers.FIRST_FORKSERVER_MIN_DOCUMENTS + 2  # enough to start a forkserver
    for i in range(count):
        (docs / f"{i:02d}.txt").write_text(STORY.format(title=f"Harbor story {i}", what=f"berth {i}"))
    seen: set[int] = set()
    real = importer._store_read

    def watched(*args):  # type: ignore[no-untyped-def]
        seen.update(p.pid for p in multiprocessing.active_children())
        return real(*args)

    app = app_for(db_path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(importer, "_store_read", watched)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("i", *str(docs), "enter")
            await wait_for(pilot, lambda: app.main.import_panel is not None)
            panel = app.main.import_panel
            await wait_for(pilot, lambda: not panel.running, tries=600)
            assert f"Imported {count} · skipped 0 already imported · failed 0" in panel.query_one(
                "#import-summary", Static).content.plain
            # A process per core reads, the importing one among them.
            assert len(seen) == min(os.cpu_count() or 1, count) - 1 > 0 or (os.cpu_count() or 1) == 1
            assert not multiprocessing.active_children()
    with opened(db_path) as store:
        assert store.find_case("Harbor v. City").source_count == count
