"""One recipe for work that reads the store off the UI thread: reports and exports.

On a case of 100,000 events a report or an export takes seconds; the app must stay
responsive meanwhile. The thread opens a connection of its own: on the app's, the
store's lock would make the UI wait for the read (its change watcher asks every 1.5 s).
Only the newest job of a group counts: a job replaced (or whose screen closed) is
cancelled and its result dropped. A failure comes back as the exception, to be said in
one line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from textual.dom import DOMNode
from textual.worker import Worker, get_current_worker

from tracker.store import Store

T = TypeVar("T")


def in_background(
    node: DOMNode,
    db_path: Path,
    build: Callable[[Store], T],
    done: Callable[[T], None],
    failed: Callable[[Exception], None],
    *,
    group: str,
) -> Worker[None]:
    """Run `build(store)` in a thread on its own connection to `db_path`; then, on the
    UI thread, `done(result)` or `failed(exception)`."""

    def work() -> None:
        worker = get_current_worker()
        try:
            store = Store(db_path)
            try:
                result = build(store)
            finally:
                store.close()
        except Exception as exc:  # noqa: BLE001 - said in one line by `failed`
            if not worker.is_cancelled:
                node.app.call_from_thread(failed, exc)
            return
        if not worker.is_cancelled:
            node.app.call_from_thread(done, result)

    return node.run_worker(work, thread=True, exclusive=True, group=group, exit_on_error=False)
