"""Sitemaps that would loop: an index that lists itself, two indexes that list each other.
Each sitemap is read once, the pages they list are still read, and the loop is said."""

from __future__ import annotations

from pathlib import Path

from conftest import network_args, prospector, rows

from prospector.fakeweb import PORT, FakeWeb, Resource, Site, WebSpec, page

HOST = "loopy-docs.com"
BASE = f"http://{HOST}:{PORT}"


def index(*children: str) -> Resource:
    return Resource(content_type="application/xml", body=(
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(f"<sitemap><loc>{BASE}{c}</loc></sitemap>" for c in children) + "</sitemapindex>"))


def urlset(*paths: str) -> Resource:
    return Resource(content_type="application/xml", body=(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(f"<url><loc>{BASE}{p}</loc></url>" for p in paths) + "</urlset>"))


def loopy_site() -> Site:
    return Site(HOST, {
        "/self.xml": index("/self.xml", "/pages.xml"),  # lists itself
        "/a.xml": index("/b.xml"), "/b.xml": index("/a.xml", "/pages.xml"),  # list each other
        "/pages.xml": urlset("/uptime", "/pricing"),
        "/uptime": page("Uptime monitoring", "<main><h1>Uptime monitoring</h1><p>Checks every minute.</p></main>"),
        "/pricing": page("Pricing", "<main><h1>Pricing</h1><p>Plans by seats.</p></main>"),
    })


def test_an_index_listing_itself_is_read_once(tmp_path: Path) -> None:
    with FakeWeb(WebSpec([loopy_site()])) as web:
        run = prospector("match", "--lexical", "--sitemap", web.url(HOST, "/self.xml"),
                         *network_args(web, tmp_path / "s.sqlite"), timeout=60)
        fetched = web.http.count(HOST, "/self.xml")
    assert run.returncode == 0, run.stderr
    assert fetched == 1
    assert f"sitemap {web.url(HOST, '/self.xml')} already read (a sitemap index loop); skipped" in run.stderr
    assert sorted(r[0] for r in rows(tmp_path / "s.sqlite", "SELECT url FROM own_pages")) == [
        web.url(HOST, "/pricing"), web.url(HOST, "/uptime")]


def test_two_indexes_listing_each_other_are_read_once_each(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite"
    with FakeWeb(WebSpec([loopy_site()])) as web:
        run = prospector("match", "--lexical", "--sitemap", web.url(HOST, "/a.xml"), *network_args(web, db), timeout=60)
        counts = [web.http.count(HOST, p) for p in ("/a.xml", "/b.xml", "/pages.xml")]
        stored = rows(db, "SELECT url, title, text, status FROM own_pages ORDER BY url")
        again = prospector("match", "--lexical", "--sitemap", web.url(HOST, "/a.xml"), *network_args(web, db),
                           timeout=60)
        pages_fetched_again = web.http.count(HOST, "/uptime") + web.http.count(HOST, "/pricing") - 2
    assert run.returncode == 0, run.stderr
    assert counts == [1, 1, 1]
    assert "already read (a sitemap index loop)" in run.stderr
    assert len(stored) == 2
    assert again.returncode == 0, again.stderr  # a re-run ends too, with the same inventory
    assert rows(db, "SELECT url, title, text, status FROM own_pages ORDER BY url") == stored
    assert pages_fetched_again == 0


def test_an_interrupted_match_says_what_it_kept_and_a_rerun_finishes(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    from prospector.testing.evaluate import MATCH_DEV_HOST, static_site_spec

    spec = static_site_spec(Path(__file__).parent / "data" / "match_dev" / "site")
    for path, resource in spec.site(MATCH_DEV_HOST).pages.items():
        if path.endswith("/"):
            resource.delay = 0.1
    db = tmp_path / "s.sqlite"
    with FakeWeb(spec) as web:
        args = ["match", "--lexical", "--sitemap", web.url(MATCH_DEV_HOST), *network_args(web, db)]
        child = subprocess.Popen([sys.executable, "-m", "prospector", *args], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 30
        while web.http.count(MATCH_DEV_HOST) < 20 and time.monotonic() < deadline:
            time.sleep(0.05)
        child.send_signal(signal.SIGINT)
        stdout, _ = child.communicate(timeout=60)
        kept = rows(db, "SELECT COUNT(*) FROM own_pages WHERE fetched_at IS NOT NULL")[0][0]
        again = prospector("match", "--lexical", "--sitemap", web.url(MATCH_DEV_HOST), *network_args(web, db))
    assert child.returncode == 130
    assert "Match stopped while reading your pages: " in stdout and "run the same command again to resume" in stdout
    assert 0 < kept < 147
    assert again.returncode == 0, again.stderr
    assert rows(db, "SELECT COUNT(*) FROM own_pages WHERE fetched_at IS NOT NULL")[0][0] == 147
