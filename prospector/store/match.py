"""Queries of the match stage: the own-site inventory and the suggestions."""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from prospector.items import OwnPage
from prospector.store.base import utcnow


class MatchQueries:
    db: sqlite3.Connection

    if TYPE_CHECKING:  # provided by StoreBase

        def _transaction(self) -> AbstractContextManager[None]: ...

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

    def dead_link_mentions(self, verdicts: tuple[str, ...] = ("dead", "likely_dead")
                           ) -> dict[str, list[tuple[str, str, str]]]:
        """dead URL -> (anchor text, context, linking page title) of every occurrence."""
        marks = ",".join("?" * len(verdicts))
        mentions: dict[str, list[tuple[str, str, str]]] = {}
        for r in self.db.execute(
            f"""SELECT c.url, o.anchor_text, o.context, p.title FROM checks c
                JOIN occurrences o ON o.url = c.url JOIN pages p ON p.url = o.page_url
                WHERE c.verdict IN ({marks}) ORDER BY c.url, o.page_url, o.position""", verdicts):
            mentions.setdefault(r[0], []).append((r[1], r[2], r[3]))
        return mentions

    def save_match(self, dead_url: str, suggestions: list[tuple[str, float, str]], reason: str) -> None:
        """Replace a dead URL's suggestions: (own URL, score, reason), best first."""
        with self._transaction():
            self.db.execute("DELETE FROM suggestions WHERE dead_url=?", (dead_url,))
            self.db.executemany(
                "INSERT INTO suggestions (dead_url, rank, own_url, score, reason) VALUES (?, ?, ?, ?, ?)",
                [(dead_url, i + 1, url, score, why) for i, (url, score, why) in enumerate(suggestions)])
            self.db.execute(
                "INSERT OR REPLACE INTO match_outcomes (dead_url, matched, reason, matched_at) VALUES (?, ?, ?, ?)",
                (dead_url, int(bool(suggestions)), reason, utcnow()))

    def suggestions(self, dead_url: str) -> list[tuple[str, float, str]]:
        return [(r[0], r[1], r[2]) for r in self.db.execute(
            "SELECT own_url, score, reason FROM suggestions WHERE dead_url=? ORDER BY rank", (dead_url,))]

    def match_outcome(self, dead_url: str) -> tuple[bool, str] | None:
        row = self.db.execute("SELECT matched, reason FROM match_outcomes WHERE dead_url=?", (dead_url,)).fetchone()
        return (bool(row[0]), row[1]) if row else None
