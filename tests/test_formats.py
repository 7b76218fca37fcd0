"""Formats in and out, each checked with an independent parser, and the round trip."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import icalendar
import pytest
from markdown_it import MarkdownIt

from tests.helpers import SEEDS, run_cli

HTML = """<!doctype html><html><head><title>Site | Acme wins</title>
<meta property="og:title" content="Acme wins injunction against Borealis">
<meta property="article:published_time" content="2023-03-04T10:00:00Z">
<script>var when = "March 1, 2020";</script></head>
<body><nav>Home · March 2, 2019 · Sports</nav><header>Top stories</header>
<article><h1>Acme wins injunction against Borealis</h1>
<p>A judge on Friday blocked Borealis Grid from selling the controllers, Acme Robotics said.</p>
<p>Acme Robotics sued Borealis Grid on Jan. 5.</p></article><footer>© 2023 Some Site</footer></body></html>
"""
NOTE = """---
title: "Borealis appeals: the Acme ruling"
date: 2023-04-02
url: https://example.org/x
case: Acme v. Borealis
---
Borealis Grid filed its appeal on Friday, a week after the ruling against it.
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("in")
    (folder / "page.html").write_text(HTML, encoding="utf-8")
    (folder / "note.md").write_text(NOTE, encoding="utf-8")
    path = folder / "f.db"
    assert run_cli(path, "import", str(SEEDS), str(folder)).returncode == 0
    # the first event of the seeds' case (ids follow the filing order, not the command line)
    first = json.loads(run_cli(path, "events", "Xiaomi v. Department of Defense", "--json").stdout)[0]["id"]
    assert run_cli(path, "tag", str(first), "key", "court").returncode == 0
    return path


def _tagged(db: Path) -> int:
    return json.loads(run_cli(db, "events", "Xiaomi v. Department of Defense", "--json").stdout)[0]["id"]


def test_html_is_read_as_article_text_with_page_metadata(db: Path) -> None:
    conn = sqlite3.connect(db)
    title, text, published, basis = conn.execute(
        "SELECT title, text, published, published_basis FROM sources WHERE path LIKE '%page.html'").fetchone()
    assert title == "Acme wins injunction against Borealis"
    assert (published, basis) == ("2023-03-04", "metadata")
    assert "Top stories" not in text and "var when" not in text and "Sports" not in text
    dates = {r[0] for r in conn.execute("SELECT date FROM event_list WHERE case_title = 'Acme v. Borealis'")}
    assert {"2023-03-03", "2023-01-05"} <= dates  # "on Friday" before Saturday March 4; "Jan. 5"
    assert "2019-03-02" not in dates and "2020-03-01" not in dates


def test_front_matter_gives_title_date_and_case(db: Path) -> None:
    conn = sqlite3.connect(db)
    title, published, text = conn.execute(
        "SELECT s.title, s.published, s.text FROM sources s WHERE path LIKE '%note.md'").fetchone()
    assert (title, published) == ("Borealis appeals: the Acme ruling", "2023-04-02")
    assert not text.startswith("---")
    (case,) = conn.execute("SELECT c.title FROM sources s JOIN cases c ON c.id = s.case_id "
                           "WHERE s.path LIKE '%note.md'").fetchone()
    assert case == "Acme v. Borealis"


def test_jsonl_and_csv(db: Path) -> None:
    lines = run_cli(db, "export", "--format", "jsonl").stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert records and all({"case", "id", "date", "title", "tags", "excerpts"} <= set(r) for r in records)
    rows = list(csv.DictReader(io.StringIO(run_cli(db, "export", "--format", "csv").stdout)))
    assert [r["id"] for r in rows] == [str(r["id"]) for r in records]
    tagged = next(r for r in rows if r["id"] == str(_tagged(db)))
    assert tagged["tags"] == "court; key" and tagged["sources"]


def test_markdown_is_a_chronology_with_quotes_and_sources(db: Path) -> None:
    text = run_cli(db, "export", "--case", "Xiaomi v. Department of Defense", "--format", "markdown").stdout
    tokens = MarkdownIt().parse(text)
    kinds = [t.type for t in tokens]
    assert kinds[0] == "heading_open" and "bullet_list_open" in kinds and "blockquote_open" in kinds
    assert "ordered_list_open" in kinds  # the numbered source list
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings == ["Xiaomi v. Department of Defense", "Sources"]
    assert "**2021-01-14**" in text and "[1]" in text


def test_ics_is_valid_icalendar_at_each_granularity(db: Path) -> None:
    raw = run_cli(db, "export", "--format", "ics").stdout.encode("utf-8")
    cal = icalendar.Calendar.from_ical(raw)
    events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    assert events
    month = next(e for e in events.values() if e["DTSTART"].dt.isoformat() == "2021-03-01")
    assert month["DTEND"].dt.isoformat() == "2021-04-01"  # a month-long event
    assert all(e.get("DESCRIPTION") for e in events.values())


def test_timelinejs_dates_carry_only_known_parts(db: Path) -> None:
    data = json.loads(run_cli(db, "export", "--case", "Xiaomi v. Department of Defense", "--format", "timelinejs").stdout)
    dates = [e["start_date"] for e in data["events"]]
    assert {"year": "2021", "month": "1", "day": "14"} in dates
    assert {"year": "2021", "month": "3"} in dates
    assert all(e["text"]["headline"] for e in data["events"])
    assert any(e.get("group") == "court" for e in data["events"])


def test_filters(db: Path) -> None:
    records = [json.loads(line) for line in run_cli(db, "export", "--format", "jsonl", "--tag", "court").stdout.splitlines()]
    assert [r["id"] for r in records] == [_tagged(db)]
    march = json.loads(run_cli(db, "events", "Xiaomi v. Department of Defense", "--from", "2021-03-01", "--to", "2021-03-31",
                               "--json").stdout)
    assert march and all(e["date"].startswith("2021-03") for e in march)
    assert run_cli(db, "export", "--from", "someday").returncode != 0


def test_tracker_v1_round_trip(db: Path, tmp_path: Path) -> None:
    first = tmp_path / "one.json"
    assert run_cli(db, "export", "--format", "json", "-o", str(first)).returncode == 0
    copy = tmp_path / "copy.db"
    result = run_cli(copy, "import", str(first))
    assert result.returncode == 0, result.stderr
    second = tmp_path / "two.json"
    assert run_cli(copy, "export", "--format", "json", "-o", str(second)).returncode == 0
    assert run_cli(copy, "check").returncode == 0

    def content(path: Path) -> list[dict[str, object]]:
        """Everything but the ids, which a new database numbers itself."""
        data = json.loads(path.read_text(encoding="utf-8"))
        out = []
        for case in data["cases"]:
            sha = {s["id"]: s["sha256"] for s in case["sources"]}
            out.append({
                "title": case["title"],
                "sources": sorted([{k: v for k, v in s.items() if k != "id"} for s in case["sources"]],
                                  key=lambda s: s["sha256"]),
                "events": [{**{k: v for k, v in e.items() if k not in {"id", "excerpts"}},
                            "excerpts": [{**{k: v for k, v in x.items() if k != "source_id"}, "source": sha[x["source_id"]]}
                                         for x in e["excerpts"]]} for e in case["events"]],
            })
        return sorted(out, key=lambda c: c["title"])

    assert content(first) == content(second)
    assert run_cli(copy, "import", str(first)).returncode == 0  # the same export again adds nothing
    third = tmp_path / "three.json"
    assert run_cli(copy, "export", "--format", "json", "-o", str(third)).returncode == 0
    assert content(third) == content(first)


def test_csv_of_hand_made_events(tmp_path: Path) -> None:
    sheet = tmp_path / "events.csv"
    sheet.write_text("date,title,tags,case\n2021-03-20,Appeal filed,court; appeal,Acme v. Borealis\n"
                     "March 2021,Talks began,,Acme v. Borealis\nflurb,Bad row,,Acme v. Borealis\n", encoding="utf-8")
    db = tmp_path / "csv.db"
    result = run_cli(db, "import", str(sheet))
    assert result.returncode == 2 and "events.csv:4: not a date" in result.stderr
    events = json.loads(run_cli(db, "events", "Acme v. Borealis", "--json").stdout)
    assert [(e["date"], e["title"], e["tags"], e["origin"]) for e in events] == [
        ("2021-03", "Talks began", [], "manual"), ("2021-03-20", "Appeal filed", ["appeal", "court"], "manual")]


def test_stdin_for_import_and_add(tmp_path: Path) -> None:
    db = tmp_path / "stdin.db"
    result = run_cli(db, "import", "-", "--case", "Piped", stdin="Piped story\n\nAcme sued Widgets on March 3, 2021.\n")
    assert result.returncode == 0, result.stderr
    added = run_cli(db, "add", "Piped", "--date", "2021-04-01", "--title", "-", "--json", stdin="From a pipe\n")
    assert json.loads(added.stdout)["title"] == "From a pipe"


def test_views_answer_for_datasette(db: Path) -> None:
    conn = sqlite3.connect(db)
    views = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'view'")}
    assert {"event_list", "case_list"} <= views
    row = conn.execute("SELECT case_title, date, tags, sources FROM event_list WHERE id = ?", [_tagged(db)]).fetchone()
    assert row[2] == "court; key" and row[3] >= 1
    assert conn.execute("SELECT count(*) FROM case_list").fetchone()[0] >= 2
    fks = conn.execute("PRAGMA foreign_key_list(events)").fetchall()
    assert any(fk[2] == "cases" for fk in fks)


def test_shell_completion_is_offered(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "_TRACKER_COMPLETE": "bash_complete", "COMP_WORDS": "tracker exp", "COMP_CWORD": "1"}
    script = Path(sys.executable).parent / "tracker"
    result = subprocess.run([str(script)], env=env, capture_output=True, text=True, timeout=60)
    assert "export" in result.stdout
