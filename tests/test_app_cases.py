"""Cases in the app, by keys at 80x24 on a real SQLite file: `n` new
case, `R` rename, `C` close and reopen (dimmed, kept in title order), `m` move the
selected event to another case (title completion), `M` merge two cases (confirmed);
moves and merges are undone by `u`."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from tests.test_app import SIZE, app_for, events, goto_event, opened, screen_lines
from tracker.screens.confirm import ConfirmModal
from tracker.screens.prompt import PromptScreen


def titles(db: Path) -> list[tuple[str, str]]:
    with opened(db) as store:
        return [(c.title, c.state) for c in store.list_cases()]


async def test_new_rename_close_and_reopen_a_case(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        await pilot.press(*"Beta [b]case[/b]", "enter")
        await pilot.pause()
        main = app.main
        assert main.cases.current is not None and main.cases.current.title == "Beta [b]case[/b]"
        assert "Beta [b]case[/b]" in "\n".join(screen_lines(app))  # literal, not markup
        # A title that exists is refused in place.
        await pilot.press("n", *"acme v. widgets", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        assert "exists already" in app.screen.query_one("#prompt-error", Static).content.plain
        await pilot.press("escape")
        await pilot.pause()
        # R renames the selected case; the input starts with the old title.
        await pilot.press("R")
        await pilot.pause()
        field = app.screen.query_one(Input)
        assert field.value == "Beta [b]case[/b]"
        field.value = ""
        await pilot.press(*"Beta matter", "enter")
        await pilot.pause()
        assert main.cases.current.title == "Beta matter"
        # C closes it: still in its place by title, dimmed and marked; C again reopens.
        await pilot.press("C")
        await pilot.pause()
        assert main.cases.current.title == "Beta matter" and main.cases.current.state == "closed"
        row = main.cases.get_row_at(main.cases.cursor_row)
        assert row[0].plain.startswith("Beta matter (closed)") and "dim" in str(row[0].style)
        assert titles(db_path) == [("Acme v. Widgets", "open"), ("Beta matter", "closed"), ("Other matter", "open")]
        await pilot.press("C")
        await pilot.pause()
        assert main.cases.current.state == "open"
    assert titles(db_path) == [("Acme v. Widgets", "open"), ("Beta matter", "open"), ("Other matter", "open")]
    with opened(db_path) as store:
        actions = [r["action"] for r in store.db.query("SELECT action FROM audit WHERE entity = 'case' ORDER BY id")]
    assert actions == ["new-case", "new-case", "new-case", "rename", "close", "reopen"]


async def test_m_moves_the_event_to_a_case_completed_by_title_and_u_undoes(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto_event(pilot, app, "The hearing was held")
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        await pilot.press("o", "t")
        await pilot.pause()
        field = app.screen.query_one(Input)
        assert field._suggestion == "other matter"  # completion from the case titles
        await pilot.press("right", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, PromptScreen)
        assert "The hearing was held" not in [e.title for e in app.main.timeline.events]
        assert [e.title for e in events(db_path, "Other matter")] == ["The hearing was held"]
        await pilot.press("u")
        await pilot.pause()
        assert "The hearing was held" in [e.title for e in app.main.timeline.events]
    assert events(db_path, "Other matter") == []
    assert "The hearing was held" in [e.title for e in events(db_path)]


async def test_m_refuses_an_unknown_case_in_place(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto_event(pilot, app, "Acme Inc was sued")
        await pilot.press("m", *"Nowhere", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        assert "no case 'Nowhere'" in app.screen.query_one("#prompt-error", Static).content.plain
        await pilot.press("escape")
    assert len(events(db_path)) == 3


async def test_M_merges_the_case_into_another_after_confirming_and_u_undoes(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        main = app.main
        assert main.cases.current.title == "Acme v. Widgets"
        await pilot.press("M", *"Other", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")  # no: nothing happens
        await pilot.pause()
        assert titles(db_path) == [("Acme v. Widgets", "open"), ("Other matter", "open")]
        await pilot.press("M", *"Other matter", "enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert titles(db_path) == [("Other matter", "open")]
        assert main.cases.current.title == "Other matter"
        assert len(main.timeline.events) == 3
        await pilot.press("u")
        await pilot.pause()
        assert [c.title for c in main.cases.cases] == ["Acme v. Widgets", "Other matter"]
    assert titles(db_path) == [("Acme v. Widgets", "open"), ("Other matter", "open")]
    assert len(events(db_path)) == 3 and events(db_path, "Other matter") == []
    with opened(db_path) as store:
        acme = store.find_case("Acme v. Widgets")
        assert (acme.event_count, acme.source_count) == (3, 1)
        assert store.check() == []


def test_undoing_a_merge_after_its_id_and_title_were_taken_again(db_path: Path) -> None:
    """Case ids are reused and titles can be taken again after a merge: the undo brings
    the case back under a new id or title instead of failing for ever; and an undo that
    cannot be done is set aside so the next one reaches the change before it."""
    with opened(db_path) as store:
        acme = store.find_case("Acme v. Widgets")
        other = store.find_case("Other matter")
        store.merge_cases(acme.id, other.id)
        reused = store.ensure_case("Acme v. Widgets")
        entry = store.undo_last()
        assert entry.action == "merge-cases"
        back = [c for c in store.list_cases() if c.title.startswith("Acme v. Widgets (restored")]
        assert len(back) == 1 and back[0].event_count == acme.event_count
        assert store.get_case(reused).event_count == 0
        assert store.get_case(other.id).event_count == other.event_count


def test_undoing_a_merge_whose_case_id_was_reused(db_path: Path) -> None:
    with opened(db_path) as store:
        acme = store.find_case("Acme v. Widgets")
        other = store.find_case("Other matter")
        assert other.id > acme.id
        store.merge_cases(other.id, acme.id)
        newcomer = store.ensure_case("Newcomer")
        assert newcomer == other.id  # SQLite reuses the highest id
        store.undo_last()
        titles = {c.title: c.id for c in store.list_cases()}
        assert titles["Newcomer"] == newcomer and "Other matter" in titles and titles["Other matter"] != newcomer


async def test_u_takes_back_a_rename_and_a_close(db_path: Path) -> None:
    """R renames, C closes; u undoes the close, then the rename (newest first), and an
    undo whose case is gone is set aside instead of blocking the older changes."""
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        main = app.main
        main.cases.focus()
        await pilot.press("R")
        await pilot.pause()
        await pilot.press("ctrl+u", *"Acme renamed", "enter")
        await pilot.pause()
        await pilot.press("C")
        await pilot.pause()
        with opened(db_path) as store:
            assert store.find_case("Acme renamed").state == "closed"
        await pilot.press("u")
        await pilot.pause()
        with opened(db_path) as store:
            assert store.find_case("Acme renamed").state == "open"
        await pilot.press("u")
        await pilot.pause()
        with opened(db_path) as store:
            assert store.find_case("Acme v. Widgets").state == "open"


def test_an_undo_whose_case_is_gone_is_set_aside(db_path: Path) -> None:
    import pytest

    from tracker.store import StoreError

    with opened(db_path) as store:
        other = store.find_case("Other matter")
        acme = store.find_case("Acme v. Widgets")
        event = store.list_events(acme.id)[0]
        store.set_status(event.id, "confirmed")
        store.set_case_state(other.id, "closed")
        with store._write() as db:  # as if another tool removed the case outright
            db.execute("DELETE FROM cases WHERE id = ?", [other.id])
        with pytest.raises(StoreError, match="no longer exists"):
            store.undo_last()
        assert store.undo_last().action == "confirmed"  # the change before it
        assert store.get_event(event.id).status == "suggested"
