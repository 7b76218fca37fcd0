"""Importing structured files: tracker.v1 exports and spreadsheets of events.

A tracker.v1 file restores cases, sources (their excerpts), events and tags, so an
export can move between databases; importing it twice adds nothing. A CSV with the
columns date, title, tags and case adds hand-made events, each row on its own: a bad
row is reported and the rest go in, and a row the case already has (same date and
title) is skipped, so a sheet kept up by hand can be imported again as it grows.

Both arrive from other people's tools, so their shape is checked here before anything
is stored: a hostile or broken file is refused with a reason, never half-read.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

from tracker.dates import granularity_of, parse_user_date
from tracker.export import FORMAT_V1, uncell
from tracker.ingest import MAX_BYTES, decode, IngestError
from tracker.models import GRANULARITIES, STATUSES, ImportReport
from tracker.store import Store, StoreError

CSV_REQUIRED = {"date", "title", "case"}


def import_structured(store: Store, path: Path, report: ImportReport, today: date) -> None:
    """A .json (tracker.v1) or .csv (events) file named on the command line."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise IngestError(f"too large (the limit is {MAX_BYTES // (1024 * 1024)} MB)")
        raw = decode(path.read_bytes())
    except (OSError, IngestError) as exc:
        report.failed.append((str(path), f"cannot read: {getattr(exc, 'strerror', None) or exc}"))
        return
    if path.suffix.lower() == ".json":
        import_v1(store, str(path), raw, report)
    else:
        import_events_csv(store, str(path), raw, report, today)


def import_structured_stdin(store: Store, data: bytes, report: ImportReport, today: date) -> bool:
    """`tracker export | tracker --db other.db import -`: piped input that is a tracker.v1
    export or a sheet of events is imported as such. False: it is a story."""
    try:
        raw = decode(data)
    except IngestError:
        return False
    head = raw.lstrip()[:200]
    if head.startswith("{") and '"format"' in raw[:1000] and FORMAT_V1 in raw[:1000]:
        import_v1(store, "<stdin>", raw, report)
        return True
    first = raw.lstrip("\ufeff").split("\n", 1)[0]
    try:
        columns = {c.strip().lower() for c in next(csv.reader([first]))}
    except (csv.Error, StopIteration):
        return False
    if CSV_REQUIRED <= columns:
        import_events_csv(store, "<stdin>", raw, report, today)
        return True
    return False


def import_v1(store: Store, name: str, raw: str, report: ImportReport) -> None:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        report.failed.append((name, f"not JSON: {exc.msg} at line {exc.lineno}"))
        return
    if not isinstance(data, dict) or data.get("format") != FORMAT_V1 or not isinstance(data.get("cases"), list):
        report.failed.append((name, f'not a {FORMAT_V1} export (no "format": "{FORMAT_V1}")'))
        return
    for number, case in enumerate(data["cases"], start=1):
        try:
            title, sources, events = check_v1_case(case)
            _, added = store.import_v1_case(title, sources, events)
        except (ValueError, StoreError) as exc:
            label = case.get("title") if isinstance(case, dict) and isinstance(case.get("title"), str) else number
            report.failed.append((name, f"case {label}: {exc}"))
            continue
        report.events += added
        report.cases.add(title)
    report.imported.append(name)


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


def check_v1_case(case: Any) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]]]:
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


def import_events_csv(store: Store, name: str, raw: str, report: ImportReport, today: date) -> None:
    """Rows of date, title, tags (separated by ; or ,), case; optionally status.

    An empty date is an undated event. A tracker CSV export has these columns too, so it
    reads back; the apostrophe its export puts before formula-like cells is removed.
    """
    reader = csv.DictReader(io.StringIO(raw.lstrip("\ufeff"), newline=""))
    fields = {f.strip().lower() for f in reader.fieldnames or []}
    if not CSV_REQUIRED <= fields:
        report.failed.append((name, "a CSV of events needs the columns date, title and case (tags optional)"))
        return
    added = skipped = 0
    try:
        for row in reader:
            number = reader.line_num
            cells = {str(k).strip().lower(): uncell((v or "").strip()) for k, v in row.items()
                     if k is not None and isinstance(v, str)}
            try:
                value = parse_user_date(cells["date"], today) if cells["date"] else None
                case_id = store.ensure_case(cells["case"], "named in a CSV of events")
                if store.has_event(case_id, value.value if value else None, cells["title"]):
                    skipped += 1
                    continue
                tags = [t.strip() for t in cells.get("tags", "").replace(";", ",").split(",") if t.strip()]
                status = cells.get("status") if cells.get("status") in STATUSES else "confirmed"
                store.add_event(case_id, value.value if value else None, value.granularity if value else "day",
                                cells["date"], cells["title"], status=status, tags=tags)
            except (ValueError, StoreError) as exc:
                report.failed.append((f"{name}:{number}", str(exc)))
                continue
            added += 1
            report.cases.add(cells["case"])
    except csv.Error as exc:
        report.failed.append((f"{name}:{reader.line_num}", f"not CSV: {exc}"))
    report.events += added
    if added or not skipped:
        report.imported.append(name)
    else:
        report.skipped.append(name)
