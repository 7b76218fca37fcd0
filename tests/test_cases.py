"""Filing stories into cases, case facts, and the views over cases, on texts written here."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tracker import cases
from tracker.facts import extract_facts
from tracker.importer import UNFILED, import_paths
from tracker.store import Store

ACME_1 = ("Acme Robotics sues Borealis Grid over turbine patents\n\nPublished: March 2, 2023\n\n"
          "Acme Robotics Inc. sued Borealis Grid in federal court in Delaware on Monday, saying Borealis copied "
          "its turbine controller. U.S. District Judge Maria Okafor will hear the case, No. 1:23-cv-00412. "
          "A hearing is set for April 14, 2023.\n")
ACME_2 = ("Judge keeps Acme's patent case against Borealis alive\n\nPublished: May 9, 2023\n\n"
          "Judge Maria Okafor on Monday refused to dismiss Acme Robotics' lawsuit against Borealis Grid over "
          "turbine controllers. Borealis had argued in March that the patents were invalid.\n")
OTHER = ("Harbor Foods settles with Delta Freight\n\nPublished: June 1, 2023\n\nHarbor Foods and Delta Freight "
         "settled their dispute over spoiled shipments on May 30, 2023, ending a lawsuit before Judge Tom Reyes.\n")
VAGUE = "An update\n\nThe company said on Tuesday it would keep going.\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in {"a1.txt": ACME_1, "a2.txt": ACME_2, "other.txt": OTHER, "vague.txt": VAGUE}.items():
        (docs / name).write_text(text, encoding="utf-8")
    return docs


def test_facts_are_read_with_their_passages() -> None:
    facts = {(f.field, f.value) for f in extract_facts("", ACME_1)}
    assert ("parties", "Acme Robotics v. Borealis Grid") in facts
    assert ("docket", "1:23-cv-00412") in facts
    assert ("judge", "Judge Maria Okafor") in facts
    assert ("court", "federal court in Delaware") in facts
    assert ("status", "settled") in {(f.field, f.value) for f in extract_facts("", OTHER)}
    for fact in extract_facts("", ACME_1):
        assert ACME_1[fact.start:fact.end]


def test_a_story_before_another_judge_is_not_filed_by_shared_names_alone() -> None:
    known = cases.profile("Acme v. Borealis", ACME_1)
    other_judge = cases.profile("Acme in court", ACME_2.replace("Maria Okafor", "Peter Lind"))
    same_judge = cases.profile("Acme in court", ACME_2)
    assert cases.similarity(same_judge, known)[0] > cases.similarity(other_judge, known)[0]


def test_import_files_by_parties_titles_by_caption_and_leaves_vague_stories_unfiled(folder: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    import_paths(store, [folder], today=date(2026, 1, 1))
    filed = {c.title: sorted(Path(s.path).name for s in store.case_sources(c.id)) for c in store.list_cases()}
    assert filed == {
        "Acme Robotics v. Borealis Grid": ["a1.txt", "a2.txt"],
        "Harbor Foods / Delta Freight": ["other.txt"],
        UNFILED: ["vague.txt"],
    }
    acme = store.find_case("Acme Robotics v. Borealis Grid")
    reasons = [store.source_filing(s.id)[1] for s in store.case_sources(acme.id)]
    assert any(r and r.startswith("shares") and "Borealis" in r for r in reasons)
    (vague,) = store.case_sources(store.find_case(UNFILED).id)
    assert store.source_filing(vague.id)[1] == "names no party prominently enough to start a case"


def test_case_commands(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    assert run_cli(db, "import", str(folder)).returncode == 0
    shown = json.loads(run_cli(db, "case", "show", "Acme Robotics v. Borealis Grid", "--json").stdout)
    assert {"docket", "judge", "parties"} <= {f["field"] for f in shown["facts"]}
    assert all(s["filed_because"] for s in shown["sources"])
    assert run_cli(db, "case", "set", "Acme Robotics v. Borealis Grid", "status", "open").returncode == 0
    assert run_cli(db, "case", "set", "Acme Robotics v. Borealis Grid", "status", "won").returncode != 0
    shown = json.loads(run_cli(db, "case", "show", "Acme Robotics v. Borealis Grid", "--json").stdout)
    assert shown["facts"][0] == {"field": "status", "value": "open", "origin": "manual", "source_id": None,
                                 "passage": None}
    agenda = json.loads(run_cli(db, "agenda", "--from", "2023-04-01", "--days", "30", "--json").stdout)
    assert [(a["date"], a["case"]) for a in agenda] == [("2023-04-14", "Acme Robotics v. Borealis Grid")]
    known = json.loads(run_cli(db, "asof", "Acme Robotics v. Borealis Grid", "2023-03-31", "--json").stdout)
    assert known and all(k["first_reported"] <= "2023-03-31" for k in known)
    assert any(k["date"] == "2023-02-27" and k["lag_days"] == 3 for k in known)


def test_move_merge_split(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    assert run_cli(db, "import", str(folder)).returncode == 0
    store = Store(db)
    unfiled = store.find_case(UNFILED)
    (vague,) = store.case_sources(unfiled.id)
    store.close()
    assert run_cli(db, "case", "move-source", str(vague.id), "Harbor Foods / Delta Freight").returncode == 0
    assert run_cli(db, "case", "merge", "Harbor Foods / Delta Freight", "Acme Robotics v. Borealis Grid").returncode == 0
    store = Store(db)
    merged = store.find_case("Acme Robotics v. Borealis Grid")
    assert len(store.case_sources(merged.id)) == 4
    other = next(s for s in store.case_sources(merged.id) if s.path.endswith("other.txt"))
    store.close()
    result = run_cli(db, "case", "split", "Acme Robotics v. Borealis Grid", str(other.id), "--title", "Harbor v. Delta")
    assert result.returncode == 0, result.stderr
    store = Store(db)
    split = store.find_case("Harbor v. Delta")
    assert [Path(s.path).name for s in store.case_sources(split.id)] == ["other.txt"]
    assert all(e.case_id == split.id for e in store.list_events(split.id))
    assert store.check() == []


def test_agenda_exports_valid_icalendar(folder: Path, tmp_path: Path) -> None:
    import icalendar

    db = tmp_path / "ics.db"
    assert run_cli(db, "import", str(folder)).returncode == 0
    out = tmp_path / "agenda.ics"
    result = run_cli(db, "agenda", "--from", "2023-04-01", "--days", "30", "--ics", str(out))
    assert result.returncode == 0, result.stderr
    raw = out.read_bytes()
    assert raw.endswith(b"\r\n") and all(len(line) <= 75 for line in raw.split(b"\r\n"))
    cal = icalendar.Calendar.from_ical(raw)
    (event,) = [c for c in cal.walk("VEVENT")]
    assert str(event["DTSTART"].dt) == "2023-04-14" and str(event["DTEND"].dt) == "2023-04-15"
    assert "hearing is set for April 14" in str(event["DESCRIPTION"])


def test_the_shared_names_and_score_do_not_depend_on_string_hashing() -> None:
    """A filing reason lists the shared names strongest first; names of equal weight
    come in name order, and the score sums them in that order, whatever the process's
    hash seed (which orders sets of strings)."""
    import subprocess
    import sys

    program = (
        "from tracker.cases import Profile, similarity\n"
        "names = {f'party{i}': 1.0 + (i % 3) * 0.1 for i in range(40)}\n"
        "doc = Profile(names, frozenset(), {})\n"
        "case = Profile({k: v * 1.0000001 for k, v in names.items()}, frozenset(), {})\n"
        "score, shared = similarity(doc, case)\n"
        "print(repr(score), shared)\n"
    )
    outputs = {
        subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(outputs) == 1, outputs
