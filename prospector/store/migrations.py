"""Forward migrations: what an older store needs, beyond new tables and columns, to become the
current version. One function per version; each runs once, inside the upgrade's transaction."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable

from prospector.store.schema import DRAFTS
from prospector.verdict import ReasonCode, Verdict

# The wording reasons had up to version 5, the only time a reason is ever read back as text.
_LEGACY_REASONS: tuple[tuple[re.Pattern[str], ReasonCode], ...] = tuple((re.compile(p), code) for p, code in (
    (r"^redirects .* answers 404", ReasonCode.REDIRECT_TO_404),
    (r"^redirects .* answers 410", ReasonCode.REDIRECT_TO_410),
    (r"^404\b", ReasonCode.HTTP_404),
    (r"^410\b", ReasonCode.HTTP_410),
    (r"does not exist \(NXDOMAIN\)", ReasonCode.NXDOMAIN),
    (r"has no address", ReasonCode.NO_ADDRESS),
    (r"^deep link redirected", ReasonCode.REDIRECT_TO_HOME),
    (r"^soft 404", ReasonCode.SOFT_404),
    (r"^parked domain", ReasonCode.PARKED),
    (r"^connection refused", ReasonCode.REFUSED),
    (r"^secure connection failed", ReasonCode.TLS),
    (r"^timed out", ReasonCode.TIMEOUT),
    (r"^connection reset", ReasonCode.RESET),
    (r"^redirect loop|redirects to itself", ReasonCode.REDIRECT_LOOP),
    (r"^too many redirects", ReasonCode.TOO_MANY_REDIRECTS),
    (r"^\d{3} after redirect", ReasonCode.REDIRECT_OK),
    (r"^\d{3} OK", ReasonCode.OK),
    (r"refuses robots", ReasonCode.BOT_WALL),
    (r"^429 ", ReasonCode.RATE_LIMITED),
    (r"^5\d\d ", ReasonCode.SERVER_ERROR),
    (r"redirect without a usable Location", ReasonCode.BAD_REDIRECT),
    (r"^unexpected status", ReasonCode.UNEXPECTED_STATUS),
    (r"SERVFAIL", ReasonCode.SERVFAIL),
    (r"^DNS timeout", ReasonCode.DNS_TIMEOUT),
    (r"^DNS |lookup failed", ReasonCode.DNS_ERROR),
))
_FALLBACK = {Verdict.BLOCKED: ReasonCode.NETWORK_POLICY, Verdict.ALIVE: ReasonCode.OK}


def legacy_reason_code(verdict: str, reason: str) -> str:
    """The code of a reason written before codes were stored."""
    for pattern, code in _LEGACY_REASONS:
        if pattern.search(reason):
            return code
    return _FALLBACK.get(verdict, ReasonCode.NO_ANSWER)  # type: ignore[call-overload]


def to_6(db: sqlite3.Connection) -> None:
    """Reason codes beside the reasons of the checks already stored."""
    have = {r[1] for r in db.execute("PRAGMA table_info(checks)")}
    if "reason_code" not in have:
        db.execute("ALTER TABLE checks ADD COLUMN reason_code TEXT NOT NULL DEFAULT ''")
    db.create_function("legacy_reason_code", 2, legacy_reason_code, deterministic=True)
    db.execute("UPDATE checks SET reason_code = legacy_reason_code(verdict, reason) WHERE reason_code = ''")


def to_7(db: sqlite3.Connection) -> None:
    """Drafts keyed by contact and kind (first email or follow-up). Every draft run writes
    them afresh, so the table is made again rather than converted."""
    db.execute("DROP TABLE IF EXISTS drafts")
    db.execute(DRAFTS)


def to_8(db: sqlite3.Connection) -> None:
    """A prospect's contact name and the extra columns of the list it came from."""
    have = {r[1] for r in db.execute("PRAGMA table_info(prospects)")}
    for column, ddl in (("contact_name", "TEXT NOT NULL DEFAULT ''"), ("extra", "TEXT NOT NULL DEFAULT '{}'")):
        if column not in have:
            db.execute(f"ALTER TABLE prospects ADD COLUMN {column} {ddl}")


def to_9(db: sqlite3.Connection) -> None:
    """Which version of the context extractor read each page: the pages stored so far were
    read by version 1 (a link's own sentence only), which a re-crawl replaces."""
    have = {r[1] for r in db.execute("PRAGMA table_info(pages)")}
    if "extractor" not in have:
        db.execute("ALTER TABLE pages ADD COLUMN extractor INTEGER NOT NULL DEFAULT 1")


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {6: to_6, 7: to_7, 8: to_8, 9: to_9}
