"""The match stage over the fake web: sitemap discovery and errors, fetching own pages once,
and suggestions stored for real dead links."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import Run, network_args, prospector, rows, summary
from webs import MATCH_LINKS, OWN_HOST, match_prospect, own_site, own_site_pages, urlset

from prospector.fakeweb import FakeWeb, Resource, WebSpec


@dataclass
class MatchRun:
    web: FakeWeb
    db: Path
    match: Run


@pytest.fixture(scope="module")
def match_web():
    with FakeWeb(WebSpec(own_site() + [match_prospect()])) as web:
        yield web


@pytest.fixture(scope="module")
def match_run(match_web: FakeWeb, tmp_path_factory: pytest.TempPathFactory) -> MatchRun:
    folder = tmp_path_factory.mktemp("match")
    db = folder / "store.sqlite"
    prospects = folder / "p.txt"
    prospects.write_text(match_web.url("match-blog.com") + "\n")
    assert prospector("crawl", "--prospects", str(prospects), *network_args(match_web, db)).returncode == 0
    assert prospector("check", *network_args(match_web, db)).returncode == 0
    run = prospector("match", "--sitemap", match_web.url(OWN_HOST), *network_args(match_web, db))
    return MatchRun(match_web, db, run)


def test_sitemaps_found_through_robots_index_and_gzip(match_run: MatchRun) -> None:
    listed = {u for (u,) in rows(match_run.db, "SELECT url FROM own_pages WHERE listed = 1")}
    assert listed == {match_run.web.url(OWN_HOST, p["url"]) for p in own_site_pages()}


def test_each_own_page_fetched_once_with_its_content(match_run: MatchRun) -> None:
    http = match_run.web.http
    assert all(http.count(OWN_HOST, p["url"]) == 1 for p in own_site_pages())
    [(title, description, headings)] = rows(match_run.db,
                                            "SELECT title, description, headings FROM own_pages WHERE url = ?",
                                            match_run.web.url(OWN_HOST, "/glossary/session"))
    assert title == "What is a session? | Tallyfield"
    assert description.startswith("A session is a group of interactions")
    assert headings == "What is a session?\nDefinition\nSession timeout\nSessions versus visitors"


def test_malformed_and_missing_sitemaps_are_reported_and_the_rest_used(match_run: MatchRun) -> None:
    url = match_run.web.url
    assert match_run.match.returncode == 1
    assert f"{url(OWN_HOST, '/sitemap-missing.xml')}: HTTP 404" in match_run.match.stderr
    assert f"{url(OWN_HOST, '/sitemap-broken.xml')}: malformed XML" in match_run.match.stderr


def test_foreign_host_urls_and_sitemaps_dropped(match_run: MatchRun) -> None:
    assert "1 URLs not on tallyfield.com dropped" in match_run.match.stderr
    assert "child sitemap not on tallyfield.com skipped" in match_run.match.stderr
    assert match_run.web.http.count("elsewhere-cdn.com") == 0


@pytest.mark.parametrize("key,anchor,context,expected", MATCH_LINKS, ids=[m[0] for m in MATCH_LINKS])
def test_dead_links_get_the_right_suggestion_or_none(match_run: MatchRun, key, anchor, context, expected) -> None:
    dead = f"http://gone-{key}.com:{match_run.web.port}/{key}-article"
    found = rows(match_run.db, "SELECT own_url, reason FROM suggestions WHERE dead_url = ? ORDER BY rank", dead)
    [(matched, reason)] = rows(match_run.db, "SELECT matched, reason FROM match_outcomes WHERE dead_url = ?", dead)
    if expected:
        assert matched == 1 and found[0][0] == match_run.web.url(OWN_HOST, expected)
        assert found[0][1] == reason and anchor.split()[0].lower() in reason.lower()
    else:
        assert (matched, found) == (0, [])
        assert reason.startswith("nothing fits: best candidate")


def test_summary_counts(match_run: MatchRun) -> None:
    table = summary(match_run.match.stdout)
    assert (table["dead links (editorial)"], table["with a suggestion"],
            table["nothing fits (confidence < 0.47)"]) == ("4", "3", "1")
    assert table["own pages to match on"] == str(len(own_site_pages()))


def test_rerun_fetches_only_pages_whose_lastmod_changed(match_run: MatchRun) -> None:
    web, db = match_run.web, match_run.db
    site = web.spec.site(OWN_HOST)
    changed = "/blog/bounce-rate-explained"
    base = f"http://{OWN_HOST}:%PORT%"
    blog = [p for p in own_site_pages() if p["url"].startswith("/blog/")]
    site.pages["/sitemap-blog.xml"] = Resource(content_type="application/xml", body=urlset(
        [(base + p["url"], "2026-03-01" if p["url"] == changed else "2026-01-10") for p in blog]))
    before = web.http.count(OWN_HOST, changed)
    again = prospector("match", "--sitemap", web.url(OWN_HOST, "/sitemap_index.xml"), *network_args(web, db))
    assert summary(again.stdout)["own pages fetched (this run)"] == "1"
    assert web.http.count(OWN_HOST, changed) == before + 1
    refreshed = prospector("match", "--sitemap", web.url(OWN_HOST, "/sitemap-blog.xml"), "--refresh",
                           *network_args(web, db))
    assert refreshed.returncode == 0
    assert summary(refreshed.stdout)["own pages fetched (this run)"] == str(len(blog))
    # The inventory is now the blog sitemap alone.
    assert summary(refreshed.stdout)["own pages to match on"] == str(len(blog))


def test_missing_sitemap_alone_is_exit_1_with_a_clear_line(match_web: FakeWeb, tmp_path: Path) -> None:
    run = prospector("match", "--sitemap", match_web.url(OWN_HOST, "/sitemap-missing.xml"),
                     *network_args(match_web, tmp_path / "s.sqlite"))
    assert run.returncode == 1
    assert f"{match_web.url(OWN_HOST, '/sitemap-missing.xml')}: HTTP 404" in run.stderr


def test_local_sitemap_file_and_pages_csv(match_web: FakeWeb, tmp_path: Path) -> None:
    sitemap = tmp_path / "sitemap.xml"
    sitemap.write_text(urlset([(match_web.url(OWN_HOST, "/pricing"), "2026-01-01"),
                               (match_web.url(OWN_HOST, "/about"), "2026-01-01")]))
    db = tmp_path / "s.sqlite"
    run = prospector("match", "--sitemap", str(sitemap), *network_args(match_web, db))
    assert (run.returncode, summary(run.stdout)["own pages fetched (this run)"]) == (0, "2")
    pages = tmp_path / "pages.csv"
    pages.write_text(f"url,title,description\n{match_web.url(OWN_HOST, '/pricing')},Plans,Our prices\n"
                     "not-a-url,,\n")
    run = prospector("match", "--pages", str(pages), *network_args(match_web, db))
    assert f"{pages}:3: not a web URL" in run.stderr
    assert summary(run.stdout)["own pages to match on"] == "1"


def test_no_inventory_is_a_usage_error(tmp_path: Path) -> None:
    run = prospector("match", "--db", str(tmp_path / "s.sqlite"))
    assert run.returncode == 2
    assert "give --sitemap URL|FILE or --pages FILE.csv" in run.stderr
