"""Competitor mode (`prospector competitor DOMAIN --backlinks FILE…`, `run --competitor`): the
broken-link-building recipe on a competitor's backlinks. Its pages the exports name are checked
first — an export's "404" is a claim, the check decides — and only the backlinks to the pages
found dead (or likely dead: a parked domain, a soft 404) are imported: their referring pages
are the prospects, nothing else is crawled. The rest of the pipeline runs as `run` does; then
the archive is asked what each lost page was (most referring domains first) and
competitor_pages.csv lists them, with the pages still linking to each."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from prospector import arguments
from prospector.archiving import ask_archive
from prospector.backlinks import read_backlinks
from prospector.errors import Interrupted, UsageError
from prospector.finding import FindingProspects, import_exports
from prospector.lost_pages import LostPagesSummary, on_site, site_domain, write_lost_pages
from prospector.stages import goes_on
from prospector.summaries import ArchiveSummary
from prospector.urls import InvalidUrl, normalise
from prospector.verdict import PITCHABLE
from prospector.workspace import Workspace

SHEET = "competitor_pages.csv"
NO_BACKLINKS = ("competitor: give its backlinks: --backlinks FILE (an export of Ahrefs, Semrush, Majestic, Moz or "
                "Search Console, or a CSV of referring_url,target_url)")


def pages_claimed(paths: Iterable[str | Path], domain: str) -> set[str]:
    """The pages on `domain` the exports say are linked to (read once more by the import)."""
    found: set[str] = set()
    for path in paths:
        _, rows = read_backlinks(path)
        for row in rows:
            try:
                url = normalise(row.target_url)
            except InvalidUrl:
                continue  # the import names the row
            if on_site(url, domain):
                found.add(url)
    return found


def check_first(space: Workspace, urls: set[str]) -> set[str]:
    """Check those of `urls` never checked (the others are rechecked by `run`'s check when
    due); return those found dead or likely dead."""
    with space.store() as store:
        due = sorted(urls - set(store.verdicts_of(urls)))
    if due:
        with space.lock("check"):
            stats = space.fetch_one("check", space.settings(), urls=due)
        if not goes_on(stats):
            raise Interrupted("Stopped while checking the competitor's pages; run the same command again to resume.")
    with space.store() as store:
        return store.urls_with_verdict(urls, PITCHABLE)


def ask_about_lost(space: Workspace, lost: Iterable[str], minutes: float | None) -> ArchiveSummary | None:
    """What the archive had for the lost pages not asked about yet, most linked first."""
    with space.store() as store:
        asked = set(store.archived())
        counts = store.referring_counts(lost)
    urls = sorted(set(lost) - asked, key=lambda url: (-counts.get(url, 0), url))
    return ask_archive(space, space.settings(), minutes, urls) if urls else None


def run_competitor(campaign: FindingProspects, domain: str, backlinks: tuple[str | Path, ...], wayback: bool | None,
                   run_args: dict[str, Any]) -> LostPagesSummary:
    """`run_args`: `Campaign.run`'s (but the prospects: the imported ones)."""
    domain = site_domain(domain, "competitor")
    if not backlinks:
        raise UsageError(NO_BACKLINKS)
    for path in backlinks:
        arguments.check_path("backlinks", path)
    space = campaign.space
    targets = pages_claimed(backlinks, domain)
    lost = check_first(space, targets)
    with space.lock("crawl"):
        imported = import_exports(space, backlinks, wanted=lost.__contains__)
    wayback = campaign.defaults.get("wayback", True) if wayback is None else wayback
    run = campaign.run("", wayback=wayback, **run_args) if lost else None
    archived = ask_about_lost(space, lost, campaign.options.wayback_minutes) if wayback and lost else None
    out_dir, encoding = campaign.defaults.output(run_args.get("out_dir"), run_args.get("encoding"))
    with space.store() as store:
        sheet, pages = write_lost_pages(store, lost, out_dir, SHEET, encoding)
    return LostPagesSummary.of(domain, len(targets), pages, sheet, imported=imported, archive=archived, run=run)
