"""The quick forms of the reading's patterns and helpers give what the plain forms give.

Patterns run over whole stories say first what every match starts with (a lookahead, or
the capital consumed first for `\\b[A-Z]`), status patterns run only when the story holds
a word every match holds, a title is looked for in the first lines only, the OS user is
kept while its variables stay, and merge's period index looks at the few days filed.
Each is compared here with the plain form it replaced, on texts written for the edge
cases: a text's start, mid-word capitals, letters outside ASCII, "|" lines, the
letters IGNORECASE folds to ASCII that lower() does not.
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

import pytest

from tracker import cases, extract, facts, headlines, ingest, merge
from tracker.store import connection

TEXTS = [
    "Acme Corp. sued the FTC on Monday. McDonald's and iPhone maker Apple, Élan SA and X-Ray Ltd. joined.",
    "FTC v. Meta: the U.S. Department of Justice, the Pentagon and DoD said the Federal Trade Commission "
    "settled. Judge Amit Mehta, U.S. District Judge Ana Reyes and Chief Judge Roe ruled in the Ninth Circuit.",
    "No. 1:23-cv-03257 and Docket No. 42 and 23-1234; 2023-05-01; the 9th Circuit; D.C. Circuit.",
    "In a separate case, a similar suit from another company; separately sued; the case from other firms.",
    "Kalshi sued the CFTC, which sued Binance. The lawsuit by Acme against Borealis; Acme's suit against "
    "the agency. Zephyr challenged the rule in court. Roe v. Wade, Smith vs. Jones.",
    "They reached a settlement; agreed to settle the dispute; dismissal of the complaint; a verdict for Acme; "
    "final judgment; judgment in favour of the bank.",
    "ACME\u2019S CEO, O\u2019Brien and Doe-Smith; 'quoted' Names; eBay, de Villiers, van Dyke, St. Louis Rams.",
    "",
    "A",
    "lower case only, nothing to find here at all",
]

# (module, name, the plain form it replaced)
PLAIN = [
    (cases, "_NAME", r"\b[A-Z][A-Za-z0-9&'’-]*[A-Za-z0-9]\b|\b[A-Z]{2,}\b"),
    (cases, "_DOCKET", r"\b(?:\d:)?\d{2}-(?:cv|cr|md|mc|ap)-\d{3,5}\b|\bDocket\s+No\.\s*\d+\b|\b\d{2}-\d{4,5}\b"),
    (headlines, "_CAPITALISED_PHRASE", r"\b[A-Z][a-z]+(?:\s+(?:of|and|for|on)\s+|\s+)[A-Z][a-z]+"
                                       r"(?:\s+(?:of\s+|and\s+)?[A-Z][a-z]+){0,3}"),
]


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in pattern.finditer(text)]


@pytest.mark.parametrize(("module", "name", "plain"), PLAIN, ids=[name for _, name, _ in PLAIN])
def test_a_pattern_that_says_what_it_starts_with_matches_as_its_plain_form(module: object, name: str,
                                                                           plain: str) -> None:
    quick: re.Pattern[str] = getattr(module, name)
    reference = re.compile(plain, quick.flags)
    for text in TEXTS:
        assert _spans(quick, text) == _spans(reference, text), text


@pytest.mark.parametrize(("module", "name"), [
    (cases, "_AGENCY_NAME"), (headlines, "_CIRCUIT"), (headlines, "_TRAILING_DATE_PREPOSITION"),
    (headlines, "_TRAILING_QUANTIFIER"), (headlines, "_OTHER_DATE"), (headlines, "_SUES"), (facts, "_JUDGE"),
    (facts, "_ANOTHER_CASE"), (facts, "_CAPTION"), (facts, "_SUED"), (facts, "_LAWSUIT_AGAINST"),
    (facts, "_BY_AGAINST"), (facts, "_CHALLENGED"), (extract, "_OTHER_MARKER"), (extract, "_ANY_CASE"),
    (cases, "_NAME_LIST"),
])
def test_a_lookahead_in_front_changes_no_match(module: object, name: str) -> None:
    """Without what it starts with (the lookahead, or the consumed capital turned back into
    `\\b[A-Z]`), the pattern finds the same: the prefix only lets the engine skip."""
    quick: re.Pattern[str] = getattr(module, name)
    plain = re.sub(r"^\(\?=[^)]*\)", "", quick.pattern)
    plain = plain.replace("(?P<a>[A-Z](?<!\\w[A-Z])", "\\b(?P<a>[A-Z]").replace("[A-Z](?<!\\w[A-Z])", "\\b[A-Z]")
    assert plain != quick.pattern
    reference = re.compile(plain, quick.flags)
    for text in TEXTS + [t.lower() for t in TEXTS] + [t.upper() for t in TEXTS]:
        assert _spans(quick, text) == _spans(reference, text), text
        for end in range(0, len(text), 7):  # the end-anchored ones, on every head of the text
            assert [m.span() for m in quick.finditer(text[:end])] == [m.span() for m in reference.finditer(text[:end])]


def test_a_status_is_found_when_its_words_fold_to_ascii_only_under_ignorecase() -> None:
    """"ſettled" (long s) matches the status pattern under IGNORECASE but lower() keeps
    it: the words are then not looked for first, and the pattern still runs."""
    for text, status in [("Acme Corp. sued Borealis Inc. Later Acme ſettled the case for $5 million.", "settled"),
                         ("Acme Corp. sued Borealis Inc. The judge ordered DISMISSAL OF THE CASE.", "dismissed"),
                         ("Acme Corp. sued Borealis Inc. Acme settled the case.", "settled"),
                         ("Acme Corp. sued Borealis Inc. The jury returned a verdict for Acme.", "decided")]:
        found = [f.value for f in facts.extract_facts("", text) if f.field == "status"]
        assert found == [status], text
    assert not [f for f in facts.extract_facts("", "Acme Corp. sued Borealis Inc. on Monday.") if f.field == "status"]


def test_a_byline_line_is_left_out_of_the_body_as_before() -> None:
    title = "Acme sues Borealis"
    text = (f"{title}\nBy Jo Roe | Capitol Wire\nRelated: other stories about the wider market\n"
            "Acme Corp. sued Borealis Inc. over the grid on Monday morning.\n"
            "Reporting by Jo Roe; editing by Al Poe and others today\n"
            "The suit | filed in Delaware | asks for damages from the company.\n"
            "Borealis said it would fight the suit in court next year.\n")
    assert cases._body_lines(title, text) == [
        "Acme Corp. sued Borealis Inc. over the grid on Monday morning.",
        "Borealis said it would fight the suit in court next year.",
    ]


def test_the_first_lines_are_those_of_the_whole_text_whatever_the_window(monkeypatch: pytest.MonkeyPatch) -> None:
    def plain(text: str, count: int) -> list[str]:
        lines = [ln.strip().lstrip("#").strip() for ln in text.splitlines()]
        return [ln for ln in lines if ln and ln != "---"][:count]

    pieces = ["a", "b c", " ", "\n", "\r", "\r\n", "#", "---", "\u2028", "x" * 30, "## Head"]
    shuffle = random.Random(7)
    for _ in range(2000):
        text = "".join(shuffle.choice(pieces) for _ in range(shuffle.randint(0, 120)))
        monkeypatch.setattr(ingest, "_TITLE_WINDOW", shuffle.randint(1, 40))
        assert ingest._first_lines(text, 12) == plain(text, 12), repr(text)


def test_the_os_user_follows_its_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("USER", "alice")
    assert connection.os_user() == "alice"
    monkeypatch.setenv("USER", "bob")
    assert connection.os_user() == "bob"
    monkeypatch.setenv("LOGNAME", "carol")  # read first, as getpass reads it
    assert connection.os_user() == "carol"


def test_the_period_index_finds_what_a_day_by_day_walk_finds() -> None:
    """Few days filed (looked at one by one) or many (the period walked day by day): the
    same answer, days at the edges of months and years included."""
    shuffle = random.Random(3)
    days = [date(2023, 1, 1) + timedelta(days=n) for n in range(0, 800, 3)]
    days += [date(y, m, 1) - timedelta(days=d) for y in (2023, 2024) for m in range(1, 13) for d in (0, 1)] * 4

    def value() -> str:
        day = shuffle.choice(days).isoformat()
        return shuffle.choice([day, day, day[:7], day[:4]])

    for filed in (3, 8, 20, 150):
        for _ in range(40):
            periods = merge._Periods()
            for index in range(filed):
                periods.add(index, value(), near=shuffle.random() < 0.3)
            for asked in (value() for _ in range(20)):
                first, last = merge._days(asked)
                walked = set()
                for month in merge._months(first, last):
                    walked.update(periods.months.get(month, ()))
                day = first
                while day <= last:
                    walked.update(periods.days.get(day, ()))
                    day += timedelta(days=1)
                assert periods.near(asked) == sorted(walked), asked


def test_the_full_name_is_found_as_with_the_plain_class() -> None:
    """`_full_name` builds a pattern for each name with a name character written so it
    compiles quickly; the plain class [\\w&.’'-] finds the same longer names."""
    from collections import Counter

    def plain(name: str, text: str) -> list[str]:
        pattern = (rf"\b((?:[A-Z][\w&.’'-]*\s+){{1,3}}{re.escape(name)}|{re.escape(name)}"
                   rf"(?:\s+[A-Z][\w&.’'-]*){{1,3}})\b")
        return sorted(Counter(m.group(1) for m in re.finditer(pattern, text)).items())

    text = ("The New York Times sued OpenAI. The Times said O’Brien & Co. Times ran it; Elon Musk’s X and "
            "Musk Foundation. Mary O’Neil-Smith Musk. U.S. Steel Musk. Times\u2019 desk.")
    for name in ("Times", "Musk", "OpenAI", "X", "Steel", "O’Brien"):
        quick = cases._NAME_CHARACTER
        pattern = (rf"\b((?:[A-Z]{quick}*\s+){{1,3}}{re.escape(name)}|{re.escape(name)}"
                   rf"(?:\s+[A-Z]{quick}*){{1,3}})\b")
        assert sorted(Counter(m.group(1) for m in re.finditer(pattern, text)).items()) == plain(name, text), name
    assert cases._full_name("Times", text) == "New York Times"


@pytest.mark.parametrize("phrase", ["on Thursday", "last Friday", "next Monday", "this Tuesday", "Sunday morning",
                                    "earlier on Wednesday", "15:00 GMT Saturday", "yesterday", "today", "tomorrow"])
def test_publication_days_worked_out_by_period_are_the_days_read_one_by_one(phrase: str) -> None:
    """A weekday or "yesterday" read on a day a week (a day) later names the day a week
    (a day) later, so the publication days that put it inside an event's period are
    worked out from one period of readings; they are the days read one by one."""
    from dataclasses import replace

    from tracker import published
    from tracker.timex import Scan

    candidates = [c for c in Scan(f"The court ruled {phrase}.").candidates if c.period]
    assert candidates, phrase
    rng = random.Random(phrase)
    values = []
    for _ in range(40):
        day = date(2016, 1, 1) + timedelta(days=rng.randrange(3000))
        week = day.isocalendar()
        values += [day.isoformat(), day.isoformat()[:7], day.isoformat()[:4], f"{week[0]}-W{week[1]:02d}"]
    for candidate in candidates:
        plain = replace(candidate, period=None)
        for future in (False, True):
            for window in (60, 3, 0):
                for value in values:
                    assert published._publication_days(candidate, value, future, window, {}) == \
                        published._publication_days(plain, value, future, window, {}), (value, future, window)


def test_a_clause_is_searched_for_another_case_only_with_the_patterns_its_words_allow() -> None:
    """`_names_other_case` runs a pattern over a clause only when the clause holds a word
    every match holds; every pattern run over every clause finds what it finds, the
    markers folded to ASCII under IGNORECASE ("ſeparate") included."""
    parties = extract.CaseParties(["Acme", "Borealis"])
    clauses = TEXTS + [
        "Northway's lawsuit against the city was dismissed", "in the Harbor litigation, a ruling came",
        "Zephyr sued Calder in May", "Roe v. Wade was decided", "Kalshi's case", "a suit brought by Zephyr",
        "in a ſeparate case, the agency sued", "a SIMILAR SUIT by another company", "the verdict over Calder",
        "Acme's case against Borealis", "Acme v. Borealis", "Acme sued Borealis", "ANOTHER case from Harbor",
        "a suit from another company", "the cases by other firms", "Calder sues Zephyr",
        "Northway\u2019s lawsuit was dismissed",
    ]

    def plain(span: str) -> bool:
        for marker in extract._OTHER_MARKER.finditer(span):
            against = extract._AGAINST.search(span[marker.end():marker.end() + 60])
            if marker["own"] and extract._two_parties(parties, span) and \
                    (against is None or parties.has(against.group(1))):
                continue
            return True
        for match in (m for pattern in extract._OTHER_CASES for m in pattern.finditer(span)):
            if "label" in match.groupdict() and re.fullmatch(r"[A-Z.]{1,4}", match["label"]):
                continue
            for slot in ("owner", "name", "owner2", "label", "defendant", "first", "second"):
                if slot in match.groupdict() and match[slot] and extract._others(parties, extract._names(match[slot])):
                    return True
        return False

    found = 0
    for clause in clauses + [c.lower() for c in clauses]:
        assert extract._names_other_case(clause, parties) == plain(clause), clause
        found += plain(clause)
    assert found >= 8


def test_the_halves_of_a_pattern_a_text_can_match_find_what_the_whole_finds() -> None:
    """The agency names and the lists of names run only the alternatives whose words a
    text holds; they find what the whole pattern finds."""
    texts = TEXTS + [
        "The Federal Trade Commission and the Pentagon; the Department of Homeland Security, the Defense "
        "Department and DoD; the Food and Drug Administration; FTC and SEC.",
        "The Securities and Exchange Commission sued.", "The Pentagon said so.", "The Justice Department sued.",
        "Companies such as Xiaomi, Luokung and Comac were named, joined by Acme.",
        "Xiaomi, Luokung and COMAC were listed.", "Xiaomi, Luokung, Comac and others.",
        "including Acme", "Acme, Borealis Grid and Zephyr Labs sued; like Harbor.",
    ]
    for text in texts + [t.upper() for t in texts]:
        assert [m.span() for m in cases._agency_names(text)] == [m.span() for m in cases._AGENCY_NAME.finditer(text)], text
        whole = [m.span() for m in cases._NAME_LIST.finditer(text)]
        assert cases._name_lists(text) == whole, text
    assert cases._name_lists("Xiaomi, Luokung and COMAC were listed.") and cases._name_lists("including Acme")


@pytest.mark.parametrize(("pattern", "whole", "plain"), [
    (facts._CAPTION, facts._WHOLE_NAME_AT_WORD, facts._NAME_AT_WORD),
    (facts._SUED, facts._WHOLE_NAME_AT_WORD, facts._NAME_AT_WORD),
    (facts._CHALLENGED, facts._WHOLE_NAME_AT_WORD, facts._NAME_AT_WORD),
    (extract._SUED, extract._WHOLE_CAP_NAME, extract._CAP_NAME),
    (extract._OTHER_CASES[4], extract._WHOLE_CAP_NAME, extract._CAP_NAME),
], ids=["facts-caption", "facts-sued", "facts-challenged", "extract-sued", "extract-versus"])
def test_a_name_matched_once_changes_no_match(pattern: re.Pattern[str], whole: str, plain: str) -> None:
    """A name before a lower-case word ("sued", "v.") is matched once (an atomic group):
    the pattern finds what it finds when the engine may try shorter readings of it."""
    assert whole in pattern.pattern
    reference = re.compile(pattern.pattern.replace(whole, plain), pattern.flags)
    texts = TEXTS + [
        "Acme la Mancha sued Borealis; Acme late Monday sued Zephyr; Acme van Helsing v. Borealis.",
        "Acme v Borealis, Acme V. Borealis, Acme vs. Borealis and Acme versus Borealis; Acme von Trapp vs Roe.",
        "The Bank of New York and Acme & Co has sued the City of Calder on Friday; Acme on Monday sued X.",
        "Harbor Grid Systems Inc. filed suit against Zephyr; Northway is suing Calder; Calder challenged Acme in court.",
        "Roe St. Louis took the FTC to court. ACME SUED BOREALIS. Acme\nsued Borealis. Acme's suit v. Roe.",
    ]
    for text in texts + [t.upper() for t in texts] + [t.lower() for t in texts]:
        assert [(m.span(), m.groupdict()) for m in pattern.finditer(text)] == \
            [(m.span(), m.groupdict()) for m in reference.finditer(text)], text


# Clauses a title is made of, one or more matching each gated title pattern.
TITLE_CLAUSES = [
    "Hesai, which sued in May, has said it will appeal the ruling", "Roe, who sued in May, has said she will appeal",
    "Acme is pleased to see that", "The judge ordered Acme to file its brief by ", "Roe directed the FTC to answer before ",
    "The judge gave Acme until ", "Acme has until ", "Acme now has 10 days, until ", "The court gave the agency through ",
    "Acme sued , the court said .", "Acme sued Borealis ; Calder : no", "Acme sued Borealis, according to a court filing",
    "Acme sued on Monday", "Acme sued in 2023", "Acme sued in \u0662\u0660\u0662\u0663", "Acme sued in March",
    "Acme sued Sept. 26, 2023", "two weeks later Acme sued", "at 5 p.m. Pacific time", "in the first quarter of last year",
    "Acme Inc. sued Borealis Ltd", "Acme Corp, Harbor LLC and Zephyr GmbH", "Kalshi sued", "The FTC files its lawsuit",
    "the U.S. Court of Appeals for the Ninth Circuit ruled", "Acme asked a federal judge in Boston to dismiss the suit",
    "Acme moves to throw out the suit", "Acme appealed to the federal appeals court",
    "the judge refused to dismiss the case", "sued Acme in federal court in Wilmington, Del.",
    "sued Acme in the U.S. District Court for the District of Columbia", "Acme filed a lawsuit against Borealis",
    "The suit was filed", "The claims were dismissed", "Acme has sued", "Acme had already appealed",
    "Acme sued Borealis in", "the suit filed by the", "Acme sued Borealis, on", "ruled on", "sued x-on",
    "Acme sued Borealis \u0131n", "Acme sued Borealis IN", "Acme filed it ſo the", "ACME SUED BOREALIS ON",
    "that affiliate, Stability Labs Ltd., as a defendant", "sued ,, ; the agency", "Acme sued Borealis.",
    "Acme sued Borealis (No. 1:23-cv-03257) ( )",
]


def test_a_gated_title_pattern_is_skipped_only_where_it_cannot_match() -> None:
    """A title's pattern runs only over a clause holding one of the words every match of
    it holds (`headlines._GATES`): every match on the clauses below holds one, and each
    pattern matches at least one of them."""
    for pattern, words in headlines._GATES.items():
        matched = 0
        for clause in TITLE_CLAUSES + TEXTS:
            for text in (clause, clause.lower(), clause.upper(), " ".join(clause.split())):
                if pattern is headlines._SPACE_BEFORE_PUNCTUATION and text != " ".join(text.split()):
                    continue  # gated only over a clause whose words `tidy` joined
                if pattern.search(text):
                    matched += 1
                    digits = pattern is headlines._OTHER_DATE and headlines._DIGIT.search(text)
                    assert digits or headlines._holds(text, words), (pattern.pattern[:40], text)
        assert matched, pattern.pattern[:60]


def test_a_last_word_pattern_is_skipped_only_where_it_cannot_match() -> None:
    for pattern, words in ((headlines._DANGLING, headlines._DANGLING_WORDS),
                           (headlines._PREPOSITION_BEFORE_COMMA_OR_END, headlines._PREPOSITIONS_LEFT)):
        for clause in TITLE_CLAUSES + TEXTS:
            for text in (clause, clause.upper(), clause + "\n", clause + " "):
                at_end = [m for m in pattern.finditer(text) if pattern is headlines._DANGLING or "," not in text]
                if at_end:
                    assert headlines._ends_with_word(text, words), text


def test_titles_made_with_the_gates_are_the_titles_made_without(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every clause, with each of its words as the date phrase, gets the same title with
    the gates as when every pattern runs over every clause."""
    story = " ".join(TITLE_CLAUSES)

    def titles() -> list[str]:
        made = []
        for clause in TITLE_CLAUSES + TEXTS:
            for word in re.finditer(r"\S+", clause):
                made.append(headlines.headline(clause, word.start(), word.end(), story, story.find(clause)))
        return made

    gated = titles()
    monkeypatch.setattr(headlines, "_holds", lambda text, words: True)
    monkeypatch.setattr(headlines, "_two_of", lambda text, marks: True)
    monkeypatch.setattr(headlines, "_ends_with_word", lambda text, words: True)
    for cache in (headlines._story_caption, headlines._story_parties, headlines._story_judge):
        cache.cache_clear()
    assert titles() == gated
    assert sum(1 for title in gated if title) > 300


def test_a_name_after_a_judge_is_found_as_the_pattern_finds_it() -> None:
    """`_named_as_judge` walks from each "Judge", "Justice" and "Chancellor" of a story;
    it finds what the pattern it replaced finds, for names ending in a full stop, names
    of several words, line breaks, underscores and letters outside ASCII."""
    texts = TEXTS + [
        "U.S. District Judge Amit P. Mehta ruled. Justice  Sonia Sotomayor wrote; Chancellor Kathaleen St. J. McCormick",
        "Judge Acme Widgets Inc. sued", "Judge Roe, Judge  Roe Doe", "Judge\nMehta.", "Judges Mehta", "xJudge Mehta",
        "Judge Mehta_x", "Judge a b c Mehta", "Judge a b c d Mehta", "Judge Mehta’s order", "Judge É Mehta",
        "Judge Acme Inc. v. X", "Judge Acme Inc.x", "Judge Mehta", "Judge ", "",
    ]
    names = ["Mehta", "Amit P. Mehta", "Roe", "Roe Doe", "Acme Widgets Inc.", "Acme Inc.", "Sotomayor", "McCormick",
             "Doe", "Mehta’s", "St. J. McCormick", "x", "Élan SA", "Meta", "FTC"]
    found = 0
    for text in texts:
        for name in names:
            plain = re.search(rf"\b(?:Judge|Justice|Chancellor)\s+(?:\w+\s+){{0,3}}{re.escape(name)}\b", text)
            assert headlines._named_as_judge(name, text) == bool(plain), (name, text)
            found += bool(plain)
    assert found >= 10


def test_a_word_is_counted_as_the_pattern_counts_it() -> None:
    """`_word_count` counts whole-word occurrences as `re.findall(r"\\bWORD\\b")` does,
    for words starting or ending in a mark, run together, or with letters outside ASCII."""
    texts = TEXTS + ["aaa aa a-a Doe-Doe- Doe- xDoe- St.St. St.x Mehta_ Mehta É É", "Doe-Doe-Doe- Doe-", "..",
                     "a a a", "O’Brien and O’Brien’s; Mehta, Mehta. mehta"]
    words = ["Mehta", "O’Brien", "Doe-", "a", "aa", "St.", "Roe", "É", "a-a", ".", "St.St.", "Acme", "FTC", "Judge"]
    counted = 0
    for text in texts:
        for word in words:
            plain = len(re.findall(rf"\b{re.escape(word)}\b", text))
            assert headlines._word_count(word, text) == plain, (word, text)
            counted += plain
    assert counted >= 15
