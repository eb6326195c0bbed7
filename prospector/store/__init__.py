"""The SQLite store: the schema and every query. No SQL lives anywhere else.

One file (WAL mode) shared by every stage. Rows are keyed on natural keys (the normalised
URL), so a re-run upserts instead of duplicating and a killed run resumes from what was
committed. One module per stage's queries; `Store` has them all.
"""

from pathlib import Path

from prospector.errors import UsageError
from prospector.store.base import StoreBase, StoreBusy, StoreError, utcnow
from prospector.store.crawl import CrawlQueries, CrawlState
from prospector.store.history import HistoryQueries
from prospector.store.match import MatchQueries
from prospector.store.outreach import DeadLinkRow, OutreachQueries
from prospector.store.schema import SCHEMA_VERSION
from prospector.store.sites import LostPage, SiteListing, SiteQueries

__all__ = ["SCHEMA_VERSION", "CrawlState", "DeadLinkRow", "LostPage", "SiteListing", "Store", "StoreBusy", "StoreError",
           "open_store", "utcnow"]


class Store(CrawlQueries, MatchQueries, OutreachQueries, HistoryQueries, SiteQueries, StoreBase):
    """One connection to the store, with every stage's queries."""


def open_store(db: str, must_exist: bool = False) -> Store:
    """The store (StoreError, a UsageError, when it cannot be used); with `must_exist`, a
    missing file is an error rather than a new, empty store (a mistyped db must not export
    header-only CSVs over good ones)."""
    if must_exist and not Path(db).exists():
        demo = Path(db).parent / "demo.sqlite"
        hint = f"; the demo's is {demo}: --db {demo}" if demo.exists() else ""
        raise UsageError(f"{db}: no store yet; run 'prospector crawl' first (or check --db){hint}")
    return Store(db)
