"""benchmarks/RESULTS.md is shared: each benchmark owns the region between its own
markers and replaces only that, so running one never rewrites another's figures."""

from __future__ import annotations

from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def replace_section(start: str, end: str, block: str, results: Path = RESULTS) -> None:
    """Put `block` (which begins with `start` and ends with `end`) where the region
    between those markers is, or at the end of the file the first time."""
    current = results.read_text(encoding="utf-8") if results.exists() else "# Benchmark results\n"
    if start in current and end in current:
        head, rest = current.split(start, 1)
        current = head + block + rest.split(end, 1)[1]
    else:
        current = current.rstrip("\n") + f"\n\n{block}\n"
    results.write_text(current, encoding="utf-8")
