"""Opening the 100,000-event case: key to settled, this checkout beside another.

Run: `.venv/bin/python -m benchmarks.open_case [--baseline DIR] [--rounds 2] [--keys 10]`.

The app runs on data/bench-large.db (written by `benchmarks.perf`) in a pty of 80x24
and of 200x50 (the `benchmarks.perf` harness). In each run the cursor goes to the
second case and back to the first, the biggest, `--keys` times; each return is timed
from the key to the last byte before OPEN_QUIET of silence, so every paint round of the
open is counted. With `--baseline DIR` (a `git worktree add` of another commit) the
runs of the two checkouts alternate, so a load that changes meanwhile weighs on both.
Prints the medians; writes nothing.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for `python benchmarks/open_case.py`

from benchmarks.perf import DATA, OPEN_QUIET, PtyApp, compile_package  # noqa: E402


def opens(root: Path, db: Path, cols: int, rows: int, keys: int) -> list[float]:
    """Milliseconds to open the first case, `keys` times, with the tracker under `root`."""
    code = (f"import sys; sys.path.insert(0, {str(root)!r}); from tracker.launch import main; "
            f"sys.argv = ['tracker', '--db', {str(db)!r}]; main()")
    app = PtyApp(db, cols, rows, [sys.executable, "-c", code])
    times: list[float] = []
    try:
        app.wait_for(re.compile(r"Cases \(\d"))
        app.read(0.3)
        for _ in range(keys):
            app.key(b"j", OPEN_QUIET)
            _, settled, _ = app.key(b"k", OPEN_QUIET)
            times.append(settled)
    finally:
        app.close()
    return times


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--baseline", type=Path, help="another checkout of tracker, run alternately with this one")
    ap.add_argument("--rounds", type=int, default=2, help="runs of the app per checkout and size")
    ap.add_argument("--keys", type=int, default=10, help="opens timed per run")
    args = ap.parse_args(argv)
    db = DATA / "bench-large.db"
    if not db.is_file():
        raise SystemExit(f"error: {db} is missing; `.venv/bin/python -m benchmarks.perf` writes it")
    roots = [ROOT] + ([args.baseline.resolve()] if args.baseline else [])
    for root in roots:
        compile_package(root)
    for cols, rows in ((80, 24), (200, 50)):
        times: dict[Path, list[float]] = {root: [] for root in roots}
        for round_ in range(args.rounds):
            for root in roots if round_ % 2 == 0 else roots[::-1]:
                times[root] += opens(root, db, cols, rows, args.keys)
        for root in roots:
            name = "this checkout" if root == ROOT else str(root)
            print(f"{cols}x{rows} {name}: median {statistics.median(times[root]):.1f} ms "
                  f"(min {min(times[root]):.1f}, max {max(times[root]):.1f}, {len(times[root])} opens)")


if __name__ == "__main__":
    main()
