"""The cluster on this machine: a coordinator and 1, 2 and 4 workers crawl and check a
generated web whose URLs all answer at once (redis-server on loopback, nothing persisted).

Measured per worker count: crawl pages/s and check URLs/s (the coordinator's wall time), the
CPU seconds of the workers and of the coordinator, and the Redis traffic the stage caused
(redis-server's own counters: bytes in and out, commands, and reads = client round trips),
per page and per URL. Prints JSON; run.py keeps it in results.json and results.md renders it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import redis as redis_py

sys.path.insert(0, str(Path(__file__).resolve().parent))
from netweb import fake_web  # noqa: E402

from prospector.cluster import keys  # noqa: E402
from prospector.testing.local_redis import LocalRedis  # noqa: E402

PROSPECTOR = [sys.executable, "-m", "prospector"]
COUNTERS = ("total_net_input_bytes", "total_net_output_bytes", "total_commands_processed", "total_reads_processed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", default="100x20", help="SITESxPAGES of the generated web")
    parser.add_argument("--workers", default="1,2,4")
    args = parser.parse_args()
    runs = {n: one_size(int(n), args.size) for n in args.workers.split(",")}
    print(json.dumps({"size": args.size, "cores": len(os.sched_getaffinity(0)), "runs": runs,
                      "projection": projection(runs)}, indent=2))


def one_size(workers: int, size: str) -> dict[str, Any]:
    sites, pages = (int(n) for n in size.split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db = work / "store.sqlite"
        with fake_web(None, size, 4, work, waiting=False) as web, LocalRedis(work) as redis:
            client = redis_py.Redis.from_url(redis.url)
            net = ["--nameserver", web.nameserver, "--allow-private-networks", "--timeout", "5", "--dns-timeout", "2",
                   "-q", "--set", "AUTOTHROTTLE_START_DELAY=0"]
            crawl = stage(client, redis.url, workers, work, net, db,
                          ["crawl", "--prospects", str(web.prospects), "--max-pages", str(pages + 5),
                           "--max-depth", "40"])
            check = stage(client, redis.url, workers, work, net, db, ["check"])
            idle = idle_traffic(client, redis.url, workers, work, net)
        with sqlite3.connect(db) as conn:
            fetched = conn.execute("SELECT COUNT(*) FROM pages WHERE status IS NOT NULL").fetchone()[0]
            urls = conn.execute("SELECT COUNT(*) FROM checks").fetchone()[0]
    return {"sites": sites, "crawl": per_item(crawl, fetched, "pages"), "check": per_item(check, urls, "urls"),
            "idle_per_worker_s": idle}


def stage(client: Any, url: str, workers: int, work: Path, net: list[str], db: Path, command: list[str]
          ) -> dict[str, Any]:
    """One stage with a fresh set of workers: wall, CPU (workers, coordinator), Redis counters."""
    started = start_workers(client, url, workers, work, net)
    before = counters(client)
    t0 = time.perf_counter()
    coordinator = subprocess.Popen([*PROSPECTOR, *command, "--redis", url, "--db", str(db), *net],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(coordinator.pid, 0)
    wall = time.perf_counter() - t0
    after = counters(client)
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise RuntimeError(f"{command[0]} failed: {coordinator.stderr.read()[-2000:]}")  # type: ignore[union-attr]
    return {"wall_s": wall, "coordinator_cpu_s": usage.ru_utime + usage.ru_stime,
            "workers_cpu_s": stop_workers(started), **{k: after[k] - before[k] for k in COUNTERS}}


def start_workers(client: Any, url: str, count: int, work: Path, net: list[str]) -> list[subprocess.Popen]:
    workers = [subprocess.Popen([*PROSPECTOR, "worker", "--redis", url, *net],
                                stdout=subprocess.DEVNULL, stderr=open(work / f"worker{i}.err", "w"))  # noqa: SIM115 (open while it runs)
               for i in range(count)]
    deadline = time.monotonic() + 60
    while client.zcard(keys.WORKERS) < count or sum(1 for _ in client.scan_iter(keys.lease("*"))) < keys.PARTITIONS:
        if time.monotonic() > deadline:
            raise RuntimeError("the workers did not start")
        time.sleep(0.1)
    time.sleep(1.0)  # leases settle to a fair share
    return workers


def stop_workers(workers: list[subprocess.Popen]) -> float:
    """SIGTERM each; their CPU seconds, forked Scrapy processes included (wait4's rusage)."""
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    cpu = 0.0
    for worker in workers:
        _, _, usage = os.wait4(worker.pid, 0)
        cpu += usage.ru_utime + usage.ru_stime
    return cpu


def idle_traffic(client: Any, url: str, workers: int, work: Path, net: list[str]) -> dict[str, float]:
    """What a waiting worker costs Redis each second (heartbeat, leases, polling)."""
    started = start_workers(client, url, workers, work, net)
    before, t0 = counters(client), time.perf_counter()
    time.sleep(5)
    after, seconds = counters(client), time.perf_counter() - t0
    stop_workers(started)
    return {k: (after[k] - before[k]) / seconds / workers for k in COUNTERS}


def counters(client: Any) -> dict[str, int]:
    info = client.info("stats")
    return {k: int(info[k]) for k in COUNTERS}


def per_item(run: dict[str, Any], items: int, unit: str) -> dict[str, Any]:
    return {**run, unit: items, "per_s": items / run["wall_s"],
            "worker_cpu_ms": 1000 * run["workers_cpu_s"] / items,
            "coordinator_cpu_ms": 1000 * run["coordinator_cpu_s"] / items,
            "bytes": (run["total_net_input_bytes"] + run["total_net_output_bytes"]) / items,
            "commands": run["total_commands_processed"] / items,
            "round_trips": run["total_reads_processed"] / items}


# The agency the issue names: 100,000 prospects x 50 pages, ~15 M outbound links. Unique URLs
# are assumed to be two thirds of the links (popular URLs repeat across sites).
PROSPECTS, PAGES_PER_SITE, LINKS, UNIQUE_URLS = 100_000, 50, 15_000_000, 10_000_000
MACHINE_CORES = 8  # the projection's worker machines: one `prospector worker` per core
SITE_LATENCY_S = 0.5  # a real site's page: answer + transfer, roughly
CHECK_LATENCY_S = 1.0  # a real URL check: DNS + connect + answer, timeouts averaged in
IN_FLIGHT = {"crawl": 64, "check": 128}  # CONCURRENT_REQUESTS of each stage's spider


def projection(runs: dict[str, Any]) -> dict[str, Any]:
    """Machines and hours for the agency's campaign. A worker (one per core) goes as fast as
    the lower of its CPU (measured: the best run's CPU per page and per URL) and its requests
    in flight over the real web's latency; the coordinator, the single writer, needs its
    measured CPU per item on one core whatever the number of machines; and one site is fetched
    two pages at a time."""
    crawl_cpu = min(r["crawl"]["worker_cpu_ms"] for r in runs.values()) / 1000
    check_cpu = min(r["check"]["worker_cpu_ms"] for r in runs.values()) / 1000
    coord_page = min(r["crawl"]["coordinator_cpu_ms"] for r in runs.values()) / 1000
    coord_url = min(r["check"]["coordinator_cpu_ms"] for r in runs.values()) / 1000
    pages = PROSPECTS * PAGES_PER_SITE
    per_core = {"crawl": min(1 / crawl_cpu, IN_FLIGHT["crawl"] / SITE_LATENCY_S),
                "check": min(1 / check_cpu, IN_FLIGHT["check"] / CHECK_LATENCY_S)}
    coordinator_hours = (pages * coord_page + UNIQUE_URLS * coord_url) / 3600
    site_floor_h = PAGES_PER_SITE / 2 * SITE_LATENCY_S / 3600
    plans = []
    for machines in (1, 2, 4, 8):
        cores = machines * MACHINE_CORES
        fetching = (pages / (per_core["crawl"] * cores) + UNIQUE_URLS / (per_core["check"] * cores)) / 3600
        plans.append({"machines": machines, "fetching_hours": fetching,
                      "hours": max(fetching, coordinator_hours, site_floor_h)})
    return {"pages": pages, "unique_urls": UNIQUE_URLS, "links": LINKS, "machine_cores": MACHINE_CORES,
            "crawl_cpu_ms": crawl_cpu * 1000, "check_cpu_ms": check_cpu * 1000,
            "coordinator_ms_per_page": coord_page * 1000, "coordinator_ms_per_url": coord_url * 1000,
            "worker_cpu_hours": (pages * crawl_cpu + UNIQUE_URLS * check_cpu) / 3600,
            "coordinator_hours": coordinator_hours, "per_core_per_s": per_core,
            "in_flight": IN_FLIGHT, "latency_s": {"crawl": SITE_LATENCY_S, "check": CHECK_LATENCY_S},
            "cpu_bound_in_flight": {"crawl": math.ceil(SITE_LATENCY_S / crawl_cpu),
                                    "check": math.ceil(CHECK_LATENCY_S / check_cpu)},
            "plans": plans}


if __name__ == "__main__":
    main()
