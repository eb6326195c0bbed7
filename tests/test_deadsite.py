"""`prospector deadsite` over the fake archive: the site's archived pages listed once across
three resume pages (a stopped listing resumes at its key), the gone ones found (a parked
domain as likely dead), their archived titles asked for most referenced first, the archive's
rate kept, and with a backlink export, who links to each."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from conftest import network_args, prospector, rows, summary

from prospector.crawl.site_listing import listing_rows
from prospector.fakeweb import PORT, FakeWeb, Site, WebSpec, missing, page, redirect
from prospector.fakeweb.archive import ARCHIVE_HOST, Capture, FakeArchive

pytestmark = pytest.mark.heavy  # scheduled first: see conftest.py

# A minute: one request every 0.5 s, as tests/test_archive.py has it; at 0.25 s the arrival jitter of
# a loaded machine (60 ms seen in CI) was a quarter of the spacing measured.
RATE = 120
OLD = f"http://oldtools.com:{PORT}"
BLOG = f"http://blog.oldtools.com:{PORT}"  # the subdomain no longer resolves
GONE = {f"{OLD}/guides/seo/": "SEO guide | Oldtools", f"{OLD}/guides/email/": "Email guide | Oldtools",
        f"{OLD}/blog/tips/": "Tips | Oldtools", f"{BLOG}/post-1/": "First post | Oldtools blog",
        f"{OLD}/calculator/": "ROI calculator | Oldtools"}
ALIVE = {f"{OLD}/": "Oldtools has moved", f"{OLD}/about/": "About Oldtools"}


def archive() -> FakeArchive:
    captures = {url: [Capture("20190101000000", title, "<p>Old.</p>"), Capture("20200101000000", title, "<p>.</p>")]
                for url, title in {**GONE, **ALIVE}.items()}
    captures[f"{OLD}/private/"] = [Capture("20190101000000", "Not found", "<p>.</p>", status=404)]
    captures[f"http://elsewhere.com:{PORT}/"] = [Capture("20190101000000", "Another site", "<p>.</p>")]
    return FakeArchive(captures=captures)


def web_spec() -> WebSpec:
    return WebSpec(sites=[
        Site("oldtools.com", {"/": page("Oldtools has moved", "<p>We are now at newtools.com.</p>"),
                              "/about/": page("About Oldtools", "<p>Since 2009.</p>"),
                              "/guides/seo/": missing(404), "/guides/email/": missing(404),
                              "/blog/tips/": missing(410), "/calculator/": redirect(f"http://calc-app.com:{PORT}/")}),
        Site("calc-app.com", {"/": page("calc-app.com is for sale", "<p>Buy this domain.</p>")}),
        Site("fan-blog.com", {"/": page("Fan blog", "<p>Hi.</p>"),
                              "/list/": page("List", f'<p>See <a href="{OLD}/guides/seo/">the SEO guide</a>.</p>')}),
        archive()])


def listing_requests(web: FakeWeb) -> list[dict[str, list[str]]]:
    return [parse_qs(urlsplit(path).query) for _, host, path in web.http.times
            if host == ARCHIVE_HOST and "matchType=domain" in path]


def deadsite(web: FakeWeb, db: Path, out: Path, *more: str) -> object:
    return prospector("deadsite", "oldtools.com", "--wayback-endpoint", web.url(ARCHIVE_HOST).rstrip("/"),
                      "--wayback-rate", str(RATE), "--out", str(out), "--set", "PROSPECTOR_DEADSITE_ROWS=3",
                      *more, *network_args(web, db), timeout=180)


def test_deadsite_lists_the_archived_pages_and_finds_the_gone_ones(tmp_path: Path) -> None:
    db, out = tmp_path / "store.sqlite", tmp_path / "out"
    with FakeWeb(web_spec()) as web:
        port = str(web.port)
        run = deadsite(web, db, out)
        assert run.returncode == 0, run.stderr
        asked = listing_requests(web)
        times = [t for t, host, _ in web.http.times if host == ARCHIVE_HOST]
        again = deadsite(web, db, out)
        asked_again = [t for t, host, _ in web.http.times if host == ARCHIVE_HOST][len(times):]
    real = {url.replace(PORT, port) for url in {**GONE, **ALIVE}}
    # every page once, across three pages of the listing (3 + 3 + 1 rows), the 404 and the other site left out
    assert sorted(r[0] for r in rows(db, "SELECT url FROM site_pages")) == sorted(real)
    assert [(q["limit"], q.get("resumeKey")) for q in asked] == [
        (["3"], None), (["3"], ["com,oldtools)/calculator/ 20190101000000"]),
        (["3"], ["com,oldtools,blog)/post-1/ 20190101000000"])]
    assert all(q["collapse"] == ["urlkey"] and "statuscode:200" in q["filter"] for q in asked)
    lost = pd.read_csv(out / "deadsite_pages.csv", encoding="utf-8-sig", keep_default_na=False)
    found = sorted(lost[["lost_url", "verdict", "archived_title"]].values.tolist())
    assert found == sorted([url.replace(PORT, port), "likely_dead" if "calculator" in url else "dead", title]
                           for url, title in GONE.items())
    # 3 listing pages, then a CDX query and a capture for each of the 5 lost pages, as the archive stage spaces them
    assert len(times) == 3 + 2 * 5
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert min(gaps) >= 60 / RATE * 0.95, gaps
    assert again.returncode == 0, again.stderr
    assert asked_again == []  # the listing is complete, every lost page asked about
    assert summary(again.stdout)["archive's listing"] == "complete"


def test_a_stopped_listing_resumes_at_its_key_and_joins_the_backlinks(tmp_path: Path) -> None:
    db, out = tmp_path / "store.sqlite", tmp_path / "out"
    with FakeWeb(web_spec()) as web:
        port = str(web.port)
        from prospector.store import Store

        with Store(str(db)) as store:  # as a run stopped after the first page of the listing leaves it
            first = [f"http://oldtools.com:{port}{path}" for path in ("/", "/about/", "/blog/tips/")]
            store.save_site_pages("oldtools.com", [(url, "2019-01-01") for url in first],
                                  "com,oldtools)/calculator/ 20190101000000", complete=False)
        export = tmp_path / "majestic.csv"
        export.write_text("Target URL,Source URL,Anchor Text,FlagNoFollow\n"
                          f"{OLD}/guides/seo/,http://fan-blog.com:{PORT}/list/,the SEO guide,-\n"
                          f"{OLD}/about/,http://fan-blog.com:{PORT}/,about them,-\n".replace(PORT, port),
                          encoding="utf-8")
        run = deadsite(web, db, out, "--backlinks", str(export))
        assert run.returncode == 0, run.stderr
        asked = listing_requests(web)
    assert [q.get("resumeKey") for q in asked] == [["com,oldtools)/calculator/ 20190101000000"],
                                                   ["com,oldtools,blog)/post-1/ 20190101000000"]]
    assert rows(db, "SELECT COUNT(*), COUNT(DISTINCT url) FROM site_pages") == [(7, 7)]
    lost = pd.read_csv(out / "deadsite_pages.csv", encoding="utf-8-sig", keep_default_na=False)
    seo = lost[lost["lost_url"] == f"http://oldtools.com:{port}/guides/seo/"]
    assert seo[["referring_domains", "referring_pages"]].values.tolist() == [[1, 1]]
    # the link to the lost page is imported (a prospect for `run`); the one to a live page is not
    assert rows(db, "SELECT page_url, url FROM claimed_links") == [
        (f"http://fan-blog.com:{port}/list/", f"http://oldtools.com:{port}/guides/seo/")]


def test_a_listing_page_ends_with_its_resume_key() -> None:
    assert listing_rows('[["original","timestamp"],["http://a.com/x","2019"],[],["com,a)/y 2020"]]') == (
        [("http://a.com/x", "2019")], "com,a)/y 2020")
    assert listing_rows('[["original","timestamp"],["http://a.com/x","2019"]]') == ([("http://a.com/x", "2019")], "")
    with pytest.raises(ValueError, match="no original or timestamp column"):
        listing_rows('[["urlkey"],["com,a)/"]]')


def test_a_listing_the_archive_fails_is_said_and_resumed_on_the_next_run(tmp_path: Path) -> None:
    db, out = tmp_path / "store.sqlite", tmp_path / "out"
    spec = web_spec()
    failing = "com,oldtools)/calculator/ 20190101000000"  # the second page of the listing
    next(site for site in spec.sites if isinstance(site, FakeArchive)).listing_statuses[failing] = (500, 500, 500)
    with FakeWeb(spec) as web:
        first = deadsite(web, db, out)
        listed_first = rows(db, "SELECT COUNT(*) FROM site_pages")
        again = deadsite(web, db, out)
        asked = listing_requests(web)
    assert first.returncode == 0, first.stderr
    assert summary(first.stdout)["archive's listing"] == "not complete: the next run goes on"
    assert ("listing oldtools.com: the archive answered 500 to the listing; what was listed is kept, and the next "
            "run resumes the listing there") in first.stderr
    assert listed_first == [(3,)]
    assert summary(again.stdout)["archive's listing"] == "complete"
    assert rows(db, "SELECT COUNT(*) FROM site_pages") == [(7,)]
    status = summary(prospector("status", "--db", str(db)).stdout)
    assert status["dead site oldtools.com: pages listed"] == "7 (complete)"
    # the first page once; the second three times (500s), then once more on the next run; the third once
    assert [q.get("resumeKey", [""])[0] for q in asked] == ["", failing, failing, failing, failing,
                                                           "com,oldtools,blog)/post-1/ 20190101000000"]
