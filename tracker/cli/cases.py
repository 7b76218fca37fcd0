"""Commands about cases as wholes: facts, filing, merging, the record as known on a date,
and what comes next across all cases.

The `case` group holds the reorganising commands; `asof` and `agenda` stand alone.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tracker.cli.options import DAYS, ROW_ID, CASE_REF, ISO_DAY, emit_json, fail, json_option, table, with_store, say

if TYPE_CHECKING:
    from tracker.models import Case
    from tracker.store import Store


@click.group()
def case() -> None:
    """Look at and reorganise cases: facts, filing, merge, split."""


@case.command("show")
@click.argument("case_ref", metavar="CASE", type=CASE_REF)
@with_store
@json_option
def case_show(case_ref: Case, store: Store, as_json: bool) -> None:
    """Facts of CASE with the passage behind each, and why each source is in it."""
    found = case_ref
    facts = store.case_facts(found.id)
    sources = [(s, store.source_filing(s.id)[1]) for s in store.case_sources(found.id)]
    from tracker.cases import duplicates

    twins = duplicates(found.id, store.dispute_marks())
    if as_json:
        emit_json({"id": found.id, "title": found.title, "possible_duplicates": twins,
                   "facts": [{"field": f.field, "value": f.value, "origin": f.origin, "source_id": f.source_id,
                              "passage": f.passage} for f in facts],
                   "sources": [{"id": s.id, "title": s.title, "published": s.published, "filed_because": why}
                               for s, why in sources]})
        return
    say(f"{found.title} (case {found.id})")
    for twin in twins:
        say(f"possible duplicate of case {twin} ({store.get_case(twin).title}): "
            f"`tracker case merge {found.id} {twin}` merges them")
    table(["fact", "value", "from", "passage"],
           [[f.field, f.value, "typed" if f.origin == "manual" else (f.source_title or ""), f.passage or ""]
            for f in facts])
    table(["source", "published", "filed because"],
           [[f"{s.id} {s.title}", s.published or "unknown", why or ""] for s, why in sources])


@case.command("set")
@click.argument("case_ref", metavar="CASE", type=CASE_REF)
@click.argument("field", type=click.Choice(["parties", "court", "docket", "judge", "status"]))
@click.argument("value")
@with_store
def case_set(case_ref: Case, field: str, value: str, store: Store) -> None:
    """Set a fact of CASE by hand (status: open, decided, settled, dismissed)."""
    found = case_ref
    store.set_case_fact(found.id, field, value)
    say(f"{found.title}: {field} = {value}")


@case.command("rename")
@click.argument("case_ref", metavar="CASE", type=CASE_REF)
@click.argument("title")
@with_store
def case_rename(case_ref: Case, title: str, store: Store) -> None:
    """Give CASE a new title."""
    found = case_ref
    store.rename_case(found.id, title)
    say(f"renamed {found.title!r} to {title!r}")


@case.command("move-source")
@click.argument("source_id", type=ROW_ID)
@click.argument("case_ref", metavar="CASE", type=CASE_REF)
@with_store
def case_move_source(source_id: int, case_ref: Case, store: Store) -> None:
    """File source SOURCE_ID into CASE, with the events that rest on it alone."""
    target = case_ref
    moved = store.move_source(source_id, target.id)
    say(f"moved source {source_id} and {moved} events to {target.title}")


@case.command("merge")
@click.argument("from_ref", metavar="FROM", type=CASE_REF)
@click.argument("into_ref", metavar="INTO", type=CASE_REF)
@with_store
def case_merge(from_ref: Case, into_ref: Case, store: Store) -> None:
    """Merge case FROM into case INTO (sources, events, facts); FROM is removed."""
    source, target = from_ref, into_ref
    store.merge_cases(source.id, target.id)
    say(f"merged {source.title!r} into {target.title!r}")


@case.command("split")
@click.argument("case_ref", metavar="CASE", type=CASE_REF)
@click.argument("source_ids", nargs=-1, type=ROW_ID, required=True)
@click.option("--title", required=True, help="Title of the new case.")
@with_store
def case_split(case_ref: Case, source_ids: tuple[int, ...], title: str, store: Store) -> None:
    """Move SOURCE_IDS of CASE into a new case called --title."""
    found = case_ref
    mine = {s.id for s in store.case_sources(found.id)}
    strangers = [str(s) for s in source_ids if s not in mine]
    if strangers:
        fail(f"sources {', '.join(strangers)} are not in {found.title!r}")
    if any(c.title.casefold() == title.casefold() for c in store.list_cases()):
        fail(f"a case called {title!r} exists; use `tracker case move-source` to move into it")
    _, moved = store.split_case(found.id, source_ids, title)
    say(f"split {len(source_ids)} sources and {moved} events into {title!r}")


@case.command("delete")
@click.argument("case_ref", metavar="CASE", type=CASE_REF)
@with_store
def case_delete(case_ref: Case, store: Store) -> None:
    """Remove CASE if it holds no event and no source (`tracker undo` brings it back)."""
    store.delete_case(case_ref.id)
    click.echo(f"deleted case {case_ref.id} {case_ref.title!r}")


@case.command("verify")
@click.argument("case_ref", metavar="CASE", type=CASE_REF)
@with_store
@json_option
def case_verify(case_ref: Case, store: Store, as_json: bool) -> None:
    """Events of CASE that only one source supports: the ones to check."""
    events = store.single_source_events(case_ref.id)
    if as_json:
        emit_json([{"id": e.id, "date": e.date, "title": e.title, "status": e.status, "sources": e.source_count}
                   for e in events])
        return
    table(["id", "date", "status", "title"], [[str(e.id), e.date or "undated", e.status, e.title] for e in events])


@click.command()
@click.argument("case_ref", metavar="CASE", type=CASE_REF)
@click.argument("day", metavar="DATE", type=ISO_DAY)
@with_store
@json_option
def asof(case_ref: Case, day: date, store: Store, as_json: bool) -> None:
    """CASE as the public record stood on DATE, with how late each event was first reported."""
    from tracker.dates import period_start

    when = day
    rows = store.as_known_on(case_ref.id, when.isoformat())

    def lag(value: str | None, first: str) -> int | None:
        try:  # a date stored before the gate refused it has no lag
            start = period_start(value)
            if not start or len(first) < 10:
                return None
            return (date.fromisoformat(first[:10]) - date.fromisoformat(start)).days
        except ValueError:
            return None

    if not rows and not as_json:
        click.echo(f"nothing known on {when.isoformat()}: {store.why_unknown(case_ref.id, when.isoformat())}")
        return
    data = [{"id": e.id, "date": e.date, "title": e.title, "first_reported": first, "lag_days": lag(e.date, first)}
            for e, first in rows]
    if as_json:
        emit_json(data)
        return
    table(["id", "date", "first reported", "lag", "title"],
           [[str(d["id"]), d["date"] or "undated", d["first_reported"], _days(d["lag_days"]), d["title"]]
            for d in data])


def _days(value: Any) -> str:
    return "" if value is None else f"{value} d"


@click.command()
@click.option("--days", type=DAYS, default=30, show_default=True, help="How far ahead to look.")
@click.option("--from", "start", type=ISO_DAY, help="Start day (YYYY-MM-DD; default today).")
@click.option("--ics", "ics", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the agenda as an iCalendar file (- for stdout).")
@with_store
@json_option
def agenda(days: int, start: date | None, ics: Path | None, store: Store, as_json: bool) -> None:
    """Scheduled events (hearings, deadlines, effective dates) across all cases in the next DAYS."""
    first = start or date.today()
    last = first + timedelta(days=days)
    items = store.agenda(first.isoformat(), last.isoformat())
    if ics:
        from tracker.ical import calendar

        entries = []
        for event, title in items:
            passages = store.event_excerpts(event.id)
            entries.append((event, title, f"{title}\n" + (passages[0].text if passages else event.date_text)))
        text = calendar(entries, name=f"tracker agenda {first}")
        if str(ics) == "-":
            click.echo(text, nl=False)
            return
        try:
            ics.write_text(text, encoding="utf-8", newline="")
        except OSError as exc:
            fail(f"cannot write {ics}: {exc.strerror or exc}")
        say(f"wrote {len(entries)} events to {ics}", err=True)
    if as_json:
        emit_json([{"id": e.id, "case": title, "date": e.date, "granularity": e.granularity, "title": e.title,
                    "status": e.status} for e, title in items])
        return
    say(f"scheduled from {first} to {last}:")
    table(["date", "case", "title", "status"], [[e.date or "", title, e.title, e.status] for e, title in items])
