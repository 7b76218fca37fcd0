"""Case facts read from a story: parties, court, docket, judge, status. Pure, no I/O.

Each fact keeps the span of the passage that states it, so the app can show why it was
proposed. These are proposals: the user confirms or edits them on the case.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

FIELDS = ("parties", "court", "docket", "judge", "status")
STATUSES = ("open", "decided", "settled", "dismissed")


@dataclass(frozen=True)
class Fact:
    """One proposed fact and where the text states it."""

    field: str
    value: str
    start: int
    end: int


_NAME = r"[A-Z][\w&'’.-]*(?:[ \t]+(?:of|and|&|de|van|von|la|St\.)?[ \t]*[A-Z][\w&'’.-]*){0,4}"
# `\b` and _NAME, its capital first ("[A-Z](?<!\w[A-Z])" is "\b[A-Z]"): the regex engine
# then passes the positions without a capital at once (a third quicker over a story).
_NAME_AT_WORD = r"[A-Z](?<!\w[A-Z])" + _NAME.removeprefix("[A-Z]")
assert _NAME_AT_WORD != r"[A-Z](?<!\w[A-Z])" + _NAME, "_NAME must start with its capital"
# The same, matched once: where what follows a name is a lower-case word ("sued", "v."),
# a shorter reading of the name is followed by a capital or a joining word and cannot
# match either, so the engine need not try one (atomic: a third to a half quicker).
_WHOLE_NAME_AT_WORD = rf"(?>{_NAME_AT_WORD})"
_JUDGE = re.compile(  # (?=[A-Z]): a capital starts every match; the engine passes other positions at once
    r"(?=[A-Z])\b(?:(?:U\.S\.|Chief|Senior|Federal)\s+)?(?:(?:District|Magistrate|Bankruptcy|Circuit|Appeals|Trial)\s+)?"
    r"(?P<title>Judge|Chancellor|Justice|Vice Chancellor)\s+"
    r"(?P<name>(?!Department\b|Ministry\b)[A-Z][a-z]+(?:\s+[A-Z]\.)*(?:\s+St\.\s+[A-Z][a-z]*\.?)?"
    r"(?:\s+(?!Department\b)[A-Z][a-zA-Z'’-]+){0,2})"
)
_COURTS = [
    re.compile(r"\b(?:U\.S\.\s+)?District Court for the (?:(?:Northern|Southern|Eastern|Western|Central|Middle)\s+)?"
               r"District of [A-Z][a-z]+(?:\s+[A-Z][a-z]+)?"),
    re.compile(r"\bDistrict Court of the District of [A-Z][a-z]+(?:\s+[A-Z][a-z]+)?"),
    re.compile(r"\b(?:U\.S\.\s+)?Court of Appeals for the (?:[A-Z][a-z]+|\d+(?:st|nd|rd|th)|D\.C\.) Circuit"),
    re.compile(r"\b(?:Delaware\s+)?Court of Chancery\b"),
    re.compile(r"\b(?:First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth|Eleventh|D\.C\.|Federal|"
               r"\d+(?:st|nd|rd|th))\s+(?:U\.S\.\s+)?Circuit(?:\s+Court of Appeals)?"),
    re.compile(r"\b(?:U\.S\.\s+)?Supreme Court\b"),
    re.compile(r"\bHigh Court\b(?:\s+in\s+London)?"),
    re.compile(r"\bfederal court in (?:[A-Z][a-z]+)(?:\s+[A-Z][a-z]+)?"),
]
_DOCKET = re.compile(
    r"\b(?:No\.\s*)?(?:\d:)?\d{2}-(?:cv|cr|md|mc|ap)-\d{3,5}(?:-[A-Z]{2,4})?\b|\bDocket\s+No\.\s*\d+\b"
)
_CAPTION = re.compile(rf"(?P<a>{_WHOLE_NAME_AT_WORD})\s+(?:v\.?|vs\.?|versus)\s+(?P<b>{_NAME})")
_SUED = re.compile(
    rf"(?P<a>{_WHOLE_NAME_AT_WORD})(?:\s+(?:on|last|this|late|early)\s+\w+)?\s+(?:has\s+|have\s+|had\s+)?"
    rf"(?:sued|sues|filed\s+(?:a\s+|an?\s+\w+\s+)?(?:lawsuit|suit|complaint)\s+against)"
    rf"\s+(?:to\s+(?:stop|block|halt|prevent)\s+)?(?:the\s+)?(?P<b>{_NAME})"
)
_LAWSUIT_AGAINST = re.compile(rf"(?P<a>{_NAME_AT_WORD})(?:'s|’s)\s+(?:[\w-]+\s+){{0,2}}(?:lawsuit|suit|case|complaint|challenge)\s+"
                              rf"(?:against|to)\s+(?:the\s+)?(?P<b>{_NAME})")
# "a lawsuit by X against Y", "a suit brought by X against Y"
_BY_AGAINST = re.compile(rf"(?=[lsc])\b(?:lawsuit|suit|case|complaint|challenge)\s+(?:brought\s+|filed\s+)?by\s+(?:the\s+)?"
                         rf"(?P<a>{_NAME})\s+against\s+(?:the\s+)?(?P<b>{_NAME})")
# "X challenged Y in court", "X is suing Y"
_CHALLENGED = re.compile(rf"(?P<a>{_WHOLE_NAME_AT_WORD})\s+(?:is\s+suing|has\s+been\s+suing|challenged|is\s+challenging|took)\s+"
                         rf"(?:the\s+)?(?P<b>{_NAME})(?:\s+(?:to|in)\s+court)")
_STATUS = [
    ("settled", re.compile(r"(?=[sar])(?:\b(?:settled|agreed to settle)\s+(?:the|its|their)\s+(?:case|lawsuit|suit|dispute)|"
                           r"\breached (?:a|an) (?:settlement|agreement|deal)\b)", re.I)),
    ("dismissed", re.compile(r"(?=d)\bdismiss(?:ed|al of)\s+(?:the\s+)?(?:case|suit|lawsuit|complaint|claims?)\b", re.I)),
    ("decided", re.compile(r"(?=[vfej])\b(?:verdict\s+(?:for|against)|final\s+judgment|entered\s+judgment|"
                           r"judgment\s+(?:for|against|in\s+favou?r))\b", re.I)),
]
# Words every match of each status pattern holds, looked for in the lower-cased text
# first (quicker than the pattern). Letters the pattern's IGNORECASE matches to ASCII
# but lower() does not turn into it ("ı", "ſ", "İ") make the text searched as it is.
_STATUS_WORDS = {"settled": ("settle", "reached"), "dismissed": ("dismiss",), "decided": ("verdict", "judgment")}
FOLDS_APART = re.compile("[\u0130\u0131\u017f]")
_SUFFIXES = {"Inc", "Corp", "Co", "Ltd", "LLC", "PLC", "LLP", "Inc.", "Corp."}
_TRAILING = re.compile(r"(?:\s+(?:on|in|at|for|over|after|before|last|this|and)\b.*)$")
_LEADING_ARTICLE = re.compile(r"^(?:The|A|An|In|On|Unlike|After|See|Like)\s+")


# `clean_party`'s patterns, compiled once.
_NEXT_SENTENCE = re.compile(r"(?<=[a-z]{3})\.\s+[A-Z].*$")
_PREVIOUS_SENTENCE = re.compile(r"^.*(?<=[a-z]{3})\.\s+(?=[A-Z])")
_TRAILING_CORP_SUFFIX = re.compile(r"\s+(?:Inc|Corp|Co|Ltd|LLC|PLC)\.?$")  # " Inc.", " LLC"


def clean_party(name: str) -> str:
    """"the Federal Trade Commission on Thursday" -> "Federal Trade Commission"."""
    name = _NEXT_SENTENCE.sub("", name.strip(" ,;:"))  # "Google. The" ran into a sentence
    name = _PREVIOUS_SENTENCE.sub("", name)  # "Delaware. Brixworth": one ran out of one
    name = _TRAILING.sub("", name.strip(" ,.;:"))
    name = _LEADING_ARTICLE.sub("", name)
    name = _TRAILING_CORP_SUFFIX.sub("", name)
    return name.strip(" ,.;:'’")


def judge_key(name: str) -> str:
    """Judges are matched by surname: "Amit P. Mehta" and "Mehta" are one judge."""
    return name.split()[-1].lower()


@dataclass(frozen=True)
class TextReading:
    """What a text states whatever its headline: the parties, judges, courts and dockets
    it names (`_Stated`), the sentences about another case than its own, and the first
    status it gives its own case. A story's facts with its headline (`analysis`) and
    without it (its event titles, `headlines`) are both taken from one reading, carried
    with the text's `Scan`."""

    stated: _Stated
    elsewhere: tuple[tuple[int, int], ...]
    status: tuple[str, int, int] | None


def read_text(text: str, sentences: list[tuple[int, int]] | None = None) -> TextReading:
    """The `TextReading` of `text` (`sentences`: its sentence spans, when the caller has them)."""
    stated = _stated(text)
    elsewhere = _other_case_sentences(text, list(stated.pairs), sentences)
    status = None
    lowered = text.lower() if not FOLDS_APART.search(text) else None
    for name, pattern in _STATUS:
        if lowered is not None and not any(word in lowered for word in _STATUS_WORDS[name]):
            continue  # none of the words every match of the pattern holds
        match = next((m for m in pattern.finditer(text) if _about_this_case(elsewhere, m.start())), None)
        if match:
            status = (name, match.start(), match.end())
            break
    return TextReading(stated, tuple(elsewhere), status)


def _about_this_case(elsewhere: list[tuple[int, int]] | tuple[tuple[int, int], ...], start: int) -> bool:
    """Whether `start` lies outside the sentences about another case (in order, apart)."""
    at = bisect.bisect_right(elsewhere, (start, _PAST_ANY_END)) - 1
    return not (at >= 0 and start < elsewhere[at][1])


_PAST_ANY_END = 1 << 62  # sorts after every end offset: (start, this) follows each (start, end)


def extract_facts(title: str, text: str, sentences: list[tuple[int, int]] | None = None,
                  read: TextReading | None = None) -> list[Fact]:
    """Facts a story states, in order of appearance; `title` is its headline, `sentences`
    its sentence spans and `read` its `TextReading`, when the caller has them."""
    found: list[Fact] = []
    seen: set[tuple[str, str]] = set()

    def add(field: str, value: str, start: int, end: int) -> None:
        key = (field, value.casefold())
        if value and key not in seen:
            seen.add(key)
            found.append(Fact(field, value, start, end))

    if read is None:
        read = read_text(text, sentences)
    stated, elsewhere = read.stated, read.elsewhere
    for value, start, end in stated.parties:
        add("parties", value, start, end)
    in_headline = len(title) if title and text.startswith(title) else 0
    for value, start, end in stated.judges:
        if start < in_headline or not _about_this_case(elsewhere, start):
            continue  # "Judge Temporarily Blocks Ban": a Title-Case headline, not a name
        add("judge", value, start, end)
    for value, start, end in stated.courts:
        if _about_this_case(elsewhere, start):
            add("court", value, start, end)
    for value, start, end in stated.dockets:
        add("docket", value, start, end)
    if read.status is not None:
        add("status", *read.status)
    found.sort(key=lambda f: (FIELDS.index(f.field), f.start))
    return found


@dataclass(frozen=True)
class _Stated:
    """What a text states whatever its headline and sentences: each found (value, start,
    end) in the order it is found, and the parties' heads with where they are named."""

    parties: tuple[tuple[str, int, int], ...]
    pairs: tuple[tuple[str, str, int], ...]
    judges: tuple[tuple[str, int, int], ...]
    courts: tuple[tuple[str, int, int], ...]
    dockets: tuple[tuple[str, int, int], ...]


# Words each pattern's every match holds: a text without them is not searched with it
# (the patterns are slow to run over a text, the words quick to look for).
_PARTY_PATTERNS = (
    (_CAPTION, re.compile(r"\s(?:v\.?|vs\.?|versus)\s")),
    (_SUED, re.compile(r"(?:sued|sues|filed)\s")),
    (_LAWSUIT_AGAINST, re.compile(r"(?:suit|case|complaint|challenge)\s+(?:against|to)\s")),
    (_BY_AGAINST, re.compile(r"\sagainst\s")),
    (_CHALLENGED, re.compile(r"\s(?:to|in)\s+court")),
)
_COURT_WORDS = ("District Court for the", "District Court of the District of", "Court of Appeals for the ",
                "Court of Chancery", "Circuit", "Supreme Court", "High Court", "federal court in ")
_JUDGE_WORDS = ("Judge", "Chancellor", "Justice")
_DOCKET_WORDS = ("-cv-", "-cr-", "-md-", "-mc-", "-ap-", "Docket")
_BEFORE_COMMA = re.compile(r"([A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,3}),\s*$")


# One story's text is read for its facts by `analysis.analyse` and again by its events'
# titles (`headlines._story_caption`): a memo of the last few texts, not a growing cache.
@functools.lru_cache(maxsize=4)
def _stated(text: str) -> _Stated:
    parties: list[tuple[str, int, int]] = []
    pairs: list[tuple[str, str, int]] = []
    for pattern, hint in _PARTY_PATTERNS:
        if not hint.search(text):
            continue
        for match in pattern.finditer(text):
            a, b = clean_party(match["a"]), clean_party(match["b"])
            if a in _SUFFIXES:  # "Epic Games, Inc. v. Google": the name stands before the comma
                before = _BEFORE_COMMA.search(text[:match.start()])
                a = clean_party(before.group(1)) if before else ""
            if b in _SUFFIXES:
                continue
            if a and b and a.lower() not in {"he", "she", "it", "they", "which", "who"}:
                parties.append((f"{a} v. {b}", match.start(), match.end()))
                pairs.append((_head(a), _head(b), match.start()))
    judges = []
    if any(word in text for word in _JUDGE_WORDS):
        judges = [(f"{m['title']} {m['name'].strip()}", m.start(), m.end()) for m in _JUDGE.finditer(text)]
    courts = [(" ".join(m.group().split()), m.start(), m.end())
              for pattern, word in zip(_COURTS, _COURT_WORDS, strict=True) if word in text
              for m in pattern.finditer(text)]
    dockets = []
    if any(word in text for word in _DOCKET_WORDS):
        dockets = [(m.group().removeprefix("No.").strip(), m.start(), m.end()) for m in _DOCKET.finditer(text)]
    return _Stated(tuple(parties), tuple(pairs), tuple(judges), tuple(courts), tuple(dockets))


# `_head`'s patterns, compiled once.
_LOWERCASE_ALNUM_RUN = re.compile(r"[a-z0-9]+")


def _head(name: str) -> str:
    words = [w for w in _LOWERCASE_ALNUM_RUN.findall(name.lower()) if w not in {"the", "us", "u", "s"}]
    return words[0] if words else ""


_ANOTHER_CASE = re.compile(r"(?=a)\b(?:a\s+separate|another|an\s+unrelated|a\s+different|an\s+earlier|a\s+similar|"
                           r"a\s+parallel)\s+(?:\w+\s+)?(?:case|lawsuit|suit|proceeding|matter)\b", re.IGNORECASE)


def _other_case_sentences(text: str, pairs: list[tuple[str, str, int]],
                          sentences: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Sentences about another case than the story's own (the parties it states most):
    a court, judge or outcome named there is that case's, named in passing."""
    from collections import Counter

    from tracker.sentences import sentence_spans

    main = Counter((a, b) for a, b, _ in pairs).most_common(1)
    own = main[0][0] if main else None
    # The pairs of each sentence by bisection (not every pair for every sentence).
    by_at = sorted(pairs, key=lambda p: p[2])
    ats = [at for _, _, at in by_at]
    spans = []
    for start, end in sentences if sentences is not None else sentence_spans(text):
        sentence = text[start:end]
        inside = by_at[bisect.bisect_left(ats, start):bisect.bisect_left(ats, end)]
        others = [(a, b) for a, b, _ in inside if own and (a, b) != own and {a, b} != set(own)]
        if others or _ANOTHER_CASE.search(sentence):
            spans.append((start, end))
    return spans


def caption(facts: list[Fact]) -> str | None:
    """The case title a reader would use, from the first stated parties."""
    parties = [f.value for f in facts if f.field == "parties"]
    return parties[0] if parties else None
