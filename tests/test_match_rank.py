from __future__ import annotations

from pathlib import Path

import pytest

from prospector.items import OwnPage
from prospector.match.query import LinkQuery, build_query
from prospector.match.rank import LexicalRanker
from prospector.testing.evaluate import load_cases, load_pages, score

DATA = Path(__file__).parent / "data"
PAGES = [
    OwnPage("https://me.com/uptime", "Uptime monitoring for small teams", "Know when your site is down.",
            "How checks work\nAlerts", "Uptime monitoring sends a request every minute."),
    OwnPage("https://me.com/utm", "UTM parameters: a practical guide", "Tag campaign links.", "Parameters",
            "Source, medium and campaign."),
    OwnPage("https://me.com/pricing", "Pricing", "Plans by pageviews.", "Plans", "From 9 euros."),
]


@pytest.fixture(scope="module")
def ranker() -> LexicalRanker:
    return LexicalRanker(PAGES)


def test_best_page_first_with_reason(ranker: LexicalRanker) -> None:
    [result] = ranker.rank([build_query("https://x.com/tools/uptime-checks", [
        ("uptime monitoring", "We use uptime monitoring to catch outages.", "Ops tools")])], min_confidence=0)
    best = result.suggestions[0]
    assert best.url == "https://me.com/uptime"
    assert best.reason == ("anchor 'uptime monitoring' matches title 'Uptime monitoring for small teams' "
                           "(shared: uptime, monitoring)")
    assert 0 < best.score <= 1
    assert [s.score for s in result.suggestions] == sorted((s.score for s in result.suggestions), reverse=True)


def test_nothing_in_common_means_no_suggestion(ranker: LexicalRanker) -> None:
    [result] = ranker.rank([build_query("https://x.com/sourdough", [("sourdough recipe", "Bake it.", "Bread")])])
    assert (result.suggestions, result.best) == ((), None)
    assert result.no_match_reason(0.29) == "no page of your site shares a word with this link"


def test_below_min_confidence_is_said_plainly(ranker: LexicalRanker) -> None:
    [result] = ranker.rank([LinkQuery("https://x.com/a", anchor="invoice plans for freelancers")], min_confidence=0.99)
    assert result.suggestions == () and 0 < result.confidence < 0.99
    assert result.no_match_reason(0.99).startswith(
        f"nothing fits: best candidate https://me.com/pricing has confidence {result.confidence:.2f} (similarity ")
    assert result.no_match_reason(0.99).endswith("below the minimum 0.99")


def test_at_most_top_suggestions(ranker: LexicalRanker) -> None:
    [result] = ranker.rank([LinkQuery("https://x.com/a", anchor="uptime utm pricing plans")], top=2, min_confidence=0)
    assert len(result.suggestions) == 2


def test_empty_inventory_ranks_nothing() -> None:
    assert LexicalRanker([]).rank([LinkQuery("https://x.com/a", anchor="uptime")])[0].suggestions == ()


def test_evaluation_set_floor() -> None:
    """The labelled set: >= 60 cases against an 86-page site, ~20 % with no good match."""
    pages = load_pages(DATA / "own_site.json")
    cases = load_cases(DATA / "match_eval.csv")
    assert len(cases) >= 60 and len(pages) >= 80
    assert 0.15 <= sum(not c.expected for c in cases) / len(cases) <= 0.25
    ranker = LexicalRanker(pages)
    result = score(cases, lambda queries: ranker.rank(queries))
    assert result.top1 >= 0.80, "\n".join(result.misses)
    assert result.top3 >= 0.90
    assert result.no_match_precision >= 0.80
