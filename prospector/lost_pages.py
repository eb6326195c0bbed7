"""A site's lost pages — of a competitor (`prospector competitor`) or of a dead site
(`prospector deadsite`): the steps both modes take (check the site's pages first, ask the
archive what the lost ones were, most linked first) and their sheet: the pages found dead,
most linked first, with their referring domains, the pages still linking to them, what the
archive says each was and your page for it — the content worth recreating, and whom to pitch
it to (competitor_pages.csv, deadsite_pages.csv)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pandas as pd

from prospector.archiving import ask_archive
from prospector.backlinks import read_backlinks
from prospector.errors import Interrupted, UsageError
from prospector.shown import Rows, Shown
from prospector.stages import goes_on
from prospector.store import LostPage, Store
from prospector.urls import host_of, on_site, registered_domain
from prospector.verdict import LIKELY_DEAD, PITCHABLE
from prospector.workspace import Workspace

if TYPE_CHECKING:
    from prospector.summaries import ArchiveSummary, ImportSummary, RunSummary

LOST_PAGE_COLUMNS = ["lost_url", "verdict", "reason", "referring_domains", "referring_pages", "still_linking",
                     "linking_pages", "archived_title", "archived_at", "archived_url", "your_page"]


def site_domain(given: str, what: str) -> str:
    """The site a user names — `example.com`, `www.example.com`, `https://example.com/` — as
    the host its pages are on (www. dropped: its pages are on the domain and its subdomains)."""
    text = given.strip().lower()
    try:
        host = urlsplit(text if "://" in text else f"http://{text}").hostname or ""
    except ValueError:
        host = ""
    if "." not in host.strip(".") or any(c in host for c in " /\\@"):
        raise UsageError(f"{what}: {given!r} is not a domain (example.com)")
    return host.removeprefix("www.").rstrip(".")


def referring_domains(pages: Iterable[str]) -> int:
    return len({registered_domain(host_of(page)) for page in pages})


@dataclass(frozen=True)
class LostPagesSummary(Shown):
    """What a competitor's (or a dead site's) lost pages came to."""

    domain: str
    pages: int  # its pages asked about: the exports' targets, or the archive's listing
    lost: int  # of them found dead or likely dead
    likely_dead: int
    referring_domains: int  # linking to the lost pages, as the exports claim
    still_linking: int  # pages the crawl found still carrying a link to one
    archived: int  # lost pages whose archived title is known
    archive_left: int  # lost pages the archive was not asked about yet (or answered with an error)
    sheet: str
    listing_complete: bool | None = None  # dead-site mode: whether the archive's listing was read to its end
    imported: ImportSummary | None = None
    archive: ArchiveSummary | None = None
    run: RunSummary | None = None  # the pipeline after it (competitor mode)

    title = "Lost pages"

    @classmethod
    def of(cls, domain: str, pages: int, lost: list[LostPage], sheet: Path, **parts: Any) -> LostPagesSummary:
        return cls(domain, pages, len(lost), sum(page.verdict == LIKELY_DEAD for page in lost),
                   referring_domains({ref for page in lost for ref in page.referring_pages}),
                   len({ref for page in lost for ref in page.linking_pages}),
                   sum(bool(page.archived_title) for page in lost),
                   sum(page.archive_outcome in ("", "error") for page in lost), str(sheet), **parts)

    def rows(self) -> Rows:
        listing = [] if self.listing_complete is None else [
            ("archive's listing", "complete" if self.listing_complete else "not complete: the next run goes on")]
        return [("site", self.domain), *listing, ("its pages asked about", self.pages),
                ("lost: dead or likely dead", self.lost), ("  of them likely dead", self.likely_dead),
                ("referring domains linking to them", self.referring_domains),
                ("pages still linking to them", self.still_linking),
                ("archive: lost pages looked up (this run)", self.archive.asked if self.archive else 0),
                ("archived titles known", self.archived), ("archive: still to look up", self.archive_left),
                ("sheet", self.sheet)]


def lost_pages_frame(lost: list[LostPage]) -> pd.DataFrame:
    """One row per lost page: dead before likely dead, then most referring domains first."""
    rows = [{"lost_url": page.url, "verdict": page.verdict, "reason": page.reason,
             "referring_domains": referring_domains(page.referring_pages),
             "referring_pages": len(page.referring_pages), "still_linking": len(page.linking_pages),
             "linking_pages": " ".join(page.linking_pages), "archived_title": page.archived_title,
             "archived_at": page.archived_at, "archived_url": page.archived_url, "your_page": page.your_page}
            for page in lost]
    frame = pd.DataFrame(rows, columns=LOST_PAGE_COLUMNS)
    if frame.empty:
        return frame
    frame["_order"] = frame["verdict"] != "dead"
    frame = frame.sort_values(["_order", "referring_domains", "still_linking", "lost_url"],
                              ascending=[True, False, False, True], kind="stable")
    return frame.drop(columns="_order").reset_index(drop=True)


def pages_claimed(paths: Iterable[str | Path], domain: str) -> set[str]:
    """The pages on `domain` the exports say are linked to (read once more by the import)."""
    found: set[str] = set()
    for path in paths:
        _, rows = read_backlinks(path)
        found.update(row.target_url for row in rows if row.target_url and on_site(row.target_url, domain))
    return found


def check_first(space: Workspace, urls: set[str], what: str) -> set[str]:
    """Check those of `urls` never checked (the others are rechecked by `run`'s check when
    due); return those found dead or likely dead."""
    with space.store() as store:
        due = sorted(urls - set(store.verdicts_of(urls)))
    if due:
        with space.lock("check"):
            stats = space.fetch_one("check", space.settings(), urls=due)
        if not goes_on(stats):
            raise Interrupted(f"Stopped while checking {what}; run the same command again to resume.")
    with space.store() as store:
        return store.urls_with_verdict(urls, PITCHABLE)


def ask_about_lost(space: Workspace, lost: Iterable[str], minutes: float | None) -> ArchiveSummary | None:
    """What the archive had for the lost pages not asked about yet (or that it answered with an
    error), most linked first."""
    with space.store() as store:
        asked = {url for url, copy in store.archived().items() if copy.outcome != "error"}
        counts = store.referring_counts(lost)
    urls = sorted(set(lost) - asked, key=lambda url: (-counts.get(url, 0), url))
    if not urls:
        return None
    with space.lock("archive"):
        return ask_archive(space, space.settings(), minutes, urls)


def write_lost_pages(store: Store, urls: Iterable[str], out_dir: str | Path, name: str,
                     encoding: str) -> tuple[Path, list[LostPage]]:
    """The sheet of those of `urls` found dead, written as `out_dir/name` (as every export is:
    beside its final name first, so a full disk leaves the last one as it was)."""
    from prospector.export import write_all, write_csv

    lost = store.lost_pages(urls)
    frame = lost_pages_frame(lost)
    written = write_all(Path(out_dir), {name: lambda path: write_csv(frame, path, encoding)})
    return written[name], lost
