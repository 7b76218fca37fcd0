"""Sentence boundaries in news text, as character spans. Pure functions, no I/O.

A period ends a sentence unless it belongs to an abbreviation a reporter writes ("U.S.",
"Jan.", "Mr.", "No.", "Corp.", initials). Closing quotes and brackets stay with the
sentence they close; paragraph breaks always end a sentence.

A run longer than any sentence a person writes (a page flattened to one line without
stops, a table, a dump) is cut into pieces of at most `MAX_SENTENCE` characters, at a
semicolon or comma when there is one, else at a space: every step that works on a
sentence then costs what the text's length does, never its square.
"""

from __future__ import annotations

import functools
import re

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "capt",
    "st", "jr", "sr", "co", "corp", "inc", "ltd", "llc", "no", "nos", "vs", "v", "etc", "al",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "mon", "tue", "tues", "wed", "thu", "thurs", "fri", "sat", "sun",
    "u.s", "u.k", "u.n", "e.u", "d.c", "n.y", "calif", "del", "fla", "ill", "mass", "wash",
    "cal", "cir", "ct", "dist", "app", "supp", "sec", "art", "para", "fig", "approx", "est",
    "a.m", "p.m", "i.e", "e.g", "ph.d", "cf",
    # Legal citations: "slip op. at 12", "(Del. Super. Ct.)", "Fed. Cir.", "Civ. No.", "Stat.".
    "op", "super", "ch", "civ", "crim", "fed", "reg", "stat", "ann", "admin", "jud", "amend", "const", "bankr",
    "pet", "cert", "mem", "ord", "id", "ibid", "ex", "pp", "para", "sess", "cong", "ecf", "dkt", "doc", "tr",
    "n.d", "s.d", "e.d", "w.d", "m.d", "d.d.c", "f.supp",
}

# Candidate ends: terminal punctuation, then optional closing quotes/brackets, then space.
# A footnote mark after the stop (".[3] In October") belongs to the sentence it ends.
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?:\[\d{1,3}\])*(?=\s)")
_PARAGRAPH = re.compile(r"\n\s*\n|\n")


MAX_SENTENCE = 3000
# No abbreviation is longer: the word before a period is read back this far at most.
_WORD_MAX = 40


def _word_start(text: str, dot: int) -> int:
    """Where the word ending at `dot` starts (letters, digits and periods), or -1 when
    it is longer than any abbreviation."""
    start = dot
    limit = max(0, dot - _WORD_MAX)
    while start > limit and (text[start - 1].isalnum() or text[start - 1] == "."):
        start -= 1
    if start == limit and start > 0 and (text[start - 1].isalnum() or text[start - 1] == "."):
        return -1
    return start


# `_is_abbreviation`'s patterns, compiled once.
_DOTTED_LETTERS = re.compile(r"(?:[a-z]\.)+[a-z]")


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the period at `dot` belongs to the word before it."""
    if text[dot] != ".":
        return False
    start = _word_start(text, dot)
    if start < 0:
        return False
    word = text[start:dot].lower()
    if not word:
        return False
    if word in _ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isalpha():  # an initial: "Rudolph C. Contreras"
        return True
    if _DOTTED_LETTERS.fullmatch(word):  # "u.s", "d.c", "a.m"
        return True
    return False


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, whitespace trimmed, in order."""
    spans: list[tuple[int, int]] = []
    para_start = 0
    breaks = [m for m in _PARAGRAPH.finditer(text)]
    bounds = [(para_start, breaks[0].start())] if breaks else [(0, len(text))]
    for i, br in enumerate(breaks):
        end = breaks[i + 1].start() if i + 1 < len(breaks) else len(text)
        bounds.append((br.end(), end))
    for p_start, p_end in bounds:
        cursor = p_start
        for match in _END.finditer(text, p_start, p_end):
            dot = match.start()
            punct_end = dot
            while punct_end < match.end() and text[punct_end] in ".!?":
                punct_end += 1
            if punct_end - dot == 1 and _is_abbreviation(text, dot):
                word = text[_word_start(text, dot):dot].lower()
                # "U.S." or "Corp." can end a sentence; month and title abbreviations cannot.
                if word not in {"u.s", "u.k", "corp", "inc", "co", "ltd", "llc", "d.c", "jr", "sr", "etc"}:
                    continue
                if not _starts_new_sentence_after_abbreviation(text, match.end()):
                    continue
            _append(spans, text, cursor, match.end())
            cursor = match.end()
        _append(spans, text, cursor, p_end)
    return spans


_SENTENCE_OPENERS = re.compile(
    r"(?:The|A|An|It|Its|He|She|They|We|I|You|This|That|These|Those|There|In|On|At|But|And|"
    r"However|Meanwhile|Also|After|Before|When|While|If|As|Since|According|Under|For|With|"
    r"His|Her|Their|Our|No|Not|Some|Many|Most|Both|Each|Other|Such|So|Yet|Still|Last|Next|"
    r"Earlier|Later|Now|Then|Today|Yesterday)\b|[\"“‘(]"
)


def _starts_new_sentence_after_abbreviation(text: str, pos: int) -> bool:
    """After "U.S." or "Corp." a new sentence starts only with a word that opens sentences;
    "U.S. District Judge" and "U.S. President Trump" go on."""
    return bool(_SENTENCE_OPENERS.match(text, _SPACE.match(text, pos).end()))  # type: ignore[union-attr]


_SPACE = re.compile(r"\s*")
# Where an overlong run is cut: after a semicolon or comma (not one after a number:
# "March 3, 2021" stays whole), else after a space.
_CLAUSE_CUT = re.compile(r"(?<!\d)[;,]\s")
_SPACE_CUT = re.compile(r"\s")


def _append(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE:
        cut = _cut(text, start, start + MAX_SENTENCE)
        _append(spans, text, start, cut)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        spans.append((start, end))


def _cut(text: str, start: int, limit: int) -> int:
    """Where a run from `start` is cut at `limit` at the latest: after the last semicolon
    or comma in its second half, else after the last space there, else at `limit`."""
    half = start + (limit - start) // 2
    cut = -1
    for match in _CLAUSE_CUT.finditer(text, half, limit):
        cut = match.start() + 1
    if cut < 0:
        for match in _SPACE_CUT.finditer(text, half, limit):
            cut = match.start()
    return cut if cut > start else limit


_CLAUSE_BREAK = re.compile(r";|,\s+(?:and|but|while|whereas)\s+|\s+and\s+(?=[a-z]+ed\b)")


def clause_bounds(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The clause of `sentence` holding [start, end), as offsets into the sentence."""
    begin, finish = 0, len(sentence)
    for brk_start, brk_end in _clause_breaks(sentence):
        if brk_end <= start:
            begin = brk_end
        elif brk_start >= end:
            finish = brk_start
            break
    return begin, finish


# A sentence is asked for the clause of each date it holds by every test of the date
# (a dozen or more): its breaks are found once, in a bounded memo.
@functools.lru_cache(maxsize=512)
def _clause_breaks(sentence: str) -> tuple[tuple[int, int], ...]:
    return tuple(brk.span() for brk in _CLAUSE_BREAK.finditer(sentence))


_SEGMENT_BREAK = re.compile(r";|,\s+(?=[a-z])|\s+(?=(?:who|which|whom|whose|after|before|when|while|whereas|because)\b)")


# `segment_bounds`'s patterns, compiled once.
_THREE_LETTER_WORD = re.compile(r"[A-Za-z]{3,}")  # "the", "verdict": three letters or more


# A sentence is asked for the segment of each date it holds, and the writer asks again
# for the passages of a case's events with every story filed into it: a bounded memo.
@functools.lru_cache(maxsize=512)
def _segment_cuts(sentence: str) -> tuple[int, ...]:
    """Where `sentence`'s segments begin and end (its ends included), in order."""
    cuts = {0, len(sentence)}
    for match in _SEGMENT_BREAK.finditer(sentence):
        cuts.update(match.span())
    return tuple(sorted(cuts))


def segment_bounds(sentence: str, start: int, end: int, min_words: int = 4) -> tuple[int, int]:
    """The stretch of `sentence` around [start, end) between commas and subordinators,
    widened until it holds `min_words` words besides the phrase: what the phrase dates.

    "The verdict came on Dec. 11, 2023, after a trial ..., who issued his injunction
    last October": the first date goes with "the verdict came", the second with
    "issued his injunction".
    """
    cuts = _segment_cuts(sentence)
    begin = max((c for c in cuts if c <= start), default=0)
    finish = min((c for c in cuts if c >= end), default=len(sentence))

    def words() -> int:
        return len(_THREE_LETTER_WORD.findall(sentence[begin:start] + " " + sentence[end:finish]))

    while words() < min_words and (begin > 0 or finish < len(sentence)):
        later = [c for c in cuts if c > finish]
        earlier = [c for c in cuts if c < begin]
        if later:
            finish = later[0]
        elif earlier:
            begin = earlier[-1]
        else:
            break
    return begin, finish
