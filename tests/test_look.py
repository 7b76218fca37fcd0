"""The command palette, any terminal (80x24, 60x20, NO_COLOR, 16
colours, CJK and long titles), and the case strip. Keys only, real SQLite files."""

from __future__ import annotations

from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widget import Widget
from textual.widgets._footer import FooterKey

from tests.conftest import MARKUP_TITLE
from tracker.app import TrackerApp, make_app
from tracker.commands import binding_actions
from tracker.screens.main import MainScreen
from tracker.store import Store
from tracker.widgets.case_strip import CaseStrip, draw
from tracker.widgets.key_footer import KeyFooter

TODAY = date(2024, 5, 15)
CJK_CASE = "香港特別行政區訴訟案 對 深圳华为技术有限公司 関係者"
LONG_TITLE = "A very long event title " * 8


def app_for(db: Path) -> TrackerApp:
    return make_app(db, today=lambda: TODAY)


def lines(app: TrackerApp) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def palette(pilot, app: TrackerApp, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Open ctrl+p, type `query`, wait for the hits; the screen's lines."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(app.screen, CommandPalette)
    await pilot.press(*query)
    await pilot.pause(0.4)
    return lines(app)


# -- 9. command palette -----------------------------------------------------------------


async def test_palette_jumps_to_a_case(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = "\n".join(await palette(pilot, app, "other"))
        assert "Other matter" in shown
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.main.cases.current is not None and app.main.cases.current.title == "Other matter"


async def test_palette_jumps_to_a_recent_event_and_shows_titles_literally(db_path: Path) -> None:
    with closing(Store(db_path)) as store:
        acme = store.find_case("Acme v. Widgets").id
        changed = store.add_event(acme, "2022-01-05", "day", "Jan 5 2022", "Sanctions were lifted")
    app = app_for(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = "\n".join(await palette(pilot, app, "sanctions"))
        assert "Sanctions were lifted" in shown and "Acme v. Widgets" in shown
        await pilot.press("enter")
        await pilot.pause()
        assert app.main.timeline.current is not None and app.main.timeline.current.id == changed.id
        assert app.focused is app.main.timeline
        # A title full of markup is listed as typed, with no live link.
        screen = await palette(pilot, app, "bold red")
        assert any(MARKUP_TITLE[:30] in line for line in screen), screen
        assert not any(
            seg.style is not None and seg.style.link for strip in app.screen._compositor.render_strips() for seg in strip
        )


async def test_palette_runs_every_action_with_its_key(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        actions = binding_actions(
            [(list(MainScreen.BINDINGS), app.main), (list(TrackerApp.BINDINGS), app)], app.get_key_display
        )
        names = {a.name for a in actions}
        for wanted in ("Help", "Quit", "Undo", "Add", "Edit", "Tags", "Confirm", "Reject", "Delete", "Search",
                       "Facts", "As known on", "Verify", "Agenda", "Export", "Reload"):
            assert wanted in names, names
        shown = "\n".join(await palette(pilot, app, "confirm"))
        assert "c" in shown and "Confirm" in shown
        app.main.timeline.focus()
        await pilot.press("enter")
        await pilot.pause()
        with closing(Store(db_path)) as store:
            events = store.list_events(store.find_case("Acme v. Widgets").id)
        assert events[0].status == "confirmed"


async def test_palette_queries_are_bounded(db_path: Path) -> None:
    with closing(Store(db_path)) as store:
        for name, plan in store.palette_query_plans().items():
            text = " ".join(plan)
            assert "TEMP B-TREE" not in text, (name, plan)
        assert "COVERING INDEX events_strip" in " ".join(store.palette_query_plans()["case_activity"])
        assert [c.title for c in store.palette_cases("oth")] == ["Other matter"]
        assert [c.title for c in store.palette_cases("widg")] == ["Acme v. Widgets"]
        assert store.palette_cases("100%_") == []
        assert len(store.recent_events(2)) == 2


# -- 10. any terminal -------------------------------------------------------------------


def cjk_db(path: Path) -> Path:
    """A case with a CJK title and an event with a very long CJK/Latin title."""
    with closing(Store(path)) as store:
        case = store.ensure_case(CJK_CASE)
        store.add_event(case, "2021-03-03", "day", "2021-03-03", "聯合聲明 " * 12 + LONG_TITLE)
        store.add_event(case, "2021-07", "month", "July 2021", "Hearing")
        store.ensure_case("Other matter")
    return path


def region_ok(widget: Widget, width: int) -> None:
    region = widget.region
    assert region.width > 0 and region.height > 0, (widget, region)
    assert region.right <= width, (widget, region)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_every_pane_and_the_footer_keys_fit(db_path: Path, size: tuple[int, int]) -> None:
    width, height = size
    app = app_for(db_path)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        main = app.main
        for widget in (main.cases, main.query_one(CaseStrip), main.timeline, main.excerpts, main.query_one(KeyFooter)):
            region_ok(widget, width)
        assert main.timeline.region.height >= 6  # the header and at least four events
        screen = lines(app)
        assert len(screen) == height
        assert main.scrollbars_enabled == (False, False) or not main.allow_vertical_scroll
        footer = screen[-1]
        for key in ("a Add", "e Edit", "c Confirm", "/ Search", "? Help", "q Quit"):
            assert key in footer, footer
        text = "\n".join(screen)
        assert "Acme v. Widgets" in text and "Acme Inc was sued" in text and "2021-03…2021-09" in text


async def test_the_footer_follows_the_width(db_path: Path) -> None:
    """Keys dropped when the terminal narrows come back when it widens."""
    app = app_for(db_path)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        wide = lines(app)[-1]
        assert "x Reject" in wide and "^p palette" in wide, wide
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        narrow = lines(app)[-1]
        assert "x Reject" not in narrow and narrow.rstrip().endswith("q Quit"), narrow
        await pilot.resize_terminal(160, 40)
        await pilot.pause()
        assert lines(app)[-1] == wide


async def test_start_up_builds_the_footer_keys_at_most_twice(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each build of the footer mounts and styles every key: start-up changes the
    bindings three times and lays the footer out once, and builds it for the first
    bindings and again for the last, not once for each."""
    built: list[str] = []
    original = FooterKey.__init__

    def counting(self: FooterKey, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        built.append(self.key)

    monkeypatch.setattr(FooterKey, "__init__", counting)
    app = app_for(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "q Quit" in lines(app)[-1]
        assert len(built) <= 2 * len(set(built)), built  # each key built at most twice


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_cjk_and_long_titles_do_not_overflow(tmp_path: Path, size: tuple[int, int]) -> None:
    width, _ = size
    app = app_for(cjk_db(tmp_path / "cjk.db"))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.main.cases.focus()
        await pilot.press("G")
        await pilot.pause()
        from rich.cells import cell_len

        screen = lines(app)
        assert all(cell_len(line) <= width for line in screen), [cell_len(line) for line in screen]
        text = "\n".join(screen)
        assert "香港特別行政區" in text and "聯合聲明" in text
        assert "? Help" in screen[-1] and "q Quit" in screen[-1]
        # The timeline still shows its other columns next to the long title (the status
        # abbreviated under 76 columns, so that the title keeps room).
        assert any("sugg" in line or "conf" in line for line in screen)
        assert app.main.timeline.flex_width() >= 20  # titles stay readable at 60 columns


async def test_no_color_and_sixteen_colours(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_for(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.no_color
        text = "\n".join(lines(app))
        assert "Acme Inc was sued" in text and "✓" in text and "? Help" in text
    monkeypatch.delenv("NO_COLOR")
    app = app_for(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "ansi-dark"  # what the app picks itself in a 16-colour terminal
        await pilot.pause()
        assert "Acme Inc was sued" in "\n".join(lines(app))
        await pilot.press("slash")
        await pilot.press(*"hearing")
        await pilot.pause(0.5)
        assert "The hearing was held" in "\n".join(lines(app))


# -- 11. case strip ---------------------------------------------------------------------


def test_strip_draws_density_status_gaps_and_cursor() -> None:
    days = [("2020-01-01", 4, 0), ("2020-02-01", 0, 2), ("2020-09-01", 1, 1)]
    text = draw(days, 40, 2, cursor="2020-02-10", grain="month")
    top, bottom = text.plain.split("\n")
    assert top.startswith("✓ █") and bottom.startswith("? ")
    assert "╌" in bottom  # March to August is empty: a gap
    assert "2020-01…2020-09" in top and "▲ 2020-02" in bottom
    width = len(top) + 1
    cursor_cells = [span.start % width for span in text.spans if "reverse" in str(span.style)]
    assert cursor_cells and sorted(cursor_cells) == sorted(sorted(set(cursor_cells)) * 2)  # one column, both lines
    one = draw(days, 40, 1, grain="month")
    assert "\n" not in one.plain
    assert draw([], 40).plain == "no dated events to draw"


async def test_strip_follows_the_case_and_the_cursor(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        strip = app.main.query_one(CaseStrip)
        assert strip.grain == "day" and sum(c + s for _, c, s in strip.days) == 3
        app.main.timeline.focus()
        await pilot.press("j")
        await pilot.pause()
        assert strip.cursor == "2021-06-01"
        await pilot.press("c")  # confirm: the strip counts it as confirmed at once
        await pilot.pause()
        assert sum(c for _, c, _ in strip.days) == 1
        await pilot.press("g", "space", "space", "c")  # a bulk confirm of two marked events
        await pilot.pause()
        assert sum(c for _, c, _ in strip.days) == 2
        await pilot.press("g", "d")  # a delete (asks first)
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert sum(c + s for _, c, s in strip.days) == 2
        app.main.cases.focus()
        await pilot.press("j")
        await pilot.pause()
        assert strip.days == [] and "no dated events" in "\n".join(lines(app))


# -- README ---------------------------------------------------------------------------------

KEY_NAMES = {"question_mark": "?", "slash": "/", "colon": ":"}


def test_readme_lists_every_key() -> None:
    """Each binding of the app, its screens and widgets appears in README's Keys table."""
    from textual.binding import Binding

    from tracker.screens.case_views import ReportScreen
    from tracker.screens.confirm import ConfirmModal
    from tracker.screens.event_form import EventForm
    from tracker.screens.export import ExportScreen
    from tracker.screens.help import HelpScreen
    from tracker.screens.search import ResultList, SearchScreen
    from tracker.screens.event_form import PassageList
    from tracker.screens.prompt import PromptScreen
    from tracker.screens.reader import ReaderScreen, SourcePicker
    from tracker.screens.tag_filter import TagFilterPicker
    from tracker.screens.tags import TagForm
    from tracker.widgets.excerpts import ExcerptsPane
    from tracker.widgets.table import PaneTable

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    keys = readme.split("## Keys", 1)[1].split("\n## ", 1)[0]
    owners = [TrackerApp, MainScreen, SearchScreen, ResultList, EventForm, TagForm, ConfirmModal, HelpScreen,
              ReportScreen, ExportScreen, PaneTable, ExcerptsPane, PassageList, PromptScreen, ReaderScreen,
              SourcePicker, TagFilterPicker]
    missing = []
    for owner in owners:
        for binding in Binding.make_bindings(owner.BINDINGS):
            shown = KEY_NAMES.get(binding.key, binding.key)
            if f"`{shown}`" not in keys:
                missing.append((owner.__name__, binding.key))
    assert "`ctrl+p`" in keys
    assert not missing, missing
    for name in ("main", "search", "editor", "reader", "palette"):
        assert f"docs/screenshots/{name}.svg" in readme
        assert (Path(__file__).parent.parent / "docs" / "screenshots" / f"{name}.svg").is_file()
