"""Benchmark of the date pipeline against gold data, beside plain dateparser.

Why: the tagger (`tracker.timex`) and the event extractor are hand-written rules; the
only way to know whether a rule helps is to count, on text the rules were not written
from, how many dates they find and how many they resolve correctly, and to compare with
the obvious alternative, `dateparser.search.search_dates`, given its best settings.

Two yardsticks, both read by path and never copied into the repo:

* TempEval-3 platinum (/work/shared/timeml): DATE expressions, scored by its own
  `score.py` (relaxed extent P/R/F1, value F1). Ours: anchor = the document creation
  time, sentence spans passed, every timex emitted (loose ones such as "today" too);
  a timex whose value is None is emitted with an empty value, so it counts for the
  extent and against the value.
* The lawsuit corpus (/work/shared/corpus): the importer's pipeline per document
  (publication date inferred with today = 2026-11-25, then event proposals). An event
  matches a gold event when its period lies inside the gold date's period (so our
  granularity is at least as fine as the gold's) and its excerpt overlaps the gold
  evidence sentence; matching is one-to-one. Proposals without a value count as
  predictions that cannot match. The baseline is handed the gold publication date as
  RELATIVE_BASE, an advantage ours does not get.

Run from the repo root: `.venv/bin/python -m benchmarks.dates [--details FILE]`.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for `python benchmarks/dates.py`
from benchmarks.results import replace_section  # noqa: E402

from dateparser.date import DateDataParser  # noqa: E402
from dateparser.search import search_dates  # noqa: E402

from tracker.dates import granularity_of, period_start, value_for  # noqa: E402
from tracker.extract import propose_events  # noqa: E402
from tracker.ingest import read_document  # noqa: E402
from tracker.published import infer_published, page_spans  # noqa: E402
from tracker.sentences import sentence_spans  # noqa: E402
from tracker.timex import Anchor, find_timexes  # noqa: E402

TIMEML = Path("/work/shared/timeml")
CORPUS = Path("/work/shared/corpus")
TODAY = date(2026, 11, 25)
REPEATS = 3
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
START, END = "<!-- dates:start -->", "<!-- dates:end -->"
GRANULARITY = {"day": "day", "time": "day", "week": "week", "month": "month", "year": "year"}


def load_scorer() -> ModuleType:
    """TempEval's own scorer, imported by path so the numbers are the README's."""
    spec = importlib.util.spec_from_file_location("te3_score", TIMEML / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------- systems --
@dataclass(frozen=True)
class Found:
    """A date found in a text: its phrase span, its value, its excerpt span."""

    start: int
    end: int
    value: str | None
    excerpt: tuple[int, int]
    kind: str = "DATE"

    def phrase(self, text: str) -> str:
        return text[self.start:self.end]


def dateparser_settings(base: date) -> dict[str, Any]:
    return {"RELATIVE_BASE": datetime.combine(base, datetime.min.time()), "PREFER_DATES_FROM": "past"}


def dateparser_hits(text: str, base: date) -> list[tuple[int, int, datetime]]:
    """search_dates gives substrings, not offsets: find each in the text in order, as
    the TempEval README's baseline row does; a substring not found after the previous
    one is dropped."""
    hits = search_dates(text, languages=["en"], settings=dateparser_settings(base)) or []
    out, cursor = [], 0
    for phrase, moment in hits:
        at = text.find(phrase, cursor)
        if at < 0:
            continue
        out.append((at, at + len(phrase), moment))
        cursor = at + len(phrase)
    return out


_PERIODS: dict[str, str] = {}


def dateparser_period(phrase: str) -> str:
    """dateparser's own granularity for a phrase ("March 2013" is a month), so its
    values can be honest TIMEX3 values rather than always days."""
    if phrase not in _PERIODS:
        data = DateDataParser(languages=["en"]).get_date_data(phrase)
        _PERIODS[phrase] = GRANULARITY.get(data.period or "day", "day") if data.date_obj else "day"
    return _PERIODS[phrase]


def baseline(text: str, base: date, own_period: bool) -> list[Found]:
    """dateparser's dates; the excerpt is the sentence holding each phrase."""
    spans = sentence_spans(text)
    out = []
    for start, end, moment in dateparser_hits(text, base):
        granularity = dateparser_period(text[start:end]) if own_period else "day"
        excerpt = next(((s, e) for s, e in spans if s <= start < e), (start, end))
        out.append(Found(start, end, value_for(moment.date(), granularity), excerpt))
    return out


def ours_timexes(text: str, dct: date) -> list[Found]:
    """The tagger alone, with an exact anchor, as TempEval scores a tagger: TIMEX3 values
    (PRESENT_REF, seasons) and types (a TIME such as "Friday night" is not a DATE)."""
    return [Found(t.start, t.end, t.timex3, (t.start, t.end), t.kind)
            for t in find_timexes(text, Anchor.day(dct), sentence_spans(text))]


def ours_import() -> dict[str, tuple[str | None, list[Found]]]:
    """The real importer over the whole corpus into a temp database, no --case: filing,
    publication dates (case context included), merging. Each document is scored on the
    readings its own passages give, as stored on the event links."""
    import tempfile

    from tracker.importer import import_paths
    from tracker.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db")
        import_paths(store, [CORPUS / "docs"], today=TODAY)
        out = {}
        for source in store.all_sources():
            name = "docs/" + Path(source.path).name
            found = [Found(r["phrase_start"], r["phrase_end"], r["value"], (r["start"], r["end"]))
                     for r in store.source_readings(source.id)]
            out[name] = (source.published, found)
        store.close()
    return out


def ours_pipeline(text: str) -> tuple[str | None, list[Found]]:
    """What the importer does with a document: infer its date, then propose events."""
    guess = infer_published(text, TODAY)
    skip = page_spans(text) + ([guess.evidence] if guess.evidence and guess.basis not in
                               {"weekday-anchor", "case-context"} else [])
    events = propose_events(text, guess.anchor, skip)
    return guess.value, [Found(e.phrase_start, e.phrase_end, e.value, (e.start, e.end)) for e in events]


# --------------------------------------------------------------- TempEval --
def tempeval(scorer: ModuleType, system: Callable[[str, date], list[Found]],
             details: list[str] | None, name: str) -> dict[str, Any]:
    """Score one system on the DATE expressions with score.py's `score`."""
    gold_all = scorer.load_jsonl(str(TIMEML / "gold.jsonl"))
    gold, pred = {}, {}
    for doc_id, doc in gold_all.items():
        gold[doc_id] = dict(doc, timexes=[t for t in doc["timexes"] if t["type"] == "DATE"])
        found = system(doc["text"], date.fromisoformat(doc["dct"][:10]))
        pred[doc_id] = {"doc_id": doc_id, "timexes": [
            {"start": f.start, "end": f.end, "value": f.value or "", "type": f.kind} for f in found]}
        if details is not None:
            errors = tempeval_errors(name, doc, pred[doc_id]["timexes"])
            misses = sum(1 for line in errors if " MISS " in line)
            details.append(f"[{name}] DOC      {doc_id}: {misses} of {len(gold[doc_id]['timexes'])} DATE missed")
            details.extend(errors)
    return scorer.score(gold, pred)


def tempeval_errors(name: str, doc: dict[str, Any], pred: list[dict[str, Any]]) -> list[str]:
    """Misses, wrong values and spurious predictions, pairing as score.py does
    (one-to-one, greedy by overlap, gold in order)."""
    text, out, used = doc["text"], [], set()
    gold = [t for t in doc["timexes"] if t["type"] == "DATE"]
    for g in gold:
        best = None
        for i, p in enumerate(pred):
            if i in used or p["end"] <= g["start"] or p["start"] >= g["end"]:
                continue
            overlap = min(p["end"], g["end"]) - max(p["start"], g["start"])
            if best is None or overlap > best[0]:
                best = (overlap, i)
        if best is None:
            out.append(f"[{name}] MISS     {doc['doc_id']}: {g['text']!r} = {g['value']}")
            continue
        used.add(best[1])
        p = pred[best[1]]
        if p["value"] != g["value"]:
            out.append(f"[{name}] VALUE    {doc['doc_id']}: {text[p['start']:p['end']]!r} = {p['value'] or 'None'}"
                       f" ; gold {g['text']!r} = {g['value']} (dct {doc['dct'][:10]})")
    others = [t for t in doc["timexes"] if t["type"] != "DATE"]
    for i, p in enumerate(pred):
        if i in used:
            continue
        other = next((t for t in others if t["start"] < p["end"] and p["start"] < t["end"]), None)
        why = f"gold {other['type']} {other['text']!r} = {other['value']}" if other else "not a gold timex"
        out.append(f"[{name}] SPURIOUS {doc['doc_id']}: {text[p['start']:p['end']]!r} = {p['value'] or 'None'} ; {why}")
    return out


# ----------------------------------------------------------------- corpus --
def period_end(value: str) -> date:
    """Last day of the period a value names."""
    first = date.fromisoformat(period_start(value) or value)
    granularity, last = granularity_of(value), first
    while value_for(last + timedelta(days=1), granularity) == value:
        last += timedelta(days=1)
    return last


def within(value: str | None, gold: str) -> bool:
    """Our period lies inside the gold period: equal at the gold's granularity, ours at
    least as fine (a day in the gold month counts, a month for a gold day does not)."""
    if not value:
        return False
    granularity = granularity_of(gold)
    first = date.fromisoformat(period_start(value) or value)
    return value_for(first, granularity) == gold and value_for(period_end(value), granularity) == gold


def match(found: list[Found], gold: list[dict[str, Any]]) -> dict[int, int]:
    """Maximum one-to-one matching (augmenting paths) of predictions to gold events."""
    fits = [[g for g, event in enumerate(gold) if within(f.value, event["date"])
             and f.excerpt[0] < event["span"][1] and event["span"][0] < f.excerpt[1]] for f in found]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for g in fits[i]:
            if g not in seen:
                seen.add(g)
                if g not in owner or augment(owner[g], seen):
                    owner[g] = i
                    return True
        return False

    for i in range(len(found)):
        augment(i, set())
    return owner


@dataclass
class Tally:
    """Event counts summed over documents."""

    tp: int = 0
    sys: int = 0
    gold: int = 0
    undated: int = 0
    published_ok: int = 0

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / self.sys if self.sys else 0.0
        r = self.tp / self.gold if self.gold else 0.0
        return 100 * p, 100 * r, (200 * p * r / (p + r) if p + r else 0.0)


def corpus_docs() -> list[tuple[dict[str, Any], str]]:
    """Gold entries with the text as the importer reads it; evidence located in it."""
    out = []
    for entry in json.loads((CORPUS / "gold.json").read_text(encoding="utf-8")):
        text = read_document(CORPUS / entry["file"]).text
        for event in entry["events"]:
            at = text.find(event["evidence"])
            if at < 0:
                raise SystemExit(f"evidence not found in {entry['file']}: {event['evidence'][:60]!r}")
            event["span"] = (at, at + len(event["evidence"]))
        out.append((entry, text))
    return out


def corpus(docs: list[tuple[dict[str, Any], str]], system: str, details: list[str] | None) -> Tally:
    """Event P/R for `system`: "ours" (full pipeline) or a dateparser variant."""
    tally = Tally()
    imported = ours_import() if system == "ours" else {}
    for entry, text in docs:
        if system == "ours":
            published, found = imported[entry["file"]]
            tally.published_ok += published == entry["published"]
        else:
            found = baseline(text, date.fromisoformat(entry["published"]), system == "dateparser+period")
        gold = entry["events"]
        owner = match(found, gold)
        tally.tp, tally.sys, tally.gold = tally.tp + len(owner), tally.sys + len(found), tally.gold + len(gold)
        tally.undated += sum(1 for f in found if not f.value)
        if details is None:
            continue
        name, doc = entry["file"], f"[{system}]"
        if system == "ours" and published != entry["published"]:
            details.append(f"{doc} PUBLISHED {name}: ours {published} ; gold {entry['published']}")
        for g, event in enumerate(gold):
            if g not in owner:
                details.append(f"{doc} MISS     {name}: gold {event['date']} ({event['kind']}) :: {event['evidence']}")
        matched = set(owner.values())
        for i, f in enumerate(found):
            if i not in matched:
                details.append(f"{doc} SPURIOUS {name}: {f.phrase(text)!r} = {f.value or 'None'} :: "
                               f"{' '.join(text[f.excerpt[0]:f.excerpt[1]].split())}")
    return tally


# ------------------------------------------------------------- throughput --
def throughput(docs: list[tuple[dict[str, Any], str]], timeml: list[dict[str, Any]]) -> dict[str, float]:
    """Documents per second, median of REPEATS runs over every corpus and TempEval document, both systems
    in the same process: ours = infer_published + propose_events; the baseline =
    search_dates with RELATIVE_BASE set (no offset search, no period)."""
    jobs = [(text, date.fromisoformat(entry["published"])) for entry, text in docs]
    jobs += [(doc["text"], date.fromisoformat(doc["dct"][:10])) for doc in timeml]
    runs: dict[str, list[float]] = {"ours": [], "dateparser": []}
    for _ in range(REPEATS):  # nothing is kept between documents: every run reads cold
        began = time.perf_counter()
        for text, _base in jobs:
            ours_pipeline(text)
        runs["ours"].append(len(jobs) / (time.perf_counter() - began))
        began = time.perf_counter()
        for text, base in jobs:
            search_dates(text, languages=["en"], settings=dateparser_settings(base))
        runs["dateparser"].append(len(jobs) / (time.perf_counter() - began))
    return {name: statistics.median(values) for name, values in runs.items()}


# ---------------------------------------------------------------- report --
def render(te: dict[str, dict[str, Any]], co: dict[str, Tally], speed: dict[str, float], n_docs: int) -> str:
    """The markdown section: tables, machine, date, command."""
    def f(x: float) -> str:
        return f"{x:.1f}"

    lines = ["## Dates", "",
             f"Run {datetime.now().strftime('%Y-%m-%d %H:%M')} on {platform.platform()}, "
             f"Python {platform.python_version()}, {os.cpu_count()} CPUs. "
             "Reproduce: `.venv/bin/python -m benchmarks.dates --details /tmp/dates-details.txt`.", "",
             "**TempEval-3 platinum, DATE expressions** (score.py; relaxed extent, value F1 on relaxed matches)", "",
             "| system | gold | sys | relaxed P | relaxed R | relaxed F1 | strict F1 | value F1 |",
             "|---|---|---|---|---|---|---|---|"]
    for name, r in te.items():
        lines.append(f"| {name} | {r['gold']} | {r['sys']} | {f(r['relaxed']['P'])} | {f(r['relaxed']['R'])} | "
                     f"{f(r['relaxed']['F1'])} | {f(r['strict']['F1'])} | {f(r['value']['F1'])} |")
    lines += ["", "Ours: anchor = DCT, every timex emitted (loose ones too; value None emitted as empty). "
              "dateparser: `search_dates`, RELATIVE_BASE = DCT, languages=['en'], PREFER_DATES_FROM='past', "
              "substrings located in order; values at day granularity, or (+period) at dateparser's own "
              "period for the phrase (`DateDataParser.get_date_data(...).period`).", "",
              "**Lawsuit corpus, dated events** (gold.json; match = our period inside the gold date's period "
              "and excerpt overlapping the evidence sentence, one-to-one)", "",
              "| system | gold | predicted | of which undated | matched | P | R | F1 | publication date right |",
              "|---|---|---|---|---|---|---|---|---|"]
    for name, t in co.items():
        p, r, f1 = t.prf()
        pub = f"{t.published_ok}/{n_docs}" if name == "ours" else "given (gold)"
        lines.append(f"| {name} | {t.gold} | {t.sys} | {t.undated} | {t.tp} | {f(p)} | {f(r)} | {f(f1)} | {pub} |")
    lines += ["", f"Ours: the real importer over all {n_docs} documents into a temp database, without --case "
              "(filing, publication dates including case context, merging of restatements; today = "
              "2026-11-25); each document is scored on the dated readings its own passages give. Readings "
              "left undated (no publication date found) count as predictions that cannot match. dateparser: every date found is an event, its "
              "sentence the excerpt, RELATIVE_BASE = the gold publication date (an advantage ours lacks).", "",
              f"**Speed** (the {n_docs} corpus documents and the TempEval ones, median of {REPEATS} runs, same process): "
              f"ours {speed['ours']:.1f} docs/s (full pipeline), "
              f"dateparser {speed['dateparser']:.1f} docs/s (`search_dates` only).", ""]
    return "\n".join(lines)


def write_results(section: str) -> None:
    """Replace only the region between our markers; other benchmarks own the rest."""
    replace_section(START, END, f"{START}\n{section}\n{END}", RESULTS)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--details", metavar="FILE", help="write misses and false positives here")
    ap.add_argument("--no-write", action="store_true", help="do not touch benchmarks/RESULTS.md")
    args = ap.parse_args(argv)
    details: list[str] | None = [] if args.details else None
    scorer = load_scorer()
    te = {
        "ours": tempeval(scorer, ours_timexes, details, "ours"),
        "dateparser": tempeval(scorer, lambda t, d: baseline(t, d, False), details, "dateparser"),
        "dateparser+period": tempeval(scorer, lambda t, d: baseline(t, d, True), None, "dateparser+period"),
    }
    docs = corpus_docs()
    co = {name: corpus(docs, name, details if name != "dateparser+period" else None)
          for name in ("ours", "dateparser", "dateparser+period")}
    timeml = list(scorer.load_jsonl(str(TIMEML / "gold.jsonl")).values())
    section = render(te, co, throughput(docs, timeml), len(docs))
    print(section)
    if not args.no_write:
        write_results(section)
        print(f"wrote {RESULTS}")
    if args.details and details is not None:
        Path(args.details).write_text("\n".join(details) + "\n", encoding="utf-8")
        print(f"wrote {len(details)} error lines to {args.details}")


if __name__ == "__main__":
    main()
