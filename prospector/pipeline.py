"""The fetching stages of `prospector run` (crawl, check, own-site inventory) in one process."""

from __future__ import annotations

from dataclasses import dataclass

from scrapy.settings import Settings


@dataclass(frozen=True)
class StageStats:
    interrupted: str  # the stage that was stopped (Ctrl-C), or ""
    input_problems: int  # bad prospect rows, unreachable prospects, sitemap errors
    app_links: int = 0  # whatsapp:, viber: … links seen by the crawl (counted, not checked)


def run_stages(settings: Settings, prospects: str, sitemap: str = "", pages: str = "",
               workers: int = 1) -> StageStats:
    """Crawl, check and read the own site. With one worker, all in this process's reactor;
    with more, each stage in child processes, the check split over `workers` of them."""
    from prospector.crawl.check import LinkCheckSpider
    from prospector.crawl.prospect import ProspectSpider
    from prospector.match.sitemap import OwnSiteSpider
    from prospector.runner import in_processes, run_sharded, run_spiders

    stages = [("crawl", ProspectSpider, {"prospects": prospects}), ("check", LinkCheckSpider, {}),
              ("match", OwnSiteSpider, {"sitemap": sitemap, "pages": pages})]
    if workers == 1:
        results = run_spiders(settings, [(cls, kwargs) for _, cls, kwargs in stages])
    else:
        results = []
        for name, cls, kwargs in stages:
            if name == "check":
                results.append(run_sharded(settings, cls, kwargs, workers))
            else:
                results.extend(in_processes([(settings, [(cls, kwargs)])])[0])
            if results[-1].get("finish_reason") not in ("finished", None):
                break
    interrupted = next((name for (name, _, _), stats in zip(stages, results)
                        if stats.get("finish_reason") not in ("finished", None)), "")
    if len(results) < len(stages) and not interrupted:
        interrupted = stages[len(results)][0]
    problems = sum(stats.get(key, 0) for stats in results for key in (
        "prospector/bad_rows", "prospector/unreachable_prospects", "prospector/sitemap_errors"))
    return StageStats(interrupted, problems, sum(stats.get("prospector/app_links", 0) for stats in results))
