"""all-MiniLM-L6-v2 without torch: the BERT forward pass in numpy, the tokenizer from the
model's own `tokenizer.json` (Hugging Face `tokenizers`), the weights from its safetensors.

Why: sentence-transformers brings torch (0.7-5 GB installed) for a 6-layer, 384-wide encoder
that numpy runs at a useful speed. The output equals sentence-transformers' (mean pooling over
the attention mask, then L2 normalisation; max 256 word pieces) to within float rounding:
`benchmarks/match_bench.py --compare-torch` measures it.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from scipy.special import erf

MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model


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
        for i in range(int(config["num_hidden_layers"])):
            p = f"encoder.layer.{i}."
            qkv = np.concatenate([w[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value")]).T
            qkv_bias = np.concatenate([w[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")])
            self.layers.append((
                np.ascontiguousarray(qkv), qkv_bias,
                np.ascontiguousarray(w[p + "attention.output.dense.weight"].T), w[p + "attention.output.dense.bias"],
                (w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"]),
                np.ascontiguousarray(w[p + "intermediate.dense.weight"].T), w[p + "intermediate.dense.bias"],
                np.ascontiguousarray(w[p + "output.dense.weight"].T), w[p + "output.dense.bias"],
                (w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]),
            ))

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Unit vectors, one row per text. Texts are batched by length so padding stays small."""
        out = np.zeros((len(texts), self.word.shape[1]), dtype=np.float32)
        if not texts:
            return out
        encodings = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), batch_size):
            batch = order[start:start + batch_size]
            length = max(len(encodings[i].ids) for i in batch)
            ids = np.zeros((len(batch), length), dtype=np.int64)
            mask = np.zeros((len(batch), length), dtype=np.float32)
            for row, i in enumerate(batch):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1.0
            out[batch] = self._forward(ids, mask)
        return out

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        batch, length = ids.shape
        x = (self.word[ids] + self.position[:length] + self.token_type).reshape(batch * length, -1)
        x = _layer_norm(x, *self.embed_norm, self.eps)  # (batch * length) x width: 2-D products
        heads, width = self.heads, x.shape[-1]
        size = width // heads
        additive = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        for qkv, qkv_b, out_w, out_b, norm1, in_w, in_b, down_w, down_b, norm2 in self.layers:
            q, k, v = np.split((x @ qkv + qkv_b).reshape(batch, length, 3, heads, size).transpose(2, 0, 3, 1, 4), 3)
            scores = (q[0] @ k[0].transpose(0, 1, 3, 2)) * np.float32(1 / np.sqrt(size)) + additive
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v[0]).transpose(0, 2, 1, 3).reshape(batch * length, width)
            x = _layer_norm(x + context @ out_w + out_b, *norm1, self.eps)
            hidden = x @ in_w + in_b
            hidden = 0.5 * hidden * (1.0 + erf(hidden * np.float32(1 / np.sqrt(2))))
            x = _layer_norm(x + hidden @ down_w + down_b, *norm2, self.eps)
        pooled = (x.reshape(batch, length, width) * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias
