"""`prospector archive` against a fake Internet Archive: the last good capture of each dead page
(not a parked domain), URLs never captured, 429s honoured, the rate kept, and what the
archived title does for the matcher."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from conftest import Run, network_args, prospector, summary
from webs import own_site_pages

from prospector.fakeweb import FakeWeb, Site, WebSpec, page
from prospector.fakeweb.archive import ARCHIVE_HOST, Capture, FakeArchive
from prospector.fakeweb.demo import own_site

pytestmark = pytest.mark.heavy  # scheduled first: see conftest.py

P = "%PORT%"
RATE = 120  # a minute: one request every 0.5 s keeps the test short and the spacing measurable
OPAQUE = f"http://oldblog-one.com:{P}/?p=2290"
SHORT = f"http://bit.ly:{P}/3Kx9QfA"
REBORN = f"http://reborn-domain.com:{P}/consent-guide"  # its newest capture is a parked page
NEVER = f"http://never-seen.com:{P}/notes"
BUSY = f"http://busy-capture.com:{P}/funnels"  # the archive answers 429 once for it


def fake_archive() -> FakeArchive:
    return FakeArchive(captures={
        OPAQUE: [Capture("20190311120000", "How to calculate churn rate for a subscription business | Old Blog",
                         "<main><p>Churn rate is the share of customers lost in a period.</p></main>",
                         "Monthly churn, revenue churn and how to calculate churn rate.")],
        SHORT: [Capture("20200102030405", "UTM parameters: tagging campaign links the right way",
                        "<main><p>utm_source, utm_medium and utm_campaign explained.</p></main>")],
        REBORN: [Capture("20180101000000", "Designing a cookie consent banner visitors accept",
                         "<main><p>Accept and reject buttons of equal weight.</p></main>"),
                 Capture("20240101000000", "reborn-domain.com is for sale", "<p>Buy this domain.</p>")],
        BUSY: [Capture("20210505050505", "Conversion funnel analysis for online shops",
                       "<main><p>Step by step funnel analysis.</p></main>")],
    }, rate_limited={BUSY: 1})


def blog() -> Site:
    links = [(OPAQUE, "this post"), (SHORT, "here"), (REBORN, "this guide"), (NEVER, "my notes"), (BUSY, "this one")]
    body = "".join(f'<p>I learnt a lot from <a href="{url}">{anchor}</a> last year.</p>' for url, anchor in links)
    return Site("reading-room.com", {"/": page("Things I read", f"<main><article>{body}</article></main>")})


@dataclass
class Archived:
    web: FakeWeb
    db: Path
    archive: Run
    again: Run
    out: Path


def crawled_and_checked(web: FakeWeb, db: Path, site: str) -> list[str]:
    """One prospect crawled and its links checked into `db`; the network options used."""
    prospects = db.parent / "prospects.txt"
    prospects.write_text(web.url(site) + "\n", encoding="utf-8")
    net = network_args(web, db)
    for args in (["crawl", "--prospects", str(prospects)], ["check"]):
        assert prospector(*args, *net).returncode == 0
    return net


def run_with_wayback(web: FakeWeb, db: Path, out: Path) -> Run:
    """`prospector run --wayback` over the reading room, the archive at 600 requests a minute."""
    prospects = db.parent / "prospects.txt"
    prospects.write_text(web.url("reading-room.com") + "\n", encoding="utf-8")
    return prospector("run", "--wayback", "--wayback-endpoint", web.url(ARCHIVE_HOST).rstrip("/"), "--wayback-rate",
                      "600", "--prospects", str(prospects), "--sitemap", web.url("tallyfield.com"), "--lexical",
                      "--sender-name", "Sam", "--sender-email", "sam@tallyfield.com", "--out", str(out),
                      *network_args(web, db))


def port_of(web: FakeWeb, url: str) -> str:
    return url.replace(P, str(web.port))


@pytest.fixture(scope="module")
def archived(tmp_path_factory: pytest.TempPathFactory) -> Archived:
    folder = tmp_path_factory.mktemp("archive")
    db = folder / "store.sqlite"
    with FakeWeb(WebSpec([blog(), fake_archive(), own_site(own_site_pages())])) as web:
        prospects = folder / "prospects.txt"
        prospects.write_text(web.url("reading-room.com") + "\n", encoding="utf-8")
        net = network_args(web, db)
        wayback = ["--wayback-endpoint", web.url(ARCHIVE_HOST).rstrip("/"), "--wayback-rate", str(RATE)]
        for args in (["crawl", "--prospects", str(prospects)], ["check"]):
            assert prospector(*args, *net).returncode == 0
        archive = prospector("archive", *wayback, *net)
        again = prospector("archive", *wayback, *net)
        match = prospector("match", "--lexical", "--sitemap", web.url("tallyfield.com"), *net)
        assert match.returncode == 0, match.stderr
        export = prospector("export", "--db", str(db), "--out", str(folder / "out"))
        assert export.returncode == 0, export.stderr
    return Archived(web, db, archive, again, folder / "out")


def test_each_dead_url_gets_its_last_good_capture_or_none(archived: Archived) -> None:
    assert archived.archive.returncode == 0, archived.archive.stderr
    table = summary(archived.archive.stdout)
    assert (table["dead links to ask about"], table["captured (this run)"], table["none (this run)"],
            table["error (this run)"], table["429 answers"]) == ("5", "4", "1", "0", "1")
    with sqlite3.connect(archived.db) as db:
        rows = {r[0]: r[1:] for r in db.execute("SELECT url, outcome, archived_at, title, detail FROM archive")}
    web = archived.web
    assert rows[port_of(web, OPAQUE)][:3] == ("captured", "2019-03-11",
                                              "How to calculate churn rate for a subscription business | Old Blog")
    assert rows[port_of(web, REBORN)][:3] == ("captured", "2018-01-01",
                                              "Designing a cookie consent banner visitors accept")  # not the parked one
    assert rows[port_of(web, NEVER)] == ("none", "", "", "never captured with a 200 HTML answer")
    assert rows[port_of(web, BUSY)][0] == "captured"


def test_a_second_run_asks_nothing_again(archived: Archived) -> None:
    assert archived.again.returncode == 0, archived.again.stderr
    assert summary(archived.again.stdout)["dead links to ask about"] == "0"


def test_the_archive_is_never_asked_faster_than_the_rate(archived: Archived) -> None:
    times = [t for t, host, _ in archived.web.http.times if host == ARCHIVE_HOST]
    # 5 CDX queries, 1 of them refused once, 5 captures read (the parked one, then the good one before it)
    assert len(times) == 11
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert min(gaps) >= 60 / RATE * 0.95, gaps
    for i, start in enumerate(times):  # any one-second window holds at most RATE/60 requests (+1 at its edge)
        assert sum(start <= t < start + 1 for t in times[i:]) <= RATE // 60 + 1


def test_exports_and_the_matcher_use_the_archived_title(archived: Archived) -> None:
    dead = pd.read_csv(archived.out / "dead_links.csv", encoding="utf-8-sig", keep_default_na=False)
    row = dead[dead["dead_url"] == port_of(archived.web, OPAQUE)].iloc[0]
    assert row["archived_title"].startswith("How to calculate churn rate")
    assert row["archived_url"].endswith(f"/web/20190311120000/{port_of(archived.web, OPAQUE)}")
    opportunities = pd.read_csv(archived.out / "opportunities.csv", encoding="utf-8-sig", keep_default_na=False)
    suggested = dict(zip(opportunities["dead_url"], opportunities["suggested_url"], strict=False))
    own = archived.web.url("tallyfield.com").rstrip("/")
    # "this post", "here", "this guide": the anchors say nothing; the archived titles do.
    assert suggested[port_of(archived.web, OPAQUE)] == f"{own}/blog/churn-rate-calculation"
    assert suggested[port_of(archived.web, SHORT)] == f"{own}/blog/utm-parameters-guide"
    assert suggested[port_of(archived.web, REBORN)] == f"{own}/blog/cookie-consent-banner-design"
    assert suggested[port_of(archived.web, NEVER)] == ""  # nothing to go on


def test_repeated_refusals_stop_the_stage_politely(tmp_path: Path) -> None:
    stubborn = fake_archive()
    stubborn.rate_limited = {OPAQUE: 50}
    db = tmp_path / "store.sqlite"
    with FakeWeb(WebSpec([blog(), stubborn])) as web:
        net = crawled_and_checked(web, db, "reading-room.com")
        run = prospector("archive", "--wayback-endpoint", web.url(ARCHIVE_HOST).rstrip("/"), "--wayback-rate", "600",
                         *net)
        asked = [path for _, host, path in web.http.times if host == ARCHIVE_HOST]
    assert run.returncode == 130, run.stdout + run.stderr
    assert "the Internet Archive refused 3 requests (429 Too Many Requests); stopped so as not to be blocked" \
        in run.stderr
    assert summary(run.stdout)["429 answers"] == "3"
    refused = [i for i, path in enumerate(asked) if "oldblog-one.com" in path and path.startswith("/cdx/")]
    assert len(refused) == 3 and refused[-1] == len(asked) - 1  # nothing asked after the third refusal
    with sqlite3.connect(db) as conn:
        outcome = conn.execute("SELECT outcome FROM archive WHERE url LIKE 'http://oldblog-one.com%'").fetchall()
    assert outcome in ([], [("error",)])  # asked again by the next run


def test_run_with_wayback_archives_before_matching(tmp_path: Path) -> None:
    db = tmp_path / "store.sqlite"
    with FakeWeb(WebSpec([blog(), fake_archive(), own_site(own_site_pages())])) as web:
        run = run_with_wayback(web, db, tmp_path / "out")
        own = web.url("tallyfield.com").rstrip("/")
        opaque = port_of(web, OPAQUE)
    assert run.returncode == 0, run.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT outcome, COUNT(*) FROM archive GROUP BY outcome ORDER BY outcome").fetchall() == [
            ("captured", 4), ("none", 1)]
        assert conn.execute("SELECT own_url FROM suggestions WHERE dead_url = ? AND rank = 1", (opaque,)).fetchone() \
            == (f"{own}/blog/churn-rate-calculation",)
    body = pd.read_csv(tmp_path / "out" / "emails.csv", encoding="utf-8-sig", keep_default_na=False)["body"]
    assert any('(once "How to calculate churn rate for a subscription business")' in text for text in body)


ODD = [f"http://odd-cdx-{i}.com:{P}/page" for i in range(5)]
BOMB = f"http://bomb-capture.com:{P}/report"


def test_answers_of_an_unexpected_shape_and_bomb_captures_are_recorded_with_why(tmp_path: Path) -> None:
    """CDX answers that are JSON but not a listing, and a capture that unpacks past the size
    cap: each URL is stored and counted, with the reason (the bomb's older capture is used)."""
    import gzip

    from prospector.fakeweb import Resource

    archive = FakeArchive(captures={BOMB: [
        Capture("20170101000000", "Quarterly funnel report", "<main><p>Funnels by quarter.</p></main>"),
        Capture("20220101000000", "", "", served=Resource(body=gzip.compress(b"<p>" + b"a" * 8_000_000),
                                                          headers={"Content-Encoding": "gzip"}))]},
        cdx_bodies=dict(zip(ODD, ['{"rows": []}', '[["timestamp"], [20190101000000]]', '[["original"], ["x"]]',
                                  '[["timestamp"], ["../../etc"]]', '"just a string"'], strict=False)))
    links = "".join(f'<p>I read <a href="{url}">this</a> once.</p>' for url in [*ODD, BOMB])
    db = tmp_path / "store.sqlite"
    with FakeWeb(WebSpec([Site("odd-room.com", {"/": page("Odd", f"<main>{links}</main>")}), archive])) as web:
        net = crawled_and_checked(web, db, "odd-room.com")
        run = prospector("archive", "--wayback-endpoint", web.url(ARCHIVE_HOST).rstrip("/"), "--wayback-rate", "600",
                         *net)
        bomb = port_of(web, BOMB)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    table = summary(run.stdout)
    assert (table["dead links to ask about"], table["captured (this run)"], table["error (this run)"]) == ("6", "1",
                                                                                                           "5")
    with sqlite3.connect(db) as conn:
        found = dict(conn.execute("SELECT url, detail FROM archive WHERE outcome = 'error'").fetchall())
        captured = conn.execute("SELECT url, archived_at, title FROM archive WHERE outcome = 'captured'").fetchall()
    assert sorted(found.values()) == sorted([
        "the archive's answer was not a CDX listing (rows of text)",
        "the archive's answer was not a CDX listing (rows of text)",
        "the archive's answer has no timestamp column",
        "the archive's answer has timestamps that are not YYYYMMDDhhmmss",
        "the archive's answer was not a CDX listing (rows of text)",
    ])
    assert captured == [(bomb, "2017-01-01", "Quarterly funnel report")]  # the newer capture was a bomb


def test_run_goes_on_to_match_draft_and_export_when_the_archive_refuses(tmp_path: Path) -> None:
    stubborn = fake_archive()
    stubborn.rate_limited = {url: 50 for url in (OPAQUE, SHORT, REBORN, NEVER, BUSY)}
    db = tmp_path / "store.sqlite"
    with FakeWeb(WebSpec([blog(), stubborn, own_site(own_site_pages())])) as web:
        run = run_with_wayback(web, db, tmp_path / "out")
    assert run.returncode == 0, run.stderr
    assert "the Internet Archive refused 3 requests (429 Too Many Requests); stopped so as not to be blocked" \
        in run.stderr
    assert summary(run.stdout)["own pages"] != "0"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "dead_links.csv", "emails.csv", "opportunities.csv", "prospects.csv", "report.html",
        "suggested_prospects.csv"]


def test_an_endpoint_that_is_not_a_web_address_is_refused(tmp_path: Path) -> None:
    from prospector.store import Store

    Store(tmp_path / "s.sqlite").close()
    done = prospector("archive", "--wayback-endpoint", "javascript:alert(1)", "--db", str(tmp_path / "s.sqlite"),
                      "--nameserver", "127.0.0.1:9")
    assert (done.returncode, done.stderr) == (2, "Error: --wayback-endpoint 'javascript:alert(1)': expected an "
                                                 "http(s) URL such as https://web.archive.org\n")


def test_the_least_certain_links_are_asked_about_first() -> None:
    from prospector.match.certainty import ArchiveCandidate, ask_order, opaque

    assert [opaque(u) for u in ("https://a.com/?p=2290", "https://bit.ly/3Kx9QfA", "https://a.com/node/88",
                                "https://a.com/consent-guide", "https://a.com/2019/05/")] == [
        True, True, True, False, True]
    given = [ArchiveCandidate("https://a.com/utm-guide", ("UTM guide",), 0.9),  # sure: waits
             ArchiveCandidate("https://a.com/funnels", ("funnel analysis",), 0.5),
             ArchiveCandidate("https://a.com/consent", ("this guide",), 0.8),  # vague anchor
             ArchiveCandidate("https://a.com/?p=12", ("this post",), 0.95),  # says nothing at all
             ArchiveCandidate("https://a.com/retention", ("retention cohorts",), None),  # not matched yet
             ArchiveCandidate("https://a.com/bounce", ("bounce rate",), 0.75)]
    assert ask_order(given) == ["https://a.com/?p=12", "https://a.com/consent", "https://a.com/retention",
                                "https://a.com/funnels", "https://a.com/utm-guide", "https://a.com/bounce"]


def test_run_asks_the_archive_by_default_for_a_while_and_a_later_run_asks_the_rest(tmp_path: Path) -> None:
    db = tmp_path / "store.sqlite"
    with FakeWeb(WebSpec([blog(), fake_archive(), own_site(own_site_pages())])) as web:
        prospects = tmp_path / "prospects.txt"
        prospects.write_text(web.url("reading-room.com") + "\n", encoding="utf-8")
        wayback = ["--wayback-endpoint", web.url(ARCHIVE_HOST).rstrip("/"), "--wayback-rate", "120"]
        run = prospector("run", *wayback, "--wayback-minutes", "0.005", "--prospects", str(prospects),
                         "--sitemap", web.url("tallyfield.com"), "--lexical", "--sender-name", "Sam",
                         "--sender-email", "sam@tallyfield.com", "--out", str(tmp_path / "out"), *network_args(web, db))
        first = [path for _, host, path in web.http.times if host == ARCHIVE_HOST and path.startswith("/cdx/")]
        rest = prospector("archive", *wayback, *network_args(web, db))
        asked = [path for _, host, path in web.http.times if host == ARCHIVE_HOST and path.startswith("/cdx/")]
        short = port_of(web, SHORT)
        own = web.url("tallyfield.com").rstrip("/")
    assert run.returncode == 0, run.stderr
    table = summary(run.stdout)
    # 0.3 s of a 0.5 s request spacing: the first dead link, and none after it
    assert table["archive: dead links looked up (this run)"] == "1"
    # 4 links, a CDX query and a capture each (3 of them captured), 0.5 s apart
    assert table["archive: still to look up"] == "4 (about 4 s more)"
    # the two links whose anchor and URL say nothing ("here" on bit.ly, "this post" on /?p=2290) come first
    assert "bit.ly" in first[0] and len(first) == 1
    with sqlite3.connect(db) as conn:  # matched again with what the archive said
        assert conn.execute("SELECT own_url FROM suggestions WHERE dead_url = ? AND rank = 1", (short,)).fetchone() \
            == (f"{own}/blog/utm-parameters-guide",)
    assert rest.returncode == 0, rest.stderr
    later = summary(rest.stdout)
    assert (later["dead links to ask about"], later["still to ask (a later run continues)"]) == ("4", "0")
    assert "oldblog-one.com" in asked[1] and len(asked) == 6  # BUSY's CDX query is refused once and asked again


def test_run_without_the_archive_asks_nothing_and_one_that_cannot_be_reached_is_left(tmp_path: Path) -> None:
    with FakeWeb(WebSpec([blog(), fake_archive(), own_site(own_site_pages())])) as web:
        prospects = tmp_path / "prospects.txt"
        prospects.write_text(web.url("reading-room.com") + "\n", encoding="utf-8")
        common = ["--prospects", str(prospects), "--sitemap", web.url("tallyfield.com"), "--lexical",
                  "--sender-name", "Sam", "--sender-email", "sam@tallyfield.com", "--wayback-rate", "600"]
        without = prospector("run", "--no-wayback", *common, "--out", str(tmp_path / "a"),
                             *network_args(web, tmp_path / "a.sqlite"))
        asked = [path for _, host, path in web.http.times if host == ARCHIVE_HOST]
        down = prospector("run", *common, "--wayback-endpoint", "http://archive-down.com", "--out",
                          str(tmp_path / "b"), *network_args(web, tmp_path / "b.sqlite"))
    assert without.returncode == 0, without.stderr
    assert summary(without.stdout)["archive"] == "not asked (--no-wayback)" and asked == []
    assert down.returncode == 0, down.stderr
    assert down.stderr == ("  http://archive-down.com: the Internet Archive could not be reached (domain does not "
                           "exist (NXDOMAIN), 3 times in a row); the dead links not asked about yet wait for a later "
                           "run (prospector archive)\n")
    table = summary(down.stdout)
    assert (table["archive: dead links looked up (this run)"], table["archive: captures found (this run)"]) == ("3",
                                                                                                                "0")
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == [
        "dead_links.csv", "emails.csv", "opportunities.csv", "prospects.csv", "report.html",
        "suggested_prospects.csv"]
