"""`prospector record`: the statuses the user wrote into emails.csv, stored in the history."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from prospector.inputs import InputProblem
from prospector.outreach.history import read_edited_emails
from prospector.store import Store


@dataclass(frozen=True)
class RecordSummary:
    with_status: int  # rows of the file with a status
    recorded: int  # new history entries
    already: int  # recorded before (same contact, kind, status and URLs): unchanged
    edited: int  # rows whose body the user changed (the history keeps their text)
    by_status: dict[str, int]
    on_date: date

    title = "Record finished"

    def rows(self) -> list[tuple[str, object]]:
        return [("rows with a status", self.with_status), ("recorded (new)", self.recorded),
                ("already recorded", self.already), ("bodies edited by you", self.edited),
                *[(f"  {status}", n) for status, n in sorted(self.by_status.items())],
                ("recorded for", self.on_date.isoformat())]


class RecordRefused(Exception):
    """Rows that cannot be recorded; then nothing is."""

    def __init__(self, path: str | Path, problems: list[InputProblem]):
        self.problems = problems
        super().__init__(f"{path}: nothing recorded; fix the {len(problems)} row{'s' if len(problems) > 1 else ''} "
                         "above and record the file again")


def record_statuses(store: Store, path: str | Path, on_date: date) -> RecordSummary:
    """Store each row's status against its draft's contact, prospects and dead URLs, all or
    nothing. A row must match a stored draft (same contact and kind): emails.csv from the
    last export."""
    rows, problems = read_edited_emails(path)
    drafts = store.draft_rows()
    entries = []
    for row in rows:
        draft = drafts.get((row.contact_key, row.kind))
        if draft is None:
            problems.append(InputProblem(row.source, f"no {row.kind} draft for {row.contact_key!r}: is the file from "
                                                     "the last export of this store (--db)?"))
            continue
        edited = _plain(row.body) != _plain(draft["body"])
        entries.append({
            "contact_key": row.contact_key, "to_email": draft["to_email"], "to_name": draft["to_name"],
            "contact_url": draft["contact_url"], "prospect": draft["prospect"], "domains": draft["domains"],
            "kind": row.kind, "status": str(row.status), "on_date": on_date.isoformat(),
            "subject": row.subject or draft["subject"], "body": row.body if edited else draft["body"],
            "edited": int(edited), "followup_subject": draft["followup_subject"],
            "followup_body": row.followup_body or draft["followup_body"],
            "dead_urls": row.dead_urls or draft["dead_urls"],
        })
    problems.sort(key=lambda p: _row_number(p.source))
    if problems:
        raise RecordRefused(path, problems)
    recorded = store.record_history(entries)
    return RecordSummary(len(entries), recorded, len(entries) - recorded, sum(e["edited"] for e in entries),
                         dict(Counter(e["status"] for e in entries)), on_date)


def _plain(text: str) -> str:
    """A body as compared for edits: a spreadsheet may change line endings and trailing space."""
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").strip().split("\n"))


def _row_number(source: str) -> int:
    tail = source.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0
