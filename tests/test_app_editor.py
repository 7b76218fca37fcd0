"""The event editor driven through keys at 80x24 on a real SQLite file.

Adding and editing with a natural-language date (against today or the source's date),
a note, tags and passage links; invalid input explained in place and never saved; one
undo reverting a whole edit; markup-looking notes and tags kept literal.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from tests.test_app import app_for, by_title, events, goto_event, opened, screen_has_link, screen_lines, type_text
from tracker.screens.event_form import EventForm, PassageList
from tracker.screens.main import MainScreen

SIZE = (80, 24)


async def test_add_with_date_note_tags_and_a_linked_passage(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")
        form = app.screen
        assert isinstance(form, EventForm)
        text = "\n".join(screen_lines(app))
        assert "Relative to today, Wed 2024-05-15" in text and "ctrl+t: 2021-09-02" in text
        await type_text(pilot, "last Friday")
        assert form.query_one("#preview", Static).content.plain == "→ 2024-05-10 (day)"
        await pilot.press("tab")
        await type_text(pilot, "Judge orders discovery")
        await pilot.press("tab")
        assert app.focused is form.query_one("#note", Input)
        await type_text(pilot, "Call the clerk [b]Monday[/b]")
        await pilot.press("tab")
        assert app.focused is form.query_one("#tags", Input)
        await type_text(pilot, "discovery, [red]court[/red]")
        await pilot.press("tab")
        passages = form.query_one("#passages", PassageList)
        assert app.focused is passages
        # Three passages of the case's source, none linked yet: link the second one.
        assert len(passages.excerpts) == 3 and passages.selected == []
        await pilot.press("down", "space")
        assert "[x] Court [i]news[/i] report" in "\n".join(screen_lines(app))
        assert "Passages: 1 linked" in form.query_one("#passages-label", Static).content.plain
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.main.timeline.current.title == "Judge orders discovery"
        shown = app.main.excerpts.shown.plain
        assert shown.startswith("Note: Call the clerk [b]Monday[/b]")
        assert not screen_has_link(app)
    added = by_title(db_path, "Judge orders discovery")
    assert (added.date, added.granularity, added.date_text) == ("2024-05-10", "day", "last Friday")
    assert (added.status, added.origin) == ("confirmed", "manual")
    assert added.note == "Call the clerk [b]Monday[/b]"
    assert added.tags == ("[red]court[/red]", "discovery")
    with opened(db_path) as store:
        linked = store.event_excerpts(added.id)
    assert [x.text for x in linked] == ["The hearing was held in June 2021 before Judge Ray."]


async def test_edit_against_the_source_date_unlinks_and_one_undo_reverts_it(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto_event(pilot, app, "The hearing was held")
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, EventForm)
        passages = form.query_one("#passages", PassageList)
        assert [x.text[:20] for x in form.linked] == ["The hearing was held"]
        assert passages.selected == [form.linked[0].id]
        # The source was published Thu 2021-09-02: "last Friday" from there is 2021-08-27.
        await pilot.press("ctrl+t")
        assert "Relative to the source's date, Thu 2021-09-02" in form.query_one("#base", Static).content.plain
        await pilot.press("ctrl+u")
        await type_text(pilot, "last Friday")
        assert form.query_one("#preview", Static).content.plain == "→ 2021-08-27 (day)"
        await pilot.press("f2")  # back to today
        assert form.query_one("#preview", Static).content.plain == "→ 2024-05-10 (day)"
        await pilot.press("ctrl+t")
        await pilot.press("tab", "tab")
        await type_text(pilot, "Per the court report")
        await pilot.press("tab")
        await type_text(pilot, "hearing")
        await pilot.press("tab", "space")  # unlink the event's own passage
        assert passages.selected == []
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.main.timeline.current.title == "The hearing was held"
    edited = by_title(db_path, "The hearing was held")
    assert (edited.date, edited.date_text, edited.note, edited.tags) == (
        "2021-08-27", "last Friday", "Per the court report", ("hearing",))
    assert edited.source_count == 0
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:  # after a restart, one u undoes the whole edit
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
    restored = by_title(db_path, "The hearing was held")
    assert (restored.date, restored.date_text, restored.note, restored.tags, restored.source_count) == (
        "2021-06", "June 2021", "", (), 1)


async def test_invalid_input_is_explained_in_place_and_never_saved(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")
        form = app.screen
        await type_text(pilot, "the day after never")
        assert form.query_one("#preview", Static).content.plain.startswith("✗")
        await pilot.press("tab")
        await type_text(pilot, "Not to be saved")
        await pilot.press("tab")
        await type_text(pilot, "a note")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#form-error", Static).content.plain.startswith("Not saved:")
        assert app.focused is form.query_one("#date", Input)
        # A good date but a tag name that is too long: refused at the tags field.
        await pilot.press("ctrl+u")
        await type_text(pilot, "Jan 14")
        assert form.query_one("#preview", Static).content.plain == "→ 2024-01-14 (day)"
        await pilot.press("tab", "tab", "tab")
        await type_text(pilot, "ok, " + "y" * 70)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form
        assert "at most 64 characters" in form.query_one("#form-error", Static).content.plain
        assert app.focused is form.query_one("#tags", Input)
        # Typing clears the message; Escape leaves without saving anything.
        await type_text(pilot, "z")
        assert str(form.query_one("#form-error", Static).content) == ""
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    assert len(events(db_path)) == 3
    with opened(db_path) as store:
        assert store.list_tags() == []


async def test_tags_complete_from_known_tags_in_the_editor(db_path: Path) -> None:
    with opened(db_path) as store:
        first = store.list_events(store.find_case("Acme v. Widgets").id)[0]
        store.tag_events([first.id], ["injunction"])
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto_event(pilot, app, "The hearing was held")
        await pilot.press("e", "tab", "tab", "tab")
        form = app.screen
        assert app.focused is form.query_one("#tags", Input)
        await type_text(pilot, "inj")
        await pilot.pause()
        await pilot.press("right")
        assert form.query_one("#tags", Input).value == "injunction"
        await pilot.press("enter")
        await pilot.pause()
    assert by_title(db_path, "The hearing was held").tags == ("injunction",)


def test_an_event_moved_to_another_case_keeps_its_passages_and_stays_editable(db_path: Path) -> None:
    """Moving an event keeps the passages it was read from; saving it again must not
    refuse them for coming from the old case's source, while a new link still must be
    from a source of its case."""
    import pytest

    from tracker.store import StoreError

    with opened(db_path) as store:
        acme = store.find_case("Acme v. Widgets").id
        other = store.find_case("Other matter").id
        event = store.list_events(acme)[0]
        kept = [x.id for x in store.event_excerpts(event.id)]
        store.move_event(event.id, other)
        saved = store.save_event(other, event.id, value=event.date, granularity=event.granularity,
                                 date_text=event.date_text, title="Renamed after the move", note="",
                                 tags=[], excerpt_ids=kept)
        assert saved.title == "Renamed after the move"
        assert [x.id for x in store.event_excerpts(event.id)] == kept
        foreign = next(x.id for e in store.list_events(acme) for x in store.event_excerpts(e.id) if x.id not in kept)
        with pytest.raises(StoreError, match="not from a source of this case"):
            store.save_event(other, event.id, value=event.date, granularity=event.granularity,
                             date_text=event.date_text, title="x", note="", tags=[], excerpt_ids=[*kept, foreign])
