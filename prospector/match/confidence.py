"""How sure a match is: a calibrated 0-1 confidence that the first suggestion is the page a
person would pitch, from features that mean the same on a 100-page and a 10,000-page site.

- `similarity`: how close the best page is (the hybrid ranker: cosine of the dead link's
  text to the page's closest passage, absolute and independent of the site's size; the
  lexical ranker: its TF-IDF score).
- `unknown`: the share of the dead link's words (IDF-weighted) that no page of the site uses.
  A post about "Celery retries" on a site that never says "celery" is about something else,
  however close the general topic.
- `covered`: the share of the dead link's words (IDF-weighted) that the best page uses.

A logistic model over the three, fitted on ../shared/match-dev (90 blind-labelled links:
`python benchmarks/fit_confidence.py` refits it and prints its leave-one-out figures).
The label is "the first suggestion is right", so a dead link whose best candidate is a near
miss gets a low confidence whether or not a right page exists.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Fitted by benchmarks/fit_confidence.py on match-dev (see benchmarks/results.md).
MODELS = {
    "hybrid": {"intercept": -2.9635, "similarity": 4.7303, "unknown": -2.99, "covered": 4.8333},
    "lexical": {"intercept": -2.5113, "similarity": 1.8699, "unknown": -0.8744, "covered": 6.9289},
}
DEFAULT_MIN_CONFIDENCE = 0.4  # below it: "nothing fits"; chosen with leave-one-out on match-dev


@dataclass(frozen=True)
class MatchFeatures:
    similarity: float
    unknown: float
    covered: float


def confidence(features: MatchFeatures, model: str) -> float:
    weights = MODELS[model]
    z = (weights["intercept"] + weights["similarity"] * features.similarity
         + weights["unknown"] * features.unknown + weights["covered"] * features.covered)
    return 1.0 / (1.0 + math.exp(-z))


def describe(features: MatchFeatures, value: float) -> str:
    """Why a confidence is what it is, in words a reviewer can check."""
    parts = [f"similarity {features.similarity:.2f}"]
    if features.unknown >= 0.25:
        parts.append(f"{features.unknown:.0%} of the link's words appear nowhere on your site")
    parts.append(f"the page uses {features.covered:.0%} of the link's words")
    return f"confidence {value:.2f} ({'; '.join(parts)})"
