"""What every prospector spider shares: a connection to the store, for the run's life."""

from __future__ import annotations

from functools import cached_property

from scrapy import Spider

from prospector.store import Store


class StoreSpider(Spider):
    """Opens the store named by PROSPECTOR_DB when first used; closes it when the spider
    closes. (Writes go through StorePipeline, which has a connection of its own; a cluster
    worker's spiders never open it.)"""

    @cached_property
    def store(self) -> Store:
        return Store(self.crawler.settings.get("PROSPECTOR_DB"))

    def closed(self, reason: str) -> None:
        if "store" in self.__dict__:
            self.store.close()
