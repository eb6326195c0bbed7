"""Asking the Internet Archive what the dead pages were (the archive stage, and `run`'s step
after matching): the links whose match is least certain first, for at most a given time."""

from __future__ import annotations

from collections.abc import Callable

from scrapy.settings import Settings

from prospector.errors import Interrupted
from prospector.stages import goes_on
from prospector.summaries import ArchiveSummary, MatchSummary
from prospector.workspace import Workspace


def ask_archive(space: Workspace, settings: Settings, minutes: float | None,
                urls: list[str] | None = None) -> ArchiveSummary:
    """`minutes`: ask about no new link after this long (None: the settings'
    PROSPECTOR_WAYBACK_MINUTES); `urls`: these, in this order (default: the dead links on
    prospect pages, the least certain matches first)."""
    from prospector.match.certainty import ask_order  # scikit-learn: only when asked

    if minutes is not None:
        settings = settings.copy()
        settings.set("PROSPECTOR_WAYBACK_MINUTES", minutes, priority="cmdline")
    if urls is None:
        with space.store() as store:
            urls = ask_order(store.archive_candidates())
    stats = space.fetch_one("archive", settings, urls=urls)
    with space.store() as store:
        return ArchiveSummary.of(stats, settings, store.archive_outcomes(), len(store.urls_to_archive()))


def ask_then_rematch(space: Workspace, settings: Settings, minutes: float | None, matched: MatchSummary,
                     rank_again: Callable[[], MatchSummary]) -> tuple[ArchiveSummary, MatchSummary]:
    """`run`'s archive step: ask (for at most `minutes`), then rank again when the archive said
    what some dead pages were."""
    archived = ask_archive(space, settings, minutes)
    if not goes_on({"finish_reason": archived.finish_reason}):
        raise Interrupted("Stopped while asking the Internet Archive; run the same command again to resume.")
    return archived, rank_again() if archived.this_run.get("captured") else matched
