"""Benchmark of filing sources into cases against the lawsuit corpus's case labels.

Why: filing is judged by whether two stories a reader would put together end up
together. So we score pairs: precision and recall of "these two documents are in the same
case", plus the share of documents left unfiled. The corpus is imported with the real
importer into a temp database, without --case, the way a user drops a folder in.

Run from the repo root: `.venv/bin/python -m benchmarks.filing`
"""

from __future__ import annotations

import collections
import itertools
import json
import random
import re
import platform
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.results import replace_section  # noqa: E402

from tracker.importer import UNFILED, import_paths  # noqa: E402
from tracker.store import Store  # noqa: E402

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
if not CORPUS.exists():
    CORPUS = Path("/work/shared/corpus")
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
START, END = "<!-- filing:start -->", "<!-- filing:end -->"
TARGET_P, TARGET_R = 0.95, 0.90


def _norm(title: str) -> str:
    """As the corpus scorer compares titles: case, "v."/"v" and punctuation aside."""
    return re.sub(r"[^a-z0-9 ]+", "", re.sub(r"\s+v\.?\s+", " v ", title.lower())).strip()


def titles_right(gold: dict[str, str], ours: dict[str, str]) -> int:
    """Gold cases whose predicted case (the one holding most of its documents) bears the
    caption or an alias from cases.json, no other case alike: the strict count."""
    known = json.loads((CORPUS / "cases.json").read_text(encoding="utf-8"))
    seen = collections.Counter(_norm(t) for t in set(ours.values()))
    right = 0
    for label in set(gold.values()):
        held = collections.Counter(ours[n] for n, c in gold.items() if c == label and ours.get(n, UNFILED) != UNFILED)
        title = held.most_common(1)[0][0] if held else ""
        names = {_norm(x) for x in [known[label]["caption"], *known[label].get("aliases", [])]}
        right += bool(title) and _norm(title) in names and seen[_norm(title)] == 1
    return right


def run(seed: int | None = None) -> dict[str, object]:
    gold = {Path(e["file"]).name: e["case"] for e in json.loads((CORPUS / "gold.json").read_text(encoding="utf-8"))}
    files = sorted((CORPUS / "docs").glob("*.txt"))
    if seed is not None:
        random.Random(seed).shuffle(files)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "filing.db")
        started = time.perf_counter()
        import_paths(store, files, today=date(2026, 11, 25))
        seconds = time.perf_counter() - started
        ours: dict[str, str] = {}
        titles: dict[str, list[str]] = {}
        for case in store.list_cases():
            for source in store.case_sources(case.id):
                ours[Path(source.path).name] = case.title
                titles.setdefault(case.title, []).append(Path(source.path).name)
        store.close()
    filed = {name: case for name, case in ours.items() if case != UNFILED}
    pairs = list(itertools.combinations(sorted(gold), 2))
    same_gold = {p for p in pairs if gold[p[0]] == gold[p[1]]}
    same_ours = {p for p in pairs if p[0] in filed and p[1] in filed and filed[p[0]] == filed[p[1]]}
    true_pairs = len(same_gold & same_ours)
    precision = true_pairs / len(same_ours) if same_ours else 1.0
    recall = true_pairs / len(same_gold) if same_gold else 1.0
    return {"precision": precision, "recall": recall, "unfiled": 1 - len(filed) / len(gold), "docs": len(gold),
            "cases": {t: sorted(v) for t, v in sorted(titles.items())}, "seconds": seconds,
            "titles_right": titles_right(gold, ours), "gold_cases": len(set(gold.values()))}


def render(result: dict[str, object], seeds: list[dict[str, object]] | None = None) -> str:
    cases = result["cases"]
    assert isinstance(cases, dict)
    lines = [
        START, "## Filing sources into cases", "",
        f"Run {datetime.now():%Y-%m-%d %H:%M} on {platform.platform()}, Python {platform.python_version()}. "
        "Reproduce: `.venv/bin/python -m benchmarks.filing`.", "",
        f"The {result['docs']} corpus articles imported without `--case`, in the order of each seed (shuffled like "
        "`score.py filing --seed N`); pairs of documents scored against the gold case labels; a case title is right "
        "when it is the caption or an alias in cases.json and no other case has it (strict).",
        "",
        "| order | pairwise precision | pairwise recall | unfiled | case titles right | target |",
        "|---|---|---|---|---|---|",
    ]
    for i, r in enumerate(seeds or [result]):
        lines.append(f"| seed {i} | {r['precision']:.3f} | {r['recall']:.3f} | {r['unfiled']:.1%} | "
                     f"{r['titles_right']}/{r['gold_cases']} | P ≥ {TARGET_P}, R ≥ {TARGET_R}, all titles |")
    lines += ["", "Cases as filed (title: documents):", ""]
    lines += [f"- {title}: {', '.join(docs)}" for title, docs in cases.items()]
    lines += ["", END]
    return "\n".join(lines)


def write_results(section: str) -> None:
    replace_section(START, END, section, RESULTS)


def main() -> None:
    seeds = [run(seed) for seed in range(5)]
    result = seeds[0]
    section = render(result, seeds)
    print(section)
    write_results(section)


if __name__ == "__main__":
    main()
