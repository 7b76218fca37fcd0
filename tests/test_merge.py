"""Recognising restatements of one event, on short texts written for these tests."""

from __future__ import annotations

from tracker.merge import Known, compatible, content_words, plan


def test_compatible_dates() -> None:
    assert compatible("2021-03-12", "2021-03-12")
    assert compatible("2021-03", "2021-03-12")
    assert compatible("2021-Q1", "2021-03")
    assert not compatible("2021-03-11", "2021-03-12")
    assert not compatible(None, None)


def test_restatements_in_other_words_are_one_event() -> None:
    readings = [
        ("2021-03-12", "Last Friday a federal judge temporarily blocked the ban on the company."),
        ("2021-03-12", "On March 12 the court enjoined the agency from enforcing the ban."),
        ("2021-03", "In March the district court suspended the ban on the company."),
        ("2021-03", "The company said in March it would launch a new phone."),
    ]
    groups = plan(readings, [])
    # One story naming the same day twice tells of two happenings that day (the gold
    # rule: different events on the same day stay apart); "in March" joins the first.
    assert [g.members for g in groups] == [[0, 2], [1], [3]]
    # Told by another story, the same restatement joins the stored event.
    known = [Known(5, "2021-03-12", content_words(readings[0][1]))]
    assert plan([readings[1]], known)[0].existing_id == 5


def test_two_happenings_on_one_day_in_one_story_stay_apart() -> None:
    readings = [
        ("2024-09-12", "Trading in the contracts was suspended by the exchange on Sept. 12."),
        ("2024-09-12", "The same day, the exchange filed a motion asking the court to suspend the order."),
    ]
    assert [g.members for g in plan(readings, [])] == [[0], [1]]
    known = [Known(9, "2024-09-12", content_words(readings[0][1] + " " + readings[1][1]))]
    groups = plan(readings, known)
    assert [g.existing_id for g in groups] == [9, None]


def test_restatement_of_a_stored_event_links_to_it() -> None:
    known = [Known(7, "2021-01-14", content_words("The department designated the company on the blacklist"))]
    groups = plan([("2021-01-14", "On Jan. 14 the company was blacklisted by the department.")], known)
    assert (groups[0].existing_id, groups[0].conflict) == (7, False)


def test_same_telling_with_other_dates_in_another_story_is_flagged_as_conflict() -> None:
    told = "Judge Corley denied the commission's request for a preliminary injunction against the merger."
    known = [Known(3, "2023-07-10", content_words(told))]
    retold = "Judge Corley denied the commission's request for a preliminary injunction blocking the merger."
    (group,) = plan([("2023-07-11", retold)], known)
    assert (group.existing_id, group.conflict) == (3, True)


def test_one_story_giving_two_dates_tells_two_events() -> None:
    readings = [("2022-07-12", "Acme sued Widgets"), ("2022-07-19", "the judge ordered a five-day trial")]
    assert [g.members for g in plan(readings, [])] == [[0], [1]]


def test_different_events_on_other_days_stay_apart() -> None:
    readings = [
        ("2021-01-14", "The department added the company to its list."),
        ("2021-05-11", "The department agreed to remove the company from its list."),
    ]
    assert len(plan(readings, [])) == 2


def test_a_telling_dated_years_away_is_not_a_conflict() -> None:
    told = "Judge Corley denied the commission's request for a preliminary injunction against the merger."
    known = [Known(3, "2021-07-10", content_words(told))]
    retold = "Judge Corley denied the commission's request for a preliminary injunction blocking the merger."
    (group,) = plan([("2023-07-11", retold)], known)
    assert group.existing_id is None
