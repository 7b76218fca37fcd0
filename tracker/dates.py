"""Date values at a granularity, and reading dates typed by a person.

Values are TIMEX3-style strings whose shape carries the granularity: `2021-03-12` (day),
`2021-W10` (week), `2021-03` (month), `2021-Q1` (quarter), `2021` (year). Pure
functions, no I/O; finding dates in running text lives in `tracker.timex`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_QUARTER_WORDS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}


@dataclass(frozen=True)
class DateValue:
    """A normalised date at its granularity; `value` None means unknown."""

    value: str | None
    granularity: str

    @property
    def label(self) -> str:
        return display(self.value, self.granularity)


def granularity_of(value: str | None) -> str:
    """Read the granularity back from the shape of a value."""
    if not value:
        return "day"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return "day"
    if re.fullmatch(r"\d{4}-W\d{2}", value):
        return "week"
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return "month"
    if re.fullmatch(r"\d{4}-Q[1-4]", value):
        return "quarter"
    if re.fullmatch(r"\d{4}", value):
        return "year"
    raise ValueError(f"not a date value: {value!r}")


def period_start(value: str | None) -> str | None:
    """First day of the period as YYYY-MM-DD, the key events sort by."""
    if not value:
        return None
    kind = granularity_of(value)
    if kind == "day":
        return value
    if kind == "week":
        year, week = value.split("-W")
        return date.fromisocalendar(int(year), int(week), 1).isoformat()
    if kind == "month":
        return f"{value}-01"
    if kind == "quarter":
        year, quarter = value.split("-Q")
        return f"{year}-{(int(quarter) - 1) * 3 + 1:02d}-01"
    return f"{value}-01-01"


def period_bounds(value: str) -> tuple[date, date]:
    """First and last day (inclusive) of a value's period; one place for every caller."""
    first = date.fromisoformat(period_start(value) or value)
    kind = granularity_of(value)
    if kind == "day":
        return first, first
    if kind == "week":
        return first, first + timedelta(days=6)
    if kind == "month":
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return first, following - timedelta(days=1)
    if kind == "quarter":
        month = first.month + 3
        following = date(first.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
        return first, following - timedelta(days=1)
    return first, date(first.year, 12, 31)


def display(value: str | None, granularity: str | None = None) -> str:
    """A compact human form: `2021-03-12`, `2021-03`, `2021-W10`, `2021-Q1`, `2021`, `undated`.

    ISO order is kept on screen because it sorts by eye down a timeline column.
    """
    return value if value else "undated"


_AP_MONTHS = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_QUARTERS = ("first", "second", "third", "fourth")


def reporter(value: str | None) -> str:
    """A date as a newsroom writes it (AP style): "Sept. 10, 2021", "March 2021",
    "week of Sept. 6, 2021", "first quarter of 2021", "2021"; "undated" for none."""
    if not value:
        return "undated"
    try:
        kind = granularity_of(value)
        first, _ = period_bounds(value)
    except ValueError:
        return value  # a date stored before dates were checked (year 0): shown as stored
    if kind == "day":
        return f"{_AP_MONTHS[first.month - 1]} {first.day}, {first.year}"
    if kind == "week":
        return f"week of {_AP_MONTHS[first.month - 1]} {first.day}, {first.year}"
    if kind == "month":
        return f"{_MONTHS[first.month - 1]} {first.year}"
    if kind == "quarter":
        return f"{_QUARTERS[(first.month - 1) // 3]} quarter of {first.year}"
    return str(first.year)


def value_for(day: date, granularity: str) -> str:
    """The value of the period of `granularity` that contains `day`."""
    if granularity == "day":
        return day.isoformat()
    if granularity == "week":
        iso = day.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"
    if granularity == "month":
        return f"{day.year}-{day.month:02d}"
    if granularity == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


def parse_user_date(text: str, base: date) -> DateValue:
    """Read a date a person typed ("last Friday", "March 2021", "2021-03-12", "Q1 2021").

    Relative words resolve against `base`, which the form shows to the user. Raises
    ValueError with a message fit to show in place when the text is not a date.
    """
    raw = " ".join(text.split())
    if re.search(r"[^\w\s,./:'()-]", raw):
        raise ValueError(f"not a date: {raw!r} (letters, digits and , . / - only)")
    if not raw:
        raise ValueError("type a date, e.g. 2021-03-12, March 2021, last Friday")
    if raw.casefold() in {"undated", "unknown", "none", "?"}:
        return DateValue(None, "day")
    exact = _exact_value(raw)
    if exact:
        return exact
    quarter = re.fullmatch(
        r"(?:q([1-4])|(first|1st|second|2nd|third|3rd|fourth|4th)\s+quarter)(?:\s+(?:of\s+)?(\d{4}))?",
        raw,
        flags=re.IGNORECASE,
    )
    if quarter:
        number = int(quarter.group(1)) if quarter.group(1) else _QUARTER_WORDS[quarter.group(2).lower()]
        year = int(quarter.group(3)) if quarter.group(3) else base.year
        return DateValue(f"{year}-Q{number}", "quarter")
    from dateparser.date import DateDataParser  # slow to import: only when a date is typed

    parser = DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": datetime.combine(base, datetime.min.time()),
            "PREFER_DATES_FROM": "past",
            "DATE_ORDER": "MDY",
            "REQUIRE_PARTS": [],
        },
    )
    try:
        data = parser.get_date_data(raw)
    except Exception:  # dateparser raises assorted errors on odd input
        data = None
    if data is None or data.date_obj is None:
        raise ValueError(f"not a date: {raw!r} (try 2021-03-12, March 2021, last Friday)")
    period = data.period or "day"
    granularity = {"time": "day", "day": "day", "week": "week", "month": "month", "year": "year"}.get(period, "day")
    return DateValue(value_for(data.date_obj.date(), granularity), granularity)


def _exact_value(raw: str) -> DateValue | None:
    """Values already in TIMEX form are taken as they are, after checking they exist."""
    try:
        kind = granularity_of(raw)
    except ValueError:
        return None
    try:
        period_start(raw)
        if kind == "day":
            date.fromisoformat(raw)
        elif kind == "month":
            date.fromisoformat(raw + "-01")
    except ValueError:
        return None
    return DateValue(raw, kind)


def parse_iso_day(text: str) -> date:
    """A --published style date: ISO first, then anything dateparser reads as a day."""
    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    import dateparser  # slow to import: only for a date that is not ISO

    parsed = dateparser.parse(text, languages=["en"], settings={"DATE_ORDER": "MDY", "REQUIRE_PARTS": ["day", "month", "year"]})
    if parsed is None:
        raise ValueError(f"not a full date: {text!r} (use YYYY-MM-DD)")
    return parsed.date()


def shift_days(day: date, days: int) -> date:
    return day + timedelta(days=days)
