"""Proposing dated events from the sentences of a document. Pure functions, no I/O.

A sentence that ties something to the time line with a temporal expression becomes a
suggested event: its title is the clause around the date with the date phrase taken
out, its excerpt is the sentence. Lines about the publication itself (datelines,
"Published", "Updated", "Retrieved") and dates of the telling ("today", "now") are not
events.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.headlines import TITLE_MAX, headline
from tracker.sentences import clause_bounds, sentence_spans
from tracker.timex import Anchor, Timex, find_timexes, looks_ahead_at

MIN_CONFIDENCE = 0.5


@dataclass(frozen=True)
class ProposedEvent:
    """An event read from one sentence; offsets are into the source text."""

    start: int
    end: int
    phrase_start: int
    phrase_end: int
    date_text: str
    value: str | None
    granularity: str
    title: str
    kind: str = "occurred"
    confidence: float = 0.5
    # The sentence is a quotation: a poorer source of a title than the reporter's words.
    quoted: bool = False


_META_SENTENCE = re.compile(
    r"^\s*(?:published|posted|updated|retrieved|last\s+modified|first\s+published|date)\b[^.]{0,40}[:\d]",
    re.IGNORECASE,
)
_LEADING = re.compile(
    r"^(?:however|meanwhile|since\s+then|then|also|but|and|so|moreover|in\s+case\s+you\s+missed\s+it|"
    r"according\s+to\s+[^,]{0,80}|at\s+the\s+same\s+time)\s*,\s*",
    re.IGNORECASE,
)
_DATE_PREPOSITION = re.compile(r"\b(?:on|in|since|by|until|as\s+of|from|of|at|during|starting)\s*$", re.IGNORECASE)
def make_title(sentence: str, rel_start: int, rel_end: int, story: str = "", at: int = 0) -> str:
    """The event's title as a headline (see tracker.headlines); `story` is the whole text
    and `at` the sentence's offset in it."""
    return headline(sentence, rel_start, rel_end, story, at)


def _is_meta(sentence: str) -> bool:
    return bool(_META_SENTENCE.match(sentence))


def propose_events(text: str, anchor: Anchor | None, skip: tuple[int, int] | None = None) -> list[ProposedEvent]:
    """Suggested events from `text`, resolved against `anchor` (None when unknown).

    `skip` is a span (the dateline or "Published" line) whose dates describe the
    document itself rather than an event.
    """
    spans = sentence_spans(text)
    timexes = find_timexes(text, anchor, spans)
    proposals: list[ProposedEvent] = []
    for s_start, s_end in spans:
        sentence = text[s_start:s_end]
        if _is_meta(sentence):
            continue
        for timex in (t for t in timexes if s_start <= t.start < s_end):
            if not _is_event_date(timex, skip):
                continue
            rel_start, rel_end = timex.start - s_start, timex.end - s_start
            if _is_request(sentence, rel_start, rel_end):
                continue
            kind = "scheduled" if looks_ahead_at(sentence, rel_start, rel_end) else "occurred"
            if timex.kind == "DURATION":
                kind = "scheduled"  # "within 60 days": a deadline
            if kind == "occurred" and anchor and timex.value and _after(timex.value, anchor):
                kind = "scheduled"
            title = make_title(sentence, rel_start, rel_end, text, s_start)
            if not title:
                continue
            proposals.append(
                ProposedEvent(
                    start=s_start,
                    end=s_end,
                    phrase_start=timex.start,
                    phrase_end=timex.end,
                    date_text=timex.text,
                    value=timex.value,
                    granularity=timex.granularity,
                    title=title,
                    kind=kind,
                    confidence=timex.confidence,
                    quoted=sentence[:1] in "\"“‘'",
                )
            )
    return proposals


_REQUEST = re.compile(r"\b(?:request(?:ed|s)?|asked\s+for|asks\s+for|proposed|proposes|sought|seeks)\b", re.IGNORECASE)


def _is_request(sentence: str, rel_start: int, rel_end: int) -> bool:
    """A date a party asked for is not a date the record has ("had asked for a trial in
    September", "a request to wait until next year")."""
    begin, _ = clause_bounds(sentence, rel_start, rel_end)
    return bool(_REQUEST.search(sentence[begin:rel_start][-60:]))


def _is_event_date(timex: Timex, skip: tuple[int, int] | None) -> bool:
    if timex.loose:
        return False
    if skip and skip[0] <= timex.start < skip[1]:
        return False
    # Without an anchor a relative phrase has no value; keep it (flagged undated) only
    # when the phrase itself is a clear date, so the user can fix the year.
    threshold = MIN_CONFIDENCE * (0.3 if timex.value is None and timex.relative else 1.0)
    return timex.confidence >= threshold


def _after(value: str, anchor: Anchor) -> bool:
    from tracker.dates import period_start

    start = period_start(value)
    return bool(start) and start > anchor.hi.isoformat()
