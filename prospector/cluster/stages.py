"""The crawl and the check run by a coordinator over the cluster: the same frontier, verdicts
and store writes as on one machine (crawl/frontier.py, crawl/pipelines.py), the fetching done
by the workers."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta, timezone
from typing import Any

from scrapy import Request
from scrapy.settings import Settings

from prospector.cluster.coordinator import StageCoordinator, Tally, coordinator_lock, sigterm_as_interrupt
from prospector.cluster.worker import ClusterCheckSpider, ClusterCrawlSpider
from prospector.crawl.frontier import Frontier
from prospector.crawl.pipelines import store_item
from prospector.crawl.prospect import load_prospects
from prospector.inputs import InputFileError
from prospector.items import PageItem
from prospector.progress import ClusterProgress
from prospector.stages import BY_NAME
from prospector.store import Store

logger = logging.getLogger(__name__)


def crawl(server: Any, settings: Settings, kwargs: dict[str, Any], lease_s: float,
          note: Callable[[str], None]) -> dict[str, Any]:
    """The crawl stage over the cluster; its stats, as the spider's would be."""
    spider = ClusterCrawlSpider()
    spider.size_cap = settings.getint("DOWNLOAD_MAXSIZE")
    tally = Tally()
    with Store(settings.get("PROSPECTOR_DB")) as store:
        ids: list[int] = []
        if kwargs.get("prospects"):
            try:
                ids, problems = load_prospects(store, kwargs["prospects"])
            except InputFileError as exc:
                logger.error("%s", exc)
                return {"finish_reason": "finished", "prospector/input_error": str(exc)}
            for line in problems:
                logger.error("%s", line)
            tally["prospector/bad_rows"] = len(problems)
        frontier = Frontier(store, settings.getint("PROSPECTOR_MAX_PAGES"), settings.getint("PROSPECTOR_MAX_DEPTH"),
                            settings.getint("URLLENGTH_LIMIT", 2083))
        budget = frontier.open(ids)

        def answer(page: PageItem, expected: bool) -> Iterable[Request]:
            crawl = frontier.crawls.get(page.prospect_id)
            if not expected:  # queued by a coordinator before this one …
                if crawl is not None and page.url in crawl.visited:
                    return []  # … which stored it, then died before taking it off the list
                frontier.adopt(page.prospect_id, page.url)
            if crawl is None:
                store_item(store, tally, page)
                return []
            crawl = frontier.done(page)
            store_item(store, tally, page)
            return [spider.page_request(visit) for visit in frontier.release(crawl)]

        def adopt(url: str, meta: dict[str, Any]) -> bool:
            crawl = frontier.crawls.get(meta["prospect_id"])
            if crawl is not None and meta["page_url"] in crawl.visited:
                return False  # stored already
            frontier.adopt(meta["prospect_id"], meta["page_url"])
            return True

        reason = _coordinate(server, spider, answer, adopt, lease_s, note, settings, "crawl", budget,
                             lambda: (spider.page_request(visit) for visit in frontier.release_all()))
    return {"finish_reason": reason, **tally}


def check(server: Any, settings: Settings, kwargs: dict[str, Any], lease_s: float,
          note: Callable[[str], None]) -> dict[str, Any]:
    """The check stage over the cluster: each unique URL once; its stats."""
    spider = ClusterCheckSpider()
    spider.soft404_check = settings.getbool("PROSPECTOR_SOFT404_CHECK")
    spider.peek_bytes = settings.getint("PROSPECTOR_PEEK_BYTES")
    tally = Tally()
    with Store(settings.get("PROSPECTOR_DB")) as store:
        if kwargs.get("urls") is not None:
            urls = list(kwargs["urls"])
        else:
            days = float(kwargs.get("recheck_after_days") or settings.getfloat("PROSPECTOR_RECHECK_AFTER_DAYS"))
            cutoff = datetime.now(timezone.utc) - timedelta(days=days)
            urls = list(store.urls_to_check(cutoff.isoformat(timespec="seconds")))
        tally["prospector/urls_to_check"] = len(urls)

        def answer(item: Any, expected: bool) -> Iterable[Request]:
            store_item(store, tally, item)
            tally["item_scraped_count"] += 1
            return []

        reason = _coordinate(server, spider, answer, lambda url, meta: True, lease_s, note, settings, "check",
                             len(urls), lambda: (spider.root_request(url) for url in urls))
    return {"finish_reason": reason, **tally}


def _coordinate(server: Any, spider: Any, answer: Any, adopt: Any, lease_s: float, note: Callable[[str], None],
                settings: Settings, stage: str, total: int, seeds: Callable[[], Iterable[Request]]) -> str:
    with sigterm_as_interrupt(), coordinator_lock(server) as renew, \
            ClusterProgress(BY_NAME[stage].progress_label, total, settings.getbool("PROSPECTOR_PROGRESS")) as bar:
        coordinator = StageCoordinator(server, spider, answer, adopt, lease_s, bar, note, renew)
        try:
            found = coordinator.recover()
            if found:
                note(f"Resuming: {found} {stage} requests were still queued, in flight or waiting to be stored.")
            coordinator.push(seeds())
            return coordinator.run()
        except KeyboardInterrupt:  # what is stored stays, what is queued stays queued: a re-run resumes
            return "shutdown"
