from __future__ import annotations

import pytest

from prospector.match.query import analyze, build_query, is_vague, slug_words


@pytest.mark.parametrize("url,words", [
    ("https://a.com/blog/fix-broken-links-fast", "fix broken links fast"),
    ("https://a.com/blog/2019/05/fixBrokenLinks_fast.html?id=3", "fix broken links fast"),
    ("https://a.com/?p=431", ""),
    ("https://a.com/archives/7781", ""),
    ("https://a.com/2021/consent-rates/", "consent rates"),
    ("https://a.com/p/431", ""),
    ("https://a.com/docs/GA4Migration-guide.pdf", "docs ga4 migration guide"),
    ("https://a.com/uploads/3f9a8c7d2e1b/the-utm-builder", "utm builder"),
    ("https://a.com/caf%C3%A9-menu", "café menu"),
    ("https://a.com/", ""),
])
def test_slug_words(url: str, words: str) -> None:
    assert slug_words(url) == words


@pytest.mark.parametrize("anchor", ["here", "Click here", "this post", "Read more »", "[3]", "https://x.com/a",
                                    "www.example.com", "this great article", "", "source", "Learn more"])
def test_vague_anchors(anchor: str) -> None:
    assert is_vague(anchor)


@pytest.mark.parametrize("anchor", ["UTM guide", "their checklist", "GA4", "404 page tips", "cohort analysis"])
def test_meaningful_anchors(anchor: str) -> None:
    assert not is_vague(anchor)


def test_query_from_several_mentions_keeps_meaningful_distinct_parts() -> None:
    query = build_query("https://gone.com/blog/utm-tagging-guide", [
        ("here", "Read about UTM tagging here.", "Campaign tips"),
        ("UTM tagging guide", "The UTM tagging guide is great.", "Campaign tips"),
        ("UTM tagging guide", "Another mention.", "Link roundup"),
    ])
    assert query.anchor == "UTM tagging guide"
    assert query.slug == "utm tagging guide"
    assert query.context == "Read about UTM tagging here. | The UTM tagging guide is great. | Another mention."
    assert query.page_title == "Campaign tips | Link roundup"


def test_analyze_stems_drops_stop_words_and_long_numbers_and_adds_bigrams() -> None:
    assert analyze("The monitoring of 404 pages in 2024") == ["monitor", "404", "page", "monitor 404", "404 page"]
