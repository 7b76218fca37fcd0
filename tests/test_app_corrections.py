"""Correcting and reviewing by hand in the app, driven by keys on a real SQLite file:
c/x stepping down, joining events, deleting an empty case, the undated filter, the
editor's kind and passage lines, the reader's corrections (source facts, link, split,
confirm all), reports whose rows jump, fuzzy case pickers, search into the reader, E
asking before replacing a file, and the pane heights."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList, Static

from tests.conftest import MARKUP_TITLE, SOURCE_TEXT
from tests.test_app import SIZE, app_for, by_title, events, goto_event, opened, screen_lines, type_text
from tracker.screens.case_views import CaseFactsScreen, VerifyScreen
from tracker.screens.confirm import ConfirmModal
from tracker.screens.event_form import EventForm
from tracker.screens.export import ExportScreen
from tracker.screens.main import MainScreen
from tracker.screens.prompt import PromptScreen
from tracker.screens.reader import ReaderScreen
from tracker.screens.search import SearchScreen
from tracker.screens.source_form import SourceForm

SUED, HEARING = "Acme Inc was sued", "The hearing was held"


async def test_c_and_x_step_down_and_S_turns_it_off(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto_event(pilot, app, SUED)
        timeline = app.main.timeline
        await pilot.press("c")
        await pilot.pause()
        assert by_title(db_path, SUED).status == "confirmed"
        assert timeline.current is not None and timeline.current.title == HEARING
        await pilot.press("x")
        await pilot.pause()
        assert by_title(db_path, HEARING).status == "rejected"
        assert timeline.current is not None and timeline.current.title == MARKUP_TITLE
        await pilot.press("S", "k")  # stepping off: c stays on the event
        await pilot.press("c")
        await pilot.pause()
        assert by_title(db_path, HEARING).status == "confirmed"
        assert timeline.current is not None and timeline.current.title == HEARING


async def test_J_joins_the_marked_events_and_u_parts_them(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto_event(pilot, app, HEARING)
        await pilot.press("space")  # marks the hearing, steps to the third
        await pilot.press("k", "k")  # back to the first: the one to keep
        await pilot.press("J")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await pilot.pause()
        assert [e.title for e in events(db_path)] == [SUED, MARKUP_TITLE]
        assert by_title(db_path, SUED).source_count == 1
        with opened(db_path) as store:
            assert len(store.event_excerpts(by_title(db_path, SUED).id)) == 2
        assert len(app.main.timeline.events) == 2
        await pilot.press("u")
        await pilot.pause()
        assert [e.title for e in events(db_path)] == [SUED, HEARING, MARKUP_TITLE]


async def test_D_deletes_only_an_empty_case_and_u_brings_it_back(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("D")  # Acme v. Widgets has events: refused
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await pilot.press("j", "D")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await pilot.pause()
        with opened(db_path) as store:
            assert [c.title for c in store.list_cases()] == ["Acme v. Widgets"]
        assert app.main.cases.row_count == 1
        await pilot.press("u")
        await pilot.pause()
        with opened(db_path) as store:
            assert "Other matter" in [c.title for c in store.list_cases()]


async def test_U_shows_the_undated_events(db_path: Path) -> None:
    with opened(db_path) as store:
        store.add_event(store.find_case("Acme v. Widgets").id, None, "day", "", "Date unknown")
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.main.timeline.focus()
        await pilot.press("U")
        await pilot.pause()
        assert [e.title for e in app.main.timeline.events] == ["Date unknown"]
        assert "only undated" in "\n".join(screen_lines(app))
        await pilot.press("U")
        await pilot.pause()
        assert len(app.main.timeline.events) == 4


async def test_the_editor_sets_the_kind_and_shows_the_words_of_each_passage(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto_event(pilot, app, HEARING)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EventForm)
        passages = form.query_one("#passages", OptionList)
        first = str(passages.get_option_at_index(0).prompt)
        assert "The hearing was held in June 2021" in first and "2021-06" in first
        await pilot.press("ctrl+o")
        assert "scheduled" in form.query_one("#passages-label", Static).content.plain
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    assert by_title(db_path, HEARING).kind == "scheduled"


async def test_the_reader_corrects_the_source_date_and_the_events_move(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto_event(pilot, app, SUED)
        await pilot.press("o")
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, SourceForm)
        date_field = form.query_one("#source-published", Input)
        assert date_field.value == "2021-09-02"
        date_field.value = "2021"
        form.query_one("#source-outlet", Input).value = "Court News"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is reader
        head = reader.query_one("#reader-head", Static).content.plain
        assert "Court News" in head and "(2021, typed)" in head
        with opened(db_path) as store:
            source = store.all_sources()[0]
            assert (source.published, source.published_basis) == ("2021", "user")
            assert store.source_facts(source.id)["outlet"] == "Court News"
        await pilot.press("C")  # every event of the source confirmed at once
        await pilot.pause()
        assert {e.status for e in events(db_path)} == {"confirmed"}
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await pilot.press("u")  # the bulk confirm
        await pilot.pause()
        assert {e.status for e in events(db_path)} == {"suggested"}


async def test_the_reader_links_a_passage_to_an_event_and_splits_it_off(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto_event(pilot, app, SUED)
        await pilot.press("o")
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        start = SOURCE_TEXT.index("The hearing")
        reader.cursor = (start, SOURCE_TEXT.index(".", start) + 1)
        await pilot.press("L")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, PromptScreen)
        await type_text(pilot, "sued")
        await pilot.pause()
        assert picker.shown and "Acme Inc was sued" in picker.shown[0]
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is reader
        sued = by_title(db_path, SUED)
        assert sued.conflict  # the hearing's passage gives June 2021: the ! says so
        with opened(db_path) as store:
            assert len(store.event_excerpts(sued.id)) == 2
        reader.from_event = sued.id
        await pilot.press("S")  # the passage under the cursor off the event again
        await pilot.pause()
        pieces = [e for e in events(db_path) if e.title == SUED]
        assert len(pieces) == 2 and not any(e.conflict for e in pieces)
        assert sorted(e.date for e in pieces) == ["2021-03-03", "2021-06"]


async def test_report_rows_jump_and_the_facts_screen_focuses_its_list(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, CaseFactsScreen)
        assert not isinstance(app.screen.focused, Input)
        await pilot.press("enter")  # the first source row: the reader
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("escape", "escape")
        await pilot.pause()
        await pilot.press("V")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, VerifyScreen)
        await pilot.press("j", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.main.timeline.current is not None and app.main.timeline.current.title == HEARING


async def test_move_picker_lists_cases_fuzzily(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto_event(pilot, app, HEARING)
        await pilot.press("m")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, PromptScreen)
        await type_text(pilot, "othmat")
        await pilot.pause()
        assert picker.shown == ["Other matter"]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    assert HEARING in [e.title for e in events(db_path, "Other matter")]


async def test_search_enter_on_a_source_reads_it(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        await type_text(pilot, "news")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        search = app.screen
        assert isinstance(search, SearchScreen)
        key = next(k for k, hit in search.hits.items() if hit.kind == "source")
        search.jump(key)
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is search


async def test_E_asks_before_replacing_a_file(db_path: Path, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "acme-v-widgets.md"
    target.write_text("keep me", encoding="utf-8")
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("E")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("enter", "enter")  # the format, then the name: refused once
        await pilot.pause()
        assert "Enter again replaces it" in app.screen.query_one("#export-message", Static).content.plain
        assert target.read_text(encoding="utf-8") == "keep me"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert target.read_text(encoding="utf-8").startswith("# Acme v. Widgets")


async def test_pane_heights(db_path: Path) -> None:
    with opened(db_path) as store:
        for n in range(8):
            store.ensure_case(f"Case {n}")
    app = app_for(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.main.cases.size.height - 1 >= 5  # the header row aside
    async with app_for(db_path).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        main = pilot.app.main
        assert main.has_class("-wide")
        assert main.cases.size.height >= 35


async def test_K_says_why_the_record_is_empty(db_path: Path) -> None:
    from tracker.screens.case_views import AsOfScreen

    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("K")
        await pilot.pause()
        assert isinstance(app.screen, AsOfScreen)
        await pilot.press(*"2020-07-01", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = app.screen.query_one("#report", Static).content.plain
        assert "no source of this case was published by 2020-07-01 (the first was published 2021-09-02)" in text
