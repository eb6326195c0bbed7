"""The outreach history: what the user did with each draft, read back from the emails sheet
they edited, and the rules it sets for the next drafts (no second first email within the
recontact window, no dead URL pitched twice to one prospect, a follow-up when one is due).

Outreach tools keep the same history (BuzzStream, Pitchbox); Respona skips anyone contacted
in the last 100 days, which is the default here too.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from prospector.inputs import InputFileError, InputProblem, csv_delimiter, read_text
from prospector.spreadsheet import undefused

DEFAULT_RECONTACT_AFTER_DAYS = 100
DEFAULT_FOLLOWUP_AFTER_DAYS = 7
FIRST, FOLLOWUP = "first", "followup"


class Status(StrEnum):
    """What the user wrote in the status column."""

    SENT = "sent"
    SKIP = "skip"  # decided not to send: the contact is left alone like a sent one
    REPLIED = "replied"
    WON = "won"  # the link was placed
    LOST = "lost"  # a no, or no answer after the follow-up


CONTACTED = frozenset(Status)  # any status keeps a contact out of first emails for the window
TOLD = frozenset({Status.SENT, Status.REPLIED, Status.WON, Status.LOST})  # the prospect heard of the URLs
ANSWERED = frozenset({Status.REPLIED, Status.WON, Status.LOST})  # no follow-up after these
REQUIRED_COLUMNS = ("status", "kind", "to_email", "contact_url", "subject", "body", "dead_urls")


@dataclass(frozen=True)
class EditedRow:
    """One row of the emails sheet with a status the user set."""

    source: str  # file:row, as a spreadsheet numbers rows (the header is row 1)
    status: Status
    kind: str
    contact_key: str
    subject: str
    body: str
    followup_body: str
    dead_urls: str


def contact_key(to_email: str, contact_url: str) -> str:
    """As drafts key their contact (outreach.contacts.ChosenContact.key)."""
    return to_email.strip().lower() if to_email.strip() else contact_url.strip()


def read_edited_emails(path: str | Path) -> tuple[list[EditedRow], list[InputProblem]]:
    """The rows of an emails.csv the user edited and saved: CSV (UTF-8 with or without BOM,
    comma or semicolon, as European Excel saves it) or .xlsx. Rows without a status are not
    sent yet and skipped; a status that is not a known word is a problem naming the row."""
    path = Path(path)
    header, rows = _xlsx_rows(path) if path.suffix.lower() in (".xlsx", ".xlsm") else _csv_rows(path)
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InputFileError(f"{path}: not an emails.csv from prospector (no {', '.join(repr(c) for c in missing)} "
                             f"column{'s' if len(missing) > 1 else ''})")
    found: list[EditedRow] = []
    problems: list[InputProblem] = []
    for number, values in rows:
        row = dict(zip(header, values))
        word = row.get("status", "").strip().lower()
        if not word:
            continue
        source = f"{path}:{number}"
        if word not in Status.__members__.values():
            close = difflib.get_close_matches(word, list(Status), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f" (expected one of {', '.join(Status)})"
            problems.append(InputProblem(source, f"unknown status {word!r}{hint}"))
            continue
        kind = row.get("kind", "").strip().lower() or FIRST
        if kind not in (FIRST, FOLLOWUP):
            problems.append(InputProblem(source, f"unknown kind {kind!r} (expected first or followup)"))
            continue
        key = contact_key(row.get("to_email", ""), row.get("contact_url", ""))
        if not key:
            problems.append(InputProblem(source, "no to_email and no contact_url: which contact is it?"))
            continue
        found.append(EditedRow(source, Status(word), kind, key, row.get("subject", ""), row.get("body", ""),
                               row.get("followup_body", ""), " ".join(row.get("dead_urls", "").split())))
    return found, problems


def _csv_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    text = read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error):
        raise InputFileError(f"{path}: empty, not an emails.csv from prospector") from None
    rows = []
    try:
        for number, values in enumerate(reader, start=2):
            if any(v.strip() for v in values):
                rows.append((number, [undefused(v) for v in values]))
    except csv.Error as exc:
        raise InputFileError(f"{path}:{reader.line_num}: not a readable CSV ({exc})") from None
    return header, rows


def _xlsx_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise InputFileError(f"{path}: file not found") from None
    except Exception as exc:  # openpyxl raises a zoo of types for a damaged or foreign file
        raise InputFileError(f"{path}: not a readable .xlsx file ({type(exc).__name__})") from None
    cells = [["" if v is None else str(v) for v in row] for row in book.active.iter_rows(values_only=True)]
    book.close()
    if not cells:
        raise InputFileError(f"{path}: empty, not an emails.csv from prospector")
    header = [h.strip().lower() for h in cells[0]]
    return header, [(n, [undefused(v) for v in row]) for n, row in enumerate(cells[1:], start=2)
                    if any(v.strip() for v in row)]


@dataclass(frozen=True)
class HistoryEntry:
    contact_key: str
    domains: tuple[str, ...]
    kind: str
    status: Status
    on_date: date
    dead_urls: tuple[str, ...]
    followup_subject: str = ""
    followup_body: str = ""
    to_email: str = ""
    contact_url: str = ""
    to_name: str = ""
    prospect: str = ""  # the prospects' URLs, space-separated


class CampaignHistory:
    """The rules the recorded history sets for today's drafts."""

    def __init__(self, entries: Iterable[HistoryEntry], today: date,
                 recontact_after_days: int = DEFAULT_RECONTACT_AFTER_DAYS,
                 followup_after_days: int = DEFAULT_FOLLOWUP_AFTER_DAYS):
        self.entries = sorted(entries, key=lambda e: (e.on_date, e.kind != FIRST))
        self.by_contact: dict[str, list[HistoryEntry]] = {}  # oldest first, as `entries`
        for entry in self.entries:
            self.by_contact.setdefault(entry.contact_key, []).append(entry)
        self.today = today
        since = today - timedelta(days=recontact_after_days)
        recent = [e for e in self.entries if e.status in CONTACTED and e.on_date > since]
        self.recent_contacts = {e.contact_key for e in recent}
        self.recent_domains = {d for e in recent for d in e.domains}
        self.told = {(d, url) for e in self.entries if e.status in TOLD for d in e.domains for url in e.dead_urls}
        self.followup_after = timedelta(days=followup_after_days)

    @classmethod
    def from_rows(cls, rows: Iterable[dict[str, Any]], today: date,
                  recontact_after_days: int = DEFAULT_RECONTACT_AFTER_DAYS,
                  followup_after_days: int = DEFAULT_FOLLOWUP_AFTER_DAYS) -> CampaignHistory:
        """From the store's history rows."""
        entries = [HistoryEntry(
            contact_key=r["contact_key"], domains=tuple(r["domains"].split()), kind=r["kind"], status=Status(r["status"]),
            on_date=date.fromisoformat(r["on_date"]), dead_urls=tuple(r["dead_urls"].split()),
            followup_subject=r["followup_subject"], followup_body=r["followup_body"], to_email=r["to_email"],
            contact_url=r["contact_url"], to_name=r.get("to_name", ""), prospect=r.get("prospect", ""),
        ) for r in rows]
        return cls(entries, today, recontact_after_days, followup_after_days)

    def last_contacted(self, key: str) -> str:
        """The date of the last email this contact was sent ("" if none; a skip is no email)."""
        dates = [e.on_date for e in self.by_contact.get(key, []) if e.status in TOLD]
        return max(dates).isoformat() if dates else ""

    def contacted_recently(self, key: str, domains: Iterable[str]) -> bool:
        return key in self.recent_contacts or any(d in self.recent_domains for d in domains)

    def already_told(self, domain: str, dead_url: str) -> bool:
        return (domain, dead_url) in self.told

    def due_followups(self) -> list[HistoryEntry]:
        """Per contact, its latest sent first email, when `followup_after` days old or more and
        nothing since says it was answered or followed up already."""
        due = []
        for mine in self.by_contact.values():
            sent = [e for e in mine if e.kind == FIRST and e.status == Status.SENT]
            if not sent:
                continue
            last = sent[-1]
            later = [e for e in mine if e.on_date >= last.on_date and e is not last]
            if any(e.status in ANSWERED or (e.kind == FOLLOWUP and e.status in (Status.SENT, Status.SKIP))
                   for e in later):
                continue
            if self.today - last.on_date >= self.followup_after:
                due.append(last)
        return due
