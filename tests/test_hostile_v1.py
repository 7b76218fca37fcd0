"""Hostile tracker.v1 documents: whatever a file holds, it is refused with a reason or
imported through the gate, and afterwards every export and every screen renders
(headless) without a crash or an escape sequence."""

from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.export import RENDERERS, Filters, select
from tracker.models import ImportReport
from tracker.store import Store
from tracker.structured import import_v1

NASTY = ["\x1b]0;pwned\x07", "\x1b]52;c;ZXZpbA==\x07", "\x1b[31m", "\u202e", "\x00", "\x9b", "[bold]", "<img onerror=x>",
         "\x1b]8;;http://x\x1b\\", "\r", "\n", "'", '"', "=cmd|' /C calc'!A0", "\t"]
words = st.lists(st.sampled_from(["Acme", "v.", "Borealis", "hearing", "ruled", *NASTY]), min_size=0, max_size=6).map(
    "".join)
dates = st.one_of(st.none(), st.sampled_from(["2021-03-12", "2021-W10", "2021-03", "2021-Q1", "2021", "0000",
                                              "9999-12-31", "0000-Q1", "2021-02-30", "9998-12-31", "0001-01-01",
                                              "2021-W53", "x"]), words)
grains = st.sampled_from(["day", "week", "month", "quarter", "year", "era", None])
hexes = st.sampled_from(["a" * 64, "b" * 64, "c" * 64, "A" * 64, "z"])
offsets = st.one_of(st.integers(min_value=-5, max_value=400), st.sampled_from([2**40, 10**7, True, None, "3"]))


@st.composite
def excerpts(draw: st.DrawFn) -> dict:
    start = draw(offsets)
    text = draw(words)
    end = start + len(text) if isinstance(start, int) and not isinstance(start, bool) and draw(st.booleans()) \
        else draw(offsets)
    return {"source_id": draw(st.sampled_from([1, 2, 99])), "start": start, "end": end, "text": text}


@st.composite
def documents(draw: st.DrawFn) -> dict:
    cases = []
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        sources = [{"id": n, "title": draw(words), "path": draw(words), "sha256": draw(hexes),
                    "published": draw(dates), "published_basis": draw(st.sampled_from(["dateline", None, "\x1b[2J"]))}
                   for n in (1, 2)[:draw(st.integers(min_value=0, max_value=2))]]
        events = []
        for n in range(draw(st.integers(min_value=0, max_value=4))):
            value = draw(dates)
            grain = draw(grains) if draw(st.booleans()) else None
            if grain is None and isinstance(value, str):
                from tracker import gate

                try:
                    grain = gate.granularity(value)
                except ValueError:
                    grain = "day"
            events.append({"id": n, "date": value, "granularity": grain, "date_text": draw(words),
                           "title": draw(words) or "Hearing", "status": draw(st.sampled_from(
                               ["suggested", "confirmed", "rejected", "bogus", None])),
                           "origin": "manual", "tags": draw(st.lists(words, max_size=3)),
                           "excerpts": draw(st.lists(excerpts(), max_size=2))})
        cases.append({"id": 1, "title": draw(words) or "Case", "sources": sources, "events": events})
    return {"format": "tracker.v1", "cases": cases}


def check_imported(store: Store, doc: dict) -> None:
    report = ImportReport()
    import_v1(store, "hostile.json", json.dumps(doc), report)
    assert report.imported or report.failed
    if report.failed:
        assert len(report.failed) == 1 and report.failed[0][1]
    assert store.check() == []
    cases = store.list_cases()
    for fmt, render in RENDERERS.items():
        out = render(select(store, cases, Filters()))
        if fmt != "json":
            assert "\x1b" not in out, fmt


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_hostile_v1_documents_are_refused_or_imported_cleanly(doc: dict) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "t.db")
        try:
            check_imported(store, doc)
            text = "\n".join(str(v) for t in ("cases", "sources", "events", "excerpts", "tags")
                             for r in store._rows(f"SELECT * FROM {t}") for v in r.values() if isinstance(v, str))
            assert "\x1b" not in text and "\x9b" not in text and "\x00" not in text
        finally:
            store.close()


async def _every_screen(db: Path) -> None:
    from tracker.app import make_app

    app = make_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for keys in (["tab"], ["enter"], ["tab"], ["f"], ["escape"], ["V"], ["escape"], ["A"], ["escape"],
                     ["E"], ["escape"], ["K"], ["escape"], ["o"], ["escape"], ["question_mark"], ["escape"],
                     ["slash", "a", "c", "m", "e"], ["escape"], ["s"], ["s"], ["T"], ["escape"], ["a"],
                     ["escape"], ["e"], ["escape"]):
            await pilot.press(*keys)
            await pilot.pause()


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_every_screen_renders_after_a_hostile_import(doc: dict) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "t.db"
        store = Store(db)
        try:
            check_imported(store, doc)
        finally:
            store.close()
        asyncio.run(_every_screen(db))
