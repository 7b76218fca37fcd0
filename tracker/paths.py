"""Where the database lives: --db, else $TRACKER_DB, else data/tracker.db.

The default is `data/tracker.db` under the project checkout when tracker runs from one
(the README's workflow), else under the current directory. Nothing is created here;
opening the store creates the file.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "TRACKER_DB"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def default_db_path() -> Path:
    """The database used when neither --db nor $TRACKER_DB names one."""
    if (PROJECT_ROOT / "pyproject.toml").exists() and (PROJECT_ROOT / "seeds").is_dir():
        return PROJECT_ROOT / "data" / "tracker.db"
    return Path.cwd() / "data" / "tracker.db"


def resolve_db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Pick the database path by precedence: explicit option, environment, default."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return Path(from_env).expanduser()
    return default_db_path()


def seeds_dir() -> Path:
    """The shipped demo corpus."""
    return PROJECT_ROOT / "seeds"
