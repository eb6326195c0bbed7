"""Crawl and check benchmark on a generated fake web (run by `make bench`).

The fake web runs in its own process (the second core); `prospector crawl` and
`prospector check` run as a user runs them, timed as whole processes, peak RSS read from the
kernel's accounting of each finished child (os.wait4). Precision and recall of "dead" are
measured against the generator's truth. Figures go to benchmarks/results.md and results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "work"

# Loopback needs no politeness delay; retries wait 0.1 s instead of 1 s so the few URLs that
# always fail do not dominate a short run. Everything else is prospector's defaults.
BENCH_SETTINGS = ["--set", "AUTOTHROTTLE_START_DELAY=0", "--set", "PROSPECTOR_RETRY_BACKOFF=0.1",
                  "--timeout", "5", "--dns-timeout", "2", "--allow-private-networks"]


def timed(cmd: list[str]) -> dict[str, float]:
    """Run a command; wall seconds, CPU seconds and peak RSS (MiB) of that process alone."""
    start = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    output = process.stdout.read().decode() if process.stdout else ""
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed:\n{output}")
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_rss_mib": usage.ru_maxrss / 1024}


def spider_seconds(log: Path) -> float:
    """The last finished spider's own elapsed time (Scrapy's stats), without start-up."""
    text = log.read_text(encoding="utf-8", errors="replace")
    return float(re.findall(r"'elapsed_time_seconds': ([\d.]+)", text)[-1])


def accuracy(db: Path, truth: dict[str, str]) -> dict[str, float | int]:
    with sqlite3.connect(db) as conn:
        verdicts = dict(conn.execute("SELECT url, verdict FROM checks"))
    checked = [u for u in truth if u in verdicts]
    said_dead = {u for u in checked if verdicts[u] == "dead"}
    truly_dead = {u for u in checked if truth[u] == "dead"}
    right = said_dead & truly_dead
    return {
        "urls_with_truth": len(truth),
        "urls_checked": len(checked),
        "said_dead": len(said_dead),
        "precision_dead": len(right) / len(said_dead) if said_dead else 1.0,
        "recall_dead": len(right) / len(truly_dead) if truly_dead else 1.0,
        "verdicts_matching_truth": sum(verdicts[u] == truth[u] for u in checked) / max(1, len(checked)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", default="100x20", help="SITESxPAGES of the generated web")
    parser.add_argument("--links-per-page", type=int, default=4)
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    for old in [*WORK.glob("bench.*"), WORK / "prospector.log"]:
        old.unlink(missing_ok=True)
    db, log = WORK / "bench.sqlite", WORK / "prospector.log"  # the log sits beside the store
    prospects, truth_file = WORK / "bench.prospects.txt", WORK / "bench.truth.json"
    server = subprocess.Popen(
        [sys.executable, "-m", "prospector.fakeweb", "--generate", args.size,
         "--links-per-page", str(args.links_per_page),
         "--prospects-out", str(prospects), "--truth-out", str(truth_file)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        web = json.loads(server.stdout.readline())
        common = ["--db", str(db), "--nameserver", web["nameserver"], *BENCH_SETTINGS]
        prospector = [sys.executable, "-m", "prospector"]
        sites, pages = (int(n) for n in args.size.split("x"))
        crawl = timed([*prospector, "crawl", "--prospects", str(prospects), "--max-pages", str(pages + 5),
                       "--max-depth", "10", *common])
        crawl["spider_s"] = spider_seconds(log)
        check = timed([*prospector, "check", *common])
        check["spider_s"] = spider_seconds(log)
    finally:
        server.terminate()
        server.wait(10)
    with sqlite3.connect(db) as conn:
        pages_fetched = conn.execute("SELECT COUNT(*) FROM pages WHERE status IS NOT NULL").fetchone()[0]
        urls_checked = conn.execute("SELECT COUNT(*) FROM checks").fetchone()[0]
    truth = json.loads(truth_file.read_text())
    matcher = json.loads(subprocess.run([sys.executable, str(HERE / "match_bench.py")], check=True,
                                        capture_output=True, text=True).stdout)
    results = {
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "web": {"sites": sites, "pages_per_site": pages, "unique_outbound_urls": len(truth)},
        "crawl": {**crawl, "pages": pages_fetched, "pages_per_s_wall": pages_fetched / crawl["wall_s"],
                  "pages_per_s_spider": pages_fetched / crawl["spider_s"]},
        "check": {**check, "urls": urls_checked, "urls_per_s_wall": urls_checked / check["wall_s"],
                  "urls_per_s_spider": urls_checked / check["spider_s"]},
        "accuracy": accuracy(db, truth),
        "matcher": matcher,
    }
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    (HERE / "results.md").write_text(render(results))
    print(render(results))


def render(r: dict) -> str:
    c, k, a = r["crawl"], r["check"], r["accuracy"]
    q, m = r["matcher"]["quality"], r["matcher"]["speed"]
    return f"""# Benchmark results

Measured {r['measured_at']} on {r['machine']} by `make bench` (`benchmarks/run.py`).
Generated fake web: {r['web']['sites']} sites × {r['web']['pages_per_site']} pages,
{r['web']['unique_outbound_urls']:,} unique outbound URLs with known verdicts; the fake web
served from its own process on 127.0.0.1.

| stage | items | wall s | spider s | per s (wall) | per s (spider) | CPU s | peak RSS MiB |
|---|---:|---:|---:|---:|---:|---:|---:|
| crawl | {c['pages']:,} pages | {c['wall_s']:.1f} | {c['spider_s']:.1f} | {c['pages_per_s_wall']:.0f} | {c['pages_per_s_spider']:.0f} | {c['cpu_s']:.1f} | {c['peak_rss_mib']:.0f} |
| check | {k['urls']:,} URLs | {k['wall_s']:.1f} | {k['spider_s']:.1f} | {k['urls_per_s_wall']:.0f} | {k['urls_per_s_spider']:.0f} | {k['cpu_s']:.1f} | {k['peak_rss_mib']:.0f} |

"wall" is the whole command, interpreter start-up included; "spider" is Scrapy's own
elapsed time for the stage.

Accuracy of "dead" against the generator's truth: precision {a['precision_dead']:.3f},
recall {a['recall_dead']:.3f} ({a['said_dead']:,} URLs called dead); all five verdicts match
the truth for {a['verdicts_matching_truth']:.1%} of {a['urls_checked']:,} checked URLs.

## Matcher (`benchmarks/match_bench.py`)

Quality on the labelled set in `tests/data/` ({q['cases']} dead links against an 86-page site,
{q['no_match_cases']} of them with no good match), lexical ranker, min score {q['min_score']}:

| top-1 | top-3 | "nothing fits" precision | "nothing fits" recall |
|---:|---:|---:|---:|
| {q['top1']:.3f} | {q['top3']:.3f} | {q['no_match_precision']:.3f} | {q['no_match_recall']:.3f} |

{hybrid_line(r["matcher"]["hybrid"])}

top-1 counts a right first suggestion, or rightly none; top-3 is over the cases that have an
answer. The min scores were chosen on this same set, so these figures flatter the matcher a
little; the test suite guards top-1 ≥ 0.80.

Speed on synthetic data, {m['own_pages']:,} own pages × {m['dead_links']:,} dead links:
index {m['index_s']:.1f} s, ranking {m['rank_s']:.1f} s (total {m['total_s']:.1f} s;
{m['rank_all_explained_s']:.1f} s to rank when every link gets three explained suggestions),
peak RSS {m['peak_rss_mib']:.0f} MiB for the whole benchmark process.
"""


def hybrid_line(h: dict | None) -> str:
    if not h:
        return ("With embeddings (`--embeddings`): not measured in this run, the embeddings extra "
                "is not installed in this environment.")
    return (f"With embeddings (`--embeddings`, all-MiniLM-L6-v2 blended 50/50, min score "
            f"{h['min_score']}): top-1 {h['top1']:.3f}, top-3 {h['top3']:.3f}, \"nothing fits\" "
            f"precision {h['no_match_precision']:.3f}, recall {h['no_match_recall']:.3f} "
            f"({h['seconds']:.1f} s for the set, model loading included).")


if __name__ == "__main__":
    main()
