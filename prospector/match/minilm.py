"""all-MiniLM-L6-v2 without torch: the BERT forward pass in numpy, the tokenizer from the
model's own `tokenizer.json` (Hugging Face `tokenizers`), the weights from its safetensors.

Why: sentence-transformers brings torch (0.7-5 GB installed) for a 6-layer, 384-wide encoder
that numpy runs at a useful speed. The output equals sentence-transformers' (mean pooling over
the attention mask, then L2 normalisation; max 256 word pieces) to within float rounding:
`benchmarks/match_bench.py --compare-torch` measures it, and tests/test_minilm.py pins it on
reference texts.

Where the time goes (benchmarks/results.md): two thirds in the matrix products, the rest in
attention and GELU. So: the attention scale is folded into the query weights; queries, keys
and values are made contiguous before their products (numpy's stacked matmul falls back to a
slow loop on strided views); attention runs a sequence at a time, its scores in cache, softmax
and layer norms in place; GELU's erf is a float32 rational approximation (Eigen's; within 5e-7
of the exact one) instead of scipy's scalar loop, a cache-sized slice at a time; and the
batches are shared by one thread per core — numpy releases the GIL, and each thread's BLAS
runs single-threaded, which uses two cores better than one two-thread BLAS.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model
BATCH = 16  # texts a forward pass, sorted by length so padding stays small
GELU_ROWS = 128  # token rows whose GELU runs at once: their 1536-wide activations stay in cache
# erf(x) = x * P(x^2) / Q(x^2) on [-4, 4] (Eigen's generic_fast_erf_float), highest power first.
_ERF_P = tuple(np.float32(c) for c in (-2.72614225801306e-10, 2.77068142495902e-08, -2.10102402082508e-06,
                                       -5.69250639462346e-05, -7.34990630326855e-04, -2.95459980854025e-03,
                                       -1.60960333262415e-02))
_ERF_Q = tuple(np.float32(c) for c in (-1.45660718464996e-05, -2.13374055278905e-04, -1.68282697438203e-03,
                                       -7.37332916720468e-03, -1.42647390514189e-02))


class MiniLM:
    """A BERT encoder with mean pooling, read from a sentence-transformers model folder."""

    def __init__(self, model_dir: str | Path, max_tokens: int = MAX_TOKENS):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        model_dir = Path(model_dir)
        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=max_tokens)
        w = load_file(str(model_dir / "model.safetensors"))
        w = {k.removeprefix("bert."): v.astype(np.float32) for k, v in w.items()}
        self.word = w["embeddings.word_embeddings.weight"]
        self.position = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"][0]
        self.embed_norm = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self.layers = []
        width = self.word.shape[1]
        scale = np.float32(1 / np.sqrt(width // self.heads))  # of the attention scores, folded into the queries
        for i in range(int(config["num_hidden_layers"])):
            p = f"encoder.layer.{i}."
            qkv = np.concatenate([w[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value")]).T
            qkv_bias = np.concatenate([w[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")])
            qkv[:, :width] *= scale
            qkv_bias[:width] *= scale
            self.layers.append((
                np.ascontiguousarray(qkv), qkv_bias,
                np.ascontiguousarray(w[p + "attention.output.dense.weight"].T), w[p + "attention.output.dense.bias"],
                (w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"]),
                np.ascontiguousarray(w[p + "intermediate.dense.weight"].T), w[p + "intermediate.dense.bias"],
                np.ascontiguousarray(w[p + "output.dense.weight"].T), w[p + "output.dense.bias"],
                (w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]),
            ))

    def encode(self, texts: list[str], batch_size: int = BATCH, threads: int | None = None) -> np.ndarray:
        """Unit vectors, one row per text. Texts are batched by length so padding stays small;
        the batches are shared by `threads` (default: one per core)."""
        out = np.zeros((len(texts), self.word.shape[1]), dtype=np.float32)
        if not texts:
            return out
        encodings = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        batches = [order[start:start + batch_size] for start in range(0, len(order), batch_size)]

        def run(batch: list[int]) -> None:
            length = max(len(encodings[i].ids) for i in batch)
            ids = np.zeros((len(batch), length), dtype=np.int64)
            mask = np.zeros((len(batch), length), dtype=np.float32)
            for row, i in enumerate(batch):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1.0
            out[batch] = self._forward(ids, mask)

        threads = min(threads or _cores(), len(batches))
        with threadpool_limits(1 if threads > 1 else None), ThreadPoolExecutor(threads) as pool:
            for _ in pool.map(run, batches):  # re-raises a batch's error
                pass
        return out

    def _forward(self, ids: np.ndarray, mask: np.ndarray, lap: Callable[[str], None] = lambda part: None
                 ) -> np.ndarray:
        """One batch's vectors. `lap(part)` is called as each part of the pass ends (the
        profile in benchmarks/encoder_profile.py)."""
        batch, length = ids.shape
        x = (self.word[ids] + self.position[:length] + self.token_type).reshape(batch * length, -1)
        x = _layer_norm(x, *self.embed_norm, self.eps)  # (batch * length) x width: 2-D products
        heads, width = self.heads, x.shape[-1]
        size = width // heads
        additive = ((1.0 - mask) * np.float32(-1e9))[:, None, :]
        scores = np.empty((heads, length, length), dtype=np.float32)  # one sequence's: stays in cache
        peak = np.empty((heads, length, 1), dtype=np.float32)
        attended = np.empty((batch, heads, length, size), dtype=np.float32)
        for qkv, qkv_b, out_w, out_b, norm1, in_w, in_b, down_w, down_b, norm2 in self.layers:
            lap("embeddings, layer norms, pooling")
            projected = x @ qkv
            projected += qkv_b
            lap("projections (q, k, v and output)")
            q, k, v = np.ascontiguousarray(projected.reshape(batch, length, 3, heads, size).transpose(2, 0, 3, 1, 4))
            for i in range(batch):  # already scaled: the queries carry 1/sqrt(size)
                np.matmul(q[i], k[i].transpose(0, 2, 1), out=scores)
                scores += additive[i]
                np.max(scores, axis=-1, keepdims=True, out=peak)
                scores -= peak
                np.exp(scores, out=scores)
                np.sum(scores, axis=-1, keepdims=True, out=peak)
                scores /= peak
                np.matmul(scores, v[i], out=attended[i])
            lap("attention (scores, softmax, mixing)")
            mixed = attended.transpose(0, 2, 1, 3).reshape(batch * length, width) @ out_w
            mixed += out_b
            mixed += x
            lap("projections (q, k, v and output)")
            x = _layer_norm(mixed, *norm1, self.eps)
            lap("embeddings, layer norms, pooling")
            hidden = x @ in_w
            hidden += in_b
            lap("feed-forward products")
            for start in range(0, len(hidden), GELU_ROWS):
                _gelu(hidden[start:start + GELU_ROWS])
            lap("GELU")
            fed = hidden @ down_w
            fed += down_b
            fed += x
            lap("feed-forward products")
            x = _layer_norm(fed, *norm2, self.eps)
        pooled = (x.reshape(batch, length, width) * mask[:, :, None]).sum(axis=1)
        pooled /= np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        lap("embeddings, layer norms, pooling")
        return pooled


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    """In place: `x` is a temporary of the forward pass."""
    x -= x.mean(axis=-1, keepdims=True)
    deviation = np.einsum("ij,ij->i", x, x)[:, None]
    deviation /= np.float32(x.shape[-1])
    deviation += np.float32(eps)
    np.sqrt(deviation, out=deviation)
    x /= deviation
    x *= weight
    x += bias
    return x


def erf(x: np.ndarray) -> np.ndarray:
    """erf in float32, vectorised (scipy's is a scalar loop): a new array."""
    x = np.clip(x, -4, 4)
    square = x * x
    p = np.full_like(x, _ERF_P[0])
    for c in _ERF_P[1:]:
        p *= square
        p += c
    p *= x
    q = np.full_like(x, _ERF_Q[0])
    for c in _ERF_Q[1:]:
        q *= square
        q += c
    p /= q
    return p


def _gelu(hidden: np.ndarray) -> np.ndarray:
    """x * (1 + erf(x / sqrt 2)) / 2, the exact GELU BERT uses, in place."""
    cdf = erf(hidden * np.float32(1 / np.sqrt(2)))
    cdf += 1
    cdf *= 0.5
    hidden *= cdf
    return hidden
