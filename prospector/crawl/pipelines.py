"""Item pipeline: every item goes to the store as soon as it arrives, one transaction each,
so a killed run loses at most the pages that were in flight."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from prospector.items import ArchivedCopy, CheckItem, OwnPageFetch, PageItem
from prospector.store import Store


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
        if isinstance(item, PageItem):
            self.store.save_page(item)
            self.stats.inc_value("prospector/pages_stored")
            if item.status is not None:
                self.stats.inc_value("prospector/pages_fetched")
            self.stats.inc_value("prospector/occurrences_stored", len(item.occurrences))
        elif isinstance(item, CheckItem):
            self.store.save_check(item)
            self.stats.inc_value(f"prospector/verdict/{item.verdict}")
        elif isinstance(item, OwnPageFetch):
            self.store.save_own_page(item.page, item.status, item.error)
            self.stats.inc_value("prospector/own_pages_fetched" if not item.error else "prospector/own_page_errors")
        elif isinstance(item, ArchivedCopy):
            self.store.save_archived(asdict(item))
            self.stats.inc_value(f"prospector/archived/{item.outcome}")
        return item
