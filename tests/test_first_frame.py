"""The first frame imports what the first screen needs and nothing else.

In a fresh interpreter, the app runs headless to its first frame on a database whose
schema is current, after importing what `tracker` (the console script) imports; then
no module that only a later key needs may be loaded. The same process then opens each
lazily imported screen by its key, so a lazy import that no longer resolves fails here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import build_db

# Loaded on first use: the option parser (click: `tracker --db FILE` goes straight to
# the app, tracker/launch.py), the subcommands' modules, the palette's provider, the
# screens no key has opened yet, the import strip, the import and export code, and the
# libraries only they need (dateparser for typed dates, sqlite-utils for migrating an
# older schema).
LATER = (
    "dateparser", "regex", "sqlite_utils", "click", "tracker.cli",
    "tracker.commands", "tracker.export", "tracker.ical", "tracker.importer", "tracker.ingest",
    "tracker.extract", "tracker.timex", "tracker.published", "tracker.analysis", "tracker.cases", "tracker.facts",
    "tracker.merge",
    "tracker.screens.case_views", "tracker.screens.confirm", "tracker.screens.event_form",
    "tracker.screens.export", "tracker.screens.help", "tracker.screens.prompt", "tracker.screens.reader",
    "tracker.screens.search", "tracker.screens.tag_filter", "tracker.screens.tags", "tracker.widgets.import_panel",
    "tracker.cli.admin", "tracker.cli.cases", "tracker.cli.corrections", "tracker.cli.importing", "tracker.cli.timeline",
)

# Each key on the main screen and the screen it opens (escape closes it again).
KEYS = {
    "question_mark": "HelpScreen", "ctrl+p": "CommandPalette", "slash": "SearchScreen", "E": "ExportScreen",
    "f": "CaseFactsScreen", "K": "AsOfScreen", "V": "VerifyScreen", "A": "AgendaScreen", "i": "PromptScreen",
    "n": "PromptScreen", "t": "TagForm", "T": "TagFilterPicker", "e": "EventForm", "d": "ConfirmModal",
    "o": "ReaderScreen",
}

SCRIPT = """
import asyncio, json, sys
import tracker.launch  # what the console script imports before the app
from tracker.app import make_app

async def main():
    app = make_app(sys.argv[1])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        loaded = sorted(m for m in sys.modules if m in json.loads(sys.argv[2]))
        await pilot.press("tab")  # to the timeline: the event keys act on its row
        opened = {}
        for key in json.loads(sys.argv[3]):
            await pilot.press(key)
            await pilot.pause()
            opened[key] = type(app.screen).__name__
            while len(app.screen_stack) > 1:
                app.pop_screen()
                await pilot.pause()
    print(json.dumps({"loaded": loaded, "opened": opened}))

asyncio.run(main())
"""


def test_first_frame_loads_no_later_module_and_each_opens_on_its_key(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    build_db(db)  # written, and migrated, in this process: the app opens a current schema
    run = subprocess.run([sys.executable, "-c", SCRIPT, str(db), json.dumps(LATER), json.dumps(list(KEYS))],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    found = json.loads(run.stdout.strip().splitlines()[-1])
    assert found["loaded"] == []
    assert found["opened"] == KEYS


def test_each_lazy_command_is_found_under_its_own_name() -> None:
    """The group's table names each command where it is defined: looked up, every
    entry is a command of that name (the pinned options are checked in test_guards)."""
    from tracker.cli import COMMANDS, cli

    assert sorted(cli.commands) == sorted(COMMANDS)
    assert {name: cli.commands[name].name for name in COMMANDS} == {name: name for name in COMMANDS}


async def test_garbage_collection_resumes_once_the_first_frame_is_drawn(tmp_path: Path) -> None:
    """The CLI pauses the collector for start-up (run_app); the app turns it back on."""
    import gc

    from tracker.app import make_app

    db = tmp_path / "t.db"
    build_db(db)
    gc.disable()
    try:
        async with make_app(db).run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert gc.isenabled()
    finally:
        gc.enable()
