"""`prospector record`: the statuses the user wrote into emails.csv, stored in the history.

The sheet is read row by row: what is kept is one entry per distinct (contact, kind, status,
dead URLs) and the first PROBLEMS_SHOWN problems, so a sheet of any size costs what the
store's drafts cost."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from prospector.inputs import InputProblem
from prospector.outreach.history import EditedRow, edited_emails
from prospector.store import Store
from prospector.summaries import Shown

PROBLEMS_SHOWN = 20


@dataclass(frozen=True)
class RecordSummary(Shown):
    with_status: int  # rows of the file with a status
    recorded: int  # new history entries
    already: int  # recorded before (same contact, kind, status and URLs): unchanged
    edited: int  # rows whose body the user changed (the history keeps their text)
    by_status: dict[str, int]
    on_date: date
    redated: int = 0  # recorded before on another day, moved to `on_date` (an explicit --on)
    sheet: str = ""  # the .xlsx sheet read

    title = "Record finished"

    def rows(self) -> list[tuple[str, object]]:
        return [*([("sheet read", self.sheet)] if self.sheet else []),
                ("rows with a status", self.with_status), ("recorded (new)", self.recorded),
                ("already recorded", self.already), *([("moved to this date", self.redated)] if self.redated else []),
                ("bodies edited by you", self.edited),
                *[(f"  {status}", n) for status, n in sorted(self.by_status.items())],
                ("recorded for", self.on_date.isoformat())]


class RecordRefused(Exception):
    """Rows that cannot be recorded; then nothing is. `problems`: the first PROBLEMS_SHOWN of
    `count`."""

    def __init__(self, path: str | Path, problems: list[InputProblem], count: int):
        self.problems = problems
        self.count = count
        rows = f"{count} row{'s' if count > 1 else ''}"
        shown = f" (the first {len(problems)} are listed)" if count > len(problems) else ""
        super().__init__(f"{path}: nothing recorded; fix the {rows} above{shown} and record the file again")


def record_statuses(store: Store, path: str | Path, on_date: date, redate: bool = False) -> RecordSummary:
    """Store each row's status against its email's contact, prospects and dead URLs, all or
    nothing. A row is matched to the stored draft of its contact and kind, or — a sheet
    exported before the last draft run, a reply to an email sent weeks ago — to what the
    history holds of that email. `redate`: entries recorded before on another day move to
    `on_date` (the user gave the date: a correction)."""
    sources = EmailSources(store.draft_rows(), store.history())
    entries: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    problems: list[InputProblem] = []
    count = with_status = 0
    with edited_emails(path) as (table, rows):
        for row in rows:
            email = sources.of(row) if isinstance(row, EditedRow) else None
            if isinstance(row, EditedRow) and email is None:
                row = InputProblem(row.source, f"no {row.kind} email to {row.contact_key[:200]!r} was drafted or "
                                               "recorded: is the file from an export of this store (--db)?")
            if isinstance(row, InputProblem):
                count += 1
                if len(problems) < PROBLEMS_SHOWN:
                    problems.append(row)
                continue
            with_status += 1
            assert email is not None
            key = (row.contact_key, row.kind, str(row.status), row.dead_urls or email["dead_urls"])
            if key not in entries:  # the same row twice is one entry
                entries[key] = _entry(row, email, on_date)
    if count:
        raise RecordRefused(path, problems, count)
    recorded, redated = store.record_history(list(entries.values()), redate)
    return RecordSummary(with_status, recorded, with_status - recorded - redated,
                         sum(e["edited"] for e in entries.values()),
                         dict(Counter(e["status"] for e in entries.values())), on_date, redated, table.sheet)


class EmailSources:
    """What a row of an emails sheet is about: the stored draft of its contact and kind, or the
    email the history recorded (matched by its dead URLs, else the latest)."""

    def __init__(self, drafts: dict[tuple[str, str], dict[str, Any]], history: list[dict[str, Any]]):
        self.drafts = drafts
        self.recorded: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for entry in history:  # oldest first
            self.recorded.setdefault((entry["contact_key"], entry["kind"]), []).append(entry)

    def of(self, row: EditedRow) -> dict[str, Any] | None:
        draft = self.drafts.get((row.contact_key, row.kind))
        if draft is not None and (not row.dead_urls or " ".join(draft["dead_urls"].split()) == row.dead_urls):
            return draft
        recorded = self.recorded.get((row.contact_key, row.kind), [])
        same = [e for e in recorded if not row.dead_urls or e["dead_urls"] == row.dead_urls]
        return same[-1] if same else draft


def _entry(row: EditedRow, draft: dict[str, Any], on_date: date) -> dict[str, Any]:
    """A history entry for `row`; `draft`: the stored draft or recorded email it is about."""
    edited = _plain(row.body) != _plain(draft["body"])
    return {
        "contact_key": row.contact_key, "to_email": draft["to_email"], "to_name": draft["to_name"],
        "contact_url": draft["contact_url"], "prospect": draft["prospect"], "domains": draft["domains"],
        "kind": row.kind, "status": str(row.status), "on_date": on_date.isoformat(),
        "subject": row.subject or draft["subject"], "body": row.body if edited else draft["body"],
        "edited": int(edited), "followup_subject": draft["followup_subject"],
        "followup_body": row.followup_body or draft["followup_body"],
        "dead_urls": row.dead_urls or draft["dead_urls"],
    }


def _plain(text: str) -> str:
    """A body as compared for edits: a spreadsheet may change line endings and trailing space."""
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").strip().split("\n"))
