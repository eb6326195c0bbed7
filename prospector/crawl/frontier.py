"""Which page of each prospect to fetch next: its bounds, its budget, what is left to visit.

One `Frontier` decides for a whole crawl, so `max_pages` and `max_depth` hold wherever the
pages are fetched: in the spider's own process (ProspectSpider), or on a cluster of workers
whose results the coordinator feeds back here (prospector.cluster.coordinator). Resuming: what
the store already holds is not fetched again; the crawl goes on from the stored frontier.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from prospector.items import PageItem, Prospect
from prospector.store import Store

logger = logging.getLogger("prospector.crawl.prospect")

CONTACT_HINTS = ("contact", "about", "write-for-us", "author")


@dataclass
class ProspectCrawl:
    """The bounds and progress of one prospect's crawl in this run."""

    prospect: Prospect
    max_depth: int
    budget: int  # page fetches still allowed
    visited: set[str]
    pending: deque[tuple[str, int]] = field(default_factory=deque)
    in_flight: int = 0

    def allows(self, url: str, depth: int) -> bool:
        """Within the depth bound; or, for a prospect crawled at depth 0 (its listed pages only, as
        an imported one is), a contact or about page one click away: the email step needs it."""
        return depth <= self.max_depth or (self.max_depth == 0 and depth == 1 and is_contact_page(url))


def is_contact_page(url: str) -> bool:
    return any(hint in url.lower() for hint in CONTACT_HINTS)


@dataclass(frozen=True)
class PageVisit:
    """A page to fetch now."""

    url: str
    depth: int
    prospect: Prospect


def recrawl_before(settings: Any) -> str:
    """The ISO time before which stored pages are fetched again (PROSPECTOR_RECRAWL_AFTER_DAYS;
    "" when it is not set: a stored page is never fetched again)."""
    days = settings.get("PROSPECTOR_RECRAWL_AFTER_DAYS")
    if days in (None, ""):
        return ""
    cutoff = datetime.now(UTC) - timedelta(days=float(days))
    return cutoff.isoformat(timespec="seconds")


class Frontier:
    def __init__(self, store: Store, max_pages: int, max_depth: int, url_length_limit: int = 2083,
                 recrawl_before: str = ""):
        """`max_pages`/`max_depth`: the run's values where a prospect has none of its own
        (a prospect's value wins over these, and `override_*` win over both).
        `recrawl_before` (an ISO time): pages fetched before it are fetched again, within the
        page budget, the start page first."""
        self.store = store
        self.recrawl_before = recrawl_before
        self.max_pages, self.max_depth = max_pages, max_depth
        self.override_pages: int | None = None
        self.override_depth: int | None = None
        self.url_length_limit = url_length_limit
        self.crawls: dict[int, ProspectCrawl] = {}

    def open(self, prospect_ids: Iterable[int] = ()) -> int:
        """Load each prospect's state from the store (all of them when no ids are given);
        return the pages the run may still fetch."""
        wanted = set(prospect_ids)
        budget = 0
        for prospect in self.store.prospects():
            if wanted and prospect.id not in wanted:
                continue
            assert prospect.id is not None
            state = self.store.crawl_state(prospect.id, self.recrawl_before)
            max_pages = self.override_pages or prospect.max_pages or self.max_pages
            max_depth = next(d for d in (self.override_depth, prospect.max_depth, self.max_depth) if d is not None)
            crawl = ProspectCrawl(prospect, max_depth, max_pages - state.fetched, set(state.visited))
            if prospect.url not in state.visited:
                self.store.add_to_frontier(prospect.id, [(prospect.url, 0)])
                crawl.pending.append((prospect.url, 0))
            crawl.pending.extend(visit for visit in state.frontier if visit[0] != prospect.url)
            self.crawls[prospect.id] = crawl
            budget += max(0, crawl.budget)
        return budget

    def release_all(self) -> Iterator[PageVisit]:
        for crawl in self.crawls.values():
            yield from self.release(crawl)

    def release(self, crawl: ProspectCrawl) -> Iterator[PageVisit]:
        """Pending pages to fetch now, while the prospect's page budget allows."""
        while crawl.pending and crawl.budget - crawl.in_flight > 0:
            url, depth = crawl.pending.popleft()
            if url in crawl.visited or not crawl.allows(url, depth):
                continue
            crawl.visited.add(url)
            if len(url) > self.url_length_limit:  # Scrapy would drop it without a callback
                error = f"URL longer than {self.url_length_limit} characters, skipped"
                assert crawl.prospect.id is not None
                self.store.save_page(PageItem(url=url, prospect_id=crawl.prospect.id, depth=depth, error=error))
                self.store.add_problem("crawl", url[:200] + "…", error)
                logger.log(logging.INFO if depth > 0 else logging.WARNING, "%s: %s", url[:200] + "…", error)
                continue
            crawl.in_flight += 1
            yield PageVisit(url, depth, crawl.prospect)

    def adopt(self, prospect_id: int, url: str) -> None:
        """A page already on its way (queued before a restart): counted as in flight."""
        crawl = self.crawls.get(prospect_id)
        if crawl is not None and url not in crawl.visited:
            crawl.visited.add(url)
            crawl.in_flight += 1

    def done(self, page: PageItem) -> ProspectCrawl:
        """A page came back (fetched, failed or dropped): count it, and queue the internal
        pages it found that are new, contact and about pages first (the email step needs them).
        Its `discovered` list is cut to those, which is what the store keeps as frontier."""
        crawl = self.crawls[page.prospect_id]
        crawl.in_flight -= 1
        if page.status is not None:
            crawl.budget -= 1
        if page.final_url:
            crawl.visited.add(page.final_url)
        page.discovered = [(u, d) for u, d in page.discovered if u not in crawl.visited]
        for url, depth in page.discovered:
            if not crawl.allows(url, depth):
                continue
            if is_contact_page(url):
                crawl.pending.appendleft((url, depth))
            else:
                crawl.pending.append((url, depth))
        return crawl

    def in_flight(self) -> int:
        return sum(c.in_flight for c in self.crawls.values())
