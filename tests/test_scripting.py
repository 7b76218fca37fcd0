"""The CLI as a script sees it: JSON from every listing, filters, stdin, exit codes,
`--db` everywhere and shell completion."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from tests.helpers import SEEDS, run_cli
from tracker.cli import cli

CASE = "Xiaomi v. Department of Defense"
# Commands that change something or open the app; everything else lists and has --json.
ACTIONS = {"backup", "case merge", "case move-source", "case rename", "case set", "case split", "demo", "export",
           "undo"}


def _commands() -> dict[str, click.Command]:
    found: dict[str, click.Command] = {}

    def walk(group: click.Group, prefix: str) -> None:
        for name, sub in group.commands.items():
            if isinstance(sub, click.Group):
                walk(sub, f"{prefix}{name} ")
            else:
                found[prefix + name] = sub

    walk(cli, "")
    return found


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("script") / "s.db"
    assert run_cli(path, "import", str(SEEDS)).returncode == 0
    assert run_cli(path, "tag", "1", "court").returncode == 0
    assert run_cli(path, "add", CASE, "--date", "2021-06-15", "--title", "Hearing set", "--tag", "hearing").returncode == 0
    return path


def test_every_command_takes_db_and_every_listing_takes_json() -> None:
    commands = _commands()
    without_db = {name for name, c in commands.items() if not any(p.name == "db" for p in c.params)}
    assert without_db == {"dates"}  # reads a file, never the database (`tracker --db X dates` still parses)
    without_json = {name for name, c in commands.items() if not any(p.name == "as_json" for p in c.params)}
    assert without_json == ACTIONS


LISTINGS = {
    "add": ["add", CASE, "--date", "2021-07-01", "--title", "Filed a brief"],
    "agenda": ["agenda", "--from", "2021-01-01", "--days", "400"],
    "asof": ["asof", CASE, "2021-04-01"],
    "case show": ["case", "show", CASE],
    "case verify": ["case", "verify", CASE],
    "cases": ["cases"],
    "check": ["check"],
    "dates": ["dates", str(next(SEEDS.iterdir()))],
    "events": ["events", CASE],
    "history": ["history", "1"],
    "import": ["import", str(SEEDS)],
    "search": ["search", "injunction"],
    "tag": ["tag", "1", "key"],
}


@pytest.mark.parametrize("name", sorted(LISTINGS))
def test_json_is_clean_json_on_stdout(db: Path, name: str) -> None:
    result = run_cli(db, *LISTINGS[name], "--json")
    assert result.returncode == 0, result.stderr
    json.loads(result.stdout)


def test_listings_cover_every_json_command() -> None:
    assert set(LISTINGS) == set(_commands()) - ACTIONS


def test_events_filters_combine(db: Path) -> None:
    def ids(*args: str) -> list[tuple[str | None, str]]:
        return [(e["date"], e["status"]) for e in json.loads(run_cli(db, "events", CASE, "--json", *args).stdout)]

    everything = ids()
    assert ids("--status", "confirmed") == [d for d in everything if d[1] == "confirmed"] != []
    tagged = json.loads(run_cli(db, "events", CASE, "--json", "--tag", "hearing").stdout)
    assert [e["title"] for e in tagged] == ["Hearing set"]
    spring = ids("--from", "2021-03-01", "--to", "2021-05-31")
    assert spring and all(d and "2021-03" <= d <= "2021-05-31" for d, _ in spring)
    assert ids("--from", "2021-06-01", "--status", "confirmed", "--tag", "hearing") == [("2021-06-15", "confirmed")]


def test_exit_codes(db: Path, tmp_path: Path) -> None:
    unknown = run_cli(db, "events", "No such case")
    assert unknown.returncode == 1 and unknown.stdout == ""
    assert len(unknown.stderr.strip().splitlines()) == 1 and "No such case" in unknown.stderr
    bad_date = run_cli(db, "add", CASE, "--date", "flurb", "--title", "x")
    assert bad_date.returncode == 1 and len(bad_date.stderr.strip().splitlines()) == 1
    folder = tmp_path / "a-directory.db"
    folder.mkdir()
    assert run_cli(folder, "cases").returncode == 1
    missing = tmp_path / "nothing.txt"
    partial = run_cli(db, "import", str(SEEDS), str(missing))
    assert partial.returncode == 2 and str(missing) in partial.stderr
    usage = run_cli(db, "events")  # a missing argument: click's usage error
    assert usage.returncode == 2 and "Usage:" in usage.stderr


def test_add_reads_the_title_from_stdin(db: Path) -> None:
    added = run_cli(db, "add", CASE, "--date", "June 3, 2021", "--title", "-", "--json",
                    stdin="  Hearing moved to June 3\n")
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["title"] == "Hearing moved to June 3"
    empty = run_cli(db, "add", CASE, "--date", "June 3, 2021", "--title", "-", stdin="\n")
    assert empty.returncode == 1 and "title" in empty.stderr


def _complete(db: Path, words: str) -> list[str]:
    env = {**os.environ, "TRACKER_DB": str(db), "_TRACKER_COMPLETE": "bash_complete", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1))}
    result = subprocess.run([str(Path(sys.executable).parent / "tracker")], env=env, capture_output=True, text=True,
                            timeout=60)
    return [line.split(",", 1)[1] for line in result.stdout.splitlines() if "," in line]


def test_completion_script_and_values(db: Path, tmp_path: Path) -> None:
    env = {**os.environ, "_TRACKER_COMPLETE": "bash_source"}
    script = subprocess.run([str(Path(sys.executable).parent / "tracker")], env=env, capture_output=True, text=True,
                            timeout=60).stdout
    assert "_tracker_completion" in script and "complete " in script
    assert "export" in _complete(db, "tracker exp")
    assert CASE in _complete(db, "tracker events xia")
    assert CASE in _complete(db, "tracker export --case Xi")
    assert "court" in _complete(db, "tracker events Xiaomi --tag co")
    assert _complete(db, "tracker events 1") == ["1"]
    nowhere = tmp_path / "absent.db"
    assert _complete(nowhere, "tracker events X") == [] and not nowhere.exists()
