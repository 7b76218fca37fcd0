"""How a write reaches the panes: one Change, one StoreChanged, few statements.

A key press that writes should cost what the write and the repaint need, not a re-read
of every pane: the `c` test counts the SQL statements with SQLite's trace callback.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from tests.test_app import SIZE, app_for, goto_event


def sent(traced: list[str]) -> list[str]:
    """The statements the app sent: SQLite also reports the steps of triggers and FTS5's
    own statements (as "-- ..." or on 'main'.* tables) and repeats the statement that
    fired a trigger; those are not counted."""
    ours = (s for s in traced if not s.lstrip().startswith("--") and "'main'." not in s)
    return [statement for statement, _ in itertools.groupby(ours)]


async def test_a_confirm_sends_at_most_15_statements(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto_event(pilot, app, "Acme Inc was sued")
        # The confirm itself: stepping to the next row afterwards (on by default) reads
        # that event's passages, one statement more, as moving there with j would.
        app.main.step_after_review = False
        traced: list[str] = []
        app.store.db.conn.set_trace_callback(traced.append)
        try:
            await pilot.press("c")
            await pilot.pause()
        finally:
            app.store.db.conn.set_trace_callback(None)
        statements = sent(traced)
        assert len(statements) <= 15, "\n".join(statements)
        assert app.main.timeline.events[0].status == "confirmed"
        assert app.main.timeline.get_row_at(0)[3].plain == "confirmed"
        assert app.main.cases.current.confirmed == 1  # the case row was re-read


async def test_a_bulk_reject_repaints_every_marked_row_and_the_case(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto_event(pilot, app, "Acme Inc was sued")
        await pilot.press("space", "space")
        await pilot.press("x")
        await pilot.pause()
        main = app.main
        assert not main.timeline.marked
        assert [main.timeline.get_row_at(i)[3].plain for i in range(2)] == ["rejected", "rejected"]
        assert main.cases.current.rejected == 2
