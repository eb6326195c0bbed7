"""The crawl and the check on a cluster: a real redis-server, a coordinator and three worker
processes against the fake web, compared with a single-process run of the same web.

Each run gets a fresh fake web (its own ports and request counts); stored URLs are compared
with the port taken out.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import Run, network_args, prospector, rows, summary
from webs import crawl_sites, verdict_sites

from prospector.cluster import wire
from prospector.fakeweb import PORT, FakeWeb, Resource, Site, WebSpec, missing, page
from prospector.testing.local_redis import LocalRedis, free_port

pytestmark = [pytest.mark.heavy,  # scheduled first: see conftest.py
              pytest.mark.skipif(shutil.which("redis-server") is None,
                                 reason="redis-server is not installed (make test installs it with apt-get)")]

PASSWORD = "s3cret-Pa55word"
LEASE = "2"  # seconds: a killed worker's requests are back in the queue within about that
SLOW = 0.2  # seconds each page of the slow sites takes: concurrency shows at the server


def cluster_web() -> WebSpec:
    """The main fake web (verdict cases, crawl bounds, robots, redirects, a huge page …) plus
    two slow sites with enough pages to show how many requests one site gets at once."""
    p = PORT
    slow = {"/": page("Slow home", "".join(f'<a href="/s{i}">Slow {i}</a> ' for i in range(1, 9)))}
    for i in range(1, 9):
        slow[f"/s{i}"] = Resource(body=f'<title>Slow {i}</title><p><a href="http://slow-target.com:{p}/t{i}">'
                                       f'target {i}</a> <a href="http://slow-target.com:{p}/gone{i}">gone</a></p>',
                                  delay=SLOW)
    targets = {f"/t{i}": Resource(body=f"<title>Target {i}</title><p>Here.</p>", delay=SLOW) for i in range(1, 9)}
    targets.update({f"/gone{i}": missing(404) for i in range(1, 9)})
    return WebSpec(
        sites=verdict_sites() + crawl_sites() + [Site("slow-blog.com", slow), Site("slow-target.com", targets)],
        servfail={"servfail.net"}, dns_timeout={"dns-timeout.net"}, no_address={"noaddress.org"},
    )


PROSPECTS = ["verdicts-blog.com", "scope-blog.co.uk", "limits-blog.com", "depth-blog.com", "slow-blog.com",
             "unreachable-prospect.com"]


def write_prospects(web: FakeWeb, path: Path) -> Path:
    limits = {"scope-blog.co.uk": "20,3", "limits-blog.com": "3,5", "depth-blog.com": "10,1"}
    lines = ["url,name,max_pages,max_depth"] + [f"{web.url(host)},{host},{limits.get(host, ',')}" for host in PROSPECTS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def start_workers(count: int, url: str, net: list[str], folder: Path, first: int = 0,
                  env: dict[str, str] | None = None) -> list[subprocess.Popen]:
    workers = []
    for i in range(first, first + count):
        workers.append(subprocess.Popen(
            [sys.executable, "-m", "prospector", "worker", "--redis", url, "--lease", LEASE, *net],
            stdout=open(folder / f"worker{i}.out", "w"), stderr=open(folder / f"worker{i}.err", "w"),  # noqa: SIM115
            env=env))
    return workers


def stop_workers(workers: list[subprocess.Popen]) -> list[int | None]:
    """SIGTERM; a worker still running 30 s later is killed (and reported as such)."""
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    exits = []
    for worker in workers:
        try:
            exits.append(worker.wait(30))
        except subprocess.TimeoutExpired:
            worker.kill()
            exits.append(f"still running 30 s after SIGTERM (pid {worker.pid})")
    return exits


def _no_port(value: object) -> object:
    return re.sub(r":\d{2,5}(?=[/?#'\" ]|$)", ":PORT", value) if isinstance(value, str) else value


def stored(db: Path) -> dict[str, list[tuple]]:
    """What a crawl and a check leave in the store, ports taken out, sorted."""
    queries = {
        "pages": "SELECT url, depth, status, error, title, resource_score FROM pages",
        "occurrences": "SELECT page_url, position, url, anchor_text, placement, rel FROM occurrences",
        "checks": "SELECT url, verdict, reason_code, status, resource_score, resource_why FROM checks",
        "contacts": "SELECT kind, value FROM contacts",
        "frontier": "SELECT url, depth FROM frontier",
        "problems": "SELECT stage, source, message FROM problems",
    }
    return {name: sorted(tuple(_no_port(v) for v in row) for row in rows(db, sql)) for name, sql in queries.items()}


def page_fetches(web: FakeWeb) -> Counter:
    return Counter({(h, m, p): n for (h, m, p), n in web.http.requests.items() if p != "/robots.txt"})


@dataclass
class Outcome:
    db: Path
    crawl: Run
    check: Run
    crawl_fetches: Counter
    peak: Counter
    workers_exit: list[int | None]
    folder: Path
    killed: int | None = None  # which worker was SIGKILLed
    check_fetches: Counter = field(default_factory=Counter)


def single_run(folder: Path) -> Outcome:
    db = folder / "store.sqlite"
    with FakeWeb(cluster_web()) as web:
        net = network_args(web, db)
        crawl = prospector("crawl", "--prospects", str(write_prospects(web, folder / "p.csv")), *net)
        fetches = page_fetches(web)
        check = prospector("check", "--workers", "1", *net)
        return Outcome(db, crawl, check, fetches, Counter(web.http.peak), [], folder,
                       check_fetches=page_fetches(web) - fetches)


def cluster_run(folder: Path, kill_one: bool = False, inject: bool = False) -> Outcome:
    """Crawl then check; with `kill_one`, a worker is SIGKILLed mid-crawl; with `inject`,
    entries that are not prospector's are pushed into the queues and result lists mid-crawl
    (the Python of every process can import a canary module that says when it is imported)."""
    db = folder / "store.sqlite"
    redis = LocalRedis(folder, password=PASSWORD)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(write_canary(folder)), os.environ.get("PYTHONPATH", "")])}
    try:
        with FakeWeb(cluster_web()) as web:
            net = network_args(web, db)
            workers = start_workers(3, redis.url, net, folder, env=env)
            try:
                coordinator = [sys.executable, "-m", "prospector", "crawl", "--prospects",
                               str(write_prospects(web, folder / "p.csv")), "--redis", redis.url, "--lease", LEASE,
                               *net]
                process = subprocess.Popen(coordinator, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                           env=env)
                killed = _kill_when_busy(workers, web, redis) if kill_one else None
                if inject:
                    _inject_when_busy(web, redis, db)
                out, err = process.communicate(timeout=120)
                crawl = Run(process.returncode, out, err)
                fetches = page_fetches(web)
                done = subprocess.run([sys.executable, "-m", "prospector", "check", "--redis", redis.url, "--lease",
                                       LEASE, *net], capture_output=True, text=True, timeout=120, env=env)
                check = Run(done.returncode, done.stdout, done.stderr)
            finally:
                exits = stop_workers(workers)
            return Outcome(db, crawl, check, fetches, Counter(web.http.peak), exits, folder, killed,
                           page_fetches(web) - fetches)
    finally:
        redis.stop()


def _kill_when_busy(workers: list[subprocess.Popen], web: FakeWeb, redis: LocalRedis) -> int:
    """SIGKILL the worker that leases the slow site (its forked Scrapy process dies with it)
    once that site's pages are being fetched: it holds several of them in flight."""
    import redis as redis_py

    from prospector.cluster import keys

    client = redis_py.Redis.from_url(redis.url)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and web.http.count("slow-blog.com") < 3:
        time.sleep(0.02)
    holder = client.get(keys.lease(keys.partition_of(web.url("slow-blog.com")))).decode()
    index = next(i for i, w in enumerate(workers) if holder.split(":")[-2] == str(w.pid))
    os.kill(workers[index].pid, signal.SIGKILL)
    return index


CANARY = "prospector_canary"


def write_canary(folder: Path) -> Path:
    """A module that leaves a file behind when anything imports it."""
    where = folder / "canary"
    where.mkdir(exist_ok=True)
    (where / f"{CANARY}.py").write_text(f"open({str(folder / 'IMPORTED')!r}, 'w').close()\nX = object\n",
                                        encoding="utf-8")
    return where


def hostile_entries(web: FakeWeb) -> dict[str, dict[str, bytes]]:
    """stage -> what is pushed into its queue ("requests") and result list ("results")."""
    def request(stage: str, **changes: object) -> bytes:
        meta = {"prospect_id": 1, "page_depth": 0, "page_url": web.url("slow-blog.com", "/zz"),
                "domain": "slow-blog.com", "path_prefix": ""} if stage == "prospects" else {}
        entry = {"v": 1, "url": web.url("slow-blog.com", "/zz"), "method": "GET", "priority": 0,
                 "dont_filter": True, "callback": wire.CALLBACKS[stage], "meta": meta, **changes}
        return json.dumps(entry).encode()

    def result(kind: str, **changes: object) -> bytes:
        return json.dumps({"v": 1, "lease": "x", "kind": kind, "item": {}, **changes}).encode()

    forged = {"url": "http://forged-check.com/", "verdict": "dead", "reason": "404", "status": 404,
              "final_url": "http://forged-check.com/", "redirect_chain": [], "method": "GET", "attempts": 1,
              "elapsed_ms": 1, "reason_code": "http_404"}
    bad: dict[str, dict[str, bytes]] = {}
    for stage, kind in (("prospects", "page"), ("links", "check")):
        bad[stage] = {
            "requests": [b"not json", pickle.dumps({"url": web.url("slow-blog.com", "/zz")}),
                         request(stage, _class=f"{CANARY}.X"), request(stage, callback="evil")],
            "results": [b"not json", pickle.dumps({"lease": "x"}), result(kind, _class=f"{CANARY}.X"),
                        result("check" if kind == "page" else "page")],
        }
    bad["links"]["results"].append(json.dumps({"v": 1, "lease": "x", "kind": "check", "item": forged}).encode())
    # well-formed, for a page no coordinator queued: fetched (the guard as always), not stored
    bad["prospects"]["requests"].append(json.dumps({
        "v": 1, "url": "http://forged-prospect.com/", "method": "GET", "priority": 0, "dont_filter": True,
        "callback": "parse", "meta": {"prospect_id": 1, "page_depth": 0, "page_url": "http://forged-prospect.com/",
                                      "domain": "forged-prospect.com", "path_prefix": ""}}).encode())
    return bad


def _inject_when_busy(web: FakeWeb, redis: LocalRedis, db: Path) -> None:
    """Once the slow site's pages are being fetched, push every hostile entry: the crawl's and
    the check's requests go to the workers holding their partitions, the crawl's results to
    this coordinator, the check's results wait for the check's coordinator."""
    import redis as redis_py

    from prospector.cluster import keys
    from prospector.store import Store

    with Store(db) as store:
        campaign = store.campaign_id()
    client = redis_py.Redis.from_url(redis.url)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and web.http.count("slow-blog.com") < 2:
        time.sleep(0.02)
    for stage, entries in hostile_entries(web).items():
        for entry in entries["requests"]:
            url = json.loads(entry)["url"] if entry.startswith(b"{") else web.url("slow-blog.com")
            client.zadd(keys.queue(campaign, stage, keys.partition_of(url)), {entry: 0})
        client.rpush(keys.results(campaign, stage), *entries["results"])


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    return single_run(tmp_path_factory.mktemp("single"))


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    return cluster_run(tmp_path_factory.mktemp("cluster"), inject=True)


@pytest.fixture(scope="module")
def killed(tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    return cluster_run(tmp_path_factory.mktemp("killed"), kill_one=True)


def test_the_cluster_stores_what_one_process_stores(single: Outcome, cluster: Outcome) -> None:
    assert cluster.crawl.returncode == single.crawl.returncode == 1, cluster.crawl.stderr  # an unreachable prospect
    assert cluster.check.returncode == 0, cluster.check.stderr
    expected, got = stored(single.db), stored(cluster.db)
    assert {k: len(v) for k, v in got.items()} == {k: len(v) for k, v in expected.items()}
    assert (len(expected["pages"]), len(expected["occurrences"]), len(expected["checks"])) == (23, 47, 47)
    assert got == expected
    fetched = "pages fetched (this run)"
    assert summary(cluster.crawl.stdout)[fetched] == summary(single.crawl.stdout)[fetched]


def test_entries_that_are_not_prospectors_are_dropped_once_each(cluster: Outcome) -> None:
    """Pushed mid-crawl into a live cluster (the store is still one process's: the test above):
    each bad entry is named once in the logs of the workers and coordinators, none imports
    anything, and the forged verdict for a URL nobody queued is not stored."""
    logs = "".join(p.read_text() for p in cluster.folder.iterdir() if p.suffix in (".err", ".log"))
    dropped = re.findall(r"Dropped an entry of prospector:c:[0-9a-f]{12}:(\w+):(requests|results) that is not a "
                         r"\w+ prospector can use: (.*?); the entry: ", logs)
    assert sorted(dropped) == sorted([
        ("links", "requests", "not JSON (a pickle, or not prospector's)"),
        ("links", "requests", "not JSON (a pickle, or not prospector's)"),
        ("links", "requests", "unknown callback 'evil' for the links stage"),
        ("links", "requests", "unknown key '_class'"),
        ("links", "results", "a 'page' result on the links list"),
        ("links", "results", "a result has the keys v, lease, kind and item, not _class, item, kind, lease, v"),
        ("links", "results", "not JSON (a pickle, or not prospector's)"),
        ("links", "results", "not JSON (a pickle, or not prospector's)"),
        ("prospects", "requests", "not JSON (a pickle, or not prospector's)"),
        ("prospects", "requests", "not JSON (a pickle, or not prospector's)"),
        ("prospects", "requests", "unknown callback 'evil' for the prospects stage"),
        ("prospects", "requests", "unknown key '_class'"),
        ("prospects", "results", "a 'check' result on the prospects list"),
        ("prospects", "results", "a result has the keys v, lease, kind and item, not _class, item, kind, lease, v"),
        ("prospects", "results", "not JSON (a pickle, or not prospector's)"),
        ("prospects", "results", "not JSON (a pickle, or not prospector's)"),
    ])
    assert logs.count("Dropped a result for http://forged-check.com/: this coordinator did not queue it") == 1
    assert logs.count("Dropped a result for http://forged-prospect.com/: this coordinator did not queue it") == 1
    assert not (cluster.folder / "IMPORTED").exists()
    assert rows(cluster.db, "SELECT COUNT(*) FROM checks WHERE url LIKE '%forged%'") == [(0,)]
    assert rows(cluster.db, "SELECT COUNT(*) FROM pages WHERE url LIKE '%forged%'") == [(0,)]


def test_every_page_is_fetched_once(single: Outcome, cluster: Outcome) -> None:
    assert cluster.crawl_fetches == single.crawl_fetches
    fetched = rows(cluster.db, "SELECT url FROM pages WHERE status = 200")
    assert len(fetched) == 20
    for (url,) in fetched:
        host, path = re.match(r"https?://([^:/]+)(?::\d+)?(/.*)$", url).groups()  # type: ignore[union-attr]
        assert cluster.crawl_fetches[(host, "GET", path)] == 1, url


def test_each_url_is_checked_once_as_on_one_machine(single: Outcome, cluster: Outcome) -> None:
    assert cluster.check_fetches == single.check_fetches  # retries and HEAD-then-GET alike
    assert sum(single.check_fetches.values()) == 43  # 47 URLs: some never reach a server (no DNS), some are retried
    assert cluster.check_fetches[("slow-target.com", "GET", "/t1")] == 1


def test_no_site_gets_more_than_two_requests_at_once(single: Outcome, cluster: Outcome) -> None:
    # slow.com's check times out on purpose: the server still counts a request the client
    # gave up on while the retry arrives, so it is left out of the rule.
    assert max(n for host, n in cluster.peak.items() if host != "slow.com") == 2
    assert cluster.peak["slow-blog.com"] == 2  # eight slow pages at once, two at a time
    assert cluster.peak["slow-target.com"] == 2  # the check keeps the rule too
    assert single.peak["slow-blog.com"] == 2  # one process too (crawl/downloader.py)


def test_workers_stop_cleanly_and_say_what_they_did(cluster: Outcome) -> None:
    assert cluster.workers_exit == [0, 0, 0]
    done = [summary((cluster.folder / f"worker{i}.out").read_text()) for i in range(3)]
    assert sum(int(d["prospect pages read"]) for d in done) == 23 + 1  # and the forged page pushed mid-crawl
    assert sum(int(d["URLs checked"]) for d in done) == 47


def test_the_redis_password_is_never_shown(cluster: Outcome) -> None:
    texts = [cluster.crawl.stdout, cluster.crawl.stderr, cluster.check.stdout, cluster.check.stderr]
    texts += [p.read_text(errors="replace") for p in cluster.folder.iterdir() if p.suffix in (".out", ".err", ".log")]
    assert len(texts) >= 11
    assert not [t for t in texts if PASSWORD in t]


def test_a_worker_killed_mid_crawl_loses_nothing(single: Outcome, killed: Outcome) -> None:
    assert killed.killed is not None
    assert killed.workers_exit == [-signal.SIGKILL if i == killed.killed else 0 for i in range(3)]
    assert stored(killed.db) == stored(single.db)
    assert max(n for host, n in killed.peak.items() if host != "slow.com") == 2
    logs = [p.read_text() for p in killed.folder.iterdir() if p.suffix in (".err", ".log")]
    handed_back = [int(m) for log in logs for m in re.findall(r"stopped beating: (\d+) requests it held", log)]
    assert len(handed_back) == 1 and handed_back[0] >= 2  # the slow pages it held, fetched again elsewhere


def test_unreachable_redis_is_one_line(tmp_path: Path) -> None:
    port = free_port()
    for command in (["crawl", "--prospects", str(tmp_path / "none.csv")], ["worker"]):
        if command[0] == "crawl":
            (tmp_path / "none.csv").write_text("url\nhttp://example.com/\n", encoding="utf-8")
        done = prospector(*command, "--redis", f"redis://:{PASSWORD}@127.0.0.1:{port}/0", "--db",
                          str(tmp_path / "s.sqlite"))
        assert done.returncode == 1
        assert done.stderr == (f"Error: cannot reach Redis at redis://:***@127.0.0.1:{port}/0: Error 111 connecting "
                               f"to 127.0.0.1:{port}. Connection refused.\n")


def test_a_wrong_password_is_one_line(tmp_path: Path) -> None:
    redis = LocalRedis(tmp_path, password=PASSWORD)
    try:
        done = prospector("worker", "--redis", f"redis://:wrong-one@127.0.0.1:{redis.port}/0")
    finally:
        redis.stop()
    assert done.returncode == 1
    assert done.stderr == f"Error: Redis at redis://:***@127.0.0.1:{redis.port}/0 refused the password\n"


def test_rediss_works(tmp_path: Path) -> None:
    import trustme

    authority = trustme.CA()
    cert = authority.issue_cert("127.0.0.1")
    authority.cert_pem.write_to_path(tmp_path / "ca.pem")
    cert.private_key_pem.write_to_path(tmp_path / "key.pem")
    cert.cert_chain_pems[0].write_to_path(tmp_path / "cert.pem")
    db = tmp_path / "store.sqlite"
    with LocalRedis(tmp_path, password=PASSWORD, tls_ca=tmp_path) as redis, FakeWeb(cluster_web()) as web:
        assert redis.url.startswith("rediss://")
        net = network_args(web, db)
        workers = start_workers(1, redis.url, net, tmp_path)
        (tmp_path / "p.txt").write_text(web.url("limits-blog.com") + "\n", encoding="utf-8")
        crawl = prospector("crawl", "--prospects", str(tmp_path / "p.txt"), "--redis", redis.url, *net)
        check = prospector("check", "--redis", redis.url, *net)
        assert stop_workers(workers) == [0]
    assert crawl.returncode == 0 and check.returncode == 0, crawl.stderr + check.stderr
    assert rows(db, "SELECT COUNT(*) FROM pages WHERE status = 200") == [(9,)]
    assert rows(db, "SELECT COUNT(*) FROM checks") == [(8,)]


@pytest.fixture(scope="module")
def restarted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Outcome, Run]:
    """The coordinator starts with no worker, one joins, the coordinator is SIGKILLed mid-crawl
    and a second worker joins; the same crawl command, run again, finishes the job."""
    folder = tmp_path_factory.mktemp("restarted")
    db = folder / "store.sqlite"
    with LocalRedis(folder, password=PASSWORD) as redis, FakeWeb(cluster_web()) as web:
        net = network_args(web, db)
        crawl = ["crawl", "--prospects", str(write_prospects(web, folder / "p.csv")), "--redis", redis.url,
                 "--lease", LEASE, *net]
        first = subprocess.Popen([sys.executable, "-m", "prospector", *crawl], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        time.sleep(0.5)  # seeded, waiting for workers
        workers = start_workers(1, redis.url, net, folder)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and web.http.count("slow-blog.com") < 3:
            time.sleep(0.02)
        first.kill()
        first.wait()
        workers += start_workers(1, redis.url, net, folder, first=1)
        again = prospector(*crawl)
        fetches = page_fetches(web)
        check = prospector("check", "--redis", redis.url, "--lease", LEASE, *net)
        exits = stop_workers(workers)
        return Outcome(db, again, check, fetches, Counter(web.http.peak), exits, folder), again


def test_a_restarted_coordinator_and_a_late_worker_finish_the_job(single: Outcome,
                                                                  restarted: tuple[Outcome, Run]) -> None:
    outcome, again = restarted
    assert again.returncode == 0, again.stderr  # the unreachable prospect was met by the first one
    resumed = re.search(r"Resuming: (\d+) crawl requests were still queued, in flight or waiting to be stored",
                        again.stderr)
    assert resumed and int(resumed.group(1)) >= 1, again.stderr
    assert outcome.check.returncode == 0
    assert stored(outcome.db) == stored(single.db)
    assert outcome.workers_exit == [0, 0]
    late = summary((outcome.folder / "worker1.out").read_text())
    assert int(late["prospect pages read"]) + int(late["URLs checked"]) > 0


def test_redis_lost_mid_run_is_one_line_for_coordinator_and_worker(tmp_path: Path) -> None:
    with LocalRedis(tmp_path, password=PASSWORD) as redis, FakeWeb(cluster_web()) as web:
        net = network_args(web, tmp_path / "store.sqlite")
        workers = start_workers(1, redis.url, net, tmp_path)
        try:
            (tmp_path / "p.txt").write_text(web.url("slow-blog.com") + "\n", encoding="utf-8")
            crawl = subprocess.Popen([sys.executable, "-m", "prospector", "crawl", "--prospects",
                                      str(tmp_path / "p.txt"), "--redis", redis.url, "--lease", LEASE, *net],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and web.http.count("slow-blog.com", "/s1") == 0:
                time.sleep(0.02)
            redis.stop()  # (stopping it again on leaving the block is harmless)
            out, err = crawl.communicate(timeout=60)
            exits = [w.wait(60) for w in workers]
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.kill()
    shown = f"redis://:***@127.0.0.1:{redis.port}/0"
    assert crawl.returncode == 1
    assert err.startswith(f"Error: lost Redis at {shown}: Error 111 connecting to 127.0.0.1:{redis.port}. "
                          "Connection refused. What was stored is kept: run the same command again to resume.")
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    worker_err = (tmp_path / "worker0.err").read_text()
    assert exits == [1]
    assert worker_err.rstrip().splitlines()[-1].startswith("Error: worker 1 of 1 (pid ")
    # named, with whatever the loop that met the closed connection first was told (connecting
    # again, reading, or the server closing it)
    assert f"failed: RedisUnavailable: lost Redis at {shown}: " in worker_err.rstrip().splitlines()[-1], worker_err
    assert PASSWORD not in err + worker_err


def test_a_second_coordinator_is_refused(tmp_path: Path) -> None:
    import redis as redis_py

    from prospector.cluster.coordinator import CampaignId, coordinator_lock

    with LocalRedis(tmp_path) as redis:
        client = redis_py.Redis.from_url(redis.url)
        with coordinator_lock(client, CampaignId("0123456789ab", str(tmp_path / "other.sqlite"))):
            holder = client.get("prospector:coordinator").decode()
            (tmp_path / "p.txt").write_text("http://example.com/\n", encoding="utf-8")
            refused = prospector("crawl", "--prospects", str(tmp_path / "p.txt"), "--redis", redis.url,
                                 "--db", str(tmp_path / "s.sqlite"))
        assert client.get("prospector:coordinator") is None  # let go when done
    assert refused.returncode == 2
    assert refused.stderr == (f"Error: another coordinator ({holder}) is using this Redis database; wait for it to "
                              "end, or give another database (redis://…/1)\n")


def test_a_coordinator_stopped_with_sigterm_resumes(tmp_path: Path) -> None:
    import redis as redis_py

    from prospector.cluster import keys

    db = tmp_path / "store.sqlite"
    with LocalRedis(tmp_path) as redis, FakeWeb(cluster_web()) as web:
        client = redis_py.Redis.from_url(redis.url)
        net = network_args(web, db)
        (tmp_path / "p.txt").write_text(web.url("limits-blog.com") + "\n", encoding="utf-8")
        crawl = ["crawl", "--prospects", str(tmp_path / "p.txt"), "--redis", redis.url, "--lease", LEASE, *net]
        waiting = subprocess.Popen([sys.executable, "-m", "prospector", *crawl], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)  # no worker yet: it waits
        from prospector.store import Store

        with Store(db) as store:
            campaign = store.campaign_id()
        queue = keys.queue(campaign, "prospects", keys.partition_of(web.url("limits-blog.com")))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not client.zcard(queue):
            time.sleep(0.05)
        waiting.send_signal(signal.SIGTERM)
        out, err = waiting.communicate(timeout=30)
        assert waiting.returncode == 130, err
        assert "Traceback" not in err and summary(out)["pages fetched (this run)"] == "0"
        workers = start_workers(1, redis.url, net, tmp_path)
        again = prospector(*crawl)
        assert stop_workers(workers) == [0]
    assert again.returncode == 0, again.stderr
    assert "Resuming: 1 crawl requests were still queued, in flight or waiting to be stored." in again.stderr
    assert rows(db, "SELECT COUNT(*) FROM pages WHERE status = 200") == [(9,)]


def test_each_worker_applies_its_own_network_policy(tmp_path: Path) -> None:
    """The coordinator allows every private network; the worker allows 127.0.0.1 only, and
    its rule is the one that holds: the host on 127.0.0.2 gets no connection."""
    from test_network_safety import spec

    db = tmp_path / "store.sqlite"
    with LocalRedis(tmp_path) as redis, FakeWeb(spec(), extra_addresses=("127.0.0.2",)) as web:
        workers = start_workers(1, redis.url, network_args(web, db, "127.0.0.1/32"), tmp_path)
        (tmp_path / "p.txt").write_text(web.url("safe-blog.com") + "\n", encoding="utf-8")
        coordinator = [*network_args(web, db), "--redis", redis.url, "--lease", LEASE]
        crawl = prospector("crawl", "--prospects", str(tmp_path / "p.txt"), *coordinator)
        check = prospector("check", *coordinator)
        assert stop_workers(workers) == [0]
        assert (crawl.returncode, check.returncode) == (0, 0)
        assert web.http.connections["127.0.0.2"] == 0
    reason = "internal-admin.com: 127.0.0.2 is a loopback address (refused by network policy; see --allow-network)"
    assert sorted(rows(db, "SELECT url, verdict, reason FROM checks")) == [
        (web.url("internal-admin.com", "/admin"), "blocked", reason),
        (web.url("redirect-out.com", "/go"), "blocked", reason),
    ]


def test_two_campaigns_on_one_redis_database_keep_to_their_own_stores(tmp_path: Path) -> None:
    """Campaign A is stopped with its requests still queued; campaign B, another store on the
    same Redis database, is refused (naming A) rather than adopting them; A is cleared, B runs,
    then A runs again from its own store: each store holds its own prospect's pages only."""
    import redis as redis_py

    from prospector.cluster import keys
    from prospector.store import Store

    stores = {name: tmp_path / name / "store.sqlite" for name in ("a", "b")}
    for db in stores.values():
        db.parent.mkdir()
    with LocalRedis(tmp_path) as redis, FakeWeb(cluster_web()) as web:
        client = redis_py.Redis.from_url(redis.url)
        sites = {"a": "limits-blog.com", "b": "depth-blog.com"}
        crawls = {}
        for name, db in stores.items():
            (db.parent / "p.txt").write_text(web.url(sites[name]) + "\n", encoding="utf-8")
            crawls[name] = ["crawl", "--prospects", str(db.parent / "p.txt"), "--redis", redis.url, "--lease", LEASE,
                            *network_args(web, db)]
        with Store(stores["a"]) as store:
            a = store.campaign_id()
        waiting = subprocess.Popen([sys.executable, "-m", "prospector", *crawls["a"]], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)  # no worker: it waits
        queue = keys.queue(a, "prospects", keys.partition_of(web.url(sites["a"])))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not client.zcard(queue):
            time.sleep(0.05)
        waiting.send_signal(signal.SIGTERM)
        assert waiting.wait(30) == 130

        refused = prospector(*crawls["b"])
        listed = prospector("clear", "--redis", redis.url)
        cleared = prospector("clear", "--redis", redis.url, "--campaign", a)
        workers = start_workers(1, redis.url, network_args(web, stores["b"]), tmp_path)
        try:
            b_run = prospector(*crawls["b"])
            a_again = prospector(*crawls["a"])
        finally:
            assert stop_workers(workers) == [0]
        left = [k for k in client.scan_iter("prospector:c:*")]
    described = (f"campaign {a} (store {stores['a'].resolve()} on {socket.gethostname()}): 1 requests queued, "
                 "0 in flight, 0 results not stored")
    assert refused.returncode == 2
    assert refused.stderr == ("Error: this Redis database holds another campaign's unfinished work: "
                              f"{described}. Finish it (the same command with that store), or clear it: "
                              f"prospector clear --campaign {a} --redis …\n")
    assert listed.stdout == described + "\n"
    assert summary(cleared.stdout)["keys deleted"] == "3"  # its queue, dupefilter and about
    assert (b_run.returncode, a_again.returncode) == (0, 0), b_run.stderr + a_again.stderr
    for name, db in stores.items():
        hosts = {re.match(r"https?://([^:/]+)", url).group(1) for (url,) in rows(db, "SELECT url FROM pages")}  # type: ignore[union-attr]
        assert hosts == {sites[name]}
        assert rows(db, "SELECT COUNT(*) FROM pages WHERE status = 200") == [({"a": 9, "b": 3}[name],)]
    assert left == []  # both finished: nothing of either is left in Redis


def test_malformed_in_flight_values_and_wrongly_typed_keys_stop_nothing(tmp_path: Path) -> None:
    """A dead worker's in-flight hash with values that are not partition|score|request, and a
    queue key holding a string: the good request goes back, the rest is dropped, the take
    script skips the key it cannot read."""
    import redis as redis_py

    from prospector.cluster import keys
    from prospector.cluster.queue import PartitionedQueue, requeue
    from prospector.cluster.spiders import ClusterCheckSpider

    campaign = "0123456789ab"
    with LocalRedis(tmp_path) as redis:
        client = redis_py.Redis.from_url(redis.url)
        spider = ClusterCheckSpider()
        spider.soft404_check, spider.peek_bytes = False, 4096
        good = wire.encode_request("links", spider.root_request("http://a.example.com/x"))
        client.hset(keys.in_flight(campaign, "links", "w:1:x"), mapping={
            "l1": f"5|0|{good}", "l2": "no separators", "l3": "99|0|x", "l4": "5|NaN|x", "l5": "|"})
        assert requeue(client, "w:1:x") == 1
        assert client.zrange(keys.queue(campaign, "links", 5), 0, -1) == [good.encode()]
        assert client.exists(keys.in_flight(campaign, "links", "w:1:x")) == 0

        client.set(keys.queue(campaign, "links", 4), "not a sorted set")
        queue = PartitionedQueue(client, spider, keys.queue_prefix(campaign, "links"))
        taken = queue.take(keys.in_flight(campaign, "links", "w:2:y"), [4, 5], 10, "w:2:y:1:")
        assert [(lease, request.url) for lease, request in taken] == [("w:2:y:1:1", "http://a.example.com/x")]
