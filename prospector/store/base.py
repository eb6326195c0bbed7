"""The connection: WAL mode, migrations, transactions, problems and counts."""

from __future__ import annotations

import functools
import os
import socket
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

from prospector.errors import StageFailed, UsageError
from prospector.pids import running
from prospector.store.migrations import MIGRATIONS
from prospector.store.rows import Problem, RecentProblem
from prospector.store.schema import ADDED_COLUMNS, SCHEMA, SCHEMA_VERSION
from prospector.verdict import Verdict

# What holds a lock that no single command is named after.
LOCK_HOLDERS = {"outreach": "'prospector draft' or 'prospector record'"}


def utcnow() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def write_failure(exc: BaseException) -> bool:
    """SQLite could not write: a full disk, an I/O error, a read-only file system."""
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and any(
        word in text for word in ("full", "disk i/o", "readonly", "read-only", "unable to open"))


def one_line_write_failures(method: Callable[..., Any]) -> Callable[..., Any]:
    """For a method of an object with a `db` (its path): a store that cannot be written (a full
    disk, a read-only folder) is one line, StageFailed. Every write is a transaction, so what
    was stored before is kept."""
    @functools.wraps(method)
    def wrapped(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.OperationalError as exc:
            if not write_failure(exc):
                raise
            raise StageFailed(f"{self.db}: cannot write the store ({exc}). What was stored is kept: free some "
                              "space and run the same command again.") from None
    return wrapped


def _expected_columns() -> dict[str, list[str]]:
    memory = sqlite3.connect(":memory:")
    memory.executescript(SCHEMA)
    tables = [r[0] for r in memory.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    expected = {t: [r[1] for r in memory.execute(f"PRAGMA table_info({t})")] for t in tables}
    memory.close()
    return expected


EXPECTED_COLUMNS = _expected_columns()


class StoreError(UsageError):
    """The database cannot be used (wrong file, newer schema)."""


class StoreBusy(StoreError):
    """Another process is running the same stage on this store."""


class StoreBase:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot create its folder ({exc.strerror or exc})") from None
        self.read_only = self.path.exists() and not (
            os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK))
        try:
            if self.read_only:  # a copy someone shared, a read-only disk: still readable
                self.db = sqlite3.connect(f"{self.path.resolve().as_uri()}?immutable=1", uri=True,
                                          isolation_level=None, check_same_thread=False)
            else:
                self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA busy_timeout=5000")
            self._refuse_foreign()
            self._refuse_newer()  # before anything is written: such a store is left exactly as it was
            if self.read_only:
                self._check_version()
                self._check_tables()
                return
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
            self._check_tables()
        except sqlite3.OperationalError as exc:
            if write_failure(exc):
                raise StoreError(f"{self.path}: cannot be written ({exc}); is the disk full?") from None
            raise StoreError(f"{self.path}: not a prospector database ({exc})") from None
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a prospector database ({exc})") from None

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def stage_lock(self, *stages: str, wait: float = 0.0) -> Iterator[None]:
        """Hold `stages` for this process: a second `prospector check` on the same store would
        fetch every URL again. A lock whose process is gone (killed, crashed) is taken over;
        one held by a live process is waited for up to `wait` seconds."""
        deadline = time.monotonic() + wait
        while True:
            try:
                self._take_locks(stages)
                break
            except StoreBusy:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.1)
        try:
            yield
        finally:
            with self._transaction():
                self.db.executemany("DELETE FROM locks WHERE stage=? AND pid=?", [(s, os.getpid()) for s in stages])

    def _take_locks(self, stages: tuple[str, ...]) -> None:
        me, host = os.getpid(), socket.gethostname()
        with self._transaction("IMMEDIATE"):  # two processes may not both find the lock free
            for stage in stages:
                row = self.db.execute("SELECT pid, host, since FROM locks WHERE stage=?", (stage,)).fetchone()
                if row and row["pid"] != me and (row["host"] != host or running(row["pid"])):
                    where = "" if row["host"] == host else f" on {row['host']}"
                    holder = LOCK_HOLDERS.get(stage, f"'prospector {stage}'")
                    raise StoreBusy(f"{self.path}: another {holder} (pid {row['pid']}{where}, since "
                                    f"{row['since']}) is using this store; wait for it to finish or stop it")
            self.db.executemany("INSERT OR REPLACE INTO locks (stage, pid, host, since) VALUES (?, ?, ?, ?)",
                                [(stage, me, host, utcnow()) for stage in stages])

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _refuse_foreign(self) -> None:
        """Another program's SQLite file is left exactly as it was (no WAL, no tables added)."""
        tables = [r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        if tables and "meta" not in tables:
            self.db.close()
            shown = ", ".join(sorted(tables)[:5]) + (" …" if len(tables) > 5 else "")
            raise StoreError(f"{self.path}: not a prospector database (it has tables of its own: {shown}); "
                             "give --db a new file")

    def _refuse_newer(self) -> None:
        if not self.db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone():
            return
        row = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        if row is not None and str(row["value"]).isdigit() and int(row["value"]) > SCHEMA_VERSION:
            self.db.close()
            raise StoreError(f"{self.path}: schema version {row['value']} is newer than this prospector "
                             f"understands ({SCHEMA_VERSION}); upgrade prospector")

    def _check_tables(self) -> None:
        """Every column this prospector reads is there (a table changed by hand is named, not
        met later as a raw sqlite3 error)."""
        for table, columns in EXPECTED_COLUMNS.items():
            have = {r["name"] for r in self.db.execute(f"PRAGMA table_info({table})")}
            missing = [c for c in columns if c not in have]
            if missing:
                self.db.close()
                what = f"no table {table}" if not have else f"its table {table} has no column {missing[0]}"
                raise StoreError(f"{self.path}: {what} (changed by another program?); prospector cannot use it: "
                                 "give --db a new file")

    def _check_version(self) -> None:
        row = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        if row is None or int(row["value"]) != SCHEMA_VERSION:
            raise StoreError(f"{self.path}: read-only, and its schema version ({row['value'] if row else 'none'}) "
                             f"is not this prospector's ({SCHEMA_VERSION}); make it writable to upgrade it")

    def _migrate(self) -> None:
        self.db.executescript(SCHEMA)  # new tables (older stores keep their existing ones)
        with self._transaction("IMMEDIATE"):  # two processes opening an old store upgrade it once
            row = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            if row is None:
                self.db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
                return
            version = int(row["value"])
            if version == SCHEMA_VERSION:
                return
            for table, columns in ADDED_COLUMNS.items():
                have = {r["name"] for r in self.db.execute(f"PRAGMA table_info({table})")}
                for column, ddl in columns.items():
                    if column not in have:
                        self.db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {ddl}")
            for target in range(version + 1, SCHEMA_VERSION + 1):
                if target in MIGRATIONS:
                    MIGRATIONS[target](self.db)
            self.db.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION),))

    def campaign_id(self) -> str:
        """This store's campaign id, made once and kept: it names the campaign's work on a
        cluster's Redis, so two stores sharing one Redis database never mix."""
        self.db.execute("INSERT OR IGNORE INTO meta VALUES ('campaign_id', ?)", (uuid.uuid4().hex[:12],))
        return str(self.db.execute("SELECT value FROM meta WHERE key='campaign_id'").fetchone()[0])

    def schema_version(self) -> int:
        return int(self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0])

    def _transaction(self, kind: str = "") -> AbstractContextManager[None]:
        return _in_transaction(self.db, kind)

    # --- problems --------------------------------------------------------------------------

    def add_problem(self, stage: str, source: str, message: str) -> None:
        self.db.execute(
            "INSERT INTO problems (stage, source, message, at) VALUES (?, ?, ?, ?)",
            (stage, source, message, utcnow()),
        )

    def last_problem_id(self) -> int:
        return int(self.db.execute("SELECT COALESCE(MAX(id), 0) FROM problems").fetchone()[0])

    def problems_since(self, problem_id: int) -> list[Problem]:
        return [Problem(r[0], r[1]) for r in self.db.execute(
            "SELECT source, message FROM problems WHERE id > ? ORDER BY id", (problem_id,))]

    def recent_problems(self, limit: int) -> list[RecentProblem]:
        """The `limit` latest problems, newest first."""
        return [RecentProblem(*r) for r in self.db.execute(
            "SELECT at, stage, source, message FROM problems ORDER BY id DESC LIMIT ?", (limit,))]

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
        for verdict in Verdict:
            counts[verdict] = 0
        for verdict, n in self.db.execute("SELECT verdict, COUNT(*) FROM checks GROUP BY verdict"):
            counts[verdict] = n
        return counts


@contextmanager
def _in_transaction(db: sqlite3.Connection, kind: str) -> Iterator[None]:
    # isolation_level=None means autocommit; `with conn` alone would not open a transaction.
    db.execute(f"BEGIN {kind}".strip())
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
