"""`prospector import` on long backlink exports (issue 24, part 1): Ahrefs' UTF-16 tab-separated
export of 100,000 and 400,000 rows, referring pages on 20,000 sites linking to 500 pages of a
competitor. Time, and peak memory (VmHWM) beside `prospector status` on the same store (the
interpreter and the imports alone). The file is read row by row and stored in batches of 2,000;
what stays in memory is one entry per prospect met (the store keeps each page once). Prints
JSON; benchmarks/run.py merges it into results.json."""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from conftest import measured, peak_memory_kb  # noqa: E402

from prospector.fakeweb.exports import ExportRow, ahrefs  # noqa: E402

SIZES = (100_000, 400_000)
SITES = 20_000


def _rows(n: int) -> list[ExportRow]:
    return [ExportRow(f"https://blog{i % SITES}.example.com/post-{i}/", f"https://competitor.com/page-{i % 500}/",
                      "a guide", "We liked", "a lot.", f"Post {i}", authority=i % 90) for i in range(n)]


def _timed(*args: str) -> dict:
    start = time.perf_counter()
    done = measured(*args, timeout=1800)
    assert done.returncode == 0, done.stderr
    return {"seconds": round(time.perf_counter() - start, 1), "peak_mib": round(peak_memory_kb(done.stderr) / 1024)}


def main() -> None:
    figures: dict = {"sites": SITES}
    with tempfile.TemporaryDirectory() as work:
        for n in SIZES:
            folder = Path(work) / str(n)
            folder.mkdir()
            export = ahrefs(folder / "ahrefs.csv", _rows(n))
            db = folder / "store.sqlite"
            figures[str(n)] = {**_timed("import", str(export), "--db", str(db)),
                               "file_mb": round(export.stat().st_size / 1e6, 1)}
            figures.setdefault("baseline", _timed("status", "--db", str(db)))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
