"""Six processes against one database file: two imports of one folder, adds, tags,
merges and undo, while the test makes backups and runs the check. Every change a
process reports as done is there afterwards, the import files the stories as one
sequential import does, and the check passes. Bounded: each role does a fixed amount
of work and stops by itself; the whole test takes seconds, not minutes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from tests.helpers import ROOT
from tracker.importer import import_paths
from tracker.store import Store

PARTIES = [("Acme Widgets", "Borealis Mining"), ("Cobalt Foods", "Dunmore Shipping"),
           ("Everly Labs", "Fairhaven Bank"), ("Grantham Steel", "Holloway Airlines")]


def corpus(folder: Path) -> None:
    folder.mkdir()
    for k, (a, b) in enumerate(PARTIES):
        for j in range(5):
            d = j * 3 + k + 1
            (folder / f"s{k}{j}.txt").write_text(
                f"{a} v. {b}: judge weighs motion {j}\n\nPublished: March {d}, 2021\n\n"
                f"{a} sued {b} in federal court, case No. 1:21-cv-0{k}{k}{k}{k}. On March {d}, 2021 the judge "
                f"heard motion {j} brought by {a} against {b}. A hearing is set for April {d}, 2021.\n",
                encoding="utf-8")


def filing(store: Store) -> dict[str, str]:
    """Each story (by file name) and the title of the case it is filed in."""
    rows = store._rows("SELECT s.path, c.title FROM sources s JOIN cases c ON c.id = s.case_id")
    return {Path(r["path"]).name: r["title"] for r in rows}


def role(db: Path, name: str, *extra: str) -> subprocess.Popen[str]:
    user = f"stress-{name}"
    env = {**os.environ, "USER": user, "LOGNAME": user, "LNAME": user, "USERNAME": user}
    return subprocess.Popen([sys.executable, "-m", "tests.workers.stress", name, str(db), *extra], cwd=ROOT,
                            env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_six_processes_on_one_file(tmp_path: Path) -> None:
    folder = tmp_path / "stories"
    corpus(folder)
    sequential = Store(tmp_path / "sequential.db")
    import_paths(sequential, [folder])
    expected = filing(sequential)
    sequential.close()

    db = tmp_path / "shared.db"
    Store(db).close()
    procs = {name: role(db, name, *extra) for name, extra in
             [("import", (str(folder),)), ("add", ()), ("tag", ()), ("merge", ()), ("undo", ())]}
    procs["import2"] = role(db, "import", str(folder))
    backups = []
    store = Store(db)
    deadline = time.monotonic() + 150
    try:
        while any(p.poll() is None for p in procs.values()) and time.monotonic() < deadline:
            copy = tmp_path / f"backup{len(backups)}.db"
            store.backup(copy)
            backups.append(copy)
            assert store.check() == []
            time.sleep(0.3)
        done = {}
        for name, proc in procs.items():
            out, err = proc.communicate(timeout=max(1, deadline - time.monotonic()))
            assert proc.returncode == 0, (name, err)
            assert "locked" not in err and "UNIQUE" not in err, (name, err)
            done[name] = json.loads(out.strip().splitlines()[-1])

        imported = done["import"]["imported"] + done["import2"]["imported"]
        assert sorted(Path(p).name for p in imported) == sorted(expected)
        assert not done["import"]["failed"] and not done["import2"]["failed"]
        assert filing(store) == expected  # as one import after another files them
        events = {e.id: e for e in store.all_events()}
        assert all(i in events for i in done["add"]["added"])
        assert all(i in events and {"stress", f"t{n % 3}"} <= set(events[i].tags)
                   for n, i in enumerate(done["tag"]["tagged"]))
        for item in done["merge"]["merged"]:
            assert events[item["event"]].case_id == item["into"]
        titles = {e.title for e in events.values()}
        assert set(done["undo"]["undone"]) == {f"undo me {i}" for i in range(10, 20)}  # its own, newest first
        assert set(done["undo"]["kept"]) <= titles and not set(done["undo"]["undone"]) & titles
        assert store.check() == []
    finally:
        store.close()
    assert backups
    for copy in backups[-2:]:
        other = Store(copy)
        try:
            assert other.check() == []
        finally:
            other.close()
