"""Importing on several cores: documents read and analysed by worker processes give the
same database as one process reading them (the exports and the reports are compared),
a worker that dies loses nothing and stores nothing twice, and Ctrl-C stops the workers
at once with one line."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tracker import importer, readers
from tracker.analysis import Ranked
from tracker.importer import import_paths
from tracker.models import ImportReport
from tracker.readers import Failed, Readers, Reading, processes
from tracker.store import Store

TODAY = date(2026, 11, 25)

DISPUTES = [
    ("Meridian Shipping", "the Port of Calder", "dock fees", "March 3, 2022", "May 17, 2022"),
    ("Nolan Farms", "Brightwater Chemical", "a pesticide spill", "June 8, 2021", "Sept. 21, 2021"),
    ("Okonkwo Textiles", "Harlan Mills", "a copied fabric pattern", "Jan. 11, 2023", "April 4, 2023"),
]


def story_folder(root: Path) -> Path:
    """About twenty small stories: three disputes told by several outlets (captions,
    "X sued Y", follow-ups naming one party), one case named in front matter, stories
    with no date of their own that restate a dated event of their case, and files that
    cannot be read (binary, empty)."""
    folder = root / "stories"
    folder.mkdir()
    n = 0

    def write(text: str, name: str | None = None) -> None:
        nonlocal n
        n += 1
        (folder / (name or f"{n:02d}.txt")).write_text(text, encoding="utf-8")

    for plaintiff, defendant, about, filed, ruled in DISPUTES:
        write(f"{plaintiff} v. {defendant}: suit over {about}\n\nPublished: {filed}\n\n"
              f"{plaintiff} sued {defendant} on {filed} over {about}, asking for damages. "
              f"A spokesperson for {defendant} said the claims had no merit.\n")
        write(f"Judge rules in {plaintiff} case\n\nPublished: {ruled}\n\n"
              f"A federal judge on {ruled} refused to dismiss the lawsuit {plaintiff} filed against "
              f"{defendant} over {about}. The suit was filed on {filed}.\n")
        write(f"{defendant} appeals\n\nPublished: {ruled}\n\nLawyers for {defendant} said they would appeal the "
              f"ruling in the case brought by {plaintiff} over {about}. A hearing is set for next month.\n")
        # No date of its own: it restates the ruling, which dates it from its case.
        write(f"{plaintiff} case goes on\n\nA federal judge on Tuesday refused to dismiss the lawsuit {plaintiff} filed "
              f"against {defendant} over {about}. {plaintiff} said it was pleased.\n")
        write(f"What {about} means for {plaintiff}\n\nPublished: {ruled}\n\n{plaintiff} told investors on "
              f"{ruled} that its lawsuit against {defendant} would not change its plans.\n")
    for i, day in enumerate(("2024-02-05", "2024-03-12", "2024-04-30")):
        write(f"---\ntitle: Zephyr council hearing {i + 1}\ndate: {day}\ncase: Residents v. Zephyr Council\n---\n"
              f"The council met on {day} to hear residents who sued over the new parking rules. "
              f"A vote was postponed.\n")
    write("Markets close higher\n\nPublished: July 2, 2024\n\nShares rose on July 2, 2024, led by banks.\n")
    (folder / "broken.txt").write_bytes(b"\x00\x01binary\x00")
    (folder / "empty.md").write_text("", encoding="utf-8")
    return folder


def export(db: Path) -> str:
    result = run_cli(db, "export", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["format"] == "tracker.v1"
    return result.stdout  # no timestamps in tracker.v1: compared as they are


def report_of(db: Path, folder: Path, *args: str) -> tuple[int, dict[str, object]]:
    result = run_cli(db, "import", str(folder), "--json", *args)
    return result.returncode, json.loads(result.stdout)


@pytest.mark.parametrize("case", [None, "Everything"], ids=["filing-order", "one-case"])
def test_several_processes_import_what_one_process_does(tmp_path: Path, case: str | None) -> None:
    folder = story_folder(tmp_path)
    extra = ["--case", case] if case else []
    one = report_of(tmp_path / "one.db", folder, "--jobs", "1", *extra)
    two = report_of(tmp_path / "two.db", folder, "--jobs", "2", *extra)
    assert one == two
    code, report = two
    assert code == 2 and len(report["imported"]) == 19  # type: ignore[arg-type]
    assert {f["path"].rsplit("/", 1)[-1] for f in report["failed"]} == {"broken.txt", "empty.md"}  # type: ignore[union-attr]
    assert export(tmp_path / "one.db") == export(tmp_path / "two.db")
    if case is None:
        assert {"Residents v. Zephyr Council", "Meridian Shipping v. Port of Calder"} <= set(report["cases"])  # type: ignore[arg-type]
        store = Store(tmp_path / "two.db")
        try:
            bases = {s.published_basis for c in store.list_cases() for s in store.case_sources(c.id)}
        finally:
            store.close()
        assert "case-context" in bases  # an undated story was dated by its case


def test_the_pool_is_used_and_gives_the_same_report(tmp_path: Path) -> None:
    folder = story_folder(tmp_path)
    children: set[int] = set()

    def progress(done: int, total: int, note: str) -> None:
        children.update(p.pid for p in multiprocessing.active_children())

    reports: list[ImportReport] = []
    for jobs in (1, 2, 3):
        children.clear()
        store = Store(tmp_path / f"{jobs}.db")
        try:
            reports.append(import_paths(store, [folder], today=TODAY, jobs=jobs, progress=progress))
        finally:
            store.close()
        assert len(children) == jobs - 1  # the importer's process reads too
    assert reports[0] == reports[1] == reports[2]
    assert not multiprocessing.active_children()  # the workers are gone afterwards


def test_past_the_memory_bound_documents_are_read_again_in_their_turn(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = story_folder(tmp_path)
    exports = []
    for jobs, kept in ((1, importer.KEPT_CHARS), (2, 600)):
        monkeypatch.setattr(importer, "KEPT_CHARS", kept)
        store = Store(tmp_path / f"{jobs}.db")
        try:
            import_paths(store, [folder], today=TODAY, jobs=jobs)
        finally:
            store.close()
        exports.append(export(tmp_path / f"{jobs}.db"))
    assert exports[0] == exports[1]


class _DiesOnce(Reading):
    """Kills the worker process that reads the marked file (never this process)."""

    def __call__(self, item: Path | Ranked) -> readers.Read | Ranked:
        name = Path(item.doc.path).name if isinstance(item, Ranked) else item.name
        if name == "07.txt" and multiprocessing.parent_process() is not None:
            os.kill(os.getpid(), signal.SIGKILL)
        return super().__call__(item)


def test_a_worker_that_dies_loses_nothing_and_stores_nothing_twice(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    folder = story_folder(tmp_path)
    paths = sorted(folder.iterdir())
    reading = _DiesOnce(TODAY)
    with Readers(2) as pool:
        pooled = list(pool.in_order(paths, reading))
        assert pool.broken
    assert pooled == [reading(path) for path in paths]  # read here after the worker died
    assert [r.reason for r in pooled if isinstance(r, Failed)] == ["binary file (contains NUL bytes)", "empty file"]

    store = Store(tmp_path / "one.db")
    try:
        import_paths(store, [folder], today=TODAY, jobs=1)
    finally:
        store.close()
    monkeypatch.setattr(importer, "Reading", _DiesOnce)
    store = Store(tmp_path / "two.db")
    try:
        import_paths(store, [folder], today=TODAY, jobs=2)
    finally:
        store.close()
    assert export(tmp_path / "one.db") == export(tmp_path / "two.db")


def test_released_workers_end_while_the_writer_finishes(tmp_path: Path) -> None:
    """`release` tells the workers to end without waiting for them; leaving `Readers`
    then waits, and they are gone."""
    folder = story_folder(tmp_path)
    with Readers(3) as pool:
        reads = list(pool.in_order(sorted(folder.glob("0*.txt"))[:4], Reading(TODAY)))
        workers = multiprocessing.active_children()
        assert len(reads) == 4 and len(workers) == 2
        began = time.monotonic()
        pool.release()
        assert time.monotonic() - began < 0.5  # not waited for here
    assert not multiprocessing.active_children()


def test_tiny_imports_stay_in_this_process() -> None:
    assert processes(None, readers.POOL_MIN_DOCUMENTS - 1) == 1
    assert processes(1, 500) == 1
    assert processes(None, 500) == (os.cpu_count() or 1)
    assert processes(16, readers.POOL_MIN_DOCUMENTS) == readers.POOL_MIN_DOCUMENTS


def test_ctrl_c_stops_the_workers_and_keeps_what_was_stored(tmp_path: Path) -> None:
    """Ctrl-C from a terminal reaches the whole process group, the importer and its workers,
    while the workers are reading (one case given: stored as they are read)."""
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(400):
        plaintiff, defendant, about, filed, _ = DISPUTES[i % 3]
        (folder / f"{i:03d}.txt").write_text(
            f"Story {i} on {plaintiff}\n\nPublished: {filed}\n\nIn story {i}, {plaintiff} said on {filed} that its "
            f"suit against {defendant} over {about} would go on. Hearing {i} was held on {filed}.\n",
            encoding="utf-8")
    db = tmp_path / "t.db"
    env = {**os.environ, "TRACKER_DB": str(db), "NO_COLOR": "1"}
    command = [sys.executable, "-m", "tracker", "import", str(folder), "--case", "Many", "--jobs", "2"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    stored = 0
    while time.monotonic() < deadline and process.poll() is None:
        workers |= _children(process.pid)
        if db.exists():
            stored = _count(db)
            if stored >= 5:
                break
        time.sleep(0.05)
    assert process.poll() is None, "the import finished before it could be interrupted"
    assert workers
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=30)
    # As without workers: click turns Ctrl-C into "aborted", exit 1 (a blank line first,
    # past the ^C the terminal echoed); no traceback from the importer or its workers.
    assert (process.returncode, [line for line in err.splitlines() if line]) == (1, ["aborted"])
    time.sleep(0.2)
    assert not [pid for pid in workers if _alive(pid)]
    check = run_cli(db, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    kept = _count(db)
    assert stored <= kept < 400
    # Importing again completes the rest, nothing twice.
    again = run_cli(db, "import", str(folder), "--case", "Many", "--json")
    assert json.loads(again.stdout)["skipped"] and _count(db) == 400


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            continue
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _count(db: Path) -> int:
    import sqlite3

    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        return int(connection.execute("select count(*) from sources").fetchone()[0])
    except sqlite3.Error:
        return 0
    finally:
        connection.close()


def test_documents_go_to_the_workers_a_few_at_a_time_and_come_back_in_order(tmp_path: Path) -> None:
    """Paths read in chunks, with items the writer handles itself in between, come back
    in the order given, each read as this process reads it."""
    folder = story_folder(tmp_path)
    paths = sorted(folder.iterdir())
    marks = [f"mark {i}" for i in range(4)]
    items: list[object] = [marks[0], *paths[:5], marks[1], marks[2], *paths[5:], marks[3]]
    reading = Reading(TODAY)
    with Readers(2) as pool:
        pooled = list(pool.in_order(items, reading))
        assert not pool.broken
    assert pooled == [reading(item) if isinstance(item, Path) else item for item in items]
    assert len(paths) > readers.CHUNK * 2  # several chunks, some cut short by a mark


class _SlowInWorkers(Reading):
    """Reads as `Reading` does, slowly in a worker, and says which process read it."""

    def _read(self, item: Path | Ranked) -> tuple[int, object]:  # type: ignore[override]
        if multiprocessing.parent_process() is not None:
            time.sleep(0.1)
        return os.getpid(), super()._read(item)


def test_the_importer_reads_what_no_worker_has_while_it_waits(tmp_path: Path) -> None:
    """With a worker slower than itself, the importer's process reads the documents no
    worker was given rather than wait; the worker reads those it was given; all come
    back in order, read as one process reads them."""
    folder = story_folder(tmp_path)
    paths = sorted(folder.iterdir())
    reading = _SlowInWorkers(TODAY)
    with Readers(2) as pool:
        pooled = list(pool.in_order(paths, reading))
    assert [read for _, read in pooled] == [Reading(TODAY)(path) for path in paths]
    here = [pid == os.getpid() for pid, _ in pooled]
    assert here[0]  # the first document, read at once
    assert here.count(False) > 0 and here.count(True) > 1


class _Logged(Reading):
    """Notes each path ranked (a first reading) in `log`, shared by its copies."""

    log: list[tuple[str, str]] = []

    def __call__(self, item: Path | Ranked) -> readers.Read | Ranked | readers.Heading:
        result = super().__call__(item)
        if self.first_only and not self.heading_only and isinstance(item, Path):
            self.log.append(("ranked", item.name))
        return result


def _name(item: object) -> str:
    if isinstance(item, Path):
        return item.name
    if isinstance(item, (Ranked, importer.Analysis)):
        return Path(item.doc.path).name
    if isinstance(item, Failed):
        return Path(item.path).name
    return Path(item.path).name  # type: ignore[attr-defined]


def test_the_filing_order_is_handed_on_as_it_is_known(tmp_path: Path) -> None:
    """Stories naming their case first, then those stating their dispute, then the
    others, each by file name, unreadable files last: the order a whole first reading of
    every file gives. The first story goes to the writer before the last is ranked."""
    from tracker import analysis
    from tracker.ingest import IngestError, iter_files, read_document

    folder = story_folder(tmp_path)
    files = list(iter_files([folder]))
    keyed, failed = [], []
    for path, problem in files:
        try:
            doc = read_document(path)
        except IngestError:
            failed.append(path.name)
            continue
        keyed.append((analysis.first_reading(doc, with_rank=True).rank, path.name, doc.sha256))
    expected = [name for _, name, _ in sorted(keyed)] + failed
    assert {rank for rank, _, _ in keyed} == {0, 1, 2}

    _Logged.log = []
    with Readers(1) as pool:
        for item in importer._filing_order(files, pool, _Logged(TODAY, with_rank=True), lambda note: None):
            _Logged.log.append(("handed", _name(item)))
    assert [name for what, name in _Logged.log if what == "handed"] == expected
    steps = [what for what, _ in _Logged.log]
    assert steps.index("handed") < len(steps) - 1 - steps[::-1].index("ranked")


def test_a_reading_done_elsewhere_is_handed_on_before_the_source_is_asked_again(tmp_path: Path) -> None:
    """The filing order hands on stories it had read and finished while ranking; asking
    it for the next one may wait for the ranking of others, so what is ready goes to
    the writer first."""
    folder = story_folder(tmp_path)
    reading = Reading(TODAY)
    ready = [reading(path) for path in sorted(folder.glob("0*.txt"))[:3]]
    asked: list[object] = []

    def source() -> Iterator[object]:
        for read in ready:
            asked.append(read)
            yield read

    with Readers(2) as pool:
        handed = pool.in_order(source(), reading)
        assert next(handed) is ready[0] and asked == ready[:1]
        assert list(handed) == ready[1:]


def import_alone_and_pooled(tmp_path: Path) -> None:
    """The story folder imported by one process into 1.db and with two workers into 2.db."""
    folder = story_folder(tmp_path)
    for jobs in (1, 2):
        store = Store(tmp_path / f"{jobs}.db")
        try:
            import_paths(store, [folder], today=TODAY, jobs=jobs)
        finally:
            store.close()


def test_filing_queries_answered_by_the_readers_file_as_the_writer_would(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The readers answer each story's filing query when they finish reading it (on a
    large database; here forced on): the same database as the writer asking each itself,
    and the answers were taken."""
    monkeypatch.setattr(importer, "EARLY_ANSWERS_MIN_CASES", 0)
    made: list[object] = []
    early_answers = Store.early_answers

    def kept(self: Store) -> object:
        made.append(early_answers(self))
        return made[-1]

    monkeypatch.setattr(Store, "early_answers", kept)
    import_alone_and_pooled(tmp_path)
    assert len(made) == 1 and made[0].taken > 0  # type: ignore[attr-defined]
    assert export(tmp_path / "1.db") == export(tmp_path / "2.db")


def test_undated_stories_are_read_ahead_by_the_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stories with no date of their own, stored last, are filed, dated from their
    case and read for events by the workers while the writer stores the ones before; the
    writer takes those readings (the same database as one process, compared above)."""
    runs: list[importer._Run] = []
    store_document = importer._Run.store_document

    def kept(self: importer._Run, read: object) -> None:
        if self not in runs:
            runs.append(self)
        store_document(self, read)  # type: ignore[arg-type]

    monkeypatch.setattr(importer._Run, "store_document", kept)
    import_alone_and_pooled(tmp_path)
    alone, pooled = runs
    assert alone.ahead_taken == alone.ahead_redone == 0
    # Three undated stories, one per dispute: the writer reads the first itself.
    assert pooled.ahead_taken == 2 and pooled.ahead_redone == 0
    assert export(tmp_path / "1.db") == export(tmp_path / "2.db")


def dispute_stories(folder: Path, dispute: tuple[str, str, str, str, str]) -> Path:
    """Three stories of one dispute in `folder`: its filing and a ruling, each dated, and
    the ruling told again with no date of its own (returned)."""
    plaintiff, defendant, about, filed, ruled = dispute
    folder.mkdir()
    (folder / "filed.txt").write_text(
        f"{plaintiff} v. {defendant}: suit over {about}\n\nPublished: {filed}\n\n{plaintiff} sued {defendant} on "
        f"{filed} over {about}, asking for damages.\n", encoding="utf-8")
    (folder / "ruled.txt").write_text(
        f"Judge rules in {plaintiff} case\n\nPublished: {ruled}\n\nA federal judge on {ruled} refused to dismiss "
        f"the lawsuit {plaintiff} filed against {defendant} over {about}.\n", encoding="utf-8")
    undated = folder / "undated.txt"
    undated.write_text(
        f"{plaintiff} case goes on\n\nA federal judge on Tuesday refused to dismiss the lawsuit {plaintiff} filed "
        f"against {defendant} over {about}. {plaintiff} said it was pleased.\n", encoding="utf-8")
    return undated


def read_ahead_around(store: Store, db: Path, undated: Path, meanwhile: Path, before: bool) -> importer.Analysis:
    """The undated story read, and read ahead against its case (as a worker would) before
    or after `meanwhile` is imported into `store`."""
    from tracker import analysis
    from tracker.ingest import read_document

    read = analysis.analyse(read_document(undated), TODAY)
    if before:
        read.ahead = importer.read_against_case(str(db), read, None)
    import_paths(store, [meanwhile], today=TODAY)
    if not before:
        read.ahead = importer.read_against_case(str(db), read, None)
    return read


def test_a_reading_ahead_is_taken_only_while_its_case_is_as_it_was_read(tmp_path: Path) -> None:
    """A worker reads an undated story against its case as the database is then; when a
    story stored meanwhile gives the case a new dated event (the one that dates it), the
    writer reads the story again itself, with the event titles the worker made. The
    database is the same either way."""
    from tracker import extract

    folder = tmp_path / "stories"
    undated = dispute_stories(folder, DISPUTES[0])

    def store_undated(name: str, read_before_ruling: bool) -> importer._Run:
        db = tmp_path / name
        store = Store(db)
        try:
            import_paths(store, [folder / "filed.txt"], today=TODAY)
            read = read_ahead_around(store, db, undated, folder / "ruled.txt", read_before_ruling)
            assert read.guess.basis == "unknown"
            run = importer._Run(store, ImportReport(), None, lambda note: None)
            real = extract.make_title
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(extract, "make_title", lambda *args: made.append(args[0]) or real(*args))
                run.store_document(read)
            assert run.report.imported == [str(undated)]
            basis = {s.published_basis for c in store.list_cases() for s in store.case_sources(c.id)}
            assert "case-context" in basis  # dated by the ruling, whichever way it was read
        finally:
            store.close()
        return run

    made: list[str] = []
    stale = store_undated("stale.db", read_before_ruling=True)
    assert (stale.ahead_taken, stale.ahead_redone) == (0, 1)
    assert made == []  # read again with the titles the worker made
    fresh = store_undated("fresh.db", read_before_ruling=False)
    assert (fresh.ahead_taken, fresh.ahead_redone) == (1, 0)
    assert export(tmp_path / "stale.db") == export(tmp_path / "fresh.db")


def test_a_stale_reading_ahead_that_comes_to_the_same_date_keeps_its_events(tmp_path: Path) -> None:
    """When a story stored meanwhile gives the case a dated event that does not change
    the undated story's date, the writer reads the date again but takes the worker's
    events: they are a function of the story, its date and the case's name; it groups
    their restatements itself, against the case's events as they are now. A reading
    that holds brings its grouping too. The database is the one a fresh reading gives."""
    from tracker import analysis

    folder = tmp_path / "stories"
    undated = dispute_stories(folder, DISPUTES[1])
    plaintiff, defendant, about, _, _ = DISPUTES[1]
    (folder / "later.txt").write_text(
        f"{plaintiff} case: trial date\n\nPublished: Dec. 1, 2021\n\nThe judge in the lawsuit {plaintiff} filed "
        f"against {defendant} over {about} set a trial for Nov. 30, 2021, court papers show.\n", encoding="utf-8")

    def store_undated(name: str, read_before_later: bool) -> tuple[importer._Run, list[object]]:
        db = tmp_path / name
        store = Store(db)
        proposed: list[object] = []
        try:
            import_paths(store, [folder / "filed.txt", folder / "ruled.txt"], today=TODAY)
            read = read_ahead_around(store, db, undated, folder / "later.txt", read_before_later)
            run = importer._Run(store, ImportReport(), None, lambda note: None)
            real, group = analysis._propose, importer._group
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(analysis, "_propose", lambda *args: proposed.append(args) or real(*args))
                patch.setattr(importer, "_group", lambda *args: grouped.append(args) or group(*args))
                run.store_document(read)
            (source,) = [s for c in store.list_cases() for s in store.case_sources(c.id) if s.path == str(undated)]
            assert source.published_basis == "case-context"
        finally:
            store.close()
        return run, proposed

    grouped: list[object] = []
    stale, proposed = store_undated("stale.db", read_before_later=True)
    assert (stale.ahead_taken, stale.ahead_redone, proposed, len(grouped)) == (0, 1, [], 1)
    grouped.clear()  # a reading that holds comes with its restatements grouped by the worker
    fresh, proposed = store_undated("fresh.db", read_before_later=False)
    assert (fresh.ahead_taken, fresh.ahead_redone, proposed, grouped) == (1, 0, [], [])
    assert export(tmp_path / "stale.db") == export(tmp_path / "fresh.db")


def test_a_reading_ahead_files_from_the_story_s_early_answer_brought_up_to_date(tmp_path: Path,
                                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """On a large database a worker reading an undated story ahead files it from the
    filing query's answer it had when it first read the story, the cases stored into
    since asked again: the same reading as the full query on the database as it is now."""
    from tracker import analysis
    from tracker.cases import MATCH_THRESHOLD
    from tracker.ingest import read_document
    from tracker.store import ahead

    folder = story_folder(tmp_path)
    db = tmp_path / "ahead.db"
    stories = sorted(folder.glob("[0-9]*.txt"))
    undated = [p for p in stories if analysis.analyse(read_document(p), TODAY).guess.basis == "unknown"]
    dated = [p for p in stories if p not in undated]
    store = Store(db)
    try:
        import_paths(store, dated[:4], today=TODAY, jobs=1)
        reads = [analysis.analyse(read_document(p), TODAY) for p in undated]
        for read in reads:
            read.filing = ahead.answer_early(str(db), read.profile, MATCH_THRESHOLD)
        import_paths(store, dated[4:], today=TODAY, jobs=1)  # more cases, more terms since the answers
        used: list[object] = []
        brought = ahead.brought_up_to_date

        def counted(*args: object) -> object:
            used.append(args)
            return brought(*args)  # type: ignore[arg-type]

        monkeypatch.setattr(ahead, "brought_up_to_date", counted)
        for read in reads:
            with_answer = importer.read_against_case(str(db), read, None)
            asked = importer.read_against_case(str(db), replace_filing(read), None)
            assert with_answer == asked and with_answer.proposals == asked.proposals
            assert with_answer.dated == asked.dated
        assert len(used) == len(reads) >= 3
    finally:
        store.close()


def replace_filing(read: importer.Analysis) -> importer.Analysis:
    from dataclasses import replace

    return replace(read, filing=None)
