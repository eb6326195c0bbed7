"""How sure a match is: a calibrated 0-1 confidence that the first suggestion is the page a
person would pitch, from features that mean the same on a 100-page and a 10,000-page site.

- `similarity`: how close the best page is (the hybrid ranker: cosine of the dead link's
  text to the page's closest passage, absolute and independent of the site's size; the
  lexical ranker: its TF-IDF score).
- `distinct` (hybrid): that similarity less the page's hub level (how close the page comes to
  every dead link of the campaign: a long hub page is near everything, and means less for
  being near this one).
- `lexical` (hybrid): the page's word-match score.
- `unknown`: the share of the dead link's words (IDF-weighted) that no page of the site uses.
  A post about "Celery retries" on a site that never says "celery" is about something else,
  however close the general topic.
- `covered`: the share of the dead link's words (IDF-weighted) that the best page uses.

A logistic model over them, fitted on the three dev sites' cases as a campaign meets them —
each case a blog post, crawled, checked, archived and matched (`python benchmarks/fit_matcher.py`
refits it, and reports every figure with each site held out of the fit). The label is "the
first suggestion is right", so a dead link whose best candidate is a near miss gets a low
confidence whether or not a right page exists.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Which features each ranker's model reads, in order.
FEATURES = {"hybrid": ("similarity", "distinct", "lexical", "unknown", "covered"),
            "lexical": ("similarity", "unknown", "covered")}
# Fitted by benchmarks/fit_matcher.py on match-dev, match-dev2 and match-dev3 (benchmarks/results.md).
MODELS = {
    "hybrid": {"intercept": -3.3942, "similarity": 2.7565, "distinct": 3.1394, "lexical": 1.1242, "unknown": -0.2087,
               "covered": 4.3871},
    "lexical": {"intercept": -2.698, "similarity": 1.1938, "unknown": 0.3423, "covered": 6.4008},
}
# Below it: "nothing fits". Each model's own, fitted with it (the cut-off that gave the best
# top-1 over the three sites); --min-confidence overrides both.
CUTOFFS = {"hybrid": 0.47, "lexical": 0.29}


@dataclass(frozen=True)
class MatchFeatures:
    similarity: float
    unknown: float
    covered: float
    distinct: float = 0.0
    lexical: float = 0.0


def confidence(features: MatchFeatures, model: str) -> float:
    weights = MODELS[model]
    z = weights["intercept"] + sum(weights[name] * getattr(features, name) for name in FEATURES[model])
    return 1.0 / (1.0 + math.exp(-z))


def describe(features: MatchFeatures, value: float) -> str:
    """Why a confidence is what it is, in words a reviewer can check."""
    parts = [f"similarity {features.similarity:.2f}"]
    if features.unknown >= 0.25:
        parts.append(f"{features.unknown:.0%} of the link's words appear nowhere on your site")
    parts.append(f"the page uses {features.covered:.0%} of the link's words")
    return f"confidence {value:.2f} ({'; '.join(parts)})"
