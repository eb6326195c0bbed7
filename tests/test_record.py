"""`prospector record`: the edited emails sheet in its real-world forms, and the rows it refuses
(then nothing is recorded)."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import prospector

from prospector import Campaign, UsageError
from prospector.campaign import RowsRejected
from prospector.export import EMAIL_COLUMNS
from prospector.outreach.history import CampaignHistory, HistoryEntry, Status
from prospector.store import Store

DRAFTS = [
    {"contact_key": "ann@a.com", "kind": "first", "to_email": "Ann@a.com", "to_name": "Ann", "contact_url": "",
     "subject": "A broken link", "body": "Hi Ann,\nthe link is dead.\n", "followup_subject": "Re: A broken link",
     "followup_body": "Hi again\n", "prospect": "http://a.com/", "domains": "a.com", "page_urls": "http://a.com/",
     "dead_urls": "http://gone.com/x", "suggested_urls": "http://me.com/x", "last_contacted": ""},
    {"contact_key": "http://b.org/contact", "kind": "first", "to_email": "", "to_name": "",
     "contact_url": "http://b.org/contact", "subject": "Two broken links", "body": "Hello,\n", "followup_subject": "Re",
     "followup_body": "Again\n", "prospect": "http://b.org/", "domains": "b.org", "page_urls": "http://b.org/",
     "dead_urls": "http://gone.com/y http://gone.com/z", "suggested_urls": "", "last_contacted": ""},
]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "store.sqlite"
    with Store(path) as store:
        store.save_drafts(DRAFTS)
    return path


def sheet(path: Path, rows: list[dict[str, str]], delimiter: str = ",", bom: bool = True) -> Path:
    import csv

    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, EMAIL_COLUMNS, delimiter=delimiter, lineterminator="\r\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({**{c: "" for c in EMAIL_COLUMNS}, **row})
    return path


ANN = {"kind": "first", "to_email": "Ann@a.com", "subject": "A broken link", "body": "Hi Ann,\r\nthe link is dead.\r\n",
       "dead_urls": "http://gone.com/x"}
BOB = {"kind": "first", "contact_url": "http://b.org/contact", "subject": "Two broken links", "body": "Hello,",
       "dead_urls": "http://gone.com/y http://gone.com/z"}


def history(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT contact_key, status, on_date, edited FROM history ORDER BY contact_key").fetchall()


@pytest.mark.parametrize("delimiter,bom", [(",", True), (";", True), (",", False), (";", False)])
def test_csv_as_spreadsheets_save_it(db: Path, tmp_path: Path, delimiter: str, bom: bool) -> None:
    path = sheet(tmp_path / "emails.csv", [{**ANN, "status": "Sent "}, {**BOB, "status": "skip"}, {**BOB,
                                                                                                   "status": ""}],
                 delimiter, bom)
    summary = Campaign(db).record(path, date(2026, 11, 2))
    assert (summary.with_status, summary.recorded, summary.edited, summary.by_status) == (
        2, 2, 0, {"sent": 1, "skip": 1})  # CRLF line endings are not an edit
    assert history(db) == [("ann@a.com", "sent", "2026-11-02", 0), ("http://b.org/contact", "skip", "2026-11-02", 0)]
    again = Campaign(db).record(path, date(2026, 11, 9))
    assert (again.recorded, again.already) == (0, 2)
    assert history(db)[0][2] == "2026-11-02"  # the first date stands


def test_xlsx(db: Path, tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(EMAIL_COLUMNS)
    for row in ({**ANN, "status": "won", "body": "My own words"}, {**BOB, "status": "replied"}):
        book.active.append([row.get(c, "") for c in EMAIL_COLUMNS])
    book.save(tmp_path / "emails.xlsx")
    summary = Campaign(db).record(tmp_path / "emails.xlsx", date(2026, 11, 3))
    assert (summary.recorded, summary.edited, summary.by_status) == (2, 1, {"won": 1, "replied": 1})
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT body FROM history WHERE contact_key='ann@a.com'").fetchone() == ("My own words",)


def test_bad_rows_are_named_and_nothing_is_recorded(db: Path, tmp_path: Path) -> None:
    path = sheet(tmp_path / "emails.csv", [
        {**ANN, "status": "sent"},
        {**BOB, "status": "snet"},
        {**ANN, "to_email": "carl@c.com", "status": "sent"},
        {**BOB, "status": "maybe"},
    ])
    with pytest.raises(RowsRejected) as raised:
        Campaign(db).record(path)
    assert raised.value.problems == (
        f"{path}:3: unknown status 'snet' (did you mean 'sent'?)",
        f"{path}:4: no first email to 'carl@c.com' was drafted or recorded: is the file from an export of this "
        "store (--db)?",
        f"{path}:5: unknown status 'maybe' (expected one of sent, skip, replied, won, lost)",
    )
    assert str(raised.value) == f"{path}: nothing recorded; fix the 3 rows above and record the file again"
    assert history(db) == []
    run = prospector("record", str(path), "--db", str(db))
    assert run.returncode == 1
    assert run.stderr.splitlines() == [f"  {p}" for p in raised.value.problems] + [f"Error: {raised.value}"]


def test_a_file_that_is_not_an_emails_csv(db: Path, tmp_path: Path) -> None:
    other = tmp_path / "prospects.csv"
    other.write_text("url,name\nhttp://a.com/,A\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"prospects\.csv: not an emails\.csv from prospector \(no 'status', 'kind', "
                                         r"'to_email', 'contact_url', 'subject', 'body', 'dead_urls' columns\)$"):
        Campaign(db).record(other)
    broken = tmp_path / "emails.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(UsageError, match=r"emails\.xlsx: not a readable \.xlsx file"):
        Campaign(db).record(broken)


def entry(key: str, status: str, days_ago: int, kind: str = "first", urls: tuple[str, ...] = ("http://gone.com/x",),
          domain: str = "a.com") -> HistoryEntry:
    return HistoryEntry(key, (domain,), kind, Status(status), date(2026, 11, 27) - timedelta(days=days_ago), urls)


@pytest.mark.parametrize("entries,due", [
    ([entry("a", "sent", 8)], ["a"]),
    ([entry("a", "sent", 6)], []),  # not yet
    ([entry("a", "sent", 8), entry("a", "replied", 3)], []),
    ([entry("a", "sent", 8), entry("a", "lost", 2)], []),
    ([entry("a", "sent", 20), entry("a", "sent", 10, kind="followup")], []),  # followed up already
    ([entry("a", "skip", 20)], []),
    ([entry("a", "sent", 30), entry("a", "replied", 25), entry("a", "sent", 9)], ["a"]),  # a new pitch, unanswered
])
def test_follow_ups_due(entries: list[HistoryEntry], due: list[str]) -> None:
    history = CampaignHistory(entries, date(2026, 11, 27), followup_after_days=7)
    assert [sent.contact_key for sent in history.due_followups()] == due


def test_the_recontact_window_and_what_was_told() -> None:
    history = CampaignHistory([entry("a", "sent", 99), entry("b", "skip", 100, domain="b.com"),
                               entry("c", "skip", 5, domain="c.com")], date(2026, 11, 27), recontact_after_days=100)
    assert history.contacted_recently("a", []) and history.contacted_recently("x", ["a.com"])
    assert not history.contacted_recently("b", ["b.com"])  # 100 days ago: the window is over
    assert history.contacted_recently("c", [])
    assert history.already_told("a.com", "http://gone.com/x") and not history.already_told("c.com", "http://gone.com/x")


def test_an_opportunities_sheet_from_before_the_use_column_is_named(db: Path, tmp_path: Path) -> None:
    older = tmp_path / "opportunities.csv"
    older.write_text("prospect,page_url,dead_url,suggested_url\nhttp://a.com/,http://a.com/p,http://gone.com/x,\n",
                     encoding="utf-8")
    with pytest.raises(UsageError, match=r"opportunities\.csv: an opportunities\.csv without a use column \(from an "
                                         r"older export\?\): export again and write your picks into the new one$"):
        Campaign(db).record(older)
