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

PROBLEMS_SHOWN = 20


@dataclass(frozen=True)
class RecordSummary:
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
    """Store each row's status against its draft's contact, prospects and dead URLs, all or
    nothing. A row must match a stored draft (same contact and kind): emails.csv from the
    last export. `redate`: entries recorded before on another day move to `on_date` (the user
    gave the date: a correction)."""
    drafts = store.draft_rows()
    entries: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    problems: list[InputProblem] = []
    count = with_status = 0
    with edited_emails(path) as (table, rows):
        for row in rows:
            draft = drafts.get((row.contact_key, row.kind)) if isinstance(row, EditedRow) else None
            if isinstance(row, EditedRow) and draft is None:
                row = InputProblem(row.source, f"no {row.kind} draft for {row.contact_key[:200]!r}: is the file from "
                                               "the last export of this store (--db)?")
            if isinstance(row, InputProblem):
                count += 1
                if len(problems) < PROBLEMS_SHOWN:
                    problems.append(row)
                continue
            with_status += 1
            assert draft is not None
            key = (row.contact_key, row.kind, str(row.status), row.dead_urls or draft["dead_urls"])
            if key not in entries:  # the same row twice is one entry
                entries[key] = _entry(row, draft, on_date)
    if count:
        raise RecordRefused(path, problems, count)
    recorded, redated = store.record_history(list(entries.values()), redate)
    return RecordSummary(with_status, recorded, with_status - recorded - redated,
                         sum(e["edited"] for e in entries.values()),
                         dict(Counter(e["status"] for e in entries.values())), on_date, redated, table.sheet)


def _entry(row: EditedRow, draft: dict[str, Any], on_date: date) -> dict[str, Any]:
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
