"""The review flow and tags, driven through keys at 80x24 on a
real SQLite file, then checked in the database; plus the store's filtered queries."""

from __future__ import annotations

from pathlib import Path

from rich.style import Style
from textual.color import Color as TextualColor
from textual.widgets import Input, Static

from tests.conftest import MARKUP_TITLE
from tests.test_app import app_for, by_title, events, opened, screen_lines, type_text
from tracker.app import TrackerApp
from tracker.screens.main import MainScreen
from tracker.screens.tag_filter import TagFilterPicker
from tracker.screens.tags import TagForm
from tracker.store import Store
from tracker.widgets.case_list import CaseList
from tracker.widgets.timeline import TAG_PALETTE, tag_colour_name

SIZE = (80, 24)
SUED, HEARING = "Acme Inc was sued", "The hearing was held"


def title_of(app: TrackerApp) -> str:
    """The timeline's border title as the terminal shows it."""
    line = next(line for line in screen_lines(app) if "Timeline" in line)
    return line.strip("─ ").rstrip("─")


def statuses(db: Path) -> dict[str, str]:
    return {e.title: e.status for e in events(db)}


async def test_marks_then_bulk_confirm_and_one_undo(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        timeline = app.main.timeline
        timeline.focus()
        await pilot.press("space", "space")  # marks the first two events, stepping down
        assert timeline.cursor_row == 2
        assert timeline.get_row_at(0)[1].plain == "* " + SUED
        assert timeline.get_row_at(1)[1].plain == "* " + HEARING
        assert not timeline.get_row_at(2)[1].plain.startswith("*")
        text = "\n".join(screen_lines(app))
        assert "2 marked" in text and "* Acme Inc was sued" in text
        await pilot.press("k", "space")  # unmark the second again, then mark it back
        assert timeline.marked == {timeline.window[0].id}
        await pilot.press("k", "space")
        assert len(timeline.marked) == 2
        await pilot.press("c")
        await pilot.pause()
        assert timeline.marked == set()
        assert [c.plain for c in timeline.get_row_at(0)][1:4] == [SUED, "", "confirmed"]
        assert app.main.cases.get_row_at(0)[2].plain == "1 sugg · 2 conf"
        assert statuses(db_path) == {SUED: "confirmed", HEARING: "confirmed", MARKUP_TITLE: "suggested"}
        await pilot.press("u")
        await pilot.pause()
        assert statuses(db_path) == {SUED: "suggested", HEARING: "suggested", MARKUP_TITLE: "suggested"}
        assert app.main.cases.get_row_at(0)[2].plain == "3 sugg"
        # Escape clears marks without acting.
        await pilot.press("space", "escape")
        assert timeline.marked == set() and "marked" not in title_of(app)
        target = timeline.current.title
        await pilot.press("x")
        await pilot.pause()
    assert statuses(db_path)[target] == "rejected"  # x acted on the current event only
    assert list(statuses(db_path).values()).count("rejected") == 1


async def test_bulk_reject_and_bulk_tag_with_undo(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        timeline = app.main.timeline
        timeline.focus()
        await pilot.press("space", "j", "space")  # first and third
        await pilot.press("t")
        form = app.screen
        assert isinstance(form, TagForm)
        assert "2 marked events" in form.query_one("#tag-event", Static).content.plain
        await type_text(pilot, "court, [bold]hot[/bold]")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert by_title(db_path, SUED).tags == ("[bold]hot[/bold]", "court")
        assert by_title(db_path, MARKUP_TITLE).tags == ("[bold]hot[/bold]", "court")
        assert by_title(db_path, HEARING).tags == ()
        assert timeline.get_row_at(0)[2].plain == "[bold]hot[/bo…"  # literal, cut to the column
        assert timeline.tags_cell(by_title(db_path, SUED).tags, 40).plain == "[bold]hot[/bold], court"
        await pilot.press("u")
        await pilot.pause()
        assert all(e.tags == () for e in events(db_path))
        # Mark all three and reject them at once; the case list counts follow.
        await pilot.press("g", "space", "space", "space", "x")
        await pilot.pause()
        assert set(statuses(db_path).values()) == {"rejected"}
        # the case list counts every event, as the timeline's title does
        assert app.main.cases.get_row_at(0)[1].plain == "3"
        assert "(3 events)" in title_of(app)
        assert app.main.cases.get_row_at(0)[2].plain == "3 rej"
        assert app.main.cases.get_row_at(0)[3].plain == "—"  # no live dated event: no span
        await pilot.press("u")
        await pilot.pause()
        assert set(statuses(db_path).values()) == {"suggested"}
        assert app.main.cases.get_row_at(0)[3].plain == "2021-03-03–2021-09-01"


async def test_status_filter_cycles_and_pages_from_the_store(db_path: Path) -> None:
    with opened(db_path) as store:
        ids = [e.id for e in store.list_events(store.find_case("Acme v. Widgets").id)]
        store.review_events([ids[0]], "confirmed")
        store.review_events([ids[1]], "rejected")
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        timeline = app.main.timeline
        timeline.focus()
        shown = []
        for _ in range(4):
            await pilot.press("s")
            await pilot.pause()
            shown.append((title_of(app), [e.title for e in timeline.events]))
        assert shown == [
            ("Timeline: Acme v. Widgets (1 event) · only suggested", [MARKUP_TITLE]),
            ("Timeline: Acme v. Widgets (1 event) · only confirmed", [SUED]),
            ("Timeline: Acme v. Widgets (1 event) · only rejected", [HEARING]),
            ("Timeline: Acme v. Widgets (3 events)", [SUED, HEARING, MARKUP_TITLE]),
        ]
        # Under "suggested", confirming the event takes it out of the view.
        await pilot.press("s")
        await pilot.pause()
        assert "only suggested" in "\n".join(screen_lines(app))
        await pilot.press("c")
        await pilot.pause()
        assert timeline.row_count == 0 and timeline.events == []
        assert app.main.cases.get_row_at(0)[2].plain == "2 conf · 1 rej"
    assert statuses(db_path)[MARKUP_TITLE] == "confirmed"


async def test_tag_filter_picker_with_completion(db_path: Path) -> None:
    with opened(db_path) as store:
        ids = [e.id for e in store.list_events(store.find_case("Acme v. Widgets").id)]
        store.tag_events([ids[0], ids[2]], ["court"])
        store.tag_events([ids[1]], ["hearing"])
        store.review_events([ids[2]], "confirmed")
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        timeline = app.main.timeline
        timeline.focus()
        await pilot.press("T")
        picker = app.screen
        assert isinstance(picker, TagFilterPicker)
        await type_text(pilot, "nope")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is picker
        assert "No tag named 'nope'" in picker.query_one("#tag-filter-error", Static).content.plain
        await pilot.press("ctrl+u", "c", "o")
        await pilot.pause()
        await pilot.press("right")
        assert picker.query_one("#tag-filter-input", Input).value == "court"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert [e.title for e in timeline.events] == [SUED, MARKUP_TITLE]
        assert "only #court" in title_of(app)
        # Status and tag filters combine.
        await pilot.press("s", "s")  # confirmed
        await pilot.pause()
        assert [e.title for e in timeline.events] == [MARKUP_TITLE]
        assert "only confirmed + #court" in title_of(app)
        # An empty Enter drops the tag filter; the status one stays.
        await pilot.press("T", "ctrl+u", "enter")
        await pilot.pause()
        assert [e.title for e in timeline.events] == [MARKUP_TITLE]
        assert title_of(app).endswith("only confirmed")
        await pilot.press("s", "s")  # rejected (none tagged), then all
        await pilot.pause()
        assert timeline.row_count == 3


async def test_tags_have_stable_theme_colours_and_stay_literal(db_path: Path) -> None:
    with opened(db_path) as store:
        first = store.list_events(store.find_case("Acme v. Widgets").id)[0]
        store.tag_events([first.id], ["court", "[link=file:///etc]x[/link]"])
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        timeline = app.main.timeline
        cell = timeline.tags_cell(("court", "hearing"), 40)
        assert cell.plain == "court, hearing"
        colours = [span.style for span in cell.spans]
        expected = [app.theme_variables[tag_colour_name(n)] for n in ("court", "hearing")]
        # Theme colours as Rich reads them (an ANSI theme's "ansi_cyan" becomes "color(6)").
        assert [Style.parse(c).color for c in colours] == [  # type: ignore[union-attr]
            Style.parse(TextualColor.parse(e).rich_color.name).color for e in expected]
        assert tag_colour_name("court") == tag_colour_name("court") and tag_colour_name("court") in TAG_PALETTE
        row = timeline.get_row_at(0)[2]
        assert row.plain.startswith("[link=file://")
        assert not any(seg.style and seg.style.link for strip in app.screen._compositor.render_strips()
                       for seg in strip)


async def test_no_color_keeps_marks_and_filters_readable(db_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.main.timeline.focus()
        await pilot.press("space", "s")
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        assert "only suggested" in text and "1 marked" in text and "* Acme Inc was sued" in text


async def test_case_list_columns_narrow_in_a_side_pane(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        cases = app.main.cases
        assert cases.narrow
        assert [c.plain for c in cases.get_row_at(0)] == ["Acme v. Widgets", "3s", "2021-09-01"]
        assert CaseList.review_text(cases.cases[0]).plain == "3 sugg"


# -- store level -------------------------------------------------------------------------


def test_filtered_queries_agree_with_the_full_listing(db_path: Path) -> None:
    store = Store(db_path)
    try:
        case = store.find_case("Acme v. Widgets")
        for n in range(12):
            store.add_event(case.id, f"2022-01-{n + 1:02d}" if n % 5 else None, "day", "", f"extra {n}",
                            status=("suggested", "confirmed", "rejected")[n % 3])
        everything = store.list_events(case.id)
        store.tag_events([e.id for e in everything[::2]], ["even"])
        everything = store.list_events(case.id)
        for status in (None, "suggested", "confirmed", "rejected"):
            for tag in (None, "even", "missing"):
                want = [e for e in everything if (status is None or e.status == status)
                        and (tag is None or tag in e.tags)]
                assert store.filtered_total(case.id, status, tag) == len(want)
                assert store.filtered_page(case.id, 0, 100, status, tag) == want
                for offset in range(len(want)):
                    assert store.filtered_page(case.id, offset, 3, status, tag) == want[offset:offset + 3]
                for index, event in enumerate(want):
                    assert store.filtered_position(case.id, event.id, status, tag) == index
                    assert store.filtered_after(case.id, event.id, 2, status, tag) == want[index + 1:index + 3]
                    assert store.filtered_before(case.id, event.id, 2, status, tag) == want[max(0, index - 2):index]
                hidden = [e for e in everything if e not in want]
                assert all(store.filtered_position(case.id, e.id, status, tag) is None for e in hidden)
        stats = store.get_case(case.id)
        assert [stats.suggested, stats.confirmed, stats.rejected] == [
            sum(e.status == s for e in everything) for s in ("suggested", "confirmed", "rejected")]
        assert stats.first_date == "2021-03-03"
    finally:
        store.close()


def test_bulk_changes_are_one_batch_for_undo_and_skip_what_is_gone(db_path: Path) -> None:
    store = Store(db_path)
    try:
        ids = [e.id for e in store.list_events(store.find_case("Acme v. Widgets").id)]
        store.delete_event(ids[2])
        assert store.review_events([ids[0], ids[1], ids[2]], "confirmed") == [ids[0], ids[1]]
        assert store.review_events([ids[0]], "confirmed") == []  # already confirmed: nothing logged
        entry = store.undo_last()
        assert entry.action == "confirmed"
        assert [store.get_event(i).status for i in ids[:2]] == ["suggested", "suggested"]
        store.tag_events(ids[:2], ["a", "b"])
        store.tag_events(ids[:2], ["c"], ["a"])
        store.undo_last()
        assert [store.get_event(i).tags for i in ids[:2]] == [("a", "b"), ("a", "b")]
        store.undo_last()
        assert [store.get_event(i).tags for i in ids[:2]] == [(), ()]
        store.undo_last()  # the delete, made before the batches, is next
        assert store.get_event(ids[2]).title == MARKUP_TITLE
    finally:
        store.close()


async def test_tags_draw_in_the_16_colour_theme(db_path: Path) -> None:
    """The ANSI theme names colours ("ansi_cyan") that Rich cannot parse: tag colours are
    converted, so a 16-colour terminal draws tagged rows instead of failing."""
    with opened(db_path) as store:
        first = store.list_events(store.find_case("Acme v. Widgets").id)[0]
        store.tag_events([first.id], ["court", "hearing", "ruling"])
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "ansi-dark"
        app.main.reload()
        await pilot.pause()
        drawn = "".join(seg.text for strip in app.screen._compositor.render_strips() for seg in strip)
        assert "court" in drawn


def test_review_counts_stay_short_for_big_cases() -> None:
    from tracker.widgets.case_list import compact

    assert [compact(n) for n in (0, 950, 9999, 10_000, 69_986, 999_999, 1_250_000)] == [
        "0", "950", "9999", "10k", "69k", "999k", "1.2M"]
