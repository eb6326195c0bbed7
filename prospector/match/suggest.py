"""The match stage without the fetching: rank the stored own pages for every dead link and
store the suggestions (or the plain statement that nothing fits)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from prospector.match.embed import Encoder, HybridRanker
from prospector.match.query import build_query
from prospector.match.rank import DEFAULT_MIN_SCORE, LexicalRanker
from prospector.store import Store


@dataclass(frozen=True)
class MatchSummary:
    own_pages: int
    dead_links: int
    matched: int
    no_match: int
    index_seconds: float
    rank_seconds: float


def match_dead_links(store: Store, min_score: float = DEFAULT_MIN_SCORE,
                     encoder: Encoder | None = None) -> MatchSummary:
    """Rank with the lexical ranker, or the hybrid one when an embedding encoder is given."""
    pages = store.own_pages()
    mentions = store.dead_link_mentions()
    started = time.perf_counter()
    ranker = HybridRanker(pages, encoder) if encoder else LexicalRanker(pages)
    indexed = time.perf_counter()
    queries = [build_query(url, found) for url, found in mentions.items()]
    results = ranker.rank(queries, min_score=min_score)
    ranked = time.perf_counter()
    for result in results:
        if result.matched:
            store.save_match(result.dead_url, [(s.url, s.score, s.reason) for s in result.suggestions],
                             result.suggestions[0].reason)
        else:
            store.save_match(result.dead_url, [], result.no_match_reason(min_score))
    matched = sum(r.matched for r in results)
    return MatchSummary(len(pages), len(results), matched, len(results) - matched,
                        indexed - started, ranked - indexed)
