"""The case strip: one or two lines above the timeline that draw the selected case's
events across time, so its rhythm, its quiet stretches and where the cursor stands are
seen at a glance before reading any row.

Each column is a month (a week when the case spans under half a year, several months
when it spans more than the width). Two lines: confirmed events above (✓, green),
suggested below (?, yellow), bar heights in eighths of the busiest column; rejected
events and undated ones are left out. Empty columns are dotted, and a run of empty
columns long enough to matter (GAP_DAYS) is dashed (╌, red) so gaps stand out; the cursor's
column is drawn in reverse video. Glyphs carry the meaning as well as colours, so it
reads the same with NO_COLOR, in 16 colours, and in tmux. One line (when the screen is
short) draws one bar per column, green where confirmed events dominate, else yellow.

The counts are one grouped query per case change (`Store.case_activity`, an index-only
scan); moving the cursor only redraws. The query walks the case's events, 16-35 ms for
a case of 100,000: for a case of READ_APART_FROM events or more it runs in a thread, so
the case's timeline and excerpts are drawn without waiting for it. The strip of a case
just opened is blank until its counts come; after a write to the case shown, its bars
stay until the new counts replace them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from rich.text import Text
from textual.widget import Widget
from textual.worker import get_current_worker

from tracker import dates
from tracker.models import Change, Event, RowSource, StoreError
from tracker.widgets.safe_text import read_or_say, show_error

BARS = " ▁▂▃▄▅▆▇█"
GAP_DAYS = 45
"""Empty columns covering this many days in a row are marked as a gap."""
CONFIRMED, SUGGESTED, GAP, CURSOR = "green", "yellow", "red", "reverse bold"
LABEL_WIDTH = 2
RIGHT_WIDTH = 19
"""Room after the bars for "  2021-03…2021-09" and "  ▲ 2021-03-01"."""


@dataclass(frozen=True)
class Column:
    """One column of the strip: the periods it covers and their counts."""

    first: date
    last: date
    confirmed: int
    suggested: int

    @property
    def total(self) -> int:
        return self.confirmed + self.suggested


def _month(day: date) -> date:
    return day.replace(day=1)


def _day(value: str | None) -> date | None:
    """A stored day the strip can draw: one that exists, in years 1 to 9998 (a date
    stored before the gate refused it is left off the strip, never a crash)."""
    try:
        day = date.fromisoformat(value or "")
    except (TypeError, ValueError):
        return None
    return day if 1 <= day.year <= 9998 else None


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def periods(first: date, last: date, by_week: bool) -> tuple[str, list[date]]:
    """("week" or "month", the start of every period from `first` to `last`)."""
    if by_week:
        start = first - timedelta(days=first.weekday())
        return "week", [start + timedelta(weeks=i) for i in range((last - start).days // 7 + 1)]
    starts = [_month(first)]
    while starts[-1] < _month(last):
        starts.append(_next_month(starts[-1]))
    return "month", starts


def columns(days: list[tuple[str, int, int]], width: int, grain: str = "day") -> tuple[str, list[Column]]:
    """Bucket (period start, confirmed, suggested) counts into at most `width` columns;
    `grain` says whether the counts are per day (drawn by week) or per month.

    A period gets several columns when there are few periods (so a three-month case
    does not draw as three thin bars), several periods share a column when there are
    more periods than columns.
    """
    parsed = [(d, c, s) for d, c, s in ((_day(day), c, s) for day, c, s in days) if d is not None]
    if not parsed or width <= 0:
        return "month", []
    grain, starts = periods(parsed[0][0], parsed[-1][0], by_week=grain == "day")
    counts = [[0, 0] for _ in starts]
    index = 0
    for day, confirmed, suggested in parsed:
        while index + 1 < len(starts) and starts[index + 1] <= day:
            index += 1
        counts[index][0] += confirmed
        counts[index][1] += suggested
    last = parsed[-1][0] if grain == "week" else _next_month(parsed[-1][0]) - timedelta(days=1)
    ends = [*(s - timedelta(days=1) for s in starts[1:]), last]
    out: list[Column] = []
    if len(starts) <= width:
        repeat = max(1, width // len(starts))
        for start, end, (c, s) in zip(starts, ends, counts):
            out += [Column(start, end, c, s)] * repeat
        return grain, out
    for col in range(width):
        lo, hi = col * len(starts) // width, (col + 1) * len(starts) // width
        c = sum(n[0] for n in counts[lo:hi])
        s = sum(n[1] for n in counts[lo:hi])
        out.append(Column(starts[lo], ends[hi - 1], c, s))
    return grain, out


def _level(count: int, top: int) -> str:
    if count <= 0 or top <= 0:
        return " "
    return BARS[max(1, min(8, -(-count * 8 // top)))]


def _gaps(cols: list[Column]) -> set[int]:
    """Indexes of columns inside a run of empty columns covering GAP_DAYS or more."""
    gaps: set[int] = set()
    run: list[int] = []
    for i, col in enumerate([*cols, None]):
        if col is not None and col.total == 0:
            run.append(i)
            continue
        if run and (cols[run[-1]].last - cols[run[0]].first).days + 1 >= GAP_DAYS:
            gaps.update(run)
        run = []
    return gaps


def _label(day: date, grain: str) -> str:
    return day.isoformat() if grain == "week" else day.strftime("%Y-%m")


def draw(
    days: list[tuple[str, int, int]], width: int, lines: int = 2, cursor: str | None = None, grain: str = "day"
) -> Text:
    """The strip as Text, `width` cells wide and `lines` (1 or 2) high.

    `grain` and `days` are `Store.case_activity` output; `cursor` the day (YYYY-MM-DD)
    of the event under the cursor, if it is dated.
    """
    if not days:
        return Text("no dated events to draw", style="dim", no_wrap=True, overflow="ellipsis", end="")
    first, last = days[0][0], days[-1][0]
    span = f"{first[:7]}…{last[:7]}" if first[:7] != last[:7] else first[:7]
    right = f"  {span}".ljust(RIGHT_WIDTH)
    room = width - LABEL_WIDTH - RIGHT_WIDTH
    if room < 12:  # too narrow for the dates: the bars matter more
        right, room = "", width - LABEL_WIDTH
    grain, cols = columns(days, max(1, room), grain)
    room = len(cols)
    top = max(max(col.confirmed, col.suggested) for col in cols) if lines > 1 else max(c.total for c in cols)
    gaps = _gaps(cols)
    at = None
    day = _day(cursor) if cursor else None
    if day is not None:
        at = [i for i, col in enumerate(cols) if col.first <= day <= col.last] or None
    rows: list[Text] = []
    kinds = [("✓", "confirmed", CONFIRMED), ("?", "suggested", SUGGESTED)] if lines > 1 else [("▌", "total", "")]
    for row, (mark, field, colour) in enumerate(kinds):
        line = Text(no_wrap=True, overflow="crop", end="")
        line.append(f"{mark} ", style=colour or "dim")
        for i, col in enumerate(cols):
            count = getattr(col, field)
            bottom = row == len(kinds) - 1
            if col.total == 0 and i in gaps:
                glyph, style = ("╌" if bottom else " "), GAP
            elif col.total == 0:
                glyph, style = ("·" if bottom else " "), "dim"
            else:
                glyph = _level(count, top)
                style = colour or (CONFIRMED if col.confirmed >= col.suggested else SUGGESTED)
            if at is not None and i in at:
                style = f"{style} {CURSOR}"
            line.append(glyph, style=style)
        if row == 0:
            line.append(right, style="dim")
        elif at is not None:
            col = cols[at[0]]
            line.append(f"  ▲ {_label(col.first, grain)}" if right else "", style="bold")
        elif right:
            line.append(f"  by {grain}", style="dim")
        rows.append(line)
    return Text("\n", end="").join(rows)


class CaseStrip(Widget):
    """The selected case's events over time; `show(case_id, event)` keeps it in step."""

    DEFAULT_CSS = """
    CaseStrip {
        height: 2;
        padding: 0 1;
    }
    """

    READ_APART_FROM = 5_000
    """Events from which a case's counts are read in a thread (below, the query takes
    about a millisecond: the strip is drawn with the rest, never blank)."""

    def __init__(self, store: RowSource, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.store = store
        self.case_id: int | None = None
        self.days: list[tuple[str, int, int]] = []
        self.grain = "day"
        self.cursor: str | None = None
        # While held (the app's start, until its first frame is on screen) the strip reads
        # nothing: its counts walk the case's events, 16-35 ms for a case of 100,000.
        self.held = False
        self.counting = False
        """The case's counts are being read in a thread."""
        self._asked = 0  # the latest reading of the counts; an older one's answer is dropped

    def release(self, case_id: int | None, event: Event | None) -> None:
        """The first frame is on screen: read and draw the counts now."""
        self.held = False
        self.show(case_id, event, force=True)

    def show(self, case_id: int | None, event: Event | None = None, *, force: bool = False) -> None:
        """Draw `case_id` with `event` marked; the counts are read again only when the
        case changed or `force` (after a write)."""
        if self.held:
            return
        if force or case_id != self.case_id:
            if case_id != self.case_id:
                self.days = []  # a write to the case shown keeps its bars until the new counts come
            self.case_id = case_id
            self.counting = False
            self._asked += 1
            if case_id is not None:
                self._count(case_id)
        self.cursor = dates.period_start(event.date) if event is not None and event.date else None
        self.refresh()

    def _count(self, case_id: int) -> None:
        """Read the case's counts: here for a small case, in a thread for a big one."""
        total = read_or_say(self, lambda: self.store.case_event_total(case_id))
        if total is None:
            return
        if total < self.READ_APART_FROM:
            found = read_or_say(self, lambda: self.store.case_activity(case_id))
            self.grain, self.days = found if found is not None else (self.grain, [])
            return
        self.counting = True
        asked = self._asked
        self.run_worker(lambda: self._count_apart(case_id, asked), thread=True, exclusive=True,
                        group="strip-counts", exit_on_error=False)

    def _count_apart(self, case_id: int, asked: int) -> None:
        """In a thread: the counts, handed to the UI thread (a failure is said there)."""
        worker = get_current_worker()
        try:
            found: tuple[str, list[tuple[str, int, int]]] | Exception = self.store.case_activity(case_id)
        except StoreError as err:
            found = err
        except Exception as exc:  # noqa: BLE001 - the strip stays blank, never waits forever
            found = StoreError(f"the case's events could not be counted ({type(exc).__name__}: {exc})")
        if worker.is_cancelled:
            return
        try:
            self.app.call_from_thread(self._counted, asked, found)
        except RuntimeError:  # the app ended meanwhile
            pass

    def _counted(self, asked: int, found: tuple[str, list[tuple[str, int, int]]] | Exception) -> None:
        if asked != self._asked:  # another case (or a write) asked again since
            return
        self.counting = False
        if isinstance(found, Exception):
            self.days = []
            show_error(self, found)
        else:
            self.grain, self.days = found
        self.refresh()

    def apply(self, change: Change, case_id: int | None, event: Event | None) -> None:
        """Redraw after a write; the counts are read again only if it touched this case."""
        self.show(case_id, event, force=case_id in change.cases)

    def render(self) -> Text:
        if self.case_id is None or (self.counting and not self.days):
            return Text("")
        lines = min(2, max(1, self.content_size.height))
        return draw(self.days, self.content_size.width, lines, self.cursor, self.grain)
