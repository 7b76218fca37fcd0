"""Proposing dated events from the sentences of a document. Pure functions, no I/O.

A sentence that ties something to the time line with a temporal expression becomes a
suggested event: its title is the clause around the date with the date phrase taken
out, its excerpt is the sentence. Lines about the publication itself (datelines,
"Published", "Updated", "Retrieved") and dates of the telling ("today", "now") are not
events.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from tracker.facts import FOLDS_APART
from tracker.headlines import TITLE_MAX, headline, titling
from tracker.sentences import clause_bounds, segment_bounds
from tracker.timex import Anchor, Scan, Timex, find_timexes, looks_ahead_at

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
                   case_title: str | None = None, parties: list[str] | None = None,
                   scan: Scan | None = None, titles: Titles | None = None) -> list[ProposedEvent]:
    """Suggested events from `text`, resolved against `anchor` (None when unknown).

    `skip` is a span or spans (the dateline, bylines, update stamps, captions: see
    `published.page_spans`) whose dates describe the page rather than an event.
    `case_title` ("Acme v. Borealis") names the parties of the story's case: a clause
    about another case named by other parties ("the agency's case against Northway")
    is not an event of this one. `parties` are more names of the case's sides (the
    dispute the story states: "the Times" for "nyt-v-openai"); alone, without a title,
    they are the story's own dispute.

    What the story tells of other matters in passing is not an event of its case: a
    clause it marks as another case ("in a separate case", "a similar suit",
    "Separately, ..."), and, when the case's parties are known, a clause naming a case
    by someone else's parties ("the agency's case against Northway", "Roe v. Doe"),
    whose actor sues, settles or pleads but is no party ("Harbor Bank sued Acme in
    May"), or that says "that case" of such a case just told.

    `scan` is the text's `Scan` when the caller has one (the date phrases and sentences
    are then not looked for again). `titles` are titles already made for this text (an
    earlier reading of it against another date); the ones made here are added to it.
    """
    sides = parties_of(case_title)
    if parties and (not sides or any(CaseParties(sides).has(p) for p in parties)):
        sides += list(parties)  # the story's names for the case's sides
    known = CaseParties(sides) if sides else None
    if known:
        # A party's full name in the story gives its short forms ("The New York Times
        # Co." for "nyt"; then "the Times").
        sides += [n for n in set(_names(text)) if len(n) > 3 and known.is_full_name(n)]
        sides += _co_parties(text, CaseParties(sides))
        known = CaseParties(sides)
    told_other = False
    skips = [skip] if isinstance(skip, tuple) else list(skip or [])
    scan = scan or Scan(text)
    spans = scan.sentences
    timexes = find_timexes(text, anchor, spans, scan)
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
        told_here = _tells_other_case(sentence, known)
        inside = sorted(by_start[bisect.bisect_left(starts, s_start):bisect.bisect_left(starts, s_end)])
        for timex in (timexes[i] for i in inside):
            if not _is_event_date(timex, skips):
                continue
            rel_start, rel_end = timex.start - s_start, timex.end - s_start
            if _not_an_event(sentence, rel_start, rel_end, timex.granularity):
                continue
            if _other_matter(sentence, rel_start, rel_end, known, text, told_other):
                continue
            if _lawmaking(sentence, rel_start, rel_end, known):
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
                if timex.text.lower().startswith("within"):
                    continue  # "within 60 days": an end date a duration implies, not one the story states
                kind = "scheduled"
            if kind == "occurred" and anchor and value and _after(value, anchor):
                kind = "scheduled"
            if kind == "scheduled" and _hedged(sentence, rel_start):
                continue  # "could bring the case to trial in 2027": speculation, not a schedule
            if (s_start, value, timex.text) in told:
                continue  # the sentence names its own date twice ("January 2024 ... the January 2024 update")
            if timex.relative and _restates_date_before(text, timex, value, proposals):
                continue  # "on Sept. 26, 2023, two years ago today": the same date said again
            key = (s_start, rel_start, rel_end)
            if titles is not None and key in titles:
                title = titles[key]
            else:
                with titling(scan):  # the story's first reading is the titles' too
                    title = make_title(sentence, rel_start, rel_end, text, s_start)
                if titles is not None:
                    titles[key] = title
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
        if told_here is not None:
            told_other = told_here
    return proposals


Titles = dict[tuple[int, int, int], str]
"""Event titles made for one text, by (sentence start, phrase start and end in the
sentence): a title depends on the sentence and the phrase alone."""


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



class CaseParties:
    """The parties of the story's case, by the names a reader would match: a case title
    ("FTC v. Meta", "sec-v-binance", "United States v. Google (ad tech)") and the names
    the story gives the same dispute."""

    def __init__(self, names: list[str]) -> None:
        from tracker.cases import party_key

        self.names = [n for n in names if n.strip()]
        self.keys = [party_key(n) for n in self.names]
        self.keys += [k for n in self.names for k in [_initials(n)] if len(k) >= 2]
        self._known: dict[str, bool] = {}

    def __bool__(self) -> bool:
        return bool(self.keys)

    def has(self, name: str) -> bool:
        """Whether `name` ("Meta Platforms Inc.", "the Pentagon", "KalshiEX LLC") is one
        of the parties."""
        found = self._known.get(name)
        if found is None:
            found = self._known[name] = self._has(name)
        return found

    def _has(self, name: str) -> bool:
        from tracker.cases import party_key, same_party

        name = re.sub(r"^(?:the|a|an)\s+", "", name.strip(" ,.;:'’\"“”"), flags=re.IGNORECASE)
        name = re.sub(r"['’]s?$", "", name)
        if not name:
            return False
        key = party_key(name)
        forms = {key, _initials(name), name.lower()}
        return any(f and (f == k or same_party(f, k) or _initials(k) == f) for f in forms for k in self.keys)

    def is_full_name(self, name: str) -> bool:
        """`name` is a party's whole name, not a run of names sharing a word with one."""
        from tracker.cases import party_key

        key = party_key(name)
        return any(set(key.split()) <= set(k.split()) or _initials(name) == k or _initials(k) == key
                   for k in self.keys)

    def words(self) -> frozenset[str]:
        return frozenset(w for k in self.keys for w in k.split())


def _co_parties(text: str, parties: CaseParties) -> list[str]:
    """Who is sued beside a party, or sues beside one, in the story's own statement of
    the dispute: "Acme sued Borealis and Harbor Inc." makes Harbor a defendant of the
    case, "The FTC and Ohio sued Borealis" makes Ohio a plaintiff."""
    found: list[str] = []
    for match in _SUED.finditer(text):
        plaintiffs, defendants = _names(match["p"]), _names(match["d"])
        if any(parties.has(n) for n in plaintiffs) and any(parties.has(n) for n in defendants):
            found += [n for n in plaintiffs + defendants if not re.search(r"\s(?:and|&)\s", n)]
    return found


_INITIAL_WORD = re.compile(r"[A-Za-z][A-Za-z&'’.]*")


# Asked of every party key for every name a story's clauses give (thousands a story): a
# bounded memo of this pure string map.
@functools.lru_cache(maxsize=2048)
def _initials(name: str) -> str:
    words = [w for w in _INITIAL_WORD.findall(name) if w.lower() not in {"of", "and", "the", "for"}]
    if len(words) < 2:
        return ""
    return "".join(w[0] for w in words).lower()


def parties_of(title: str | None) -> list[str]:
    """The two sides of a case title ("Acme v. Borealis", "acme-v-borealis-grid"),
    a parenthesised topic left out; none for a title that names no dispute."""
    if not title:
        return []
    title = re.sub(r"\s*\([^)]*\)\s*$", "", title)
    sides = re.split(r"\s+v\.?\s+|\s+vs\.?\s+|-v-|\s+versus\s+", title, flags=re.IGNORECASE)
    if len(sides) != 2:
        return []
    if "-v-" in title.lower():
        sides = [s.replace("-", " ") for s in sides]
    return [s.strip() for s in sides if s.strip()]


_CAP_NAME = r"[A-Z][\w&.'’-]*(?:\s+(?:of\s+|and\s+|&\s+)?[A-Z][\w&.'’-]*){0,5}"
# The same, matched once: before a lower-case word ("sued", "v."), a shorter reading of
# the name is followed by a capital or a joining word and cannot match either (atomic).
_WHOLE_CAP_NAME = rf"(?>{_CAP_NAME})"
_CASE_WORD = r"(?:case|suit|lawsuit|litigation|action|complaint|verdict|fight)s?"
# Who a case is by or against: "the agency's case against X", "a suit brought by X",
# "X sued Y", "X v. Y".
# (The lookaheads say what a match starts with: the engine passes other positions at once.)
_OTHER_CASES = [re.compile(pattern) for pattern in (
    rf"(?=[A-Zcslavf])(?:(?P<owner>{_CAP_NAME})['’]s?\s+(?:[a-z-]+\s+){{0,3}}?)?{_CASE_WORD}\s+(?:against|brought\s+by|won\s+by|over|from)\s+"
    rf"(?P<name>{_CAP_NAME})",
    rf"(?P<owner2>{_CAP_NAME})['’]s?\s+(?:[a-z-]+\s+){{0,2}}?(?:case|suit|lawsuit|litigation|complaint)s?\b(?!\s+against)",
    rf"(?=[Ii])\b[Ii]n\s+the\s+(?P<label>{_CAP_NAME})\s+(?:case|litigation|suit|lawsuit|dispute)\b",
    rf"(?=s)\b(?:sued|sues|suing)\s+(?P<defendant>{_CAP_NAME})",
    rf"(?P<first>{_WHOLE_CAP_NAME})\s+(?:v\.|vs\.?)\s+(?P<second>{_CAP_NAME})",
)]
_SUED = re.compile(rf"(?P<p>{_WHOLE_CAP_NAME})\s+(?:sued|sues|is\s+suing|has\s+sued|filed\s+suit\s+against)\s+"
                   rf"(?P<d>{_CAP_NAME})")
# A case the story itself calls another: "in a separate case", "a similar suit brought
# by", "separately sued", "separate from the search case", "a suit from another company".
_SEPARATE = r"(?:separate|similar|unrelated|another|different)"
_OTHER_MARKER = re.compile(  # (?=...): what a match starts with; the engine passes other positions at once
    rf"(?=[ifatcs])(?:\b(?:in|from)\s+(?:a|an|the)\s+{_SEPARATE}\s+(?:[\w-]+\s+){{0,2}}?(?:case|suit|lawsuit|action|proceeding|matter|"
    rf"investigation|probe|prosecution)s?\b"
    rf"|\b(?P<own>(?:a|an|its|their|the)\s+(?:[\w-]+\s+)?{_SEPARATE}\s+(?:[\w-]+\s+){{0,2}}?(?:case|suit|lawsuit|action|"
    rf"complaint|challenge|proceeding)s?)\b"
    rf"|\bseparately\s+(?:sued|sues|filed|charged|brought|accused|settled)\b"
    rf"|\bseparate\s+from\s+(?:the|its|their|a)\b"
    rf"|\b(?:case|suit|lawsuit|action|complaint)s?\s+(?:from|by)\s+(?:another|other)\b)",
    re.IGNORECASE,
)
_AGAINST = re.compile(rf"\b(?:against|accusing)\s+(?:the\s+)?({_CAP_NAME})")
# Words every match of each pattern holds, in groups of which it holds one word each: a
# span without them is not searched with it (the patterns are slow to run over every
# clause, the words quick to look for).
_OTHER_CASE_WORDS = (
    (("case", "suit", "litigation", "action", "complaint", "verdict", "fight"),
     ("against", "brought", "won", "over", "from")),
    (("case", "suit", "litigation", "complaint"), ("'", "’")),
    (("case", "litigation", "suit", "dispute"), ("the",)),
    (("sue", "suing"),),
    (("v.", "vs"),),
)
# What every match of _OTHER_MARKER holds, in lower case ("another" holds "other"); a
# span holding a letter IGNORECASE folds to ASCII and lower() does not is searched as it is.
_OTHER_MARKER_WORDS = ("separate", "similar", "unrelated", "other", "different")
_IN_SEPARATE_CASE = re.compile(rf"\b(?:in|from)\s+(?:a|an|the)\s+{_SEPARATE}\s+(?:[\w-]+\s+){{0,2}}?{_CASE_WORD}\b", re.IGNORECASE)
# "that case", "the other suit": the case the story spoke of last.
_THAT_CASE = re.compile(r"\b(?:that|the\s+other)\s+(?:case|suit|lawsuit|litigation|action|complaint|matter)\b", re.IGNORECASE)
_ANY_CASE = re.compile(rf"(?=[cslavf])\b{_CASE_WORD}\b", re.IGNORECASE)
# What only a litigant does: sue, win or settle a case, plead, appeal, be fined, ask a
# court. (Judges rule, find and block; they are no one's party.)
_LITIGANT_VERB = re.compile(
    r"\b(?:sued|sues|suing|won|wins|lost|settled|settles|pleaded|appealed|fined|fines|persuaded|challenged|"
    r"filed\s+(?:a|an|its|their|the)?\s*(?:[\w-]+\s+){0,2}?(?:suit|lawsuit|complaint|case|claim|challenge)s?|"
    r"agreed\s+(?:\w+\s+){0,3}?to\s+(?:pay|settle)|added\s+to\s+(?:the|its|a)\s+(?:[\w-]+\s+){0,3}?list|"
    r"(?:abandoned|dropped|withdrew)\s+(?:its|their|his|her|the)\s+(?:appeal|suit|lawsuit|case|claims?|challenge)|"
    r"asked\s+(?:a|an|the)?\s*(?:[\w.-]+\s+){0,3}?(?:court|judge|Judge|panel))\b")
_OFFICIAL = re.compile(r"\b(?:Judge|(?<!of\s)Justice(?!\s+Department)|Chancellor|Magistrate|President|Commissioner|Chairman|Chairwoman|Chair|"
                       r"Secretary|Senator|Sen\.|Rep\.|Gov\.|Attorney\s+General|Prosecutor)\b")
_NOT_NAME = {"the", "a", "an", "in", "on", "at", "but", "and", "however", "earlier", "later", "last", "next", "this",
             "that", "these", "those", "separately", "meanwhile", "also", "after", "before", "when", "while", "it",
             "its", "he", "she", "they", "his", "her", "their", "under", "since", "by", "for", "with", "as", "then",
             "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
             "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
             "dec", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "u.s", "us"}
_DATELINE_LEAD = re.compile(r"^[A-Z][A-Z .,'’-]+(?:,\s*[^-–—(]{0,40})?(?:\s*\([^)]*\))?\s*[-–—]+\s+")
_LEAD_ADVERBIAL = re.compile(r"^(?:(?:in|on|at|by|for|under|after|before|since|during|earlier|later|last|this|next|"
                             r"however|meanwhile|also|then|still|yet|abroad|elsewhere|separately)\b[^,]{0,60},\s+)+",
                             re.IGNORECASE)
_SUBJECTLESS = re.compile(r"^[\s,;:(–—-]*(?:(?:in\s+)?(?:which|who|whom|whose|where)\b|that\s+(?:is|was|were|are|has|had|have)\b|"
                          r"(?:is|was|were|are|has|had|have|will|would|remains?|remained|been|being)\b|[a-z]+ed\b)")


@functools.lru_cache(maxsize=8)
def _lower_words(story: str) -> frozenset[str]:
    """The words the story writes in lower case."""
    return frozenset(re.findall(r"\b[a-z][a-z'’-]*\b", story))


def _names(span: str, story: str = "", at_start: bool = False) -> list[str]:
    """The proper names in `span` (organisations, people), officials ("Judge Roe") and
    capitalised common words left out; with `at_start`, the span opens a sentence and
    its first word counts only when the story never writes it in lower case."""
    found = []
    runs = re.finditer(r"[A-Z][\w&.'’-]*(?:[ \t]+(?:(?:of|and|&|for)[ \t]+)?[A-Z][\w&.'’-]*)*", span)
    # "Securities and Exchange Commission" is one name, "Xiaomi and Luokung" two: both readings.
    parts = [(m.start(), g) for m in runs for g in {m.group(), *re.split(r"\s+(?:and|&)\s+", m.group())}]
    for start, group in parts:
        if _OFFICIAL.search(group):
            continue
        words = group.split()
        while words and words[0].lower().strip(".,'’") in _NOT_NAME:
            words = words[1:]
        if words and at_start and start == 0 and words[0] == group.split()[0] and \
                words[0].lower() in _lower_words(story):
            words = words[1:]  # "Drone maker DJI": the sentence's first word is a common noun
        words = [w for w in words if w.lower().strip(".,'’") not in _NOT_NAME or w[0].isupper() and len(words) > 1]
        if words and not all(w.lower().strip(".,'’") in _NOT_NAME for w in words):
            found.append(" ".join(words))
    return found


def _two_parties(parties: CaseParties | None, span: str) -> bool:
    """`span` names two different parties of the case ("Acme ... against Borealis")."""
    from tracker.cases import party_key

    if not parties:
        return False
    named = {party_key(n) for n in _names(span) if not re.search(r"\s(?:and|&)\s", n) and parties.has(n)}
    return len(named) >= 2


def _others(parties: CaseParties, names: list[str]) -> bool:
    """Names given, none of them a party of the case."""
    return bool(names) and not any(parties.has(n) for n in names)


def _scope(sentence: str, rel_start: int, rel_end: int) -> tuple[int, int]:
    """What the date is said of: its segment, and when the segment has no subject of its
    own (", filed in October 2020", "which is set for trial next year"), back to the
    clause's start; a relative clause just after it is included ("a decision last month
    by a judge, who ruled in the X case")."""
    begin, finish = segment_bounds(sentence, rel_start, rel_end)
    c_begin, c_finish = clause_bounds(sentence, rel_start, rel_end)
    if _SUBJECTLESS.match(sentence[begin:rel_start] or sentence[rel_end:finish]) or \
            re.fullmatch(r"[\s,;(]*(?:in|on|at|from|since)\s+", sentence[begin:rel_start], re.IGNORECASE):
        begin = min(begin, c_begin)
    rest = sentence[finish:c_finish]
    if re.match(r"[\s,]*(?:who|which)\b", rest):
        nxt = segment_bounds(sentence, finish + len(rest) - len(rest.lstrip(" ,")), finish + len(rest) - len(rest.lstrip(" ,")) + 1)
        finish = max(finish, min(nxt[1], c_finish))
    return begin, finish


def _names_other_case(span: str, parties: CaseParties | None) -> bool:
    """`span` speaks of another case than the story's: by a marker ("a separate suit",
    "separately sued") or, when the case's parties are known, by naming a case whose
    plaintiff or defendant is not one of them."""
    lowered = span.lower() if not FOLDS_APART.search(span) else None
    markers = _OTHER_MARKER.finditer(span) \
        if lowered is None or any(word in lowered for word in _OTHER_MARKER_WORDS) else ()
    for marker in markers:
        against = _AGAINST.search(span[marker.end():marker.end() + 60])
        if marker["own"] and _two_parties(parties, span) and \
                (against is None or parties.has(against.group(1))):
            continue  # "X filed a separate case against Y in London": the same two parties' dispute
        return True
    if not parties:
        return False
    searched = [pattern for pattern, groups in zip(_OTHER_CASES, _OTHER_CASE_WORDS, strict=True)
                if all(any(word in span for word in group) for group in groups)]
    for match in (m for pattern in searched for m in pattern.finditer(span)):
        if "label" in match.groupdict() and re.fullmatch(r"[A-Z.]{1,4}", match["label"]):
            continue  # "in the US case": a jurisdiction, not a party
        for slot in ("owner", "name", "owner2", "label", "defendant", "first", "second"):
            if slot in match.groupdict() and match[slot] and _others(parties, _names(match[slot])):
                return True
    return False


def _litigant_not_a_party(sentence: str, rel_start: int, rel_end: int, parties: CaseParties, story: str) -> bool:
    """The clause's actor sues, wins, settles, pleads or asks a court, and is named, but
    is not a party of the case ("Smartmatic sued Fox in February" in Dominion's case)."""
    c_begin, c_finish = clause_bounds(sentence, rel_start, rel_end)
    clause = sentence[c_begin:c_finish]
    verb = _LITIGANT_VERB.search(clause)
    if not verb:
        return False
    head = clause[:verb.start()]
    lead = _DATELINE_LEAD.match(head)
    cut = lead.end() if lead else 0
    adverbial = _LEAD_ADVERBIAL.match(head[cut:])
    if adverbial:
        cut += adverbial.end()
    # The actor is the subject's first noun phrase: "A coalition of states led by Colorado"
    # and "The department, joined by the states," are no named litigant.
    subject = re.split(r",|\s+(?:led|joined|backed|supported)\s+by\b|\s+(?:including|such\s+as|along\s+with|together\s+with|"
                       r"alongside)\b", head[cut:])[0]
    return _others(parties, _names(subject, story, at_start=c_begin + cut == 0))


def _other_matter(sentence: str, rel_start: int, rel_end: int, parties: CaseParties | None, story: str,
                  told_other: bool) -> bool:
    """The date belongs to another matter the story tells in passing: another case, or
    what another litigant did. `told_other`: the case the story spoke of last (before
    this sentence) is another one."""
    if re.match(r"\W*separately\b", sentence, re.IGNORECASE) and not _two_parties(parties, sentence):
        return True  # "Separately, ...": news of something else, unless it is between the case's parties
    begin, finish = _scope(sentence, rel_start, rel_end)
    if _names_other_case(sentence[begin:finish], parties):
        return True
    c_begin, c_finish = clause_bounds(sentence, rel_start, rel_end)
    clause = sentence[c_begin:c_finish]
    if _IN_SEPARATE_CASE.search(clause):
        return True  # "in a separate case" frames the whole clause
    if parties:
        for match in _OTHER_CASES[2].finditer(clause):  # "In the Harbor litigation, ..." too
            if not re.fullmatch(r"[A-Z.]{1,4}", match["label"]) and _others(parties, _names(match["label"])):
                return True
    if parties and _litigant_not_a_party(sentence, rel_start, rel_end, parties, story):
        return True
    if _THAT_CASE.search(sentence[c_begin:c_finish]):
        before = sentence[:c_begin]
        if _ANY_CASE.search(before):
            return _names_other_case(before, parties)
        return told_other
    return False


def _tells_other_case(sentence: str, parties: CaseParties | None) -> bool | None:
    """Whether the case this sentence speaks of (last) is another one; None when it
    speaks of no case."""
    if not _ANY_CASE.search(sentence):
        return None
    return bool(re.match(r"\W*separately\b", sentence, re.IGNORECASE)) or _names_other_case(sentence, parties)


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
_FOUNDED = re.compile(r"\b(?:founded|established|set\s+up|incorporated|created)\s+(?:in\s+)?$"
                      r"|\b(?:sold|made|released|launched|shipped|built|opened)\s+(?:its|their|his|her)\s+first\b[^,.;]{0,40}$",
                      re.IGNORECASE)
# A count within a period: "the second setback this year", "its third ruling this month".
_COUNTED = re.compile(r"\b(?:first|second|third|fourth|fifth|sixth|seventh|latest|\d+(?:st|nd|rd|th))\s+(?:[\w-]+\s+){0,2}$",
                      re.IGNORECASE)


# A reporting period ("revenue last year", "sales in the December quarter"): a label of
# results, not the date of an event.
_RESULTS = re.compile(r"\b(?:revenue|revenues|sales|earnings|profits?|net\s+income|income|turnover)\b", re.IGNORECASE)
# "has been chief judge since 2023", "the fifth case since 2020": the start of a state.
_STATE_SINCE = re.compile(r"\bsince\s+$", re.IGNORECASE)


# A publisher's pointer to its own posts: "See our update of June 2, 2022", "(Read our
# earlier story from May 3.)".
_CROSS_REFERENCE = re.compile(r"^\W{0,2}(?:see|read|watch|listen\s+to)\s+(?:also\s+)?(?:our|my|the\s+(?:earlier|previous|"
                              r"related|original)|more|earlier)\b", re.IGNORECASE)


# Lawmaking told as background: "Congress is weighing a bill", "a provision adopted by
# lawmakers last year", "the House Judiciary Committee advanced six bills".
_LEGISLATURE = r"(?:lawmakers|legislators|Congress|Parliament|legislature|(?:[A-Z][a-z]+\s+)?Committee|House|Senate)"
_LAWMAKING = (r"(?:passed|passes|adopted|adopts|approved|approves|advanced|advances|enacted|enacts|wrote|writes|"
              r"weighing|weighs|weighed|voted|votes|introduced|introduces|amended|amends|considering|considers)")
_LEGISLATION = re.compile(rf"\b{_LEGISLATURE}\s+(?:(?:is|are|was|were|has|have|had|also|now)\s+){{0,2}}{_LAWMAKING}\b"
                          rf"|\b{_LAWMAKING}\s+by\s+(?:U\.S\.\s+|state\s+|federal\s+)?{_LEGISLATURE}\b")
# A law as the subject of what will happen: "A provision in the bill will bar ... from June 2026".
_LAW_SUBJECT = re.compile(r"^(?:an?|the)\s+(?:new\s+)?(?:provision|law|statute|bill|act|legislation)\b[^,;]{0,80}?"
                          r"\b(?:will|would)\s+(?:bar|ban|require|prohibit|force|take\s+effect)\b", re.IGNORECASE)
# The date names a law ("a 1999 defense law", "last year's defense bill").
_LAW_AFTER = re.compile(r"^(?:['’]s)?\s+(?:[a-z-]+\s+){0,2}?(?:law|bill|statute|act|legislation)s?\b")
# The date names an election ("the November vote", "the 2024 elections", "the race this year").
_ELECTION_AFTER = re.compile(r"^(?:['’]s)?\s+(?:\d{4}\s+)?(?:(?:presidential|congressional|general|midterm|primary|"
                             r"national|local|state|federal|parliamentary)\s+)*(?:elections?|vote|midterms|polls|"
                             r"primar(?:y|ies)|ballot)\b", re.IGNORECASE)
_ELECTION_BEFORE = re.compile(r"\b(?:elections?|race|polls|midterms)\s+$", re.IGNORECASE)
# A change of office told as background: "who took over in January", "takes office on
# Jan. 20", "stepped down as chief executive in November".
_OFFICE = re.compile(r"\b(?:took|takes|take|taking)\s+(?:office|over)\b|\bsworn\s+in\b|\b(?:stepped|steps|step)\s+down\b|"
                     r"\b(?:resigned|resigns|retired|retires)\b|\b(?:was|were|is|been)\s+(?:appointed|nominated|"
                     r"confirmed|elected)\b", re.IGNORECASE)
_LEAD_IN = re.compile(r"^(?:(?:however|but|and|meanwhile|still|also|under\s+[^,]{0,80})\b,?\s*)+", re.IGNORECASE)


def _lawmaking(sentence: str, rel_start: int, rel_end: int, parties: CaseParties | None) -> bool:
    """The clause tells of lawmaking ("Congress is weighing a bill", "a provision in the
    bill will bar ..."): background, unless it names a party of the case (a suit over
    that very law)."""
    begin, finish = clause_bounds(sentence, rel_start, rel_end)
    clause = sentence[begin:finish]
    if not (_LEGISLATION.search(clause) or _LAW_SUBJECT.match(_LEAD_IN.sub("", clause.lstrip(" ,;")))):
        return False
    return not (parties and any(parties.has(n) for n in _names(clause)))


def _not_an_event(sentence: str, rel_start: int, rel_end: int, granularity: str = "day") -> bool:
    if _CROSS_REFERENCE.match(sentence):
        return True
    begin, finish = clause_bounds(sentence, rel_start, rel_end)
    before = sentence[begin:rel_start]
    if _LAW_AFTER.match(sentence[rel_end:]) or _ELECTION_AFTER.match(sentence[rel_end:]) or \
            _ELECTION_BEFORE.search(before):
        return True
    s_begin, _ = segment_bounds(sentence, rel_start, rel_end)
    if _OFFICE.search(sentence[max(begin, s_begin, rel_start - 60):rel_start]):
        return True
    if granularity in {"year", "quarter"} and _RESULTS.search(sentence[begin:finish]):
        return True
    if _STATE_SINCE.search(before) and re.search(r"\b(?:has|have|had)\s+(?:been|\w+ed)\b|\b(?:is|are)\b", before,
                                                 re.IGNORECASE):
        return True
    if _FOUNDED.search(before[-60:]):
        return True
    if _COUNTED.search(before) and re.match(r"(?i)(?:so\s+far\s+)?this\s+(?:year|month|week)$", sentence[rel_start:rel_end]):
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
