"""Older stores are upgraded in place: new tables and columns, and the reason codes of version 6
derived once from the reasons already stored."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from prospector.store import SCHEMA_VERSION, Store
from prospector.store.migrations import legacy_reason_code
from prospector.store.schema import DRAFTS, SCHEMA

OLD_DRAFTS = """CREATE TABLE IF NOT EXISTS drafts (
    contact_key TEXT PRIMARY KEY, to_email TEXT NOT NULL, to_name TEXT NOT NULL, contact_url TEXT NOT NULL,
    subject TEXT NOT NULL, body TEXT NOT NULL, followup_subject TEXT NOT NULL, followup_body TEXT NOT NULL,
    prospect TEXT NOT NULL, page_urls TEXT NOT NULL, dead_urls TEXT NOT NULL, suggested_urls TEXT NOT NULL,
    drafted_at TEXT NOT NULL);"""  # as versions 3 to 6 made it

# (verdict, reason as versions up to 5 wrote it, the code version 6 gives it)
STORED = [
    ("dead", "404 Not Found", "http_404"),
    ("dead", "410 Gone", "http_410"),
    ("dead", "redirects (301 → 302) to a page that answers 404 Not Found", "redirect_to_404"),
    ("dead", "redirects (301) to a page that answers 410 Gone", "redirect_to_410"),
    ("dead", "domain gone.com does not exist (NXDOMAIN)", "nxdomain"),
    ("dead", "domain gone.com has no address (no A or AAAA record)", "no_address"),
    ("likely_dead", "deep link redirected (301) to its site's home page", "redirect_to_home"),
    ("likely_dead", "soft 404: answers 200 but title 'Oops' says not found", "soft_404"),
    ("likely_dead", "parked domain page (title 'x.com is for sale')", "parked"),
    ("likely_dead", "connection refused on every try (3 tries)", "refused"),
    ("likely_dead", "secure connection failed on every try: its certificate has expired", "tls"),
    ("alive", "200 OK", "ok"),
    ("alive", "200 after redirect (301) to https://a.com/b", "redirect_ok"),
    ("blocked", "403 Forbidden on HEAD and GET: the site refuses robots", "bot_wall"),
    ("blocked", "a.com: 10.0.0.1 is a private address", "network_policy"),
    ("unknown", "429 Too Many Requests after 3 tries", "rate_limited"),
    ("unknown", "503 Service Unavailable after 3 tries", "server_error"),
    ("unknown", "timed out (3 tries)", "timeout"),
    ("unknown", "DNS server failure (SERVFAIL) after 3 tries", "servfail"),
    ("unknown", "redirect loop", "redirect_loop"),
    ("unknown", "unexpected status 400 Bad Request", "unexpected_status"),
]


def old_store(path: Path, version: int) -> None:
    """A store as version 5 (or 4) left it: no reason codes (nor, in 4, truncated pages and the
    match confidence)."""
    schema = SCHEMA.replace("    reason_code    TEXT NOT NULL DEFAULT '',  -- verdict.ReasonCode: what drafts and "
                            "filters key on\n", "")
    assert schema != SCHEMA
    schema = schema.replace(DRAFTS, OLD_DRAFTS)
    extractor = (",\n    extractor    INTEGER NOT NULL DEFAULT 1  -- crawl/context.py's CONTEXT_VERSION when it was "
                 "read (1: before 9)")
    assert extractor in schema
    schema = schema.replace(extractor, "")
    if version < 5:
        schema = schema.replace(",\n    truncated    INTEGER NOT NULL DEFAULT 0", "")
        schema = schema.replace(",\n    confidence REAL NOT NULL DEFAULT 0", "")
    with sqlite3.connect(path) as db:
        db.executescript(schema)
        db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(version),))
        db.executemany("INSERT INTO checks (url, verdict, reason, status, checked_at) VALUES (?, ?, ?, NULL, 'then')",
                       [(f"http://a.com/{i}", verdict, reason) for i, (verdict, reason, _) in enumerate(STORED)])
    db.close()


@pytest.mark.parametrize("version", [4, 5])
def test_an_older_store_gets_reason_codes_for_its_checks(tmp_path: Path, version: int) -> None:
    path = tmp_path / "old.sqlite"
    old_store(path, version)
    with Store(path) as store:
        assert store.schema_version() == SCHEMA_VERSION == 10
        codes = [r[0] for r in store.db.execute("SELECT reason_code FROM checks ORDER BY rowid")]
        columns = {table: {r[1] for r in store.db.execute(f"PRAGMA table_info({table})")}
                   for table in ("pages", "match_outcomes", "drafts", "history", "archive", "prospects")}
    assert codes == [code for _, _, code in STORED]
    assert "truncated" in columns["pages"] and "confidence" in columns["match_outcomes"]
    assert {"kind", "last_contacted", "domains"} <= columns["drafts"]  # version 7: drafts made again
    assert {"status", "on_date", "dead_urls"} <= columns["history"] and "archived_url" in columns["archive"]
    assert {"contact_name", "extra"} <= columns["prospects"]  # version 8
    assert "extractor" in columns["pages"]  # version 9


def test_the_upgrade_runs_once_and_keeps_the_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    old_store(path, 5)
    Store(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE checks SET reason_code='http_410' WHERE url='http://a.com/0'")  # as if re-checked since
    with Store(path) as store:
        rows = store.db.execute("SELECT url, verdict, reason, reason_code FROM checks ORDER BY rowid").fetchall()
    assert len(rows) == len(STORED)
    assert tuple(rows[0]) == ("http://a.com/0", "dead", "404 Not Found", "http_410")  # not derived again
    assert [tuple(r)[1:3] for r in rows] == [(v, reason) for v, reason, _ in STORED]


@pytest.mark.parametrize("verdict,reason,code", [("unknown", "something never written", "no_answer"),
                                                 ("blocked", "a new refusal", "network_policy"),
                                                 ("alive", "200 fine", "ok")])
def test_a_reason_the_old_wording_never_had_falls_back_by_verdict(verdict: str, reason: str, code: str) -> None:
    assert legacy_reason_code(verdict, reason) == code
