"""Dead-site mode (`prospector deadsite DOMAIN [--backlinks FILE…]`): a site that is gone or
moved left pages others still link to. The Internet Archive lists the pages it had
(crawl/site_listing.py, resumable page by page); the check finds which are gone now (a parked
domain answers 200 and is likely dead by the verdict table); the archive is asked what each
lost page was, most referenced first, for at most --wayback-minutes, resuming on the next run;
deadsite_pages.csv lists them. With backlink exports, the links to the lost pages are imported
(their referring pages become prospects for `prospector run`) and each lost page shows who
links to it."""

from __future__ import annotations

from pathlib import Path

from prospector import arguments
from prospector.errors import Interrupted
from prospector.finding import FindingProspects, import_exports
from prospector.lost_pages import (
    LostPagesSummary,
    ask_about_lost,
    check_first,
    pages_claimed,
    site_domain,
    write_lost_pages,
)
from prospector.stages import goes_on
from prospector.urls import on_site

SHEET = "deadsite_pages.csv"


def run_deadsite(campaign: FindingProspects, domain: str, backlinks: tuple[str | Path, ...],
                 out_dir: str | Path | None, encoding: str | None) -> LostPagesSummary:
    domain = site_domain(domain, "deadsite")
    for path in backlinks:
        arguments.check_path("backlinks", path)
    out_dir, encoding = campaign.defaults.output(out_dir, encoding)
    arguments.check_encoding(encoding)
    space = campaign.space
    mark = space.problem_mark()
    with space.lock("archive"):  # the listing asks the archive too: one process at its rate
        listed = space.fetch_one("deadsite", space.settings(), domain=domain)
    if not goes_on(listed):
        raise Interrupted("Stopped while listing the site's archived pages; run the same command again to resume.")
    with space.store() as store:
        pages, complete = set(store.site_pages(domain)), store.site_listing(domain).complete
        space.note_problems(store.problems_since(mark))
    claimed = pages_claimed(backlinks, domain)
    lost = check_first(space, pages | claimed, "the site's pages")
    imported = None
    if backlinks:
        with space.lock("crawl"):
            imported = import_exports(space, backlinks, wanted=lambda url: url in lost and on_site(url, domain))
    archived = ask_about_lost(space, lost, campaign.options.wayback_minutes)
    with space.store() as store:
        sheet, found = write_lost_pages(store, pages | claimed, out_dir, SHEET, encoding)
    return LostPagesSummary.of(domain, len(pages | claimed), found, sheet, listing_complete=complete,
                               imported=imported, archive=archived)
