"""The Textual app driven through its pilot at 80x24 on a real SQLite file (no mocks).

Each test builds the fixture database (conftest.build_db), presses keys as a user would,
then reads the database back through a separate Store to check what really got saved.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Input, Static

from tests.conftest import MARKUP_TITLE
from tracker.app import TrackerApp, make_app
from tracker.models import Event, Excerpt
from tracker.screens.confirm import ConfirmModal
from tracker.screens.event_form import EventForm
from tracker.screens.help import KEYS, HelpScreen, help_text
from tracker.screens.main import MainScreen
from tracker.screens.search import SearchScreen
from tracker.screens.tags import TagForm, parse_tag_input
from tracker.store import Store
from tracker.widgets.excerpts import PHRASE_STYLE, ExcerptsPane, render_excerpt
from tracker.widgets.table import LIST_BINDINGS
from tracker.widgets.timeline import Timeline

SIZE = (80, 24)
TODAY = date(2024, 5, 15)  # a Wednesday: "last Friday" is 2024-05-10


def app_for(db: Path) -> TrackerApp:
    return make_app(db, today=lambda: TODAY)


@contextmanager
def opened(db: Path) -> Iterator[Store]:
    store = Store(db)
    try:
        yield store
    finally:
        store.close()


def events(db: Path, case_title: str = "Acme v. Widgets") -> list[Event]:
    with opened(db) as store:
        return store.list_events(store.find_case(case_title).id)


def by_title(db: Path, title: str) -> Event:
    found = [e for e in events(db) if e.title == title]
    assert len(found) == 1, [e.title for e in events(db)]
    return found[0]


def screen_lines(app: TrackerApp) -> list[str]:
    """What the terminal shows now, line by line."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def screen_has_link(app: TrackerApp) -> bool:
    return any(seg.style is not None and seg.style.link for strip in app.screen._compositor.render_strips() for seg in strip)


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*text)


async def goto_event(pilot: Pilot[None], app: TrackerApp, title: str) -> None:
    """Focus the timeline and move the cursor down with j until `title` is selected."""
    main = app.main
    main.timeline.focus()
    await pilot.press("g")
    for _ in range(len(main.timeline.events)):
        current = main.timeline.current
        if current is not None and current.title == title:
            await pilot.pause()
            return
        await pilot.press("j")
    raise AssertionError(f"no event {title!r} in the timeline")


# -- panes and navigation ---------------------------------------------------------


async def test_three_panes_show_case_timeline_and_excerpts(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        main = app.main
        assert [c.title for c in main.cases.cases] == ["Acme v. Widgets", "Other matter"]
        row = main.cases.get_row("1")
        assert [cell.plain for cell in row] == ["Acme v. Widgets", "3", "3 sugg", "2021-03-03–2021-09-01"]
        assert [e.title for e in main.timeline.events][:2] == ["Acme Inc was sued", "The hearing was held"]
        cells = [cell.plain for cell in main.timeline.get_row_at(1)]
        assert cells == ["2021-06", "The hearing was held", "", "suggested", "1"]
        # The first event's excerpt: source line, then the passage with the phrase marked.
        shown = main.excerpts.shown
        assert isinstance(shown, Text)
        assert shown.plain.startswith("Court [i]news[/i] report  (2021-09-02)\n")
        marked = [shown.plain[s.start : s.end] for s in shown.spans if s.style == PHRASE_STYLE]
        assert marked == ["March 3, 2021"]
        lines = screen_lines(app)
        assert len(lines) == 24 and all(len(line) <= 80 for line in lines)
        text = "\n".join(lines)
        for word in ("Cases", "Timeline: Acme v. Widgets", "Excerpts", "Date", "Title", "Tags", "Status", "Src"):
            assert word in text
        assert "March 3, 2021 in the district court." in text
        # The footer lists the keys and fits in 80 columns, Quit included.
        assert lines[-1].split() == ["a", "Add", "e", "Edit", "t", "Tags", "c", "Confirm", "x", "Reject",
                                     "d", "Delete", "/", "Search", "?", "Help", "q", "Quit"]


async def test_keyboard_moves_between_panes_and_rows(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        main = app.main
        assert app.focused is main.cases
        await pilot.press("tab")
        assert app.focused is main.timeline
        await pilot.press("j")
        await pilot.pause()
        assert main.timeline.current.title == "The hearing was held"
        assert "The hearing was held in June 2021" in main.excerpts.shown.plain
        await pilot.press("down")
        await pilot.press("k")
        await pilot.pause()
        assert main.timeline.current.title == "The hearing was held"
        await pilot.press("G")
        assert main.timeline.cursor_row == 2
        await pilot.press("g", "j")
        await pilot.press("l")
        assert app.focused is main.excerpts
        await pilot.press("h", "h")
        assert app.focused is main.cases
        await pilot.press("shift+tab")
        assert app.focused is main.excerpts
        await pilot.press("right")
        assert app.focused is main.cases
        # Selecting the other case shows its (empty) timeline and no excerpt.
        await pilot.press("j")
        await pilot.pause()
        assert main.timeline.case_id == main.cases.cases[1].id
        assert main.timeline.events == [] and main.timeline.row_count == 0
        assert main.excerpts.event_id is None
        await pilot.press("k", "enter")
        await pilot.pause()
        assert app.focused is main.timeline
        assert len(main.timeline.events) == 3


async def test_wide_terminal_puts_cases_beside_the_timeline(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        main = app.main
        assert main.has_class("-wide")
        assert main.cases.region.x == 0 and main.timeline.region.x >= main.cases.region.right
    async with app_for(db_path).run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not pilot.app.main.has_class("-wide")


# -- adding and editing -------------------------------------------------------------


async def test_add_event_with_natural_language_date(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")
        form = app.screen
        assert isinstance(form, EventForm)
        assert app.focused is form.query_one("#date", Input)
        await type_text(pilot, "last Friday")
        preview = form.query_one("#preview", Static).content
        assert preview.plain == "→ 2024-05-10 (day)"
        await pilot.press("tab")
        assert app.focused is form.query_one("#title", Input)
        await type_text(pilot, "Motion to dismiss filed")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.main.timeline.current.title == "Motion to dismiss filed"
    added = by_title(db_path, "Motion to dismiss filed")
    assert (added.date, added.granularity, added.date_text) == ("2024-05-10", "day", "last Friday")
    assert (added.status, added.origin) == ("confirmed", "manual")


async def test_add_event_with_written_date_and_base_shown(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")
        assert any("today, Wed 2024-05-15" in line for line in screen_lines(app))
        await type_text(pilot, "March 12, 2021")
        assert any("→ 2021-03-12 (day)" in line for line in screen_lines(app))
        await pilot.press("tab")
        await type_text(pilot, "Hearing set")
        await pilot.press("enter")
        await pilot.pause()
    added = by_title(db_path, "Hearing set")
    assert (added.date, added.granularity, added.status, added.origin) == ("2021-03-12", "day", "confirmed", "manual")


async def test_bad_date_is_refused_in_place(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")
        form = app.screen
        await type_text(pilot, "blorp")
        assert form.query_one("#preview", Static).content.plain.startswith("✗ not a date")
        await pilot.press("tab")
        await type_text(pilot, "Should not be saved")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form  # still open, with the reason shown in place
        assert form.query_one("#form-error", Static).content.plain.startswith("Not saved: not a date")
        assert app.focused is form.query_one("#date", Input)
        assert any("Not saved" in line for line in screen_lines(app))
        # An empty title is refused too.
        form.query_one("#date", Input).value = ""
        await type_text(pilot, "2021")
        form.query_one("#title", Input).value = ""
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#form-error", Static).content.plain == "Not saved: type a title"
    assert len(events(db_path)) == 3


async def test_escape_cancels_the_form(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await type_text(pilot, "2021-01-01")
        await pilot.press("tab")
        await type_text(pilot, "Never mind")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    assert len(events(db_path)) == 3


async def test_edit_prefills_and_updates(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto_event(pilot, app, "The hearing was held")
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, EventForm)
        assert form.query_one("#date", Input).value == "2021-06"
        assert form.query_one("#title", Input).value == "The hearing was held"
        assert form.query_one("#preview", Static).content.plain == "→ 2021-06 (month)"
        await pilot.press("tab", "end", *" again")
        await pilot.press("enter")
        await pilot.pause()
        assert app.main.timeline.current.title == "The hearing was held again"
    edited = by_title(db_path, "The hearing was held again")
    # The date was not touched, so the phrase it was read from is kept.
    assert (edited.date, edited.granularity, edited.date_text) == ("2021-06", "month", "June 2021")


# -- review actions -------------------------------------------------------------------


async def test_tags_are_added_and_removed(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto_event(pilot, app, "Acme Inc was sued")
        await pilot.press("t")
        assert isinstance(app.screen, TagForm)
        await type_text(pilot, "hearing, court")
        await pilot.press("enter")
        await pilot.pause()
        assert by_title(db_path, "Acme Inc was sued").tags == ("court", "hearing")
        assert app.main.timeline.get_row_at(0)[2].plain == "court, hearing"
        await pilot.press("t")
        tag_form = app.screen
        assert "Has: court, hearing" in tag_form.query_one("#tag-current", Static).content.plain
        await type_text(pilot, "-hearing")
        await pilot.press("enter")
        await pilot.pause()
    assert by_title(db_path, "Acme Inc was sued").tags == ("court",)
    assert parse_tag_input(" a , -b,, - c ,") == (["a"], ["b", "c"])


async def test_store_error_is_shown_not_raised(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t")
        form = app.screen
        await type_text(pilot, "x" * 70)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form
        assert "at most 64 characters" in form.query_one("#tag-error", Static).content.plain
        assert any("at most 64" in n.message for n in app._notifications)
        await pilot.press("escape")
        # An event deleted behind the app's back: the action reports it instead of crashing.
        first = app.main.timeline.current
        with opened(db_path) as store:
            store.delete_event(first.id)
        await pilot.press("c")
        await pilot.pause()
        assert app.is_running
        assert any(f"no event with id {first.id}" in n.message for n in app._notifications)


async def test_confirm_and_reject(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto_event(pilot, app, "Acme Inc was sued")
        await pilot.press("c")
        await goto_event(pilot, app, "The hearing was held")
        await pilot.press("x")
        await pilot.pause()
        assert app.main.timeline.get_row_at(1)[3].plain == "rejected"
        assert app.main.cases.get_row_at(0)[1].plain == "3"  # every event, as the timeline's title counts
    statuses = {e.title: e.status for e in events(db_path)}
    assert statuses["Acme Inc was sued"] == "confirmed"
    assert statuses["The hearing was held"] == "rejected"
    assert statuses[MARKUP_TITLE] == "suggested"


async def test_delete_asks_first(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto_event(pilot, app, "The hearing was held")
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        await pilot.pause()
        assert len(events(db_path)) == 3
        await pilot.press("d")
        await pilot.press("enter")  # the focused button is Cancel: a stray Enter keeps the event
        await pilot.pause()
        assert len(events(db_path)) == 3
        await pilot.press("d", "y")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert [e.title for e in app.main.timeline.events] == ["Acme Inc was sued", MARKUP_TITLE]
        assert app.main.timeline.current.title == MARKUP_TITLE
    assert [e.title for e in events(db_path)] == ["Acme Inc was sued", MARKUP_TITLE]


# -- search, help, reload ---------------------------------------------------------------


def test_a_search_hit_shows_its_kind_label_and_matches_as_styled_literal_text() -> None:
    """A hit's two lines: the kind in its colour and the label, then the snippet dimmed
    with the store's matches in reverse; markup, escape sequences and stray markers in
    the snippet or label are shown as text (controls as spaces), never interpreted."""
    from tracker.models import SearchHit
    from tracker.screens.search import case_heading, hit_prompt

    hit = SearchHit("excerpt", 1, "[b]Acme[/b] v. Widgets", 2, 3, "[red]Label[/red]\x1b[31m",
                    "the \x02hearing\x03 on [link=x]May 5[/link] \x02hearing\x03s\x1b]8;;x\x07")
    prompt = hit_prompt(hit)
    first, second = prompt.plain.split("\n")
    assert first == "  excerpt [red]Label[/red] [31m"
    assert second == "          the hearing on [link=x]May 5[/link] hearings ]8;;x "
    styled = {(prompt.plain[s.start:s.end], str(s.style)) for s in prompt.spans}
    assert styled == {("  excerpt ", "yellow"), ("hearing", "bold reverse"),
                      (second.removeprefix(" " * 10), "dim")}
    assert [str(s.style) for s in prompt.spans].count("bold reverse") == 2
    heading = case_heading("[b]Acme[/b] v. Widgets\x1b[2J")
    assert heading.plain == "[b]Acme[/b] v. Widgets [2J"
    assert [(s.start, s.end, str(s.style)) for s in heading.spans] == [(0, len(heading.plain), "bold underline")]


async def test_search_finds_and_jumps_to_the_event(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("j")  # start on the other case, so the jump has to switch cases
        await pilot.pause()
        assert app.main.timeline.events == []
        await pilot.press("slash")
        search = app.screen
        assert isinstance(search, SearchScreen)
        await type_text(pilot, "hearing")
        await app.workers.wait_for_complete()
        await pilot.pause()
        hits = list(search.hits.values())
        assert any(h.kind == "event" and h.label.endswith("The hearing was held") for h in hits)
        text = "\n".join(screen_lines(app))
        assert "Acme v. Widgets" in text and "The hearing was held" in text
        # The first hit is an event; Enter in the query jumps to it.
        assert hits[0].kind == "event"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        main = app.main
        assert main.cases.current.title == "Acme v. Widgets"
        assert main.timeline.current.title == "The hearing was held"
        assert app.focused is main.timeline
        assert "The hearing was held in June 2021" in main.excerpts.shown.plain
        # Down moves into the results; Escape goes back without jumping.
        await pilot.press("slash")
        await type_text(pilot, "district")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("down")
        assert app.focused is app.screen.query_one("#results")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_help_lists_every_key_and_closes(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        listed = {word for _, rows in KEYS for keys, _ in rows for alt in keys.split(" / ") for word in alt.split()}
        bindings = [*MainScreen.BINDINGS, *TrackerApp.BINDINGS, *LIST_BINDINGS, *ExcerptsPane.BINDINGS]
        for binding in bindings:
            for key in (binding.key_display or binding.key).split(","):
                assert key in listed, f"{key} missing from help"
        for word in ("Confirm", "Reject", "Delete", "Search", "Quit"):
            assert word in help_text().plain
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await pilot.press("question_mark")
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_reload_shows_changes_made_elsewhere(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto_event(pilot, app, "The hearing was held")
        with opened(db_path) as store:
            store.add_event(store.find_case("Acme v. Widgets").id, "2020-01", "month", "Jan 2020", "Earlier")
            store.ensure_case("A new case")
        app.reload()
        await pilot.pause()
        main = app.main
        assert [c.title for c in main.cases.cases] == ["A new case", "Acme v. Widgets", "Other matter"]
        assert main.cases.current.title == "Acme v. Widgets"  # selection kept
        assert [e.title for e in main.timeline.events][0] == "Earlier"
        assert main.timeline.current.title == "The hearing was held"


async def test_quit(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


# -- untrusted text -----------------------------------------------------------------------


async def test_markup_in_titles_is_shown_literally(db_path: Path) -> None:
    with opened(db_path) as store:
        store.ensure_case("[b]Case[/b] [link=https://x.test]c[/link]")
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        main = app.main
        case_cell = main.cases.get_row_at(0)[0]
        # Literal (cut to the title column, which shares 80 columns with counts and span).
        assert isinstance(case_cell, Text) and "[b]Case[/b] [link=https://x.test]c[/link]".startswith(
            case_cell.plain.rstrip("…")) and case_cell.plain.startswith("[b]Case[/b] [link=")
        await pilot.press("j")  # Acme v. Widgets
        await goto_event(pilot, app, MARKUP_TITLE)
        cell = main.timeline.get_row_at(2)[1]
        assert isinstance(cell, Text)
        assert cell.plain.startswith("[bold red]x[/bold red] [link=")
        assert not cell.spans and not cell.style
        shown = main.excerpts.shown.plain
        assert MARKUP_TITLE in shown and "Court [i]news[/i] report" in shown
        text = "\n".join(screen_lines(app))
        assert "[bold red]x[/bold red] [link=" in text
        assert "Court [i]news[/i] report" in text
        assert "[b]Case[/b]" in text
        assert not screen_has_link(app)
        # The edit form and the delete question quote it literally too.
        await pilot.press("e")
        assert app.screen.query_one("#title", Input).value == MARKUP_TITLE
        await pilot.press("escape", "d")
        assert MARKUP_TITLE in "\n".join(screen_lines(app))
        assert not screen_has_link(app)
        await pilot.press("n")
        # Adding one with markup keeps it literal in the table and the notification.
        await pilot.press("a", *"2021-01-02", "tab", *"[red]new[/red]", "enter")
        await pilot.pause()
        added = main.timeline.current
        assert added.title == "[red]new[/red]"
        assert main.timeline.get_row_at(0)[1].plain == "[red]new[/red]"
        assert any(n.message == "Added: [red]new[/red]" and not n.markup for n in app._notifications)


def test_control_characters_never_reach_the_terminal() -> None:
    excerpt = Excerpt(
        id=1, source_id=1, start=0, end=30, text="A\x1b[2J wipe on\x9b May 5, 2021\u202e.",
        source_title="Src\x1b]8;;file:///etc\x07", source_published=None, phrase_start=15, phrase_end=26,
    )
    text = render_excerpt(excerpt)
    assert not any(ch in text.plain for ch in "\x1b\x9b\x07\u202e")
    marked = [text.plain[s.start : s.end] for s in text.spans if s.style == PHRASE_STYLE]
    assert marked == ["May 5, 2021"]  # offsets survive the scrubbing


def test_conflicting_dates_are_flagged() -> None:
    event = Event(id=1, case_id=1, date="2021-03", granularity="month", date_text="March", title="t",
                  status="suggested", origin="extracted", created_at="", updated_at="", conflict=True)
    assert Timeline._date_cell(event).plain == "2021-03!"


async def test_long_excerpts_wrap_to_the_pane_scroll_and_rewrap_on_resize(tmp_path: Path) -> None:
    """The passages are wrapped to the pane's width (one column less when a scrollbar is
    needed), scroll with j in the pane, and are wrapped again when the terminal is resized."""
    db = tmp_path / "long.db"
    words = " ".join(f"word{i:03d}" for i in range(400))
    store = Store(db)
    try:
        case = store.ensure_case("Long matter")
        store.add_event(case, "2021-01-01", "day", "Jan 1, 2021", "A long note", note=words)
        store.add_event(case, "2021-02-01", "day", "Feb 1, 2021", "A short note", note="short")
    finally:
        store.close()
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pane = app.main.excerpts
        assert pane.shown.plain.endswith("word399")
        inner = pane.region.shrink(pane.styles.gutter)
        assert pane.virtual_size.height > inner.height  # longer than the pane: it scrolls
        assert pane.virtual_size.width == inner.width - pane.styles.scrollbar_size_vertical
        drawn = [line.plain for line in pane._lines]
        assert all(len(line.rstrip()) <= pane.virtual_size.width for line in drawn)
        assert " ".join(" ".join(drawn).split()).endswith("word399")
        shown = "\n".join(screen_lines(app))
        assert "word000" in shown and "word399" not in shown
        pane.focus()
        for _ in range(pane.virtual_size.height):
            await pilot.press("j")
        await pilot.pause()
        assert pane.scroll_y > 0
        assert "word399" in "\n".join(screen_lines(app))
        assert pane.show_vertical_scrollbar
        await pilot.resize_terminal(200, 50)
        await pilot.pause()
        wide = pane.region.shrink(pane.styles.gutter)
        assert pane.virtual_size.width in (wide.width, wide.width - pane.styles.scrollbar_size_vertical)
        assert pane.virtual_size.width > inner.width
        app.main.timeline.focus()
        await pilot.press("j")  # the short note: no scrollbar
        await pilot.pause()
        assert pane.shown.plain.endswith("short") and not pane.show_vertical_scrollbar
        await pilot.press("k")  # the long one again: the scrollbar is back
        await pilot.pause()
        assert pane.shown.plain.endswith("word399") and pane.show_vertical_scrollbar


async def test_excerpt_text_can_be_selected_with_the_mouse_and_copied(db_path: Path) -> None:
    """Textual's mouse selection works in the excerpts pane as in any text: the lines
    carry their offsets, the selection is drawn, and its text is what the pane shows."""
    from textual.geometry import Offset
    from textual.selection import Selection

    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pane = app.main.excerpts
        second = pane._lines[1].plain
        assert second.startswith("Acme Inc was sued")
        metas = [segment.style.meta.get("offset") for segment in pane.render_line(1) if segment.style is not None]
        assert (0, 1) in metas  # where a mouse press lands in the text
        app.screen.selections = {pane: Selection(Offset(0, 1), Offset(8, 1))}
        await pilot.pause()
        assert app.screen.get_selected_text() == second[:8]
        selected = app.screen.get_component_rich_style("screen--selection")
        drawn = [segment for segment in pane.render_line(1) if segment.text.strip()]
        assert drawn[0].text.startswith("Acme Inc") and drawn[0].style.bgcolor == selected.bgcolor
