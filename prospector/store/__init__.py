"""The SQLite store: the schema and every query. No SQL lives anywhere else.

One file (WAL mode) shared by every stage. Rows are keyed on natural keys (the normalised
URL), so a re-run upserts instead of duplicating and a killed run resumes from what was
committed. One module per stage's queries; `Store` has them all.
"""

from prospector.store.base import StoreBase, StoreBusy, StoreError, utcnow
from prospector.store.crawl import CrawlQueries, CrawlState
from prospector.store.history import HistoryQueries
from prospector.store.match import MatchQueries
from prospector.store.outreach import DeadLinkRow, OutreachQueries
from prospector.store.schema import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "CrawlState", "DeadLinkRow", "Store", "StoreBusy", "StoreError", "utcnow"]


class Store(CrawlQueries, MatchQueries, OutreachQueries, HistoryQueries, StoreBase):
    """One connection to the store, with every stage's queries."""
