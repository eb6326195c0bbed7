"""Asking the Internet Archive what the dead pages were (the archive stage, and `run`'s step
after matching): the links whose match is least certain first, for at most a given time."""

from __future__ import annotations

from scrapy.settings import Settings

from prospector.summaries import ArchiveSummary
from prospector.workspace import Workspace


def ask_archive(space: Workspace, settings: Settings, minutes: float | None) -> ArchiveSummary:
    """`minutes`: ask about no new link after this long (None: the settings'
    PROSPECTOR_WAYBACK_MINUTES)."""
    from prospector.match.certainty import ask_order  # scikit-learn: only when asked

    if minutes is not None:
        settings = settings.copy()
        settings.set("PROSPECTOR_WAYBACK_MINUTES", minutes, priority="cmdline")
    with space.store() as store:
        urls = ask_order(store.archive_candidates())
    stats = space.fetch_one("archive", settings, urls=urls)
    with space.store() as store:
        return ArchiveSummary.of(stats, settings, store.archive_outcomes(), len(store.urls_to_archive()))
