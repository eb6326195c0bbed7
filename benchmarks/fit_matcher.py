"""Fit every choice of the matcher on the dev sites as a campaign meets them, and report each
site with itself held out of the fit.

The choices: the weight of words against meaning (LEXICAL_WEIGHT), the hub correction
(HUB_PENALTY, HUB_K), whether the linking page's title joins the dead link's text, the
confidence model (a logistic regression over the ranker's features) and the cut-off below
which "nothing fits". For each site in turn, all of them are chosen on the other two sites
only (the grid's best mean top-1 there, the model and the cut-off fitted there) and the
held-out site is scored: those are the figures that count. The same-site figures (everything
fitted on all three) beside them show the over-fit. What ships is fitted on all three.

    python benchmarks/fit_matcher.py            # prints JSON, and the values to ship
"""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from blogpost_eval import Material, figures, load  # noqa: E402

from prospector.match.confidence import FEATURES  # noqa: E402
from prospector.match.rank import LexicalRanker, MatchResult  # noqa: E402

SITES = ("match-dev", "match-dev2", "match-dev3")
GRID = {"lexical_weight": (0.5, 1.0, 2.0), "hub_penalty": (0.0, 0.3, 0.5), "hub_k": (5, 10),
        "page_title": (False, True)}
CUTOFFS = np.round(np.arange(0.05, 0.95, 0.01), 2)


@dataclass
class Ranked:
    """One configuration's rankings of one site's cases (the cut-off applied later)."""

    material: Material
    results: dict[str, MatchResult]  # case id -> result

    def features(self, model: str) -> tuple[np.ndarray, np.ndarray]:
        """(features of each ranked case's first page, 1 when that page is right)."""
        rows, labels = [], []
        base = self.material.base
        for case in self.material.site.cases:
            result = self.results.get(case.case_id)
            if result is None or result.features is None:
                continue
            rows.append([getattr(result.features, f) for f in FEATURES[model]])
            first = result.best.url.removeprefix(base) if result.best else None
            labels.append(int(bool(case.expected) and first in case.expected))
        return np.array(rows), np.array(labels)


def ranked(material: Material, ranker: LexicalRanker) -> Ranked:
    asked = [(cid, q) for cid, q in material.path_queries.items() if q is not None]
    results = ranker.rank([q for _, q in asked], min_confidence=0.0)
    return Ranked(material, dict(zip([cid for cid, _ in asked], results, strict=False)))


def hybrid(material: Material, encoder: object, config: dict[str, object]) -> Ranked:
    from prospector.match.semantic import QUERY_FIELDS, HybridRanker
    from prospector.store import Store

    fields = QUERY_FIELDS if config["page_title"] else tuple(f for f in QUERY_FIELDS if f != "page_title")
    with Store(material.store) as store:
        ranker = HybridRanker(material.pages, encoder, store, lexical_weight=float(config["lexical_weight"]),
                              hub_penalty=float(config["hub_penalty"]), hub_k=int(config["hub_k"]),
                              query_fields=fields)
        return ranked(material, ranker)


@dataclass(frozen=True)
class Fit:
    weights: dict[str, float]  # intercept and one weight per feature
    cutoff: float


def fit(training: Sequence[Ranked], model: str) -> Fit:
    """The confidence model and the cut-off that give the best mean top-1 on `training`."""
    from sklearn.linear_model import LogisticRegression

    rows = [r.features(model) for r in training]
    regression = LogisticRegression(max_iter=2000).fit(np.vstack([x for x, _ in rows]),
                                                       np.concatenate([y for _, y in rows]))
    weights = {"intercept": float(regression.intercept_[0]),
               **{f: float(w) for f, w in zip(FEATURES[model], regression.coef_[0], strict=False)}}
    cutoff = max(CUTOFFS, key=lambda c: (np.mean([score(r, model, weights, c).top1 for r in training]), -c))
    return Fit(weights, float(cutoff))


def score(r: Ranked, model: str, weights: dict[str, float], cutoff: float):
    """The site's figures with this confidence model and cut-off."""
    def confidence(result: MatchResult) -> float:
        if result.features is None:
            return 0.0
        z = weights["intercept"] + sum(weights[f] * getattr(result.features, f) for f in FEATURES[model])
        return 1 / (1 + np.exp(-z))

    rescored = {cid: _with_confidence(res, confidence(res)) for cid, res in r.results.items()}
    m = r.material
    queries = {c.case_id: m.path_queries[c.case_id] for c in m.site.cases}
    by_query = {id(queries[cid]): rescored[cid] for cid in rescored}
    return figures(m.site, m.base, queries, lambda qs: [by_query[id(q)] for q in qs], cutoff)


def _with_confidence(result: MatchResult, value: float) -> MatchResult:
    from dataclasses import replace

    return replace(result, confidence=value)


def main() -> None:
    from prospector.match.semantic import load_encoder

    work = HERE / "work" / "blogpost"
    materials = {name: load(name, work) for name in SITES}
    encoder = load_encoder()
    configs = [dict(zip(GRID, values, strict=False)) for values in itertools.product(*GRID.values())]
    rankings = {i: {name: hybrid(materials[name], encoder, c) for name in SITES} for i, c in enumerate(configs)}
    lexical = {name: ranked(materials[name], LexicalRanker(materials[name].pages)) for name in SITES}

    def best_config(training: Sequence[str]) -> tuple[int, Fit]:
        choices = []
        for i in rankings:
            fitted = fit([rankings[i][n] for n in training], "hybrid")
            top1 = np.mean([score(rankings[i][n], "hybrid", fitted.weights, fitted.cutoff).top1 for n in training])
            choices.append((top1, -i, i, fitted))
        _, _, i, fitted = max(choices, key=lambda c: (c[0], c[1]))
        return i, fitted

    report: dict[str, dict[str, object]] = {}
    final_index, final_fit = best_config(SITES)
    lexical_final = fit([lexical[n] for n in SITES], "lexical")
    for held in SITES:
        training = [n for n in SITES if n != held]
        index, fitted = best_config(training)
        lexical_fit = fit([lexical[n] for n in training], "lexical")
        final_ranked = rankings[final_index][held]
        report[held] = {
            "held_out": score(rankings[index][held], "hybrid", fitted.weights, fitted.cutoff).row()
            | {"config": configs[index], "cutoff": fitted.cutoff},
            "same_site": score(final_ranked, "hybrid", final_fit.weights, final_fit.cutoff).row(),
            "words_held_out": score(lexical[held], "lexical", lexical_fit.weights, lexical_fit.cutoff).row(),
            "words_same_site": score(lexical[held], "lexical", lexical_final.weights, lexical_final.cutoff).row(),
            "direct_held_out": _direct(materials[held], encoder, configs[index], fitted).row(),
            "direct_same_site": _direct(materials[held], encoder, configs[final_index], final_fit).row(),
        }
    shipped = {"config": configs[final_index], "hybrid": final_fit.weights, "hybrid_cutoff": final_fit.cutoff,
               "lexical": lexical_final.weights, "lexical_cutoff": lexical_final.cutoff}
    print(json.dumps({"sites": report, "shipped": shipped}, indent=2))


def _direct(material: Material, encoder: object, config: dict[str, object], fitted: Fit):
    """The labelled contexts fed straight to the ranker (what extraction would give at best)."""
    direct = Material(material.site, material.pages, material.base, dict(material.direct_queries),
                      material.direct_queries, material.store)
    return score(hybrid(direct, encoder, config), "hybrid", fitted.weights, fitted.cutoff)


if __name__ == "__main__":
    main()
