"""One document read once: everything the import decides from the text alone.

The importer splits its work in two. What depends only on the document (its facts,
what it is about, its publication date, the events it tells, whether it states its
dispute) is computed here, a pure function of the text and today's date, so it can
run in another process while the writer stores the documents before it. What depends
on the database (which case, which stored events a reading restates, a date found
from the case's other stories) is decided by the writer, inside the transaction that
stores the document, with the help of the functions below.

The reading comes in two parts: `first_reading` (facts, what the story is about, its
filing rank: what choosing a folder's filing order needs) and `finish` (publication
date, events); `analyse` is both.

The text is scanned once: a `Scan` (the tagger's candidates, the sentence spans, the
page furniture) is made here and handed to every step that reads the document (facts,
publication date, case context, event proposal), in this process or in the writer's.

An `Analysis` crosses a process boundary: it holds plain data (no compiled patterns,
no closures; its `Scan` travels as offsets and is rebuilt without a new scan). The events are proposed for the case the document is expected to go
to (the `--case` title or its front matter's case, else none); the writer asks again
through `propose` when filing sends it elsewhere, and gets the kept proposals when
nothing differs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tracker import cases, gate
from tracker.extract import ProposedEvent, Titles, propose_events
from tracker.facts import Fact, extract_facts
from tracker.ingest import Document
from tracker.published import PublishedGuess, from_case_events, guess_from_value, infer_published, page_spans
from tracker.timex import Scan

READ_LIMIT = 1_000_000
"""How much of a document is read for its dates, events, facts and case: the first
million characters (about 400 pages; spaCy's default bound on one text). Every step
of reading is linear in what it reads, at about 2-4 s a million characters, so a
document of tens of megabytes (a dump, a whole docket in one file) would hold an import
for minutes and propose tens of thousands of events no one reviews. Beyond the bound the
text is stored whole, searchable and shown in the reader; the import says where reading
stopped."""


def readable(text: str) -> str:
    """The part of `text` that is read: all of it within `READ_LIMIT`, else up to the last
    sentence end (or line end, or space) before the bound, so no sentence is cut."""
    if len(text) <= READ_LIMIT:
        return text
    for mark in (". ", "\n", " "):
        cut = text.rfind(mark, READ_LIMIT // 2, READ_LIMIT)
        if cut > 0:
            return text[:cut + 1]
    return text[:READ_LIMIT]


@dataclass
class Analysis:
    """A document with what its text alone tells (see the module docstring)."""

    doc: Document
    facts: list[Fact]
    profile: cases.Profile
    guess: PublishedGuess
    # Filing order: 0 the front matter names the case, 1 the story states its dispute
    # ("X v. Y", "X sued Y"), 2 neither.
    rank: int
    # The events proposed against `guess` for a case named `named` (see `propose`).
    named: str | None = None
    proposals: list[ProposedEvent] | None = field(default=None)
    # The document's text read once (see the module docstring); made on first use when
    # an `Analysis` is built without one.
    scan: Scan | None = field(default=None, repr=False, compare=False)
    caption: str | None = None  # see `Ranked`
    captioned: bool = False
    # The filing query's answer, read by the reader process that read the story
    # (`tracker.store.ahead.answer_early`), for the importer's writer to check and use.
    filing: Any = field(default=None, repr=False, compare=False)
    # For a story with no date of its own: its case, date and events as a reader process
    # found them from the database (`tracker.importer.read_against_case`), for the
    # writer to take when they still hold.
    ahead: Any = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.scan is None:
            self.scan = Scan(readable(self.doc.text))

    @property
    def parties(self) -> list[str]:
        return story_parties(self.profile)

    def story_caption(self) -> str | None:
        """The caption of the dispute the story states (`cases.case_title`): the one
        the first reading found, else found now."""
        if self.captioned:
            return self.caption
        return cases.case_title(self.doc.title, self.text, self.facts, self.profile)

    @property
    def text(self) -> str:
        """The part of the document that is read (`readable`)."""
        assert self.scan is not None
        return self.scan.text


@dataclass
class Ranked:
    """A document's first reading: what its filing order needs (its facts, what it is
    about, its rank; see `Analysis`). An import of a folder ranks every document before
    it stores the first, so this part runs ahead; the rest (`finish`) runs while the
    writer stores the documents before it."""

    doc: Document
    facts: list[Fact]
    profile: cases.Profile
    rank: int
    scan: Scan = field(repr=False, compare=False)
    # The caption of the dispute the story states (`cases.case_title`), when the rank
    # was computed (`captioned`); filing a story needs it again.
    caption: str | None = None
    captioned: bool = False


def first_reading(doc: Document, *, with_rank: bool = True) -> Ranked:
    """The facts, profile and filing rank of `doc` (`with_rank`: a caption search)."""
    scan = Scan(readable(doc.text))
    facts = extract_facts(doc.title, scan.text, scan.sentences, scan.facts)
    profile = cases.profile(doc.title, scan.text, facts)
    if doc.meta.get("case"):
        return Ranked(doc, facts, profile, 0, scan)
    if not with_rank:
        return Ranked(doc, facts, profile, 2, scan)
    caption = cases.case_title(doc.title, scan.text, facts, profile)
    return Ranked(doc, facts, profile, 1 if caption else 2, scan, caption, True)


def finish(first: Ranked, today: date, *, published: str | None = None,
           case_title: str | None = None) -> Analysis:
    """The rest of the reading of a ranked document: its publication date and events
    (see `analyse`)."""
    doc, scan = first.doc, first.scan
    guess = published_guess(doc, published, today, scan)
    named = case_title or doc.meta.get("case") or None
    proposals = None
    if guess.basis != "unknown":  # a story with no date of its own is read for events once dated
        proposals = _propose(scan.text, guess, named, story_parties(first.profile), scan)
    return Analysis(doc, first.facts, first.profile, guess, first.rank, named, proposals, scan,
                    first.caption, first.captioned)


def analyse(doc: Document, today: date, *, published: str | None = None, case_title: str | None = None,
            with_rank: bool = True) -> Analysis:
    """Everything `doc`'s text tells on its own.

    `published` is a publication date the person gave (it wins over the text);
    `case_title` the case the document is expected to go to (a `--case` title), whose
    parties tell another case's events apart; the front matter's case is used when
    there is none. `with_rank` computes the filing-order rank (a caption search).
    """
    return finish(first_reading(doc, with_rank=with_rank), today, published=published, case_title=case_title)


def published_guess(doc: Document, override: str | None, today: date, scan: Scan | None = None) -> PublishedGuess:
    """The publication date: the person's, the front matter's, else what the text shows
    (`scan`: the text's, when the caller has it)."""
    if override:
        return guess_from_value(override, "user")
    if doc.meta.get("date"):
        from tracker.dates import parse_iso_day

        try:
            day = gate.day(parse_iso_day(doc.meta["date"]))
            return guess_from_value(day.isoformat(), "metadata")
        except (ValueError, OverflowError):
            pass
    return infer_published(scan.text if scan else readable(doc.text), today, scan)


def propose(analysis: Analysis, guess: PublishedGuess, named: str | None,
            titles: Titles | None = None) -> list[ProposedEvent]:
    """The document's events read against `guess` for a case named `named` (None when
    no person named it): the kept proposals when they were read the same way.

    `titles` are the event titles an earlier reading of the text made (a title depends
    on its sentence and date phrase alone, not on the date they resolve to); the ones
    made here are added to it. An undated story is read against its case's dates by a
    reader process, and again by the writer when the case changed meanwhile: the
    second reading makes only the titles the first did not (titles are about a quarter
    of the reading)."""
    if analysis.proposals is not None and guess == analysis.guess and named == analysis.named:
        return analysis.proposals
    return _propose(analysis.text, guess, named, analysis.parties, analysis.scan, titles)


def reread(title: str, text: str, guess: PublishedGuess, named: str | None,
           scan: Scan | None = None) -> list[ProposedEvent]:
    """The events a stored source tells, read again against a publication date found
    later (from the case's events, or typed by a person); `scan` is the text's when the
    caller has it (the one `date_from_case` read)."""
    text = readable(text)
    story = cases.profile(title or "", text)
    return _propose(text, guess, named, story_parties(story), scan)


def date_from_case(analysis: Analysis, known: list[tuple[str, str]]) -> PublishedGuess | None:
    """The publication date of an undated story from the case's dated events
    (value, the words stating it) that it restates."""
    return from_case_events(analysis.text, known, scan=analysis.scan)


def story_parties(doc_profile: cases.Profile) -> list[str]:
    """The sides of the dispute the story states ("X sued Y", "X v. Y"): with a named
    case they are more names for its parties ("the Times"); without one, the story's
    own case, whose parties tell another case's events apart. Both sides or none."""
    sides = [role[2:] for role in sorted(doc_profile.roles, reverse=True)]  # "p:..." before "d:..."
    return sides if len(sides) == 2 else []


def event_page_spans(text: str, guess: PublishedGuess, scan: Scan | None = None) -> list[tuple[int, int]]:
    """What describes the page, not the story (datelines, bylines, stamps, captions), and
    the line the publication date was read from."""
    spans = page_spans(text, scan)
    if guess.evidence and guess.basis not in {"weekday-anchor", "case-context"}:
        spans.append(guess.evidence)
    return spans


def _propose(text: str, guess: PublishedGuess, named: str | None, parties: list[str],
             scan: Scan | None = None, titles: Titles | None = None) -> list[ProposedEvent]:
    scan = scan or Scan(text)
    return propose_events(text, guess.anchor, event_page_spans(text, guess, scan), named, parties, scan, titles)
