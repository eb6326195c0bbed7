"""`prospector competitor`: from an Ahrefs export of 40 backlinks to 12 of a competitor's pages
(5 dead, 1 gone to a parked domain, 6 alive; 2 referring pages no longer carry their link),
exactly the lost pages are listed with their referring domains and archived titles, only the
backlinks to them are imported and crawled, and emails go to the pages still linking to a lost
page that your site has a page for."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import network_args, prospector, rows, summary

from prospector.fakeweb import PORT, FakeWeb, Site, WebSpec, missing, page, redirect
from prospector.fakeweb.archive import ARCHIVE_HOST, Capture, FakeArchive
from prospector.lost_pages import site_domain
from prospector.urls import on_site

pytestmark = pytest.mark.heavy  # scheduled first: see conftest.py

R = f"http://rival.com:{PORT}"
KW, AUDIT, REPORT = "/blog/keyword-research-guide/", "/tools/seo-audit-checklist/", "/report-2023/"
TIPS, EMAIL, CALC = "/old-backlink-tips/", "/resources/email-templates/", "/calculator/"
ALIVE = ["/", "/about/", "/blog/link-building/", "/pricing/", "/blog/content-marketing/", "/tools/"]
SAID = {KW: "the keyword research guide", AUDIT: "an SEO audit checklist", REPORT: "their 2023 survey of marketers",
        TIPS: "backlink tips", EMAIL: "cold email templates", CALC: "a handy ROI calculator"}
# referring site -> the rival's pages its /post/ is said to link (40 in all); "-" marks a link gone
CLAIMS = {
    1: [KW, EMAIL, "/", "/about/"], 2: [KW, AUDIT, "/pricing/"], 3: [KW, "/blog/link-building/", "/tools/"],
    4: ["-" + KW], 5: [AUDIT, "/"], 6: [AUDIT, "/blog/content-marketing/"], 7: [REPORT, "/about/"],
    8: ["-" + REPORT], 9: [TIPS, "/pricing/", "/tools/"], 10: [TIPS, "/"], 11: [EMAIL, "/blog/link-building/"],
    12: [CALC, "/about/"], 13: [CALC, "/"], 14: ["/", "/about/", "/pricing/", "/tools/"],
    15: ["/blog/link-building/", "/blog/content-marketing/", "/", "/pricing/"],
    16: ["/about/", "/tools/", "/blog/content-marketing/"],
}


def ref(n: int) -> str:
    return f"ref-{n:02d}.com"


def referring_site(n: int) -> Site:
    carried = [path for path in CLAIMS[n] if not path.startswith("-")]
    body = "".join(f'<p>We keep coming back to <a href="{R}{path}">{SAID.get(path, "this page")}</a> for our '
                   f"clients.</p>" for path in carried) or "<p>We rewrote this post and dropped the old links.</p>"
    return Site(ref(n), {"/": page(f"Blog {n}", f'<p>Write to <a href="mailto:editor@{ref(n)}">the editor</a>.</p>'),
                         "/post/": page(f"Our favourite resources, part {n}", f"<main>{body}</main>")})


def web_spec() -> WebSpec:
    rival = {path: page(f"Rival {path}", "<p>Still here.</p>") for path in ALIVE}
    rival.update({KW: missing(404), AUDIT: missing(404), REPORT: missing(410), EMAIL: missing(404),
                  TIPS: redirect(f"{R}/new-backlink-tips/"), "/new-backlink-tips/": missing(404),
                  CALC: redirect(f"http://calc-app.com:{PORT}/")})
    mine = {"/keyword-research/": page("Keyword research: a complete guide",
                                       "<p>How to do keyword research: seed keywords, search volume, intent.</p>"),
            "/seo-audit-checklist/": page("The SEO audit checklist",
                                          "<p>A checklist for an SEO audit: crawl errors, titles, speed.</p>"),
            "/cold-email-templates/": page("Cold email templates for outreach",
                                           "<p>Cold email templates that get replies.</p>")}
    archive = FakeArchive(captures={
        f"{R}{KW}": [Capture("20210101000000", "The keyword research guide | Rival", "<p>Keywords.</p>")],
        f"{R}{AUDIT}": [Capture("20210202000000", "SEO audit checklist | Rival", "<p>Audit.</p>")],
        f"{R}{REPORT}": [Capture("20230303000000", "Survey of marketers 2023 | Rival", "<p>Survey.</p>")],
        f"{R}{TIPS}": [Capture("20200404000000", "Backlink tips | Rival", "<p>Tips.</p>")],
        f"{R}{EMAIL}": [Capture("20220505000000", "Cold email templates | Rival", "<p>Templates.</p>")],
    })
    return WebSpec(sites=[
        Site("rival.com", rival), Site("mine.com", mine), archive,
        Site("calc-app.com", {"/": page("calc-app.com is for sale", "<p>Buy this domain today.</p>")}),
        *[referring_site(n) for n in CLAIMS]])


def ahrefs_export(path: Path, port: int) -> Path:
    header = ["Referring page title", "Referring page URL", "Domain rating", "Target URL", "Left context", "Anchor",
              "Right context", "Nofollow", "UGC", "Sponsored"]
    lines = [header]
    for n, paths in CLAIMS.items():
        for claimed in paths:
            target = claimed.lstrip("-")
            lines.append([f"Post {n}", f"http://{ref(n)}:{PORT}/post/", str(20 + n), f"{R}{target}",
                          "We keep coming back to", SAID.get(target, "this page"), "for our clients.",
                          "false", "false", "false"])
    assert len(lines) - 1 == 40
    text = "".join("\t".join(f'"{c}"' for c in line) + "\r\n" for line in lines)
    path.write_bytes(text.replace(PORT, str(port)).encode("utf-16"))
    return path


def test_competitor_lists_its_lost_pages_and_pitches_the_pages_still_linking(tmp_path: Path) -> None:
    with FakeWeb(web_spec()) as web:
        export = ahrefs_export(tmp_path / "rival-backlinks.csv", web.port)
        pages = tmp_path / "pages.csv"
        pages.write_text("url\n" + "".join(web.url("mine.com", p) + "\n" for p in
                                           ["/keyword-research/", "/seo-audit-checklist/", "/cold-email-templates/"]),
                         encoding="utf-8")
        db, out = tmp_path / "store.sqlite", tmp_path / "out"
        run = prospector("competitor", "www.rival.com", "--backlinks", str(export), "--pages", str(pages),
                         "--lexical", "--wayback-endpoint", web.url(ARCHIVE_HOST).rstrip("/"), "--wayback-rate", "600",
                         "--sender-name", "Sam Lee", "--sender-email", "sam@mine.com", "--out", str(out),
                         *network_args(web, db), timeout=240)
        assert run.returncode == 0, run.stderr

        port = str(web.port)
    r = R.replace(PORT, port)
    post = {n: f"http://{ref(n)}:{port}/post/" for n in CLAIMS}
    lost = pd.read_csv(out / "competitor_pages.csv", encoding="utf-8-sig", keep_default_na=False)
    assert lost[["lost_url", "verdict", "referring_domains", "still_linking", "archived_title"]].values.tolist() == [
        [r + KW, "dead", 4, 3, "The keyword research guide | Rival"],
        [r + AUDIT, "dead", 3, 3, "SEO audit checklist | Rival"],
        [r + TIPS, "dead", 2, 2, "Backlink tips | Rival"],
        [r + EMAIL, "dead", 2, 2, "Cold email templates | Rival"],
        [r + REPORT, "dead", 2, 1, "Survey of marketers 2023 | Rival"],
        [r + CALC, "likely_dead", 2, 2, ""],
    ]
    assert lost.loc[0, "linking_pages"].split() == [post[n] for n in (1, 2, 3)]
    assert lost.loc[0, "your_page"] == f"http://mine.com:{port}/keyword-research/"
    # only the backlinks to lost pages were imported: sites 14-16 link to live pages only
    assert [r[0] for r in rows(db, "SELECT url FROM prospects ORDER BY url")] == [
        f"http://{ref(n)}:{port}/" for n in range(1, 14)]
    assert rows(db, "SELECT COUNT(*) FROM pages WHERE url LIKE '%ref-14%' OR url LIKE '%ref-15%'") == [(0,)]

    opportunities = pd.read_csv(out / "opportunities.csv", encoding="utf-8-sig")
    assert sorted(set(opportunities["page_url"])) == [post[n] for n in (1, 2, 3, 5, 6, 7, 9, 10, 11, 12, 13)]
    emails = pd.read_csv(out / "emails.csv", encoding="utf-8-sig")
    assert sorted(emails["to_email"]) == [f"editor@{ref(n)}" for n in (1, 2, 3, 5, 6, 11)]

    shown = summary(run.stdout.split("\nLost pages\n", 1)[1])
    assert shown == {"site": "rival.com", "its pages asked about": "12", "lost: dead or likely dead": "6",
                     "of them likely dead": "1", "referring domains linking to them": "13",
                     "pages still linking to them": "11", "archive: lost pages looked up (this run)": "0",
                     "archived titles known": "5", "archive: still to look up": "0",
                     "sheet": str(out / "competitor_pages.csv")}


@pytest.mark.parametrize("given,expected", [("rival.com", "rival.com"), ("https://www.Rival.com/blog", "rival.com"),
                                            ("shop.rival.co.uk", "shop.rival.co.uk")])
def test_the_competitor_is_named_as_a_domain(given: str, expected: str) -> None:
    assert site_domain(given, "competitor") == expected


def test_a_competitor_that_is_not_a_domain_is_refused_in_one_line(tmp_path: Path) -> None:
    export = tmp_path / "links.csv"
    export.write_text("referring_url,target_url\nhttp://a.com/p,http://rival.com/x\n", encoding="utf-8")
    run = prospector("competitor", "rival", "--backlinks", str(export), "--pages", str(export),
                     "--db", str(tmp_path / "s.sqlite"))
    assert (run.returncode, run.stderr.strip()) == (2, "Error: competitor: 'rival' is not a domain (example.com)")


def test_pages_on_the_competitor_include_its_subdomains_only() -> None:
    assert [on_site(url, "rival.com") for url in ("http://rival.com/a", "https://blog.rival.com/b",
                                                  "http://notrival.com/c", "http://rival.com.evil.org/")] == [
        True, True, False, False]


def test_competitor_mode_takes_no_prospect_list(tmp_path: Path) -> None:
    run = prospector("run", "--competitor", "rival.com", "--backlinks", "x.csv", "--prospects", "p.csv",
                     "--db", str(tmp_path / "s.sqlite"))
    assert (run.returncode, run.stderr.strip().splitlines()[-1]) == (
        2, "Error: --prospects does not go with --competitor: competitor mode's prospects are the pages linking to "
           "the competitor's lost pages")
