"""The import pipeline: files -> documents -> publication date -> case -> events -> store.

Each file is stored whole or not at all: its filing (a new case, a better title for the
case it joins), the source, its events and their links are one transaction, so an import
cut short leaves no half-imported source and no empty case, and running it again
completes the rest. Everything is read and decided first; the transaction only writes. A file
that cannot be read gets a one-line reason in the report and the import goes on.
(Committing a few documents at a time was tried: 3% faster into a million events, but
the write lock would be held while the next story is read and tagged.)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path

from tracker import analysis, cases, merge
from tracker.analysis import Analysis, Ranked
from tracker.dates import period_start
from tracker.extract import ProposedEvent, Titles
from tracker.sentences import clause_bounds, segment_bounds
from tracker.ingest import Document, IngestError, iter_files, may_name_case, read_document, read_stdin
from tracker.readers import AgainstCase, Failed, Read, Readers, Reading, could_not, processes
from tracker.models import Change, ImportReport
from tracker.published import PublishedGuess, from_case_events, guess_from_value
from tracker.store import Store, StoreError
from tracker.store.ahead import AnswersAhead, EarlyAnswers, PerProcess, close_readers
from tracker.timex import Scan

Progress = Callable[[int, int, str], None]
UNFILED = "Unfiled"


@dataclass(frozen=True)
class _Target:
    """Where a document goes, decided before anything is written: an existing case
    (`case_id`, perhaps with a caption that names it better) or a case to make."""

    reason: str
    case_id: int | None = None
    title: str | None = None
    origin: str = "user"
    filed_reason: str | None = None
    rename: str | None = None

    def resolve(self, store: Store) -> int:
        """The case id, making the case or renaming it (inside the document's transaction)."""
        if self.case_id is None:
            return store.ensure_case(self.title or "", self.filed_reason, self.origin)
        if self.rename:
            try:  # a caption names the case better than the party guessed from the first story
                store.rename_case(self.case_id, self.rename, origin="caption")
            except StoreError:
                pass
        return self.case_id


def _named(store: Store, title: str, reason: str, origin: str = "user", filed_reason: str | None = None) -> _Target:
    """The case with this title: its id when it exists, else one to make."""
    return _Target(reason, store.case_id_titled(title), title, origin, filed_reason or reason)


def known_events(store: Store, case_id: int, since: str, until: str) -> list[merge.Known]:
    """Events of a case whose period starts in [since, until], with the words of the
    clauses that state them, for recognising restatements at import."""
    texts: dict[int, list[str]] = {}
    values: dict[int, tuple[str | None, str | None]] = {}
    for row in store.event_passages(case_id, since, until):
        parts = texts.setdefault(row["id"], [row["title"]])
        values[row["id"]] = row["date"], row["sort_date"]
        passage = row["text"]
        if passage and row["phrase_start"] is not None:
            parts.append(_stating_segment(passage, row["phrase_start"], row["phrase_end"]))
        elif passage:
            parts.append(passage)
    # Restatements are recognised by the stories' own words; the title (ours, a headline
    # with names resolved) counts only for an event no passage states (one added by hand).
    return [
        merge.Known(event_id, values[event_id][0], merge.content_words(" ".join(parts[1:]) or parts[0]),
                    " ".join(parts[1:]) or parts[0], values[event_id][1])
        for event_id, parts in texts.items()
    ]


# Every story filed into a case asks for the case's events again, and the passages
# behind them are mostly the same ones as for the story before: a bounded memo.
@lru_cache(maxsize=4096)
def _stating_segment(passage: str, phrase_start: int, phrase_end: int) -> str:
    """The part of a stored passage that states its event's date phrase."""
    begin, finish = segment_bounds(passage, phrase_start, phrase_end)
    return passage[begin:finish]


def _every_known(store: Store, read: Analysis, case_id: int | None) -> list[merge.Known] | None:
    """All of the case's events, when `read` is dated from them (a story with no date of
    its own going into an existing case): they are read once, for its date and for its
    restatements (`_case_basis`, `_group`)."""
    if read.guess.basis != "unknown" or case_id is None:
        return None
    return known_events(store, case_id, "0000-01-01", "9999-12-31")



def import_paths(
    store: Store,
    paths: list[Path],
    *,
    case_title: str | None = None,
    published: str | None = None,
    today: date | None = None,
    progress: Progress | None = None,
    stdin: bytes | None = None,
    follow_links: bool = False,
    jobs: int | None = 1,
) -> ImportReport:
    """Import every .txt/.md file under `paths`; see the module docstring for guarantees.

    `jobs` processes read and analyse the documents (None: one per core; see
    tracker/readers.py) while this thread stores them, in the order one process would:
    the filing order (`_filing_order`) when no `case_title` is given, else as given,
    each document stored as soon as it and all before it are analysed. The result is the
    same whatever `jobs` is. Sheets and standard input are read here, in their place.
    """
    today = today or date.today()
    report = ImportReport()
    files = list(iter_files(paths, follow_links))
    total = len(files)
    ranked = not case_title and total > 1
    reading = Reading(today, published, case_title, with_rank=ranked)
    run = _Run(store, report, case_title, lambda note: progress(done, total, note) if progress else None)
    seen: set[str] = set()
    deferred: list[Analysis] = []
    done = 0

    def step(path: Path | str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total, str(path))

    def place(item: Read | _Here) -> None:
        """Store one item in its turn: a sheet or stdin read here, a document's analysis."""
        path = item.doc.path if isinstance(item, Analysis) else item.path
        try:
            if isinstance(item, _Here):
                if item.problem:
                    report.failed.append((str(item.path), item.problem))
                elif _one_file(run, item.path, report, today, published, stdin, seen, deferred):
                    return
            elif isinstance(item, Failed):
                report.failed.append((item.path, item.reason))
            elif _store_read(run, item, report, seen, deferred):
                return
        except Exception as exc:  # noqa: BLE001 - a file that breaks a reader fails alone
            report.failed.append((str(path), could_not(exc)))
        step(path)

    documents = [path for path, problem in files if not problem and not _read_here(path)]
    # Many documents: the log is copied into the database by a thread of its own, not by
    # the commits (`Store.few_checkpoints`); entered once the workers are forked.
    try:
        with Readers(processes(jobs, len(documents))) as pool, \
                store.few_checkpoints() if total >= MANY_DOCUMENTS else nullcontext(None) as copies:
            if ranked and pool.count > 1 and store.case_total() >= EARLY_ANSWERS_MIN_CASES:
                run.answers_early()  # the readers answer each story's filing query too
                reading = replace(reading, filing_db=str(store.path))
            if ranked:
                order = _filing_order(files, pool, reading,
                                      lambda note: progress(0, total, note) if progress else None)
            else:
                order = [path if not problem and not _read_here(path) else _Here(path, problem)
                         for path, problem in files]
            for item in pool.in_order(order, reading):
                place(item)
            if deferred and copies is not None:
                copies.copy_now()  # the undated stories are the writer's alone: a core is free for it
            for waiting, ahead in zip(deferred, _read_ahead(pool, store, deferred, case_title)):
                waiting.ahead = ahead
                try:
                    run.store_document(waiting)
                except Exception as exc:  # noqa: BLE001
                    report.failed.append((waiting.doc.path, could_not(exc)))
                step(waiting.doc.path)
            pool.release()  # the workers end while the writer finishes
            if copies is not None:
                copies.copy_now()  # the log copied while the writer re-dates: less left for the end
            touched = store.case_titles_of(run.touched)  # a case may have been merged away meanwhile
            report.events += _redate_undated(store, touched, {waiting.doc.sha256: waiting.scan for waiting in deferred},
                                             run.read_undated)
    finally:
        _close_read_only()  # what this process opened to read ahead while it waited
    report.cases |= set(store.case_titles_of(touched).values())
    return report


@dataclass(frozen=True)
class _Here:
    """A path the writer reads itself, in its turn: a sheet, standard input, or a path
    that is unusable (`problem`, reported in its turn)."""

    path: Path
    problem: str | None = None


def _read_here(path: Path) -> bool:
    """Sheets and standard input are read by the writer, not by the readers."""
    return str(path) == "-" or path.suffix.lower() in {".json", ".csv"}


def _store_read(run: _Run, read: Analysis, report: ImportReport, seen: set[str], deferred: list[Analysis]) -> bool:
    """Store one analysed document; True when it waits in `deferred` (undated: stored
    after the dated ones, whose events may date it)."""
    if _skip(run.store, read.doc, seen, report):
        return False
    if read.guess.basis == "unknown":
        deferred.append(read)
        return True
    run.store_document(read)
    return False


def _one_file(run: _Run, path: Path, report: ImportReport, today: date, published: str | None,
              stdin: bytes | None, seen: set[str], deferred: list[Analysis]) -> bool:
    """Import a sheet or standard input; True when it waits in `deferred` (its progress
    step comes later)."""
    store = run.store
    if path.suffix.lower() in {".json", ".csv"} and path.is_file():
        from tracker.structured import import_structured

        import_structured(store, path, report, today)
        return False
    if str(path) == "-" and stdin:
        from tracker.structured import import_structured_stdin

        if import_structured_stdin(store, stdin, report, today):  # a piped export or sheet
            return False
    doc = _read(path, report, stdin)
    if doc is None:
        return False
    read = analysis.analyse(doc, today, published=published, case_title=run.fixed_case, with_rank=False)
    return _store_read(run, read, report, seen, deferred)


# From this many cases the readers answer each story's filing query (store/ahead.py).
# Among 5,000 cases the query costs the writer 2.3 ms a story on average (up to 17 ms),
# among 20 cases 0.14 ms (`benchmarks.perf.filing_costs`); checking an early answer
# costs the writer about 0.4 ms, and the readers, the bound on a small database, more.
EARLY_ANSWERS_MIN_CASES = 1000

# From this many documents an import is long enough to have the log copied into the
# database by a thread of its own rather than by its commits (`Store.few_checkpoints`).
MANY_DOCUMENTS = 8

# First readings of stories that state no dispute, kept from their ranking until their
# turn (after every story that does), in characters of their texts. A first reading
# holds at most about 14 bytes a character of its text (what a whole analysis holds: the
# text, its facts, profile and proposals; measured on the lawsuit corpus), so at most
# about 220 MB: some 7,000 news stories of 2,000 characters. Documents past it keep only
# their place and are analysed again (by the pool, ahead of the writer) in their turn.
KEPT_CHARS = 16_000_000


def _filing_order(files: list[tuple[Path, str | None]], pool: Readers, reading: Reading,
                  note: Callable[[str], None]) -> Iterator[Path | Read | Ranked | _Here]:
    """The order stories are filed in, whatever order they were given in: stories whose
    front matter names their case first, then stories that state their dispute ("X v. Y",
    "X sued Y"), so that they found the cases and the others join the case they fit; then
    by file name. Filing a folder gives the same cases in any order. Sheets and stdin keep
    their place at the front; files that cannot be read go last (the import reports them).

    The order is handed on as it is known, so the writer stores the first stories while
    the pool ranks the rest. A document whose first bytes may hold metadata, or whose
    name another file has, is first read for its `Heading` alone (does it name its case;
    the hash that orders files of the same name). The others are then ranked by `pool`
    in file-name order (`analysis.first_reading`), and a story that states its dispute
    is finished in the same task and handed on at once: every story before it in the
    order is ranked by then. Stories that state none are kept, within KEPT_CHARS (past
    it, only their path, to be read again), and follow once all are ranked."""
    back: list[tuple[int, Read | _Here]] = []
    documents: list[tuple[int, Path]] = []
    for i, (path, problem) in enumerate(files):
        if _read_here(path):
            yield _Here(path, problem)
        elif problem:
            back.append((i, _Here(path, problem)))
        else:
            documents.append((i, path))
    named: list[tuple[tuple[str, str], int, Path]] = []
    others: list[tuple[tuple[str, str], int, Path]] = []
    # A document is read for its heading only when its first bytes may hold metadata
    # (`may_name_case`) or another of the folder's files has its name (the hash orders
    # them); the others name no case, and their hash orders nothing.
    names = Counter(path.name for _, path in documents)
    read_first: list[tuple[int, Path]] = []
    for i, path in documents:
        if names[path.name] > 1 or may_name_case(path):
            read_first.append((i, path))
        else:
            others.append(((path.name, ""), i, path))
    headings = replace(reading, heading_only=True)
    for (i, path), head in zip(read_first, pool.in_order([path for _, path in read_first], headings)):
        note(f"reading {path.name} to choose the filing order")
        if isinstance(head, Failed):
            back.append((i, head))
        else:
            (named if head.names_case else others).append(((path.name, head.sha256), i, path))
    for _, _, path in sorted(named, key=lambda k: k[0]):
        yield path  # read whole in its turn
    others.sort(key=lambda k: k[0])
    later: list[Path | Ranked] = []
    kept = 0
    first = replace(reading, first_only=True, finish_captioned=True)
    for (_, i, path), read in zip(others, pool.in_order([path for _, _, path in others], first)):
        if isinstance(read, Failed):
            back.append((i, read))
        elif isinstance(read, Ranked):  # states no dispute: after all the stories that do
            kept += len(read.doc.text)
            later.append(read if kept <= KEPT_CHARS else path)
        else:
            yield read
    yield from later
    yield from (item for _, item in sorted(back, key=lambda k: k[0]))


def _read(path: Path, report: ImportReport, stdin: bytes | None = None) -> Document | None:
    try:
        if str(path) == "-":
            return read_stdin(stdin or b"")
        return read_document(path)
    except IngestError as exc:
        report.failed.append((str(path), str(exc)))
        return None


def _skip(store: Store, doc: Document, seen: set[str], report: ImportReport) -> bool:
    """Already imported (same text), before or earlier in this run."""
    if doc.sha256 in seen:
        report.skipped.append(doc.path)
        return True
    known = store.source_place(doc.sha256)
    if known:
        source_id, case_id = known
        if doc.meta.get("url") and not store.source_urls(case_id or 0).get(source_id):
            store.set_source_url(source_id, doc.meta["url"])  # imported before the URL was kept
        report.skipped.append(doc.path)
        return True
    seen.add(doc.sha256)
    return False


class _Run:
    """One import's state: the cases it touched, and whether the kept case profiles
    have been brought up to date for filing."""

    def __init__(self, store: Store, report: ImportReport, fixed_case: str | None,
                 note: Callable[[str], None]) -> None:
        self.store, self.report, self.fixed_case, self.note = store, report, fixed_case, note
        self.profiles_ready = False
        self.touched: set[int] = set()
        # Filing queries answered by the readers (store/ahead.py), and the story
        # transactions this import committed since they began to be.
        self.early: EarlyAnswers | AnswersAhead | None = None
        self.own_commits = 0
        # Undated stories read ahead by the workers (`read_against_case`): readings
        # taken, and readings found stale and read again by the writer.
        self.ahead_taken = self.ahead_redone = 0
        # Stories stored with no date, by hash: the case and its dated events they were
        # read against (`_redate_undated` does not read them again against the same).
        self.read_undated: dict[str, tuple[int, tuple[tuple[str, str], ...]]] = {}

    def answers_early(self) -> None:
        """From now on the readers may answer the filing queries: the kept profiles are
        brought up to date first (they would be at the first story)."""
        self._profiles_current()
        self.early = self.store.early_answers()

    def _profiles_current(self) -> None:
        """Cases whose profile is missing (an older database) or stale (a source moved by
        hand) are profiled again, once per run, from their own sources only."""
        if self.profiles_ready:
            return
        stale = self.store.stale_profile_cases(UNFILED)
        for i, case_id in enumerate(stale, 1):
            self.note(f"profiling case {i} of {len(stale)} (once)")
            texts = [cases.profile(title, text) for title, text in self.store.case_texts(case_id)]
            self.store.save_case_profiles({case_id: cases.merge(texts)})
        self.profiles_ready = True

    def _candidates(self, read: Analysis) -> dict[int, cases.Profile]:
        """The cases this story could belong to, from the kept profiles (brought up to
        date first): the readers' answer when it still holds, else asked here."""
        self._profiles_current()
        if self.early is not None and read.filing is not None:
            found = self.early.take(read.filing, read.profile, cases.MATCH_THRESHOLD, self.own_commits)
            if found is not None:
                return found
        return self.store.profile_candidates(read.profile, cases.MATCH_THRESHOLD)

    @contextmanager
    def _story_transaction(self) -> Iterator[None]:
        """One story's transaction, counted once it has committed."""
        with self.store.transaction():
            yield
        self.own_commits += 1

    def store_document(self, read: Analysis) -> None:
        """File, date and store one document with its events, in one transaction.

        The filing decision reads the case profiles inside the transaction that stores
        the story (under the write lock), so imports running at once file as one after
        another would, and a case merged or moved meanwhile is never filed into. A story
        another process stored first is "already imported", not an error.
        """
        store = self.store
        doc, facts, doc_profile, guess = read.doc, read.facts, read.profile, read.guess
        try:
            with self._story_transaction():
                if store.source_place(doc.sha256) is not None:
                    self.report.skipped.append(doc.path)
                    return
                target = self._target(read)
                case_id = target.case_id
                every = _every_known(store, read, case_id)
                basis = _case_basis(store, read, case_id, target, every)
                if read.ahead is not None:  # read ahead by a worker: taken while it holds
                    self.ahead_taken += read.ahead == basis
                    self.ahead_redone += read.ahead != basis
                reading = read.ahead if read.ahead == basis else _read_against(read, basis, read.ahead)
                dated, proposals = reading.dated, reading.proposals
                groups = reading.groups if reading.groups is not None else \
                    _group(store, case_id, doc.text, proposals, every)
                case_id = target.resolve(store)
                unfiled = store.get_case(case_id).title.casefold() == UNFILED.casefold()
                _, count = store.add_source_with_events(
                    url=doc.meta.get("url"), case_id=case_id, path=doc.path, title=doc.title, sha256=doc.sha256,
                    text=doc.text, published=dated.value, published_basis=dated.basis, proposals=proposals,
                    groups=groups, filed_reason=target.reason, facts=facts, profile=None if unfiled else doc_profile,
                )
        except StoreError as exc:
            self.report.failed.append((doc.path, str(exc)))
            return
        self.report.imported.append(doc.path)
        if len(read.text) < len(doc.text):
            self.report.notes.append((doc.path, f"read for dates and events up to character {len(read.text):,} of "
                                                 f"{len(doc.text):,}; the whole text is stored and searchable"))
        self.report.events += count
        self.touched.add(case_id)
        if dated.basis == "unknown" and basis.known is not None and basis.case_id == case_id:
            self.read_undated[doc.sha256] = (case_id, basis.known)

    def _target(self, read: Analysis) -> _Target:
        store, doc = self.store, read.doc
        if self.fixed_case:
            return _named(store, self.fixed_case, "chosen with --case")
        if doc.meta.get("case"):
            return _named(store, doc.meta["case"], "named in front matter")
        return _file_into_case(store, doc.title, read.text, read.profile, self._candidates(read),
                               read.story_caption())


@dataclass(frozen=True)
class CaseReading:
    """A story's date and events as read against its case: what they are read from (the
    case, its dated events when the story has no date of its own, the case's name when
    a person gave it) and what they came to. Two readings are equal when they were read
    from the same; what they came to is then the same too (`_read_against` is a pure
    function of them and the story)."""

    case_id: int | None
    known: tuple[tuple[str, str], ...] | None
    named: str | None
    # The case's dated events as its restatements are told from them (`_group`: the id,
    # date, words and period of each), when the story is dated from its case.
    events: tuple[tuple[int, str | None, str, str], ...] | None = None
    dated: PublishedGuess | None = field(default=None, compare=False)
    proposals: list[ProposedEvent] = field(default_factory=list, compare=False)
    # The event titles the reading made (`analysis.propose`), for the writer when it reads
    # the story again.
    titles: Titles | None = field(default=None, compare=False)
    # Which proposals restate each other or one of `events` (`_group`), when a worker
    # read the story ahead: the writer takes them with the reading.
    groups: list[merge.Group] | None = field(default=None, compare=False)


def _case_basis(store: Store, read: Analysis, case_id: int | None, target: _Target,
                every: list[merge.Known] | None = None) -> CaseReading:
    """What `read`'s date and events are read from when it goes into `case_id` (None: a
    case `target` makes); `every`: `_every_known`, when the caller has it."""
    if every is None:
        every = _every_known(store, read, case_id)
    if every is None:
        return CaseReading(case_id, None, _named_case(store, case_id, target))
    known = tuple((k.value, k.text) for k in every if k.value)
    events = tuple((k.event_id, k.value, k.text, k.sort_date) for k in every if k.sort_date is not None)
    return CaseReading(case_id, known, _named_case(store, case_id, target), events)


def _read_against(read: Analysis, basis: CaseReading, earlier: CaseReading | None = None) -> CaseReading:
    """The story's date (its own, else from its case's dated events) and events. An
    `earlier` reading of the story (a worker's, from what has changed since) gives its
    titles, and its events when it came to the same date for the same case name: the
    events are a function of the story, its date and that name."""
    dated = (analysis.date_from_case(read, list(basis.known)) if basis.known is not None else None) or read.guess
    if earlier is not None and earlier.dated == dated and earlier.named == basis.named:
        return replace(basis, dated=dated, proposals=earlier.proposals, titles=earlier.titles)
    titles = {} if earlier is None or earlier.titles is None else earlier.titles
    return replace(basis, dated=dated, proposals=analysis.propose(read, dated, basis.named, titles), titles=titles)


# A read-only store per database, in the process that reads ahead with it.
_READ_ONLY: PerProcess[Store] = PerProcess(Store.read_only, Store.close)


def read_against_case(path: str, read: Analysis, case_title: str | None) -> CaseReading:
    """Ahead of the writer (`readers.AgainstCase`, in a worker or in the importer's own
    process while it waits for one): `read` filed, dated and its events proposed as the
    writer would from the database at `path` as it is now, in one read transaction, on a
    connection of its own. The writer takes it while what it was read from still holds."""
    store = _READ_ONLY.get(path)
    with store.one_state():
        run = _Run(store, ImportReport(), case_title, lambda _note: None)
        run.profiles_ready = True  # the writer made them current before its first story
        if read.filing is not None:  # the story's early answer, brought up to date here
            run.early = AnswersAhead(store.profiles)
        target = run._target(read)
        every = _every_known(store, read, target.case_id)
        reading = _read_against(read, _case_basis(store, read, target.case_id, target, every))
        return replace(reading, groups=_group(store, target.case_id, read.doc.text, reading.proposals, every))


# Undated stories read ahead go to a worker one at a time: the writer stores each in a
# few milliseconds, and waits for a whole chunk's reading before the first of it.
AHEAD_CHUNK = 1


def _close_read_only() -> None:
    """The read-only connections this process opened to read ahead, closed (the end of an
    import)."""
    _READ_ONLY.close()
    close_readers()


def _read_ahead(pool: Readers, store: Store, deferred: list[Analysis],
                case_title: str | None) -> Iterator[CaseReading | None]:
    """For each undated story stored last, in order: its reading against its case ahead
    of the writer (`readers.AgainstCase`: by a worker, or by the importer's process while
    it waits for one), or None where the writer reads it itself as it stores it: the
    first (nothing can be read ahead of it), or all of them without a pool (`AgainstCase`
    asked in the importer's process for the story it needs next reads nothing)."""
    yield from pool.in_order(deferred, AgainstCase(str(store.path), case_title), chunk_size=AHEAD_CHUNK)


def _redate_undated(store: Store, case_ids: Iterable[int], scans: Mapping[str, Scan | None] | None = None,
                    read_against: Mapping[str, tuple[int, tuple[tuple[str, str], ...]]] | None = None) -> int:
    """Sources of these cases that still have no date may be datable now that the case
    has more dated events; re-read them (with the `Scan` this import made of a text,
    by its hash, when there is one). A source this import stored undated after reading
    it against the same dated events of the same case (`read_against`, by its hash) is
    not read again: its date is a function of its text and those events. Returns the
    number of new events."""
    created = 0
    for case_id in sorted(case_ids):
        known: tuple[tuple[str, str], ...] | None = None  # the case's dated events, read when needed
        for source in store.undated_sources(case_id):
            if known is None:
                known = tuple((k.value, k.text) for k in known_events(store, case_id, "0000-01-01", "9999-12-31")
                              if k.value)
            if read_against is not None and read_against.get(source.sha256) == (case_id, known):
                continue
            scan = (scans or {}).get(source.sha256) or Scan(analysis.readable(source.text))
            guess = from_case_events(scan.text, list(known), scan=scan)
            if guess is None:
                continue
            proposals = _reread(store, case_id, source.title, source.text, guess, scan)
            groups = _group(store, case_id, source.text, proposals)
            known = None  # the case's events change, or another process changed the source
            try:
                created += store.redate_source(source.id, guess.value, guess.basis, proposals, groups)
            except StoreError:
                continue  # moved or removed by someone else meanwhile
    return created


def _reread(store: Store, case_id: int | None, title: str, text: str, guess: PublishedGuess,
            scan: Scan | None = None) -> list[ProposedEvent]:
    """The events a stored source tells, read again against a publication date found
    later (from the case's events, or typed by a person)."""
    return analysis.reread(title, text, guess, _named_case(store, case_id), scan)


def correct_source(store: Store, source_id: int, *, published: str | None = None, title: str | None = None,
                   url: str | None = None, outlet: str | None = None) -> Change:
    """Correct a source's facts by hand; a publication date (basis "user") re-reads its
    events with the importer's own reading: suggested readings the import made move to
    the new date; events a person touched stay, their passages of this source take the
    new reading and are flagged `!` when it now disagrees."""
    if published is None:
        return store.correct_source(source_id, title=title, url=url, outlet=outlet)
    source = store.get_source(source_id)
    guess = guess_from_value(published, "user")
    proposals = _reread(store, source.case_id, source.title, source.text, guess)
    kept: dict[tuple[int, int], list[int]] = {}
    touched = store.touched_events(source_id)
    excerpt_of: dict[tuple[int, int], int] = {(x.start, x.end): x.id for x in store.source_excerpts(source_id)}
    for reading in store.source_readings(source_id):
        if reading["event_id"] in touched:
            kept.setdefault((reading["start"], reading["end"]), []).append(reading["event_id"])
    readings = [(event_id, excerpt_of[(p.start, p.end)], p.value, p.granularity, p.date_text)
                for p in proposals for event_id in kept.get((p.start, p.end), [])]
    fresh = [p for p in proposals if (p.start, p.end) not in kept]
    groups = _group(store, source.case_id, source.text, fresh)
    return store.correct_source(source_id, title=title, url=url, outlet=outlet, published=guess.value,
                                proposals=fresh, groups=groups, readings=readings)



def _named_case(store: Store, case_id: int | None, target: _Target | None = None) -> str | None:
    """The case's title when a person named it (`--case`, front matter, a rename): its
    parties can then tell another case's events apart. A title the importer made (from a
    caption or the names in one story) may name the wrong parties, and is not used. A
    case still to be made is named by its target."""
    if case_id is None:
        return target.title if target is not None and target.origin == "user" else None
    return store.get_case(case_id).title if store.case_title_origin(case_id) == "user" else None



def _group(store: Store, case_id: int | None, text: str, proposals: list[ProposedEvent],
           every: list[merge.Known] | None = None) -> list[merge.Group]:
    """Which proposals restate each other or an event the case already has (a case
    still to be made has none). `every`: all of the case's events, when the caller has
    them (those in the proposals' years are taken from it, as the query would)."""
    starts = [period_start(p.value) for p in proposals if p.value]
    if starts and case_id is not None:
        since = f"{min(starts)[:4]}-01-01"
        until = max(merge.bounds(p.value)[1] for p in proposals if p.value)
        known = known_events(store, case_id, since, until) if every is None else \
            [k for k in every if k.sort_date is not None and since <= k.sort_date <= until]
    else:
        known = []
    readings = []
    for p in proposals:
        sentence = text[p.start:p.end]
        begin, finish = clause_bounds(sentence, p.phrase_start - p.start, p.phrase_end - p.start)
        readings.append((p.value, sentence[begin:finish]))
    return merge.plan(readings, known)


def _free_title(store: Store, title: str, text: str, numbered: bool = True) -> str | None:
    """`title`, or when another case has it, the title with what this story is about
    ("United States v. Google (ad tech)"), else numbered; None when `numbered` is off
    and no distinct title is found."""
    if not store.case_title_taken(title):
        return title
    try:
        holder = store.find_case(title)
        other = "\n".join(t for _, t in store.case_texts(holder.id))
    except StoreError:
        other = ""
    about = cases.topic(text, other)
    if about and not store.case_title_taken(f"{title} ({about})"):
        return f"{title} ({about})"
    if not numbered:
        return None
    n = 2
    while store.case_title_taken(f"{title} ({n})"):
        n += 1
    return f"{title} ({n})"


def _file_into_case(
    store: Store, title: str, text: str, doc_profile: cases.Profile, profiles: dict[int, cases.Profile],
    caption_title: str | None,
) -> _Target:
    """The case a story goes into and the reason, recorded on the source
    (`caption_title`: the caption of the dispute it states, `cases.case_title`)."""
    filing = cases.decide(doc_profile, profiles, caption_title is not None)
    if filing.unfiled:
        return _named(store, UNFILED, filing.reason, "system", "stories whose case could not be told")
    if filing.case_id is not None:
        rename = None
        if caption_title and store.case_title_origin(filing.case_id) == "names":
            own = "\n".join([text, *(t for _, t in store.case_texts(filing.case_id))])
            rename = _free_title(store, caption_title, own, numbered=False)
        return _Target(filing.reason, filing.case_id, rename=rename)
    suggested = caption_title or cases.suggest_title(title, text, doc_profile)
    candidate = _free_title(store, suggested, text) or suggested
    origin = "caption" if caption_title else "names"
    return _Target(filing.reason, None, candidate, origin, filing.reason)
