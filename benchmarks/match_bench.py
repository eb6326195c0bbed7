"""Matcher benchmark: quality on match-dev (a real 147-page docs site served from the fake web
and read through its sitemap, 90 blind-labelled dead links) and on tests/data's set, lexical
and semantic side by side with time and peak memory (each in its own process); and speed on
a synthetic 10,000 own pages x 10,000 dead links.

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
from prospector.match.rank import LexicalRanker  # noqa: E402

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


def _figures(result, seconds: float) -> dict[str, float | int]:
    return {"cases": result.cases, "top1": result.top1, "top3": result.top3,
            "no_match_precision": result.no_match_precision, "no_match_recall": result.no_match_recall,
            "seconds": seconds, "peak_rss_mib": peak_rss_mib()}


def peak_rss_mib() -> float:
    """This process's peak RSS. /proc's VmHWM, not getrusage: ru_maxrss survives fork + exec,
    so a child started after a big parent would report the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _ranker(pages, semantic: bool, cache=None):
    if semantic:
        from prospector.match.semantic import HybridRanker, load_encoder

        return HybridRanker(pages, load_encoder(), cache)
    return LexicalRanker(pages)


def quality(semantic: bool) -> dict[str, float | int]:
    """tests/data's set (69 cases, 86-page site): the regression check."""
    data = ROOT / "tests" / "data"
    pages, cases = load_pages(data / "own_site.json"), load_cases(data / "match_eval.csv")
    start = time.perf_counter()
    ranker = _ranker(pages, semantic)
    result = score(cases, lambda queries: ranker.rank(queries))
    return {**_figures(result, time.perf_counter() - start), "no_match_cases": sum(not c.expected for c in cases)}


def match_dev(semantic: bool) -> dict[str, float | int]:
    """The whole path: the site served from the fake web, read by `prospector match` through
    robots.txt and the sitemap into a store, then ranked and cut off at the default confidence.
    Time: first run (every passage encoded) and re-run (vectors from the store)."""
    import subprocess
    import tempfile

    from prospector.fakeweb import FakeWeb
    from prospector.match.evaluate import MATCH_DEV_HOST, load_match_dev_cases, static_site_spec
    from prospector.store import Store

    folder = ROOT / "tests" / "data" / "match_dev"
    with tempfile.TemporaryDirectory() as tmp, FakeWeb(static_site_spec(folder / "site")) as web:
        db = Path(tmp) / "store.sqlite"
        subprocess.run([sys.executable, "-m", "prospector", "match", "--lexical", "-q", "--sitemap",
                        web.url(MATCH_DEV_HOST), "--db", str(db), "--nameserver", web.nameserver,
                        "--allow-private-networks"], check=True, capture_output=True)
        cases = load_match_dev_cases(folder / "cases.csv", web.url(MATCH_DEV_HOST).rstrip("/"))
        with Store(db) as store:
            pages = store.own_pages()
            start = time.perf_counter()
            ranker = _ranker(pages, semantic, store)
            result = score(cases, lambda queries: ranker.rank(queries))
            first = time.perf_counter() - start
            start = time.perf_counter()
            score(cases, lambda queries: _ranker(pages, semantic, store).rank(queries))
            rerun = time.perf_counter() - start
    return {**_figures(result, first), "rerun_seconds": rerun, "pages": len(pages)}


def speed(pages: int = 10_000, links: int = 10_000) -> dict[str, float | int]:
    own, queries = synthetic(pages, links)
    start = time.perf_counter()
    ranker = LexicalRanker(own)
    built = time.perf_counter()
    results = ranker.rank(queries)
    done = time.perf_counter()
    ranker.rank(queries, min_confidence=0.0)  # worst case: three explained suggestions for every link
    worst = time.perf_counter()
    return {"own_pages": pages, "dead_links": links, "index_s": built - start, "rank_s": done - built,
            "total_s": done - start, "with_suggestion": sum(r.matched for r in results),
            "rank_all_explained_s": worst - done,
            "peak_rss_mib": peak_rss_mib()}


if __name__ == "__main__":
    if len(sys.argv) == 3:  # one quality measurement in this process: its own peak memory
        kind, mode = sys.argv[1], sys.argv[2] == "semantic"
        print(json.dumps(match_dev(mode) if kind == "match-dev" else quality(mode)))
        sys.exit(0)
    import subprocess

    from prospector.match.semantic import available

    def measured(kind: str, mode: str) -> dict | None:
        if mode == "semantic" and not available():
            return None
        out = subprocess.run([sys.executable, __file__, kind, mode], check=True, capture_output=True, text=True)
        return json.loads(out.stdout)

    speed_figures = speed()
    print(json.dumps({
        "match_dev": {mode: measured("match-dev", mode) for mode in ("lexical", "semantic")},
        "quality": measured("eval", "lexical"), "hybrid": measured("eval", "semantic"), "speed": speed_figures,
    }, indent=2))
