"""Retries with exponential back-off that honour `Retry-After` (Scrapy's own retry does not)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response


def retry_after_seconds(header: str | None, now: datetime | None = None) -> float | None:
    """Seconds asked for by a Retry-After header (delta-seconds or an HTTP date), or None."""
    if not header:
        return None
    header = header.strip()
    if header.isdigit():
        return float(header)
    try:
        when = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def retry_delay(attempt: int, retry_after: float | None, base: float, cap: float) -> float | None:
    """How long to wait before retry number `attempt` (1, 2, …); None: the server asked for
    longer than `cap`, so retrying now would only be refused again."""
    if retry_after is not None:
        return retry_after if retry_after <= cap else None
    return min(cap, base * 2 ** (attempt - 1))


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware (same settings, same stats), waiting before each retry."""

    def __init__(self, settings: Any):
        super().__init__(settings)
        self.base = settings.getfloat("PROSPECTOR_RETRY_BACKOFF", 1.0)
        self.cap = settings.getfloat("PROSPECTOR_RETRY_AFTER_MAX", 60.0)

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response, spider: Any = None
    ) -> Request | Response:
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        header = response.headers.get(b"Retry-After")
        wait = retry_delay(
            request.meta.get("retry_times", 0) + 1,
            retry_after_seconds(header.decode("latin-1") if header else None),
            self.base,
            self.cap,
        )
        if wait is None:
            request.meta["retry_after_refused"] = True
            return response
        result = super().process_response(request, response)
        if isinstance(result, Request):
            await asyncio.sleep(wait)
        return result

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception, spider: Any = None
    ) -> Request | Response | None:
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            wait = retry_delay(result.meta["retry_times"], None, self.base, self.cap)
            await asyncio.sleep(wait or 0)
        return result
