"""A separate process that adds and tags events, as a second user would.

Usage: python -m tests.workers.writer DB CASE_ID NAME COUNT
Exits 0 when every write landed; prints the error and exits 1 otherwise.
"""

from __future__ import annotations

import sys

from tracker.store import Store, StoreError


def main() -> int:
    db, case_id, name, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    store = Store(db)
    try:
        for i in range(count):
            event = store.add_event(case_id, f"2021-03-{i % 28 + 1:02d}", "day", "", f"{name} event {i}")
            store.add_tags(event.id, [name, f"batch-{i % 5}"])
    except StoreError as exc:
        print(f"{name}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
