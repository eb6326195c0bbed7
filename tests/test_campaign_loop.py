"""A campaign over weeks: run → the user marks emails.csv in a spreadsheet → record → run again
on a web that changed → exactly the drafts the history allows."""

from __future__ import annotations

import csv
import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from conftest import Run, network_args, prospector, summary
from webs import own_site_pages

from prospector.fakeweb import FakeWeb, Site, WebSpec, missing, page
from prospector.fakeweb.demo import own_site

pytestmark = pytest.mark.heavy  # scheduled first: see conftest.py

P = "%PORT%"
SENT_ON = date.today() - timedelta(days=10)
EDITED = "Hi Alex,\n\nA link on your reading list is broken; my guide could replace it.\n\nSam\n"


def prospect_page(title: str, link: str, anchor: str, context: str, email: str, name: str) -> page:
    return page(title, f"""<main><article><p>{context.replace(anchor, f'<a href="{link}">{anchor}</a>')}</p>
        <p>Questions? Write to <a href="mailto:{email}">{name}</a>.</p></article></main>""")


def campaign_web() -> WebSpec:
    return WebSpec([
        Site("alpha-blog.com", {"/": prospect_page(
            "Alpha reading list", f"http://gone-utm.com:{P}/utm-guide", "UTM parameters guide",
            "Start with the UTM parameters guide for tagging your campaigns.", "editor@alpha-blog.com", "Alex")}),
        Site("beta-notes.org", {"/": page("Beta notes", f"""<main><article>
            <p>Read up on <a href="http://gone-consent.com:{P}/banners">consent banner design</a> before launch.</p>
            <p>Agree on <a href="http://gone-naming.com:{P}/conventions">UTM naming conventions</a> early.</p>
            <p>Questions? Write to <a href="mailto:hi@beta-notes.org">Bea</a>.</p></article></main>""")}),
        Site("gamma-weekly.net", {"/": prospect_page(
            "Gamma weekly", f"http://churn-facts.com:{P}/churn-rate", "how to calculate churn rate",
            "Here is how to calculate churn rate for a subscription business.", "jo@gamma-weekly.net", "Jo")}),
        Site("delta-digest.com", {"/": prospect_page(
            "Delta digest", f"http://gone-cohorts.com:{P}/retention", "cohort analysis for customer retention",
            "Try a cohort analysis for customer retention each quarter.", "sam@delta-digest.com", "Sam")}),
        Site("churn-facts.com", {"/churn-rate": missing(404)}),
        own_site(own_site_pages()),
    ])


@dataclass
class Loop:
    web: FakeWeb
    folder: Path
    first: Run
    record: Run
    second: Run
    later: Run
    verify: Run

    def emails(self, name: str = "out2") -> pd.DataFrame:
        return pd.read_csv(self.folder / name / "emails.csv", encoding="utf-8-sig", keep_default_na=False)


def mark_as_a_spreadsheet_would(emails_csv: Path, target: Path, statuses: dict[str, str]) -> None:
    """Statuses per address, one body edited, saved the way European Excel saves a CSV:
    semicolons, a BOM, CRLF."""
    frame = pd.read_csv(emails_csv, encoding="utf-8-sig", keep_default_na=False, dtype=str)
    frame["status"] = frame["to_email"].map(statuses).fillna("")
    frame.loc[frame["to_email"] == "editor@alpha-blog.com", "body"] = EDITED
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(frame.columns)
        writer.writerows(frame.itertuples(index=False))


@pytest.fixture(scope="module")
def loop(tmp_path_factory: pytest.TempPathFactory) -> Loop:
    folder = tmp_path_factory.mktemp("loop")
    db = folder / "store.sqlite"
    spec = campaign_web()
    with FakeWeb(spec) as web:
        def run(prospects: list[str], out: str, *extra: str) -> Run:
            listing = folder / f"{out}.txt"
            listing.write_text("\n".join(web.url(host, path) for host, path in (p.split("|") for p in prospects)))
            return prospector("run", "--no-wayback", "--prospects", str(listing), "--sitemap",
                              web.url("tallyfield.com"), "--lexical",
                              "--sender-name", "Sam Lee", "--sender-email", "sam@tallyfield.com",
                              "--out", str(folder / out), *extra, *network_args(web, db))

        hosts = ["alpha-blog.com|/", "beta-notes.org|/", "gamma-weekly.net|/", "delta-digest.com|/"]
        first = run(hosts, "out1")
        mark_as_a_spreadsheet_would(folder / "out1" / "emails.csv", folder / "marked.csv", {
            "editor@alpha-blog.com": "sent", "hi@beta-notes.org": "Sent", "sam@delta-digest.com": "skip"})
        record = prospector("record", str(folder / "marked.csv"), "--on", SENT_ON.isoformat(), "--db", str(db))
        # Two weeks on: gamma's dead link works again, one of the two beta was told about too
        # (its domain registered again), and alpha has a new page with a new dead link.
        spec.add(Site("gone-naming.com", {"/conventions": page("UTM naming", "<p>Back.</p>")}))
        sites = {site.host: site for site in spec.sites}
        sites["churn-facts.com"].pages["/churn-rate"] = page("Churn rate", "<p>How to calculate churn.</p>")
        sites["alpha-blog.com"].pages["/new-post"] = prospect_page(
            "Alpha: speed", f"http://gone-cwv.com:{P}/field-data", "Core Web Vitals field data",
            "Monitor Core Web Vitals field data from real users.", "editor@alpha-blog.com", "Alex")
        second = run([*hosts, "alpha-blog.com|/new-post"], "out2", "--verify-within", "0")
        later = prospector("draft", "--recontact-after", "5", "--sender-name", "Sam Lee", "--sender-email",
                           "sam@tallyfield.com", "--db", str(db), "--out", str(folder / "out3"))
        # The morning they send: delta's dead domain has been registered again, with the page.
        spec.add(Site("gone-cohorts.com", {"/retention": page("Retention cohorts", "<p>Back again.</p>")}))
        verify = prospector("verify", "--verify-within", "0", *network_args(web, db))
        return Loop(web, folder, first, record, second, later, verify)


def test_the_first_run_drafts_one_first_email_per_contact(loop: Loop) -> None:
    assert loop.first.returncode == 0, loop.first.stderr
    emails = loop.emails("out1")
    assert list(emails.columns[:2]) == ["status", "kind"] and "last_contacted" in emails.columns
    assert sorted(emails["to_email"]) == ["editor@alpha-blog.com", "hi@beta-notes.org", "jo@gamma-weekly.net",
                                          "sam@delta-digest.com"]
    assert set(emails["kind"]) == {"first"} and set(emails["status"]) == {""}
    assert set(emails["last_contacted"]) == {""}


def test_record_stores_each_status_and_the_edited_body(loop: Loop) -> None:
    assert loop.record.returncode == 0, loop.record.stderr
    table = summary(loop.record.stdout)
    assert (table["rows with a status"], table["recorded (new)"], table["bodies edited by you"]) == ("3", "3", "1")
    assert (table["sent"], table["skip"]) == ("2", "1")
    with sqlite3.connect(loop.folder / "store.sqlite") as db:
        rows = db.execute("SELECT contact_key, status, on_date, edited, body, domains FROM history "
                          "ORDER BY contact_key").fetchall()
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        ("editor@alpha-blog.com", "sent", SENT_ON.isoformat(), 1), ("hi@beta-notes.org", "sent", SENT_ON.isoformat(),
                                                                    0),
        ("sam@delta-digest.com", "skip", SENT_ON.isoformat(), 0)]
    assert rows[0][4].replace("\r\n", "\n").strip() == EDITED.strip()
    assert rows[0][5] == "alpha-blog.com"


def test_the_second_run_follows_up_and_pitches_nothing_twice(loop: Loop) -> None:
    assert loop.second.returncode == 0, loop.second.stderr
    table = summary(loop.second.stdout)
    assert (table["drafts (one per contact)"], table["follow-ups due"]) == ("0", "2")
    assert (table["left out: contacted in the last 100 days"], table["left out: already pitched to that prospect"],
            table["re-checked before drafting"], table["left out: no longer dead on re-check"]) == ("2", "2", "4", "2")
    emails = loop.emails()
    assert emails[["kind", "to_email", "last_contacted"]].values.tolist() == [
        ["followup", "editor@alpha-blog.com", SENT_ON.isoformat()],
        ["followup", "hi@beta-notes.org", SENT_ON.isoformat()]]
    assert emails["subject"].str.startswith("Re: ").all()
    assert all(loop.web.url("churn-facts.com") not in body for body in emails["body"])  # came back alive
    # beta's follow-up is written again over the link that is still dead: it never calls a working one broken
    beta = emails[emails["to_email"] == "hi@beta-notes.org"].iloc[0]
    assert beta["dead_urls"] == loop.web.url("gone-consent.com", "/banners")
    assert "gone-consent.com" in beta["body"] and "gone-naming.com" not in beta["body"]
    assert beta["subject"] == 'Re: A broken link on "Beta notes"'
    alpha = emails[emails["to_email"] == "editor@alpha-blog.com"].iloc[0]
    first_round = loop.emails("out1").set_index("to_email")
    # all its links still dead: the follow-up drafted with the email that was sent, as it was
    assert alpha["body"] == first_round.loc["editor@alpha-blog.com", "followup_body"]
    assert not any("gone-cwv.com" in text for text in emails["body"] + emails["dead_urls"])  # within the window


def test_after_the_window_the_new_link_is_pitched_and_the_old_one_is_not(loop: Loop) -> None:
    assert loop.later.returncode == 0, loop.later.stderr
    table = summary(loop.later.stdout)
    assert (table["drafts (one per contact)"], table["dead links in drafts"], table["follow-ups due"]) == ("2", "2",
                                                                                                           "2")
    with sqlite3.connect(loop.folder / "store.sqlite") as db:
        firsts = dict(db.execute("SELECT contact_key, dead_urls FROM drafts WHERE kind='first'").fetchall())
        last = dict(db.execute("SELECT contact_key, last_contacted FROM drafts WHERE kind='first'").fetchall())
    assert last == {"editor@alpha-blog.com": SENT_ON.isoformat(), "sam@delta-digest.com": ""}  # a skip sent nothing
    # alpha: only the new link (the UTM guide was pitched already); delta was skipped, not told.
    assert firsts == {"editor@alpha-blog.com": loop.web.url("gone-cwv.com", "/field-data"),
                      "sam@delta-digest.com": loop.web.url("gone-cohorts.com", "/retention")}


def test_verify_lists_what_came_back_before_sending(loop: Loop) -> None:
    assert loop.verify.returncode == 0, loop.verify.stderr
    table = summary(loop.verify.stdout)
    # the drafts name 4 dead URLs: alpha's new one, delta's, and the two of the follow-ups
    assert (table["dead links in the drafts"], table["checked again (older than 0 h)"], table["no longer dead"]) == (
        "4", "4", "1")
    url = loop.web.url("gone-cohorts.com", "/retention")
    assert f"  {url}: now alive (in the draft to sam@delta-digest.com)" in loop.verify.stdout.splitlines()


def test_a_reply_is_recorded_on_any_day_and_stops_its_follow_up(tmp_path: Path) -> None:
    """run → record sent (day 0) → run → the same, earlier sheet recorded again with `replied`
    for one contact (day 3) → on day 8 a follow-up for the other contact only. Recording an
    earlier sheet again changes nothing."""
    from prospector import Campaign, Sender

    day0 = date.today() - timedelta(days=8)
    sender = Sender("Sam Lee", "sam@tallyfield.com", "https://tallyfield.com")
    with FakeWeb(campaign_web()) as web:
        prospects = tmp_path / "p.txt"
        prospects.write_text(f"{web.url('alpha-blog.com')}\n{web.url('beta-notes.org')}\n", encoding="utf-8")
        campaign = Campaign(tmp_path / "store.sqlite", nameserver=web.nameserver, allow_private_networks=True,
                            dns_timeout=0.5, timeout=1, semantic=False, workers=1, notes=lambda line: None)
        campaign.run(prospects, sitemap=web.url("tallyfield.com"), sender=sender, out_dir=tmp_path / "out1",
                     wayback=False, today=day0)
        sent = tmp_path / "sent.csv"
        mark_as_a_spreadsheet_would(tmp_path / "out1" / "emails.csv", sent,
                                    {"editor@alpha-blog.com": "sent", "hi@beta-notes.org": "sent"})
        first = campaign.record(sent, on=day0)
        second = campaign.run(prospects, sitemap=web.url("tallyfield.com"), sender=sender, out_dir=tmp_path / "out2",
                              wayback=False, today=day0 + timedelta(days=1), verify_within=1000)
        replied = tmp_path / "replied.csv"
        mark_as_a_spreadsheet_would(tmp_path / "out1" / "emails.csv", replied,
                                    {"editor@alpha-blog.com": "replied", "hi@beta-notes.org": "sent"})
        reply = campaign.record(replied, on=day0 + timedelta(days=3))
        again = campaign.record(sent, on=day0)
        due = campaign.draft(sender, today=day0 + timedelta(days=8), verify_within=1000)
        drafts = campaign.emails()
    assert (first.recorded, second.draft.drafts, second.draft.followups) == (2, 0, 0)
    assert "editor@alpha-blog.com" not in set(pd.read_csv(tmp_path / "out2" / "emails.csv", encoding="utf-8-sig",
                                                          keep_default_na=False)["to_email"])
    assert (reply.recorded, reply.already, reply.by_status) == (1, 1, {"replied": 1, "sent": 1})
    assert (again.recorded, again.already) == (0, 2)
    assert due.followups == 1
    assert drafts[["kind", "to_email"]].values.tolist() == [["followup", "hi@beta-notes.org"]]


def test_a_recrawl_finds_new_posts_and_drops_links_that_went(tmp_path: Path) -> None:
    """A prospect crawled before: its start page now links a new post and no longer the dead UTM
    guide. Without --recrawl-after nothing is fetched again; with it, the new post's dead link is
    pitched and the old one is not. `forget` then removes a prospect but not its history."""
    spec = campaign_web()
    db = tmp_path / "store.sqlite"
    with FakeWeb(spec) as web:
        prospects = tmp_path / "p.txt"
        prospects.write_text(f"{web.url('alpha-blog.com')}\n{web.url('beta-notes.org')}\n", encoding="utf-8")

        def run(out: str, *extra: str) -> Run:
            return prospector("run", "--no-wayback", "--prospects", str(prospects), "--sitemap",
                              web.url("tallyfield.com"), "--lexical",
                              "--sender-name", "Sam Lee", "--sender-email", "sam@tallyfield.com", "--min-confidence",
                              "0", "--out", str(tmp_path / out), *extra, *network_args(web, db))

        first = run("out1")
        sites = {site.host: site for site in spec.sites}
        sites["alpha-blog.com"].pages["/"] = prospect_page(
            "Alpha reading list", "/speed", "our post on speed", "Start with our post on speed this month.",
            "editor@alpha-blog.com", "Alex")
        sites["alpha-blog.com"].pages["/speed"] = prospect_page(
            "Alpha: speed", f"http://gone-cwv.com:{P}/field-data", "Core Web Vitals field data",
            "Monitor Core Web Vitals field data from real users.", "editor@alpha-blog.com", "Alex")
        unchanged = run("out2")
        again = run("out3", "--recrawl-after", "0")
        fetched = (web.http.count("alpha-blog.com", "/"), web.http.count("beta-notes.org", "/"))
        forgot = prospector("forget", "beta-notes.org", "--db", str(db))
        listed = prospector("export", "--db", str(db), "--out", str(tmp_path / "out4"))

    def dead_urls(out: str) -> set[str]:
        frame = pd.read_csv(tmp_path / out / "opportunities.csv", encoding="utf-8-sig", keep_default_na=False)
        return set(frame["dead_url"])

    assert (first.returncode, unchanged.returncode, again.returncode) == (0, 0, 0), again.stderr
    utm, cwv = web.url("gone-utm.com", "/utm-guide"), web.url("gone-cwv.com", "/field-data")
    assert utm in dead_urls("out2") and cwv not in dead_urls("out2")  # stored pages are not fetched again
    assert cwv in dead_urls("out3") and utm not in dead_urls("out3")
    assert summary(again.stdout)["pages fetched"] == "3"
    assert fetched == (2, 2)  # by the first run and the re-crawl; not by the run between
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM drafts WHERE dead_urls LIKE '%gone-utm%'").fetchone() == (0,)
    assert forgot.returncode == 0, forgot.stderr
    assert (summary(forgot.stdout)["pages removed"], summary(forgot.stdout)["checks removed (linked by no other "
                                                                            "prospect)"]) == ("1", "2")
    prospects_csv = pd.read_csv(tmp_path / "out4" / "prospects.csv", encoding="utf-8-sig")
    assert listed.returncode == 0 and list(prospects_csv["prospect"]) == [web.url("alpha-blog.com")]


def test_pages_read_by_an_older_extractor_are_read_again_by_a_recrawl(tmp_path: Path) -> None:
    """Contexts written by an older version (the link's own sentence only) are said to be
    older and read again by any --recrawl-after, however recent; forget drops their choices."""
    db = tmp_path / "store.sqlite"
    with FakeWeb(campaign_web()) as web:
        prospects = tmp_path / "p.txt"
        prospects.write_text(f"{web.url('alpha-blog.com')}\n{web.url('beta-notes.org')}\n", encoding="utf-8")
        net = network_args(web, db)
        assert prospector("crawl", "--prospects", str(prospects), *net).returncode == 0
        beta = web.url("beta-notes.org")
        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE pages SET extractor = 1 WHERE url = ?", (beta,))
            conn.execute("INSERT INTO choices VALUES (?, 'http://gone-naming.com/conventions', 'skip', 'now')", (beta,))
        kept = prospector("crawl", "--prospects", str(prospects), *net)
        again = prospector("crawl", "--prospects", str(prospects), "--recrawl-after", "3650", *net)
        fetched = (web.http.count("alpha-blog.com", "/"), web.http.count("beta-notes.org", "/"))
        forgot = prospector("forget", "beta-notes.org", "--db", str(db))
    assert kept.returncode == 0 and summary(kept.stdout)["pages fetched (this run)"] == "0"
    assert "Note: 1 stored page was read by an older prospector, which kept only each link's own sentence as its " \
           "context; a crawl with --recrawl-after DAYS (any number) reads them again." in kept.stderr
    assert again.returncode == 0 and "older prospector" not in again.stderr
    assert fetched == (1, 2)  # beta's page again; alpha's, read by this version a minute ago, not
    assert forgot.returncode == 0, forgot.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT extractor FROM pages").fetchall() == [(2,)]  # alpha's
        assert conn.execute("SELECT COUNT(*) FROM choices").fetchone() == (0,)


def test_a_prospect_lists_own_columns_reach_the_sheets_the_report_and_the_templates(tmp_path: Path) -> None:
    with FakeWeb(campaign_web()) as web:
        prospects = tmp_path / "prospects.csv"
        prospects.write_text(f"Website,Name,Notes,DR\n{web.url('alpha-blog.com')},Alpha,met at BrightonSEO,54\n",
                             encoding="utf-8")
        template = tmp_path / "mine.txt.j2"
        template.write_text("Subject: For {{ prospect.name }} (DR {{ prospect.extra['DR'] }})\n\n"
                            "{{ prospect.notes }}\n", encoding="utf-8")
        run = prospector("run", "--no-wayback", "--prospects", str(prospects), "--sitemap", web.url("tallyfield.com"),
                         "--lexical",
                         "--min-confidence", "0", "--sender-name", "Sam Lee", "--sender-email", "sam@tallyfield.com",
                         "--template", str(template), "--out", str(tmp_path / "out"),
                         *network_args(web, tmp_path / "store.sqlite"))
    assert run.returncode == 0, run.stderr

    def sheet(name: str) -> pd.DataFrame:
        return pd.read_csv(tmp_path / "out" / name, encoding="utf-8-sig", keep_default_na=False, dtype=str)

    assert sheet("prospects.csv")[["name", "notes", "DR"]].values.tolist() == [["Alpha", "met at BrightonSEO", "54"]]
    opportunities = sheet("opportunities.csv")
    assert list(opportunities.columns[-2:]) == ["prospect_notes", "DR"] and set(opportunities["DR"]) == {"54"}
    emails = sheet("emails.csv")
    assert emails[["subject", "body"]].values.tolist() == [["For Alpha (DR 54)", "met at BrightonSEO\n"]]
    assert "met at BrightonSEO · DR: 54" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
