"""A separate process that keeps reading while others write.

Usage: python -m tests.workers.reader DB CASE_ID SECONDS
Prints the number of reads; exits 1 on any error.
"""

from __future__ import annotations

import sys
import time

from tracker.store import Store, StoreError


def main() -> int:
    db, case_id, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    store = Store(db)
    reads = 0
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            store.list_cases()
            store.list_events(case_id)
            store.search("event")
            reads += 1
    except StoreError as exc:
        print(f"reader: {exc}", file=sys.stderr)
        return 1
    print(reads)
    return 0


if __name__ == "__main__":
    sys.exit(main())
