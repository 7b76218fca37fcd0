"""Page furniture: bylines, date lines, update stamps, timestamps, footers and captions
are read for the publication date, never as events, never as the title."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.extract import propose_events
from tracker.furniture import classify_line
from tracker.ingest import document_from_text, guess_title
from tracker.published import infer_published, page_spans
from tracker.timex import Anchor

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize("line, kind, day", [
    ("Aug. 14, 2022", "date-line", date(2022, 8, 14)),
    ("11/03/2021", "date-line", date(2021, 11, 3)),
    ("By Ann Brook | March 4, 2022", "byline", date(2022, 3, 4)),
    ("Ann Brook · 9 June 2023", "byline", date(2023, 6, 9)),
    ("Author: Ann Brook, 2021-05-30", "byline", date(2021, 5, 30)),
    ("By Ann Brook, Harbor Post", "byline", None),
    ("Updated on 02-09-2022 | 10:05 EST", "updated", date(2022, 2, 9)),
    ("Last updated 3 Feb 2021, 11:20 GMT", "updated", date(2021, 2, 3)),
    ("09/12/2022 | 08:15am EDT", "timestamp", date(2022, 9, 12)),
    ("13:05 ET (17:05 GMT)", "timestamp", None),
    ("Oct 3, 2022, 06:30 AM ET | By Ann Brook", "byline", date(2022, 10, 3)),
    ("Harbor Post | Feb. 2, 2021", "byline", date(2021, 2, 2)),
    ("(Reporting by Ann Brook; Editing by Carl Dunn)", "footer", None),
    ("Write to Ann Brook at ann.brook@example.org", "footer", None),
    ("Related: Regulator appeals ruling on May 2, 2022", "related", None),
    ("FILE PHOTO: A shop sign is seen in Leeds on June 3, 2019.", "caption", None),
])
def test_furniture_lines(line: str, kind: str, day: date | None) -> None:
    assert classify_line(line) == (kind, day)


@pytest.mark.parametrize("line", [
    "Regulator Upholds 2023 Rule on Lending",
    "Judge halts ban on drone sales",
    "The court ruled on March 4, 2022, that the ban was void.",
    "Ross has 21 days to respond once the complaint is served.",
])
def test_headlines_and_sentences_are_not_furniture(line: str) -> None:
    assert classify_line(line) is None


def test_publication_date_from_a_byline_and_the_byline_is_no_event() -> None:
    text = ("Lender loses appeal\n\nBy Ann Brook | March 4, 2022\n\nAn appeals court on Thursday upheld a fine "
            "against Northway Bank.\n\nFILE PHOTO: A Northway branch in Leeds on June 3, 2019.\n\n"
            "(Reporting by Ann Brook; Editing by Carl Dunn)")
    guess = infer_published(text, TODAY)
    assert (guess.value, guess.basis) == ("2022-03-04", "byline")
    events = propose_events(text, guess.anchor, page_spans(text))
    assert [e.value for e in events] == ["2022-03-03"]


def test_an_update_stamp_dates_the_page_when_nothing_else_does() -> None:
    text = "Lender loses appeal\n\nUpdated on 02-09-2022 | 10:05 EST\n\nThe bank said on Monday it would pay."
    guess = infer_published(text, TODAY)
    assert (guess.value, guess.basis) == ("2022-02-09", "updated")


def test_a_dateline_is_no_event_even_when_the_user_gives_the_date() -> None:
    text = "Bank fined\n\nLEEDS, March 4 (Harbor Post) - A regulator fined Northway Bank on Friday."
    events = propose_events(text, Anchor.day(date(2022, 3, 4)), page_spans(text))
    assert [e.value for e in events] == ["2022-03-04"]
    assert events[0].date_text == "Friday"


@pytest.mark.parametrize("text, title", [
    ("By Ann Brook | March 4, 2022\n\nLender loses appeal over fine\n\nThe court ruled.", "Lender loses appeal over fine"),
    ("09/12/2022 | 08:15am EDT\n\nRegulator Upholds 2023 Rule\n\nText.", "Regulator Upholds 2023 Rule"),
    ("By Ann Brook, Harbor Post\n\nAn appeals court on Thursday upheld a fine against Northway Bank, the "
     "lender's second loss this year, and sent the case back.\n\nMore text.",
     "An appeals court on Thursday upheld a fine against Northway Bank"),
    ("LEEDS, March 4 (Harbor Post) - A regulator fined Northway Bank on Friday for failing to stop fraud "
     "on its accounts.\n\nMore.", "A regulator fined Northway Bank on Friday for failing to stop fraud on its accounts"),
    ("Analysis: what the ruling means for lenders\n\nBody.", "Analysis: what the ruling means for lenders"),
])
def test_titles_are_never_furniture_and_come_from_the_lead_without_a_headline(text: str, title: str) -> None:
    assert guess_title(text, "fallback") == title
    assert document_from_text(text, "x.txt", "x").title == title
