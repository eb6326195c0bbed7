"""`prospector import`: a backlink export's rows land as prospects, pages to crawl and claimed
links; a crawl with no prospect list reads those pages, confirms the links still carried (with
the context it reads) and counts the others gone; the check decides which targets are dead."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import network_args, prospector, rows

from prospector.backlink_import import prospect_of
from prospector.fakeweb import PORT, FakeWeb, Site, WebSpec, missing, page
from prospector.items import Prospect

C = f"http://competitor.com:{PORT}"
WEB = WebSpec(sites=[
    Site("competitor.com", {"/": page("Competitor", "<p>Home.</p>"), "/guide": missing(),
                            "/old": page("Old page", "<p>Still here.</p>")}),
    Site("blog-a.com", {"/": page("Blog A", '<p>Write to <a href="mailto:editor@blog-a.com">the editor</a>.</p>'),
                        "/tools/": page("Best tools", f'<p>We liked <a href="{C}/guide">this guide</a> a lot. '
                                                      f'See <a href="{C}/old">the old page</a> too.</p>')}),
    Site("blog-b.org", {"/": page("Blog B", '<p><a href="/contact/">Contact</a> <a href="/archive/">More</a></p>'),
                        "/contact/": page("Contact", '<p>Mail <a href="mailto:hi@blog-b.org">us</a>.</p>'),
                        "/archive/": page("Archive", "<p>Old posts.</p>"),
                        "/links": page("Links", "<p>Nothing here now.</p>")}),
    Site("mine.com", {"/analytics-guide": page("The analytics guide", "<p>How to choose analytics tools.</p>")}),
])
AHREFS = ["Referring page title", "Referring page URL", "Domain rating", "Target URL", "Left context", "Anchor",
          "Right context", "Nofollow", "UGC", "Sponsored", "Target page HTTP code"]


@pytest.mark.parametrize("url,expected", [
    ("https://www.blog.example.co.uk/2024/post", Prospect("https://www.blog.example.co.uk/", "example.co.uk",
                                                          max_depth=0)),
    ("https://medium.com/@ana/my-post-123", Prospect("https://medium.com/@ana/", "medium.com", "/@ana/",
                                                     max_depth=0)),
    ("https://ana.substack.com/p/tools", Prospect("https://ana.substack.com/", "ana.substack.com", max_depth=0)),
])
def test_the_prospect_of_a_referring_page(url: str, expected: Prospect) -> None:
    assert prospect_of(url) == expected


def test_an_ahrefs_export_is_crawled_confirmed_and_checked(tmp_path: Path) -> None:
    with FakeWeb(WEB) as web:
        u = web.url
        lines = [AHREFS,
                 ["Best tools", u("blog-a.com", "/tools/"), "54", u("competitor.com", "/guide"), "We liked",
                  "this guide", "a lot.", "false", "false", "false", "404"],
                 ["Best tools", u("blog-a.com", "/tools/"), "54", u("competitor.com", "/old"), "See", "the old page",
                  "too.", "false", "false", "false", "404"],
                 ["Links", u("blog-b.org", "/links"), "31", u("competitor.com", "/guide"), "", "a guide", "",
                  "true", "false", "false", "404"]]
        export = tmp_path / "ahrefs.csv"
        export.write_bytes("".join("\t".join(f'"{c}"' for c in line) + "\r\n" for line in lines).encode("utf-16"))
        db = tmp_path / "store.sqlite"
        imported = prospector("import", str(export), "--db", str(db))
        assert imported.returncode == 0, imported.stderr
        assert [line.split()[-1] for line in imported.stdout.splitlines()[2:8]] == ["3", "0", "3", "2", "2", "2"]
        assert rows(db, "SELECT url, max_depth FROM prospects ORDER BY url") == [
            (u("blog-a.com"), 0), (u("blog-b.org"), 0)]
        assert rows(db, "SELECT claimed_context, rel, claimed_status FROM claimed_links ORDER BY page_url, url") == [
            ("We liked this guide a lot.", "", 404), ("See the old page too.", "", 404), ("a guide", "nofollow", 404)]

        crawl = prospector("crawl", *network_args(web, db))  # no --prospects: the imported ones
        assert crawl.returncode == 0, crawl.stderr
        # the referring pages, each start page, and a contact page one click away; nothing else
        assert rows(db, "SELECT url FROM pages ORDER BY url") == [
            (u("blog-a.com"),), (u("blog-a.com", "/tools/"),), (u("blog-b.org"),), (u("blog-b.org", "/contact/"),),
            (u("blog-b.org", "/links"),)]
        assert prospector("check", *network_args(web, db)).returncode == 0
        status = prospector("status", "--db", str(db))
        assert "imported links: carried / gone / not read  2 / 1 / 0" in status.stdout

    out = tmp_path / "out"
    assert prospector("export", "--db", str(db), "--out", str(out)).returncode == 0
    opportunities = pd.read_csv(out / "opportunities.csv", encoding="utf-8-sig")
    found = opportunities[["page_url", "dead_url", "context", "authority", "authority_source"]].values.tolist()
    # the context is the crawl's (its sentence and the next), not the export's
    assert found == [[u("blog-a.com", "/tools/"), u("competitor.com", "/guide"),
                      "We liked this guide a lot. See the old page too.", 54.0, "Ahrefs Domain rating"]]
    prospects = pd.read_csv(out / "prospects.csv", encoding="utf-8-sig")
    assert prospects[["prospect", "contact_email"]].fillna("").values.tolist() == [
        [u("blog-a.com"), "editor@blog-a.com"], [u("blog-b.org"), "hi@blog-b.org"]]


@pytest.mark.parametrize("imported_by", ["prospector import", "run --backlinks"])
def test_run_without_a_list_works_on_what_was_imported(tmp_path: Path, imported_by: str) -> None:
    with FakeWeb(WEB) as web:
        u = web.url
        export = tmp_path / "links.csv"
        export.write_text(f"referring_url,target_url,anchor\n{u('blog-a.com', '/tools/')},"
                          f"{u('competitor.com', '/guide')},this guide\n", encoding="utf-8")
        db, out = tmp_path / "store.sqlite", tmp_path / "out"
        if imported_by == "prospector import":
            assert prospector("import", str(export), "--db", str(db)).returncode == 0
        pages = tmp_path / "pages.csv"
        pages.write_text(f"url\n{u('mine.com', '/analytics-guide')}\n", encoding="utf-8")
        given = ["--backlinks", str(export)] if imported_by == "run --backlinks" else []
        run = prospector("run", *given, "--no-wayback", "--lexical", "--pages", str(pages), "--include-unmatched",
                         "--sender-name", "Sam Lee", "--sender-email", "sam@mine.com", "--out", str(out),
                         *network_args(web, db))
    assert run.returncode == 0, run.stderr
    assert ("Import finished" in run.stdout) is bool(given)
    emails = pd.read_csv(out / "emails.csv", encoding="utf-8-sig")
    assert emails[["to_email", "dead_urls"]].values.tolist() == [["editor@blog-a.com", u("competitor.com", "/guide")]]


def test_crawl_without_a_list_or_imported_prospects_says_what_to_give(tmp_path: Path) -> None:
    run = prospector("crawl", "--db", str(tmp_path / "store.sqlite"))
    assert run.returncode == 2
    assert ("prospects: give it, or set [crawl] prospects in prospector.toml, or import a backlink export first "
            "(prospector import FILE)") in run.stderr
