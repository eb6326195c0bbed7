"""Shared fixtures: the fake web on loopback, and running the real `prospector` CLI against it.

Spiders run in a subprocess (`python -m prospector …`), as a user runs them: Scrapy's reactor
cannot be restarted inside one test process, and this also tests the CLI itself.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from webs import main_web

from prospector.fakeweb import FakeWeb

# Short timeouts: the whole suite must stay within a few minutes on 2 cores.
FAST = [
    "--dns-timeout", "0.5", "--dns-retries", "1", "--timeout", "1", "--retries", "2",
    "--set", "PROSPECTOR_RETRY_BACKOFF=0.1", "--set", "AUTOTHROTTLE_START_DELAY=0",
    "--set", "AUTOTHROTTLE_ENABLED=false",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The files marked `heavy` (a minute or more each) first: `make test`'s workers each take
    whole files, so the longest start at once and the short ones fill in, and the workers end
    together."""
    items.sort(key=lambda item: item.get_closest_marker("heavy") is None)  # stable: in file order


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


def prospector(*args: str, timeout: float = 120) -> Run:
    result = subprocess.run([sys.executable, "-m", "prospector", *args], capture_output=True,
                            text=True, timeout=timeout)
    return Run(result.returncode, result.stdout, result.stderr)


def network_args(web: FakeWeb, db: Path, allow: str = "--allow-private-networks") -> list[str]:
    policy = [allow] if allow == "--allow-private-networks" else ["--allow-network", allow]
    return ["--db", str(db), "--nameserver", web.nameserver, *policy, *FAST]


def rows(db: Path, sql: str, *params: object) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return [tuple(r) for r in conn.execute(sql, params)]


@pytest.fixture(scope="session")
def web():
    with FakeWeb(main_web()) as fake:
        yield fake


@dataclass
class MainRun:
    web: FakeWeb
    db: Path
    prospects: Path
    crawl: Run
    check: Run


@pytest.fixture(scope="session")
def main_run(web: FakeWeb, tmp_path_factory: pytest.TempPathFactory) -> MainRun:
    """One crawl and one check over the main fake web; most tests read its store."""
    folder = tmp_path_factory.mktemp("main")
    db = folder / "store.sqlite"
    prospects = folder / "prospects.csv"
    u = web.url
    prospects.write_text(
        "url,name,email,max_pages,max_depth\n"
        f"{u('verdicts-blog.com')},Verdicts,,,\n"
        f"{u('scope-blog.co.uk')},Scope,,20,3\n"
        f"{u('limits-blog.com')},Limits,,3,5\n"
        f"{u('depth-blog.com')},Depth,,10,1\n"
        f"{u('unreachable-prospect.com')},Gone,,,\n"
        "not a url at all,Bad,,,\n"
        f"{u('limits-blog.com', '/other')},Bad limits,,zero,\n",
        encoding="utf-8",
    )
    crawl = prospector("crawl", "--prospects", str(prospects), *network_args(web, db),
                       "--set", "DOWNLOAD_MAXSIZE=1000000")
    check = prospector("check", *network_args(web, db))
    return MainRun(web, db, prospects, crawl, check)


@pytest.fixture(scope="session")
def head_run(tmp_path_factory: pytest.TempPathFactory) -> MainRun:
    """The verdict blog checked HEAD-first (--no-soft404), on a fake web of its own so that
    request counts are its own."""
    folder = tmp_path_factory.mktemp("head")
    db = folder / "store.sqlite"
    prospects = folder / "prospects.txt"
    with FakeWeb(main_web()) as web:
        prospects.write_text(web.url("verdicts-blog.com") + "\n", encoding="utf-8")
        crawl = prospector("crawl", "--prospects", str(prospects), *network_args(web, db))
        check = prospector("check", "--no-soft404", *network_args(web, db))
    return MainRun(web, db, prospects, crawl, check)


def summary(stdout: str) -> dict[str, str]:
    """The label -> value table a command prints at the end."""
    import re

    table = {}
    for line in stdout.splitlines():
        parts = re.split(r"\s{2,}", line.strip(), maxsplit=1)
        if line.startswith("  ") and len(parts) == 2:
            table[parts[0]] = parts[1]
    return table


@contextlib.contextmanager
def small_disk(folder: Path, kilobytes: int, read_only: bool = False) -> Iterator[Path]:
    """A tmpfs of `kilobytes` mounted at `folder` for the test (root only: CI runs as root)."""
    folder.mkdir(parents=True, exist_ok=True)
    options = f"size={kilobytes}k" + (",ro" if read_only else "")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True, text=True)
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs ({done.stderr.strip()}): the disk-full tests need root, as CI has")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path, leave: int) -> Path:
    """Fill the file system holding `folder` until about `leave` bytes are free."""
    stat = os.statvfs(folder)
    free = stat.f_bavail * stat.f_frsize
    filler = folder / "filler"
    with filler.open("ab") as handle:
        handle.write(b"\0" * max(0, free - leave))
    return filler


def copy_store(source: Path, target: Path) -> Path:
    """A consistent copy of a store (its WAL included)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def peak_memory_kb(stderr: str) -> int:
    """VmHWM printed by `measured()` at exit."""
    import re

    found = re.search(r"^PEAK (\d+)$", stderr, re.M)
    assert found, stderr
    return int(found.group(1))


def measured(*args: str, timeout: float = 300) -> Run:
    """`prospector ARGS` with the process's peak memory (VmHWM, kB) printed last on stderr."""
    script = ("import atexit, sys\n"
              "def peak():\n"
              "    hwm = next(l for l in open('/proc/self/status') if l.startswith('VmHWM'))\n"
              "    sys.stderr.write('PEAK ' + hwm.split()[1] + '\\n')\n"
              "atexit.register(peak)\n"
              "from prospector.cli import main\n"
              "sys.argv = ['prospector', *sys.argv[1:]]\n"
              "main()\n")
    result = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=timeout)
    return Run(result.returncode, result.stdout, result.stderr)
