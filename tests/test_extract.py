"""Sentences, titles and proposed events from short texts."""

from __future__ import annotations

from datetime import date

import pytest

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
    assert found == [("next week", "2023-05", "scheduled"), ("June 3", "2023-06-03", "scheduled")]  # "within 60
    # days" is an end date a duration implies, not one the story states


def test_a_week_is_its_month_when_it_lies_in_one_month_else_no_date() -> None:
    inside = propose_events("The bank filed its appeal last week.", Anchor.day(date(2023, 5, 17)))
    assert [(e.value, e.granularity) for e in inside] == [("2023-05", "month")]
    across = propose_events("The bank filed its appeal last week.", Anchor.day(date(2023, 6, 7)))
    assert across == []


def test_a_quarter_dates_an_event_to_its_year() -> None:
    (event,) = propose_events("The firm released the tool in the third quarter of last year.",
                              Anchor.day(date(2023, 2, 6)))
    assert (event.value, event.granularity) == ("2022", "year")


@pytest.mark.parametrize("sentence", [
    "The story was first reported on Monday by a legal news site.",
    "The bank declined to comment on Tuesday.",
    "Northway, founded in 2006, makes drones.",
    "See our update of June 2, 2022 for the ruling.",
    "(Read our earlier story from May 3.)",
])
def test_news_about_the_news_and_foundings_are_not_events(sentence: str) -> None:
    assert propose_events(sentence, Anchor.day(date(2023, 5, 17))) == []


@pytest.mark.parametrize("sentence, value, kind", [
    ("The judge gave the bank until Oct. 14 to file a statement.", "2024-10-14", "scheduled"),
    ("The bank now has until Jan. 17 to appeal.", "2025-01-17", "scheduled"),
    ("She had directed the bank to produce the logs by Friday.", "2024-10-04", "scheduled"),
    ("He ordered both sides to file a report before Nov. 5.", "2024-11-05", "scheduled"),
    ("In a June 3 ruling, the judge found the rule would harm lenders.", "2024-06-03", "occurred"),
    ("For a few hours on Thursday, anyone could trade contracts on which party would win.", "2024-10-03", "occurred"),
])
def test_tense_decides_yearless_dates(sentence: str, value: str, kind: str) -> None:
    (event,) = propose_events(sentence, Anchor.day(date(2024, 10, 4)))
    assert (event.value, event.kind) == (value, kind)


@pytest.mark.parametrize("sentence", [
    "The lender's network business brought in billions of dollars in revenue last year.",
    "Its sales fell in the third quarter of last year.",
    "Roe has been chief judge of the court since 2023.",
    "The bank had asked to be ready for trial by May 2026.",
])
def test_reporting_periods_states_and_requests_are_not_events(sentence: str) -> None:
    assert propose_events(sentence, Anchor.day(date(2025, 5, 30))) == []


@pytest.mark.parametrize("sentence, value", [
    ("She told the parties to file a joint report by April 14.", "2025-04-14"),  # passed before the story
    ("She gave the bank until June 14 to file a report.", "2025-06-14"),  # still ahead
])
def test_a_deadline_set_in_the_past_takes_the_year_nearest_the_story(sentence: str, value: str) -> None:
    (event,) = propose_events(sentence, Anchor.day(date(2025, 5, 30)))
    assert event.value == value


def test_a_past_verb_before_the_date_beats_a_later_expected() -> None:
    (event,) = propose_events("The hearing opened at about 9:30 p.m. on Monday and is expected to last two weeks.",
                              Anchor.day(date(2025, 9, 23)))
    assert (event.value, event.kind) == ("2025-09-22", "occurred")


def test_weeks_later_give_the_month_when_the_stretch_lies_in_it() -> None:
    text = "The bank was sued on June 5, 2023. Less than two weeks later, a judge froze its assets."
    readings = [(e.date_text, e.value) for e in propose_events(text, Anchor.day(date(2023, 6, 30)))]
    assert readings == [("June 5, 2023", "2023-06-05"), ("two weeks later", "2023-06")]


def test_same_day_after_a_month_keeps_the_month_and_a_repeated_date_is_one_reading() -> None:
    text = "The firm sued in August 2020, on the same day the store removed its app."
    assert [e.value for e in propose_events(text, Anchor.day(date(2023, 12, 11)))] == ["2020-08", "2020-08"]
    text = "Between May 2022 and January 2024 it was listed twice, again in the January 2024 update."
    assert [e.value for e in propose_events(text, Anchor.day(date(2024, 10, 1)))] == ["2022-05", "2024-01"]


def test_speculation_is_not_a_schedule() -> None:
    assert propose_events("Any ruling could come in 2027, lawyers said.", Anchor.day(date(2025, 7, 8))) == []
    (event,) = propose_events("The trial is set to begin in 2027.", Anchor.day(date(2025, 7, 8)))
    assert (event.value, event.kind) == ("2027", "scheduled")


def test_a_requested_date_ahead_is_not_an_event_but_a_past_request_is() -> None:
    anchor = Anchor.day(date(2024, 2, 14))
    assert propose_events("The bank had asked for a trial in September.", anchor) == []
    (event,) = propose_events("The bank asked the judge to dismiss the case in December.", anchor)
    assert (event.value, event.kind) == ("2023-12", "occurred")


@pytest.mark.parametrize("sentence, kept", [
    ("The agency won a ruling in its search case against Northway in August 2024.", False),
    ("In the Harbor litigation, a judge found on April 30 that the bank broke an order.", False),
    ("The Federal Trade Commission's complaint against Acme Inc. was dismissed on Monday.", True),
    ("In the US case, Acme asked the court on 2 May to move the claims.", True),
    ("Borealis Grid sued on June 5, 2023, a day before it filed a similar case against Northway.", True),
    ("Borealis Grid sued Northway Bank in January, seeking $1 billion.", False),
    ("Borealis Grid sued Acme Inc. in January, seeking $1 billion.", True),
])
def test_a_clause_about_another_case_named_by_other_parties_is_not_an_event(sentence: str, kept: bool) -> None:
    events = propose_events(sentence, Anchor.day(date(2025, 5, 30)), case_title="FTC v. Acme")
    events += propose_events(sentence, Anchor.day(date(2025, 5, 30)), case_title="Borealis Grid v. Acme")
    assert bool(events) == kept
    assert propose_events(sentence, Anchor.day(date(2025, 5, 30)))  # without a case, nothing is judged


def test_a_relative_phrase_in_apposition_restates_the_date_before() -> None:
    text = "The agency filed the suit on Sept. 26, 2023, two years ago today."
    assert [e.value for e in propose_events(text, Anchor.day(date(2025, 9, 26)))] == ["2023-09-26"]


def test_the_case_a_person_named_or_the_dispute_the_story_states_judges_other_cases(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tracker.importer import import_paths
    from tracker.store import Store

    story = tmp_path / "a.txt"
    story.write_text("Acme sues Widgets over patents\n\nPublished: May 2, 2021\n\nToolmaker Acme sued Widgets on "
                     "May 1, 2021, saying Widgets copied its patents. Lawyers for Widgets denied that Acme was "
                     "harmed. Acme also sued Northway Bank in March 2021.", encoding="utf-8")
    named = Store(tmp_path / "named.db")
    import_paths(named, [story], case_title="Acme v. Widgets", today=date(2026, 1, 1))
    assert [e.date for e in named.list_events(named.list_cases()[0].id)] == ["2021-05-01"]
    guessed = Store(tmp_path / "guessed.db")
    import_paths(guessed, [story], today=date(2026, 1, 1))
    case = next(c for c in guessed.list_cases() if guessed.list_events(c.id))
    assert [e.date for e in guessed.list_events(case.id)] == ["2021-05-01"]  # the story says Acme sued Widgets
    untold = tmp_path / "b.txt"
    untold.write_text("Acme wins\n\nPublished: May 2, 2021\n\nA judge ruled for Acme on May 1, 2021. Acme "
                      "also sued Northway Bank in March 2021.", encoding="utf-8")
    other = Store(tmp_path / "untold.db")
    import_paths(other, [untold], today=date(2026, 1, 1))
    case = next(c for c in other.list_cases() if other.list_events(c.id))
    assert sorted(e.date for e in other.list_events(case.id)) == ["2021-03", "2021-05-01"]  # no parties known


ANCHOR = Anchor.day(date(2025, 5, 30))


@pytest.mark.parametrize("sentence", [
    "On March 3 a judge ruled against the bank in a separate case over its lending.",
    "Harbor filed a similar suit in April.",
    "Separately, the regulator opened an inquiry in April.",
    "In April, the agency separately sued the bank over its fees.",
    "The case is separate from the lending case, in which a judge ruled in April.",
    "The bank also faces a suit from another lender, which was filed in April.",
])
def test_a_clause_the_story_marks_as_another_case_is_not_an_event(sentence: str) -> None:
    assert propose_events(sentence, ANCHOR) == []
    assert propose_events(sentence, ANCHOR, case_title="Acme v. Borealis") == []


def test_a_separate_case_between_the_same_two_parties_is_their_dispute() -> None:
    sentence = "Acme started a separate case against Borealis in London in April."
    assert [e.value for e in propose_events(sentence, ANCHOR, case_title="Acme v. Borealis")] == ["2025-04"]
    other = "The suit was followed in April by a separate Acme action against Northway Bank."
    assert propose_events(other, ANCHOR, case_title="Acme v. Borealis") == []


@pytest.mark.parametrize("sentence, kept", [
    ("Harbor Bank sued Borealis in April, seeking $2 million.", False),  # another plaintiff
    ("Northway Corp. and Harbor Inc. won court orders against the rule in 2021.", False),
    ("Earlier this month, the agency and Northway asked the judge to pause that case.", False),
    ("The Ledger Group, a rival maker, agreed in April to pay $5 million to settle its claims.", False),
    ("Acme and three states sued Borealis in April.", True),
    ("A coalition of states led by Ohio, which filed its own complaint in April, joined the suit.", True),
    ("The company, joined by Ohio, filed the suit in April.", True),
    ("U.S. District Judge Jane Roe ruled for Acme in April.", True),  # a judge is no one's party
    ("The ruling follows Roe v. Harbor Bank, decided in 1964.", False),  # a precedent's caption
    ("The decision is Acme Corp. v. Borealis Inc., decided in April.", True),
])
def test_a_clause_whose_litigant_is_no_party_of_the_case_is_not_an_event(sentence: str, kept: bool) -> None:
    assert bool(propose_events(sentence, ANCHOR, case_title="Acme v. Borealis")) == kept


def test_the_story_names_for_the_parties_count_as_the_parties() -> None:
    text = "The New York Ledger is suing Borealis. The Ledger sued Borealis in December."
    assert [e.value for e in propose_events(text, ANCHOR, case_title="nyl-v-borealis")] == ["2024-12"]
    # The dispute the story states gives more names for the case's sides.
    assert propose_events("The Ledger sued Borealis in December.", ANCHOR, case_title="nyl-v-borealis") == []
    assert propose_events("The Ledger sued Borealis in December.", ANCHOR, case_title="nyl-v-borealis",
                          parties=["Ledger", "Borealis"])


def test_that_case_after_another_case_is_the_other_case() -> None:
    text = ("Acme's suit also touches the agency's case against Northway. A ruling in that case is expected in "
            "June. Acme sued Borealis in April.")
    assert [e.value for e in propose_events(text, ANCHOR, case_title="Acme v. Borealis")] == ["2025-04"]
    ours = "The fight over the deal is headed for trial. A judge refused to dismiss that case in April."
    assert [e.value for e in propose_events(ours, ANCHOR, case_title="Acme v. Borealis")] == ["2025-04"]


@pytest.mark.parametrize("sentence", [
    "Congress is weighing language in this year's defense bill that could affect the company.",
    "Those cases involved a 1999 defense law.",
    "A provision in the spending bill will bar the agency from buying the devices from June 2026.",
    "Under a provision adopted by lawmakers late last year, agencies will be barred from the contracts.",
    "Last week, the House Judiciary Committee advanced four bills aimed at large platforms.",
])
def test_lawmaking_told_as_background_is_not_an_event(sentence: str) -> None:
    assert propose_events(sentence, ANCHOR) == []


@pytest.mark.parametrize("sentence", [
    "Traders may keep the contracts through the November vote.",
    "The firm listed contracts tied to the November 2024 elections.",
    "Bettors have wagered millions on the presidential race this year.",
    "The change comes under Acting Chairman Jo Park, who took over in January.",
    "The chair will leave when the new president takes office on Jan. 20.",
    "The exchange must list every wallet it has controlled since Dec. 1, 2022.",
    "The firm must hand over the records within 45 days.",
    "The ruling is the second setback this year for the companies.",
    "The company, which sold its first phone in 2007, denies the claims.",
    "The token the exchange created in 2017 fell sharply.",
])
def test_dates_that_name_or_count_rather_than_date_a_happening_are_not_events(sentence: str) -> None:
    assert propose_events(sentence, ANCHOR) == []


def test_who_is_sued_beside_a_party_is_a_party() -> None:
    text = ("Acme sued Borealis and Harbor Inc. in March. Harbor Inc. asked the judge to dismiss the claims in April. "
            "Northway Corp. asked the judge to dismiss its own claims in May.")
    assert [e.value for e in propose_events(text, ANCHOR, case_title="Acme v. Borealis")] == ["2025-03", "2025-04"]


def test_lawmaking_that_names_a_party_of_the_case_is_kept() -> None:
    sentence = "Congress passed the law in April, forcing Borealis to sell its app."
    assert [e.value for e in propose_events(sentence, ANCHOR, case_title="Borealis v. Garland")] == ["2025-04"]
    assert propose_events(sentence, ANCHOR, case_title="Acme v. Northway") == []


def test_a_vote_that_is_no_election_keeps_its_date() -> None:
    (event,) = propose_events("Shareholders will hold a vote on Sept. 13 on the deal.", ANCHOR)
    assert event.value == "2025-09-13"


def test_separately_between_the_case_s_own_parties_is_kept() -> None:
    sentence = "Separately, Acme asked the judge in April to order Borealis to hand over its emails."
    assert [e.value for e in propose_events(sentence, ANCHOR, case_title="Acme v. Borealis")] == ["2025-04"]
    assert propose_events(sentence, ANCHOR, case_title="Acme v. Northway") == []
