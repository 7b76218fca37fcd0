"""Recognising the same event told by several sentences or sources. Pure, no I/O.

Reporters restate a case's key events in every story, in other words ("stopped the
ban", "enjoined DOD", "suspended the ban") and at other granularities ("last Friday",
"in March"). Two readings are one event when their dates are compatible (equal, or one
period inside the other) and they share enough content words once common legal
synonyms are folded together. Readings that say almost the same thing with incompatible
dates are also one event, flagged as conflicting, with both dates kept.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from tracker.dates import granularity_of, period_bounds

_SYNONYMS = {
    "halt": "enjoin enjoined enjoins enjoining injunction injunctive block blocked blocks blocking halt halted "
            "halts stop stopped stops suspend suspended suspends bar barred bars restrain restrained "
            "restraining freeze froze frozen",
    "court": "court courts judge judges justice tribunal chancellor",
    "sue": "sue sued sues suing suit lawsuit lawsuits complaint complaints filed file files filing litigation",
    "designate": "designate designated designates designation designations blacklist blacklisted list listed "
                 "listing label labeled labelled labeling",
    "remove": "remove removed removes removal revoke revoked revokes revocation rescind rescinded lift lifted "
              "lifts drop dropped drops withdraw withdrew withdrawn",
    "rule": "rule ruled rules ruling rulings decide decided decides decision decisions order ordered orders "
            "opinion found finds",
    "appeal": "appeal appealed appeals appealing",
    "settle": "settle settled settles settlement settlements",
    "trial": "trial trials hearing hearings",
    "verdict": "verdict verdicts jury",
    "merger": "merger mergers acquisition acquisitions deal deals takeover buyout",
}
_CANON = {word: canon for canon, words in _SYNONYMS.items() for word in words.split()}
_STOP = set(
    "the a an and or but of to in on at by for with from as is was were be been being has have had it its this that "
    "these those there their they them he she his her we our you your not no than then so such also which who whom "
    "whose what when where while after before since until into over under about against between through during "
    "would could should will shall may might can said says say told according local time year years month week "
    "day days today now last next earlier later early late this march may us u.s mr ms".split()
)
STRONG_OVERLAP = 0.6
# Words any story of any case may use around any event.
_GENERIC = set(
    "court company companies federal billion million percent make made makes pay pays paid take took taken give "
    "gave given get got come came going go went new first last largely state states people public week month "
    "tell told telling agre includ".split()
)


_NAME_RUN = re.compile(r"\b[A-Z][a-z]+(?:\s+(?:of\s+|and\s+)?[A-Z][a-z]+)+")


# Both word sets are asked again and again of the same clauses: an import compares each
# new story with the events its case already has, re-read for every story it stores, so
# a case's clauses come back once per story filed into it. A clause is a few hundred
# characters; the memo is bounded.
@lru_cache(maxsize=4096)
def action_words(text: str) -> frozenset[str]:
    """Content words without names: what a clause says happened, not who it names.

    Capitalised words (parties, courts, places) recur in every story of a case, so they
    cannot tell one of its events from another.
    """
    plain = re.sub(r"\b(?:[A-Z][\w'’.-]*)", " ", text)
    return content_words(plain) - _GENERIC


@lru_cache(maxsize=4096)
def content_words(text: str) -> frozenset[str]:
    """Lower-cased words that carry meaning, synonyms folded, crude plural/tense stems.

    A run of capitalised words also yields its initials, so "Federal Trade
    Commission" and "FTC" share a word.
    """
    words = {
        "".join(w[0] for w in run.split() if w[0].isupper()).lower()
        for run in (m.group() for m in _NAME_RUN.finditer(text))
    }
    for raw in re.findall(r"[A-Za-z][A-Za-z'.-]*[A-Za-z]", text):
        word = raw.lower().rstrip(".").removesuffix("'s")
        if word in _STOP or len(word) < 3 or word in {"monday", "tuesday", "wednesday", "thursday", "friday",
                                                        "saturday", "sunday"}:
            continue
        if word in _CANON:
            words.add(_CANON[word])
            continue
        for suffix in ("ing", "ed", "es", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)]
                break
        words.add(word)
    return frozenset(words)


@lru_cache(maxsize=4096)  # a story and its case repeat their key dates
def bounds(value: str) -> tuple[str, str]:
    """First and last day (ISO) of a value's period."""
    first, last = period_bounds(value)
    return first.isoformat(), last.isoformat()


def compatible(a: str | None, b: str | None) -> bool:
    """Equal, or one period lies inside the other ("2021-03" and "2021-03-12")."""
    if a is None or b is None:
        return False
    if a == b:
        return True
    (a0, a1), (b0, b1) = bounds(a), bounds(b)
    return (a0 <= b0 and b1 <= a1) or (b0 <= a0 and a1 <= b1)


def disagree(values: list[str | None]) -> bool:
    """Passages give incompatible dates for one event (the `!`): two dated readings
    of which neither lies inside the other. Undated readings disagree with nothing."""
    dated = list(dict.fromkeys(v for v in values if v))
    return any(not compatible(a, b) for i, a in enumerate(dated) for b in dated[i + 1:])


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def relation(
    a_value: str | None,
    a_words: frozenset[str],
    b_value: str | None,
    b_words: frozenset[str],
    a_actions: frozenset[str] | None = None,
    b_actions: frozenset[str] | None = None,
) -> str | None:
    """"same", "conflict" (same telling, incompatible dates) or None.

    The same day and shared names are enough; a day inside a month ("March 12" and "in
    March") must also share what happened (action words), since a case has many events
    in one month that name the same parties.
    """
    shared = len(a_words & b_words)
    score = overlap(a_words, b_words)
    if compatible(a_value, b_value):
        exact = a_value == b_value
        if exact and granularity_of(a_value) == "day" and shared >= 2 and score >= 0.15:
            return "same"
        actions_shared = len((a_actions or a_words) & (b_actions or b_words))
        if shared >= 3 and score >= 0.25 and actions_shared >= 2:
            return "same"
        return None
    if a_value and b_value and shared >= 4 and score >= STRONG_OVERLAP and _near(a_value, b_value):
        return "conflict"
    return None


CONFLICT_DAYS = 45


def _near(a: str, b: str) -> bool:
    """Reports that disagree on an event's date disagree by days or weeks ("July 10" and
    "July 11"); a date years away is another event told in the same words."""
    from datetime import date

    (a0, a1), (b0, b1) = bounds(a), bounds(b)
    gap = max(date.fromisoformat(a0), date.fromisoformat(b0)) - min(date.fromisoformat(a1), date.fromisoformat(b1))
    return gap.days <= CONFLICT_DAYS


@dataclass
class Group:
    """Readings that are one event: an existing event id, or a new event to create."""

    existing_id: int | None
    members: list[int] = field(default_factory=list)
    conflict: bool = False


@dataclass(frozen=True)
class Known:
    """An event already stored in the case: its date and the words of its passages."""

    event_id: int
    value: str | None
    words: frozenset[str]
    text: str = ""
    sort_date: str | None = None


class _Periods:
    """Groups (or known events) filed by the periods their dates cover, so a reading is
    compared only with those it could be one event with: a compatible date (one period
    inside the other) or, for a conflict, a date within `CONFLICT_DAYS`. Comparing every
    reading with every group grows with the square of a long story."""

    def __init__(self) -> None:
        self.days: dict[date, list[int]] = defaultdict(list)
        self.months: dict[tuple[int, int], list[int]] = defaultdict(list)

    def add(self, index: int, value: str, near: bool) -> None:
        """File `index` under its value's period (widened by `CONFLICT_DAYS` when `near`)."""
        first, last = _days(value)
        if first == last and not near:
            self.days[first].append(index)
            return
        if near:
            first, last = first - timedelta(days=CONFLICT_DAYS), last + timedelta(days=CONFLICT_DAYS)
        for month in _months(first, last):
            self.months[month].append(index)

    def near(self, value: str) -> list[int]:
        """What was filed in a period `value`'s period meets, in filing order."""
        first, last = _days(value)
        found: set[int] = set()
        for month in _months(first, last):
            found.update(self.months.get(month, ()))
        if len(self.days) <= (last - first).days:  # a month or year against a few days: look at those
            for day, filed in self.days.items():
                if first <= day <= last:
                    found.update(filed)
        else:
            day = first
            while day <= last:
                found.update(self.days.get(day, ()))
                day += timedelta(days=1)
        return sorted(found)


@lru_cache(maxsize=4096)
def _days(value: str) -> tuple[date, date]:
    return period_bounds(value)


def _months(first: date, last: date) -> list[tuple[int, int]]:
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def plan(readings: list[tuple[str | None, str]], known: list[Known]) -> list[Group]:
    """Group the readings (value, clause) of one new story with each other and with the
    events other stories gave.

    A reading joins the first group (then the first known event) it is one event with;
    only groups and events whose dates meet its own are asked (see `_Periods`): an
    undated reading is one event with nothing."""
    groups: list[Group] = []
    group_words: list[tuple[str | None, frozenset[str]]] = []
    group_actions: list[frozenset[str]] = []
    # The clauses and values of each group's members (whether a reading repeats one).
    group_clauses: list[set[str]] = []
    group_values: list[set[str | None]] = []
    filed = _Periods()
    known_groups: dict[int, int] = {}
    known_actions = {event.event_id: action_words(event.text) for event in known}
    known_filed = _Periods()
    for k_index, event in enumerate(known):
        if event.value:
            known_filed.add(k_index, event.value, near=True)
    values_of_clause: dict[str, list[str | None]] = defaultdict(list)
    for value, clause in readings:
        values_of_clause[clause].append(value)

    def new_group(group: Group, value: str | None, words: frozenset[str], actions: frozenset[str]) -> None:
        groups.append(group)
        group_words.append((value, words))
        group_actions.append(actions)
        group_clauses.append(set())
        group_values.append(set())
        if value:
            filed.add(len(groups) - 1, value, near=group.existing_id is not None)

    def join(g_index: int, index: int, found: str) -> None:
        groups[g_index].members.append(index)
        groups[g_index].conflict |= found == "conflict"
        group_clauses[g_index].add(readings[index][1])
        group_values[g_index].add(readings[index][0])

    for index, (value, clause) in enumerate(readings):
        words = content_words(clause)
        actions = action_words(clause)
        if not value:  # no date is compatible with none, nor near it
            new_group(Group(None, []), value, words, actions)
            join(len(groups) - 1, index, "")
            continue
        placed = False
        for g_index in filed.near(value):
            g_value, g_words = group_words[g_index]
            if len(words & g_words) < 2:
                continue  # `relation` needs two shared words for either answer
            if clause in group_clauses[g_index] or value in group_values[g_index]:
                # Two dates in one clause date two things; a story that gives one date
                # twice tells of two happenings that day (trading halted, a filing made).
                continue
            found = relation(value, words, g_value, g_words, actions, group_actions[g_index])
            if found == "conflict" and (groups[g_index].existing_id is None or clause in group_clauses[g_index]):
                found = None  # one story giving two dates tells of two events, not a conflict
            if found:
                join(g_index, index, found)
                group_words[g_index] = (g_value, g_words | words)
                group_actions[g_index] = group_actions[g_index] | actions
                placed = True
                break
        if placed:
            continue
        for k_index in known_filed.near(value):
            event = known[k_index]
            found = relation(value, words, event.value, event.words, actions, known_actions[event.event_id] or None)
            if found == "conflict" and any(compatible(other_value, event.value)
                                           for other_value in values_of_clause[clause]):
                continue  # the clause states this event's date too; this phrase dates another
            if found and event.event_id in known_groups and value in group_values[known_groups[event.event_id]]:
                continue  # this story already told this event on this date
            if found:
                if event.event_id in known_groups:
                    join(known_groups[event.event_id], index, found)
                else:
                    known_groups[event.event_id] = len(groups)
                    new_group(Group(event.event_id, [], found == "conflict"), event.value, event.words | words,
                              known_actions[event.event_id] | actions)
                    join(len(groups) - 1, index, found)
                placed = True
                break
        if not placed:
            new_group(Group(None, []), value, words, actions)
            join(len(groups) - 1, index, "")
    return groups
