"""`prospector record`: the statuses the user wrote into emails.csv, stored in the history,
and the choices written into opportunities.csv's use column (outreach/choices.py).

The sheet is read row by row: what is kept is one entry per distinct (contact, kind, status,
dead URLs) and the first PROBLEMS_SHOWN problems, so a sheet of any size costs what the
store's drafts cost."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from prospector.errors import RowsRejected
from prospector.inputs import InputProblem
from prospector.outreach.choices import ChoicesSummary, edited_choices, has_use_column
from prospector.outreach.history import EditedRow, edited_emails, has_emails_columns
from prospector.outreach.opportunities import SKIP
from prospector.shown import Shown
from prospector.store import Store
from prospector.store.rows import Draft, Sent
from prospector.tables import InputFileError, Unread, open_table


@dataclass(frozen=True)
class RecordSummary(Shown):
    """What `record` stored: statuses of an emails sheet, choices of an opportunities sheet
    (the `use` column), or both (prospector.xlsx)."""

    with_status: int  # rows of the file with a status
    recorded: int  # new history entries
    already: int  # recorded before (same contact, kind, status and URLs): unchanged
    edited: int  # rows whose body the user changed (the history keeps their text)
    by_status: dict[str, int]
    on_date: date
    redated: int = 0  # recorded before on another day, moved to `on_date` (an explicit --on)
    sheet: str = ""  # the .xlsx sheet read
    statuses: bool = True  # the file had an emails sheet (else only `choices`)
    choices: ChoicesSummary | None = None  # the file had an opportunities sheet with a use column

    title = "Record finished"

    def rows(self) -> list[tuple[str, object]]:
        picks = self.choices.rows() if self.choices else []
        return [*self._status_rows(), *picks] if self.statuses else picks

    def _status_rows(self) -> list[tuple[str, object]]:
        return [*([("sheet read", self.sheet)] if self.sheet else []),
                ("rows with a status", self.with_status), ("recorded (new)", self.recorded),
                ("already recorded", self.already), *([("moved to this date", self.redated)] if self.redated else []),
                ("bodies edited by you", self.edited),
                *[(f"  {status}", n) for status, n in sorted(self.by_status.items())],
                ("recorded for", self.on_date.isoformat())]


class RecordRefused(RowsRejected):
    """Rows that cannot be recorded; then nothing is. `problems`: a line for each of the first
    PROBLEMS_SHOWN of `count`, and one saying how many more."""

    def __init__(self, path: str | Path, problems: list[str], count: int):
        more = count - len(problems)
        rows = f"{count} row{'s' if count > 1 else ''}"
        shown = f" (the first {len(problems)} are listed)" if more else ""
        super().__init__(f"{path}: nothing recorded; fix the {rows} above{shown} and record the file again",
                         (*problems, *([f"… and {more} more"] if more else [])))
        self.count = count


class Refusals:
    """The bad rows of a sheet that is recorded all or nothing: how many, and the first
    PROBLEMS_SHOWN of them (tables.Unread: a sheet of any size costs no more)."""

    def __init__(self) -> None:
        self.unread = Unread()

    def add(self, problem: InputProblem) -> None:
        self.unread.add(problem.source, problem.message)

    def raise_any(self, path: str | Path) -> None:
        if self.unread.count:
            raise RecordRefused(path, self.unread.shown, self.unread.count)


def record_file(store: Store, path: str | Path, on_date: date, redate: bool = False) -> RecordSummary:
    """Record what the user wrote into an exported sheet: the statuses of emails.csv, the
    choices in opportunities.csv's use column, or both from prospector.xlsx — all or nothing
    (RecordRefused naming the rows)."""
    emails, opportunities = _holds(path, has_emails_columns), _holds(path, has_use_column)
    if not emails and not opportunities:
        if _holds(path, lambda columns: "page_url" in columns and "dead_url" in columns):
            raise InputFileError(f"{path}: an opportunities.csv without a use column (from an older export?): export "
                                 "again and write your picks into the new one")
        with edited_emails(path):  # says which of its columns are missing
            pass
    chosen = read_choices(store, path) if opportunities else None  # refused before anything is recorded
    summary = record_statuses(store, path, on_date, redate) if emails else RecordSummary(0, 0, 0, 0, {}, on_date,
                                                                                         statuses=False)
    if chosen is None:
        return summary
    choices, counts = chosen
    recorded, cleared = store.record_choices(choices)
    return replace(summary, choices=ChoicesSummary(counts["chosen"], counts["skip"], recorded, cleared,
                                                   counts["sheet"]))


def _holds(path: str | Path, wanted: Callable[[list[str]], bool]) -> bool:
    with open_table(path, wanted=wanted) as table:
        return wanted(table.columns)


def read_choices(store: Store, path: str | Path) -> tuple[dict[tuple[str, str], str], dict[str, Any]]:
    """The choices of an opportunities sheet, one per (page, dead URL), the last row winning,
    with counts; RecordRefused when any row cannot be recorded."""
    choices: dict[tuple[str, str], str] = {}
    refusals = Refusals()
    with edited_choices(store, path) as (table, rows):
        for row in rows:
            if isinstance(row, InputProblem):
                refusals.add(row)
                continue
            choices[(row.page_url, row.dead_url)] = row.choice
        sheet = table.sheet
    refusals.raise_any(path)
    recorded = store.choices()
    choices = {key: choice for key, choice in choices.items() if choice or key in recorded}  # nothing to clear
    values = list(choices.values())
    return choices, {"chosen": sum(bool(v) and v != SKIP for v in values), "skip": values.count(SKIP), "sheet": sheet}


def record_statuses(store: Store, path: str | Path, on_date: date, redate: bool = False) -> RecordSummary:
    """Store each row's status against its email's contact, prospects and dead URLs, all or
    nothing. A row is matched to the stored draft of its contact and kind, or — a sheet
    exported before the last draft run, a reply to an email sent weeks ago — to what the
    history holds of that email. `redate`: entries recorded before on another day move to
    `on_date` (the user gave the date: a correction)."""
    sources = EmailSources(store.draft_rows(), store.history())
    entries: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    refusals = Refusals()
    with_status = 0
    with edited_emails(path) as (table, rows):
        for row in rows:
            email = sources.of(row) if isinstance(row, EditedRow) else None
            if isinstance(row, EditedRow) and email is None:
                row = InputProblem(row.source, f"no {row.kind} email to {row.contact_key[:200]!r} was drafted or "
                                               "recorded: is the file from an export of this store (--db)?")
            if isinstance(row, InputProblem):
                refusals.add(row)
                continue
            with_status += 1
            assert email is not None
            key = (row.contact_key, row.kind, str(row.status), row.dead_urls or email.dead_urls)
            if key not in entries:  # the same row twice is one entry
                entries[key] = _entry(row, email, on_date)
    refusals.raise_any(path)
    recorded, redated = store.record_history(list(entries.values()), redate)
    return RecordSummary(with_status, recorded, with_status - recorded - redated,
                         sum(e["edited"] for e in entries.values()),
                         dict(Counter(e["status"] for e in entries.values())), on_date, redated, table.sheet)


class EmailSources:
    """What a row of an emails sheet is about: the stored draft of its contact and kind, or the
    email the history recorded (matched by its dead URLs, else the latest)."""

    def __init__(self, drafts: dict[tuple[str, str], Draft], history: list[Sent]):
        self.drafts = drafts
        self.recorded: dict[tuple[str, str], list[Sent]] = {}
        for entry in history:  # oldest first
            self.recorded.setdefault((entry.contact_key, entry.kind), []).append(entry)

    def of(self, row: EditedRow) -> Draft | Sent | None:
        draft = self.drafts.get((row.contact_key, row.kind))
        if draft is not None and (not row.dead_urls or " ".join(draft.dead_urls.split()) == row.dead_urls):
            return draft
        recorded = self.recorded.get((row.contact_key, row.kind), [])
        same = [e for e in recorded if not row.dead_urls or e.dead_urls == row.dead_urls]
        return same[-1] if same else draft


def _entry(row: EditedRow, email: Draft | Sent, on_date: date) -> dict[str, Any]:
    """A history entry for `row` (as record_history stores it); `email`: the stored draft or
    recorded email it is about."""
    edited = _plain(row.body) != _plain(email.body)
    return {
        "contact_key": row.contact_key, "to_email": email.to_email, "to_name": email.to_name,
        "contact_url": email.contact_url, "prospect": email.prospect, "domains": email.domains,
        "kind": row.kind, "status": str(row.status), "on_date": on_date.isoformat(),
        "subject": row.subject or email.subject, "body": row.body if edited else email.body,
        "edited": int(edited), "followup_subject": email.followup_subject,
        "followup_body": row.followup_body or email.followup_body,
        "dead_urls": row.dead_urls or email.dead_urls,
    }


def _plain(text: str) -> str:
    """A body as compared for edits: a spreadsheet may change line endings and trailing space."""
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").strip().split("\n"))
