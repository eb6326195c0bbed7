"""ArchiveSpider: what each dead page used to be, from the Internet Archive's last good capture.

For each dead URL (most valuable first) the CDX API lists its last captures that answered 200
with HTML; the newest one that is not a parked-domain or "not found" page is read raw
(`/web/<timestamp>id_/<url>`, without the archive's toolbar) for its title, description and
main text. A URL the archive never captured is stored as such, so a re-run asks only about the
others.

The archive is shared and strict: its staff have described about 30 requests a minute shared
by CDX and captures, and hour-long blocks, doubling, for clients that keep going through 429s.
So: one request at a time, at most PROSPECTOR_WAYBACK_RATE a minute (20), Retry-After
honoured, and after PROSPECTOR_WAYBACK_MAX_429 refusals (429) the spider stops, with a line
saying so; a re-run later resumes. The dead links are asked about in the order given (the
campaign gives the least certain first: match/certainty.py), else most valuable first; after
PROSPECTOR_WAYBACK_MINUTES no new one is (those under way finish), and an archive that cannot
be reached three times in a row (no name, no connection) is left for a later run.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode

from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.asyncio import sleep
from scrapy.utils.defer import deferred_from_coro
from twisted.python.failure import Failure

from prospector import settings as project_settings
from prospector import stat_keys
from prospector.crawl.base import StoreSpider
from prospector.crawl.content import read_own_page
from prospector.items import ArchivedCopy
from prospector.net.failures import describe_failure, error_of, request_of, too_large, unreachable
from prospector.verdict import PARKED, says_not_found

logger = logging.getLogger(__name__)

CAPTURES_ASKED = 5  # the last few good captures: the newest may be a parked or error page
TEXT_KEPT = 4_000  # characters of the capture's main text stored
UNREACHABLE_AFTER = 3  # failures to reach the archive in a row before the stage stops


class ArchiveRateGuard:
    """A downloader middleware: counts the archive's 429s (retries included) and closes the
    spider at PROSPECTOR_WAYBACK_MAX_429 of them, before the archive blocks the address. The
    count is for the whole run, not "in a row": while a refused request waits out its
    Retry-After, the next one goes, and an archive that is refusing us says so more than once."""

    def __init__(self, crawler: Any):
        self.crawler = crawler
        self.limit = crawler.settings.getint("PROSPECTOR_WAYBACK_MAX_429")
        self.refused = 0

    @classmethod
    def from_crawler(cls, crawler: Any) -> ArchiveRateGuard:
        if crawler.settings.getint("PROSPECTOR_WAYBACK_MAX_429") <= 0:
            raise NotConfigured
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        if response.status != 429:
            return response
        self.refused += 1
        self.crawler.stats.inc_value(stat_keys.ARCHIVE_429)
        if self.refused == self.limit:
            message = (f"the Internet Archive refused {self.refused} requests (429 Too Many Requests); stopped so as "
                       f"not to be blocked. What was read is kept: run 'prospector {self.crawler.spider.name}' again "
                       "in an hour to resume")
            self.crawler.spider.store.add_problem("archive", self.crawler.spider.endpoint, message)
            self.crawler.stats.set_value(stat_keys.ARCHIVE_STOPPED, message)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="archive_rate_limited"))
        return response


class ArchiveSpider(StoreSpider):
    name = "archive"
    left_for_later = "the dead links not asked about yet wait for a later run (prospector archive)"
    custom_settings = {
        "ROBOTSTXT_OBEY": False,  # an API, used as its operators ask (rate, Retry-After)
        "CONCURRENT_REQUESTS": 1,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "RANDOMIZE_DOWNLOAD_DELAY": False,
        "DOWNLOAD_DELAY_JITTER": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "HTTPERROR_ALLOW_ALL": True,
        "RETRY_HTTP_CODES": [429, 500, 502, 503, 504, 522, 524, 408],
        "COOKIES_ENABLED": False,
        "DOWNLOADER_MIDDLEWARES": {
            **project_settings.DOWNLOADER_MIDDLEWARES,
            # Inside the retry middleware (550): sees every 429, each retry's too.
            "prospector.crawl.archive.ArchiveRateGuard": 560,
        },
    }

    def __init__(self, urls: list[str] | None = None, endpoint: str = "", **kwargs: Any):
        super().__init__(**kwargs)
        self.urls = list(urls or [])
        self.endpoint = endpoint.rstrip("/")
        self.unreached = 0  # failures to reach the archive in a row

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        super().update_settings(settings)
        # The slot waits this long between two requests to the archive (CDX or capture alike).
        settings.set("DOWNLOAD_DELAY", 60.0 / settings.getfloat("PROSPECTOR_WAYBACK_RATE"), priority="spider")

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> ArchiveSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.endpoint = spider.endpoint or crawler.settings.get("PROSPECTOR_WAYBACK_ENDPOINT").rstrip("/")
        return spider

    async def start(self) -> AsyncIterator[Request]:
        urls = self.urls or self.store.urls_to_archive()
        self.crawler.stats.set_value(stat_keys.URLS_TO_ARCHIVE, len(urls))
        minutes = self.crawler.settings.getfloat("PROSPECTOR_WAYBACK_MINUTES")
        deadline = time.monotonic() + minutes * 60 if minutes > 0 else None
        for url in urls:
            await self._previous_done()
            if deadline is not None and time.monotonic() >= deadline:
                self.crawler.stats.set_value(stat_keys.ARCHIVE_BUDGET_SPENT, 1)
                logger.info("Asked the archive for %g minutes: the other dead links wait for a later run", minutes)
                return
            query = urlencode([("url", url), ("output", "json"), ("fl", "timestamp,original,statuscode,mimetype"),
                               ("filter", "statuscode:200"), ("filter", "mimetype:text/html"),
                               ("limit", str(-CAPTURES_ASKED))])
            yield Request(f"{self.endpoint}/cdx/search/cdx?{query}", callback=self.parse_captures,
                          errback=self.failed, meta={"dead_url": url}, dont_filter=True)

    async def _previous_done(self) -> None:
        """Wait until the link asked about before is done (its captures listed and read): one
        link at a time anyway, as the rate allows, and the time budget is then checked against
        what was asked, not against what Scrapy had queued."""
        engine = self.crawler.engine
        while (engine.downloader.active or (engine.scraper.slot and not engine.scraper.slot.is_idle())
               or (engine.scheduler and engine.scheduler.has_pending_requests())):
            await sleep(0.05)

    def parse_captures(self, response: Response) -> Iterator[Any]:
        url = response.meta["dead_url"]
        self.unreached = 0
        if response.status != 200:
            yield ArchivedCopy(url, "error", detail=f"the archive answered {response.status}")
            return
        try:
            stamps = capture_stamps(response.text or "[]")
        except ValueError as exc:
            yield ArchivedCopy(url, "error", detail=str(exc))
            return
        if not stamps:
            yield ArchivedCopy(url, "none", detail="never captured with a 200 HTML answer")
            return
        yield from self._read_next(url, stamps, [])

    def _read_next(self, url: str, stamps: list[str], passed: list[str]) -> Iterator[Any]:
        """The newest capture still to try, or the verdict on them all."""
        if not stamps:
            yield ArchivedCopy(url, "none", detail="its captures are " + "; ".join(passed))
            return
        yield Request(f"{self.endpoint}/web/{stamps[0]}id_/{url}", callback=self.parse_capture,
                      errback=self.failed, dont_filter=True,
                      meta={"dead_url": url, "stamps": stamps, "passed": passed})

    def parse_capture(self, response: Response) -> Iterator[Any]:
        url, stamps, passed = response.meta["dead_url"], response.meta["stamps"], response.meta["passed"]
        stamp = stamps[0]
        try:
            content = read_own_page(response.body) if response.status == 200 else None
        except Exception as exc:  # a capture that cannot be read is passed over, like an error page
            logger.info("%s: capture %s could not be read (%r)", url, stamp, exc)
            content = None
        why = ("answered " + str(response.status)) if content is None else \
            "a parked domain" if PARKED.search(content.title) else \
            "a 'not found' page" if says_not_found(content.title) else ""
        if why:
            yield from self._read_next(url, stamps[1:], [*passed, f"{capture_day(stamp)}: {why}"])
            return
        assert content is not None
        yield ArchivedCopy(url, "captured", archived_url=f"{self.endpoint}/web/{stamp}/{url}",
                           archived_at=capture_day(stamp), title=content.title, description=content.description,
                           text=content.text[:TEXT_KEPT])

    def failed(self, failure: Failure) -> Iterator[Any]:
        meta, error = request_of(failure).meta, error_of(failure)
        if unreachable(error):
            self._unreached(describe_failure(failure))
        if "stamps" in meta and too_large(error):  # this capture only: try the one before
            why = f"{capture_day(meta['stamps'][0])}: larger than the size cap"
            yield from self._read_next(meta["dead_url"], meta["stamps"][1:], [*meta["passed"], why])
            return
        yield ArchivedCopy(meta["dead_url"], "error", detail=describe_failure(failure))

    def _unreached(self, why: str) -> None:
        """Stop after UNREACHABLE_AFTER failures in a row to reach the archive: offline, or
        the endpoint is wrong; the rest is for a later run."""
        self.unreached += 1
        if self.unreached != UNREACHABLE_AFTER:
            return
        message = (f"the Internet Archive could not be reached ({why}, {self.unreached} times in a row); "
                   f"{self.left_for_later}")
        self.store.add_problem("archive", self.endpoint, message)
        self.crawler.stats.set_value(stat_keys.ARCHIVE_STOPPED, message)
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="archive_unreachable"))


def cdx_rows(text: str) -> list[list[str]]:
    """The rows of a CDX answer (`output=json`: a header row, then one row per capture), or
    ValueError saying why it is not such a listing."""
    try:
        rows = json.loads(text)
    except ValueError:
        raise ValueError("the archive's answer was not JSON") from None
    if not isinstance(rows, list) or not all(isinstance(r, list) and all(isinstance(c, str) for c in r)
                                             for r in rows):
        raise ValueError("the archive's answer was not a CDX listing (rows of text)")
    return rows


def capture_stamps(text: str) -> list[str]:
    """The timestamps of a CDX answer, newest first; ValueError saying why when the answer is
    not such a listing."""
    rows = cdx_rows(text)
    if not rows:
        return []
    header, captures = rows[0], rows[1:]
    if "timestamp" not in header:
        raise ValueError("the archive's answer has no timestamp column")
    at = header.index("timestamp")
    stamps = [row[at] for row in captures if len(row) > at]
    if not all(re.fullmatch(r"\d{4,14}", stamp) for stamp in stamps):
        raise ValueError("the archive's answer has timestamps that are not YYYYMMDDhhmmss")
    return list(reversed(stamps))


def capture_day(stamp: str) -> str:
    return f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}" if len(stamp) >= 8 else stamp
