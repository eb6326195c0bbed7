"""`--workers N` when a worker dies or the parent is told to stop: never a hang, never an
orphan, and a re-run finishes the work with the same verdicts as a clean run."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import network_args, prospector, rows
from scrapy import Spider

from prospector.fakeweb import PORT, FakeWeb, Resource, Site, WebSpec, missing, page
from prospector.runner import WorkerFailed, in_processes

SLOW = 30  # hosts whose page answers after a few seconds: the check is still running when a worker dies


def slow_web() -> WebSpec:
    links = "".join(f'<p><a href="http://slow-{i}.com:{PORT}/page">slow {i}</a></p>' for i in range(SLOW))
    links += "".join(f'<p><a href="http://gone-{i}.com:{PORT}/page">gone {i}</a></p>' for i in range(5))
    return WebSpec([Site("hub-blog.com", {"/": page("Hub", f"<main>{links}</main>")})]
                   + [Site(f"slow-{i}.com", {"/page": Resource(body="<title>ok</title>", delay=3.0)})
                      for i in range(SLOW)]
                   + [Site(f"gone-{i}.com", {"/page": missing(404)}) for i in range(5)])


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return sorted(found)


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def start_check(web: FakeWeb, db: Path) -> subprocess.Popen:
    args = ["check", "--workers", "2", *network_args(web, db), "--timeout", "10"]
    return subprocess.Popen([sys.executable, "-m", "prospector", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def check_on_a_copy(crawled, tmp_path: Path) -> tuple[FakeWeb, Path, subprocess.Popen, list[int]]:
    """`check --workers 2` started on a copy of the crawled store, once both workers run."""
    web, crawled_db, _ = crawled
    db = tmp_path / "store.sqlite"
    shutil.copy(crawled_db, db)
    parent = start_check(web, db)
    return web, db, parent, wait_for_workers(parent)


def wait_for_workers(parent: subprocess.Popen, n: int = 2) -> list[int]:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        workers = children_of(parent.pid)
        if len(workers) >= n:
            return workers
        time.sleep(0.05)
    raise AssertionError(f"workers never started: {children_of(parent.pid)}")


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory):
    """A crawled store (copied for each test), the web, and the verdicts of a clean check."""
    folder = tmp_path_factory.mktemp("workers")
    with FakeWeb(slow_web()) as web:
        db = folder / "crawled.sqlite"
        prospects = folder / "p.txt"
        prospects.write_text(web.url("hub-blog.com") + "\n")
        assert prospector("crawl", "--prospects", str(prospects), *network_args(web, db)).returncode == 0
        clean = folder / "clean.sqlite"
        shutil.copy(db, clean)
        run = prospector("check", "--workers", "2", *network_args(web, clean), "--timeout", "10")
        assert run.returncode == 0, run.stderr
        yield web, db, rows(clean, "SELECT url, verdict FROM checks ORDER BY url")


def test_a_killed_worker_stops_the_run_in_seconds_and_a_rerun_finishes(crawled, tmp_path: Path) -> None:
    clean_verdicts = crawled[2]
    web, db, parent, (victim, other) = check_on_a_copy(crawled, tmp_path)
    time.sleep(1.0)
    os.kill(victim, signal.SIGKILL)
    killed_at = time.monotonic()
    _, stderr = parent.communicate(timeout=30)
    assert time.monotonic() - killed_at < 10
    assert parent.returncode == 1
    assert f"(pid {victim}) was killed by SIGKILL; the other workers were stopped" in stderr
    assert "run the same command again to resume" in stderr and "Traceback" not in stderr
    assert not alive(other)
    rerun = prospector("check", "--workers", "2", *network_args(web, db), "--timeout", "10")
    assert rerun.returncode == 0, rerun.stderr
    assert rows(db, "SELECT url, verdict FROM checks ORDER BY url") == clean_verdicts
    assert len(clean_verdicts) == SLOW + 5


def test_sigterm_to_the_parent_stops_every_worker(crawled, tmp_path: Path) -> None:
    web, db, parent, workers = check_on_a_copy(crawled, tmp_path)
    time.sleep(0.5)
    parent.send_signal(signal.SIGTERM)
    parent.communicate(timeout=20)
    assert parent.returncode == 130
    assert not any(alive(pid) for pid in workers)


def test_a_killed_parent_takes_its_workers_with_it(crawled, tmp_path: Path) -> None:
    web, db, parent, workers = check_on_a_copy(crawled, tmp_path)
    parent.kill()
    parent.communicate(timeout=10)
    deadline = time.monotonic() + 15
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in workers)


class BrokenSpider(Spider):
    name = "broken"

    def __init__(self, **kwargs: object):
        raise ValueError("not a prospector database")


class IdleSpider(Spider):
    name = "idle"

    async def start(self):  # nothing to fetch: finishes at once
        return
        yield


def test_a_worker_that_fails_is_named_with_its_error() -> None:
    from scrapy.settings import Settings

    settings = Settings({"LOG_ENABLED": False, "TELNETCONSOLE_ENABLED": False})
    with pytest.raises(WorkerFailed, match=r"^worker 1 of 2 \(pid \d+\) failed: ValueError: not a prospector "
                                           r"database; the other workers were stopped$"):
        in_processes([(settings, [(BrokenSpider, {})]), (settings, [(IdleSpider, {})])])


def test_a_second_check_on_the_same_store_is_refused_naming_the_first(crawled, tmp_path: Path) -> None:
    web, db, first, _ = check_on_a_copy(crawled, tmp_path)
    second = prospector("check", *network_args(web, db))
    first.communicate(timeout=60)
    assert first.returncode == 0
    assert second.returncode == 2
    assert second.stderr.startswith(f"Error: {db}: another 'prospector check' (pid {first.pid}, since ")
    assert second.stderr.rstrip().endswith("is using this store; wait for it to finish or stop it")
    again = prospector("check", *network_args(web, db))  # the lock went with the first run
    assert again.returncode == 0, again.stderr


def test_a_lock_left_by_a_killed_check_is_taken_over(crawled, tmp_path: Path) -> None:
    clean_verdicts = crawled[2]
    web, db, first, _ = check_on_a_copy(crawled, tmp_path)
    first.kill()
    first.communicate(timeout=10)
    assert rows(db, "SELECT stage, pid FROM locks") == [("check", first.pid)]
    again = prospector("check", *network_args(web, db), "--timeout", "10")
    assert again.returncode == 0, again.stderr
    assert rows(db, "SELECT url, verdict FROM checks ORDER BY url") == clean_verdicts
    assert rows(db, "SELECT * FROM locks") == []


@pytest.mark.parametrize("presses", [1, 2])
def test_ctrl_c_once_or_twice_stops_the_workers_without_a_traceback(crawled, tmp_path: Path, presses: int) -> None:
    web, db, parent, workers = check_on_a_copy(crawled, tmp_path)
    time.sleep(1.0)
    for _ in range(presses):
        parent.send_signal(signal.SIGINT)
        time.sleep(0.3)
    _, stderr = parent.communicate(timeout=30)
    assert parent.returncode == 130
    assert "Traceback" not in stderr
    assert not any(alive(pid) for pid in workers)
    rerun = prospector("check", *network_args(web, db), "--timeout", "10")
    assert rerun.returncode == 0, rerun.stderr


def test_the_progress_bar_counts_every_worker(tmp_path: Path) -> None:
    """With two check workers the bar's total is every URL to check, and it ends full."""
    db = tmp_path / "store.sqlite"
    with FakeWeb(WebSpec([Site("hub-blog.com", {"/": page("Hub", "<main>" + "".join(
            f'<p><a href="http://gone-{i}.com:{PORT}/page">gone {i}</a></p>' for i in range(29)) + "</main>")})]
            + [Site(f"gone-{i}.com", {"/page": missing(404)}) for i in range(29)])) as web:
        (tmp_path / "p.txt").write_text(web.url("hub-blog.com") + "\n", encoding="utf-8")
        assert prospector("crawl", "--prospects", str(tmp_path / "p.txt"), *network_args(web, db)).returncode == 0
        script = (f"from prospector import Campaign\n"
                  f"Campaign({str(db)!r}, nameserver={web.nameserver!r}, allow_private_networks=True, workers=2, "
                  f"progress=True, dns_timeout=0.5, timeout=1).check()\n")
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                              env={**os.environ, "COLUMNS": "200"})
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("Checking outbound URLs") == 1 and " 29/29 " in done.stderr, done.stderr
