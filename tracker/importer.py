"""The import pipeline: files -> documents -> publication date -> case -> events -> store.

Each file is stored whole or not at all (one transaction per source), so an import cut
short leaves no half-imported source and running it again completes the rest. A file
that cannot be read gets a one-line reason in the report and the import goes on.
(Committing a few documents at a time was tried: 3% faster into a million events, but
the write lock would be held while the next story is read and tagged.)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from tracker import cases, merge
from tracker.dates import period_start
from tracker.extract import ProposedEvent, propose_events
from tracker.facts import Fact, extract_facts
from tracker.sentences import clause_bounds
from tracker.ingest import Document, IngestError, iter_files, read_document, read_stdin
from tracker.models import ImportReport
from tracker.published import PublishedGuess, from_case_events, guess_from_value, infer_published
from tracker.store import Store, StoreError

Progress = Callable[[int, int, str], None]
UNFILED = "Unfiled"
def _published(text: str, meta: dict[str, str], override: str | None, today: date) -> PublishedGuess:
    if override:
        return guess_from_value(override, "user")
    if meta.get("date"):
        from tracker.dates import parse_iso_day

        try:
            day = parse_iso_day(meta["date"])
            return guess_from_value(day.isoformat(), "metadata")
        except ValueError:
            pass
    return infer_published(text, today)


def import_paths(
    store: Store,
    paths: list[Path],
    *,
    case_title: str | None = None,
    published: str | None = None,
    today: date | None = None,
    progress: Progress | None = None,
    stdin: bytes | None = None,
) -> ImportReport:
    """Import every .txt/.md file under `paths`; see the module docstring for guarantees."""
    today = today or date.today()
    report = ImportReport()
    files = list(iter_files(paths))
    if not case_title and len(files) > 1:
        files = _filing_order(files, progress)
    fixed_case = store.ensure_case(case_title, "chosen with --case") if case_title else None
    run = _Run(store, report, fixed_case, lambda note: progress(done, len(files), note) if progress else None)
    seen: set[str] = set()
    deferred: list[Path] = []
    done = 0

    def step(path: Path | str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, len(files), str(path))

    for path, problem in files:
        if problem:
            report.failed.append((str(path), problem))
            step(path)
            continue
        if path.suffix.lower() in {".json", ".csv"} and path.is_file():
            from tracker.structured import import_structured

            import_structured(store, path, report, today)
            step(path)
            continue
        if str(path) == "-" and stdin:
            from tracker.structured import import_structured_stdin

            if import_structured_stdin(store, stdin, report, today):  # a piped export or sheet
                step(path)
                continue
        doc = _read(path, report, stdin)
        if doc is None or _skip(store, doc, seen, report):
            step(path)
            continue
        guess = _published(doc.text, doc.meta, published, today)
        if guess.basis == "unknown":
            # Undated stories wait until the dated ones are in: their events may date them.
            deferred.append(path)
            continue
        run.store_document(doc, guess)
        step(path)
    for path in deferred:
        doc = _read(path, report, stdin)
        if doc is not None:
            run.store_document(doc, _published(doc.text, doc.meta, published, today))
        step(path)
    touched = run.touched
    report.events += _redate_undated(store, touched)
    report.cases |= {store.get_case(case_id).title for case_id in touched}
    return report


def _filing_order(files: list[tuple[Path, str | None]], progress: Progress | None = None) -> list[tuple[Path, str | None]]:
    """The order stories are filed in, whatever order they were given in: stories whose
    front matter names their case first, then stories that state their dispute ("X v. Y",
    "X sued Y"), so that they found the cases and
    the others join the case they fit; then by file name. Filing a folder gives the same
    cases in any order. Sheets and stdin keep their place at the front; files that
    cannot be read go last (the import reports them)."""
    from tracker import ingest

    keyed: list[tuple[tuple[int, str, str], tuple[Path, str | None]]] = []
    front: list[tuple[Path, str | None]] = []
    back: list[tuple[Path, str | None]] = []
    for i, (path, problem) in enumerate(files):
        if str(path) == "-" or path.suffix.lower() in {".json", ".csv"}:
            front.append((path, problem))
            continue
        try:
            if problem:
                raise IngestError(problem)
            doc = ingest.read_document(path)
        except IngestError:
            back.append((path, problem))
            continue
        if progress and len(files) > 1:
            progress(0, len(files), f"reading {path.name} to choose the filing order")
        if doc.meta.get("case"):
            rank = 0  # the case is named in front matter: it founds the case the others may join
        else:
            facts = extract_facts(doc.title, doc.text)
            states = cases.case_title(doc.title, doc.text, facts, cases.profile(doc.title, doc.text, facts))
            rank = 1 if states else 2
        keyed.append(((rank, path.name, doc.sha256), (path, problem)))
    return front + [item for _, item in sorted(keyed, key=lambda k: k[0])] + back


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
    known = store.source_by_sha(doc.sha256)
    if known:
        if doc.meta.get("url") and not store.source_urls(known.case_id or 0).get(known.id):
            store.set_source_url(known.id, doc.meta["url"])  # imported before the URL was kept
        report.skipped.append(doc.path)
        return True
    seen.add(doc.sha256)
    return False


class _Run:
    """One import's state: the cases it touched, and whether the kept case profiles
    have been brought up to date for filing."""

    def __init__(self, store: Store, report: ImportReport, fixed_case: int | None,
                 note: Callable[[str], None]) -> None:
        self.store, self.report, self.fixed_case, self.note = store, report, fixed_case, note
        self.profiles_ready = False
        self.touched: set[int] = set()

    def _candidates(self, doc_profile: cases.Profile) -> dict[int, cases.Profile]:
        """The cases this story could belong to, from the kept profiles; cases whose
        profile is missing (an older database) or stale (a source moved by hand) are
        profiled again first, once per run, from their own sources only."""
        if not self.profiles_ready:
            stale = self.store.stale_profile_cases(UNFILED)
            for i, case_id in enumerate(stale, 1):
                self.note(f"profiling case {i} of {len(stale)} (once)")
                texts = [cases.profile(title, text) for title, text in self.store.case_texts(case_id)]
                self.store.save_case_profiles({case_id: cases.merge(texts)})
            self.profiles_ready = True
        return self.store.profile_candidates(doc_profile, cases.MATCH_THRESHOLD)

    def store_document(self, doc: Document, guess: PublishedGuess) -> None:
        """File, date and store one document with its events, in one transaction."""
        store = self.store
        facts = extract_facts(doc.title, doc.text)
        doc_profile = cases.profile(doc.title, doc.text, facts)
        reason = "chosen with --case"
        if self.fixed_case is not None:
            case_id = self.fixed_case
        elif doc.meta.get("case"):
            case_id, reason = store.ensure_case(doc.meta["case"], "named in front matter"), "named in front matter"
        else:
            case_id, reason = _file_into_case(store, doc.title, doc.text, doc_profile,
                                              self._candidates(doc_profile), facts)
        if guess.basis == "unknown":
            known = store.known_events(case_id, "0000-01-01", "9999-12-31")
            guess = from_case_events(doc.text, [(k.value, k.text) for k in known if k.value]) or guess
        skip = guess.evidence if guess.basis in {"dateline", "metadata"} else None
        proposals = propose_events(doc.text, guess.anchor, skip)
        groups = _group(store, case_id, doc.text, proposals)
        unfiled = store.get_case(case_id).title.casefold() == UNFILED.casefold()
        try:
            _, count = store.add_source_with_url(
                doc.meta.get("url"), case_id=case_id, path=doc.path, title=doc.title, sha256=doc.sha256, text=doc.text,
                published=guess.value, published_basis=guess.basis, proposals=proposals, groups=groups,
                filed_reason=reason, facts=facts, profile=None if unfiled else doc_profile,
            )
        except StoreError as exc:
            self.report.failed.append((doc.path, str(exc)))
            return
        self.report.imported.append(doc.path)
        self.report.events += count
        self.touched.add(case_id)


def _redate_undated(store: Store, case_ids: set[int]) -> int:
    """Sources of these cases that still have no date may be datable now that the case
    has more dated events; re-read them. Returns the number of new events."""
    created = 0
    for case_id in sorted(case_ids):
        for source in store.undated_sources(case_id):
            known = store.known_events(case_id, "0000-01-01", "9999-12-31")
            guess = from_case_events(source.text, [(k.value, k.text) for k in known if k.value])
            if guess is None:
                continue
            proposals = propose_events(source.text, guess.anchor, None)
            groups = _group(store, case_id, source.text, proposals)
            created += store.redate_source(source.id, guess.value, guess.basis, proposals, groups)
    return created


def _group(store: Store, case_id: int, text: str, proposals: list[ProposedEvent]) -> list[merge.Group]:
    """Which proposals restate each other or an event the case already has."""
    starts = [period_start(p.value) for p in proposals if p.value]
    if starts:
        since = f"{min(starts)[:4]}-01-01"
        until = max(merge.bounds(p.value)[1] for p in proposals if p.value)
        known = store.known_events(case_id, since, until)
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
    facts: list[Fact],
) -> tuple[int, str]:
    """The case a story goes into and the reason, recorded on the source."""
    caption_title = cases.case_title(title, text, facts, doc_profile)
    filing = cases.decide(doc_profile, profiles, caption_title is not None)
    if filing.unfiled:
        return store.ensure_case(UNFILED, "stories whose case could not be told", "system"), filing.reason
    if filing.case_id is not None:
        if caption_title and store.case_title_origin(filing.case_id) == "names":
            own = "\n".join([text, *(t for _, t in store.case_texts(filing.case_id))])
            better = _free_title(store, caption_title, own, numbered=False)
            if better:
                try:  # a caption names the case better than the party guessed from the first story
                    store.rename_case(filing.case_id, better, origin="caption")
                except StoreError:
                    pass
        return filing.case_id, filing.reason
    suggested = caption_title or cases.suggest_title(title, text, doc_profile)
    candidate = _free_title(store, suggested, text) or suggested
    origin = "caption" if caption_title else "names"
    return store.ensure_case(candidate, filing.reason, origin), filing.reason
