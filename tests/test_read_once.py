"""What a document's reading computes once (memos, patterns run only where they can
match) gives what computing it every time gives."""

from __future__ import annotations

from tracker import cases, facts
from tracker.facts import extract_facts

STORY = (
    "Judge Halts Harbor Rule\n\n"
    "WASHINGTON (Capitol Wire) - Orrin Labs sued the Federal Trade Commission on Monday, "
    "and U.S. District Judge Amit P. Mehta set a hearing.\n\n"
    "The suit, Orrin Labs v. Federal Trade Commission, No. 1:24-cv-01234, was filed in the "
    "U.S. District Court for the District of Columbia. Companies such as Vantor Bank, Delta "
    "Freight and Harbor Foods joined the case.\n\n"
    "In a separate case, Acme Robotics is suing Borealis Corp. in court. The Ninth Circuit "
    "heard Acme's appeal. The sides later settled the lawsuit.\n"
)
PLAIN = "A short note about the weather, with no parties, courts or judges in it at all."


def _stated_every_pattern(text: str) -> facts._Stated:
    """`facts._stated` with every pattern run over the whole text."""
    parties, pairs = [], []
    for pattern, _ in facts._PARTY_PATTERNS:
        for match in pattern.finditer(text):
            a, b = facts.clean_party(match["a"]), facts.clean_party(match["b"])
            if a in facts._SUFFIXES:
                before = facts._BEFORE_COMMA.search(text[:match.start()])
                a = facts.clean_party(before.group(1)) if before else ""
            if b in facts._SUFFIXES:
                continue
            if a and b and a.lower() not in {"he", "she", "it", "they", "which", "who"}:
                parties.append((f"{a} v. {b}", match.start(), match.end()))
                pairs.append((facts._head(a), facts._head(b), match.start()))
    judges = [(f"{m['title']} {m['name'].strip()}", m.start(), m.end()) for m in facts._JUDGE.finditer(text)]
    courts = [(" ".join(m.group().split()), m.start(), m.end()) for p in facts._COURTS for m in p.finditer(text)]
    dockets = [(m.group().removeprefix("No.").strip(), m.start(), m.end()) for m in facts._DOCKET.finditer(text)]
    return facts._Stated(tuple(parties), tuple(pairs), tuple(judges), tuple(courts), tuple(dockets))


def test_facts_patterns_skipped_only_where_they_cannot_match() -> None:
    for text in (STORY, PLAIN, STORY.replace("\n", " "), STORY.upper(), STORY.lower()):
        facts._stated.cache_clear()
        assert facts._stated(text) == _stated_every_pattern(text)


def test_facts_of_one_text_under_two_headlines() -> None:
    """The memo is the text's: the headline still decides which judges count."""
    with_title = extract_facts("Judge Halts Harbor Rule", STORY)
    without = extract_facts("", STORY)
    facts._stated.cache_clear()
    assert extract_facts("Judge Halts Harbor Rule", STORY) == with_title
    facts._stated.cache_clear()
    assert extract_facts("", STORY) == without
    assert {f.value for f in without if f.field == "judge"} >= {f.value for f in with_title if f.field == "judge"}


def test_name_lists_looked_for_only_where_one_can_be() -> None:
    parts = [STORY, PLAIN, *STORY.split("\n"), *STORY.split(". "), "Acme, Borealis and others sued.",
             "It was, Acme said, and then nothing", "joined Vantor", "Vantor,\tDelta Freight,\nand Harbor"]
    for part in parts:
        assert cases._name_lists(part) == [m.span() for m in cases._NAME_LIST.finditer(part)], part


def test_profile_unchanged_by_earlier_profiles_of_the_text() -> None:
    """The memo of a story's names is copied, never changed, by each profile."""
    found = extract_facts("Judge Halts Harbor Rule", STORY)
    cases._names_used.cache_clear()
    first = cases.profile("Judge Halts Harbor Rule", STORY, found)
    bare = cases.profile("Judge Halts Harbor Rule", STORY, [])
    cases._names_used.cache_clear()
    assert cases.profile("Judge Halts Harbor Rule", STORY, []) == bare
    assert cases.profile("Judge Halts Harbor Rule", STORY, found) == first
    assert cases.profile("", STORY, found).names.keys() >= {"orrin"}


def test_party_tokens_a_fresh_list_each_time() -> None:
    tokens = cases.party_tokens("Acme Robotics Inc.")
    tokens.append("changed")
    assert cases.party_tokens("Acme Robotics Inc.") == ["acme", "robotics"]
