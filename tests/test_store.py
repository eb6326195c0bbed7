from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from prospector.items import CheckItem, Occurrence, PageItem, Prospect
from prospector.store import SCHEMA_VERSION, Store, StoreError


def prospect(url: str = "https://blog.com/", domain: str = "blog.com") -> Prospect:
    return Prospect(url=url, domain=domain)


def occurrence(url: str, placement: str = "content") -> Occurrence:
    return Occurrence(url=url, anchor_text="a", context="c", rel="", placement=placement)


def check(url: str, verdict: str = "dead") -> CheckItem:
    return CheckItem(url=url, verdict=verdict, reason="r", status=404, final_url=url, redirect_chain=[],
                     method="GET", attempts=1, elapsed_ms=5)


def test_new_store_has_schema_version_and_wal(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite") as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    Store(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    with pytest.raises(StoreError, match="schema version 99 is newer"):
        Store(path)


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    path.write_text("hello, I am a text file" * 100)
    with pytest.raises(StoreError, match="not a prospector database"):
        Store(path)


def test_upsert_prospect_is_keyed_on_url(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite") as store:
        first = store.upsert_prospect(prospect())
        again = store.upsert_prospect(Prospect(url="https://blog.com/", domain="blog.com", name="Renamed"))
        assert first == again
        assert [p.name for p in store.prospects()] == ["Renamed"]


def test_page_is_saved_whole_or_not_at_all(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite") as store:
        pid = store.upsert_prospect(prospect())
        bad = PageItem(url="https://blog.com/a", prospect_id=pid, depth=0, status=200,
                       occurrences=[occurrence("https://x.com/"), Occurrence("https://y.com/", "", "", "", None)],
                       discovered=[("https://blog.com/b", 1)])
        with pytest.raises(sqlite3.IntegrityError):
            store.save_page(bad)
        assert store.counts()["pages"] == 0 and store.counts()["occurrences"] == 0
        assert store.crawl_state(pid).frontier == []


def test_crawl_state_lists_unvisited_frontier_shallowest_first(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite") as store:
        pid = store.upsert_prospect(prospect())
        store.add_to_frontier(pid, [("https://blog.com/", 0)])
        store.save_page(PageItem(url="https://blog.com/", prospect_id=pid, depth=0, status=200,
                                 discovered=[("https://blog.com/deep", 2), ("https://blog.com/a", 1)]))
        state = store.crawl_state(pid)
        assert state.visited == {"https://blog.com/"}
        assert state.fetched == 1
        assert state.frontier == [("https://blog.com/a", 1), ("https://blog.com/deep", 2)]


def test_urls_to_check_skips_recent_checks(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite") as store:
        pid = store.upsert_prospect(prospect())
        store.save_page(PageItem(url="https://blog.com/", prospect_id=pid, depth=0, status=200,
                                 occurrences=[occurrence("https://a.com/"), occurrence("https://b.com/"),
                                              occurrence("https://a.com/")]))
        store.save_check(check("https://a.com/"))
        assert list(store.urls_to_check("2000-01-01T00:00:00+00:00")) == ["https://b.com/"]
        assert list(store.urls_to_check("2999-01-01T00:00:00+00:00")) == ["https://a.com/", "https://b.com/"]


def test_dead_links_count_referring_pages_and_domains(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite") as store:
        for host in ("one.com", "two.org"):
            pid = store.upsert_prospect(prospect(f"https://{host}/", host))
            for path in ("/", "/p"):
                store.save_page(PageItem(url=f"https://{host}{path}", prospect_id=pid, depth=0, status=200,
                                         occurrences=[occurrence("https://gone.com/x")]))
        store.save_check(check("https://gone.com/x"))
        [row] = store.dead_links()
        assert (row.dead_url, row.referring_pages, row.referring_domains) == ("https://gone.com/x", 4, 2)
