"""The app with others at work on the same file, and with hostile text on screen."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import build_db
from tests.helpers import run_cli
from tests.test_e2e_tmux import TRACKER, Tmux
from tracker.app import make_app
from tracker.store import Store

HOSTILE = (
    "Escape Corp sues Evil Inc\n\n"
    "\x1b]0;PWNED\x07The \x1b[31mred\x1b[0m filing came on March 9, 2021 and said "
    "[link=file:///etc/passwd]click[/link] [bold red]loud[/bold red].\x1b]8;;file:///etc\x07x\x1b]8;;\x07\n"
)


async def test_app_shows_what_another_process_adds(tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    build_db(db)
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        before = len(app.main.timeline.events)
        result = run_cli(db, "add", "Acme v. Widgets", "--date", "2021-01-02", "--title", "Added elsewhere")
        assert result.returncode == 0, result.stderr
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and len(app.main.timeline.events) == before:
            await pilot.pause(0.2)
        assert any(e.title == "Added elsewhere" for e in app.main.timeline.events)


async def test_undo_key_reverts_the_last_change(tmp_path: Path) -> None:
    db = tmp_path / "undo.db"
    ids = build_db(db)
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("tab")
        event = app.main.timeline.current
        await pilot.press("c")  # confirm the first event of the timeline (the cursor steps on)
        await pilot.pause()
        assert event is not None and Store(db).get_event(event.id).status == "confirmed"
        await pilot.press("u")
        await pilot.pause()
        assert Store(db).get_event(event.id).status == "suggested"
    assert ids


@pytest.mark.skipif(subprocess.run(["which", "tmux"], capture_output=True).returncode, reason="no tmux")
def test_terminal_receives_no_injected_sequences(tmp_path: Path) -> None:
    doc = tmp_path / "hostile.txt"
    doc.write_text(HOSTILE, encoding="utf-8")
    db = tmp_path / "hostile.db"
    assert run_cli(db, "import", str(doc)).returncode == 0
    raw = tmp_path / "raw.bin"
    tmux = Tmux(f"tracker-bytes-{tmp_path.name}", f"TERM=xterm-256color {TRACKER} --db {db}")
    try:
        subprocess.run(["tmux", "pipe-pane", "-o", "-t", tmux.name, f"cat >> {raw}"], check=True)
        tmux.keys("r")  # redraw everything while the bytes are captured
        tmux.keys("Tab")
        screen = tmux.wait_for("[link=file:///etc/passwd]click[/link]")
        assert "[bold red]loud[/bold red]" in screen
        time.sleep(0.5)
        tmux.keys("q")
    finally:
        tmux.kill()
    data = raw.read_bytes()
    assert data, "nothing was captured"
    assert b"PWNED" not in data
    assert b"\x1b]8;" not in data  # no hyperlink reached the terminal
    assert b"\x1b]0;" not in data  # nor a window-title change
    assert b"[link=file:///etc/passwd]" in data or b"link=file:///etc/passwd" in data
    assert sys.platform != "win32"
