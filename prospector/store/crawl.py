"""Queries of the crawl and check stages: prospects, pages, the frontier, links, checks."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING
from dataclasses import dataclass

from prospector.items import CheckItem, Contact, PageItem, Prospect
from prospector.store.base import utcnow


@dataclass(frozen=True)
class CrawlState:
    """What a resumed crawl of one prospect must know: where it has been and what is left."""

    visited: frozenset[str]
    fetched: int  # pages that got an HTTP answer: they count against max_pages
    frontier: list[tuple[str, int]]  # discovered, not yet visited, shallowest first


class CrawlQueries:
    db: sqlite3.Connection

    if TYPE_CHECKING:  # provided by StoreBase

        def _transaction(self) -> AbstractContextManager[None]: ...

    # --- prospects -------------------------------------------------------------------------

    def upsert_prospect(self, p: Prospect) -> int:
        """Insert or update a prospect by its URL and return its id."""
        self.db.execute(
            """INSERT INTO prospects (url, domain, path_prefix, name, email, notes, max_pages,
                                      max_depth, source, added_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(url) DO UPDATE SET domain=excluded.domain,
                 path_prefix=excluded.path_prefix, name=excluded.name, email=excluded.email,
                 notes=excluded.notes, max_pages=excluded.max_pages,
                 max_depth=excluded.max_depth, source=excluded.source""",
            (p.url, p.domain, p.path_prefix, p.name, p.email, p.notes, p.max_pages,
             p.max_depth, p.source, utcnow()),
        )
        return int(self.db.execute("SELECT id FROM prospects WHERE url=?", (p.url,)).fetchone()[0])

    def prospects(self) -> list[Prospect]:
        rows = self.db.execute("SELECT * FROM prospects ORDER BY id").fetchall()
        return [
            Prospect(url=r["url"], domain=r["domain"], path_prefix=r["path_prefix"], name=r["name"],
                     email=r["email"], notes=r["notes"], max_pages=r["max_pages"],
                     max_depth=r["max_depth"], source=r["source"], id=r["id"])
            for r in rows
        ]

    # --- crawl -----------------------------------------------------------------------------

    def crawl_state(self, prospect_id: int) -> CrawlState:
        visited = frozenset(
            r[0] for r in self.db.execute("SELECT url FROM pages WHERE prospect_id=?", (prospect_id,))
        )
        fetched = self.db.execute(
            "SELECT COUNT(*) FROM pages WHERE prospect_id=? AND status IS NOT NULL", (prospect_id,)
        ).fetchone()[0]
        frontier = [
            (r[0], r[1])
            for r in self.db.execute(
                """SELECT f.url, f.depth FROM frontier f LEFT JOIN pages p ON p.url = f.url
                   WHERE f.prospect_id=? AND p.url IS NULL ORDER BY f.depth, f.rowid""",
                (prospect_id,),
            )
        ]
        return CrawlState(visited=visited, fetched=fetched, frontier=frontier)

    def add_to_frontier(self, prospect_id: int, urls: Iterable[tuple[str, int]]) -> None:
        self.db.executemany(
            "INSERT OR IGNORE INTO frontier (url, prospect_id, depth) VALUES (?, ?, ?)",
            [(u, prospect_id, d) for u, d in urls],
        )

    def save_page(self, page: PageItem) -> None:
        """Store a page with its links, contacts and newly found internal URLs, atomically."""
        with self._transaction():
            self.db.execute(
                """INSERT OR REPLACE INTO pages (url, prospect_id, depth, status, content_type,
                       title, author, published, error, fetched_at, truncated)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (page.url, page.prospect_id, page.depth, page.status, page.content_type,
                 page.title, page.author, page.published, page.error, utcnow(), int(page.truncated)),
            )
            self.db.execute("DELETE FROM occurrences WHERE page_url=?", (page.url,))
            self.db.executemany(
                """INSERT INTO occurrences (page_url, position, url, anchor_text, context, rel,
                       placement) VALUES (?, ?, ?, ?, ?, ?, ?)""",
                [(page.url, i, o.url, o.anchor_text, o.context, o.rel, o.placement)
                 for i, o in enumerate(page.occurrences)],
            )
            self._save_contacts(page.prospect_id, page.contacts)
            self.add_to_frontier(page.prospect_id, page.discovered)

    def _save_contacts(self, prospect_id: int, contacts: Iterable[Contact]) -> None:
        self.db.executemany(
            """INSERT INTO contacts (prospect_id, kind, value, name, source_page)
               VALUES (?, ?, ?, ?, ?)
               ON CONFLICT(prospect_id, kind, value) DO UPDATE SET
                 name = CASE WHEN contacts.name = '' THEN excluded.name ELSE contacts.name END""",
            [(prospect_id, c.kind, c.value, c.name, c.source_page) for c in contacts],
        )

    # --- check -----------------------------------------------------------------------------

    def urls_to_check(self, checked_before: str) -> Iterator[str]:
        """Unique outbound URLs never checked, or last checked before `checked_before`."""
        rows = self.db.execute(
            """SELECT DISTINCT o.url FROM occurrences o LEFT JOIN checks c ON c.url = o.url
               WHERE c.url IS NULL OR c.checked_at < ? ORDER BY o.url""",
            (checked_before,),
        ).fetchall()
        return (r[0] for r in rows)

    def save_check(self, check: CheckItem) -> None:
        self.db.execute(
            """INSERT OR REPLACE INTO checks (url, verdict, reason, reason_code, status, final_url,
                   redirect_chain, method, attempts, elapsed_ms, checked_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (check.url, check.verdict, check.reason, check.reason_code, check.status, check.final_url,
             json.dumps(check.redirect_chain), check.method, check.attempts, check.elapsed_ms,
             utcnow()),
        )
