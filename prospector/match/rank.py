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
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from prospector.items import OwnPage
from prospector.match.query import LinkQuery, analyze, words

PAGE_FIELDS = {"title": 3.0, "headings": 2.0, "description": 1.5, "text": 1.0}
QUERY_PARTS = {"anchor": 3.0, "slug": 2.0, "context": 1.0, "page_title": 0.5}
FIELD_LABELS = {"title": "title", "headings": "heading", "description": "description", "text": "page text"}
PART_LABELS = {"anchor": "anchor", "slug": "URL words", "context": "context", "page_title": "linking page title"}
DEFAULT_MIN_SCORE = 0.16  # chosen on tests/data/match_eval.csv; see benchmarks/results.md
CHUNK = 1000  # queries scored per matrix product: bounds memory at CHUNK x pages floats


@dataclass(frozen=True)
class Suggestion:
    url: str
    title: str
    score: float
    reason: str


@dataclass(frozen=True)
class MatchResult:
    dead_url: str
    suggestions: tuple[Suggestion, ...]  # at or above min_score, best first (at most `top`)
    best: Suggestion | None  # the best candidate even when below min_score

    @property
    def matched(self) -> bool:
        return bool(self.suggestions)

    def no_match_reason(self, min_score: float) -> str:
        if self.best is None:
            return "no page of your site shares a word with this link"
        return (f"nothing fits: best candidate {self.best.url} scored {self.best.score:.2f}, "
                f"below the minimum {min_score:.2f}")


class LexicalRanker:
    def __init__(self, pages: Sequence[OwnPage], page_fields: dict[str, float] | None = None,
                 query_parts: dict[str, float] | None = None):
        self.pages = list(pages)
        self.page_fields = page_fields or PAGE_FIELDS
        self.query_parts = query_parts or QUERY_PARTS
        self.vectorizer = TfidfVectorizer(analyzer=analyze, sublinear_tf=True, norm=None, dtype=np.float32)
        if not self.pages:
            self.matrix = None
            return
        self.vectorizer.fit([" ".join(self._field(p, f) for f in self.page_fields) for p in self.pages])
        total = sum(self.page_fields.values())
        combined = None
        for field, weight in self.page_fields.items():
            part = normalize(self.vectorizer.transform([self._field(p, field) for p in self.pages])) * (weight / total)
            combined = part if combined is None else combined + part
        self.matrix = sparse.csr_matrix(combined).T.tocsc()  # terms x pages
        self.unseen_idf = float(np.log(len(self.pages) + 1) + 1)  # idf of a term no page has

    @staticmethod
    def _field(page: OwnPage, field: str) -> str:
        return getattr(page, field) or ""

    def query_matrix(self, queries: Sequence[LinkQuery]) -> sparse.csr_matrix:
        """One row per query: each part's TF-IDF vector, normalised, weighted, summed.

        Words no page of the site uses still count in a part's length: "invoice template"
        against a site without invoices matches "template" at half strength, not in full.
        """
        total = None
        for part, weight in self.query_parts.items():
            texts = [q.parts()[part] for q in queries]
            vectors = self.vectorizer.transform(texts)
            known = np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel()
            unseen = np.array([self._unseen_mass(t) for t in texts], dtype=np.float32)
            length = np.sqrt(known + unseen)
            scale = np.divide(weight, length, out=np.zeros_like(length), where=length > 0)
            vectors = sparse.diags(scale) @ vectors
            total = vectors if total is None else total + vectors
        return normalize(sparse.csr_matrix(total))

    def _unseen_mass(self, text: str) -> float:
        vocabulary = self.vectorizer.vocabulary_
        counts: dict[str, int] = {}
        for term in analyze(text):
            if term not in vocabulary:
                counts[term] = counts.get(term, 0) + 1
        return sum(((1 + np.log(n)) * self.unseen_idf) ** 2 for n in counts.values())

    def rank(self, queries: Sequence[LinkQuery], top: int = 3,
             min_score: float = DEFAULT_MIN_SCORE) -> list[MatchResult]:
        if self.matrix is None or not queries:
            return [MatchResult(q.dead_url, (), None) for q in queries]
        results: list[MatchResult] = []
        for start in range(0, len(queries), CHUNK):
            chunk = queries[start:start + CHUNK]
            scores = (self.query_matrix(chunk) @ self.matrix).toarray()
            results.extend(self._best(q, row, top, min_score) for q, row in zip(chunk, scores))
        return results

    def _best(self, query: LinkQuery, row: np.ndarray, top: int, min_score: float) -> MatchResult:
        k = min(top, len(row))
        candidates = np.argpartition(-row, k - 1)[:k]
        ordered = [int(i) for i in candidates[np.argsort(-row[candidates], kind="stable")] if row[i] > 0]
        found = [Suggestion(self.pages[i].url, self.pages[i].title, round(float(row[i]), 4),
                            explain(query, self.pages[i])) for i in ordered]
        return MatchResult(query.dead_url, tuple(s for s in found if s.score >= min_score),
                           found[0] if found else None)


def explain(query: LinkQuery, page: OwnPage) -> str:
    """One line naming the strongest link between the query and the page: which part of the
    dead link matched which field of the page, and on which words."""
    best: tuple[float, str, str, list[str]] | None = None
    for part, part_weight in QUERY_PARTS.items():
        part_text = query.parts()[part]
        if not part_text:
            continue
        surface = {}
        for word in words(part_text):
            surface.setdefault(analyze(word)[0], word)
        for field, field_weight in PAGE_FIELDS.items():
            shared = [surface[t] for t in dict.fromkeys(analyze(getattr(page, field) or "")) if t in surface]
            if shared:
                strength = part_weight * field_weight * len(shared)
                if best is None or strength > best[0]:
                    best = (strength, part, field, shared)
    if best is None:
        return "no shared words"
    _, part, field, shared = best
    field_text = _quote(_line_with(getattr(page, field), shared))
    part_text = _quote(query.parts()[part].split(" | ")[0])
    return f"{PART_LABELS[part]} {part_text} matches {FIELD_LABELS[field]} {field_text} (shared: {', '.join(shared[:6])})"


def _line_with(text: str, shared: list[str]) -> str:
    """The heading line (or the text's sentence) that holds the shared words."""
    lines = [ln for ln in re.split(r"\n|(?<=[.!?])\s+", text) if ln.strip()] or [text]
    return max(lines, key=lambda ln: sum(w in ln.lower() for w in shared))


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f"'{text if len(text) <= limit else text[:limit - 1].rstrip() + '…'}'"
