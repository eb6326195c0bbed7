"""What every prospector spider shares: a connection to the store, for the run's life."""

from __future__ import annotations

from typing import Any

from scrapy import Spider

from prospector.store import Store


class StoreSpider(Spider):
    """Opens the store named by PROSPECTOR_DB when built; closes it when the spider closes.
    (Writes go through StorePipeline, which has a connection of its own.)"""

    store: Store

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> Any:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.store = Store(crawler.settings.get("PROSPECTOR_DB"))
        return spider

    def closed(self, reason: str) -> None:
        self.store.close()
