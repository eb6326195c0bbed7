"""The crawl and the check run by a coordinator over the cluster: the same frontier, verdicts
and store writes as on one machine (crawl/frontier.py, crawl/pipelines.py), the fetching done
by the workers."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from scrapy import Request
from scrapy.settings import Settings

from prospector import stat_keys
from prospector.cluster.coordinator import CampaignId, StageCoordinator, Tally, coordinator_lock, sigterm_as_interrupt
from prospector.cluster.spiders import ClusterCheckSpider, ClusterCrawlSpider
from prospector.crawl.check import urls_due
from prospector.crawl.frontier import Frontier, recrawl_before
from prospector.crawl.pipelines import store_item
from prospector.crawl.prospect import read_prospect_list
from prospector.items import PageItem
from prospector.progress import ClusterProgress
from prospector.stages import BY_NAME
from prospector.store import Store


def crawl(server: Any, settings: Settings, kwargs: dict[str, Any], lease_s: float,
          note: Callable[[str], None]) -> dict[str, Any]:
    """The crawl stage over the cluster; its stats, as the spider's would be."""
    spider = ClusterCrawlSpider()
    spider.size_cap = settings.getint("DOWNLOAD_MAXSIZE")
    tally = Tally()
    with Store(settings.get("PROSPECTOR_DB")) as store:
        ids: list[int] | None = []
        if kwargs.get("prospects"):
            ids = read_prospect_list(store, kwargs["prospects"], tally)
            if ids is None:
                return {"finish_reason": "finished", **tally}
        frontier = Frontier(store, settings.getint("PROSPECTOR_MAX_PAGES"), settings.getint("PROSPECTOR_MAX_DEPTH"),
                            settings.getint("URLLENGTH_LIMIT", 2083), recrawl_before(settings))
        budget = frontier.open(ids or [])

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

        reason = _coordinate(server, spider, _campaign(store), answer, adopt, lease_s, note, settings, "crawl",
                             budget, lambda: (spider.page_request(visit) for visit in frontier.release_all()))
    return {"finish_reason": reason, **tally}


def check(server: Any, settings: Settings, kwargs: dict[str, Any], lease_s: float,
          note: Callable[[str], None]) -> dict[str, Any]:
    """The check stage over the cluster: each unique URL once; its stats."""
    spider = ClusterCheckSpider()
    spider.soft404_check = settings.getbool("PROSPECTOR_SOFT404_CHECK")
    spider.peek_bytes = settings.getint("PROSPECTOR_PEEK_BYTES")
    tally = Tally()
    with Store(settings.get("PROSPECTOR_DB")) as store:
        urls = list(kwargs["urls"]) if kwargs.get("urls") is not None else \
            urls_due(store, settings.getfloat("PROSPECTOR_RECHECK_AFTER_DAYS"))
        tally[stat_keys.URLS_TO_CHECK] = len(urls)

        def answer(item: Any, expected: bool) -> Iterable[Request]:
            store_item(store, tally, item)
            tally[stat_keys.ITEMS_SCRAPED] += 1
            return []

        reason = _coordinate(server, spider, _campaign(store), answer, lambda url, meta: True, lease_s, note,
                             settings, "check", len(urls), lambda: (spider.root_request(url) for url in urls))
    return {"finish_reason": reason, **tally}


def _campaign(store: Store) -> CampaignId:
    return CampaignId(store.campaign_id(), str(store.path.resolve()))


def _coordinate(server: Any, spider: Any, campaign: CampaignId, answer: Any, adopt: Any, lease_s: float,
                note: Callable[[str], None], settings: Settings, stage: str, total: int,
                seeds: Callable[[], Iterable[Request]]) -> str:
    with sigterm_as_interrupt(), coordinator_lock(server, campaign) as renew, \
            ClusterProgress(BY_NAME[stage].progress_label, total, settings.getbool("PROSPECTOR_PROGRESS")) as bar:
        coordinator = StageCoordinator(server, spider, campaign.id, answer, adopt, lease_s, bar, note, renew)
        try:
            found = coordinator.recover()
            if found:
                note(f"Resuming: {found} {stage} requests were still queued, in flight or waiting to be stored.")
            coordinator.push(seeds())
            return coordinator.run()
        except KeyboardInterrupt:  # what is stored stays, what is queued stays queued: a re-run resumes
            return "shutdown"
