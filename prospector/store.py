"""The SQLite store: the schema and every query. No SQL lives anywhere else.

One file (WAL mode) shared by every stage. Rows are keyed on natural keys (the normalised
URL), so a re-run upserts instead of duplicating and a killed run resumes from what was
committed.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from prospector.items import CheckItem, Contact, OwnPage, PageItem, Prospect
from prospector.opportunities import Opportunity

SCHEMA_VERSION = 3

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS prospects (
    id          INTEGER PRIMARY KEY,
    url         TEXT NOT NULL UNIQUE,
    domain      TEXT NOT NULL,
    path_prefix TEXT NOT NULL DEFAULT '',
    name        TEXT NOT NULL DEFAULT '',
    email       TEXT NOT NULL DEFAULT '',
    notes       TEXT NOT NULL DEFAULT '',
    max_pages   INTEGER,
    max_depth   INTEGER,
    source      TEXT NOT NULL DEFAULT '',
    added_at    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pages (
    url          TEXT PRIMARY KEY,
    prospect_id  INTEGER NOT NULL REFERENCES prospects(id),
    depth        INTEGER NOT NULL,
    status       INTEGER,
    content_type TEXT NOT NULL DEFAULT '',
    title        TEXT NOT NULL DEFAULT '',
    author       TEXT NOT NULL DEFAULT '',
    published    TEXT NOT NULL DEFAULT '',
    error        TEXT NOT NULL DEFAULT '',
    fetched_at   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS pages_prospect ON pages(prospect_id);
CREATE TABLE IF NOT EXISTS frontier (
    url         TEXT PRIMARY KEY,
    prospect_id INTEGER NOT NULL REFERENCES prospects(id),
    depth       INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS frontier_prospect ON frontier(prospect_id);
CREATE TABLE IF NOT EXISTS occurrences (
    page_url    TEXT NOT NULL REFERENCES pages(url),
    position    INTEGER NOT NULL,
    url         TEXT NOT NULL,
    anchor_text TEXT NOT NULL DEFAULT '',
    context     TEXT NOT NULL DEFAULT '',
    rel         TEXT NOT NULL DEFAULT '',
    placement   TEXT NOT NULL,
    PRIMARY KEY (page_url, position)
);
CREATE INDEX IF NOT EXISTS occurrences_url ON occurrences(url);
CREATE TABLE IF NOT EXISTS checks (
    url            TEXT PRIMARY KEY,
    verdict        TEXT NOT NULL,
    reason         TEXT NOT NULL,
    status         INTEGER,
    final_url      TEXT NOT NULL DEFAULT '',
    redirect_chain TEXT NOT NULL DEFAULT '[]',
    method         TEXT NOT NULL DEFAULT '',
    attempts       INTEGER NOT NULL DEFAULT 0,
    elapsed_ms     INTEGER NOT NULL DEFAULT 0,
    checked_at     TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS contacts (
    prospect_id INTEGER NOT NULL REFERENCES prospects(id),
    kind        TEXT NOT NULL,
    value       TEXT NOT NULL,
    name        TEXT NOT NULL DEFAULT '',
    source_page TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (prospect_id, kind, value)
);
CREATE TABLE IF NOT EXISTS own_pages (
    url         TEXT PRIMARY KEY,
    title       TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    headings    TEXT NOT NULL DEFAULT '',
    text        TEXT NOT NULL DEFAULT '',
    lastmod     TEXT NOT NULL DEFAULT '',
    status      INTEGER,
    error       TEXT NOT NULL DEFAULT '',
    listed      INTEGER NOT NULL DEFAULT 1,
    fetched_at  TEXT
);
CREATE TABLE IF NOT EXISTS suggestions (
    dead_url  TEXT NOT NULL,
    rank      INTEGER NOT NULL,
    own_url   TEXT NOT NULL,
    score     REAL NOT NULL,
    reason    TEXT NOT NULL,
    PRIMARY KEY (dead_url, rank)
);
CREATE TABLE IF NOT EXISTS match_outcomes (
    dead_url   TEXT PRIMARY KEY,
    matched    INTEGER NOT NULL,
    reason     TEXT NOT NULL,
    matched_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS drafts (
    contact_key      TEXT PRIMARY KEY,
    to_email         TEXT NOT NULL,
    to_name          TEXT NOT NULL,
    contact_url      TEXT NOT NULL,
    subject          TEXT NOT NULL,
    body             TEXT NOT NULL,
    followup_subject TEXT NOT NULL,
    followup_body    TEXT NOT NULL,
    prospect         TEXT NOT NULL,
    page_urls        TEXT NOT NULL,
    dead_urls        TEXT NOT NULL,
    suggested_urls   TEXT NOT NULL,
    drafted_at       TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS problems (
    id      INTEGER PRIMARY KEY,
    stage   TEXT NOT NULL,
    source  TEXT NOT NULL,
    message TEXT NOT NULL,
    at      TEXT NOT NULL
);
"""

VERDICTS = ("dead", "likely_dead", "alive", "blocked", "unknown")


def utcnow() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class StoreError(Exception):
    """The database cannot be used (wrong file, newer schema)."""


@dataclass(frozen=True)
class CrawlState:
    """What a resumed crawl of one prospect must know: where it has been and what is left."""

    visited: frozenset[str]
    fetched: int  # pages that got an HTTP answer: they count against max_pages
    frontier: list[tuple[str, int]]  # discovered, not yet visited, shallowest first


@dataclass(frozen=True)
class DeadLinkRow:
    dead_url: str
    verdict: str
    reason: str
    status: int | None
    referring_pages: int
    referring_domains: int


class Store:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA busy_timeout=5000")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a prospector database ({exc})") from exc

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        self.db.executescript(SCHEMA)
        row = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        if row is None:
            self.db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        elif int(row["value"]) > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: schema version {row['value']} is newer than this prospector "
                f"understands ({SCHEMA_VERSION}); upgrade prospector"
            )
        elif int(row["value"]) < SCHEMA_VERSION:
            # Versions 2 and 3 only added tables, which the script above has just created.
            self.db.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION),))

    def schema_version(self) -> int:
        return int(self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0])

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
                       title, author, published, error, fetched_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (page.url, page.prospect_id, page.depth, page.status, page.content_type,
                 page.title, page.author, page.published, page.error, utcnow()),
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

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        # isolation_level=None means autocommit; `with conn` alone would not open a transaction.
        self.db.execute("BEGIN")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

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
            """INSERT OR REPLACE INTO checks (url, verdict, reason, status, final_url,
                   redirect_chain, method, attempts, elapsed_ms, checked_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (check.url, check.verdict, check.reason, check.status, check.final_url,
             json.dumps(check.redirect_chain), check.method, check.attempts, check.elapsed_ms,
             utcnow()),
        )

    def check(self, url: str) -> CheckItem | None:
        r = self.db.execute("SELECT * FROM checks WHERE url=?", (url,)).fetchone()
        if r is None:
            return None
        return CheckItem(url=r["url"], verdict=r["verdict"], reason=r["reason"], status=r["status"],
                         final_url=r["final_url"],
                         redirect_chain=[tuple(h) for h in json.loads(r["redirect_chain"])],
                         method=r["method"], attempts=r["attempts"], elapsed_ms=r["elapsed_ms"])

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

    # --- draft and export ------------------------------------------------------------------

    def contacts(self, prospect_id: int) -> list[Contact]:
        return [Contact(r[0], r[1], r[2], r[3]) for r in self.db.execute(
            "SELECT kind, value, name, source_page FROM contacts WHERE prospect_id=? ORDER BY kind, value",
            (prospect_id,))]

    def opportunities(self, verdicts: tuple[str, ...] = ("dead", "likely_dead")) -> list[Opportunity]:
        """Every occurrence of a dead URL on a prospect page, with what export and drafts need."""
        marks = ",".join("?" * len(verdicts))
        rows = self.db.execute(
            f"""WITH dead AS (SELECT url, verdict, reason, status FROM checks WHERE verdict IN ({marks})),
                refs AS (SELECT o.url, COUNT(DISTINCT pr.domain) AS domains FROM occurrences o
                         JOIN dead d ON d.url = o.url JOIN pages p ON p.url = o.page_url
                         JOIN prospects pr ON pr.id = p.prospect_id GROUP BY o.url),
                per_page AS (SELECT o.page_url, COUNT(DISTINCT o.url) AS n FROM occurrences o
                             JOIN dead d ON d.url = o.url GROUP BY o.page_url)
                SELECT pr.id, pr.url, pr.name, pr.domain, o.page_url, p.title, p.author, o.anchor_text,
                       o.context, o.rel, o.placement, o.url, d.verdict, d.reason, d.status,
                       COALESCE(s.own_url, ''), COALESCE(op.title, ''), s.score, COALESCE(s.reason, ''),
                       pp.n, refs.domains
                FROM occurrences o JOIN dead d ON d.url = o.url
                JOIN pages p ON p.url = o.page_url JOIN prospects pr ON pr.id = p.prospect_id
                JOIN per_page pp ON pp.page_url = o.page_url JOIN refs ON refs.url = o.url
                LEFT JOIN suggestions s ON s.dead_url = o.url AND s.rank = 1
                LEFT JOIN own_pages op ON op.url = s.own_url
                ORDER BY pr.id, o.page_url, o.position""",
            verdicts,
        ).fetchall()
        return [Opportunity(*r) for r in rows]

    def save_drafts(self, drafts: list[dict[str, str]]) -> None:
        """Replace every stored draft (a draft run starts from scratch)."""
        with self._transaction():
            self.db.execute("DELETE FROM drafts")
            now = utcnow()
            self.db.executemany(
                """INSERT INTO drafts (contact_key, to_email, to_name, contact_url, subject, body,
                       followup_subject, followup_body, prospect, page_urls, dead_urls,
                       suggested_urls, drafted_at)
                   VALUES (:contact_key, :to_email, :to_name, :contact_url, :subject, :body,
                       :followup_subject, :followup_body, :prospect, :page_urls, :dead_urls,
                       :suggested_urls, :drafted_at)""",
                [{**d, "drafted_at": now} for d in drafts])

    def drafts(self) -> list[dict[str, str]]:
        return [dict(r) for r in self.db.execute("SELECT * FROM drafts ORDER BY prospect, contact_key")]

    def prospect_stats(self) -> list[dict[str, object]]:
        """Per prospect: pages crawled, outbound links, dead, likely dead, problems."""
        return [dict(r) for r in self.db.execute(
            """SELECT pr.id, pr.url AS prospect, pr.name,
                 (SELECT COUNT(*) FROM pages p WHERE p.prospect_id = pr.id AND p.status IS NOT NULL) AS pages_crawled,
                 (SELECT COUNT(*) FROM occurrences o JOIN pages p ON p.url = o.page_url
                    WHERE p.prospect_id = pr.id) AS outbound_links,
                 (SELECT COUNT(DISTINCT o.url) FROM occurrences o JOIN pages p ON p.url = o.page_url
                    JOIN checks c ON c.url = o.url WHERE p.prospect_id = pr.id AND c.verdict = 'dead') AS dead,
                 (SELECT COUNT(DISTINCT o.url) FROM occurrences o JOIN pages p ON p.url = o.page_url
                    JOIN checks c ON c.url = o.url WHERE p.prospect_id = pr.id AND c.verdict = 'likely_dead')
                    AS likely_dead,
                 (SELECT COUNT(*) FROM pages p WHERE p.prospect_id = pr.id AND p.error != '') AS errors
               FROM prospects pr ORDER BY pr.url""")]

    # --- problems --------------------------------------------------------------------------

    def add_problem(self, stage: str, source: str, message: str) -> None:
        self.db.execute(
            "INSERT INTO problems (stage, source, message, at) VALUES (?, ?, ?, ?)",
            (stage, source, message, utcnow()),
        )

    def last_problem_id(self) -> int:
        return int(self.db.execute("SELECT COALESCE(MAX(id), 0) FROM problems").fetchone()[0])

    def problems_since(self, problem_id: int) -> list[tuple[str, str]]:
        return [(r[0], r[1]) for r in self.db.execute(
            "SELECT source, message FROM problems WHERE id > ? ORDER BY id", (problem_id,))]

    # --- reports ---------------------------------------------------------------------------

    def dead_links(self, verdicts: tuple[str, ...] = ("dead", "likely_dead")) -> list[DeadLinkRow]:
        marks = ",".join("?" * len(verdicts))
        rows = self.db.execute(
            f"""SELECT c.url, c.verdict, c.reason, c.status,
                       COUNT(DISTINCT o.page_url) AS pages,
                       COUNT(DISTINCT pr.domain) AS domains
                FROM checks c
                JOIN occurrences o ON o.url = c.url
                JOIN pages p ON p.url = o.page_url
                JOIN prospects pr ON pr.id = p.prospect_id
                WHERE c.verdict IN ({marks})
                GROUP BY c.url""",
            verdicts,
        ).fetchall()
        return [DeadLinkRow(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]

    def counts(self) -> dict[str, int]:
        """Counts for summaries and `prospector status`."""
        one = lambda sql: int(self.db.execute(sql).fetchone()[0])  # noqa: E731
        counts = {
            "prospects": one("SELECT COUNT(*) FROM prospects"),
            "pages": one("SELECT COUNT(*) FROM pages WHERE status IS NOT NULL"),
            "page_errors": one("SELECT COUNT(*) FROM pages WHERE error != ''"),
            "occurrences": one("SELECT COUNT(*) FROM occurrences"),
            "outbound_urls": one("SELECT COUNT(DISTINCT url) FROM occurrences"),
            "checked": one("SELECT COUNT(*) FROM checks"),
            "contacts": one("SELECT COUNT(*) FROM contacts"),
            "problems": one("SELECT COUNT(*) FROM problems"),
            "own_pages": one("SELECT COUNT(*) FROM own_pages WHERE listed = 1"),
            "matched": one("SELECT COUNT(*) FROM match_outcomes WHERE matched = 1"),
            "no_match": one("SELECT COUNT(*) FROM match_outcomes WHERE matched = 0"),
            "drafts": one("SELECT COUNT(*) FROM drafts"),
        }
        for verdict in VERDICTS:
            counts[verdict] = 0
        for verdict, n in self.db.execute("SELECT verdict, COUNT(*) FROM checks GROUP BY verdict"):
            counts[verdict] = n
        return counts

