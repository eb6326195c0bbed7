"""Resume: SIGKILL a real crawl mid-way, run it again, and get what an uninterrupted run gets,
without fetching any stored page twice."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from conftest import network_args, prospector, rows

from prospector.fakeweb import PORT, FakeWeb, Site, WebSpec, page

PAGES = 24


def spec() -> WebSpec:
    pages = {"/": page("Resume home", "".join(f'<a href="/p{i}">Post {i}</a> ' for i in range(PAGES)))}
    for i in range(PAGES):
        pages[f"/p{i}"] = page(f"Post {i}", f'<p>Post {i} cites <a href="http://cited{i}.com:{PORT}/a">a</a> and '
                                            f'<a href="http://cited{i % 3}.org:{PORT}/b">b</a>.</p>'
                                            f'<a href="/p{(i + 1) % PAGES}">next</a>')
    return WebSpec([Site("resume-blog.com", pages)])


def stored(db: Path) -> dict[str, list[tuple]]:
    return {
        "pages": sorted(rows(db, "SELECT url, status, title, error FROM pages")),
        "occurrences": sorted(rows(db,
                                   "SELECT page_url, position, url, anchor_text, context, placement FROM occurrences")),
        "frontier": sorted(rows(db, "SELECT url FROM frontier")),
    }


def page_count(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=0.1) as conn:
            return conn.execute("SELECT COUNT(*) FROM pages").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_sigkill_then_rerun_equals_uninterrupted_run(tmp_path: Path) -> None:
    with FakeWeb(spec()) as web:
        prospects = tmp_path / "p.txt"
        prospects.write_text(web.url("resume-blog.com") + "\n")
        args = ["crawl", "--prospects", str(prospects), "--max-pages", "100", "--max-depth", "3"]
        killed_db = tmp_path / "killed.sqlite"
        # One request at a time, 0.8 s apart (no jitter): a kill right after a page is stored catches no
        # page fetched-but-not-stored (that page would rightly be fetched again).
        slow = ["--set", "CONCURRENT_REQUESTS=1", "--set", "DOWNLOAD_DELAY=0.8", "--set", "DOWNLOAD_DELAY_JITTER=0"]
        process = subprocess.Popen([sys.executable, "-m", "prospector", *args, *network_args(web, killed_db), *slow],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while page_count(killed_db) < 6 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.02)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        interrupted_at = page_count(killed_db)
        assert 6 <= interrupted_at < PAGES + 1

        resumed = prospector(*args, *network_args(web, killed_db))
        assert resumed.returncode == 0, resumed.stderr
        page_requests = {path: n for (host, method, path), n in web.http.requests.items()
                         if host == "resume-blog.com" and path != "/robots.txt"}
        assert len(page_requests) == PAGES + 1
        assert max(page_requests.values()) == 1, page_requests

        web.http.requests.clear()
        clean_db = tmp_path / "clean.sqlite"
        assert prospector(*args, *network_args(web, clean_db)).returncode == 0
        assert stored(killed_db) == stored(clean_db)
        assert len(stored(clean_db)["pages"]) == PAGES + 1
        assert len(stored(clean_db)["occurrences"]) == 2 * PAGES

        again = prospector(*args, *network_args(web, clean_db))
        assert again.returncode == 0
        assert web.http.count("resume-blog.com", method="GET") - web.http.count("resume-blog.com",
                                                                                "/robots.txt") == PAGES + 1


def test_ctrl_c_stops_cleanly_and_a_rerun_finishes(tmp_path: Path) -> None:
    with FakeWeb(spec()) as web:
        prospects = tmp_path / "p.txt"
        prospects.write_text(web.url("resume-blog.com") + "\n")
        db = tmp_path / "s.sqlite"
        args = ["crawl", "--prospects", str(prospects), "--max-pages", "100", "--max-depth", "3"]
        process = subprocess.Popen(
            [sys.executable, "-m", "prospector", *args, *network_args(web, db),
             "--set", "CONCURRENT_REQUESTS=1", "--set", "DOWNLOAD_DELAY=0.8", "--set", "DOWNLOAD_DELAY_JITTER=0"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while page_count(db) < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=60)
        assert process.returncode == 130
        assert "Crawl stopped (shutdown); run again to resume" in out
        assert 3 <= page_count(db) < PAGES + 1
        resumed = prospector(*args, *network_args(web, db))
        assert resumed.returncode == 0
        assert len(stored(db)["pages"]) == PAGES + 1
