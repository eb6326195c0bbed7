"""The hybrid ranker's plumbing, with a stand-in encoder; the real model when installed."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from prospector.items import OwnPage
from prospector.match.embed import EmbeddingsUnavailable, HybridRanker, load_encoder
from prospector.match.query import LinkQuery

PAGES = [OwnPage("https://me.com/uptime", "Uptime monitoring for small teams", "Know when your site is down."),
         OwnPage("https://me.com/pricing", "Pricing", "Plans by pageviews.")]
TOPICS = {"outage": 0, "uptime": 0, "down": 0, "price": 1, "pricing": 1, "plans": 1, "cost": 1}


def topic_encoder(texts: list[str]) -> np.ndarray:
    """Stand-in for a sentence model: two topics, decided by keywords."""
    vectors = np.full((len(texts), 2), 0.05, dtype=np.float32)
    for row, text in enumerate(texts):
        for word, topic in TOPICS.items():
            if word in text.lower():
                vectors[row, topic] += 1
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_semantic_similarity_finds_a_page_without_shared_words() -> None:
    ranker = HybridRanker(PAGES, topic_encoder)
    [result] = ranker.rank([LinkQuery("https://x.com/a", anchor="what happens during an outage")], min_score=0.3)
    assert result.suggestions[0].url == "https://me.com/uptime"
    assert result.suggestions[0].reason.startswith("meaning of 'what happens during an outage' is close to title "
                                                   "'Uptime monitoring for small teams' (similarity ")


def test_hybrid_keeps_lexical_reasons_when_words_are_shared() -> None:
    [result] = HybridRanker(PAGES, topic_encoder).rank([LinkQuery("https://x.com/a", anchor="pricing plans")])
    assert result.suggestions[0].url == "https://me.com/pricing"
    assert result.suggestions[0].reason.startswith("anchor 'pricing plans' matches")


@pytest.mark.skipif(importlib.util.find_spec("sentence_transformers") is not None, reason="extra installed")
def test_missing_extra_gives_the_install_command() -> None:
    with pytest.raises(EmbeddingsUnavailable, match=r'pip install "prospector\[embeddings\]"'):
        load_encoder()


@pytest.mark.skipif(importlib.util.find_spec("sentence_transformers") is None, reason="embeddings extra not installed")
def test_packaged_model_on_the_evaluation_set() -> None:
    from prospector.match.embed import DEFAULT_HYBRID_MIN_SCORE
    from prospector.match.evaluate import load_cases, load_pages, score

    data = Path(__file__).parent / "data"
    ranker = HybridRanker(load_pages(data / "own_site.json"), load_encoder())
    result = score(load_cases(data / "match_eval.csv"), lambda q: ranker.rank(q, min_score=DEFAULT_HYBRID_MIN_SCORE))
    assert result.top1 >= 0.80
