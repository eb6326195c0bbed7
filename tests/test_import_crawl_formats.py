"""Each export format, end to end over the fake web: written as the tool writes it
(prospector/fakeweb/exports.py), imported, crawled and checked. Its rows land as prospects and
claimed links with the anchor, context, rel and authority the format gives; the crawl confirms
the links still carried and counts the other gone; the check decides which target is dead."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import network_args, prospector, rows, summary

from prospector.fakeweb import FakeWeb, Site, WebSpec, missing, page
from prospector.fakeweb.exports import WRITERS, ExportRow

pytestmark = pytest.mark.heavy  # scheduled first: see conftest.py

WEB = WebSpec(sites=[
    Site("competitor.com", {"/dead": missing(), "/alive": page("Alive", "<p>Here.</p>")}),
    Site("blog-a.com", {"/": page("Blog A", '<p><a href="mailto:ed@blog-a.com">Ed</a></p>'),
                        "/tools/": page("Tools", '<p>We liked <a href="http://competitor.com:%PORT%/dead">the dead '
                                                 'guide</a> a lot. Also <a rel="nofollow" href="http://competitor.com:'
                                                 '%PORT%/alive">the live guide</a>.</p>')}),
    Site("blog-b.org", {"/": page("Blog B", "<p>Hi.</p>"), "/links": page("Links", "<p>Rewritten, no links.</p>")}),
])
# (format's file, the authority's source, whether it says nofollow, whether it gives the context around the anchor)
FORMATS = [
    ("ahrefs.csv", "Ahrefs Domain rating", True, True),
    ("ahrefs-utf8.csv", "Ahrefs Domain rating", True, True),
    ("semrush.csv", "Semrush Page ascore", True, False),
    ("majestic.csv.gz", "Majestic TrustFlow", True, False),
    ("moz.csv", "Moz Domain Authority", False, False),
    ("links.csv", "", False, False),
]


def export_rows(url: Callable[[str, str], str]) -> list[ExportRow]:
    """The backlinks the tools report: two on blog-a's page (both still there), one on blog-b's
    (since rewritten without it)."""
    return [ExportRow(url("blog-a.com", "/tools/"), url("competitor.com", "/dead"), "the dead guide",
                      "We liked", "a lot.", "Tools", authority=54),
            ExportRow(url("blog-a.com", "/tools/"), url("competitor.com", "/alive"), "the live guide",
                      nofollow=True, title="Tools", authority=54, status=200),
            ExportRow(url("blog-b.org", "/links"), url("competitor.com", "/dead"), "a guide", title="Links",
                      authority=31)]


@pytest.mark.parametrize("name,source,says_rel,says_context", FORMATS)
def test_an_export_is_imported_crawled_and_checked(tmp_path: Path, name: str, source: str, says_rel: bool,
                                                    says_context: bool) -> None:
    db = tmp_path / "store.sqlite"
    with FakeWeb(WEB) as web:
        u = web.url
        export = WRITERS[name](tmp_path / name, export_rows(u))
        imported = prospector("import", str(export), "--db", str(db))
        assert imported.returncode == 0, imported.stderr
        assert prospector("crawl", *network_args(web, db)).returncode == 0
        assert prospector("check", *network_args(web, db)).returncode == 0
        status = prospector("status", "--db", str(db))
    assert rows(db, "SELECT url FROM prospects ORDER BY url") == [(u("blog-a.com"),), (u("blog-b.org"),)]
    context = (lambda around, anchor: around or anchor) if says_context else (lambda around, anchor: "")
    assert rows(db, "SELECT page_url, url, anchor, claimed_context, rel FROM claimed_links ORDER BY page_url, url") == [
        (u("blog-a.com", "/tools/"), u("competitor.com", "/alive"), "the live guide", context("", "the live guide"),
         "nofollow" if says_rel else ""),
        (u("blog-a.com", "/tools/"), u("competitor.com", "/dead"), "the dead guide",
         context("We liked the dead guide a lot.", "the dead guide"), ""),
        (u("blog-b.org", "/links"), u("competitor.com", "/dead"), "a guide", context("", "a guide"), "")]
    assert rows(db, "SELECT domain, authority, source FROM authority ORDER BY domain") == (
        [("blog-a.com", 54.0, source), ("blog-b.org", 31.0, source)] if source else [])
    # the crawl read both pages: two links carried (with the context it reads), one gone
    assert "imported links: carried / gone / not read  2 / 1 / 0" in status.stdout
    assert rows(db, "SELECT context FROM occurrences WHERE url = ?", u("competitor.com", "/dead")) == [
        ("We liked the dead guide a lot. Also the live guide.",)]
    assert rows(db, "SELECT url, verdict FROM checks ORDER BY url") == [
        (u("competitor.com", "/alive"), "alive"), (u("competitor.com", "/dead"), "dead")]
    if name == "majestic.csv.gz":  # its row that is not valid CSV: named, counted, skipped
        assert summary(imported.stdout)["rows that could not be read"] == "1"
        assert f"{export}:5: not a valid CSV row (',' expected after '\"')" in imported.stderr


def test_a_search_console_export_gives_the_linking_pages_to_crawl(tmp_path: Path) -> None:
    """Search Console lists the pages linking to your own site, with no target: they are
    crawled as prospects' pages, and what they link is found by the crawl alone."""
    db = tmp_path / "store.sqlite"
    with FakeWeb(WEB) as web:
        u = web.url
        export = WRITERS["search-console.zip"](tmp_path / "links.zip", export_rows(u))
        imported = prospector("import", str(export), "--db", str(db))
        assert imported.returncode == 0, imported.stderr
        assert prospector("crawl", *network_args(web, db)).returncode == 0
        assert prospector("check", *network_args(web, db)).returncode == 0
    assert f"table without links, skipped  {export}[Top linking sites.csv]" in imported.stdout
    assert rows(db, "SELECT COUNT(*) FROM claimed_links") == [(0,)]
    assert rows(db, "SELECT url FROM pages ORDER BY url") == [
        (u("blog-a.com"),), (u("blog-a.com", "/tools/"),), (u("blog-b.org"),), (u("blog-b.org", "/links"),)]
    assert rows(db, "SELECT url, verdict FROM checks ORDER BY url") == [
        (u("competitor.com", "/alive"), "alive"), (u("competitor.com", "/dead"), "dead")]
