"""LinkCheckSpider: check every unique outbound URL once and store a verdict with its reason.

Per URL: one request, following redirects (Scrapy's RedirectMiddleware keeps the chain) and
retrying transient answers with back-off (BackoffRetryMiddleware). With soft-404 detection on
(the default) that request is a GET that reads only the first PROSPECTOR_PEEK_BYTES of the
body: the page's title is needed anyway, and a HEAD first would double the requests to every
live page. With it off, HEAD goes first, and a GET follows only when HEAD's answer cannot be
trusted (4xx/5xx: servers mishandle HEAD, and a false "dead" is the costliest mistake) or HEAD
broke oddly. The verdict itself is `prospector.verdict.judge`.
"""

from __future__ import annotations

import logging
import re
import time
import zlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import lxml.html
from lxml import etree
from scrapy import Request
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response
from twisted.internet import error as twisted_errors
from twisted.python.failure import Failure

from prospector import settings as project_settings
from prospector import stat_keys
from prospector.crawl.base import StoreSpider
from prospector.items import CheckItem
from prospector.net.failures import error_of, failure_detail, request_of, wrapped_causes
from prospector.net.resolver import AddressRefused, DnsFailure
from prospector.resource_score import explained, resource_score, signals_of
from prospector.store import Store
from prospector.urls import host_of, registered_domain
from prospector.verdict import (
    ALIVE,
    OTHER,
    REDIRECT_LOOP,
    REFUSED,
    RESET,
    TIMEOUT,
    TLS,
    TOO_MANY_REDIRECTS,
    Observation,
    judge,
)

logger = logging.getLogger(__name__)

_TITLE = re.compile(rb"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)


def needs_get(head_status: int) -> bool:
    """Whether a HEAD answer must be confirmed with a GET. Not after 429: it was already
    retried with back-off, and a GET would be refused as well."""
    return head_status >= 400 and head_status != 429


def transport_error(exc: BaseException) -> str:
    """Classify a failed download into one of verdict.py's transport error kinds."""
    if any(_is_tls_failure(e) for e in wrapped_causes(exc)):
        return TLS
    name = type(exc).__name__.lower()
    if isinstance(exc, (DownloadConnectionRefusedError, twisted_errors.ConnectionRefusedError)):
        return REFUSED
    if isinstance(exc, (DownloadTimeoutError, twisted_errors.TimeoutError, TimeoutError)):
        return TIMEOUT
    if "ssl" in name or "tls" in name or "certificate" in str(exc).lower():
        return TLS
    if isinstance(exc, (ResponseDataLossError, DownloadFailedError, twisted_errors.ConnectionLost,
                        twisted_errors.ConnectionDone)):
        return RESET
    return OTHER


def _is_tls_failure(exc: BaseException) -> bool:
    """An OpenSSL error in the handshake, or service_identity's host name mismatch."""
    kind = type(exc)
    return kind.__module__.startswith(("OpenSSL", "service_identity")) or "certificate" in str(exc).lower()


def page_signals(body: bytes, encoding: str) -> tuple[str, str, Any]:
    """Title and the start of the visible text (first heading first) of a page's beginning,
    and the document parsed (None when it cannot be)."""
    match = _TITLE.search(body)
    title = " ".join(match.group(1).decode(encoding, "replace").split()) if match else ""
    try:
        doc = lxml.html.document_fromstring(body.decode(encoding, "replace"))
    except (etree.ParserError, ValueError):
        return title, "", None
    for bad in doc.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    heading = next((" ".join(h.text_content().split()) for h in doc.iter("h1", "h2")), "")
    text = " ".join(doc.text_content().split())[:500]
    return title, f"{heading}\n{text}", doc


@dataclass(frozen=True)
class ReadPage:
    """The start of a page the check read: the document parsed, where it ended, its title."""

    doc: Any
    url: str
    title: str


def resource_of(doc: Any, url: str, title: str) -> tuple[float, str]:
    """A live page's resource score and why, from the part of it read (suggested_prospects.csv)."""
    signals = signals_of(doc, url, registered_domain(host_of(url)), title, "")
    return resource_score(signals), explained(signals)


def urls_due(store: Store, recheck_after_days: float) -> list[str]:
    """The unique outbound URLs never checked, or checked more than `recheck_after_days` ago."""
    cutoff = datetime.now(UTC) - timedelta(days=recheck_after_days)
    return list(store.urls_to_check(cutoff.isoformat(timespec="seconds")))


@dataclass(frozen=True)
class CheckState:
    url: str
    started: float
    head_status: int | None = None
    lease: str = ""  # on a cluster worker: the lease of the request this check answers


class LinkCheckSpider(StoreSpider):
    name = "links"
    peek_bytes: int  # PROSPECTOR_PEEK_BYTES: how much of a GET body is read for a title and text
    soft404_check: bool  # PROSPECTOR_SOFT404_CHECK
    custom_settings = {
        "ROBOTSTXT_OBEY": False,  # one request per URL is a check, not a crawl
        # A browser shows its reader an error page for an expired, self-signed or wrong-host
        # certificate: so does the check (the system's trust store, plus --ca-bundle).
        "DOWNLOAD_VERIFY_CERTIFICATES": True,
        "HTTPERROR_ALLOW_ALL": True,
        "REDIRECT_MAX_TIMES": 10,
        "METAREFRESH_ENABLED": False,
        "COOKIES_ENABLED": False,
        "REFERRER_POLICY": "no-referrer",
        "CONCURRENT_REQUESTS": 128,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 4,
        "CONCURRENT_ITEMS": 1,
        "AUTOTHROTTLE_ENABLED": False,
        # Thousands of hosts: DownloaderAwarePriorityQueue scans every slot per request.
        "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.ScrapyPriorityQueue",
        "DOWNLOADER_STATS": False,
        # Per-request work that a link check does not need.
        # (A spider's dict replaces the project's: keep prospector's middlewares in it.)
        "DOWNLOADER_MIDDLEWARES": {
            **project_settings.DOWNLOADER_MIDDLEWARES,
            "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
            "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware": None,
            # Outermost for exceptions: asks why a certificate failed, once per URL.
            "prospector.net.tls.TlsDiagnosisMiddleware": 50,
        },
        "SPIDER_MIDDLEWARES": {
            "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
            "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware": None,
            "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
        },
    }

    def __init__(self, recheck_after_days: float | str | None = None, shard: str = "",
                 urls: list[str] | str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        # Only these URLs, checked again however recently (verify before sending); a string
        # is a file of one URL per line (`scrapy crawl links -a urls=FILE`).
        self.only = (Path(urls).read_text(encoding="utf-8").split() if isinstance(urls, str) else urls) \
            if urls else None
        self.recheck_after_days = float(recheck_after_days) if recheck_after_days not in (None, "") else None
        index, _, count = (shard or "0/1").partition("/")
        self.shard, self.shards = int(index), int(count)  # this process checks URLs of its shard

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> LinkCheckSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.peek_bytes = settings.getint("PROSPECTOR_PEEK_BYTES")
        spider.soft404_check = settings.getbool("PROSPECTOR_SOFT404_CHECK")
        if spider.recheck_after_days is None:
            spider.recheck_after_days = settings.getfloat("PROSPECTOR_RECHECK_AFTER_DAYS")
        return spider

    async def start(self) -> AsyncIterator[Request]:
        listed = self.only if self.only is not None else urls_due(self.store, self.recheck_after_days or 0)
        urls = [u for u in listed if self.shards == 1 or zlib.crc32(u.encode()) % self.shards == self.shard]
        self.crawler.stats.set_value(stat_keys.URLS_TO_CHECK, len(urls))
        method = "GET" if self.soft404_check else "HEAD"
        for url in urls:
            yield self._request(CheckState(url, time.monotonic()), method)

    def _request(self, state: CheckState, method: str) -> Request:
        meta: dict[str, Any] = {"check": state}
        if method == "GET":  # the start of a page only, nothing of a file (crawl/partial.py)
            meta["read_up_to"] = self.peek_bytes
            meta["headers_only_unless_html"] = True
        return Request(state.url, method=method, callback=self.answered, errback=self.failed,
                       dont_filter=True, meta=meta)

    def answered(self, response: Response) -> Iterator[Any]:
        state: CheckState = response.meta["check"]
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        title = text = ""
        doc = None
        method = response.request.method if response.request else "GET"
        if method == "GET" and response.body and "html" in content_type.lower():
            title, text, doc = page_signals(response.body[: self.peek_bytes], _encoding(response))
        observation = Observation(
            url=state.url,
            status=response.status,
            method=method,
            head_status=state.head_status,
            chain=_chain(response.meta),
            final_url=response.url,
            title=title,
            text=text,
            attempts=response.meta.get("retry_times", 0) + 1,
            retry_after_refused=bool(response.meta.get("retry_after_refused")),
        )
        if method == "HEAD" and needs_get(response.status):
            yield self._request(replace(state, head_status=response.status), "GET")
            return
        yield self._finish(state, observation, ReadPage(doc, response.url, title) if doc is not None else None)

    def failed(self, failure: Failure) -> Iterator[Any]:
        request = request_of(failure)
        state: CheckState = request.meta["check"]
        exc = error_of(failure)
        kind = transport_error(exc)
        if request.method == "HEAD" and kind in (RESET, OTHER) and not isinstance(
            exc, (DnsFailure, AddressRefused, IgnoreRequest, CannotResolveHostError)
        ):
            yield self._request(state, "GET")  # HEAD broke oddly: some servers only do GET
            return
        observation = Observation(
            url=state.url,
            method=request.method,
            head_status=state.head_status,
            chain=_chain(request.meta),
            attempts=request.meta.get("retry_times", 0) + 1,
        )
        if isinstance(exc, DnsFailure):
            observation = replace(observation, dns_outcome=exc.answer.outcome, dns_detail=exc.answer.detail)
        elif isinstance(exc, AddressRefused):
            observation = replace(observation, refused=f"{exc.host}: {exc.reason}")
        elif isinstance(exc, CannotResolveHostError):
            observation = replace(observation, dns_outcome="error", dns_detail=str(exc) or "lookup failed")
        elif isinstance(exc, IgnoreRequest) and "redirect" in str(exc).lower():
            urls = request.meta.get("redirect_urls", [])
            loop = len(set(urls)) < len(urls) or request.url in urls
            observation = replace(observation, error=REDIRECT_LOOP if loop else TOO_MANY_REDIRECTS)
        else:
            why = request.meta.get("tls_verify_message", "")
            observation = replace(observation, error=kind,
                                  error_detail=f"{why}; {failure_detail(exc)}" if why else failure_detail(exc))
        yield self._finish(state, observation)

    def _finish(self, state: CheckState, observation: Observation, page: ReadPage | None = None) -> CheckItem:
        """The item for a URL; with the `page` read (a live one), its resource score too."""
        judgement = judge(observation)
        score, why = resource_of(page.doc, page.url, page.title) if page and judgement.verdict == ALIVE else (None, "")
        return CheckItem(
            url=state.url,
            verdict=judgement.verdict,
            reason=judgement.reason,
            reason_code=judgement.code,
            status=observation.status,
            final_url=observation.final_url,
            redirect_chain=list(observation.chain),
            method=observation.method,
            attempts=observation.attempts,
            elapsed_ms=round((time.monotonic() - state.started) * 1000),
            resource_score=score,
            resource_why=why,
        )


def _chain(meta: dict[str, Any]) -> tuple[tuple[str, int], ...]:
    urls = meta.get("redirect_urls", [])
    reasons = meta.get("redirect_reasons", [])
    return tuple((u, r if isinstance(r, int) else 0) for u, r in zip(urls, reasons, strict=False))


def _encoding(response: Response) -> str:
    return getattr(response, "encoding", None) or "utf-8"
