"""Proposing dated events from the sentences of a document. Pure functions, no I/O.

A sentence that ties something to the time line with a temporal expression becomes a
suggested event: its title is the clause around the date with the date phrase taken
out, its excerpt is the sentence. Lines about the publication itself (datelines,
"Published", "Updated", "Retrieved") and dates of the telling ("today", "now") are not
events.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from tracker.headlines import TITLE_MAX, headline
from tracker.sentences import clause_bounds, segment_bounds, sentence_spans
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
def make_title(sentence: str, rel_start: int, rel_end: int, story: str = "", at: int = 0) -> str:
    """The event's title as a headline (see tracker.headlines); `story` is the whole text
    and `at` the sentence's offset in it."""
    return headline(sentence, rel_start, rel_end, story, at)


def _is_meta(sentence: str) -> bool:
    return bool(_META_SENTENCE.match(sentence))


Span = tuple[int, int]


def propose_events(text: str, anchor: Anchor | None, skip: Span | list[Span] | None = None,
                   case_title: str | None = None) -> list[ProposedEvent]:
    """Suggested events from `text`, resolved against `anchor` (None when unknown).

    `skip` is a span or spans (the dateline, bylines, update stamps, captions: see
    `published.page_spans`) whose dates describe the page rather than an event.
    `case_title` ("Acme v. Borealis") names the parties of the story's case: a clause
    about another case named by other parties ("the agency's case against Northway")
    is not an event of this one.
    """
    parties = case_parties(case_title)
    skips = [skip] if isinstance(skip, tuple) else list(skip or [])
    spans = sentence_spans(text)
    timexes = find_timexes(text, anchor, spans)
    proposals: list[ProposedEvent] = []
    # The timexes of each sentence, found by bisection (not a scan of every timex for
    # every sentence: that grows with the square of a long story), in their own order.
    by_start = sorted(range(len(timexes)), key=lambda i: timexes[i].start)
    starts = [timexes[i].start for i in by_start]
    told: set[tuple[int, str | None, str]] = set()
    for s_start, s_end in spans:
        sentence = text[s_start:s_end]
        if _is_meta(sentence):
            continue
        inside = sorted(by_start[bisect.bisect_left(starts, s_start):bisect.bisect_left(starts, s_end)])
        for timex in (timexes[i] for i in inside):
            if not _is_event_date(timex, skips):
                continue
            rel_start, rel_end = timex.start - s_start, timex.end - s_start
            if _not_an_event(sentence, rel_start, rel_end, timex.granularity):
                continue
            if parties and _other_case(sentence, rel_start, rel_end, parties):
                continue
            value, granularity = event_granularity(timex.value, timex.granularity)
            # A date a party asked for lies ahead of the asking; one already past when the
            # story ran dates the request itself ("asked the judge in December to dismiss").
            if _is_request(sentence, rel_start, rel_end) and (
                    _asks_for_a_schedule(sentence, rel_start) or not (anchor and value and _before(value, anchor))):
                continue
            if timex.value and value is None:
                continue  # "last week" across two months: no date the text supports
            kind = "scheduled" if looks_ahead_at(sentence, rel_start, rel_end) else "occurred"
            if timex.kind == "DURATION":
                kind = "scheduled"  # "within 60 days": a deadline
            if kind == "occurred" and anchor and value and _after(value, anchor):
                kind = "scheduled"
            if kind == "scheduled" and _hedged(sentence, rel_start):
                continue  # "could bring the case to trial in 2027": speculation, not a schedule
            if (s_start, value, timex.text) in told:
                continue  # the sentence names its own date twice ("January 2024 ... the January 2024 update")
            if timex.relative and _restates_date_before(text, timex, value, proposals):
                continue  # "on Sept. 26, 2023, two years ago today": the same date said again
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
                    value=value,
                    granularity=granularity,
                    title=title,
                    kind=kind,
                    confidence=timex.confidence,
                    quoted=sentence[:1] in "\"“‘'",
                )
            )
            told.add((s_start, value, timex.text))
    return proposals


_REQUEST = re.compile(r"\b(?:request(?:ed|s)?|asked\s+for|asks\s+for|asked\s+(?:\w+\s+){0,3}?to|proposed|proposes|"
                      r"sought|seeks|wanted|urged)\b", re.IGNORECASE)


def _asks_for_a_schedule(sentence: str, rel_start: int) -> bool:
    """"asked for a trial in September", "proposed a hearing in May": the date is the one
    asked for, whatever the tense."""
    begin, _ = clause_bounds(sentence, rel_start, rel_start)
    return bool(re.search(r"\b(?:asked\s+for|requested|proposed|sought|seeks|wanted)\s+(?:an?\s+|the\s+|its\s+)?"
                          r"(?:\w+\s+){0,2}?(?:trial|hearing|date|deadline|schedule|delay|extension|start)\b",
                          sentence[begin:rel_start], re.IGNORECASE)
                or re.search(r"\b(?:proposed|requested|wanted|sought)\s*$", sentence[begin:rel_start], re.IGNORECASE))


def _is_request(sentence: str, rel_start: int, rel_end: int) -> bool:
    """A date a party asked for is not a date the record has ("had asked for a trial in
    September", "a request to wait until next year")."""
    begin, _ = clause_bounds(sentence, rel_start, rel_end)
    return bool(_REQUEST.search(sentence[begin:rel_start][-60:]))


def case_parties(title: str | None) -> frozenset[str]:
    """The words naming the parties in a case title ("FTC v. Meta", "sec-v-binance")."""
    if not title or not re.search(r"\s+v\.?\s+|-v-|\s+vs\.?\s+", title, re.IGNORECASE):
        return frozenset()
    return frozenset(w.lower() for w in re.findall(r"[A-Za-z][A-Za-z&']+", title)
                     if w.lower() not in {"v", "vs", "the", "of", "and", "inc", "corp", "llc", "ltd", "co"})


_CAP_NAME = r"[A-Z][\w&.'’-]*(?:\s+(?:of\s+)?[A-Z][\w&.'’-]*){0,4}"
_CASE_WORD = r"(?:case|suit|lawsuit|litigation|action|complaint|verdict|fight)s?"
_OTHER_CASE = re.compile(
    rf"(?:(?P<owner>{_CAP_NAME})['’]s?\s+(?:[a-z-]+\s+){{0,3}}?)?{_CASE_WORD}\s+(?:against|brought\s+by|won\s+by|over)\s+"
    rf"(?P<name>{_CAP_NAME})"
    rf"|\b[Ii]n\s+the\s+(?P<label>{_CAP_NAME})\s+(?:case|litigation|suit|lawsuit|dispute)\b"
    rf"|\b(?:sued|sues|suing)\s+(?P<defendant>{_CAP_NAME})"
)


def _other_case(sentence: str, rel_start: int, rel_end: int, parties: frozenset[str]) -> bool:
    """The clause names another case by parties that are not this case's ("the Justice
    Department's search case against Northway", "in the Acme litigation")."""
    begin, finish = segment_bounds(sentence, rel_start, rel_end)
    c_begin, c_finish = clause_bounds(sentence, rel_start, rel_end)
    # "the agency's case against X" must sit by the date; "In the X litigation, ..." frames
    # the whole clause.
    found = [m for m in _OTHER_CASE.finditer(sentence[begin:finish]) if not m["label"]]  # incl. "sued X"
    found += [m for m in _OTHER_CASE.finditer(sentence[c_begin:c_finish]) if m["label"]]
    for match in found:
        if match["label"] and re.fullmatch(r"[A-Z.]{1,4}", match["label"]):
            continue  # "in the US case": a jurisdiction, not a party
        named = [g for g in (match["owner"], match["name"], match["label"], match["defendant"]) if g]
        words = set()
        for group in named:
            run = re.findall(r"[A-Za-z][A-Za-z&'’.]+", group)
            words |= {w.lower().strip(".'’").removesuffix("'s").removesuffix("’s").removesuffix(".com") for w in run}
            words.add("".join(w[0] for w in run if w[0].isupper()).lower())  # "Federal Trade Commission": ftc
        words -= {"the", "of", "inc", "corp", "co", ""}
        if words and not (words & parties):
            return True
    return False


def event_granularity(value: str | None, granularity: str) -> tuple[str | None, str]:
    """An event is dated to a day, a month or a year, the coarsest the text supports: a
    week is its month when the whole Monday-to-Sunday week lies in one month (else no
    date), a quarter is its year."""
    if value is None:
        return None, granularity
    if granularity == "week":
        from tracker.dates import period_bounds

        first, last = period_bounds(value)
        return (first.strftime("%Y-%m"), "month") if (first.year, first.month) == (last.year, last.month) else (None, "month")
    if granularity == "quarter":
        return value[:4], "year"
    return value, granularity


# Dates that are not of an event of the story: the news about the news ("first reported
# on Monday by ...", "declined to comment on Tuesday"), and a company's founding told
# as background ("DJI, founded in 2006").
_NEWS_VERB_AFTER = re.compile(r"^\s*(?:afternoon|morning|evening|night)?\s*(?:by|in)\s+(?:several\s+|a\s+|the\s+)?"
                              r"(?:[\w-]+\s+){0,3}(?:news|media|newspaper|site|outlet|publications?|reporters?|report)\b",
                              re.IGNORECASE)
_FOUNDED = re.compile(r"\b(?:founded|established|set\s+up|incorporated)\s+(?:in\s+)?$", re.IGNORECASE)


# A reporting period ("revenue last year", "sales in the December quarter"): a label of
# results, not the date of an event.
_RESULTS = re.compile(r"\b(?:revenue|revenues|sales|earnings|profits?|net\s+income|income|turnover)\b", re.IGNORECASE)
# "has been chief judge since 2023", "the fifth case since 2020": the start of a state.
_STATE_SINCE = re.compile(r"\bsince\s+$", re.IGNORECASE)


# A publisher's pointer to its own posts: "See our update of June 2, 2022", "(Read our
# earlier story from May 3.)".
_CROSS_REFERENCE = re.compile(r"^\W{0,2}(?:see|read|watch|listen\s+to)\s+(?:also\s+)?(?:our|my|the\s+(?:earlier|previous|"
                              r"related|original)|more|earlier)\b", re.IGNORECASE)


def _not_an_event(sentence: str, rel_start: int, rel_end: int, granularity: str = "day") -> bool:
    if _CROSS_REFERENCE.match(sentence):
        return True
    begin, finish = clause_bounds(sentence, rel_start, rel_end)
    before = sentence[begin:rel_start]
    if granularity in {"year", "quarter"} and _RESULTS.search(sentence[begin:finish]):
        return True
    if _STATE_SINCE.search(before) and re.search(r"\b(?:has|have|had)\s+been\b|\b(?:is|are)\b", before, re.IGNORECASE):
        return True
    if _FOUNDED.search(before[-40:]):
        return True
    if re.search(r"\b(?:reported|posted|carried|published)\b", before[-60:], re.IGNORECASE) and \
            _NEWS_VERB_AFTER.match(sentence[rel_end:]):
        return True  # "first reported on Monday by the legal news site"
    return bool(re.search(r"\b(?:declined\s+to\s+comment|did\s+not\s+(?:immediately\s+)?(?:respond|reply|comment)|"
                          r"commented|could\s+not\s+be\s+reached)\b[^.;]{0,40}$", before, re.IGNORECASE))


def _restates_date_before(text: str, timex: Timex, value: str | None, proposals: list[ProposedEvent]) -> bool:
    """A relative phrase in apposition to the date just before it, which it contains."""
    from tracker.merge import compatible

    if not proposals or value is None or re.match(r"(?i)(?:on\s+|by\s+)?(?:the\s+same|that)\b", timex.text):
        return False  # "on the same day" opens a new happening, it does not restate
    last = proposals[-1]
    return (re.fullmatch(r"[\s,;(–—-]*", text[last.phrase_end:timex.start]) is not None
            and compatible(last.value, value))


def _hedged(sentence: str, rel_start: int) -> bool:
    """A possibility ("could", "might", "may") governs what is ahead in the clause."""
    begin, _ = clause_bounds(sentence, rel_start, rel_start)
    return bool(re.search(r"\b(?:could|might|may)\b", sentence[begin:rel_start]))


def _is_event_date(timex: Timex, skips: list[Span]) -> bool:
    if timex.loose:
        return False
    if any(start <= timex.start < end for start, end in skips):
        return False
    # Without an anchor a relative phrase has no value; keep it (flagged undated) only
    # when the phrase itself is a clear date, so the user can fix the year.
    threshold = MIN_CONFIDENCE * (0.3 if timex.value is None and timex.relative else 1.0)
    return timex.confidence >= threshold


def _before(value: str, anchor: Anchor) -> bool:
    from tracker.dates import period_bounds

    return period_bounds(value)[1] < anchor.lo


def _after(value: str, anchor: Anchor) -> bool:
    from tracker.dates import period_start

    start = period_start(value)
    return bool(start) and start > anchor.hi.isoformat()
