"""A document past the reading bound: the whole text is stored and searchable, its
dates and events are read from the part within the bound, and the import says so."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

from tracker import analysis
from tracker.importer import import_paths
from tracker.store import Store
from tracker.widgets.import_panel import summary_text

_DATED = "The court ruled on March {d}, 2021 that Acme could sell its radios. "
_PLAIN = "Lawyers for both sides argued about the record in great detail. "


def test_readable_cuts_at_a_sentence_end_within_the_bound(monkeypatch) -> None:
    monkeypatch.setattr(analysis, "READ_LIMIT", 100)
    text = _PLAIN * 5
    part = analysis.readable(text)
    assert len(part) <= 100 and part.endswith(". ") is False and part.endswith(".")
    assert text.startswith(part)
    assert analysis.readable("short text.") == "short text."


def test_a_long_document_is_stored_whole_and_read_up_to_the_bound(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(analysis, "READ_LIMIT", 2_000)
    head = "".join(_DATED.format(d=d) + _PLAIN for d in range(1, 9))  # about 1,000 characters
    tail = "".join(_DATED.format(d=d) + _PLAIN for d in range(10, 28)) + "Zanzibar remains unread. "
    story = tmp_path / "long.txt"
    story.write_text(head + _PLAIN * 20 + tail)
    store = Store(str(tmp_path / "t.db"))
    report = import_paths(store, [story], case_title="Acme v. Borealis", today=date(2026, 1, 1), jobs=1)
    assert report.imported == [str(story)]
    case = store.find_case("Acme v. Borealis")
    days = {e.date for e in store.list_events(case.id)}
    assert days == {f"2021-03-{d:02d}" for d in range(1, 9)}
    assert len(report.notes) == 1 and "read for dates and events up to character" in report.notes[0][1]
    assert any(hit.kind == "source" for hit in store.search("Zanzibar"))  # the unread part is stored and searchable
    assert "long.txt: read for dates" in summary_text(report).plain


def test_the_cli_says_where_reading_stopped(tmp_path: Path) -> None:
    story = tmp_path / "huge.txt"
    story.write_text(_PLAIN * (analysis.READ_LIMIT // len(_PLAIN) + 200))
    done = subprocess.run([sys.executable, "-m", "tracker", "import", str(story), "--db", str(tmp_path / "t.db"),
                           "--case", "Big"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "note:" in done.stderr and "the whole text is stored and searchable" in done.stderr
