"""One readable line for a failed request, whatever failed: HTTP, DNS, policy, robots, size."""

from __future__ import annotations

from typing import cast

from scrapy import Request
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as twisted_errors
from twisted.python.failure import Failure

from prospector.net.resolver import AddressRefused, DnsFailure


def request_of(failure: Failure) -> Request:
    """The request an errback's failure is about (Scrapy sets it on the Failure)."""
    return cast(Request, failure.request)  # type: ignore[attr-defined]


def error_of(failure: Failure) -> BaseException:
    """The exception a Failure carries (typed optional; an errback's always has one)."""
    assert failure.value is not None
    return failure.value


def describe_failure(failure: Failure) -> str:
    exc = error_of(failure)
    if isinstance(exc, HttpError):
        return f"HTTP {exc.response.status}"
    if isinstance(exc, DnsFailure):
        return exc.answer.detail
    if isinstance(exc, AddressRefused):
        return exc.reason
    text = str(exc).strip() or exc.__class__.__name__
    if too_large(exc):
        if "decompress" in text:
            return "larger than the size cap (DOWNLOAD_MAXSIZE) once decompressed (a compression bomb?), skipped"
        return "page larger than the size cap (DOWNLOAD_MAXSIZE), skipped"
    if isinstance(exc, IgnoreRequest):
        return "disallowed by robots.txt" if "robots.txt" in text else f"skipped: {text}"
    for kinds, plain in _PLAIN:
        if isinstance(exc, kinds):
            return plain
    return f"{exc.__class__.__name__}: {text}"[:300]


# What a download failure means, in words (Twisted's own text says "Connection was refused by
# other side: 111: Connection refused.").
_PLAIN: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
    ((DownloadConnectionRefusedError, twisted_errors.ConnectionRefusedError), "connection refused"),
    ((DownloadTimeoutError, twisted_errors.TimeoutError, TimeoutError), "timed out"),
    ((CannotResolveHostError, twisted_errors.DNSLookupError), "the host name could not be resolved"),
    ((ResponseDataLossError, twisted_errors.ConnectionLost, twisted_errors.ConnectionDone),
     "the connection was cut before the whole page arrived"),
)


def unreachable(exc: BaseException) -> bool:
    """The server could not be reached at all (its name, its address, no answer), as opposed
    to an answer that was bad."""
    return any(isinstance(e, _UNREACHABLE) for e in wrapped_causes(exc))


_UNREACHABLE = (DownloadConnectionRefusedError, twisted_errors.ConnectionRefusedError, DownloadTimeoutError,
                twisted_errors.TimeoutError, TimeoutError, CannotResolveHostError, twisted_errors.DNSLookupError,
                DnsFailure, AddressRefused)


def too_large(exc: BaseException) -> bool:
    """A download cancelled by the size cap (DOWNLOAD_MAXSIZE), compressed or not."""
    text = str(exc)
    return "download max size" in text or "maxsize" in text.lower()


def wrapped_causes(exc: BaseException) -> list[BaseException]:
    """The exception and what it wraps: Scrapy's DownloadFailedError chains Twisted's
    ResponseNeverReceived, which lists the failures inside."""
    found: list[BaseException] = []
    pending = [exc]
    while pending and len(found) < 20:
        current = pending.pop(0)
        if current in found:
            continue
        found.append(current)
        pending += [r.value for r in getattr(current, "reasons", []) if isinstance(getattr(r, "value", None),
                                                                                 BaseException)]
        pending += [c for c in (current.__cause__, current.__context__) if c is not None]
    return found


def failure_detail(exc: BaseException) -> str:
    """The exception and the ones it wraps, in one line."""
    return "; ".join(f"{type(e).__name__}: {e}" for e in wrapped_causes(exc))[:300]
