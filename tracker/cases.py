"""Filing a document into a case by what it is about. Pure functions, no I/O.

A reader files two stories together when they name the same parties: the names in the
headline and the lead weigh more than a name in passing, and words every legal story
uses ("court", "judge", "U.S.") weigh nothing. Docket numbers are decisive.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Iterator
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
    "read", "more", "comment", "comments", "share", "email", "the", "new", "york",
    "washington", "san", "francisco", "london", "street", "city",
}
# Patterns run over whole stories say first what every match starts with, a capital
# ("[A-Z](?<!\w[A-Z])" is "\b[A-Z]") or a lookahead ("(?=[\dD])"): the regex engine then
# passes the other positions at once instead of trying each alternative there (2-3x
# quicker over a story, the same matches).
_NAME = re.compile(r"[A-Z](?<!\w[A-Z])(?:[A-Za-z0-9&'’-]*[A-Za-z0-9]\b|[A-Z]+\b)")  # "Acme", "FTC"
_DOCKET = re.compile(r"(?=[\dD])(?:\b(?:\d:)?\d{2}-(?:cv|cr|md|mc|ap)-\d{3,5}\b|\bDocket\s+No\.\s*\d+\b|\b\d{2}-\d{4,5}\b)",
                     re.IGNORECASE)
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
    # The dispute: "p:<party>" for a plaintiff, "d:<party>" for a defendant (party_key).
    roles: frozenset[str] = frozenset()
    # The sum of the 12 heaviest name weights, when `names` holds only some of them (a
    # case's kept profile read for the names it shares with a story).
    top: float | None = None

    def top_weight(self) -> float:
        return self.top if self.top is not None else sum(sorted(self.names.values(), reverse=True)[:12])


def _paragraphs(text: str) -> list[str]:
    return [p for p in (line.strip() for line in text.splitlines()) if p]


_SENTENCE_START = re.compile(r"(?:^|[.!?][\"”’)]?\s+|\n\s*|[\"“(]\s*)$")
# How a byline or a photo credit starts; `_body_lines` also drops any line holding "|"
# ("Jo Roe | Reuters").
_BYLINE_START = re.compile(r"\s*(?:by|author|reporting\s+by|editing\s+by|write\s+to|file\s+photo|related|"
                           r"photo|image|source|contact)\b", re.IGNORECASE)
_DATELINE = re.compile(r"^\s*[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3}\b[^-–—\n]{0,60}?(?:-{1,2}|–|—)\s")
_EXTRA_STOP = {"gmt", "utc", "et", "bst", "cet", "pdt", "cst", "cdt", "am", "pm", "photo", "file", "reporting",
               "editing", "writing", "updated", "posted", "author", "beijing", "shanghai", "shenzhen", "hong", "kong"}


_LISTED = r"[A-Z][\w.&’'-]*(?:\s+[A-Z][\w.&’'-]*){0,3}"
# Names listed in passing: "joined Xiaomi, Luokung and others", "companies such as A, B and C".
_AFTER_LIST_WORD = (rf"\b(?:including|such\s+as|like|joined|among\s+them|along\s+with)\s+{_LISTED}(?:,\s+{_LISTED})*"
                    rf"(?:,?\s+and\s+(?:others|other\s+\w+|{_LISTED}))?")
_LISTED_RUN = rf"{_LISTED}(?:,\s+{_LISTED}){{1,}},?\s+and\s+(?:others|other\s+\w+|{_LISTED})"
_NAME_LIST = re.compile(  # the lookahead: what a match starts with (other positions are passed at once)
    rf"(?=[ijlsaA-Z])(?:{_AFTER_LIST_WORD}|{_LISTED_RUN})"
)
# Each half alone, for a part that can hold only it: the other half, tried at every
# capital, is most of the pattern's time.
_NAME_LIST_AFTER_WORD = re.compile(rf"(?=[ijlsa]){_AFTER_LIST_WORD}")
_NAME_LIST_RUN = re.compile(_LISTED_RUN)


# Every match of _NAME_LIST holds one of these words, or the end of a list (", C and").
_LIST_WORDS = ("including", "such", "like", "joined", "among", "along")
_LIST_END = re.compile(rf",\s+{_LISTED},?\s+and\s")


def _name_lists(part: str) -> list[tuple[int, int]]:
    """The spans of the lists of names in `part` (the pattern is run only over a part
    that can hold one, and only the half of it that can match there: it is slow to run)."""
    after_word = any(word in part for word in _LIST_WORDS)  # the first half's matches hold one
    run = _LIST_END.search(part) is not None  # every match of the second half holds one
    if not after_word and not run:
        return []
    pattern = _NAME_LIST if after_word and run else _NAME_LIST_AFTER_WORD if after_word else _NAME_LIST_RUN
    return [m.span() for m in pattern.finditer(part)]


def _name_key(word: str) -> str:
    """The key a capitalised word is counted by ("Acme’s" -> "acme")."""
    return word.lower().rstrip(".").replace("’", "'").removesuffix("'s")


def _body_lines(title: str, text: str) -> list[str]:
    """The story's paragraphs without its headline, bylines, footers and dateline."""
    lines = []
    for i, line in enumerate(_paragraphs(text)):
        if (i == 0 and line == title) or "|" in line or _BYLINE_START.match(line) or len(line.split()) < 4:
            continue
        lines.append(_DATELINE.sub("", line) if not lines else line)
    return lines


# A name going on after a word ("Meanwhile Acme Inc."): the word may start the name.
_NAME_GOES_ON = re.compile(r"\s+(?:[A-Z][a-z]+\s+)?(?:Inc|Corp|Co|Ltd|LLC|Group|[A-Z][a-z]+)\b")


def _name_mentions(text: str) -> tuple[list[tuple[int, str]], set[str], dict[str, str]]:
    """Every capitalised word of `text` (where, its key), in one pass; the keys of those
    seen inside a sentence (names: a word a sentence merely starts with is no name); and
    the display form of each key counted either way."""
    mentions: list[tuple[int, str]] = []
    inside: set[str] = set()
    display: dict[str, str] = {}
    keys: dict[str, str] = {}  # a story names its few names many times
    for match in _NAME.finditer(text):
        word, start = match.group(), match.start()
        key = keys.get(word)
        if key is None:
            key = keys[word] = _name_key(word)
        mentions.append((start, key))
        if key in inside:
            continue  # known for a name, its display form kept from then
        if word.isupper() and len(word) > 5:
            continue  # a shouted dateline city, not an acronym
        if key in _STOP or key in _EXTRA_STOP or len(key) < 3:
            continue
        at_start = start == 0 or _SENTENCE_START.search(text[max(0, start - 3):start])
        if not at_start or _NAME_GOES_ON.match(text[match.end():match.end() + 30]):
            inside.add(key)  # not "Meanwhile", "Embattled": a word a sentence starts with
        display.setdefault(key, word.removesuffix("'s").removesuffix("’s"))
    return mentions, inside, display


# One story is profiled several times while it is read, with other facts each time (by
# `analysis.analyse`; for its events' titles by `headlines`, without its headline): what
# does not depend on the facts is read once. Memos of the last few texts, not a growing cache.
@functools.lru_cache(maxsize=4)
def _body(title: str, text: str) -> tuple[str, str]:
    """The story's body (`_body_lines`) and its lead (the body's first two paragraphs)."""
    lines = _body_lines(title, text)
    return "\n".join(lines), "\n".join(lines[:2])


@functools.lru_cache(maxsize=4)  # see _body
def _names_used(title: str, text: str) -> tuple[Counter[str], dict[str, str], str]:
    """The names the story uses, by how much (before the dispute's parties weigh more),
    their display forms, and the body they were read from. The caller copies before
    changing them."""
    body, lead = _body(title, text)
    in_body, known, display = _name_mentions(body)
    counts: Counter[str] = Counter()
    # The body's names once: the lead's are those the body names in it (the lead is the
    # body's start, and no name runs across a line). Only names count.
    in_body = [(at, key) for at, key in in_body if key in known]
    in_lead = [(at, key) for at, key in in_body if at < len(lead)]
    in_title = [(at, key) for at, key in ((m.start(), _name_key(m.group())) for m in _NAME.finditer(title))
                if key in known]
    for weight, part, mentions in ((2.0, title, in_title), (1.0, lead, in_lead), (1.0, body, in_body)):
        if not mentions:
            continue
        lists = _name_lists(part)
        if not lists:  # most parts list no names
            for _, key in mentions:
                counts[key] += weight
            continue
        for at, key in mentions:
            in_list = any(a <= at < b for a, b in lists)
            counts[key] += weight * (0.25 if in_list else 1.0)
    for match in _agency_names(body):  # "the Pentagon", "Defense Department", "DoD": one party
        name = _strip_name(match.group())
        if _is_agency(name) and name.upper() not in {"US", "USA", "UK", "EU", "CEO"}:
            key = party_key(name)
            if key != "united states" and (key in known or " " in name or name.lower() in _KNOWN_AGENCIES):
                counts[key] += 1.0
                display.setdefault(key, name)
    return counts, display, body


@functools.lru_cache(maxsize=4)  # see _body
def _dockets(text: str) -> frozenset[str]:
    return frozenset(m.group().lower() for m in _DOCKET.finditer(text))


def profile(title: str, text: str, facts: list[Fact] | None = None) -> Profile:
    """Weighted party names, the dispute's roles and docket numbers of one document
    (`facts`: its extracted facts, when the caller has them already).

    A name counts when the body uses it inside a sentence: words capitalised only in a
    Title-Case headline or where a sentence starts, bylines, datelines and footers do
    not. Names in the headline and lead weigh more; the parties a role pattern names
    ("X sued Y", "X v. Y", "a lawsuit by X against Y") weigh most."""
    used, shown, body = _names_used(title, text)
    counts = used.copy()
    display = dict(shown)
    if facts is None:
        facts = extract_facts(title, text)
    plaintiffs, defendants = dispute(facts, {key: math.log1p(count) for key, count in counts.items()})
    for name in plaintiffs[:1] + defendants[:1]:
        for token in party_tokens(name):
            if token in counts:
                counts[token] += 4.0
    names = {key: math.log1p(count) for key, count in counts.items()}
    dockets = _dockets(text)
    judges = frozenset(judge_key(f.value) for f in facts if f.field == "judge")
    if plaintiffs and party_key(defendants[0]) == "united states" and party_key(plaintiffs[0]) != "united states":
        defendants = [_main_agency(body) or defendants[0], *defendants[1:]]
    roles = frozenset([f"p:{party_key(n)}" for n in plaintiffs[:1]] + [f"d:{party_key(n)}" for n in defendants[:1]])
    return Profile(names, dockets, {k: v for k, v in display.items() if k in names}, judges, roles=roles)


# -- parties ---------------------------------------------------------------------

_CORP_WORDS = {"inc", "corp", "corporation", "co", "company", "ltd", "limited", "llc", "plc", "llp", "lp", "gmbh",
               "ag", "sa", "nv", "group", "holdings", "holding", "global", "platforms", "technology",
               "technologies", "enterprise", "centre", "center", "labs", "international", "et", "al", "the"}
_AGENCY_HEAD = re.compile(r"\b(?:Commission|Department|Agency|Administration|Bureau|Board|Authority|Office|Service)$")
_GOVERNMENT = {"united states", "u.s", "us", "usa", "government", "u.s. government", "justice department",
               "department of justice", "doj"}
# Short forms of the U.S. government every reader knows; "the Pentagon" is the Department of Defense.
_KNOWN_AGENCIES = {"pentagon": "dod", "defense department": "dod", "justice department": "doj",
                   "commerce department": "doc", "treasury department": "treasury", "state department": "dos"}


_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"[’']s$")
_ET_AL = re.compile(r"\s+et\s+al\.?$")
_CORP_SUFFIX = re.compile(r",?\s+(?:Inc|Corp|Co|Ltd|LLC|PLC|LLP|GmbH|AG|SA|NV)\.?$")
_US_PREFIX = re.compile(r"^(?:U\.S\.|US|United States)\s+(?=[A-Z])")
_US_WORD = re.compile(r"^(?:U\.S\.|US|United States)\s+")
_ACRONYM = re.compile(r"[A-Z][A-Za-z]{1,5}")
_DEPARTMENT_LAST = re.compile(r"^([A-Z][a-z]+)\s+Department$")
_KEY_WORD = re.compile(r"[\w&.-]+")
_TOKEN = re.compile(r"[a-z0-9&'-]+")


# Names of parties are short and a story asks for the same few many times (every
# profile, dispute and title): a bounded memo of these pure string maps.
@functools.lru_cache(maxsize=2048)
def _strip_name(name: str) -> str:
    name = _ARTICLE.sub("", name.strip(" ,.;:'’"))
    name = _POSSESSIVE.sub("", name)
    name = _ET_AL.sub("", name)
    name = _CORP_SUFFIX.sub("", name)
    if _US_PREFIX.match(name):
        name = _US_WORD.sub("", name)
    return name.strip(" ,.")


@functools.lru_cache(maxsize=2048)  # see _strip_name
def party_key(name: str) -> str:
    """One key for the names a party goes by: "the Pentagon", "U.S. Department of
    Defense" and "DoD" are "dod"; "Federal Trade Commission" and "FTC" are "ftc";
    "Meta Platforms Inc." is "meta platforms"; the United States and the Justice
    Department are "united states"."""
    name = _strip_name(name)
    low = name.lower().rstrip(".")
    if low in _GOVERNMENT:
        return "united states"
    if low in _KNOWN_AGENCIES:
        return "united states" if _KNOWN_AGENCIES[low] == "doj" else _KNOWN_AGENCIES[low]
    reordered = _DEPARTMENT_LAST.match(name)
    if reordered:
        name = f"Department of {reordered.group(1)}"
    if _AGENCY_HEAD.search(name) or name.startswith("Department of"):
        short = "".join(w[0] if w[0].isupper() or w == "of" else "" for w in name.split() if w not in {"and", "the"})
        return "united states" if short.lower() == "doj" else short.lower()
    if _ACRONYM.fullmatch(name) and sum(c.isupper() for c in name) >= 2:
        return "united states" if name.lower() == "doj" else name.lower()
    words = [w for w in _KEY_WORD.findall(low) if w.strip(".") not in _CORP_WORDS]
    return " ".join(words) or low


def party_tokens(name: str) -> list[str]:
    """The words of a party's name that filing counts ("Acme Robotics Inc." -> acme, robotics)."""
    return list(_party_tokens(name))


@functools.lru_cache(maxsize=2048)  # see _strip_name
def _party_tokens(name: str) -> tuple[str, ...]:
    return tuple(w for w in _TOKEN.findall(_strip_name(name).lower()) if w not in _CORP_WORDS and len(w) > 2)


def same_party(a: str, b: str) -> bool:
    """Party keys of one party: equal, or sharing a distinctive word ("new york times"
    and "times"; "sz dji" and "dji"; "kalshiex" and "kalshi")."""
    if a == b:
        return True
    wa = {w for w in a.split() if len(w) > 2}
    wb = {w for w in b.split() if len(w) > 2}
    return any(x == y or (min(len(x), len(y)) >= 4 and (x.startswith(y) or y.startswith(x))) for x in wa for y in wb)


def _party_weight(name: str, weights: Counter[str] | dict[str, float]) -> float:
    key = party_key(name)
    found = [weights.get(t, 0.0) for t in party_tokens(name)[:3]] + [weights.get(key, 0.0)]
    return max(found, default=0.0)


def dispute(facts: list[Fact], weights: Counter[str] | dict[str, float]) -> tuple[list[str], list[str]]:
    """Plaintiffs and defendants the story states ("X v. Y", "X sued Y"), its own
    dispute first: both parties must be among the names the story is most about (the
    United States excepted, whose names weigh nothing), so a case named in passing
    does not count."""
    top = max(weights.values(), default=0.0)
    leaders = set(sorted(weights, key=lambda k: -weights[k])[:2])
    by_plaintiff: dict[str, list[tuple[str, str, int]]] = {}
    for i, fact in enumerate(f for f in facts if f.field == "parties"):
        a, _, b = fact.value.partition(" v. ")
        if not a or not b or party_key(a) == party_key(b):
            continue
        wa, wb = _party_weight(a, weights), _party_weight(b, weights)
        if (wb < 0.3 * top and party_key(b) != "united states") or (wa < 0.3 * top and party_key(a) != "united states"):
            continue
        if not leaders & {*party_tokens(a)[:3], *party_tokens(b)[:3], party_key(a), party_key(b)}:
            continue  # neither party is what the story is most about: a case named in passing
        by_plaintiff.setdefault(party_key(a), []).append((a, b, i))
    ranked = sorted(by_plaintiff.values(), key=lambda v: (-len(v), -_party_weight(v[0][0], weights), v[0][2]))
    plaintiffs, defendants = [], []
    for pairs in ranked:
        plaintiffs.append(max((p[0] for p in pairs), key=len))
        defendants.append(pairs[0][1])
    return plaintiffs, defendants


def merge(profiles: list[Profile]) -> Profile:
    names: dict[str, float] = {}
    display: dict[str, str] = {}
    dockets: set[str] = set()
    judges: set[str] = set()
    roles: set[str] = set()
    for p in profiles:
        judges |= p.judges
        roles |= p.roles
        for key, weight in p.names.items():
            names[key] = max(names.get(key, 0.0), weight)
        display.update({k: v for k, v in p.display.items() if k not in display})
        dockets |= p.dockets
    return Profile(names, frozenset(dockets), display, frozenset(judges), roles=frozenset(roles))


def other_dispute(doc: Profile, case: Profile) -> bool:
    """The story's plaintiff sues the case's defendant, but the case is another
    plaintiff's: two lawsuits against the same agency are two cases. Likewise one
    plaintiff suing two defendants (an agency suing two companies) brings two cases."""
    mine = [r[2:] for r in doc.roles if r.startswith("p:")]
    mine_sued = [r[2:] for r in doc.roles if r.startswith("d:")]
    theirs = [r[2:] for r in case.roles if r.startswith("p:")]
    defendants = [r[2:] for r in case.roles if r.startswith("d:")]
    if not theirs:
        return False
    if mine_sued and defendants and "united states" not in mine_sued + defendants:
        parties = theirs + defendants
        if (not any(same_party(a, b) for a in mine_sued for b in parties)
                and not any(_named_prominently(d, case) for d in mine_sued)):
            return True  # the story's defendant is neither side of the case, nor a name the case is about
    if defendants and not mine and "united states" not in defendants:
        weights = _party_weights(doc)
        top = max(doc.names.values(), default=0.0)
        # In passing: under a third of the story's strongest name, or named once in its
        # body only (not in the headline or the lead).
        floor = max(0.3 * top, _ONCE + 1e-6)
        if not any(weights.get(d, 0.0) >= floor or any(same_party(d, k) and w >= floor
                                                        for k, w in weights.items()) for d in defendants):
            return True  # the case's defendant is only named in passing here
    if not mine:
        # A story that states no dispute is about the party it names most: when that is
        # neither side of the case, it is another dispute's story.
        main = main_party(doc)
        return bool(main) and not any(same_party(main, b) for b in theirs + defendants)
    return not any(same_party(a, b) for a in mine for b in theirs + defendants)


# The weight of a name the story uses once, in its body only.
_ONCE = math.log1p(1.0)


def _named_prominently(party: str, case: Profile) -> bool:
    """The case's stories name `party` among their main names (half the strongest, at
    least): "Facebook" in a case against Meta, but not a company named in passing."""
    weights = _party_weights(case)
    top = max(case.names.values(), default=0.0)
    return any(w >= 0.5 * top and (k == party or same_party(party, k)) for k, w in weights.items())


def _party_weights(doc: Profile) -> dict[str, float]:
    weights: dict[str, float] = {}
    for key, weight in doc.names.items():
        for k in {key, party_key(doc.display.get(key, key))}:
            weights[k] = max(weights.get(k, 0.0), weight)
    return weights


def main_party(doc: Profile) -> str | None:
    """The party a story names most, as a party key; None when no name stands out."""
    ranked = sorted((k for k in doc.names if k not in doc.judges), key=lambda k: -doc.names[k])
    if not ranked:
        return None
    if len(ranked) > 1 and doc.names[ranked[1]] > 0.9 * doc.names[ranked[0]]:
        return None  # two names alike: no one party stands out
    return party_key(doc.display.get(ranked[0], ranked[0]))


def same_dispute(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> bool:
    """Two sets of roles ("p:...", "d:...") name one plaintiff and one defendant alike."""
    def side(roles: frozenset[str] | set[str], mark: str) -> list[str]:
        return [r[2:] for r in roles if r.startswith(mark)]
    return (any(same_party(x, y) for x in side(a, "p:") for y in side(b, "p:"))
            and any(same_party(x, y) for x in side(a, "d:") for y in side(b, "d:")))


def duplicates(case_id: int, marks: dict[int, tuple[set[str], set[str]]]) -> list[int]:
    """Other cases that look like the same dispute as `case_id` (same plaintiff and
    defendant) and have no docket number telling them apart: a merge to offer."""
    if case_id not in marks:
        return []
    roles, dockets = marks[case_id]
    return [other for other, (their_roles, their_dockets) in sorted(marks.items())
            if other != case_id and same_dispute(roles, their_roles)
            and not (dockets and their_dockets and not dockets & their_dockets)]


def similarity(doc: Profile, case: Profile) -> tuple[float, list[str]]:
    """Overlap of weighted names (0..1) and the shared names, strongest first."""
    if doc.dockets & case.dockets:
        return 1.0, sorted(doc.dockets & case.dockets)
    if other_dispute(doc, case):
        return 0.0, []
    # In name order, not a set's: a set's order changes from one process to the next
    # (string hashing), and with it the last bit of the sum and the order of equal names.
    shared = sorted(set(doc.names) & set(case.names))
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
            runner_up = ranked[1][1]
            if not same_dispute(cases[case_id].roles, cases[runner_up].roles):
                return Filing(None, True, f"could belong to two cases (scores {score:.2f} and {ranked[1][0][0]:.2f})")
            # one dispute in two cases: the better one takes the story; the merge is offered
            return Filing(case_id, False, f"shares {', '.join(shared[:5])} (score {score:.2f}; case {runner_up} "
                                          f"looks like the same dispute, {ranked[1][0][0]:.2f})")
        return Filing(case_id, False, f"shares {', '.join(shared[:5])} (score {score:.2f})")
    strongest = max(doc.names.values(), default=0.0)
    if strongest < WEAK_NAME and not has_caption and not doc.dockets:
        return Filing(None, True, "names no party prominently enough to start a case")
    names = sorted(doc.names, key=lambda k: -doc.names[k])[:5]
    return Filing(None, False, "new case: names " + ", ".join(doc.display.get(k, k) for k in names))


# `suggest_title`'s patterns, compiled once.
_CAPITALISED_WORDS = re.compile(r"[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*)*")  # "Harbor Foods", "Delta Freight"


def suggest_title(title: str, text: str, doc: Profile) -> str:
    """A readable case title: "X v. Y" when the text names the caption, else the parties
    the headline names ("Harbor Foods / Delta Freight"), else the main party."""
    for match in _VERSUS.finditer(f"{title}\n{text}"):
        left, right = match.group(1).strip(), match.group(2).strip()
        if left.lower() not in _STOP and right.lower() not in _STOP:
            return f"{left} v. {right}"
    runs = []
    for match in _CAPITALISED_WORDS.finditer(title):
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


# -- case titles -------------------------------------------------------------------

@functools.lru_cache(maxsize=2048)  # see _strip_name
def _is_agency(name: str) -> bool:
    """A government body by its name ("... Commission", "Department of ...", "the
    Pentagon") or a short form of one ("FTC", "DoD")."""
    name = _strip_name(name)
    acronym = bool(_ACRONYM.fullmatch(name)) and sum(c.isupper() for c in name) >= 2
    return bool(_AGENCY_HEAD.search(name) or name.startswith("Department of") or acronym
                or name.lower() in _KNOWN_AGENCIES)


def _standalone(form: str, full: str, text: str) -> int:
    """How often `text` names `form` on its own, not as the start of `full`."""
    rest = full[len(form):].split()
    follow = rf"(?!\s+{re.escape(rest[0])})" if rest and full.startswith(form) else ""
    return len(re.findall(rf"(?<![\w.]){re.escape(form)}(?![\w]){follow}", text))


# `short_name`'s patterns, compiled once.
_AND_OR_AMPERSAND = re.compile(r"\s+(?:and|&)\s+")  # " and ", " & "
_ONE_OR_TWO_CAPITALS = re.compile(r"[A-Z]{1,2}")  # "SZ", "US"
_CAPITALISED_WORD = re.compile(r"[A-Z][a-z’'-]+")  # "Elon", "Musk"


def short_name(name: str, text: str) -> str:
    """The name a reporter puts in a caption: "FTC" for the Federal Trade Commission
    when the story uses the short form, "United States" for the government, "Meta"
    for Meta Platforms Inc. when the story calls it "Meta", "Musk" for Elon Musk."""
    parts = [p for p in _AND_OR_AMPERSAND.split(name) if p.strip()]
    if len(parts) > 1 and not _is_agency(name):  # "Securities and Exchange Commission" is one party
        return " and ".join(short_name(p, text) for p in parts[:2])
    name = _strip_name(name)
    key = party_key(name)
    if key == "united states":
        return "United States"
    if not _is_agency(name):
        name = _full_name(name, text)
    if _is_agency(name) and name.startswith("Department of"):
        return name  # "Department of Defense": reporters spell departments out
    if _is_agency(name):
        acronym = re.search(rf"\b{re.escape(key)}\b", text, re.IGNORECASE) if len(key) >= 2 and " " not in key else None
        if acronym and sum(c.isupper() for c in acronym.group()) >= 2:
            return acronym.group()
        return name
    words = name.split()
    while len(words) > 1 and words[-1].lower().rstrip(".,") in _CORP_WORDS | {"network"}:
        words.pop()
    if len(words) > 1 and _ONE_OR_TWO_CAPITALS.fullmatch(words[0]):
        words = words[1:]  # "SZ DJI", "US Dominion": a place tag before the name
    full = " ".join(words)
    for k in range(1, len(words) if len(words) > 2 else 0):
        prefix = " ".join(words[:k])
        if words[k - 1].lower() in _STOP or len(prefix) < 3:
            continue
        if _standalone(prefix, full, text) >= 2:
            return prefix
    if (len(words) == 2 and all(_CAPITALISED_WORD.fullmatch(w) for w in words)
            and len(re.findall(rf"(?<!{re.escape(words[0])} )\b{re.escape(words[1])}\b", text)) >= 2):
        return words[1]  # a person by surname: "Elon Musk" -> "Musk"
    return full


# `_full_name`'s patterns, compiled once.
_FULL_STOP_AFTER_LOWERCASE = re.compile(r"[a-z]\.\s")  # "ruled. Musk"
_LEADING_FUNCTION_WORD = re.compile(r"(?:The|A|An|In|On|At|But|And|U\.S\.|US)\s")  # "The ", "In ", "U.S. "
# A character of a name: [\w&.’'-]. Written so, a class of "’" and two or more other
# characters makes the regex compiler tabulate the whole Basic Multilingual Plane (0.4 ms
# a compile); "’" as its own branch, which the compiler does not fold into the class,
# keeps the pattern built for each name quick to compile (0.16 ms) with the same matches.
_NAME_CHARACTER = r"(?:[\w&.'-]|(?=’).)"


def _full_name(name: str, text: str) -> str:
    """"the Times" -> "The New York Times", "Musk" -> "Elon Musk": the longest name in the
    story that ends with or starts with this one-word name."""
    if " " in name.strip() or not name[:1].isupper():
        return name
    longer = Counter(m.group(1) for m in re.finditer(
        rf"\b((?:[A-Z]{_NAME_CHARACTER}*\s+){{1,3}}{re.escape(name)}|{re.escape(name)}(?:\s+[A-Z]{_NAME_CHARACTER}*){{1,3}})\b",
        text))
    candidates = [n for n in longer if not _FULL_STOP_AFTER_LOWERCASE.search(n) and not _LEADING_FUNCTION_WORD.match(n)
                  or n.startswith("The ") and n.count(" ") >= 2]
    if not candidates:
        return name
    return _strip_name(max(candidates, key=lambda n: (longer[n], len(n))))


def case_title(title: str, text: str, facts: list[Fact], doc: Profile) -> str | None:
    """A caption for a new case: "plaintiff v. defendant" in the short names reporters
    use, from the dispute the story is about (not a case it names in passing); None
    when the story states no parties."""
    plaintiffs, defendants = dispute(facts, doc.names)
    if not plaintiffs:
        return None
    body, _ = _body(title, text)
    defendant = defendants[0]
    if party_key(defendant) == "united states" and party_key(plaintiffs[0]) != "united states":
        defendant = _main_agency(body) or "United States"  # "sued the U.S. government": the agency it names
    return f"{short_name(plaintiffs[0], body)} v. {short_name(defendant, body)}"


# The agency names' alternatives, each with the words every match of it holds (None: an
# acronym, "DoD", "FTC"), in the order they are tried.
_AGENCY_PARTS = (
    (("Department",), r"(?:U\.S\.\s+)?Department\s+of\s+[A-Z][a-z]+(?:\s+Security)?|[A-Z][a-z]+\s+Department"),
    (("Commission", "Agency", "Administration", "Bureau"),
     r"(?:[A-Z][a-z]+\s+(?:(?:and|of|for|on)\s+)?){1,4}(?:Commission|Agency|Administration|Bureau)"),
    (("Pentagon",), r"Pentagon"),
    (None, r"[A-Z][a-z]?[A-Z]{1,4}"),
)


@functools.lru_cache(maxsize=8)
def _agency_pattern(held: tuple[bool, ...]) -> re.Pattern[str]:
    """The agency names' pattern with the alternatives whose words a text holds (`held`,
    one flag for each of _AGENCY_PARTS): one whose words the text lacks cannot match
    there, and the one of up to four capitalised words before "Commission" is tried at
    every capital."""
    parts = [part for (_, part), kept in zip(_AGENCY_PARTS, held, strict=True) if kept]
    return re.compile(rf"(?=[A-Z])\b(?:{'|'.join(parts)})\b")


_AGENCY_NAME = _agency_pattern((True,) * len(_AGENCY_PARTS))


def _agency_names(text: str) -> Iterator[re.Match[str]]:
    """`_AGENCY_NAME.finditer(text)`."""
    held = tuple(words is None or any(word in text for word in words) for words, _ in _AGENCY_PARTS)
    return _agency_pattern(held).finditer(text)


def _main_agency(text: str) -> str | None:
    """The government agency a story names most (two mentions at least), by its
    fullest name: the defendant when a story says only "the government"."""
    counts: Counter[str] = Counter()
    longest: dict[str, str] = {}
    found = [match.group() for match in _agency_names(text)]
    spelled = {party_key(_strip_name(name)) for name in found if " " in name}
    for name in map(_strip_name, found):
        if not _is_agency(name) or name.upper() in {"US", "USA", "UK", "EU", "CEO"}:
            continue
        key = party_key(name)
        if " " not in name and key not in spelled and name.lower() not in _KNOWN_AGENCIES:
            continue  # an acronym the story never spells out as an agency ("XRP") is no agency
        if key == "united states":
            continue
        counts[key] += 1
        known = longest.get(key, "")
        # its fullest spelled-out name, "Department of X" before "X Department"
        if " " in name and not known.startswith("Department of") and (
                name.startswith("Department of") or len(name) > len(known)):
            longest[key] = name
    if not counts:
        return None
    key, n = counts.most_common(1)[0]
    return longest.get(key, key.upper()) if n >= 2 else None


_TOPIC_STOP = _STOP | {
    "court", "judge", "case", "cases", "lawsuit", "suit", "trial", "ruling", "rulings", "order", "motion", "claims",
    "claim", "complaint", "appeal", "appeals", "law", "filed", "filing", "statement", "decision", "judgment",
    "would", "could", "should", "which", "who", "year", "years", "month", "months", "million", "billion", "percent",
    "company", "companies", "against", "about", "over", "into", "than", "them", "been", "were", "said", "says",
    "not", "had", "has", "have", "was", "are", "its", "their", "his", "her", "any", "all", "other", "more",
    "most", "some", "such", "only", "also", "new", "first", "last", "next", "week", "day", "days", "two", "three",
    "antitrust", "lawyers", "lawyer", "attorney", "attorneys", "argued", "told", "wrote", "asked", "ruled",
    "federal", "district", "states", "agency", "commission", "department", "government", "evidence", "hearing",
    # prepositions and conjunctions: a topic is a thing ("ad tech"), not "without jury"
    "without", "within", "through", "between", "during", "across", "until", "upon", "toward", "towards", "via",
    "onto", "among", "despite", "except", "beyond", "behind", "above", "below", "because", "whether", "where",
}


# `topic`'s patterns, compiled once.
_LOWERCASE_WORD = re.compile(r"\b[a-z][a-z-]+\b")  # "ad", "tech", "follow-on"
_ED_ENDING = re.compile(r"[^e]ed$")  # "monopolized", not "speed"


def topic(text: str, other: str = "") -> str | None:
    """What a story is about that the case it could be confused with is not, for telling
    two cases with one caption apart ("United States v. Google (ad tech)"): its most
    repeated lower-case word pair that `other` (the other case's stories) never uses,
    else such a word."""
    def grams(t: str) -> tuple[Counter[str], Counter[str]]:
        words = _LOWERCASE_WORD.findall(t)
        # a noun phrase, not a verb in the past ("illegally monopolized"; "speed" is a noun)
        pairs = Counter(f"{a} {b}" for a, b in zip(words, words[1:], strict=False)
                        if a not in _TOPIC_STOP and b not in _TOPIC_STOP and len(b) > 2
                        and not (len(b) > 4 and _ED_ENDING.search(b)))
        return pairs, Counter(w for w in words if w not in _TOPIC_STOP and len(w) > 3 and not w.endswith("ed"))
    pairs, singles = grams(text)
    other_pairs, other_singles = grams(other)
    best = [(n, p) for p, n in pairs.items() if n >= 2 and not other_pairs[p]]
    if best:
        return max(best)[1]
    best = [(n, w) for w, n in singles.items() if n >= 3 and not other_singles[w]]
    return max(best)[1] if best else None
