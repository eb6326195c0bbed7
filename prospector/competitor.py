"""Competitor mode (`prospector competitor DOMAIN --backlinks FILE…`, `run --competitor`): the
broken-link-building recipe on a competitor's backlinks. Its pages the exports name are checked
first — an export's "404" is a claim, the check decides — and only the backlinks to the pages
found dead (or likely dead: a parked domain, a soft 404) are imported: their referring pages
are the prospects, nothing else is crawled. The rest of the pipeline runs as `run` does; then
the archive is asked what each lost page was (most referring domains first) and
competitor_pages.csv lists them, with the pages still linking to each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prospector import arguments
from prospector.errors import UsageError
from prospector.finding import FindingProspects, import_exports
from prospector.lost_pages import (
    LostPagesSummary,
    ask_about_lost,
    check_first,
    pages_claimed,
    site_domain,
    write_lost_pages,
)

SHEET = "competitor_pages.csv"
NO_BACKLINKS = ("competitor: give its backlinks: --backlinks FILE (an export of Ahrefs, Semrush, Majestic, Moz or "
                "Search Console, or a CSV of referring_url,target_url)")


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
    lost = check_first(space, targets, "the competitor's pages")
    with space.lock("crawl"):
        imported = import_exports(space, backlinks, wanted=lost.__contains__)
    wayback = campaign.defaults.get("wayback", True) if wayback is None else wayback
    run = campaign.run("", wayback=wayback, **run_args) if lost else None
    archived = ask_about_lost(space, lost, campaign.options.wayback_minutes) if wayback and lost else None
    out_dir, encoding = campaign.defaults.output(run_args.get("out_dir"), run_args.get("encoding"))
    with space.store() as store:
        sheet, pages = write_lost_pages(store, lost, out_dir, SHEET, encoding)
    return LostPagesSummary.of(domain, len(targets), pages, sheet, imported=imported, archive=archived, run=run)
