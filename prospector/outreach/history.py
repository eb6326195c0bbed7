"""The outreach history: what the user did with each draft, read back from the emails sheet
they edited, and the rules it sets for the next drafts (no second first email within the
recontact window, no dead URL pitched twice to one prospect, a follow-up when one is due).

Outreach tools keep the same history (BuzzStream, Pitchbox); Respona skips anyone contacted
in the last 100 days, which is the default here too.
"""

from __future__ import annotations

import contextlib
import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from prospector.inputs import InputProblem
from prospector.spreadsheet import undefused
from prospector.store.rows import Sent
from prospector.tables import InputFileError, Table, open_table

if TYPE_CHECKING:
    from prospector.store import Store

DEFAULT_RECONTACT_AFTER_DAYS = 100
DEFAULT_FOLLOWUP_AFTER_DAYS = 7
FIRST, FOLLOWUP = "first", "followup"


class OutreachStatus(StrEnum):
    """What the user wrote in the status column."""

    SENT = "sent"
    SKIP = "skip"  # decided not to send: the contact is left alone like a sent one
    REPLIED = "replied"
    WON = "won"  # the link was placed
    LOST = "lost"  # a no, or no answer after the follow-up


Status = OutreachStatus  # its public name: prospector.Status
STATUS_WORDS = frozenset(s.value for s in OutreachStatus)
CONTACTED = frozenset(OutreachStatus)  # any status keeps a contact out of first emails for the window
TOLD = frozenset({OutreachStatus.SENT, OutreachStatus.REPLIED, OutreachStatus.WON,  # the prospect heard of the URLs
                  OutreachStatus.LOST})
NO_SECOND_FOLLOWUP = frozenset({OutreachStatus.SENT, OutreachStatus.SKIP})  # of a follow-up: it was dealt with
ANSWERED = frozenset({OutreachStatus.REPLIED, OutreachStatus.WON, OutreachStatus.LOST})  # no follow-up after these
REQUIRED_COLUMNS = ("status", "kind", "to_email", "contact_url", "subject", "body", "dead_urls")


@dataclass(frozen=True)
class EditedRow:
    """One row of the emails sheet with a status the user set."""

    source: str  # file:row, as a spreadsheet numbers rows (the header is row 1)
    status: OutreachStatus
    kind: str
    contact_key: str
    subject: str
    body: str
    followup_body: str
    dead_urls: str


def contact_key(to_email: str, contact_url: str) -> str:
    """As drafts key their contact (outreach.contacts.ChosenContact.key)."""
    return to_email.strip().lower() if to_email.strip() else contact_url.strip()


def has_emails_columns(columns: list[str]) -> bool:
    return all(c in columns for c in REQUIRED_COLUMNS)


@contextlib.contextmanager
def edited_emails(path: str | Path) -> Iterator[tuple[Table, Iterator[EditedRow | InputProblem]]]:
    """The emails sheet the user edited and saved — CSV (UTF-8 with or without BOM, comma or
    semicolon, as European Excel saves it) or .xlsx (the sheet with the emails columns) — and
    its rows with a status, read one at a time. A status that is not a known word, a formula in
    the status cell or bytes that are not text make an InputProblem naming the row; rows without
    a status are not sent yet and skipped."""
    path = Path(path)
    with open_table(path, wanted=has_emails_columns) as table:
        header = table.columns
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if not any(table.header):
            raise InputFileError(f"{path}: empty, not an emails.csv from prospector")
        if missing:
            raise InputFileError(f"{path}: not an emails.csv from prospector (no {', '.join(repr(c) for c in missing)} "
                                 f"column{'s' if len(missing) > 1 else ''})")
        yield table, _edited_rows(path, header, table)


def _edited_rows(path: Path, header: list[str], table: Table) -> Iterator[EditedRow | InputProblem]:
    status_at = header.index("status")
    where = {name: header.index(name) for name in ("kind", "to_email", "contact_url", "subject", "body",
                                                     "followup_body", "dead_urls") if name in header}
    for raw in table.rows:
        status = raw.cells[status_at] if status_at < len(raw.cells) else ""
        source = f"{path}:{raw.number}"
        if status_at in raw.formulas:
            yield InputProblem(source, f"the status cell holds a formula ({status[:40]}); write the status itself "
                                       "(sent, skip, replied, won, lost)")
            continue
        word = status.strip().lower()
        if not word:
            continue
        if raw.problem:
            yield InputProblem(source, raw.problem)
            continue
        if word not in STATUS_WORDS:
            close = difflib.get_close_matches(word, list(OutreachStatus), n=1) if len(word) <= 20 else []
            hint = f" (did you mean '{close[0]}'?)" if close else f" (expected one of {', '.join(OutreachStatus)})"
            yield InputProblem(source, f"unknown status {word[:40]!r}{hint}")
            continue
        row = {name: undefused(raw.cells[i]) for name, i in where.items() if i < len(raw.cells)}
        kind = row.get("kind", "").strip().lower() or FIRST
        if kind not in (FIRST, FOLLOWUP):
            yield InputProblem(source, f"unknown kind {kind[:40]!r} (expected first or followup)")
            continue
        key = contact_key(row.get("to_email", ""), row.get("contact_url", ""))
        if not key:
            yield InputProblem(source, "no to_email and no contact_url: which contact is it?")
            continue
        yield EditedRow(source, OutreachStatus(word), kind, key, row.get("subject", ""), row.get("body", ""),
                        row.get("followup_body", ""), " ".join(row.get("dead_urls", "").split()))


def unrecorded_rows(store: Store, path: str | Path) -> list[int]:
    """The rows of an emails sheet with a status the history does not hold: what an export
    must not write over (and `run` checks before it starts)."""
    recorded = {(h.contact_key, h.kind, h.status, h.dead_urls) for h in store.history()}
    drafts = store.draft_rows()
    found = []
    with edited_emails(path) as (_, rows):
        for row in rows:
            if isinstance(row, EditedRow):
                draft = drafts.get((row.contact_key, row.kind))
                urls = row.dead_urls or (draft.dead_urls if draft else "")
                if (row.contact_key, row.kind, str(row.status), urls) in recorded:
                    continue
            found.append(int(row.source.rsplit(":", 1)[1]))
    return found


@dataclass(frozen=True)
class HistoryEntry:
    contact_key: str
    domains: tuple[str, ...]
    kind: str
    status: OutreachStatus
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
    def from_rows(cls, rows: Iterable[Sent], today: date,
                  recontact_after_days: int = DEFAULT_RECONTACT_AFTER_DAYS,
                  followup_after_days: int = DEFAULT_FOLLOWUP_AFTER_DAYS) -> CampaignHistory:
        """From the store's history rows."""
        entries = [HistoryEntry(
            contact_key=r.contact_key, domains=tuple(r.domains.split()), kind=r.kind, status=OutreachStatus(r.status),
            on_date=date.fromisoformat(r.on_date), dead_urls=tuple(r.dead_urls.split()),
            followup_subject=r.followup_subject, followup_body=r.followup_body, to_email=r.to_email,
            contact_url=r.contact_url, to_name=r.to_name, prospect=r.prospect,
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
            sent = [e for e in mine if e.kind == FIRST and e.status == OutreachStatus.SENT]
            if not sent:
                continue
            last = sent[-1]
            later = [e for e in mine if e.on_date >= last.on_date and e is not last]
            if any(e.status in ANSWERED or (e.kind == FOLLOWUP and e.status in NO_SECOND_FOLLOWUP) for e in later):
                continue
            if self.today - last.on_date >= self.followup_after:
                due.append(last)
        return due
