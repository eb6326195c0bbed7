"""Where the encoder's time goes, before and after it was made faster: the passages of
synthetic pages of English words (as semantic-speed encodes them), timed part by part on one
core (each part's seconds per 100 passages: tokenizer, building the batches, and the forward
pass's parts as MiniLM._forward reports them), then the throughput as `prospector match` runs
it (the fast pass: one thread per core; before: one two-thread BLAS).

    python benchmarks/match_bench.py encoder-profile 600
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

import numpy as np
from exact_minilm import ExactMiniLM
from match_bench import english_synthetic
from threadpoolctl import threadpool_limits

from prospector.match.minilm import MiniLM
from prospector.match.semantic import model_dir, passages


def _timed_parts(model: MiniLM, texts: list[str], batch_size: int) -> Counter[str]:
    """Seconds per part, one core, encoding `texts` as MiniLM.encode batches them."""
    parts: Counter[str] = Counter()
    clock = [time.perf_counter()]

    def lap(part: str) -> None:
        now = time.perf_counter()
        parts[part] += now - clock[0]
        clock[0] = now

    with threadpool_limits(1):
        encodings = model.tokenizer.encode_batch(texts)
        lap("tokenizer")
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), batch_size):
            batch = order[start:start + batch_size]
            length = max(len(encodings[i].ids) for i in batch)
            ids = np.zeros((len(batch), length), dtype=np.int64)
            mask = np.zeros((len(batch), length), dtype=np.float32)
            for row, i in enumerate(batch):
                ids[row, :len(encodings[i].ids)] = encodings[i].ids
                mask[row, :len(encodings[i].ids)] = 1.0
            lap("building batches (Python)")
            model._forward(ids, mask, lap)
    return parts


def profile(pages: int) -> dict[str, Any]:
    own, _ = english_synthetic(pages, 0)
    texts = list(dict.fromkeys(t for page in own for t in passages(page)))
    result: dict[str, Any] = {"passages": len(texts)}
    for name, model, batch_size in (("before", ExactMiniLM(str(model_dir())), 32),
                                    ("after", MiniLM(str(model_dir())), None)):
        size = batch_size or 16
        model.encode(texts[:size])  # warm
        parts = _timed_parts(model, texts, size)
        started = time.perf_counter()
        model.encode(texts, size)
        seconds = time.perf_counter() - started
        result[name] = {"batch_size": size, "passages_per_s": len(texts) / seconds,
                        "one_core_s_per_100": {part: s * 100 / len(texts) for part, s in parts.items()}}
    encodings = MiniLM(str(model_dir())).tokenizer.encode_batch(texts)
    result["tokens_per_passage"] = float(np.mean([len(e.ids) for e in encodings]))
    return result
