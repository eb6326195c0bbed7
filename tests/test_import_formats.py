"""Every export format lands the same way: its rows become prospects (one per registered domain
or author space), referring pages at depth 0 of their crawl, claimed links with the anchor,
context and rel given, and the tool's authority. (The crawl and the check over them:
tests/test_import.py.)"""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

import pytest
from conftest import rows
from test_backlinks import MAJESTIC_HEADER, SEMRUSH

from prospector.backlink_import import import_backlinks
from prospector.store import Store


def _semrush(path: Path) -> Path:
    path.write_text(SEMRUSH, encoding="utf-8")
    return path


def _majestic(path: Path) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(MAJESTIC_HEADER
                     + "https://competitor.com/x,https://links.example.com/my page.html,x guide,2026-10-01,2020-01-01,"
                       "-,-,-,-,-,-,-,30,22,15,9,Computers,20\n"
                     + "https://competitor.com/z,https://nf.example.com/,z,2026-10-01,2020-01-01,+,-,-,-,-,-,-,10,"
                       "40,5,3,,\n")
    return path


def _moz(path: Path) -> Path:
    path.write_text("Link Explorer: Inbound Links\n\nURL,Title,Anchor Text,Spam Score,Domain Authority,"
                    "Page Authority,Target URL\nhttps://medium.com/@ana/tools-1,Tools,read this,1%,95,40,"
                    "https://competitor.com/p\n", encoding="utf-8")
    return path


def _search_console(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Latest links.csv", "Linking page,Last crawled\nhttps://ana.substack.com/p/tools,2026-11-28\n")
    return path


def _plain(path: Path) -> Path:
    path.write_text("referring_url,target_url,anchor\nhttps://www.blog.example.co.uk/post,https://competitor.com/q,q\n",
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("write,name,prospects,links,authority", [
    (_semrush, "semrush.csv", [("https://res.example.net/", "example.net", "", 0)],
     [("https://res.example.net/list", "https://competitor.com/a", "Guide A", "", "sponsored")],
     [("example.net", 62.0, "Semrush Page ascore")]),
    (_majestic, "majestic.csv.gz", [("https://links.example.com/", "example.com", "", 0)],
     [("https://links.example.com/my%20page.html", "https://competitor.com/x", "x guide", "", ""),
      ("https://nf.example.com/", "https://competitor.com/z", "z", "", "nofollow")],
     [("example.com", 40.0, "Majestic TrustFlow")]),
    (_moz, "moz.csv", [("https://medium.com/@ana/", "medium.com", "/@ana/", 0)],
     [("https://medium.com/@ana/tools-1", "https://competitor.com/p", "read this", "", "")],
     [("medium.com", 95.0, "Moz Domain Authority")]),
    (_search_console, "links.zip", [("https://ana.substack.com/", "ana.substack.com", "", 0)], [], []),
    (_plain, "links.csv", [("https://www.blog.example.co.uk/", "example.co.uk", "", 0)],
     [("https://www.blog.example.co.uk/post", "https://competitor.com/q", "q", "", "")], []),
])
def test_each_format_lands_as_prospects_pages_and_claimed_links(tmp_path: Path, write, name: str, prospects: list,
                                                                 links: list, authority: list) -> None:
    db = tmp_path / "store.sqlite"
    with Store(db) as store:
        result = import_backlinks(store, write(tmp_path / name))
    assert rows(db, "SELECT url, domain, path_prefix, max_depth FROM prospects ORDER BY id") == prospects
    assert rows(db, "SELECT page_url, url, anchor, claimed_context, rel FROM claimed_links "
                    "ORDER BY page_url, url") == links
    assert rows(db, "SELECT domain, authority, source FROM authority") == authority
    pages = [link[0] for link in links] or ["https://ana.substack.com/p/tools"]  # Search Console: pages only
    assert rows(db, "SELECT url, depth FROM frontier ORDER BY url") == [(url, 0) for url in sorted(set(pages))]
    assert (result.prospects, result.new_prospects, result.links, result.bad_rows) == (1, 1, len(links), 0)


def test_an_import_joins_a_prospect_already_listed_and_keeps_its_bounds(tmp_path: Path) -> None:
    from prospector.items import Prospect

    db = tmp_path / "store.sqlite"
    with Store(db) as store:
        store.upsert_prospect(Prospect("https://example.net/", "example.net", max_pages=10, max_depth=3))
        result = import_backlinks(store, _semrush(tmp_path / "semrush.csv"))
        again = import_backlinks(store, tmp_path / "semrush.csv")
    assert rows(db, "SELECT url, max_pages, max_depth FROM prospects") == [("https://example.net/", 10, 3)]
    assert rows(db, "SELECT prospect_id, url FROM frontier") == [(1, "https://res.example.net/list")]
    assert (result.new_prospects, again.new_prospects, again.links) == (0, 0, 1)
    assert rows(db, "SELECT COUNT(*) FROM claimed_links") == [(1,)]  # importing again changes nothing
