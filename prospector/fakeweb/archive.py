"""A fake Internet Archive for the fake web: the CDX API and raw captures, as the real one
answers them (`/cdx/search/cdx?url=…&output=json…`, `/web/<timestamp>id_/<url>`), with
captures per URL, URLs it never captured, and URLs it answers 429 for at first."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import parse_qs, unquote, urlsplit

from prospector.fakeweb.spec import Resource, Site, missing, page

ARCHIVE_HOST = "web.archive.org"
T = TypeVar("T")


@dataclass
class Capture:
    timestamp: str  # YYYYMMDDhhmmss
    title: str
    body_html: str  # the page's <body>
    description: str = ""
    status: int = 200
    served: Resource | None = None  # served as it is instead of a page (a compression bomb …)


@dataclass
class FakeArchive(Site):
    host: str = ARCHIVE_HOST
    # URL -> its captures, oldest first; URLs may say http://host:%PORT%/… (the port is ignored)
    captures: dict[str, list[Capture]] = field(default_factory=dict)
    rate_limited: dict[str, int] = field(default_factory=dict)  # URL -> CDX answers 429 this many times first
    cdx_bodies: dict[str, str] = field(default_factory=dict)  # URL -> the CDX answer's body, as it is
    listing_statuses: dict[str, tuple[int, ...]] = field(default_factory=dict)  # resume key -> first answers
    retry_after: str = "1"

    def resource(self, path: str) -> Resource:
        parts = urlsplit(path)
        if parts.path == "/cdx/search/cdx":
            return self._cdx(parse_qs(parts.query))
        if parts.path.startswith("/web/"):
            stamp, _, original = path[len("/web/"):].partition("/")
            return self._capture(stamp.removesuffix("id_"), original)
        return missing()

    @staticmethod
    def _of(table: dict[str, T], url: str) -> T | None:
        """The entry for `url`, whatever port either names."""
        wanted = _portless(url)
        return next((value for key, value in table.items() if _portless(key) == wanted), None)

    def _cdx(self, query: dict[str, list[str]]) -> Resource:
        if query.get("matchType") == ["domain"]:
            return self._site_listing(query)
        url = query.get("url", [""])[0]
        filters = query.get("filter", [])
        captures = self._of(self.captures, url) or []
        rows = [c for c in captures if "statuscode:200" not in filters or c.status == 200]
        limit = int(query.get("limit", ["0"])[0] or 0)
        if limit < 0:
            rows = rows[limit:]
        elif limit > 0:
            rows = rows[:limit]
        fields = query.get("fl", ["timestamp,original,statuscode,mimetype"])[0].split(",")
        values = {"timestamp": lambda c: c.timestamp, "original": lambda c: url, "statuscode": lambda c: str(c.status),
                  "mimetype": lambda c: "text/html"}
        body = self._of(self.cdx_bodies, url) or json.dumps(
            [fields, *[[values[f](c) for f in fields] for c in rows]] if rows else [])
        tries = self._of(self.rate_limited, url) or 0
        return Resource(body=body, content_type="application/json", statuses=(429,) * tries,
                        headers={"Retry-After": self.retry_after} if tries else {})

    def _site_listing(self, query: dict[str, list[str]]) -> Resource:
        """`matchType=domain`: the captures of every URL on the domain and its subdomains, by
        urlkey; `collapse=urlkey` keeps each URL's first; with `showResumeKey=true` and a
        `limit`, a page ends with an empty row and the key to pass back as `resumeKey`."""
        domain = query.get("url", [""])[0].lower()
        filters = query.get("filter", [])
        rows = sorted((_urlkey(url), capture.timestamp, url, capture.status)
                      for url, captures in self.captures.items() if _on(url, domain) for capture in captures
                      if "statuscode:200" not in filters or capture.status == 200)
        if "urlkey" in query.get("collapse", []):
            rows = [row for i, row in enumerate(rows) if i == 0 or rows[i - 1][0] != row[0]]
        resume = unquote(query.get("resumeKey", [""])[0])
        rows = [row for row in rows if not resume or (row[0], row[1]) >= tuple(resume.split(" ", 1))]
        limit = int(query.get("limit", ["0"])[0] or 0)
        key = []
        if limit and len(rows) > limit:
            rows, rest = rows[:limit], rows[limit:]
            if query.get("showResumeKey") == ["true"]:
                key = [[], [f"{rest[0][0]} {rest[0][1]}"]]
        fields = query.get("fl", ["urlkey,timestamp,original"])[0].split(",")
        values = {"urlkey": 0, "timestamp": 1, "original": 2}
        listed = [[row[values[f]] if f in values else "200" for f in fields] for row in rows]
        return Resource(body=json.dumps([fields, *listed, *key]), content_type="application/json",
                        statuses=self.listing_statuses.get(resume, ()))

    def _capture(self, stamp: str, original: str) -> Resource:
        for capture in self._of(self.captures, unquote(original)) or []:
            if capture.timestamp == stamp and capture.served is not None:
                return capture.served
            if capture.timestamp == stamp:
                head = f'<meta name="description" content="{capture.description}">' if capture.description else ""
                return page(capture.title, capture.body_html, head)
        return missing()


def _urlkey(url: str) -> str:
    """The archive's sort key: the host reversed, then the path (`com,example)/page`)."""
    parts = urlsplit(_portless(url))
    host = ",".join(reversed((parts.hostname or "").removeprefix("www.").split(".")))
    return f"{host}){parts.path or '/'}" + (f"?{parts.query}" if parts.query else "")


def _on(url: str, domain: str) -> bool:
    host = (urlsplit(_portless(url)).hostname or "").lower()
    return host == domain or host.endswith("." + domain)


def _portless(url: str) -> str:
    return re.sub(r":(%PORT%|\d+)(?=/|$|\?)", "", url, count=1)
