"""The pipeline's stages, in order: the one list that `run`, `demo`, `status` and the progress
bar all read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from prospector import stat_keys


@dataclass(frozen=True)
class Stage:
    name: str  # the command and the Campaign method: crawl, check …
    title: str  # as summaries and `status` head it
    spider: str = ""  # the Scrapy spider that fetches for it (dotted path), if it fetches
    progress_label: str = ""  # what the progress bar says while that spider runs
    progress_total: str = ""  # the spider's stat that holds the bar's total (for the ETA)
    optional: bool = False  # `run` does it after matching, and only with wayback (its default)


STAGES: tuple[Stage, ...] = (
    Stage("crawl", "Crawl", "prospector.crawl.prospect.ProspectSpider",
          "Crawling prospect pages", stat_keys.PAGES_BUDGET),
    Stage("check", "Check", "prospector.crawl.check.LinkCheckSpider",
          "Checking outbound URLs", stat_keys.URLS_TO_CHECK),
    Stage("match", "Match", "prospector.crawl.own_site.OwnSiteSpider",
          "Reading your own pages", stat_keys.OWN_PAGES_TO_FETCH),
    Stage("archive", "Archive", "prospector.crawl.archive.ArchiveSpider",
          "Asking the Internet Archive", stat_keys.URLS_TO_ARCHIVE, optional=True),
    Stage("draft", "Draft"),
    Stage("export", "Export"),
)
# Not a stage of `run`: how prospects are found before it (finding.py)
FINDING: tuple[Stage, ...] = (
    Stage("deadsite", "Dead site", "prospector.crawl.site_listing.SiteListingSpider",
          "Listing the site's archived pages"),
)
BY_NAME = {stage.name: stage for stage in (*STAGES, *FINDING)}
FETCHING = tuple(stage for stage in STAGES if stage.spider and not stage.optional)  # what `run` fetches first, in order

# How a fetching spider may end with the stages after it still run: it finished, or it stopped
# by its own rule (the archive after three 429s or three failures to reach it: what it read is
# used, a later run asks the rest).
GOES_ON = frozenset({"finished", "archive_rate_limited", "archive_unreachable"})


def goes_on(stats: dict[str, Any]) -> bool:
    return stats.get("finish_reason") in GOES_ON or stats.get("finish_reason") is None
