"""Queries of a site's lost pages: the pages a dead site had (`prospector deadsite`, listed from
the Internet Archive) and the targets of a competitor's backlinks (`prospector competitor`),
with what the check, the archive and the crawl found of each."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from prospector.store.base import utcnow
from prospector.urls import host_of, registered_domain
from prospector.verdict import PITCHABLE


@dataclass(frozen=True)
class SiteListing:
    """How far the archive's listing of a site's pages has come."""

    domain: str
    resume_key: str  # "" before the first page of the listing, and once it is complete
    complete: bool
    pages: int  # listed so far


@dataclass(frozen=True)
class ResourcePageSeen:
    """A live page on another site that prospect pages link to, which looks like a resource page."""

    url: str
    final_url: str
    resource_score: float
    why: str
    linked_from: int  # prospect pages linking to it
    linked_by: str  # their prospects' domains, space-separated


@dataclass(frozen=True)
class LostPage:
    """A page found dead, with who links to it and what it was."""

    url: str
    verdict: str
    reason: str
    referring_pages: tuple[str, ...]  # as the backlink exports claim
    linking_pages: tuple[str, ...]  # of them, the pages the crawl read still carrying the link
    archived_title: str
    archived_at: str
    archived_url: str
    your_page: str  # the best suggestion of your own site for it, if matched
    archive_outcome: str  # captured, none, error; "" when the archive was not asked yet


class SiteQueries:
    db: sqlite3.Connection

    if TYPE_CHECKING:  # provided by StoreBase

        def _transaction(self, kind: str = "") -> AbstractContextManager[None]: ...

    def site_listing(self, domain: str) -> SiteListing:
        row = self.db.execute("SELECT resume_key, complete FROM site_listings WHERE domain = ?", (domain,)).fetchone()
        pages = self.db.execute("SELECT COUNT(*) FROM site_pages WHERE domain = ?", (domain,)).fetchone()[0]
        return SiteListing(domain, row[0] if row else "", bool(row[1]) if row else False, int(pages))

    def site_listings(self) -> list[SiteListing]:
        """Every dead site whose pages the archive was asked to list (`prospector deadsite`)."""
        return [self.site_listing(r[0]) for r in self.db.execute("SELECT domain FROM site_listings ORDER BY domain")]

    def save_site_pages(self, domain: str, pages: Iterable[tuple[str, str]], resume_key: str,
                        complete: bool) -> None:
        """One page of the listing, (URL, capture day) each, and where the next one starts,
        atomically: a listing stopped between two pages resumes at the next."""
        with self._transaction():
            self.db.executemany("INSERT OR IGNORE INTO site_pages (url, domain, captured_at) VALUES (?, ?, ?)",
                                [(url, domain, day) for url, day in pages])
            self.db.execute("INSERT OR REPLACE INTO site_listings (domain, resume_key, complete, listed_at) "
                            "VALUES (?, ?, ?, ?)", (domain, resume_key, int(complete), utcnow()))

    def site_pages(self, domain: str) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT url FROM site_pages WHERE domain = ? ORDER BY url", (domain,))]

    def resource_pages_seen(self, floor: float) -> list[ResourcePageSeen]:
        """Live outbound pages whose resource score (from the part the check read) is `floor`
        or more, with the prospect pages and domains linking to them; best first."""
        rows = self.db.execute(
            """SELECT c.url, c.final_url, c.resource_score, c.resource_why AS why,
                      COUNT(DISTINCT o.page_url) AS linked_from, GROUP_CONCAT(DISTINCT pr.domain) AS linked_by
               FROM checks c JOIN occurrences o ON o.url = c.url JOIN pages p ON p.url = o.page_url
               JOIN prospects pr ON pr.id = p.prospect_id
               WHERE c.verdict = 'alive' AND c.resource_score >= ?
               GROUP BY c.url ORDER BY c.resource_score DESC, linked_from DESC, c.url""", (floor,)).fetchall()
        return [ResourcePageSeen(r["url"], r["final_url"], r["resource_score"], r["why"], r["linked_from"],
                                 " ".join(sorted((r["linked_by"] or "").split(",")))) for r in rows]

    def own_site_domains(self) -> set[str]:
        """The registered domains of your own pages (never suggested as prospects)."""
        return {registered_domain(host_of(r[0])) for r in self.db.execute("SELECT url FROM own_pages")}

    def referring_counts(self, urls: Iterable[str]) -> dict[str, int]:
        """URL -> how many pages a backlink export says link to it (the most referenced are
        asked about first)."""
        wanted = set(urls)
        rows = self.db.execute("SELECT url, COUNT(*) FROM claimed_links GROUP BY url").fetchall()
        return {url: n for url, n in rows if url in wanted}

    def lost_pages(self, urls: Iterable[str]) -> list[LostPage]:
        """Those of `urls` the check found dead or likely dead, with their backlinks (and which
        of them the crawl found still in place), their archived copy and your page for them."""
        wanted = set(urls)
        marks = ",".join("?" * len(PITCHABLE))
        rows = self.db.execute(
            f"""SELECT ch.url, ch.verdict, ch.reason,
                       COALESCE(a.title, '') AS title, COALESCE(a.archived_at, '') AS archived_at,
                       COALESCE(a.archived_url, '') AS archived_url, COALESCE(s.own_url, '') AS own_url,
                       COALESCE(a.outcome, '') AS outcome
                FROM checks ch
                LEFT JOIN archive a ON a.url = ch.url
                LEFT JOIN match_outcomes m ON m.dead_url = ch.url AND m.matched = 1
                LEFT JOIN suggestions s ON s.dead_url = m.dead_url AND s.rank = 1
                WHERE ch.verdict IN ({marks}) ORDER BY ch.url""", PITCHABLE).fetchall()
        lost = [r for r in rows if r["url"] in wanted]
        claims: dict[str, list[tuple[str, bool]]] = {}
        for url, page, carried in self.db.execute(
                """SELECT c.url, c.page_url, EXISTS (SELECT 1 FROM occurrences o
                                                     WHERE o.page_url = c.page_url AND o.url = c.url)
                   FROM claimed_links c ORDER BY c.url, c.page_url"""):
            claims.setdefault(url, []).append((page, bool(carried)))
        return [LostPage(r["url"], r["verdict"], r["reason"],
                         tuple(page for page, _ in claims.get(r["url"], [])),
                         tuple(page for page, carried in claims.get(r["url"], []) if carried),
                         r["title"], r["archived_at"], r["archived_url"], r["own_url"], r["outcome"]) for r in lost]
