"""Run the Scrapy stages one after another in one process and one reactor."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from scrapy import Spider
from scrapy.crawler import AsyncCrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.defer import deferred_from_coro


def run_spiders(settings: Settings, stages: list[tuple[type[Spider], dict[str, Any]]]) -> list[dict[str, Any]]:
    """Run each spider in turn; return each one's final stats. Stops early if a crawl was
    interrupted (Ctrl-C): what it stored is kept and a re-run resumes."""
    process = AsyncCrawlerProcess(settings)
    # Scrapy filters levels in its log handler, so every DEBUG line ("Crawled (200) …") is
    # still built as a LogRecord and thrown away: a few % of the check's CPU. Filter early.
    for name in ("scrapy", "prospector", "py.warnings"):
        logging.getLogger(name).setLevel(settings.get("LOG_LEVEL") or "DEBUG")
    results: list[dict[str, Any]] = []
    errors: list[BaseException] = []

    async def run_all() -> None:
        try:
            for spidercls, kwargs in stages:
                crawler = process.create_crawler(spidercls)
                await process.crawl(crawler, **kwargs)
                stats = crawler.stats.get_stats()
                results.append(stats)
                if stats.get("finish_reason") not in ("finished", None):
                    break
        except BaseException as exc:  # re-raised below, once the reactor has stopped
            errors.append(exc)
        finally:
            with contextlib.suppress(RuntimeError):  # already stopping (Ctrl-C)
                reactor.stop()

    from twisted.internet import reactor

    reactor.callWhenRunning(lambda: deferred_from_coro(run_all()))
    process.start(stop_after_crawl=False)
    if errors:
        raise errors[0]
    return results


def run_sharded(settings: Settings, spidercls: type[Spider], kwargs: dict[str, Any], workers: int) -> dict[str, Any]:
    """Run `workers` copies of a spider in as many processes, each with `shard="i/N"`, and
    return their stats added up, finish_reason "finished" only if every shard finished.
    The check stage is CPU-bound in one process: this is how it uses every core."""
    jobs = []
    for index in range(workers):
        shard_settings = settings.copy()
        if index:  # one progress bar is enough, and it is for the first shard
            shard_settings.set("PROSPECTOR_PROGRESS", False, priority="cmdline")
        jobs.append((shard_settings, [(spidercls, {**kwargs, "shard": f"{index}/{workers}"})]))
    shards = [stats[0] if stats else {} for stats in in_processes(jobs)]
    merged: dict[str, Any] = {}
    for stats in shards:
        for key, value in stats.items():
            merged[key] = merged[key] + value if isinstance(value, (int, float)) and key in merged else value
    reasons = sorted({str(stats.get("finish_reason")) for stats in shards} - {"finished"})
    merged["finish_reason"] = ", ".join(reasons) or "finished"
    return merged


def in_processes(jobs: list[tuple[Settings, list[tuple[type[Spider], dict[str, Any]]]]]) -> list[list[dict[str, Any]]]:
    """`run_spiders` for each job in a process of its own, all at once; their stats, in order.
    Processes are forked while this one has no reactor, so each child starts its own."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    queue = context.Queue()

    def child(index: int, settings: Settings, stages: list[tuple[type[Spider], dict[str, Any]]]) -> None:
        stats = run_spiders(settings, stages)
        queue.put((index, [{k: v for k, v in s.items() if isinstance(v, (int, float, str))} for s in stats]))

    processes = [context.Process(target=child, args=(i, *job)) for i, job in enumerate(jobs)]
    for process in processes:
        process.start()
    results = dict(queue.get() for _ in processes)
    for process in processes:
        process.join()
    return [results[i] for i in range(len(jobs))]
