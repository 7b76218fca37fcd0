"""The database as other SQLite tools see it: sqlite-utils (its API and its command) and
a read-only connection such as Datasette opens, with the views for a flat event list."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils

from tests.helpers import SEEDS, run_cli


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("eco") / "t.db"
    assert run_cli(path, "import", str(SEEDS)).returncode == 0
    assert run_cli(path, "tag", "1", "court", "key").returncode == 0
    return path


def test_sqlite_utils_reads_the_schema_as_it_is(db: Path) -> None:
    found = sqlite_utils.Database(db)
    assert {"event_list", "case_list"} <= set(found.view_names())
    for table in ("events", "excerpts", "sources"):
        assert found[table].detect_fts() == f"{table}_fts"  # how sqlite-utils and Datasette find search
    assert list(found["events"].search("designation")) and list(found["excerpts"].search("court"))
    links = {(fk.table, fk.column, fk.other_table) for t in found.tables for fk in t.foreign_keys}
    assert {("events", "case_id", "cases"), ("sources", "case_id", "cases"), ("excerpts", "source_id", "sources"),
            ("event_tags", "event_id", "events"), ("event_tags", "tag_id", "tags"),
            ("event_excerpts", "excerpt_id", "excerpts")} <= links


def test_the_views_answer_read_only(db: Path) -> None:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)  # as Datasette opens a database
    events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    rows = conn.execute("SELECT id, case_title, date, tags, sources, source_titles FROM event_list ORDER BY id").fetchall()
    assert len(rows) == events
    first = rows[0]
    assert first[3] == "court; key" and first[4] >= 1 and first[5]
    cases = conn.execute("SELECT title, events, sources, first_date, last_date FROM case_list").fetchall()
    assert cases and all(c[1] >= 0 and c[2] >= 1 for c in cases)
    with pytest.raises(sqlite3.OperationalError):
        conn.execute("DELETE FROM events")


def test_the_sqlite_utils_command_lists_the_view(db: Path) -> None:
    command = Path(sys.executable).parent / "sqlite-utils"
    result = subprocess.run([str(command), "rows", str(db), "event_list", "--limit", "2"], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) == 2 and {"case_title", "date", "title", "tags", "status"} <= set(rows[0])
