"""The worker's item pipeline: each result pushed with its lease's acknowledgement, in one
transaction, only while the lease is held."""

from __future__ import annotations

import logging
from typing import Any

from prospector.cluster import keys, messages
from prospector.cluster.messages import Leased
from prospector.cluster.worker_state import current_worker

logger = logging.getLogger(__name__)

class ResultPipeline:
    """Push each result to the coordinator and acknowledge its lease, in one step."""

    def __init__(self, crawler: Any):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> ResultPipeline:
        return cls(crawler)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, Leased):  # a result nobody would acknowledge: the coordinator would wait
            raise TypeError(f"a cluster spider yielded {type(item).__name__} without its lease")
        send(self.crawler.spider.name, item)
        return item


def send(stage: str, result: Leased) -> None:
    """Queue a result for the coordinator of the campaign its request came from, if the lease is
    still this worker's (a lease handed back, or a campaign cleared, is answered by nobody)."""
    worker = current_worker()
    campaign = worker.campaign_of(result.lease)
    if campaign is not None and not worker.answer(keys.in_flight(campaign, stage, worker.worker_id),
                                                  keys.results(campaign, stage), result.lease,
                                                  messages.encode(result)):
        logger.info("Result for %s not sent: its lease %s was no longer held", result.item.url, result.lease)
    worker.answered(stage, result.lease)
