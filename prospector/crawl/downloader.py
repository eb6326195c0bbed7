"""Scrapy's downloader with its per-site limit kept under the asyncio reactor.

Scrapy 2.19's `Downloader._process_queue` starts each download as an asyncio task and counts
it against the slot's CONCURRENT_REQUESTS_PER_DOMAIN only once the task runs — after the loop
that fills the slot has already emptied the queue. Measured at the fake web's server: six of a
site's pages at once with a limit of two. A request is counted as transferring from the moment
it is handed over instead (Scrapy's own `_download` adds and removes it again).
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from scrapy import Request
from scrapy.core.downloader import Downloader, Slot


class PoliteDownloader(Downloader):
    def _wait_for_download(self, slot: Slot, request: Request, queue_dfd: Any) -> Coroutine[Any, Any, None]:
        slot.transferring.add(request)
        return super()._wait_for_download(slot, request, queue_dfd)
