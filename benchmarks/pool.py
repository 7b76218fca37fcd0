"""Import on several cores: the real `tracker import` command with `--jobs 1` against the
default (a process per core, the importing one among them), same documents, same run.

`.venv/bin/python -m benchmarks.pool` copies the lawsuit corpus (../shared/corpus/docs,
read by path, for measuring only) into a temporary folder, `--copies N` times (each copy
with a line of its own so that no document is skipped as a repeat), then imports it
into a new, empty database with the `tracker` command of this checkout, alternating
`--jobs 1` and the default, `--runs` times each. It reports documents per second (the
whole command: Python start-up, reading, analysing, filing, storing) as medians, their
ratio, the CPU time the command and its workers used (and so how many cores they got:
on a machine whose cores other sessions keep busy, the scheduler shares them out by
session, and a pool gets no more than one process would), the load average before and
after, and checks that both databases export the
same tracker.v1 JSON; and the start-up of a worker by each start method. Results print as a table and replace the pool section of
benchmarks/RESULTS.md.
"""

from __future__ import annotations

from benchmarks.results import replace_section

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path("/work/shared/corpus/docs")
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def markers(copies: int) -> tuple[str, str]:
    """The RESULTS.md section of a run: one for the corpus, one for each number of copies."""
    name = "pool" if copies == 1 else f"pool-x{copies}"
    return f"<!-- {name}:start -->", f"<!-- {name}:end -->"


def folder_of(copies: int, into: Path) -> int:
    """The corpus copied `copies` times into `into`; the number of documents."""
    count = 0
    for copy in range(copies):
        for source in sorted(CORPUS.glob("*.txt")):
            text = source.read_text(encoding="utf-8")
            if copy:
                text += f"\n(Copy {copy} of this story, for measuring.)\n"
            (into / f"{copy:02d}-{source.name}").write_text(text, encoding="utf-8")
            count += 1
    return count


def tracker(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TRACKER_DB": str(db), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "tracker", *args], capture_output=True, text=True, env=env,
                          check=False)


def timed_import(folder: Path, db: Path, jobs: list[str]) -> tuple[float, float]:
    """Seconds of the whole command, and the CPU seconds it and its workers used."""
    db.unlink(missing_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = tracker(db, "import", str(folder), *jobs)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"import failed: {result.stderr.strip()}")
    return elapsed, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


STARTS = """
import multiprocessing, sys, time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path
from tracker import readers
method, doc = sys.argv[1], Path(sys.argv[2])
context = multiprocessing.get_context(method)
if method == "forkserver":
    context.set_forkserver_preload(["tracker.readers_warm"])
if method == "fork":
    readers.warm()
reading = readers.Reading(date(2026, 1, 1))
for _ in range(2):
    start = time.perf_counter()
    with ProcessPoolExecutor(1, mp_context=context) as pool:
        pool.submit(reading, doc).result()
    print(f"{time.perf_counter() - start:.3f}")
"""


def start_methods(doc: Path) -> dict[str, list[float]]:
    """Seconds from creating a pool of one worker to its first analysis, for a process's
    first pool and its second, by start method (fork: after the importer's warm-up)."""
    found = {}
    for method in ("fork", "forkserver", "spawn"):
        result = subprocess.run([sys.executable, "-c", STARTS, method, str(doc)], capture_output=True, text=True,
                                check=True, cwd=ROOT)
        found[method] = [float(x) for x in result.stdout.split()]
    return found


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=1, help="copies of the corpus (default 1: 66 documents)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="do not touch benchmarks/RESULTS.md")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="poolbench-"))
    try:
        folder = work / "docs"
        folder.mkdir()
        count = folder_of(args.copies, folder)
        before = load()
        times: dict[str, list[float]] = {"--jobs 1": [], "default": []}
        cpu: dict[str, list[float]] = {"--jobs 1": [], "default": []}
        for _ in range(args.runs):
            for name, db, jobs in (("--jobs 1", "one.db", ["--jobs", "1"]), ("default", "pool.db", [])):
                wall, used = timed_import(folder, work / db, jobs)
                times[name].append(wall)
                cpu[name].append(used)
        starts = start_methods(next(folder.glob("*.txt")))
        after = load()
        same = tracker(work / "one.db", "export", "--format", "json").stdout == \
            tracker(work / "pool.db", "export", "--format", "json").stdout
    finally:
        shutil.rmtree(work, ignore_errors=True)
    rate = {name: count / statistics.median(values) for name, values in times.items()}
    rows = [f"| `tracker import` {name} | " + ", ".join(f"{v:.2f}" for v in values)
            + f" | {statistics.median(values):.2f} | {rate[name]:.1f} | {statistics.median(cpu[name]):.2f} | "
            f"{statistics.median(c / w for c, w in zip(cpu[name], values)):.2f} |" for name, values in times.items()]
    section = "\n".join([
        f"**Import on {os.cpu_count()} cores** ({count} documents: the lawsuit corpus x{args.copies}, into an "
        f"empty database, the whole command; {args.runs} runs each, alternating; load average "
        f"{before} before, {after} after; `.venv/bin/python -m benchmarks.pool --copies {args.copies}`):",
        "",
        "| command | seconds per run | median | docs/s | CPU seconds (median) | cores used (CPU / wall, median) |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
        f"Ratio default / `--jobs 1`: {rate['default'] / rate['--jobs 1']:.2f}x. "
        f"Exports identical: {'yes' if same else 'NO'}.",
        "",
        "Start methods, seconds from a pool of one worker created to its first analysis (a process's first "
        "pool, its second): " + "; ".join(f"{m} {a:.2f}, {b:.2f}" for m, (a, b) in starts.items()) + ".",
    ])
    print(section)
    if not args.no_write:
        START, END = markers(args.copies)
        replace_section(START, END, f"{START}\n{section}\n{END}", RESULTS)
        print(f"wrote {RESULTS}")
    if not same:
        raise SystemExit("the exports differ")


if __name__ == "__main__":
    main()
