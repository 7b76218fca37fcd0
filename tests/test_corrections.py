"""Correcting by hand what an import got wrong, in the store and on the CLI: a source's
facts (its date re-reads its events), merging and splitting events, linking a passage,
an event's kind, removing an empty case, a case named by a word; each audited and
undone by one undo. Plus the brief, export's refusal to overwrite and asof's reasons."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.helpers import SEEDS, run_cli
from tracker import dates
from tracker.export import Filters, render
from tracker.importer import correct_source, import_paths
from tracker.store import Store, StoreError


@pytest.fixture
def seeded(tmp_path: Path) -> Store:
    store = Store(tmp_path / "t.db")
    import_paths(store, [SEEDS])
    yield store
    store.close()


def _by_date(store: Store, case_id: int = 1) -> dict[str | None, list[int]]:
    found: dict[str | None, list[int]] = {}
    for event in store.list_events(case_id):
        found.setdefault(event.date, []).append(event.id)
    return found


def _source_of(store: Store, published: str) -> int:
    return next(s.id for s in store.all_sources() if s.published == published)


def test_a_source_redated_by_hand_moves_its_suggested_events_and_flags_confirmed_ones(seeded: Store) -> None:
    store = seeded
    may = _source_of(store, "2021-05-11")
    ruling = next(e for e in store.list_events(1) if e.source_count == 2)  # backed by both stories
    store.set_status(ruling.id, "confirmed")
    trump = next(e for e in store.source_events(may) if e.date == "2021-01-14")
    before = {e.id: e.date for e in store.list_events(1)}

    change = correct_source(store, may, published="2022-05-11")

    source = store.get_source(may)
    assert (source.published, source.published_basis) == ("2022-05-11", "user")
    dated = _by_date(store)
    assert "2021-01-14" not in dated and "2022-01-14" in dated  # "On January 14 this year" moved
    kept = store.get_event(ruling.id)
    assert kept.status == "confirmed" and kept.date == "2021-03-12"  # a person's decision stays
    assert kept.conflict  # "In March of this year" now reads 2022-03: the ! says so
    readings = {x.text[:20]: x.value for x in store.event_excerpts(ruling.id)}
    assert readings["In March of this yea"] == "2022-03"
    assert any(e.date == "2022-01-14" for e in change.events)
    assert trump.id in change.removed or store.get_event(trump.id).date == "2022-01-14"

    entry = store.undo_last()  # one undo: the date, the readings, the ! and the events
    assert entry.action == "source-edit"
    source = store.get_source(may)
    assert (source.published, source.published_basis) == ("2021-05-11", "weekday-anchor")
    assert {e.id: e.date for e in store.list_events(1)} == before
    assert not store.get_event(ruling.id).conflict


@pytest.mark.parametrize("imported_earlier", [False, True])
@pytest.mark.parametrize("change", ["kind", "tag"])
def test_a_suggestion_a_person_changed_keeps_its_passage_when_its_source_is_redated(
        seeded: Store, change: str, imported_earlier: bool) -> None:
    """An event still suggested but changed by hand (its kind set, a tag) is a person's:
    correcting its source's date gives its passage the new reading and keeps the event
    with it, whether the change came a second after the import or in the same second
    (the stamps have whole seconds; the audit log tells)."""
    store = seeded
    may = _source_of(store, "2021-05-11")
    trump = next(e for e in store.source_events(may) if e.date == "2021-01-14")
    if imported_earlier:  # the import a day before the change, as in a newsroom
        with store.connection.write() as db:
            db.execute("UPDATE events SET created_at = '2021-05-11T09:00:00+00:00', "
                       "updated_at = '2021-05-11T09:00:00+00:00'")
    if change == "kind":
        store.set_kind(trump.id, "scheduled")
    else:
        store.tag([trump.id], add=["verify"])

    correct_source(store, may, published="2022-05-11")

    kept = store.get_event(trump.id)
    assert kept.date == "2021-01-14" and kept.status == "suggested"
    assert (kept.kind == "scheduled") if change == "kind" else ("verify" in kept.tags)
    readings = [x.value for x in store.event_excerpts(trump.id)]
    assert readings == ["2022-01-14"]  # "On January 14 this year", read against the new date


def test_redating_or_moving_a_source_looks_up_its_own_events_only(seeded: Store) -> None:
    """Re-dating a source (a date typed by hand; an undated story dated at an import's
    end) and moving it to another case (by hand, or split off with others) ask for the
    events its passages back, by id: never a walk of every event, which took seconds on
    a million."""
    from tracker.store.imports import UNLINK_UNTOUCHED, UNTOUCHED_OF_SOURCE
    from tracker.store.sources import LINKS_LEFT_BEHIND, OWN_EVENTS

    for sql, params in ((UNTOUCHED_OF_SOURCE, [1, 1]), (UNLINK_UNTOUCHED, [1]), (OWN_EVENTS, [1, 1]),
                        ("SELECT * " + LINKS_LEFT_BEHIND, [1, 2]), ("DELETE " + LINKS_LEFT_BEHIND, [1, 2])):
        plan = " | ".join(r[3] for r in seeded.connection.conn.execute("EXPLAIN QUERY PLAN " + sql, params))
        assert not re.search(r"\bSCAN (e|events|event_excerpts|l)\b", plan), plan


def test_title_url_and_outlet_of_a_source(seeded: Store) -> None:
    store = seeded
    change = correct_source(store, 1, title="Xiaomi wins", url="https://example.com/x", outlet="Gizmochina")
    assert change.events == () or all(e.case_id == 1 for e in change.events)
    facts = store.source_facts(1)
    assert (facts["title"], facts["url"], facts["outlet"]) == ("Xiaomi wins", "https://example.com/x", "Gizmochina")
    store.undo_last()
    assert store.source_facts(1)["outlet"] is None
    with pytest.raises(StoreError):
        store.correct_source(1, title="  ")


def test_merge_unites_passages_tags_and_notes_and_one_undo_parts_them(seeded: Store) -> None:
    store = seeded
    first, second = [e.id for e in store.list_events(1)][:2]
    store.add_tags(first, ["court"])
    store.add_tags(second, ["ban"])
    one, two = store.get_event(first), store.get_event(second)
    passages = {x.id for x in store.event_excerpts(first)} | {x.id for x in store.event_excerpts(second)}
    change = store.merge_events(first, second)
    assert change.removed == (second,)
    merged = store.get_event(first)
    assert set(merged.tags) == {"court", "ban"}
    assert {x.id for x in store.event_excerpts(first)} == passages
    with pytest.raises(StoreError):
        store.get_event(second)
    assert store.history(first)[-1].action == "merge-events"
    store.undo_last()
    assert store.get_event(first).tags == one.tags and store.get_event(second).tags == two.tags
    assert {x.id for x in store.event_excerpts(second)}
    with pytest.raises(StoreError):
        store.merge_events(first, first)


def _sentence(store: Store, words: str) -> tuple[int, int, int]:
    """The source holding `words` and the sentence they start."""
    source = next(s for s in store.all_sources() if words in s.text)
    start = source.text.index(words)
    return source.id, start, source.text.index(".", start) + 1


def test_split_a_passage_off_and_link_one_to_an_existing_event(seeded: Store) -> None:
    store = seeded
    ruling = next(e for e in store.list_events(1) if e.source_count == 2)
    passages = store.event_excerpts(ruling.id)
    march = next(x for x in passages if x.value == "2021-03")
    change = store.split_passage(ruling.id, march.id)
    new = next(e for e in change.events if e.id != ruling.id)
    assert new.date == "2021-03" and [x.id for x in store.event_excerpts(new.id)] == [march.id]
    assert march.id not in {x.id for x in store.event_excerpts(ruling.id)}
    store.undo_last()
    assert march.id in {x.id for x in store.event_excerpts(ruling.id)}
    with pytest.raises(StoreError):
        store.get_event(new.id)

    # a passage of the reader linked to an event that exists, with its own reading
    source_id, start, end = _sentence(store, "However, last Friday")
    other = next(e for e in store.list_events(1) if e.date == "2021-03")
    linked = store.link_passage(other.id, source_id, start, end, value="2021-03-12", granularity="day",
                                date_text="last Friday").events[0]
    assert linked.conflict is False  # March 12 lies inside March: no disagreement
    store.undo_last()
    early = next(e for e in store.list_events(1) if e.date == "2021-01-14")
    linked = store.link_passage(early.id, source_id, start, end, value="2021-03-12", granularity="day",
                                date_text="last Friday").events[0]
    assert linked.conflict and linked.source_count == 2
    other = early
    store.undo_last()
    assert not store.get_event(other.id).conflict


def test_unlinking_the_passage_that_disagreed_clears_the_flag(seeded: Store) -> None:
    store = seeded
    event = store.list_events(1)[0]
    assert event.date == "2021-01-14"
    source_id, start, end = _sentence(store, "However, last Friday")
    store.link_passage(event.id, source_id, start, end, value="2021-03-12", granularity="day",
                       date_text="last Friday")
    assert store.get_event(event.id).conflict
    keep = [x.id for x in store.event_excerpts(event.id) if x.value != "2021-03-12"]
    store.save_event(1, event.id, value=event.date, granularity=event.granularity, date_text=event.date_text,
                     title=event.title, note="", tags=[], excerpt_ids=keep)
    assert not store.get_event(event.id).conflict


def test_kind_and_the_agenda(seeded: Store) -> None:
    store = seeded
    event = next(e for e in store.list_events(1) if e.kind == "occurred" and e.date)
    assert event.id not in [e.id for e, _ in store.agenda("2000-01-01", "2100-01-01")]
    assert store.set_kind(event.id, "scheduled").events[0].kind == "scheduled"
    assert event.id in [e.id for e, _ in store.agenda("2000-01-01", "2100-01-01")]
    store.undo_last()
    assert store.get_event(event.id).kind == "occurred"
    with pytest.raises(StoreError):
        store.set_kind(event.id, "maybe")


def test_only_an_empty_case_is_deleted_and_undo_brings_it_back(seeded: Store) -> None:
    store = seeded
    empty = store.ensure_case("Test case")
    store.set_case_fact(empty, "court", "D.D.C.")
    with pytest.raises(StoreError, match="not empty"):
        store.delete_case(1)
    store.delete_case(empty)
    assert "Test case" not in [c.title for c in store.list_cases()]
    entry = store.undo_last()
    assert entry.action == "delete-case"
    assert store.get_case(empty).title == "Test case"
    assert [f.value for f in store.case_facts(empty)] == ["D.D.C."]


def test_a_case_by_a_word_of_its_title_and_several_named(seeded: Store) -> None:
    store = seeded
    store.rename_case(1, "Xiaomi v. DoD")
    assert store.resolve_case("dod").id == 1
    assert store.resolve_case("Xiaomi").id == 1
    store.ensure_case("Xiaomi v. Treasury")
    with pytest.raises(StoreError, match=r"several cases: Xiaomi v\. DoD \(1\); Xiaomi v\. Treasury"):
        store.resolve_case("Xiaomi")


def test_reporter_dates() -> None:
    assert dates.reporter("2021-09-10") == "Sept. 10, 2021"
    assert dates.reporter("2021-03-01") == "March 1, 2021"
    assert dates.reporter("2021-03") == "March 2021"
    assert dates.reporter("2021-Q1") == "first quarter of 2021"
    assert dates.reporter("2021") == "2021"
    assert dates.reporter(None) == "undated"


def test_the_brief_opens_with_the_case_header_and_lists_confirmed_events(seeded: Store) -> None:
    store = seeded
    ruling = next(e for e in store.list_events(1) if e.source_count == 2)
    store.set_status(ruling.id, "confirmed")
    store.set_case_fact(1, "docket", "1:21-cv-00280")
    total = len(store.list_events(1))
    brief = render(store, store.list_cases(), "markdown")
    head = brief.split("\n- ", 1)[0]
    for part in ("**Caption:**", "**Court:**", "**Docket:** 1:21-cv-00280", "**Judge:**", "**Parties:**",
                 "**Status:**", "**As of:** May 11, 2021", f"**Confirmed:** 1 of {total} events"):
        assert part in head, part
    assert "- **March 12, 2021**:" in brief
    assert brief.count("\n- **") == 1  # confirmed only by default
    everything = render(store, store.list_cases(), "markdown", Filters(status="all"))
    assert everything.count("\n- **") == total and "*(unconfirmed)*" in everything


# -- the CLI -------------------------------------------------------------------------


def test_cli_corrections(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    assert run_cli(db, "import", str(SEEDS)).returncode == 0
    events = json.loads(run_cli(db, "events", "Xiaomi", "--json").stdout)  # a word of the title
    assert len(events) >= 4 and events == json.loads(run_cli(db, "events", "1", "--json").stdout)
    may = next(s for s in json.loads(run_cli(db, "export", "--format", "json").stdout)["cases"][0]["sources"]
               if s["published"] == "2021-05-11")
    result = run_cli(db, "source", "set", str(may["id"]), "published", "2022-05-11", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["source"]["published_basis"] == "user"
    dated = [e["date"] for e in json.loads(run_cli(db, "events", "1", "--json").stdout)]
    assert "2022-01-14" in dated
    assert "undid source-edit (source" in run_cli(db, "undo").stdout

    ids = [e["id"] for e in json.loads(run_cli(db, "events", "1", "--json").stdout)]
    result = run_cli(db, "event", "set", str(ids[0]), "kind", "scheduled", "--json")
    assert json.loads(result.stdout)["kind"] == "scheduled"
    result = run_cli(db, "event", "merge", str(ids[0]), str(ids[1]))
    assert result.returncode == 0 and f"merged event {ids[1]} into {ids[0]}" in result.stdout
    shown = json.loads(run_cli(db, "event", "show", str(ids[0]), "--json").stdout)
    assert len(shown["passages"]) >= 2
    split = run_cli(db, "event", "split", str(ids[0]), str(shown["passages"][-1]["id"]))
    assert split.returncode == 0 and "into event" in split.stdout
    assert run_cli(db, "source", "set", "1", "published", "someday").returncode == 1

    refused = run_cli(db, "case", "delete", "1")
    assert refused.returncode == 1 and "not empty" in refused.stderr


def test_cli_case_delete_several_matches_export_force_and_asof(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    assert run_cli(db, "import", str(SEEDS)).returncode == 0
    with _opened(db) as store:
        store.ensure_case("Xiaomi v. Treasury")
        store.ensure_case("Unfiled")
    several = run_cli(db, "events", "Xiaomi")
    assert several.returncode == 1 and "matches several cases" in several.stderr and "Treasury" in several.stderr
    deleted = run_cli(db, "case", "delete", "Unfiled")
    assert deleted.returncode == 0 and "deleted case" in deleted.stdout
    assert "Unfiled" not in run_cli(db, "cases").stdout

    out = tmp_path / "brief.md"
    assert run_cli(db, "export", "--case", "1", "--format", "markdown", "-o", str(out)).returncode == 0
    again = run_cli(db, "export", "--case", "1", "--format", "markdown", "-o", str(out))
    assert again.returncode == 1 and "--force" in again.stderr
    assert run_cli(db, "export", "--case", "1", "--format", "markdown", "-o", str(out), "--force").returncode == 0
    assert out.read_text(encoding="utf-8").startswith("# Xiaomi")

    early = run_cli(db, "asof", "1", "2020-07-01")
    assert early.returncode == 0
    assert "no source of this case was published by 2020-07-01" in early.stdout
    assert json.loads(run_cli(db, "asof", "1", "2020-07-01", "--json").stdout) == []


def _opened(db: Path):  # noqa: ANN202
    from contextlib import closing

    return closing(Store(db))


def test_audit_shapes_of_the_corrections_are_pinned(tmp_path: Path) -> None:
    """The entries the corrections write (kinds added beside the old ones, which stay as
    they were): undo reads them across versions."""
    from tests.conftest import build_db
    from tests.test_guards import golden, shape

    build_db(tmp_path / "t.db")
    store = Store(tmp_path / "t.db")
    try:
        # The date corrected while no person has touched the source's events: they are
        # read again (a person's changes after it are what the later entries record).
        correct_source(store, 1, published="2022-09-02", outlet="Court News")
        first, second, third = [e.id for e in store.list_events(1)]
        store.set_kind(first, "scheduled")
        store.merge_events(first, second)
        excerpt = store.event_excerpts(first)[-1].id
        store.split_passage(first, excerpt)
        store.link_passage(third, 1, 0, 20, value="2021-03-03", granularity="day", date_text="x")
        empty = store.ensure_case("Empty")
        store.delete_case(empty)
        store.undo_last()
        rows = store.db.conn.execute(
            "SELECT action, entity, before, after, batch IS NOT NULL FROM audit WHERE action NOT IN ('import') "
            "ORDER BY id").fetchall()
    finally:
        store.close()
    seen: dict[tuple[str, str], list] = {}
    for action, entity, before, after, batched in rows:
        seen.setdefault((action, entity), [action, entity, shape(json.loads(before)) if before else None,
                                           shape(json.loads(after)) if after else None, bool(batched)])
    golden("audit_shapes_corrections", sorted(seen.values(), key=lambda r: (r[0], r[1])))
