"""Matcher benchmark: quality on the labelled evaluation set, and speed on a synthetic
10,000 own pages x 10,000 dead links (index build and ranking timed separately).

Run alone (`python benchmarks/match_bench.py`) or from benchmarks/run.py. Prints JSON.
"""

from __future__ import annotations

import itertools
import json
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from prospector.items import OwnPage  # noqa: E402
from prospector.match.evaluate import load_cases, load_pages, score  # noqa: E402
from prospector.match.query import LinkQuery  # noqa: E402
from prospector.match.rank import DEFAULT_MIN_SCORE, LexicalRanker  # noqa: E402

SYLLABLES = "ka lo mi ne ru sa ti vo ze pa da fe gi ho ju ly mo nu po qui ra se to ve wa xi yo zu".split()


def vocabulary(rng: random.Random, size: int) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))))
    return sorted(words)


def zipf_words(rng: random.Random, vocab: list[str], cumulative: list[float], n: int) -> str:
    return " ".join(rng.choices(vocab, cum_weights=cumulative, k=n))


def synthetic(pages: int, links: int, seed: int = 11) -> tuple[list[OwnPage], list[LinkQuery]]:
    rng = random.Random(seed)
    vocab = vocabulary(rng, 20_000)
    weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(vocab))))
    own = [OwnPage(url=f"https://me.com/p{i}", title=zipf_words(rng, vocab, weights, rng.randint(4, 9)),
                   description=zipf_words(rng, vocab, weights, 20),
                   headings="\n".join(zipf_words(rng, vocab, weights, 4) for _ in range(3)),
                   text=zipf_words(rng, vocab, weights, 250))
           for i in range(pages)]
    queries = []
    for i in range(links):
        target = own[rng.randrange(pages)]
        anchor = " ".join(rng.sample(target.title.split(), min(3, len(target.title.split()))))
        queries.append(LinkQuery(dead_url=f"https://gone{i}.com/x", anchor=anchor,
                                 slug=zipf_words(rng, vocab, weights, 4),
                                 context=zipf_words(rng, vocab, weights, 18) + " " + anchor,
                                 page_title=zipf_words(rng, vocab, weights, 6)))
    return own, queries


def quality(hybrid: bool = False) -> dict[str, float | int]:
    data = ROOT / "tests" / "data"
    pages = load_pages(data / "own_site.json")
    cases = load_cases(data / "match_eval.csv")
    start = time.perf_counter()
    if hybrid:
        from prospector.match.embed import DEFAULT_HYBRID_MIN_SCORE, HybridRanker, load_encoder

        ranker, min_score = HybridRanker(pages, load_encoder()), DEFAULT_HYBRID_MIN_SCORE
    else:
        ranker, min_score = LexicalRanker(pages), DEFAULT_MIN_SCORE
    result = score(cases, lambda queries: ranker.rank(queries, min_score=min_score))
    return {"cases": result.cases, "no_match_cases": sum(not c.expected for c in cases),
            "top1": result.top1, "top3": result.top3, "no_match_precision": result.no_match_precision,
            "no_match_recall": result.no_match_recall, "min_score": min_score,
            "seconds": time.perf_counter() - start}


def hybrid_quality() -> dict[str, float | int] | None:
    """The same figures with the embeddings extra, when it is installed."""
    import importlib.util

    if importlib.util.find_spec("sentence_transformers") is None:
        return None
    return quality(hybrid=True)


def speed(pages: int = 10_000, links: int = 10_000) -> dict[str, float | int]:
    own, queries = synthetic(pages, links)
    start = time.perf_counter()
    ranker = LexicalRanker(own)
    built = time.perf_counter()
    results = ranker.rank(queries)
    done = time.perf_counter()
    ranker.rank(queries, min_score=0.0)  # worst case: three explained suggestions for every link
    worst = time.perf_counter()
    return {"own_pages": pages, "dead_links": links, "index_s": built - start, "rank_s": done - built,
            "total_s": done - start, "with_suggestion": sum(r.matched for r in results),
            "rank_all_explained_s": worst - done,
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


if __name__ == "__main__":
    speed_figures = speed()  # first: its peak RSS must not include the embedding model
    print(json.dumps({"quality": quality(), "hybrid": hybrid_quality(), "speed": speed_figures}, indent=2))
