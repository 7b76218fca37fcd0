"""Importing structured files: tracker.v1 exports and spreadsheets of events.

A tracker.v1 file restores cases, sources (their excerpts), events and tags, so an
export can move between databases. A CSV with the columns date, title, tags and case
adds hand-made events, each row on its own: a bad row is reported and the rest go in.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

from tracker.dates import parse_user_date
from tracker.models import ImportReport
from tracker.store import Store, StoreError


def import_structured(store: Store, path: Path, report: ImportReport, today: date) -> None:
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        report.failed.append((str(path), f"cannot read: {exc}"))
        return
    if path.suffix.lower() == ".json":
        import_v1(store, path, raw, report)
    else:
        import_events_csv(store, path, raw, report, today)


def import_v1(store: Store, path: Path, raw: str, report: ImportReport) -> None:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        report.failed.append((str(path), f"not JSON: {exc.msg} at line {exc.lineno}"))
        return
    if not isinstance(data, dict) or data.get("format") != "tracker.v1" or not isinstance(data.get("cases"), list):
        report.failed.append((str(path), 'not a tracker.v1 export (no "format": "tracker.v1")'))
        return
    for case in data["cases"]:
        try:
            sources, events = store.import_v1_case(str(case["title"]), list(case.get("sources", [])),
                                                   list(case.get("events", [])))
        except (KeyError, TypeError, ValueError, StoreError) as exc:
            report.failed.append((str(path), f"case {case.get('title', '?') if isinstance(case, dict) else '?'}: {exc}"))
            continue
        report.events += events
        report.cases.add(str(case["title"]))
    report.imported.append(str(path))


def import_events_csv(store: Store, path: Path, raw: str, report: ImportReport, today: date) -> None:
    """Rows of date, title, tags (separated by ; or ,), case."""
    reader = csv.DictReader(raw.splitlines())
    fields = {f.strip().lower() for f in reader.fieldnames or []}
    if not {"date", "title", "case"} <= fields:
        report.failed.append((str(path), "a CSV of events needs the columns date, title and case (tags optional)"))
        return
    added = 0
    for number, row in enumerate(reader, start=2):
        row = {str(k).strip().lower(): (v or "").strip() for k, v in row.items() if k is not None}
        try:
            value = parse_user_date(row["date"], today)
            case_id = store.ensure_case(row["case"], "named in a CSV of events")
            tags = [t.strip() for t in row.get("tags", "").replace(";", ",").split(",") if t.strip()]
            store.add_event(case_id, value.value, value.granularity, row["date"], row["title"], tags=tags)
        except (ValueError, StoreError) as exc:
            report.failed.append((f"{path}:{number}", str(exc)))
            continue
        added += 1
        report.cases.add(row["case"])
    report.events += added
    report.imported.append(str(path))
