"""Read only the start of a response: a Scrapy extension on the headers_received and
bytes_received signals, for requests that carry `read_up_to` (bytes) in their meta.

- The link check reads the first 64 KiB of a page (enough for a title and a "not found"
  message), and nothing of a PDF, a zip or a video (`headers_only_unless_html`): a live
  50 MiB file is alive, not cancelled by the size cap before its first byte.
- The crawl reads a page up to the size cap and keeps its links, rather than losing the whole
  page to the cap (the response is flagged `download_stopped`).

Only uncompressed responses are let past DOWNLOAD_MAXSIZE this way: for a compressed one the
cap also bounds what decompression may produce (gzip bombs), so it stays.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request, signals
from scrapy.exceptions import StopDownload
from scrapy.http import Headers


class PartialReads:
    @classmethod
    def from_crawler(cls, crawler: Any) -> PartialReads:
        extension = cls()
        crawler.signals.connect(extension.headers_received, signal=signals.headers_received)
        crawler.signals.connect(extension.bytes_received, signal=signals.bytes_received)
        return extension

    def headers_received(self, headers: Headers, body_length: int, request: Request, spider: Any) -> None:
        limit = request.meta.get("read_up_to")
        if not limit:
            return
        content_type = (headers.get(b"Content-Type") or b"").decode("latin-1").lower()
        if request.meta.get("headers_only_unless_html") and content_type and "html" not in content_type:
            raise StopDownload(fail=False)
        if body_length > limit and not headers.get(b"Content-Encoding"):
            request.meta["download_maxsize"] = 0  # read up to `limit` below instead of cancelling

    def bytes_received(self, data: bytes, request: Request, spider: Any) -> None:
        limit = request.meta.get("read_up_to")
        if not limit:
            return
        seen = request.meta.get("bytes_read", 0) + len(data)
        request.meta["bytes_read"] = seen
        if seen >= limit:
            raise StopDownload(fail=False)
