"""What crosses Redis, and how prospector reads it back: its own format, never trusted.

Whoever can write to the cluster's Redis can push anything onto its lists. So a queued request
is rebuilt from known keys only — a URL, GET or HEAD, a priority and the few meta values a
stage needs — and never through Scrapy's `request_from_dict`, which imports whatever module a
`_class` key names. The callback is the stage's own, from a fixed map. Every entry carries the
wire format's version. An entry that does not fit raises `BadEntry`, whose message is the one
line the log shows; the caller drops and acknowledges it, so it can stop nothing.
"""

from __future__ import annotations

import json
from typing import Any

from scrapy import Request

VERSION = 1

# Which spider method answers a stage's requests (the fixed map: nothing else can be named).
CALLBACKS = {"prospects": "parse", "links": "answered"}
METHODS = ("GET", "HEAD")
MAX_URL = 8192
MAX_PRIORITY = 1_000_000

# What a queued request may carry per stage: whoever can write to Redis can ask for a URL to be
# fetched, not for a proxy, a download slot, headers or a body (the network guard applies as
# always). name -> (type, required)
META: dict[str, dict[str, tuple[type, bool]]] = {
    "prospects": {"prospect_id": (int, True), "page_depth": (int, True), "page_url": (str, True),
                  "read_up_to": (int, False), "domain": (str, True), "path_prefix": (str, True)},
    "links": {"read_up_to": (int, False), "headers_only_unless_html": (bool, False)},
}
_REQUEST_KEYS = {"v", "url", "method", "priority", "dont_filter", "callback", "meta"}


class BadEntry(ValueError):
    """An entry of a cluster list that cannot be used; the message says why, in one line."""


def encode_request(stage: str, request: Request) -> str:
    allowed = META[stage]
    meta = {k: v for k, v in request.meta.items() if k in allowed and type(v) is allowed[k][0]}
    return json.dumps({"v": VERSION, "url": request.url, "method": request.method, "priority": request.priority,
                       "dont_filter": request.dont_filter, "callback": CALLBACKS[stage], "meta": meta},
                      separators=(",", ":"), ensure_ascii=False)


def decode_request(stage: str, data: str | bytes) -> Request:
    """The request an entry of `stage`'s queue asks for (no callback yet: the spider that takes
    it sets its own), or BadEntry."""
    entry = load(data)
    unknown = sorted(set(entry) - _REQUEST_KEYS)
    if unknown:
        raise BadEntry(f"unknown key {unknown[0]!r}")
    if entry.get("callback") != CALLBACKS[stage]:
        raise BadEntry(f"unknown callback {entry.get('callback')!r} for the {stage} stage")
    url = entry.get("url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")) or len(url) > MAX_URL:
        raise BadEntry("no http(s) URL")
    method = entry.get("method")
    if method not in METHODS:
        raise BadEntry(f"method {method!r} (GET or HEAD only)")
    priority = entry.get("priority")
    if type(priority) is not int or abs(priority) > MAX_PRIORITY:
        raise BadEntry(f"priority {priority!r}")
    dont_filter = entry.get("dont_filter")
    if type(dont_filter) is not bool:
        raise BadEntry(f"dont_filter {dont_filter!r}")
    meta = _checked_meta(stage, entry.get("meta"))
    try:
        return Request(url, method=method, priority=priority, dont_filter=dont_filter, meta=meta)
    except (ValueError, TypeError) as exc:
        raise BadEntry(f"not a usable request ({exc})") from None


def _checked_meta(stage: str, meta: object) -> dict[str, Any]:
    """A request's meta: only keys `stage` knows, of their types, the required ones there."""
    if not isinstance(meta, dict):
        raise BadEntry("no meta object")
    allowed = META[stage]
    for key, value in meta.items():
        if key not in allowed:
            raise BadEntry(f"meta key {key!r} is not one a {stage} request may carry")
        kind, _ = allowed[key]
        if type(value) is not kind or (isinstance(value, int) and not 0 <= value < 2**53):
            raise BadEntry(f"meta {key}={value!r}")
    missing = [key for key, (_, required) in allowed.items() if required and key not in meta]
    if missing:
        raise BadEntry(f"meta {missing[0]!r} missing")
    return meta


def load(data: str | bytes) -> dict[str, Any]:
    """A wire entry as a JSON object of the current version, or BadEntry."""
    try:
        text = data.decode("utf-8") if isinstance(data, (bytes, bytearray)) else data
        entry = json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadEntry("not JSON (a pickle, or not prospector's)") from None
    if not isinstance(entry, dict):
        raise BadEntry("not a JSON object")
    if entry.get("v") != VERSION:
        raise BadEntry(f"wire format {entry.get('v')!r}, not {VERSION} (another prospector version, or not "
                       "prospector's)")
    return entry


def shown(data: str | bytes, width: int = 80) -> str:
    """An entry as a log line may quote it: printable, and short."""
    text = data.decode("utf-8", "replace") if isinstance(data, (bytes, bytearray)) else str(data)
    text = "".join(c if c.isprintable() else "?" for c in text)
    return repr(text if len(text) <= width else text[:width] + "…")


# scrapy-redis checks that SCHEDULER_SERIALIZER has these; PartitionedQueue encodes requests
# itself (encode_request / decode_request above), so they only ever see plain JSON.
def dumps(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def loads(data: str | bytes) -> Any:
    return load(data)
