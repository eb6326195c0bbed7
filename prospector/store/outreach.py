"""Queries of the draft and export stages: opportunities, contacts, drafts, reports."""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from prospector.items import Contact
from prospector.link_kind import link_kind
from prospector.store.base import utcnow
from prospector.store.rows import Draft, ProspectStats, named
from prospector.verdict import PITCHABLE

DRAFT_COLUMNS = ("contact_key", "kind", "to_email", "to_name", "contact_url", "subject", "body", "followup_subject",
                 "followup_body", "prospect", "domains", "page_urls", "dead_urls", "suggested_urls", "last_contacted")


@dataclass(frozen=True)
class DeadLinkRow:
    dead_url: str
    link_kind: str
    verdict: str
    reason: str
    reason_code: str
    status: int | None
    referring_pages: int
    referring_domains: int
    archived_url: str = ""
    archived_at: str = ""
    archived_title: str = ""


class OutreachQueries:
    db: sqlite3.Connection

    if TYPE_CHECKING:  # provided by StoreBase

        def _transaction(self, kind: str = "") -> AbstractContextManager[None]: ...

    # --- draft and export ------------------------------------------------------------------

    def contacts(self, prospect_id: int) -> list[Contact]:
        return [Contact(**dict(r)) for r in self.db.execute(
            "SELECT kind, value, name, source_page FROM contacts WHERE prospect_id=? ORDER BY kind, value",
            (prospect_id,))]

    def opportunity_rows(self, verdicts: tuple[str, ...] = PITCHABLE) -> list[dict[str, Any]]:
        """Every occurrence of a dead URL on a prospect page, with what export and drafts need,
        one dict per row keyed by `Opportunity`'s field names."""
        marks = ",".join("?" * len(verdicts))
        rows = self.db.execute(
            f"""WITH dead AS (SELECT url, verdict, reason, reason_code, status FROM checks
                              WHERE verdict IN ({marks})),
                refs AS (SELECT o.url, COUNT(DISTINCT pr.domain) AS domains FROM occurrences o
                         JOIN dead d ON d.url = o.url JOIN pages p ON p.url = o.page_url
                         JOIN prospects pr ON pr.id = p.prospect_id GROUP BY o.url),
                per_page AS (SELECT o.page_url, COUNT(DISTINCT o.url) AS n FROM occurrences o
                             JOIN dead d ON d.url = o.url GROUP BY o.page_url)
                SELECT pr.id AS prospect_id, pr.url AS prospect, pr.name AS prospect_name,
                       pr.domain AS prospect_domain, pr.notes AS prospect_notes, pr.extra AS prospect_extra,
                       o.page_url, p.title AS page_title, p.author,
                       o.anchor_text, o.context, o.rel, o.placement, o.url AS dead_url, d.verdict, d.reason,
                       d.reason_code, d.status, COALESCE(s.own_url, '') AS suggested_url,
                       COALESCE(op.title, '') AS suggested_title, s.score,
                       COALESCE(s.reason, '') AS match_reason, pp.n AS dead_on_page,
                       refs.domains AS referring_domains, m.confidence,
                       COALESCE(a.archived_url, '') AS archived_url, COALESCE(a.archived_at, '') AS archived_at,
                       COALESCE(a.title, '') AS archived_title, COALESCE(ch.choice, '') AS use,
                       COALESCE(cp.title, '') AS use_title, auth.authority,
                       COALESCE(auth.source, '') AS authority_source, p.resource_score
                FROM occurrences o JOIN dead d ON d.url = o.url
                JOIN pages p ON p.url = o.page_url JOIN prospects pr ON pr.id = p.prospect_id
                JOIN per_page pp ON pp.page_url = o.page_url JOIN refs ON refs.url = o.url
                LEFT JOIN suggestions s ON s.dead_url = o.url AND s.rank = 1
                LEFT JOIN own_pages op ON op.url = s.own_url
                LEFT JOIN match_outcomes m ON m.dead_url = o.url
                LEFT JOIN archive a ON a.url = o.url AND a.outcome = 'captured'
                LEFT JOIN choices ch ON ch.page_url = o.page_url AND ch.dead_url = o.url
                LEFT JOIN own_pages cp ON cp.url = ch.choice
                LEFT JOIN authority auth ON auth.domain = pr.domain
                ORDER BY pr.id, o.page_url, o.position""",
            verdicts,
        ).fetchall()
        others: dict[str, list[str]] = {}
        for dead_url, own_url, score in self.db.execute(
                "SELECT dead_url, own_url, score FROM suggestions WHERE rank > 1 ORDER BY dead_url, rank"):
            others.setdefault(dead_url, []).append(f"{own_url} ({score:.2f})")
        return [{**dict(r), "other_suggestions": "; ".join(others.get(r["dead_url"], []))} for r in rows]

    # --- the reviewer's choices (the `use` column) --------------------------------------------

    def has_link(self, page_url: str, dead_url: str) -> bool:
        """Whether the stored page links that URL."""
        return self.db.execute("SELECT 1 FROM occurrences WHERE page_url = ? AND url = ? LIMIT 1",
                               (page_url, dead_url)).fetchone() is not None

    def choices(self) -> dict[tuple[str, str], str]:
        """(prospect page, dead URL) -> the own page chosen for it, or 'skip'."""
        return {(r[0], r[1]): r[2] for r in self.db.execute("SELECT page_url, dead_url, choice FROM choices")}

    def record_choices(self, chosen: dict[tuple[str, str], str]) -> tuple[int, int]:
        """Store each (page, dead URL) -> choice, an empty choice clearing a recorded one, in one
        transaction; (choices stored or changed, choices cleared)."""
        now = utcnow()
        stored = cleared = 0
        with self._transaction():
            for (page_url, dead_url), choice in chosen.items():
                if choice:
                    stored += self.db.execute(
                        """INSERT INTO choices (page_url, dead_url, choice, chosen_on) VALUES (?, ?, ?, ?)
                           ON CONFLICT (page_url, dead_url) DO UPDATE SET choice = excluded.choice,
                           chosen_on = excluded.chosen_on WHERE choice != excluded.choice""",
                        (page_url, dead_url, choice, now)).rowcount
                else:
                    cleared += self.db.execute("DELETE FROM choices WHERE page_url = ? AND dead_url = ?",
                                               (page_url, dead_url)).rowcount
        return stored, cleared

    def save_drafts(self, drafts: list[dict[str, str]]) -> None:
        """Replace every stored draft (a draft run starts from scratch)."""
        with self._transaction():
            self.db.execute("DELETE FROM drafts")
            now = utcnow()
            self.db.executemany(
                f"INSERT INTO drafts ({', '.join(DRAFT_COLUMNS)}, drafted_at) "
                f"VALUES ({', '.join(':' + c for c in DRAFT_COLUMNS)}, :drafted_at)",
                [{**d, "drafted_at": now} for d in drafts])

    def drafts(self) -> list[Draft]:
        return named(Draft, self.db.execute("SELECT * FROM drafts ORDER BY prospect, contact_key, kind"))

    def prospect_stats(self) -> list[ProspectStats]:
        """Per prospect: pages crawled, outbound links, dead, likely dead, problems."""
        return named(ProspectStats, self.db.execute(
            """SELECT pr.id, pr.url AS prospect, pr.name, pr.notes, pr.extra,
                 (SELECT COUNT(*) FROM pages p WHERE p.prospect_id = pr.id AND p.status IS NOT NULL) AS pages_crawled,
                 (SELECT COUNT(*) FROM occurrences o JOIN pages p ON p.url = o.page_url
                    WHERE p.prospect_id = pr.id) AS outbound_links,
                 (SELECT COUNT(DISTINCT o.url) FROM occurrences o JOIN pages p ON p.url = o.page_url
                    JOIN checks c ON c.url = o.url WHERE p.prospect_id = pr.id AND c.verdict = 'dead') AS dead,
                 (SELECT COUNT(DISTINCT o.url) FROM occurrences o JOIN pages p ON p.url = o.page_url
                    JOIN checks c ON c.url = o.url WHERE p.prospect_id = pr.id AND c.verdict = 'likely_dead')
                    AS likely_dead,
                 (SELECT COUNT(*) FROM pages p WHERE p.prospect_id = pr.id AND p.error != '') AS errors,
                 auth.authority, COALESCE(auth.source, '') AS authority_source,
                 (SELECT MAX(p.resource_score) FROM pages p WHERE p.prospect_id = pr.id) AS resource_score
               FROM prospects pr LEFT JOIN authority auth ON auth.domain = pr.domain ORDER BY pr.url"""))

    def dead_links(self, verdicts: tuple[str, ...] = PITCHABLE) -> list[DeadLinkRow]:
        marks = ",".join("?" * len(verdicts))
        rows = self.db.execute(
            f"""SELECT c.url AS dead_url, c.verdict, c.reason, c.reason_code, c.status,
                       COUNT(DISTINCT o.page_url) AS referring_pages,
                       COUNT(DISTINCT pr.domain) AS referring_domains,
                       COALESCE(a.archived_url, '') AS archived_url, COALESCE(a.archived_at, '') AS archived_at,
                       COALESCE(a.title, '') AS archived_title
                FROM checks c
                JOIN occurrences o ON o.url = c.url
                JOIN pages p ON p.url = o.page_url
                JOIN prospects pr ON pr.id = p.prospect_id
                LEFT JOIN archive a ON a.url = c.url AND a.outcome = 'captured'
                WHERE c.verdict IN ({marks})
                GROUP BY c.url""",
            verdicts,
        ).fetchall()
        return [DeadLinkRow(link_kind=link_kind(r["dead_url"]), **dict(r)) for r in rows]
