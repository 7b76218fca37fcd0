"""iCalendar (RFC 5545) text for dated events: all-day entries at their granularity.

Pure: events in, text out. A day is one all-day entry; a week, month, quarter or year
starts on its first day and spans the whole period, so calendars show what is known and
no more.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone

from tracker.dates import period_bounds, period_start
from tracker.models import Event


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r", "").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode("utf-8")) > 75:
            out.append(current)
            current = " " + char
        else:
            current += char
    out.append(current)
    return out


def period_end(value: str) -> date:
    """The day after the last day of a value's period (DTEND is exclusive)."""
    return period_bounds(value)[1] + timedelta(days=1)


def calendar(items: Iterable[tuple[Event, str, str]], name: str = "tracker") -> str:
    """A VCALENDAR of (event, case title, description) triples; undated events are left out."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tracker//tracker//EN", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{_escape(name)}"]
    for event, case_title, description in items:
        if not event.date:
            continue
        try:  # a date stored before the gate refused it (year 0, 9999-12-31) is left out
            start = date.fromisoformat(period_start(event.date) or event.date)
            end = period_end(event.date)
        except (ValueError, OverflowError):
            continue
        uid = hashlib.sha1(f"{event.case_id}:{event.id}".encode()).hexdigest()
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}@tracker",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
            f"DTEND;VALUE=DATE:{end:%Y%m%d}",
            f"SUMMARY:{_escape(event.title)}",
            f"DESCRIPTION:{_escape(description)}",
            f"CATEGORIES:{_escape(case_title)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line))
