"""The temporal tagger on short texts written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.sentences import sentence_spans
from tracker.timex import Anchor, candidates, find_timexes

DCT = Anchor.day(date(2023, 7, 11))  # a Tuesday


def values(text: str, anchor: Anchor | None = DCT) -> list[tuple[str, str | None]]:
    """Event-capable expressions only: loose ones ("now", "currently") are dates of the telling."""
    return [(t.text, t.value) for t in find_timexes(text, anchor, sentence_spans(text)) if not t.loose]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The suit was filed on March 12, 2021.", [("March 12, 2021", "2021-03-12")]),
        ("It was filed on 12 March 2021 in London.", [("12 March 2021", "2021-03-12")]),
        ("The order came on 2021-03-12.", [("2021-03-12", "2021-03-12")]),
        ("Filed 3/25/2021 in court.", [("3/25/2021", "2021-03-25")]),
        ("The deal closed in March 2021.", [("March 2021", "2021-03")]),
        ("The ruling came last Friday.", [("last Friday", "2023-07-07")]),
        ("The judge ruled on Monday.", [("Monday", "2023-07-10")]),
        ("The company said yesterday it would appeal.", [("yesterday", "2023-07-10")]),
        ("A hearing was held earlier this month.", [("earlier this month", "2023-07")]),
        ("The agency sued late last year.", [("late last year", "2022")]),
        ("It sued on Dec. 8 last year.", [("Dec. 8 last year", "2022-12-08")]),
        ("Sales fell in the third quarter of last year.", [("the third quarter of last year", "2022-Q3")]),
        ("The ban was announced on January 14 this year.", [("January 14 this year", "2023-01-14")]),
        ("The court ruled in March of this year.", [("March of this year", "2023-03")]),
        ("A trial is set to begin Aug. 2.", [("Aug. 2", "2023-08-02")]),
        ("The order stays in place until Friday, when it will expire.", [("Friday", "2023-07-14")]),
        ("Results are due next week.", [("next week", "2023-W29")]),
    ],
)
def test_expressions_resolve_against_the_publication_date(text: str, expected: list[tuple[str, str]]) -> None:
    assert values(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "We may appeal, and the protesters march on.",
        "The second lawsuit names 100M users under Section 230.",
        "Over the years, we have offered amazing products.",
        "Executive Order 13959 restricts investment; the fee was $2021.",
        "The case is No. 2020 and it is now pending.",
        "The Securities Act of 1933 applies.",
        "A 10-week trial lasted for three years.",
    ],
)
def test_noise_words_are_not_dates(text: str) -> None:
    assert values(text) == []


def test_without_anchor_relative_dates_have_no_value() -> None:
    found = find_timexes("The ruling came last Friday, on March 12.", None)
    assert [(t.text, t.value) for t in found] == [("last Friday", None), ("March 12", None)]


def test_uncertain_anchor_coarsens_instead_of_guessing() -> None:
    week_after = Anchor(date(2021, 3, 13), date(2021, 3, 19))
    found = find_timexes("It stopped the ban last Friday; it takes effect next week.", week_after)
    assert [(t.text, t.value, t.granularity) for t in found] == [
        ("last Friday", "2021-03-12", "day"),
        ("next week", "2021-03", "month"),
    ]


def test_month_of_that_year_takes_the_year_from_before() -> None:
    text = "The suit was filed on Oct. 20, 2020. States sued in December of that year."
    assert values(text) == [("Oct. 20, 2020", "2020-10-20"), ("December of that year", "2020-12")]


def test_weekday_pair_keeps_its_date() -> None:
    assert values("A filing on Tuesday (May 11) said so.", Anchor.day(date(2021, 5, 11))) == [
        ("Tuesday (May 11)", "2021-05-11")
    ]


def test_offsets_point_at_the_phrase() -> None:
    text = "Judges ruled on June 3, 2022, and again later."
    (timex,) = find_timexes(text, DCT)
    assert text[timex.start:timex.end] == "June 3, 2022"


def test_references_to_the_present_and_past_are_loose_timex3_refs() -> None:
    found = find_timexes("Now the firm is currently in court; in the past it won.", DCT)
    assert [(t.text, t.timex3, t.loose) for t in found] == [
        ("Now", "PRESENT_REF", True), ("currently", "PRESENT_REF", True), ("the past", "PAST_REF", True)]


def test_seasons_centuries_ranges_and_times() -> None:
    found = find_timexes("Last summer, in the 20th century style, over 2009-2010 and 1957-58, on Friday night.", DCT)
    assert [(t.text, t.timex3, t.kind) for t in found] == [
        ("Last summer", "2022-SU", "DATE"), ("the 20th century", "19", "DATE"), ("2009", "2009", "DATE"),
        ("2010", "2010", "DATE"), ("1957", "1957", "DATE"), ("58", "1958", "DATE"),
        ("Friday night", "2023-07-07", "TIME")]


def test_bare_years_are_tagged_but_too_weak_for_events() -> None:
    (timex,) = find_timexes("He ran a 2010 campaign.", DCT)
    assert (timex.text, timex.value) == ("2010", "2010") and timex.confidence < 0.5


def test_phrases_that_count_from_the_date_told_before() -> None:
    from datetime import date as _date

    from tracker.timex import Anchor as _Anchor, find_timexes as _find

    text = ("The bank was sued on March 26, 2021. In November of that year it sued again. "
            "It filed in December 2020, and a year later the regulator acted. The agency moved that August. "
            "The firm closed early the following year. She ruled on Sept. 6, 2022, and gave reasons six days later. "
            "A motion was filed the day before. The same day, shares fell.")
    found = {t.text: (t.value, t.granularity) for t in _find(text, _Anchor.day(_date(2023, 6, 17)))}
    assert found["November of that year"] == ("2021-11", "month")
    assert found["a year later"] == ("2021-12", "month")
    assert found["that August"] == ("2021-08", "month")
    assert found["early the following year"] == ("2022", "year")
    assert found["six days later"] == ("2022-09-12", "day")
    assert found["the day before"] == ("2022-09-11", "day")
    assert found["The same day"] == ("2022-09-11", "day")


def test_phrases_the_tagger_used_to_miss() -> None:
    from datetime import date as _date

    from tracker.timex import Anchor as _Anchor, find_timexes as _find

    text = ("An October executive order barred the firm. In his August ruling, the judge agreed. "
            "A 2019 statute applies. The 2021 ban ended. Judge Upholds 2023 Rule. "
            "The lenders met last weekend. It happened March 3rd of 2022. Section 2019 applies.")
    found = {t.text: (t.value, t.granularity) for t in _find(text, _Anchor.day(_date(2024, 11, 20)))}
    assert found["October"] == ("2024-10", "month")
    assert found["August"] == ("2024-08", "month")
    assert found["last weekend"] == ("2024-11", "month")
    assert found["March 3rd of 2022"] == ("2022-03-03", "day")
    years = [t for t in _find(text, _Anchor.day(_date(2024, 11, 20))) if t.granularity == "year"]
    assert [(t.text, t.confidence >= 0.5) for t in years] == [("2019", True), ("2021", True), ("2023", True)]


def test_a_footnote_mark_does_not_glue_sentences() -> None:
    from tracker.sentences import sentence_spans

    text = "The court ruled for the bank.[3] In October the agency appealed."
    assert [text[a:b] for a, b in sentence_spans(text)] == ["The court ruled for the bank.[3]",
                                                             "In October the agency appealed."]


@pytest.mark.parametrize("text, sentences", [
    ("He had changed his mind (slip op. at 12). The order came later.",
     ["He had changed his mind (slip op. at 12).", "The order came later."]),
    ("The case, C.A. No. N21C-03-257 (Del. Super. Ct.), drew notice. It was filed in 2021.",
     ["The case, C.A. No. N21C-03-257 (Del. Super. Ct.), drew notice.", "It was filed in 2021."]),
    ("See ECF No. 1508 at 3. The judge ruled under 15 U.S.C. § 2 on Monday.",
     ["See ECF No. 1508 at 3.", "The judge ruled under 15 U.S.C. § 2 on Monday."]),
    ("The court cited 598 F.4th 1234 (9th Cir. 2024). It ruled for Acme Inc. on Friday.",
     ["The court cited 598 F.4th 1234 (9th Cir. 2024).", "It ruled for Acme Inc. on Friday."]),
    ("Shenzhen Acme Co. Ltd. sued on Monday. The firm appealed.",
     ["Shenzhen Acme Co. Ltd. sued on Monday.", "The firm appealed."]),
])
def test_sentence_splitting_survives_legal_text(text: str, sentences: list[str]) -> None:
    from tracker.sentences import sentence_spans

    assert [text[a:b] for a, b in sentence_spans(text)] == sentences


def test_more_phrases_that_count_from_before_and_dates_before_a_colon() -> None:
    from datetime import date as _date

    from tracker.timex import Anchor as _Anchor, find_timexes as _find

    text = ("The bank appealed on April 14, and the agency answered the following week. The bank sued in June "
            "2023. It answered that summer. The judge certified two questions on April 4: whether the rule "
            "applies. He gave the bank until the end of October to reply.")
    found = {t.text: (t.value, t.granularity) for t in _find(text, _Anchor.day(_date(2025, 6, 17)))}
    assert found["the following week"] == ("2025-04", "month")
    assert found["that summer"] == ("2023", "year")
    assert found["April 4"] == ("2025-04-04", "day")
    assert found["the end of October"] == ("2025-10", "month")
    assert "4:30" not in {t.text for t in _find("It starts at 4:30 p.m.", _Anchor.day(_date(2025, 6, 17)))}


@pytest.mark.parametrize("text", ["Shares fell last ſpring.", "It ended laſt week.", "The ruling came İn ſeptember 2021.",
                                  "Hearings resume next ſummer.", "The judge ruled on the ſame day."])
def test_letters_a_case_blind_pattern_takes_for_ascii_ones_do_not_break_the_tagger(text: str) -> None:
    """A matched word is looked up in the rules' tables folded as the pattern read it
    ("ſ" as s, "İ" as i), never failing the document."""
    assert candidates(text)
    assert find_timexes(text, Anchor(date(2026, 1, 1), date(2026, 1, 1))) is not None
