"""Finding temporal expressions in English news and resolving them. Pure, no I/O.

Phrases are found with patterns that read the way reporters write ("on Tuesday (May 11)",
"last Friday", "Dec. 8 last year", "in March of this year") and resolved against the
document's publication date. That date is often known only as a range (the week after a
Friday, say); an expression is resolved at both ends of the range and kept at the finest
granularity on which both agree, so an uncertain anchor gives a coarser date, never a
wrong one. Without any anchor, relative phrases and yearless dates get no value: the
year is flagged, not guessed.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from datetime import date, timedelta
from typing import Any

from tracker.dates import value_for
from tracker.sentences import clause_bounds, sentence_spans

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
QUARTERS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}

# Month names must be capitalised: "may" and "march" in lower case are a verb and a noun.
MON = (r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|"
       r"Aug(?:ust|\.)?|Sep(?:t(?:ember|\.)?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)(?![a-z])")
MON_FULL = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
WDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
DAY = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d)"
YEAR_BARE = r"(?:1[89]\d\d|20\d\d)"
YEAR = rf"{YEAR_BARE}(?![\d-])"
REL_YEAR = r"(?:this|last|next|the\s+previous|the\s+following)\s+year"
# Acts a date can modify ("his August ruling", "a 2019 statute"): what courts, agencies
# and legislatures do.
ACT_NOUNS = (r"ruling|rulings|decision|order|orders|opinion|injunction|complaint|lawsuit|suit|settlement|verdict|"
             r"judgment|statute|law|act|ban|rule|regulation|designation|listing|agreement|deal|filing|appeal|"
             r"motion|hearing|trial|acquisition|merger|purchase|indictment|charges|fine|penalty|vote|election-year")


@dataclass(frozen=True)
class Anchor:
    """What the document's date is known to be: a day, or a range of possible days."""

    lo: date
    hi: date

    @classmethod
    def day(cls, day: date) -> Anchor:
        return cls(day, day)


@dataclass(frozen=True)
class Timex:
    """A temporal expression: its span, its value at a granularity, how sure we are.

    `relative` expressions depend on the anchor; `loose` ones ("today", "now") are
    dates of the telling rather than of an event.
    """

    start: int
    end: int
    text: str
    value: str | None
    granularity: str
    confidence: float
    relative: bool = False
    loose: bool = False
    weekday: int | None = None
    # TIMEX3 type (DATE, or TIME for "Friday night") and value, which may say more than
    # an event date can: PRESENT_REF, seasons (2012-SU), centuries (19).
    kind: str = "DATE"
    timex3: str | None = None


# A resolver gets the document date and whether the clause looks ahead, and returns
# (value, granularity) or None.
Resolver = Callable[[date, bool], "tuple[str, str] | None"]


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    resolve: Resolver
    granularity: str
    confidence: float
    relative: bool
    loose: bool = False
    weekday: int | None = None
    # "in December of that year": the year comes from the last date before it.
    anaphoric: bool = False
    kind: str = "DATE"
    # A fixed TIMEX3 value (PRESENT_REF, a century) or a season code appended to the year.
    timex3: str | None = None
    season: str | None = None
    # Anaphoric phrases that count from the date told just before ("the same day", "a
    # year later", "the following month"): the previous (value, granularity) -> reading.
    follow: Callable[[str, str], "tuple[str, str] | None"] | None = None
    # Days after which the reading repeats, moved by as many days: "on Thursday" read a
    # week later is the Thursday a week later. Its reading is a day whatever the date it
    # is read on. None: no such regularity ("March 5" read a week later is still March 5).
    period: int | None = None



# The characters other than ASCII letters that `re.IGNORECASE` takes for an ASCII letter
# ("İ" and "ı" for i, "ſ" for s, the Kelvin sign for k). `str.lower` keeps them (and
# makes "İ" two characters), so the folded text maps them first.
_FOLD_ODD = {0x130: "i", 0x131: "i", 0x17F: "s", 0x212A: "k"}


def _fold(word: str) -> str:
    """A matched word as the rules' tables spell it: lower case, with the letters a
    case-blind pattern takes for ASCII ones ("ſpring", "İn") folded to them."""
    return word.translate(_FOLD_ODD).lower() if not word.isascii() else word.lower()


def month_number(name: str) -> int:
    return MONTHS[_fold(name.rstrip("."))]


def day_number(text: str) -> int:
    return int(re.match(r"\d+", text).group())  # type: ignore[union-attr]


def _safe_day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _rel_year(word: str, dct: date) -> int:
    word = " ".join(word.lower().split())
    if word.startswith(("last", "the previous")):
        return dct.year - 1
    if word.startswith(("next", "the following")):
        return dct.year + 1
    return dct.year


def _yearless(month: int, day: int, dct: date, future: bool) -> date | None:
    """A month and day without a year: the latest on or before the document date for
    things that happened, the first on or after it for things that are coming."""
    this = _safe_day(dct.year, month, day)
    if this is None:
        this = _safe_day(dct.year - 1, month, day) or _safe_day(dct.year + 1, month, day)
        return this
    if future:
        return this if this >= dct - timedelta(days=1) else _safe_day(dct.year + 1, month, day)
    return this if this <= dct + timedelta(days=1) else _safe_day(dct.year - 1, month, day)


def _month_alone(month: int, dct: date, future: bool, shift: str = "") -> str:
    """"in June": the most recent June, or the coming one when the clause looks ahead."""
    year = dct.year
    if shift == "last":
        year = dct.year - 1 if month >= dct.month else dct.year
    elif shift == "next":
        year = dct.year + 1 if month <= dct.month else dct.year
    elif shift == "this":
        year = dct.year
    elif future:
        year = dct.year if month >= dct.month else dct.year + 1
    else:
        year = dct.year if month <= dct.month else dct.year - 1
    return f"{year}-{month:02d}"


def _weekday_near(weekday: int, dct: date, mode: str) -> date:
    """Resolve a weekday name: mode is 'past' (on or before), 'last' (strictly before),
    'future' (on or after), 'next' (strictly after) or 'this' (the same ISO week)."""
    delta = (dct.weekday() - weekday) % 7
    if mode == "past":
        return dct - timedelta(days=delta)
    if mode == "last":
        return dct - timedelta(days=delta or 7)
    ahead = (weekday - dct.weekday()) % 7
    if mode == "future":
        return dct + timedelta(days=ahead)
    if mode == "next":
        return dct + timedelta(days=ahead or 7)
    return dct + timedelta(days=weekday - dct.weekday())


@lru_cache(maxsize=8192)
def normalise_full_date(phrase: str) -> date | None:
    """A complete written date ("Oct. 20, 2020", "11 December 2023") as dateparser reads it.

    The patterns here find the phrase; dateparser, which knows the spellings, says what
    day it is. Cached: news repeats its key dates.
    """
    import dateparser

    parsed = dateparser.parse(
        phrase, languages=["en"], settings={"REQUIRE_PARTS": ["day", "month", "year"], "DATE_ORDER": "MDY"}
    )
    return parsed.date() if parsed else None


def _full_day(phrase: str, year: int, month: int, day: int) -> date | None:
    """The day read from the parts; dateparser's reading of a phrase whose parts make no
    day ("Sept. 31, 2020"), when it agrees on the year. A phrase whose parts make a day
    is not handed to dateparser: it read every such phrase of the lawsuit corpus and
    TempEval-3 as the parts do, at about 3 ms a phrase."""
    ours = _safe_day(year, month, day)
    if ours is not None:
        return ours
    theirs = normalise_full_date(" ".join(phrase.split()))
    if theirs and theirs.year == year:
        return theirs
    return ours


def _fixed(value: str, granularity: str) -> Resolver:
    return lambda _dct, _future: (value, granularity)


def _patterns() -> list[tuple[re.Pattern[str], Callable[[re.Match[str]], _Candidate | None]]]:
    """Each pattern with the function that turns a match into a candidate."""
    table: list[tuple[str, Callable[[re.Match[str]], _Candidate | None]]] = []

    def rule(pattern: str) -> Callable[[Callable[[re.Match[str]], _Candidate | None]], None]:
        def register(build: Callable[[re.Match[str]], _Candidate | None]) -> None:
            table.append((pattern, build))
        return register

    @rule(rf"(?P<wd>{WDAY})\s*(?:\(\s*|,\s*)(?P<mon>{MON})\s+(?P<day>{DAY})(?:,?\s+(?P<year>{YEAR}))?\s*\)?")
    def weekday_pair(m: re.Match[str]) -> _Candidate | None:
        month, day, weekday = month_number(m["mon"]), day_number(m["day"]), WEEKDAYS[_fold(m["wd"])]
        end = m.end() if m.group(0).rstrip().endswith(")") and "(" in m.group(0) else m.end("year") if m["year"] else m.end("day")
        if m["year"]:
            found = _safe_day(int(m["year"]), month, day)
            return None if found is None else _Candidate(m.start(), end, _fixed(found.isoformat(), "day"), "day", 0.97, False, weekday=weekday)

        def resolve(dct: date, future: bool) -> tuple[str, str] | None:
            for year in sorted({dct.year, dct.year - 1, dct.year + 1}, key=lambda y: abs(y - dct.year)):
                found = _safe_day(year, month, day)
                if found and found.weekday() == weekday:
                    return found.isoformat(), "day"
            found = _yearless(month, day, dct, future)
            return (found.isoformat(), "day") if found else None
        return _Candidate(m.start(), end, resolve, "day", 0.92, True, weekday=weekday)

    @rule(rf"(?P<mon>{MON})\s+(?P<day>{DAY}),?\s+(?:of\s+)?(?P<year>{YEAR})")
    def month_day_year(m: re.Match[str]) -> _Candidate | None:
        found = _full_day(m.group(), int(m["year"]), month_number(m["mon"]), day_number(m["day"]))
        return None if found is None else _Candidate(m.start(), m.end(), _fixed(found.isoformat(), "day"), "day", 0.97, False)

    @rule(rf"\b(?P<day>{DAY})\s+(?:of\s+)?(?P<mon>{MON}),?\s+(?P<year>{YEAR})")
    def day_month_year(m: re.Match[str]) -> _Candidate | None:
        found = _full_day(m.group(), int(m["year"]), month_number(m["mon"]), day_number(m["day"]))
        return None if found is None else _Candidate(m.start(), m.end(), _fixed(found.isoformat(), "day"), "day", 0.97, False)

    @rule(rf"(?P<mon>{MON})\s+(?P<day>{DAY})(?:,?\s+(?:of\s+)?(?P<rel>{REL_YEAR}))?(?!\s*,?\s*\d)")
    def month_day(m: re.Match[str]) -> _Candidate | None:
        month, day = month_number(m["mon"]), day_number(m["day"])
        if m["mon"] == "May" and not m["rel"] and day > 31:
            return None
        rel = m["rel"]

        def resolve(dct: date, future: bool) -> tuple[str, str] | None:
            if rel:
                found = _safe_day(_rel_year(rel, dct), month, day)
            else:
                found = _yearless(month, day, dct, future)
            return (found.isoformat(), "day") if found else None
        return _Candidate(m.start(), m.end(), resolve, "day", 0.9, True)

    @rule(rf"\b(?P<day>{DAY})\s+(?P<mon>{MON})(?:,?\s+(?:of\s+)?(?P<rel>{REL_YEAR}))?(?!\s*,?\s*\d)")
    def day_month(m: re.Match[str]) -> _Candidate | None:
        month, day = month_number(m["mon"]), day_number(m["day"])
        rel = m["rel"]

        def resolve(dct: date, future: bool) -> tuple[str, str] | None:
            found = _safe_day(_rel_year(rel, dct), month, day) if rel else _yearless(month, day, dct, future)
            return (found.isoformat(), "day") if found else None
        return _Candidate(m.start(), m.end(), resolve, "day", 0.88, True)

    @rule(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")
    def iso_day(m: re.Match[str]) -> _Candidate | None:
        found = _safe_day(int(m["y"]), int(m["m"]), int(m["d"]))
        return None if found is None else _Candidate(m.start(), m.end(), _fixed(found.isoformat(), "day"), "day", 0.97, False)

    @rule(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})(?![\d/])")
    def numeric_day(m: re.Match[str]) -> _Candidate | None:
        a, b, year = int(m["a"]), int(m["b"]), int(m["y"])
        if a > 12 and b <= 12:
            found, confidence = _safe_day(year, b, a), 0.9
        elif b > 12 and a <= 12:
            found, confidence = _safe_day(year, a, b), 0.9
        else:  # both could be the month: US order, as American news writes it, less sure
            found, confidence = _safe_day(year, a, b), 0.6
        return None if found is None else _Candidate(m.start(), m.end(), _fixed(found.isoformat(), "day"), "day", confidence, False)

    @rule(rf"(?:(?P<mod>early|late|mid|the\s+end\s+of|the\s+beginning\s+of)[\s-]+)?(?P<mon>{MON_FULL}|{MON})\s+(?:of\s+)?(?P<year>{YEAR})")
    def month_year(m: re.Match[str]) -> _Candidate | None:
        value = f"{int(m['year'])}-{month_number(m['mon']):02d}"
        return _Candidate(m.start(), m.end(), _fixed(value, "month"), "month", 0.95, False)

    @rule(rf"(?:(?P<mod>early|late|mid|earlier|later)[\s-]+)?(?P<mon>{MON_FULL})\s+(?:of\s+)?(?P<rel>{REL_YEAR})")
    def month_rel_year(m: re.Match[str]) -> _Candidate | None:
        month, rel = month_number(m["mon"]), m["rel"]
        return _Candidate(m.start(), m.end(),
                          lambda dct, _f: (f"{_rel_year(rel, dct)}-{month:02d}", "month"), "month", 0.9, True)

    @rule(rf"(?:(?P<mod>early|late|mid)[\s-]+)?(?P<mon>{MON_FULL})\s+(?:of\s+)?(?:that|the\s+same)\s+year")
    def month_that_year(m: re.Match[str]) -> _Candidate | None:
        month = month_number(m["mon"])
        return _Candidate(m.start(), m.end(), lambda _d, _f: (f"0000-{month:02d}", "month"), "month", 0.85,
                          True, anaphoric=True)

    @rule(rf"\b(?i:that)\s+(?P<mon>{MON_FULL})(?!\s*\d)")
    def that_month(m: re.Match[str]) -> _Candidate | None:
        """"that August": the month in the year of the date told before."""
        month = month_number(m["mon"])
        return _Candidate(m.start(), m.end(), lambda _d, _f: (f"0000-{month:02d}", "month"), "month", 0.85,
                          True, anaphoric=True)

    @rule(r"(?i)\b(?:that|the\s+same)\s+(?P<season>spring|summer|fall|autumn|winter)\b")
    def that_season(m: re.Match[str]) -> _Candidate | None:
        """"that summer": the year of the date told just before."""
        code = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}[_fold(m["season"])]
        return _Candidate(m.start(), m.end(), lambda _d, _f: None, "year", 0.8, True, season=code,
                          follow=lambda value, granularity: (value[:4], "year"))

    @rule(r"(?i)\b(?:(?:on|by)\s+)?(?:the\s+same\s+day|that\s+same\s+day|(?:earlier\s+|later\s+)?that\s+day|"
          r"that\s+(?:morning|afternoon|evening|night))\b")
    def same_day(m: re.Match[str]) -> _Candidate | None:
        """"the same day", "that morning": the day told just before (its month when only
        the month was told: "sued in August 2020, on the same day ...")."""
        return _Candidate(m.start(), m.end(), lambda _d, _f: None, "day", 0.85, True,
                          follow=lambda value, granularity: (value, granularity) if granularity in {"day", "month"}
                          else None)

    @rule(r"(?i)\b(?:(?P<n>\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
          r"(?P<unit>day|week|month|year)s?\s+(?P<dir>later)|"
          r"(?:(?P<mod>early|late|mid)[\s-]+)?the\s+(?P<next>following|next|previous|preceding)\s+"
          r"(?P<unit2>day|week|month|year)|the\s+(?P<unit3>day)\s+before(?!\s+(?:the|a|an|its|his|her|their)\b))\b")
    def counted_from_before(m: re.Match[str]) -> _Candidate | None:
        """"a year later", "six days later", "the day before", "the following month":
        counted from the date told just before, at that date's granularity (never finer
        than it, and coarse enough for the unit)."""
        if m["n"]:
            n = int(m["n"]) if m["n"].isdigit() else NUMBER_WORDS[_fold(m["n"])]
            unit, step = _fold(m["unit"]), -1 if _fold(m["dir"]) in {"earlier", "before"} else 1
        elif m["unit3"]:
            n, unit, step = 1, "day", -1
        else:
            n, unit = 1, _fold(m["unit2"])
            step = 1 if _fold(m["next"]) in {"following", "next"} else -1
        order = ["day", "month", "year"]

        def follow(value: str, granularity: str) -> tuple[str, str] | None:
            from tracker.dates import period_start as _start

            if granularity not in order:
                return None
            first = date.fromisoformat(_start(value) or "")
            if unit == "week":
                # "two weeks later" is a span of days, not one: its month when the whole
                # stretch lies in one month; "the following week" is the next Monday-to-
                # Sunday week, a month when it lies in one.
                if granularity != "day":
                    return None
                if m["unit2"]:
                    monday = first + timedelta(days=7 * step - first.weekday())
                    sunday = monday + timedelta(days=6)
                    return (monday.strftime("%Y-%m"), "month") if monday.month == sunday.month else None
                last = first + timedelta(days=step * n * 7)
                return (last.strftime("%Y-%m"), "month") if (last.year, last.month) == (first.year, first.month) else None
            if unit == "day":
                if granularity != "day":
                    return None
                return (first + timedelta(days=step * n)).isoformat(), "day"
            if unit == "month":
                index = first.year * 12 + first.month - 1 + step * n
                return (f"{index // 12}-{index % 12 + 1:02d}", "month") if granularity != "year" else None
            year = first.year + step * n
            if m["unit2"] or granularity == "year":
                return str(year), "year"
            return (f"{year}-{first.month:02d}", "month") if granularity in {"day", "month"} else None
        # TempEval calls "a month" in "a month earlier" a DURATION; for a case it is a date.
        return _Candidate(m.start(), m.end(), lambda _d, _f: None, unit if unit != "week" else "day", 0.8, True,
                          follow=follow, kind="DURATION" if m["n"] else "DATE")

    @rule(rf"(?:\b(?P<prep>(?i:in|since|by|until|till|through|during|from|before|after)|to|between|and|or)\s+)?"
          rf"(?:(?P<mod>(?i:(?:(?:early|late|mid)[\s-]+)?(?:last|next|this)|early|late|mid|earlier\s+in|later\s+in|"
          rf"the\s+(?:end|start|beginning|middle)\s+of))[\s-]+)?(?P<mon>{MON_FULL})(?!\s*\d)")
    def month_alone(m: re.Match[str]) -> _Candidate | None:
        if not (m["prep"] or m["mod"]):
            return None
        month = month_number(m["mon"])
        mod = (m["mod"] or "").lower()
        shift = next((w for w in ("last", "next", "this") if re.search(rf"\b{w}$", mod)), "")
        start = m.start("mod") if m["mod"] else m.start("mon")
        return _Candidate(start, m.end(), lambda dct, fut: (_month_alone(month, dct, fut, shift), "month"),
                          "month", 0.85, True)

    @rule(r"\b(?:the\s+)?(?P<q>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter"
          rf"(?:\s+of)?(?:\s+(?:(?P<year>{YEAR})|(?P<rel>{REL_YEAR})))?")
    def quarter(m: re.Match[str]) -> _Candidate | None:
        number = QUARTERS[_fold(m["q"])]
        if m["year"]:
            return _Candidate(m.start(), m.end(), _fixed(f"{m['year']}-Q{number}", "quarter"), "quarter", 0.9, False)
        rel = m["rel"]
        return _Candidate(m.start(), m.end(),
                          lambda dct, _f: (f"{_rel_year(rel, dct) if rel else dct.year}-Q{number}", "quarter"),
                          "quarter", 0.8 if rel else 0.6, True)

    @rule(rf"\bQ(?P<q>[1-4])\s+(?P<year>{YEAR})")
    def quarter_short(m: re.Match[str]) -> _Candidate | None:
        return _Candidate(m.start(), m.end(), _fixed(f"{m['year']}-Q{m['q']}", "quarter"), "quarter", 0.95, False)

    @rule(rf"(?:\b(?P<prep>(?i:in|since|by|until|till|through|during|from|before|after|early|late|mid)|of|"
          rf"the\s+end\s+of|the\s+start\s+of|the\s+beginning\s+of)[\s-]+)?(?P<year>{YEAR})")
    def year(m: re.Match[str]) -> _Candidate | None:
        prep = (m["prep"] or "").lower()
        # Some numbers look like years but are not dates: $2020, No. 2020, Section 2020.
        before = m.string[max(0, m.start("year") - 12):m.start("year")]
        if re.search(r"(?:\$|No\.\s*|Nos\.\s*|Section\s+|§\s*|Order\s+|fiscal\s+(?:year\s+)?|FY\s*|#)$", before, re.IGNORECASE):
            return None
        after = m.string[m.end("year"):m.end("year") + 10]
        if re.match(r"\s*(?:%|percent|million|billion|people|users|cases|employees)", after):
            return None
        if prep in {"early", "late", "mid", "the end of", "the start of", "the beginning of"}:
            start, confidence = m.start(), 0.85
        elif prep == "of" and re.search(r"[A-Z][a-z]+\s+of\s+$", m.string[max(0, m.start() - 20):m.end("prep") + 1]):
            return None  # "Securities Act of 1933": a year inside a name
        elif prep:
            start, confidence = m.start("year"), 0.85
        else:
            start, confidence = m.start("year"), 0.45
        return _Candidate(start, m.end(), _fixed(m["year"], "year"), "year", confidence, False)

    @rule(rf"\b(?P<time>\d{{1,2}}:\d{{2}}(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{{2,4}}|\s+[A-Z][a-z]+\s+time)?)\s+(?:on\s+)?(?P<wd>{WDAY})")
    def clock_weekday(m: re.Match[str]) -> _Candidate | None:
        """"15:00 GMT Saturday": a TIME; its day is still the weekday's."""
        weekday = WEEKDAYS[_fold(m["wd"])]

        def resolve(dct: date, future: bool) -> tuple[str, str] | None:
            return _weekday_near(weekday, dct, "future" if future else "past").isoformat(), "day"
        return _Candidate(m.start(), m.end(), resolve, "day", 0.85, True, weekday=weekday, kind="TIME", period=7)

    @rule(r"(?i)\b(?P<word>yesterday|today|tomorrow|tonight)\b")
    def deictic_day(m: re.Match[str]) -> _Candidate | None:
        word = _fold(m["word"])
        shift = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[word]
        loose = shift == 0
        return _Candidate(m.start(), m.end(), lambda dct, _f: ((dct + timedelta(days=shift)).isoformat(), "day"),
                          "day", 0.3 if loose else 0.9, True, loose=loose, kind="TIME" if word == "tonight" else "DATE",
                          period=1)

    @rule(r"(?i)\b(?:(?P<present>now|currently|at\s+present|nowadays)|in\s+(?P<past>the\s+past)|(?P<then>at\s+the\s+time)|"
          r"in\s+(?P<future>the\s+future))\b")
    def reference(m: re.Match[str]) -> _Candidate | None:
        """Dates of the telling, not of an event: TIMEX3 PRESENT_REF / PAST_REF / FUTURE_REF."""
        group = next(g for g in ("present", "past", "then", "future") if m[g])
        code = {"present": "PRESENT_REF", "past": "PAST_REF", "then": "PAST_REF", "future": "FUTURE_REF"}[group]
        return _Candidate(m.start(group), m.end(group), lambda _d, _f: None, "day", 0.3, False, loose=True, timex3=code)

    @rule(r"(?i)\b(?:the\s+)?(?P<n>\d{1,2})(?:st|nd|rd|th)\s+century\b")
    def century(m: re.Match[str]) -> _Candidate | None:
        return _Candidate(m.start(), m.end(), lambda _d, _f: None, "year", 0.5, False, loose=True,
                          timex3=f"{int(m['n']) - 1:02d}")

    @rule(rf"(?i)\b(?P<mod>(?:(?:early|late|mid)[\s-]+)?(?:last|this|next|past|coming)\s+|(?:early|late|mid)[\s-]+)?"
          rf"(?P<season>spring|summer|fall|autumn|winter)\b(?:\s+(?:of\s+)?(?P<year>{YEAR}))?")
    def season(m: re.Match[str]) -> _Candidate | None:
        code = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}[_fold(m["season"])]
        first_month = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[code]
        mod = (m["mod"] or "").lower()
        if m["year"]:
            year = int(m["year"])
            return _Candidate(m.start(), m.end(), _fixed(str(year), "year"), "year", 0.85, False, season=code)
        if not mod:
            return None
        step = -1 if ("last" in mod or "past" in mod) else 1 if ("next" in mod or "coming" in mod) else 0

        def resolve(dct: date, _future: bool) -> tuple[str, str] | None:
            # The season of this year, or the nearest one before/after the document date.
            year = dct.year
            if step < 0 and (dct.month, dct.day) < (first_month + 3 if first_month < 12 else 15, 1):
                year -= 1
            if step > 0 and dct.month >= first_month:
                year += 1
            return str(year), "year"
        return _Candidate(m.start(), m.end(), resolve, "year", 0.8, True, season=code)

    @rule(rf"(?i)\b(?P<mod>this|last|next)\s+fiscal\s+year\b|\bfiscal\s+(?:year\s+)?(?P<year>{YEAR})")
    def fiscal(m: re.Match[str]) -> _Candidate | None:
        """A fiscal-year label: a date for TIMEX3, not the date of an event."""
        if m["year"]:
            return _Candidate(m.start(), m.end(), _fixed(m["year"], "year"), "year", 0.6, False, loose=True)
        step = {"this": 0, "last": -1, "next": 1}[_fold(m["mod"])]
        return _Candidate(m.start(), m.end(), lambda dct, _f: (str(dct.year + step), "year"), "year", 0.6, True,
                          loose=True)

    @rule(rf"\b(?P<first>{YEAR_BARE})[-–](?P<second>(?:1[89]|20)?\d\d)\b")
    def year_range(m: re.Match[str]) -> _Candidate | None:
        """"2009-2010", "1957-58": two years; the first one is this candidate."""
        return _Candidate(m.start("first"), m.end("first"), _fixed(m["first"], "year"), "year", 0.8, False)

    @rule(rf"\b(?:{YEAR_BARE})[-–](?P<second>(?:1[89]|20)?\d\d)\b")
    def year_range_end(m: re.Match[str]) -> _Candidate | None:
        second = m["second"]
        first = m.group(0)[:4]
        year = second if len(second) == 4 else first[:2] + second
        if int(year) <= int(first):
            return None
        return _Candidate(m.start("second"), m.end("second"), _fixed(year, "year"), "year", 0.8, False)

    @rule(rf"(?:\b(?P<mod>(?i:last|next|this|on|earlier\s+on|late\s+on|early\s+on))\s+)?(?P<wd>{WDAY})(?:\s+(?P<part>morning|afternoon|evening|night))?")
    def weekday(m: re.Match[str]) -> _Candidate | None:
        weekday = WEEKDAYS[_fold(m["wd"])]
        mod = (m["mod"] or "").lower()
        start = m.start("wd") if mod in {"on", ""} else m.start()

        def resolve(dct: date, future: bool) -> tuple[str, str] | None:
            mode = {"last": "last", "next": "next", "this": "this"}.get(mod, "future" if future else "past")
            return _weekday_near(weekday, dct, mode).isoformat(), "day"
        return _Candidate(start, m.end(), resolve, "day", 0.85, True, weekday=weekday,
                          kind="TIME" if m["part"] else "DATE", period=7)

    @rule(rf"(?:\b(?P<det>(?i:an?|the|his|her|its|their|our|that|this|last))\s+(?:(?-i:[a-z]+)\s+)?)?"
          rf"(?P<mon>{MON_FULL})(?:[\s-]+(?P<adj>[a-z]+))?\s+(?P<noun>(?i:{ACT_NOUNS}))\b")
    def month_modifier(m: re.Match[str]) -> _Candidate | None:
        """"an October executive order", "his August ruling", "the September order": the
        month dates the act it modifies (the most recent such month, or the coming one)."""
        if not (m["det"] or m["adj"]):
            return None
        month = month_number(m["mon"])
        return _Candidate(m.start("mon"), m.end("mon"), lambda dct, fut: (_month_alone(month, dct, fut), "month"),
                          "month", 0.85, True)

    @rule(rf"\b(?P<year>{YEAR})(?:[\s-]+(?P<adj>[a-z]+))?\s+(?P<noun>(?i:{ACT_NOUNS}))\b")
    def year_modifier(m: re.Match[str]) -> _Candidate | None:
        """"a 2019 statute", "the 2021 ban", "Judge Upholds 2023 Rule": a year modifying an
        act dates it, as surely as "in 2019"."""
        before = m.string[max(0, m.start() - 12):m.start()]
        if re.search(r"(?:\$|No\.\s*|Nos\.\s*|Section\s+|§\s*|Order\s+|#)$", before, re.IGNORECASE):
            return None
        return _Candidate(m.start("year"), m.end("year"), _fixed(m["year"], "year"), "year", 0.85, False)

    @rule(r"(?i)\b(?P<mod>last|this|next|(?:over|during)\s+the)\s+weekend\b")
    def weekend(m: re.Match[str]) -> _Candidate | None:
        """"last weekend": its month when the Saturday and Sunday lie in one month."""
        mod = _fold(m["mod"])

        def resolve(dct: date, future: bool) -> tuple[str, str] | None:
            saturday = dct - timedelta(days=(dct.weekday() - 5) % 7 or 7) if mod in {"last"} or (
                mod != "next" and not future) else dct + timedelta(days=(5 - dct.weekday()) % 7 or 7)
            sunday = saturday + timedelta(days=1)
            return (saturday.strftime("%Y-%m"), "month") if saturday.month == sunday.month else None
        return _Candidate(m.start(), m.end(), resolve, "month", 0.8, True)

    @rule(r"(?i)\b(?P<mod>(?:(?:early|late|earlier|later)\s+)?(?:last|this|next)|earlier\s+this|later\s+this)\s+(?P<unit>week|month|year)\b")
    def relative_period(m: re.Match[str]) -> _Candidate | None:
        mod, unit = " ".join(_fold(m["mod"]).split()), _fold(m["unit"])
        step = -1 if "last" in mod else 1 if "next" in mod else 0

        def resolve(dct: date, _future: bool) -> tuple[str, str] | None:
            if unit == "week":
                return value_for(dct + timedelta(weeks=step), "week"), "week"
            if unit == "month":
                month_index = dct.year * 12 + dct.month - 1 + step
                return f"{month_index // 12}-{month_index % 12 + 1:02d}", "month"
            return str(dct.year + step), "year"
        return _Candidate(m.start(), m.end(), resolve, unit, 0.85, True)

    @rule(r"(?i)\bwithin\s+(?P<n>\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|fourteen|thirty|"
          r"sixty|ninety)\s+(?P<unit>day|week|month)s?\b")
    def deadline(m: re.Match[str]) -> _Candidate | None:
        """"must respond within 60 days": a deadline that many days after the story."""
        raw = _fold(m["n"])
        n = int(raw) if raw.isdigit() else {**NUMBER_WORDS, "fourteen": 14, "thirty": 30, "sixty": 60,
                                               "ninety": 90}[raw]
        unit = _fold(m["unit"])

        def resolve(dct: date, _future: bool) -> tuple[str, str] | None:
            if unit == "day":
                return (dct + timedelta(days=n)).isoformat(), "day"
            if unit == "week":
                return (dct + timedelta(weeks=n)).isoformat(), "day"
            month_index = dct.year * 12 + dct.month - 1 + n
            return f"{month_index // 12}-{month_index % 12 + 1:02d}", "month"
        # TIMEX3 calls the phrase a DURATION; for a case it is the deadline it implies.
        return _Candidate(m.start(), m.end(), resolve, "day", 0.6, True, kind="DURATION")

    @rule(r"(?i)\b(?P<n>\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?P<unit>day|week|month|year)s?\s+ago\b")
    def ago(m: re.Match[str]) -> _Candidate | None:
        n = int(m["n"]) if m["n"].isdigit() else NUMBER_WORDS[_fold(m["n"])]
        unit = _fold(m["unit"])

        def resolve(dct: date, _future: bool) -> tuple[str, str] | None:
            if unit == "day":
                return (dct - timedelta(days=n)).isoformat(), "day"
            if unit == "week":
                return value_for(dct - timedelta(weeks=n), "week"), "week"
            if unit == "month":
                month_index = dct.year * 12 + dct.month - 1 - n
                return f"{month_index // 12}-{month_index % 12 + 1:02d}", "month"
            return str(dct.year - n), "year"
        return _Candidate(m.start(), m.end(), resolve, unit, 0.75, True)

    return [(re.compile(pattern), build) for pattern, build in table]


_COMPILED = _patterns()
_NO_ANCHOR = date(2000, 1, 1)  # absolute resolvers ignore the anchor

_FUTURE = re.compile(  # the lookahead: what a match starts with (other positions are passed at once)
    r"(?=[wsiadcmuetfprl'])\b(?:will|shall|'ll|would|is\s+(?:set|scheduled|expected|due|slated|to)|are\s+(?:set|scheduled|expected|due|slated|to)|"
    r"set\s+(?:to|for)|scheduled|due\s+(?:on|by|to|in|at|\d|(?-i:[A-Z][a-z]{2}))|(?:can|could|must|should|might)\s+be\s+\w+ed|upcoming|deadline|expires?|takes?\s+effect|"
    r"effective|falls\s+next|plans?\s+to|intends?\s+to|expects?\s+to|remains?\s+in\s+(?:place|effect)|"
    r"(?:run|runs|last|lasts|continue|continues|extend|extends)\s+(?:through|until|till|into)|"
    r"to\s+(?:hold|begin|start|open|resume|take\s+place|be\s+held|take\s+effect))\b",
    re.IGNORECASE,
)
_PAST_AUX = re.compile(r"\b(?:had|was|were|did|has\s+been|have\s+been)\b", re.IGNORECASE)
# "had been scheduled", "had set", "was expected": a past view of a plan, whose date has passed.
_PAST_PLAN = re.compile(r"\bhad\s+(?:been\s+)?(?:\w+\s+){0,2}$", re.IGNORECASE)
_PAST_VERB_AFTER = re.compile(
    r"^\s*,?\s*(?:\w+ly\s+)?(?:[a-z]+ed|said|ruled|found|won|lost|sought|began|came|went|took|made|gave|"
    r"held|told|wrote|filed|sued|agreed|paused)\b"
)


_PAST_VERB_BEFORE = re.compile(
    r"\b(?:[a-z]{3,}ed|said|ruled|found|won|lost|sought|began|came|went|took|made|gave|held|told|wrote|filed|sued)"
    r"\s+(?:on|in|at|during|last|early|late)?\s*$"
)


_PAST_VERB = re.compile(r"\b(?:[a-z]{3,}ed|said|ruled|found|won|lost|sought|began|came|went|took|made|gave|held|"
                        r"told|wrote|heard|upheld|struck|threw|saw|chose|spoke|brought|bought|sold|paid|met)\b")
_DEADLINE_BEFORE = re.compile(r"\b(?:until|till|by|before|no\s+later\s+than)\s+(?:the\s+(?:end|middle|start|beginning)\s+of\s+)?$",
                              re.IGNORECASE)
_DIRECTIVE = re.compile(r"\b(?:gave|give|gives|given|ordered|orders|directed|directs|told|tells|instructed|required|"
                        r"requires|has|have|had|must|deadline|due|set|sets|extended|extends)\b", re.IGNORECASE)
_SUBORDINATE = re.compile(r"\b(?:which|that|who|whom|whose|whether|where)\b|,\s*(?:finding|saying|ruling|arguing|"
                          r"holding|concluding|writing|adding|noting)\b", re.IGNORECASE)


def looks_ahead(clause: str) -> bool:
    """Whether a clause speaks of what is coming (future tense, schedules, deadlines)."""
    return bool(_FUTURE.search(clause))


_PAST_DIRECTIVE = re.compile(r"\b(?:gave|ordered|directed|told|instructed|required|set|extended)\b", re.IGNORECASE)


def deadline_told_in_past(sentence: str, start: int, end: int) -> bool:
    """A deadline a past order set ("told the parties to report by April 14", "gave them
    until Oct. 14 to file"): it may have passed or be coming, so the year is the one
    that puts the date nearest the story."""
    begin, _ = clause_bounds(sentence, start, end)
    before = sentence[begin:start]
    return bool(_DEADLINE_BEFORE.search(before) and _PAST_DIRECTIVE.search(before)
                and not re.search(r"\b(?:has|have|must|will)\b", before, re.IGNORECASE))


def looks_ahead_at(sentence: str, start: int, end: int) -> bool:
    """Whether the clause around [start, end) speaks of what is coming.

    The nearest signal wins: a past-tense verb right after the phrase ("who on Oct. 6
    paused") makes it past; a future marker before it ("is set to begin Aug. 2")
    makes it future unless a past perfect governs the marker ("had been scheduled to
    begin on Oct. 17"); a marker after it counts only when no past auxiliary precedes
    ("had agreed in July to push the deadline").
    """
    begin, finish = clause_bounds(sentence, start, end)
    before, after = sentence[begin:start], sentence[end:finish]
    if _DEADLINE_BEFORE.search(before) and (_DIRECTIVE.search(before) or re.match(r"\s*,?\s*to\s+[a-z]", after)):
        return True  # "gave them until Oct. 14 to file", "ordered a report before Nov. 5", "has until July 9"
    # A marker inside a subordinate clause ("..., finding the rule would", "on which party
    # would control") does not govern the phrase.
    cut = _SUBORDINATE.search(after)
    if cut:
        after = after[: cut.start()]
    if _PAST_VERB_AFTER.match(after):
        return False
    verb_before = _PAST_VERB_BEFORE.search(before)
    if verb_before and not re.search(r"\b(?:be|been|being|is|are|to)\s+$", before[: verb_before.start()]):
        return False  # "agreed on Tuesday", not "to be published in May"
    # Markers may run into the phrase itself ("due Oct. 16").
    markers = [m for m in _FUTURE.finditer(sentence[begin:end]) if m.start() < len(before)]
    if markers:
        last = markers[-1]
        return not _PAST_PLAN.search(before[: last.start()])
    ahead = _FUTURE.search(after)
    if not ahead or _PAST_AUX.search(before) or _PAST_VERB.search(before):
        return False  # "opened at 9:30 p.m. on Monday and is expected to last": the past verb dates it
    # "On Feb. 28, the bank released a note saying costs would rise": the past verb
    # between the phrase and the marker is what the phrase dates.
    return not _PAST_VERB.search(after[: ahead.start()])


def candidates(text: str) -> list[_Candidate]:
    """Every pattern's matches, overlaps resolved longest-first (one scan of `text`:
    a document read by several steps is scanned once through its `Scan`)."""
    return list(_scan(text)[0])


class Scan:
    """One document's text read once: the tagger's candidates, the sentence spans, the
    page furniture and what the text states whatever its headline (`facts`), computed on
    first use and handed to every step that reads the document (facts, publication date,
    case context, event proposal and titles), so no step scans it again.

    It crosses a process boundary as plain data: the text, each kept candidate's rule
    and offset (a candidate holds its resolver, a closure), the sentence spans, the
    furniture and the facts' reading, as far as they were computed. The
    other process rebuilds each candidate from its own match at that offset, one
    anchored match per candidate, never a scan of the text.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._candidates: tuple[_Candidate, ...] | None = None
        self._rules: tuple[tuple[int, int], ...] | None = None
        self._sentences: list[tuple[int, int]] | None = None
        self._sentence_starts: list[int] | None = None
        self._furniture: list[Any] | None = None
        self._facts: Any = None

    @property
    def candidates(self) -> tuple[_Candidate, ...]:
        """Every pattern's matches in the text, overlaps resolved (see `candidates`)."""
        if self._candidates is None:
            if self._rules is not None:
                self._candidates = _rebuild(self.text, self._rules)
            else:
                self._candidates, self._rules = _scan(self.text)
        return self._candidates

    @property
    def sentences(self) -> list[tuple[int, int]]:
        """(start, end) of each sentence (`sentences.sentence_spans`)."""
        if self._sentences is None:
            self._sentences = sentence_spans(self.text)
        return self._sentences

    def sentence_at(self, offset: int) -> tuple[int, int]:
        """The sentence holding `offset`, else the whole text (found by bisection)."""
        if self._sentence_starts is None:
            self._sentence_starts = [start for start, _ in self.sentences]
        at = bisect.bisect_right(self._sentence_starts, offset) - 1
        if at >= 0 and offset < self.sentences[at][1]:
            return self.sentences[at]
        return 0, len(self.text)

    @property
    def furniture(self) -> list[Any]:
        """The page's furniture lines (`furniture.furniture_lines`)."""
        if self._furniture is None:
            from tracker.furniture import furniture_lines

            self._furniture = furniture_lines(self.text)
        return self._furniture

    @property
    def facts(self) -> Any:
        """What the text states whatever its headline (`facts.read_text`): its facts with
        the headline and, for its event titles, without."""
        if self._facts is None:
            from tracker.facts import read_text

            self._facts = read_text(self.text, self.sentences)
        return self._facts

    def __getstate__(self) -> dict[str, Any]:
        if self._candidates is not None and self._rules is None:
            raise ValueError("candidates without their rules cannot cross a process boundary")
        return {"text": self.text, "rules": self._rules, "sentences": self._sentences, "furniture": self._furniture,
                "facts": self._facts}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["text"])  # type: ignore[misc]
        self._rules, self._sentences, self._furniture = state["rules"], state["sentences"], state["furniture"]
        self._facts = state.get("facts")


def _rebuild(text: str, rules: tuple[tuple[int, int], ...]) -> tuple[_Candidate, ...]:
    """The candidates a scan kept, from each one's rule and offset."""
    out = []
    for rule, start in rules:
        pattern, build = _COMPILED[rule]
        match = pattern.match(text, start)
        candidate = build(match) if match else None
        if candidate is None:  # cannot happen for the text the rules were read from
            return _scan(text)[0]
        out.append(candidate)
    return tuple(out)


# The scan, fast and exact. Python's `re` looks for a pattern that begins with a literal
# (or a set of literals) by skipping ahead to it, but runs the whole matcher at every
# offset of the text for a pattern that begins with `\b`, a lookbehind or an optional
# group: most of the tagger's rules. So each rule has a plan (`_PLANS`) naming a few
# offsets every match of it must start at or near (a month name, a weekday, a run of
# digits, a word the rule cannot match without), and the rule's own pattern is run only
# there. Each plan gives exactly the matches `pattern.finditer(text)` gives: the leftmost
# match at or after the end of the one before, each time. (`\b` and lookbehinds see the
# text before the offset a match or search starts at; a match of the empty string, which
# no rule has, would send the rule to `finditer`.)

# Every month name as MON and MON_FULL spell it begins with one of these; each begins
# with a capital and has none after it, so two never overlap.
_MONTH_AT = re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
_WEEKDAY_AT = re.compile(r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday")
_DIGITS = re.compile(r"\d+")
_YEAR_AT = re.compile(r"(?:1[89]|20)\d\d")
_WORD_START = re.compile(r"\b\w")
# Matched on the reversed text at an offset: up to k runs of characters other than
# whitespace and hyphens, with the whitespace and hyphens around them. So it reaches at
# least as far back as the start of any k words, joined and followed by whitespace or
# hyphens, that end at the offset, however long the words and the gaps.
_RUNS_BACK = [re.compile(rf"(?:[\s-]*[^\s-]+){{0,{k}}}") for k in range(5)]


class _Reading:
    """One text as the plans read it: its case-folded copy, and the offsets of the tokens
    the rules hang on, each list found on first use and shared by the rules."""

    def __init__(self, text: str) -> None:
        self.text = text
        odd = not text.isascii() and any(chr(code) in text for code in _FOLD_ODD)
        # One character for one, so a word a case-blind pattern matches in `text` is
        # found, lower case, at the same offset in `folded`.
        self.folded = (text.translate(_FOLD_ODD) if odd else text).lower()
        self._reversed: str | None = None
        self._found: dict[str, list[int]] = {}

    def has(self, *words: str) -> bool:
        """Whether one of the lower-case words occurs in the text, in any case."""
        return any(word in self.folded for word in words)

    def _offsets(self, key: str, find: Callable[[], list[int]]) -> list[int]:
        if key not in self._found:
            self._found[key] = find()
        return self._found[key]

    def words(self, *words: str) -> list[int]:
        """Every offset, in order, at which one of the lower-case words occurs in any case."""
        def find() -> list[int]:
            found: set[int] = set()
            for word in words:
                at = self.folded.find(word)
                while at >= 0:
                    found.add(at)
                    at = self.folded.find(word, at + 1)
            return sorted(found)
        return self._offsets(" ".join(words), find)

    def months(self) -> list[int]:
        return self._offsets("<month>", lambda: [m.start() for m in _MONTH_AT.finditer(self.text)])

    def weekdays(self) -> list[int]:
        return self._offsets("<weekday>", lambda: [m.start() for m in _WEEKDAY_AT.finditer(self.text)]
                             if "day" in self.text else [])

    def digit_runs(self) -> list[int]:
        """Where each run of digits starts. A digit after `\\b`, or after a lookbehind
        that refuses a digit, starts one."""
        return self._offsets("<digits>", lambda: [m.start() for m in _DIGITS.finditer(self.text)])

    def years(self) -> list[int]:
        """Every offset at which YEAR_BARE matches (inside a longer run of digits too)."""
        def find() -> list[int]:
            found = []
            match = _YEAR_AT.search(self.text)
            while match:
                found.append(match.start())
                match = _YEAR_AT.search(self.text, match.start() + 1)
            return found
        return self._offsets("<year>", find)

    def letters(self, letter: str) -> list[int]:
        """Every offset of one character, case as given."""
        def find() -> list[int]:
            found, at = [], self.text.find(letter)
            while at >= 0:
                found.append(at)
                at = self.text.find(letter, at + 1)
            return found
        return self._offsets(f"<{letter}>", find)

    def runs_back(self, at: int, runs: int) -> int:
        """An offset at or before the start of any `runs` words (runs of characters other
        than whitespace and hyphens) joined and followed by whitespace or hyphens up to `at`."""
        if self._reversed is None:
            self._reversed = self.text[::-1]
        # The text before `at`, read backwards, is the reversed text from len - at on.
        return len(self.text) - _RUNS_BACK[runs].match(self._reversed, len(self.text) - at).end()


def _from_starts(pattern: re.Pattern[str], text: str, starts: list[int]) -> list[re.Match[str]]:
    """`pattern.finditer(text)` when every match starts at one of `starts` (in order):
    the next match is the first offset at or after the end of the last one at which the
    pattern matches, and only those offsets can be it."""
    out: list[re.Match[str]] = []
    end = 0
    for start in starts:
        if start >= end:
            match = pattern.match(text, start)
            if match:
                if match.end() == start:
                    return list(pattern.finditer(text))
                out.append(match)
                end = match.end()
    return out


def _after_prefix(pattern: re.Pattern[str], reading: _Reading, tails: list[int], runs: int) -> list[re.Match[str]]:
    """`pattern.finditer(text)` for a pattern of optional prefixes of at most `runs` words
    (joined and followed by whitespace or hyphens) before a required tail that can start
    only at one of the offsets `tails` (in order).

    The tail of any match starts at an offset t where the pattern itself matches (with
    every prefix left out), and the match starts between `runs_back(t)` and t. Let a be
    the first such offset at or after `end`, the end of the last match: the next match
    has its tail at a or after, so it starts no earlier than the least `runs_back` of a
    and the tails after it, and a search from there finds it, no later than a.
    """
    text = reading.text
    anchors = [at for at in tails if pattern.match(text, at)]
    lows = [reading.runs_back(at, runs) for at in anchors]
    for i in range(len(lows) - 2, -1, -1):
        lows[i] = min(lows[i], lows[i + 1])
    out: list[re.Match[str]] = []
    end, i = 0, 0
    while i < len(anchors):
        if anchors[i] < end:
            i += 1
            continue
        match = pattern.search(text, max(end, lows[i]))
        # The pattern matches at anchors[i], so a search from before it finds a match there
        # or earlier; anything else (a plan no longer true of its rule) falls back to finditer.
        if match is None or match.start() > anchors[i] or match.end() == match.start():
            return list(pattern.finditer(text))
        out.append(match)
        end = match.end()
    return out


def _near_words(pattern: re.Pattern[str], reading: _Reading, words: list[int], runs: int) -> list[re.Match[str]]:
    """`pattern.finditer(text)` for a pattern that begins with `\\b` and a word character
    and holds one of the offsets `words` (in order) after at most `runs` words of its own,
    joined and followed by whitespace or hyphens: every match starts at the start of a
    word between `runs_back` of one of those offsets and the offset."""
    spans = sorted((reading.runs_back(at, runs), at) for at in words)
    starts: list[int] = []
    done = -1  # every offset up to here has been looked at
    for low, high in spans:
        low = max(low, done + 1)
        if low <= high:
            # `\b\w` at an offset before `high + 1` reads nothing at or after it.
            starts.extend(m.start() for m in _WORD_START.finditer(reading.text, low, high + 1))
            done = high
    return _from_starts(pattern, reading.text, starts)


@dataclass(frozen=True)
class _Plan:
    """Where one rule's matches can be: `gate` says whether the text can hold one at all
    (a word every match needs); then every match starts at one of `starts`, or (`tails`)
    has its required tail there after optional prefixes of at most `runs` words (see
    `_after_prefix`), or (`near`) starts a word at most `runs` words before one of `near`
    (see `_near_words`). A plan with none of the three is read with `finditer`."""

    gate: Callable[[_Reading], bool] | None = None
    starts: Callable[[_Reading], list[int]] | None = None
    tails: Callable[[_Reading], list[int]] | None = None
    near: Callable[[_Reading], list[int]] | None = None
    runs: int = 0


_SEASONS = ("spring", "summer", "fall", "autumn", "winter")
# Each rule's plan, by the name of its builder; the comment says why the plan holds
# every match.
_PLANS: dict[str, _Plan] = {
    # Begins with WDAY and holds MON.
    "weekday_pair": _Plan(gate=lambda r: bool(r.months()), starts=_Reading.weekdays),
    # Begin with MON.
    "month_day_year": _Plan(starts=_Reading.months),
    "month_day": _Plan(starts=_Reading.months),
    # Begin with `\b` and a digit, and hold MON.
    "day_month_year": _Plan(gate=lambda r: bool(r.months()), starts=_Reading.digit_runs),
    "day_month": _Plan(gate=lambda r: bool(r.months()), starts=_Reading.digit_runs),
    # Begins with `\b` and a digit, holds "-".
    "iso_day": _Plan(gate=lambda r: "-" in r.text, starts=_Reading.digit_runs),
    # Begins with a digit after no digit, holds "/".
    "numeric_day": _Plan(gate=lambda r: "/" in r.text, starts=_Reading.digit_runs),
    # Optional prefixes ("the beginning of": three words) before a month name.
    "month_year": _Plan(tails=_Reading.months, runs=3),
    "month_rel_year": _Plan(gate=lambda r: r.has("year"), tails=_Reading.months, runs=1),
    "month_that_year": _Plan(gate=lambda r: r.has("year"), tails=_Reading.months, runs=1),
    # Begins with `\b` and "that" in any case, holds MON_FULL.
    "that_month": _Plan(gate=lambda r: bool(r.months()), starts=lambda r: r.words("that")),
    # Each needs one of these words.
    "that_season": _Plan(gate=lambda r: r.has(*_SEASONS) and r.has("that", "same")),
    "quarter": _Plan(gate=lambda r: r.has("quarter")),
    "deictic_day": _Plan(gate=lambda r: r.has("yesterday", "today", "tomorrow", "tonight")),
    "century": _Plan(gate=lambda r: r.has("century")),
    "fiscal": _Plan(gate=lambda r: r.has("fiscal")),
    "weekend": _Plan(gate=lambda r: r.has("weekend")),
    "deadline": _Plan(gate=lambda r: r.has("within")),
    # `\b`, then "that" or "same" after at most two words ("by earlier that day", "on the
    # same day").
    "same_day": _Plan(near=lambda r: r.words("that", "same"), runs=2),
    # `\b`, then "later" after two words ("twelve months later"), "following", "next",
    # "previous" or "preceding" after two ("mid-the following"), or "before" after two
    # ("the day before").
    "counted_from_before": _Plan(near=lambda r: r.words("later", "following", "next", "previous", "preceding",
                                                         "before"), runs=2),
    # Optional prefixes (a preposition, and "the beginning of": four words) before MON_FULL.
    "month_alone": _Plan(tails=_Reading.months, runs=4),
    # Begins with `\b` and "Q".
    "quarter_short": _Plan(starts=lambda r: r.letters("Q")),
    # An optional prefix ("the beginning of") before YEAR.
    "year": _Plan(tails=_Reading.years, runs=3),
    # Begins with `\b` and a digit, holds ":" and WDAY.
    "clock_weekday": _Plan(gate=lambda r: ":" in r.text and bool(r.weekdays()), starts=_Reading.digit_runs),
    # `\b`, then "now" (and "nowadays") or "currently" first, "present" after one word,
    # "past", "time" or "future" after two.
    "reference": _Plan(near=lambda r: r.words("now", "currently", "present", "past", "time", "future"), runs=2),
    # `\b`, then the season after at most two words ("early-last").
    "season": _Plan(near=lambda r: r.words(*_SEASONS), runs=2),
    # Begin with `\b` and YEAR_BARE, hold a hyphen or dash.
    "year_range": _Plan(gate=lambda r: "-" in r.text or "–" in r.text, starts=_Reading.years),
    "year_range_end": _Plan(gate=lambda r: "-" in r.text or "–" in r.text, starts=_Reading.years),
    # An optional prefix ("earlier on") before WDAY.
    "weekday": _Plan(tails=_Reading.weekdays, runs=2),
    # An optional prefix (a determiner and a word) before MON_FULL.
    "month_modifier": _Plan(tails=_Reading.months, runs=2),
    # Begins with `\b` and YEAR.
    "year_modifier": _Plan(starts=_Reading.years),
    # `\b`, then the unit after at most two words ("earlier this").
    "relative_period": _Plan(near=lambda r: r.words("week", "month", "year"), runs=2),
    # `\b`, then "ago" after two words ("twelve months ago").
    "ago": _Plan(near=lambda r: r.words("ago"), runs=2),
}
_RULE_PLANS = [_PLANS[build.__name__] for _pattern, build in _COMPILED]


def _matches(pattern: re.Pattern[str], plan: _Plan, reading: _Reading) -> Iterable[re.Match[str]]:
    """What `pattern.finditer(reading.text)` gives, found by the rule's plan."""
    if plan.gate is not None and not plan.gate(reading):
        return ()
    if plan.starts is not None:
        return _from_starts(pattern, reading.text, plan.starts(reading))
    if plan.tails is not None:
        return _after_prefix(pattern, reading, plan.tails(reading), plan.runs)
    if plan.near is not None:
        return _near_words(pattern, reading, plan.near(reading), plan.runs)
    return pattern.finditer(reading.text)


def _scan(text: str) -> tuple[tuple[_Candidate, ...], tuple[tuple[int, int], ...]]:
    """Every rule's matches (each found by its plan, as `finditer` finds them): the kept
    candidates, with the rule and match offset of each."""
    found: list[tuple[_Candidate, int, int]] = []
    reading = _Reading(text)
    for rule, ((pattern, build), plan) in enumerate(zip(_COMPILED, _RULE_PLANS)):
        for match in _matches(pattern, plan, reading):
            candidate = build(match)
            if candidate is not None:
                found.append((candidate, rule, match.start()))
    return _keep_longest(found, len(text))


Found = list[tuple[_Candidate, int, int]]


def _keep_longest(found: Found, length: int) -> tuple[tuple[_Candidate, ...], tuple[tuple[int, int], ...]]:
    """The candidates `found` (each with its rule and match offset) in a text of `length`
    characters, overlaps resolved: the kept ones in text order, with their rules and
    offsets."""
    found = sorted(found, key=lambda f: (-(f[0].end - f[0].start), -f[0].confidence, f[0].start))
    # Longest first, each kept when it overlaps none kept before: the characters the
    # kept ones cover are marked, so the test looks only at the candidate's own span
    # (checking kept ones for every candidate grows with the square of a long text).
    covered = bytearray(length)
    kept: Found = []
    for item in found:
        candidate = item[0]
        if covered.find(1, candidate.start, candidate.end) >= 0:
            continue
        covered[candidate.start:candidate.end] = b"\x01" * (candidate.end - candidate.start)
        kept.append(item)
    kept.sort(key=lambda k: k[0].start)
    return tuple(k[0] for k in kept), tuple((k[1], k[2]) for k in kept)


def common_period(a: tuple[str, str], b: tuple[str, str]) -> tuple[str, str] | None:
    """The finest common period of two readings, or None when they share no year."""
    from tracker.dates import period_start  # local: dates imports nothing from here

    start_a, start_b = period_start(a[0]), period_start(b[0])
    if not start_a or not start_b:
        return None
    day_a, day_b = date.fromisoformat(start_a), date.fromisoformat(start_b)
    order = ["day", "week", "month", "quarter", "year"]
    begin = max(order.index(a[1]), order.index(b[1]))
    for granularity in order[begin:]:
        if value_for(day_a, granularity) == value_for(day_b, granularity):
            return value_for(day_a, granularity), granularity
    return None


def resolve_candidate(candidate: _Candidate, anchor: Anchor | None, future: bool) -> tuple[str | None, str, float]:
    """Value, granularity and confidence of a candidate against an anchor."""
    if not candidate.relative:
        value, granularity = candidate.resolve(_NO_ANCHOR, future) or (None, candidate.granularity)
        return value, granularity, candidate.confidence
    if anchor is None:
        return None, candidate.granularity, candidate.confidence * 0.3
    low = candidate.resolve(anchor.lo, future)
    high = candidate.resolve(anchor.hi, future) if anchor.hi != anchor.lo else low
    if low is None or high is None:
        return None, candidate.granularity, candidate.confidence * 0.3
    if low == high:
        return low[0], low[1], candidate.confidence * (1.0 if anchor.lo == anchor.hi else 0.9)
    common = common_period(low, high)
    if common is None:
        return None, candidate.granularity, candidate.confidence * 0.3
    return common[0], common[1], candidate.confidence * 0.7


def _distance(value: str, anchor: Anchor) -> int:
    from tracker.dates import period_start

    start = period_start(value)
    return abs((date.fromisoformat(start) - anchor.lo).days) if start else 10**6


def find_timexes(text: str, anchor: Anchor | None, clause_spans: list[tuple[int, int]] | None = None,
                 scan: Scan | None = None) -> list[Timex]:
    """All temporal expressions in `text`, resolved against `anchor`.

    `clause_spans` (sentence spans) decide whether each expression sits in a clause
    that looks ahead; without them the whole text is one clause. `scan` is the text's
    `Scan` when the caller has one (its candidates are not searched for again).
    """
    spans = clause_spans or [(0, len(text))]
    out: list[Timex] = []
    # The sentence of each candidate by bisection when the spans are in order and apart
    # (sentence spans are); a scan of every span for every candidate grows with the
    # square of a long story.
    ordered = all(a[1] <= b[0] and a[0] <= a[1] for a, b in zip(spans, spans[1:]))
    span_starts = [s for s, _ in spans]
    for candidate in (scan.candidates if scan is not None else candidates(text)):
        if ordered:
            at = bisect.bisect_right(span_starts, candidate.start) - 1
            s_start, s_end = spans[at] if at >= 0 and candidate.start < spans[at][1] else (0, len(text))
        else:
            s_start, s_end = next(((s, e) for s, e in spans if s <= candidate.start < e), (0, len(text)))
        future = looks_ahead_at(text[s_start:s_end], candidate.start - s_start, candidate.end - s_start)
        nearest = future and candidate.relative and anchor is not None and deadline_told_in_past(
            text[s_start:s_end], candidate.start - s_start, candidate.end - s_start)
        # What an anaphoric phrase counts from: the last clear date told before it (not a
        # bare year used as an adjective, "the 2020 election").
        before = next((t for t in reversed(out) if t.value and not t.loose and t.confidence >= 0.5
                       and t.granularity in {"day", "month", "year"}), None)
        if candidate.follow is not None:
            reading = candidate.follow(before.value, before.granularity) if before and before.value else None
            if reading is None:
                continue  # nothing told before to count from: no date, and not a phrase to show
            value, granularity = reading
            confidence = candidate.confidence * (1.0 if value else 0.3)
        elif candidate.anaphoric:
            earlier = before.value if before else None
            if earlier is None and text[candidate.start:candidate.start + 5].lower() == "that ":
                continue  # "that January" with no year told before: nothing to point at
            template = candidate.resolve(_NO_ANCHOR, future)
            value = f"{earlier[:4]}{template[0][4:]}" if earlier and template else None
            granularity, confidence = candidate.granularity, candidate.confidence * (1.0 if value else 0.3)
        else:
            value, granularity, confidence = resolve_candidate(candidate, anchor, future)
            if nearest and value and anchor is not None:
                past = resolve_candidate(candidate, anchor, False)
                if past[0] and _distance(past[0], anchor) < _distance(value, anchor):
                    value, granularity, confidence = past
        timex3 = candidate.timex3 or value
        if candidate.season and value:
            timex3 = f"{value[:4]}-{candidate.season}"
        out.append(
            Timex(candidate.start, candidate.end, text[candidate.start:candidate.end], value, granularity,
                  round(confidence, 2), candidate.relative, candidate.loose, candidate.weekday,
                  candidate.kind, timex3)
        )
    return out
