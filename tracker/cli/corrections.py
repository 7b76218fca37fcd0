"""Correcting by hand what an import got wrong: a source's facts (its publication date
re-reads its events), an event's kind or date, two events that are one, a passage that
tells of another event. Every change is audited; `tracker undo` takes it back."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

import click

from tracker.cli.options import emit_json, event_json, fail, json_option, with_store

if TYPE_CHECKING:
    from tracker.store import Store

SOURCE_FIELDS = ("published", "title", "url", "outlet")


@click.group()
def source() -> None:
    """Show a source's facts and correct them."""


@source.command("show")
@click.argument("source_id", metavar="ID", type=int)
@with_store
@json_option
def source_show(source_id: int, store: Store, as_json: bool) -> None:
    """The facts of source ID and the events it supports."""
    facts = store.source_facts(source_id)
    events = store.source_events(source_id)
    if as_json:
        emit_json({**facts, "events": [event_json(e) for e in events]})
        return
    for name in ("id", "case_id", *SOURCE_FIELDS, "published_basis"):
        click.echo(f"{name}: {facts.get(name) if facts.get(name) is not None else '-'}")
    for event in events:
        click.echo(f"  event {event.id}: {event.date or 'undated'} {event.status} {event.title}")


@source.command("set")
@click.argument("source_id", metavar="ID", type=int)
@click.argument("field", type=click.Choice(SOURCE_FIELDS))
@click.argument("value")
@with_store
@json_option
def source_set(source_id: int, field: str, value: str, store: Store, as_json: bool) -> None:
    """Set FIELD of source ID. A publication date (YYYY-MM-DD, YYYY-MM or YYYY) is
    recorded with basis "user" and the source's events are read again against it."""
    from tracker.importer import correct_source

    if field == "published":
        value = _period(value)
    change = correct_source(store, source_id, **{field: value})
    if as_json:
        emit_json({"source": store.source_facts(source_id), "events": [event_json(e) for e in change.events],
                   "removed": list(change.removed)})
        return
    click.echo(f"source {source_id} {field}: {value}")
    for event in change.events:
        flag = " !" if event.conflict else ""
        click.echo(f"  event {event.id}: {event.date or 'undated'} {event.status}{flag} {event.title}")


def _period(text: str) -> str:
    """A publication date as a day, month or year value."""
    from tracker.dates import granularity_of, parse_iso_day

    text = text.strip()
    if re.fullmatch(r"\d{4}(-\d{2})?", text) and granularity_of(text) in ("year", "month"):
        return text
    try:
        return parse_iso_day(text).isoformat()
    except ValueError as exc:
        fail(str(exc))
        raise


@click.group()
def event() -> None:
    """Correct an event: its kind, title or date; merge two; split a passage off."""


@event.command("set")
@click.argument("event_id", metavar="ID", type=int)
@click.argument("field", type=click.Choice(["kind", "title", "date", "note"]))
@click.argument("value")
@click.option("--base", type=str, help="Read a relative date against this day (default: today).")
@with_store
@json_option
def event_set(event_id: int, field: str, value: str, base: str | None, store: Store, as_json: bool) -> None:
    """Set FIELD of event ID: kind (occurred or scheduled), title, date or note."""
    current = store.get_event(event_id)
    if field == "kind":
        changed = store.set_kind(event_id, value).events[0]
    elif field == "date":
        from tracker.dates import parse_iso_day, parse_user_date

        try:
            read = parse_user_date(value, parse_iso_day(base) if base else date.today())
        except ValueError as exc:
            fail(str(exc))
            return
        changed = store.update_event(event_id, value=read.value, granularity=read.granularity, date_text=value,
                                     title=current.title)
    else:
        changed = store.update_event(event_id, value=current.date, granularity=current.granularity,
                                     date_text=current.date_text,
                                     title=value if field == "title" else current.title,
                                     note=value if field == "note" else None)
    if as_json:
        emit_json(event_json(changed))
        return
    click.echo(f"event {changed.id}: {changed.date or 'undated'} {changed.kind} {changed.title}")


@event.command("merge")
@click.argument("keep", type=int)
@click.argument("other", type=int)
@with_store
def event_merge(keep: int, other: int, store: Store) -> None:
    """Merge event OTHER into KEEP: passages, tags and notes united; OTHER is removed
    (`tracker undo` parts them again)."""
    merged = store.merge_events(keep, other).events[0]
    click.echo(f"merged event {other} into {keep}: {merged.source_count} sources{' !' if merged.conflict else ''}")


@event.command("split")
@click.argument("event_id", metavar="ID", type=int)
@click.argument("excerpt_id", metavar="PASSAGE", type=int)
@with_store
def event_split(event_id: int, excerpt_id: int, store: Store) -> None:
    """Take passage PASSAGE (an excerpt id, see `tracker event show`) off event ID into
    a new event of its own, dated by that passage."""
    change = store.split_passage(event_id, excerpt_id)
    new = [e for e in change.events if e.id != event_id]
    click.echo(f"split passage {excerpt_id} off event {event_id} into event {new[0].id if new else '?'}")


@event.command("show")
@click.argument("event_id", metavar="ID", type=int)
@with_store
@json_option
def event_show(event_id: int, store: Store, as_json: bool) -> None:
    """Event ID with its passages (their ids, for `event split`)."""
    found = store.get_event(event_id)
    excerpts = store.event_excerpts(event_id)
    if as_json:
        emit_json({**event_json(found), "note": found.note, "passages": [
            {"id": x.id, "source_id": x.source_id, "start": x.start, "end": x.end, "text": x.text, "date": x.value}
            for x in excerpts]})
        return
    click.echo(f"event {found.id}: {found.date or 'undated'} {found.status} {found.kind}"
               f"{' !' if found.conflict else ''} {found.title}")
    for x in excerpts:
        click.echo(f"  passage {x.id} (source {x.source_id}, {x.value or 'undated'}): {' '.join(x.text.split())[:100]}")
