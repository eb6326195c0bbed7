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


def test_another_programs_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "their.sqlite"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    before = db.read_bytes()
    run = prospector("status", "--db", str(db))
    assert run.returncode == 2
    assert run.stderr.strip() == (f"Error: {db}: not a prospector database (it has tables of its own: invoices); "
                                  "give --db a new file")
    assert db.read_bytes() == before and not Path(f"{db}-wal").exists()


def test_a_read_only_store_can_still_be_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from prospector.store import Store

    db = tmp_path / "shared.sqlite"
    with Store(db) as store:
        store.add_problem("crawl", "https://a.com/", "a problem")
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: False if mode == os.W_OK else real_access(path, mode))
    with Store(db) as store:  # as for a user without write permission (root always has it)
        assert store.read_only and store.counts()["problems"] == 1


def test_a_db_folder_that_cannot_be_made_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("")
    run = prospector("crawl", "--prospects", str(tmp_path / "p.txt"), "--db", str(tmp_path / "afile" / "s.sqlite"))
    assert run.returncode == 2
    assert run.stderr.startswith(f"Error: {tmp_path / 'afile' / 'prospector.log'}: cannot write the log file (")
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("pair,message", [
    ("DOWNLOAD_TIMEOUT=abc", "--set DOWNLOAD_TIMEOUT=abc: expected a number (the default is 20)"),
    ("ROBOTSTXT_OBEY=maybe", "--set ROBOTSTXT_OBEY=maybe: expected true or false"),
])
def test_set_values_of_the_wrong_type_are_one_line_errors(tmp_path: Path, pair: str, message: str) -> None:
    (tmp_path / "p.txt").write_text("https://example.com/\n")
    run = prospector("crawl", "--prospects", str(tmp_path / "p.txt"), "--db", str(tmp_path / "s.sqlite"), "--set", pair)
    assert run.returncode == 2
    assert run.stderr.strip() == f"Error: {message}"


@pytest.mark.parametrize("content", [b"not sqlite at all\n", b"SQLite format 3\x00" + b"\x00" * 40])
def test_a_store_that_is_not_sqlite_or_truncated_is_a_one_line_error(tmp_path: Path, content: bytes) -> None:
    db = tmp_path / "broken.sqlite"
    db.write_bytes(content)
    run = prospector("check", "--db", str(db))
    assert run.returncode == 2
    assert run.stderr.startswith(f"Error: {db}: not a prospector database (")
    assert "Traceback" not in run.stderr and db.read_bytes() == content
