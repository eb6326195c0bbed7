from __future__ import annotations

import pytest

from prospector.urls import InvalidUrl, in_scope, normalise, registered_domain, same_site


@pytest.mark.parametrize("href,base,expected", [
    ("HTTP://Example.COM:80/a/b?x=2&a=1#frag", None, "http://example.com/a/b?x=2&a=1"),
    ("https://example.com:443", None, "https://example.com/"),
    ("https://example.com:8443/p", None, "https://example.com:8443/p"),
    ("/about", "http://blog.com/post/1", "http://blog.com/about"),
    ("../x", "http://blog.com/a/b/c", "http://blog.com/a/x"),
    ("//cdn.other.org/lib", "https://blog.com/", "https://cdn.other.org/lib"),
    ("http://example.com/caf\u00e9 menu", None, "http://example.com/caf%C3%A9%20menu"),
    ("http://b\u00fccher.de/", None, "http://xn--bcher-kva.de/"),
    ("  http://example.com/x  ", None, "http://example.com/x"),
])
def test_normalise(href: str, base: str | None, expected: str) -> None:
    assert normalise(href, base) == expected


@pytest.mark.parametrize("href", ["", "javascript:void(0)", "tel:+441234", "mailto:a@b.com", "http://", "ftp://x.com/f",
                                  "http://exa mple.com:99999/"])
def test_non_web_urls_are_invalid(href: str) -> None:
    with pytest.raises(InvalidUrl):
        normalise(href)


@pytest.mark.parametrize("host,domain", [
    ("blog.example.co.uk", "example.co.uk"), ("example.com", "example.com"),
    ("a.b.example.org", "example.org"), ("127.0.0.1", "127.0.0.1"), ("EXAMPLE.com.", "example.com"),
])
def test_registered_domain(host: str, domain: str) -> None:
    assert registered_domain(host) == domain


def test_scope_is_registered_domain_and_path_prefix() -> None:
    assert same_site("http://www.example.co.uk/x", "example.co.uk")
    assert not same_site("http://example.com/x", "example.co.uk")
    assert in_scope("http://example.com/blog/post", "example.com", "/blog/")
    assert not in_scope("http://example.com/shop", "example.com", "/blog/")
