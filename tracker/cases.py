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


def _paragraphs(text: str) -> list[str]:
    return [p for p in (line.strip() for line in text.splitlines()) if p]


def profile(title: str, text: str) -> Profile:
    """Weighted names and docket numbers of one document."""
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
    return Profile(names, dockets, display)


def merge(profiles: list[Profile]) -> Profile:
    names: dict[str, float] = {}
    display: dict[str, str] = {}
    dockets: set[str] = set()
    for p in profiles:
        for key, weight in p.names.items():
            names[key] = max(names.get(key, 0.0), weight)
        display.update({k: v for k, v in p.display.items() if k not in display})
        dockets |= p.dockets
    return Profile(names, frozenset(dockets), display)


def similarity(doc: Profile, case: Profile) -> tuple[float, list[str]]:
    """Overlap of weighted names (0..1) and the shared names, strongest first."""
    if doc.dockets & case.dockets:
        return 1.0, sorted(doc.dockets & case.dockets)
    shared = set(doc.names) & set(case.names)
    if not shared:
        return 0.0, []
    top_doc = sorted(doc.names.values(), reverse=True)[:12]
    top_case = sorted(case.names.values(), reverse=True)[:12]
    overlap = sum(min(doc.names[k], case.names[k]) for k in shared)
    score = overlap / max(1e-9, min(sum(top_doc), sum(top_case)))
    ranked = sorted(shared, key=lambda k: -min(doc.names[k], case.names[k]))
    return min(score, 1.0), [doc.display.get(k, k) for k in ranked]


def best_case(doc: Profile, cases: dict[int, Profile]) -> tuple[int | None, float, list[str]]:
    """The case this document belongs to, if the evidence is strong enough."""
    best: tuple[int | None, float, list[str]] = (None, 0.0, [])
    for case_id, case_profile in cases.items():
        score, shared = similarity(doc, case_profile)
        if score > best[1]:
            best = (case_id, score, shared)
    if best[1] < MATCH_THRESHOLD:
        return None, best[1], best[2]
    return best


def suggest_title(title: str, text: str, doc: Profile) -> str:
    """A readable case title: "X v. Y" when the text names the caption, else the main party."""
    for match in _VERSUS.finditer(f"{title}\n{text}"):
        left, right = match.group(1).strip(), match.group(2).strip()
        if left.lower() not in _STOP and right.lower() not in _STOP:
            return f"{left} v. {right}"
    if doc.names:
        top = max(doc.names, key=lambda k: doc.names[k])
        return doc.display.get(top, top)
    return title[:60] or "Unfiled"
