"""End to end: the installed `tracker` command driven in tmux as a user would."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import SEEDS, run_cli
from tracker.store import Store

TRACKER = Path(sys.executable).parent / "tracker"

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)")


class Tmux:
    """One detached tmux session at a fixed size."""

    def __init__(self, name: str, command: str, width: int = 80, height: int = 24) -> None:
        self.name = name
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", name, "-x", str(width), "-y", str(height), command],
            check=True,
        )

    def screen(self) -> str:
        result = subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True)
        return result.stdout

    def keys(self, *keys: str, literal: bool = False) -> None:
        args = ["tmux", "send-keys", "-t", self.name]
        if literal:
            args.append("-l")
        subprocess.run([*args, *keys], check=True)

    def wait_for(self, text: str, timeout: float = 20.0, *, pattern: bool = False) -> str:
        """Wait until `text` (a regex when `pattern`) is on screen; return the screen."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if (re.search(text, screen) if pattern else text in screen):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; screen was:\n{screen}")

    def alive(self) -> bool:
        return subprocess.run(["tmux", "has-session", "-t", self.name], capture_output=True).returncode == 0

    def kill(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


@pytest.fixture
def seeded_db(tmp_path: Path) -> Path:
    db = tmp_path / "e2e.db"
    assert run_cli(db, "import", str(SEEDS)).returncode == 0
    return db


@pytest.fixture
def session(seeded_db: Path, tmp_path: Path) -> Iterator[Tmux]:
    # Textual draws on stderr, so neither stream is redirected.
    tmux = Tmux(f"tracker-e2e-{os.getpid()}-{tmp_path.name}", f"TERM=xterm-256color {TRACKER} --db {seeded_db}")
    yield tmux
    tmux.kill()


def test_app_opens_on_the_demo_case_and_adds_an_event(session: Tmux, seeded_db: Path) -> None:
    screen = session.wait_for("Xiaomi")
    assert "2021-05-11" in screen  # the timeline of the selected case is shown
    session.keys("a")
    session.wait_for("Title")
    time.sleep(0.5)  # a person reads the form before typing; keys sent mid-mount are dropped
    session.keys("March 15, 2021", literal=True)
    session.wait_for("2021-03-15")  # the normalised date is shown before saving
    session.keys("Tab")
    time.sleep(0.3)  # under load, text sent with the Tab can reach the date field first
    session.keys("Sanctions lifted in full", literal=True)
    session.keys("Enter")
    # The new row in the timeline, not the text still in the form's input.
    session.wait_for(r"2021-03-15\s+Sanctions lifted", pattern=True)
    session.wait_for("Timeline")
    assert "New event" not in session.screen()
    session.keys("q")
    deadline = time.monotonic() + 10
    while session.alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not session.alive(), "q did not quit the app"
    store = Store(seeded_db)
    case = store.list_cases()[0]
    added = [e for e in store.list_events(case.id) if e.title == "Sanctions lifted in full"]
    assert [(e.date, e.status, e.origin) for e in added] == [("2021-03-15", "confirmed", "manual")]


def test_help_screen_lists_the_keys(session: Tmux) -> None:
    session.wait_for("Xiaomi")
    session.keys("?")
    session.wait_for("tracker keys")
    screen = session.wait_for("Add an event")  # the title can be drawn a frame before the list (a loaded machine)
    for word in ("Confirm", "Reject", "Delete", "Search", "Add an event"):
        assert word in screen
    session.keys("Escape")
    deadline = time.monotonic() + 10
    while "tracker keys" in session.screen() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "tracker keys" not in session.screen()
    assert "Timeline" in session.screen()


def test_add_tag_search_quit_then_the_database_holds_it(session: Tmux, seeded_db: Path) -> None:
    """Launch, add an event with a natural-language date, tag it, find it with
    /, quit; then `tracker events --json` shows it with its tag."""
    session.wait_for("Xiaomi")
    session.keys("a")
    session.wait_for("Title")
    time.sleep(0.5)  # keys sent while the form mounts are dropped
    session.keys("March 3, 2021", literal=True)
    session.wait_for("2021-03-03")
    session.keys("Tab")
    time.sleep(0.3)  # under load, text sent with the Tab can reach the date field first
    session.keys("Embargo hearing postponed", literal=True)
    session.keys("Enter")
    session.wait_for(r"2021-03-03\s+Embargo hearing postponed", pattern=True)
    session.keys("t")  # the cursor is on the new event
    session.wait_for("Embargo hearing postponed")
    time.sleep(0.5)
    session.keys("sanctions-e2e", literal=True)
    session.keys("Enter")
    session.wait_for("sanctions-e2e")
    session.keys("/")
    time.sleep(0.5)
    session.keys("embargo postponed", literal=True)
    screen = session.wait_for(r"\d+ results?", pattern=True)
    assert "Embargo hearing postponed" in screen
    session.keys("Down")
    session.keys("Enter")
    session.wait_for("Timeline")
    session.keys("q")
    deadline = time.monotonic() + 10
    while session.alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not session.alive(), "q did not quit the app"
    case = Store(seeded_db).list_cases()[0]
    listed = run_cli(seeded_db, "events", str(case.id), "--json")
    assert listed.returncode == 0, listed.stderr
    found = [e for e in json.loads(listed.stdout) if e["title"] == "Embargo hearing postponed"]
    assert len(found) == 1, listed.stdout[:500]
    assert found[0]["date"] == "2021-03-03" and "sanctions-e2e" in found[0]["tags"]


def test_the_correction_flow(seeded_db: Path, tmp_path: Path) -> None:
    """Two stories imported; a source's year fixed in the reader and its events move;
    two events joined; the rest confirmed with c stepping down; the brief exported."""
    tmux = Tmux(f"tracker-fix-{os.getpid()}-{tmp_path.name}", f"TERM=xterm-256color {TRACKER} --db {seeded_db}")
    try:
        tmux.wait_for("Xiaomi")
        tmux.wait_for("2021-01-14")
        tmux.keys("Enter")  # into the timeline; the first event, from the May story
        time.sleep(0.3)
        tmux.keys("g")
        tmux.keys("o")
        tmux.wait_for("Events from this source")
        time.sleep(0.3)
        tmux.keys("e")
        tmux.wait_for("Source facts")
        time.sleep(0.5)
        tmux.keys("C-u")
        tmux.keys("2022-05-11", literal=True)
        tmux.keys("Enter")
        tmux.wait_for("2022-01-14")  # "On January 14 this year" moved with the year
        tmux.keys("Escape")
        tmux.wait_for(r"2022-01-14\s+Former", pattern=True)
        store = Store(seeded_db)
        case = store.list_cases()[0]
        count = len(store.list_events(case.id))
        assert "2021-01-14" not in [e.date for e in store.list_events(case.id)]
        store.close()
        tmux.wait_for(rf"Timeline.*\({count} events\)", pattern=True)

        tmux.keys("g", "j", "Space", "k", "k")  # mark the second event, back on the first
        tmux.keys("J")
        tmux.wait_for("Join 1 marked event")
        tmux.keys("y")
        tmux.wait_for(rf"Timeline.*\({count - 1} events\)", pattern=True)

        tmux.keys("g", *["c"] * (count - 1))  # c confirms and steps down
        deadline = time.monotonic() + 10
        statuses: set[str] = set()
        while time.monotonic() < deadline:
            store = Store(seeded_db)
            statuses = {e.status for e in store.list_events(case.id)}
            store.close()
            if statuses == {"confirmed"}:
                break
            time.sleep(0.2)
        assert statuses == {"confirmed"}

        brief = tmp_path / "brief.md"
        tmux.keys("E")
        tmux.wait_for("Markdown (a chronology")
        time.sleep(0.5)
        tmux.keys("Enter")  # Markdown, highlighted first
        time.sleep(0.5)
        tmux.keys("C-u")
        time.sleep(0.2)
        tmux.keys(str(brief), literal=True)
        tmux.wait_for("brief.md")
        tmux.keys("Enter")
        deadline = time.monotonic() + 20
        while not brief.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        text = brief.read_text(encoding="utf-8")
        assert text.startswith("# Xiaomi") and f"**Confirmed:** {count - 1} of {count - 1} events" in text
        assert "- **Jan. 14, 2022**:" in text
        tmux.keys("q")
    finally:
        tmux.kill()
