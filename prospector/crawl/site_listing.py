"""SiteListingSpider: the pages a dead or moved site used to have, from the Internet Archive's
CDX API (`prospector deadsite DOMAIN`).

One query for the whole domain and its subdomains (`matchType=domain`), the captures that
answered 200 with HTML, one row per URL (`collapse=urlkey`), a page of PROSPECTOR_DEADSITE_ROWS
rows at a time: with `showResumeKey=true` a page that is not the last ends with an empty row
and the key to ask for the next one (`resumeKey=`). Each page is stored with that key, so a
listing stopped half-way (Ctrl-C, 429s, the archive unreachable) resumes at the page it had
reached. The archive stage's politeness holds: the same spider settings, rate and 429 guard.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode

from scrapy import Request
from scrapy.http import Response
from twisted.python.failure import Failure

from prospector.crawl.archive import ArchiveSpider, capture_day, cdx_rows
from prospector.items import SitePagesListed
from prospector.net.failures import describe_failure, error_of, unreachable
from prospector.urls import InvalidUrl, normalise, on_site

logger = logging.getLogger(__name__)


class SiteListingSpider(ArchiveSpider):
    name = "deadsite"
    left_for_later = "the rest of the listing waits for a later run (prospector deadsite)"

    def __init__(self, domain: str = "", **kwargs: Any):
        super().__init__(**kwargs)
        self.domain = domain

    async def start(self) -> AsyncIterator[Request]:
        listing = self.store.site_listing(self.domain)
        if listing.complete:
            return
        yield self._page(listing.resume_key)

    def _page(self, resume_key: str) -> Request:
        rows = self.crawler.settings.getint("PROSPECTOR_DEADSITE_ROWS")
        query = [("url", self.domain), ("matchType", "domain"), ("output", "json"), ("fl", "original,timestamp"),
                 ("filter", "statuscode:200"), ("filter", "mimetype:text/html"), ("collapse", "urlkey"),
                 ("showResumeKey", "true"), ("limit", str(rows))]
        if resume_key:
            query.append(("resumeKey", resume_key))
        return Request(f"{self.endpoint}/cdx/search/cdx?{urlencode(query)}", callback=self.parse_listing,
                       errback=self.failed, dont_filter=True, meta={"resume_key": resume_key})

    def parse_listing(self, response: Response) -> Iterator[Any]:
        self.unreached = 0
        if response.status != 200:
            self._stop(f"listing {self.domain}: the archive answered {response.status} to the listing")
            return
        try:
            pages, resume_key = listing_rows(response.text or "[]")
        except ValueError as exc:
            self._stop(f"listing {self.domain}: {exc}")
            return
        kept = []
        for original, stamp in pages:
            try:
                url = normalise(original)
            except InvalidUrl:
                continue
            if on_site(url, self.domain):
                kept.append((url, capture_day(stamp)))
        if resume_key and resume_key == response.meta.get("resume_key"):  # the same page again: never ends
            self._stop(f"listing {self.domain}: the archive gave the same resume key twice ({resume_key!r})")
            return
        yield SitePagesListed(self.domain, tuple(kept), resume_key)
        if resume_key:
            yield self._page(resume_key)

    def failed(self, failure: Failure) -> Iterator[Any]:
        if unreachable(error_of(failure)):
            self._unreached(describe_failure(failure))
        else:
            self._stop(f"listing {self.domain}: {describe_failure(failure)}")
        yield from ()

    def _stop(self, message: str) -> None:
        """Said once: the listing stops here, and the next run resumes at this page."""
        message += "; what was listed is kept, and the next run resumes the listing there"
        logger.warning("%s", message)
        self.store.add_problem("deadsite", self.endpoint, message)


def listing_rows(text: str) -> tuple[list[tuple[str, str]], str]:
    """A CDX answer with `fl=original,timestamp&showResumeKey=true`: its (original, timestamp)
    rows and the resume key ("" when there is none); ValueError saying why when the answer is
    not such a listing."""
    rows = cdx_rows(text)
    resume_key = ""
    if len(rows) >= 2 and rows[-2] == [] and len(rows[-1]) == 1:
        resume_key, rows = rows[-1][0], rows[:-2]
    if not rows:
        return [], resume_key
    header = rows[0]
    if "original" not in header or "timestamp" not in header:
        raise ValueError("the archive's answer has no original or timestamp column")
    at, when = header.index("original"), header.index("timestamp")
    return [(row[at], row[when]) for row in rows[1:] if len(row) > max(at, when)], resume_key
