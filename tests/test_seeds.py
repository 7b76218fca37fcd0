"""The shipped demo corpus, imported as a new user would, gives the case's key dates."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import SEEDS, run_cli

NOISE = {"we", "now", "the years", "over the years", "may", "march", "second", "13959"}


def test_seeds_export_one_case_with_the_key_dates(tmp_path: Path) -> None:
    db = tmp_path / "seeds.db"
    assert run_cli(db, "import", str(SEEDS)).returncode == 0
    result = run_cli(db, "export", "--format", "json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["format"] == "tracker.v1"
    (case,) = data["cases"]
    assert len(case["sources"]) == 2
    texts = {s["id"]: (SEEDS / Path(s["path"]).name).read_text(encoding="utf-8") for s in case["sources"]}

    def sentences_for(date: str) -> list[str]:
        found = []
        for event in case["events"]:
            if event["date"] == date:
                for x in event["excerpts"]:
                    assert texts[x["source_id"]][x["start"]:x["end"]] == x["text"]
                    found.append(x["text"])
        return found

    assert any("January 14 this year" in s and "blacklist" in s for s in sentences_for("2021-01-14"))
    assert any("enjoined DOD" in s or "temporarily stopped the ban" in s for s in sentences_for("2021-03-12"))
    assert any("Tuesday (May 11)" in s and "revocation" in s for s in sentences_for("2021-05-11"))
    for event in case["events"]:
        assert event["date_text"].lower() not in NOISE
        assert event["status"] == "suggested" and event["origin"] == "extracted"
        assert event["excerpts"], event
    for source in case["sources"]:
        assert source["published"] and source["published"].startswith("2021")
        assert source["published_basis"] == "weekday-anchor"
