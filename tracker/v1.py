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

from typing import Any

from tracker import gate
from tracker.ingest import MAX_BYTES
from tracker.models import STATUSES, Case, Event, Excerpt, Source
from tracker.text import scrub

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


# A source that is new to the database is rebuilt from its excerpts, blanks between
# them: its length is the largest `end`. A forged `end` must not turn a small file into
# a huge database, so the rebuilt texts of one file may total at most this many
# characters plus REBUILD_RATIO times the file's own length.
REBUILD_BASE = 2 * 1024 * 1024
REBUILD_RATIO = 64
MAX_CASES = 10_000
MAX_ITEMS = 200_000


def rebuild_budget(file_length: int) -> int:
    return REBUILD_BASE + REBUILD_RATIO * file_length


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


def _list(value: Any, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"{what} must be a list")
    if len(value) > MAX_ITEMS:
        raise ValueError(f"more than {MAX_ITEMS} {what}")
    return value


def check_case(case: Any, budget: list[int] | None = None) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]]]:
    """The case's title, sources and events as the store may take them, or ValueError
    naming what is wrong.

    Every value passes the gate (tracker.gate): titles, paths, date phrases and tags
    are cleaned lines within their limits, dates are tracker dates in range at the
    granularity given, excerpt texts fill their span (their control characters become
    spaces, so offsets hold) and name a source of the case. `budget` (one number, in a
    list so the cases of one file share it) bounds the characters the rebuilt sources
    of one file may take.
    """
    if not isinstance(case, dict):
        raise ValueError("a case must be an object")
    title = gate.title(case.get("title"), "case title")
    raw_sources, raw_events = _list(case.get("sources"), "sources"), _list(case.get("events"), "events")
    sources: list[dict[str, Any]] = []
    ids: set[int] = set()
    for source in raw_sources:
        if not isinstance(source, dict):
            raise ValueError("a source must be an object")
        source_id = _int(source.get("id"), "a source id", high=2**62)
        sha = _text(source.get("sha256"), "a source's sha256", optional=False) or ""
        if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
            raise ValueError(f"source {source_id}: sha256 must be 64 hex digits")
        try:
            sources.append({
                "id": source_id, "sha256": sha,
                "title": gate.title(source.get("title"), "source title", required=False),
                "path": gate.line(source.get("path"), "source path", gate.PATH_MAX),
                "published": gate.date_value(source.get("published"), what="publication date"),
                "published_basis": gate.line(source.get("published_basis"), "published_basis", 40) or "unknown",
            })
        except ValueError as exc:
            raise ValueError(f"source {source_id}: {exc}") from None
        ids.add(source_id)
    events: list[dict[str, Any]] = []
    extent: dict[int, int] = {}
    for event in raw_events:
        if not isinstance(event, dict):
            raise ValueError("an event must be an object")
        label = event.get("id") if isinstance(event.get("id"), int) else "?"
        try:
            events.append(_check_event(event, ids, extent))
        except ValueError as exc:
            raise ValueError(f"event {label}: {exc}") from None
    if budget is not None:
        budget[0] -= sum(extent.values())
        if budget[0] < 0:
            raise ValueError("its excerpts' offsets would make source texts far larger than the file "
                             "(offsets past the passages they carry)")
    return title, sources, events


def _check_event(event: dict[str, Any], ids: set[int], extent: dict[int, int]) -> dict[str, Any]:
    value = event.get("date")
    if value is not None:
        try:
            gate.date_value(value, event.get("granularity"))
        except ValueError as exc:
            raise ValueError(f"{exc}; not a tracker date") from None
    status = event.get("status")
    if status is not None and status not in STATUSES:
        raise ValueError(f"unknown status {gate._show(str(status))}")
    excerpts = []
    for piece in _list(event.get("excerpts"), "excerpts"):
        if not isinstance(piece, dict) or piece.get("source_id") not in ids:
            raise ValueError("an excerpt names no source of this case")
        start, end = _int(piece.get("start"), "an excerpt's start"), _int(piece.get("end"), "an excerpt's end")
        text = _text(piece.get("text"), "an excerpt's text", optional=False) or ""
        if end - start != len(text) or end <= start:
            raise ValueError(f"an excerpt's text does not fill {start}-{end}")
        gate.excerpt(start, end, MAX_BYTES)
        extent[piece["source_id"]] = max(extent.get(piece["source_id"], 0), end)
        checked = {"source_id": piece["source_id"], "start": start, "end": end, "text": scrub(text, multiline=True)}
        if "date" in piece:  # that story's own reading of the date (absent in older files)
            checked["date"] = gate.date_value(piece["date"], what="excerpt's date")
        excerpts.append(checked)
    return {
        "id": event.get("id"), "date": value, "granularity": event.get("granularity") if value else "day",
        "date_text": gate.line(event.get("date_text"), "date phrase"),
        "title": gate.title(event.get("title"), "event title"),
        "status": status, "origin": event.get("origin") if event.get("origin") in ("extracted", "manual") else None,
        "tags": gate.tags(event.get("tags")), "excerpts": excerpts,
    }
