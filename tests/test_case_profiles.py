"""Kept case profiles: filing compares a story with what each case is about
without reading every source, and the kept profile always equals one built from the
case's sources as they are now filed."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.test_cases import folder  # noqa: F401 (the fixture: two Acme stories, one other, one vague)
from tracker import cases
from tracker.importer import UNFILED, import_paths
from tracker.store import Store

ACME_3 = ("Borealis appeals in Acme Robotics turbine case\n\nPublished: July 3, 2023\n\n"
          "Borealis Grid asked the appeals court on Friday to undo Judge Maria Okafor's ruling for Acme Robotics "
          "in the turbine controller case, No. 1:23-cv-00412.\n")


def kept(store: Store, case_id: int) -> tuple[dict[str, float], set[str], set[str], float]:
    rows = store._rows("SELECT kind, key, weight FROM case_terms WHERE case_id = ?", [case_id])
    names = {r["key"]: r["weight"] for r in rows if r["kind"] == "name"}
    top = store._one("SELECT top FROM case_profiles WHERE case_id = ?", [case_id])
    return (names, {r["key"] for r in rows if r["kind"] == "docket"}, {r["key"] for r in rows if r["kind"] == "judge"},
            top["top"] if top else -1.0)


def rebuilt(store: Store, case_id: int) -> tuple[dict[str, float], set[str], set[str], float]:
    profile = cases.merge([cases.profile(t, x) for t, x in store.case_texts(case_id)])
    return dict(profile.names), set(profile.dockets), set(profile.judges), profile.top_weight()


def assert_current(store: Store) -> None:
    for case in store.list_cases():
        if case.title == UNFILED or not case.source_count:
            continue
        names, dockets, judges, top = kept(store, case.id)
        want_names, want_dockets, want_judges, want_top = rebuilt(store, case.id)
        assert names == pytest.approx(want_names), case.title
        assert (dockets, judges) == (want_dockets, want_judges), case.title
        assert top == pytest.approx(want_top), case.title


@pytest.fixture
def store(folder: Path, tmp_path: Path) -> Iterator[Store]:  # noqa: F811
    opened = Store(tmp_path / "p.db")
    import_paths(opened, [folder], today=date(2026, 1, 1))
    yield opened
    opened.close()


def _import(store: Store, tmp_path: Path, name: str, text: str) -> int:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    import_paths(store, [path], today=date(2026, 1, 1))
    source = store.source_by_sha(__import__("hashlib").sha256(path.read_bytes()).hexdigest())
    assert source is not None and source.case_id is not None
    return source.case_id


def test_kept_profiles_are_the_profiles_of_each_case_s_sources(store: Store) -> None:
    assert_current(store)
    unfiled = store.find_case(UNFILED)
    assert store._one("SELECT count(*) AS n FROM case_terms WHERE case_id = ?", [unfiled.id])["n"] == 0


def test_candidates_are_the_cases_sharing_a_term_and_score_as_a_full_profile(store: Store) -> None:
    story = cases.profile("Borealis appeals", ACME_3)
    found = store.profile_candidates(story)
    acme = store.find_case("Acme Robotics v. Borealis Grid").id
    assert set(found) == {acme}
    full = cases.merge([cases.profile(t, x) for t, x in store.case_texts(acme)])
    assert cases.similarity(story, found[acme])[0] == pytest.approx(cases.similarity(story, full)[0])


def test_a_moved_source_makes_both_profiles_stale_and_the_next_import_rebuilds_them(
    store: Store, tmp_path: Path
) -> None:
    acme = store.find_case("Acme Robotics v. Borealis Grid").id
    harbor = next(c.id for c in store.list_cases() if c.title not in {UNFILED, "Acme Robotics v. Borealis Grid"})
    moved = next(s for s in store.case_sources(acme) if "dismiss" in s.text)
    store.move_source(moved.id, harbor)
    assert set(store.stale_profile_cases(UNFILED)) == {acme, harbor}
    assert _import(store, tmp_path, "a3.txt", ACME_3) == acme
    assert store.stale_profile_cases(UNFILED) == []
    assert_current(store)


def test_a_merged_case_leaves_no_terms_and_the_merged_profile_is_rebuilt(store: Store, tmp_path: Path) -> None:
    acme = store.find_case("Acme Robotics v. Borealis Grid").id
    harbor = next(c.id for c in store.list_cases() if c.title not in {UNFILED, "Acme Robotics v. Borealis Grid"})
    store.merge_cases(harbor, acme)
    assert store._one("SELECT count(*) AS n FROM case_terms WHERE case_id = ?", [harbor])["n"] == 0
    assert store._one("SELECT count(*) AS n FROM case_profiles WHERE case_id = ?", [harbor])["n"] == 0
    _import(store, tmp_path, "a3.txt", ACME_3)
    assert_current(store)


def test_an_older_database_is_profiled_once_at_the_next_filing_import(store: Store, tmp_path: Path) -> None:
    with store._write() as db:  # as a database from before the kept profiles
        db.execute("DELETE FROM case_terms")
        db.execute("DELETE FROM case_profiles")
    notes: list[str] = []
    path = tmp_path / "a3.txt"
    path.write_text(ACME_3, encoding="utf-8")
    import_paths(store, [path], today=date(2026, 1, 1), progress=lambda done, total, note: notes.append(note))
    assert any(n.startswith("profiling case 1 of 2") for n in notes)
    assert store.find_case("Acme Robotics v. Borealis Grid").source_count == 3
    assert_current(store)


def test_filing_a_story_reads_no_source_text_once_profiles_are_kept(store: Store, tmp_path: Path) -> None:
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    try:
        _import(store, tmp_path, "a3.txt", ACME_3)
    finally:
        store.db.conn.set_trace_callback(None)
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT") and "FROM SOURCES" in s.upper()]
    assert reads, "the trace saw the import's queries"
    # Only lookups of one source (by hash, by case for dating) or counts; no scan of every story's text.
    assert not [s for s in reads if "text" in s.lower() and "sha256 = " not in s and "published_basis = 'unknown'" not in s]


def test_kept_profiles_survive_a_reopen_and_the_schema_has_its_index(store: Store) -> None:
    path = store.path
    store.close()
    again = Store(path)
    try:
        assert_current(again)
        plan = again._rows("EXPLAIN QUERY PLAN SELECT case_id FROM case_terms WHERE kind = 'name' AND key = 'acme'")
        # by name, from an index (case_terms_weight also holds the weight the filing query sums)
        assert any("case_terms_key" in r["detail"] or "case_terms_weight" in r["detail"] for r in plan)
    finally:
        again.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM case_profiles").fetchone()[0] >= 2


@pytest.mark.parametrize("text", [ACME_3, ACME_3.replace("No. 1:23-cv-00412", "its case"),
                                  "Borealis Grid hires new lawyers\n\nBorealis Grid said on Monday it hired a firm.\n"])
def test_the_threshold_in_sql_files_as_scoring_every_sharing_case_would(store: Store, text: str) -> None:
    """profile_candidates drops cases scoring under the match threshold in SQL; the
    decision must be the one made over every case sharing a term."""
    doc = cases.profile(text.splitlines()[0], text)
    every = store.profile_candidates(doc)
    chosen = store.profile_candidates(doc, cases.MATCH_THRESHOLD)
    assert set(chosen) <= set(every)
    assert cases.decide(doc, chosen, False) == cases.decide(doc, every, False)
    for case_id in set(every) - set(chosen):
        assert cases.similarity(doc, every[case_id])[0] < cases.MATCH_THRESHOLD


def test_filing_queries_search_case_terms_by_index(store: Store) -> None:
    """Every query behind profile_candidates reaches case_terms through an index (no
    scan of every case's names, which the planner chose once for a plain JOIN)."""
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    try:
        doc = cases.profile("Borealis appeals", ACME_3)
        assert store.profile_candidates(doc, cases.MATCH_THRESHOLD)
    finally:
        store.db.conn.set_trace_callback(None)
    plans = [[r[3] for r in store.db.conn.execute("EXPLAIN QUERY PLAN " + sql)]
             for sql in statements if "case_terms" in sql]
    assert len(plans) == 4  # how common the story's names are, the scores, the shared terms, the judges
    for plan in plans:
        touching = [step for step in plan if " t " in f" {step} " or "case_terms" in step]
        assert touching and all(step.startswith("SEARCH") for step in touching), plan


def test_names_common_to_many_cases_left_out_change_no_candidate(tmp_path: Path) -> None:
    """A name kept by many cases is left out of the filing query only where it cannot
    make a case score alone; the cases that do score are found as scoring every case
    sharing a name finds them: those with a heavy common name and a small profile too."""
    from tracker.store.profiles import COMMON_CASES

    store = Store(tmp_path / "many.db")
    try:
        profiles = {}
        for i in range(2 * COMMON_CASES + 10):
            case_id = store.ensure_case(f"Case {i}")
            names = {"reporter": 0.7, "regulator": 1.1, f"party{i}": 2.0, f"other{i}": 1.5,
                     **{f"filler{i}-{j}": 1.0 for j in range(10)}}
            if i == 3:  # a small case about the regulator alone: the common name decides
                names = {"regulator": 1.4, "reporter": 0.7}
            profiles[case_id] = cases.Profile(names, frozenset(), {})
        store.save_case_profiles(profiles)
        stories = [
            {"reporter": 0.7, "regulator": 1.1, "party7": 2.0, "other7": 1.1, "elsewhere": 2.5},
            {"reporter": 0.7, "regulator": 0.7, "party9": 0.7, "unknown": 3.0, "another": 3.0},
            {"reporter": 1.4, "regulator": 2.2},
            {**{f"word{j}": 2.0 for j in range(14)}, "reporter": 0.7, "party2": 2.0},
        ]
        for names in stories:
            doc = cases.Profile(names, frozenset(), {})
            every = store.profile_candidates(doc)
            scoring = {c for c, p in every.items() if cases.similarity(doc, p)[0] >= cases.MATCH_THRESHOLD}
            chosen = store.profile_candidates(doc, cases.MATCH_THRESHOLD)
            assert scoring <= set(chosen) <= set(every), names
            assert {c: cases.similarity(doc, p)[0] for c, p in chosen.items()} == pytest.approx(
                {c: cases.similarity(doc, every[c])[0] for c in chosen}), names
        assert store.profiles._common_names(cases.Profile(stories[3], frozenset(), {}), cases.MATCH_THRESHOLD)
    finally:
        store.close()


def test_sources_from_a_tracker_v1_import_make_the_profile_stale(store: Store, tmp_path: Path) -> None:
    acme = store.find_case("Acme Robotics v. Borealis Grid")
    text = "Zephyr Turbines joined the Acme Robotics suit on June 2, 2023."
    store.import_v1_case(acme.title, [{"id": 1, "sha256": "f" * 64, "title": "Zephyr joins", "path": "z.txt"}],
                         [{"date": "2023-06-02", "granularity": "day", "title": "Zephyr joins",
                           "excerpts": [{"source_id": 1, "start": 0, "end": len(text), "text": text}]}])
    assert acme.id in store.stale_profile_cases(UNFILED)
    _import(store, tmp_path, "a3.txt", ACME_3)
    assert_current(store)
    assert "zephyr" in kept(store, acme.id)[0]


def test_the_smallest_kept_top_is_read_from_an_index(store: Store) -> None:
    """Each filing asks for the smallest top of the current profiles: one index seek,
    not a scan of every case's profile."""
    from tracker.store.profiles import SMALLEST_TOP

    plan = [r[3] for r in store.db.conn.execute("EXPLAIN QUERY PLAN " + SMALLEST_TOP)]
    assert any("case_profiles_top" in step for step in plan) and not any(step.startswith("SCAN") for step in plan), plan


def test_an_early_answer_is_taken_only_while_it_still_holds(store: Store, tmp_path: Path) -> None:
    """A reader's answer to the filing query (read on its own connection) is taken
    when the import's own stories are all that changed since the import began, the
    cases they went into asked again; not once another connection has committed, or
    the writer's connection committed something that was not one of the stories."""
    from tracker.store.ahead import answer_early

    doc = cases.profile("Borealis appeals", ACME_3)
    floor = cases.MATCH_THRESHOLD
    expected = store.profile_candidates(doc, floor)
    assert expected
    early = store.early_answers()
    answer = answer_early(str(store.path), doc, floor)
    assert answer.candidates == expected
    with store.transaction():
        assert early.take(answer, doc, floor, 0) == expected

    # One of the import's stories goes into the Acme case after the answer was read
    # (here every commit on the writer's connection stands for one of the import's).
    _import(store, tmp_path, "acme-4.txt", ACME_3.replace("Friday", "Monday") + "Acme Robotics said it would respond.\n")
    own = store.connection.commits - early.commits
    now = store.profile_candidates(doc, floor)
    assert now != expected  # the Acme case's kept terms changed
    with store.transaction():
        assert early.take(answer, doc, floor, own) == now
    assert list(now) == list(store.profile_candidates(doc, floor, among={c.id for c in store.list_cases()}))

    # The writer's connection commits something else: nothing is taken from then on.
    store.ensure_case("Written by this connection")
    with store.transaction():
        assert early.take(answer_early(str(store.path), doc, floor), doc, floor, own) is None

    # Another connection commits: nothing is taken either.
    early = store.early_answers()
    other = Store(store.path)
    try:
        other.ensure_case("Written elsewhere")
    finally:
        other.close()
    with store.transaction():
        assert early.take(answer_early(str(store.path), doc, floor), doc, floor, 0) is None
    assert (early.taken, early.dropped) == (0, 1)


def test_candidates_among_given_cases_are_those_the_whole_query_finds(store: Store) -> None:
    doc = cases.profile("Borealis appeals", ACME_3)
    every = store.profile_candidates(doc, cases.MATCH_THRESHOLD)
    ids = {c.id for c in store.list_cases()}
    for case_id in ids:
        among = store.profile_candidates(doc, cases.MATCH_THRESHOLD, among={case_id})
        assert among == {k: v for k, v in every.items() if k == case_id}
    assert list(store.profile_candidates(doc, cases.MATCH_THRESHOLD, among=ids).items()) == list(every.items())
