"""`prospector run` end to end: crawl, check, match, draft, export, over the fake web."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from conftest import Run, network_args, prospector, summary
from webs import outreach_sites, own_site_pages

from prospector.fakeweb import FakeWeb, WebSpec
from prospector.fakeweb.demo import own_site


@dataclass
class FullRun:
    web: FakeWeb
    out: Path
    run: Run

    def csv(self, name: str) -> pd.DataFrame:
        return pd.read_csv(self.out / name, encoding="utf-8-sig", keep_default_na=False)


@pytest.fixture(scope="module")
def full_run(tmp_path_factory: pytest.TempPathFactory) -> FullRun:
    folder = tmp_path_factory.mktemp("run")
    with FakeWeb(WebSpec(outreach_sites() + [own_site(own_site_pages())])) as web:
        prospects = folder / "prospects.csv"
        prospects.write_text("url,name\n" + "".join(f"{web.url(h)},{n}\n" for h, n in [
            ("blog-a.com", "Blog A"), ("blog-b.org", "Speed notes"), ("blog-c.net", "C"), ("blog-d.com", "D")]))
        dnc = folder / "dnc.txt"
        dnc.write_text("blog-c.net\n")
        run = prospector("run", "--no-wayback", "--prospects", str(prospects), "--sitemap", web.url("tallyfield.com"),
                         "--sender-name", "Alex Moreno", "--sender-email", "alex@tallyfield.com",
                         "--sender-site", "https://tallyfield.com", "--do-not-contact", str(dnc),
                         "--max-links-per-email", "5", "--out", str(folder / "out"),
                         *network_args(web, folder / "store.sqlite"))
    return FullRun(web, folder / "out", run)


def test_run_succeeds_with_a_summary(full_run: FullRun) -> None:
    assert full_run.run.returncode == 0, full_run.run.stderr
    table = summary(full_run.run.stdout)
    assert (table["prospects"], table["drafts (one per contact)"], table["left out: do-not-contact"]) == ("4", "1", "1")
    assert table["archive"] == "not asked (--no-wayback)"


def test_one_email_per_contact_covering_both_of_its_prospects(full_run: FullRun) -> None:
    emails = full_run.csv("emails.csv")
    assert emails["to_email"].tolist() == ["editor@blog-a.com"]
    url = full_run.web.url
    row = emails.iloc[0]
    assert row["to_name"] == "Dana"
    assert row["prospect"] == f"{url('blog-a.com')} {url('blog-b.org')}"
    # gone-session.com's anchor ("what is a session") finds the glossary's session page, though
    # the rest of its context is words the site never uses ("Über café 中文").
    assert set(row["dead_urls"].split()) == {url("gone-utm.com", "/utm-guide"), url("oldsite.com", "/consent-banners"),
                                             url("gone-cwv.com", "/core-web-vitals"), url("gone-session.com",
                                                                                          "/sessions")}
    assert row["subject"] == "4 broken links on Blog A"
    opps = full_run.csv("opportunities.csv").set_index("dead_url")
    assert opps.loc[url("gone-session.com", "/sessions"), "suggested_url"] == url("tallyfield.com", "/glossary/session")
    assert row["body"].startswith("Hi Dana,\n\nI was reading a few pages on Blog A")


def test_only_dead_links_with_suggestions_reach_emails(full_run: FullRun) -> None:
    body = full_run.csv("emails.csv").iloc[0]["body"]
    for host in ("alive.com", "fortress.com", "broken.com", "gone-crm.com", "gone-retention.com"):
        assert host not in body
    assert f"A possible replacement: {full_run.web.url('tallyfield.com', '/blog/utm-parameters-guide')}" in body


def test_opportunities_have_verdicts_suggestions_and_priority(full_run: FullRun) -> None:
    opps = full_run.csv("opportunities.csv")
    assert list(opps.columns) == ["prospect", "page_url", "page_title", "author", "anchor_text", "context", "rel",
                                  "placement", "dead_url", "verdict", "reason", "reason_code", "status",
                                  "suggested_url", "suggested_title", "score", "confidence", "match_reason",
                                  "other_suggestions",
                                  "use", "contact_email", "contact_url", "priority", "authority", "authority_source",
                                  "resource_score", "archived_url", "archived_at", "archived_title", "prospect_notes"]
    url = full_run.web.url
    utm = opps[opps["dead_url"] == url("gone-utm.com", "/utm-guide")].iloc[0]
    assert (utm["verdict"], utm["suggested_url"], utm["author"], utm["placement"], utm["priority"]) == (
        "dead", url("tallyfield.com", "/blog/utm-parameters-guide"), "Dana Fox", "content", 91)
    assert set(opps["dead_url"]) == {url(h, p) for h, p in [
        ("gone-utm.com", "/utm-guide"), ("oldsite.com", "/consent-banners"), ("gone-session.com", "/sessions"),
        ("gone-cwv.com", "/core-web-vitals"), ("gone-retention.com", "/cohorts"), ("gone-crm.com", "/crm-comparison")]}
    crm = opps[opps["dead_url"] == url("gone-crm.com", "/crm-comparison")].iloc[0]
    assert (crm["suggested_url"], crm["contact_email"]) == ("", "sales@blog-d.com")
    assert opps["priority"].tolist() == sorted(opps["priority"], reverse=True)


def test_spreadsheet_safety_and_unicode_survive(full_run: FullRun) -> None:
    with (full_run.out / "opportunities.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = {r["dead_url"]: r for r in csv.DictReader(f)}
    tools = rows[full_run.web.url("gone-session.com", "/sessions")]
    assert tools["page_title"] == '\'=HYPERLINK("http://x","y")'
    assert tools["context"] == 'Wondering what is a session, "Über" café 中文 🎉?'
    emails = full_run.csv("emails.csv")
    body = emails.iloc[0]["body"]
    assert body.count("\n") > 10 and '"' in body
    with (full_run.out / "emails.csv").open(encoding="utf-8-sig", newline="") as f:
        [row] = list(csv.DictReader(f))
    assert row["body"] == body


def test_prospects_csv(full_run: FullRun) -> None:
    prospects = full_run.csv("prospects.csv").set_index("name")
    assert prospects.loc["Blog A", ["pages_crawled", "dead", "likely_dead", "contact_found",
                                    "contact_email"]].tolist() == [
        3, 3, 0, "yes", "editor@blog-a.com"]
    assert prospects.loc["D", "contact_email"] == "sales@blog-d.com"
    assert list(prospects.columns)[-2:] == ["errors", "other_contacts"]


def test_exports_are_stable(full_run: FullRun, tmp_path: Path) -> None:
    db = full_run.out.parent / "store.sqlite"
    for folder in ("a", "b"):
        assert prospector("export", "--db", str(db), "--out", str(tmp_path / folder)).returncode == 0
    for name in ("opportunities.csv", "emails.csv", "dead_links.csv", "prospects.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


SENDER = ["--sender-name", "Alex", "--sender-email", "alex@tallyfield.com"]


def test_draft_needs_a_sender(full_run: FullRun) -> None:
    run = prospector("draft", "--db", str(full_run.out.parent / "store.sqlite"))
    assert run.returncode == 2
    assert "drafts need a sender: give --sender-name and --sender-email" in run.stderr


def test_broken_user_template_is_one_line_naming_file_and_line(full_run: FullRun, tmp_path: Path) -> None:
    mine = tmp_path / "mine.txt.j2"
    mine.write_text("Subject: Hi {{ contact.first_name }}\n\n{{ links[0].anchor_txt }}\n")
    run = prospector("draft", "--db", str(full_run.out.parent / "store.sqlite"), "--template", str(mine), *SENDER,
                     "--out", str(tmp_path))
    assert run.returncode == 2
    assert f"Error: {mine}:3: 'dict object' has no attribute 'anchor_txt'" in run.stderr


def test_include_unmatched_and_suppression_off(full_run: FullRun, tmp_path: Path) -> None:
    db = full_run.out.parent / "store.sqlite"
    run = prospector("draft", "--db", str(db), "--include-unmatched", *SENDER, "--out", str(tmp_path))
    assert summary(run.stdout)["drafts (one per contact)"] == "3"
    assert summary(run.stdout)["emails.csv"] == str(tmp_path / "emails.csv")  # the sheet is written with the drafts
    emails = pd.read_csv(tmp_path / "emails.csv", encoding="utf-8-sig")
    assert sorted(emails["to_email"]) == ["editor@blog-a.com", "owner@blog-c.net", "sales@blog-d.com"]
    crm = emails[emails["to_email"] == "sales@blog-d.com"].iloc[0]["body"]
    assert "No agenda here" in crm and "replacement" not in crm


def test_run_with_two_check_workers_gives_the_same_result(full_run: FullRun, tmp_path: Path) -> None:
    with FakeWeb(WebSpec(outreach_sites() + [own_site(own_site_pages())])) as web:
        prospects = tmp_path / "prospects.csv"
        prospects.write_text("url,name\n" + "".join(f"{web.url(h)},{n}\n" for h, n in [
            ("blog-a.com", "Blog A"), ("blog-b.org", "Speed notes"), ("blog-c.net", "C"), ("blog-d.com", "D")]))
        run = prospector("run", "--no-wayback", "--workers", "2", "--prospects", str(prospects), "--sitemap",
                         web.url("tallyfield.com"),
                         *SENDER, "--max-links-per-email", "5", "--out", str(tmp_path / "out"),
                         *network_args(web, tmp_path / "store.sqlite"))
    assert run.returncode == 0, run.stderr
    mine, theirs = summary(run.stdout), summary(full_run.run.stdout)
    for key in ("prospects", "pages fetched", "unique URLs checked", "dead", "own pages", "with a suggestion"):
        assert mine[key] == theirs[key], key


def test_the_workbook_has_numbers_and_dates_as_such(full_run: FullRun, tmp_path: Path) -> None:
    """export --xlsx: what a German LibreOffice reads right (a CSV's 0.574 reads as 574 there)."""
    import sqlite3
    from datetime import datetime

    import openpyxl

    db = tmp_path / "store.sqlite"
    with sqlite3.connect(full_run.out.parent / "store.sqlite") as src, sqlite3.connect(db) as dst:
        src.backup(dst)
        dst.execute("UPDATE drafts SET last_contacted = '2026-11-20'")
    done = prospector("export", "--db", str(db), "--out", str(tmp_path / "out"), "--xlsx")
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(tmp_path / "out" / "prospector.xlsx", read_only=True)
    assert book.sheetnames == ["opportunities", "emails", "dead_links", "prospects", "suggested_prospects"]
    rows = list(book["opportunities"].iter_rows(values_only=True))
    header, first = rows[0], dict(zip(rows[0], rows[1], strict=False))
    assert header[:3] == ("prospect", "page_url", "page_title")
    assert isinstance(first["priority"], int) and isinstance(first["score"], float)
    assert isinstance(first["confidence"], float) and 0 <= first["confidence"] <= 1
    statuses = [dict(zip(header, row, strict=False))["status"] for row in rows[1:]]
    assert 404 in statuses and {type(s) for s in statuses} <= {int, type(None)}  # HTTP status as a number
    emails = list(book["emails"].iter_rows(values_only=True))
    assert dict(zip(emails[0], emails[1], strict=False))["last_contacted"] == datetime(2026, 11, 20)
    csv_rows = full_run.csv("opportunities.csv")
    assert len(rows) - 1 == len(csv_rows)  # the same rows as the CSV
    again = prospector("export", "--db", str(db), "--out", str(tmp_path / "out"))  # kept current from then on
    assert "prospector.xlsx" in summary(again.stdout)


def test_drafts_signed_with_the_starters_placeholders_are_flagged(full_run: FullRun, tmp_path: Path) -> None:
    run = prospector("draft", "--db", str(full_run.out.parent / "store.sqlite"), "--sender-name", "Sam Lee",
                     "--sender-email", "sam@example.com", "--sender-site", "https://www.example.com",
                     "--out", str(tmp_path))
    assert run.returncode == 0, run.stderr
    assert run.stderr.splitlines() == [
        "Note: the drafts are signed Sam Lee <sam@example.com>, https://www.example.com: the starter's placeholders? "
        "Set [sender] in prospector.toml (or --sender-*) before sending",
        "Note: your site is example.com (--sender-site), but the pages the drafts suggest are on tallyfield.com"]
