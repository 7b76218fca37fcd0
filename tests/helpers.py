"""Shared helpers for tests that run the real `tracker` command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def run_cli(db: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m tracker --db DB ARGS` as a user would, capturing output."""
    env = {**os.environ, "TRACKER_DB": str(db), "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "tracker", *args],
        capture_output=True,
        text=True,
        input=stdin,
        env=env,
        timeout=120,
    )
