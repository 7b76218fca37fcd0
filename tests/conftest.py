"""Fixtures for the app tests: a real SQLite database built through the Store."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.extract import ProposedEvent
from tracker.store import Store

MARKUP_TITLE = "[bold red]x[/bold red] [link=file:///etc]y[/link]"

SOURCE_TEXT = (
    "Acme Inc was sued on March 3, 2021 in the district court. "
    "The hearing was held in June 2021 before Judge Ray. "
    "[bold red]x[/bold red] [link=file:///etc]y[/link] happened on 2021-09-01."
)


def _proposal(text: str, sentence: str, phrase: str, value: str, granularity: str, title: str) -> ProposedEvent:
    start = text.index(sentence)
    phrase_start = text.index(phrase, start)
    return ProposedEvent(
        start=start,
        end=start + len(sentence),
        phrase_start=phrase_start,
        phrase_end=phrase_start + len(phrase),
        date_text=phrase,
        value=value,
        granularity=granularity,
        title=title,
    )


def build_db(path: Path) -> dict[str, int]:
    """Two cases; the first has a source with three suggested events (one with markup)."""
    store = Store(path)
    try:
        acme = store.ensure_case("Acme v. Widgets")
        store.ensure_case("Other matter")
        sentences = [s if s.endswith(".") else s + "." for s in SOURCE_TEXT.split(". ")]
        proposals = [
            _proposal(SOURCE_TEXT, sentences[0], "March 3, 2021", "2021-03-03", "day", "Acme Inc was sued"),
            _proposal(SOURCE_TEXT, sentences[1], "June 2021", "2021-06", "month", "The hearing was held"),
            _proposal(SOURCE_TEXT, sentences[2], "2021-09-01", "2021-09-01", "day", MARKUP_TITLE),
        ]
        store.add_source_with_events(
            case_id=acme,
            path="/docs/acme.txt",
            title="Court [i]news[/i] report",
            sha256="0" * 64,
            text=SOURCE_TEXT,
            published="2021-09-02",
            published_basis="metadata",
            proposals=proposals,
        )
        return {"acme": acme}
    finally:
        store.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "tracker.db"
    build_db(path)
    return path
