"""Filing a document into a case by what it is about. Pure functions, no I/O.

A reader files two stories together when they name the same parties: the names in the
headline and the lead weigh more than a name in passing, and words every legal story
uses ("court", "judge", "U.S.") weigh nothing. Docket numbers are decisive.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from tracker.facts import Fact, extract_facts, judge_key

MATCH_THRESHOLD = 0.35

_STOP = {
    "the", "a", "an", "and", "or", "but", "in", "on", "at", "of", "for", "to", "by", "with", "as", "it", "its",
    "he", "she", "they", "we", "i", "you", "this", "that", "these", "those", "there", "his", "her", "their",
    "our", "if", "when", "while", "after", "before", "since", "however", "meanwhile", "also", "according",
    "under", "from", "what", "let", "please", "related", "posts", "popular", "articles", "learn", "this",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mr", "mrs", "ms",
    "u.s", "us", "usa", "united", "states", "america", "american", "federal", "court", "courts", "judge",
    "district", "circuit", "appeals", "supreme", "justice", "department", "government", "administration",
    "state", "law", "act", "section", "order", "executive", "chief", "president", "former", "said", "says",
    "reuters", "wire", "published", "updated", "news", "commission", "agency", "company", "corp", "inc",
    "llc", "ltd", "co", "group", "judges", "lawyers", "attorney", "general", "office", "national", "security",
    "chinese", "china", "english", "est", "edt", "pst", "no", "case", "lawsuit", "suit", "trial", "ban",
    "read", "more", "comment", "comments", "share", "twitter", "facebook", "email", "the", "new", "york",
    "washington", "san", "francisco", "london", "street", "city",
}
_NAME = re.compile(r"\b[A-Z][A-Za-z0-9&'’-]*[A-Za-z0-9]\b|\b[A-Z]{2,}\b")
_DOCKET = re.compile(r"\b(?:\d:)?\d{2}-(?:cv|cr|md|mc|ap)-\d{3,5}\b|\bDocket\s+No\.\s*\d+\b|\b\d{2}-\d{4,5}\b", re.IGNORECASE)
_VERSUS = re.compile(
    r"\b((?:[A-Z][\w.&'’-]*\s+){0,3}[A-Z][\w.&'’-]*)\s+(?:v\.|vs\.?|versus)\s+((?:[A-Z][\w.&'’-]*\s+){0,3}[A-Z][\w&'’-]*)"
)


@dataclass(frozen=True)
class Profile:
    """What a document (or a case, summed over its documents) is about."""

    names: dict[str, float]
    dockets: frozenset[str]
    display: dict[str, str]
    judges: frozenset[str] = frozenset()
    # The sum of the 12 heaviest name weights, when `names` holds only some of them (a
    # case's kept profile read for the names it shares with a story).
    top: float | None = None

    def top_weight(self) -> float:
        return self.top if self.top is not None else sum(sorted(self.names.values(), reverse=True)[:12])


def _paragraphs(text: str) -> list[str]:
    return [p for p in (line.strip() for line in text.splitlines()) if p]


def profile(title: str, text: str, facts: list[Fact] | None = None) -> Profile:
    """Weighted names and docket numbers of one document (`facts`: its extracted facts,
    when the caller has them already)."""
    counts: Counter[str] = Counter()
    display: dict[str, str] = {}
    paragraphs = _paragraphs(text)
    lead = " ".join(paragraphs[1:3]) if paragraphs and paragraphs[0] == title else " ".join(paragraphs[:2])
    for weight, part in ((3.0, title), (2.0, lead), (1.0, text)):
        for match in _NAME.finditer(part):
            word = match.group()
            key = word.lower().rstrip(".").replace("’", "'").removesuffix("'s")
            if key in _STOP or len(key) < 3:
                continue
            counts[key] += weight
            display.setdefault(key, word.removesuffix("'s").removesuffix("’s"))
    names = {key: math.log1p(count) for key, count in counts.items()}
    dockets = frozenset(m.group().lower() for m in _DOCKET.finditer(text))
    if facts is None:
        facts = extract_facts(title, text)
    judges = frozenset(judge_key(f.value) for f in facts if f.field == "judge")
    return Profile(names, dockets, display, judges)


def merge(profiles: list[Profile]) -> Profile:
    names: dict[str, float] = {}
    display: dict[str, str] = {}
    dockets: set[str] = set()
    judges: set[str] = set()
    for p in profiles:
        judges |= p.judges
        for key, weight in p.names.items():
            names[key] = max(names.get(key, 0.0), weight)
        display.update({k: v for k, v in p.display.items() if k not in display})
        dockets |= p.dockets
    return Profile(names, frozenset(dockets), display, frozenset(judges))


def similarity(doc: Profile, case: Profile) -> tuple[float, list[str]]:
    """Overlap of weighted names (0..1) and the shared names, strongest first."""
    if doc.dockets & case.dockets:
        return 1.0, sorted(doc.dockets & case.dockets)
    shared = set(doc.names) & set(case.names)
    if not shared:
        return 0.0, []
    overlap = sum(min(doc.names[k], case.names[k]) for k in shared)
    score = overlap / max(1e-9, min(doc.top_weight(), case.top_weight()))
    ranked = sorted(shared, key=lambda k: -min(doc.names[k], case.names[k]))
    if doc.judges and case.judges and not doc.judges & case.judges:
        score *= 0.5  # a case has its judges; a story before another judge is about another case
    return min(score, 1.0), [doc.display.get(k, k) for k in ranked]


AMBIGUOUS_MARGIN = 0.1
# A party named in the headline, or three times in the text, can start a case.
WEAK_NAME = math.log1p(3)


@dataclass(frozen=True)
class Filing:
    """Where a story goes and why: a case id, None for a new case, or unfiled."""

    case_id: int | None
    unfiled: bool
    reason: str


def decide(doc: Profile, cases: dict[int, Profile], has_caption: bool) -> Filing:
    """File a story as a reader would, or say why it cannot be filed."""
    ranked = sorted(((similarity(doc, p), case_id) for case_id, p in cases.items()), key=lambda r: -r[0][0])
    if ranked and ranked[0][0][0] >= MATCH_THRESHOLD:
        (score, shared), case_id = ranked[0]
        if len(ranked) > 1 and ranked[1][0][0] >= MATCH_THRESHOLD and score - ranked[1][0][0] < AMBIGUOUS_MARGIN:
            return Filing(None, True, f"could belong to two cases (scores {score:.2f} and {ranked[1][0][0]:.2f})")
        return Filing(case_id, False, f"shares {', '.join(shared[:5])} (score {score:.2f})")
    strongest = max(doc.names.values(), default=0.0)
    if strongest < WEAK_NAME and not has_caption and not doc.dockets:
        return Filing(None, True, "names no party prominently enough to start a case")
    names = sorted(doc.names, key=lambda k: -doc.names[k])[:5]
    return Filing(None, False, "new case: names " + ", ".join(doc.display.get(k, k) for k in names))


def suggest_title(title: str, text: str, doc: Profile) -> str:
    """A readable case title: "X v. Y" when the text names the caption, else the parties
    the headline names ("Harbor Foods / Delta Freight"), else the main party."""
    for match in _VERSUS.finditer(f"{title}\n{text}"):
        left, right = match.group(1).strip(), match.group(2).strip()
        if left.lower() not in _STOP and right.lower() not in _STOP:
            return f"{left} v. {right}"
    runs = []
    for match in re.finditer(r"[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*)*", title):
        words = [w for w in match.group().split() if w.lower().rstrip(".") not in _STOP]
        key = words[0].lower().rstrip(".") if words else ""
        if words and key in doc.names:
            runs.append((doc.names[key], " ".join(words)))
    runs = sorted(runs, key=lambda r: -r[0])[:2]
    if len(runs) == 2:
        return f"{runs[0][1]} / {runs[1][1]}"
    if doc.names:
        top = max(doc.names, key=lambda k: doc.names[k])
        return runs[0][1] if runs else doc.display.get(top, top)
    return title[:60] or "Unfiled"
