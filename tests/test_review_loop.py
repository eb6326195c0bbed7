"""The reviewer's pick, read back: run → opportunities.csv edited in a spreadsheet (the `use`
column) → record, refused while a row names a page that is not the user's → recorded once
corrected → draft: the chosen page is pitched, the skipped link is in no email, and every
other draft is byte for byte what it was."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pandas as pd
from conftest import network_args, prospector, summary
from test_campaign_loop import campaign_web

from prospector.fakeweb import FakeWeb

SENDER = ["--sender-name", "Sam Lee", "--sender-email", "sam@tallyfield.com"]


def save_as_a_spreadsheet_would(frame: pd.DataFrame, target: Path) -> None:
    """Semicolons, a BOM and CRLF, as European Excel saves a CSV."""
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(frame.columns)
        writer.writerows(frame.itertuples(index=False))


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, dtype=str)


def test_the_review_loop(tmp_path: Path) -> None:
    db, out = tmp_path / "store.sqlite", tmp_path / "out"
    with FakeWeb(campaign_web()) as web:
        net = network_args(web, db)
        listing = tmp_path / "prospects.txt"
        listing.write_text("\n".join(web.url(h) for h in ("alpha-blog.com", "beta-notes.org", "gamma-weekly.net")))
        run = prospector("run", "--no-wayback", "--prospects", str(listing), "--sitemap", web.url("tallyfield.com"),
                         "--lexical", *SENDER, "--out", str(out), *net)
        assert run.returncode == 0, run.stderr
        before = read(out / "emails.csv").set_index("to_email")
        sheet = read(out / "opportunities.csv")
        assert sheet["use"].tolist() == [""] * len(sheet)  # empty until the reviewer writes in it

        url = web.url
        banner = sheet.index[sheet["dead_url"] == url("gone-consent.com", "/banners")][0]
        naming = sheet.index[sheet["dead_url"] == url("gone-naming.com", "/conventions")][0]
        churn = sheet.index[sheet["dead_url"] == url("churn-facts.com", "/churn-rate")][0]
        second = sheet.loc[banner, "other_suggestions"].split(" (")[0]  # "url (score); url (score)"
        assert second.startswith(url("tallyfield.com").rstrip("/")) and second != sheet.loc[banner, "suggested_url"]
        sheet.loc[banner, "use"] = second
        sheet.loc[naming, "use"] = "Skip"
        sheet.loc[churn, "use"] = "https://elsewhere.com/churn-guide"  # not a page of the user's site
        save_as_a_spreadsheet_would(sheet, out / "opportunities.csv")

        refused = prospector("record", str(out / "opportunities.csv"), "--db", str(db))
        with sqlite3.connect(db) as conn:
            chosen_after_refusal = conn.execute("SELECT COUNT(*) FROM choices").fetchone()[0]
        blocked = prospector("export", "--db", str(db), "--out", str(out))
        sheet.loc[churn, "use"] = ""
        save_as_a_spreadsheet_would(sheet, out / "opportunities.csv")
        recorded = prospector("record", str(out / "opportunities.csv"), "--db", str(db))
        again = prospector("record", str(out / "opportunities.csv"), "--db", str(db))
        draft = prospector("draft", *SENDER, "--out", str(out), *net)

    row = churn + 2  # a spreadsheet's row number: the header is row 1
    assert refused.returncode == 1
    assert refused.stderr.splitlines()[0] == (
        f"  {out / 'opportunities.csv'}:{row}: use 'https://elsewhere.com/churn-guide' is not a page of your site "
        "(tallyfield.com): paste one of other_suggestions' URLs or another of your site's, or write skip")
    assert chosen_after_refusal == 0  # nothing recorded
    assert blocked.returncode == 1
    assert f"{out / 'opportunities.csv'} has choices in its use column that are not recorded yet (rows " \
           f"{min(banner, naming, churn) + 2}, " in blocked.stderr
    assert recorded.returncode == 0, recorded.stderr
    table = summary(recorded.stdout)
    assert (table["rows with a page in use"], table["rows with skip"], table["choices recorded (new or changed)"]) \
        == ("1", "1", "2")
    assert summary(again.stdout)["choices recorded (new or changed)"] == "0"  # the same file twice: nothing new

    assert draft.returncode == 0, draft.stderr
    assert summary(draft.stdout)["left out: skip (your use column)"] == "1"
    after = read(out / "emails.csv").set_index("to_email")
    beta = after.loc["hi@beta-notes.org"]
    assert second in beta["body"] and beta["suggested_urls"] == second
    assert url("gone-naming.com", "/conventions") not in "".join(after["body"])  # skipped: in no email
    assert beta["dead_urls"] == url("gone-consent.com", "/banners")
    for contact in ("editor@alpha-blog.com", "jo@gamma-weekly.net"):
        assert after.loc[contact].to_dict() == before.loc[contact].to_dict()  # byte for byte
    assert sorted(after.index) == sorted(before.index)
    written = read(out / "opportunities.csv")  # the picks come back in the next export
    assert dict(zip(written["dead_url"], written["use"], strict=False)) == {
        url("gone-utm.com", "/utm-guide"): "", url("gone-consent.com", "/banners"): second,
        url("gone-naming.com", "/conventions"): "skip", url("churn-facts.com", "/churn-rate"): ""}


def test_the_workbook_records_statuses_and_picks_together(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    db, out = tmp_path / "store.sqlite", tmp_path / "out"
    with FakeWeb(campaign_web()) as web:
        listing = tmp_path / "prospects.txt"
        listing.write_text(web.url("beta-notes.org"))
        run = prospector("run", "--no-wayback", "--xlsx", "--prospects", str(listing), "--sitemap",
                         web.url("tallyfield.com"), "--lexical", *SENDER, "--out", str(out), *network_args(web, db))
        assert run.returncode == 0, run.stderr
        book = load_workbook(out / "prospector.xlsx")
        emails, opportunities = book["emails"], book["opportunities"]
        emails.cell(2, [c.value for c in emails[1]].index("status") + 1, "sent")
        header = [c.value for c in opportunities[1]]
        opportunities.cell(2, header.index("use") + 1, "skip")
        book.save(out / "prospector.xlsx")
        recorded = prospector("record", str(out / "prospector.xlsx"), "--db", str(db))
        exported = prospector("export", "--xlsx", "--db", str(db), "--out", str(out))
    assert recorded.returncode == 0, recorded.stderr
    table = summary(recorded.stdout)
    assert (table["recorded (new)"], table["rows with skip"], table["choices recorded (new or changed)"]) == (
        "1", "1", "1")
    assert exported.returncode == 0, exported.stderr  # everything typed is recorded: nothing refused
    again = load_workbook(out / "prospector.xlsx")["opportunities"]
    assert [c.value for c in again[2]][header.index("use")] == "skip"
