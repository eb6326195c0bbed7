"""From the store to CSV files that open cleanly in Excel and Google Sheets."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from prospector.outreach.contacts import ChosenContact, choose_contact
from prospector.outreach.opportunities import Opportunity, read_opportunities
from prospector.outreach.stage import contacts_for
from prospector.spreadsheet import neutralise
from prospector.store import Store
from prospector.tables import InputFileError
from prospector.verdict import Verdict

ENCODINGS = {"utf-8-sig": "utf-8-sig", "utf-8": "utf-8"}

DEAD_LINK_COLUMNS = ["dead_url", "link_kind", "verdict", "reason", "reason_code", "status", "referring_pages",
                     "referring_domains", "archived_url", "archived_at", "archived_title"]
OPPORTUNITY_COLUMNS = ["prospect", "page_url", "page_title", "author", "anchor_text", "context", "rel", "placement",
                       "dead_url", "verdict", "reason", "reason_code", "status", "suggested_url", "suggested_title", "score",
                       "confidence", "match_reason", "other_suggestions", "contact_email", "contact_url",
                       "priority", "archived_url", "archived_at", "archived_title"]
# `status` is left empty for the user to fill in (sent, skip, replied, won, lost): `prospector record`.
EMAIL_COLUMNS = ["status", "kind", "to_email", "to_name", "contact_url", "subject", "body", "followup_body", "prospect",
                 "page_urls", "dead_urls", "suggested_urls", "last_contacted"]
PROSPECT_COLUMNS = ["prospect", "name", "pages_crawled", "outbound_links", "dead", "likely_dead", "contact_found",
                    "contact_email", "contact_url", "errors", "other_contacts"]


class ExportFailed(Exception):
    """The export could not be written; the files that were there are as they were."""


class UnrecordedStatuses(Exception):
    """The emails sheet about to be replaced holds statuses the history does not."""


def write_csv(frame: pd.DataFrame, path: Path, encoding: str = "utf-8-sig") -> Path:
    """Write with fixed columns, neutralised text cells, and the chosen encoding (BOM for Excel)."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    safe.to_csv(path, index=False, encoding=ENCODINGS[encoding], lineterminator="\r\n")
    return path


def dead_links_frame(store: Store) -> pd.DataFrame:
    rows = store.dead_links()
    frame = pd.DataFrame([r.__dict__ for r in rows], columns=DEAD_LINK_COLUMNS)
    frame["status"] = frame["status"].astype("Int64")
    order = frame["verdict"].map({Verdict.DEAD: 0, Verdict.LIKELY_DEAD: 1})
    frame = frame.assign(_order=order).sort_values(
        ["_order", "referring_domains", "referring_pages", "dead_url"],
        ascending=[True, False, False, True], kind="stable",
    )
    return frame.drop(columns="_order").reset_index(drop=True)


def opportunities_frame(opportunities: list[Opportunity], contacts: dict[int, ChosenContact]) -> pd.DataFrame:
    rows = [{
        **{c: getattr(o, c) for c in OPPORTUNITY_COLUMNS if hasattr(o, c)},
        "prospect": o.prospect,
        "contact_email": contacts[o.prospect_id].email,
        "contact_url": contacts[o.prospect_id].url,
        "priority": o.priority,
    } for o in opportunities]
    frame = pd.DataFrame(rows, columns=OPPORTUNITY_COLUMNS)
    frame["status"] = frame["status"].astype("Int64")
    frame["score"] = frame["score"].astype("Float64").round(3)
    frame["confidence"] = frame["confidence"].astype("Float64").round(2)
    return frame.sort_values(["priority", "prospect", "page_url", "dead_url"], ascending=[False, True, True, True],
                             kind="stable").reset_index(drop=True)


def emails_frame(store: Store) -> pd.DataFrame:
    frame = pd.DataFrame(store.drafts(), columns=EMAIL_COLUMNS)
    frame["status"] = ""
    return frame.sort_values(["prospect", "to_email", "contact_url", "kind"], kind="stable").reset_index(drop=True)


def prospects_frame(store: Store, contacts: dict[int, ChosenContact]) -> pd.DataFrame:
    """`contacts`: the chosen contact of each prospect with opportunities; the others are
    chosen here."""
    stats = store.prospect_stats()
    prospects = {p.id: p for p in store.prospects()}
    rows = []
    for row in stats:
        contact = contacts.get(row["id"]) or choose_contact(prospects[row["id"]], store.contacts(row["id"]))
        rows.append({**row, "contact_found": "yes" if contact.kind != "none" else "no",
                     "contact_email": contact.email, "contact_url": contact.url if contact.kind != "none" else "",
                     "other_contacts": " ".join(contact.others)})
    return pd.DataFrame(rows, columns=PROSPECT_COLUMNS)


def export_all(store: Store, out_dir: str | Path, encoding: str = "utf-8-sig",
               counts: dict[str, int] | None = None) -> dict[str, Path]:
    """Write every CSV prospector produces, and report.html from the same tables and the
    store's `counts` (read here unless given); return name -> path.

    All or nothing: every file is written beside its final name first and renamed into place
    once all are written, so a full disk or a folder that cannot be written leaves the last
    export as it was (ExportFailed). An emails.csv holding statuses not recorded yet is never
    replaced (UnrecordedStatuses)."""
    from prospector.report import render_report

    out = Path(out_dir)
    refuse_unrecorded(store, out)
    opportunities = read_opportunities(store)
    contacts = contacts_for(store, opportunities)
    frames = {
        "opportunities": opportunities_frame(opportunities, contacts),
        "emails": emails_frame(store),
        "dead_links": dead_links_frame(store),
        "prospects": prospects_frame(store, contacts),
    }
    writers = {f"{name}.csv": lambda path, frame=frame: write_csv(frame, path, encoding)
               for name, frame in frames.items()}
    writers["report.html"] = lambda path: path.write_text(render_report(frames, counts or store.counts()),
                                                          encoding="utf-8")
    written = write_all(out, writers)
    return {name.split(".")[0] if name.endswith(".csv") else "report": path for name, path in written.items()}


def write_all(out: Path, writers: dict[str, Any]) -> dict[str, Path]:
    """Each `writers[name](temporary path)` writes one file; once all are written they are
    renamed to `out/name`. Any OSError: the temporary files go, nothing else changes."""
    temporary: dict[str, Path] = {}
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, write in writers.items():
            handle, where = tempfile.mkstemp(dir=out, prefix=f".{name}.", suffix=".tmp")
            os.close(handle)
            temporary[name] = Path(where)
            write(temporary[name])
        for name, where in temporary.items():
            os.replace(where, out / name)
    except OSError as exc:
        for where in temporary.values():
            with contextlib.suppress(OSError):
                where.unlink()
        why = exc.strerror or str(exc)
        raise ExportFailed(f"{out}: cannot write the export ({why}); the files there are as they were") from None
    return {name: out / name for name in writers}


def refuse_unrecorded(store: Store, out: Path) -> None:
    """Before emails.csv is replaced: statuses typed into it that the history does not hold
    (the only record of what was sent) stop the export, naming their rows."""
    from prospector.outreach.history import unrecorded_rows

    sheet = out / "emails.csv"
    if not sheet.is_file():
        return
    try:
        rows = unrecorded_rows(store, sheet)
    except InputFileError:
        return  # not an emails sheet prospector can read: nothing in it could be recorded
    if rows:
        shown = ", ".join(str(n) for n in rows[:10]) + (f" and {len(rows) - 10} more" if len(rows) > 10 else "")
        raise UnrecordedStatuses(
            f"{sheet} has statuses that are not recorded yet (row{'s' if len(rows) > 1 else ''} {shown}); record "
            f"them first — prospector record {sheet} --db {store.path} — or empty those cells. Nothing was written.")
