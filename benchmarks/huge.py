"""Huge single documents through the real `tracker import`: does the time grow with the
size, and how far is it from the goal (a 10 MB one-line file in under 5 s)?

Why: a document is read as a whole (its sentences, its date phrases, the grouping of
its readings). Any step that compares every part with every other, or works on a
whole-megabyte "sentence", makes a big file take minutes; the times per MB below show
whether each size costs what its bytes do.

The inputs are generated here (nothing is read from ../shared): one line of news-like
prose about a made-up lawsuit, no newline anywhere, one sentence in five dated (about
as dense in dates as the lawsuit corpus: 1.5 events a KB), at 1, 5 and 10 MB; and an
HTML page of about 13.5 MB made of many <div><p> paragraphs of the same prose. Each is
imported by `python -m tracker import FILE --db NEW.db --case Big` in a fresh process
(start-up included), and the 10 MB file also without --case (filed by what it is about).
One run each (they are long). Beside the wall time, the CPU time the import process used
(user + system): on a machine shared with other work the wall time says as much about
the neighbours as about the import; the CPU time is what the import costs.

Run from the repo root: `.venv/bin/python -m benchmarks.huge [--sizes 1,5,10] [--html-mb 13.5]`.
Results print as a table and replace the huge section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

from benchmarks.results import replace_section

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
START, END = "<!-- huge:start -->", "<!-- huge:end -->"
MB = 1024 * 1024
GOAL_SECONDS = 5.0

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
_DATED = (
    "Acme Corp. sued Borealis Inc. in federal court in Delaware on {m} {d}, {y}, claiming the grid contract was breached",
    "U.S. District Judge Mary Ellen Hart ruled on {wd} that the case could go forward",
    "The trial is scheduled to begin in {m} {y} and will last three weeks",
    "Borealis said in a statement last {wd} that it would appeal the ruling",
    "A hearing was held on {m} {d}, and lawyers for both sides argued for two hours",
    "In {m} {y}, the parties agreed to mediation but talks collapsed two weeks later",
)
_PLAIN = (
    "The grid operator has said the contract terms were clear and that it acted within its rights",
    "Analysts who follow the utility sector said the dispute could affect power prices across the region",
    "Neither company would say how much money was at stake, though filings suggest a large sum",
    "Several customers have complained about outages, and regulators have asked both sides for records",
    "Lawyers for the two companies have traded letters for months, each accusing the other of delay",
    "The judge has asked for more briefing on the question of damages and on the scope of discovery",
    "The company's revenue rose 12 percent in the quarter, according to filings",
)


def prose(size: int, rng: random.Random, dated_share: float = 0.2) -> str:
    """About `size` characters of one-line prose about a made-up lawsuit."""
    out: list[str] = []
    total = 0
    while total < size:
        template = rng.choice(_DATED) if rng.random() < dated_share else rng.choice(_PLAIN)
        sentence = template.format(m=rng.choice(_MONTHS), d=rng.randint(1, 28), y=rng.randint(2015, 2024),
                                   wd=rng.choice(_WEEKDAYS)) + ". "
        out.append(sentence)
        total += len(sentence)
    return "".join(out)[:size].rstrip()


def one_line_file(path: Path, megabytes: float, seed: int = 1) -> Path:
    """A text file of `megabytes` MB that is a single line."""
    rng = random.Random(seed)
    path.write_text("Acme v. Borealis: " + prose(int(megabytes * MB), rng), encoding="utf-8")
    return path


def html_page(path: Path, megabytes: float, seed: int = 2) -> Path:
    """An HTML page of about `megabytes` MB: an article of many <div><p> paragraphs."""
    rng = random.Random(seed)
    head = ("<!doctype html><html><head><title>Acme v. Borealis: the long docket</title></head><body><article>"
            "<h1>Acme v. Borealis: the long docket</h1>\n")
    parts, total = [head], len(head)
    while total < megabytes * MB:
        paragraph = f'<div class="para"><p>{prose(rng.randint(300, 900), rng)}</p></div>\n'
        parts.append(paragraph)
        total += len(paragraph)
    parts.append("</article></body></html>\n")
    path.write_text("".join(parts), encoding="utf-8")
    return path


def time_import(path: Path, db: Path, case: str | None) -> tuple[float, float, str]:
    """Wall and CPU seconds for `python -m tracker import` of `path` into a new database,
    and the import's last line."""
    args = [sys.executable, "-m", "tracker", "import", str(path), "--db", str(db)]
    if case:
        args += ["--case", case]
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    begin = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"}, timeout=3600)
    seconds = time.perf_counter() - begin
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_seconds = (after.ru_utime - cpu.ru_utime) + (after.ru_stime - cpu.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"import of {path.name} failed: {(done.stderr or done.stdout).strip()[:300]}")
    return seconds, cpu_seconds, done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,5,10", help="one-line text sizes in MB (default 1,5,10)")
    parser.add_argument("--html-mb", type=float, default=13.5, help="HTML page size in MB (0: none)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    options = parser.parse_args()
    sizes = [float(s) for s in options.sizes.split(",") if s]
    rows: list[tuple[str, float, str, float, float]] = []
    with tempfile.TemporaryDirectory(prefix="tracker-huge-") as tmp:
        folder = Path(tmp)
        inputs: list[tuple[str, Path, str | None]] = []
        for size in sizes:
            path = one_line_file(folder / f"line-{size:g}mb.txt", size)
            inputs.append((f"{size:g} MB one line, --case", path, "Big"))
            if size == max(sizes):
                inputs.append((f"{size:g} MB one line, filed", path, None))
        if options.html_mb:
            inputs.append((f"{options.html_mb:g} MB HTML page, --case", html_page(folder / "page.html", options.html_mb),
                           "Big"))
        for i, (label, path, case) in enumerate(inputs):
            seconds, cpu_seconds, said = time_import(path, folder / f"run{i}.db", case)
            megabytes = path.stat().st_size / MB
            rows.append((label, megabytes, said, seconds, cpu_seconds))
            print(f"{label:28s} {megabytes:6.2f} MB {seconds:7.2f} s wall {cpu_seconds:7.2f} s CPU "
                  f"{cpu_seconds / megabytes:6.2f} CPU s/MB  {said}", flush=True)
    load = os.getloadavg()[0]
    lines = [START, "## Huge single documents", "",
             "`.venv/bin/python -m benchmarks.huge`: one-line text files of generated news-like prose (one "
             "sentence in five dated) and an HTML page of many `<div><p>` paragraphs, each imported by the real "
             f"`tracker import` in a fresh process into a new database; one run each; load average {load:.1f} on "
             f"{os.cpu_count()} cores.", "",
             "| input | size | wall | CPU | CPU per MB | import said |", "|---|---|---|---|---|---|"]
    for label, megabytes, said, seconds, cpu_seconds in rows:
        lines.append(f"| {label} | {megabytes:.1f} MB | {seconds:.1f} s | {cpu_seconds:.1f} s | "
                     f"{cpu_seconds / megabytes:.2f} s | {said} |")
    text_rows = [(m, c) for label, m, _, _, c in rows if "one line, --case" in label]
    if len(text_rows) >= 2:
        (m0, s0), (m1, s1) = text_rows[0], text_rows[-1]
        lines += ["", f"Growth: {m1 / m0:.1f}x the bytes took {s1 / s0:.1f}x the CPU time "
                      f"({'near-linear' if s1 / s0 < 1.5 * m1 / m0 else 'growing faster than the size'}). "
                      f"Goal: 10 MB in under {GOAL_SECONDS:g} s; "
                      + ("met." if any(m >= 9.5 and w < GOAL_SECONDS for _, m, _, w, _ in rows) else
                         "missed: most of the time is the date tagger's regular expressions over every byte "
                         "and the per-event reading (titles, grouping), both linear.")]
    lines.append(END)
    section = "\n".join(lines)
    print(section)
    if options.no_write:
        return
    replace_section(START, END, section, RESULTS)
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
