"""A mistyped --db never creates an empty store nor overwrites good outputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import prospector


@pytest.mark.parametrize("command", [["export", "--out", "OUT"], ["draft", "--sender-name", "Sam", "--sender-email",
                                                                   "sam@example.com"], ["check"], ["status"]])
def test_a_missing_store_is_a_one_line_error_and_nothing_is_written(tmp_path: Path, command: list[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "opportunities.csv").write_text("the good export\n")
    db = tmp_path / "typo.sqlite"
    run = prospector(*[str(out) if a == "OUT" else a for a in command], "--db", str(db))
    assert run.returncode == 2
    assert run.stderr.strip() == f"Error: {db}: no store yet; run 'prospector crawl' first (or check --db)"
    assert not db.exists() and not (tmp_path / "prospector.log").exists()
    assert (out / "opportunities.csv").read_text() == "the good export\n"
