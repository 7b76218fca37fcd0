"""Publication dates worked out from the text itself."""

from __future__ import annotations

from datetime import date

from tracker.published import infer_published

TODAY = date(2026, 11, 25)


def test_published_line_is_metadata() -> None:
    text = "Deal closes\n\nPublished: Oct. 13, 2023\n\nThe deal closed on Friday."
    guess = infer_published(text, TODAY)
    assert (guess.value, guess.basis) == ("2023-10-13", "metadata")


def test_dateline_with_full_date() -> None:
    text = "Headline here\n\nSAN FRANCISCO, 7 October 2024 - The judge ordered changes."
    guess = infer_published(text, TODAY)
    assert (guess.value, guess.basis) == ("2024-10-07", "dateline")


def test_dateline_without_year_takes_the_year_the_weekday_allows() -> None:
    text = "Judge rules\n\nBOSTON, Aug 5 (Some Wire) - A judge ruled on Monday that the rule was void. The suit began in 2023."
    guess = infer_published(text, TODAY)
    assert (guess.value, guess.basis) == ("2024-08-05", "dateline")


def test_weekday_pair_pins_the_latest_matching_year() -> None:
    text = "Agency backs down\n\nIn a filing on Tuesday (May 11), the agency agreed to drop the listing."
    guess = infer_published(text, TODAY)
    assert (guess.value, guess.basis) == ("2021-05-11", "weekday-anchor")


def test_weekday_reference_and_yearless_date_give_a_range() -> None:
    text = "Judge halts ban\n\nLast Friday, a judge halted the ban. The company said that on March 12 the court acted."
    guess = infer_published(text, TODAY)
    assert guess.basis == "weekday-anchor"
    assert guess.anchor is not None
    assert (guess.anchor.lo, guess.anchor.hi) == (date(2021, 3, 13), date(2021, 3, 19))
    assert guess.value == "2021-03"


def test_nothing_to_go_on_is_unknown() -> None:
    guess = infer_published("A headline\n\nThe company said it would appeal.", TODAY)
    assert (guess.value, guess.basis, guess.anchor) == (None, "unknown", None)


def test_html_meta_tag_is_metadata() -> None:
    text = '<html><head><meta property="article:published_time" content="2022-04-05T10:00:00Z"></head>'
    guess = infer_published(text, TODAY)
    assert (guess.value, guess.basis) == ("2022-04-05", "metadata")


def test_undated_story_is_dated_by_an_event_another_story_dated() -> None:
    from tracker.published import from_case_events

    known = [
        ("2022-03-08", "the judge ordered an expedited five-day trial over the warehouse contract"),
        ("2022-02-14", "Acme filed its complaint against Widgets"),
        ("2021-11-30", "the parties signed the supply agreement"),
    ]
    story = "Trial set\n\nA Delaware judge on Tuesday ordered a five-day expedited trial over the warehouse contract."
    guess = from_case_events(story, known)
    assert guess is not None and guess.basis == "case-context"
    assert (guess.value, guess.anchor.lo) == ("2022-03-08", date(2022, 3, 8))


def test_case_context_refuses_to_guess_between_equally_likely_events() -> None:
    from tracker.published import from_case_events

    known = [("2022-03-08", "the judge ordered a trial"), ("2022-03-15", "the judge ordered a trial")]
    assert from_case_events("The judge on Tuesday ordered a trial.", known) is None


def test_dateline_year_is_chosen_by_the_weekday_pair_in_the_story() -> None:
    # March 21 was a Thursday in 2019 and 2024; the story names 2022 as past: 2024.
    text = ("Bank sued\n\nLEEDS, March 22 (Harbor Post) -- Regulators on Thursday (March 21) sued Northway Bank. "
            "The bank was fined in 2022.")
    guess = infer_published(text, TODAY)
    assert (guess.value, guess.basis) == ("2024-03-22", "dateline")


def test_weekday_pair_year_is_not_before_the_years_the_story_names() -> None:
    # May 11 was a Tuesday in 2021 (and 2027, after today); a story naming 2019 picks 2021.
    text = "Agency backs down\n\nIn a filing on Tuesday (May 11), the agency dropped the listing it made in 2019."
    guess = infer_published(text, TODAY)
    assert guess.value == "2021-05-11"


def test_future_years_do_not_push_the_publication_year() -> None:
    # "will ... from June 2026" is ahead of the story; July 11 was a Friday in 2025.
    text = ("Judge upholds listing\n\nLEEDS, July 11 (Harbor Post) - A judge on Friday upheld the listing. "
            "The firm sued in 2024. A rule will bar such firms from June 2026.")
    guess = infer_published(text, TODAY)
    assert guess.value == "2025-07-11"


def test_nothing_decides_a_dateline_year_leaves_it_unknown() -> None:
    text = "Judge rules\n\nLEEDS, July 11 (Harbor Post) - A judge upheld the listing."
    assert infer_published(text, TODAY).basis == "unknown"


def test_a_weekday_restates_the_event_dated_to_that_day_over_month_long_ones() -> None:
    from tracker.published import from_case_events

    known = [
        ("2021-03-26", "Northway sued the broadcaster for $1.6 billion"),  # a Friday
        ("2021-03", "Northway sued the broadcaster in March"),
        ("2021-11", "Northway brought a second suit against the parent"),
    ]
    guess = from_case_events("Northway Systems sued Harbor News on Friday for $1.6 billion.", known)
    assert guess is not None and guess.value == "2021-03-26"


def test_a_lone_shared_descriptor_does_not_date_a_story() -> None:
    from tracker.published import from_case_events

    known = [("2023-04-18", "the voting-machine company settled with the network")]  # a Tuesday
    assert from_case_events("A judge ruled on Tuesday that the voting-machine company may sue.", known) is None


def test_a_story_is_no_older_than_what_it_tells_as_done() -> None:
    # A May dateline in a story that tells of November 2024 as past ran in May 2025.
    text = ("Appeal ends\n\nLEEDS, May 8 (Harbor Post) - A court has ended the appeal. The bank began the "
            "2023 case and later listed products tied to the November 2024 vote.")
    assert infer_published(text, TODAY).value == "2025-05-08"


def test_case_context_too_loose_to_read_phrases_against_is_not_taken() -> None:
    from tracker.published import from_case_events

    # Only a year-long event fits: the story could be from any day of it.
    known = [("2022", "the regulator fined the bank for the warehouse breaches at its branches")]
    story = "The regulator on Tuesday fined the bank for the warehouse breaches at its branches."
    assert from_case_events(story, known) is None
