"""Several people on one database file at once, and imports killed part-way."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tracker.store import Store

ROOT = Path(__file__).resolve().parent.parent


def spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def test_four_writers_and_a_reader_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    store = Store(db)
    case_id = store.ensure_case("Shared case")
    store.close()
    writers = [spawn("-m", "tests.workers.writer", str(db), str(case_id), f"w{n}", "500") for n in range(4)]
    reader = spawn("-m", "tests.workers.reader", str(db), str(case_id), "5")
    for proc in [*writers, reader]:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert "locked" not in err
    assert int(out) > 0  # the reader got answers all along
    store = Store(db)
    events = store.list_events(case_id)
    assert len(events) == 2000
    for n in range(4):
        mine = [e for e in events if e.title.startswith(f"w{n} ")]
        assert len(mine) == 500
        assert all(f"w{n}" in e.tags and any(t.startswith("batch-") for t in e.tags) for e in mine)
    assert store.check() == []


def make_docs(folder: Path, count: int) -> None:
    folder.mkdir()
    for i in range(count):
        (folder / f"doc{i:04d}.txt").write_text(
            f"Report {i} on Acme Widgets\n\nPublished: March {i % 28 + 1}, 2021\n\n"
            f"The court ruled on March {i % 28 + 1}, 2021 in case number {i} of Acme Widgets. "
            f"A hearing is set for April {i % 28 + 1}, 2021.\n" + "Background sentence about the dispute. " * 40,
            encoding="utf-8",
        )


def test_import_killed_part_way_leaves_a_consistent_database_and_resumes(tmp_path: Path) -> None:
    docs, db = tmp_path / "docs", tmp_path / "kill.db"
    make_docs(docs, 300)
    Store(db).close()
    proc = spawn("-m", "tracker", "--db", str(db), "import", str(docs), "--case", "Acme")
    deadline = time.monotonic() + 60
    seen = 0
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            seen = Store(db).source_count()
        except Exception:  # noqa: BLE001 - the file is mid-write; look again
            seen = 0
        if seen >= 20:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the import finished before it could be killed; make more documents"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    store = Store(db)
    assert store.check() == []
    partial = store.source_count()
    assert 20 <= partial < 300
    for source in store.all_sources():  # every stored source came with all its events
        assert len({r["value"] for r in store.source_readings(source.id)}) == 2
    store.close()
    again = subprocess.run([sys.executable, "-m", "tracker", "--db", str(db), "import", str(docs), "--case", "Acme"],
                           cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert again.returncode == 0, again.stderr
    assert f"skipped {partial} already imported" in again.stdout
    store = Store(db)
    assert store.source_count() == 300
    assert store.check() == []
