"""Guards for what a refactor must not change: the tracker.v1 keys, the schema (with the
migration names every user's database records), the CLI's commands, options and --json
shapes, and the layers (which module may import which).

The expected values live in tests/golden/*.json. A deliberate change to a contract is
made there (run with UPDATE_GOLDEN=1 to rewrite them, then read the diff).
"""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from tests.conftest import build_db
from tracker.store import Store

GOLDEN = Path(__file__).parent / "golden"
PACKAGE = Path(__file__).parent.parent / "tracker"


def golden(name: str, actual: Any) -> None:
    """Compare `actual` with tests/golden/NAME.json (rewritten with UPDATE_GOLDEN=1)."""
    path = GOLDEN / f"{name}.json"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(json.dumps(actual, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert actual == expected, f"{name} changed; if on purpose, update {path}"


def shape(value: Any) -> Any:
    """The keys of a JSON value, recursively; lists by their first item, scalars as '*'."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return "*"


# -- the tracker.v1 contract ---------------------------------------------------------


def test_v1_keys_are_pinned(tmp_path: Path) -> None:
    """Every level of a tracker.v1 export has exactly the keys in tests/golden/v1_keys.json
    (a new optional key is added there, in one place)."""
    from tracker.export import to_v1

    build_db(tmp_path / "t.db")
    store = Store(tmp_path / "t.db")
    try:
        store.add_tags(store.list_events(1)[0].id, ["ruling"])
        doc = to_v1(store, store.list_cases())
    finally:
        store.close()
    case = next(c for c in doc["cases"] if c["events"])
    event = next(e for e in case["events"] if e["excerpts"] and e["tags"])
    keys = {
        "document": sorted(doc),
        "case": sorted(case),
        "source": sorted(case["sources"][0]),
        "event": sorted(event),
        "excerpt": sorted(event["excerpts"][0]),
    }
    assert doc["format"] == "tracker.v1"
    golden("v1_keys", keys)


# -- the schema ----------------------------------------------------------------------


def schema_of(store: Store) -> dict[str, Any]:
    conn = store.db.conn
    objects: dict[str, list[str]] = {}
    for kind, name, table in conn.execute(
        "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
    ):
        objects.setdefault(kind, []).append(name if kind in ("table", "view") else f"{table}.{name}")
    columns = {
        name: [f"{row[1]} {row[2]}{' pk' if row[5] else ''}{' notnull' if row[3] else ''}"
               for row in conn.execute(f"PRAGMA table_info([{name}])")]
        for name in objects.get("table", []) + objects.get("view", [])
        if not name.endswith(("_fts_data", "_fts_idx", "_fts_docsize", "_fts_config", "_fts_content"))
    }
    fts = sorted(r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'"))
    return {
        "objects": objects,
        "columns": columns,
        "fts": fts,
        "migrations": [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")],
        "user_version": conn.execute("PRAGMA user_version").fetchone()[0],
    }


def test_schema_is_pinned(tmp_path: Path) -> None:
    """Tables, views, FTS indexes, triggers, indexes, the migration names in the order a
    new database records them, and user_version."""
    store = Store(tmp_path / "t.db")
    try:
        golden("schema", schema_of(store))
    finally:
        store.close()


# -- the command line ----------------------------------------------------------------


def commands_of(group: click.Group, prefix: str = "") -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name in sorted(group.commands):
        command = group.commands[name]
        params = []
        for p in command.params:
            kind = "option" if isinstance(p, click.Option) else "argument"
            item = {"name": p.name, "kind": kind, "opts": sorted(p.opts + p.secondary_opts),
                    "type": p.type.name, "required": p.required, "multiple": p.multiple, "nargs": p.nargs}
            if isinstance(p.type, click.Choice):
                item["choices"] = list(p.type.choices)
            if isinstance(p, click.Option):
                item["flag"] = p.is_flag
            params.append(item)
        found[prefix + name] = params
        if isinstance(command, click.Group):
            found.update(commands_of(command, prefix + name + " "))
    return found


def test_cli_commands_and_options_are_pinned() -> None:
    from tracker.cli import cli, main

    assert callable(main)
    golden("cli_commands", {"group": [p.name for p in cli.params], "commands": commands_of(cli)})


def test_cli_json_shapes_are_pinned(tmp_path: Path) -> None:
    """The keys of every --json output, from one database."""
    from tracker.cli import cli

    db = tmp_path / "t.db"
    build_db(db)
    story = tmp_path / "story.txt"
    story.write_text("Acme Inc sued Widgets on March 3, 2021. A hearing is set for June 2021.\n", encoding="utf-8")
    runner = CliRunner()

    def run(*args: str) -> Any:
        result = runner.invoke(cli, ["--db", str(db), *args], catch_exceptions=False)
        assert result.exit_code == 0, (args, result.output)
        return json.loads(result.stdout)

    shapes = {
        "import": run("import", str(story), "--case", "Acme v. Widgets", "--json"),
        "cases": run("cases", "--json"),
        "events": run("events", "1", "--json"),
        "add": run("add", "1", "--date", "2021-10-01", "--title", "Appeal filed", "--tag", "appeal", "--json"),
        "tag": run("tag", "1", "ruling", "--json"),
        "search": run("search", "hearing", "--json"),
        "history": run("history", "1", "--json"),
        "check": run("check", "--json"),
        "agenda": run("agenda", "--from", "2021-01-01", "--days", "400", "--json"),
        "asof": run("asof", "1", "2021-12-31", "--json"),
        "case show": run("case", "show", "1", "--json"),
        "case verify": run("case", "verify", "1", "--json"),
        "dates": run("dates", str(story), "--json"),
    }
    golden("cli_json", {name: shape(value) for name, value in shapes.items()})


# -- the layers ----------------------------------------------------------------------

PURE = {"timex", "published", "extract", "merge", "cases", "facts", "sentences", "dates", "models", "ical", "v1",
        "paths", "text"}


def imports_of(path: Path) -> set[str]:
    """Every module `path` imports, at any depth (inside functions too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def modules() -> dict[str, set[str]]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = imports_of(path)
    return out


def _touches(imported: set[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(m for m in imported if any(m == p or m.startswith(p + ".") for p in prefixes))


@pytest.mark.parametrize("name", sorted(PURE))
def test_pure_logic_never_imports_the_store_or_the_ui(name: str) -> None:
    imported = modules().get(f"tracker.{name}")
    if imported is None:
        pytest.skip(f"tracker.{name} does not exist")
    assert not _touches(imported, ("tracker.store", "tracker.db", "sqlite3", "sqlite_utils", "textual",
                                   "tracker.screens", "tracker.widgets", "tracker.cli", "tracker.app"))


def test_the_store_never_imports_a_screen_or_textual() -> None:
    for name, imported in modules().items():
        if name == "tracker.store" or name.startswith("tracker.store.") or name == "tracker.db":
            assert not _touches(imported, ("textual", "rich", "tracker.screens", "tracker.widgets", "tracker.app",
                                           "tracker.cli", "click", "tracker.importer", "tracker.export")), name


def test_widgets_receive_row_sources_not_the_store() -> None:
    for name, imported in modules().items():
        if name.startswith("tracker.widgets."):
            assert not _touches(imported, ("sqlite3", "sqlite_utils", "tracker.db", "tracker.store",
                                           "tracker.importer")), name


def test_audit_entry_shape_is_pinned(tmp_path: Path) -> None:
    """Undo reads entries written by older versions: the shape of what each write records."""
    build_db(tmp_path / "t.db")
    store = Store(tmp_path / "t.db")
    try:
        event = store.list_events(1)[0]
        store.set_status(event.id, "confirmed")
        store.tag_events([event.id], add=["x"])
        store.update_event(event.id, value="2021-03-04", granularity="day", date_text="4 March", title="T")
        store.rename_case(2, "Other matter, renamed")
        store.set_case_state(2, "closed")
        store.merge_cases(2, 1)
        store.delete_event(event.id)
        rows = store.db.conn.execute(
            "SELECT action, entity, before, after, batch IS NOT NULL FROM audit ORDER BY id").fetchall()
    finally:
        store.close()
    golden("audit_shapes", [
        [action, entity, shape(json.loads(before)) if before else None, shape(json.loads(after)) if after else None,
         bool(batched)]
        for action, entity, before, after, batched in rows
    ])


def module_imports(path: Path) -> set[str]:
    """The tracker modules `path` imports when it is imported: module level only, and
    not under `if TYPE_CHECKING:` (imports inside functions run later, on use)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, (ast.If, ast.Try)):
                visit(node.body)
                visit(node.orelse)

    visit(tree.body)
    return found


def test_no_import_circle() -> None:
    """Module-level imports between tracker's modules form no cycle."""
    names = set(modules())
    graph = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
        graph[name] = {m for m in module_imports(path) if m in names and m != name and not name.startswith(m + ".")}
    state: dict[str, int] = {}

    def walk(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                raise AssertionError("import circle: " + " -> ".join(trail[trail.index(nxt):] + [node, nxt])
                                     if nxt in trail else f"import circle through {node} -> {nxt}")
            if not state.get(nxt):
                walk(nxt, trail + [node])
        state[node] = 2

    for name in sorted(graph):
        if not state.get(name):
            walk(name, [])


def test_cli_command_modules_never_import_the_group() -> None:
    for name, imported in modules().items():
        if name.startswith("tracker.cli."):
            assert "tracker.cli" not in imported and not any(m.startswith("tracker.cli.cli") for m in imported), name


def test_the_cli_group_imports_nothing_heavy() -> None:
    """`tracker --help` stays instant: the group and its command modules import neither
    Textual, dateparser nor the store until a command runs."""
    import subprocess
    import sys

    code = ("import sys, tracker.cli; "
            "print(sorted(m for m in ('textual', 'dateparser', 'tracker.store', 'sqlite_utils') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
