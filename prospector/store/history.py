"""Queries of the outreach history (`prospector record`) and of the archived copies of dead
pages (`prospector archive`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from prospector.link_kind import EDITORIAL, link_kind
from prospector.store.base import utcnow
from prospector.store.rows import ArchivedPage, Draft, Sent, named
from prospector.verdict import PITCHABLE

HISTORY_COLUMNS = ("contact_key", "to_email", "to_name", "contact_url", "prospect", "domains", "kind", "status",
                   "on_date", "subject", "body", "edited", "followup_subject", "followup_body", "dead_urls")
ARCHIVE_COLUMNS = ("url", "outcome", "archived_url", "archived_at", "title", "description", "text", "detail")


@dataclass(frozen=True)
class ArchiveCandidate:
    """A dead URL the archive could be asked about."""

    url: str
    anchors: tuple[str, ...]  # of its links on prospect pages
    confidence: float | None  # the last match's (None: not matched yet)


class HistoryQueries:
    db: sqlite3.Connection

    if TYPE_CHECKING:  # provided by StoreBase

        def _transaction(self, kind: str = "") -> AbstractContextManager[None]: ...

    def draft_rows(self) -> dict[tuple[str, str], Draft]:
        """(contact key, kind) -> the stored draft."""
        return {(d.contact_key, d.kind): d for d in named(Draft, self.db.execute("SELECT * FROM drafts"))}

    def record_history(self, entries: list[dict[str, Any]], redate: bool = False) -> tuple[int, int]:
        """Store what the user did, all or nothing; an entry already recorded (same contact,
        kind, status and URLs) keeps its first date, or with `redate` takes the new one.
        Returns (how many were new, how many moved to another date)."""
        with self._transaction("IMMEDIATE"):
            before = self.db.total_changes
            self.db.executemany(
                f"INSERT OR IGNORE INTO history ({', '.join(HISTORY_COLUMNS)}, recorded_at) "
                f"VALUES ({', '.join(':' + c for c in HISTORY_COLUMNS)}, :recorded_at)",
                [{**e, "recorded_at": utcnow()} for e in entries])
            new = self.db.total_changes - before
            if not redate:
                return new, 0
            before = self.db.total_changes
            self.db.executemany(
                """UPDATE history SET on_date = :on_date WHERE contact_key = :contact_key AND kind = :kind
                   AND status = :status AND dead_urls = :dead_urls AND on_date != :on_date""", entries)
            return new, self.db.total_changes - before

    def _checks_of(self, urls: Iterable[str]) -> list[sqlite3.Row]:
        urls = list(urls)
        rows: list[sqlite3.Row] = []
        for start in range(0, len(urls), 500):  # SQLite's limit on bound parameters
            chunk = urls[start:start + 500]
            rows += self.db.execute(f"SELECT url, verdict, checked_at FROM checks WHERE url IN "
                                    f"({','.join('?' * len(chunk))})", chunk).fetchall()
        return rows

    def verdicts_of(self, urls: Iterable[str]) -> dict[str, str]:
        """URL -> its stored verdict, for those of `urls` that were checked."""
        return {r["url"]: r["verdict"] for r in self._checks_of(urls)}

    def urls_with_verdict(self, urls: Iterable[str], verdicts: Iterable[str]) -> set[str]:
        wanted = set(verdicts)
        return {url for url, verdict in self.verdicts_of(urls).items() if verdict in wanted}

    def checked_before(self, urls: Iterable[str], cutoff: str) -> list[str]:
        """Those of `urls` last checked before `cutoff` (an ISO time), oldest first."""
        return [r["url"] for r in sorted(self._checks_of(urls), key=lambda r: r["checked_at"])
                if r["checked_at"] < cutoff]

    def history(self) -> list[Sent]:
        """What the user recorded, oldest first."""
        return named(Sent, self.db.execute("SELECT * FROM history ORDER BY on_date, id"))

    # --- archived copies --------------------------------------------------------------------

    def save_archived(self, row: dict[str, Any]) -> None:
        self.db.execute(
            f"INSERT OR REPLACE INTO archive ({', '.join(ARCHIVE_COLUMNS)}, asked_at) "
            f"VALUES ({', '.join(':' + c for c in ARCHIVE_COLUMNS)}, :asked_at)",
            {**{c: "" for c in ARCHIVE_COLUMNS}, **row, "asked_at": utcnow()})

    def archive_candidates(self, verdicts: tuple[str, ...] = PITCHABLE) -> list[ArchiveCandidate]:
        """Dead editorial URLs the archive was not asked about yet (or answered with an error),
        with their anchors and their match's confidence, most valuable first: dead before likely
        dead, then by how many sites and how many in-content links point at them (the order to
        ask in is match/certainty.py's)."""
        marks = ",".join("?" * len(verdicts))
        rows = self.db.execute(
            f"""SELECT c.url, GROUP_CONCAT(o.anchor_text, char(31)) AS anchors, m.confidence, m.matched_at
                FROM checks c JOIN occurrences o ON o.url = c.url
                JOIN pages p ON p.url = o.page_url JOIN prospects pr ON pr.id = p.prospect_id
                LEFT JOIN archive a ON a.url = c.url
                LEFT JOIN match_outcomes m ON m.dead_url = c.url
                WHERE c.verdict IN ({marks}) AND (a.url IS NULL OR a.outcome = 'error')
                GROUP BY c.url
                ORDER BY c.verdict != 'dead', COUNT(DISTINCT pr.domain) DESC,
                         SUM(o.placement = 'content') DESC, c.url""", verdicts).fetchall()
        return [ArchiveCandidate(r["url"], tuple((r["anchors"] or "").split("\x1f")),
                                 r["confidence"] if r["matched_at"] is not None else None)
                for r in rows if link_kind(r["url"]) == EDITORIAL]

    def urls_to_archive(self, verdicts: tuple[str, ...] = PITCHABLE) -> list[str]:
        """The URLs of `archive_candidates`, most valuable first."""
        return [c.url for c in self.archive_candidates(verdicts)]

    def archive_outcomes(self) -> dict[str, int]:
        """outcome (captured, none, error) -> dead URLs."""
        return dict(self.db.execute("SELECT outcome, COUNT(*) FROM archive GROUP BY outcome").fetchall())

    def archived(self) -> dict[str, ArchivedPage]:
        """dead URL -> what the archive had for it (captured or not)."""
        return {a.url: a for a in named(ArchivedPage, self.db.execute("SELECT * FROM archive"))}
