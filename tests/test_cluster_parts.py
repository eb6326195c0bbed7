"""The cluster's parts that need no Redis: what crosses it (JSON only), what a queued request
may ask of a worker, where a URL's site goes, and how a Redis URL is shown."""

from __future__ import annotations

import json
import pickle

import pytest
from scrapy import Request

pytest.importorskip("scrapy_redis")

from prospector.cluster import keys, messages, wire  # noqa: E402
from prospector.cluster.connection import redact  # noqa: E402
from prospector.cluster.messages import Leased  # noqa: E402
from prospector.cluster.spiders import ClusterCheckSpider, ClusterCrawlSpider  # noqa: E402
from prospector.crawl.check import CheckState  # noqa: E402
from prospector.items import CheckItem, Contact, Occurrence, PageItem  # noqa: E402


def test_requests_cross_redis_as_json_and_back() -> None:
    spider = ClusterCrawlSpider()
    meta = {"prospect_id": 3, "page_depth": 2, "page_url": "http://blog.example.com/a", "domain": "example.com",
            "path_prefix": "", "read_up_to": 100}
    request = Request("http://blog.example.com/a", callback=spider.parse, errback=spider.failed, priority=-2,
                      headers={"X-Bytes": b"\xff\x00"}, body=b"\x01\x02", meta={**meta, "proxy": "http://p:1"})
    data = wire.encode_request("prospects", request)
    assert json.loads(data) == {"v": 1, "url": "http://blog.example.com/a", "method": "GET", "priority": -2,
                                "dont_filter": False, "callback": "parse", "meta": meta}  # nothing else crosses
    back = wire.decode_request("prospects", data)
    assert (back.url, back.method, back.priority, back.meta, back.body, back.callback) == (
        "http://blog.example.com/a", "GET", -2, meta, b"", None)


def _entry(**changes: object) -> str:
    entry = {"v": 1, "url": "http://gone.example.org/x", "method": "HEAD", "priority": 0, "dont_filter": True,
             "callback": "answered", "meta": {}}
    return json.dumps({**entry, **changes})


@pytest.mark.parametrize("data, why", [
    (pickle.dumps({"url": "http://example.com/"}), "not JSON (a pickle, or not prospector's)"),
    (b"not json at all", "not JSON (a pickle, or not prospector's)"),
    (b"[1, 2]", "not a JSON object"),
    (json.dumps({"url": "http://example.com/", "_class": "this.X", "callback": "answered"}),
     "wire format None, not 1 (another prospector version, or not prospector's)"),
    (_entry(_class="prospector.__main__.X"), "unknown key '_class'"),
    (_entry(callback="evil"), "unknown callback 'evil' for the links stage"),
    (_entry(callback=None), "unknown callback None for the links stage"),
    (_entry(url="file:///etc/passwd"), "no http(s) URL"),
    (_entry(method="POST"), "method 'POST' (GET or HEAD only)"),
    (_entry(priority="1"), "priority '1'"),
    (_entry(dont_filter=1), "dont_filter 1"),
    (_entry(meta={"proxy": "http://evil.example.net:8080"}), "meta key 'proxy' is not one a links request may carry"),
    (_entry(meta={"read_up_to": -1}), "meta read_up_to=-1"),
    (_entry(v=2), "wire format 2, not 1 (another prospector version, or not prospector's)"),
])
def test_a_queue_entry_that_is_not_a_request_is_refused_saying_why(data: object, why: str) -> None:
    with pytest.raises(wire.BadEntry) as refused:
        wire.decode_request("links", data)  # type: ignore[arg-type]
    assert str(refused.value) == why


def test_a_crawl_request_needs_the_page_it_is_for() -> None:
    entry = json.loads(_entry(callback="parse", meta={"prospect_id": 1, "page_depth": 0, "domain": "example.org",
                                                      "path_prefix": ""}))
    with pytest.raises(wire.BadEntry, match="meta 'page_url' missing"):
        wire.decode_request("prospects", json.dumps(entry))


def test_decoding_imports_nothing() -> None:
    import sys

    sys.modules.pop("this", None)
    with pytest.raises(wire.BadEntry):
        wire.decode_request("links", _entry(_class="this.X"))
    assert "this" not in sys.modules


def test_a_queued_request_asks_for_a_url_and_nothing_else() -> None:
    spider = ClusterCrawlSpider()
    queued = Request("http://blog.example.com/a", method="POST", body=b"x", headers={"Cookie": "a=b"},
                     meta={"prospect_id": 3, "page_depth": 1, "page_url": "http://blog.example.com/a",
                           "domain": "example.com", "path_prefix": "", "read_up_to": 100,
                           "proxy": "http://evil.example.net:8080", "download_slot": "x", "page_depth_": 9})
    adopted = spider.adopt(queued, "w:1:1")
    assert adopted.meta == {"prospect_id": 3, "page_depth": 1, "page_url": "http://blog.example.com/a",
                            "domain": "example.com", "path_prefix": "", "read_up_to": 100, "lease": "w:1:1"}
    assert (adopted.method, adopted.body, adopted.headers.get("Cookie")) == ("GET", b"", None)
    assert (adopted.callback, adopted.errback) == (spider.parse, spider.failed)


def test_a_queued_check_gets_its_state_on_arrival() -> None:
    spider = ClusterCheckSpider()
    spider.soft404_check, spider.peek_bytes = True, 4096
    root = spider.root_request("http://gone.example.org/x")
    assert root.meta == {"read_up_to": 4096, "headers_only_unless_html": True}
    adopted = spider.adopt(wire.decode_request("links", wire.encode_request("links", root)), "w:2:5")
    state = adopted.meta["check"]
    assert isinstance(state, CheckState) and (state.url, state.lease) == ("http://gone.example.org/x", "w:2:5")
    assert (adopted.callback, adopted.errback) == (spider.answered, spider.failed)


def test_results_cross_as_json_and_back() -> None:
    page = PageItem(url="http://a.example.com/", prospect_id=1, depth=0, status=200, title="A",
                    occurrences=[Occurrence("http://b.example.org/", "B", "see B", "nofollow", "content")],
                    contacts=[Contact("email", "ed@a.example.com", "Ed", "http://a.example.com/")],
                    discovered=[("http://a.example.com/p", 1)], problems=[("http://a.example.com/", "odd", True)],
                    counts={"app_links": 2}, final_url="http://a.example.com/", resource_score=0.25)
    check = CheckItem("http://b.example.org/", "dead", "HTTP 404", 404, "http://b.example.org/",
                      [("http://b.example.org/old", 301)], "GET", 1, 12, "http_404", 1.0, "12 links")
    for stage, item in (("prospects", page), ("links", check)):
        assert messages.decode(stage, messages.encode(Leased("w:1:1", item))) == Leased("w:1:1", item)


@pytest.mark.parametrize("stage, data, why", [
    ("links", b"\x80\x04K\x01.", "not JSON (a pickle, or not prospector's)"),
    ("links", json.dumps({"lease": "w:1:1", "kind": "check", "item": {}}),
     "wire format None, not 1 (another prospector version, or not prospector's)"),
    ("prospects", json.dumps({"v": 1, "lease": "w:1:1", "kind": "check", "item": {}}),
     "a 'check' result on the prospects list"),
    ("links", json.dumps({"v": 1, "lease": "w:1:1", "kind": "check", "item": {"url": "http://a.example.com/"}}),
     "item: no 'verdict'"),
    ("links", json.dumps({"v": 1, "lease": "w:1:1", "kind": "check", "item": {
        "url": "http://a.example.com/", "verdict": "dead", "reason": "x", "status": "404", "final_url": "",
        "redirect_chain": [], "method": "GET", "attempts": 1, "elapsed_ms": 1}}),
     "item.status: str is not int | None"),
    ("prospects", json.dumps({"v": 1, "lease": "w:1:1", "kind": "page", "item": {
        "url": "http://a.example.com/", "prospect_id": 1, "depth": 0, "occurrences": [
            {"url": 1, "anchor_text": "", "context": "", "rel": "", "placement": "content"}]}}),
     "item.occurrences[0].url: int is not str"),
    ("links", json.dumps({"v": 1, "lease": 7, "kind": "check", "item": {}}), "a result without its lease"),
    ("prospects", '{"v": 1, "lease": "w:1:1", "kind": "page", "item": {"url": "http://a.example.com/", '
                  '"prospect_id": 1, "depth": 0, "resource_score": NaN}}',
     "item.resource_score: float is not float | None"),
    ("prospects", json.dumps({"v": 1, "lease": "w:1:1", "kind": "page", "item": {
        "url": "http://a.example.com/", "prospect_id": 1, "depth": 0, "resource_score": "0.9"}}),
     "item.resource_score: str is not float | None"),
])
def test_a_result_of_the_wrong_shape_is_refused_saying_why(stage: str, data: object, why: str) -> None:
    with pytest.raises(wire.BadEntry) as refused:
        messages.decode(stage, data)  # type: ignore[arg-type]
    assert str(refused.value) == why


def test_a_sites_pages_share_a_partition() -> None:
    assert keys.partition_of("http://www.example.co.uk/a") == keys.partition_of("https://blog.example.co.uk:8443/b")
    assert len({keys.partition_of(f"http://site{i}.com/") for i in range(1000)}) == keys.PARTITIONS  # all used


@pytest.mark.parametrize("url, shown", [
    ("redis://:pw@10.0.0.5:6379/0", "redis://:***@10.0.0.5:6379/0"),
    ("rediss://user:p%40ss@cache.example.com:6380/2?ssl_ca_certs=/ca.pem",
     "rediss://user:***@cache.example.com:6380/2?ssl_ca_certs=/ca.pem"),
    ("redis://10.0.0.5:6379/0", "redis://10.0.0.5:6379/0"),
    ("redis://:pw@[::1]:6379/0", "redis://:***@[::1]:6379/0"),
])
def test_a_redis_url_is_shown_without_its_password(url: str, shown: str) -> None:
    assert redact(url) == shown


def test_a_callback_that_breaks_still_answers_its_request() -> None:
    from scrapy.http import HtmlResponse
    from twisted.python.failure import Failure

    crawl = ClusterCrawlSpider()
    request = Request("http://a.example.com/x", meta={"prospect_id": 2, "page_depth": 1,
                                                     "page_url": "http://a.example.com/x", "lease": "w:3:1"})
    failure = Failure(ValueError("bad markup"))
    result = crawl.broken(HtmlResponse(request.url, status=200, request=request), failure)
    assert result.lease == "w:3:1"
    assert (result.item.url, result.item.status, result.item.error) == (
        "http://a.example.com/x", 200, "could not be read: ValueError('bad markup')")
    assert result.item.problems == [("http://a.example.com/x", "could not be read: ValueError('bad markup')", False)]

    check = ClusterCheckSpider()
    request = Request("http://b.example.org/y", meta={"check": CheckState("http://b.example.org/y", 0.0,
                                                                          lease="w:4:2")})
    result = check.broken(HtmlResponse(request.url, status=404, request=request), failure)
    assert result.lease == "w:4:2"
    assert (result.item.url, result.item.verdict, result.item.reason_code) == ("http://b.example.org/y", "dead",
                                                                               "http_404")
