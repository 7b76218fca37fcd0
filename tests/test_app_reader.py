"""The source reader, driven by keys at 80x24 on a real SQLite file.

`o` on an event opens its source whole with the excerpts marked (markup in the source
shown literally), the events it supports listed; selecting sentences and pressing `a`
makes a confirmed event linked to the passage, its date read from the passage.
"""

from __future__ import annotations

import time
from pathlib import Path

from textual.widgets import Input, Static

from tests.conftest import SOURCE_TEXT
from tests.test_app import SIZE, app_for, by_title, events, goto_event, opened, screen_has_link, screen_lines
from tracker.extract import ProposedEvent
from tracker.screens.event_form import EventForm
from tracker.screens.main import MainScreen
from tracker.screens.reader import EXCERPT_STYLE, FOCUS_STYLE, SELECTION_STYLE, WINDOW, ReaderScreen
from tracker.store import Store


def reader_text(screen: ReaderScreen) -> tuple[str, dict[str, list[str]]]:
    """The drawn window of text and, per style, the pieces drawn in it."""
    content = screen.query_one("#reader-text", Static).content
    plain = content.plain
    styled: dict[str, list[str]] = {}
    for span in content.spans:
        styled.setdefault(str(span.style), []).append(plain[span.start:span.end])
    return plain, styled


async def test_o_opens_the_whole_source_with_excerpts_marked(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto_event(pilot, app, "The hearing was held")
        await pilot.press("o")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        plain, styled = reader_text(screen)
        assert plain == SOURCE_TEXT  # the whole source, markup in it kept literally
        assert styled[FOCUS_STYLE] == ["The hearing was held in June 2021 before Judge Ray."]
        assert "Acme Inc was sued on March 3, 2021 in the district court." in styled[EXCERPT_STYLE]
        # The cursor starts on the excerpt we came from.
        assert styled[SELECTION_STYLE] == ["The hearing was held in June 2021 before Judge Ray."]
        lines = screen_lines(app)
        text = "\n".join(lines)
        assert "[bold red]x[/bold red] [link=file:///etc]y[/link]" in text
        assert "Court [i]news[/i] report" in text
        assert not screen_has_link(app)
        assert len(lines) == 24 and all(len(line) <= 80 for line in lines)
        events_shown = screen.query_one("#reader-events", Static).content.plain
        assert "Events from this source (3)" in events_shown
        assert "2021-06" in events_shown and "The hearing was held" in events_shown
        # n and N walk the excerpts of the source, emphasising the one under the cursor.
        await pilot.press("n")
        assert reader_text(screen)[1][FOCUS_STYLE] == [
            "[bold red]x[/bold red] [link=file:///etc]y[/link] happened on 2021-09-01."]
        await pilot.press("N", "N")
        assert reader_text(screen)[1][FOCUS_STYLE] == ["Acme Inc was sued on March 3, 2021 in the district court."]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_select_a_passage_and_a_makes_a_linked_event_with_its_date(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto_event(pilot, app, "Acme Inc was sued")
        await pilot.press("o")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        # j moves a sentence; shift+down (and v then j) extend the selection.
        await pilot.press("j")
        assert reader_text(screen)[1][SELECTION_STYLE] == ["The hearing was held in June 2021 before Judge Ray."]
        await pilot.press("k", "shift+down")
        selected = reader_text(screen)[1][SELECTION_STYLE]
        assert selected == ["Acme Inc was sued on March 3, 2021 in the district court. "
                            "The hearing was held in June 2021 before Judge Ray."]
        await pilot.press("k", "k", "v", "j", "v")
        assert reader_text(screen)[1][SELECTION_STYLE] == ["The hearing was held in June 2021 before Judge Ray."]
        await pilot.press("k", "v", "j")
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EventForm)
        # Prefilled from the first date phrase of the passage, read as the importer does.
        assert form.query_one("#date", Input).value == "2021-03-03"
        title = form.query_one("#title", Input)
        assert title.value == "Acme sued in the district court"  # told as a headline
        title.value = ""
        title.focus()
        await pilot.press(*"Complaint filed")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert "Complaint filed" in screen.query_one("#reader-events", Static).content.plain
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert "Complaint filed" in [e.title for e in app.main.timeline.events]
    made = by_title(db_path, "Complaint filed")
    assert (made.date, made.granularity, made.status, made.origin) == ("2021-03-03", "day", "confirmed", "manual")
    assert made.date_text == "March 3, 2021"
    with opened(db_path) as store:
        [excerpt] = store.event_excerpts(made.id)
        passage = SOURCE_TEXT[:SOURCE_TEXT.index("Judge Ray.") + len("Judge Ray.")]
        assert excerpt.text == passage and excerpt.start == 0
        assert excerpt.text[excerpt.phrase_start:excerpt.phrase_end] == "March 3, 2021"
        assert store.check() == []
        # u undoes it like any added event.
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
    assert "Complaint filed" not in [e.title for e in events(db_path)]


async def test_a_relative_date_is_read_against_the_publication_date(tmp_path: Path) -> None:
    db = tmp_path / "rel.db"
    text = "The judge ruled last Friday that the suit may go on. Nothing else happened here."
    store = Store(db)
    case = store.ensure_case("Relative case")
    store.add_source_with_events(
        case_id=case, path="/docs/rel.txt", title="Ruling", sha256="1" * 64, text=text, published="2023-07-19",
        published_basis="metadata",
        proposals=[ProposedEvent(53, len(text), 53, 60, "Nothing", None, "day", "Nothing else happened")],
    )
    store.close()
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto_event(pilot, app, "Nothing else happened")
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("k", "a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EventForm)
        assert form.query_one("#date", Input).value == "2023-07-14"  # the Friday before 2023-07-19
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("escape")
    made = [e for e in events(db, "Relative case") if e.origin == "manual"]
    assert [(e.date, e.date_text) for e in made] == [("2023-07-14", "last Friday")]


async def test_a_big_source_opens_in_a_window_and_moves_with_the_cursor(tmp_path: Path) -> None:
    db = tmp_path / "big.db"
    sentence = "Paragraph {n} says the court met again and nothing was decided. "
    text = "".join(sentence.format(n=n) + ("\n\n" if n % 5 == 4 else "") for n in range(120_000))  # ~8 MB
    store = Store(db)
    case = store.ensure_case("Big case")
    last = text.rindex("Paragraph")
    store.add_source_with_events(
        case_id=case, path="/docs/big.txt", title="Long transcript", sha256="2" * 64, text=text,
        published="2023-07-19", published_basis="metadata",
        proposals=[ProposedEvent(last, len(text.rstrip()), last, last + 9, "x", "2023-07-01", "day", "The end")],
    )
    store.close()
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto_event(pilot, app, "The end")
        began = time.monotonic()
        await pilot.press("o")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        assert time.monotonic() - began < 5
        plain, styled = reader_text(screen)
        assert len(plain) <= WINDOW + 400 and "Paragraph 119999 says" in plain
        assert styled[FOCUS_STYLE] == [text[last:].rstrip()]
        assert "Paragraph 119999" in "\n".join(screen_lines(app))  # scrolled into view
        await pilot.press("g")
        assert screen.query_one("#reader-text", Static).content.plain.startswith("Paragraph 0 says")
        for _ in range(40):
            await pilot.press("j")
        assert "Paragraph 40 says" in reader_text(screen)[1][SELECTION_STYLE][0]
        await pilot.press("space", "b", "G")
        assert "Paragraph 119999" in reader_text(screen)[1][SELECTION_STYLE][0]


async def test_o_asks_which_source_when_an_event_rests_on_several(db_path: Path) -> None:
    from tracker.merge import Group
    from tracker.screens.reader import SourcePicker

    hearing = by_title(db_path, "The hearing was held")
    text = "A second story. The hearing was held in June 2021, the clerk said."
    phrase = text.index("June 2021")
    with opened(db_path) as store:
        store.add_source_with_events(
            case_id=hearing.case_id, path="/docs/two.txt", title="Second [u]story[/u]", sha256="3" * 64, text=text,
            published="2021-07-01", published_basis="metadata",
            proposals=[ProposedEvent(16, len(text), phrase, phrase + 9, "June 2021", "2021-06", "month", "hearing")],
            groups=[Group(hearing.id, [0])],
        )
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto_event(pilot, app, "The hearing was held")
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, SourcePicker)
        assert "Second [u]story[/u]" in "\n".join(screen_lines(app))
        await pilot.press("enter")  # the first source by publication date
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        plain, styled = reader_text(screen)
        assert plain == text
        assert styled[FOCUS_STYLE] == ["The hearing was held in June 2021, the clerk said."]
        # Esc goes back to the main screen.
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_u_in_the_reader_takes_the_new_event_back_and_redraws(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto_event(pilot, app, "Acme Inc was sued")
        await pilot.press("o")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        await pilot.press("a")
        await pilot.pause()
        title = app.screen.query_one("#title", Input)
        title.value = ""
        title.focus()
        await pilot.press(*"Taken back soon", "enter")
        await pilot.pause()
        assert "Taken back soon" in screen.query_one("#reader-events", Static).content.plain
        await pilot.press("u")
        await pilot.pause()
        assert app.screen is screen
        assert "Taken back soon" not in screen.query_one("#reader-events", Static).content.plain
    assert "Taken back soon" not in [e.title for e in events(db_path)]
