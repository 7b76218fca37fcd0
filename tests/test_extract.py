"""Sentences, titles and proposed events from short texts."""

from __future__ import annotations

from datetime import date

from tracker.extract import propose_events
from tracker.sentences import sentence_spans
from tracker.timex import Anchor


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def test_sentences_survive_abbreviations() -> None:
    text = ("U.S. District Judge Jane Roe ruled on Jan. 5 that Acme Corp. must pay. "
            "Mr. Smith said the U.S. would appeal. \"It is wrong.\" The court (in D.C.) agreed.")
    assert sentences(text) == [
        "U.S. District Judge Jane Roe ruled on Jan. 5 that Acme Corp. must pay.",
        "Mr. Smith said the U.S. would appeal.",
        "\"It is wrong.\"",
        "The court (in D.C.) agreed.",
    ]


def test_paragraphs_end_sentences() -> None:
    assert sentences("A headline without a stop\n\nThe body starts here.") == [
        "A headline without a stop",
        "The body starts here.",
    ]


def test_each_dated_clause_becomes_a_suggested_event_with_its_sentence() -> None:
    text = "Filing\n\nThe agency filed its complaint on Dec. 8 last year. The company said it would appeal."
    (event,) = propose_events(text, Anchor.day(date(2023, 7, 11)))
    assert event.value == "2022-12-08"
    assert text[event.start:event.end] == "The agency filed its complaint on Dec. 8 last year."
    assert text[event.phrase_start:event.phrase_end] == "Dec. 8 last year"
    assert event.title == "Agency files its complaint"
    assert event.kind == "occurred"


def test_scheduled_events_are_marked() -> None:
    text = "The trial is set to begin Aug. 2, the court said."
    (event,) = propose_events(text, Anchor.day(date(2023, 7, 11)))
    assert (event.value, event.kind) == ("2023-08-02", "scheduled")


def test_publication_lines_and_loose_today_are_not_events() -> None:
    text = "Published: March 3, 2022\n\nThe firm is today a leader. It now says little."
    assert propose_events(text, Anchor.day(date(2022, 3, 3)), skip=(0, 24)) == []


def test_unknown_year_is_flagged_not_guessed() -> None:
    (event,) = propose_events("The judge ruled on March 12 for the company.", None)
    assert event.value is None
    assert event.date_text == "March 12"


def test_deadlines_and_effective_dates_are_scheduled() -> None:
    text = ("The agency must answer the complaint within 60 days. The ban takes effect next week. "
            "A hearing is set for June 3.")
    found = [(e.date_text, e.value, e.kind) for e in propose_events(text, Anchor.day(date(2023, 5, 1)))]
    assert found == [("within 60 days", "2023-06-30", "scheduled"), ("next week", "2023-W19", "scheduled"),
                     ("June 3", "2023-06-03", "scheduled")]
