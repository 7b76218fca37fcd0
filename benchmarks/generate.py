"""A synthetic newsroom-scale tracker database, written quickly.

What it writes, through `Store.bulk_loading()` into a fresh file at the current schema:

* cases titled like captions ("Borealis Grid Inc v. Acme Robotics LLC"), with skewed
  sizes: `--big-cases` of them hold `--big-size` events each (100k by default), the rest
  share the remaining events by a Zipf law (tens of thousands down to a handful);
* sources shaped like wire stories (headline, a caption line, paragraphs of dated
  sentences and undated ones, a byline), spread over the cases in proportion to their
  events, with publication dates just after the events they report;
* one excerpt per dated sentence, linked to its event with the date phrase's offsets;
  about one source in five restates an earlier event of its case (two sources back it,
  and a few of those disagree on the date: the '!' mark);
* statuses (suggested / confirmed / rejected), some scheduled events, some undated
  ones, tags on about a third of the events, judge and court facts with their passage;
* the FTS indexes and the kept per-case counts, rebuilt in one pass each at the end.

Why a bulk path and not `add_source_with_events()`: the ordinary path fires the FTS and
case_stats triggers and writes the audit log for every row, which is right for people
and hours for a million rows. The store's `bulk_loading()` sets the triggers aside,
takes rows by executemany in one transaction, and rebuilds what the triggers would have
kept; it is meant for a file nobody else has open, which is what this writes.

Run: `.venv/bin/python -m benchmarks.generate OUT.db [--cases N --sources N --events N]`.
It refuses to write over an existing file. Deterministic for a given --seed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for `python benchmarks/generate.py`

from tracker import dates  # noqa: E402
from tracker.store import Store  # noqa: E402

# -- vocabulary -------------------------------------------------------------------------

FIRST = (
    "Acme", "Borealis", "Cobalt", "Delphi", "Ember", "Fjord", "Granite", "Harbor", "Ionic", "Juniper", "Kestrel",
    "Lumen", "Meridian", "Nimbus", "Orchid", "Pinnacle", "Quarry", "Redwood", "Summit", "Tidewater", "Umber",
    "Vantage", "Willow", "Xenon", "Yarrow", "Zephyr", "Atlas", "Beacon", "Cascade", "Dynamo", "Evergreen",
    "Falcon", "Glacier", "Horizon", "Ironwood", "Jasper", "Keystone", "Lighthouse", "Mosaic", "Northwind",
    "Oakmont", "Prairie", "Quantum", "Riverbend", "Sterling", "Thornbury", "Unity", "Vertex", "Westbrook",
    "Yellowstone", "Zenith", "Aurora", "Bluewater", "Crescent", "Driftwood", "Eastgate", "Foxglove", "Goldcrest",
)
SECOND = (
    "Robotics", "Grid", "Pharma", "Media", "Capital", "Foods", "Mining", "Airlines", "Software", "Health",
    "Energy", "Logistics", "Telecom", "Motors", "Biotech", "Networks", "Insurance", "Games", "Steel", "Retail",
)
SUFFIX = ("Inc", "Corp", "LLC", "Holdings", "Group", "Ltd", "Co", "PLC")
AGENCIES = ("Federal Trade Commission", "Department of Justice", "Securities and Exchange Commission",
            "State of Texas", "State of California", "Consumer Financial Protection Bureau", "European Commission")
JUDGES = ("Maria Okafor", "James Donato", "Rudolph Contreras", "Yvonne Gonzalez Rogers", "Peter Lind",
          "Amit Mehta", "Lucy Koh", "Beryl Howell", "Edgardo Ramos", "Jed Rakoff", "Ana Reyes", "Colleen McMahon",
          "William Alsup", "Kathaleen McCormick", "Vince Chhabria", "Analisa Torres", "Lewis Kaplan", "Paul Engelmayer")
COURTS = ("U.S. District Court for the Northern District of California", "U.S. District Court for the District of "
          "Columbia", "U.S. District Court for the Southern District of New York", "Delaware Court of Chancery",
          "U.S. District Court for the Eastern District of Texas", "Ninth Circuit Court of Appeals",
          "U.S. District Court for the District of Delaware", "Federal Circuit")
TOPICS = ("patent licensing", "antitrust claims", "a breach of contract", "trade secrets", "securities fraud",
          "data privacy", "a failed merger", "unpaid royalties", "false advertising", "wage claims",
          "an export ban", "app store fees", "emissions data", "a product recall", "copyright in training data")
MOTIONS = ("dismiss the complaint", "compel discovery", "transfer venue", "stay the case pending appeal",
           "seal the exhibits", "strike the expert report", "enforce the settlement", "certify a class")
REPORTERS = ("Jane Doe", "Tom Okoro", "Priya Nair", "Luis Ortega", "Hannah Weiss", "Kenji Sato", "Amara Diallo")
TAGS = ("hearing", "motion", "ruling", "settlement", "appeal", "filing", "injunction", "discovery", "trial",
        "sanctions", "verdict", "deadline", "complaint", "class action", "merger", "regulator", "fine",
        "damages", "expert", "jury", "stay", "remand", "subpoena", "deposition", "amicus", "transcript",
        "consent decree", "arbitration", "mediation", "opinion", "order", "brief", "exhibit", "witness",
        "testimony", "dismissal", "summary judgment", "fees", "costs", "key")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
QUARTERS = ("first", "second", "third", "fourth")

# Event sentences: {d} is the date phrase, the rest party/judge/court words.
EVENT_TEMPLATES = (
    "On {d}, {a} filed a motion to {motion} in the {court}.",
    "{a} sued {b} on {d}, accusing it of {topic} in a complaint filed in the {court}.",
    "Judge {judge} ruled on {d} that {b} must answer the claims over {topic}.",
    "The hearing on {topic} was held on {d} before Judge {judge}.",
    "{b} agreed on {d} to pay ${amount} million to settle the claims over {topic}.",
    "{b} appealed the decision on {d}, arguing the court misread the record on {topic}.",
    "A jury found on {d} that {b} had infringed {a}'s rights and awarded ${amount} million.",
    "The {agency} opened an investigation into {b} on {d} over {topic}.",
    "Judge {judge} granted a preliminary injunction on {d}, blocking {b} from going ahead.",
    "{a} and {b} told the court on {d} that talks to resolve the dispute had failed.",
    "The court set a trial date of {d} for the claims over {topic}.",
    "Depositions of {b} executives were scheduled for {d}, according to a court filing.",
    "{b} asked the court on {d} to {motion}, saying the claims were too vague.",
    "In {d}, {a} amended its complaint to add claims over {topic}.",
)
SCHEDULED = {10, 11}  # template indexes that announce what is to come
FILLER = (
    "Lawyers for {b} did not respond to a request for comment.",
    "{a} said in a statement that it would keep defending its rights.",
    "A spokesperson for {b} declined to comment on the litigation.",
    "The dispute is one of several between the two companies over {topic}.",
    "Analysts said the outcome could shape how the industry handles {topic}.",
    "Shares of {b} were little changed after the news.",
    "The filing was made public after the court lifted a sealing order.",
)


# -- plan -------------------------------------------------------------------------------

@dataclass
class Plan:
    """How many cases, sources and events, and how the events are spread."""

    cases: int = 5_000
    sources: int = 200_000
    events: int = 1_000_000
    big_cases: int = 3
    big_size: int = 100_000
    seed: int = 5
    sizes: list[int] = field(default_factory=list)
    source_counts: list[int] = field(default_factory=list)

    def spread(self) -> None:
        """Case sizes: the big ones first, then a Zipf law over the rest (shuffled)."""
        rng = random.Random(self.seed)
        big = min(self.big_cases, self.cases)
        big_size = min(self.big_size, self.events // max(1, big) if big else 0)
        rest = self.events - big * big_size
        others = self.cases - big
        weights = [1 / (i + 1) ** 0.9 for i in range(others)]
        total = sum(weights) or 1
        sizes = [int(rest * w / total) for w in weights]
        for i in range(rest - sum(sizes)):
            sizes[i % max(1, others)] += 1
        rng.shuffle(sizes)
        self.sizes = [big_size] * big + sizes
        # Sources in proportion to events, at least one per case that has events.
        counts = [max(1 if n else 0, round(self.sources * n / max(1, self.events))) for n in self.sizes]
        diff = self.sources - sum(counts)
        order = sorted(range(len(counts)), key=lambda i: -self.sizes[i])
        i = 0
        while diff and order:
            j = order[i % len(order)]
            if diff > 0:
                counts[j] += 1
                diff -= 1
            elif counts[j] > 1:
                counts[j] -= 1
                diff += 1
            i += 1
            if i > 10 * len(order) * (abs(diff) + 1):
                break
        self.source_counts = counts


# -- rows -------------------------------------------------------------------------------

COLUMNS = {
    "cases": ("id", "title", "created_at", "updated_at", "filed_reason", "title_origin"),
    "sources": ("id", "case_id", "path", "title", "sha256", "text", "published", "published_basis", "imported_at",
                "filed_reason"),
    "excerpts": ("id", "source_id", "start", "end", "text"),
    "events": ("id", "case_id", "date", "granularity", "sort_date", "date_text", "title", "note", "status", "origin",
               "conflict", "kind", "created_at", "updated_at"),
    "event_excerpts": ("event_id", "excerpt_id", "phrase_start", "phrase_end", "value", "granularity", "date_text"),
    "tags": ("id", "name"),
    "event_tags": ("event_id", "tag_id"),
    "case_facts": ("id", "case_id", "field", "value", "source_id", "start", "end", "origin", "created_at"),
}
STAMP = "2026-01-01T00:00:00+00:00"


class Writer:
    """Builds the rows of one batch of cases; ids are global and sequential."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.rng = random.Random(plan.seed + 1)
        self.event_id = self.source_id = self.excerpt_id = self.fact_id = 0
        self.titles: set[str] = set()
        self._starts: dict[str | None, str | None] = {}
        self.captions = [self.caption() for _ in range(plan.cases)]

    def caption(self) -> tuple[str, str, str]:
        """Two parties and the case title they make."""
        a, b = self.party(), self.party()
        while b == a:
            b = self.party()
        return a, b, self.case_title(a, b)

    def empty(self) -> dict[str, list[tuple]]:
        return {name: [] for name in COLUMNS}

    def party(self) -> str:
        r = self.rng
        if r.random() < 0.08:
            return r.choice(AGENCIES)
        return f"{r.choice(FIRST)} {r.choice(SECOND)} {r.choice(SUFFIX)}"

    def case_title(self, a: str, b: str) -> str:
        title = f"{a} v. {b}"
        n = 2
        while title.casefold() in self.titles:
            title, n = f"{a} v. {b} ({n})", n + 1
        self.titles.add(title.casefold())
        return title

    def sort_date(self, value: str | None) -> str | None:
        if value not in self._starts:
            self._starts[value] = dates.period_start(value)
        return self._starts[value]

    def phrase(self, day: date) -> tuple[str, str | None, str]:
        """A date phrase, its value and granularity (mostly days, some coarser, a few undated)."""
        r = self.rng.random()
        if r < 0.72:
            return f"{MONTHS[day.month - 1]} {day.day}, {day.year}", day.isoformat(), "day"
        if r < 0.88:
            return f"{MONTHS[day.month - 1]} {day.year}", f"{day.year}-{day.month:02d}", "month"
        if r < 0.93:
            q = (day.month - 1) // 3
            return f"the {QUARTERS[q]} quarter of {day.year}", f"{day.year}-Q{q + 1}", "quarter"
        if r < 0.97:
            return str(day.year), str(day.year), "year"
        return "that day", None, "day"  # undated: the story never says which day

    def case(self, index: int, out: dict[str, list[tuple]]) -> None:
        """All rows of case `index` into `out`."""
        r, plan = self.rng, self.plan
        case_id = index + 1
        a, b, title = self.captions[index]
        out["cases"].append((case_id, title, STAMP, STAMP, "generated", "caption"))
        n_events, n_sources = plan.sizes[index], plan.source_counts[index]
        if not n_sources:
            return
        judge, court, topic = r.choice(JUDGES), r.choice(COURTS), r.choice(TOPICS)
        begin = date(2005, 1, 1) + timedelta(days=r.randrange(0, 17 * 365))
        span = r.randrange(120, 6 * 365)
        per_source = [n_events // n_sources] * n_sources
        for i in range(n_events - sum(per_source)):
            per_source[i % n_sources] += 1
        earlier: list[tuple[int, str | None, str, str]] = []  # (event id, value, granularity, phrase)
        words = {"a": a, "b": b, "judge": judge, "court": court, "topic": topic}
        for s in range(n_sources):
            self.source_id += 1
            source_id = self.source_id
            offset = r.randrange(0, span)
            parts: list[str] = []
            headline = f"{b.split(' ')[0]} {r.choice(('faces', 'loses bid in', 'wins round in', 'settles'))} " \
                       f"{r.choice(('lawsuit', 'case', 'dispute', 'fight'))} over {topic}"
            pos = len(headline) + 2
            links: list[tuple[int, int, int, int, int, str | None, str, str]] = []
            latest = begin
            sentences = per_source[s]
            restate = 1 if earlier and r.random() < 0.2 else 0
            k = 0
            for k in range(sentences + restate + r.randrange(1, 4)):
                is_event = k < sentences + restate
                if is_event:
                    day = begin + timedelta(days=min(span, max(0, offset + r.randrange(-60, 60))))
                    latest = max(latest, day)
                    again = k >= sentences
                    if again:
                        event_id, value, grain, phrase = r.choice(earlier)
                        if r.random() < 0.05 and value:  # a source that dates it differently
                            phrase, value, grain = self.phrase(day)
                    else:
                        phrase, value, grain = self.phrase(day)
                        self.event_id += 1
                        event_id = self.event_id
                    template_index = r.randrange(len(EVENT_TEMPLATES))
                    template = EVENT_TEMPLATES[template_index]
                    words["motion"] = r.choice(MOTIONS)
                    words["agency"] = r.choice(AGENCIES)
                    words["amount"] = str(r.randrange(2, 900))
                    head, tail = template.split("{d}")
                    head, tail = head.format(**words), tail.format(**words)
                    if grain != "day" and value and head.endswith(("on ", "On ")):
                        head = head[:-3] + ("in " if head[-3] == "o" else "In ")
                    elif (grain == "day" or not value) and head.endswith("In "):
                        head = head[:-3] + "On "
                    sentence = head + phrase + tail
                    links.append((event_id, pos, pos + len(sentence), len(head), len(head) + len(phrase), value,
                                  grain, phrase))
                    if not again:
                        self.event(out, case_id, event_id, value, grain, phrase, sentence, template_index in SCHEDULED)
                        if len(earlier) < 64:
                            earlier.append((event_id, value, grain, phrase))
                        elif r.random() < 0.1:
                            earlier[r.randrange(64)] = (event_id, value, grain, phrase)
                    elif value != self._event_value(earlier, event_id):
                        out["_conflicts"].append(event_id)  # type: ignore[arg-type]
                else:
                    sentence = r.choice(FILLER).format(**words)
                parts.append(sentence)
                pos += len(sentence) + (2 if (len(parts) % 3 == 0) else 1)
            body = ""
            for i, sentence in enumerate(parts):
                body += sentence + ("\n\n" if (i + 1) % 3 == 0 else " ")
            byline = f"(Reporting by {r.choice(REPORTERS)}; story {source_id})"
            text = f"{headline}\n\n{body}{byline}\n"
            published = (latest + timedelta(days=r.randrange(0, 4))).isoformat()
            out["sources"].append((source_id, case_id, f"/archive/{case_id}/{source_id}.txt", headline,
                                   hashlib.sha256(text.encode()).hexdigest(), text, published, "dateline", STAMP,
                                   "generated"))
            for event_id, start, end, p0, p1, value, grain, phrase in links:
                assert text[start + p0:start + p1] == phrase, (text, start, p0, phrase)
                self.excerpt_id += 1
                out["excerpts"].append((self.excerpt_id, source_id, start, end, text[start:end]))
                out["event_excerpts"].append((event_id, self.excerpt_id, p0, p1, value, grain, phrase))
            if s == 0:
                # The first story of a case says who hears it, just before the byline.
                fact = f"The case is before Judge {judge} in the {court}."
                text = text[:-len(byline) - 1] + fact + " " + byline + "\n"
                at = text.index(fact)
                row = out["sources"][-1]
                out["sources"][-1] = (*row[:4], hashlib.sha256(text.encode()).hexdigest(), text, *row[6:])
                j0 = at + len("The case is before ")
                for name, value, start in (("judge", f"Judge {judge}", j0),
                                           ("court", court, at + fact.index(court))):
                    self.fact_id += 1
                    out["case_facts"].append((self.fact_id, case_id, name, value, source_id, start,
                                              start + len(value), "extracted", STAMP))

    @staticmethod
    def _event_value(earlier: list[tuple[int, str | None, str, str]], event_id: int) -> str | None:
        return next((v for e, v, _, _ in earlier if e == event_id), None)

    def event(self, out: dict[str, list[tuple]], case_id: int, event_id: int, value: str | None, grain: str,
              phrase: str, sentence: str, scheduled: bool) -> None:
        r = self.rng.random()
        status = "suggested" if r < 0.7 else "confirmed" if r < 0.95 else "rejected"
        title = sentence[:-1] if sentence.endswith(".") else sentence
        out["events"].append((event_id, case_id, value, grain, self.sort_date(value), phrase, title, "", status,
                              "extracted", 0, "scheduled" if scheduled else "occurred", STAMP, STAMP))
        if self.rng.random() < 0.3:
            first = self.rng.randrange(len(TAGS))
            out["event_tags"].append((event_id, first + 1))
            if self.rng.random() < 0.3:
                second = (first + 1 + self.rng.randrange(len(TAGS) - 1)) % len(TAGS)
                out["event_tags"].append((event_id, second + 1))


def batches(plan: Plan, events_per_batch: int = 50_000) -> Iterator[dict[str, list[tuple]]]:
    """Rows in batches of whole cases, about `events_per_batch` events each.

    The case that comes first in the case list (by title) is made one of the big ones,
    so the app opens on a 100k-event timeline: the worst first frame, and the case the
    benchmark moves in without having to find it.
    """
    writer = Writer(plan)
    first = min(range(plan.cases), key=lambda i: (writer.captions[i][2].casefold(), i)) if plan.cases else 0
    if plan.cases:
        biggest = max(range(plan.cases), key=lambda i: plan.sizes[i])
        for values in (plan.sizes, plan.source_counts):
            values[first], values[biggest] = values[biggest], values[first]
    out = writer.empty()
    out["_conflicts"] = []
    pending = 0
    for index in range(plan.cases):
        writer.case(index, out)
        pending += plan.sizes[index]
        if pending >= events_per_batch:
            yield out
            out, pending = writer.empty(), 0
            out["_conflicts"] = []
    yield out


def generate(path: Path, plan: Plan, progress: Callable[[str], None] | None = None) -> dict[str, float]:
    """Write the database at `path` (must not exist). Returns row counts and seconds."""
    path = Path(path)
    if path.exists():
        raise SystemExit(f"{path} exists; choose a new file name")
    began = time.perf_counter()
    plan.spread()
    store = Store(path)
    try:
        with store._lock:
            store.db.conn.execute("PRAGMA cache_size = -262144")  # 256 MB while loading
        done = 0
        with store.bulk_loading() as load:
            load.insert("tags", COLUMNS["tags"], [(i + 1, name) for i, name in enumerate(TAGS)])
            for batch in batches(plan):
                conflicts = batch.pop("_conflicts")
                for table in ("cases", "sources", "excerpts", "events", "event_excerpts", "event_tags", "case_facts"):
                    load.insert(table, COLUMNS[table], batch[table])
                if conflicts:
                    load.conn.executemany("UPDATE events SET conflict = 1 WHERE id = ?", [(i,) for i in conflicts])
                done += len(batch["events"])
                if progress:
                    progress(f"{done:,} events, {time.perf_counter() - began:.0f} s")
            if progress:
                progress("building search indexes and counts")
        counts = dict(load.counts)
        if progress:
            progress("profiling each case for filing (as imports keep them)")
        counts["case_profiles"] = profile_cases(store)
        with store._lock:
            store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            store.db.conn.execute("PRAGMA cache_size = -2000")
    finally:
        store.close()
    counts["seconds"] = time.perf_counter() - began
    return counts


def _case_profile(job: tuple[str, int]) -> tuple[int, Any]:
    """One case's profile, read in a worker process from its own read-only connection."""
    import sqlite3

    from tracker import cases

    path, case_id = job
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT title, text FROM sources WHERE case_id = ? ORDER BY id", [case_id])
        return case_id, cases.merge([cases.profile(title or "", text or "") for title, text in rows])
    finally:
        conn.close()


def profile_cases(store: Store) -> int:
    """What the importer keeps for filing (case_terms, case_profiles), built the way it
    builds them, on every core: about 0.6 ms a source."""
    import multiprocessing

    from tracker.importer import UNFILED

    todo = store.stale_profile_cases(UNFILED)
    done: dict[int, Any] = {}
    with multiprocessing.get_context("fork").Pool(max(1, os.cpu_count() or 1)) as pool:
        for case_id, profile in pool.imap_unordered(_case_profile, [(str(store.path), c) for c in todo], chunksize=16):
            done[case_id] = profile
            if len(done) >= 500:
                store.save_case_profiles(done)
                done = {}
    store.save_case_profiles(done)
    return len(todo)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--cases", type=int, default=5_000)
    ap.add_argument("--sources", type=int, default=200_000)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--big-cases", type=int, default=3, help="cases of --big-size events each")
    ap.add_argument("--big-size", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=5)
    args = ap.parse_args(argv)
    plan = Plan(args.cases, args.sources, args.events, args.big_cases, args.big_size, args.seed)
    counts = generate(args.out, plan, progress=lambda m: print(m, file=sys.stderr))
    print(", ".join(f"{k} {v:,.0f}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
