"""The encoder's forward pass as it was before it was made faster (prospector 0.x up to issue
22): scipy's scalar erf, the attention scale applied to the scores, strided views into numpy's
stacked matmul, one batch at a time on a two-thread BLAS. Kept as the reference the fast pass
is timed against (encoder_profile.py) and pinned to (tests/data/encoder_reference.json)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from scipy.special import erf

from prospector.match.minilm import MiniLM


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


class ExactMiniLM(MiniLM):
    def __init__(self, model_dir: str | Path):
        super().__init__(model_dir)
        width = self.word.shape[1]
        scale = np.float32(1 / np.sqrt(width // self.heads))
        for qkv, qkv_b, *_ in self.layers:  # unfold the scale the fast pass folds into the queries
            qkv[:, :width] /= scale
            qkv_b[:width] /= scale

    def encode(self, texts: list[str], batch_size: int = 32, threads: int | None = 1) -> np.ndarray:
        return super().encode(texts, batch_size, threads=1)

    def _forward(self, ids: np.ndarray, mask: np.ndarray, lap: Callable[[str], None] = lambda part: None
                 ) -> np.ndarray:
        batch, length = ids.shape
        x = (self.word[ids] + self.position[:length] + self.token_type).reshape(batch * length, -1)
        x = _layer_norm(x, *self.embed_norm, self.eps)
        heads, width = self.heads, x.shape[-1]
        size = width // heads
        additive = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        for qkv, qkv_b, out_w, out_b, norm1, in_w, in_b, down_w, down_b, norm2 in self.layers:
            lap("embeddings, layer norms, pooling")
            projected = x @ qkv + qkv_b
            lap("projections (q, k, v and output)")
            q, k, v = np.split(projected.reshape(batch, length, 3, heads, size).transpose(2, 0, 3, 1, 4), 3)
            scores = (q[0] @ k[0].transpose(0, 1, 3, 2)) * np.float32(1 / np.sqrt(size)) + additive
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v[0]).transpose(0, 2, 1, 3).reshape(batch * length, width)
            lap("attention (scores, softmax, mixing)")
            mixed = x + context @ out_w + out_b
            lap("projections (q, k, v and output)")
            x = _layer_norm(mixed, *norm1, self.eps)
            lap("embeddings, layer norms, pooling")
            hidden = x @ in_w + in_b
            lap("feed-forward products")
            hidden = 0.5 * hidden * (1.0 + erf(hidden * np.float32(1 / np.sqrt(2))))
            lap("GELU")
            fed = x + hidden @ down_w + down_b
            lap("feed-forward products")
            x = _layer_norm(fed, *norm2, self.eps)
        pooled = (x.reshape(batch, length, width) * mask[:, :, None]).sum(axis=1) / np.maximum(
            mask.sum(axis=1, keepdims=True), 1e-9)
        pooled = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        lap("embeddings, layer norms, pooling")
        return pooled
