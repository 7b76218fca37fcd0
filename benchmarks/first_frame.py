"""First frame: how long `tracker --db FILE` takes to draw its case list, beside its floors.

Run: `.venv/bin/python -m benchmarks.first_frame [--repeats 7] [--baseline DIR]`.

Every figure comes from the same run, with the same interpreter, the starts of all
programs interleaved (one start of each per round) so that a load that changes during
the run weighs on each alike; medians are printed with the ratios the targets name:

* bare Textual: `python -c "import textual.app"`, spawn to exit: the floor of any
  Textual app's first frame (no screen, no database);
* a minimal Textual app: one line of text on a screen (its App imported from
  textual.app, as any Textual app's), spawn to that line on the pty: the floor of a
  Textual app's first frame, stylesheet, driver and first paint included;
* tracker on an empty database and on the 1M-event one (data/bench-large.db, written by
  `benchmarks.perf`), spawn to the first output holding the case list and the first
  case's title, in an 80x24 pty (the pty harness of `benchmarks.perf`);
* `--baseline DIR`: the same for another checkout of tracker (`git worktree add` or
  `git archive main | tar -x -C DIR`), run with this interpreter from DIR so that its
  own `tracker` package is the one imported: a before/after in one run;
* VisiData on the same large file when it is installed (`pip install visidata`, a
  benchmark-only peer): spawn to its sheet of tables naming `cases` and `events`.

Each program reads compiled bytecode, as an installed program does (tracker's checkouts
are compiled first: `perf.compile_package`), and is started once before the timed
rounds so that its files are in the page cache. The table, the load and the targets
(first frame on the large database at most VisiData's and within 1.5x of the bare
Textual import) replace the first-frame section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for `python benchmarks/first_frame.py`
from benchmarks.results import replace_section  # noqa: E402

from benchmarks.perf import DATA, RESULTS, PtyApp, compile_package, first_title, machine  # noqa: E402

MINIMAL_APP = """
from textual.app import App
from textual.widgets import Static

class Minimal(App[None]):
    def compose(self):
        yield Static("first frame drawn")

Minimal().run()
"""
MARKS = ("<!-- first-frame:start -->", "<!-- first-frame:end -->")
FLOOR, PEER, OURS = "bare import textual.app", "VisiData, 1M events", "tracker, 1M events"
EMPTY = DATA / "bench-first-frame-empty.db"
LARGE = DATA / "bench-large.db"


class Spawned(PtyApp):
    """Any program in an 80x24 pty, run from `cwd`: the harness of `benchmarks.perf`."""

    def __init__(self, argv: list[str], cwd: Path) -> None:  # noqa: D107 (same as PtyApp's, another argv)
        import fcntl
        import struct
        import termios

        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
        env.pop("NO_COLOR", None)
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                                     start_new_session=True, cwd=cwd)
        os.close(slave)
        self.fd = master
        self.screen_bytes = 0


def case_list(db: Path) -> re.Pattern[str]:
    """The case list drawn: its heading and, when there are cases, the first title."""
    title = first_title(db)
    return re.compile(r"Cases \(\d" + (r"[\s\S]*" + re.escape(title[:30]) if title else ""))


def framed(argv: list[str], cwd: Path, wanted: re.Pattern[str]) -> float:
    """Seconds from spawning `argv` in the pty to the first output matching `wanted`."""
    app = Spawned(argv, cwd)
    try:
        return app.wait_for(wanted) - app.started
    finally:
        app.close()


def exited(argv: list[str]) -> float:
    """Seconds from spawning `argv` to its exit."""
    began = time.perf_counter()
    subprocess.run(argv, check=True, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    return time.perf_counter() - began


def starts(baseline: Path | None) -> dict[str, Callable[[], float]]:
    """What to time, by name: each a function that starts the program once."""
    from tracker.store import Store

    if not EMPTY.exists():
        Store(EMPTY).close()
    python = sys.executable
    runs: dict[str, Callable[[], float]] = {"bare import textual.app": lambda: exited([python, "-c", "import textual.app"])}
    hello = [python, "-c", MINIMAL_APP]
    runs["minimal Textual app"] = lambda: framed(hello, ROOT, re.compile("first frame drawn"))
    checkouts = {"tracker": ROOT} | ({"baseline": baseline} if baseline else {})
    for db_name, db in (("empty", EMPTY), ("1M events", LARGE)):
        if not db.exists():
            print(f"note: {db} missing (write it with `python -m benchmarks.perf`); skipped", file=sys.stderr)
            continue
        wanted = case_list(db)
        for name, checkout in checkouts.items():
            argv = [python, "-m", "tracker", "--db", str(db)]
            runs[f"{name}, {db_name}"] = lambda argv=argv, cwd=checkout, wanted=wanted: framed(argv, cwd, wanted)
    if LARGE.exists():
        if importlib.util.find_spec("visidata") is None:
            print("note: VisiData is not installed (pip install visidata); skipped", file=sys.stderr)
        else:
            tables = re.compile(r"(?=[\s\S]*\bcases\b)[\s\S]*\bevents\b")
            argv = [python, "-m", "visidata", str(LARGE)]
            runs["VisiData, 1M events"] = lambda: framed(argv, ROOT, tables)
    return runs


def report(times: dict[str, list[float]], repeats: int, load: tuple[float, float, float], command: str) -> str:
    """The Markdown section: medians, spread, ratios to the floor and to VisiData, verdicts."""
    medians = {name: statistics.median(values) * 1000 for name, values in times.items()}
    floor, peer = medians[FLOOR], medians.get(PEER)
    lines = [
        "## First frame",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M')} on {machine()}; load average {load[0]:.2f} {load[1]:.2f} "
        f"{load[2]:.2f} (other work shares the 2 CPUs: ratios are from the same run, starts interleaved). "
        f"Reproduce: `{command}`.",
        "",
        f"| program, 80x24 pty, median of {repeats} | median | min | max | / bare import | / VisiData |",
        "|---|---|---|---|---|---|",
    ]
    for name, values in times.items():
        ms = medians[name]
        versus = f"{ms / peer:.2f}" if peer and "1M" in name else ""
        lines.append(f"| {name} | {ms:.0f} ms | {min(values) * 1000:.0f} ms | {max(values) * 1000:.0f} ms "
                     f"| {ms / floor:.2f} | {versus} |")
    ours = medians.get(OURS)
    if ours is not None:
        lines += ["", "**Targets.**",
                  f"- within 1.5x of the bare Textual import: {ours / floor:.2f}x "
                  f"({'met' if ours <= 1.5 * floor else 'missed'})."]
        if peer:
            lines.append(f"- at most VisiData's on the same file: {ours / peer:.2f}x "
                         + ("(met)." if ours <= peer else f"(missed by {ours - peer:.0f} ms, {ours / peer - 1:.0%})."))
    return "\n".join(lines)


def write_section(section: str) -> None:
    """Replace the region between this benchmark's markers in RESULTS.md (appended the
    first time); the other benchmarks own the rest of the file."""
    start, end = MARKS
    replace_section(start, end, f"{start}\n{section}\n{end}", RESULTS)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--baseline", type=Path, help="another tracker checkout to time beside this one")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    args = parser.parse_args(argv)
    compile_package(ROOT)
    if args.baseline:
        compile_package(args.baseline.resolve())
    runs = starts(args.baseline.resolve() if args.baseline else None)
    for run in runs.values():  # files in the page cache
        run()
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(args.repeats):
        for name, run in runs.items():
            times[name].append(run())
    load = os.getloadavg()
    command = ".venv/bin/python -m benchmarks.first_frame " + " ".join(argv if argv is not None else sys.argv[1:])
    section = report(times, args.repeats, (load[0], load[1], load[2]), command.strip())
    print(section)
    if not args.no_write:
        write_section(section)


if __name__ == "__main__":
    main()
