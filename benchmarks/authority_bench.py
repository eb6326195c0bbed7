"""`prospector authority` on ranked lists of a million lines (issue 24, part 6): a Tranco CSV
and a gzipped Common Crawl host list with reversed host names, for a store of 50 prospects.
Peak memory (VmHWM) beside `prospector status` on the same store (the interpreter and the
imports alone), and time. Prints JSON; benchmarks/run.py merges it into results.json."""

from __future__ import annotations

import gzip
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from conftest import measured, peak_memory_kb  # noqa: E402

from prospector.items import Prospect  # noqa: E402
from prospector.store import Store  # noqa: E402

LINES = 1_000_000
PROSPECTS = 50  # one in every 20,000 listed domains is the campaign's


def _prospects(db: Path) -> None:
    with Store(db) as store:
        for n in range(PROSPECTS):
            domain = f"site{n * 20_000 + 7}.com"
            store.upsert_prospect(Prospect(url=f"https://{domain}/", domain=domain))


def _timed(*args: str) -> dict:
    start = time.perf_counter()
    done = measured(*args)
    assert done.returncode == 0, done.stderr
    found = next((line.split()[-1] for line in done.stdout.splitlines() if "with an authority" in line), "")
    return {"seconds": round(time.perf_counter() - start, 2), "peak_mib": round(peak_memory_kb(done.stderr) / 1024),
            "found": int(found) if found else None}


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        db = folder / "store.sqlite"
        _prospects(db)
        tranco = folder / "tranco.csv"
        with tranco.open("w", encoding="utf-8") as handle:
            handle.writelines(f"{n},site{n}.com\n" for n in range(1, LINES + 1))
        hosts = folder / "cc-host-ranks.txt.gz"
        with gzip.open(hosts, "wt", encoding="utf-8") as handle:
            handle.write("#harmonicc_pos\t#harmonicc_val\t#pr_pos\t#pr_val\t#host_rev\n")
            handle.writelines(f"{n}\t{1e7 / n:.1f}\t{n}\t{1 / n:.3e}\tcom.site{n}.www\n" for n in range(1, LINES + 1))
        figures = {"lines": LINES, "prospects": PROSPECTS,
                   "baseline": _timed("status", "--db", str(db)),
                   "tranco_csv": {**_timed("authority", str(tranco), "--db", str(db)),
                                  "file_mb": round(tranco.stat().st_size / 1e6, 1)},
                   "common_crawl_gz": {**_timed("authority", str(hosts), "--db", str(db)),
                                       "file_mb": round(hosts.stat().st_size / 1e6, 1)}}
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
