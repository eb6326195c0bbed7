"""From the store to CSV files that open cleanly in Excel and Google Sheets."""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from prospector.columns import (
    DEAD_LINK_COLUMNS,
    EMAIL_COLUMNS,
    OPPORTUNITY_COLUMNS,
    PROSPECT_COLUMNS,
    SUGGESTED_PROSPECT_COLUMNS,
)
from prospector.errors import StageFailed
from prospector.outreach.contacts import ChosenContact, choose_contact
from prospector.outreach.drafting import contacts_for
from prospector.outreach.opportunities import Opportunity, read_opportunities
from prospector.resource_score import RESOURCE_PAGE
from prospector.spreadsheet import neutralise
from prospector.store import Store
from prospector.tables import InputFileError
from prospector.text import safe
from prospector.urls import host_of, registered_domain
from prospector.verdict import Verdict

ENCODINGS = {"utf-8-sig": "utf-8-sig", "utf-8": "utf-8"}
XLSX_NAME = "prospector.xlsx"  # export --xlsx: every sheet in one workbook



class ExportFailed(StageFailed):
    """The export could not be written; the files that were there are as they were."""


class UnrecordedStatuses(StageFailed):
    """A sheet about to be replaced holds statuses or choices the store does not."""


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


DATE_COLUMNS = {"archived_at", "last_contacted"}  # YYYY-MM-DD text in the CSVs, date cells in the workbook


def write_xlsx(frames: dict[str, pd.DataFrame], path: Path) -> Path:
    """One workbook, a sheet per CSV, with typed cells: numbers are numbers and dates dates
    whatever the spreadsheet's locale (a CSV's 0.574 reads as 574 where the decimal mark is a
    comma). Text is stored as text, never as a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    for name, frame in frames.items():
        sheet = book.create_sheet(name)
        sheet.freeze_panes = "A2"
        header = []
        for column in frame.columns:
            cell = WriteOnlyCell(sheet, value=str(column))
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        for values in frame.itertuples(index=False):
            sheet.append([_xlsx_cell(sheet, column, value)
                          for column, value in zip(frame.columns, values, strict=False)])
    book.save(path)
    return path


def _xlsx_cell(sheet: Any, column: str, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str):
        if column in DATE_COLUMNS and len(value) == 10:
            with contextlib.suppress(ValueError):
                return date.fromisoformat(value)
        cell = WriteOnlyCell(sheet, value=safe(value) or None)
        cell.data_type = "s"  # "=1+1" from a page title stays text
        return cell
    return value.item() if hasattr(value, "item") else value


def extra_names(extras: Iterable[tuple[tuple[str, str], ...]], taken: Iterable[str]) -> list[str]:
    """The prospect lists' own columns (DR, traffic …), in the order first met; a name that is
    one of prospector's columns is left out (prospector's wins)."""
    reserved = set(taken)
    return [name for name in dict.fromkeys(k for extra in extras for k, _ in extra) if name not in reserved]


def opportunities_frame(opportunities: list[Opportunity], contacts: dict[int, ChosenContact]) -> pd.DataFrame:
    """One row per opportunity: OPPORTUNITY_COLUMNS, then the prospect list's own columns."""
    extras = extra_names((o.prospect_extra for o in opportunities), OPPORTUNITY_COLUMNS)
    rows = [{
        **dict(o.prospect_extra),
        **{c: getattr(o, c) for c in OPPORTUNITY_COLUMNS if hasattr(o, c)},
        "prospect": o.prospect,
        "contact_email": contacts[o.prospect_id].email,
        "contact_url": contacts[o.prospect_id].url,
        "priority": o.priority,
    } for o in opportunities]
    frame = pd.DataFrame(rows, columns=OPPORTUNITY_COLUMNS + extras)
    frame["status"] = frame["status"].astype("Int64")
    frame["score"] = frame["score"].astype("Float64").round(3)
    frame["confidence"] = frame["confidence"].astype("Float64").round(2)
    frame["authority"] = frame["authority"].astype("Float64").round(1)
    frame["resource_score"] = frame["resource_score"].astype("Float64").round(2)
    return frame.sort_values(["priority", "prospect", "page_url", "dead_url"], ascending=[False, True, True, True],
                             kind="stable").reset_index(drop=True)


def emails_frame(store: Store) -> pd.DataFrame:
    frame = pd.DataFrame([asdict(d) for d in store.drafts()], columns=EMAIL_COLUMNS)
    frame["status"] = ""
    return frame.sort_values(["prospect", "to_email", "contact_url", "kind"], kind="stable").reset_index(drop=True)


def prospects_frame(store: Store, contacts: dict[int, ChosenContact]) -> pd.DataFrame:
    """`contacts`: the chosen contact of each prospect with opportunities; the others are
    chosen here."""
    stats = store.prospect_stats()
    prospects = {p.id: p for p in store.prospects()}
    extras = extra_names((p.extra for p in prospects.values()), PROSPECT_COLUMNS)
    rows = []
    for row in stats:
        prospect = prospects[row.id]
        contact = contacts.get(row.id) or choose_contact(prospect, store.contacts(row.id))
        found = contact.kind != "none"
        rows.append({**dict(prospect.extra), **asdict(row), "contact_found": "yes" if found else "no",
                     "contact_email": contact.email, "contact_url": contact.url if found else "",
                     "other_contacts": " ".join(contact.others)})
    frame = pd.DataFrame(rows, columns=PROSPECT_COLUMNS + extras)
    frame["authority"] = frame["authority"].astype("Float64").round(1)
    frame["resource_score"] = frame["resource_score"].astype("Float64").round(2)
    return frame


def suggested_prospects_frame(store: Store) -> pd.DataFrame:
    """Sites the crawled prospects link to whose page looks like a resource page (from the part
    of it the check read), one row per site with its best page; not a prospect already, not
    your own site. Nothing of them is crawled: add the ones you want to your prospect list."""
    taken = store.prospect_domains() | store.own_site_domains()
    best: dict[str, dict[str, object]] = {}
    for seen in store.resource_pages_seen(RESOURCE_PAGE):
        page = seen.final_url or seen.url
        site = registered_domain(host_of(page))
        if site not in taken and site not in best:
            best[site] = {"site": site, "page_url": page, "resource_score": seen.resource_score, "why": seen.why,
                          "linked_from": seen.linked_from, "linked_by": seen.linked_by}
    frame = pd.DataFrame(list(best.values()), columns=SUGGESTED_PROSPECT_COLUMNS)
    frame["resource_score"] = frame["resource_score"].astype("Float64").round(2)
    return frame


SHEETS = ("opportunities", "emails", "dead_links", "prospects", "suggested_prospects")  # the CSVs, in this order


def sheets(store: Store, names: Iterable[str] = SHEETS) -> dict[str, pd.DataFrame]:
    """The tables the CSVs hold, by name (SHEETS), as they are written."""
    wanted = set(names)
    opportunities = read_opportunities(store) if wanted & {"opportunities", "prospects"} else []
    contacts = contacts_for(store, opportunities)
    build: dict[str, Callable[[], pd.DataFrame]] = {
        "opportunities": lambda: opportunities_frame(opportunities, contacts),
        "emails": lambda: emails_frame(store),
        "dead_links": lambda: dead_links_frame(store),
        "prospects": lambda: prospects_frame(store, contacts),
        "suggested_prospects": lambda: suggested_prospects_frame(store),
    }
    return {name: build[name]() for name in SHEETS if name in wanted}


def for_python(frame: pd.DataFrame) -> pd.DataFrame:
    """A table as the CSV holds it, as pandas users expect it: missing values NA (the CSV's
    empty cells), dates as datetimes."""
    typed = frame.copy()
    for column in typed.columns:
        if column in DATE_COLUMNS:
            typed[column] = pd.to_datetime(typed[column].replace("", None), errors="coerce")
        elif typed[column].dtype == object or pd.api.types.is_string_dtype(typed[column]):
            typed[column] = typed[column].replace("", pd.NA)
    return typed


def export_all(store: Store, out_dir: str | Path, encoding: str = "utf-8-sig",
               counts: dict[str, int] | None = None, xlsx: bool = False) -> dict[str, Path]:
    """Write every CSV prospector produces, and report.html from the same tables and the
    store's `counts` (read here unless given); return name -> path.

    All or nothing: every file is written beside its final name first and renamed into place
    once all are written, so a full disk or a folder that cannot be written leaves the last
    export as it was (ExportFailed). An emails.csv holding statuses not recorded yet is never
    replaced (UnrecordedStatuses)."""
    from prospector.report import render_report

    out = Path(out_dir)
    refuse_unrecorded(store, out)
    frames = sheets(store)
    writers: dict[str, Callable[[Path], object]] = {
        f"{name}.csv": functools.partial(_write_csv_to, frame, encoding) for name, frame in frames.items()}
    writers["report.html"] = functools.partial(_write_report, render_report(frames, counts or store.counts()))
    if xlsx or (out / XLSX_NAME).exists():  # once asked for, kept as current as the CSVs
        writers[XLSX_NAME] = functools.partial(write_xlsx, frames)
    written = write_all(out, writers)
    return {name.rsplit(".", 1)[0] if name != "report.html" else "report": path for name, path in written.items()}


def _write_csv_to(frame: pd.DataFrame, encoding: str, path: Path) -> Path:
    return write_csv(frame, path, encoding)


def _write_report(html: str, path: Path) -> None:
    path.write_text(html, encoding="utf-8")


def write_all(out: Path, writers: Mapping[str, Callable[[Path], object]]) -> dict[str, Path]:
    """Each `writers[name](temporary path)` writes one file; once all are written they are
    renamed to `out/name`. Any OSError: the temporary files go, nothing else changes."""
    temporary: dict[str, Path] = {}
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, write in writers.items():
            handle, made = tempfile.mkstemp(dir=out, prefix=f".{name}.", suffix=".tmp")
            os.close(handle)
            temporary[name] = Path(made)
            write(temporary[name])
        for name, path in temporary.items():
            os.replace(path, out / name)
    except OSError as exc:
        for path in temporary.values():
            with contextlib.suppress(OSError):
                path.unlink()
        why = exc.strerror or str(exc)
        raise ExportFailed(f"{out}: cannot write the export ({why}); the files there are as they were") from None
    return {name: out / name for name in writers}


def refuse_unrecorded(store: Store, out: Path) -> None:
    """Before the sheets are replaced: statuses typed into emails.csv (or the workbook's emails
    sheet) that the history does not hold — the only record of what was sent — and choices
    typed into opportunities.csv's use column that are not recorded stop the export, naming
    their rows."""
    from prospector.outreach.choices import unrecorded_choice_rows
    from prospector.outreach.history import unrecorded_rows

    for sheet, unrecorded, what in ((out / "emails.csv", unrecorded_rows, "statuses"),
                                    (out / XLSX_NAME, unrecorded_rows, "statuses"),
                                    (out / "opportunities.csv", unrecorded_choice_rows, "choices in its use column"),
                                    (out / XLSX_NAME, unrecorded_choice_rows, "choices in its use column")):
        if not sheet.is_file():
            continue
        try:
            rows = unrecorded(store, sheet)
        except InputFileError:
            continue  # not a sheet prospector can read: nothing in it could be recorded
        if not rows:
            continue
        shown = ", ".join(str(n) for n in rows[:10]) + (f" and {len(rows) - 10} more" if len(rows) > 10 else "")
        raise UnrecordedStatuses(  # the first sheet found stops it
            f"{sheet} has {what} that are not recorded yet (row{'s' if len(rows) > 1 else ''} {shown}); record "
            f"them first — prospector record {sheet} --db {store.path} — or empty those cells. Nothing was written.")
