"""Event titles written as a reporter writes headlines. Pure functions, no I/O.

The title of an event is the clause that carries its date, told the way a headline
tells it: who did what to whom ("Judge Davis denies Fox's motion to dismiss"), with the
date phrase, the dateline, leading connectives and adverbials ("However,", "With this,",
"According to a filing,", "In a statement,") taken out; a leading pronoun replaced by
the party the sentence before names; the main verb in the headline's present tense
("sued" -> "sues", "has asked" -> "asks", "was filed" -> "filed"); cut to at most
`TITLE_MAX` characters at a phrase boundary, never with "…" (widgets truncate). The
text's own characters are kept, curly quotes and apostrophes included.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from tracker.facts import FOLDS_APART
from tracker.sentences import clause_bounds

TITLE_MAX = 80

# A dateline before the story's first words: "WASHINGTON, May 8 (Capitol Wire) -",
# "SAN FRANCISCO (Reuters) --", "LONDON -". The date in it is removed before we see it.
_DATELINE = re.compile(
    r"^\s*[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3}(?:,[^()\-–—]{0,40})?\s*(?:\([^)]{0,40}\))?\s*,?\s*"
    r"(?:-{1,2}|–|—)\s+"
)
_CONNECTIVE = re.compile(
    r"^(?:however|meanwhile|moreover|furthermore|instead|also|but|and|so|yet|still|then|since\s+then|"
    r"in\s+addition|in\s+turn|with\s+this|at\s+the\s+same\s+time|in\s+case\s+you\s+missed\s+it|"
    r"as\s+a\s+result|by\s+then|by\s+contrast|in\s+between|separately|later|earlier|previously|"
    r"first|finally|now|again)\b\s*,?\s*",
    re.IGNORECASE,
)
# A leading adverbial up to its comma: "According to a court filing,", "In a statement,",
# "Under the court's rules,", "On the same day,". Only when a clause follows the comma.
_ADVERBIAL = re.compile(
    r"^(?:according\s+to|in|on|at|under|after|before|with|for|during|following|as|by|between|within|"
    r"from|until|through|over|despite|amid|unlike|like|since|when|while|once)\b[^,]{0,80},\s+",
    re.IGNORECASE,
)
_PRONOUN = re.compile(r"^(?:its|his|her|their|it|he|she|they|the\s+company|the\s+judge|the\s+newspaper|the\s+network|the\s+exchange|"
                      r"the\s+startup|the\s+firm)\b",
                      re.IGNORECASE)
# Where a headline may stop: before a subordinate or participial clause, or a comma.
_BOUNDARY = re.compile(
    r",\s+|;\s+|\s+[-–—]+\s+|\s+(?=(?:after|because|although|though|while|whereas|which|who|whom|whose|saying|"
    r"arguing|accusing|alleging|claiming|citing|noting|adding|writing|telling|calling|ending|giving|raising|"
    r"leaving|making|setting|sending|pointing|as\s+part|so\s+that|in\s+a\s+(?:move|bid|decision|ruling|"
    r"filing|statement|complaint|lawsuit|case|sign)|on\s+the\s+grounds|until|unless|when|before|than|"
    r"including|where|even)\b)"
)
_SOFT = re.compile(r"\s+(?=(?:in|on|at|for|over|to|from|by|under|against|into|of|and|about|between|through|that)\b)")
# Words a title does not end on: "sued in", "filed by the".
_DANGLING_WORDS = ("the", "a", "an", "of", "to", "in", "on", "at", "for", "by", "with", "and", "or", "its", "their",
                   "his", "her", "that", "from", "into", "as", "than", "is", "was", "were", "be", "has", "had", "have",
                   "not", "but", "over", "under", "against", "about", "this", "these", "those", "our", "your", "my")
_DANGLING = re.compile(rf"(?:\s+(?:{'|'.join(_DANGLING_WORDS)}))+$", re.IGNORECASE)

# Past -> headline present for the verbs of legal and business news; the rest by rule.
_IRREGULAR = {
    "sued": "sues", "filed": "files", "ruled": "rules", "found": "finds", "won": "wins", "lost": "loses",
    "brought": "brings", "upheld": "upholds", "held": "holds", "threw": "throws", "took": "takes",
    "gave": "gives", "made": "makes", "said": "says", "told": "tells", "struck": "strikes", "set": "sets",
    "put": "puts", "sent": "sends", "began": "begins", "ran": "runs", "came": "comes", "went": "goes",
    "paid": "pays", "sold": "sells", "bought": "buys", "left": "leaves", "met": "meets", "heard": "hears",
    "wrote": "writes", "kept": "keeps", "let": "lets", "cut": "cuts", "shut": "shuts",
    "saw": "sees", "rose": "rises", "fell": "falls", "spent": "spends", "chose": "chooses",
    "forbade": "forbids", "withdrew": "withdraws", "overturned": "overturns", "hit": "hits", "quit": "quits",
    "became": "becomes", "stood": "stands", "sought": "seeks", "got": "gets", "agreed": "agrees",
    "freed": "frees", "issued": "issues", "argued": "argues", "closed": "closes", "approved": "approves",
    "moved": "moves", "refused": "refuses", "released": "releases", "declined": "declines",
    "continued": "continues", "reversed": "reverses", "settled": "settles", "announced": "announces",
    "scheduled": "schedules", "vacated": "vacates", "denied": "denies", "replied": "replies",
    "opposed": "opposes", "revised": "revises", "dismissed": "dismisses", "pushed": "pushes",
    "raised": "raises", "relisted": "relists", "removed": "removes", "received": "receives",
    "entered": "enters", "ordered": "orders", "granted": "grants", "blocked": "blocks", "asked": "asks",
    "appealed": "appeals", "added": "adds", "allowed": "allows", "rejected": "rejects", "completed": "completes",
    "dropped": "drops", "stopped": "stops", "submitted": "submits", "committed": "commits",
    "permitted": "permits", "admitted": "admits", "planned": "plans", "barred": "bars",
    "certified": "certifies", "designated": "designates", "placed": "places", "ceased": "ceases",
    "closed down": "closes down", "unsealed": "unseals", "published": "publishes", "acknowledged": "acknowledges",
    "used": "uses", "refiled": "refiles", "amended": "amends", "named": "names", "lifted": "lifts",
    "imposed": "imposes", "fined": "fines", "charged": "charges", "changed": "changes", "renamed": "renames",
    "stayed": "stays", "delayed": "delays", "paused": "pauses", "reached": "reaches", "launched": "launches",
    "opened": "opens", "ended": "ends", "started": "starts", "finished": "finishes", "testified": "testifies",
    "enjoined": "enjoins", "sided": "sides", "affirmed": "affirms", "upheld": "upholds",
    "applied": "applies", "complied": "complies", "relied": "relies", "required": "requires",
}
_PASSIVE = re.compile(r"^(?P<subj>.{2,60}?)\s+(?:was|were)\s+(?=[a-z]+(?:ed|en|wn|ught|eld|ade|aid|ost|ound|ent|et)\b)")


# `headline`'s patterns, compiled once.
_STARTS_MID_SENTENCE = re.compile(r"^\s*(?:[,;:]|and\b|or\b|but\b|[a-z])")  # ", and Zhao on June 5", "which was"
_SENTENCE_BREAK_AFTER_WORD = re.compile(r"(?<=[a-z]{3}[.!?])\s+(?=[A-Z“\"])")  # "ruled. The", not after "Dec."
_AND_BEFORE_PAST_VERB = re.compile(r"\s+and\s+(?=(?:was\s+|were\s+)?[a-z]+(?:ed|en)\b)")  # " and sued", " and was relisted"
_TWO_LETTER_WORD = re.compile(r"[A-Za-z]{2,}")  # "of", "Kalshi": two letters or more
_ED_WORD = re.compile(r"[a-z]+ed")  # "sued", "relisted"
# ", local time", " (noon) ET", " EDT"
_LEADING_TIME_ZONE = re.compile(r"^(\s*,)?\s*(?:\([^)]{0,30}\)\s*)?(?:local\s+time|EST|EDT|PST|PDT|GMT|UTC|ET)\b")
_ENDS_WITH_THAT = re.compile(r"\bthat\s*$")  # "is pleased to see that"
_THREE_LOWERCASE_LETTERS = re.compile(r"[a-z]{3,}")  # "the", "court": three letters or more
_LEADING_WHEN = re.compile(r"^\s*,?\s*when\s+(?=\S)")  # ", when Kalshi certified"


def _holds(text: str, words: tuple[str, ...]) -> bool:
    """Whether `text` holds one of `words` (see `_GATES`)."""
    for word in words:
        if word in text:
            return True
    return False


def _sub(pattern: re.Pattern[str], repl: Any, text: str, count: int = 0) -> str:
    """`pattern.sub`, run only over a text that holds one of the words of `_GATES`."""
    return pattern.sub(repl, text, count=count) if _holds(text, _GATES[pattern]) else text


def headline(sentence: str, rel_start: int, rel_end: int, story: str = "", at: int = 0) -> str:
    """The title of the event dated by sentence[rel_start:rel_end]; `story` is the whole
    text and `at` the sentence's offset in it (for a leading pronoun, the judge a story
    names, the short forms it uses). "" when the clause names nothing."""
    if rel_start < 0 or rel_end > len(sentence):
        return ""  # a date phrase running past its sentence ("March\n1") dates nothing we can name
    if story and at and _STARTS_MID_SENTENCE.match(sentence):
        # a sentence cut short before (", and Zhao on June 5, ..."): read it from where it starts
        ends = [m.end() for m in _SENTENCE_BREAK_AFTER_WORD.finditer(story[:at])]
        begin_at = ends[-1] if ends else 0
        if 0 < at - begin_at <= 400:
            prefix = story[begin_at:at]
            return headline(prefix + sentence, rel_start + len(prefix), rel_end + len(prefix), story, begin_at)
    deadline = _deadline(sentence[:rel_start], sentence[rel_end:], story)
    if deadline:
        return tidy(deadline, story[max(0, at - 300):at], story)
    relative = _RELATIVE.match(sentence) if _holds(sentence, _GATES[_RELATIVE]) else None
    if relative and relative.start("rel") <= rel_start and rel_end <= relative.end("rel"):
        # "Hesai, which sued in May, has said ...": the date is the relative clause's event
        bounds = [relative.start("rel")]
        for cut in _AND_BEFORE_PAST_VERB.finditer(sentence[:relative.end("rel")]):
            if cut.start() > bounds[0]:
                bounds += [cut.start(), cut.end()]
        bounds.append(relative.end("rel"))
        pieces = list(zip(bounds[::2], bounds[1::2], strict=False))
        # "which was added to the list in 2024 and sued in May": the part with the date
        start, end = next(((ps, pe) for ps, pe in pieces if ps <= rel_start < pe), pieces[-1])
        part = _drop_date_preposition(sentence[start:rel_start]) + " " + sentence[rel_end:end]
        return tidy(f"{relative['subject']} {part}", story[max(0, at - 300):at], story)
    begin, finish = clause_bounds(sentence, rel_start, rel_end)
    head = _drop_date_preposition(sentence[begin:rel_start])
    words = [w for w in _TWO_LETTER_WORD.findall(head) if w.lower() not in {"and", "or", "but"}]
    first = sentence[begin:rel_start].split()[:1]
    if begin and (len(words) < 2 or (first and (first[0] in _IRREGULAR or _ED_WORD.fullmatch(first[0])))):
        # "sued Binance, its affiliates, and Zhao on June 5": a list, not a new clause;
        # "took Hesai off the list and relisted it in May": the verb needs its subject
        begin = 0
        head = _drop_date_preposition(sentence[begin:rel_start])
    tail = _LEADING_TIME_ZONE.sub(r"\1", sentence[rel_end:finish])
    if _holds(head, _GATES[_ENDS_WITH_THAT]) and _ENDS_WITH_THAT.search(head) and \
            len(_THREE_LOWERCASE_LETTERS.findall(tail)) >= 3:
        head = ""  # "X is pleased to see that on March 12 the court enjoined ...": the event follows
    when = _LEADING_WHEN.match(tail)
    if when and len(_THREE_LOWERCASE_LETTERS.findall(tail[when.end():])) >= 2 and len(head.split()) < 6:
        head, tail = "", tail[when.end():]  # "The fight dates to 2023, when Kalshi certified ...": that is the event
    text = f"{head.strip()} {tail.strip()}" if head.strip() else tail.strip()
    return tidy(text, story[max(0, at - 300):at], story)


_UNTIL = r"(?:until|till|through)\s+(?:(?:the\s+)?(?:end|start|middle)\s+of\s+)?$"
# "The judge gave X until May 2 to file ...", "X has (10 days,) until May 2 to ...": a deadline.
_GIVEN_UNTIL = re.compile(rf"\b(?:gave|gives|give|granted|grants|grant|allowed|allows)\s+(?P<who>[^,;]{{2,60}}?)\s+{_UNTIL}")
_HAS_UNTIL = re.compile(rf"(?:^|[.;:]\s+|,\s+)(?P<who>[A-Z][^,;]{{1,60}}?)\s+(?:now\s+|still\s+)?(?:has|have|had)\s+"
                        rf"(?:[^,;]{{1,25}},\s+)?{_UNTIL}")
# "ordered X to file Y by May 2": a deadline for X.
_ORDERED_BY = re.compile(r"\b(?:ordered|orders|order|directed|directs|told|tells|required|requires)\s+"
                         r"(?P<who>[^,;]{2,60}?)\s+to\s+(?P<do>[a-z][^,;]{3,120}?)\s+"
                         r"(?:by|before|no\s+later\s+than)\s+(?:(?:the\s+)?(?:end|start|middle)\s+of\s+)?$")


# `_deadline`'s patterns, compiled once.
_TO_INFINITIVE = re.compile(r"^\s*,?\s*to\s+(?P<do>[a-z][^;]*)")  # " to file a statement"
_PERSONAL_PRONOUN = re.compile(r"(?:he|she|it|they|him|her|them)", re.IGNORECASE)  # "they", "him"


def _deadline(before: str, after: str, story: str = "") -> str | None:
    """"Chun gave the FTC until Oct. 14 to file a statement" -> "Deadline for the FTC to
    file a statement": the date is a deadline, and reporters title it so."""
    ordered = _ORDERED_BY.search(before) if _holds(before, _GATES[_ORDERED_BY]) else None
    if ordered:
        who, do = ordered["who"], ordered["do"]
    else:
        given = (_GIVEN_UNTIL.search(before) or _HAS_UNTIL.search(before)) if _holds(before, _UNTIL_WORDS) else None
        to = _TO_INFINITIVE.match(after)
        if not given or not to:
            return None
        who, do = given["who"], to["do"]
    if _PERSONAL_PRONOUN.fullmatch(who.strip()):
        return None
    who = _name_the_party(who.strip(), story) if story else who.strip()
    return f"Deadline for {who} to {do.strip()}"


_RELATIVE = re.compile(r"^(?P<subject>[A-Z][^,]{1,60}),\s+(?:which|who)\s+(?P<rel>[a-z][^,]{3,120}),\s+(?=[a-z])")


# `tidy`'s patterns, compiled once.
_STARTS_WITH_BYLINE_WORD = re.compile(r"^\s*(?:by|author|posted|updated|published)\b", re.IGNORECASE)  # "By Jane Roe", "Updated 5:40 AM"
_TWO_LOWERCASE_WORDS = re.compile(r"[a-z]{3,}\s+[a-z]{3,}")  # "filed suit"
_SHORT_PARENTHETICAL = re.compile(r"\s*\((?:[^()]{0,60})\)")
_EMPTY_PARENTHESES = re.compile(r"\s*\(\s*\)")  # " ()", " ( )"
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([,.;:])")  # "ruled ,", "Inc ."
_PUNCTUATION_RUN = re.compile(r"([,;:])(?:\s*[,;:])+")  # ", ;", ",,"
_PREPOSITIONS_LEFT = ("on", "in", "at", "by", "from", "of")
_PREPOSITION_BEFORE_COMMA_OR_END = re.compile(rf"\b({'|'.join(_PREPOSITIONS_LEFT)})\s*(?=,|$)")  # "sued on,", "ruled in"
_DOUBLE_COMMA = re.compile(r",\s*,")  # ", ,"
_FINAL_FULL_STOP = re.compile(r"(?<![A-Z])(?<!\b[A-Z][a-z])\.$")  # "ruled." but not "U.S." or "Co."
_LOWERCASE_WORD = re.compile(r"\b[a-z]{2,}")  # "the", "ruled"
_ANY_TWO_LETTERS = re.compile(r"[^\W\d_]{2,}")  # two letters in a row, in any alphabet
_LEADING_ARTICLE_BEFORE_LETTER = re.compile(r"^(?:the|a|an)\s+(?=[^\W\d])", re.IGNORECASE)
_US_BEFORE_DEPARTMENT = re.compile(r"^U\.S\.\s+(?=(?:[A-Z][a-z]+\s+)?Department\b)")
_TRAILING_ATTRIBUTION = re.compile(r",?\s+according\s+to\s+[^,]*$")  # ", according to a court filing"


def tidy(text: str, before: str = "", story: str = "") -> str:
    """A clause (date phrase already out) told as a headline: see the module docstring."""
    if "|" in text or _STARTS_WITH_BYLINE_WORD.match(text):
        text = text.split("|")[-1] if "|" in text else ""
        if not _TWO_LOWERCASE_WORDS.search(text):
            return ""  # a byline or a time stamp, not an event
    text = _DATELINE.sub("", text)
    if "(" in text:
        text = _SHORT_PARENTHETICAL.sub("", text)  # "(No. 1:23-cv-03257)", "(Sept 26)"
        text = _EMPTY_PARENTHESES.sub("", text)
    text = _sub(_SPACE_BEFORE_PUNCTUATION, r"\1", " ".join(text.split()))
    if _two_of(text, ",;:"):
        text = _PUNCTUATION_RUN.sub(r"\1", text)
    if "," in text or _ends_with_word(text, _PREPOSITIONS_LEFT):
        text = _PREPOSITION_BEFORE_COMMA_OR_END.sub("", text)  # a preposition left by its date
    if _two_of(text, ","):
        text = _DOUBLE_COMMA.sub(",", text)
    text = text.strip()
    text = (_FINAL_FULL_STOP.sub("", text) if text.endswith(".") else text).strip(" ,;:-–—")  # the sentence's full stop
    for _ in range(4):
        before_strip = text
        text = _CONNECTIVE.sub("", text)
        adverbial = _ADVERBIAL.match(text)
        if adverbial and _LOWERCASE_WORD.search(text[adverbial.end():]):
            text = text[adverbial.end():]
        text = text.strip(" ,;:-–—")
        if text == before_strip:
            break
    text = _balance_quotes(text)
    if not _ANY_TWO_LETTERS.search(text):
        return ""  # nothing but the date
    text = _resolve_pronoun(text, before, story)
    text = _drop_appositive(text)
    text = _name_the_judge(text, story)
    text = _name_the_party(text, story)
    text = _short_forms(text, story)
    text = _present_tense(text)
    text = _legal_idiom(text, story)
    text = _LEADING_ARTICLE_BEFORE_LETTER.sub("", text)  # "The 10-week trial" keeps it
    text = _US_BEFORE_DEPARTMENT.sub("", text)  # "U.S. Justice Department sues"
    text = _short_forms(text, story)
    text = _no_dates_or_suffixes(text)
    text = _name_who_is_sued(text, story)
    text = _sub(_TRAILING_ATTRIBUTION, "", text)  # attribution is no part of a headline
    text = _shorten(text)
    text = _balance_quotes(text).strip(" ,;:-–—")
    if not text or not _ANY_TWO_LETTERS.search(text):
        return ""
    return text[0].upper() + text[1:]


_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
          r"Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)")
_OTHER_DATE = re.compile(  # (?=\s): every match starts with a space; other positions are passed at once
    rf"(?=\s)(?:\s+(?:on|late\s+on|early\s+on)\s+{_WEEKDAY}(?:\s*\([^)]*\))?(?:\s+(?:morning|afternoon|evening|night))?"
    rf"|\s+(?:in|last|this|next|early|late|earlier\s+this|later\s+this)\s+(?:{_MONTH}|week|month|year)\b"
    rf"(?:\s+\d{{4}})?|\s+(?:a|one|two|three)\s+(?:day|week|month|year)s?\s+(?:earlier|later|before|after)"
    rf"|\s+[A-Z][a-z]+\s+time\b(?!\s+to\b)|\s+in\s+\d{{4}}\b|\s+(?:on\s+)?{_MONTH}\s+\d{{1,2}}(?:,\s+\d{{4}})?\b"
    rf"|\s+in\s+the\s+(?:first|second|third|fourth)\s+quarter(?:\s+of\s+(?:last|this|that)\s+year)?)"
)
_DIGIT = re.compile(r"\d")
_SUFFIX = re.compile(r"(?<=\w)(?:,)?\s+(?:Inc|Corp|Co|Ltd|LLC|PLC|LLP|GmbH)\b\.?(?=[\s,’']|$)")


def _no_dates_or_suffixes(text: str) -> str:
    """A headline carries no second date ("on Monday", "in July") and no corporate
    suffix ("Apple Inc." -> "Apple"): the event's date is kept beside the title."""
    if _holds(text, _GATES[_OTHER_DATE]) or _DIGIT.search(text):
        text = _OTHER_DATE.sub("", text)
    return _sub(_SUFFIX, "", text).strip()


_SUED_BARE = re.compile(r"^(?P<subject>[^,]{2,60}?)\s+(?:(?:first|also|then)\s+)?(?:sues|sue|sued|files\s+(?:its|their|the|a)\s+"
                        r"(?:[a-z]+\s+)?(?:law)?suits?|file\s+(?:its|their|the|a)\s+(?:[a-z]+\s+)?(?:law)?suits?)"
                        r"(?=$|,|\s+(?:for|in|over|on|after|with|to|alleging|accusing|saying|arguing)\b)")


_SUIT_FILED = re.compile(r"^(?:the\s+)?(?:lawsuit|suit|complaint)\s+(?:was\s+|is\s+)?(?:filed|brought)\b", re.IGNORECASE)


def _name_who_is_sued(text: str, story: str) -> str:
    """"Kalshi sued" / "The FTC filed its suit" -> "Kalshi sues CFTC" / "FTC sues Amazon":
    the story's caption names the other side."""
    filed = _SUIT_FILED.match(text) if story else None
    if filed:  # the story's caption is read only when a title needs it
        plaintiff, defendant = _story_caption(story)
        if plaintiff:  # "The lawsuit was filed in Delaware": the plaintiff sued
            return f"{plaintiff} sues {defendant}" + text[filed.end():]
    match = _SUED_BARE.match(text) if _holds(text, _GATES[_SUED_BARE]) else None
    if not match or not story:
        return text
    from tracker.cases import party_key, same_party

    plaintiff, defendant = _story_caption(story)
    if not plaintiff:
        agency, other = _story_parties(story)
        if agency and other:
            plaintiff, defendant = (agency, other) if same_party(party_key(match["subject"]), party_key(agency)) \
                else (other, agency)
        else:  # the party the story names most besides the one suing
            names = [n for n in _story_names(story) if not same_party(party_key(n), party_key(match["subject"]))]
            if not names:
                return text
            plaintiff, defendant = match["subject"], names[0]
    subject = match["subject"]
    if not same_party(party_key(subject.split(" and ")[0]), party_key(plaintiff)):
        return text
    verb = "sue" if " and " in subject else "sues"
    return f"{subject} {verb} {defendant}" + text[match.end():]


# The `Scan` of the story being titled (`titling`): what the story's first reading found
# in its text is taken from it, not read again.
_TITLING: ContextVar[Any] = ContextVar("titling", default=None)


@contextmanager
def titling(scan: Any) -> Iterator[None]:
    """Titles made inside are of the story `scan` read (`timex.Scan`)."""
    token = _TITLING.set(scan)
    try:
        yield
    finally:
        _TITLING.reset(token)


@functools.lru_cache(maxsize=16)
def _story_caption(story: str) -> tuple[str | None, str | None]:
    """The sides of the dispute the story states, read without its headline."""
    from tracker import cases
    from tracker.facts import extract_facts

    scan = _TITLING.get()
    read = scan.facts if scan is not None and scan.text is story else None
    facts = extract_facts("", story, None, read)
    caption = cases.case_title("", story, facts, cases.profile("", story, facts))
    if not caption or " v. " not in caption:
        return None, None
    plaintiff, _, defendant = caption.partition(" v. ")
    return plaintiff, defendant


# `_drop_date_preposition`'s patterns, compiled once.
_TRAILING_QUANTIFIER = re.compile(r"(?=[abfjlmnors])(?:^|(?<=[\s,]))(?:(?:less|more|fewer)\s+than|about|nearly|almost|roughly|just|barely|some|"
                  r"only)\s*$", re.IGNORECASE)  # "Less than", "About", "nearly"
# " on", " since late", " by the end of"
# (the lookahead: what a match starts with, or the end; the engine passes other positions at once)
_TRAILING_DATE_PREPOSITION = re.compile(r"(?=[abdefilmostu]|$)(?:"
                  r"\b(?:(?:on|in|since|by|until|as\s+of|from|of|at|during|starting|between|through)\s+)?"
                  r"(?:(?:late|early|mid|the\s+end\s+of|the\s+start\s+of)\s*)?$|"
                  r"\b(?:on|in|since|by|until|as\s+of|from|of|at|during|starting|between|through)\s*$)", re.IGNORECASE)


def _drop_date_preposition(head: str) -> str:
    # "Less than a week later, ...", "About two months later": the quantity is the date's
    head = _TRAILING_QUANTIFIER.sub("", head.rstrip())
    return _TRAILING_DATE_PREPOSITION.sub("", head.rstrip())


def _balance_quotes(text: str) -> str:
    """Drop a quote mark left without its partner by a cut; an apostrophe inside or at
    the end of a word ("Apple’s", "Musk’s", "the states’") is not a quote mark and stays."""
    if text.count("“") != text.count("”"):
        text = text.replace("“", "").replace("”", "")
    closing = [i for i in _places(text, "’") if not _is_apostrophe(text, i)]
    if text.count("‘") != len(closing):
        text = "".join(c for i, c in enumerate(text) if c != "‘" and i not in closing)
    if text.count('"') % 2:
        text = text.replace('"', "")
    return text


def _places(text: str, mark: str) -> list[int]:
    """Where `mark` (one character) stands in `text`."""
    found: list[int] = []
    at = text.find(mark)
    while at >= 0:
        found.append(at)
        at = text.find(mark, at + 1)
    return found


def _is_apostrophe(text: str, i: int) -> bool:
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return prev.isalnum() and (nxt.isalnum() or (prev in "sS" and "‘" not in text[:i]))


_NAME_RUN = re.compile(
    r"(?:(?:U\.S\.|Chief|Senior|District|Magistrate|Circuit)\s+)*(?:Judge\s+)?"
    r"(?:[A-Z][\w&.’'-]*|[A-Z]{2,})(?:\s+(?:of\s+|and\s+)?[A-Z][\w&.’'-]*){0,4}"
)


# What a court does: "He dismissed the claim", "She gave the agency 30 days" are the judge's acts.
_JUDICIAL_ACT = re.compile(
    r"^\s+(?:also\s+|then\s+|largely\s+|partly\s+)?(?:rule[sd]?|order(?:s|ed)?|dismiss(?:es|ed)?|grant(?:s|ed)?|"
    r"den(?:y|ies|ied)|give[sn]?|gave|sets?|schedul(?:e|es|ed)|certif(?:y|ies|ied)|approv(?:e|es|ed)|"
    r"reject(?:s|ed)?|enjoin(?:s|ed)?|uph[oe]ld(?:s)?|vacat(?:e|es|ed)|publish(?:es|ed)?|allow(?:s|ed)?|"
    r"sentenc(?:e|es|ed)|award(?:s|ed)?|overrul(?:e|es|ed)|sustain(?:s|ed)?|"
    r"(?:declin|refus)(?:e|es|ed)\s+to\s+(?!comment\b))\b"
)


# `_resolve_pronoun`'s patterns, compiled once.
_LEADING_HE_OR_SHE = re.compile(r"^(?:he|she)\b", re.IGNORECASE)  # "She dismissed"


def _resolve_pronoun(text: str, before: str, story: str = "") -> str:
    """"It dropped its claims" after "The SEC sued Ripple." -> "SEC dropped its claims";
    "She dismissed the claim" -> "Failla dismissed the claim" when the sentence before
    names no one and the story names one judge: a court's act is the judge's."""
    resolved = _resolve_from_before(text, before, story)
    if resolved != text or not story:
        return resolved
    match = _LEADING_HE_OR_SHE.match(text)
    if match and _JUDICIAL_ACT.match(text[match.end():]):
        surname = _story_judge(story)
        if surname:
            return surname + text[match.end():]
    return text


# `_resolve_from_before`'s patterns, compiled once.
_SENTENCE_BREAK_AFTER_WORD_OR_DIGIT = re.compile(r"(?:(?<=[a-z]{3}[.!?])|(?<=\d[.!?]))\s+(?=[A-Z\"“])")  # "ruled. The", "2023. It"
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)  # "The ", "an "
# " administration" in "the Trump administration"
_ORGANISATION_NOUN = re.compile(r"\s+(administration|government|company|group|agency|firm|exchange|newspaper|network)\b")
_POSSESSIVE_ENDING = re.compile(r"[’']s$")  # "Dominion’s"
_JUDGE_WORD = re.compile(r"\bJudge\b")


def _resolve_from_before(text: str, before: str, story: str = "") -> str:
    match = _PRONOUN.match(text)
    if not match or not before.strip():
        return text
    word = match.group().lower()
    previous = _SENTENCE_BREAK_AFTER_WORD_OR_DIGIT.split(before.strip())[-1]  # not at "Dec."
    previous = _DATELINE.sub("", previous)
    for _ in range(3):
        previous = _CONNECTIVE.sub("", previous.strip())
        adverbial = _ADVERBIAL.match(previous)
        if adverbial:
            previous = previous[adverbial.end():]
    previous = _LEADING_ARTICLE.sub("", previous.strip())
    subject = _NAME_RUN.match(previous)
    if not subject:
        return text
    name = subject.group().strip()
    head_noun = _ORGANISATION_NOUN.match(previous[subject.end():])
    if head_noun:
        name = f"{name} {head_noun.group(1)}"  # "the Trump administration placed ..." -> "Trump administration"
    name = _POSSESSIVE_ENDING.sub("", name)
    if len(name) < 2 or name.split()[0].lower() in _NOT_NAMES:
        return text
    if not re.search(rf"[^.!?\s]\s+(?:the\s+)?{re.escape(name.split()[0])}\b", story or before):
        return text  # capitalised only where a sentence starts: not a name
    person = bool(_JUDGE_WORD.search(name)) or _looks_like_person(name, story or before)
    personal = word in {"he", "she", "his", "her", "the judge"}
    if personal != person or word == "their":
        return text
    if person:
        name = name.split()[-1]  # a person is named by surname in a headline
    if word in {"its", "his", "her"}:  # "Its separate claims" -> "Dominion’s separate claims"
        name += "’s" if "’" in (story or before) else "'s"
    return name + text[match.end():]


# `_looks_like_person`'s patterns, compiled once.
_FIRST_AND_LAST_NAME = re.compile(r"[A-Z][a-z]+(?:\s+[A-Z]\.)?\s+[A-Z][a-z’'-]+")  # "Elon Marsh", "Amit P. Mehta"


@functools.lru_cache(maxsize=256)  # asked for the same names of one story for every event
def _looks_like_person(name: str, story: str) -> bool:
    """"Elon Marsh" is a person when the story calls him "Marsh" and never "Elon";
    "Orrin Labs" is a company the story calls "Orrin"."""
    words = name.split()
    if len(words) < 2 or not _FIRST_AND_LAST_NAME.fullmatch(name):
        return False
    first, last = words[0], words[-1]
    alone_last = re.search(rf"(?<!{re.escape(first)} )\b{re.escape(last)}\b", story)
    alone_first = re.search(rf"\b{re.escape(first)}\b(?!\s+(?:[A-Z]\.\s+)?{re.escape(last)})", story)
    return bool(alone_last) and not alone_first


_NOT_NAMES = {"in", "on", "at", "after", "but", "however", "when", "while", "it", "its", "he", "his", "she", "her",
              "they", "their", "this", "that", "these", "those", "a", "an", "the", "as", "for", "with", "by",
              "under", "according", "if", "since", "some", "many", "most", "both", "each", "other", "such",
              "so", "yet", "still", "last", "next", "earlier", "later", "now", "then", "today", "we", "our",
              "i", "you", "what", "there", "one", "two", "no", "not", "and", "or", "also", "meanwhile"}
_JUDGE_NAME = re.compile(r"\b(?:Judge|Chancellor|Justice)\s+(?!Department\b|Ministry\b|Dept\b)(?:[A-Z][a-z]+\s+)?(?:[A-Z]\.\s+|St\.\s+[A-Z][a-z]*\.?\s+)*"
                         r"(?P<surname>[A-Z][a-zA-Z’'-]+)(?:\s+(?P<last>[A-Z][a-zA-Z’'-]+))?")
_GENERIC_JUDGE = re.compile(
    r"^(?:the|a|an)?\s*(?:(?:federal|U\.S\.|district|trial|presiding|[A-Z][a-z]+)\s+){0,2}judge"
    r"(?:\s+in\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?(?:,\s+[A-Z][a-z.]+(?:\s+[A-Z][a-z.]+)?,)?"
    r"|\s+(?:overseeing|presiding\s+over|handling|hearing|of)\s+[^,]{0,60}?)?"
    r"(?=\s+(?:has\s+|had\s+|also\s+|partly\s+|largely\s+)*(?:[a-z]+ed|[a-z]+s|"
    + "|".join(sorted(_IRREGULAR)) + r")\b)",
    re.IGNORECASE,
)
_NAMED_JUDGE = re.compile(
    r"^(?:(?:U\.S\.|Chief|Senior|Federal|District|Magistrate|Bankruptcy|Circuit|Superior\s+Court|"
    r"[A-Z][a-z]+\s+(?:Superior|Chancery|Circuit)\s+Court)\s+)*(?:Judge|Chancellor)\s+"
    r"(?:[A-Z][a-z]+\s+)?(?:[A-Z]\.\s+|St\.\s+[A-Z][a-z]*\.?\s+)*(?:[A-Z][a-z]+\s+)?(?P<surname>[A-Z][a-zA-Z’'-]+)"
    r"(?:\s+of\s+the\s+[^,]{3,60}?(?=\s+[a-z]+(?:ed|s)\b))?"
)


@functools.lru_cache(maxsize=16)
def _story_judge(story: str) -> str | None:
    """The judge a story names most, by surname, when one stands out."""
    counts: dict[str, int] = {}
    for match in _JUDGE_NAME.finditer(story):
        surname = match["last"] if match["last"] and match["last"][0].isupper() else match["surname"]
        counts[surname] = counts.get(surname, 0) + 1
    for surname in list(counts):
        counts[surname] += _word_count(surname, story) - counts[surname]
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if not ranked or (len(ranked) > 1 and ranked[1][1] * 1.5 > ranked[0][1]):
        return None
    return ranked[0][0]


# `_name_the_judge`'s patterns, compiled once.
_TRAILING_QUALIFIER = re.compile(r"\s+(?:in|overseeing|presiding|handling|hearing|of)\b.*$")  # " in Boston, Mass.", " overseeing the case"


def _name_the_judge(text: str, story: str) -> str:
    """"A federal judge in Seattle ruled" -> "Chun ruled" when the story names one judge;
    "U.S. District Judge Amit P. Mehta ruled" -> "Mehta ruled": a headline names a judge
    by surname."""
    named = _NAMED_JUDGE.match(text)
    if named:
        return named["surname"] + text[named.end():]
    generic = _GENERIC_JUDGE.match(text)
    if generic and "appeals" not in generic.group().lower():
        surname = _story_judge(story)
        if surname:
            return surname + text[generic.end():]
        bare = _TRAILING_QUALIFIER.sub("", generic.group().rstrip(","))
        return bare + text[generic.end():]  # "A federal judge in Boston, Mass., ruled" -> "A federal judge ruled"
    return text


_GENERIC_PARTY = re.compile(r"^(?:the|a)\s+(?:(?:U\.S\.|US|American)\s+side|company|agency|commission|department|"
                            r"newspaper|network|exchange|startup|firm|government)\b(?!\s+(?:of|’s|'s|[a-z]+person|official|lawyer)s?\b)",
                            re.IGNORECASE)


# `_story_parties`'s patterns, compiled once.
_JUSTICE_DEPARTMENT = re.compile(r"\b(?:Justice\s+Department|Department\s+of\s+Justice)\b")


_JUDGE_LEAD = re.compile(r"\b(?:Judge|Justice|Chancellor)\s+")


@functools.lru_cache(maxsize=16)
def _judge_leads(story: str) -> tuple[int, ...]:
    """Where the words after each "Judge", "Justice" or "Chancellor" of a story begin."""
    return tuple(m.end() for m in _JUDGE_LEAD.finditer(story))


def _named_as_judge(name: str, story: str) -> bool:
    r"""Whether the story names `name` within four words after "Judge", "Justice" or
    "Chancellor" ("Judge Amit P. Mehta"): what `\b(?:Judge|Justice|Chancellor)\s+
    (?:\w+\s+){0,3}NAME\b` finds, walked word by word from each of the story's few
    judges, not a pattern compiled and run over the whole story for each name."""
    end = len(story)
    for at in _judge_leads(story):
        for _ in range(4):
            after = at + len(name)
            if story.startswith(name, at) and _word_char(story, after - 1) != _word_char(story, after):
                return True
            word = at
            while word < end and _word_char(story, word):
                word += 1
            space = word
            while space < end and story[space].isspace():
                space += 1
            if word == at or space == word:
                break  # no word and space to pass over
            at = space
    return False


def _word_count(word: str, text: str) -> int:
    r"""How many times `text` holds `word` as a whole word: what `re.findall(rf"\b{word}\b",
    text)` counts, without a pattern compiled and run for each word."""
    count, at = 0, text.find(word)
    while at >= 0:
        end = at + len(word)
        if _word_char(text, at - 1) != _word_char(text, at) and _word_char(text, end - 1) != _word_char(text, end):
            count += 1
            at = text.find(word, end)
        else:
            at = text.find(word, at + 1)
    return count


def _word_char(text: str, i: int) -> bool:
    r"""Whether `text[i]` is a word character (`\w`); False outside the text."""
    return 0 <= i < len(text) and (text[i].isalnum() or text[i] == "_")


@functools.lru_cache(maxsize=16)
def _story_parties(story: str) -> tuple[str | None, str | None]:
    """The agency and the other party a story names most, by the short names of a
    caption: what "the agency" and "the company" at the start of a title stand for."""
    from tracker import cases

    agency = cases._main_agency(story)
    agency_short = cases.short_name(agency, story) if agency else None
    justice = _JUSTICE_DEPARTMENT.findall(story)
    if not agency_short and justice:
        agency_short = "Justice Department"  # the government's lawyers: "the department" in a DOJ story
    profile = cases.profile("", story, [])
    ranked = sorted(profile.names, key=lambda k: -profile.names[k])
    other = None
    for key in ranked[:3]:
        name = profile.display.get(key, key)
        if agency is None or cases.party_key(name) != cases.party_key(agency):
            if not _named_as_judge(name, story):
                other = name
                break
    return agency_short, other


@functools.lru_cache(maxsize=16)
def _story_names(story: str) -> tuple[str, ...]:
    """The three names a story weighs most, judges aside."""
    from tracker import cases

    profile = cases.profile("", story, [])
    ranked = sorted(profile.names, key=lambda k: -profile.names[k])
    names = [profile.display.get(k, k) for k in ranked[:4]]
    return tuple(n for n in names if not _named_as_judge(n, story))[:3]


def _name_the_party(text: str, story: str) -> str:
    """"The agency sued" -> "FTC sued"; "The company said" -> "Orrin said"."""
    match = _GENERIC_PARTY.match(text)
    if not match or not story:
        return text
    agency, other = _story_parties(story)
    word = match.group().split()[-1].lower()
    name = agency if word in {"agency", "commission", "department", "side", "government"} else other
    return name + text[match.end():] if name else text


# `_story_short_forms`'s patterns, compiled once.
_SHORT_FORM_WORD = re.compile(r"\b[A-Zo]{2,}\b")  # "SEC", "DoD": capitals and the "o" of "of"


@functools.lru_cache(maxsize=16)
def _story_short_forms(story: str) -> frozenset[str]:
    """The story's words that could be a short form (capitals and the "o" of "of": what
    `_short_forms` makes of a name), once per story: "is this short form in the story"
    for every event of a long story would otherwise read the whole story each time."""
    return frozenset(_SHORT_FORM_WORD.findall(story))


# `_short_forms`'s patterns, compiled once.
# "Securities and Exchange Commission"
_CAPITALISED_PHRASE = re.compile(r"[A-Z](?<!\w[A-Z])[a-z]+(?:\s+(?:of|and|for|on)\s+|\s+)[A-Z][a-z]+(?:\s+(?:of\s+|and\s+)?[A-Z][a-z]+){0,3}")
_JOINING_WORDS = frozenset({"and", "of", "for", "on"})


def _short_forms(text: str, story: str) -> str:
    """"Securities and Exchange Commission" -> "SEC" when the story uses the short form."""
    forms = _story_short_forms(story)
    if not forms:
        return text  # a story with no short form keeps every name whole

    def initials(match: re.Match[str]) -> str:
        words = match.group().split()
        lead = ""
        if len(words) > 2 and words[0] in {"The", "A", "An"}:
            lead, words = words[0] + " ", words[1:]
        # Each word's letter in the short form: a capital's initial, "o" for "of" ("DoD").
        letters = "".join(w[0] if w[0].isupper() else ("o" if w == "of" else "") for w in words)
        for end in range(len(words), 1, -1):  # "Securities and Exchange Commission and Binance": the longest that is one
            if words[end - 1] in _JOINING_WORDS:
                continue
            short = letters[:sum(1 for w in words[:end] if w[0].isupper() or w == "of")]
            upper = short.replace("o", "")
            for form in (short, upper):
                if len(form) >= 2 and (form == short or len(form) >= 3) and form in forms:
                    rest = " ".join(words[end:])
                    return lead + (f"{form} {rest}" if rest else form)
        return match.group()
    return _CAPITALISED_PHRASE.sub(initials, text)


_COURT_PLACE = re.compile(
    r"\s+(?:in|before)\s+(?:a\s+)?(?:(?:federal|state|U\.S\.|bankruptcy)\s+)+court"
    r"(?:\s+(?:in|of)\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?(?:,\s+[A-Z][a-z.]+)?)?"
    r"|\s+in\s+the\s+U\.S\.\s+(?:District\s+Court|Court\s+of\s+Appeals)\s+for\s+the\s+"
    r"(?:[A-Z][a-z]+\s+)?(?:District|Circuit)(?:\s+of\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)?"
)
_SUES = re.compile(r"(?=[fb])(?<!\bhad )(?<!\bhas )(?<!\bhave )\b(?:filed|brought|files|brings)\s+(?:a|an|the|its|their)\s+(?:[a-z]+\s+)?(?:lawsuit|suit|"
                   r"complaint)\s+against\b")


_DESCRIBED = re.compile(r"^(?:[Tt]he\s+|[Aa]n?\s+)?(?:[A-Z][a-z]+[’']s\s+)?[a-z][a-z’' -]{2,60},\s+"
                        r"(?P<name>[A-Z][^,]{1,60}?)(?:,\s+(?:Inc|Ltd|LLC|Co|Corp)\.?)*,\s+(?=[a-z])")


_LEGAL_ACTION = r"(?:dismiss|pause|stay|vacate|throw\s+out|block|transfer|certify|reconsider|halt|stop|freeze|reject|end)"
_ASKS_COURT = re.compile(
    rf"\b(?P<verb>asks?|asked)\s+(?:(?:a|the)\s+(?:federal\s+|U\.S\.\s+|district\s+|appeals\s+)*(?:judge|court)"
    rf"(?:\s+in\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)?|[A-Z][a-z]+)\s+to\s+(?={_LEGAL_ACTION}\b)"
)
_REFUSES_TO_DISMISS = re.compile(r"\b(?:refuses|refused|declines|declined)\s+to\s+(?=dismiss\b)")


_CIRCUIT = re.compile(r"(?=[A-Z\d])\b(?:(?:First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth|Eleventh|D\.C\.|Federal)"
                      r"|\d+(?:st|nd|rd|th))\s+Circuit\b")


@functools.lru_cache(maxsize=16)
def _story_circuit(story: str) -> str | None:
    """The one court of appeals a story names ("the Ninth Circuit"): what "a federal
    appeals court" is in its headline."""
    if "Circuit" not in story:
        return None  # every match names it
    found = {m.group() for m in _CIRCUIT.finditer(story)}
    return found.pop() if len(found) == 1 else None


# `_legal_idiom`'s patterns, compiled once.
# "U.S. Court of Appeals for the Second Circuit"
_COURT_OF_APPEALS = re.compile(r"\b(?:U\.S\.\s+)?Court\s+of\s+Appeals\s+for\s+the\s+((?:[A-Z][a-z]+|D\.C\.|\d+(?:st|nd|rd|th))\s+Circuit)\b")
_MOVES_TO_THROW_OUT = re.compile(r"\b(moves?\s+to\s+)throw\s+out\b")
# "A federal " of "A federal judge"
_LEADING_FEDERAL_BEFORE_COURT = re.compile(r"^(?:(?:a|the)\s+)?(?:U\.S\.\s+)?federal\s+(?=(?:appeals\s+)?(?:court|jury|judge)\b)", re.IGNORECASE)
# "A federal appeals court panel"
_LEADING_APPEALS_COURT = re.compile(r"^(?:(?:a|the)\s+)?(?:U\.S\.\s+)?(?:federal\s+)?appeals\s+court\b(?:\s+panel)?", re.IGNORECASE)
_THE_APPEALS_COURT = re.compile(r"\bthe\s+(?:U\.S\.\s+|federal\s+)*appeals\s+court\b")  # "the U.S. appeals court"
_LEADING_COURT_IN_PLACE = re.compile(r"^((?:appeals\s+)?(?:court|jury|judge))\s+in\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?(?:,\s+[A-Z][a-z.]+,)?"
                  r"(?=\s+[a-z])", re.IGNORECASE)  # "court in San Francisco", "jury in Dover, Del.,"


def _legal_idiom(text: str, story: str = "") -> str:
    """Court-news headline idiom: "X asks a federal judge in Y to dismiss" -> "X moves to
    dismiss"; "judge refuses to dismiss" -> "judge denies motion to dismiss"."""
    # "the U.S. Court of Appeals for the Second Circuit" is "the Second Circuit" in a headline
    text = _sub(_COURT_OF_APPEALS, r"\1", text)
    text = _sub(_ASKS_COURT, lambda m: "move to " if m["verb"] == "ask" else "moves to ", text, count=1)
    text = _sub(_MOVES_TO_THROW_OUT, r"\1dismiss", text)
    text = _LEADING_FEDERAL_BEFORE_COURT.sub("", text)
    circuit = _story_circuit(story) if story else None
    if circuit:
        text = _LEADING_APPEALS_COURT.sub(circuit, text)
        text = _sub(_THE_APPEALS_COURT, f"the {circuit}", text)  # "with the appeals court"
    text = _LEADING_COURT_IN_PLACE.sub(r"\1", text)
    return _sub(_REFUSES_TO_DISMISS, "denies motion to ", text, count=1)


# `_drop_appositive`'s patterns, compiled once.
_SUBJECT_WITH_APPOSITIVE = re.compile(r"^([A-Z][^,]{1,50}?),\s+(?:which|who|whose|the|a|an|its|now|[a-z]+ed)\b[^,]{2,90}"
                  r"(?:,\s+[A-Z][a-z.]+)?,\s+(?=[a-z])")  # "Dominion, which is based in Denver, "
# "that affiliate, Stability Labs Ltd., "
_NOUN_WITH_APPOSITIVE_NAME = re.compile(r"\b(?:that|this|its|the)\s+[a-z]+(?:\s+[a-z]+)?,\s+([A-Z][^,]{1,50}?),\s+(?=[a-z])")


def _drop_appositive(text: str) -> str:
    """"Dominion, which is based in Denver, filed the suit" -> "Dominion filed the suit";
    "The complaint, filed in Delaware, names ..." -> "The complaint names ..."; "sued X in
    federal court in Delaware" -> "sued X"; "filed a lawsuit against X" -> "sues X"."""
    described = _DESCRIBED.match(text)
    if described and described["name"][:1].isupper():
        text = described["name"] + " " + text[described.end():]  # "The largest maker, Orrin Co., sued" -> "Orrin Co. sued"
    text = _SUBJECT_WITH_APPOSITIVE.sub(r"\1 ", text, count=1)
    # "added that affiliate, Stability Labs Ltd., as a defendant" -> "added Stability Labs Ltd. as a defendant"
    if _two_of(text, ","):
        text = _NOUN_WITH_APPOSITIVE_NAME.sub(r"\1 ", text, count=1)
    text = _sub(_COURT_PLACE, "", text)
    return _sub(_SUES, "sues", text)


_ADVERB = r"(?:also|now|already|since|formally|previously|first|partly|largely|partially|quickly|finally|again|" \
          r"then|jointly|unanimously|effectively|officially|temporarily|ultimately|never|not)"
_STOP_VERB = {"is", "are", "was", "were", "will", "would", "must", "can", "could", "may", "might", "should",
              "that", "which", "who", "whom", "whose", "to", "because", "after", "if", "when", "while"}


# `_base`'s patterns, compiled once.
_ES_AFTER_SIBILANT_OR_O = re.compile(r"(?:ss|sh|ch|x|z|o)es$")  # "pushes", "fixes", "goes"


def _base(verb: str) -> str:
    """"sues" -> "sue", "denies" -> "deny", "pushes" -> "push": for a plural subject."""
    if verb.endswith("ies"):
        return verb[:-3] + "y"
    if _ES_AFTER_SIBILANT_OR_O.search(verb):
        return verb[:-2]
    return verb[:-1] if verb.endswith("s") else verb


# `_present_tense`'s patterns, compiled once.
_RELATIVE_PRONOUN_OR_COMMA = re.compile(r"\b(?:who|which|that)\b|,")
_PERFECT_AUXILIARY = re.compile(rf"^((?:(?!\b(?:that|who|which)\b)[^,]){{0,60}}?)\b(?:has|have|had)\s+(?={_ADVERB}?\s*(?!been\b)[a-z]+"
                              r"(?:ed|en|wn|ught|ung|ade|aid|eld|ost|ound|ent|ome|ut|et|ied)\b)")  # "Orrin has " of "Orrin has sued"
_ADVERB_WORD = re.compile(_ADVERB)


def _present_tense(text: str) -> str:
    """The main verb of the clause in the headline's present: "has sued" -> "sues",
    "the suit was filed" -> "suit filed", "X and Y agreed" -> "X and Y agree"."""
    passive = _PASSIVE.match(text) if _holds(text, _GATES[_PASSIVE]) else None
    if passive and not _RELATIVE_PRONOUN_OR_COMMA.search(passive.group("subj")):
        return passive.group("subj") + " " + text[passive.end():]
    text = _sub(_PERFECT_AUXILIARY, r"\1", text, count=1)
    words = text.split(" ")
    subject_words: list[str] = []
    for i, word in enumerate(words[:10]):
        bare = word.rstrip(",;:.")
        low = bare.lower()
        if i and low in _STOP_VERB:
            break
        verb = (i and _after_subject(words[i - 1]) and not words[i - 1].endswith(",")
                and not (i + 1 < len(words) and words[i + 1] == "by"))  # "Filings released by the court showed"
        regular = _regular_present(bare) if verb and bare not in _IRREGULAR else None
        if verb and (bare in _IRREGULAR or regular):
            plural = _plural(subject_words)
            present = _IRREGULAR.get(bare) or regular or bare
            words[i] = (_base(present) if plural else present) + word[len(bare):]
            # a second verb of the same subject: "added it and kept it there"
            for j in range(i + 1, min(len(words) - 1, i + 12)):
                k = j + 2 if words[j] == "and" and _ADVERB_WORD.fullmatch(words[j + 1]) and j + 2 < len(words) else j + 1
                if words[j] == "and" and (words[k] in _IRREGULAR or _regular_present(words[k])):
                    nxt = _IRREGULAR.get(words[k]) or _regular_present(words[k]) or words[k]
                    words[k] = _base(nxt) if plural else nxt
                    break
                if words[j].lower() in _STOP_VERB or words[j].endswith(","):
                    break
            break
        if i and words[i - 1].endswith(","):
            continue
        subject_words.append(bare)
    return " ".join(words)


_DETERMINER = {"the", "a", "an", "its", "his", "her", "their", "our", "this", "that", "these", "those", "some",
               "many", "most", "all", "two", "three", "several", "other", "any", "no", "each", "every", "more", "less"}
# Stems whose present takes the "e" the past dropped: "ruled" -> "rules", "decided" -> "decides".
_E_STEM = re.compile(r"(?:[vcuz]|[rndlu]g|[^aeious]s|[aeiou][aeiou]s|[^aeiou]is|us|"
                     r"(?:[^aeiou]|qu)(?:at|ut|ot|id|ud|ir|ur|ok|ul|il|in|ar|ib|im|ak|os)|[cv]it)$")
_E_STEM_SHORT = re.compile(r"^[^aeiou]*[aeiou](?:t|d|r|k|l|n|m|s|b)$")  # one syllable: "ruled", "voted", "timed"
# Stems a plain "s" makes present: "explained", "answered", "avoided", "dissented", "ordered".
_PLAIN_STEM = re.compile(r"(?:[aeiou][aeiou][^aeiouy]|[^aeiou][^aeiouy]|er|en|on|el|al|[^cv]it|op|om|ow|ew|ay|ey|oy)$")


# `_after_subject`'s patterns, compiled once.
_DIGITS = re.compile(r"\d+")


def _after_subject(previous: str) -> bool:
    """The word before may end a subject ("Brook", "the sides"), not begin one ("the")."""
    low = previous.lower()
    return low not in _DETERMINER and not low.endswith(("'s", "’s")) and not _DIGITS.fullmatch(low)


_NOT_PAST = {"hundred", "sacred", "naked", "wicked", "rugged", "ragged", "crooked", "beloved", "kindred", "wretched"}


# `_regular_present`'s patterns, compiled once.
_LONG_ED_WORD = re.compile(r"[a-z]{3,}ed")  # "explained", "ruled": three letters or more before "ed"
_SIBILANT_ENDING = re.compile(r"(?:ss|sh|ch|x|zz)$")  # "dismiss", "push", "reach"


def _regular_present(word: str) -> str | None:
    """"explained" -> "explains", "ruled" -> "rules", "denied" -> "denies", "stopped" ->
    "stops"; None when the past of a regular verb cannot be told apart safely."""
    if not _LONG_ED_WORD.fullmatch(word):
        return None
    stem = word[:-2]
    if stem.endswith("i"):
        return stem[:-1] + "ies"
    if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "lsfz":
        return stem[:-1] + "s"  # "stopped", "submitted"
    if stem.endswith("e") or word in _NOT_PAST:
        return None  # "speed", "indeed"; "agreed" and "freed" are known
    if _E_STEM.search(stem) or _E_STEM_SHORT.match(stem):
        return stem + "es"
    if _SIBILANT_ENDING.search(stem):
        return stem + "es"  # "dismissed", "pushed", "reached"
    if _PLAIN_STEM.search(stem):
        return stem + "s"
    return None


_ORG_HEAD = re.compile(r"^(?:Commission|Authority|Department|Agency|Board|Bureau|Administration|Office|Service|"
                       r"Company|Co\.?|Systems|Council|Committee|Corporation|Corp\.?)$")


# "Bank of America", "Department of Justice": one name with "of" inside.
_INSTITUTION = {"Bank", "Department", "University", "Court", "Board", "Office", "Ministry", "Commission", "Bureau",
                "Secretary", "State", "States", "City", "Government", "Republic", "Church", "College", "Institute",
                "School", "Museum", "Society", "Association", "Federation", "League", "Union", "Council",
                "Chamber", "House", "Attorney", "Library", "Port", "Town", "County", "District"}
_PREPOSITION = {"of", "against", "for", "in", "on", "over", "from", "with", "by", "at", "before", "about", "between"}


def _plural(subject: list[str]) -> bool:
    subject = subject[1:] if subject and subject[0].lower() in {"the", "a", "an"} else subject
    if not subject:
        return False
    cut = next((i for i, w in enumerate(subject) if i and w in _PREPOSITION
                and not (w == "of" and subject[i + 1:i + 2] != [] and subject[i + 1][:1].isupper()
                         and (subject[i - 1] in _INSTITUTION or (i > 1 and subject[i - 1][:1].isupper())))), None)
    if cut is not None:
        subject = subject[:cut]  # "claims against Fox": the head noun is "claims"; "Bank of America" stays whole
        if cut == 1:  # "Shares of Orrin", "Lawyers for Vantor": a common noun capitalised by the sentence start
            subject = [subject[0].lower()]
    if "and" in subject:
        at = subject.index("and")
        left, right = subject[:at], subject[at + 1:]
        names = [w for w in left[-2:] + right[:2] if w[:1].isupper()]
        if len(names) == 4 and not _ORG_HEAD.search(subject[-1]):
            return True  # "Caroline Pham and Summer Mersinger": two people (or firms) of two words each
    if subject.count("and") == 1 and _ORG_HEAD.search(subject[-1]) and all(w[:1].isupper() or w in {"and", "of"}
                                                                           for w in subject):
        return False  # "Securities and Exchange Commission", "Competition and Markets Authority": one name
    for i, word in enumerate(subject):
        if word == "and" and 0 < i < len(subject) - 1:
            joined_name = subject[i - 1][:1].isupper() and subject[i + 1][:1].isupper() and i >= 2 \
                and subject[i - 2][:1].isupper() and not subject[i - 1].endswith(("Inc.", "Corp.", ","))
            if not joined_name or len(subject) > i + 2 and subject[i + 2][:1].isupper() is False:
                return True
    if "and" in subject[1:-1] and not any(w[:1].isupper() for w in subject):
        return True
    last = subject[-1]
    return last.islower() and last.endswith("s") and not last.endswith(("ss", "us", "is"))


# `_shorten`'s patterns, compiled once (and `_TWO_LETTER_WORD`, above `headline`).
_WHITESPACE = re.compile(r"\s")


def _shorten(text: str) -> str:
    """Cut at the first boundary past the verb and its object, and anyway within
    TITLE_MAX at a phrase boundary."""
    text = text.rstrip(".")
    for match in _BOUNDARY.finditer(text):
        cut = match.start()
        if cut >= 12 and len(_TWO_LETTER_WORD.findall(text[:cut])) >= 3:
            text = text[:cut]
            break
    if len(text) > TITLE_MAX:
        soft = [m.start() for m in _SOFT.finditer(text) if 45 <= m.start() <= TITLE_MAX
                and not (text[m.start() - 1:m.start()].isalpha() and text[m.start() - 1 - len(text[:m.start()].split()[-1]) + 1:m.start()][:1].isupper()
                         and text[m.end():].lstrip()[:1].isupper() and text[m.end():].split()[:1] != [])]
        spaces = [m.start() for m in _WHITESPACE.finditer(text) if m.start() <= TITLE_MAX
                  and not (text[m.start() - 1:m.start()].isalpha() and text[m.start() + 1:m.start() + 2].isupper()
                           and text[:m.start()].split()[-1][:1].isupper())]  # not inside a name
        text = text[: (soft or spaces or [TITLE_MAX])[-1]]
    previous = None
    while previous != text:
        previous = text
        if _ends_with_word(text, _DANGLING_WORDS):
            text = _DANGLING.sub("", text)
        text = text.rstrip(" ,;:-–—")
    return text


# -- gates ---------------------------------------------------------------------------
# Every title runs some thirty patterns over its clause, and most find nothing there.
# Each pattern below is run only over a clause holding one of the words that every
# match of it holds (tests/test_read_fast.py checks each against its pattern): looking
# for a word is quick, running a pattern over every clause of every story is not.

_UNTIL_WORDS = ("til", "through")  # `_UNTIL`: "until", "till", "through"
_MONTH_WORDS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_GATES: dict[re.Pattern[str], tuple[str, ...]] = {
    _RELATIVE: ("which", "who"),
    _ENDS_WITH_THAT: ("that",),
    _ORDERED_BY: ("order", "direct", "told", "tells", "requir"),
    _GIVEN_UNTIL: _UNTIL_WORDS,
    _HAS_UNTIL: _UNTIL_WORDS,
    # Only over a clause whose white space is single spaces (`tidy` joins its words first).
    _SPACE_BEFORE_PUNCTUATION: (" ,", " .", " ;", " :"),
    _TRAILING_ATTRIBUTION: ("according",),
    # A weekday, a month, "week", "year", "time", "quarter"; a year's digits are looked
    # for apart (`\d` is any script's digit).
    _OTHER_DATE: ("day", "week", "month", "year", "time", "quarter", *_MONTH_WORDS),
    _SUFFIX: ("Inc", "Co", "Ltd", "LL", "PLC", "GmbH"),
    _SUED_BARE: ("sue", "file"),
    _COURT_OF_APPEALS: ("Appeals",),
    _ASKS_COURT: ("ask",),
    _MOVES_TO_THROW_OUT: ("throw",),
    _THE_APPEALS_COURT: ("appeals",),
    _REFUSES_TO_DISMISS: ("dismiss",),
    _COURT_PLACE: ("ourt",),
    _SUES: ("against",),
    _PASSIVE: ("was", "were"),
    _PERFECT_AUXILIARY: ("ha",),
}


def _two_of(text: str, marks: str) -> bool:
    """At least two of the characters `marks` in `text` ("," twice for ", ,")."""
    return sum(text.count(mark) for mark in marks) >= 2


def _ends_with_word(text: str, words: tuple[str, ...]) -> bool:
    """Whether the last word of `text` (its final run of word characters, white space
    after it aside) may be one of `words`, in any case: what a pattern that takes a last
    word off ("sued in", "filed by the") needs. True too where the word holds a letter
    IGNORECASE folds to ASCII and lower() does not."""
    end = len(text.rstrip())
    start = end
    while start and (text[start - 1].isalnum() or text[start - 1] == "_"):
        start -= 1
        if end - start > _LONGEST_LAST_WORD:
            return False
    word = text[start:end]
    return word.lower() in words or bool(FOLDS_APART.search(word))


_LONGEST_LAST_WORD = max(len(word) for word in _DANGLING_WORDS + _PREPOSITIONS_LEFT)
