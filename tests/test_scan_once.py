"""A document is read once: the tagger's scan runs once per document an import reads,
whatever steps need its date phrases (publication date, weekday reference, case
context, event proposal), and a `Scan` crosses a process boundary without a new scan."""

from __future__ import annotations

import pickle
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tracker import analysis, timex
from tracker.importer import import_paths
from tracker.ingest import document_from_text
from tracker.sentences import MAX_SENTENCE, sentence_spans
from tracker.store import Store

DATED = ("Acme takes the agency to court\n\nWASHINGTON, Feb. 5, 2021 (Capitol Wire) - Acme Corp. sued the "
         "Widget Agency over the widget export ban on February 3, 2021 in federal court in Washington.\n\n"
         "The agency first warned Acme about its suppliers on November 2, 2020, the company said.\n")
UNDATED = ("Widget makers watch the Acme lawsuit\n\nAcme Corp. sued the Widget Agency over the widget export ban "
           "on Wednesday in federal court in Washington.\n\nOther makers have said little so far.\n")
NEVER_DATED = ("Acme shares slip\n\nShares of Acme Corp. slipped on Monday as investors weighed the dispute.\n\n"
               "Analysts said the ban could weigh on sales.\n")
WEEKDAY_REFERENCE = ("Acme hearing recap\n\nLast Friday the judge heard both sides. On March 12 the agency had "
                     "answered the complaint, and Acme replied on March 19.\n")


def _long_story() -> str:
    paragraphs = []
    for i in range(400):
        paragraphs.append(f"In the {i}th filing, Acme Corp. told the court on March {i % 28 + 1}, 2021 that the "
                          "Widget Agency had ignored its letters, and the agency said it would answer by May 3, 2021.")
    return "Acme's long docket\n\nPublished: June 1, 2021\n\n" + "\n\n".join(paragraphs) + "\n"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "s.db")


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """The texts the 26-pattern scan ran over, counted."""
    seen: Counter[str] = Counter()
    real = timex._scan

    def counted(text: str) -> Any:
        seen[text] += 1
        return real(text)

    monkeypatch.setattr(timex, "_scan", counted)
    return seen


def test_an_import_scans_each_document_once(store: Store, tmp_path: Path, scans: Counter[str]) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    texts = {"1-undated.txt": UNDATED, "2-dated.txt": DATED, "3-never.txt": NEVER_DATED,
             "4-weekday.txt": WEEKDAY_REFERENCE, "5-long.txt": _long_story()}
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    report = import_paths(store, [folder], case_title="Acme v. Widget Agency", today=date(2026, 1, 1))
    assert report.failed == [] and len(report.imported) == len(texts)
    (case,) = store.list_cases()
    bases = {Path(s.path).name: s.published_basis for s in store.case_sources(case.id)}
    # Every path that reads a document's dates was taken: the undated story was dated
    # by its case, one stays undated (read again at the end of the import).
    assert bases["1-undated.txt"] == "case-context" and bases["3-never.txt"] == "unknown"
    assert bases["4-weekday.txt"] == "weekday-anchor" and bases["2-dated.txt"] == "dateline"
    assert sorted(scans.values()) == [1] * len(texts)
    assert {text for text in scans} == {document_from_text(t, n, n).text for n, t in texts.items()}


def test_filing_a_folder_scans_each_document_once(store: Store, tmp_path: Path, scans: Counter[str]) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    for name, text in {"a.txt": DATED, "b.txt": UNDATED, "c.txt": NEVER_DATED}.items():
        (folder / name).write_text(text, encoding="utf-8")
    report = import_paths(store, [folder], today=date(2026, 1, 1))
    assert len(report.imported) == 3
    assert sorted(scans.values()) == [1, 1, 1]


def test_an_analysis_crosses_a_process_boundary_without_a_new_scan(scans: Counter[str]) -> None:
    doc = document_from_text(UNDATED, "u.txt", "u")
    read = analysis.analyse(doc, date(2026, 1, 1), case_title="Acme v. Widget Agency")
    again = pickle.loads(pickle.dumps(read))
    assert again.scan is not None and again.scan is not read.scan
    known = [("2021-02-03", "Acme Corp. sued the Widget Agency over the widget export ban")]
    assert analysis.date_from_case(again, known) == analysis.date_from_case(read, known)
    rebuilt = [(c.start, c.end, c.granularity, c.relative, c.weekday) for c in again.scan.candidates]
    assert rebuilt == [(c.start, c.end, c.granularity, c.relative, c.weekday) for c in read.scan.candidates]
    assert scans[doc.text] == 1


def test_a_huge_run_without_stops_is_cut_into_bounded_sentences() -> None:
    run = "the parties argued about the contract, the schedule and the damages " * 5000
    text = f"Acme sued Borealis on March 3, 2021. {run}. The judge ruled on May 4, 2021."
    spans = sentence_spans(text)
    assert max(end - start for start, end in spans) <= MAX_SENTENCE
    assert text[spans[0][0]:spans[0][1]] == "Acme sued Borealis on March 3, 2021."
    assert text[spans[-1][0]:spans[-1][1]] == "The judge ruled on May 4, 2021."
    pieces = [text[s:e] for s, e in spans[1:-1]]
    assert all(p.endswith((",", "damages", "damages.")) or len(p) == MAX_SENTENCE for p in pieces[:-1])
    # Normal sentences are not touched.
    assert sentence_spans("One sentence here. Another one there.") == [(0, 18), (19, 37)]


def test_an_undated_story_is_read_for_events_once_dated_and_again_without_new_titles(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A story with no date of its own makes no titles when first read: its events are
    read once it is dated from its case (by a reader process, ahead of the writer). A
    reading against another date (the writer's, when the case changed meanwhile) takes
    the titles the first made, and its events are the ones a fresh reading gives."""
    from tracker import extract

    made: list[str] = []
    real = extract.make_title
    monkeypatch.setattr(extract, "make_title", lambda *args: made.append(args[0]) or real(*args))
    doc = document_from_text(UNDATED, "u.txt", "u")
    read = pickle.loads(pickle.dumps(analysis.analyse(doc, date(2026, 1, 1), case_title="Acme v. Widget Agency")))
    assert read.guess.basis == "unknown" and read.proposals is None
    assert made == []
    known = [("2021-02-03", "Acme Corp. sued the Widget Agency over the widget export ban")]
    dated = analysis.date_from_case(read, known)
    assert dated is not None
    titles: dict[tuple[int, int, int], str] = {}
    first = analysis.propose(read, dated, "Acme v. Widget Agency", titles)
    assert first and len(titles) == len(made) > 0
    made.clear()
    again = analysis.propose(read, dated, "Acme v. Widget Agency", titles)
    assert made == []  # every title was made by the first reading
    assert again == first == analysis.reread(doc.title, doc.text, dated, "Acme v. Widget Agency")


def test_a_story_s_facts_are_read_once_for_its_facts_and_its_titles(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a text states whatever its headline is read once, by the first reading, and
    travels with its `Scan` to the titles, which read the story without its headline
    ("Acme sued" -> "Acme sues Widget Agency": the caption without the headline)."""
    from tracker import facts, headlines

    read: list[str] = []
    real = facts.read_text
    monkeypatch.setattr(facts, "read_text", lambda text, *args: read.append(text) or real(text, *args))
    story = ("Acme goes to court\n\nAcme Corp. v. Widget Agency is the name of the case. Acme Corp. sued the "
             "Widget Agency over the widget export ban in federal court in Washington on February 3, 2021.\n\n"
             "Acme sued on February 3, 2021, the company said.\n")
    doc = document_from_text(story, "s.txt", "s")
    headlines._story_caption.cache_clear()
    first = pickle.loads(pickle.dumps(analysis.first_reading(doc)))
    done = analysis.finish(first, date(2026, 1, 1), published="2021-02-04")
    assert read == [doc.text]
    assert "Acme sues Widget Agency" in [p.title for p in done.proposals or []]
    headlines._story_caption.cache_clear()  # read again without the first reading: the same titles
    assert analysis.reread(doc.title, doc.text, done.guess, None) == done.proposals
