"""Importing structured files: tracker.v1 exports and spreadsheets of events.

A tracker.v1 file restores cases, sources (their excerpts), events and tags, so an
export can move between databases; importing it twice adds nothing. A CSV with the
columns date, title, tags and case adds hand-made events, each row on its own: a bad
row is reported and the rest go in, and a row the case already has (same date and
title) is skipped, so a sheet kept up by hand can be imported again as it grows.

Both arrive from other people's tools, so their shape is checked before anything is
stored (a tracker.v1 file by tracker/v1.py): a hostile or broken file is refused with a
reason, never half-read.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

from tracker import gate
from tracker.dates import parse_user_date
from tracker.export import uncell
from tracker.ingest import MAX_BYTES, IngestError, decode, read_bytes
from tracker.models import STATUSES, ImportReport
from tracker.store import Store, StoreError
from tracker.v1 import FORMAT as FORMAT_V1
from tracker.v1 import check_case as check_v1_case
from tracker.v1 import MAX_CASES as MAX_V1_CASES
from tracker.v1 import check_document, rebuild_budget

CSV_REQUIRED = {"date", "title", "case"}


def import_structured(store: Store, path: Path, report: ImportReport, today: date) -> None:
    """A .json (tracker.v1) or .csv (events) file named on the command line."""
    try:
        raw = decode(read_bytes(path, MAX_BYTES))
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
    """A tracker.v1 file, all of it or nothing: every case is checked first (tracker.v1,
    through the gate), then all are stored in one transaction, so a file whose second
    case is bad leaves nothing of the first behind."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        report.failed.append((name, f"not JSON: {exc.msg} at line {exc.lineno}"))
        return
    except RecursionError:
        report.failed.append((name, "not a tracker.v1 export: nested too deeply"))
        return
    try:
        cases = check_document(data)
        if len(cases) > MAX_V1_CASES:
            raise ValueError(f"more than {MAX_V1_CASES} cases in one file")
    except ValueError as exc:
        report.failed.append((name, str(exc)))
        return
    budget = [rebuild_budget(len(raw))]
    checked = []
    for number, case in enumerate(cases, start=1):
        try:
            checked.append(check_v1_case(case, budget))
        except (ValueError, RecursionError) as exc:
            label = case.get("title") if isinstance(case, dict) and isinstance(case.get("title"), str) else number
            report.failed.append((name, f"case {str(label)[:80]}: {exc}; nothing of this file was imported"))
            return
    added = 0
    try:
        with store.transaction():
            for title, sources, events in checked:
                added += store.import_v1_case(title, sources, events)[1]
    except (ValueError, StoreError) as exc:
        report.failed.append((name, f"{exc}; nothing of this file was imported"))
        return
    report.events += added
    report.cases.update(title for title, _, _ in checked)
    report.imported.append(name)


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
            try:
                if None in row or any(v is None for v in row.values()):
                    raise ValueError("this row does not have one cell per column "
                                     f"({len(reader.fieldnames or [])} columns)")
                cells = {str(k).strip().lower(): uncell((v or "").strip()) for k, v in row.items()
                         if k is not None and isinstance(v, str)}
                value = parse_user_date(cells["date"], today) if cells["date"] else None
                day = gate.date_value(value.value, value.granularity) if value else None
                case_title = gate.title(cells["case"], "case")
                title = gate.title(cells["title"], "event title")
                tags = gate.tags([t for t in cells.get("tags", "").replace(";", ",").split(",") if t.strip()])
                status = cells.get("status") if cells.get("status") in STATUSES else "confirmed"
                with store.transaction():  # the check and the insert under one write lock
                    case_id = store.ensure_case(case_title, "named in a CSV of events")
                    if store.has_event(case_id, day, title):
                        skipped += 1
                        continue
                    store.add_event(case_id, day, value.granularity if value else "day",
                                    gate.line(cells["date"], "date"), title, status=status, tags=tags)
            except (ValueError, StoreError) as exc:
                report.failed.append((f"{name}:{number}", str(exc)))
                continue
            added += 1
            report.cases.add(case_title)
    except csv.Error as exc:
        report.failed.append((f"{name}:{reader.line_num}", f"not CSV: {exc}; the rows after it were not read"))
    report.events += added
    if added or not skipped:
        report.imported.append(name)
    else:
        report.skipped.append(name)
