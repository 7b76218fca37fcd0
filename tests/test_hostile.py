"""Hostile and broken input: each bad file gets a clear message, the rest imports,
and nothing stored can drive the terminal."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tracker.store import Store

MARKUP = "[link=file:///etc]x[/link] [bold red]loud[/bold red]"


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 100)
    (folder / "latin1.txt").write_bytes("Café sues Crème Brûlée Inc\n\nThe café sued on March 3, 2021.".encode("latin-1"))
    (folder / "utf16.txt").write_bytes("Ünïcode sues Zed Corp\n\nZed was sued on June 1, 2020.".encode("utf-16"))
    (folder / "empty.txt").write_bytes(b"")
    with open(folder / "huge.txt", "wb") as handle:  # 50 MB, sparse
        handle.truncate(50 * 1024 * 1024)
    (folder / "long.txt").write_text("Long line case\n\n" + "word " * 200_000 + "on May 5, 2020.", encoding="utf-8")
    (folder / "ansi.txt").write_text(
        "\x1b]0;PWNED\x07Escape Corp sues\n\nThe \x1b[31mred\x1b[0m filing\x07 came on March 9, 2021.\x1b[2J "
        f"{MARKUP} was the title.\x08\x0b", encoding="utf-8")
    loop = folder / "loop"
    loop.mkdir()
    (loop / "again").symlink_to(loop, target_is_directory=True)
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    return folder


def test_each_bad_file_is_named_and_the_rest_imports(hostile: Path, tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    result = run_cli(db, "import", str(hostile), "--json")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    failed = {Path(f["path"]).name: f["error"] for f in report["failed"]}
    assert failed["binary.txt"].startswith("binary file")
    assert failed["empty.txt"] == "empty file"
    assert failed["huge.txt"].startswith("too large")
    assert failed["dangling.txt"] == "no such file or directory"
    imported = {Path(p).name for p in report["imported"]}
    assert imported == {"latin1.txt", "utf16.txt", "long.txt", "ansi.txt"}
    store = Store(db)
    texts = {Path(s.path).name: s.text for s in store.all_sources()}
    assert "Café" in texts["latin1.txt"] and "Ünïcode" in texts["utf16.txt"]
    cleaned = texts["ansi.txt"]
    assert not any(ord(c) < 32 and c not in "\n\t" for c in cleaned)
    assert "\x1b" not in cleaned and "PWNED" not in cleaned
    assert MARKUP in cleaned  # kept literally, shown literally
    assert store.check() == []


def test_unreadable_file_is_reported(tmp_path: Path) -> None:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("root reads any file; the dangling-link case covers OS errors")
    folder = tmp_path / "in"
    folder.mkdir()
    secret = folder / "secret.txt"
    secret.write_text("Case\n\nOn May 1, 2020 it happened.", encoding="utf-8")
    secret.chmod(0)
    result = run_cli(tmp_path / "u.db", "import", str(folder))
    assert result.returncode == 2 and "permission denied" in result.stderr


@pytest.mark.parametrize("name", ["", "x" * 500, "   "])
def test_bad_tag_names_get_a_message(tmp_path: Path, name: str) -> None:
    db = tmp_path / "t.db"
    store = Store(db)
    event = store.add_event(store.ensure_case("C"), None, "day", "", "E")
    store.close()
    result = run_cli(db, "tag", str(event.id), name)
    assert result.returncode == 1 and "tag" in result.stderr and "Traceback" not in result.stderr


def test_emoji_and_cjk_tags_and_titles_are_kept(tmp_path: Path) -> None:
    db = tmp_path / "e.db"
    result = run_cli(db, "import", "--case", "小米 v. 国防部", "--json", str(Path(__file__).parent.parent / "seeds"))
    assert result.returncode == 0
    added = run_cli(db, "add", "小米 v. 国防部", "--date", "2021-03-12", "--title", "禁令 🚫 lifted", "--tag", "⚖️",
                    "--json")
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["tags"] == ["⚖️"]
