"""Prospect sites that used to make pages vanish or eat the page budget: a start page that
redirects to itself, internal links longer than browsers allow, a page over the size cap; and
big files as link targets."""

from __future__ import annotations

import pytest
from conftest import network_args, prospector, rows, summary

from prospector.fakeweb import PORT, FakeWeb, Resource, Site, WebSpec, missing, page, redirect

MIB = 1024 * 1024
LONG = "/archive?" + "&".join(f"tag{i}=x" for i in range(500))  # about 3,500 characters


def hostile_web() -> WebSpec:
    normal = "".join(f'<a href="/post-{i}">Post {i}</a>' for i in range(10))
    long_links = "".join(f'<a href="{LONG}&v={i}">Archive {i}</a>' for i in range(3))
    archive = page("Archive", f"""<main><p>Our <a href="http://big-files.com:{PORT}/report.pdf">annual report</a>,
        the <a href="http://big-files.com:{PORT}/huge.html">full changelog</a> and the
        <a href="http://gone-files.com:{PORT}/x">old list</a>. Elsewhere:
        <a href="http://seiten-blog.de:{PORT}/alt/artikel">ein Artikel</a>,
        <a href="http://stranitsa.ru:{PORT}/old/post">статья</a>.</p></main>""")
    archive.size = 6 * MIB  # over the 5 MiB cap: read up to it
    return WebSpec([
        Site("archive-blog.com", {"/": archive}),
        Site("big-files.com", {"/report.pdf": Resource(body="%PDF-1.4", content_type="application/pdf", size=12 * MIB),
                               "/huge.html": Resource(body="<title>Changelog</title>", size=12 * MIB)}),
        Site("gone-files.com", {"/x": missing(404)}),
        Site("seiten-blog.de", {"/alt/artikel": page("Beispiel-Blog", "<h1>Seite nicht gefunden</h1><p>Leider.</p>")}),
        Site("stranitsa.ru", {"/old/post": Resource(
            body=("<html><head><title>Страница не найдена | Блог</title></head>"
                  "<body>Увы.</body></html>").encode("cp1251"),
            content_type="text/html; charset=windows-1251")}),
        Site("loop-start.com", {"/": redirect(f"http://loop-start.com:{PORT}/")}),
        Site("long-urls.com", {"/": page("Long", f"<main>{long_links}{normal}</main>"),
                               **{f"/post-{i}": page(f"Post {i}", "<main><p>Hi.</p></main>") for i in range(10)}}),
    ])


@pytest.fixture(scope="module")
def hostile_crawl(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("hostile")
    with FakeWeb(hostile_web()) as web:
        prospects = folder / "p.txt"
        prospects.write_text(f"{web.url('loop-start.com')}\n{web.url('long-urls.com')}\n{web.url('archive-blog.com')}\n")
        db = folder / "store.sqlite"
        first = prospector("crawl", "--prospects", str(prospects), "--max-pages", "50", *network_args(web, db))
        fetched = {"loop": web.http.count("loop-start.com"), "long": web.http.count("long-urls.com")}
        before = rows(db, "SELECT url, depth, status, error FROM pages ORDER BY url")
        again = prospector("crawl", "--prospects", str(prospects), "--max-pages", "50", *network_args(web, db))
        refetched = {"loop": web.http.count("loop-start.com"), "long": web.http.count("long-urls.com")}
        check = prospector("check", *network_args(web, db))
        assert check.returncode == 0, check.stderr
        yield web, db, first, again, fetched, refetched, before


def test_a_start_page_that_redirects_to_itself_is_reported(hostile_crawl) -> None:
    web, db, first, _, fetched, _, _ = hostile_crawl
    assert first.returncode == 1
    assert f"{web.url('loop-start.com')}: redirects to itself (a redirect loop)" in first.stderr
    assert summary(first.stdout)["unreachable prospects"] == "1"
    assert rows(db, "SELECT depth, status, error FROM pages WHERE url = ?", web.url("loop-start.com")) == [
        (0, None, "redirects to itself (a redirect loop)")]
    assert fetched["loop"] == 1 + 1  # robots.txt, then the page once


def test_urls_longer_than_the_limit_do_not_eat_the_budget(hostile_crawl) -> None:
    web, db, _, _, fetched, _, _ = hostile_crawl
    crawled = rows(db, "SELECT url FROM pages WHERE status = 200 AND url LIKE ?", "%long-urls.com%")
    assert len(crawled) == 11  # the home page and its ten posts
    skipped = rows(db, "SELECT error FROM pages WHERE url LIKE ?", "%/archive?%")
    assert skipped == [("URL longer than 2083 characters, skipped",)] * 3
    assert fetched["long"] == 1 + 11  # robots.txt and the eleven pages


def test_a_rerun_fetches_nothing_again_and_keeps_the_store(hostile_crawl) -> None:
    _, db, _, again, fetched, refetched, before = hostile_crawl
    assert again.returncode == 0, again.stderr
    assert refetched["long"] - fetched["long"] <= 1 and refetched["loop"] - fetched["loop"] <= 1  # robots.txt at most
    assert rows(db, "SELECT url, depth, status, error FROM pages ORDER BY url") == before


def test_a_page_over_the_size_cap_is_read_up_to_it_with_its_links(hostile_crawl) -> None:
    web, db, first, *_ = hostile_crawl
    assert rows(db, "SELECT status, error, truncated FROM pages WHERE url = ?", web.url("archive-blog.com")) == [
        (200, "", 1)]
    assert sorted(r[0] for r in rows(db, "SELECT url FROM occurrences WHERE page_url = ?",
                                     web.url("archive-blog.com"))) == [
        web.url("big-files.com", "/huge.html"), web.url("big-files.com", "/report.pdf"), web.url("gone-files.com",
                                                                                                 "/x"),
        web.url("seiten-blog.de", "/alt/artikel"), web.url("stranitsa.ru", "/old/post")]


def test_big_live_files_are_alive_and_the_dead_link_beside_them_dead(hostile_crawl) -> None:
    web, db, *_ = hostile_crawl
    verdicts = dict((u, (v, s)) for u, v, s in rows(db, "SELECT url, verdict, status FROM checks"))
    assert verdicts[web.url("big-files.com", "/report.pdf")] == ("alive", 200)
    assert verdicts[web.url("big-files.com", "/huge.html")] == ("alive", 200)
    assert verdicts[web.url("gone-files.com", "/x")] == ("dead", 404)


def test_soft_404s_in_other_languages_are_likely_dead(hostile_crawl) -> None:
    web, db, *_ = hostile_crawl
    verdicts = dict((u, (v, r)) for u, v, r in rows(db, "SELECT url, verdict, reason FROM checks"))
    assert verdicts[web.url("seiten-blog.de", "/alt/artikel")] == (
        "likely_dead", "soft 404: answers 200 but the page text says not found")
    assert verdicts[web.url("stranitsa.ru", "/old/post")] == (
        "likely_dead", "soft 404: answers 200 but title 'Страница не найдена | Блог' says not found")


RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: makes the text after it read backwards


def test_huge_anchors_and_bidi_overrides_reach_no_output(tmp_path) -> None:
    """One prospect links a dead page with a 1 MB anchor, another titles its page with a bidi
    override: every prospect still gets its draft, and no CSV cell, email or report carries
    the override or more than a few hundred characters of anchor."""
    import pandas as pd
    from webs import own_site_pages

    from prospector.fakeweb.demo import own_site

    huge = "churn " * 175_000
    web_spec = WebSpec([
        Site("huge-anchor.com", {"/": page("Churn notes", f'<main><p>Read <a href="http://gone-a.com:{PORT}/churn-rate">'
                                                          f'{huge}</a>. Write to <a href="mailto:ed@huge-anchor.com">Ed'
                                                          '</a>.</p></main>')}),
        Site("bidi-blog.com", {"/": page(f"Reading list {RLO}txt.exe", f'<main><p>The <a href="http://gone-b.com:{PORT}/'
                                                                      f'utm-guide">UTM {RLO}guide</a> is gone. Write '
                                                                      f'to '
                                                                      '<a href="mailto:jo@bidi-blog.com">Jo</a>.</p>'
                                                                      '</main>')}),
        Site("gone-a.com", {"/churn-rate": missing(404)}), Site("gone-b.com", {"/utm-guide": missing(404)}),
        own_site(own_site_pages()),
    ])
    db = tmp_path / "store.sqlite"
    with FakeWeb(web_spec) as web:
        prospects = tmp_path / "p.txt"
        prospects.write_text(f"{web.url('huge-anchor.com')}\n{web.url('bidi-blog.com')}\n", encoding="utf-8")
        run = prospector("run", "--no-wayback", "--prospects", str(prospects), "--sitemap", web.url("tallyfield.com"),
                         "--lexical",
                         "--min-confidence", "0", "--sender-name", "Sam", "--sender-email", "sam@tallyfield.com",
                         "--out", str(tmp_path / "out"), *network_args(web, db))
    assert run.returncode == 0, run.stderr
    assert summary(run.stdout)["drafts (one per contact)"] == "2"
    assert 250 < rows(db, "SELECT MAX(LENGTH(anchor_text)) FROM occurrences")[0][0] <= 300
    for path in (tmp_path / "out").iterdir():
        text = path.read_text(encoding="utf-8-sig")
        assert RLO not in text and "\\u202e" not in text, path.name
    emails = pd.read_csv(tmp_path / "out" / "emails.csv", encoding="utf-8-sig", keep_default_na=False)
    assert max(len(body) for body in emails["body"]) < 3_000
