"""Keys on the 1M-event database, key to settled, this checkout beside another.

Run: `.venv/bin/python -m benchmarks.keys [--baseline DIR] [--rounds 2]`.

The app runs on data/bench-large.db (written by `benchmarks.perf`) in a pty of 80x24
and of 200x50 (the `benchmarks.perf` harness). In each run:
* the cursor goes to the second case and back to the first, the biggest (100,000
  events), 10 times; each return is timed from the key to the last byte before
  OPEN_QUIET of silence, so every paint round of the open is counted;
* in that case's timeline, 60 moves (j, k) and 10 page-downs, each timed to its first
  byte and to the last byte before QUIET of silence, with the bytes written.
With `--baseline DIR` (a `git worktree add` of another commit) the runs of the two
checkouts alternate, so a load that changes meanwhile weighs on both. Prints the
medians; writes nothing.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for `python benchmarks/keys.py`

from benchmarks.perf import DATA, OPEN_QUIET, PtyApp, compile_package  # noqa: E402

MEASURES = ("open", "move first", "move settled", "move bytes", "page settled", "page bytes")


def keys(root: Path, db: Path, cols: int, rows: int) -> dict[str, list[float]]:
    """One run of the app of the checkout at `root`: every measure's samples."""
    code = (f"import sys; sys.path.insert(0, {str(root)!r}); from tracker.launch import main; "
            f"sys.argv = ['tracker', '--db', {str(db)!r}]; main()")
    app = PtyApp(db, cols, rows, [sys.executable, "-c", code])
    out: dict[str, list[float]] = {name: [] for name in MEASURES}
    try:
        app.wait_for(re.compile(r"Cases \(\d"))
        app.read(0.3)
        for _ in range(10):
            app.key(b"j", OPEN_QUIET)
            out["open"].append(app.key(b"k", OPEN_QUIET)[1])
        app.key(b"\t")  # into the timeline
        app.read(0.3)
        for i in range(60):
            first, settled, size = app.key(b"j" if i % 2 == 0 else b"k")
            out["move first"].append(first)
            out["move settled"].append(settled)
            out["move bytes"].append(size)
        for _ in range(10):
            _, settled, size = app.key(b"\x1b[6~")  # pagedown
            out["page settled"].append(settled)
            out["page bytes"].append(size)
    finally:
        app.close()
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--baseline", type=Path, help="another checkout of tracker, run alternately with this one")
    ap.add_argument("--rounds", type=int, default=2, help="runs of the app per checkout and size")
    args = ap.parse_args(argv)
    db = DATA / "bench-large.db"
    if not db.is_file():
        raise SystemExit(f"error: {db} is missing; `.venv/bin/python -m benchmarks.perf` writes it")
    roots = [ROOT] + ([args.baseline.resolve()] if args.baseline else [])
    for root in roots:
        compile_package(root)
    print("| size | checkout | " + " | ".join(MEASURES) + " |")
    print("|---" * (len(MEASURES) + 2) + "|")
    for cols, rows in ((80, 24), (200, 50)):
        samples: dict[Path, dict[str, list[float]]] = {root: {name: [] for name in MEASURES} for root in roots}
        for round_ in range(args.rounds):
            for root in roots if round_ % 2 == 0 else roots[::-1]:
                for name, values in keys(root, db, cols, rows).items():
                    samples[root][name] += values
        for root in roots:
            name = "this checkout" if root == ROOT else str(root)
            cells = [f"{statistics.median(samples[root][m]):,.0f} B" if m.endswith("bytes")
                     else f"{statistics.median(samples[root][m]):.1f} ms" for m in MEASURES]
            print(f"| {cols}x{rows} | {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
