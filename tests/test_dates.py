"""Typed dates and value helpers."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.dates import DateValue, granularity_of, parse_user_date, period_start

BASE = date(2021, 3, 16)  # a Tuesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-03-12", DateValue("2021-03-12", "day")),
        ("last Friday", DateValue("2021-03-12", "day")),
        ("March 2021", DateValue("2021-03", "month")),
        ("Jan 14", DateValue("2021-01-14", "day")),
        ("2021", DateValue("2021", "year")),
        ("Q1 2021", DateValue("2021-Q1", "quarter")),
        ("2021-W10", DateValue("2021-W10", "week")),
        ("next week", DateValue("2021-W12", "week")),
        ("undated", DateValue(None, "day")),
    ],
)
def test_parse_user_date(text: str, expected: DateValue) -> None:
    assert parse_user_date(text, BASE) == expected


@pytest.mark.parametrize("text", ["", "flurb", "2021-02-30", "[bold]x", "\x1b[31m"])
def test_bad_dates_are_refused_with_a_message(text: str) -> None:
    with pytest.raises(ValueError, match=r"\w"):
        parse_user_date(text, BASE)


@pytest.mark.parametrize(
    ("value", "granularity", "start"),
    [
        ("2021-03-12", "day", "2021-03-12"),
        ("2021-W10", "week", "2021-03-08"),
        ("2021-03", "month", "2021-03-01"),
        ("2021-Q2", "quarter", "2021-04-01"),
        ("2021", "year", "2021-01-01"),
    ],
)
def test_values_know_their_granularity_and_start(value: str, granularity: str, start: str) -> None:
    assert granularity_of(value) == granularity
    assert period_start(value) == start


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        ("2021-03-12", "2021-03-12", "2021-03-12"),
        ("2021-W10", "2021-03-08", "2021-03-14"),
        ("2024-02", "2024-02-01", "2024-02-29"),
        ("2021-12", "2021-12-01", "2021-12-31"),
        ("2021-Q4", "2021-10-01", "2021-12-31"),
        ("2021", "2021-01-01", "2021-12-31"),
    ],
)
def test_period_bounds(value: str, first: str, last: str) -> None:
    from tracker.dates import period_bounds

    assert tuple(d.isoformat() for d in period_bounds(value)) == (first, last)
