"""Exports, one function per format, all from the same filtered selection.

`tracker.v1` JSON is a contract other tools read: its records are built in tracker/v1.py,
the one place that defines it. The other formats are for people and their tools: JSON Lines and
CSV for scripts and spreadsheets, Markdown for a brief, iCalendar for a calendar,
TimelineJS JSON for Knight Lab's timeline.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from tracker import dates, v1
from tracker.dates import period_start
from tracker.ical import calendar, period_end
from tracker.models import Case, CaseFact, Event, Excerpt, Source
from tracker.store import Store

FORMAT_V1 = v1.FORMAT
FORMATS = ("json", "jsonl", "csv", "markdown", "ics", "timelinejs")
SUFFIXES = {"json": "json", "jsonl": "jsonl", "csv": "csv", "markdown": "md", "ics": "ics", "timelinejs": "json"}


@dataclass(frozen=True)
class Filters:
    """Which events to export; dates compare by the start of each event's period."""

    status: str | None = None
    tag: str | None = None
    start: str | None = None
    end: str | None = None

    def keep(self, event: Event) -> bool:
        if self.status and self.status != "all" and event.status != self.status:
            return False
        if self.tag and self.tag not in event.tags:
            return False
        first = period_start(event.date)
        if self.start and (first is None or first < self.start):
            return False
        if self.end and (first is None or first > self.end):
            return False
        return True


@dataclass(frozen=True)
class CaseExport:
    """One case with what a format needs: its sources, chosen events and their passages."""

    case: Case
    sources: list[Source]
    events: list[tuple[Event, list[Excerpt]]]
    urls: dict[int, str] = field(default_factory=dict)
    facts: list[CaseFact] = field(default_factory=list)


def select(store: Store, cases: list[Case], filters: Filters) -> list[CaseExport]:
    out = []
    for case in cases:
        events = [(e, store.event_excerpts(e.id)) for e in store.list_events(case.id) if filters.keep(e)]
        out.append(CaseExport(case, store.case_sources(case.id), events, store.source_urls(case.id),
                              store.case_facts(case.id)))
    return out


def to_v1(store: Store, cases: list[Case], filters: Filters | None = None) -> dict[str, Any]:
    """The `tracker.v1` document for `cases`: sources, events, tags and excerpts."""
    return v1.document([_v1_case(c) for c in select(store, cases, filters or Filters())])


def _v1_case(item: CaseExport) -> dict[str, Any]:
    return v1.case_record(item.case, item.sources, item.events)


def render_json(items: list[CaseExport]) -> str:
    return json.dumps(v1.document([_v1_case(c) for c in items]), ensure_ascii=False, indent=2) + "\n"


def render_jsonl(items: list[CaseExport]) -> str:
    """One event a line, with its case, so `jq`/`grep` can work line by line."""
    lines = []
    for item in items:
        for event, excerpts in item.events:
            record = {"case_id": item.case.id, "case": item.case.title, **v1.event_record(event, excerpts)}
            lines.append(json.dumps(record, ensure_ascii=False))
    return "".join(line + "\n" for line in lines)


CSV_COLUMNS = ["case", "id", "date", "granularity", "date_text", "title", "status", "origin", "kind", "tags",
               "sources", "excerpt"]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str) -> str:
    """A text cell a spreadsheet will not run: imported documents are untrusted, and a
    title such as `=HYPERLINK(...)` would be a formula in Excel or LibreOffice. The
    OWASP remedy is a leading apostrophe, which spreadsheets hide; the CSV import
    removes it again (`uncell`)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def uncell(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def render_csv(items: list[CaseExport]) -> str:
    """One event a row; tags and source titles joined with "; " (a spreadsheet's cell).

    The columns include date, title, tags and case, so the file is also a sheet that
    `tracker import` reads back (hand-made events).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for item in items:
        for event, excerpts in item.events:
            titles = list(dict.fromkeys(x.source_title for x in excerpts))
            texts = [item.case.title, event.date_text, event.title, "; ".join(event.tags), "; ".join(titles),
                     excerpts[0].text if excerpts else ""]
            case, date_text, title, tags, sources, excerpt = (cell(t) for t in texts)
            writer.writerow([case, event.id, event.date or "", event.granularity, date_text, title, event.status,
                             event.origin, event.kind, tags, sources, excerpt])
    return buffer.getvalue()


def _md(text: str) -> str:
    """Text safe inside Markdown: characters that would start markup are escaped."""
    out = []
    for char in " ".join(text.split()):
        out.append("\\" + char if char in "\\`*_[]<>#|&~" else char)
    return "".join(out)


def _brief_header(item: CaseExport) -> list[str]:
    """The case header a brief opens with, one short paragraph a fact: the caption, the
    case's facts (typed ones first), the date the record runs to and how many of its
    events are confirmed."""
    facts: dict[str, str] = {}
    for fact in item.facts:
        facts.setdefault(fact.field, fact.value)
    lines = [f"**Caption:** {_md(item.case.title)}"]
    for name in ("court", "docket", "judge", "parties", "status"):
        if name in facts:
            lines.append(f"**{name.capitalize()}:** {_md(facts[name])}")
    published = [s.published for s in item.sources if s.published]
    if published:
        lines.append(f"**As of:** {dates.reporter(max(published))} (the latest source)")
    case = item.case
    total = case.suggested + case.confirmed + case.rejected
    lines.append(f"**Confirmed:** {case.confirmed} of {total} events")
    return [part for line in lines for part in (line, "")][:-1]


def render_markdown(items: list[CaseExport]) -> str:
    """A brief: the case header, then a chronology with reporters' dates, quoted
    passages and numbered sources."""
    lines: list[str] = []
    for item in items:
        numbers = {s.id: n for n, s in enumerate(item.sources, start=1)}
        lines += [f"# {_md(item.case.title)}", "", *_brief_header(item), ""]
        for event, excerpts in item.events:
            tags = f" ({', '.join(_md(t) for t in event.tags)})" if event.tags else ""
            cited = dict.fromkeys(numbers[x.source_id] for x in excerpts if x.source_id in numbers)
            marks = "".join(f"[{n}]" for n in cited)
            review = " *(unconfirmed)*" if event.status == "suggested" else " *(rejected)*" if event.status == "rejected" else ""
            lines.append(f"- **{dates.reporter(event.date)}**: {_md(event.title)}{tags}{review} {marks}".rstrip())
            for excerpt in excerpts:
                lines.append(f"  > {_md(excerpt.text)}")
        lines += ["", "## Sources", ""]
        for source in item.sources:
            when = dates.reporter(source.published) if source.published else "date unknown"
            lines.append(f"{numbers[source.id]}. {_md(source.title)}, {when} "
                         f"({_where(item.urls.get(source.id), source.path)})")
        lines.append("")
    return "\n".join(lines)


_WEB = re.compile(r"https?://[^\s<>]+", re.IGNORECASE)


def _where(url: str | None, path: str) -> str:
    """A web address as a link (only http and https: a `javascript:` URL stays text),
    else the name of the file the source was read from: a brief travels, and the
    reader needs no one's home directory."""
    if url and _WEB.fullmatch(url):
        return f"<{url}>"
    return _md(url or path.replace("\\", "/").rsplit("/", 1)[-1])


def render_ics(items: list[CaseExport]) -> str:
    entries = []
    for item in items:
        for event, excerpts in item.events:
            description = "\n\n".join(x.text for x in excerpts) or event.date_text
            entries.append((event, item.case.title, description))
    return calendar(entries, name=", ".join(i.case.title for i in items) or "tracker")


def _timelinejs_date(value: str) -> dict[str, str]:
    """TimelineJS dates carry only the parts the granularity knows; a week or quarter
    says so in `display_date`, as TimelineJS has no such unit."""
    start = period_start(value) or value
    year, month, day = start.split("-")
    from tracker.dates import granularity_of

    granularity = granularity_of(value)
    if granularity == "year":
        return {"year": year}
    if granularity == "month":
        return {"year": year, "month": str(int(month))}
    if granularity == "quarter":
        return {"year": year, "month": str(int(month)), "display_date": f"Q{value[-1]} {year}"}
    out = {"year": year, "month": str(int(month)), "day": str(int(day))}
    if granularity == "week":
        out["display_date"] = f"week {int(value.split('W')[1])} of {value[:4]}"
    return out


def _timelinejs_text(excerpts: list[Excerpt]) -> str:
    """TimelineJS shows `text` as HTML: every excerpt and source title is escaped, so a
    document's `<script>` stays text on a published timeline."""
    return "".join(f"<p>“{html.escape(x.text)}”" + (f" <em>{html.escape(x.source_title)}</em>" if x.source_title else "")
                   + "</p>" for x in excerpts)


def render_timelinejs(items: list[CaseExport]) -> str:
    """Knight Lab TimelineJS JSON: events with start_date, text and group (first tag).
    Undated events have no place on a timeline and are left out."""
    events = []
    for item in items:
        for event, excerpts in item.events:
            if not event.date:
                continue
            try:  # a date stored before the gate refused it (year 0, 9999-12-31) is left out
                entry: dict[str, Any] = {
                    "start_date": _timelinejs_date(event.date),
                    "text": {"headline": html.escape(event.title), "text": _timelinejs_text(excerpts)},
                    "unique_id": f"event-{event.id}",
                }
                if event.granularity not in {"day", "month", "year"}:
                    last = period_end(event.date) - timedelta(days=1)  # period_end is exclusive
                    entry["end_date"] = {"year": str(last.year), "month": str(last.month), "day": str(last.day)}
            except (ValueError, OverflowError):
                continue
            if event.tags:
                entry["group"] = html.escape(event.tags[0])
            events.append(entry)
    title = html.escape(", ".join(i.case.title for i in items))
    return json.dumps({"title": {"text": {"headline": title, "text": ""}}, "events": events},
                      ensure_ascii=False, indent=2) + "\n"


RENDERERS: dict[str, Callable[[list[CaseExport]], str]] = {
    "json": render_json,
    "jsonl": render_jsonl,
    "csv": render_csv,
    "markdown": render_markdown,
    "ics": render_ics,
    "timelinejs": render_timelinejs,
}


# Formats people read: an event the user rejected is not part of the story there,
# unless asked for with --status rejected. Data formats keep everything.
READERS = {"markdown", "ics", "timelinejs"}


def render(store: Store, cases: list[Case], fmt: str, filters: Filters | None = None) -> str:
    """The export of `cases` in `fmt` (one of FORMATS)."""
    filters = filters or Filters()
    items = select(store, cases, filters)
    if fmt in READERS and filters.status is None:
        # a brief hands on what is confirmed; the other formats what is not rejected
        drop = {"suggested", "rejected"} if fmt == "markdown" else {"rejected"}
        items = [CaseExport(i.case, i.sources, [(e, xs) for e, xs in i.events if e.status not in drop], i.urls,
                            i.facts) for i in items]
    return RENDERERS[fmt](items)
