"""The `tracker.v1` contract in one place: how an export is built, and how a file that
claims to be one is checked before anything of it is stored.

Other tools read and write this format: its names and shapes change only with a new
format version (tests/golden/v1_keys.json pins the keys of every level). The store
inserts what `check_case` accepted (`Store.import_v1_case`); exports build their
records here (`tracker.export`).

    {"format": "tracker.v1", "cases": [{"id", "title", "sources": [{"id", "title", "path",
     "sha256", "published", "published_basis"}], "events": [{"id", "date", "granularity",
     "date_text", "title", "status", "origin", "tags", "excerpts": [{"source_id", "start",
     "end", "text", "date"}]}]}]}

An excerpt's "date" is that story's own reading of the event's date (ISO at its
granularity, or null): "in March" of an event another story dates March 12. It was
added after the first release; a file without it is read as the event's date.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tracker.dates import granularity_of, parse_user_date
from tracker.ingest import MAX_BYTES
from tracker.models import GRANULARITIES, STATUSES, Case, Event, Excerpt, Source

FORMAT = "tracker.v1"

# -- building ------------------------------------------------------------------------


def source_record(source: Source) -> dict[str, Any]:
    return {"id": source.id, "title": source.title, "path": source.path, "sha256": source.sha256,
            "published": source.published, "published_basis": source.published_basis}


def excerpt_record(excerpt: Excerpt) -> dict[str, Any]:
    """One passage behind an event: where it is in its source, and its text."""
    return {"source_id": excerpt.source_id, "start": excerpt.start, "end": excerpt.end, "text": excerpt.text,
            "date": excerpt.value}


def event_record(event: Event, excerpts: list[Excerpt]) -> dict[str, Any]:
    return {
        "id": event.id, "date": event.date, "granularity": event.granularity, "date_text": event.date_text,
        "title": event.title, "status": event.status, "origin": event.origin, "tags": list(event.tags),
        "excerpts": [excerpt_record(x) for x in excerpts],
    }


def case_record(case: Case, sources: list[Source], events: list[tuple[Event, list[Excerpt]]]) -> dict[str, Any]:
    return {
        "id": case.id,
        "title": case.title,
        "sources": [source_record(s) for s in sources],
        "events": [event_record(e, xs) for e, xs in events],
    }


def document(cases: list[dict[str, Any]]) -> dict[str, Any]:
    return {"format": FORMAT, "cases": cases}


# -- checking ------------------------------------------------------------------------


def check_document(data: Any) -> list[Any]:
    """The cases of a parsed tracker.v1 file, or ValueError when it is not one."""
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("cases"), list):
        raise ValueError(f'not a {FORMAT} export (no "format": "{FORMAT}")')
    return data["cases"]


def _int(value: Any, what: str, low: int = 0, high: int = MAX_BYTES) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{what} must be a whole number from {low} to {high}")
    return value


def _text(value: Any, what: str, optional: bool = True) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{what} must be text")
    return value


def check_case(case: Any) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]]]:
    """The case's title, sources and events, or ValueError naming what is wrong.

    Offsets are bounded (a source text is rebuilt from them, so a forged `end` must not
    ask for gigabytes), each excerpt's text must fill its span, every excerpt must name
    a source of the case, dates must read as tracker dates.
    """
    if not isinstance(case, dict):
        raise ValueError("a case must be an object")
    title = _text(case.get("title"), "title", optional=False) or ""
    sources, events = case.get("sources", []), case.get("events", [])
    if not isinstance(sources, list) or not isinstance(events, list):
        raise ValueError("sources and events must be lists")
    ids: set[int] = set()
    for source in sources:
        if not isinstance(source, dict):
            raise ValueError("a source must be an object")
        ids.add(_int(source.get("id"), "a source id", high=2**62))
        sha = _text(source.get("sha256"), "a source's sha256", optional=False) or ""
        if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
            raise ValueError(f"source {source['id']}: sha256 must be 64 hex digits")
        for key in ("title", "path", "published", "published_basis"):
            _text(source.get(key), f"a source's {key}")
    for event in events:
        if not isinstance(event, dict):
            raise ValueError("an event must be an object")
        _text(event.get("title"), "an event's title", optional=False)
        value = _text(event.get("date"), "an event's date")
        if value is not None:
            try:
                parse_user_date(value, date.today())
            except ValueError:
                raise ValueError(f"event {event.get('id')}: {value!r} is not a tracker date") from None
            if event.get("granularity") not in GRANULARITIES or granularity_of(value) != event.get("granularity"):
                raise ValueError(f"event {event.get('id')}: granularity does not fit the date {value!r}")
        if event.get("status") is not None and event.get("status") not in STATUSES:
            raise ValueError(f"event {event.get('id')}: unknown status {event.get('status')!r}")
        _text(event.get("date_text"), "an event's date_text")
        tags = event.get("tags") or []
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise ValueError(f"event {event.get('id')}: tags must be a list of text")
        excerpts = event.get("excerpts") or []
        if not isinstance(excerpts, list):
            raise ValueError(f"event {event.get('id')}: excerpts must be a list")
        for piece in excerpts:
            if not isinstance(piece, dict) or piece.get("source_id") not in ids:
                raise ValueError(f"event {event.get('id')}: an excerpt names no source of this case")
            start, end = _int(piece.get("start"), "an excerpt's start"), _int(piece.get("end"), "an excerpt's end")
            text = _text(piece.get("text"), "an excerpt's text", optional=False) or ""
            if end - start != len(text):
                raise ValueError(f"event {event.get('id')}: an excerpt's text does not fill {start}-{end}")
            reading = _text(piece.get("date"), "an excerpt's date")
            if reading is not None:
                try:
                    granularity_of(reading)
                except ValueError:
                    raise ValueError(f"event {event.get('id')}: {reading!r} is not a tracker date") from None
    return title, sources, events
