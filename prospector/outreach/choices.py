"""The reviewer's picks: the `use` column of opportunities.csv (or of the workbook's
opportunities sheet), read back by `prospector record` and kept per (prospect page, dead URL).

A pick is a page of the user's own site — one of `other_suggestions`, or any URL of the site
— to suggest in place of the matcher's, or `skip` to leave that link out of the emails; an
empty cell clears what was recorded. The drafts pitch the picks (outreach/drafting.py), exports
write them back into `use`, and an export never writes over picks not recorded yet."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from prospector.inputs import InputProblem
from prospector.outreach.opportunities import SKIP
from prospector.shown import Shown
from prospector.spreadsheet import undefused
from prospector.tables import InputFileError, Table, open_table
from prospector.urls import InvalidUrl, host_of, normalise, registered_domain

if TYPE_CHECKING:
    from prospector.store import Store

USE_COLUMNS = ("page_url", "dead_url", "use")


@dataclass(frozen=True)
class ChoicesSummary(Shown):
    chosen: int  # rows with a page of the site in `use`
    skipped: int  # rows saying skip
    recorded: int  # choices new or changed
    cleared: int  # recorded choices whose cell was emptied
    sheet: str = ""

    title = "Record finished"

    def rows(self) -> list[tuple[str, object]]:
        return [*([("sheet read", self.sheet)] if self.sheet else []),
                ("rows with a page in use", self.chosen), ("rows with skip", self.skipped),
                ("choices recorded (new or changed)", self.recorded), ("choices cleared (use emptied)", self.cleared)]


@dataclass(frozen=True)
class Choice:
    source: str  # file:row
    page_url: str
    dead_url: str
    choice: str  # an own page, SKIP, or "" (clear)


def has_use_column(columns: list[str]) -> bool:
    return all(c in columns for c in USE_COLUMNS)


class OwnSite:
    """What a `use` cell may name: the pages the store read of the user's site, or any other
    URL on its domains."""

    def __init__(self, store: Store):
        self.pages = {page.url for page in store.own_pages()}
        self.domains = sorted({registered_domain(host_of(url)) for url in self.pages})

    def page(self, text: str) -> str | None:
        """The own page `text` names, as the store writes it; None if it is not one."""
        if text in self.pages:
            return text
        try:
            url = normalise(text)
        except InvalidUrl:
            return None
        if url in self.pages:
            return url
        return url if registered_domain(host_of(url)) in self.domains else None


@contextlib.contextmanager
def edited_choices(store: Store, path: str | Path) -> Iterator[tuple[Table, Iterator[Choice | InputProblem]]]:
    """The opportunities sheet the user edited — CSV (comma or semicolon, BOM or not) or .xlsx
    (the sheet with a use column) — and its rows that are links of this store, read one at a
    time: each as a Choice, or an InputProblem naming the row (a formula, a URL that is not of
    the user's site, a link the store does not hold)."""
    path = Path(path)
    with open_table(path, wanted=has_use_column) as table:
        if not has_use_column(table.columns):
            missing = [c for c in USE_COLUMNS if c not in table.columns]
            raise InputFileError(f"{path}: not an opportunities.csv from prospector (no "
                                 f"{', '.join(repr(c) for c in missing)} column{'s' if len(missing) > 1 else ''})")
        yield table, _choices(store, path, table)


def _choices(store: Store, path: Path, table: Table) -> Iterator[Choice | InputProblem]:
    where = {name: table.columns.index(name) for name in USE_COLUMNS}
    own = OwnSite(store)
    for raw in table.rows:
        cells = {name: undefused(raw.cells[i]).strip() if i < len(raw.cells) else "" for name, i in where.items()}
        source = f"{path}:{raw.number}"
        typed = cells["use"]
        if where["use"] in raw.formulas:
            yield InputProblem(source, f"the use cell holds a formula ({typed[:40]}); write a URL of your site or skip")
            continue
        if raw.problem and typed:
            yield InputProblem(source, raw.problem)
            continue
        if not store.has_link(cells["page_url"], cells["dead_url"]):
            if typed:
                yield InputProblem(source, f"no link to {cells['dead_url'][:200]!r} on {cells['page_url'][:200]!r} in "
                                           "the store: is the file from an export of this store (--db)?")
            continue
        choice = SKIP if typed.lower() == SKIP else (own.page(typed) if typed else "")
        if choice is None:
            yield InputProblem(source, f"use {typed[:200]!r} is not a page of your site "
                                       f"({', '.join(own.domains) or 'no own pages read yet'}): paste one of "
                                       "other_suggestions' URLs or another of your site's, or write skip")
            continue
        yield Choice(source, cells["page_url"], cells["dead_url"], choice)


def unrecorded_choice_rows(store: Store, path: str | Path) -> list[int]:
    """The rows of an opportunities sheet whose `use` names a pick other than the one recorded
    for its link: what an export must not write over. An empty cell is not one (the other
    copy of the sheet, CSV or workbook, may be the one that was recorded)."""
    recorded = store.choices()
    found = []
    with edited_choices(store, path) as (_, rows):
        for row in rows:
            if isinstance(row, Choice) and (not row.choice or recorded.get((row.page_url, row.dead_url)) == row.choice):
                continue
            found.append(int(row.source.rsplit(":", 1)[1]))
    return found
