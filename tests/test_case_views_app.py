"""The case views in the app, through keys only, checked in the database."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.widgets import Static

from tests.test_cases import ACME_1, ACME_2, OTHER, VAGUE
from tracker.app import make_app
from tracker.importer import import_paths
from tracker.screens.case_views import AgendaScreen, AsOfScreen, CaseFactsScreen, VerifyScreen
from tracker.screens.main import MainScreen
from tracker.store import Store

TODAY = date(2023, 4, 1)


def build(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in {"a1.txt": ACME_1, "a2.txt": ACME_2, "other.txt": OTHER, "vague.txt": VAGUE}.items():
        (docs / name).write_text(text, encoding="utf-8")
    db = tmp_path / "views.db"
    store = Store(db)
    import_paths(store, [docs], today=date(2026, 1, 1))
    store.close()
    return db


def report_text(app: object) -> str:
    return app.screen.query_one("#report", Static).content.plain  # type: ignore[attr-defined]


async def test_facts_view_edits_and_files(tmp_path: Path) -> None:
    db = build(tmp_path)
    app = make_app(db, today=lambda: TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.main.cases.current.title == "Acme Robotics v. Borealis Grid"
        await pilot.press("f")
        assert isinstance(app.screen, CaseFactsScreen)
        text = report_text(app)
        assert "1:23-cv-00412" in text and "Judge Maria Okafor" in text and "filed because: shares" in text
        await pilot.press(*"status=decided", "enter")
        await pilot.press(*"rename Acme v. Borealis", "enter")
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
    store = Store(db)
    case = store.find_case("Acme v. Borealis")
    assert [(f.field, f.value) for f in store.case_facts(case.id) if f.origin == "manual"] == [("status", "decided")]


async def test_as_known_on_verify_and_agenda(tmp_path: Path) -> None:
    db = build(tmp_path)
    app = make_app(db, today=lambda: TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("K")
        assert isinstance(app.screen, AsOfScreen)
        await pilot.press(*"2023-03-05", "enter")
        text = report_text(app)
        assert "as known on 2023-03-05" in text and "2023-02-27" in text and "+3 d" in text
        assert "refused to dismiss" not in text  # reported only in May
        await pilot.press("escape", "V")
        assert isinstance(app.screen, VerifyScreen)
        assert "single source" in report_text(app)
        await pilot.press("escape", "A")
        assert isinstance(app.screen, AgendaScreen)
        assert "2023-04-14" in report_text(app)
        await pilot.press(*"3", "enter")
        assert "2023-04-14" not in report_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_case_facts_show_above_the_timeline(tmp_path: Path) -> None:
    db = build(tmp_path)
    app = make_app(db, today=lambda: TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        header = app.main.query_one("#case-header", Static)
        assert "Judge Maria Okafor" in header.content.plain and "1:23-cv-00412" in header.content.plain
        await pilot.press("f", *"status=settled", "enter", "escape")
        await pilot.pause()
        assert header.content.plain.startswith("settled")
