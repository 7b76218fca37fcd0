"""Structured imports (tracker.v1, event sheets), piped input, and where stories were
published: broken or forged files are refused with a reason, repeats add nothing."""

from __future__ import annotations

import copy
import json
import sqlite3
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests.helpers import ROOT, SEEDS, run_cli

NOTE = """---
title: Borealis appeals
date: 2023-04-02
url: https://example.org/borealis-appeal
case: Acme v. Borealis
---
Borealis Grid filed its appeal on Friday, a week after the ruling against it.
"""


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("v1")
    db = folder / "x.db"
    assert run_cli(db, "import", str(SEEDS)).returncode == 0
    return json.loads(run_cli(db, "export", "--format", "json").stdout)


def _import_json(tmp_path: Path, data: object, name: str = "in.json") -> tuple[Path, object]:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    db = tmp_path / "into.db"
    return db, run_cli(db, "import", str(path), "--json")


def _forge(data: dict, change: str) -> dict:
    forged = copy.deepcopy(data)
    case = forged["cases"][0]
    event = next(e for e in case["events"] if e["excerpts"])
    if change == "huge-offset":
        event["excerpts"][0]["end"] = 10**12
    elif change == "text-does-not-fill":
        event["excerpts"][0]["text"] += "x"
    elif change == "unknown-source":
        event["excerpts"][0]["source_id"] = 999_999
    elif change == "bad-date":
        event["date"] = "March-ish"
    elif change == "granularity":
        event["granularity"] = "year"
    elif change == "tags":
        event["tags"] = "court"
    elif change == "sha":
        case["sources"][0]["sha256"] = "../../etc/passwd"
    elif change == "status":
        event["status"] = "approved"
    elif change == "excerpt-date":
        event["excerpts"][0]["date"] = "soon"
    return forged


@pytest.mark.parametrize("change", ["huge-offset", "text-does-not-fill", "unknown-source", "bad-date", "granularity",
                                    "tags", "sha", "status", "excerpt-date"])
def test_a_forged_export_is_refused_whole_with_a_reason(exported: dict, tmp_path: Path, change: str) -> None:
    db, result = _import_json(tmp_path, _forge(exported, change))
    assert result.returncode == 2
    report = json.loads(result.stdout)
    assert report["failed"] and report["failed"][0]["error"].startswith("case ")
    assert run_cli(db, "cases", "--json").stdout.strip() == "[]"  # nothing of that case stored


@pytest.mark.parametrize("data", [[], {"format": "tracker.v2", "cases": []}, {"format": "tracker.v1", "cases": {}},
                                  {"format": "tracker.v1", "cases": [None, {"title": 5}]}])
def test_not_an_export(tmp_path: Path, data: object) -> None:
    _, result = _import_json(tmp_path, data)
    assert result.returncode == 2 and json.loads(result.stdout)["failed"]


def test_each_excerpt_keeps_its_own_reading_of_the_date(tmp_path: Path) -> None:
    """Two stories tell one ruling, one to the day and one to the month: the event takes
    the precise date, each excerpt its own story's reading; an export without excerpt
    dates (older files) still imports, each excerpt then taking the event's date."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Judge rules for Acme\n\nPublished: 2023-04-10\n\n"
                                  "A federal judge on March 12, 2023, blocked Borealis Grid from selling the "
                                  "disputed controllers in the United States.\n", encoding="utf-8")
    (folder / "b.txt").write_text("Borealis appeals\n\nPublished: 2023-05-02\n\n"
                                  "A federal judge in March 2023 blocked Borealis Grid from selling the "
                                  "disputed controllers in the United States.\n", encoding="utf-8")
    db = tmp_path / "r.db"
    assert run_cli(db, "import", "--case", "Acme v. Borealis", str(folder)).returncode == 0
    data = json.loads(run_cli(db, "export", "--format", "json").stdout)
    event = next(e for e in data["cases"][0]["events"] if len(e["excerpts"]) == 2)
    assert event["date"] == "2023-03-12"
    assert sorted(x["date"] for x in event["excerpts"]) == ["2023-03", "2023-03-12"]
    older = copy.deepcopy(data)
    for case in older["cases"]:
        for e in case["events"]:
            for x in e["excerpts"]:
                del x["date"]
    copy_db, result = _import_json(tmp_path, older)
    assert result.returncode == 0, result.stderr
    again = json.loads(run_cli(copy_db, "export", "--format", "json").stdout)
    event = next(e for e in again["cases"][0]["events"] if len(e["excerpts"]) == 2)
    assert [x["date"] for x in event["excerpts"]] == ["2023-03-12", "2023-03-12"]
    # The coarse story first, the precise one later: the event takes the precise date.
    later = tmp_path / "later.db"
    for name in ("b.txt", "a.txt"):
        assert run_cli(later, "import", "--case", "Acme v. Borealis", str(folder / name)).returncode == 0
    data = json.loads(run_cli(later, "export", "--format", "json").stdout)
    event = next(e for e in data["cases"][0]["events"] if len(e["excerpts"]) == 2)
    assert (event["date"], event["date_text"]) == ("2023-03-12", "March 12, 2023")
    assert sorted(x["date"] for x in event["excerpts"]) == ["2023-03", "2023-03-12"]


def test_an_export_piped_into_another_database(tmp_path: Path, exported: dict) -> None:
    db = tmp_path / "piped.db"
    text = json.dumps(exported)
    result = run_cli(db, "import", "-", "--json", stdin=text)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["events"] == sum(len(c["events"]) for c in exported["cases"])
    again = run_cli(db, "import", "-", "--json", stdin=text)
    assert json.loads(again.stdout)["events"] == 0


def test_an_event_sheet_piped_and_imported_again_adds_nothing(tmp_path: Path) -> None:
    db = tmp_path / "sheet.db"
    sheet = "Date,Title,Tags,Case,Status\n2024-01-05,Complaint filed,court,Acme v. Borealis,\n,Settlement talks,,Acme v. Borealis,suggested\n"
    first = run_cli(db, "import", "-", "--json", stdin=sheet)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["events"] == 2
    events = json.loads(run_cli(db, "events", "Acme v. Borealis", "--json").stdout)
    assert [(e["date"], e["title"], e["status"]) for e in events] == [
        ("2024-01-05", "Complaint filed", "confirmed"), (None, "Settlement talks", "suggested")]
    grown = sheet + "2024-02-01,Answer due,deadline,Acme v. Borealis,\n"
    again = json.loads(run_cli(db, "import", "-", "--json", stdin=grown).stdout)
    assert again["events"] == 1


def test_a_story_piped_is_still_a_story(tmp_path: Path) -> None:
    db = tmp_path / "story.db"
    story = "date, title and case are words here\n\nAcme sued Borealis on March 3, 2021.\n"
    result = run_cli(db, "import", "-", "--case", "Acme v. Borealis", "--json", stdin=story)
    assert json.loads(result.stdout)["imported"] == ["<stdin>"]


def test_the_url_of_a_story_is_kept_and_cited(tmp_path: Path) -> None:
    note = tmp_path / "note.md"
    note.write_text(NOTE, encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text((ROOT / "tests" / "fixtures" / "news_page.html").read_text(encoding="utf-8"), encoding="utf-8")
    db = tmp_path / "u.db"
    assert run_cli(db, "import", str(note), str(page), "--case", "Acme v. Borealis").returncode == 0
    urls = {r[0] for r in sqlite3.connect(db).execute("SELECT url FROM sources")}
    assert urls == {"https://example.org/borealis-appeal", "https://news.example.com/2024/05/17/acme-borealis"}
    text = run_cli(db, "export", "--case", "Acme v. Borealis", "--format", "markdown").stdout
    html = MarkdownIt().render(text)
    assert '<a href="https://example.org/borealis-appeal">' in html
    assert str(tmp_path) not in text  # a local path is not published when a URL is known


def test_a_story_imported_before_urls_were_kept_gets_its_url(tmp_path: Path) -> None:
    note = tmp_path / "note.md"
    note.write_text(NOTE, encoding="utf-8")
    db = tmp_path / "late.db"
    assert run_cli(db, "import", str(note)).returncode == 0
    sqlite3.connect(db).execute("UPDATE sources SET url = NULL").connection.commit()
    result = run_cli(db, "import", str(note), "--json")
    assert json.loads(result.stdout)["skipped"] == [str(note)]
    assert sqlite3.connect(db).execute("SELECT url FROM sources").fetchone() == ("https://example.org/borealis-appeal",)
