"""The resource-page score: its signals read from a page (links to other sites outside menus
and footers, those in lists, words, resource words, a date, a contact route), and its
precision and recall on the held-out half of the labelled real pages (tests/data/
resource_pages: benchmarks/resource_bench.py has the figures; this keeps a floor under them)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import lxml.html
import pytest

from prospector.resource_score import (
    ResourceSignals,
    explained,
    is_recent,
    named_as_resource,
    resource_score,
    signals_of,
)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

PAGE = """<html><head><title>Useful links</title></head><body>
<nav><a href="https://menu.org/">Menu link</a></nav>
<main><p>Our picks, and a word on <a href="https://inline.org/a">one</a>.</p>
<ul><li><a href="https://a.org/">A</a></li><li><a href="https://b.org/x">B</a></li>
<li><a href="/about/">About us</a></li><li><a href="https://blog.example.com/post">Our own blog</a></li></ul>
<p>Write to <a href="mailto:me@example.com">me</a>.</p></main>
<footer><a href="https://footer.org/">Footer</a></footer></body></html>"""


def test_the_signals_count_links_to_other_sites_in_the_content_and_those_in_lists() -> None:
    doc = lxml.html.document_fromstring(PAGE)
    assert signals_of(doc, "https://www.example.com/links/", "example.com", "Useful links", "") == ResourceSignals(
        outbound=3, listed=2, words=22, named=True, recent=False, contact=True)


@pytest.mark.parametrize("title,url,expected", [
    ("Useful resources for writers", "https://a.com/p/1", True),
    ("My week", "https://a.com/best-seo-tools/", True),
    ("Toolsmithing notes", "https://a.com/toolsmith", False),
    ("How I write", "https://a.com/2024/how-i-write/", False),
])
def test_resource_words_in_the_title_or_the_address(title: str, url: str, expected: bool) -> None:
    assert named_as_resource(title, url) is expected


def test_a_date_within_two_years_is_recent() -> None:
    today = date(2026, 12, 6)
    assert [is_recent(d, today) for d in ("2025-03-01T10:00:00Z", "2024-12-06", "2024-12-05", "soon", "")] == [
        True, True, False, False, False]


def test_a_list_of_links_scores_high_and_an_article_low() -> None:
    resources = ResourceSignals(outbound=40, listed=38, words=600, named=True)
    article = ResourceSignals(outbound=3, listed=0, words=1500, recent=True, contact=True)
    assert (resource_score(resources), resource_score(article)) == (0.919, 0.0)
    assert explained(resources) == ("40 links to other sites, 38 of them in lists; 6.7 per 100 words; "
                                    "resource words in its title or address")


def test_held_out_precision_and_recall_keep_their_floor() -> None:
    from resource_bench import labelled, measured

    rows = labelled()
    held_out = measured([r for r in rows if r["half"] == "held_out"])
    assert (len(rows), held_out["pages"], held_out["resource_pages"]) == (581, 290, 9)
    assert held_out["precision"] >= 0.8 and held_out["recall"] >= 0.6, held_out
