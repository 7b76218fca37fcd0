"""The `tracker` command's entry point.

`tracker` alone, or with `--db FILE` only, opens the app: that is every start of the
app, and click, the CLI's option parser, costs about 15 ms of it (a twentieth of the
first frame). So such a command line goes straight to the app; any other (a
subcommand, `--help`, `--version`, shell completion, a `--db` that is a directory or
empty) goes to the click group in `tracker.cli`, which also opens the app and fails
in the same words.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

EXIT_ERROR = 1


def app_only(args: list[str]) -> tuple[bool, str | None]:
    """Whether `args` only open the app, and the --db value they give (None: none).

    Only the plain forms are taken; anything click would read differently (or refuse)
    is left to it."""
    if any(name.startswith("_TRACKER_COMPLETE") for name in os.environ):
        return False, None  # click's shell completion
    if not args:
        return True, None
    if len(args) == 2 and args[0] == "--db":
        db = args[1]
    elif len(args) == 1 and args[0].startswith("--db="):
        db = args[0][len("--db="):]
    else:
        return False, None
    if not db or db.startswith("-") or Path(db).expanduser().is_dir():
        return False, None
    return True, db


def open_app(path: Path) -> str | None:
    """Open the app on the database at `path` (Textual is imported only now); the store's
    one-line reason when it refuses the file.

    The cyclic garbage collector pauses from here to the first frame: start-up creates
    some hundred thousand objects (modules, classes, styles, widgets) and hardly any is
    garbage, so the collections it would set off only walk them, a fifth of the time to
    the first frame. The app turns collection back on once that frame is drawn."""
    import gc

    gc.disable()
    try:
        from tracker.app import make_app
        from tracker.db import StoreError

        try:
            app = make_app(path)
        except StoreError as exc:
            return str(exc)
        app.run()
        return None
    finally:
        gc.enable()


def main() -> None:
    """Console entry point (see the module docstring)."""
    direct, db = app_only(sys.argv[1:])
    if not direct:
        from tracker.cli import main as cli_main

        cli_main()
        return
    from tracker.db import StoreError
    from tracker.paths import resolve_db_path
    from tracker.text import scrub

    try:
        refused = open_app(resolve_db_path(db))
    except (StoreError, sqlite3.Error, OSError, OverflowError) as exc:
        print(f"error: {scrub(str(exc))}", file=sys.stderr)
        sys.exit(EXIT_ERROR)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    if refused is not None:
        print(f"Error: {scrub(refused)}", file=sys.stderr)  # as click shows a failed command
        sys.exit(EXIT_ERROR)
