"""The CLI against a temp database, run as a separate process like a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import SEEDS, run_cli


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "t.db"
    result = run_cli(db, "import", str(SEEDS))
    assert result.returncode == 0, result.stderr
    assert "imported 2" in result.stdout
    return db


def test_import_again_skips_known_files(seeded: Path) -> None:
    result = run_cli(seeded, "import", str(SEEDS), "--json")
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert report["imported"] == [] and len(report["skipped"]) == 2


def test_cases_and_events_listings(seeded: Path) -> None:
    cases = json.loads(run_cli(seeded, "cases", "--json").stdout)
    assert len(cases) == 1 and cases[0]["sources"] == 2
    by_title = json.loads(run_cli(seeded, "events", cases[0]["title"], "--json").stdout)
    by_id = json.loads(run_cli(seeded, "events", str(cases[0]["id"]), "--json").stdout)
    assert by_title == by_id and by_title
    assert all(e["status"] == "suggested" and e["origin"] == "extracted" for e in by_title)
    table = run_cli(seeded, "events", "1")
    assert table.returncode == 0 and "2021-05-11" in table.stdout


def test_add_tag_search_export(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    assert run_cli(db, "import", str(SEEDS), "--case", "Xiaomi v. DoD").returncode == 0
    added = run_cli(db, "add", "Xiaomi v. DoD", "--date", "last Friday", "--base", "2021-03-16",
                    "--title", "Hearing [bold]held[/bold]", "--tag", "court", "--json")
    assert added.returncode == 0, added.stderr
    event = json.loads(added.stdout)
    assert (event["date"], event["granularity"], event["status"], event["origin"]) == (
        "2021-03-12", "day", "confirmed", "manual")
    assert run_cli(db, "tag", str(event["id"]), "key", "court").returncode == 0
    hits = json.loads(run_cli(db, "search", "hearing", "--json").stdout)
    assert any(h["event_id"] == event["id"] for h in hits)
    out = tmp_path / "out.json"
    assert run_cli(db, "export", "--case", "Xiaomi v. DoD", "--format", "json", "-o", str(out)).returncode == 0
    data = json.loads(out.read_text())
    mine = next(e for e in data["cases"][0]["events"] if e["id"] == event["id"])
    assert mine["title"] == "Hearing [bold]held[/bold]"
    assert mine["tags"] == ["court", "key"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("events", "no such case"), "no case"),
        (("add", "1", "--date", "flurb", "--title", "x"), "not a date"),
        (("tag", "999", "x"), "no event"),
        (("import", "--published", "someday", "seeds"), "not a full date"),
        (("export", "--case", "nope"), "no case"),
    ],
)
def test_user_errors_are_one_line_and_non_zero(seeded: Path, args: tuple[str, ...], message: str) -> None:
    result = run_cli(seeded, *args)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_file_is_reported_and_the_rest_imported(tmp_path: Path) -> None:
    result = run_cli(tmp_path / "m.db", "import", str(tmp_path / "missing.txt"), str(SEEDS))
    assert result.returncode == 2
    assert "missing.txt: no such file" in result.stderr
    assert "imported 2" in result.stdout


def test_search_accepts_any_query(seeded: Path) -> None:
    for query in ['"', "AND (", "*", "-x", "NEAR(a b", "'; DROP TABLE events;--", "[bold]x"]:
        result = run_cli(seeded, "search", "--json", "--", query)
        assert result.returncode == 0, (query, result.stderr)
        json.loads(result.stdout)


def test_newer_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "new.db"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    before = db.read_bytes()
    result = run_cli(db, "cases")
    assert result.returncode == 1 and "newer tracker" in result.stderr
    assert db.read_bytes() == before


def test_help_on_every_command(tmp_path: Path) -> None:
    for command in ["import", "cases", "events", "add", "tag", "search", "export", "demo"]:
        result = run_cli(tmp_path / "h.db", command, "--help")
        assert result.returncode == 0 and "--db" in result.stdout, command


def test_dates_command_shows_the_tagger_work(tmp_path: Path) -> None:
    result = run_cli(tmp_path / "d.db", "dates", "-", "--published", "2024-05-08", "--json",
                     stdin="The firm sued last Friday and will appeal in June. It is now quiet.")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert [(f["text"], f["value"], f["granularity"]) for f in found] == [
        ("last Friday", "2024-05-03", "day"), ("June", "2024-06", "month"), ("now", None, "day")]
    assert {"start", "end", "text", "value", "granularity", "basis"} <= set(found[0])
    assert found[2]["timex3"] == "PRESENT_REF"


@pytest.mark.parametrize(("args", "expected"), [
    ([], (True, None)),
    (["--db", "x.db"], (True, "x.db")),
    (["--db=x.db"], (True, "x.db")),
    (["cases"], (False, None)),
    (["--db", "x.db", "cases"], (False, None)),
    (["--help"], (False, None)),
    (["--version"], (False, None)),
    (["--db", ""], (False, None)),
    (["--db", "--help"], (False, None)),
    (["--db"], (False, None)),
])
def test_only_a_plain_app_command_line_skips_the_option_parser(args: list[str], expected: tuple[bool, str | None],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from tracker.launch import app_only

    for name in [n for n in os.environ if n.startswith("_TRACKER_COMPLETE")]:
        monkeypatch.delenv(name)
    assert app_only(args) == expected


def test_opening_the_app_on_a_refused_file_fails_alike_with_or_without_the_option_parser(tmp_path: Path) -> None:
    """`tracker --db FILE` goes straight to the app; `tracker --db=FILE` too; a directory
    goes through click: each refusal is one line and exit 1 (2 for click's usage error)."""
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database at all")
    env = {**os.environ, "NO_COLOR": "1"}
    for argv in (["--db", str(bad)], [f"--db={bad}"]):
        result = subprocess.run([sys.executable, "-m", "tracker", *argv], capture_output=True, text=True,
                                env=env, timeout=60, stdin=subprocess.DEVNULL)
        assert result.returncode == 1
        assert result.stderr.strip().splitlines() == [f"Error: {bad} is not a usable tracker database: "
                                                      "file is not a database"]
    result = subprocess.run([sys.executable, "-m", "tracker", "--db", str(tmp_path)], capture_output=True, text=True,
                            env=env, timeout=60, stdin=subprocess.DEVNULL)
    assert result.returncode == 2 and "is a directory" in result.stderr
    assert "Traceback" not in result.stderr
