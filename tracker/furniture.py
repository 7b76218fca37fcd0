"""Page furniture: the lines a saved web page carries around the story. Pure, no I/O.

Real pages put the publication date in lines that are not the story: a date-only line
under the headline ("Sept. 26, 2025", "06/14/2024"), a byline ("By Jane Roe | October 2,
2024", "Jane Roe · 27 March 2025", "Author: Jane Roe, 2024-10-21"), an update stamp
("Updated on 01-08-2025 | 06:15 EST", "Last updated 13 Sep 2024, 09:14 GMT"), a
timestamp ("04/18/2023 | 07:55pm EDT", "17:40 ET (21:40 GMT)"), and footers ("(Reporting
by ...; Editing by ...)", "Write to ... at ...", "Related: <another headline>", "FILE
PHOTO: <caption>"). None of them is an event, nor the story's title; the dated ones say
when the page was published.

A line is furniture when, once its dates, clock times, time zones, separators and
furniture words ("By", "Updated", "Author") are taken out, nothing is left but a name or
two: the test is the shape of the line, not a list of outlets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from tracker.timex import DAY, MON, YEAR, day_number, month_number

MAX_LINE = 140


@dataclass(frozen=True)
class Furniture:
    """A furniture line: its span in the text, what kind it is, and the day it gives."""

    start: int
    end: int
    kind: str  # "byline", "date-line", "updated", "timestamp", "footer", "caption", "related"
    day: date | None = None


_CLOCK = re.compile(r"\b\d{1,2}(?::\d{2}){1,2}\s*(?:[ap]\.?\s?m\.?|[AP]\.?\s?M\.?)?|\b\d{1,2}\s*(?:[ap]\.m\.|[ap]m|[AP]M)\b")
_ZONE = re.compile(r"\b(?:[ECMP][SD]?T|GMT|UTC|BST|CET|CEST|IST|JST|HKT|SGT|AEST|AEDT|Z)\b"
                   r"|\b(?:[A-Z][a-z]+\s+time)\b")
_NUMERIC = re.compile(r"(?<![\d/.-])(?P<a>\d{1,4})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{2,4})(?![\d/.-])")
_WRITTEN = re.compile(
    rf"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+)?"
    rf"(?:(?P<mon>{MON})\.?\s+(?P<day>{DAY}),?\s+(?P<year>{YEAR})|(?P<day2>{DAY})\s+(?P<mon2>{MON})\.?,?\s+(?P<year2>{YEAR}))"
)
_LEAD_WORDS = re.compile(
    r"^\s*(?:(?P<by>by)\b|(?P<author>author|written\s+by|words\s+by)\s*:?|"
    r"(?P<updated>(?:last\s+)?updated(?:\s+on|\s+at)?|modified(?:\s+on)?|last\s+modified)\s*:?|"
    r"(?P<published>published(?:\s+on)?|posted(?:\s+on)?|first\s+published(?:\s+on)?|date)\s*:?)\s*",
    re.IGNORECASE,
)
_FOOTER = re.compile(
    r"^\s*(?:\(\s*(?:(?:additional\s+)?reporting|editing|writing|compiled|produced)\s+by\b[^)]*\)"
    r"|(?:(?:additional\s+)?reporting|editing)\s+by\b.{0,120}"
    r"|write\s+to\s+\S.{0,80}\bat\s+\S+@\S+"
    r"|contact\s+(?:the\s+)?(?:author|reporter)\b.{0,100}"
    r"|(?:copyright|©)\s.{0,100})\s*$",
    re.IGNORECASE,
)
_CAPTION = re.compile(r"^\s*(?:FILE\s+PHOTO|PHOTO|Photo|File\s+photo|IMAGE|Image|Caption|Pictured)\s*[:\-–—]")
_RELATED = re.compile(r"^\s*(?:Related|Read\s+more|Read\s+also|See\s+also|More\s+on\s+this|Also\s+read|"
                      r"Recommended|Further\s+reading)\s*:", re.IGNORECASE)
_SEPARATORS = re.compile(r"[|·•/,;()\[\]–—-]+")
# Words that may sit between a name and a date in a byline.
_JOINERS = {"and", "in", "at", "for", "of", "the", "staff", "reporter", "correspondent", "editor", "writer", "&"}


def numeric_day(a: int, b: int, c: int) -> date | None:
    """A numeric date: year first (ISO), else day and month in whichever order can be
    a date, the American month-first order when both can (US news writes it so)."""
    try:
        if a > 31:
            return date(a, b, c)
        year = c if c > 99 else 2000 + c
        if a > 12:
            return date(year, b, a)
        return date(year, a, b)
    except ValueError:
        return None


def _dates_in(line: str) -> tuple[list[date], str]:
    """The complete dates a furniture line states, and the line with them removed."""
    days: list[date] = []

    def numeric(m: re.Match[str]) -> str:
        found = numeric_day(int(m["a"]), int(m["b"]), int(m["c"]))
        if found is None:
            return m.group()
        days.append(found)
        return " "

    def written(m: re.Match[str]) -> str:
        try:
            days.append(date(int(m["year"] or m["year2"]), month_number(m["mon"] or m["mon2"]),
                             day_number(m["day"] or m["day2"])))
        except ValueError:
            return m.group()
        return " "

    rest = _NUMERIC.sub(numeric, line)
    rest = _WRITTEN.sub(written, rest)
    return days, rest


# `_is_name_run`'s patterns, compiled once.
_NON_SPACE_RUN = re.compile(r"[^\s]+")


def _is_name_run(rest: str) -> bool:
    """What is left is a name or two ("Jane Roe", "Jane Roe, Capitol Wire"), or nothing."""
    words = _NON_SPACE_RUN.findall(_SEPARATORS.sub(" ", rest))
    if len(words) > 9:
        return False
    for word in words:
        bare = word.strip(".'’\"“”")
        if not bare:
            continue
        if bare.lower() in _JOINERS:
            continue
        if not (bare[0].isupper() or "@" in bare):
            return False
    return True


# `classify_line`'s patterns, compiled once.
_ENDS_WITH_SENTENCE_STOP = re.compile(r"[.!?][\"”’)]?$")  # "... he said.", "... ruled?”"
_BY_AFTER_SEPARATOR = re.compile(r"(?:^|[|·•,]\s*)by\s+", re.IGNORECASE)  # "| By ", ", by "
_LETTER = re.compile(r"[A-Za-z]")
_SEPARATOR_OR_COMMA = re.compile(r"[|·•]|,")  # "|", "·", ","


def classify_line(line: str) -> tuple[str, date | None] | None:
    """(kind, day) when `line` is page furniture, else None."""
    text = line.strip()
    if not text:
        return None
    if _CAPTION.match(text):
        return "caption", None
    if _RELATED.match(text):
        return "related", None
    if len(text) > MAX_LINE:
        return None
    if _FOOTER.match(text):
        return "footer", None
    if _ENDS_WITH_SENTENCE_STOP.search(text) and not re.search(rf"(?:{MON}|\b[ap]\.m|\bET|\d)\.?$", text):
        return None  # a sentence, not a line of furniture
    lead = _LEAD_WORDS.match(text)
    body = text[lead.end():] if lead else text
    days, rest = _dates_in(body)
    has_clock = bool(_CLOCK.search(rest))
    rest = _CLOCK.sub(" ", rest)
    rest = _ZONE.sub(" ", rest)
    # A byline may come after the date ("Jun 7, 2023, 05:40 AM ET | By Jane Roe").
    inner_by = _BY_AFTER_SEPARATOR.search(rest)
    if inner_by:
        rest = rest[: inner_by.start()] + " " + rest[inner_by.end():]
    if not _is_name_run(rest):
        return None
    named = bool(_LETTER.search(_SEPARATORS.sub(" ", rest)))
    day = days[0] if days else None
    if lead and lead["updated"]:
        return ("updated", day) if (day or has_clock) else None
    if lead and lead["published"]:
        return ("date-line", day) if (day or has_clock) else None
    if (lead and (lead["by"] or lead["author"])) or inner_by:
        return "byline", day
    if not named:
        return ("timestamp", day) if has_clock else ("date-line", day) if day else None
    # A name beside a date or time with a separator: "Jane Roe · 27 March 2025", "Outlet | Jul. 8, 2025".
    if (day or has_clock) and _SEPARATOR_OR_COMMA.search(text):
        return "byline", day
    return None


# `furniture_lines`'s patterns, compiled once.
_LINE = re.compile(r"[^\n]+")


def furniture_lines(text: str, head_lines: int = 8, tail_lines: int = 8) -> list[Furniture]:
    """Furniture among the first and last lines of `text` (and captions and "Related:"
    lines anywhere), in order."""
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text) if m.group().strip()]
    out: list[Furniture] = []
    for index, (start, end) in enumerate(lines):
        near_edge = index < head_lines or index >= len(lines) - tail_lines
        found = classify_line(text[start:end])
        if found is None:
            continue
        kind, day = found
        if not near_edge and kind not in {"caption", "related"}:
            continue
        out.append(Furniture(start, end, kind, day))
    return out
