"""Write the README's screenshots (docs/screenshots/*.svg) with the app itself.

    .venv/bin/python scripts/screenshots.py [OUT_DIR]

Builds a temporary database from seeds/ the way `tracker demo` does, drives the app
with Textual's pilot at 100x30 with today pinned (so relative dates and the pictures
are stable), and saves Textual's own SVG screenshots: the main screen, search results,
the source reader, the event editor and the command palette. Run it after changing anything on screen and
commit the SVGs; tests/test_snapshots.py pins the same screens as text at 80x24.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tracker.app import make_app  # noqa: E402
from tracker.importer import import_paths  # noqa: E402
from tracker.store import Store  # noqa: E402

SIZE = (100, 30)
TODAY = date(2024, 5, 15)


def seeded(path: Path) -> Path:
    """A database holding the shipped seeds, as `tracker demo` imports them."""
    store = Store(path)
    try:
        import_paths(store, [ROOT / "seeds"])
    finally:
        store.close()
    return path


async def shoot(db: Path, out: Path) -> list[Path]:
    app = make_app(db, today=lambda: TODAY)
    written: list[Path] = []

    def save(name: str) -> None:
        written.append(Path(app.save_screenshot(filename=f"{name}.svg", path=str(out))))

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.main.timeline.focus()
        await pilot.press("j", "j")
        await pilot.pause()
        save("main")
        await pilot.press("o")
        await pilot.pause(0.3)
        await pilot.press("J")
        await pilot.pause()
        save("reader")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("slash", *"court")
        await pilot.pause(0.6)
        save("search")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("a", *"last Friday", "tab", *"Hearing moved to June")
        await pilot.pause()
        save("editor")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause(0.5)
        save("palette")
    return written


def main(argv: list[str]) -> None:
    out = Path(argv[0]) if argv else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for path in asyncio.run(shoot(seeded(Path(tmp) / "demo.db"), out)):
            print(path)


if __name__ == "__main__":
    main(sys.argv[1:])
