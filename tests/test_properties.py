"""Property-based tests: any text a user or a document can supply gets an answer or a
message, never a crash."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import run_cli
from tracker.dates import parse_user_date
from tracker.extract import propose_events
from tracker.store import Store, StoreError
from tracker.timex import Anchor, find_timexes

# No per-example deadline: CI machines are shared and slow at times; what is tested is that
# every input gets an answer, not how fast (benchmarks measure speed).
settings.register_profile("tracker", deadline=None)
settings.load_profile("tracker")

texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)
newsy = st.lists(
    st.sampled_from(["on", "Friday", "last", "March", "12,", "2021", "May", "may", "the", "year", "next", "week",
                     "Dec.", "8", "(", ")", "Tuesday", "in", "of", "this", "-", "2/3/2020", "Q3", "summer", "ago",
                     "three", "days", "U.S.", ".", "\n\n", "“", "”", "$2021", "No.", "Section", "now"]),
    max_size=40,
).map(" ".join)


@given(texts)
def test_typed_dates_parse_or_explain(text: str) -> None:
    try:
        value = parse_user_date(text, date(2021, 3, 16))
    except ValueError as exc:
        assert str(exc)
    else:
        assert value.granularity in {"day", "week", "month", "quarter", "year"}


@given(st.one_of(texts, newsy), st.sampled_from([None, Anchor.day(date(2021, 3, 16)),
                                                 Anchor(date(2021, 3, 13), date(2021, 3, 19))]))
def test_tagger_and_extractor_never_fail_and_offsets_hold(text: str, anchor: Anchor | None) -> None:
    for timex in find_timexes(text, anchor):
        assert text[timex.start:timex.end] == timex.text
    for event in propose_events(text, anchor):
        assert event.start <= event.phrase_start < event.phrase_end <= event.end
        assert event.title


@pytest.fixture(scope="module")
def search_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store(tmp_path_factory.mktemp("prop") / "s.db")
    store.add_event(store.ensure_case("Case"), None, "day", "", "Injunction granted in part")
    return store


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts)
def test_search_accepts_any_query(search_store: Store, query: str) -> None:
    search_store.search(query)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts)
def test_tag_names_are_stored_or_refused(search_store: Store, name: str) -> None:
    event = search_store.list_events(search_store.list_cases()[0].id)[0]
    try:
        updated = search_store.add_tags(event.id, [name])
    except StoreError as exc:
        assert "tag" in str(exc)
    else:
        assert any(t == " ".join(t.split()) for t in updated.tags)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=texts.filter(lambda s: "\x00" not in s), when=texts.filter(lambda s: "\x00" not in s))
def test_cli_add_answers_in_one_line(tmp_path: Path, title: str, when: str) -> None:
    db = tmp_path / "cli.db"  # arguments cannot hold NUL: the OS refuses them before tracker runs
    if not db.exists():
        store = Store(db)
        store.ensure_case("Case")
        store.close()
    result = run_cli(db, "add", "Case", "--date", when, "--title", title)
    assert result.returncode in (0, 1, 2), result.stderr
    assert "Traceback" not in result.stderr
    if result.returncode:
        assert len(result.stderr.strip().splitlines()) <= 4
