"""How the fetching stages run, chosen once from a Campaign's options: in child processes on
this machine (the check sharded over `workers`), or with the crawl and the check done by the
workers of a Redis cluster while this process coordinates and stores. Either way the other
stages fetch here, in order, and the run stops after a stage that did not go on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from scrapy.settings import Settings
from scrapy.utils.misc import load_object

from prospector import stat_keys
from prospector.errors import StageFailed, UsageError
from prospector.stages import Stage, goes_on

Stats = dict[str, Any]
RESUME = "What was stored is kept: run the same command again to resume."
STORE_KEPT = "What was stored is kept: free some space and run the same command again to resume."
StageRuns = list[tuple[Stage, dict[str, Any]]]  # each stage with its spider's arguments, in order


class Runner(Protocol):
    def fetch(self, settings: Settings, stages: StageRuns) -> list[Stats]:
        """Each stage's stats, in order; the run stops after a stage that did not go on."""
        ...


def runner_for(workers: int, redis: str | None, lease: float, note: Callable[[str], None]) -> Runner:
    """On this machine, or with the cluster serving `redis` when it is given."""
    return ClusterRunner(redis, lease, note) if redis else LocalRunner(workers)


def fetch(runner: Runner, settings: Settings, stages: StageRuns, db: str) -> list[Stats]:
    """The stages run by `runner`; a store that could not be written (a full disk) is
    StageFailed, naming how many results were not stored."""
    results = runner.fetch(settings, stages)
    failed = next((stats for stats in results
                   if stat_keys.REASON_STORE_FAILED in str(stats.get(stat_keys.FINISH_REASON))), None)
    if failed is not None:
        raise StageFailed(f"{db}: {failed.get(stat_keys.STORE_FAILED, 'cannot write the store')}; "
                          f"{failed.get(stat_keys.ITEMS_NOT_STORED, 0)} results were not stored. {STORE_KEPT}")
    return results


def finished(stats: Stats) -> bool:
    """Whether a spider ran to its end (not stopped by Ctrl-C, SIGTERM or a closing middleware)."""
    return stats.get(stat_keys.FINISH_REASON) in ("finished", None)


@dataclass(frozen=True)
class LocalRunner:
    workers: int  # processes for the check

    def fetch(self, settings: Settings, stages: StageRuns) -> list[Stats]:
        """Each stage's spider in a child process, the check over `workers` of them."""
        from prospector.runner import WorkerFailed, in_processes, run_sharded

        spiders = [(stage, load_object(stage.spider), kwargs) for stage, kwargs in stages]
        try:
            if self.workers == 1:
                return in_processes([(settings, [(cls, kwargs) for _, cls, kwargs in spiders])])[0]
            results: list[Stats] = []
            for stage, cls, kwargs in spiders:
                if stage.name == "check":
                    results.append(run_sharded(settings, cls, kwargs, self.workers))
                else:
                    results.extend(in_processes([(settings, [(cls, kwargs)])])[0])
                if not goes_on(results[-1]):
                    break
            return results
        except WorkerFailed as exc:
            raise StageFailed(f"{exc}. {RESUME}") from None


@dataclass(frozen=True)
class ClusterRunner:
    redis: str  # redis://HOST:PORT/DB
    lease: float  # seconds a silent worker keeps its sites and requests
    note: Callable[[str], None]

    def fetch(self, settings: Settings, stages: StageRuns) -> list[Stats]:
        """The crawl and the check by the cluster's workers (this process coordinates and
        stores); the other stages here, as without a cluster."""
        from scrapy.utils.log import configure_logging

        from prospector.runner import WorkerFailed, in_processes

        server = self.server()  # first: one line if Redis or the extra is missing
        import redis

        from prospector.cluster import coordinated as on_cluster
        from prospector.cluster.connection import redact

        configure_logging(settings)  # the coordinator's own lines go where Scrapy's do (LOG_FILE)
        results: list[Stats] = []
        try:
            for stage, kwargs in stages:
                if stage.name in ("crawl", "check"):
                    run = on_cluster.crawl if stage.name == "crawl" else on_cluster.check
                    results.append(run(server, settings, kwargs, self.lease, self.note))
                else:
                    results.extend(in_processes([(settings, [(load_object(stage.spider), kwargs)])])[0])
                if not goes_on(results[-1]):
                    break
        except WorkerFailed as exc:
            raise StageFailed(f"{exc}. {RESUME}") from None
        except redis.RedisError as exc:
            why = " ".join(str(exc).split()).rstrip(".")
            raise StageFailed(f"lost Redis at {redact(self.redis)}: {why}. {RESUME}") from None
        finally:
            server.close()
        return results

    def server(self) -> Any:
        """A client of the cluster's Redis, or RedisUnavailable (StageFailed) in one line."""
        from prospector.cluster.connection import connect

        return connect(self.redis)

    def leftovers(self) -> list[Any]:
        from prospector.cluster.leftovers import leftovers

        server = self.server()
        try:
            return leftovers(server)
        finally:
            server.close()

    def clear(self, campaign: str) -> int:
        from prospector.cluster import keys
        from prospector.cluster.leftovers import clear_campaign

        if not keys.CAMPAIGN_ID.match(campaign):
            raise UsageError(f"campaign: {campaign!r} is not a campaign id (12 hex digits, as 'prospector clear' "
                             "lists them)")
        server = self.server()
        try:
            return clear_campaign(server, campaign)
        finally:
            server.close()

    def work(self, settings: Settings) -> tuple[str, Stats]:
        """Serve the cluster until stopped: this worker's id and what it did."""
        from prospector.runner import WorkerFailed, in_processes

        self.server().close()  # unreachable: one line, before anything starts
        from prospector.cluster.worker import new_worker_id, serve

        worker_id = new_worker_id()
        try:
            stats = in_processes([(settings, (self.redis, worker_id, self.lease))], target=serve)[0][0]
        except WorkerFailed as exc:
            raise StageFailed(str(exc)) from None
        return worker_id, stats
