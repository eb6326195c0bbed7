"""`make bench`: prospector, lychee and LinkChecker on the same generated fake web.

Each tool runs against a freshly started fake web (so every tool meets the same first answers,
429s included), as a whole process, timed from outside, peak RSS from the kernel's accounting
of that process (os.wait4). Precision and recall of "broken" are measured against the
generator's truth. Writes benchmarks/results.md and benchmarks/results.json.

Run as root to get the network namespace (see netweb.py); otherwise only prospector runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from netweb import can_use_namespace, fake_web, namespace  # noqa: E402
from peers import (  # noqa: E402
    TIMEOUT_S,
    ensure_peers,
    linkchecker_broken,
    linkchecker_command,
    lychee_broken,
    lychee_command,
)

HERE = Path(__file__).resolve().parent
WORK = HERE / "work"
PROSPECTOR = [sys.executable, "-m", "prospector"]
SENDER = ["--sender-name", "Bench Mark", "--sender-email", "bench@tallyfield.com"]


def timed(cmd: list[str], stdin: str | None = None) -> dict:
    """Wall and CPU seconds and peak RSS (MiB) of one process, and what it printed."""
    paths = {name: WORK / f"timed.{name}" for name in ("in", "out", "err")}
    paths["in"].write_text(stdin or "")
    with paths["in"].open() as given, paths["out"].open("w") as out, paths["err"].open("w") as err:
        start = time.perf_counter()
        process = subprocess.Popen(cmd, stdin=given, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_rss_mib": usage.ru_maxrss / 1024,
            "exit": os.waitstatus_to_exitcode(status), "stdout": paths["out"].read_text(errors="replace"),
            "stderr": paths["err"].read_text(errors="replace")[-2000:]}


def network(web, db: Path) -> list[str]:
    resolver = [] if web.ns else ["--nameserver", web.nameserver]
    return ["--db", str(db), *resolver, "--allow-private-networks", "--timeout", str(TIMEOUT_S),
            "--dns-timeout", "2", "-q", "--set", "AUTOTHROTTLE_START_DELAY=0"]


def spider_seconds(log: Path) -> float:
    return float(re.findall(r"'elapsed_time_seconds': ([\d.]+)", log.read_text(errors="replace"))[-1])


def prospector_broken(db: Path) -> tuple[dict[str, str], Counter]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT url, verdict, reason FROM checks").fetchall()
    return {u: r for u, v, r in rows if v == "dead"}, Counter(v for _, v, _ in rows)


def accuracy(broken: dict[str, str], truth: dict[str, str]) -> dict:
    """Precision and recall of "broken" against the truth's dead URLs; false "broken" by cause."""
    said = {u for u in broken if u in truth}
    dead = {u for u, v in truth.items() if v == "dead"}
    false = Counter(_cause_label(broken[u], truth[u]) for u in said - dead)
    return {"said_broken": len(said), "precision": len(said & dead) / len(said) if said else 1.0,
            "recall": len(said & dead) / len(dead) if dead else 1.0, "false_broken": dict(false.most_common())}


def _cause_label(cause: str, truth: str) -> str:
    return f"{cause} ({truth})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", default="230x30", help="SITESxPAGES of the web all tools check")
    parser.add_argument("--links-per-page", type=int, default=3)
    parser.add_argument("--speed-size", default="100x20", help="SITESxPAGES of the web that times prospector alone")
    parser.add_argument("--no-peers", action="store_true", help="prospector only")
    parser.add_argument("--only", metavar="SECTION[,SECTION]", help="measure only these sections (of: "
                        f"{', '.join(SECTIONS)}) and keep the other figures of results.json")
    args = parser.parse_args()
    if args.only:
        figures = json.loads((HERE / "results.json").read_text())
        for name in args.only.split(","):
            figures[name] = SECTIONS[name]()
        (HERE / "results.json").write_text(json.dumps(figures, indent=2) + "\n")
        (HERE / "results.md").write_text(render(figures))
        return
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir()
    use_ns = can_use_namespace()
    peers = use_ns and not args.no_peers
    if peers:
        ensure_peers()
    figures: dict = {"measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
                     "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
                     "namespace": use_ns, "timeout_s": TIMEOUT_S}
    with (namespace() if use_ns else nullcontext(None)) as ns:
        figures["speed"] = speed(ns, args.speed_size)
        figures.update(comparison(ns, args.size, args.links_per_page, peers))
    for name, measure in SECTIONS.items():
        figures[name] = measure()
    (HERE / "results.json").write_text(json.dumps(figures, indent=2) + "\n")
    (HERE / "results.md").write_text(render(figures))
    print(render(figures))


def script_figures(name: str) -> dict:
    """The JSON a benchmark script of this folder prints."""
    return json.loads(subprocess.run([sys.executable, str(HERE / name)], check=True, capture_output=True,
                                     text=True).stdout)


def cluster_figures() -> dict:
    """The cluster section (cluster_bench.py), or why it was skipped."""
    if shutil.which("redis-server") is None:
        return {"skipped": "redis-server is not installed"}
    return script_figures("cluster_bench.py")


# Sections measured by a script of their own, in results.md's order (`--only` re-measures some).
SECTIONS = {
    "matcher": lambda: script_figures("match_bench.py"),
    "report": lambda: script_figures("report_bench.py"),
    "cluster": cluster_figures,
    "inputs": lambda: script_figures("inputs_bench.py"),
    "authority": lambda: script_figures("authority_bench.py"),
    "import": lambda: script_figures("import_bench.py"),
    "resource_pages": lambda: script_figures("resource_bench.py"),
}


def speed(ns: str | None, size: str) -> dict:
    """prospector alone on a web where every URL answers at once: how fast it works."""
    sites, pages = (int(n) for n in size.split("x"))
    db, log = WORK / "speed.sqlite", WORK / "prospector.log"
    with fake_web(ns, size, 4, WORK, waiting=False) as web:
        crawl = timed(web.command([*PROSPECTOR, "crawl", "--prospects", str(web.prospects), "--max-pages",
                                   str(pages + 5), "--max-depth", "40", *network(web, db)]))
        crawl["spider_s"] = spider_seconds(log)
        check = timed(web.command([*PROSPECTOR, "check", "--workers", "1", *network(web, db)]))
        check["spider_s"] = spider_seconds(log)
        truth = web.truth
    with fake_web(ns, size, 4, WORK, waiting=False) as web:
        sharded = timed(web.command([*PROSPECTOR, "check", "--workers", "2", "--recheck-after", "0",
                                     *network(web, db)]))
    broken, verdicts = prospector_broken(db)
    with sqlite3.connect(db) as conn:
        pages_fetched = conn.execute("SELECT COUNT(*) FROM pages WHERE status IS NOT NULL").fetchone()[0]
    return {"sites": sites, "pages_per_site": pages, "urls": len(truth),
            "crawl": {**_strip(crawl), "pages": pages_fetched}, "check": {**_strip(check), "urls": len(truth)},
            "check_2_workers": {**_strip(sharded), "urls": sum(verdicts.values())},
            "accuracy": accuracy(broken, truth)}


def comparison(ns: str | None, size: str, links_per_page: int, peers: bool) -> dict:
    """The same URLs through prospector, lychee and LinkChecker; then `prospector run`."""
    sites, pages = (int(n) for n in size.split("x"))
    db = WORK / "bench.sqlite"
    figures: dict = {}
    web_args = (ns, size, links_per_page, WORK)
    with fake_web(*web_args) as web:
        truth = web.truth
        figures["web"] = {"sites": sites, "pages_per_site": pages, "unique_outbound_urls": len(truth),
                          "truth": dict(Counter(truth.values()))}
        timed(web.command([*PROSPECTOR, "crawl", "--prospects", str(web.prospects), "--max-pages", str(pages + 5),
                           "--max-depth", "40", *network(web, db)]))
        check = timed(web.command([*PROSPECTOR, "check", "--workers", "2", *network(web, db)]))
    broken, verdicts = prospector_broken(db)
    figures["prospector_check"] = {**_strip(check), "urls": sum(verdicts.values()), "verdicts": dict(verdicts),
                                   "accuracy": accuracy(broken, truth)}
    urls_file = WORK / "urls.txt"
    urls_file.write_text("\n".join(truth) + "\n")
    if peers:
        with fake_web(*web_args) as web:
            report = WORK / "lychee.json"
            lychee = timed(web.command(lychee_command(urls_file, report)))
        figures["lychee"] = {**_strip(lychee), "urls": len(truth), "accuracy": accuracy(lychee_broken(report), truth)}
        with fake_web(*web_args) as web:
            linkchecker = timed(web.command(linkchecker_command()), stdin="\n".join(truth))
        figures["linkchecker"] = {**_strip(linkchecker), "urls": len(truth),
                                  "accuracy": accuracy(linkchecker_broken(linkchecker["stdout"]), truth)}
    run_db = WORK / "run.sqlite"
    with fake_web(*web_args) as web:
        end_to_end = timed(web.command([*PROSPECTOR, "run", "--workers", "2", "--prospects", str(web.prospects),
                                        "--sitemap", f"http://tallyfield.com:{web.port}/".replace(":80/", "/"),
                                        "--max-pages", str(pages + 5), "--max-depth", "40", "--out",
                                        str(WORK / "out"), *SENDER, *network(web, run_db)]))
    figures["prospector_run"] = _strip(end_to_end)
    return figures


def _strip(result: dict) -> dict:
    return {k: v for k, v in result.items() if k not in ("stdout", "stderr")}


def render(f: dict) -> str:
    from render import render_results

    return render_results(f)


if __name__ == "__main__":
    main()
