"""The CLI's shared parameter types, in-process: CASE by id, title or unique prefix;
a day that is not one fails with one line and exit 1."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from tests.conftest import build_db
from tracker.cli import cli


def run(db: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--db", str(db), *args])
    return result.exit_code, result.output


def test_a_case_by_id_title_or_unique_prefix(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    build_db(db)
    by_id, by_title, by_prefix = (run(db, "events", ref, "--json") for ref in ("1", "acme v. widgets", "Acm"))
    assert by_id == by_title == by_prefix and by_id[0] == 0
    code, _ = run(db, "events", "Zebra")
    assert code == 1


def test_a_bad_day_fails_the_command_in_one_line(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    build_db(db)
    for args in (("asof", "1", "someday"), ("events", "1", "--from", "soon"), ("agenda", "--from", "x"),
                 ("add", "1", "--date", "2021-01-01", "--title", "T", "--base", "later")):
        code, output = run(db, *args)
        assert code == 1 and "not a full date" in output, args
