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
from datetime import UTC
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from prospector.items import OwnPage  # noqa: E402
from prospector.match.query import LinkQuery  # noqa: E402
from prospector.match.rank import LexicalRanker  # noqa: E402
from prospector.testing.evaluate import load_cases, load_pages, score  # noqa: E402

TEN_K = ROOT / "benchmarks" / "semantic_10k.json"  # python benchmarks/match_bench.py semantic-speed 10000
TEN_K_BEFORE = ROOT / "benchmarks" / "semantic_10k_before.json"  # … semantic-speed-before 10000
BLOGPOST = ROOT / "benchmarks" / "blogpost.json"  # python benchmarks/fit_matcher.py (about half an hour)
CAMPAIGN_SIZE = ROOT / "benchmarks" / "campaign_size.json"  # python benchmarks/campaign_size.py
SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pa", "da", "fe", "gi", "ho", "ju", "ly", "mo",
             "nu", "po", "qui", "ra", "se", "to", "ve", "wa", "xi", "yo", "zu"]


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
    from prospector.store import Store
    from prospector.testing.evaluate import MATCH_DEV_HOST, load_match_dev_cases, static_site_spec

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


def english_synthetic(pages: int, links: int, seed: int = 7, vocabulary_of: str = "match_dev",
                      text_words: int = 250) -> tuple[list[OwnPage], list[LinkQuery]]:
    """Pages and dead links of real English words (a site's vocabulary, by frequency), so the
    tokenizer cuts them as it cuts real text (~1.3 word pieces a word): 250 words of text a page
    (3 passages), 25-word contexts. `vocabulary_of`: match_dev (docs about web APIs) or
    own_site (tests/data's site about web analytics and privacy)."""
    from collections import Counter

    from prospector.testing.evaluate import read_site_folder

    data = ROOT / "tests" / "data"
    texts = ([p.text for p in read_site_folder(data / "match_dev" / "site", "")] if vocabulary_of == "match_dev"
             else [p.text for p in load_pages(data / "own_site.json")])
    counts = Counter(w for t in texts for w in t.split() if w.isalpha())
    vocab, freq = zip(*counts.most_common(), strict=False)
    cumulative = list(itertools.accumulate(freq))
    rng = random.Random(seed)

    def text(n: int) -> str:
        return " ".join(rng.choices(vocab, cum_weights=cumulative, k=n))

    own = [OwnPage(url=f"https://me.com/p{i}", title=text(rng.randint(3, 8)), description=text(20),
                   headings=text(6), text=text(text_words)) for i in range(pages)]
    queries = [LinkQuery(dead_url=f"https://gone{i}.com/{'-'.join(text(3).split())}", anchor=text(3),
                         slug=text(3), context=text(25)) for i in range(links)]
    return own, queries


def semantic_speed(pages: int, links: int, before: bool = False) -> dict[str, float | int]:
    """The semantic path on `pages` x `links`: a first run (every passage and link encoded), then
    a re-run with a tenth of the pages changed and a tenth of the links new, with the vectors
    cached in a store as `prospector match` does. `before`: with the forward pass as it was
    before it was made faster (exact_minilm.py), for a comparison on the same machine."""
    import tempfile

    from prospector.match.semantic import HybridRanker, load_encoder
    from prospector.store import Store

    own, queries = english_synthetic(pages, links)
    encoder = load_encoder()
    if before:
        from exact_minilm import ExactMiniLM

        from prospector.match.semantic import model_dir

        encoder.model = ExactMiniLM(str(model_dir()))  # type: ignore[attr-defined]
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "store.sqlite") as store:
        start = time.perf_counter()
        ranker = HybridRanker(own, encoder, store)
        indexed = time.perf_counter()
        ranker.rank(queries)
        ranked = time.perf_counter()
        changed = [OwnPage(p.url, p.title, p.description, p.headings, p.text + " updated")
                   if i % 10 == 0 else p for i, p in enumerate(own)]
        _, fresh = english_synthetic(0, links // 10, seed=8)
        fresh = [LinkQuery(f"https://new{i}.com/x", q.anchor, q.slug, q.context) for i, q in enumerate(fresh)]
        again = time.perf_counter()
        HybridRanker(changed, encoder, store).rank(queries[len(fresh):] + fresh)
        done = time.perf_counter()
        passages = len(ranker.passages)
    return {"own_pages": pages, "dead_links": links, "passages": passages, "first_index_s": indexed - start,
            "first_rank_s": ranked - indexed, "first_total_s": ranked - start,
            "passages_per_s": passages / (indexed - start), "rerun_total_s": done - again,
            "peak_rss_mib": peak_rss_mib()}


def size_check(semantic: bool, filler: int = 9_853) -> dict[str, float | int]:
    """Does "nothing fits" mean the same on a bigger site? match-dev's 147 pages alone, then
    among `filler` more pages about something else (English words of tests/data's analytics
    site): how many of the 90 decisions (suggest which page, or nothing) stay the same, and the
    figures of each."""
    from prospector.testing.evaluate import MATCH_DEV_HOST, load_match_dev_cases, read_site_folder

    folder = ROOT / "tests" / "data" / "match_dev"
    base = f"http://{MATCH_DEV_HOST}"
    pages = read_site_folder(folder / "site", base)
    cases = load_match_dev_cases(folder / "cases.csv", base)
    extra, _ = english_synthetic(filler, 0, seed=9, vocabulary_of="own_site", text_words=100)
    queries = [c.query for c in cases]
    small, big = _ranker(pages, semantic).rank(queries), _ranker(pages + extra, semantic).rank(queries)

    def decision(result) -> str:
        return result.suggestions[0].url if result.suggestions else ""

    same = sum(decision(a) == decision(b) for a, b in zip(small, big, strict=False))
    same_first = sum(bool(a.best and b.best and a.best.url == b.best.url) for a, b in zip(small, big, strict=False))
    small_scores = score(cases, lambda queries: small)
    big_scores = score(cases, lambda queries: big)
    return {"pages_small": len(pages), "pages_big": len(pages) + len(extra), "same_decision": same,
            "same_first_candidate": same_first,
            "cases": len(cases), "top1_small": small_scores.top1, "top1_big": big_scores.top1,
            "no_match_precision_small": small_scores.no_match_precision,
            "no_match_precision_big": big_scores.no_match_precision,
            "no_match_recall_small": small_scores.no_match_recall, "no_match_recall_big": big_scores.no_match_recall}


if __name__ == "__main__":
    if len(sys.argv) == 3:  # one measurement in this process: its own peak memory
        kind, arg = sys.argv[1], sys.argv[2]
        if kind in ("semantic-speed", "semantic-speed-before"):  # python benchmarks/match_bench.py semantic-speed 10000
            print(json.dumps(semantic_speed(int(arg), int(arg), before=kind.endswith("before")), indent=2))
        elif kind == "encoder-profile":
            from encoder_profile import profile

            print(json.dumps(profile(int(arg))))
        elif kind == "size-check":
            print(json.dumps(size_check(arg == "semantic")))
        elif kind == "archive":  # python benchmarks/match_bench.py archive semantic
            import tempfile

            from prospector.testing.evaluate_archive import measure

            with tempfile.TemporaryDirectory() as work:
                print(json.dumps(measure(ROOT / "tests" / "data" / "match_dev", Path(work), f"--{arg}")))
        else:
            print(json.dumps(match_dev(arg == "semantic") if kind == "match-dev" else quality(arg == "semantic")))
        sys.exit(0)
    import subprocess

    from prospector.match.semantic import available

    def measured(kind: str, mode: str) -> dict | None:
        if mode == "semantic" and not available():
            return None
        out = subprocess.run([sys.executable, __file__, kind, mode], check=True, capture_output=True, text=True)
        return json.loads(out.stdout)

    speed_figures = speed()
    from datetime import datetime

    print(json.dumps({
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "match_dev": {mode: measured("match-dev", mode) for mode in ("lexical", "semantic")},
        "quality": measured("eval", "lexical"), "hybrid": measured("eval", "semantic"), "speed": speed_figures,
        "archive_match_dev": {mode: measured("archive", mode) for mode in ("lexical", "semantic")},
        "size_check": {"semantic + words": measured("size-check", "semantic"),
                       "words only": measured("size-check", "lexical")},
        "semantic_speed_1k": measured("semantic-speed", "1000") if available() else None,
        "semantic_speed_1k_before": measured("semantic-speed-before", "1000") if available() else None,
        # 10,000 x 10,000 takes 10-25 minutes here: run by hand into semantic_10k.json (and
        # semantic-speed-before into semantic_10k_before.json)
        "semantic_speed_10k": json.loads(TEN_K.read_text()) if TEN_K.exists() else None,
        "semantic_speed_10k_before": json.loads(TEN_K_BEFORE.read_text()) if TEN_K_BEFORE.exists() else None,
        "encoder_profile": measured("encoder-profile", "600") if available() else None,
        # the blog-post path of the three dev sites, each held out (run by hand: see BLOGPOST)
        "blogpost": json.loads(BLOGPOST.read_text()) if BLOGPOST.exists() else None,
        "campaign_size": json.loads(CAMPAIGN_SIZE.read_text()) if CAMPAIGN_SIZE.exists() else None,
    }, indent=2))
