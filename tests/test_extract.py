"""extract_page: placement, rel, anchor, context, author, contacts, internal vs outbound."""

from __future__ import annotations

import pytest
from webs import placement_html

from prospector.crawl.extract import extract_page
from prospector.items import Contact

PAGE = "http://blog.example.com/post"


@pytest.fixture(scope="module")
def placed():
    found = extract_page(placement_html(8080), PAGE, "example.com")
    return {o.url.split("//")[1].split(".com")[0]: o for o in found.outbound}


@pytest.mark.parametrize("name,placement", [
    ("in-header", "header"), ("in-nav", "nav"), ("in-content", "content"), ("in-comments", "comments"),
    ("in-widget", "sidebar"), ("in-aside", "sidebar"), ("in-role-nav", "nav"), ("in-footer", "footer"),
    ("in-footer-class", "footer"), ("image", "content"), ("nofollow", "content"),
])
def test_placement(placed, name: str, placement: str) -> None:
    assert placed[name].placement == placement


@pytest.mark.parametrize("name,rel", [
    ("nofollow", "nofollow"), ("sponsored", "sponsored"), ("ugc", "nofollow ugc"), ("in-comments", "ugc"),
    ("in-content", ""),
])
def test_rel_tokens(placed, name: str, rel: str) -> None:
    assert placed[name].rel == rel


def test_image_link_takes_alt_as_anchor(placed) -> None:
    assert placed["image"].anchor_text == "Logo of Image Co"


def test_context_is_the_sentence_around_the_link(placed) -> None:
    assert placed["in-content"].context == "Start. Read the content link carefully. End here."  # short: both neighbours


def test_long_paragraph_context_is_clipped_around_the_link() -> None:
    words = " ".join(f"word{i}" for i in range(200))
    html = f'<p>{words} and then <a href="http://x.org/">the link</a> and {words}</p>'
    context = extract_page(html, PAGE, "example.com").outbound[0].context
    assert "the link" in context and len(context) <= 602 and context.startswith("…") and context.endswith("…")


def test_outbound_internal_and_skipped_links() -> None:
    html = """<base href="http://blog.example.com/dir/">
      <a href="page2">rel</a> <a href="http://shop.example.com/x">sub</a>
      <a href="http://example.org/">other</a> <a href="javascript:void(0)">js</a>
      <a href="tel:+123">tel</a> <a href="#top">top</a> <a href="/files/a.pdf">pdf</a>
      <a href="http://[bad/">bad</a> <a href="http://example.org/#frag">same</a>"""
    found = extract_page(html, PAGE, "example.com")
    assert found.internal == ["http://blog.example.com/dir/page2", "http://shop.example.com/x"]
    assert [o.url for o in found.outbound] == ["http://example.org/", "http://example.org/"]
    assert len(found.invalid_hrefs) == 1 and "http://[bad/" in found.invalid_hrefs[0]


def test_path_prefix_limits_what_is_followed() -> None:
    html = '<a href="/blog/a">a</a> <a href="/shop/b">b</a>'
    assert extract_page(html, "http://example.com/blog/", "example.com", "/blog/").internal == [
        "http://example.com/blog/a"]


@pytest.mark.parametrize("head,body,author", [
    ('<meta name="author" content="Grace Hopper">', "", "Grace Hopper"),
    ('<script type="application/ld+json">{"@graph":[{"@type":"Article","author":{"name":"Alan Turing"}}]}</script>', "",
     "Alan Turing"),
    ("", '<a rel="author" href="/author/kay">Alan Kay</a>', "Alan Kay"),
    ("", '<span class="byline">By Barbara Liskov on 3 May 2024</span>', "Barbara Liskov"),
    ("", "<p>no author here</p>", ""),
])
def test_author(head: str, body: str, author: str) -> None:
    html = f"<html><head><title>T</title>{head}</head><body>{body}</body></html>"
    assert extract_page(html, PAGE, "example.com").author == author


def test_title_and_published_date() -> None:
    html = ('<html><head><title> My  post </title><meta property="article:published_time" '
            'content="2024-05-03T10:00:00Z"></head><body></body></html>')
    found = extract_page(html, PAGE, "example.com")
    assert (found.title, found.published) == ("My post", "2024-05-03T10:00:00Z")


def test_contacts() -> None:
    html = """<a href="mailto:Editor@Example.com?subject=Hi">Jane Editor</a>
      <a href="mailto:not-an-address">x</a> <a href="/contact-us/">Get in touch</a>
      <a href="/about">About</a> <a href="/write-for-us">Contribute</a>
      <a href="/author/jane-editor/">Jane Editor</a> <a href="/blog/">Blog</a>"""
    found = extract_page(html, PAGE, "example.com")
    base = "http://blog.example.com"
    assert found.contacts == [
        Contact("email", "editor@example.com", "Jane Editor", PAGE),
        Contact("contact_page", f"{base}/contact-us/", "", PAGE),
        Contact("about_page", f"{base}/about", "", PAGE),
        Contact("write_for_us", f"{base}/write-for-us", "", PAGE),
        Contact("author_page", f"{base}/author/jane-editor/", "Jane Editor", PAGE),
    ]


def test_garbage_html_gives_nothing_but_does_not_fail() -> None:
    assert extract_page(b"", PAGE, "example.com").outbound == []
    assert extract_page("<<<>>>", PAGE, "example.com").outbound == []


def test_app_links_with_a_hyphen_in_their_scheme_are_counted_not_reported() -> None:
    found = extract_page('<a href="fb-messenger://share?link=x">Send</a><a href="whatsapp://send?text=x">WA</a>'
                         '<a href="ms-windows-store://pdp">Store</a>', "https://a.com/", "a.com")
    assert (found.app_links, found.invalid_hrefs, found.outbound) == (3, [], [])


@pytest.mark.parametrize("error, plain", [
    ("DownloadConnectionRefusedError", "connection refused"),
    ("DownloadTimeoutError", "timed out"),
    ("CannotResolveHostError", "the host name could not be resolved"),
])
def test_download_failures_are_said_in_words(error: str, plain: str) -> None:
    import scrapy.exceptions
    from twisted.python.failure import Failure

    from prospector.net.failures import describe_failure

    failure = Failure(getattr(scrapy.exceptions,
                              error)("Connection was refused by other side: 111: Connection refused."))
    assert describe_failure(failure) == plain
