"""Item pipeline: every item goes to the store as soon as it arrives, one transaction each,
so a killed run loses at most the pages that were in flight."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import asdict
from typing import Any, Protocol

from scrapy.utils.defer import deferred_from_coro

from prospector import stat_keys
from prospector.items import ArchivedCopy, CheckItem, OwnPageFetch, PageItem, SitePagesListed
from prospector.store import Store
from prospector.store.base import write_failure

logger = logging.getLogger(__name__)
page_logger = logging.getLogger("prospector.crawl.prospect")


class Stats(Protocol):
    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None: ...





class StorePipeline:
    def __init__(self, crawler: Any):
        self.crawler = crawler
        self.db_path = crawler.settings.get("PROSPECTOR_DB")
        self.stats = crawler.stats
        self.store: Store | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        return cls(crawler)

    def open_spider(self, spider: Any = None) -> None:
        self.store = Store(self.db_path)

    def close_spider(self, spider: Any = None) -> None:
        if self.store:
            self.store.close()

    def process_item(self, item: Any, spider: Any = None) -> Any:
        assert self.store is not None
        stored(self.crawler, lambda: store_item(self.store, self.stats, item))  # type: ignore[arg-type]
        return item


def stored(crawler: Any, write: Callable[[], None]) -> bool:
    """Run a store write; when the disk is full (or the store cannot be written at all) the
    spider stops, saying so once, and what arrives after that is counted, not stored: a
    re-run resumes once there is room."""
    if crawler.stats.get_value(stat_keys.STORE_FAILED):
        crawler.stats.inc_value(stat_keys.ITEMS_NOT_STORED)
        return False
    try:
        write()
        return True
    except sqlite3.OperationalError as exc:
        if not write_failure(exc):
            raise
        crawler.stats.set_value(stat_keys.STORE_FAILED, f"cannot write the store ({exc})")
        crawler.stats.inc_value(stat_keys.ITEMS_NOT_STORED)
        logger.error("%s: cannot write the store (%s): stopping", crawler.settings.get("PROSPECTOR_DB"), exc)
        deferred_from_coro(crawler.engine.close_spider_async(reason=stat_keys.REASON_STORE_FAILED))
        return False


def store_item(store: Store, stats: Stats, item: Any) -> None:
    """Store one item of any stage and count it: the single writer's one way in."""
    if isinstance(item, PageItem):
        store_page(store, stats, item)
    elif isinstance(item, CheckItem):
        store.save_check(item)
        stats.inc_value(stat_keys.verdict(item.verdict))
    elif isinstance(item, OwnPageFetch):
        store.save_own_page(item.page, item.status, item.error)
        stats.inc_value(stat_keys.OWN_PAGES_FETCHED if not item.error else stat_keys.OWN_PAGE_ERRORS)
    elif isinstance(item, ArchivedCopy):
        store.save_archived(asdict(item))
        stats.inc_value(stat_keys.archived(item.outcome))
    elif isinstance(item, SitePagesListed):
        store.save_site_pages(item.domain, item.pages, item.resume_key, complete=not item.resume_key)
        stats.inc_value(stat_keys.SITE_PAGES_LISTED, len(item.pages))
        stats.inc_value(stat_keys.SITE_LISTING_PAGES)


def store_page(store: Store, stats: Stats, page: PageItem) -> None:
    """A page, its problems (those a user must see are logged as warnings) and its counts."""
    for url, message, quiet in page.problems:
        store.add_problem("crawl", url, message)
        stats.inc_value(stat_keys.PAGE_PROBLEMS)
        page_logger.log(logging.INFO if quiet else logging.WARNING, "%s: %s", url, message)
    gone = store.save_page(page)
    if gone:  # links the page no longer carries (a re-crawl): never pitched again
        stats.inc_value(stat_keys.LINKS_GONE, gone)
    stats.inc_value(stat_keys.PAGES_STORED)
    if page.status is not None:
        stats.inc_value(stat_keys.PAGES_FETCHED)
    stats.inc_value(stat_keys.OCCURRENCES_STORED, len(page.occurrences))
    for key, count in page.counts.items():
        stats.inc_value(key, count)
