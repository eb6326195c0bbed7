"""Rank the user's own pages for each dead link: fielded TF-IDF (scikit-learn), top 3 with a
score in [0, 1] and a one-line reason naming the terms that matched.

Why TF-IDF and not BM25: the fields are short (titles, headings, a description, the start of
the text), where BM25's term-frequency saturation changes little, while scikit-learn's sparse
matrices let every dead link be scored against every page in a few matrix products, field
weights folded into one matrix beforehand (10,000 x 10,000 in seconds).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize

from prospector.items import OwnPage
from prospector.match.confidence import CUTOFFS, MatchFeatures, confidence, describe
from prospector.match.query import LinkQuery, analyze, stem, words

PAGE_FIELDS = {"title": 3.0, "headings": 2.0, "description": 1.5, "text": 1.0}
# LinkQuery fields. The archived copy's title says what the page was, as an anchor does.
QUERY_PARTS = {"anchor": 3.0, "archived": 3.0, "slug": 2.0, "context": 1.0, "page_title": 0.5}
FIELD_LABELS = {"title": "title", "headings": "heading", "description": "description", "text": "page text"}
PART_LABELS = {"anchor": "anchor", "archived": "archived copy", "slug": "URL words", "context": "context",
               "page_title": "linking page title"}
CHUNK = 500  # queries scored per matrix product: bounds memory at CHUNK x pages floats
HASH_FEATURES = 2**21  # term space: collisions among a site's words and word pairs are rare


@dataclass(frozen=True)
class Suggestion:
    url: str
    title: str
    score: float
    reason: str


@dataclass(frozen=True)
class MatchResult:
    dead_url: str
    suggestions: tuple[Suggestion, ...]  # best first (at most `top`); empty when nothing fits
    best: Suggestion | None  # the best candidate, even when it is not confident enough
    confidence: float = 0.0  # calibrated: how likely the best candidate is the right page
    why: str = ""  # the confidence explained
    features: MatchFeatures | None = None  # what the confidence was computed from

    @property
    def matched(self) -> bool:
        return bool(self.suggestions)

    def no_match_reason(self, min_confidence: float) -> str:
        if self.best is None:
            return "no page of your site shares a word with this link"
        return (f"nothing fits: best candidate {self.best.url} has {self.why}, "
                f"below the minimum {min_confidence:.2f}")


class LexicalRanker:
    """Pages and queries are hashed into a fixed space of terms (no vocabulary to build or keep,
    which is what makes 10,000 pages with all their word pairs cheap); IDF is computed from
    the pages, so a query word that no page uses gets the highest IDF and, as it matches
    nothing, only lowers the score: "invoice template" against a site without invoices
    matches "template" at reduced strength, not in full."""

    model = "lexical"  # which confidence model (confidence.MODELS) reads this ranker's similarities

    def __init__(self, pages: Sequence[OwnPage], page_fields: dict[str, float] | None = None,
                 query_parts: dict[str, float] | None = None):
        self.pages = list(pages)
        self.page_fields = page_fields or PAGE_FIELDS
        self.query_parts = query_parts or QUERY_PARTS
        self.hasher = HashingVectorizer(analyzer=_given, n_features=HASH_FEATURES, alternate_sign=False,
                                        norm=None, dtype=np.float32)
        self._page_terms: dict[int, dict[str, set[str]]] = {}
        self.matrix: sparse.csr_matrix | None = None
        if not self.pages:
            return
        counts = {f: self.hasher.transform(analyze(getattr(p, f) or "") for p in self.pages)
                  for f in self.page_fields}
        present = sum((c > 0).astype(np.float32) for c in counts.values())
        self.uses = sparse.csr_matrix(present > 0, dtype=np.float32)  # pages x terms: who uses what
        self.uses.sort_indices()
        df = np.asarray(self.uses.sum(axis=0)).ravel()
        n = len(self.pages)
        idf = np.log((1 + n) / (1 + df)) + 1  # scikit-learn's smoothed IDF
        self.df, self.plain_idf = df, idf.astype(np.float32)
        # Terms on more than half the pages ("analytics" on an analytics site) rank nothing
        # and make every product dense: they are dropped on both sides. Small sites keep all.
        if n >= 50:
            idf[df > n / 2] = 0.0
        self.idf = sparse.diags(idf.astype(np.float32))
        total = sum(self.page_fields.values())
        combined = None
        for field, weight in self.page_fields.items():
            part = normalize(self._weigh(counts[field])) * (weight / total)
            combined = part if combined is None else combined + part
        self.matrix = sparse.csr_matrix(combined).T.tocsr()  # terms x pages
        self.matrix.eliminate_zeros()

    def _weigh(self, counts: sparse.csr_matrix) -> sparse.csr_matrix:
        """Sublinear term frequency (1 + log tf) times IDF."""
        weighted = counts.tocsr(copy=True)
        weighted.data = 1 + np.log(weighted.data)
        return weighted @ self.idf

    def query_matrix(self, queries: Sequence[LinkQuery]) -> sparse.csr_matrix:
        """One row per query: each part's TF-IDF vector, normalised, weighted, summed."""
        total = None
        for part, weight in self.query_parts.items():
            vectors = normalize(self._weigh(self.hasher.transform(analyze(getattr(q, part)) for q in queries)))
            total = vectors * weight if total is None else total + vectors * weight
        return normalize(sparse.csr_matrix(total))

    def rank(self, queries: Sequence[LinkQuery], top: int = 3,
             min_confidence: float | None = None) -> list[MatchResult]:
        """The `top` best pages for each query, none when the confidence is below min_confidence
        (None: this ranker's fitted cut-off, confidence.CUTOFFS)."""
        if self.matrix is None or not queries:
            return [MatchResult(q.dead_url, (), None) for q in queries]
        if min_confidence is None:
            min_confidence = CUTOFFS[self.model]
        results: list[MatchResult] = []
        for start in range(0, len(queries), CHUNK):
            chunk = queries[start:start + CHUNK]
            results.extend(self._best(q, row, top, min_confidence, terms)
                           for q, row, terms in zip(chunk, self.scores(chunk), self.query_terms(chunk), strict=False))
        return results

    def scores(self, queries: Sequence[LinkQuery]) -> np.ndarray:
        """Queries x pages, each in [0, 1]."""
        assert self.matrix is not None
        return (self.query_matrix(queries) @ self.matrix).toarray()

    def similarity(self, query: LinkQuery, index: int, score: float) -> float:
        """The confidence model's similarity feature for the ranked page."""
        return score

    def query_terms(self, queries: Sequence[LinkQuery]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per query: its distinct words' term ids and IDF weights summing to 1, for the
        `unknown` and `covered` features of the confidence."""
        terms = self.hasher.transform([stem(w) for w in words(" ".join((q.archived, q.anchor, q.slug, q.context)))]
                                      for q in queries).tocsr()
        found = []
        for i in range(len(queries)):
            ids = np.sort(terms.indices[terms.indptr[i]:terms.indptr[i + 1]])
            weights = self.plain_idf[ids]
            found.append((ids, weights / weights.sum() if len(ids) else weights))
        return found

    def features(self, query: LinkQuery, index: int, score: float,
                 terms: tuple[np.ndarray, np.ndarray]) -> MatchFeatures:
        """What the confidence reads: the similarity, the share of the link's words (IDF-weighted)
        that no page uses, and the share that the ranked page uses."""
        ids, weights = terms
        if not len(ids):
            return MatchFeatures(self.similarity(query, index, score), 1.0, 0.0)
        used = self.uses.indices[self.uses.indptr[index]:self.uses.indptr[index + 1]]
        return MatchFeatures(self.similarity(query, index, score), float(weights[self.df[ids] == 0].sum()),
                             float(weights[np.isin(ids, used, assume_unique=True)].sum()))

    def _best(self, query: LinkQuery, row: np.ndarray, top: int, min_confidence: float,
              terms: tuple[np.ndarray, np.ndarray]) -> MatchResult:
        k = min(top, len(row))
        candidates = np.argpartition(-row, k - 1)[:k]
        ordered = [int(i) for i in candidates[np.argsort(-row[candidates], kind="stable")] if row[i] > 0]
        if not ordered:
            return MatchResult(query.dead_url, (), None)
        first = ordered[0]
        features = self.features(query, first, float(row[first]), terms)
        sure = confidence(features, self.model)
        why = describe(features, sure)
        if sure < min_confidence:  # named in the "nothing fits" line, not explained
            best = Suggestion(self.pages[first].url, self.pages[first].title, round(float(row[first]), 4), "")
            return MatchResult(query.dead_url, (), best, round(sure, 4), why, features)
        kept = tuple(Suggestion(self.pages[i].url, self.pages[i].title, round(float(row[i]), 4),
                                self.explain(query, i, float(row[i]))) for i in ordered)
        return MatchResult(query.dead_url, kept, kept[0], round(sure, 4), why, features)

    def explain(self, query: LinkQuery, index: int, score: float) -> str:
        return explain(query, self.pages[index], self._terms(index))

    def _terms(self, index: int) -> dict[str, set[str]]:
        """A page's stemmed words per field, computed once, for explanations."""
        if index not in self._page_terms:
            page = self.pages[index]
            self._page_terms[index] = {f: {stem(w) for w in words(getattr(page, f) or "")} for f in PAGE_FIELDS}
        return self._page_terms[index]


def _given(tokens: list[str]) -> list[str]:
    """The vectorizer's analyzer: texts are analysed once, before they reach it."""
    return tokens


def explain(query: LinkQuery, page: OwnPage, page_terms: dict[str, set[str]] | None = None) -> str:
    """One line naming the strongest link between the query and the page: which part of the
    dead link matched which field of the page, and on which words."""
    best: tuple[float, str, str, list[str]] | None = None
    for part, part_weight in QUERY_PARTS.items():
        part_text = getattr(query, part)
        if not part_text:
            continue
        surface: dict[str, str] = {}
        for word in words(part_text):
            surface.setdefault(stem(word), word)
        for field, field_weight in PAGE_FIELDS.items():
            terms = page_terms[field] if page_terms else {stem(w) for w in words(getattr(page, field) or "")}
            shared = [word for stemmed, word in surface.items() if stemmed in terms]
            if shared:
                strength = part_weight * field_weight * len(shared)
                if best is None or strength > best[0]:
                    best = (strength, part, field, shared)
    if best is None:
        return "no shared words"
    _, part, field, shared = best
    field_text = _quote(_line_with(getattr(page, field), shared))
    part_text = _quote(getattr(query, part).split(" | ")[0])
    return (f"{PART_LABELS[part]} {part_text} matches {FIELD_LABELS[field]} {field_text} "
            f"(shared: {', '.join(shared[:6])})")


def _line_with(text: str, shared: list[str]) -> str:
    """The heading line (or the text's sentence) that holds the shared words."""
    lines = [ln for ln in re.split(r"\n|(?<=[.!?])\s+", text) if ln.strip()] or [text]
    return max(lines, key=lambda ln: sum(w in ln.lower() for w in shared))


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f"'{text if len(text) <= limit else text[:limit - 1].rstrip() + '…'}'"
