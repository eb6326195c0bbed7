"""Queries of the crawl and check stages: prospects, pages, the frontier, links, checks."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from prospector.authority import DomainAuthority
from prospector.items import CONTEXT_VERSION, CheckItem, Contact, PageItem, Prospect
from prospector.store.base import utcnow
from prospector.store.rows import ClaimedLink


def extra_columns(stored: str) -> tuple[tuple[str, str], ...]:
    """A prospect's extra columns as stored (JSON), in their order."""
    try:
        found = json.loads(stored or "{}")
    except ValueError:
        return ()
    return tuple((str(k), str(v)) for k, v in found.items()) if isinstance(found, dict) else ()


@dataclass(frozen=True)
class CrawlState:
    """What a resumed crawl of one prospect must know: where it has been and what is left."""

    visited: frozenset[str]
    fetched: int  # pages that got an HTTP answer: they count against max_pages
    frontier: list[tuple[str, int]]  # discovered, not yet visited, shallowest first


class CrawlQueries:
    db: sqlite3.Connection

    if TYPE_CHECKING:  # provided by StoreBase

        def _transaction(self, kind: str = "") -> AbstractContextManager[None]: ...

    # --- prospects -------------------------------------------------------------------------

    def upsert_prospect(self, p: Prospect) -> int:
        """Insert or update a prospect by its URL and return its id."""
        self.db.execute(
            """INSERT INTO prospects (url, domain, path_prefix, name, email, notes, contact_name, extra,
                                      max_pages, max_depth, source, added_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(url) DO UPDATE SET domain=excluded.domain,
                 path_prefix=excluded.path_prefix, name=excluded.name, email=excluded.email,
                 notes=excluded.notes, contact_name=excluded.contact_name, extra=excluded.extra,
                 max_pages=excluded.max_pages, max_depth=excluded.max_depth, source=excluded.source""",
            (p.url, p.domain, p.path_prefix, p.name, p.email, p.notes, p.contact_name, json.dumps(dict(p.extra)),
             p.max_pages, p.max_depth, p.source, utcnow()),
        )
        return int(self.db.execute("SELECT id FROM prospects WHERE url=?", (p.url,)).fetchone()[0])

    def prospects(self) -> list[Prospect]:
        rows = self.db.execute("SELECT * FROM prospects ORDER BY id").fetchall()
        return [
            Prospect(url=r["url"], domain=r["domain"], path_prefix=r["path_prefix"], name=r["name"],
                     email=r["email"], notes=r["notes"], max_pages=r["max_pages"],
                     max_depth=r["max_depth"], source=r["source"], id=r["id"], contact_name=r["contact_name"],
                     extra=extra_columns(r["extra"]))
            for r in rows
        ]

    def prospects_named(self, given: str) -> list[Prospect]:
        """The prospects `given` names: by URL as listed (with or without its scheme), or by
        domain, all of that domain's."""
        from prospector.urls import InvalidUrl, host_of, normalise, registered_domain

        text = given.strip()
        try:
            url = normalise(text if "://" in text else f"https://{text}")
        except InvalidUrl:
            url = ""
        domain = registered_domain(host_of(url)) if url else text.lower()
        return [p for p in self.prospects() if p.url == url or ("://" not in text and p.domain == domain)]

    def save_authority(self, found: Iterable[DomainAuthority]) -> int:
        """Store each domain's authority (replacing what an earlier list said); how many."""
        with self._transaction():
            return self._save_authority(found, "REPLACE")

    def _save_authority(self, found: Iterable[DomainAuthority], conflict: str) -> int:
        rows = [(f.domain, f.authority, f.source, f.rank, utcnow()) for f in found]
        self.db.executemany(f"INSERT OR {conflict} INTO authority (domain, authority, source, rank, read_at) "
                            "VALUES (?, ?, ?, ?, ?)", rows)
        return len(rows)

    def save_import(self, prospects: Iterable[Prospect], links: Iterable[ClaimedLink], pages: Iterable[tuple[str, str]],
                    authority: Iterable[DomainAuthority]) -> int:
        """One batch of a backlink export, atomically: the prospects not stored yet (a stored one
        keeps its bounds), each referring page (prospect URL, page) at depth 0 of its crawl's
        frontier, the claimed links, and the tool's authority where no ranked list gave one.
        Returns how many of the pages were not in the frontier yet."""
        with self._transaction():
            for prospect in prospects:
                self.db.execute("INSERT OR IGNORE INTO prospects (url, domain, path_prefix, name, email, notes, "
                                "contact_name, extra, max_pages, max_depth, source, added_at) "
                                "VALUES (?, ?, ?, '', '', '', '', '{}', NULL, ?, ?, ?)",
                                (prospect.url, prospect.domain, prospect.path_prefix, prospect.max_depth,
                                 prospect.source, utcnow()))
            before = self.db.total_changes  # each prospect's id found by its URL (unique, indexed)
            self.db.executemany("INSERT OR IGNORE INTO frontier (url, prospect_id, depth) "
                                "SELECT ?, id, 0 FROM prospects WHERE url = ?",
                                [(page, prospect) for prospect, page in pages])
            new_pages = self.db.total_changes - before
            self.db.executemany(
                "INSERT OR REPLACE INTO claimed_links (page_url, url, prospect_id, anchor, claimed_context, rel, "
                "claimed_status, source, imported_at) SELECT ?, ?, id, ?, ?, ?, ?, ?, ? FROM prospects WHERE url = ?",
                [(c.page_url, c.url, c.anchor, c.claimed_context, c.rel, c.claimed_status, c.source, utcnow(),
                  c.prospect_url) for c in links])
            self._save_authority(authority, "IGNORE")
        return new_pages

    def claimed_link_states(self) -> dict[str, int]:
        """The imported links by what the crawl found: carried (the page links the target), gone
        (the page was read and does not), unread (not fetched, or it failed)."""
        counts = {"carried": 0, "gone": 0, "unread": 0}
        counts.update(dict(self.db.execute(
            """SELECT CASE WHEN p.status IS NULL OR p.error != '' THEN 'unread'
                           WHEN EXISTS (SELECT 1 FROM occurrences o WHERE o.page_url = c.page_url AND o.url = c.url)
                           THEN 'carried' ELSE 'gone' END AS state, COUNT(*)
               FROM claimed_links c LEFT JOIN pages p ON p.url = c.page_url GROUP BY state""").fetchall()))
        return counts

    def prospect_domains(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT DISTINCT domain FROM prospects")}

    def pages_read_by_older_versions(self) -> int:
        """Stored pages whose links' contexts an older context extractor wrote (a re-crawl with
        --recrawl-after reads them again)."""
        return int(self.db.execute("SELECT COUNT(*) FROM pages WHERE extractor < ? AND status IS NOT NULL",
                                   (CONTEXT_VERSION,)).fetchone()[0])

    def forget_prospects(self, prospect_ids: Iterable[int]) -> Counter[str]:
        """forget_prospect for each; how many of each went, all told."""
        totals: Counter[str] = Counter()
        for prospect_id in prospect_ids:
            totals.update(self.forget_prospect(prospect_id))
        return totals

    def forget_prospect(self, prospect_id: int) -> dict[str, int]:
        """Remove a prospect with its pages, links, contacts, frontier and the reviewer's choices
        on its pages, the checks (and matches, archived copies) of URLs no other prospect links,
        and the drafts naming it; the outreach history stays. How many of each went."""
        with self._transaction("IMMEDIATE"):
            url = self.db.execute("SELECT url FROM prospects WHERE id=?", (prospect_id,)).fetchone()[0]
            gone = {"pages": 0, "links": 0, "checks": 0}
            self.db.execute("CREATE TEMP TABLE IF NOT EXISTS forgotten (url TEXT PRIMARY KEY)")
            self.db.execute("DELETE FROM forgotten")
            self.db.execute("""INSERT OR IGNORE INTO forgotten SELECT o.url FROM occurrences o
                               JOIN pages p ON p.url = o.page_url WHERE p.prospect_id=?""", (prospect_id,))
            self.db.execute("DELETE FROM choices WHERE page_url IN (SELECT url FROM pages WHERE prospect_id=?)",
                            (prospect_id,))
            gone["links"] = self.db.execute("""DELETE FROM occurrences WHERE page_url IN
                                               (SELECT url FROM pages WHERE prospect_id=?)""", (prospect_id,)).rowcount
            gone["pages"] = self.db.execute("DELETE FROM pages WHERE prospect_id=?", (prospect_id,)).rowcount
            for table in ("frontier", "contacts", "claimed_links"):
                self.db.execute(f"DELETE FROM {table} WHERE prospect_id=?", (prospect_id,))
            orphans = "SELECT url FROM forgotten WHERE url NOT IN (SELECT url FROM occurrences)"
            gone["checks"] = self.db.execute(f"DELETE FROM checks WHERE url IN ({orphans})").rowcount
            for table in ("suggestions", "match_outcomes"):
                self.db.execute(f"DELETE FROM {table} WHERE dead_url IN ({orphans})")
            self.db.execute(f"DELETE FROM archive WHERE url IN ({orphans})")
            self.db.execute("DELETE FROM drafts WHERE ' ' || prospect || ' ' LIKE ?", (f"% {url} %",))
            self.db.execute("DELETE FROM prospects WHERE id=?", (prospect_id,))
            self.db.execute("DELETE FROM forgotten")
        return gone

    # --- crawl -----------------------------------------------------------------------------

    def crawl_state(self, prospect_id: int, stale_before: str = "") -> CrawlState:
        """Where a crawl of one prospect stands. With `stale_before` (an ISO time), pages fetched
        before it, or read by an older context extractor, count as not visited: they are fetched
        again first, shallowest first."""
        pages = self.db.execute("SELECT url, depth, status, fetched_at, extractor FROM pages WHERE prospect_id=? "
                                "ORDER BY depth, rowid", (prospect_id,)).fetchall()
        stale = [(r["url"], r["depth"]) for r in pages
                 if stale_before and (r["fetched_at"] < stale_before or r["extractor"] < CONTEXT_VERSION)]
        gone = {url for url, _ in stale}
        visited = frozenset(r["url"] for r in pages if r["url"] not in gone)
        fetched = sum(r["status"] is not None and r["url"] not in gone for r in pages)
        frontier = stale + [
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

    def save_page(self, page: PageItem) -> int:
        """Store a page with its links, contacts and newly found internal URLs, atomically.
        Returns how many outbound URLs it carried before and carries no more (a re-crawl)."""
        with self._transaction():
            before = {r[0] for r in self.db.execute("SELECT url FROM occurrences WHERE page_url=?", (page.url,))}
            self.db.execute(
                """INSERT OR REPLACE INTO pages (url, prospect_id, depth, status, content_type,
                       title, author, published, error, fetched_at, truncated, resource_score, extractor)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (page.url, page.prospect_id, page.depth, page.status, page.content_type,
                 page.title, page.author, page.published, page.error, utcnow(), int(page.truncated),
                 page.resource_score, CONTEXT_VERSION),
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
        return len(before - {o.url for o in page.occurrences})

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
        """Unique outbound URLs never checked, or last checked before `checked_before`: the links
        the crawl found, those a backlink export claims (whether a page still carries them or
        not: the targets a competitor lost are worth knowing either way) and the pages the
        archive listed of a dead site."""
        rows = self.db.execute(
            """SELECT u.url FROM (SELECT url FROM occurrences UNION SELECT url FROM claimed_links
                                  UNION SELECT url FROM site_pages) u
               LEFT JOIN checks c ON c.url = u.url
               WHERE c.url IS NULL OR c.checked_at < ? ORDER BY u.url""",
            (checked_before,),
        ).fetchall()
        return (r[0] for r in rows)

    def save_check(self, check: CheckItem) -> None:
        self.db.execute(
            """INSERT OR REPLACE INTO checks (url, verdict, reason, reason_code, status, final_url,
                   redirect_chain, method, attempts, elapsed_ms, resource_score, resource_why, checked_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (check.url, check.verdict, check.reason, check.reason_code, check.status, check.final_url,
             json.dumps(check.redirect_chain), check.method, check.attempts, check.elapsed_ms,
             check.resource_score, check.resource_why, utcnow()),
        )
