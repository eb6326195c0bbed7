"""Where prospects come from besides a list: a backlink export (`prospector import`), a
competitor's lost pages (`prospector competitor`), a dead site's (`prospector deadsite`), and a
ranked list of domains for their authority (`prospector authority`) — the Campaign's methods
for them, and the steps they share."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prospector import arguments
from prospector.store.base import one_line_write_failures
from prospector.summaries import AuthoritySummary, ImportSummary
from prospector.workspace import Workspace

if TYPE_CHECKING:
    from prospector.arguments import MethodDefaults
    from prospector.config import RunOptions
    from prospector.lost_pages import LostPagesSummary
    from prospector.summaries import RunSummary


def read_authority_list(space: Workspace, path: str | Path) -> AuthoritySummary:
    """The stored prospects' domains' authority from a ranked list (authority.py)."""
    from prospector.authority import read_authority

    with space.store(must_exist=True) as store:
        domains = store.prospect_domains()
    read = read_authority(path, domains)
    with space.store() as store:
        store.save_authority(read.found.values())
    space.note_problems(read.unread.lines())
    return AuthoritySummary.of(read, len(domains))


def import_exports(space: Workspace, paths: tuple[str | Path, ...],
                   wanted: Callable[[str], bool] | None = None) -> ImportSummary:
    """Backlink exports into the store (backlink_import.py), one after the other; a file that
    cannot be read at all is an error before anything of it is stored. `wanted(target)`: the
    rows to import (default: all)."""
    from prospector.backlink_import import import_backlinks

    results = []
    with space.store() as store:
        for path in paths:
            results.append(import_backlinks(store, path, wanted))
            space.note_problems(results[-1].problems)
        total = len(store.prospects())
    return ImportSummary.of(results, total)


class FindingProspects:
    """The Campaign's methods that find prospects (campaign.py has the rest)."""

    space: Workspace
    defaults: MethodDefaults
    options: RunOptions

    if TYPE_CHECKING:  # provided by Campaign

        def run(self, prospects: str | Path | None = None, *args: Any, **kwargs: Any) -> RunSummary: ...

    @one_line_write_failures
    def authority(self, path: str | Path) -> AuthoritySummary:
        """Read a ranked list of domains you downloaded — Tranco, the Majestic Million, Open
        PageRank, Common Crawl's host or domain ranks; gzipped or not — for the stored prospects'
        domains: their authority (0-100, authority.py's map) goes into prospects.csv,
        opportunities.csv and the priority, from the next export on."""
        arguments.check_path("authority", path)
        return read_authority_list(self.space, path)

    @one_line_write_failures
    def import_backlinks(self, *paths: str | Path) -> ImportSummary:
        """Read backlink exports (Ahrefs, Semrush, Majestic, Moz, Search Console, or a CSV of
        referring_url,target_url) into the store: each referring page a page to crawl of its
        site's prospect, each target a link it is said to carry. `crawl()` and `run()` without
        a prospect list then work on what was imported; the crawl confirms each link or counts
        it gone, the check decides."""
        for path in paths or (None,):
            arguments.check_path("backlinks", path)
        with self.space.lock("crawl"):
            return import_exports(self.space, paths)

    @one_line_write_failures
    def competitor(self, domain: str, *backlinks: str | Path, wayback: bool | None = None,
                   **run_args: Any) -> LostPagesSummary:
        """Competitor mode: `domain`'s pages its backlink exports name are checked; the
        backlinks to those found dead (or likely dead) are imported, their referring pages
        crawled as prospects, and the pipeline runs as `run` does (`run_args`: its keyword
        arguments but the prospects); the archive is asked what each lost page was, and
        competitor_pages.csv lists them, most referring domains first."""
        from prospector.competitor import run_competitor

        return run_competitor(self, domain, backlinks, wayback, run_args)

    @one_line_write_failures
    def deadsite(self, domain: str, *backlinks: str | Path, out_dir: str | Path | None = None,
                 encoding: str | None = None) -> LostPagesSummary:
        """Dead-site mode: the pages `domain` had, from the Internet Archive's listing (resumed
        where it stopped), checked now; what each lost page was (its archived title), most
        referenced first, for at most `wayback_minutes`; with backlink exports, the links to
        the lost pages imported (prospects for `run`). deadsite_pages.csv lists them."""
        from prospector.deadsite import run_deadsite

        return run_deadsite(self, domain, backlinks, out_dir, encoding)
