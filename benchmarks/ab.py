"""Import rates of two checkouts, measured in turn: is a change faster?

    .venv/bin/python -m benchmarks.ab /path/to/other/checkout [--rounds 8] [--large]

This machine's speed drifts by a third from minute to minute, so two rates measured
minutes apart say little about a change. Here each round imports the benchmark folder
(`benchmarks.perf.import_docs`, filed, the default pool) once with the other checkout's
code and once with this one's, each in a fresh Python process after a warm-up import,
into an empty database or (`--large`) a fresh copy of the 1M-event one. The rounds'
rates, their medians and the median of the pairs' ratios are printed; the ratio of a
pair compares two figures of the same minute.

The other checkout is usually a worktree of the commit before the change:
`git worktree add /tmp/before HEAD~1`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Run in a fresh process from a checkout's root: one warm-up import, then the timed one.
_ONE_IMPORT = r"""
import json, sys, tempfile
from pathlib import Path
sys.path.insert(0, ".")
import benchmarks.perf as perf
large = {large!r}
with tempfile.TemporaryDirectory(prefix="tracker-ab-") as tmp:
    tmp = Path(tmp)
    docs = perf.import_docs(tmp / "docs")
    perf.import_rate(tmp / "warm.db", docs, False)
    if large:
        copy = tmp / "large.db"
        perf.copy_database(Path(large), copy)
        try:
            rate = perf.import_rate(copy, docs, False)
        finally:
            perf.drop_copy(copy)
    else:
        rate = perf.import_rate(tmp / "empty.db", docs, False)
print(json.dumps(rate))
"""


def one_import(checkout: Path, large: Path | None) -> float:
    """Documents per second of one import with `checkout`'s code."""
    code = _ONE_IMPORT.format(large=str(large) if large else None)
    done = subprocess.run([sys.executable, "-c", code], cwd=checkout, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the import in {checkout} failed: {done.stderr.strip().splitlines()[-1:]}")
    return float(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("other", type=Path, help="the checkout to compare with (the code before a change)")
    ap.add_argument("--rounds", type=int, default=8, help="pairs of imports (default 8)")
    ap.add_argument("--large", action="store_true", help="import into a copy of the 1M-event database")
    args = ap.parse_args(argv)
    if not (args.other / "tracker").is_dir():
        ap.error(f"{args.other} is not a tracker checkout")
    large = None
    if args.large:
        from benchmarks.perf import database

        large = database("large")
    before: list[float] = []
    after: list[float] = []
    for i in range(args.rounds):
        before.append(one_import(args.other.resolve(), large))
        after.append(one_import(ROOT, large))
        print(f"round {i + 1}: other {before[-1]:.1f}, this {after[-1]:.1f} documents/s", flush=True)
    ratios = [a / b for a, b in zip(after, before, strict=True)]
    print(json.dumps({"other": statistics.median(before), "this": statistics.median(after),
                      "median_ratio": statistics.median(ratios), "rounds": args.rounds,
                      "database": "1M events" if large else "empty"}))
    print(f"medians: other {statistics.median(before):.1f}, this {statistics.median(after):.1f} documents/s; "
          f"median of the pairs' ratios {statistics.median(ratios):.2f} ({sum(r > 1 for r in ratios)} of "
          f"{len(ratios)} pairs faster)")


if __name__ == "__main__":
    main()
