"""The tagger's planned scan against the plain one (every pattern's `finditer` over the
whole text), on short texts written for these tests and on generated text."""

from __future__ import annotations

import random
import re

import pytest

from tracker import timex


def plain_scan(text: str) -> tuple[tuple[timex._Candidate, ...], tuple[tuple[int, int], ...]]:
    """The reference: every rule's `finditer` over the whole text, then the same choice
    of candidates as `timex._scan` makes (`timex._keep_longest`)."""
    found = []
    for rule, (pattern, build) in enumerate(timex._COMPILED):
        for match in pattern.finditer(text):
            candidate = build(match)
            if candidate is not None:
                found.append((candidate, rule, match.start()))
    return timex._keep_longest(found, len(text))


def described(candidates: tuple[timex._Candidate, ...]) -> list[tuple[object, ...]]:
    """A candidate's plain fields (its resolver is a closure, equal to no other)."""
    return [(c.start, c.end, c.granularity, c.confidence, c.relative, c.loose, c.weekday, c.anaphoric,
             c.kind, c.timex3, c.season, c.follow is None) for c in candidates]


def assert_same_matches(text: str) -> None:
    """Each rule's matches, with every group's span, as `finditer` gives them."""
    reading = timex._Reading(text)
    for (pattern, build), plan in zip(timex._COMPILED, timex._RULE_PLANS):
        expected = [match.regs for match in pattern.finditer(text)]
        got = [match.regs for match in timex._matches(pattern, plan, reading)]
        assert got == expected, (build.__name__, text[:200])


def assert_same_scan(text: str) -> None:
    assert_same_matches(text)
    try:
        plain = plain_scan(text)
    except KeyError as error:
        # Some builders look the matched word up lower-cased, which a letter that
        # `re.IGNORECASE` matched by folding ("ſpring") misses: both scans fail alike.
        with pytest.raises(type(error)):
            timex._scan(text)
        return
    fast = timex._scan(text)
    assert fast[1] == plain[1]
    assert described(fast[0]) == described(plain[0])


EDGE_TEXTS = [
    "",
    "March",
    "in March",
    "March 2020",
    "Monday",
    "2020",
    "In March 2020, early June and late-last July; by the end of December, since mid August.",
    "IN MARCH, Until March, the Beginning Of March 2020 and THE END OF 2020.",
    "outlast March, nearly March 2020, 12020 and 20202020 and 1999-2000 and 2019–20.",
    "March 3 March 4, 2020 5 March 2021 6 of March, 2022 Mar. 7 Sept. 8, 2019 Jan 9 last year",
    "Monday, March 3 Tuesday (April 4, 2020) and 10:30 a.m. EST Friday, 9:15 on Sunday night",
    "that March that August 5 THAT June That September that same day the same day",
    "on the same day, by earlier that day, later that evening, THAT MORNING.",
    "two days later, the following month, the day before the vote, the day before, mid-the next week",
    "at present, nowadays, now, currently, in the past, at the time, in the future, NOW",
    "last spring, early-last summer, the winter of 2019, that fall, the same autumn, mid-winter",
    "the first quarter of 2020, 3rd quarter last year, Q3 2021, Fourth quarter",
    "this fiscal year, fiscal 2020, fiscal year 2019, 21st century, the 19th Century",
    "last weekend, over the weekend, during the weekend, THIS WEEKEND",
    "last week, earlier this month, later this year, early next week, NEXT YEAR",
    "within 30 days, within a week, within ninety days, six months ago, a year ago, 12 weeks ago",
    "yesterday, Today, TOMORROW, tonight, the 2019 statute, a 2021 ban, his August ruling, "
    "an October executive order, the September order, Judge Upholds 2023 Rule",
    "on Monday, last Friday, earlier on Tuesday, late on Wednesday, Thursday afternoon, this Saturday",
    "2021-03-12, 3/25/2021, 12/5/2020/1, 1/2/20201, 2020-13-45, 99/99/2020",
    "No. 2020, $2020, Section 2020, 2020 percent, Securities Act of 1933, in 1999, since 2001",
    "March" * 50 + " 2020",
    "in" + " " * 3000 + "March",
    "early" + "-" * 500 + "March 2020 and the" + "\n" * 400 + "end\t\tof  \n  2020",
    "by\u00a0\u2003earlier\u2028that day, in\u00a0March, last\u00a0Friday",
    # Characters `re.IGNORECASE` takes for ASCII letters: the dotted and dotless i, the
    # long s, the Kelvin sign.
    "\u0130n March, \u0131n March, \u017fince March, la\u017ft \u017fpring, this wee\u212aend, "
    "\u0130N 2020, la\u017ft week, twelve days \u0130ater, a year a\u0261o, wıthin 30 days",
    # Digits other than ASCII: \d and \w take them.
    "\u0661\u0662 March 2020, March \u0663, 2020, \u0662020, 20\u0662\u0660, 1\u06612 March 2020",
    "Jan.Feb.Mar.May June July Aug. Sept. Oct. Nov. Dec.December 2020 of 2021",
    "the previous year, December of that year, early January of the same year, later March next year",
]


@pytest.mark.parametrize("text", EDGE_TEXTS)
def test_planned_scan_matches_plain_scan(text: str) -> None:
    assert_same_scan(text)
    # The same text at the start, the middle and the end of a longer one, and twice in a row.
    assert_same_scan(text + " and " + text)
    assert_same_scan("x" + text + "x")
    assert_same_scan(text + text)


WORDS = (
    "in since by until till through during from before after to between and or early late mid earlier later "
    "last next this past coming the end start beginning middle of that same day morning afternoon evening night "
    "on a an one two six twelve 3 12 days week weeks month months year years ago later following previous "
    "preceding before now currently at present nowadays time future spring summer fall autumn winter quarter "
    "first second 1st 4th Q1 Q4 fiscal century 21st 19th weekend within ninety yesterday today tomorrow tonight "
    "ruling order law ban statute rule his her their our its said filed court percent million No. Section $"
).split()
MONTHS = ("January February March April May June July August September October November December "
          "Jan. Feb Mar. Apr. Sept. Sep Oct. Nov. Dec").split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
NUMBERS = ("1 5 12 31 32 0 07 1999 2000 2019 2020 2023 1850 12020 20202 2019-20 2009-2010 1957–58 "
           "2021-03-12 3/25/2021 12/31/2020 10:30 9:15 a.m. p.m. 3rd 22nd").split()
GAPS = [" ", " ", " ", " ", "  ", "\n", " - ", "-", ", ", ". ", " (", ") ", "\t", "\u00a0", " " * 40, ""]
ODD = ["\u0130", "\u0131", "\u017f", "\u212a", "\u0662", "\u2013", "é"]


def generated(seed: int, size: int, odd: bool = True) -> str:
    """Text of the rules' words in every case, joined by gaps of every kind."""
    rng = random.Random(seed)
    parts: list[str] = []
    length = 0
    while length < size:
        pick = rng.random()
        word = rng.choice(MONTHS if pick < 0.2 else WEEKDAYS if pick < 0.3 else NUMBERS if pick < 0.5 else WORDS)
        shape = rng.random()
        if shape < 0.1:
            word = word.upper()
        elif shape < 0.2:
            word = word.capitalize()
        elif shape < 0.25:
            word = word.lower()
        elif shape < 0.27 and odd:
            at = rng.randrange(len(word) + 1)
            word = word[:at] + rng.choice(ODD) + word[at:]
        parts.append(word)
        parts.append(rng.choice(GAPS))
        length += len(word) + 1
    return "".join(parts)


@pytest.mark.parametrize("seed", range(40))
def test_planned_scan_matches_plain_scan_on_short_generated_texts(seed: int) -> None:
    assert_same_scan(generated(seed, 300))


def test_planned_scan_matches_plain_scan_on_200_kb() -> None:
    assert_same_matches(generated(2026, 200_000))
    assert_same_scan(generated(2027, 200_000, odd=False))


def test_every_rule_has_a_plan_and_no_rule_matches_nothing() -> None:
    names = [build.__name__ for _pattern, build in timex._COMPILED]
    assert sorted(names) == sorted(timex._PLANS)
    for pattern, _build in timex._COMPILED:
        # `_from_starts` and `_after_prefix` hand a rule that matches the empty string to
        # `finditer`; none does.
        assert re._parser.parse(pattern.pattern, pattern.flags).getwidth()[0] > 0  # type: ignore[attr-defined]


def test_folded_text_finds_every_case_blind_letter_at_its_offset() -> None:
    """Every character `re.IGNORECASE` takes for an ASCII letter folds to that letter, and
    every character folds to one character."""
    letter = re.compile("[a-z]", re.IGNORECASE)
    for code in range(0x110000):
        char = chr(code)
        folded = char.translate(timex._FOLD_ODD).lower()
        assert len(folded) == 1, hex(code)
        if letter.fullmatch(char):
            assert re.fullmatch(folded, char, re.IGNORECASE) and "a" <= folded <= "z", hex(code)


@pytest.mark.parametrize(
    ("text", "runs", "expected"),
    [
        ("He said that in early March", 2, "in early March"),
        ("He said that in early March", 4, "said that in early March"),
        ("He said that in early March", 0, "March"),
        ("March", 3, "March"),
        ("the  end-of\n\n March", 3, "the  end-of\n\n March"),
        ("x,the end of March", 3, "x,the end of March"),
    ],
)
def test_runs_back_reaches_the_start_of_the_words_before(text: str, runs: int, expected: str) -> None:
    reading = timex._Reading(text)
    at = text.index("March")
    assert text[reading.runs_back(at, runs):] == expected
