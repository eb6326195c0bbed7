"""Checking again, just before they are pitched, the dead links whose check is older than a
few hours (draft, run and verify do): a page fixed since its check must not be pitched."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from prospector.errors import Interrupted
from prospector.fetching import finished
from prospector.outreach.drafting import DraftOptions, PitchPlan, plan_pitches
from prospector.workspace import Workspace


@dataclass(frozen=True)
class Recheck:
    space: Workspace
    within_hours: float  # a check older than this is done again
    locked: bool = False  # the caller holds the check stage's lock

    def urls(self, urls: list[str]) -> list[str]:
        """Those of `urls` checked more than `within_hours` ago, checked again (the normal
        check, every worker): the list of them."""
        cutoff = (datetime.now(UTC) - timedelta(hours=self.within_hours)).isoformat(timespec="seconds")
        with self.space.store() as store:
            stale = store.checked_before(urls, cutoff)
        if stale:
            settings = self.space.settings()
            with contextlib.nullcontext() if self.locked else self.space.lock("check"):
                stats = self.space.fetch_one("check", settings, urls=stale)
            if not finished(stats):
                raise Interrupted("Stopped while checking the links to pitch again; what was checked is kept: "
                                  "run the same command again to resume.")
        return stale

    def pitches(self, options: DraftOptions) -> tuple[tuple[int, int], PitchPlan | None]:
        """The dead links the drafts would name, checked again: ((how many, of which no longer
        dead), the plan when nothing was checked again and it still holds)."""
        with self.space.store() as store:
            plan = plan_pitches(store, options)
        checked = self.urls(sorted(plan.dead_urls()))
        if not checked:
            return (0, 0), plan
        with self.space.store() as store:
            return (len(checked), len(checked) - len(store.urls_with_verdict(checked, options.verdicts))), None
