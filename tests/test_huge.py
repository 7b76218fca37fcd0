"""Huge single documents cost what their bytes do: a one-line file four times the size
takes about four times as long to import (CPU time, so a loaded machine does not
decide), and its overlong runs are cut into bounded sentences."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from benchmarks.huge import one_line_file
from tracker.importer import import_paths
from tracker.sentences import MAX_SENTENCE, sentence_spans
from tracker.store import Store

SMALL_MB, LARGE_MB = 0.125, 0.5


def _import_seconds(path: Path, db: Path, case: str | None) -> tuple[float, int]:
    store = Store(db)
    begin = time.process_time()
    report = import_paths(store, [path], case_title=case, today=date(2026, 1, 1))
    seconds = time.process_time() - begin
    assert report.failed == [] and len(report.imported) == 1
    return seconds, report.events


def test_a_one_line_file_imports_in_time_that_grows_with_its_size(tmp_path: Path) -> None:
    small = one_line_file(tmp_path / "small.txt", SMALL_MB)
    large = one_line_file(tmp_path / "large.txt", LARGE_MB)
    assert b"\n" not in large.read_bytes()
    small_seconds, small_events = _import_seconds(small, tmp_path / "small.db", "Big")
    large_seconds, large_events = _import_seconds(large, tmp_path / "large.db", None)
    assert large_events > 3 * small_events
    ratio = LARGE_MB / SMALL_MB
    print(f"{SMALL_MB} MB {small_seconds:.2f} s, {LARGE_MB} MB {large_seconds:.2f} s")
    assert large_seconds < 1.5 * ratio * max(small_seconds, 0.2), (small_seconds, large_seconds)


def test_a_page_without_stops_is_read_in_bounded_sentences() -> None:
    text = "Acme sued Borealis on March 3, 2021, " + "and the parties argued, " * 20_000 + "and then they settled"
    spans = sentence_spans(text)
    assert len(spans) > 100 and max(end - start for start, end in spans) <= MAX_SENTENCE
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
