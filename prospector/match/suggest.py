"""The match stage without the fetching: rank the stored own pages for every dead link and
store the suggestions (or the plain statement that nothing fits)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from prospector.errors import Interrupted
from prospector.match.confidence import CUTOFFS
from prospector.match.query import build_query
from prospector.match.rank import LexicalRanker
from prospector.match.semantic import INSTALL_HINT, Encoder, HybridRanker, available, load_encoder
from prospector.store import Store
from prospector.store.rows import ArchivedPage


@dataclass(frozen=True)
class MatchRanking:
    own_pages: int
    dead_links: int
    matched: int
    no_match: int
    index_seconds: float
    rank_seconds: float
    ranker: str  # "hybrid" (semantic + lexical) or "lexical"
    passages_encoded: int = 0  # own-page passages encoded this run (the others came from the store)
    min_confidence: float = 0.0  # the cut-off it was ranked with


def rank_stored(store: Store, semantic: bool | None, min_confidence: float | None, progress: bool = False,
                note: Callable[[str], None] | None = None) -> MatchRanking:
    """The match stage's ranking, with a bar while pages are encoded: semantic when the model
    is installed (unless `semantic` is False; True without it: EmbeddingsUnavailable), else
    on words, which `note` says when given. Ctrl-C while encoding is Interrupted: the
    passages encoded are kept (the store caches them)."""
    from prospector.progress import CountProgress

    encoder = None
    if semantic is None and not available():
        if note:
            note(f"Note: matching on words only; {INSTALL_HINT}.")
    elif semantic is not False:
        encoder = load_encoder()
    with CountProgress("Encoding your pages", progress) as bar:
        try:
            return match_dead_links(store, min_confidence, encoder, bar)
        except KeyboardInterrupt:
            raise Interrupted(f"Match stopped while encoding your pages: {bar.done} passages encoded this run "
                              "are kept; run the same command again to resume.") from None


def match_dead_links(store: Store, min_confidence: float | None = None,
                     encoder: Encoder | None = None, progress: Callable[[int, int], None] | None = None
                     ) -> MatchRanking:
    """Rank with the hybrid ranker when an encoder is given, else the lexical one. Only
    editorial dead links are matched: a dead share button is not replaced by a page.
    min_confidence None: the ranker's own fitted cut-off."""
    pages = store.own_pages()
    mentions = store.dead_link_mentions()
    started = time.perf_counter()
    encoded = 0

    def counted(n: int, total: int) -> None:
        nonlocal encoded
        encoded += n
        if progress:
            progress(n, total)

    ranker = HybridRanker(pages, encoder, store, progress=counted) if encoder else LexicalRanker(pages)
    if min_confidence is None:
        min_confidence = CUTOFFS[ranker.model]
    indexed = time.perf_counter()
    archived = store.archived()
    queries = [build_query(url, found, archived=_archived_text(archived.get(url))) for url, found in mentions.items()]
    results = ranker.rank(queries, min_confidence=min_confidence)
    ranked = time.perf_counter()
    store.save_matches([
        (r.dead_url, [(s.url, s.score, s.reason) for s in r.suggestions], r.confidence,
         r.suggestions[0].reason if r.matched else r.no_match_reason(min_confidence))
        for r in results])
    matched = sum(r.matched for r in results)
    return MatchRanking(len(pages), len(results), matched, len(results) - matched,
                        indexed - started, ranked - indexed, ranker.model, encoded, min_confidence)


def _archived_text(row: ArchivedPage | None) -> str:
    """The archived copy's title and description, when the archive had a good capture."""
    if not row or row.outcome != "captured":
        return ""
    return ". ".join(part for part in (row.title, row.description) if part)
