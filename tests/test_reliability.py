"""Nothing gets in unchecked, nothing is lost when several people work at once.

One test (or more) for each example of the adversarial review: the gate every import
path and CLI argument goes through, reading files within bounds, backups and checks,
several processes on one file, and CLI output that never carries a stray byte.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import ROOT, run_cli
from tracker import gate
from tracker.store import Store, StoreError

ESC = "\x1b"
OSC_TITLE = "\x1b]0;pwned\x07"
OSC_CLIPBOARD = "\x1b]52;c;ZXZpbA==\x07"
OSC_LINK = "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\"
RLO = "\u202e"


def v1_doc(cases: list[dict]) -> str:
    return json.dumps({"format": "tracker.v1", "cases": cases})


def v1_case(title: str, *, source_title: str = "Story", published: str | None = "2021-03-01",
            date: str | None = "2021-03-12", granularity: str = "day", date_text: str = "March 12, 2021",
            sha: str = "a" * 64, end: int = 11, text: str = "The hearing") -> dict:
    return {"id": 1, "title": title,
            "sources": [{"id": 1, "title": source_title, "path": "story.txt", "sha256": sha,
                         "published": published, "published_basis": "dateline"}],
            "events": [{"id": 1, "date": date, "granularity": granularity, "date_text": date_text,
                        "title": "Hearing held", "status": "confirmed", "origin": "manual", "tags": ["court"],
                        "excerpts": [{"source_id": 1, "start": end - len(text), "end": end, "text": text}]}]}


def all_text(db: Path) -> str:
    """Every text cell of the database, to look for bytes that must not be there."""
    conn = sqlite3.connect(db)
    try:
        out = []
        for table in ("cases", "sources", "events", "excerpts", "tags"):
            for row in conn.execute(f"SELECT * FROM {table}"):
                out += [str(v) for v in row if isinstance(v, str)]
        return "\n".join(out)
    finally:
        conn.close()


# -- 1. one gate -------------------------------------------------------------------


def test_gate_dates() -> None:
    for good in ("2021-03-12", "2021-W10", "2021-03", "2021-Q1", "2021", "0001-01-01", "9998-12-31"):
        assert gate.date_value(good) == good
    for bad in ("0000", "0000-Q1", "9999-12-31", "9999", "2021-02-30", "2021-W54", "2021-13", "2021-Q5",
                "21-03-01", "2021-03-12T00:00", " 2021", "\x1b[31m2021"):
        with pytest.raises(ValueError):
            gate.date_value(bad)
    with pytest.raises(ValueError, match="granularity"):
        gate.date_value("2021-03", "day")
    with pytest.raises(ValueError):
        gate.user_day("2021 garbage")
    with pytest.raises(ValueError, match="out of range"):
        gate.user_day("9999-12-31")
    assert gate.user_day("March 5, 2021").isoformat() == "2021-03-05"
    assert gate.title("a\x1b]0;x\x07b") == "ab"
    with pytest.raises(ValueError):
        gate.title("x" * (gate.TITLE_MAX + 1))
    with pytest.raises(ValueError):
        gate.tags(["x" * 65])
    with pytest.raises(ValueError):
        gate.excerpt(5, 50, 10)


def test_store_refuses_dates_out_of_range_from_any_path(tmp_path: Path) -> None:
    store = Store(tmp_path / "t.db")
    try:
        case_id = store.ensure_case("Acme")
        for value, grain in (("0000", "year"), ("9999-12-31", "day"), ("0000-Q1", "quarter")):
            with pytest.raises(StoreError, match="out of range"):
                store.add_event(case_id, value, grain, value, "Bad date")
        assert store.list_events(case_id) == []
    finally:
        store.close()


def test_v1_escape_sequences_are_cleaned_or_refused(tmp_path: Path) -> None:
    db, doc = tmp_path / "t.db", tmp_path / "x.json"
    case = v1_case("Acme" + OSC_TITLE, source_title="Story" + OSC_CLIPBOARD + RLO,
                   date_text="March 12" + OSC_LINK)
    doc.write_text(v1_doc([case]), encoding="utf-8")
    result = run_cli(db, "import", str(doc))
    assert result.returncode == 0, result.stderr
    stored = all_text(db)
    assert ESC not in stored and "\x07" not in stored
    for command in (["case", "show", "Acme"], ["search", "hearing"], ["events", "Acme"], ["cases"]):
        out = run_cli(db, *command)
        assert out.returncode == 0, out.stderr
        assert ESC not in out.stdout + out.stderr and RLO not in out.stdout
    markdown = run_cli(db, "export", "--case", "Acme", "--format", "markdown").stdout
    assert ESC not in markdown
    # A publication date that is not a date refuses the whole file, with a reason.
    doc.write_text(v1_doc([v1_case("Borealis", published="2021" + OSC_TITLE, sha="b" * 64)]), encoding="utf-8")
    result = run_cli(db, "import", str(doc))
    assert result.returncode == 2 and "publication date" in result.stderr and ESC not in result.stderr


def test_markdown_export_escapes_html_from_a_v1_file(tmp_path: Path) -> None:
    db, doc = tmp_path / "t.db", tmp_path / "x.json"
    case = v1_case("Acme", source_title='<img src=x onerror="alert(1)">')
    doc.write_text(v1_doc([case]), encoding="utf-8")
    assert run_cli(db, "import", str(doc)).returncode == 0
    markdown = run_cli(db, "export", "--case", "Acme", "--format", "markdown").stdout
    import re

    assert not re.search(r"(?<!\\)<img", markdown)  # escaped: shown as text, never an element


def test_v1_out_of_range_dates_are_refused_whole(tmp_path: Path) -> None:
    db, doc = tmp_path / "t.db", tmp_path / "x.json"
    doc.write_text(v1_doc([v1_case("First"), v1_case("Second", date="9999-12-31", sha="c" * 64)]), encoding="utf-8")
    result = run_cli(db, "import", str(doc))
    assert result.returncode == 2
    assert "out of range" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "nothing of this file" in result.stderr
    assert json.loads(run_cli(db, "cases", "--json").stdout) == []  # the first case did not go in


def test_v1_second_case_failing_in_the_store_leaves_nothing(tmp_path: Path) -> None:
    """All of one file or none, also when the store refuses a later case."""
    db, doc = tmp_path / "t.db", tmp_path / "x.json"
    second = v1_case("Second", sha="d" * 64)
    second["events"][0]["tags"] = ["fine"]
    doc.write_text(v1_doc([v1_case("First"), second, {"title": "Third", "sources": 3}]), encoding="utf-8")
    result = run_cli(db, "import", str(doc))
    assert result.returncode == 2
    assert json.loads(run_cli(db, "cases", "--json").stdout) == []


def test_a_tiny_v1_file_cannot_make_a_huge_database(tmp_path: Path) -> None:
    db, doc = tmp_path / "t.db", tmp_path / "x.json"
    cases = []
    for n in range(10):
        case = v1_case(f"Case {n}", sha=f"{n:x}" * 64, end=19_000_000, text="x")
        cases.append(case)
    doc.write_text(v1_doc(cases), encoding="utf-8")
    assert doc.stat().st_size < 8000
    result = run_cli(db, "import", str(doc))
    assert result.returncode == 2 and "far larger than the file" in result.stderr
    assert db.stat().st_size < 2 * 1024 * 1024


def test_csv_out_of_range_short_rows_and_unterminated_quote_fail_alone(tmp_path: Path) -> None:
    db, sheet = tmp_path / "t.db", tmp_path / "events.csv"
    sheet.write_text(
        "date,title,case,tags\n"
        "2021-03-12,Good one,Acme,court\n"
        "9999-12-31,Too late,Acme,\n"
        "0000-Q1,Too early,Acme,\n"
        "2021-03-13,Short row\n"
        "2021-03-14,Another good,Acme,\n"
        '2021-03-15,"Unterminated,Acme,\n', encoding="utf-8")
    result = run_cli(db, "import", str(sheet), "--json")
    assert result.returncode == 2
    report = json.loads(result.stdout)
    failed = {f["path"].rsplit(":", 1)[-1]: f["error"] for f in report["failed"]}
    assert "out of range" in failed["3"] and "out of range" in failed["4"]
    assert "one cell per column" in failed["5"]
    assert "KeyError" not in result.stdout + result.stderr
    titles = {e["title"] for e in json.loads(run_cli(db, "events", "Acme", "--json").stdout)}
    assert {"Good one", "Another good"} <= titles and "Too late" not in titles


def test_add_refuses_out_of_range_dates_with_one_line(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    Store(db).ensure_case("Acme")
    for value in ("0000", "9999-12-31", "0000-Q1"):
        result = run_cli(db, "add", "Acme", "--date", value, "--title", "Bad")
        assert result.returncode == 1, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_widgets_and_exports_are_safe_for_any_stored_date(tmp_path: Path) -> None:
    """A date stored before the gate (an older tracker) neither crashes the strip nor
    the iCalendar and TimelineJS exports."""
    from tracker.widgets.case_strip import columns

    db = tmp_path / "t.db"
    store = Store(db)
    case_id = store.ensure_case("Acme")
    store.add_event(case_id, "2021-03-12", "day", "", "Good")
    store.close()
    conn = sqlite3.connect(db)
    with conn:
        for value, grain, sort in (("0000", "year", "0000-01-01"), ("9999-12-31", "day", "9999-12-31"),
                                   ("9999-Q4", "quarter", "9999-10-01")):
            conn.execute("INSERT INTO events (case_id, date, granularity, sort_date, title, status, origin, "
                         "created_at, updated_at) VALUES (?, ?, ?, ?, 'Old', 'confirmed', 'manual', 'x', 'x')",
                         [case_id, value, grain, sort])
    conn.close()
    for fmt in ("ics", "timelinejs", "markdown", "csv", "json"):
        result = run_cli(db, "export", "--case", "Acme", "--format", fmt)
        assert result.returncode == 0, (fmt, result.stderr)
    assert columns([("0000-01-01", 1, 0), ("2021-03-12", 1, 0), ("9999-12-31", 0, 1)], 40)[1]
    assert run_cli(db, "asof", "Acme", "2030-01-01").returncode == 0
    assert run_cli(db, "agenda", "--from", "2021-01-01", "--days", "36500").returncode == 0


def test_front_matter_impossible_date_and_deep_nesting_fail_alone(tmp_path: Path) -> None:
    db, folder = tmp_path / "t.db", tmp_path / "docs"
    folder.mkdir()
    (folder / "a_bad_date.md").write_text("---\ntitle: Acme sued\ndate: 2021-02-30\n---\n"
                                          "Acme Widgets was sued on March 3, 2021 by Borealis.\n", encoding="utf-8")
    (folder / "b_deep.md").write_text("---\ntitle: Deep\ntags: " + "[" * 5000 + "]" * 5000 + "\n---\nText here.\n",
                                      encoding="utf-8")
    (folder / "c_good.md").write_text("---\ntitle: Borealis answers\n---\nBorealis answered on March 9, 2021.\n",
                                      encoding="utf-8")
    result = run_cli(db, "import", str(folder), "--json")
    report = json.loads(result.stdout)
    assert "Traceback" not in result.stderr
    assert [Path(p).name for p in report["imported"]] == ["a_bad_date.md", "c_good.md"]
    assert [Path(f["path"]).name for f in report["failed"]] == ["b_deep.md"]
    assert "nested" in report["failed"][0]["error"]


def test_billion_laughs_fails_fast_and_alone(tmp_path: Path) -> None:
    db, folder = tmp_path / "t.db", tmp_path / "docs"
    folder.mkdir()
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[n]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    header = "---\n" + "\n".join(lines) + "\ntitle: *i\n---\n"
    assert len(header) < 1000
    (folder / "laughs.md").write_text(header + "Body text on March 3, 2021.\n", encoding="utf-8")
    (folder / "fine.txt").write_text("Acme was sued on March 3, 2021.\n", encoding="utf-8")
    started = time.monotonic()
    result = run_cli(db, "import", str(folder), "--json")
    assert time.monotonic() - started < 30
    report = json.loads(result.stdout)
    assert [Path(p).name for p in report["imported"]] == ["fine.txt"]
    assert "aliases expanded" in report["failed"][0]["error"]


def test_nested_json_fails_alone(tmp_path: Path) -> None:
    db, folder = tmp_path / "t.db", tmp_path / "in"
    folder.mkdir()
    nested = folder / "nested.json"
    nested.write_text('{"format": "tracker.v1", "cases": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    story = folder / "story.txt"
    story.write_text("Acme was sued on March 3, 2021.\n", encoding="utf-8")
    result = run_cli(db, "import", str(nested), str(story), "--json")
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    assert [Path(p).name for p in report["imported"]] == ["story.txt"]
    assert "nested too deeply" in report["failed"][0]["error"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_fifo_dev_zero_and_links_out_of_the_folder(tmp_path: Path) -> None:
    db, folder, outside = tmp_path / "t.db", tmp_path / "docs", tmp_path / "secret.txt"
    folder.mkdir()
    outside.write_text("Secret report: Acme was sued on March 3, 2021.\n", encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    os.symlink("/dev/zero", folder / "zero.txt")
    os.symlink(outside, folder / "shadow.txt")
    (folder / "good.txt").write_text("Acme was sued on March 4, 2021.\n", encoding="utf-8")
    started = time.monotonic()
    result = run_cli(db, "import", str(folder), "--json")
    assert time.monotonic() - started < 60
    report = json.loads(result.stdout)
    assert [Path(p).name for p in report["imported"]] == ["good.txt"]
    failed = {Path(f["path"]).name: f["error"] for f in report["failed"]}
    assert set(failed) == {"pipe.txt", "zero.txt", "shadow.txt"}
    assert "out of the folder" in failed["shadow.txt"] and "out of the folder" in failed["zero.txt"]
    # Asked for: the link is followed, and /dev/zero is still not read (not a regular file).
    followed = json.loads(run_cli(db, "import", str(folder), "--follow-links", "--json").stdout)
    assert [Path(p).name for p in followed["imported"]] == ["shadow.txt"]
    assert "regular file" in {Path(f["path"]).name: f["error"] for f in followed["failed"]}["zero.txt"]


def test_reading_is_bounded_as_it_reads(tmp_path: Path) -> None:
    from tracker.ingest import IngestError, read_bytes, read_stream

    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 2000)
    with pytest.raises(IngestError, match="too large"):
        read_bytes(big, limit=1000)
    import io

    with pytest.raises(IngestError, match="standard input"):
        read_stream(io.BytesIO(b"y" * 2000), limit=1000)
    assert read_stream(io.BytesIO(b"ok"), limit=1000) == b"ok"
    # A file read to its stated size, and past it while it has more (it grew meanwhile,
    # or states none: /proc's files are regular and of size 0), to the limit.
    assert read_bytes(big, limit=5000) == b"x" * 2000
    status = Path("/proc/self/status")
    if status.is_file() and status.stat().st_size == 0:
        assert read_bytes(status).startswith(b"Name:")
        with pytest.raises(IngestError, match="too large"):
            read_bytes(status, limit=10)


# -- 4. one line, never a traceback, never a stray byte -------------------------------


@pytest.mark.parametrize("args", [
    ["history", "99999999999999999999"],
    ["agenda", "--days", "100000000"],
    ["import", "-", "--published", "9999-12-31"],
    ["import", "-", "--published", "2021 garbage"],
    ["add", "Acme", "--date", "0000", "--title", "x"],
    ["case", "move-source", "99999999999999999999", "Acme"],
    ["tag", "0", "x"],
])
def test_bad_inputs_give_one_line_and_exit_1(tmp_path: Path, args: list[str]) -> None:
    db = tmp_path / "t.db"
    Store(db).ensure_case("Acme")
    result = run_cli(db, *args, stdin="Acme was sued on March 3, 2021.\n")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_file_names_and_titles_reach_the_terminal_safe(tmp_path: Path) -> None:
    db, folder = tmp_path / "t.db", tmp_path / "docs"
    folder.mkdir()
    (folder / f"evil{RLO}txt.md").write_text("", encoding="utf-8")  # empty: fails, and is named
    (folder / "[bold]markup[link=x].txt").write_text(f"Acme{OSC_LINK} sued{RLO} Borealis\n\n"
                                                     "Acme was sued on March 3, 2021.\n", encoding="utf-8")
    result = run_cli(db, "import", str(folder))
    assert result.returncode == 2
    assert ESC not in result.stderr + result.stdout and RLO not in result.stderr + result.stdout
    store = Store(db)
    case = store.list_cases()[0]
    store.add_event(case.id, "2021-03-05", "day", "", f"Odd{RLO}title")
    store.close()
    for command in (["events", str(case.id)], ["search", "odd"], ["cases"]):
        out = run_cli(db, *command)
        assert out.returncode == 0 and RLO not in out.stdout and ESC not in out.stdout


# -- 3. backups and checks -------------------------------------------------------------


def test_check_and_backup_refuse_a_missing_database_without_creating_it(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    for args in (["check"], ["backup", str(tmp_path / "copy.db")]):
        result = run_cli(missing, *args)
        assert result.returncode == 1 and "no such database" in result.stderr
        assert not missing.exists()


def test_a_sqlite_file_of_another_program_is_refused_untouched(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('mine')")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    for args in (["check"], ["cases"], ["import", "-"]):
        result = run_cli(other, *args, stdin="Acme was sued on March 3, 2021.\n")
        assert result.returncode == 1 and "another program" in result.stderr
    assert other.read_bytes() == before
    assert not Path(str(other) + "-wal").exists()


def test_backup_is_complete_or_absent_and_says_how_long(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    store = Store(db)
    case_id = store.ensure_case("Acme")
    for n in range(50):
        store.add_event(case_id, "2021-03-12", "day", "", f"Event {n}")
    store.close()
    copy = tmp_path / "copy.db"
    result = run_cli(db, "backup", str(copy))
    assert result.returncode == 0 and " in " in result.stdout and result.stdout.strip().endswith(" s")
    assert oct(copy.stat().st_mode & 0o777) == "0o600"
    assert run_cli(copy, "check").returncode == 0
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]
    again = run_cli(db, "backup", str(copy))
    assert again.returncode == 1 and "exists" in again.stderr


def test_backup_finishes_under_a_steady_stream_of_commits(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    store = Store(db)
    case_id = store.ensure_case("Acme")
    for n in range(300):
        store.add_event(case_id, "2021-03-12", "day", "", f"Event {n} " + "padding " * 40)
    store.close()
    writer = subprocess.Popen([sys.executable, "-m", "tests.workers.committer", str(db), str(case_id), "8"],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(1.0)
        copy = tmp_path / "copy.db"
        started = time.monotonic()
        result = run_cli(db, "backup", str(copy))
        assert result.returncode == 0, result.stderr
        assert time.monotonic() - started < 30
    finally:
        out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    assert int(out) > 20  # the writer kept committing meanwhile
    assert run_cli(copy, "check").returncode == 0


# -- 2. several people at once ---------------------------------------------------------


def spawn(db: Path, *args: str, user: str | None = None) -> subprocess.Popen[str]:
    env = {**os.environ, "TRACKER_DB": str(db), "NO_COLOR": "1"}
    if user:
        env.update(USER=user, LOGNAME=user, LNAME=user, USERNAME=user)
    return subprocess.Popen([sys.executable, "-m", "tracker", *args], cwd=ROOT, env=env, text=True,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_three_processes_opening_a_new_database_at_once(tmp_path: Path) -> None:
    for attempt in range(3):
        db = tmp_path / f"new{attempt}.db"
        procs = [spawn(db, "cases", "--json") for _ in range(3)]
        for proc in procs:
            out, err = proc.communicate(timeout=60)
            assert proc.returncode == 0, err
            assert json.loads(out) == []
        conn = sqlite3.connect(db)
        names = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")]
        conn.close()
        assert len(names) == len(set(names))


def test_first_open_after_an_upgrade_races_safely(tmp_path: Path) -> None:
    """Three processes open a database whose last migration is not applied yet."""
    from tracker.db import SCHEMA_VERSION, migrations

    db = tmp_path / "old.db"
    Store(db).close()
    last = migrations._migrations[-1].name
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = ?", [last])
        conn.execute("DROP INDEX IF EXISTS events_strip")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    conn.close()
    procs = [spawn(db, "cases", "--json") for _ in range(3)]
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("SELECT count(*) FROM _sqlite_migrations WHERE name = ?", [last]).fetchone()[0] == 1
    conn.close()


def test_two_undos_at_once_undo_two_changes(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    store = Store(db)
    case_id = store.ensure_case("Acme")
    first = store.add_event(case_id, "2021-03-12", "day", "", "First")
    second = store.add_event(case_id, "2021-03-13", "day", "", "Second")
    store.close()
    procs = [spawn(db, "undo") for _ in range(2)]
    outs = []
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        outs.append(out)
    assert sorted(f"event {e.id}" in "".join(outs) for e in (first, second)) == [True, True]
    store = Store(db)
    assert store.list_events(case_id) == []
    undos = store._rows("SELECT count(*) AS n FROM audit WHERE action = 'undo'")[0]["n"]
    store.close()
    assert undos == 2


def test_undo_takes_back_your_own_changes_unless_anyone(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    Store(db).ensure_case("Acme")
    added = spawn(db, "add", "Acme", "--date", "2021-03-12", "--title", "Alice's event", user="alice")
    assert added.wait(timeout=60) == 0
    mine = spawn(db, "undo", user="bob")
    out, err = mine.communicate(timeout=60)
    assert mine.returncode == 1 and "nothing to undo by bob" in err
    anyone = spawn(db, "undo", "--anyone", user="bob")
    out, err = anyone.communicate(timeout=60)
    assert anyone.returncode == 0, err
    assert "a change by alice" in out
    assert json.loads(run_cli(db, "events", "Acme", "--json").stdout) == []


def test_undoing_a_tag_keeps_a_passage_linked_since(tmp_path: Path) -> None:
    from tracker.extract import ProposedEvent

    store = Store(tmp_path / "t.db")
    try:
        case_id = store.ensure_case("Acme")
        event = store.add_event(case_id, "2021-03-12", "day", "", "Hearing")
        store.add_tags(event.id, ["court"])
        text = "The hearing was held on March 12, 2021."
        proposal = ProposedEvent(start=0, end=len(text), phrase_start=24, phrase_end=38, date_text="March 12, 2021",
                                 value="2021-03-12", granularity="day", title="Hearing")
        from tracker.merge import Group

        store.add_source_with_events(case_id=case_id, path="s.txt", title="Story", sha256="e" * 64, text=text,
                                     published="2021-03-13", published_basis="dateline", proposals=[proposal],
                                     groups=[Group(event.id, [0])])
        assert store.get_event(event.id).source_count == 1
        store.undo_last()  # the tag
        after = store.get_event(event.id)
        assert after.tags == () or list(after.tags) == []
        assert after.source_count == 1  # the passage the import linked stays
    finally:
        store.close()


def test_two_imports_of_one_folder_and_of_one_new_case_race_cleanly(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for n in range(12):
        (folder / f"d{n:02d}.txt").write_text(f"Report {n} on Acme Widgets\n\nPublished: March {n + 1}, 2021\n\n"
                                              f"Acme Widgets was sued on March {n + 1}, 2021 over part {n}.\n",
                                              encoding="utf-8")
    db = tmp_path / "t.db"
    Store(db).close()
    procs = [spawn(db, "import", str(folder), "--case", "New Case", "--json") for _ in range(3)]
    reports = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert "UNIQUE" not in err
        reports.append(json.loads(out))
    assert sum(len(r["imported"]) for r in reports) == 12
    assert sum(len(r["imported"]) + len(r["skipped"]) for r in reports) == 36
    cases = json.loads(run_cli(db, "cases", "--json").stdout)
    assert [c["title"] for c in cases] == ["New Case"] and cases[0]["sources"] == 12
    assert run_cli(db, "check").returncode == 0


def _filed_case(tmp_path: Path) -> tuple[Store, int, list[int]]:
    from tracker.extract import ProposedEvent

    store = Store(tmp_path / "t.db")
    case_id = store.ensure_case("Acme v. Borealis")
    sources = []
    for n in range(3):
        text = f"Story {n}: the court ruled on March {n + 1}, 2021."
        phrase = f"March {n + 1}, 2021"
        at = text.index(phrase)
        proposal = ProposedEvent(start=0, end=len(text), phrase_start=at, phrase_end=at + len(phrase),
                                 date_text=phrase, value=f"2021-03-0{n + 1}", granularity="day", title=f"Ruling {n}")
        source_id, _ = store.add_source_with_events(
            case_id=case_id, path=f"s{n}.txt", title=f"Story {n}", sha256=f"{n}" * 64, text=text,
            published="2021-03-10", published_basis="dateline", proposals=[proposal])
        sources.append(source_id)
    return store, case_id, sources


def test_a_split_is_one_transaction_and_one_undo(tmp_path: Path) -> None:
    store, case_id, sources = _filed_case(tmp_path)
    try:
        before = sorted((e.id, e.case_id) for e in store.all_events())
        new_id, moved = store.split_case(case_id, sources[:2], "Acme v. Borealis II")
        assert moved == 2 and {s.case_id for s in store.all_sources() if s.id in sources[:2]} == {new_id}
        entry = store.undo_last()
        assert entry.action == "split-case"
        assert sorted((e.id, e.case_id) for e in store.all_events()) == before
        assert {s.case_id for s in store.all_sources()} == {case_id}
        assert [c.title for c in store.list_cases()] == ["Acme v. Borealis"]  # the case the split made is gone
        assert store.check() == []
    finally:
        store.close()


def test_a_move_source_is_one_undo_and_gives_back_its_passages(tmp_path: Path) -> None:
    store, case_id, sources = _filed_case(tmp_path)
    try:
        other = store.ensure_case("Unfiled")
        # An event the second story also supports stays, losing that story's passage.
        first_event = store.source_events(sources[0])[0]
        second_excerpt = store.source_excerpts(sources[1])[0]
        store.save_event(case_id, first_event.id, value=first_event.date, granularity=first_event.granularity,
                         date_text=first_event.date_text, title=first_event.title, note="",
                         tags=list(first_event.tags), excerpt_ids=[*(x.id for x in store.event_excerpts(first_event.id)),
                                                                   second_excerpt.id])
        links_before = {x.id for x in store.event_excerpts(first_event.id)}
        store.move_source(sources[1], other)
        assert {x.id for x in store.event_excerpts(first_event.id)} != links_before
        store.undo_last()
        assert {x.id for x in store.event_excerpts(first_event.id)} == links_before
        assert {s.case_id for s in store.all_sources()} == {case_id}
        assert store.check() == []
    finally:
        store.close()


async def test_a_write_in_the_app_never_blocks_the_ui_while_another_process_writes(tmp_path: Path) -> None:
    import asyncio

    from tests.conftest import build_db
    from tracker.app import make_app

    db = tmp_path / "busy.db"
    build_db(db)
    app = make_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("tab")
        await pilot.pause()
        event = app.main.timeline.current
        assert event is not None and event.status == "suggested"
        holder = sqlite3.connect(db, timeout=1)
        holder.execute("BEGIN IMMEDIATE")  # another process writing, for a while
        try:
            started = time.monotonic()
            await pilot.press("x")
            await pilot.pause()
            assert time.monotonic() - started < 2  # the UI answered at once
            await pilot.press("j", "k")  # and keeps answering keys
            assert Store(db).get_event(event.id).status == "suggested"
        finally:
            await asyncio.sleep(1.5)
            holder.rollback()
            holder.close()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and Store(db).get_event(event.id).status != "rejected":
            await pilot.pause(0.2)
        assert Store(db).get_event(event.id).status == "rejected"


async def test_u_in_the_app_does_not_undo_another_persons_add(tmp_path: Path) -> None:
    from tests.conftest import build_db
    from tracker.app import make_app

    db = tmp_path / "undo.db"
    build_db(db)
    store = Store(db)
    store._rows("SELECT 1")
    with store._write() as conn:  # every change so far was someone else's
        conn.execute("UPDATE audit SET user = 'someone-else'")
    store.close()
    added = spawn(db, "add", "Acme v. Widgets", "--date", "2021-01-02", "--title", "Added by alice", user="alice")
    assert added.wait(timeout=60) == 0
    app = make_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("u")
        await pilot.pause()
    titles = {e.title for e in Store(db).all_events()}
    assert "Added by alice" in titles


def test_a_merge_and_a_move_during_an_import_lose_nothing(tmp_path: Path) -> None:
    """Filing reads the cases inside the transaction that stores each story: a case merged
    or a source moved meanwhile never makes the import fail or file into a gone case."""
    from tests.test_stress import corpus

    folder = tmp_path / "stories"
    corpus(folder)
    db = tmp_path / "t.db"
    Store(db).close()
    proc = spawn(db, "import", str(folder), "--json")
    store = Store(db)
    merged = moved = 0
    deadline = time.monotonic() + 60
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            cases = [c for c in store.list_cases() if c.source_count]
            if len(cases) >= 2 and not merged:
                store.merge_cases(cases[0].id, cases[1].id)
                merged += 1
            elif merged and not moved and store.all_sources():
                store.move_source(store.all_sources()[0].id, store.ensure_case("Held aside"))
                moved += 1
            time.sleep(0.05)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        report = json.loads(out)
        assert not report["failed"] and len(report["imported"]) == 20
        assert len(store.all_sources()) == 20
        assert store.check() == []
    finally:
        store.close()


def test_a_long_story_and_a_long_search_stay_bounded() -> None:
    """Growth, not speed: a 200 KB story of ordinary sentences (quadratic before: over a
    minute) and a 200-word search (reduced to a bounded query)."""
    from datetime import date

    from tracker.extract import propose_events
    from tracker.published import infer_published
    from tracker.store.search import SEARCH_WORDS, fts_query

    para = "Acme Widgets was sued on March 3, 2021 by Borealis. The judge said the hearing is set for April 5, 2021.\n"
    text = "Acme sued\n\n" + para * 2000
    started = time.monotonic()
    proposals = propose_events(text, infer_published(text, date(2021, 6, 1)).anchor)
    assert proposals and time.monotonic() - started < 30
    query = fts_query(" ".join(f"word{i}" for i in range(200)))
    assert query is not None and query.count('"') == 2 * SEARCH_WORDS and query.endswith('"word199"*')


def test_the_app_ends_when_its_terminal_is_gone_and_keeps_what_it_wrote(tmp_path: Path) -> None:
    """A terminal can hang up without a SIGHUP reaching the app (it runs in a session of
    its own, or SIGHUP is ignored): the app must end, as q ends it, with what it wrote
    committed, instead of reading end-of-file in a loop on a shared host's core."""
    import fcntl
    import pty
    import select
    import struct
    import termios

    from tests.conftest import build_db

    db = tmp_path / "tracker.db"
    build_db(db)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    app = subprocess.Popen([sys.executable, "-m", "tracker", "--db", str(db)], stdin=slave, stdout=slave,
                           stderr=slave, env=env, cwd=ROOT, start_new_session=True)  # no controlling tty: no SIGHUP
    os.close(slave)
    try:
        seen = b""

        def until(text: bytes, seconds: float = 30) -> None:
            nonlocal seen
            deadline = time.monotonic() + seconds
            while text not in seen and time.monotonic() < deadline:
                if select.select([master], [], [], 0.1)[0]:
                    seen += os.read(master, 1 << 16)
            assert text in seen, seen[-400:]

        until(b"Cases (")
        os.write(master, b"\t")  # into the timeline: the first event is suggested
        time.sleep(0.3)
        seen = b""
        os.write(master, b"c")  # confirm it
        until(b"confirmed")
        time.sleep(0.3)
        os.close(master)  # the terminal hangs up
        master = -1
        assert app.wait(timeout=15) == 0
    finally:
        if master >= 0:
            os.close(master)
        if app.poll() is None:
            app.kill()
            app.wait()
    store = Store(db)
    try:
        acme = store.find_case("Acme v. Widgets").id
        assert [e.status for e in store.list_events(acme)].count("confirmed") == 1
    finally:
        store.close()
