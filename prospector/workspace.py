"""What every stage of a Campaign runs against: its store, the Scrapy settings of its options,
the runner that fetches (here or on a cluster), and where its one-line notes go."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from scrapy.settings import Settings

from prospector.config import RunOptions, build_settings
from prospector.fetching import Runner, StageRuns, Stats, fetch
from prospector.stages import BY_NAME
from prospector.store import Store, open_store
from prospector.summaries import problem_lines

OUTREACH_LOCK_WAIT_S = 30.0


@dataclass(frozen=True)
class Workspace:
    db: str
    options: RunOptions
    runner: Runner
    note: Callable[[str], None]  # a line for the user: stderr for the CLI, a notebook's output

    def store(self, must_exist: bool = False) -> Store:
        """The store; `must_exist`: a missing file is a UsageError, not a new, empty store."""
        return open_store(self.db, must_exist)

    def settings(self) -> Settings:
        """The Scrapy settings of the options: a bad option is a ConfigError (a UsageError)
        before anything runs."""
        return build_settings(self.options)

    @contextlib.contextmanager
    def lock(self, *stages: str) -> Iterator[None]:
        """One process per stage on a store (StoreBusy, a UsageError, says who holds it).
        Drafting and recording (the outreach lock) are short: one waits for the other a little."""
        with self.store() as store, \
                store.stage_lock(*stages, wait=OUTREACH_LOCK_WAIT_S if "outreach" in stages else 0.0):
            yield

    def fetch(self, settings: Settings, stages: StageRuns) -> list[Stats]:
        """The stages' spiders, in order (fetching.fetch); each one's stats."""
        return fetch(self.runner, settings, stages, self.db)

    def fetch_one(self, stage: str, settings: Settings, **kwargs: Any) -> Stats:
        """One stage's spider, with these arguments; its stats."""
        return self.fetch(settings, [(BY_NAME[stage], kwargs)])[0]

    def sheet(self, name: str) -> pd.DataFrame:
        """One of the CSVs' tables (export.SHEETS), as pandas users expect it (export.for_python)."""
        from prospector.export import for_python, sheets

        with self.store(must_exist=True) as store:
            return for_python(sheets(store, [name])[name])

    def has_prospects(self) -> bool:
        """Whether the store (if there is one) holds prospects: imported ones, or a list's."""
        if not Path(self.db).exists():
            return False
        with self.store() as store:
            return bool(store.prospect_domains())

    def problem_mark(self) -> int:
        """Where the problems recorded from now on start (store.problems_since)."""
        with self.store() as store:
            return store.last_problem_id()

    def note_problems(self, problems: Iterable[tuple[str, str] | str]) -> None:
        for line in problem_lines(problems):
            self.note(line)

    def read_prospects(self, prospects: str | Path) -> None:
        """Fail early on an unreadable prospect list (a UsageError); note a file not in UTF-8."""
        from prospector.inputs import read_prospects, text_encoding

        if not prospects:  # the stored prospects (imported)
            return
        read_prospects(prospects)
        if (encoding := text_encoding(prospects)) != "utf-8":
            self.note(f"Note: {prospects} is not UTF-8; read it as {encoding}.")

    def refuse_unrecorded(self, out_dir: str | Path) -> None:
        """Statuses typed into the emails sheet an export would replace must be recorded first
        (UnrecordedStatuses, a StageFailed)."""
        from prospector.export import refuse_unrecorded

        with self.store() as store:
            refuse_unrecorded(store, Path(out_dir))

    def note_older_contexts(self, store: Store) -> None:
        """Pages whose links' contexts an older version wrote are kept until a re-crawl is asked
        for (--recrawl-after): say so, rather than match on them silently."""
        from prospector.crawl.context import older_contexts_note

        if self.options.recrawl_after is None and (line := older_contexts_note(store)):
            self.note(line)
