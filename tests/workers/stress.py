"""One role of the stress test (tests/test_stress.py): several of these run at once
against one database file. Each prints a JSON line of what it reports as done and
exits 0; a role stops by itself after its fixed amount of work.

Usage: python -m tests.workers.stress ROLE DB [ARG]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tracker.store import Store


def add(store: Store) -> dict:
    case_id = store.ensure_case("Manual notes")
    ids = [store.add_event(case_id, f"2021-05-{i % 28 + 1:02d}", "day", "", f"added {i}").id for i in range(60)]
    return {"added": ids}


def tag(store: Store) -> dict:
    case_id = store.ensure_case("Tagged notes")
    ids = []
    for i in range(40):
        event = store.add_event(case_id, f"2021-06-{i % 28 + 1:02d}", "day", "", f"tagged {i}")
        store.add_tags(event.id, ["stress", f"t{i % 3}"])
        ids.append(event.id)
    return {"tagged": ids}


def merge(store: Store) -> dict:
    merged = []
    for i in range(12):
        a = store.ensure_case(f"Merge source {i}")
        b = store.ensure_case(f"Merge target {i}")
        event = store.add_event(a, "2021-07-01", "day", "", f"merged {i}")
        store.merge_cases(a, b)
        merged.append({"event": event.id, "into": b})
    return {"merged": merged}


def undo(store: Store) -> dict:
    case_id = store.ensure_case("Undo notes")
    titles = [store.add_event(case_id, "2021-08-01", "day", "", f"undo me {i}").title for i in range(20)]
    undone = []
    for _ in range(10):
        entry = store.undo_last()  # this role's own changes only (its OS user)
        undone.append((entry.after or {}).get("event", {}).get("title"))
    return {"kept": [t for t in titles if t not in undone], "undone": undone}


def importer(store: Store, folder: str) -> dict:
    from tracker.importer import import_paths

    report = import_paths(store, [Path(folder)])
    return {"imported": report.imported, "skipped": report.skipped, "failed": report.failed}


def main() -> int:
    role, db = sys.argv[1], sys.argv[2]
    store = Store(db)
    try:
        if role == "import":
            done = importer(store, sys.argv[3])
        else:
            done = {"add": add, "tag": tag, "merge": merge, "undo": undo}[role](store)
    finally:
        store.close()
    print(json.dumps(done))
    return 0


if __name__ == "__main__":
    sys.exit(main())
