"""The store under a full disk and in odd hands: a crawl that cannot store says so in one line and
resumes once there is room; `record` on a full disk says the disk is full; a store from a newer
prospector is left untouched; a table changed by hand is named."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import fill, network_args, prospector, rows, small_disk
from test_record import ANN, DRAFTS, sheet

from prospector import Campaign, UsageError
from prospector.fakeweb import PORT, FakeWeb, Site, WebSpec, page
from prospector.store import SCHEMA_VERSION, Store


def big_blog() -> WebSpec:
    """120 posts, each with four outbound links in its text."""
    posts = {f"/p{i}": page(f"Post {i}", "<main><article>" + "".join(
        f'<p>See <a href="http://target{j}.com:{PORT}/article-{i}">article {i} of {j}</a> on topic {i}.</p>'
        for j in range(4)) + "</article></main>") for i in range(120)}
    return WebSpec([Site("big-blog.com", {"/": page("Home", "".join(f'<a href="/p{i}">p{i}</a> ' for i in range(120))),
                                          **posts})])


def test_a_crawl_that_cannot_store_stops_in_one_line_and_resumes(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", 16384) as disk, FakeWeb(big_blog()) as web:
        db = disk / "store.sqlite"
        Store(db).close()
        (tmp_path / "p.txt").write_text(web.url("big-blog.com") + "\n", encoding="utf-8")
        crawl = ["crawl", "--prospects", str(tmp_path / "p.txt"), "--max-pages", "200", *network_args(web, db)]
        filler = fill(disk, leave=300_000)
        full = prospector(*crawl)
        stored_then = rows(db, "SELECT COUNT(*) FROM pages")[0][0]
        filler.unlink()
        again = prospector(*crawl)
        stored_now = rows(db, "SELECT COUNT(*) FROM pages WHERE status = 200"), rows(db,
                                                                                     "SELECT COUNT(*) FROM occurrences")
    assert full.returncode == 1
    assert full.stdout == ""
    [line] = full.stderr.splitlines()
    assert line.startswith(f"Error: {db}: cannot write the store (database or disk is full); ")
    assert line.endswith(" results were not stored. What was stored is kept: free some space and run the same "
                         "command again to resume.")
    assert 0 < stored_then < 121
    assert again.returncode == 0, again.stderr
    assert stored_now == ([(121,)], [(480,)])


def test_record_on_a_full_disk_says_so(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", 2048) as disk:
        db = disk / "store.sqlite"
        with Store(db) as store:
            store.save_drafts(DRAFTS)
        path = sheet(tmp_path / "emails.csv", [{**ANN, "status": "sent"}])
        fill(disk, leave=0)
        done = prospector("record", str(path), "--db", str(db))
    assert (done.returncode, done.stderr) == (2, f"Error: {db}: cannot be written (disk I/O error); is the disk "
                                                 "full?\n")


def test_a_store_from_a_newer_prospector_is_left_exactly_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "store.sqlite"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION + 1),))
        conn.execute("CREATE TABLE pages (url TEXT PRIMARY KEY, something_new TEXT)")
    before = db.read_bytes()
    with pytest.raises(UsageError) as refused:
        Campaign(db).status()
    assert str(refused.value) == (f"{db}: schema version {SCHEMA_VERSION + 1} is newer than this prospector "
                                  f"understands ({SCHEMA_VERSION}); upgrade prospector")
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store.sqlite"]  # no -wal, no -shm


def test_a_table_changed_by_hand_is_named(tmp_path: Path) -> None:
    db = tmp_path / "store.sqlite"
    Store(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute("ALTER TABLE checks DROP COLUMN reason_code")
    done = prospector("status", "--db", str(db))
    assert done.returncode == 2
    assert done.stderr == (f"Error: {db}: its table checks has no column reason_code (changed by another program?); "
                           "prospector cannot use it: give --db a new file\n")
