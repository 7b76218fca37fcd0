"""The one gate for what comes in: every import path (text, front matter, HTML, a
tracker.v1 file, a CSV sheet, stdin) and every CLI argument checks its values here.

Cleaning is `tracker.text`'s policy; here are the checks and limits that every value of
a kind must pass, each failing with one line (a ValueError whose message names what is
wrong). The store calls the same checks before it writes a date, so no path, the app's
editor included, can store a date that a widget or an export cannot show.

- dates: ISO 8601 at a granularity (`2021-03-12`, `2021-W10`, `2021-03`, `2021-Q1`,
  `2021`), a period that exists, years 1 to 9998 (a whole period and the day after it
  must be a date Python and iCalendar can hold);
- titles, date phrases, paths, tags: one cleaned line within a length;
- excerpts: offsets inside the text they point into.
"""

from __future__ import annotations

import re
from datetime import date

from tracker.text import clean_line

YEAR_MIN, YEAR_MAX = 1, 9998
TITLE_MAX = 500
LINE_MAX = 500
PATH_MAX = 4096
TAG_MAX = 64
TAGS_MAX = 100

_SHAPES = {
    "day": re.compile(r"(\d{4})-(\d{2})-(\d{2})"),
    "week": re.compile(r"(\d{4})-W(\d{2})"),
    "month": re.compile(r"(\d{4})-(\d{2})"),
    "quarter": re.compile(r"(\d{4})-Q([1-4])"),
    "year": re.compile(r"(\d{4})"),
}


def granularity(value: str) -> str:
    """The granularity a value's shape says, or ValueError."""
    for kind, shape in _SHAPES.items():
        if shape.fullmatch(value):
            return kind
    raise ValueError(f"{_show(value)} is not an ISO date (2021-03-12, 2021-W10, 2021-03, 2021-Q1 or 2021)")


def date_value(value: object, grain: object = None, what: str = "date") -> str | None:
    """`value` if it is a date tracker can hold (None stays None), else ValueError.

    `grain`, when given, must be the granularity the value's shape says.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"the {what} must be text, not {type(value).__name__}")
    try:
        kind = granularity(value)
    except ValueError as exc:
        raise ValueError(f"the {what}: {exc}") from None
    year = int(value[:4])
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ValueError(f"the {what} {_show(value)} is out of range (years {YEAR_MIN} to {YEAR_MAX})")
    try:
        if kind == "day":
            date.fromisoformat(value)
        elif kind == "week":
            date.fromisocalendar(year, int(value[6:]), 1)
        elif kind == "month":
            date(year, int(value[5:7]), 1)
    except ValueError:
        raise ValueError(f"the {what} {_show(value)} does not exist") from None
    if grain is not None and grain != kind:
        raise ValueError(f"the granularity {_show(str(grain))} does not fit the {what} {_show(value)}")
    return value


def day(value: date, what: str = "date") -> date:
    """A day within the years tracker holds, else ValueError."""
    if not YEAR_MIN <= value.year <= YEAR_MAX:
        raise ValueError(f"the {what} {value.isoformat()} is out of range (years {YEAR_MIN} to {YEAR_MAX})")
    return value


def user_day(text: str, what: str = "date") -> date:
    """A full day a person typed (`--published`, `--from`): ISO, or a date written out
    ("March 5, 2021") with nothing else in it; "2021 garbage" is refused, never today."""
    from tracker.dates import parse_iso_day

    raw = " ".join(str(text).split())
    if not raw:
        raise ValueError(f"the {what} is empty (use YYYY-MM-DD)")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        try:
            return day(date.fromisoformat(raw), what)
        except ValueError as exc:
            if "out of range" in str(exc):
                raise
            raise ValueError(f"the {what} {_show(raw)} does not exist") from None
    words = re.findall(r"[A-Za-z]+", raw)
    months = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
    extra = [w for w in words if w.lower()[:3] not in months and w.lower() not in {"st", "nd", "rd", "th", "of"}
             and w.lower()[:3] not in {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}]
    if extra or re.search(r"[^\w\s,./-]", raw) or not re.search(r"\d{4}", raw):
        raise ValueError(f"not a full date: {_show(raw)} (use YYYY-MM-DD)")
    try:
        parsed = parse_iso_day(raw)
    except (ValueError, OverflowError):
        raise ValueError(f"not a full date: {_show(raw)} (use YYYY-MM-DD)") from None
    return day(parsed, what)


def line(value: object, what: str, limit: int = LINE_MAX, required: bool = False) -> str:
    """One cleaned line (controls and escape sequences gone, whitespace folded)."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValueError(f"the {what} must be text, not {type(value).__name__}")
    from tracker.text import clean_document

    cleaned = clean_line(clean_document(value))
    if required and not cleaned:
        raise ValueError(f"the {what} is empty")
    if len(cleaned) > limit:
        raise ValueError(f"the {what} is longer than {limit} characters")
    return cleaned


def title(value: object, what: str = "title", required: bool = True) -> str:
    return line(value, what, TITLE_MAX, required)


def tag(value: object) -> str:
    return line(value, "tag", TAG_MAX, required=True)


def tags(values: object) -> list[str]:
    if values is None:
        return []
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValueError("tags must be a list of text")
    if len(values) > TAGS_MAX:
        raise ValueError(f"more than {TAGS_MAX} tags on one event")
    return list(dict.fromkeys(tag(v) for v in values))


def excerpt(start: object, end: object, length: int) -> tuple[int, int]:
    """Offsets of a passage inside a text of `length` characters."""
    for value in (start, end):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("an excerpt's offsets must be whole numbers")
    assert isinstance(start, int) and isinstance(end, int)
    if not 0 <= start < end <= length:
        raise ValueError(f"an excerpt's offsets {start}-{end} are not inside its text ({length} characters)")
    return start, end


def _show(value: str) -> str:
    """A refused value, quoted, short and safe to print."""
    from tracker.text import scrub

    shown = scrub(value)
    return repr(shown if len(shown) <= 40 else shown[:40] + "…")
