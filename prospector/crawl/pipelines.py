"""Item pipeline: every item goes to the store as soon as it arrives, one transaction each,
so a killed run loses at most the pages that were in flight."""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any, Protocol

from prospector.items import ArchivedCopy, CheckItem, OwnPageFetch, PageItem
from prospector.store import Store

page_logger = logging.getLogger("prospector.crawl.prospect")


class Stats(Protocol):
    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None: ...



class StorePipeline:
    def __init__(self, db_path: str, stats: Any):
        self.db_path = db_path
        self.stats = stats
        self.store: Store | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        return cls(crawler.settings.get("PROSPECTOR_DB"), crawler.stats)

    def open_spider(self, spider: Any = None) -> None:
        self.store = Store(self.db_path)

    def close_spider(self, spider: Any = None) -> None:
        if self.store:
            self.store.close()

    def process_item(self, item: Any, spider: Any = None) -> Any:
        assert self.store is not None
        store_item(self.store, self.stats, item)
        return item


def store_item(store: Store, stats: Stats, item: Any) -> None:
    """Store one item of any stage and count it: the single writer's one way in."""
    if isinstance(item, PageItem):
        store_page(store, stats, item)
    elif isinstance(item, CheckItem):
        store.save_check(item)
        stats.inc_value(f"prospector/verdict/{item.verdict}")
    elif isinstance(item, OwnPageFetch):
        store.save_own_page(item.page, item.status, item.error)
        stats.inc_value("prospector/own_pages_fetched" if not item.error else "prospector/own_page_errors")
    elif isinstance(item, ArchivedCopy):
        store.save_archived(asdict(item))
        stats.inc_value(f"prospector/archived/{item.outcome}")


def store_page(store: Store, stats: Stats, page: PageItem) -> None:
    """A page, its problems (those a user must see are logged as warnings) and its counts."""
    for url, message, quiet in page.problems:
        store.add_problem("crawl", url, message)
        stats.inc_value("prospector/page_problems")
        page_logger.log(logging.INFO if quiet else logging.WARNING, "%s: %s", url, message)
    store.save_page(page)
    stats.inc_value("prospector/pages_stored")
    if page.status is not None:
        stats.inc_value("prospector/pages_fetched")
    stats.inc_value("prospector/occurrences_stored", len(page.occurrences))
    for key, count in page.counts.items():
        stats.inc_value(f"prospector/{key}", count)
