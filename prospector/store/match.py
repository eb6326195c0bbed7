"""Queries of the match stage: the own-site inventory and the suggestions."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

import numpy as np

from prospector.items import OwnPage
from prospector.link_kind import EDITORIAL, link_kind
from prospector.store.base import utcnow
from prospector.verdict import PITCHABLE


class MatchQueries:
    db: sqlite3.Connection

    if TYPE_CHECKING:  # provided by StoreBase

        def _transaction(self, kind: str = "") -> AbstractContextManager[None]: ...

    # --- own site ----------------------------------------------------------------------------

    def start_inventory(self) -> None:
        """A new inventory replaces the old one: pages not listed again drop out."""
        self.db.execute("UPDATE own_pages SET listed = 0")

    def list_own_page(self, page: OwnPage) -> bool:
        """Record that the inventory lists this page; True when it must be (re)fetched:
        never fetched, fetch failed, or its lastmod changed."""
        row = self.db.execute("SELECT lastmod, fetched_at, status FROM own_pages WHERE url=?",
                              (page.url,)).fetchone()
        if row is None:
            self.db.execute("INSERT INTO own_pages (url, title, description, lastmod) VALUES (?, ?, ?, ?)",
                            (page.url, page.title, page.description, page.lastmod))
            return True
        self.db.execute(
            """UPDATE own_pages SET listed = 1,
                 title = CASE WHEN ? != '' AND title = '' THEN ? ELSE title END,
                 description = CASE WHEN ? != '' AND description = '' THEN ? ELSE description END
               WHERE url = ?""",
            (page.title, page.title, page.description, page.description, page.url))
        stale = row["fetched_at"] is None or row["status"] is None or not (200 <= row["status"] < 300)
        return stale or (page.lastmod != "" and page.lastmod != row["lastmod"])

    def save_own_page(self, page: OwnPage, status: int | None, error: str = "") -> None:
        """Store what a fetch of an own page found; a failed fetch keeps what was known."""
        if error:
            self.db.execute("UPDATE own_pages SET status=?, error=?, fetched_at=? WHERE url=?",
                            (status, error, utcnow(), page.url))
            return
        self.db.execute(
            """UPDATE own_pages SET title = CASE WHEN ? != '' THEN ? ELSE title END,
                 description = CASE WHEN ? != '' THEN ? ELSE description END,
                 headings=?, text=?, lastmod=?, status=?, error='', fetched_at=?
               WHERE url=?""",
            (page.title, page.title, page.description, page.description, page.headings, page.text,
             page.lastmod, status, utcnow(), page.url))

    def own_pages(self) -> list[OwnPage]:
        """The listed pages with something to match on."""
        return [OwnPage(r["url"], r["title"], r["description"], r["headings"], r["text"], r["lastmod"])
                for r in self.db.execute(
                    """SELECT * FROM own_pages WHERE listed = 1
                       AND (title != '' OR description != '' OR headings != '' OR text != '')
                       ORDER BY url""")]

    # --- match -----------------------------------------------------------------------------

    def dead_link_mentions(self, verdicts: tuple[str, ...] = PITCHABLE
                           ) -> dict[str, list[tuple[str, str, str]]]:
        """dead URL -> (anchor text, context, linking page title) of every occurrence, for the
        editorial links only (share buttons, profiles, ads are never matched)."""
        marks = ",".join("?" * len(verdicts))
        mentions: dict[str, list[tuple[str, str, str]]] = {}
        for r in self.db.execute(
            f"""SELECT c.url, o.anchor_text, o.context, p.title FROM checks c
                JOIN occurrences o ON o.url = c.url JOIN pages p ON p.url = o.page_url
                WHERE c.verdict IN ({marks}) ORDER BY c.url, o.page_url, o.position""", verdicts):
            if link_kind(r[0]) == EDITORIAL:
                mentions.setdefault(r[0], []).append((r[1], r[2], r[3]))
        return mentions

    def save_matches(self, results: Sequence[tuple[str, list[tuple[str, float, str]], float, str]]) -> None:
        """Replace the suggestions of each dead URL: (dead URL, [(own URL, score, reason)] best
        first, confidence, reason), in one transaction."""
        now = utcnow()
        with self._transaction():
            for dead_url, suggestions, confidence, reason in results:
                self.db.execute("DELETE FROM suggestions WHERE dead_url=?", (dead_url,))
                self.db.executemany(
                    "INSERT INTO suggestions (dead_url, rank, own_url, score, reason) VALUES (?, ?, ?, ?, ?)",
                    [(dead_url, i + 1, url, score, why) for i, (url, score, why) in enumerate(suggestions)])
                self.db.execute(
                    """INSERT OR REPLACE INTO match_outcomes (dead_url, matched, reason, matched_at, confidence)
                       VALUES (?, ?, ?, ?, ?)""",
                    (dead_url, int(bool(suggestions)), reason, now, confidence))

    # --- vectors of the semantic ranker ---------------------------------------------------------

    def cached_vectors(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), 500):
            batch = keys[start:start + 500]
            for key, blob in self.db.execute(
                    f"SELECT key, vector FROM vectors WHERE key IN ({','.join('?' * len(batch))})", batch):
                found[key] = np.frombuffer(blob, dtype="<f4")
        return found

    def save_vectors(self, vectors: Mapping[str, np.ndarray]) -> None:
        with self._transaction():
            self.db.executemany("INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)",
                                [(k, np.asarray(v, dtype="<f4").tobytes()) for k, v in vectors.items()])
