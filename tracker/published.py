"""Working out when a document was published, the way a careful reader would. Pure.

In order of trust: a metadata line ("Published: ...", front matter `date:`), a dateline
("WASHINGTON, Aug 5 (Capitol Wire) -"), a weekday paired with a date ("on Tuesday (May
11)": by wire convention the story ran that day, and the weekday pins the year), and a
weekday reference that only one recent year makes consistent with a yearless date in the
same text ("last Friday" ... "on March 12"). The result may be a range of days; the
importer resolves every relative phrase against that range.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import islice
from typing import Any

from tracker.dates import value_for
from tracker.timex import (
    DAY,
    MON,
    WDAY,
    WEEKDAYS,
    YEAR,
    Anchor,
    Scan,
    common_period,
    day_number,
    month_number,
)

LOOKBACK_YEARS = 30
# What happens in a lawsuit, as merge folds the words ("sued", "filed suit" -> "sue").
ACTIONS = frozenset({"halt", "sue", "designate", "remove", "rule", "appeal", "settle", "trial", "verdict", "merger"})


@dataclass(frozen=True)
class PublishedGuess:
    """The publication date as known: a value at its granularity, the day range, and why."""

    value: str | None
    anchor: Anchor | None
    basis: str
    confidence: float = 0.0
    evidence: tuple[int, int] | None = None


UNKNOWN = PublishedGuess(None, None, "unknown")

_META_LINE = re.compile(
    r"^\s*(?:date|published(?:\s+on)?|posted(?:\s+on)?|updated(?:\s+on)?|first\s+published)\s*[:\-]?\s*(?P<rest>.+)$",
    re.IGNORECASE | re.MULTILINE,
)
_DATELINE = re.compile(
    rf"^(?P<place>[A-Z][A-Za-z .'’-]{{1,40}}(?:,\s*[A-Z][A-Za-z .]{{1,20}})?),\s+"
    rf"(?:(?P<mon>{MON})\s+(?P<day>{DAY})(?:,?\s+(?P<year>{YEAR}))?|(?P<day2>{DAY})\s+(?P<mon2>{MON})(?:,?\s+(?P<year2>{YEAR}))?)"
    rf"\s*(?:\([^)]{{1,40}}\))?\s*[-–—]",
    re.MULTILINE,
)
# "WASHINGTON (Capitol Wire) -": a dateline that gives no date.
_BARE_DATELINE = re.compile(r"^[A-Z][A-Z .'’-]{1,40}(?:,\s*[A-Z][A-Za-z .]{1,20})?\s*\([^)]{1,40}\)\s*[-–—]+")
_WEEKDAY_PAIR = re.compile(rf"(?P<wd>{WDAY})\s*(?:\(\s*|,\s*)(?P<mon>{MON})\s+(?P<day>{DAY})(?:,?\s+(?P<year>{YEAR}))?")
_BARE_WEEKDAY = re.compile(rf"(?:\b(?P<mod>(?i:last|on|this))\s+)?(?P<wd>{WDAY})")


def _exact(day: date, basis: str, confidence: float, span: tuple[int, int]) -> PublishedGuess:
    return PublishedGuess(day.isoformat(), Anchor.day(day), basis, confidence, span)


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def latest_year_with_weekday(month: int, day: int, weekday: int, today: date) -> date | None:
    """The latest date not after `today` on which month/day falls on `weekday`."""
    for year in range(today.year, today.year - LOOKBACK_YEARS, -1):
        found = _safe(year, month, day)
        if found and found <= today and found.weekday() == weekday:
            return found
    return None


_HTML_META = re.compile(
    r"<meta\s[^>]*(?:property|name|itemprop)=[\"'](?:article:published_time|og:published_time|datePublished|"
    r"date|pubdate|publish-date|dc\.date|DC\.date\.issued)[\"'][^>]*content=[\"'](?P<value>\d{4}-\d{2}-\d{2})",
    re.IGNORECASE,
)


def _metadata(scan: Scan) -> PublishedGuess | None:
    text = scan.text
    head = text[:2000]
    meta = _HTML_META.search(text[:20000])
    if meta:
        try:
            return _exact(date.fromisoformat(meta["value"]), "metadata", 0.99, meta.span())
        except ValueError:
            pass
    for match in _META_LINE.finditer(head):
        rest_start, rest_end = match.span("rest")
        for candidate in _within(scan, rest_start, rest_end):
            if candidate.relative:
                continue
            resolved = candidate.resolve(date(2000, 1, 1), False)
            if resolved and candidate.granularity == "day":
                day = date.fromisoformat(resolved[0])
                return _exact(day, "metadata", 0.98, (match.start(), match.end()))
    return None


def _within(scan: Scan, start: int, end: int) -> list[Any]:
    """The scan's candidates inside [start, end), in order."""
    return [c for c in scan.candidates if start <= c.start and c.end <= end]


def _sentence_from(scan: Scan, at: int, offset: int) -> tuple[int, int]:
    """The sentence holding `at` in the text from `offset` on (a sentence the
    offset cuts starts there, as if the text began at it)."""
    text = scan.text
    s_start, s_end = scan.sentence_at(at)
    if s_start < offset:
        s_start = offset
        while s_start < s_end and text[s_start].isspace():
            s_start += 1
    return s_start, s_end


def _explicit_past(scan: Scan, today: date, offset: int = 0) -> list[str]:
    """First days (ISO) of the periods the story names (from `offset` on), with their
    year, for what has already happened: the story is no older than any of them."""
    from tracker.dates import period_start
    from tracker.timex import looks_ahead_at

    text = scan.text
    years = []
    for candidate in scan.candidates:
        if candidate.start < offset or candidate.relative or candidate.confidence < 0.8 or candidate.loose:
            continue
        resolved = candidate.resolve(date(2000, 1, 1), False)
        if not resolved:
            continue
        year = int(resolved[0][:4])
        if year > today.year:
            continue
        s_start, s_end = _sentence_from(scan, candidate.start, offset)
        if looks_ahead_at(text[s_start:s_end], candidate.start - s_start, candidate.end - s_start):
            continue
        years.append(period_start(resolved[0]) or f"{year}-01-01")
    return years


def _pairs(text: str) -> list[tuple[int, int, int]]:
    """Yearless weekday+date pairs ("on Monday (Sept. 22)"): (month, day, weekday)."""
    return [(month_number(m["mon"]), day_number(m["day"]), WEEKDAYS[m["wd"].lower()])
            for m in _WEEKDAY_PAIR.finditer(text) if not m["year"]]


def _pair_fits(pair: tuple[int, int, int], published: date) -> bool:
    """A weekday+date pair fits a publication day when that date, in the days before it
    (or just after: "will rule on Friday (May 3)"), falls on that weekday."""
    month, day, weekday = pair
    for year in (published.year - 1, published.year, published.year + 1):
        found = _safe(year, month, day)
        if found and -14 <= (found - published).days <= 14:
            return found.weekday() == weekday
    return False


def choose_year(month: int, day: int, text: str, today: date, weekday: int | None = None,
                lead_weekdays: frozenset[int] = frozenset(), *, scan: Scan | None = None,
                past: list[str] | None = None) -> tuple[date, float] | None:
    """The year of a yearless publication day ("WASHINGTON, Aug 5 -", "on Tuesday (May 11)"),
    as a careful reader picks it: not after today; not before the latest year the story
    names for what has happened; fitting the weekday of the day itself and of every
    weekday+date pair in the story. Among the years left, the earliest (a story is
    written soon after what it reports). None when nothing decides.

    `scan` is the story's `Scan` when the caller has one; `past` what `_explicit_past`
    found in it, when the caller asks for several days of one story."""
    if past is None:
        past = _explicit_past(scan or Scan(text), today)
    floor = int(max(past)[:4]) if past else None
    pairs = _pairs(text)
    years = [y for y in range(today.year, today.year - LOOKBACK_YEARS, -1)
             if (found := _safe(y, month, day)) and found <= today]
    # Nothing the story tells as done lies after the day it ran ("contracts tied to the
    # November 2024 elections" in a May story: May 2025).
    latest = max(past) if past else None
    if latest and any(date(y, month, day).isoformat() >= latest for y in years):
        years = [y for y in years if date(y, month, day).isoformat() >= latest]
        floor = min(years) if floor is not None and years else floor
    fitting = [y for y in years
               if (weekday is None or date(y, month, day).weekday() == weekday)
               and all(_pair_fits(p, date(y, month, day)) for p in pairs)]
    # "ruled on Monday" in the lead of a dateline story: by wire convention, that day.
    same_day = [y for y in fitting if date(y, month, day).weekday() in lead_weekdays]
    if same_day and floor is not None and any(y >= floor for y in same_day):
        fitting, weekday = same_day, date(same_day[0], month, day).weekday()
    if weekday is not None or pairs:
        if floor is not None:
            after = [y for y in fitting if y >= floor]
            if after:
                return date(min(after), month, day), 0.9
        if fitting:
            return date(max(fitting), month, day), 0.75
        return None
    if floor is not None and floor in years:
        return date(floor, month, day), 0.7
    return None


# `_dateline`'s and `page_spans`'s patterns, compiled once.
_LINE = re.compile(r"[^\n]+")


def _dateline(scan: Scan, today: date) -> PublishedGuess | None:
    text = scan.text
    for para in islice(_LINE.finditer(text), 4):
        match = _DATELINE.match(para.group())
        if not match:
            continue
        month = month_number(match["mon"] or match["mon2"])
        day = day_number(match["day"] or match["day2"])
        year_text = match["year"] or match["year2"]
        span = (para.start(), para.start() + match.end())
        if year_text:
            found = _safe(int(year_text), month, day)
            return _exact(found, "dateline", 0.97, span) if found else None
        # The dateline omits the year: the years the story names and its weekday+date
        # pairs decide it.
        body = text[para.start() + match.end():]
        lead = body[: body.find("\n") if "\n" in body else len(body)]
        lead_weekdays = frozenset(WEEKDAYS[w.lower()] for w in re.findall(WDAY, lead))
        offset = para.start() + match.end()
        chosen = choose_year(month, day, body, today, lead_weekdays=lead_weekdays,
                             past=_explicit_past(scan, today, offset))
        return _exact(chosen[0], "dateline", chosen[1], span) if chosen else None
    return None


def _weekday_pair(scan: Scan, today: date) -> PublishedGuess | None:
    text = scan.text
    past: list[str] | None = None
    for match in _WEEKDAY_PAIR.finditer(text):
        month, day = month_number(match["mon"]), day_number(match["day"])
        weekday = WEEKDAYS[match["wd"].lower()]
        if match["year"]:
            found = _safe(int(match["year"]), month, day)
            if found and found.weekday() == weekday:
                return _exact(found, "weekday-anchor", 0.9, match.span())
            continue
        if past is None:
            past = _explicit_past(scan, today)
        chosen = choose_year(month, day, text, today, weekday, past=past)
        if chosen:
            return _exact(chosen[0], "weekday-anchor", min(chosen[1], 0.85), match.span())
    return None


def _weekday_reference(scan: Scan, today: date) -> PublishedGuess | None:
    """"last Friday" plus a yearless "March 12" that was a Friday: the week after it.

    Each distinct weekday reference ("last Friday") and yearless date is weighed once, at
    its first mention: a later mention of the same words gives the same day."""
    text = scan.text
    yearless: dict[tuple[int, int], None] = {}
    for candidate in scan.candidates:
        if not (candidate.relative and candidate.granularity == "day"):
            continue
        phrase = text[candidate.start:candidate.end]
        match = _YEARLESS.fullmatch(phrase)
        if match:
            yearless[(month_number(match["mon"] or match["mon2"]), day_number(match["day"] or match["day2"]))] = None
    if not yearless:
        return None  # a weekday reference alone places no day
    best: tuple[date, date, date, tuple[int, int]] | None = None
    weighed: set[tuple[int, str]] = set()
    for ref in _BARE_WEEKDAY.finditer(text):
        if _PAIR_AFTER.match(text, ref.end(), ref.end() + 20):
            continue  # a weekday pair, handled above
        weekday = WEEKDAYS[ref["wd"].lower()]
        mod = (ref["mod"] or "").lower()
        if (weekday, mod) in weighed:
            continue
        weighed.add((weekday, mod))
        for month, day in yearless:
            found = latest_year_with_weekday(month, day, weekday, today)
            if found is None:
                continue
            low = found + timedelta(days=1) if mod == "last" else found
            high = found + timedelta(days=7) if mod == "last" else found + timedelta(days=6)
            high = min(high, today)
            if best is None or found > best[0]:
                best = (found, low, high, ref.span())
    if best is None:
        return None
    _, low, high = best[0], best[1], best[2]
    common = common_period((low.isoformat(), "day"), (high.isoformat(), "day"))
    value = common[0] if common else value_for(low, "year")
    return PublishedGuess(value, Anchor(low, high), "weekday-anchor", 0.6, best[3])


_YEARLESS = re.compile(rf"(?P<mon>{MON})\s+(?P<day>{DAY})|(?P<day2>{DAY})\s+(?P<mon2>{MON})")
_PAIR_AFTER = re.compile(rf"\s*[(,]\s*{MON}\s+{DAY}")
_FURNITURE_TRUST = {"date-line": 0.97, "byline": 0.97, "timestamp": 0.95, "updated": 0.9}


def _furniture(scan: Scan, today: date) -> PublishedGuess | None:
    """A date-only line, a byline, a timestamp or an update stamp (the first of these the
    page shows, a publication line before an update stamp), never after today."""
    dated = [f for f in scan.furniture if f.day and f.kind in _FURNITURE_TRUST and f.day <= today]
    if not dated:
        return None
    best = min(dated, key=lambda f: (f.kind == "updated", f.start))
    return PublishedGuess(best.day.isoformat(), Anchor.day(best.day), best.kind,  # type: ignore[union-attr]
                          _FURNITURE_TRUST[best.kind], (best.start, best.end))


def page_spans(text: str, scan: Scan | None = None) -> list[tuple[int, int]]:
    """Spans that describe the page rather than the story: furniture lines and the
    dateline. Their dates are never events. (`scan`: the text's, when the caller has it.)"""
    if scan is None:
        from tracker.furniture import furniture_lines

        lines = furniture_lines(text)
    else:
        lines = scan.furniture
    spans = [(f.start, f.end) for f in lines]
    for para in islice(_LINE.finditer(text), 6):
        match = _DATELINE.match(para.group()) or _BARE_DATELINE.match(para.group())
        if match:
            spans.append((para.start(), para.start() + match.end()))
            break
    return sorted(spans)


def infer_published(text: str, today: date, scan: Scan | None = None) -> PublishedGuess:
    """Best evidence of the publication date in `text`, or UNKNOWN (`scan`: the text's,
    when the caller has it)."""
    scan = scan or Scan(text)
    guess = _metadata(scan)
    if guess:
        return guess
    for finder in (_furniture, _dateline, _weekday_pair, _weekday_reference):
        guess = finder(scan, today)
        if guess:
            return guess
    return UNKNOWN


def guess_from_value(value: str, basis: str) -> PublishedGuess:
    """A stored or user-given publication value back into an anchor."""
    from tracker.dates import granularity_of, period_bounds

    first, last = period_bounds(value)
    return PublishedGuess(value, Anchor(first, last), basis, 1.0 if granularity_of(value) == "day" else 0.5)


# `from_case_events`'s patterns, compiled once.
_WEEKDAY_OR_YESTERDAY = re.compile(r"(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|yesterday")  # "on Tuesday", "yesterday"


def from_case_events(text: str, known: list[tuple[str, str]], window_days: int = 60,
                     scan: Scan | None = None) -> PublishedGuess | None:
    """Date an undated story by an event of its case that another source dates.

    "A judge ruled on Thursday that ..." restates an event the case already has on
    2023-07-13; only some publication days make "on Thursday" land there. A weekday or
    "yesterday" is read by wire convention (the story ran that day, or the next for
    "yesterday"); other phrases keep the whole range of days they allow. `scan` is the
    text's, when the caller has it.
    """
    from tracker.merge import action_words
    from tracker.sentences import segment_bounds
    from tracker.timex import looks_ahead_at

    from tracker.dates import granularity_of

    events = [(v, action_words(t)) for v, t in known if v and granularity_of(v) in {"day", "week", "month", "year"}]
    if not events:
        return None
    # Words in many of the case's events (the parties, "court") say little about which
    # event a sentence restates; rare ones say much: weigh shared words by rarity.
    frequency: dict[str, int] = {}
    for _, words in events:
        for word in words:
            frequency[word] = frequency.get(word, 0) + 1
    weight = {w: math.log(1 + len(events) / n) for w, n in frequency.items()}
    scan = scan or Scan(text)
    constraints: list[tuple[date, date, tuple[int, int], bool]] = []
    for candidate in scan.candidates:
        if not candidate.relative or candidate.loose or candidate.anaphoric or candidate.granularity != "day":
            continue
        s_start, s_end = scan.sentence_at(candidate.start)
        sentence = text[s_start:s_end]
        begin, finish = segment_bounds(sentence, candidate.start - s_start, candidate.end - s_start)
        words = action_words(sentence[begin:finish])
        future = looks_ahead_at(sentence, candidate.start - s_start, candidate.end - s_start)
        # Only events this phrase can point at compete: "on Thursday" never restates
        # an event that fell on a Wednesday.
        scored = []
        days_for: dict[str, list[date]] = {}  # many events share a value ("2016", "2023-07")
        resolved_on: dict[date, Any] = {}  # the phrase read on each publication day, asked once
        for value, event_words in events:
            shared = words & event_words
            if not shared:
                continue  # scores 0: can be neither the best fit nor a close second
            fits = days_for.get(value)
            if fits is None:
                fits = days_for[value] = _publication_days(candidate, value, future, window_days, resolved_on)
            if fits:
                scored.append((sum(weight[w] for w in shared), len(shared), value, fits, shared))
        # A weekday names a day: events another story dates to that very day are what it
        # can restate; a month-long event fits any Friday in it and says less.
        if candidate.weekday is not None and any(len(item[2]) == 10 for item in scored):
            scored = [item for item in scored if len(item[2]) == 10]
        scored.sort(key=lambda item: item[:3], reverse=True)
        if not scored:
            continue
        # One day-dated event on that weekday sharing what happened ("sued", "ruled") is
        # enough; sharing only a descriptor ("voting-machine") is not.
        lone_day = (candidate.weekday is not None and len(scored) == 1 and len(scored[0][2]) == 10
                    and bool(scored[0][4] & ACTIONS))
        if not lone_day and (scored[0][1] < 2 or scored[0][0] < 3.0):
            continue  # restates no known event
        if len(scored) > 1 and scored[1][2] != scored[0][2] and scored[1][0] > 0.67 * scored[0][0]:
            continue  # two events fit about as well: no evidence either way
        value, fits = scored[0][2], scored[0][3]
        constraints.append((min(fits), max(fits), (candidate.start, candidate.end), len(value) == 10))
    if not constraints:
        return None
    low = max(c[0] for c in constraints)
    high = min(c[1] for c in constraints)
    if low > high:  # the clues disagree: trust the first, as a reader meets them
        low, high = constraints[0][0], constraints[0][1]
    phrase = text[constraints[0][2][0]:constraints[0][2][1]].lower()
    exact_clue = constraints[0][3]
    if exact_clue and _WEEKDAY_OR_YESTERDAY.fullmatch(phrase):
        high = low  # wire convention: "on Tuesday" is the day the story ran
    if (high - low).days > CONTEXT_MAX_DAYS:
        return None  # the clues allow most of a season or more: too loose to read phrases against
    common = common_period((low.isoformat(), "day"), (high.isoformat(), "day"))
    value = common[0] if common else None
    return PublishedGuess(value, Anchor(low, high), "case-context", 0.5, constraints[0][2])


CONTEXT_MAX_DAYS = 31


def _publication_days(candidate: Any, value: str, future: bool, window_days: int,
                      resolved_on: dict[date, Any] | None = None) -> list[date]:
    """Publication days on which `candidate` would resolve inside `value`'s period
    (`resolved_on`: what it resolves to on the days already asked, for this candidate and
    tense; the periods of a case's events overlap)."""
    from tracker.merge import bounds

    first, last = (date.fromisoformat(d) for d in bounds(value))
    low, high = first.isoformat(), last.isoformat()
    resolved_on = {} if resolved_on is None else resolved_on
    if candidate.period:
        fits = _periodic_publication_days(candidate, first, last, future, window_days, resolved_on)
        if fits is not None:
            return fits
    fits = []
    for offset in range(-window_days, (last - first).days + window_days + 1):
        day = first + timedelta(days=offset)
        resolved = resolved_on.get(day, resolved_on)
        if resolved is resolved_on:
            resolved = resolved_on[day] = candidate.resolve(day, future)
        if resolved and low <= resolved[0] <= high and len(resolved[0]) >= 7:
            fits.append(day)
    return fits


def _periodic_publication_days(candidate: Any, first: date, last: date, future: bool, window_days: int,
                               resolved_on: dict[date, Any]) -> list[date] | None:
    """`_publication_days` for a phrase whose reading repeats every `candidate.period`
    days, moved by as many ("on Thursday"): read on one period of days, each day of
    the period gives the offset from the publication day to the day it names, the same
    for every day a whole number of periods away. The days that fit are then worked out
    rather than each read (a year-long event asks about 480 days). None when a reading
    is not a day (the caller then reads day by day)."""
    period = candidate.period
    start = first.toordinal() - window_days
    stop = last.toordinal() + window_days
    low, high = first.toordinal(), last.toordinal()
    fits: list[int] = []
    for ordinal in range(start, min(start + period, stop + 1)):
        day = date.fromordinal(ordinal)
        resolved = resolved_on.get(day, resolved_on)
        if resolved is resolved_on:
            resolved = resolved_on[day] = candidate.resolve(day, future)
        if not resolved or resolved[1] != "day" or len(resolved[0]) != 10:
            return None
        offset = date.fromisoformat(resolved[0]).toordinal() - ordinal
        # Days of this residue whose reading, `offset` days on, lies in [low, high].
        begin, end = max(start, low - offset), min(stop, high - offset)
        if begin > end:
            continue
        begin += (ordinal - begin) % period
        fits.extend(range(begin, end + 1, period))
    return [date.fromordinal(ordinal) for ordinal in sorted(fits)]
