"""The benchmark's fake web, in a network namespace of its own when we can make one.

In the namespace (root, `ip netns`), the fake DNS server answers on 127.0.0.1:53 and the HTTP
server listens on port 80, and /etc/netns/NAME/resolv.conf points at that DNS server: every
tool, prospector, lychee and LinkChecker alike, resolves the fake web through the system
resolver, and the URLs look exactly like the real web's (`http://site042.org/...`). The
namespace has only a loopback interface, so nothing can leave it. Without root the web runs
on random loopback ports and only prospector can be measured.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

NAMESPACE = "prospector-bench"


def can_use_namespace() -> bool:
    return os.geteuid() == 0 and shutil.which("ip") is not None


@contextmanager
def namespace() -> Iterator[str]:
    """A network namespace with loopback up and resolv.conf -> 127.0.0.1; removed after."""
    subprocess.run(["ip", "netns", "del", NAMESPACE], capture_output=True)
    subprocess.run(["ip", "netns", "add", NAMESPACE], check=True)
    etc = Path("/etc/netns") / NAMESPACE
    try:
        subprocess.run(["ip", "netns", "exec", NAMESPACE, "ip", "link", "set", "lo", "up"], check=True)
        etc.mkdir(parents=True, exist_ok=True)
        (etc / "resolv.conf").write_text("nameserver 127.0.0.1\noptions timeout:2 attempts:2\n")
        (etc / "hosts").write_text("127.0.0.1 localhost\n")
        yield NAMESPACE
    finally:
        subprocess.run(["ip", "netns", "del", NAMESPACE], capture_output=True)
        shutil.rmtree(etc, ignore_errors=True)


@dataclass
class Web:
    """A running fake web: how to reach it and how to run a command next to it."""

    process: subprocess.Popen[str]
    ns: str | None
    nameserver: str
    port: int
    prospects: Path
    truth: dict[str, str]

    def command(self, argv: list[str]) -> list[str]:
        return ["ip", "netns", "exec", self.ns, *argv] if self.ns else argv

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


@contextmanager
def fake_web(ns: str | None, size: str, links_per_page: int, work: Path, waiting: bool = True) -> Iterator[Web]:
    """Start the generated web (fresh: counters and 429-then-200 answers reset)."""
    prospects, truth = work / "prospects.txt", work / "truth.json"
    ports = ["--http-port", "80", "--dns-port", "53"] if ns else []
    argv = [sys.executable, "-m", "prospector.fakeweb", "--generate", size, "--links-per-page",
            str(links_per_page), "--prospects-out", str(prospects), "--truth-out", str(truth), *ports,
            *([] if waiting else ["--no-waiting"])]
    process = subprocess.Popen(["ip", "netns", "exec", ns, *argv] if ns else argv, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    ready = json.loads(process.stdout.readline())
    web = Web(process, ns, ready["nameserver"], ready["port"], prospects, json.loads(truth.read_text()))
    try:
        yield web
    finally:
        web.stop()
        time.sleep(0.2)  # let the ports go before the next start
