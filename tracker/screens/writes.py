"""The one way the app writes: a serial queue that never blocks the UI thread, and the
one error path for writes.

Every write the app makes (a review key, a form's save, a tag, a case action, a fix in
the reader, undo) is handed to `Writes.run(do, done, failed)`. The write is tried at
once without waiting for the database's write lock (`Store.without_waiting()`, a few
milliseconds for the writes a person makes). When another process holds the
lock, a thread waits for it on a connection of its own, holding nothing the UI needs,
and the keys keep working meanwhile; once the lock is free the write is tried again on
the UI thread. Writes made while one waits queue behind it, so they land in the order
the person made them, each once: `Busy` is raised before anything is written.

The outcome comes back on the UI thread: `done(result)` (the caller posts the `Change`),
or `failed(error)`, which by default says the StoreError in one line. When the lock
stays taken for `WAIT_SECONDS`, every waiting write fails with one line and nothing of
it is written.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.app import App
from textual.screen import Screen
from textual.worker import get_current_worker

from tracker.store import Busy, Store, StoreError
from tracker.widgets.safe_text import say, show_error


@dataclass(frozen=True, eq=False)
class _Job:
    do: Callable[[], Any]
    done: Callable[[Any], None]
    failed: Callable[[StoreError], None]


class Writes:
    """The app's writes, one after another, in the order they were asked for."""

    WAIT_SECONDS = 60.0
    """How long a write waits for another process's write lock before it is given up."""

    def __init__(self, app: App[Any], store: Store) -> None:
        self.app = app
        self.store = store
        self.pending: deque[_Job] = deque()
        self.waiting = False
        self._draining = False

    def run(self, do: Callable[[], Any], done: Callable[[Any], None] | None = None,
            failed: Callable[[StoreError], None] | None = None) -> object:
        """Write `do()` now or, when another process is writing, as soon as it is done;
        answers a handle for `waits` and `cancel`."""
        job = _Job(do, done or _nothing, failed or self.say_error)
        self.pending.append(job)
        self._drain()
        return job

    def waits(self, job: object) -> bool:
        """Whether `job` is still waiting its turn (nothing of it written yet)."""
        return any(pending is job for pending in self.pending)

    def cancel(self, job: object) -> bool:
        """Take back a write still waiting its turn; False when it has been made."""
        for pending in self.pending:
            if pending is job:
                self.pending.remove(pending)
                return True
        return False

    def say_error(self, error: StoreError) -> None:
        show_error(self.app, error)

    def _drain(self) -> None:
        if self.waiting or self._draining:
            return  # the loop running (or the wait) reaches the new write in its turn
        self._draining = True
        try:
            while self.pending and not self.waiting:
                job = self.pending[0]
                try:
                    result = self._try(job.do)
                except Busy:
                    self._wait()
                    return
                except StoreError as error:
                    self.pending.popleft()
                    job.failed(error)
                    continue
                self.pending.popleft()
                job.done(result)
        finally:
            self._draining = False

    def _try(self, do: Callable[[], Any]) -> Any:
        """`do()` with every write in it taking the lock without waiting. A check that
        refused what was typed (a ValueError) is a refusal like a StoreError."""
        connection = self.store.connection
        commits = connection.commits
        try:
            with self.store.without_waiting():
                return do()
        except Busy:
            if connection.commits != commits:  # a write of it landed: never make it twice
                raise StoreError("another tracker began writing half-way through this change; "
                                 "part of it was made, look before trying again") from None
            raise
        except ValueError as exc:
            raise StoreError(str(exc)) from None

    def _wait(self) -> None:
        self.waiting = True
        say(self.app, "another tracker is writing: your change waits its turn")
        store, seconds = self.store, self.WAIT_SECONDS

        def wait() -> None:
            # In short slices, so that a quit does not wait for the other process.
            worker, deadline = get_current_worker(), time.monotonic() + seconds
            free = False
            while not free and not worker.is_cancelled and time.monotonic() < deadline:
                free = store.wait_until_writable(max(0.05, min(0.5, deadline - time.monotonic())))
            if worker.is_cancelled:
                return
            try:
                self.app.call_from_thread(self._waited, free)
            except RuntimeError:  # the app has closed meanwhile
                pass

        self.app.run_worker(wait, thread=True, exit_on_error=False, group="write-wait")

    def _waited(self, free: bool) -> None:
        self.waiting = False
        if free:
            self._drain()
            return
        jobs, self.pending = list(self.pending), deque()
        count = len(jobs)
        error = StoreError(f"another tracker kept the database busy for {self.WAIT_SECONDS:g} s: "
                           f"{count} change{'s' if count != 1 else ''} not made")
        for job in jobs:
            job.failed(error)


class FormSave:
    """A form's save through the queue: the form closes with the result once the write
    landed, or stays open with the refusal in place and what was typed kept. While the
    save waits for another process, the keys work, Enter does not save twice, and Esc
    takes the save back (nothing is written)."""

    def __init__(self, form: Screen[Any]) -> None:
        self.form = form
        self.job: object | None = None

    def start(self, do: Callable[[], Any], refused: Callable[[StoreError], None]) -> None:
        if self.job is not None:
            say(self.form, "still waiting for another tracker to finish writing (Esc takes it back)", "warning")
            return
        writes = writes_of(self.form.app)

        def done(result: Any) -> None:
            self.job = None
            self.form.dismiss(result)

        def failed(error: StoreError) -> None:
            self.job = None
            refused(error)

        job = writes.run(do, done, failed)
        if writes.waits(job):
            self.job = job

    def cancel(self) -> None:
        """Esc: a save still waiting is taken back."""
        if self.job is not None and writes_of(self.form.app).cancel(self.job):
            say(self.form, "not saved: taken back before another tracker finished writing")
        self.job = None


def _nothing(_: Any) -> None:
    return None


def writes_of(app: App[Any]) -> Writes:
    """The app's write queue (every screen writes through it)."""
    writes = getattr(app, "writes", None)
    assert isinstance(writes, Writes), "the app has no write queue"
    return writes
