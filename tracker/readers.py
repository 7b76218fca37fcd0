"""Documents read and analysed in worker processes while the importer stores them.

The importer's writer stores documents one transaction at a time; reading a file and
analysing its text (`analysis.analyse`, a pure function) is most of an import's time and
needs no database, so it runs in a pool of processes, the writer consuming the results in
the order it would have computed them itself. Whether one process or several analyse, the
writer sees the same analyses in the same order, so the database is the same.

Decisions, and why:

- **Size**: `--jobs` processes read (default: the cores), the importer's own among them,
  so one worker fewer than that; at most one per document, and no pool at all below
  POOL_MIN_DOCUMENTS documents: starting workers costs more than a handful of documents
  take (about 20-30 ms a news story on this machine); below
  FIRST_FORKSERVER_MIN_DOCUMENTS for a process's first forkserver pool (below).
- **The importer reads too**: it reads whatever it would otherwise wait for, so with a
  worker per core but one, every core reads or writes until the end. With a worker per
  core, the writer and the workers were three processes on two cores: a worker forked
  from the importer copies the pages it touches (some 2,700 page faults a worker an
  import of `benchmarks.perf`'s folder), and the import took 6-10% more CPU time and
  8-9% longer (40 alternating pairs: quartiles 5-12%; the same on a million events).
- **Start method** (measured by benchmarks/pool.py: seconds from a pool created to its
  first analysis): fork when the importing process has one thread (the CLI: its progress
  bar is redrawn by the importer, not by a thread of its own), 0.04-0.06 s; the importer warms
  the analysis first (`warm`: dateparser's data, compiled patterns, 0.3-0.5 s it needs
  anyway), so the workers, its copies, start warm. Forkserver otherwise (the app imports
  from a thread while Textual's threads run, and forking a process with threads can copy
  a lock another thread held): 0.4-0.95 s for a process's first pool (a server starts and
  warms up once, `readers_warm`), 0.05 s for each later one. Spawn would cost a Python
  start-up and a warm-up for every worker of every pool (0.4-0.9 s).
- **Stages**: a folder's filing order puts the stories whose front matter names their
  case first, then those that state their dispute, then the rest, each by file name.
  The workers first read the documents whose first bytes may name their case, or whose
  file name another has, for their `Heading` alone (does it name its case; its hash),
  then rank the others in file-name order (`analysis.first_reading`,
  about a quarter of the reading). A story that states its dispute is finished in the
  same task and goes to the writer at once: all before it are ranked by then. The
  others are finished (`analysis.finish`: date and events) in their turn, once all
  are ranked. So the writer stores the first stories while the rest are ranked. The
  writer is the import's critical path: workers run at a lower priority
  (WORKER_NICENESS), taking the cores it leaves. The stories with no date of their
  own are stored last, each dated from its case as the writer finds it then; the
  workers read them against their cases ahead of the writer (`AgainstCase`), which
  takes a reading while what it was read from still holds.
- **Order and memory**: `Readers.in_order` keeps at most IN_FLIGHT_PER_PROCESS documents
  a process ahead of the one the writer is waiting for, so a huge folder never sits in
  memory; results come back in the order given. Documents go to the workers CHUNK at a
  time (a task costs the importer's process more than its size), ITEMS_PER_WORKER each
  at most; the rest wait to be read by whichever process gets to them first. The
  importer reads the first document of a stage itself, at once.
- **Failures**: a document that breaks a reader fails alone (`Failed`, its one-line
  reason), in the worker as in this process. A worker that dies (killed, out of memory)
  breaks the pool: every document not yet handed to the writer is then analysed in this
  process, so nothing is lost and nothing stored twice (the writer stores what it is
  handed, once, in order).
- **Ctrl-C**: workers never see SIGINT (it is blocked in the thread that starts them,
  which they inherit, and ignored once they run); the importer's process gets it, and
  leaving `Readers` on an exception terminates the workers at once. A worker whose
  importer died without stopping it exits when it notices.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Any

from tracker.analysis import Analysis, Ranked, analyse, finish, first_reading
from tracker.ingest import IngestError, read_document

POOL_MIN_DOCUMENTS = 8
# A process's first forkserver pool takes 0.4-0.95 s to start: about what one process
# takes to read this many news stories itself.
FIRST_FORKSERVER_MIN_DOCUMENTS = 48
IN_FLIGHT_PER_PROCESS = 8
# Documents a worker is given at a time (two chunks): enough that it never waits for the
# importer's process to hand it more; the rest of the window is the importer's to read
# while it would wait (`Readers.in_order`). Fewer leave the worker idle at times, more
# leave the importer waiting (4 to 12 measured: 8 quickest, by 1-7%).
ITEMS_PER_WORKER = 8
# Documents sent to a worker at once: each task costs the importer's process about 0.25 ms
# (pickling, the pool's threads waking), a tenth of a news story's reading; four a task
# halve the importer's share of the pool (benchmarks: 1.0 to 0.45 ms a document).
CHUNK = 4
WORKER_NICENESS = 5
_forkserver_started = False


@dataclass(frozen=True)
class Failed:
    """A document that could not be read or analysed, with its one-line reason."""

    path: str
    reason: str


Read = Analysis | Failed


@dataclass(frozen=True)
class Heading:
    """What choosing a folder's filing order needs before any story is ranked: whether
    the document's front matter names its case (those are filed first) and its hash
    (which orders two files of the same name)."""

    path: str
    names_case: bool
    sha256: str


def could_not(exc: BaseException) -> str:
    """The reason given for a document whose reading or storing raised `exc` unexpectedly."""
    return f"could not be imported ({type(exc).__name__}: {str(exc)[:200]})"


@dataclass(frozen=True)
class Reading:
    """How the documents of one import are analysed: the same in every process (it is
    pickled to the workers with each item). With `first_only`, a path is read only as far
    as its filing order needs (`analysis.first_reading`); a `Ranked` document is then
    finished in its turn. With `finish_captioned` too, a story that states its dispute
    (rank below 2, filed as soon as the stories before it are) is finished at once.
    With `heading_only`, a path is read for its `Heading` alone."""

    today: date
    published: str | None = None
    case_title: str | None = None
    with_rank: bool = False
    first_only: bool = False
    finish_captioned: bool = False
    heading_only: bool = False
    # The database a folder is filed into: a story read ahead of the writer (by a
    # worker, or by the importer while it waits) then comes with its filing query's
    # answer too (`tracker.store.ahead`), off the writer's critical path.
    filing_db: str | None = None

    @staticmethod
    def takes(item: Any) -> bool:
        """What it reads: a path, or a ranked document to finish."""
        return isinstance(item, (Path, Ranked))

    def __call__(self, item: Path | Ranked) -> Read | Ranked | Heading:
        if multiprocessing.parent_process() is None:
            return self._read(item)  # the writer's next story: it asks the filing query itself
        return self.read_here(item)

    def read_here(self, item: Path | Ranked) -> Read | Ranked | Heading:
        """A reading ahead of the writer, in any process: a worker's, or the importer's
        own while it waits for one."""
        read = self._read(item)
        if self.filing_db and isinstance(read, Analysis) and not read.doc.meta.get("case"):
            from tracker.cases import MATCH_THRESHOLD
            from tracker.store.ahead import answer_early

            try:
                read.filing = answer_early(self.filing_db, read.profile, MATCH_THRESHOLD)
            except Exception:  # noqa: BLE001 - the writer then asks the query itself
                pass
        return read

    def _read(self, item: Path | Ranked) -> Read | Ranked | Heading:
        path = item.doc.path if isinstance(item, Ranked) else item
        try:
            if isinstance(item, Ranked):
                return finish(item, self.today, published=self.published, case_title=self.case_title)
            doc = read_document(item)
            if self.heading_only:
                return Heading(str(item), bool(doc.meta.get("case")), doc.sha256)
            if self.first_only:
                first = first_reading(doc, with_rank=self.with_rank)
                if self.finish_captioned and first.rank < 2:
                    return finish(first, self.today, published=self.published, case_title=self.case_title)
                return first
            return analyse(doc, self.today, published=self.published, case_title=self.case_title,
                           with_rank=self.with_rank)
        except IngestError as exc:
            return Failed(str(path), str(exc))
        except Exception as exc:  # noqa: BLE001 - a document that breaks a reader fails alone
            return Failed(str(path), could_not(exc))


@dataclass(frozen=True)
class AgainstCase:
    """Undated stories read ahead against the case each would join, by the workers, while
    the writer stores the ones before (`tracker.importer.read_against_case`).

    An import stores the stories with no date of their own last, each dated from the
    events its case has by then; that is the writer's work alone, and the workers would
    sit idle. Each worker instead files the story, dates it and proposes its events from
    the database as it finds it, on a read-only connection of its own; the writer takes
    that reading only when what it was made from (the case, its dated events, its
    person-given name) is what the writer finds in the story's own transaction, and
    reads the story itself otherwise. Called in the importer's own process it does
    nothing (the story is the writer's next: read as it is stored, it is never stale);
    `read_here` reads a story ahead there too, while the importer waits for a worker."""

    db: str
    case_title: str | None = None

    @staticmethod
    def takes(item: Any) -> bool:
        return isinstance(item, Analysis)

    def __call__(self, item: Analysis) -> Any:
        if multiprocessing.parent_process() is None:
            return None
        return self.read_here(item)

    def read_here(self, item: Analysis) -> Any:
        """The reading ahead, in any process (the importer's reads one ahead while it
        waits for a worker's)."""
        from tracker.importer import read_against_case

        try:
            return read_against_case(self.db, item, self.case_title)
        except Exception:  # noqa: BLE001 - the writer then reads the story itself
            return None


def processes(jobs: int | None, documents: int) -> int:
    """How many processes analyse `documents` documents: `jobs` (None: the cores), at most
    one a document; 1 (this process, no pool) below POOL_MIN_DOCUMENTS, or below
    FIRST_FORKSERVER_MIN_DOCUMENTS when the pool would start this process's forkserver."""
    wanted = jobs if jobs is not None else (os.cpu_count() or 1)
    first_server = _start_method() == "forkserver" and not _forkserver_started
    if documents < (FIRST_FORKSERVER_MIN_DOCUMENTS if first_server else POOL_MIN_DOCUMENTS):
        return 1
    return max(1, min(wanted, documents))


class Readers:
    """The worker processes of one import (none for 1), used as a context manager: on
    leaving, idle workers are shut down; on an exception (Ctrl-C, a cancelled worker
    thread) pending work is cancelled and the workers are terminated at once."""

    def __init__(self, count: int) -> None:
        self.count = count
        # This process reads too (`in_order`): one worker fewer than the count.
        self.workers = count - 1 if count > 1 else 0
        self.executor: ProcessPoolExecutor | None = None
        self.broken = False
        self._ending: list[Any] | None = None  # what `release` left to wait for
        # Each `in_order` under way feeds the workers from its window. One may be paused
        # inside another's source (the filing order ranks while the writer stores): the
        # workers are fed from every window at each step of any.
        self._feeders: list[Callable[[], None]] = []
        if count > 1:
            global _forkserver_started
            context = _context()
            if context.get_start_method() == "fork":
                warm()  # the workers are copies of this process: they start warm
            _forkserver_started |= context.get_start_method() == "forkserver"
            self.executor = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_worker_started)
            if context.get_start_method() == "fork":
                # The workers are forked now, while this process has one thread, not at the
                # first document, when the importer may have started one (its log copier):
                # the first task forks them (Python 3.11 forks a fork pool's workers in
                # `submit`, before its manager thread starts); it is not waited for.
                with _sigint_held():
                    self.executor.submit(int)

    def __enter__(self) -> Readers:
        return self

    def release(self) -> None:
        """No more work: the workers are told to end, without waiting for them (leaving
        `Readers` waits for them)."""
        executor = self.executor
        if executor is None or self._ending is not None:
            return
        # The executor forgets its processes and its thread once shut down; they are
        # kept to be waited for.
        self._ending = [getattr(executor, "_executor_manager_thread", None),
                        *(getattr(executor, "_processes", None) or {}).values()]
        executor.shutdown(wait=False)

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.executor is None:
            return
        if kind is None:
            self.executor.shutdown(wait=True)
        else:
            _terminate(self.executor)
        for ending in self._ending or ():
            if kind is not None and isinstance(ending, multiprocessing.process.BaseProcess) and ending.is_alive():
                ending.terminate()
            if ending is not None:
                ending.join()

    def in_order(self, items: Iterable[Path | Any], reading: Reading | AgainstCase,
                 chunk_size: int = CHUNK) -> Iterator[Read | Any]:
        """For each item in order: a Path's or a `Ranked` document's `reading` (or an
        `Analysis`'s, for `AgainstCase`), anything else handed back as it is (a sheet
        read by the writer, an analysis kept from before). `chunk_size` items go to a
        worker at once.

        The workers are kept ITEMS_PER_WORKER documents each, the nearest first; the
        rest of the window waits here unsent. This process reads too: the next chunk it
        needs when no worker has it, and, while it waits for one a worker has, the
        nearest documents no worker has (so no core waits while there is reading to do)."""
        takes = reading.takes
        if self.executor is None:
            for item in items:
                yield reading(item) if takes(item) else item
            return
        window: deque[_Chunk] = deque()
        source = iter(items)
        limit = self.count * IN_FLIGHT_PER_PROCESS
        held = 0
        sent = 0  # tasks submitted
        ahead: list[Any] = []  # an item taken from `source` that does not fit the chunk

        def top_up() -> None:
            nonlocal held
            while held < limit:
                item = ahead.pop() if ahead else next(source, _END)
                if item is _END:
                    return
                if not takes(item):
                    window.append(_Chunk([item], as_is=True))
                    held += 1
                    if len(window) == 1 and isinstance(item, (Analysis, Failed)):
                        return  # read elsewhere and ready: handed on before the source is asked again
                    continue
                chunk = [item]
                # The first chunk is one item, read here at once: the writer starts
                # without waiting for a worker.
                size = 1 if sent == 0 and not window else chunk_size
                while len(chunk) < size and held + len(chunk) < limit:
                    more = next(source, _END)
                    if more is _END:
                        break
                    if not takes(more):
                        ahead.append(more)
                        break
                    chunk.append(more)
                window.append(_Chunk(chunk))
                held += len(chunk)

        def feed() -> None:
            """Unsent chunks to the workers, nearest first, up to ITEMS_PER_WORKER each;
            never the first of the window, which this process reads next."""
            nonlocal sent
            running = sum(len(c.items) for c in window if c.future is not None and not c.future.done())
            for i, chunk in enumerate(window):
                if running >= self.workers * ITEMS_PER_WORKER:
                    return
                if chunk.unsent and i > 0:
                    chunk.future = self._submit(reading, chunk.items)
                    chunk.here = chunk.future is None  # the pool is broken: read here
                    sent += 1
                    running += len(chunk.items)

        self._feeders.append(feed)
        try:
            top_up()
            while window:
                self._feed()
                chunk = window[0]
                if chunk.future is not None and chunk.reads is None and not chunk.future.done():
                    self._read_while_waiting(chunk.future, window, reading, self._feed)
                window.popleft()
                held -= len(chunk.items)
                if chunk.as_is:  # on at once, then the source
                    yield from chunk.items
                    top_up()
                    continue
                if chunk.reads is not None:
                    reads = chunk.reads
                elif chunk.future is not None:
                    reads = self._result(chunk.future, reading, chunk.items)
                else:
                    reads = [reading(item) for item in chunk.items]
                top_up()
                yield from reads
        finally:
            self._feeders.remove(feed)

    def _feed(self) -> None:
        """The workers fed from every window under way, the innermost (the nearest to the
        writer's needs once it gets there) first."""
        for feed in reversed(self._feeders):
            feed()

    @staticmethod
    def _read_while_waiting(future: Future[list[Read]], window: deque[_Chunk],
                            reading: Reading | AgainstCase, feed: Callable[[], None]) -> None:
        """Until `future` is done, read here the nearest items of `window` that no worker
        has, one at a time (a chunk split for it), the workers fed between them."""
        while not future.done():
            at = next((i for i, c in enumerate(window) if c.unsent or (c.here and c.reads is None)), None)
            if at is None:
                return
            later = window[at]
            if len(later.items) > 1:
                window.insert(at + 1, _Chunk(later.items[1:], here=later.here))
                later.items = later.items[:1]
            later.reads = [reading.read_here(later.items[0])]
            feed()

    def _submit(self, reading: Reading | AgainstCase, chunk: list[Path | Ranked]) -> Future[list[Read]] | None:
        """The items sent to a worker; None when the pool is broken (read here instead)."""
        if self.broken or self.executor is None:
            return None
        try:
            with _sigint_held():
                return self.executor.submit(_read_chunk, reading, chunk)
        except RuntimeError:  # BrokenProcessPool is one; so is a pool shut down meanwhile
            self.broken = True
            return None

    def _result(self, future: Future[list[Read]], reading: Reading | AgainstCase, chunk: list[Path | Ranked]) -> list[Read]:
        try:
            return future.result()
        except BrokenProcessPool:  # a worker died: this and every later document is read here
            self.broken = True
            return [reading(item) for item in chunk]
        except Exception:  # noqa: BLE001 - e.g. a result that could not be pickled: read them here
            return [reading(item) for item in chunk]


@dataclass
class _Chunk:
    """Items of one task in `Readers.in_order`'s window: handed back as they are
    (`as_is`), or to be read: unsent, sent to a worker (`future`), or read here
    (`reads`); `here` when they must be read here (the pool is broken)."""

    items: list[Any]
    as_is: bool = False
    reads: list[Any] | None = None
    future: Future[list[Any]] | None = None
    here: bool = False

    @property
    def unsent(self) -> bool:
        """To be read, by a worker or here, and not yet given to either."""
        return not self.as_is and not self.here and self.future is None and self.reads is None


def _read_chunk(reading: Reading | AgainstCase, chunk: list[Path | Ranked]) -> list[Read | Ranked]:
    """In a worker: the readings of a few documents, sent back together."""
    return [reading(item) for item in chunk]


_END = object()

SAMPLE = ("Harbor Freight v. Calder: a suit over dock fees\n\nPublished: March 3, 2022\n\n"
          "Harbor Freight sued the city of Calder on Tuesday over dock fees, asking for damages. "
          "A hearing is set for next week.\n")


_warmed = False


def warm() -> None:
    """Analyse a short story: what the analysis loads on first use (dateparser's language
    data, compiled patterns, the YAML reader; about 0.3-0.5 s here) is then loaded in this
    process, and in every worker forked from it, once. Later calls do nothing (the sample
    read again cost each later import 3-4 ms)."""
    global _warmed
    if _warmed:
        return
    from tracker.ingest import document_from_text

    analyse(document_from_text(SAMPLE, "<sample>", "sample"), date(2026, 1, 1), with_rank=True)
    _warmed = True


def _start_method() -> str:
    """fork in a process with one thread, forkserver otherwise (see the module docstring)."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _context() -> Any:
    method = _start_method()
    if method != "fork":
        _resource_tracker_started()
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(["tracker.readers_warm"])
    return context


def _resource_tracker_started() -> None:
    """multiprocessing starts a resource tracker process before the first forkserver or
    spawn worker, handing it sys.stderr's file descriptor; inside the app sys.stderr is
    Textual's capture of prints, whose descriptor is -1, and the start fails ("bad
    value(s) in fds_to_keep"). It is started here with a valid one (the null device: a
    print from another thread meanwhile is lost, never drawn over the screen)."""
    from multiprocessing import resource_tracker

    try:
        valid = sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        valid = False
    if valid:
        return
    saved = sys.stderr
    with open(os.devnull, "w") as null:
        sys.stderr = null
        try:
            resource_tracker.ensure_running()
        finally:
            sys.stderr = saved


@contextmanager
def _sigint_held() -> Iterator[None]:
    """SIGINT blocked in this thread while it may start a worker, which inherits the mask:
    a Ctrl-C meanwhile is delivered here once the worker is started, never to it."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _worker_started() -> None:
    """In each worker: Ctrl-C is the importer's to handle, and a worker whose importer is
    gone (killed without stopping its pool) exits instead of waiting for work forever.
    A worker runs at a lower priority than the writer: the writer stores one document
    after another and is the import's critical path, so on a machine whose cores are all
    busy (the workers and the writer together outnumber them) the readers take what the
    writer leaves rather than slow it down."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        os.nice(WORKER_NICENESS)
    except (AttributeError, OSError):
        pass
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        from multiprocessing.connection import wait

        wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="importer-watch", daemon=True).start()


def _terminate(executor: ProcessPoolExecutor) -> None:
    """Cancel what is queued and end the workers now, mid-document if need be (nothing
    they hold is stored: the writer stores only what it was handed)."""
    stop = getattr(executor, "terminate_workers", None)  # Python 3.14
    if stop is not None:
        stop()
        return
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        if process.is_alive():
            process.terminate()
    executor.shutdown(wait=True, cancel_futures=True)
