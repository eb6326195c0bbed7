"""How the matcher's figures depend on how many dead links one match ranks together: the hub
correction learns which pages are hubs from the campaign's own dead links (a page's mean
closeness to the HUB_K links it is nearest), so a campaign of five dead links corrects less
than one of a hundred. Each dev site's blog-post cases (as blogpost_eval.py stored them) are
ranked in random batches of each size; top-1 at the shipped cut-off.

    python benchmarks/campaign_size.py > benchmarks/campaign_size.json
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from blogpost_eval import figures, load  # noqa: E402

BATCH_SIZES = (1, 5, 20, 50, 0)  # 0: every case at once
SITES = ("match-dev", "match-dev2", "match-dev3")


def main() -> None:
    from prospector.match.confidence import CUTOFFS
    from prospector.match.semantic import HybridRanker, load_encoder
    from prospector.store import Store

    encoder = load_encoder()
    work = HERE / "work" / "blogpost"
    top1: dict[str, list[float]] = {}
    for name in SITES:
        material = load(name, work)
        with Store(material.store) as store:
            ranker = HybridRanker(material.pages, encoder, store)
            for size in BATCH_SIZES:
                def rank(queries: list, size: int = size, ranker: HybridRanker = ranker) -> list:
                    order = list(range(len(queries)))
                    random.Random(3).shuffle(order)
                    step = size or len(order)
                    results: list = [None] * len(queries)
                    for start in range(0, len(order), step):
                        part = order[start:start + step]
                        ranked = ranker.rank([queries[i] for i in part], min_confidence=0.0)
                        for i, result in zip(part, ranked, strict=True):
                            results[i] = result
                    return results

                row = figures(material.site, material.base, material.path_queries, rank, CUTOFFS["hybrid"]).row()
                top1.setdefault(name, []).append(row["top1"])
                print(name, size, row, file=sys.stderr, flush=True)
    print(json.dumps({"batch_sizes": list(BATCH_SIZES), "top1": top1}, indent=2))


if __name__ == "__main__":
    main()
