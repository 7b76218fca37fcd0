"""A separate process that commits small changes as fast as it can for a while (a busy
database for a backup to copy). Prints how many commits it made.

Usage: python -m tests.workers.committer DB CASE_ID SECONDS
"""

from __future__ import annotations

import sys
import time

from tracker.store import Store


def main() -> int:
    db, case_id, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    store = Store(db)
    commits = 0
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            store.add_event(case_id, "2021-04-01", "day", "", f"busy {commits}")
            commits += 1
            time.sleep(0.02)
    finally:
        store.close()
    print(commits)
    return 0


if __name__ == "__main__":
    sys.exit(main())
