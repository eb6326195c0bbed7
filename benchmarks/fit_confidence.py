"""Fit the confidence model (prospector/match/confidence.py) on match-dev and print its
coefficients and leave-one-out figures. Run: python benchmarks/fit_confidence.py

The label of a case is "the first suggestion is right"; the features are those of the
ranked first page. Leave-one-out predictions give honest figures for the chosen cut-off
(a model fitted on all 90 cases and scored on them would flatter itself).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import LeaveOneOut, cross_val_predict

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from prospector.match.rank import LexicalRanker  # noqa: E402
from prospector.testing.evaluate import load_match_dev_cases, read_site_folder  # noqa: E402

MATCH_DEV = ROOT / "tests" / "data" / "match_dev"
BASE = "http://www.fastapi-docs.org"
FEATURES = ("similarity", "unknown", "covered")


def fit(ranker, cases) -> dict:
    results = ranker.rank([c.query for c in cases], min_confidence=0.0)
    X = np.array([[getattr(r.features, f) for f in FEATURES] for r in results])
    y = np.array([bool(r.suggestions) and r.suggestions[0].url in c.expected
                  for r, c in zip(results, cases, strict=False)])
    nothing = np.array([not c.expected for c in cases])
    model = LogisticRegression(C=10.0, max_iter=5000)
    held_out = cross_val_predict(model, X, y, cv=LeaveOneOut(), method="predict_proba")[:, 1]
    model.fit(X, y)
    figures = {}
    for cut in (0.3, 0.35, 0.4, 0.45, 0.5):
        none = held_out < cut
        right = int(((~none) & y).sum() + (none & nothing).sum())
        figures[str(cut)] = {"top1": round(right / len(cases), 3),
                             "no_match_precision": round(float((none & nothing).sum() / max(1, none.sum())), 3),
                             "no_match_recall": round(float((none & nothing).sum() / nothing.sum()), 3)}
    return {"coefficients": {"intercept": round(float(model.intercept_[0]), 4),
                             **{f: round(float(w), 4) for f, w in zip(FEATURES, model.coef_[0], strict=False)}},
            "first_right_of_answerable": f"{int(y.sum())}/{int((~nothing).sum())}",
            "leave_one_out": figures}


if __name__ == "__main__":
    pages = read_site_folder(MATCH_DEV / "site", BASE)
    cases = load_match_dev_cases(MATCH_DEV / "cases.csv", BASE)
    out = {"lexical": fit(LexicalRanker(pages), cases)}
    from prospector.match.semantic import HybridRanker, available, load_encoder

    if available():
        out["hybrid"] = fit(HybridRanker(pages, load_encoder()), cases)
    print(json.dumps(out, indent=2))
